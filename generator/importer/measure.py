"""`make import-report`: import each seed plan's source text and compare the draft with the hand transcription.

For every plan in content/ that has a `*.nguon.txt` beside it, the importer runs on that text in a
copy of content/ without the plan (so neither the plan's YAML nor its narrative is there to learn
words from), and the draft is compared with the published YAML, section by section:

* header fields: exact match, for the fields the source states (first lines / signer block);
* legal bases, targets, tasks, solutions, responsibilities, recipients, budget lines, declared
  totals: recall (share of the hand-made entries the draft has) and precision (share of the draft's
  entries that are in the hand-made ones), matching entries one to one by their text (numbers for
  legal bases, statement and value for targets, amounts for declared totals).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

import yaml

CATEGORIES = (
    "legal_bases",
    "targets",
    "tasks",
    "solutions",
    "responsibilities",
    "recipients",
    "budget_lines",
    "declared_totals",
)
GOALS = {
    "legal_bases": 0.95,
    "responsibilities": 0.95,
    "recipients": 0.95,
    "targets": 0.85,
    "tasks": 0.85,
    "budget_lines": 0.80,
    "declared_totals": 0.80,
}
HEADER = (
    "title",
    "kind",
    "issuer",
    "number",
    "signed_date",
    "place",
    "signer.name",
    "signer.title",
    "signer.on_behalf",
    "period",
)


@dataclass
class Score:
    expected: int = 0
    drafted: int = 0
    matched: int = 0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.drafted += other.drafted
        self.matched += other.matched

    @property
    def recall(self) -> float | None:
        return self.matched / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.drafted if self.drafted else None


@dataclass
class PlanReport:
    plan: str
    scores: dict[str, Score] = field(default_factory=dict)
    header: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # field → (present in source, exact)
    marks: int = 0
    nowhere: int = 0
    check_ok: bool = True


def norm(text) -> str:
    t = unicodedata.normalize("NFC", str(text or "")).casefold()
    t = re.sub(r"\s+", " ", t).strip(" .;,:")
    return t


def similar(a: str, b: str) -> float:
    a, b = norm(a), norm(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(short) / len(long_) >= 0.6:
        return 0.9
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match(expected: list, drafted: list, same) -> int:
    """Greedy one-to-one matching by descending similarity; `same(e, d)` → score, ≥ 0.8 counts."""
    pairs = []
    for i, e in enumerate(expected):
        for j, d in enumerate(drafted):
            s = same(e, d)
            if s >= 0.8:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_e, used_d = set(), set()
    for _s, i, j in pairs:
        if i not in used_e and j not in used_d:
            used_e.add(i)
            used_d.add(j)
    return len(used_e)


def _score(expected: list, drafted: list, same) -> Score:
    return Score(len(expected), len(drafted), match(expected, drafted, same))


def _number_key(n) -> str:
    return re.sub(r"[\s–—−]", "", unicodedata.normalize("NFC", str(n or ""))).replace("-", "").upper()


def _legal_same(e: dict, d: dict) -> float:
    if e.get("number") and d.get("number"):
        return 1.0 if _number_key(e["number"]) == _number_key(d["number"]) else 0.0
    return similar(e.get("title", ""), d.get("title", ""))


def _target_same(e: dict, d: dict) -> float:
    ev, dv = e.get("value"), d.get("value")
    if (ev is None) != (dv is None) or (ev is not None and Decimal(str(ev)) != Decimal(str(dv))):
        return 0.0
    return similar(e["statement"], d["statement"])


def _items(plan: dict, key: str) -> list[str]:
    return [item for section in plan.get(key, []) for item in section.get("items", [])]


def _lines(plan: dict) -> list[dict]:
    return [line for t in plan.get("budget_tables", []) for g in t.get("groups", []) for line in g.get("lines", [])]


def _line_same(e: dict, d: dict) -> float:
    if e.get("code") and d.get("code") and str(e["code"]) != str(d["code"]):
        return 0.0
    en, dn = norm(e["name"]), norm(d["name"])
    if en and dn.startswith(en[: max(12, len(en) * 3 // 4)]):
        return 0.9  # the draft's name may run into the next cell (objective): the line is there
    return similar(e["name"], d["name"])


def _totals(plan: dict) -> list[Decimal]:
    out = []
    for t in plan.get("budget_tables", []):
        for g in t.get("groups", []):
            out += [Decimal(str(v)) for v in g.get("declared", {}).values()]
        out += [Decimal(str(v)) for v in t.get("declared_total", {}).values()]
    return out


def compare(expected: dict, drafted: dict, source: str) -> PlanReport:
    r = PlanReport("")
    r.scores["legal_bases"] = _score(expected.get("legal_bases", []), drafted.get("legal_bases", []), _legal_same)
    r.scores["targets"] = _score(expected.get("targets", []), drafted.get("targets", []), _target_same)
    r.scores["tasks"] = _score(_items(expected, "tasks"), _items(drafted, "tasks"), similar)
    r.scores["solutions"] = _score(_items(expected, "solutions"), _items(drafted, "solutions"), similar)
    r.scores["responsibilities"] = _score(
        [x["unit"] for x in expected.get("responsibilities", [])],
        [x["unit"] for x in drafted.get("responsibilities", [])],
        similar,
    )
    r.scores["recipients"] = _score(expected.get("recipients", []), drafted.get("recipients", []), similar)
    r.scores["budget_lines"] = _score(_lines(expected), _lines(drafted), _line_same)
    r.scores["declared_totals"] = _score(_totals(expected), _totals(drafted), lambda a, b: 1.0 if a == b else 0.0)
    head, tail = _edges(source)
    for name in HEADER:
        e, d = _get(expected, name), _get(drafted, name)
        if name == "period":
            present = True
        elif name == "kind":
            present = bool(re.search(r"^\s*(?:KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|ĐỀ ÁN|BÁO CÁO)\b", head, re.M))
        elif name.startswith("signer."):
            present = e is not None and all(norm(p) in norm(tail) for p in str(e).split(", "))
        else:
            present = e is not None and norm(e) in norm(head)
        r.header[name] = (present, _same_value(e, d))
    return r


def _same_value(e, d) -> bool:
    if isinstance(e, dict) or isinstance(d, dict):
        return {k: v for k, v in (e or {}).items() if v is not None} == {
            k: v for k, v in (d or {}).items() if v is not None
        }
    if e is None or d is None:
        return e is None and d is None
    return norm(e) == norm(d)


def _get(plan: dict, name: str):
    v = plan
    for part in name.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v


def _edges(source: str) -> tuple[str, str]:
    """The source's first 15 lines with text (its header) and the 40 before its appendices (signer block)."""
    lines = [l for l in source.splitlines() if l.strip()]
    head = "\n".join(lines[:15])
    end = next(
        (i for i, l in enumerate(lines) if re.match(r"^\s*(?:PHỤ LỤC|Phụ lục|Biểu mẫu)\b", l) and i > len(lines) // 2),
        len(lines),
    )
    tail = "\n".join(lines[max(0, end - 40) : end])
    return head, tail


def seed_plans(content: Path) -> list[str]:
    """Plan ids whose source text is beside them."""
    out = []
    for src in sorted(content.rglob("*.nguon.txt")):
        yml = src.with_name(src.name.removesuffix(".nguon.txt") + ".yml")
        if yml.is_file():
            out.append(yml.relative_to(content).with_suffix("").as_posix())
    return out


def run(content: Path) -> list[PlanReport]:
    from .draft import import_file

    reports = []
    for plan_id in seed_plans(content):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "content"
            shutil.copytree(content, copy)
            unit, stem = plan_id.rsplit("/", 1)
            source = content / f"{plan_id}.nguon.txt"
            for suffix in (".yml", ".md", ".nguon.txt"):
                (copy / f"{plan_id}{suffix}").unlink(missing_ok=True)
            result = import_file(source, copy, unit, stem, run_check=True)
            expected = yaml.safe_load((content / f"{plan_id}.yml").read_text("utf-8"))
            drafted = yaml.safe_load(result.yml.read_text("utf-8"))
            rep = compare(expected, drafted, source.read_text("utf-8"))
            rep.plan = plan_id
            rep.marks = len(result.marks)
            rep.nowhere = len(result.nowhere)
            own = [e for e in result.check_errors if f"/{plan_id}." in e]
            rep.check_ok = not own
            reports.append(rep)
    return reports


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def table(reports: list[PlanReport]) -> str:
    total = {c: Score() for c in CATEGORIES}
    for r in reports:
        for c in CATEGORIES:
            total[c].add(r.scores[c])
    out = [
        "| Mục | Mục tiêu (recall) | "
        + " | ".join(r.plan.rsplit("/", 1)[0] for r in reports)
        + " | Tổng (recall / precision) |",
        "|---|---|" + "---|" * len(reports) + "---|",
    ]
    for c in CATEGORIES:
        cells = []
        for r in reports:
            s = r.scores[c]
            cells.append(f"{s.matched}/{s.expected} · {_pct(s.precision)}" if s.expected or s.drafted else "—")
        t = total[c]
        goal = GOALS.get(c)
        ok = "" if goal is None or t.recall is None else (" ✓" if t.recall >= goal else " ✗")
        out.append(
            f"| {c} | {_pct(goal) if goal else '—'} | "
            + " | ".join(cells)
            + f" | {_pct(t.recall)} / {_pct(t.precision)}{ok} |"
        )
    out.append("")
    out.append(
        "Mỗi ô: số mục khớp / số mục trong bản chép tay · precision (tỷ lệ mục của bản nháp có trong bản chép tay)."
    )
    out.append("")
    out.append("| Trường đầu văn bản | " + " | ".join(r.plan.rsplit("/", 1)[0] for r in reports) + " |")
    out.append("|---|" + "---|" * len(reports))
    for name in HEADER:
        cells = []
        for r in reports:
            present, exact = r.header[name]
            cells.append(
                ("đúng" if exact else "SAI")
                if present
                else ("(không có trong nguồn; " + ("khớp" if exact else "khác") + ")")
            )
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("| Kế hoạch | chỗ XEM LẠI | dòng không đi đâu | bản nháp qua make check |")
    out.append("|---|---|---|---|")
    for r in reports:
        out.append(f"| {r.plan} | {r.marks} | {r.nowhere} | {'có' if r.check_ok else 'KHÔNG'} |")
    return "\n".join(out)


def main(content: Path, write: Path | None = None) -> int:
    reports = run(content)
    text = table(reports)
    print(text)
    if write is not None:
        _record(write, text)
        print(f"\nĐã ghi số đo vào {write}")
    return 0


def _record(path: Path, text: str) -> None:
    start, end = "<!-- import-report:start -->", "<!-- import-report:end -->"
    body = path.read_text("utf-8") if path.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in body and end in body:
        body = body[: body.index(start)] + block + body[body.index(end) + len(end) :]
    else:
        body = body.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(body, "utf-8")

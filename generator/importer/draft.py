"""Writes the draft: `<year>-<slug>.yml` with `# XEM LẠI` marks, `.md`, `.nguon.txt`, the original file; reports."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from generator.content import schema

from . import tables as tb
from .assemble import Assembler
from .extract import ImportProblem, extract
from .fields import Inferred, plain
from .text import Lexicon, _noise, clean

MARK = "XEM LẠI"


@dataclass
class Mark:
    line: int
    path: str
    why: str


@dataclass
class ImportResult:
    yml: Path
    md: Path
    source: Path
    original: Path | None
    plan: dict  # the plan as written, without marks
    marks: list[Mark]
    dropped: dict[int, str]  # source line → why it was dropped
    nowhere: list[int]  # source lines with text that went nowhere (should be none)
    partial: dict[int, list[str]]  # source line → its words missing from the draft
    placed_fields: int = 0
    placed_narrative: int = 0
    check_errors: list[str] = field(default_factory=list)
    display: str = ""

    def report(self) -> str:
        out = [
            f"Đã tạo bản nháp {self.display}.yml (và .md, .nguon.txt"
            + (f", {self.original.name}" if self.original else "")
            + ")."
        ]
        own = [e for e in self.check_errors if e.startswith(self.display + ".")]
        others = [e for e in self.check_errors if e not in own]
        if own:
            out.append("\nBẢN NHÁP CHƯA QUA `make check` — cần sửa:")
            out += ["  " + e for e in own]
        else:
            out.append("Bản nháp qua được `make check`.")
        if others:
            out.append(
                f"(Có {len(others)} lỗi ở các tệp khác trong content/, không do bản nháp này; chạy `make "
                "check` để xem.)"
            )
        out.append(f"\nGiá trị do máy suy ra, cần xem lại ({len(self.marks)} chỗ, đánh dấu «# {MARK}» trong tệp YAML):")
        out += [f"  {self.display}.yml:{m.line}: {m.path}: {m.why}" for m in self.marks]
        total = self.placed_fields + self.placed_narrative + len(self.dropped) + len(self.nowhere)
        out.append(
            f"\nĐộ phủ: {total} dòng có chữ trong văn bản nguồn; {self.placed_fields} dòng vào các trường có cấu trúc, "
            f"{self.placed_narrative} dòng vào phần lời văn (.md), {len(self.dropped)} dòng bỏ đi, "
            f"{len(self.nowhere)} dòng không đi đâu."
        )
        if self.dropped:
            out.append("Dòng bỏ đi (nhiễu trích xuất):")
            by_reason: dict[str, list[int]] = {}
            for n, why in sorted(self.dropped.items()):
                by_reason.setdefault(why, []).append(n)
            out += [f"  {why}: dòng {_ranges(ns)}" for why, ns in by_reason.items()]
        if self.nowhere:
            out.append("Dòng không đi đâu (hãy chép tay vào bản nháp): " + _ranges(self.nowhere))
        else:
            out.append("Không dòng nào bị bỏ sót.")
        if self.partial:
            out.append("Dòng có chữ không thấy trong bản nháp (kiểm tra):")
            out += [f"  dòng {n}: {', '.join(ws[:8])}" for n, ws in sorted(self.partial.items())]
        out.append(
            "\nBước tiếp: mở tệp YAML, xem từng dòng «# XEM LẠI», sửa nếu cần rồi xóa dòng đánh dấu; "
            "chạy `make check`, xem trước bằng `make serve`."
        )
        return "\n".join(out)


def _ranges(ns: list[int]) -> str:
    ns = sorted(ns)
    parts = []
    i = 0
    while i < len(ns):
        j = i
        while j + 1 < len(ns) and ns[j + 1] == ns[j] + 1:
            j += 1
        parts.append(str(ns[i]) if i == j else f"{ns[i]}–{ns[j]}")
        i = j + 1
    return ", ".join(parts)


# --------------------------------------------------------------------------- import


def corpus_texts(content: Path, exclude: set[Path] = frozenset()) -> list[str]:
    """Published text (plans and narratives, not the extracted sources) to learn Vietnamese word use from."""
    texts = []
    for path in sorted(content.rglob("*")):
        if (
            path.suffix in (".yml", ".md")
            and path.is_file()
            and path.with_suffix("") not in exclude
            and not path.name.endswith(".nguon.txt")
        ):
            try:
                texts.append(path.read_text("utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


def import_file(
    source: Path, content: Path, unit: str, slug: str | None = None, *, run_check: bool = True, overwrite: bool = False
) -> ImportResult:
    unit = unit.strip("/")
    unit_dir = content / unit
    unit_file = unit_dir / "unit.yml"
    if not unit_file.is_file():
        raise ImportProblem(
            f"không có đơn vị «{unit}» (thiếu {unit_file}); tạo đơn vị trước bằng "
            f'`make new-unit PATH={unit} NAME="…" LEVEL=…`'
        )
    if slug is not None and not re.fullmatch(r"\d{4}-[a-z0-9-]+", slug):
        raise ImportProblem(f"SLUG «{slug}» phải có dạng <năm>-<tên>, chữ thường không dấu, ví dụ 2025-chuyen-doi-so")
    unit_data = yaml.safe_load(unit_file.read_text("utf-8")) or {}
    got = extract(source)
    lex = Lexicon.build(corpus_texts(content), got.text)
    ct = clean(got.text, lex, got.page_starts)
    regions = tb.find_regions(ct)
    table_lines = set().union(*(r.all_lines for r in regions)) if regions else set()
    ct.dropped = _noise(ct.lines, got.page_starts, table_lines)
    asm = Assembler(ct, regions, str(unit_data.get("name", unit)), str(unit_data.get("level", ""))).run()
    plan = asm.plan
    period = plain(plan["period"])
    stem = slug or f"{period['start']}-{_slug(plain(plan['title']))}"
    yml = unit_dir / f"{stem}.yml"
    for existing in (yml, yml.with_suffix(".md"), unit_dir / f"{stem}.nguon.txt"):
        if existing.exists() and not overwrite:
            raise ImportProblem(f"{existing} đã có; chọn tên khác với SLUG=<năm>-<tên>")
    source_name = f"{stem}.nguon.txt"
    original_name = f"{stem}{got.suffix}" if got.original is not None else None
    description = f"Văn bản trích xuất từ «{source.name}» bằng `make import`."
    plan["source_document"] = {
        "file": source_name,
        "sha256": hashlib.sha256(got.raw).hexdigest(),
        "description": description,
    }
    if got.original is not None:  # the PDF or DOCX itself, kept beside the plan and checked like the source text
        plan["source_document"]["original"] = {
            "file": original_name,
            "sha256": hashlib.sha256(got.original).hexdigest(),
        }
    repairs = _repairs(ct)
    if repairs:
        plan["text_repairs"] = repairs
    ordered = {k: plan[k] for k in schema.Plan.model_fields if k in plan and plan[k] not in (None, [], {})}
    narrative = _narrative(asm.narrative)
    # Cleaned output that the schema must accept as it is (else the importer has a bug, said plainly).
    from pydantic import ValidationError

    try:
        schema.Plan.model_validate(_strip_private(plain(ordered)))
    except ValidationError as exc:
        raise ImportProblem(
            f"{source}: bản nháp không hợp lệ với lược đồ (lỗi của bộ nhập, hãy báo nhóm phát triển): {exc}"
        ) from None
    depth = len(yml.relative_to(content).parts)
    text, marks = emit(
        ordered,
        header=[
            f"# yaml-language-server: $schema={'../' * depth}schema/plan.schema.json",
            f"# Bản nháp do `make import` tạo từ «{source.name}». Các dòng «# {MARK}: …» đánh dấu giá trị do "
            "máy suy ra:",
            "# kiểm tra với văn bản gốc, sửa nếu cần, rồi xóa dòng đánh dấu. Kiểm tra: make check",
        ],
    )
    unit_dir.mkdir(parents=True, exist_ok=True)
    (unit_dir / source_name).write_bytes(got.raw)
    if got.original is not None:
        (unit_dir / original_name).write_bytes(got.original)
    yml.write_text(text, "utf-8")
    yml.with_suffix(".md").write_text(narrative, "utf-8")
    result = _coverage(ct, asm, text + "\n" + narrative)
    result.yml, result.md, result.source = yml, yml.with_suffix(".md"), unit_dir / source_name
    result.original = unit_dir / original_name if original_name else None
    result.plan = _strip_private(plain(ordered))
    result.marks = marks
    result.display = f"{content.name}/{unit}/{stem}"
    if run_check:
        result.check_errors = _check(content)
    return result


def _check(content: Path) -> list[str]:
    from generator.build.pipeline import check
    from generator.errors import ContentErrors

    try:
        check(content)
    except ContentErrors as exc:
        return [str(e) for e in exc.errors]
    return []


def _slug(title: str) -> str:
    from generator.content.document_numbers import ascii_slug

    words = [
        w for w in re.sub(r"^(?:Kế hoạch|Chương trình hành động|Chương trình|Đề án|Quyết định)\s+", "", title).split()
    ]
    keep = [w for w in words if not re.fullmatch(r"\d+|năm|và|của|trong|trên|các|về|việc|thực|hiện", w.lower())][:6]
    return ascii_slug(" ".join(keep), 50) or "ke-hoach"


def _strip_private(v):
    if isinstance(v, dict):
        return {k: _strip_private(x) for k, x in v.items() if not k.startswith("_")}
    if isinstance(v, list):
        return [_strip_private(x) for x in v]
    return v


def _repairs(ct) -> list:
    out = []
    for r in ct.repairs:
        lines = sorted(set(r.lines))
        note = f"{r.note} Dòng {_ranges(lines)}" + (f" ({len(r.lines)} lần)." if len(r.lines) > 1 else ".")
        entry = {"found": r.found, "repaired": r.repaired, "note": note}
        out.append(Inferred(entry, "sửa do máy đề xuất: đối chiếu với văn bản gốc") if "dấu chồng" in r.note else entry)
    joins: dict[str, list[int]] = {}
    for n, what in sorted(ct.joins.items()):
        joins.setdefault(what, []).append(n)
    for what, ns in joins.items():
        tail, head = what.split("⏎")
        out.append(
            {
                "found": f"{tail}\n{head}",
                "repaired": f"{tail}{head}",
                "note": f"Số hiệu văn bản bị ngắt dòng sau dấu gạch nối; nối lại. Dòng {_ranges(ns)}.",
            }
        )
    urls = [n for n, why in ct.dropped.items() if why.startswith("địa chỉ liên kết")]
    for n in urls:
        out.append(
            {
                "found": ct.lines[n - 1].strip(),
                "repaired": "(bỏ)",
                "note": f"Địa chỉ liên kết (ghi chú siêu liên kết của PDF) chen giữa câu khi trích xuất; dòng {n}.",
            }
        )
    return out


def _narrative(sections: list[tuple[str, list[str]]]) -> str:
    out = []
    for heading, blocks in sections:
        blocks = [b for b in blocks if b.strip()]
        if not blocks:
            continue
        out.append(f"## {heading}\n")
        for b in blocks:
            out.append(b + "\n")
    return "\n".join(out) if out else "## Ghi chú\n\nVăn bản không có phần lời văn nào ngoài các trường có cấu trúc.\n"


def _coverage(ct, asm, written: str) -> ImportResult:
    placed_f = placed_n = 0
    nowhere = []
    partial: dict[int, list[str]] = {}
    norm = unicodedata.normalize("NFC", written).lower()
    words_out = set(re.findall(r"[^\W\d_]{2,}", norm))
    for n, line in enumerate(ct.lines, 1):
        if not line.strip():
            continue
        if n in ct.dropped:
            continue
        if n in asm.used:
            placed_f += 1
        elif n in asm.md:
            placed_n += 1
        else:
            nowhere.append(n)
            continue
        missing = [w for w in re.findall(r"[^\W\d_]{2,}", line.lower()) if w not in words_out]
        if missing:
            partial[n] = missing
    return ImportResult(Path(), Path(), Path(), None, {}, [], dict(ct.dropped), nowhere, partial, placed_f, placed_n)


# --------------------------------------------------------------------------- YAML with review marks


def emit(data: dict, header: list[str]) -> tuple[str, list[Mark]]:
    lines: list[str] = list(header)
    marks: list[Mark] = []

    def mark(pad: str, path: str, why: str) -> None:
        lines.append(f"{pad}# {MARK}: {why}")
        marks.append(Mark(len(lines) + 1, path, why))

    def mapping(d: dict, pad: str, path: str, first_prefix: str | None = None) -> None:
        first = True
        if isinstance(d.get("_review"), str):
            mark(pad if first_prefix is None else pad, path, d["_review"])
        for key, value in d.items():
            if key.startswith("_"):
                continue
            prefix = first_prefix if (first and first_prefix is not None) else pad
            first = False
            here = f"{path}.{key}" if path else key
            why = None
            if isinstance(value, Inferred):
                value, why = value.value, value.why
            if value is None or value == [] or value == {}:
                continue
            if why:
                mark(pad, here, why)
            if isinstance(value, dict):
                if _flow_ok(value):
                    lines.append(f"{prefix}{key}: {{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}")
                else:
                    lines.append(f"{prefix}{key}:")
                    mapping(value, pad + "  ", here)
            elif isinstance(value, list):
                lines.append(f"{prefix}{key}:")
                sequence(value, pad + "  ", here)
            else:
                lines.append(f"{prefix}{key}: {_scalar(value, pad + '  ')}")

    def sequence(items: list, pad: str, path: str) -> None:
        for i, item in enumerate(items):
            here = f"{path}[{i + 1}]"
            if isinstance(item, Inferred):
                mark(pad, here, item.why)
                item = item.value
            if isinstance(item, dict):
                mapping(item, pad + "  ", here, first_prefix=pad + "- ")
            else:
                lines.append(f"{pad}- {_scalar(item, pad + '  ')}")

    mapping(data, "", "")
    return "\n".join(lines) + "\n", marks


def _flow_ok(d: dict) -> bool:
    return all(not isinstance(v, (dict, list, Inferred)) for v in d.values()) and all(
        isinstance(v, (int, Decimal)) or (isinstance(v, str) and re.fullmatch(r"[\w.,/ -]+", v) and len(v) < 40)
        for v in d.values()
    )


def _flow(v) -> str:
    return _scalar(v) if isinstance(v, (int, Decimal)) else json.dumps(str(v), ensure_ascii=False)


def _scalar(v, pad: str = "") -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        s = format(v, "f")
        return s
    s = str(v)
    if "\n" in s:
        return "|-\n" + "\n".join(pad + line if line else "" for line in s.split("\n"))
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|\d{4}", s):
        return f'"{s}"'
    dumped = yaml.safe_dump(s, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.rstrip("\n").removesuffix("\n...").removesuffix("...").rstrip("\n")

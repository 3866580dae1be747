"""History: when each plan was published and changed, read from Git.

A published plan is never silently rewritten: every commit that changed a plan's content (its YAML, the
Markdown beside it, or its results file `<plan>.ket-qua.yml`; the source document's SHA-256 is in the YAML) is
listed on its "Lịch sử thay đổi" page with a summary of the fields and results changed and a readable diff. Outside
a Git checkout (or for files not yet committed) the history is empty and pages say so.

A correction is a change that alters what was already published: any later change of the plan's YAML or Markdown,
or of a result or source already in its results file; a change that only adds results is news, not a correction.

What is published of a commit is its date, its short id and its editorial reason only: the `Lý do:` trailer of
its message (a line `Lý do: …` in the message's last paragraph, as `git interpret-trailers` writes them), or
NEUTRAL_REASON; never the subject or the body, which are written for developers. A commit that leaves the plan's
files as they were does not appear.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

VN_TZ = dt.timezone(dt.timedelta(hours=7))


NEUTRAL_REASON = "Cập nhật nội dung"
# A plan's files, as a change names them: its YAML, the Markdown beside it, its results file.
PLAN_FILE, TEXT_FILE, RESULTS_FILE = "yml", "md", "results"
REASON_KEY = "lý do"
# The fields a change's summary names at most (a rewrite of the whole file is read in its diff).
MAX_SUMMARY = 20
MAX_VALUE = 80  # characters of a value shown in the summary


@dataclass(frozen=True)
class Change:
    commit: str
    date: dt.date
    reason: str  # the editorial reason (`Lý do:` trailer) or NEUTRAL_REASON
    diff: str  # unified diff of the plan's YAML (and Markdown) against the previous version; "" for the first
    summary: tuple[str, ...] = ()  # the fields changed, in Vietnamese: «Chỉ tiêu 1: giá trị 80% → 90%»
    files: frozenset[str] = frozenset()  # the plan's files it changed: PLAN_FILE, TEXT_FILE, RESULTS_FILE
    amends: bool = False  # it altered what was published before it (not only added results): a correction

    @property
    def editorial(self) -> bool:
        """Whether an editor gave the reason (a `Lý do:` trailer)."""
        return self.reason != NEUTRAL_REASON

    @property
    def results_only(self) -> bool:
        """It changed the plan's results file only."""
        return self.files == {RESULTS_FILE}


@dataclass
class PlanHistory:
    changes: list[Change] = field(default_factory=list)  # oldest first
    uncommitted: bool = False

    @property
    def published(self) -> dt.date | None:
        return self.changes[0].date if self.changes else None

    @property
    def last_changed(self) -> dt.date | None:
        return self.changes[-1].date if self.changes else None

    @property
    def corrections(self) -> list[tuple[int, Change]]:
        """(its number on the history page, counted from 1, the change) of each change after the first publication
        that altered what was published."""
        return [(n, c) for n, c in enumerate(self.changes, 1) if n > 1 and c.amends]


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout


def last_change(content_dir: Path) -> dt.date | None:
    """The day (Vietnam time) of the last commit that changed the content folder: the default as-of date of
    targets' statuses (model/results). None outside a Git repository or before the content's first commit."""
    out = _git(content_dir, "log", "-1", "--format=%ct", "--", ".")
    if not out or not out.strip():
        return None
    return dt.datetime.fromtimestamp(int(out.strip()), VN_TZ).date()


def collect(content_dir: Path, plan_files: dict[str, Path]) -> dict[str, PlanHistory]:
    """History of each plan's files (its YAML, the Markdown beside it and its results file), by plan id, in one
    `git log` over the content folder and one `git cat-file --batch` for the versions and the messages."""
    from generator.content.load import RESULTS_SUFFIX

    histories = {pid: PlanHistory() for pid in plan_files}
    top = _git(content_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return histories
    root = Path(top.decode().strip())
    base = content_dir.resolve()  # once: resolving each plan's path took a tenth of a second at 2,100 plans
    files: dict[str, tuple[str, str]] = {}  # repository path → (plan id, PLAN_FILE | TEXT_FILE | RESULTS_FILE)
    for pid, path in plan_files.items():
        resolved = base / path.relative_to(content_dir) if path.is_relative_to(content_dir) else path.resolve()
        if resolved.is_relative_to(root):
            yml = resolved.relative_to(root).as_posix()
            stem = yml[: -len(path.suffix)]
            files[yml] = (pid, PLAN_FILE)
            files[stem + ".md"] = (pid, TEXT_FILE)
            files[stem + RESULTS_SUFFIX] = (pid, RESULTS_FILE)
    log = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--reverse",
        "--format=\x1e%H\x1f%ct",
        "--name-only",
        "--no-renames",
        "--",
        content_dir.resolve().relative_to(root).as_posix(),
    )
    if log is None:
        return histories
    commits: dict[str, int] = {}
    touched: dict[str, list[tuple[str, list[str]]]] = {}  # plan id → [(commit, its files the commit named)]
    for record in log.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, timestamp = head.split("\x1f", 1)
        commits[commit] = int(timestamp)
        named: dict[str, list[str]] = {}
        for name in names.splitlines():
            if name in files:
                named.setdefault(files[name][0], []).append(name)
        for pid, paths in named.items():
            touched.setdefault(pid, []).append((commit, paths))
    wanted = [f"{c}:{path}" for vs in touched.values() for c, paths in vs for path in paths]
    objects = _read_objects(root, wanted + list({c for vs in touched.values() for c, _ in vs}))
    for pid, vs in touched.items():
        current: dict[str, bytes] = {}  # each of the plan's files as the last change left it
        changes = []
        for commit, paths in vs:
            now = dict(current)
            for path in paths:
                blob = objects.get(f"{commit}:{path}")
                if blob is None:
                    now.pop(path, None)
                else:
                    now[path] = blob
            if now == current:  # the plan's files as they were: not a change of the plan
                continue
            kinds = frozenset(files[p][1] for p in current.keys() | now.keys() if current.get(p) != now.get(p))
            diff, summary, amends = "", (), False
            if changes:
                diff = _diff(current, now, files)
                before, after = (_blob(current, files, PLAN_FILE), _blob(now, files, PLAN_FILE))
                found, amended = _results_summary(
                    _blob(current, files, RESULTS_FILE), _blob(now, files, RESULTS_FILE), after
                )
                summary = _capped(_summary(before, after) + found)
                amends = bool(kinds - {RESULTS_FILE}) or amended
            date = dt.datetime.fromtimestamp(commits[commit], VN_TZ).date()
            message = _message(objects.get(commit, b""))
            changes.append(Change(commit[:10], date, reason(message), diff, summary, kinds, amends))
            current = now
        histories[pid].changes = changes
    status = _git(root, "-c", "core.quotePath=false", "status", "--porcelain", "--", *files) or b""
    for line in status.decode("utf-8", "replace").splitlines():
        name = line[3:].strip().strip('"')
        if name in files:
            histories[files[name][0]].uncommitted = True
    return histories


def reason(message: str) -> str:
    """The editorial reason of a commit: its `Lý do:` trailers' values (a value going on over indented lines,
    joined), or NEUTRAL_REASON. Trailers are lines of the message's last paragraph, never of its subject."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", unicodedata.normalize("NFC", message).strip()) if p.strip()]
    if len(paragraphs) < 2:
        return NEUTRAL_REASON
    found: list[str] = []
    inside = False  # in a `Lý do:` trailer, which indented lines go on
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(":")
        if inside and line[:1] in (" ", "\t"):
            found[-1] += " " + line.strip()
        elif sep and line[:1] not in (" ", "\t") and key.strip().casefold() == REASON_KEY:
            found.append(value.strip())
            inside = True
        else:
            inside = False
    return " ".join(" ".join(found).split()) or NEUTRAL_REASON


def _message(commit_object: bytes) -> str:
    """The message of a commit object (after its headers)."""
    _, _, message = commit_object.partition(b"\n\n")
    return message.decode("utf-8", "replace")


def _blob(files_now: dict[str, bytes], files: dict[str, tuple[str, str]], kind: str) -> bytes | None:
    return next((blob for path, blob in files_now.items() if files[path][1] == kind), None)


_DIFF_ORDER = (PLAN_FILE, TEXT_FILE, RESULTS_FILE)
_DIFF_LABELS = {PLAN_FILE: "", TEXT_FILE: "lời văn", RESULTS_FILE: "kết quả"}


def _diff(before: dict[str, bytes], after: dict[str, bytes], files: dict[str, tuple[str, str]]) -> str:
    """Unified diff of each of the plan's files that changed: the YAML, then the Markdown, then the results."""
    out = []
    for path in sorted(before.keys() | after.keys(), key=lambda p: (_DIFF_ORDER.index(files[p][1]), p)):
        a = before.get(path, b"").decode("utf-8", "replace")
        b = after.get(path, b"").decode("utf-8", "replace")
        label = _DIFF_LABELS[files[path][1]]
        names = (f"{label} (trước)", f"{label} (sau)") if label else ("trước", "sau")
        out += difflib.unified_diff(a.splitlines(True), b.splitlines(True), *names, n=2)
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _summary(before: bytes | None, after: bytes | None) -> tuple[str, ...]:
    """The scalar fields of the plan's YAML that changed, were added or removed, named in Vietnamese."""
    old, new = _scalars(before), _scalars(after)
    if old is None or new is None:
        return ()
    lines = []
    for loc in sorted(old.keys() | new.keys(), key=_order):
        a, b = old.get(loc, _ABSENT), new.get(loc, _ABSENT)
        if a == b:
            continue
        if len(lines) > MAX_SUMMARY:  # _capped says how it goes on
            break
        unit = new.get((*loc[:-1], "unit")) if loc[-1] == "value" else None
        name = _field(loc)
        if a is _ABSENT:
            lines.append(f"{name}: thêm «{_shown(b, unit)}»")
        elif b is _ABSENT:
            lines.append(f"{name}: bỏ «{_shown(a, unit)}»")
        else:
            lines.append(f"{name}: {_shown(a, unit)} → {_shown(b, unit)}")
    return tuple(lines)


_ABSENT = object()
MORE = "và các thay đổi khác (xem bản so sánh dưới đây)"


def _capped(lines: tuple[str, ...]) -> tuple[str, ...]:
    return lines if len(lines) <= MAX_SUMMARY else (*lines[:MAX_SUMMARY], MORE)


_RESULT_STATUS = {"dat": "đạt", "chua-dat": "chưa đạt", "dat-mot-phan": "đạt một phần"}


def _results_summary(before: bytes | None, after: bytes | None, plan: bytes | None) -> tuple[tuple[str, ...], bool]:
    """The results and sources a change of the results file added, changed or removed, in Vietnamese («Kết quả chỉ
    tiêu 3: 95% (tính đến 31/12/2025)»), and whether it altered one already there (a correction). A result is
    known by its target, date and source; a source by its id."""
    if before == after:
        return (), False
    old, new = _data(before) or {}, _data(after) or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return (), before is not None
    units = {}  # target number → the plan's unit for it, for values the result gives without one
    plan_data = _data(plan)
    targets = plan_data.get("targets") if isinstance(plan_data, dict) else None
    for n, target in enumerate(targets if isinstance(targets, list) else [], 1):
        if isinstance(target, dict):
            units[n] = target.get("unit")
    lines: list[str] = []
    amended = False
    old_results, new_results = _keyed(old.get("results"), _result_key), _keyed(new.get("results"), _result_key)
    for key in sorted(old_results.keys() | new_results.keys(), key=lambda k: tuple(map(str, k))):
        a, b = old_results.get(key), new_results.get(key)
        if a == b:
            continue
        name = f"Kết quả chỉ tiêu {key[0]}"
        when = f" (tính đến {key[1]})" if key[1] else ""
        if a is None:
            lines.append(f"{name}: {_result_words(b, units)}{when}")
            continue
        amended = True
        if b is None:
            lines.append(f"{name}{when}: bỏ «{_result_words(a, units)}»")
        else:
            lines.append(f"{name}{when}: {_result_words(a, units)} → {_result_words(b, units)}")
    old_sources, new_sources = _keyed(old.get("sources"), _source_key), _keyed(new.get("sources"), _source_key)
    for key in sorted(old_sources.keys() | new_sources.keys(), key=str):
        a, b = old_sources.get(key), new_sources.get(key)
        if a == b:
            continue
        title = _shown((b or a).get("title") or key)
        if a is None:
            lines.append(f"Nguồn kết quả: thêm «{title}»")
            continue
        amended = True
        lines.append(f"Nguồn kết quả: bỏ «{title}»" if b is None else f"Nguồn kết quả «{title}»: sửa")
    return tuple(lines), amended


def _keyed(items: object, key) -> dict:
    """The mappings of a list by their key; the last of two with one key wins (the validator refuses those)."""
    return {key(item): item for item in items if isinstance(item, dict)} if isinstance(items, list) else {}


def _result_key(result: dict) -> tuple:
    return (
        result.get("target"),
        _shown(result.get("date")) if result.get("date") is not None else "",
        result.get("source"),
    )


def _source_key(source: dict) -> object:
    return source.get("id")


def _result_words(result: dict, units: dict) -> str:
    """What a result says, short: its value with its unit, else its status, the parts met or its statement."""
    if result.get("value") is not None:
        return _shown(result["value"], result.get("unit") or units.get(result.get("target")))
    if result.get("parts_met"):
        return "đạt " + _shown(", ".join(map(str, result["parts_met"])))
    if result.get("status") is not None:
        return _RESULT_STATUS.get(str(result["status"]), _shown(result["status"]))
    return f"«{_shown(result.get('statement'))}»"


def _order(loc: tuple) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in loc)


def _data(raw: bytes | None) -> object:
    """The data of a YAML version; None when there is none or it cannot be read (the diff still shows it)."""
    if raw is None:
        return None
    from generator.content import load

    try:
        doc = load.read_yaml_bytes(raw, "plan.yml")
    except Exception:  # a version in the history that was never valid: no summary, the diff shows it
        return None
    return doc.data if doc is not None else None


def _scalars(raw: bytes | None) -> dict[tuple, object] | None:
    """Every scalar of a YAML version by its path; None when it cannot be read (the diff still shows it)."""
    data = _data(raw)
    if data is None:
        return None
    found: dict[tuple, object] = {}

    def walk(value: object, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, str(key)))
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, (*loc, n))
        else:
            found[loc] = value

    walk(data, ())
    return found


def _field(loc: tuple) -> str:
    """«Chỉ tiêu 1: giá trị»: the field's path in the schema's titles, its first step as a clerk counts it."""
    from generator.content import fieldnames, schema

    words = fieldnames.reading(schema.Plan, loc).split(fieldnames.SEPARATOR)
    first = re.sub(r" thứ (\d+)", r" \1", words[0])
    first = first[:1].upper() + first[1:]
    return first + (": " + fieldnames.SEPARATOR.join(words[1:]) if len(words) > 1 else "")


def _shown(value: object, unit: object = None) -> str:
    if value is None:
        text = "trống"
    elif isinstance(value, bool):
        text = "có" if value else "không"
    else:
        text = " ".join(str(value).split())
        if unit:
            text += str(unit) if str(unit) == "%" else f" {unit}"
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _read_objects(root: Path, names: list[str]) -> dict[str, bytes]:
    """The objects named (`commit:path`, `commit`) in one `git cat-file --batch` call; those missing left out."""
    if not names:
        return {}
    out = _git(root, "cat-file", "--batch", data="".join(f"{name}\n" for name in names).encode()) or b""
    objects, pos = {}, 0
    for name in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3:
            size = int(header[2])
            objects[name] = out[pos : pos + size]
            pos += size + 1
    return objects

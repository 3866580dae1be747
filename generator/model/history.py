"""History: when each plan was published and changed, read from Git.

A published plan is never silently rewritten: every commit that changed a plan's content (its YAML, or the
Markdown beside it; the source document's SHA-256 is in the YAML) is listed on its "Lịch sử thay đổi" page with a
summary of the fields changed and a readable diff. Outside a Git checkout (or for files not yet committed) the
history is empty and pages say so.

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

    @property
    def editorial(self) -> bool:
        """Whether an editor gave the reason (a `Lý do:` trailer)."""
        return self.reason != NEUTRAL_REASON


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
    """History of each plan's files (its YAML and the Markdown beside it), by plan id, in one `git log` over the
    content folder and one `git cat-file --batch` for the versions and the messages."""
    histories = {pid: PlanHistory() for pid in plan_files}
    top = _git(content_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return histories
    root = Path(top.decode().strip())
    files: dict[str, tuple[str, str]] = {}  # repository path → (plan id, "yml" | "md")
    for pid, path in plan_files.items():
        if path.resolve().is_relative_to(root):
            yml = path.resolve().relative_to(root).as_posix()
            files[yml] = (pid, "yml")
            files[yml[: -len(path.suffix)] + ".md"] = (pid, "md")
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
            diff = "" if not changes else _diff(current, now)
            summary = () if not changes else _summary(_yml(current, files), _yml(now, files))
            date = dt.datetime.fromtimestamp(commits[commit], VN_TZ).date()
            changes.append(Change(commit[:10], date, reason(_message(objects.get(commit, b""))), diff, summary))
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


def _yml(files_now: dict[str, bytes], files: dict[str, tuple[str, str]]) -> bytes | None:
    return next((blob for path, blob in files_now.items() if files[path][1] == "yml"), None)


def _diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    """Unified diff of each of the plan's files that changed, the YAML first."""
    out = []
    for path in sorted(before.keys() | after.keys(), key=lambda p: (not p.endswith(".yml"), p)):
        a = before.get(path, b"").decode("utf-8", "replace")
        b = after.get(path, b"").decode("utf-8", "replace")
        label = "lời văn" if path.endswith(".md") else ""
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
        if len(lines) == MAX_SUMMARY:
            lines.append("và các thay đổi khác (xem bản so sánh dưới đây)")
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


def _order(loc: tuple) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in loc)


def _scalars(raw: bytes | None) -> dict[tuple, object] | None:
    """Every scalar of a YAML version by its path; None when it cannot be read (the diff still shows it)."""
    if raw is None:
        return None
    from generator.content import load

    try:
        doc = load.read_yaml_bytes(raw, "plan.yml")
    except Exception:  # a version in the history that was never valid: no summary, the diff shows it
        return None
    if doc is None:
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

    walk(doc.data, ())
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

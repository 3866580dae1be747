"""History: when each plan was published and changed, read from Git.

A published plan is never silently rewritten: every commit that touched a
plan's data is listed on its "Lịch sử thay đổi" page with a readable diff.
Outside a Git checkout (or for files not yet committed) the history is empty
and pages say so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

VN_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Change:
    commit: str
    date: dt.date
    message: str
    diff: str  # unified diff of the plan's YAML against the previous version; "" for the first version


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


def collect(content_dir: Path, plan_files: dict[str, Path]) -> dict[str, PlanHistory]:
    """History of each plan's YAML file, by plan id, in one `git log` over the content folder."""
    histories = {pid: PlanHistory() for pid in plan_files}
    top = _git(content_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return histories
    root = Path(top.decode().strip())
    by_path = {
        path.resolve().relative_to(root).as_posix(): pid
        for pid, path in plan_files.items()
        if path.resolve().is_relative_to(root)
    }
    log = _git(
        root,
        "log",
        "--reverse",
        "--format=\x1e%H\x1f%ct\x1f%s",
        "--name-only",
        "--no-renames",
        "--",
        content_dir.resolve().relative_to(root).as_posix(),
    )
    if log is None:
        return histories
    versions: dict[str, list[tuple[str, int, str]]] = {}
    for record in log.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, timestamp, message = head.split("\x1f", 2)
        for name in names.split():
            if name in by_path:
                versions.setdefault(name, []).append((commit, int(timestamp), message))
    blobs = _read_blobs(root, [(c, p) for p, vs in versions.items() for c, _, _ in vs])
    for path, vs in versions.items():
        previous = ""
        changes = []
        for commit, timestamp, message in vs:
            text = blobs.get((commit, path), "")
            diff = (
                ""
                if not changes
                else "".join(
                    difflib.unified_diff(previous.splitlines(True), text.splitlines(True), "trước", "sau", n=2)
                )
            )
            if changes and not diff:
                continue
            date = dt.datetime.fromtimestamp(timestamp, VN_TZ).date()
            changes.append(Change(commit[:10], date, message, diff))
            previous = text
        history = histories[by_path[path]]
        history.changes = changes
    status = _git(root, "status", "--porcelain", "--", *by_path) or b""
    for line in status.decode("utf-8", "replace").splitlines():
        name = line[3:].strip().strip('"')
        if name in by_path:
            histories[by_path[name]].uncommitted = True
    return histories


def _read_blobs(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Every (commit, path) version in one `git cat-file --batch` call."""
    if not wanted:
        return {}
    request = "".join(f"{commit}:{path}\n" for commit, path in wanted).encode()
    out = _git(root, "cat-file", "--batch", data=request) or b""
    blobs, pos = {}, 0
    for key in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3:
            size = int(header[2])
            blobs[key] = out[pos : pos + size].decode("utf-8", "replace")
            pos += size + 1
    return blobs

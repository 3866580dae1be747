"""The project's own errors: what an editor sees instead of a traceback (a full disk included); the build's fault
hook."""

from __future__ import annotations

import errno
import functools
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    column: int
    field: str  # the YAML path, «targets[1].value»: editors' tools and tests rely on it
    message: str
    reading: str = ""  # the path in words, «chỉ tiêu thứ 2 › giá trị» (generator/fieldnames.py)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if not self.field:
            return f"{where}: {self.message}"
        field = f"{self.field} ({self.reading})" if self.reading and self.reading != self.field else self.field
        return f"{where}: {field}: {self.message}"


class ContentErrors(Exception):
    """Raised with every error of a run, never only the first."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(map(str, self.errors)))

    def report(self) -> str:
        n = len(self.errors)
        return "\n".join(map(str, self.errors)) + f"\n\n{n} lỗi trong nội dung; chưa xây dựng trang (site/ giữ nguyên)."


def display_path(path: Path, root: Path) -> str:
    """`path` as errors name it: from the content folder's name ("content/ha-tinh/unit.yml")."""
    try:
        inside = path.relative_to(root)  # a file found under the root: no resolving (thousands per build)
    except ValueError:
        try:
            return str(path.resolve().relative_to(root.resolve().parent))
        except ValueError:
            return str(path)
    return str(Path(_resolved_name(root.absolute())) / inside)


@functools.lru_cache(maxsize=16)
def _resolved_name(root: Path) -> str:
    return root.resolve().name


class BuildError(Exception):
    """A stage after validation failed (MkDocs, Pagefind); the message names the stage."""


# What a full disk or an exhausted quota looks like in a failed write, in our process or in a tool's message.
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
_NO_SPACE_TEXT = (
    "No space left on device",
    "Disk quota exceeded",
    "os error 28",
    "Errno 28",
    "os error 122",
    "Errno 122",
)
# A failure other than ENOSPC (a truncated file read back, a tool's garbled output) is put down to a full
# disk when less than this is left where the build was writing.
_NEARLY_FULL = 1 << 20


class DiskFull(BuildError):
    """The disk (or quota) holding what the build was writing is full; the message names the path."""

    def __init__(self, path: Path | str, detail: str = ""):
        self.path = Path(path)
        super().__init__(
            f"đĩa đầy: không còn chỗ trống để ghi {self.path} (phân vùng chứa nó còn trống "
            f"{_size(free_space(self.path))}). Hãy giải phóng dung lượng rồi chạy lại."
            + (f"\n(lỗi gặp phải khi đó: {detail})" if detail else "")
        )


def free_space(path: Path) -> int:
    """Bytes an unprivileged writer may still use on the file system holding `path` (or its nearest existing folder)."""
    for folder in (path, *path.parents):
        try:
            st = os.statvfs(folder)
        except OSError:
            continue
        return st.f_bavail * st.f_frsize
    return 0


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB".replace(".", ",") if n >= 1 << 20 else f"{n // 1024} KB"


def disk_full(exc: BaseException, where: Path) -> DiskFull | None:
    """`exc` as a full disk, when it was one, naming the file it failed to write or else `where`, the folder the
    build was writing into; None otherwise."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _NO_SPACE:
            # Of two names (a copy, a link: shutil, os), the second is the one written.
            return DiskFull(os.path.abspath(seen.filename2 or seen.filename or where))
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, ContentErrors):
        return None
    if any(text in str(exc) for text in _NO_SPACE_TEXT):
        return DiskFull(where)
    if free_space(where) < _NEARLY_FULL:
        return DiskFull(where, f"{type(exc).__name__}: {exc}"[:300])
    return None


def checkpoint(name: str) -> None:
    """Fault injection for the tests (tests/test_publish.py), off unless CONGKHAI_FAULT is set:
    `CONGKHAI_FAULT=<name>` SIGKILLs the build when it reaches checkpoint <name>, `<name>+<seconds>` that
    long after (inside the stage that follows), and `<name>:enospc` raises «No space left on device» there."""
    fault = os.environ.get("CONGKHAI_FAULT")
    if not fault:
        return
    point, _, action = fault.partition(":")
    point, _, delay = point.partition("+")
    if point != name:
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if delay:
        timer = threading.Timer(float(delay), os.kill, (os.getpid(), signal.SIGKILL))
        timer.daemon = True
        timer.start()
    else:
        os.kill(os.getpid(), signal.SIGKILL)

"""The project's own error: what an editor sees instead of a traceback."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


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

"""Releases: dated, immutable snapshots of the portal's data, each made from a Git tag `phien-ban/<yyyy-mm-dd>`.

What the model knows of a release is what the pages and the citations need: its date, the tag and commit it was
made from, the archive (a zip of `data/`) with its SHA-256, and the plans it holds. How the archives are made is
the `release` command's business (generator/release.py, docs/releases.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TAG_PREFIX = "phien-ban/"  # a release's Git tag: phien-ban/2026-03-12
FOLDER = "phien-ban/"  # where releases are published in the site: phien-ban/2026-03-12/du-lieu-2026-03-12.zip


@dataclass(frozen=True)
class Release:
    date: dt.date
    commit: str  # the full id of the commit the tag names
    archive: Path  # the zip, where the build keeps it
    sha256: str
    size: int  # bytes
    plans: frozenset[str]  # the ids of the plans its data holds

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.date.isoformat()}"

    @property
    def url(self) -> str:
        """The release's folder in the site (site-relative)."""
        return f"{FOLDER}{self.date.isoformat()}/"

    @property
    def file_name(self) -> str:
        return f"du-lieu-{self.date.isoformat()}.zip"

    @property
    def archive_path(self) -> str:
        """The zip's site path."""
        return f"{self.url}{self.file_name}"

    @property
    def checksum_path(self) -> str:
        """The site path of its SHA-256 file (`sha256sum -c` reads it beside the zip)."""
        return f"{self.archive_path}.sha256"

    @property
    def checksum_text(self) -> str:
        return f"{self.sha256}  {self.file_name}\n"

    @property
    def key(self) -> str:
        """What the pages depend on: a new or rebuilt release makes them again."""
        return f"{self.tag}\0{self.commit}\0{self.sha256}\0{','.join(sorted(self.plans))}"


def latest_with(releases: tuple[Release, ...] | list[Release], plan_id: str) -> Release | None:
    """The newest release that holds the plan: a plan added after the last release is cited by its page."""
    return next((r for r in sorted(releases, key=lambda r: r.date, reverse=True) if plan_id in r.plans), None)

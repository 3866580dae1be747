"""Shared test helpers: build real sites into temporary folders."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# A generated portal (bench/corpus.py) past LIST_LIMIT in its long lists: 200 plans, in the catalogue of documents,
# the budget and the busiest indicators (over 120 targets each), whose pages are split by province.
LARGE_PORTAL_PLANS = 200


def git_env(date: str) -> dict[str, str]:
    """The environment of a commit by the editors at `date` (ISO 8601): the same history makes the same bytes."""
    return {
        "GIT_AUTHOR_NAME": "Biên tập",
        "GIT_AUTHOR_EMAIL": "bien-tap@example.gov.vn",
        "GIT_COMMITTER_NAME": "Biên tập",
        "GIT_COMMITTER_EMAIL": "bien-tap@example.gov.vn",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target


def generator_command(folder: Path, *args: str) -> list[str]:
    """`python -m generator` on the content and site_config.yml in `folder`, as an editor runs it."""
    return [
        sys.executable,
        "-m",
        "generator",
        "--content",
        str(folder / "content"),
        "--config",
        str(folder / "site_config.yml"),
        *args,
    ]


def build(folder: Path, out: Path | None = None, *, index: bool = True) -> Path:
    from generator.build.pipeline import build_site

    out = out or folder / "site"
    build_site(folder / "content", folder / "site_config.yml", out, index=index)
    return out


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page(site: Path, path: str) -> str:
    """The HTML of the page at a site-relative directory path ("" for the home page)."""
    return (site / path / "index.html").read_text("utf-8")

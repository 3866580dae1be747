"""What a page is before it is rendered (PageSpec: docs path, template, title, navigation, context, data files, the
units it depends on), and the relative links between pages (so the site works under any subpath)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Page:
    """One rendered page: where it sits in the docs folder and in the navigation."""

    src: str  # path in the MkDocs docs folder, e.g. "ha-tinh/duc-tho/index.md"
    title: str
    nav: tuple[str, ...] | None  # section titles leading to it; () for top-level pages; None: not in the navigation


@dataclass(frozen=True)
class PageSpec:
    """A page contributed by a view module (agencies, legal documents, …)."""

    src: str
    template: str
    title: str
    nav: tuple[str, ...] | None  # None: built and linked to, but not listed in the navigation
    context: dict
    # Data files beside the page by site path: bytes, a Path to copy or a function writing the file at the
    # path it is given; or a function giving them (called by the worker that renders the page, so the work
    # is shared out).
    files: dict[str, bytes | Path | Callable] | Callable[[], dict[str, bytes | Path | Callable]] = field(
        default_factory=dict
    )
    # The units whose content makes this page: when none of them changed (cache.unit_key) the page
    # is taken from the previous build as it was. None: drawn from the whole portal, always rendered.
    units: frozenset[str] | None = None
    # What else the page shows that other units' content makes (a cited document's name, from every plan citing
    # it, on its page of one province's plans): the page is rendered again when it changes.
    depends: str = ""


# The rows of a list page at most: past it, the page shows a summary by province and each province's rows are on
# a page of their own (a national portal's catalogue of 2,100 plans was 1.1 MB, 13.7 s on a phone on slow 4G).
LIST_LIMIT = 100


def by_province(provinces: list, items: list, unit_of) -> list[tuple]:
    """(province, its items in their order), in the order of `provinces`, those without items left out."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(unit_of(item).province.id, []).append(item)
    return [(province, groups[province.id]) for province in provinces if province.id in groups]


def page_url(src: str) -> str:
    """The directory URL MkDocs gives the page at docs path `src`."""
    if src == "index.md":
        return ""
    return posixpath.dirname(src) + "/" if src.endswith("/index.md") else src[:-3] + "/"


def pages_of(specs: list[PageSpec]) -> list[Page]:
    return [Page(s.src, s.title, s.nav) for s in specs]


def rel(target: str, page_url: str) -> str:
    """Relative link from the page at `page_url` to `target` (both site-relative directory URLs).

    What posixpath.relpath gives, in string steps only: it is called tens of times per page."""
    base = [p for p in page_url.split("/") if p]
    parts = [p for p in target.split("/") if p and p != "."]
    common = 0
    while common < len(base) and common < len(parts) and base[common] == parts[common]:
        common += 1
    path = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    return path + "/" if target.endswith("/") and not path.endswith("/") else path

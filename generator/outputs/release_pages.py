"""The releases of the portal's data (model/releases): the «Phiên bản dữ liệu» page with each release's zip and
SHA-256 file, and how to cite a plan's data (the «Trích dẫn» block of its page) as of the latest release holding it,
or, before any, as of the date the build computes statuses at (PlanView.as_of) — never the clock."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from generator.incremental.store import PlanChunks
from generator.model.releases import FOLDER, Release, latest_with
from generator.model.views import PlanView, Portal
from generator.outputs.catalogue import absolute
from generator.outputs.spec import PageSpec

TITLE = "Phiên bản dữ liệu"


def pages(portal: Portal, kept: PlanChunks | None = None) -> list[PageSpec]:
    """The list of releases, newest first, carrying each release's zip and SHA-256 file; outside the navigation
    (the open data page and the plans' citations link it). Drawn from every release: always rendered."""
    releases = sorted(portal.releases, key=lambda r: r.date, reverse=True)
    files: dict = {}
    for r in releases:
        files[r.archive_path] = r.archive
        files[r.checksum_path] = r.checksum_text.encode("utf-8")
    return [PageSpec(f"{FOLDER}index.md", "releases.html.j2", TITLE, None, {"releases": releases}, files)]


@dataclass(frozen=True)
class Citation:
    """How to cite a plan's data: as of a release (its zip is the stable address), or before any release holds
    the plan, its page as of `as_of`."""

    release: Release | None
    as_of: dt.date | None
    url: str  # the address cited
    page: str  # the plan page's address
    text: str
    bibtex: str
    csl_json: str


def plan_citation(portal: Portal, plan: PlanView) -> Citation:
    release = latest_with(portal.releases, plan.id)
    config = portal.config
    page = absolute(portal, plan.url)
    author = config.managing_agency.name
    title = plan.display_title
    original = ", ".join(filter(None, [plan.kind_label + (f" số {plan.number}" if plan.number else ""), plan.issuer]))
    if release is not None:
        when, url = release.date, absolute(portal, release.archive_path)
        where = f"{config.portal_name}, phiên bản dữ liệu ngày {when:%d/%m/%Y}"
        tail = f" SHA-256: {release.sha256}. Trang văn bản: {page}"
    else:
        when, url = plan.as_of, page
        where = config.portal_name + (f", dữ liệu tính đến ngày {when:%d/%m/%Y}" if when else "")
        tail = ""
    year = f" ({when.year})" if when else ""
    text = f"{author}{year}. {title} [Bộ dữ liệu; văn bản gốc: {original}]. {where}. {url}.{tail}"
    key = "congkhai-" + re.sub(r"[^A-Za-z0-9]+", "-", plan.id).strip("-") + (f"-{when.isoformat()}" if when else "")
    fields = [
        ("author", "{" + _bibtex(author) + "}"),
        ("title", "{" + _bibtex(title) + "}"),
        ("howpublished", _bibtex(where)),
        *([("year", str(when.year)), ("date", when.isoformat())] if when else []),
        *([("version", release.date.isoformat())] if release else []),
        ("url", url),
        ("note", _bibtex(f"Văn bản gốc: {original}." + (f" SHA-256: {release.sha256}." if release else ""))),
    ]
    bibtex = f"@misc{{{key},\n" + "".join(f"  {name} = {{{value}}},\n" for name, value in fields) + "}\n"
    csl: dict = {
        "id": key,
        "type": "dataset",
        "title": title,
        "author": [{"literal": author}],
        "publisher": config.portal_name,
        **({"issued": {"date-parts": [[when.year, when.month, when.day]]}} if when else {}),
        **({"version": release.date.isoformat()} if release else {}),
        "URL": url,
        "note": f"Văn bản gốc: {original}." + (f" SHA-256: {release.sha256}." if release else ""),
    }
    # one field a line: short enough to read on a phone, and still JSON any reference manager imports
    lines = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in csl.items())
    return Citation(release, when, url, page, text, bibtex, f"[{{\n{lines}\n}}]\n")


# What BibTeX reads as markup in a field's text.
_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex(text: str) -> str:
    return "".join(_BIBTEX.get(c, c) for c in " ".join(text.split()))

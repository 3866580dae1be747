"""The portal's long lists stay small enough for a phone (issue 21): the catalogue of documents
(tiep-can-thong-tin/) and each indicator's targets (chi-so/<mã>/) show a summary by province past a
hundred rows, each province's rows on a page of their own; every plan and every target is still reached
from the summary through links, and a rebuild after an edit lays out only the affected province's pages."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from bench.corpus import generate_corpus
from generator.build.pipeline import build_site
from generator.incremental import store
from tests.helpers import tree_digest

PLANS = 300  # past the list limit in the catalogue and in the busiest indicators, a build of ~20 s
MAX_BYTES = 150_000
MAX_ROWS = 150  # <tr> and <li> of one page, the theme's navigation included
MAX_TAGS = 3_000
BASE = "http://cong-khai.invalid/"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The corpus built, built again with nothing changed, then after one target of a split indicator got a new
    level, and from nothing."""
    folder = tmp_path_factory.mktemp("large-lists")
    generate_corpus(folder / "corpus", PLANS, 2025)
    content, config, site = folder / "corpus/content", folder / "corpus/site_config.yml", folder / "site"
    first = build_site(content, config, site, index=False)
    again = build_site(content, config, site, index=False)
    before = _inodes(site, "chi-so", "tiep-can-thong-tin")
    edit = _edit_split_target(site, content)
    edited = build_site(content, config, site, index=False)
    state = store.BuildState.stored(site)
    after = _inodes(site, "chi-so", "tiep-can-thong-tin")
    fresh = build_site(content, config, folder / "fresh", index=False, reuse=False)
    return SimpleNamespace(**locals())


def _edit_split_target(site: Path, content: Path) -> tuple[str, str]:
    """A target of an indicator split by province, in one province, gets a new level: (indicator, plan)."""
    rows = json.loads((site / "data/chi-so.json").read_text("utf-8"))
    numeric = [r for r in rows if isinstance(r["gia_tri"], int)]
    split = [r for r in numeric if (site / "chi-so" / r["ma_chi_so"] / r["ke_hoach"].split("/")[0]).is_dir()]
    row = (split or numeric)[0]
    code, plan = row["ma_chi_so"], row["ke_hoach"]
    path = content / f"{plan}.yml"
    text = path.read_text("utf-8")
    pattern = re.compile(rf"(  indicator_code: {re.escape(code)}\n(?:  [a-z_]+: .*\n)*?  value: ){row['gia_tri']}\n")
    assert pattern.search(text), plan
    path.write_text(pattern.sub(rf"\g<1>{row['gia_tri'] - 1}\n", text, count=1), "utf-8")
    return code, plan


def _inodes(site: Path, *folders: str) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_ino for folder in folders for p in (site / folder).rglob("*.html")
    }


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def _links(site: Path, url: str) -> set[str]:
    """Site-relative URLs (with fragments) of the links in the page's content."""
    html = _html(site, url)
    content = html[html.index("<h1") :]
    found = set()
    for href in re.findall(r'<a href="([^"]+)"', content):
        full = urljoin(BASE + url, href.replace("&amp;", "&"))
        if full.startswith(BASE):
            found.add(full[len(BASE) :])
    return found


def _under(links: set[str], folder: str) -> set[str]:
    """The pages one folder below `folder` among the links (the province pages of a summary)."""
    return {u for u in links if re.fullmatch(re.escape(folder) + r"[^/#]+/", u)}


def _check_small(site: Path, url: str) -> None:
    html = _html(site, url)
    size = len(html.encode("utf-8"))
    rows = len(re.findall(r"<(?:tr|li)\b", html))
    tags = len(re.findall(r"<[a-zA-Z]", html))
    assert size <= MAX_BYTES and rows <= MAX_ROWS and tags <= MAX_TAGS, (url, size, rows, tags)


def test_the_catalogue_is_split_by_province_and_reaches_every_plan(portal):
    site = portal.site
    plans = {row["ma"] + "/" for row in json.loads((site / "data/ke-hoach.json").read_text("utf-8"))}
    assert len(plans) == PLANS
    _check_small(site, "tiep-can-thong-tin/")
    provinces = _under(_links(site, "tiep-can-thong-tin/"), "tiep-can-thong-tin/")
    assert len(provinces) > 1  # the list is split at this size
    reached = set()
    for url in provinces:
        _check_small(site, url)
        reached |= _links(site, url) & plans
    assert reached == plans
    assert {"data/ke-hoach.csv", "data/ke-hoach.json"} <= _links(site, "tiep-can-thong-tin/")


def test_each_indicator_page_is_split_by_province_and_reaches_every_target(portal):
    site = portal.site
    expected: dict[str, set[str]] = {}
    for row in json.loads((site / "data/chi-so.json").read_text("utf-8")):
        expected.setdefault(row["ma_chi_so"], set()).add(f"{row['ke_hoach']}/#chi-tieu-{row['tt_chi_tieu']}")
    indicators = _under(_links(site, "chi-so/"), "chi-so/")
    assert {urlsplit(u).path.split("/")[1] for u in indicators} >= set(expected)
    split = 0
    for url in sorted(indicators):
        code = url.split("/")[1]
        _check_small(site, url)
        pages = [url, *sorted(_under(_links(site, url), url))]
        split += len(pages) > 1
        reached = set()
        for page_url in pages[1:]:
            _check_small(site, page_url)
        for page_url in pages:
            reached |= {u for u in _links(site, page_url) if "#chi-tieu-" in u}
        assert reached == expected.get(code, set()), code
    assert split >= 3  # the busiest indicators are split at this size


def test_a_rebuild_after_an_edit_renders_only_the_pages_of_that_unit(portal):
    p = portal
    code, plan = p.edit
    unit, province = posixpath.dirname(plan), plan.split("/")[0]
    # the pages a rebuild renders: those drawn from the whole portal, always (as with nothing changed), and those
    # the edited unit's content makes; of the split pages, only the edited province's
    pages = p.state["pages"]
    always = {src for src, page in pages.items() if page["units"] is None}
    of_unit = {src for src, page in pages.items() if page["units"] is not None and unit in page["units"]}
    assert len(always) == p.again.rendered and p.edited.rendered == len(always | of_unit)
    split = {
        src for src in pages if re.fullmatch(r"tiep-can-thong-tin/[^/]+/index\.md|chi-so/[^/]+/[^/]+/index\.md", src)
    }
    assert f"chi-so/{code}/{province}/index.md" in of_unit & split
    for src in split:  # each split page depends on its province's units only
        page_province = src.split("/")[-2]
        assert pages[src]["units"] and {u.split("/")[0] for u in pages[src]["units"]} == {page_province}, src
    assert {src.split("/")[-2] for src in of_unit & split} == {province}
    # laid out again: the pages whose text changed, among them the edited province's page of the indicator
    assert p.before.keys() == p.after.keys()
    laid_out = {page for page in p.after if p.after[page] != p.before[page]}
    assert f"chi-so/{code}/{province}/index.html" in laid_out
    assert {page.split("/")[-2] for page in laid_out if page.count("/") == 3} == {province}, laid_out
    assert tree_digest(p.site) == tree_digest(p.folder / "fresh")
    assert p.fresh.pages == p.edited.pages == p.first.pages

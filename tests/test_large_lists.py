"""The portal's long lists stay small enough for a phone (issue 21): the catalogue of documents
(tiep-can-thong-tin/) and each indicator's targets (chi-so/<mã>/) show a summary by province past a
hundred rows, each province's rows on a page of their own; every plan and every target is still reached
from the summary through links, and a rebuild after an edit lays out only the affected province's pages."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from bench.corpus import generate_corpus
from generator.build.pipeline import build_site
from generator.incremental import store
from generator.outputs.spec import LIST_LIMIT
from tests.helpers import LARGE_PORTAL_PLANS, check_period_downloads, status_summary, tree_digest

PLANS = LARGE_PORTAL_PLANS
MAX_BYTES = 150_000
# <tr> and <li> of one page: a list of up to LIST_LIMIT rows, its tables' headers and summary rows, and the theme's
# navigation (an indicator's page of 96 targets has 128 <tr> and 32 <li>)
MAX_ROWS = LIST_LIMIT + 100
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
            if code in expected:  # the targets download beside the page: all of the indicator's, or the province's
                rows = json.loads((site / page_url / "chi-tieu.json").read_text("utf-8"))
                listed = {f"{r['ke_hoach']}/#chi-tieu-{r['tt_chi_tieu']}" for r in rows}
                on_page = {u for u in _links(site, page_url) if "#chi-tieu-" in u}
                assert listed == (expected[code] if page_url == url else on_page), page_url
                # the statuses the page counts are its targets': all of the indicator's, or the province's
                assert status_summary(site, page_url) == Counter(r["trang_thai"] for r in rows), page_url
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


def _money(text: str) -> int:
    return int(text.removesuffix(" đồng").replace(".", ""))


def _period_on(html: str, anchor: str) -> tuple[int, int]:
    """(total as declared, plans) that a budget period's section (its heading's id) prints."""
    found = re.search(
        rf'<h[23] id="{anchor}">.*?</h[23]>\s*<p>Tổng theo văn bản ghi: <strong>([\d.]+ đồng)</strong>'
        r".*?từ (\d+) văn bản",
        html,
        re.S,
    )
    assert found, anchor
    return _money(found[1]), int(found[2])


def test_the_budget_is_split_by_year_and_each_year_by_province_as_the_provinces_print_it(portal):
    """Past a hundred plans the budget page (2 MB at 2,100 plans) has the table of years and a page per year, each
    period of the year by province; a province's row gives what the province's own page prints for that period, and
    the rows add up to the year's total as printed."""
    site = portal.site
    _check_small(site, "ngan-sach/")
    years = _under(_links(site, "ngan-sach/"), "ngan-sach/")
    rows = json.loads((site / "data/kinh-phi.json").read_text("utf-8"))
    assert {f"ngan-sach/{r['nam']}/" for r in rows} == years and len(years) > 2
    provinces_seen = set()
    for url in sorted(years):
        _check_small(site, url)
        html = _html(site, url)
        sections = re.findall(r'<h2 id="(ns-\d{4}-(?:du-kien|thuc-hien))">', html)
        assert sections
        for anchor in sections:
            total, plans = _period_on(html, anchor)
            table = html[html.index("<caption>Theo tỉnh, thành phố: kinh phí", html.index(f'id="{anchor}"')) :]
            table = table[: table.index("</table>")]
            found = re.findall(
                r'<th scope="row"><a href="([^"]+)">[^<]+</a></th><td><span class="ck-amount">([\d.]+ đồng)</span>'
                r".*?</td><td>(\d+)</td>",
                table,
            )
            assert found and sum(_money(a) for _, a, _ in found) == total and sum(int(n) for *_, n in found) == plans
            for href, amount, count in found:
                target = urljoin(BASE + url, href)[len(BASE) :]
                page, _, fragment = target.partition("#")
                assert fragment == "kp-" + anchor.removeprefix("ns-"), href
                assert _period_on(_html(site, page), fragment) == (_money(amount), int(count)), href
                provinces_seen.add(page)
    assert len(provinces_seen) > 10


def test_a_document_cited_by_many_plans_lists_them_by_province_and_reaches_each(portal):
    """A document cited by more than a hundred plans (Nghị định 42/2022/NĐ-CP's page was 886 KB at 2,100 plans)
    lists them on a page per province; each province's page lists that province's plans as a legal basis and as
    mentioned in their text, as many as the document's table by province says, and together they are every plan
    the open data says cites it."""
    site = portal.site
    documents = json.loads((site / "van-ban/van-ban.json").read_text("utf-8"))
    plans = {row["ma"] + "/" for row in json.loads((site / "data/ke-hoach.json").read_text("utf-8"))}
    split = [d for d in documents if d["so_ke_hoach_trich_dan"] > 100]
    assert split  # the busiest documents, at this size
    for document in split:
        url = document["trang"]
        _check_small(site, url)
        html = _html(site, url)
        counts = re.findall(r'<th scope="row"><a href="([^"/]+/)">[^<]+</a></th><td>(\d+)</td><td>(\d+)</td>', html)
        assert {url + href for href, *_ in counts} == _under(_links(site, url), url)
        basis, mentioned = set(), set()
        for href, bases, mentions in counts:
            page = url + href
            _check_small(site, page)
            province = _html(site, page)
            lists = {
                section: _links_in(province[province.index(f'id="{section}"') :], page) & plans
                for section in ("can-cu", "duoc-nhac-toi")
                if f'id="{section}"' in province
            }
            assert (len(lists.get("can-cu", ())), len(lists.get("duoc-nhac-toi", ()))) == (int(bases), int(mentions))
            basis |= lists.get("can-cu", set())
            mentioned |= lists.get("duoc-nhac-toi", set())
        assert basis == {f"{p}/" for p in document["ke_hoach_can_cu"].split("; ")}, url
        assert mentioned == {f"{p}/" for p in document["ke_hoach_nhac_toi"].split("; ") if p}, url


def _links_in(html: str, url: str) -> set[str]:
    """Site-relative URLs of the links in `html` (a page's section and what follows it) up to its next section."""
    section = re.split(r"<h[23] ", html[1:], maxsplit=1)[0]
    return {urljoin(BASE + url, href)[len(BASE) :] for href in re.findall(r'<a href="([^"]+)"', section)}


def test_a_document_split_by_province_takes_a_new_name_on_every_province_page(tmp_path, monkeypatch):
    """A cited document's name comes from every plan citing it (a document with no number: as its first citation
    spells it). Spelled anew in one province's plan, the pages of the other provinces' plans take the new name in a
    rebuild, as in a build from nothing (they depend on those plans' units, and on the name)."""
    import shutil

    from generator.outputs import legal_pages
    from tests.helpers import ROOT

    monkeypatch.setattr(legal_pages, "LIST_LIMIT", 1)  # the seeds' documents cited by two plans are split
    content, config, site = tmp_path / "content", ROOT / "site_config.yml", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build_site(content, config, site, index=False)
    page = site / "van-ban/luat-cong-nghe-thong-tin/ha-tinh/index.html"
    assert ">Luật Công nghệ thông tin: Tỉnh Hà Tĩnh</h1>" in page.read_text("utf-8")
    plan = content / "gia-lai/duc-co/2023-chinh-quyen-so.yml"  # the first to cite it
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("title: Luật Công nghệ thông tin", "title: Luật Công nghệ Thông tin"), "utf-8")
    build_site(content, config, site, index=False)
    assert ">Luật Công nghệ Thông tin: Tỉnh Hà Tĩnh</h1>" in page.read_text("utf-8")
    build_site(content, config, tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(site) == tree_digest(tmp_path / "fresh")


def test_the_budget_check_past_the_limit_lists_each_province_on_a_page_of_its_own(tmp_path, monkeypatch):
    """Past LIST_LIMIT figures that are not the sum of their lines (680 at 2,100 plans, a page of 246 KB), the
    budget check gives their number in each province and each province's rows on a page of its own; together
    they are every row of its open data, each linking to its table in its plan."""
    from generator.outputs import site_pages
    from tests.helpers import ROOT

    monkeypatch.setattr(site_pages, "LIST_LIMIT", 1)  # the seeds' 7, in one province
    site = tmp_path / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", site, index=False)
    rows = json.loads((site / "data/kiem-tra-so-lieu.json").read_text("utf-8"))
    html = _html(site, "kiem-tra-so-lieu/")
    counts = re.findall(r'<th scope="row"><a href="([^"/]+/)">[^<]+</a></th><td>(\d+)</td>', html)
    assert counts and sum(int(n) for _, n in counts) == len(rows) > 1
    summary = _links(site, "kiem-tra-so-lieu/")
    assert "data/kiem-tra-so-lieu.csv" in summary and not [u for u in summary if "#" in u]  # no row of its own
    reached = []
    for href, count in counts:
        url = "kiem-tra-so-lieu/" + href
        _check_small(site, url)
        found = re.findall(r'<tr><td><a href="([^"]+)">', _html(site, url))
        assert len(found) == int(count)
        reached += [urljoin(BASE + url, link)[len(BASE) :] for link in found]
    assert sorted(reached) == sorted(f"{r['ke_hoach']}/#{r['bang']}" for r in rows)


def test_the_sitemap_lists_each_page_once_the_pages_by_province_with_their_province(portal):
    """Every page on the main sitemap or its province's; a province's page of a list split by province (its
    documents, targets of an indicator, plans citing a document) is on its province's sitemap."""
    site = portal.site
    main = _html(site, "so-do-trang/")
    provinces = re.findall(r'<li><a href="([a-z-]+/)"', main)
    listed = [u for u in re.findall(r'<li><a href="\.\./([^"]*)"', main)]
    by_province = {}
    for href in provinces:
        by_province[href] = re.findall(r'<li><a href="\.\./\.\./([^"]*)"', _html(site, "so-do-trang/" + href))
        listed += by_province[href]
    pages = {
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if p.parent != site and "assets" not in p.parts
    }
    assert sorted(listed + ["so-do-trang/" + h for h in provinces]) == sorted(pages - {"so-do-trang/"})
    split = [
        u
        for u in pages
        if re.fullmatch(r"(chi-so|van-ban)/[^/]+/[^/]+/|(tiep-can-thong-tin|kiem-tra-so-lieu)/[^/]+/", u)
    ]
    assert split
    for url in split:
        province = url.rstrip("/").rsplit("/", 1)[1] + "/"
        assert url in by_province[province], url


def test_the_index_of_documents_lists_those_of_many_provinces_and_each_provinces_own_on_its_page(portal):
    """Past a hundred documents (1,927 at 2,100 plans, a page of 423 KB) the index lists those cited in more than
    one province, and each province's own (cited by its plans alone) on a page of its own: together, every
    document of the open data, each once."""
    site = portal.site
    documents = {d["trang"]: d for d in json.loads((site / "van-ban/van-ban.json").read_text("utf-8"))}
    assert len(documents) > 100
    _check_small(site, "van-ban/")
    html = _html(site, "van-ban/")
    pages = re.findall(r'<th scope="row"><a href="(theo-tinh/[^"/]+/)">[^<]+</a></th><td>(\d+)</td>', html)
    listed = [u for u in _links(site, "van-ban/") if u in documents]
    shared = set(listed)
    assert pages and all(
        len({p.split("/")[0] for p in documents[u]["ke_hoach_trich_dan"].split("; ")}) > 1 for u in shared
    )
    for href, count in pages:
        url = "van-ban/" + href
        _check_small(site, url)
        own = [u for u in re.findall(r'<th scope="row"><a href="([^"]+)">', _html(site, url))]
        own = [urljoin(BASE + url, u)[len(BASE) :] for u in own]
        assert len(own) == int(count)
        province = href.split("/")[1]
        for u in own:  # cited by this province's plans alone
            assert {p.split("/")[0] for p in documents[u]["ke_hoach_trich_dan"].split("; ")} == {province}, u
        listed += own
    assert sorted(listed) == sorted(documents)


def test_a_document_another_province_cites_leaves_its_provinces_own(tmp_path, monkeypatch):
    """A document cited by one province's plans alone is on that province's page of documents and sitemap; once a
    plan of another province cites it, it is on the index of documents of many provinces and the portal's sitemap,
    in a rebuild as in a build from nothing, though nothing of the first province changed."""
    import shutil

    from generator.outputs import legal_pages
    from tests.helpers import ROOT

    monkeypatch.setattr(legal_pages, "LIST_LIMIT", 1)  # the seeds' 95 documents: split
    content, config, site = tmp_path / "content", ROOT / "site_config.yml", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build_site(content, config, site, index=False)
    document = "van-ban/598-qd-ubnd-2020-gia-lai/"
    assert (site / document / "index.html").is_file()
    assert document in _links(site, "van-ban/theo-tinh/gia-lai/") | _links(site, "so-do-trang/gia-lai/")
    assert document not in _links(site, "van-ban/") | _links(site, "so-do-trang/")
    plan = content / "ha-tinh/2020-ung-dung-cntt.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            "legal_bases:\n",
            'legal_bases:\n  - kind: Quyết định\n    number: "598/QĐ-UBND"\n    date: "03/11/2020"\n'
            "    issuer: UBND tỉnh Gia Lai\n    title: ban hành Kế hoạch phát triển Thương mại điện tử\n",
            1,
        ),
        "utf-8",
    )
    build_site(content, config, site, index=False)
    assert document in _links(site, "van-ban/") and document in _links(site, "so-do-trang/")
    assert document not in _links(site, "van-ban/theo-tinh/gia-lai/") | _links(site, "so-do-trang/gia-lai/")
    build_site(content, config, tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(site) == tree_digest(tmp_path / "fresh")


def test_a_units_budget_past_the_limit_is_on_a_page_per_year_as_its_page_printed_it(tmp_path, monkeypatch):
    """A province's page listed every plan of every budget period (101 KB at 2,100 plans, some forty times that in a
    real province). Past LIST_LIMIT plans its page keeps the table of years and each year is a page of its own: each
    period there prints what the page printed (total as declared, plans, the plans linked), and the portal's page of
    the year links each province's period where it now is."""
    from generator.outputs import site_pages
    from tests.helpers import ROOT

    whole = tmp_path / "whole"
    build_site(ROOT / "content", ROOT / "site_config.yml", whole, index=False)
    monkeypatch.setattr(site_pages, "LIST_LIMIT", 0)  # every unit with a budget: the seeds' provinces and districts
    site = tmp_path / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", site, index=False)
    split = 0
    for unit_page in sorted(whole.glob("*/**/index.html")):
        url = unit_page.parent.relative_to(whole).as_posix() + "/"
        periods = re.findall(r'<h3 id="(kp-\d{4}-(?:du-kien|thuc-hien))">', _html(whole, url))
        if not periods or "/kinh-phi/" in url:
            continue
        split += 1
        assert not re.findall(r'<h3 id="kp-', _html(site, url)), url  # the table of years alone
        years = _under(_links(site, url), f"{url}kinh-phi/")
        assert years == {f"{url}kinh-phi/{anchor[3:7]}/" for anchor in periods}, url
        for anchor in periods:
            year_page = f"{url}kinh-phi/{anchor[3:7]}/"
            _check_small(site, year_page)
            amounts = re.findall(r'<a class="ck-amount" href="([^"]+)">', _html(site, url))
            assert f"{year_page}#{anchor}" in {urljoin(BASE + url, h)[len(BASE) :] for h in amounts}  # the amount
            printed, now = _html(whole, url), _html(site, year_page)
            assert _period_on(now, anchor) == _period_on(printed, anchor), (url, anchor)
            assert _plans_of(now, anchor) == _plans_of(printed, anchor), (url, anchor)
    assert split >= 3
    # each year's page, the unit's and the portal's, downloads the breakdowns it prints
    checked = {p.parent.relative_to(site).as_posix(): check_period_downloads(p) for p in site.rglob("index.html")}
    year_pages = {
        page: n for page, n in checked.items() if re.fullmatch(r"([a-z-]+/)+kinh-phi/\d{4}|ngan-sach/\d{4}", page)
    }
    assert len([n for page, n in year_pages.items() if page.startswith("ngan-sach/") and n]) >= 2
    assert len([n for page, n in year_pages.items() if "/kinh-phi/" in page and n]) >= 2
    # the portal's page of a year links a province's period on the province's page of that year
    for year in _under(_links(site, "ngan-sach/"), "ngan-sach/"):
        for href in re.findall(r'<th scope="row"><a href="([^"]+)">', _html(site, year)):
            page, _, fragment = urljoin(BASE + year, href)[len(BASE) :].partition("#")
            assert re.fullmatch(r"[a-z-]+/kinh-phi/\d{4}/", page) and _period_on(_html(site, page), fragment), href


def _plans_of(html: str, anchor: str) -> list[str]:
    """The plans a budget period's section links (their pages' paths from the site's root)."""
    section = html[html.index(f'id="{anchor}"') :]
    section = section[: section.index("</p>")]
    return [posixpath.normpath(h).lstrip("./") for h in re.findall(r'<a href="([^"]+)">', section)]

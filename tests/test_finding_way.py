"""Finding the way (issue 21): the «Tỉnh, thành phố» page the menu opens, the home page's first block, titles that
say what a plan is, and unit and province pages whose every budget figure is one year and one kind.

Real sites are built from the seed content (content/) and from tests/fixtures/basic; the menu and the home page are
also read in Chromium at a phone's width.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin, urlparse

import lxml.etree
import lxml.html
import pytest
import yaml

from generator.build.pipeline import build_site, check
from generator.content.config import load_config
from generator.model import provinces
from generator.model.views import UNCLASSIFIED, Portal, build_portal, vietnamese_order
from generator.outputs import site_pages
from tests.browser import serve
from tests.helpers import FIXTURES, ROOT, build, copy_fixture, tree_digest

PROVINCES = "tinh-thanh-pho/"
PHONE = {"width": 390, "height": 844}
HOST = "http://site.test"
KINDS = ("dự kiến", "đã thực hiện")


def _portal(folder: Path) -> Portal:
    return build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed content built as it is published: (site, portal)."""
    out = tmp_path_factory.mktemp("seed") / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", out, index=False)
    portal = _portal(ROOT)
    return out, portal


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("basic"))
    return build(folder, index=False), _portal(folder)


@pytest.fixture(params=["seed", "basic"])
def built(request):
    return request.getfixturevalue(request.param)


def _doc(site: Path, path: str):
    return lxml.html.fromstring((site / path / "index.html").read_text("utf-8"))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _article(doc):
    """The page's own content (inside the search index's marker, where the page has one)."""
    article = doc.xpath("//article")[0]
    return (article.xpath("./div[@data-pagefind-body]") or [article])[0]


def _resolve(page_path: str, href: str) -> str:
    """The site path a link on the page at `page_path` leads to ("" for the home page)."""
    return urlparse(urljoin(f"{HOST}/{page_path}", href)).path.lstrip("/")


def _exists(site: Path, path: str) -> bool:
    path = path.split("#")[0]
    return (site / path / "index.html").is_file() if path.endswith("/") or not path else (site / path).is_file()


# --------------------------------------------------------------------------- the provinces page


def test_the_provinces_page_lists_every_province_unit_of_the_content_with_a_link(built):
    site, portal = built
    doc = _doc(site, PROVINCES)
    article = _article(doc)
    assert _text(article.xpath(".//h1")[0]) == "Tỉnh, thành phố"
    links = {_resolve(PROVINCES, a.get("href")): _text(a) for a in article.xpath(".//a[@href]")}
    for href in links:
        assert _exists(site, href), href
    assert portal.provinces
    for unit in portal.provinces:
        assert links.get(unit.url) == unit.unit.name, unit.id
    # today's 34, each named once; those the content does not have are named without a link
    today = article.xpath(".//h2[@id='tu-ngay-01-7-2025']/following-sibling::ul[1]/li")
    assert len(today) == 34
    names = {_text(li).rsplit(" (", 1)[0]: li for li in today}
    assert set(names) == {name for _, name in provinces.PROVINCES_2025}
    have = {u.unit.name for u in portal.provinces}
    for name, li in names.items():
        if name in have:
            assert li.xpath("./a[@href]"), name
        else:
            assert not li.xpath(".//a") and _text(li).endswith("(chưa có kế hoạch)"), name
    covered = sum(1 for u in portal.provinces if u.unit.name in names and u.all_plans)
    assert f"Cổng có văn bản của {covered} trong 34 tỉnh, thành phố" in _text(article)


def test_the_seed_provinces_page_counts_what_it_has():
    """Gia Lai and Hà Tĩnh are among today's 34; Hải Dương ended on 30/06/2025, succeeded by Hải Phòng."""
    view = provinces.provinces_view(_portal(ROOT))
    assert view.covered == 2 and [p.unit.id for p in view.today if p.unit] == ["gia-lai", "ha-tinh"]
    assert view.others == []
    before = {f.unit.id: f for f in view.before}
    assert set(before) == {"gia-lai", "ha-tinh", "hai-duong"}
    assert before["hai-duong"].successors == [("Thành phố Hải Phòng", None)] and before["hai-duong"].successors_named
    duc_co = before["gia-lai"].districts[0]
    assert duc_co.unit.id == "gia-lai/duc-co" and [u.id for _, u in duc_co.successors] == ["gia-lai"]


def test_the_units_before_2025_show_their_status_and_where_they_went(built):
    site, portal = built
    article = _article(_doc(site, PROVINCES))
    items = article.xpath(".//h2[@id='truoc-ngay-01-7-2025']/following-sibling::ul[1]//li")
    by_unit = {}
    for li in items:
        first = li.xpath("./a[@href]")[0]
        by_unit[_resolve(PROVINCES, first.get("href"))] = li
    expected = [u for u in portal.units.values() if u.unit.level.value in ("tinh", "huyen")]
    assert {u.url for u in expected} == set(by_unit)
    for unit in expected:
        li = by_unit[unit.url]
        own = lxml.html.fromstring(lxml.html.tostring(li))  # the item without its districts' items
        for sub in own.xpath("./ul"):
            sub.getparent().remove(sub)
        status = _text(own.xpath(".//span[@class='ck-unit-status']")[0])
        if unit.unit.valid_to:
            assert status == f"Đã chấm dứt hoạt động sau ngày {unit.unit.valid_to:%d/%m/%Y}", unit.id
            successors = own.xpath("./a[@href]")[1:]
            named = [_text(a) for a in successors]
            # where it went: the units the content names, linked when the portal has them, else named
            if unit.unit.succeeded_by:
                for name in unit.unit.succeeded_by:
                    assert name in named or f"{name} (chưa có trên cổng)" in _text(own), (unit.id, name)
            else:  # a district: the province its area is in now (its own, or the one that took its own over)
                assert re.search(r"; địa bàn nay thuộc: \S", _text(own)), unit.id
            for a in successors:
                target = _resolve(PROVINCES, a.get("href"))
                assert _exists(site, target) and target in {u.url for u in portal.units.values()}, target
        else:
            assert status == "Còn hoạt động", unit.id


def test_the_provinces_page_depends_on_every_unit_and_a_rebuild_lists_a_new_one(tmp_path):
    """It names every unit: drawn from the whole portal (units=None), so an incremental build renders it again."""
    spec = site_pages.provinces(_portal(ROOT), None)[0]
    assert spec.units is None and spec.nav == (site_pages.PROVINCES_TITLE,) and spec.src == "tinh-thanh-pho/index.md"
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    out = folder / "site"
    build_site(folder / "content", folder / "site_config.yml", out, index=False)
    (folder / "content/ha-noi").mkdir()
    (folder / "content/ha-noi/unit.yml").write_text("name: Thành phố Hà Nội\nlevel: tinh\n", "utf-8")
    build_site(folder / "content", folder / "site_config.yml", out, index=False)
    assert 'href="../ha-noi/">Thành phố Hà Nội</a>' in (out / PROVINCES / "index.html").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build_site(folder / "content", folder / "site_config.yml", fresh, index=False, reuse=False)
    assert tree_digest(out) == tree_digest(fresh)


def test_a_province_lists_its_units_in_vietnamese_alphabetical_order(tmp_path):
    """A reader looks for «Đông Anh» after «Diễn Châu», not after «Yên Thành»: a province's page lists its units in
    the order of the Vietnamese alphabet (a ă â … d đ e …, the unit's kind left aside), as the provinces page does."""
    folder = copy_fixture("basic", tmp_path)
    for slug, name in [("yen-thanh", "Huyện Yên Thành"), ("dien-chau", "Huyện Diễn Châu"), ("an-thi", "Thị xã Ân Thi")]:
        (folder / "content/tinh-mau" / slug).mkdir()
        (folder / "content/tinh-mau" / slug / "unit.yml").write_text(
            f"name: {name}\nlevel: huyen\nparent: tinh-mau\n", "utf-8"
        )
    site = build(folder, index=False)
    expected = ["Huyện Diễn Châu", "Huyện Đông Mẫu", "Huyện Yên Thành", "Thị xã Ân Thi"]
    expected.sort(key=vietnamese_order)
    assert expected == ["Thị xã Ân Thi", "Huyện Diễn Châu", "Huyện Đông Mẫu", "Huyện Yên Thành"]
    heading = _article(_doc(site, "tinh-mau/")).xpath(".//h2[normalize-space()='Đơn vị trực thuộc']")[0]
    listed = [_text(a) for a in heading.xpath("following-sibling::ul[1]/li/a")]
    assert listed == expected
    former = _article(_doc(site, PROVINCES)).xpath(".//ul[@class='ck-former']/li/ul/li/a[1]")
    assert [_text(a) for a in former] == expected


def test_a_province_s_page_lists_its_units_before_its_figures(seed):
    """A reader of a commune or district finds it on their province's page right after the province's own plans,
    not after the targets' status and every year's budget (some twenty screens of a phone on the bench's provinces)."""
    site, _ = seed
    headings = [_text(h) for h in _article(_doc(site, "ha-tinh/")).xpath(".//h2")]
    order = ["Văn bản của Tỉnh Hà Tĩnh", "Đơn vị trực thuộc", "Chỉ tiêu theo trạng thái", "Kinh phí"]
    assert [h for h in headings if h in order] == order, headings


def test_provinces_are_listed_in_vietnamese_alphabetical_order(tmp_path, monkeypatch):
    """«Cao Bằng» comes before «Cần Thơ» (a before â), «Cà Mau» before both: in the menu, on the home page, in the
    search's choice of province and in the budget's table by province (on a page per year past LIST_LIMIT plans), as
    on the provinces page. They were in the order of their ids, where «can-tho» comes before «cao-bang»."""
    folder = copy_fixture("basic", tmp_path)
    content = folder / "content"
    plan = content / "tinh-mau/huyen-mau/2023-ke-hoach"
    provinces = [("can-tho", "Thành phố Cần Thơ"), ("cao-bang", "Tỉnh Cao Bằng"), ("ca-mau", "Tỉnh Cà Mau")]
    for n, (slug, name) in enumerate(provinces, start=1):
        commune = content / slug / "xa-mot"
        commune.mkdir(parents=True)
        (content / slug / "unit.yml").write_text(f"name: {name}\nlevel: tinh\n", "utf-8")
        (commune / "unit.yml").write_text(f"name: Xã Một\nlevel: xa\nparent: {slug}\n", "utf-8")
        for suffix in (".md", ".nguon.txt"):
            shutil.copy(plan.with_suffix(suffix), commune / f"2023-ke-hoach{suffix}")
        text = plan.with_suffix(".yml").read_text("utf-8")
        (commune / "2023-ke-hoach.yml").write_text(text.replace("12/KH-UBND", f"{n}/KH-UBND", 1), "utf-8")
    monkeypatch.setattr(site_pages, "LIST_LIMIT", 1)
    site = build(folder, index=False)
    expected = ["Tỉnh Cà Mau", "Tỉnh Cao Bằng", "Thành phố Cần Thơ", "Tỉnh Mẫu"]
    menu = _doc(site, "tinh-mau/").xpath("//nav[contains(@class, 'md-nav--primary')]//a[@href]")  # opened there
    assert [_text(a) for a in menu if _text(a) in expected] == expected
    assert [_text(a) for a in _article(_doc(site, "")).xpath(".//li/a") if _text(a) in expected] == expected
    options = _doc(site, "tim-kiem/").xpath("//select[@id='ck-scope']/option")
    assert [_text(o) for o in options] == ["Cả nước", *expected]
    years = sorted((site / "ngan-sach").glob("*/index.html"))  # a page per year: its table by province
    assert years
    for year in years:
        rows = _article(lxml.html.fromstring(year.read_text("utf-8"))).xpath(".//tbody/tr/th")
        assert [_text(c) for c in rows] == expected


def test_a_plan_s_leading_units_tied_are_taken_in_vietnamese_alphabetical_order(tmp_path):
    """The plan page shows the three units in charge of the most; among units tied, the first three in the Vietnamese
    alphabet («Đài» after «Công», before «Ủy ban» and «Văn phòng»), where code points put every «Đ…» and «Ủ…» last."""
    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    data = yaml.safe_load(plan.read_text("utf-8"))
    for lead in ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "Đài Truyền thanh huyện", "Công an huyện"):
        data["targets"].append({"area": "Chính quyền số", "statement": f"Việc do {lead} chủ trì.", "lead": lead})
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    site = build(folder, index=False)
    heading = _doc(site, "tinh-mau/huyen-mau/2023-ke-hoach/").xpath(
        "//dt[normalize-space()='Đơn vị chủ trì nhiều việc nhất']"
    )
    shown = [_text(li).split(" (")[0] for li in heading[0].xpath("following-sibling::dd[1]/ol/li")]
    assert shown == ["Công an huyện", "Đài Truyền thanh huyện", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện"]


def test_an_indicator_s_targets_of_one_value_are_in_vietnamese_alphabetical_order_of_their_units(seed):
    """Highest value first; at one value, by unit in the Vietnamese alphabet: the seeds' «Đức Thọ» (> 30%) before
    «Thanh Hà» (≥ 30%), where code points put it after."""
    site, _ = seed
    rows = _article(_doc(site, "chi-so/ho-so-truc-tuyen/")).xpath("(.//table)[1]//tr[td]")
    listed = [(_text(tr.xpath("./*[1]")[0]), _text(tr.xpath("./*[3]")[0])) for tr in rows]
    at_30 = [unit for unit, value in listed if value.endswith(" 30%")]
    assert at_30 == ["Huyện Đức Thọ", "Huyện Thanh Hà"]


# --------------------------------------------------------------------------- the menu


def test_every_page_s_menu_leads_to_the_provinces_page(seed):
    site, _ = seed
    base = urlparse(str(_portal(ROOT).config.base_url)).path.strip("/")
    # every page of the site; the embeddable widgets (nhung/) are made to have no site chrome
    pages = sorted(p for p in site.rglob("*.html") if "assets" not in p.parts and "nhung" not in p.parts)
    assert len(pages) > 50
    for path in pages:
        rel = path.relative_to(site).as_posix()
        page_path = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        doc = lxml.html.fromstring(path.read_text("utf-8"))
        menu = [
            a
            for a in doc.xpath("//nav[contains(@class, 'md-nav--primary')]//a[@href]")
            if _text(a) == "Tỉnh, thành phố"
        ]
        assert menu, f"{rel}: no «Tỉnh, thành phố» in the menu"
        target = _resolve(page_path, menu[0].get("href"))
        if path.name == "404.html":  # links to the site from wherever it is served: absolute, under the base URL
            target = target.removeprefix(base + "/")
        assert target == PROVINCES, (rel, menu[0].get("href"))


@pytest.mark.parametrize("start", ["", "gia-lai/duc-co/2023-chinh-quyen-so/"])
def test_on_a_phone_the_menu_leads_to_the_provinces_page(seed, chromium, start):
    site, _ = seed
    page = chromium.new_page(viewport=PHONE)
    with serve(site) as base:
        page.goto(f"{base}/{start}")
        page.click("label.md-header__button[for='__drawer']")
        link = page.locator("nav.md-nav--primary a.md-nav__link", has_text="Tỉnh, thành phố").first
        link.wait_for(state="visible")
        page.wait_for_function(  # the drawer has slid in: the link is on the screen
            """() => [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link')]
                 .filter(a => a.textContent.trim() === 'Tỉnh, thành phố')
                 .some(a => { const r = a.getBoundingClientRect();
                              return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })""",
            timeout=5000,
        )
        link.click()
        page.wait_for_url(f"{base}/{PROVINCES}")
        assert page.locator("article h1").inner_text() == "Tỉnh, thành phố"
        assert page.locator("article a[href='../gia-lai/']").first.is_visible()
    page.close()


# --------------------------------------------------------------------------- the home page

TASKS = {
    "tinh-thanh-pho/": "Tìm địa phương",
    "tim-kiem/": "Tìm kiếm",
    "ngan-sach/": "kinh phí",
    "du-lieu-mo/": "dữ liệu",
}


def test_the_home_page_says_first_what_a_citizen_can_do(built):
    site, _ = built
    article = _article(_doc(site, ""))
    blocks = [e for e in article if e.tag not in ("h1", "h2")]
    tasks = blocks[0]
    assert tasks.tag == "ul" and "ck-tasks" in tasks.get("class", "")
    items = tasks.xpath("./li")
    assert len(items) == 4
    for li, (href, words) in zip(items, TASKS.items(), strict=True):
        a = li.xpath("./a[@href]")[0]
        assert _resolve("", a.get("href")) == href and _exists(site, href), href
        assert words.casefold() in _text(a).casefold(), (href, _text(a))
        assert len(_text(li)) > len(_text(a)) + 20  # says what is there, in a sentence
    # before any figure: the counts come after, and nothing before the list holds a number
    order = list(article.iter())
    stats = article.xpath(".//*[contains(@class, 'ck-stats')]")[0]
    assert order.index(tasks) < order.index(stats)
    before = "".join(_text(e) for e in article if order.index(e) < order.index(tasks))
    assert not re.search(r"\d", before), before


def test_on_a_phone_the_home_page_shows_the_tasks_first_and_they_lead_somewhere(seed, chromium):
    site, _ = seed
    page = chromium.new_page(viewport=PHONE)
    with serve(site) as base:
        page.goto(f"{base}/")
        tasks = page.locator("article .ck-tasks").bounding_box()
        stats = page.locator("article .ck-stats").bounding_box()
        assert tasks["y"] < PHONE["height"] / 2 and stats["y"] > tasks["y"] + tasks["height"]
        # the four figures two by two, not a screen of boxes one under another
        rows = page.eval_on_selector_all("article .ck-stats > *", "fs => new Set(fs.map(f => f.offsetTop)).size")
        assert rows == 2
        first = page.locator("article .ck-tasks li").first.bounding_box()
        assert first["y"] + first["height"] < PHONE["height"]  # on the first screen
        page.locator("article .ck-tasks a", has_text="Tìm địa phương của bạn").click()
        page.wait_for_url(f"{base}/{PROVINCES}")
    page.close()


# --------------------------------------------------------------------------- titles


def _plan_title(site: Path, plan) -> str:
    return _text(_doc(site, plan.url).xpath("//title")[0])


def test_plan_titles_say_what_the_plan_is_and_are_distinct(built):
    site, portal = built
    name = portal.config.portal_name
    titles = {}
    for plan in portal.plans:
        title = _plan_title(site, plan)
        assert title == f"{plan.display_title} - {name}"
        titles[plan.id] = plan.display_title
        # the unit, the kind, the year, and more than that
        assert title.startswith(plan.unit.unit.name + (", " if plan.unit.parent else " — ")), title
        assert f" — {plan.kind_label} {plan.year}" in title, title
        doc = _doc(site, plan.url)
        assert _text(doc.xpath("//p[@class='ck-kicker']")[0]) == plan.display_title  # what the page is, …
        assert _text(doc.xpath("//article//h1")[0]) == plan.title  # … above the document's own title
        assert doc.xpath(f"//span[@data-pagefind-meta='title:{plan.display_title}']")  # search results
    assert len(set(titles.values())) == len(titles) == len(portal.plans)


def test_the_seed_titles():
    titles = {p.id: p.display_title for p in _portal(ROOT).plans}
    assert (
        titles["gia-lai/duc-co/2023-chinh-quyen-so"]
        == "Huyện Đức Cơ, Gia Lai — Kế hoạch 2023, phát triển Chính quyền số"
    )
    assert titles["ha-tinh/2020-ung-dung-cntt"] == "Tỉnh Hà Tĩnh — Kế hoạch 2020, ứng dụng công nghệ thông tin"
    assert titles["ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"] == (
        "Huyện Cẩm Xuyên, Hà Tĩnh — Chương trình hành động 2021–2025, thực hiện Nghị quyết số 05-NQ/TU"
    )


@pytest.mark.parametrize("folder", [ROOT, FIXTURES / "basic"], ids=["seed", "basic"])
def test_no_two_plans_share_a_title(folder):
    plans = _portal(folder).plans
    assert plans and len({p.display_title for p in plans}) == len(plans)
    assert all(p.nav_title == p.display_title for p in plans)


def test_plans_that_would_share_a_title_are_told_apart():
    """Plans of one unit with the same kind, year and subject: by their number, then signing date, then order."""
    portal = _portal(FIXTURES / "basic")
    (plan,) = portal.plans
    unit = plan.unit
    alone = plan.display_title  # the only plan of its unit: no number added
    assert plan.number == "12/KH-UBND" and ", số" not in alone

    def twin(n, **facts):
        return dataclasses.replace(plan, id=f"{plan.id}-{n}", facts=dataclasses.replace(plan.facts, **facts))

    twins = [
        twin(0),
        twin(1, number="13/KH-UBND"),
        twin(2, number=None, signed_date="01/03/2023"),
        twin(3, number=None, signed_date=None),
        twin(4, number=None, signed_date=None),
    ]
    unit.plans = twins
    titles = [p.display_title for p in unit.plans]
    assert len(set(titles)) == 5, titles
    assert titles[0] == f"{alone}, số 12/KH-UBND" and titles[1] == f"{alone}, số 13/KH-UBND"
    assert titles[2] == f"{alone}, ngày ký 01/03/2023"
    assert titles[3] == f"{alone}, văn bản thứ 1" and titles[4] == f"{alone}, văn bản thứ 2"


def test_lists_the_sitemap_and_the_feed_use_the_same_titles(built):
    site, portal = built
    for unit in portal.units.values():
        shown = [_text(a) for a in _doc(site, unit.url).xpath("//ul[@class='ck-plan-list']/li/a")]
        assert shown == [p.display_title for p in unit.plans], unit.id
    for province in portal.provinces:
        path = f"so-do-trang/{province.id}/"
        links = {_resolve(path, a.get("href")): _text(a) for a in _doc(site, path).xpath("//article//li/a[@href]")}
        for plan in province.all_plans:
            assert links[plan.url] == plan.display_title
            assert links[plan.url + "lich-su/"] == f"Lịch sử thay đổi: {plan.display_title}"
    feed = lxml.etree.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = {
        e.find("a:id", ns).text.removeprefix(str(portal.config.base_url).rstrip("/") + "/"): e.find("a:title", ns).text
        for e in feed.findall("a:entry", ns)
    }
    assert entries == {p.url: p.display_title for p in portal.plans}


def test_agency_and_legal_document_pages_name_plans_by_the_same_titles(seed):
    """The plans an agency's page groups its work by, and the plans a cited document's page lists, read as the
    plans' titles."""
    site, portal = seed
    titles = {p.url: p.display_title for p in portal.plans}
    checked = 0
    lists = {
        "co-quan": ".//tr[@class='ck-group']/th/a[@href]",
        "van-ban": ".//ul[contains(@class,'ck-plan-list')]/li/a",
    }
    for folder, links in lists.items():
        for html in sorted((site / folder).rglob("index.html")):
            path = html.parent.relative_to(site).as_posix() + "/"
            for a in _article(_doc(site, path)).xpath(links):
                assert _text(a) == titles[_resolve(path, a.get("href"))], path
                checked += 1
    assert checked > 20


# --------------------------------------------------------------------------- budgets on unit and province pages


def _label(element) -> str:
    """What a figure is said to be: the headings, captions, row headers and chart titles around it."""
    parts = []
    for e in [element, *element.iterancestors()]:
        if e.tag == "td":  # its column's header, as a screen reader reads it
            column = len(e.xpath("preceding-sibling::*"))
            parts += [_text(th) for th in e.xpath(f"ancestor::table[1]/thead/tr/th[{column + 1}]")]
        if e.tag == "tr":
            parts += [_text(th) for th in e.xpath("./th")]
        elif e.tag == "table":
            parts += [_text(c) for c in e.xpath("./caption")]
        elif "ck-chart" in (e.get("class") or "").split():
            parts += [_text(t) for t in e.xpath(".//*[@class='ck-chart-title']")]
        heading = e.xpath("preceding-sibling::h3[1]")
        if heading:
            parts.append(_text(heading[0]))
            break
    return " | ".join(parts)


def _allowed(portal: Portal, unit) -> dict[tuple[int, str], set[Decimal]]:
    """The figures a roll-up of one year and one kind may show, drawn from the plans' budget tables directly: the
    tables' totals and lines, each budget category's sum and each unit's, of that year and kind alone."""
    found: dict[tuple[int, str], dict] = {}
    for plan in unit.all_plans:
        for t in plan.facts.budget_tables:
            kind = next(k for k in KINDS if k in t.phase_label.casefold())
            sums = found.setdefault((t.year, kind), {"total": 0, "lines": 0, "by": {}, "units": {}})
            sums["total"] += t.total_dong
            sums["lines"] += t.lines_dong
            for code, amount in t.categories:
                name = portal.budget_categories[code].name if code in portal.budget_categories else UNCLASSIFIED
                sums["by"][name] = sums["by"].get(name, 0) + amount
            own = sums["units"].setdefault(plan.unit.unit.name, [0, 0])
            own[0] += t.total_dong
            own[1] += t.lines_dong
    return {
        key: {s["total"], s["lines"], *s["by"].values(), *(x for pair in s["units"].values() for x in pair)}
        for key, s in found.items()
    }


_MONEY = re.compile(r"(?<![\d,.])(\d{1,3}(?:\.\d{3})*(?:,\d+)?) đồng")


@pytest.mark.parametrize("path", ["gia-lai/duc-co/", "gia-lai/", "ha-tinh/", "ha-tinh/duc-tho/"])
def test_every_budget_figure_of_a_unit_page_is_one_year_and_one_kind(seed, path):
    site, portal = seed
    unit = portal.units[path.strip("/")]
    allowed = _allowed(portal, unit)
    assert allowed
    doc = _doc(site, path)
    section = doc.xpath("//h2[@id='kinh-phi']/following-sibling::div[1]")[0]
    seen = 0
    for node in section.iter():
        for text in (node.text, node.tail):
            for match in _MONEY.finditer(text or ""):
                where = node if text is node.text else node.getparent()
                label = _label(where)
                years = set(re.findall(r"năm (\d{4})", label, re.I))
                kinds = {k for k in KINDS if k in label.casefold()}
                assert len(years) == 1 and len(kinds) == 1, (match.group(0), label)
                amount = Decimal(match.group(1).replace(".", "").replace(",", "."))
                assert amount in allowed[(int(years.pop()), kinds.pop())], (match.group(0), label)
                seen += 1
    assert seen >= 2 * len(allowed)
    text = _text(doc.xpath("//article")[0])
    if path.startswith("gia-lai"):
        # «Bảo đảm an toàn thông tin»: 626,72 triệu spent in 2022 and 250 triệu planned for 2023, never 876,72
        assert "626.720.000 đồng" in text and "250.000.000 đồng" in text
        assert "876.720.000" not in text and "876,72" not in text


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [PROVINCES, "", "gia-lai/duc-co/2023-chinh-quyen-so/"])
def test_the_new_blocks_have_no_wcag_violation_on_a_phone(seed, chromium, path, scheme):
    from tests.test_accessibility import AXE, axe_violations, describe

    if not AXE.exists():
        pytest.skip("axe-core is installed by `make test` (npm ci)")
    site, _ = seed
    context = chromium.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    with serve(site) as base:
        page.goto(f"{base}/{path}")
        violations = axe_violations(page)
    context.close()
    assert not violations, f"/{path} ({scheme}):\n{describe(violations)}"

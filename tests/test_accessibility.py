"""Accessibility of the real site in Debian's Chromium.

Every kind of page has no axe-core violation at WCAG 2.1 A and AA, in the light and the dark palette;
every table has a caption and header cells and every chart a text alternative; pages work with
JavaScript off (search aside); pages print without navigation chrome and without cut tables; the
search works by keyboard. axe-core comes from npm (package-lock.json, `make test` runs `npm ci`)
and is loaded from disk: the tests reach no other host.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
from urllib.parse import urlparse

import pytest
import yaml

from tests.browser import CHROMIUM, lay_out_all, serve
from tests.helpers import LARGE_PORTAL_PLANS, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.path.exists(CHROMIUM),
        reason="Debian chromium is installed by `make test`",
    ),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `make test` (npm ci)"),
]

PLAN = "gia-lai/duc-co/2023-chinh-quyen-so/"  # the biggest plan: targets, budget tables, charts, legal bases
# Each kind of page, as a path under the site's root; None: the biggest page of that kind, found in the build.
PAGES = {
    "home": "",
    "provinces": "tinh-thanh-pho/",
    "province": "ha-tinh/",
    "district": "ha-tinh/duc-tho/",
    "plan": PLAN,
    "history": PLAN + "lich-su/",
    "indicators": "chi-so/",
    "indicator": None,
    "agencies": "co-quan/",
    "province-agencies": "co-quan/ha-tinh/",
    "agency": None,
    "legal-documents": "van-ban/",
    "legal-document": None,
    "budget-check": "kiem-tra-so-lieu/",
    "budget": "ngan-sach/",
    "open-data": "du-lieu-mo/",
    "search-results": "tim-kiem/?q=tuong+lua+duc+tho",  # results, and a place named (the places box)
    "about": "gioi-thieu/",
    "disclosure": "tiep-can-thong-tin/",
    "corrections": "dinh-chinh/",
    "releases": "phien-ban/",
    "sitemap": "so-do-trang/",
    "province-sitemap": "so-do-trang/ha-tinh/",
    "404": "404.html",  # http.server serves no 404.html for a missing URL: the page itself is loaded
}
BIGGEST = {
    "indicator": "chi-so/*/index.html",
    "agency": "co-quan/**/index.html",
    "legal-document": "van-ban/*/index.html",
}
SEARCH_RESULT = "#ck-search-results a[href]"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real content built once, placed under the base_url's path (404.html links to it absolutely)."""
    from generator.build.pipeline import build_site

    prefix = urlparse(yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["base_url"]).path.strip("/")
    www = tmp_path_factory.mktemp("a11y") / "www"
    site = www / prefix if prefix else www
    build_site(ROOT / "content", ROOT / "site_config.yml", site, index=True)
    return www, site, prefix


@pytest.fixture(scope="module")
def site_url(built):
    www, _, prefix = built
    with serve(www) as url:
        yield f"{url}/{prefix}/" if prefix else f"{url}/"


@pytest.fixture(scope="module")
def pages(built):
    _, site, _ = built
    found = dict(PAGES)
    for kind, pattern in BIGGEST.items():
        files = [
            f
            for f in site.glob(pattern)
            if f.parent != site / pattern.split("/")[0] and f.parent.parent != site / "co-quan"
        ]  # a province's list of agencies is not an agency's page
        assert files, f"no {kind} page in the build ({pattern})"
        found[kind] = max(files, key=lambda f: f.stat().st_size).parent.relative_to(site).as_posix() + "/"
    return found


@pytest.fixture(scope="module")
def tabs(chromium):
    """One tab per palette, reused across pages."""
    opened = {}

    def tab(scheme):
        if scheme not in opened:
            context = chromium.new_context(color_scheme=scheme)
            opened[scheme] = (context, context.new_page())
        return opened[scheme][1]

    yield tab
    for context, _ in opened.values():
        context.close()


def wait_for_results(page):
    page.wait_for_selector(SEARCH_RESULT, timeout=10000)
    if "duc+tho" in page.url:  # the page of PAGES["search-results"] names a place too: checked with its box shown
        page.wait_for_selector("#ck-search-places li", timeout=10000)


def axe_violations(page, tags=WCAG_TAGS):
    lay_out_all(page)  # axe judges colours it can see: every table, as a reader scrolled to it sees it
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                         summary: n.failureSummary || ''}))}));
           }""",
        tags,
    )


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} element(s); {v['url']}")
        for n in v["nodes"][:3]:
            lines.append(f"    {n['target']}\n      {n['html'][:200]}")
            lines += [f"      {s.strip()}" for s in n["summary"].splitlines()[1:3]]
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_wcag_violation(kind, scheme, site_url, pages, tabs):
    page = tabs(scheme)
    page.goto(site_url + pages[kind])
    # Material picks the palette from prefers-color-scheme (palette entries with media queries).
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "slate" if scheme == "dark" else "default"
    )
    if kind == "search-results":
        wait_for_results(page)
    if kind == "plan":  # target states the real content does not have yet: their colours are checked too
        assert page.evaluate("""() => { const status = document.querySelector('.ck-status');
            status && status.insertAdjacentHTML('afterend', ' <span class="ck-status ck-status-met">Đạt</span>'
                + ' <span class="ck-status ck-status-not-met">Chưa đạt</span>');
            return !!status; }"""), "the plan page shows no target status"
    violations = axe_violations(page)
    assert not violations, f"/{pages[kind]} ({scheme}): axe-core WCAG 2.1 A/AA violations\n{describe(violations)}"


# The lists split by province past LIST_LIMIT rows (generator/outputs/site_pages.py) exist only in a portal of more
# than a hundred plans: those of a generated corpus (bench/corpus.py, the size tests/test_large_lists.py builds).
SPLIT_PLANS = LARGE_PORTAL_PLANS
SPLIT_PAGES = {
    "disclosure-by-province": "tiep-can-thong-tin/",  # the catalogue of documents: a summary by province
    "province-disclosure": None,  # one province's documents
    "indicator-by-province": None,  # an indicator's targets: a summary by province
    "province-indicator": None,  # one province's targets of an indicator
    "budget-by-year": "ngan-sach/",  # the table of years
    "budget-year": None,  # a year's budget by province
    "document-by-province": None,  # a cited document's plans: a summary by province
    "province-document": None,  # one province's plans citing a document
    "documents-by-province": "van-ban/",  # the index of documents: those of many provinces, then by province
    "province-documents": None,  # one province's own documents
}
SPLIT_BIGGEST = {
    "province-disclosure": "tiep-can-thong-tin/*/index.html",
    "province-indicator": "chi-so/*/*/index.html",
    "budget-year": "ngan-sach/*/index.html",
    "province-document": "van-ban/*/*/index.html",
    "province-documents": "van-ban/theo-tinh/*/index.html",
}


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """(URL, pages): the corpus built (no search index: these pages have no search) and served."""
    from bench.corpus import generate_corpus
    from generator.build.pipeline import build_site

    folder = tmp_path_factory.mktemp("a11y-split")
    generate_corpus(folder / "corpus", SPLIT_PLANS, 2025)
    site = folder / "site"
    build_site(folder / "corpus/content", folder / "corpus/site_config.yml", site, index=False)
    found = dict(SPLIT_PAGES)
    for kind, pattern in SPLIT_BIGGEST.items():
        files = [f for f in site.glob(pattern) if "theo-tinh" not in f.parts or kind == "province-documents"]
        assert files, f"no {kind} page in a portal of {SPLIT_PLANS} plans ({pattern})"
        found[kind] = max(files, key=lambda f: f.stat().st_size).parent.relative_to(site).as_posix() + "/"
    found["indicator-by-province"] = found["province-indicator"].rstrip("/").rsplit("/", 1)[0] + "/"
    found["document-by-province"] = found["province-document"].rstrip("/").rsplit("/", 1)[0] + "/"
    with serve(site) as url:
        yield url + "/", found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(SPLIT_PAGES))
def test_no_wcag_violation_in_lists_split_by_province(kind, scheme, split_site, tabs):
    url, pages = split_site
    page = tabs(scheme)
    page.goto(url + pages[kind])
    violations = axe_violations(page)
    assert not violations, f"/{pages[kind]} ({scheme}): axe-core WCAG 2.1 A/AA violations\n{describe(violations)}"


class _Structure(html.parser.HTMLParser):
    """Tables (caption, th) and SVG charts (role=img, named by title and desc) of one page."""

    def __init__(self):
        super().__init__()
        self.tables, self.charts, self.open = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.open.append({"caption": False, "th": False})
            self.tables.append(self.open[-1])
        elif tag == "caption" and self.open:
            self.open[-1]["caption"] = True
        elif tag == "th" and self.open:
            self.open[-1]["th"] = True
        elif tag == "div" and "ck-chart" in a.get("class", "").split():
            self.charts.append(a)

    def handle_endtag(self, tag):
        if tag == "table" and self.open:
            self.open.pop()


def test_every_table_has_a_caption_and_header_cells_and_every_chart_a_text_alternative(built):
    _, site, _ = built
    problems, charts = [], 0
    for f in sorted(site.rglob("*.html")):
        text = f.read_text("utf-8")
        s = _Structure()
        s.feed(text)
        where = f.relative_to(site).as_posix()
        problems += [f"{where}: table {i + 1} has no caption" for i, t in enumerate(s.tables) if not t["caption"]]
        problems += [f"{where}: table {i + 1} has no header cell" for i, t in enumerate(s.tables) if not t["th"]]
        for c in s.charts:
            charts += 1
            ids = c.get("aria-labelledby", "").split()
            named = len(ids) == 2 and all(re.search(f'id="{re.escape(i)}">[^<]', text) for i in ids)
            if c.get("role") != "img" or not named:
                problems.append(f"{where}: chart without role=img named by a title and a description: {c}")
    assert charts, "the build has no chart to check"
    assert not problems, "\n".join(problems[:20])


def test_pages_work_without_javascript(site_url, chromium):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url)
        # province → district → plan, by clicking the links in the page body
        for href in ("gia-lai/", "duc-co/", "2023-chinh-quyen-so/"):
            page.locator(f'.md-content a[href$="{href}"]').first.click()
            page.wait_for_load_state()
            assert page.url.endswith(href), page.url
        assert page.url == site_url + PLAN
        assert page.locator("h1").first.is_visible()
        tables = page.locator(".md-content table")
        assert tables.count() >= 5
        for i in range(tables.count()):
            assert tables.nth(i).is_visible(), f"table {i + 1} hidden without JavaScript"
            assert tables.nth(i).locator("caption").is_visible()
        assert page.locator(".ck-budget table").first.is_visible()
        text = page.locator(".md-content").inner_text()
        for words in ("Số, ký hiệu", "Chỉ tiêu", "Kinh phí", "Tổng cộng", "Căn cứ pháp lý"):
            assert words in text
        # the sidebar navigation works too
        page.locator('.md-sidebar--primary a[href$="kiem-tra-so-lieu/"]').first.click()
        page.wait_for_load_state()
        assert page.url == site_url + "kiem-tra-so-lieu/"
        # search needs JavaScript, and says so
        page.goto(site_url + "tim-kiem/")
        assert "Tìm kiếm cần JavaScript" in page.locator(".md-content").inner_text()
    finally:
        context.close()


def test_plan_prints_without_navigation_and_without_cut_tables(site_url, chromium):
    # A4 less ~1 cm margins at 96 dpi
    page = chromium.new_page(viewport={"width": 720, "height": 1000})
    try:
        page.goto(site_url + PLAN)
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-skip", ".ck-header-search"):
            for i in range(page.locator(chrome).count()):
                assert not page.locator(chrome).nth(i).is_visible(), f"{chrome} is printed"
        widths = page.evaluate("""() => {
            const content = document.querySelector('.md-content').getBoundingClientRect();
            return [...document.querySelectorAll('.md-content table')].map(t => {
              const wrap = t.closest('.ck-table-wrap') || t.parentElement;
              return {caption: (t.caption && t.caption.textContent) || '', budget: !!t.closest('.ck-budget'),
                      right: t.getBoundingClientRect().right, contentRight: content.right,
                      scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
                      contentWidth: document.querySelector('.md-content').clientWidth};
            });
        }""")
        assert any(w["budget"] for w in widths)
        cut = [
            w
            for w in widths
            if w["right"] > w["contentRight"] + 1
            or w["scrollWidth"] > w["contentWidth"] + 1
            or w["scrollWidth"] > w["clientWidth"] + 1
        ]
        assert not cut, f"tables wider than the printed page: {cut}"
    finally:
        page.close()


FOCUSED = """target => { const e = document.activeElement;
    return {hit: e === target, tag: e.tagName, text: (e.innerText || e.value || e.name || '').trim().slice(0, 40),
            form: !!e.closest('form[role=search]'), content: !!e.closest('.md-content'),
            result: !!e.closest('#ck-search-results')}; }"""


def search_field(page):
    field = page.locator(".md-content input[type=search], .md-content input[type=text]").locator("visible=true").first
    field.wait_for()
    return field


def tab_until(page, target, limit):
    """Press Tab until `target` (a locator) has the focus; the elements focused on the way."""
    element, stops = target.element_handle(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, element)
        if focused["hit"]:
            return stops
        stops.append(focused)
    raise AssertionError(f"{limit} presses of Tab never reach {target}; focus went through {stops}")


def test_search_by_keyboard(site_url, chromium):
    page = chromium.new_page()
    try:
        page.goto(site_url + "tim-kiem/")
        field = search_field(page)
        tab_until(page, field, 60)  # from the top: skip link, header, navigation, then the page
        page.keyboard.type("tuong lua")
        wait_for_results(page)
        first = page.locator(SEARCH_RESULT).first
        target = first.evaluate("a => a.href")
        stops = tab_until(page, first, 80)
        assert all(s["content"] and not s["result"] for s in stops), stops  # no detour out of the page body
        page.keyboard.press("Enter")
        page.wait_for_url(lambda u: u.split("#")[0] == target.split("#")[0])
    finally:
        page.close()


def test_tab_goes_from_the_search_form_to_the_first_result(site_url, chromium):
    page = chromium.new_page()
    try:
        page.goto(site_url + "tim-kiem/")
        field = search_field(page)
        field.focus()
        page.keyboard.type("tuong lua")
        wait_for_results(page)
        stops = tab_until(page, page.locator(SEARCH_RESULT).first, 80)
        outside = [s for s in stops if not s["form"]]
        assert not outside, f"between the search form and the first result, Tab stops at {outside}"
    finally:
        page.close()


@pytest.fixture(scope="module")
def unit_budget_years(tmp_path_factory):
    """The seeds built with every unit's budget on a page per year (as a province with more than LIST_LIMIT plans in
    its budget has it), served: (URL, a province's table of years, its page of a year)."""
    from generator.build.pipeline import build_site
    from generator.outputs import site_pages

    site = tmp_path_factory.mktemp("a11y-budget-years") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_pages, "LIST_LIMIT", 0)
        build_site(ROOT / "content", ROOT / "site_config.yml", site, index=False)
    year = min(p.parent.name for p in site.glob("gia-lai/kinh-phi/*/index.html"))
    with serve(site) as url:
        yield url + "/", "gia-lai/", f"gia-lai/kinh-phi/{year}/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violation_in_a_units_budget_by_year(scheme, unit_budget_years, tabs):
    url, *pages = unit_budget_years
    page = tabs(scheme)
    for path in pages:
        page.goto(url + path)
        violations = axe_violations(page)
        assert not violations, f"/{path} ({scheme}): axe-core WCAG 2.1 A/AA violations\n{describe(violations)}"

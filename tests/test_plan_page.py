"""The plan page on a phone and a desktop, in Chromium (issue 21): what the plan is and its key figures on the first
screen, a table of contents that reaches every section, targets as cards and budget tables whose row names stay in
view on a phone, and the citizen's question «how much did Đức Cơ plan for information security in 2023, and who
leads it?» answered in a few taps."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from decimal import Decimal
from urllib.parse import unquote

import pytest

from generator.outputs.format import money
from tests.browser import lay_out_all, serve
from tests.helpers import ROOT, build, page

DUC_CO = "gia-lai/duc-co/2023-chinh-quyen-so/"
DUC_THO = "ha-tinh/duc-tho/2023-chinh-quyen-so/"
NO_BUDGET = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so/"  # targets and tasks, no budget table
SIZES = [(390, 844), (1280, 900)]
SIZE_IDS = ["phone", "desktop"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seed content (content/), built once."""
    return build(ROOT, tmp_path_factory.mktemp("plan-page") / "site", index=False)


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def open_page(chromium, base):
    pages = []

    def opened(path: str, width: int, height: int, *, javascript: bool = True):
        context = chromium.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        pages.append(context)
        p = context.new_page()
        p.goto(f"{base}/{path}")
        return p

    yield opened
    for context in pages:
        context.close()


def _h2_ids(p) -> list[str]:
    """The page's own h2s: those of the editors' text (div.ck-narrative) sit under «Nội dung văn bản»."""
    return p.eval_on_selector_all(".md-content h2", "hs => hs.filter(h => !h.closest('.ck-narrative')).map(h => h.id)")


def _contents(p) -> list[dict]:
    return p.eval_on_selector_all(
        'nav[aria-label="Mục lục"] a',
        """links => links.map(a => ({href: a.getAttribute('href'), top: !a.parentElement.closest('li ol'),
                                    target: !!document.getElementById(decodeURIComponent(a.hash.slice(1)))}))""",
    )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_contents_lists_every_section_and_reaches_it(open_page, width, height):
    p = open_page(DUC_CO, width, height)
    assert p.locator('nav[aria-label="Mục lục"]').is_visible()
    links = _contents(p)
    assert links and all(link["href"].startswith("#") and link["target"] for link in links), links
    # the top level is every h2 of the page, in the page's order
    assert [link["href"][1:] for link in links if link["top"]] == _h2_ids(p)
    # budget tables are listed under «Kinh phí»
    assert "#nhiem-vu-du-an-2023" in [link["href"] for link in links if not link["top"]]
    # a link of the contents takes the reader to its section, and the address can be shared
    p.click('nav[aria-label="Mục lục"] a[href="#chi-tieu"]')
    top = p.eval_on_selector("#chi-tieu", "h => h.getBoundingClientRect().top")
    assert 0 <= top < height / 3
    assert p.url.endswith("#chi-tieu")
    # and after each section, a way back to the contents
    back = p.locator('.md-content a[href="#muc-luc"]')
    assert back.count() >= len([link for link in links if link["top"]]) - 2


def test_contents_list_the_headings_of_the_editors_text(open_page):
    """The plan's own text (the .md beside its YAML, «Nội dung văn bản»): its headings are in the contents, nested
    under that section as in the text, each a link to its heading on the page."""
    text = (ROOT / "content" / f"{NO_BUDGET.rstrip('/')}.md").read_text("utf-8")
    written = [(len(hashes), words) for hashes, words in re.findall(r"^(#{2,3}) (.+)$", text, re.M)]
    assert written  # «## I. Mục đích, yêu cầu», «### 1. Mục đích», «### 2. Yêu cầu»
    p = open_page(NO_BUDGET, 390, 844)
    entries = p.eval_on_selector_all(
        'nav[aria-label="Mục lục"] li:has(> a[href="#noi-dung"]) > ol a',
        """links => links.map(a => {
             const h = document.getElementById(decodeURIComponent(a.hash.slice(1)));
             let depth = 0;  // entries between this one and «Nội dung văn bản»
             for (let li = a.closest('li'); !li.querySelector(':scope > a[href="#noi-dung"]');
                  li = li.parentElement.closest('li')) depth++;
             return {href: a.getAttribute('href'), words: a.textContent, depth,
                     heading: h && h.closest('.ck-narrative') ? h.textContent : null}; })""",
    )
    assert [(e["depth"] + 1, e["words"]) for e in entries] == written, entries
    assert all(e["heading"] == e["words"] for e in entries), entries
    assert entries[0]["href"] == "#i-mục-đích-yêu-cầu"  # the site's slugs, Vietnamese letters kept
    p.click(f'nav[aria-label="Mục lục"] a[href="{entries[-1]["href"]}"]')
    assert unquote(p.url).endswith(entries[-1]["href"])
    top = p.eval_on_selector(f'[id="{entries[-1]["href"][1:]}"]', "h => h.getBoundingClientRect().top")
    assert 0 <= top < 844 / 3


def test_headings_of_the_editors_text_never_take_an_id_of_the_page():
    """The page's own ids are ASCII («kinh-phi», «chi-tieu»); a heading of the editors' text whose slug is ASCII as well
    begins with the section's id, in the contents and on the page alike."""
    from generator.model.views import narrative_markdown, narrative_outline
    from generator.outputs.templates import markdown_html

    text = "## Kinh phi\n\nĐoạn.\n\n### Chỉ tiêu & <b>mốc</b>\n\n## Kinh phí\n\n# Một dòng\n\n## ***\n"
    outline = narrative_outline(text)
    assert [(s.id, s.heading, [(c.id, c.heading) for c in s.children]) for s in outline] == [
        ("noi-dung-kinh-phi", "Kinh phi", [("chỉ-tiêu--mốc", "Chỉ tiêu & mốc")]),
        ("kinh-phí", "Kinh phí", []),
        ("noi-dung-muc", "***", []),
    ]
    rendered = str(markdown_html(text, converter=narrative_markdown()))
    assert re.findall(r'<h[2-6] id="([^"]+)"', rendered) == [
        "noi-dung-kinh-phi",
        "chỉ-tiêu--mốc",
        "kinh-phí",
        "noi-dung-muc",
    ]
    assert "<h1" not in rendered and "Một dòng" in rendered  # «#» is no heading there: its words stay
    assert narrative_outline("Không có tiêu đề.\n\n- một\n- hai\n") == ()


def test_contents_works_without_javascript(open_page):
    p = open_page(DUC_CO, 390, 844, javascript=False)
    nav = p.locator('nav[aria-label="Mục lục"]')
    assert nav.is_visible()
    p.click('nav[aria-label="Mục lục"] a[href="#kinh-phi"]')
    assert p.url.endswith("#kinh-phi")
    assert 0 <= p.eval_on_selector("#kinh-phi", "h => h.getBoundingClientRect().top") < 844 / 3


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_key_figures_on_the_first_screen(open_page, width, height):
    p = open_page(DUC_CO, width, height)
    figures = p.locator(".ck-glance .ck-figures")
    assert figures.is_visible()
    assert figures.bounding_box()["y"] < 1.5 * height
    # the planned budget itself, not just the start of the block
    planned = p.locator(".ck-figure", has_text="Kinh phí dự kiến năm 2023").locator(".ck-amount")
    assert planned.bounding_box()["y"] + planned.bounding_box()["height"] < 1.5 * height
    # what the plan is, above the figures
    what = p.locator(".ck-glance-what").inner_text()
    for words in ("Kế hoạch", "UBND huyện Đức Cơ", "số không rõ", "tháng 11/2022", "năm 2023"):
        assert words in what
    # nothing of the page needs sideways scrolling
    assert p.evaluate("document.documentElement.scrollWidth") <= width


def _glance(site, plan: str) -> str:
    text = page(site, plan)
    return text[text.index('<section class="ck-glance"') : text.index("</section>")]


def _figure(glance: str, label: str) -> str:
    m = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", glance, re.S)
    assert m, f"no figure «{label}»"
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


@pytest.mark.parametrize("plan", [DUC_CO, DUC_THO])
def test_key_figures_agree_with_the_data(site, plan):
    """Each year and kind's total as the plan's kinh-phi.json declares it (its tables' «Tổng cộng», main column),
    with the sum of the lines beside it where they differ; years and kinds never added together."""
    rows = json.loads((site / plan / "kinh-phi.json").read_text("utf-8"))
    totals: dict[tuple[int, str], dict[str, dict]] = defaultdict(dict)
    for r in rows:
        if r["loai_dong"] == "tong-cong":
            totals[(r["nam"], r["giai_doan"])][r["bang"]] = r  # the last column's row: the table's main column
    glance = _glance(site, plan)
    assert totals
    for (year, phase), tables in totals.items():
        label = {"du-kien": "Kinh phí dự kiến", "thuc-hien": "Kinh phí đã thực hiện"}[phase] + f" năm {year}"
        declared = sum((Decimal(r["so_tien_dong"]) for r in tables.values()), Decimal(0))
        lines = sum((Decimal(r["tong_cac_dong_dong"] or r["so_tien_dong"]) for r in tables.values()), Decimal(0))
        shown = _figure(glance, label)
        assert shown.startswith(money(declared)), (label, shown)
        assert (f"cộng các dòng được {money(lines)}" in shown) == (lines != declared), (label, shown)
    if plan == DUC_CO:
        assert _figure(glance, "Kinh phí dự kiến năm 2023").startswith("557.000.000 đồng")
        assert "566.000.000 đồng" in _figure(glance, "Kinh phí dự kiến năm 2023")
        assert _figure(glance, "Kinh phí đã thực hiện năm 2022").startswith("1.374.306.000 đồng")
        assert "35 chỉ tiêu" in _figure(glance, "Chỉ tiêu") and "hạn 2023" in _figure(glance, "Chỉ tiêu")
        assert "28 nhiệm vụ" in _figure(glance, "Nhiệm vụ, giải pháp")
    else:
        assert _figure(glance, "Kinh phí dự kiến năm 2023").startswith("1.545.000.000 đồng")


def test_unknown_stays_unknown(site):
    glance = _glance(site, NO_BUDGET)
    assert _figure(glance, "Kinh phí dự kiến").startswith("không rõ")
    assert "0 đồng" not in glance


def test_lead_units_link_to_their_agencies(site):
    glance = _glance(site, DUC_CO)
    leads = _figure(glance, "Đơn vị chủ trì nhiều việc nhất")
    assert "Văn phòng HĐND-UBND huyện" in leads and "10 chỉ tiêu chủ trì" in leads
    block = glance[glance.index("Đơn vị chủ trì nhiều việc nhất") :]
    assert re.search(r'<li><a href="[^"]*co-quan/gia-lai/duc-co/[^"]+/">Văn phòng HĐND-UBND huyện</a>', block)


# What a reader must see of each table without swiping sideways (issue 21's proof: «no table in the main content needs
# sideways scrolling to show a key column»): a target's deadline and lead unit; a legal basis's title and number; a
# budget line's name, each of its amounts and its details with the lead unit («Chủ trì»), a group's and the total's
# amounts.
KEY_CELLS = {
    ".ck-targets": "tbody td:nth-child(6), tbody td:nth-child(7)",
    ".ck-legal-bases": "tbody td:nth-child(2), tbody td:nth-child(3)",
    ".ck-budget": "tbody tr:not(.ck-group) > td:nth-child(n+2), tbody tr.ck-group > td:not(:last-child), tfoot td",
}


def test_no_table_needs_sideways_scrolling_on_a_phone(open_page):
    width = 390
    p = open_page(DUC_CO, width, 844)
    lay_out_all(p)
    wraps = p.eval_on_selector_all(
        ".md-content .ck-table-wrap", "ws => ws.map(w => [w.className, w.scrollWidth - w.clientWidth])"
    )
    assert len(wraps) >= 5 and {".ck-targets", ".ck-budget"} <= {"." + c for w in wraps for c in w[0].split()}
    assert max(extra for _, extra in wraps) <= 1, wraps
    cells = {
        table: p.eval_on_selector_all(
            f".md-content {table} :is({key})",
            """cs => cs.map(c => { const b = c.getBoundingClientRect();
                                  return {left: b.left, right: b.right, height: b.height, text: c.innerText,
                                          blank: !c.textContent.trim()}; })""",
        )
        for table, key in KEY_CELLS.items()
    }
    assert len(cells[".ck-targets"]) == 2 * 35 and len(cells[".ck-legal-bases"]) >= 2
    budget = cells[".ck-budget"]
    leads = p.eval_on_selector_all(".ck-budget td", "cs => cs.filter(c => c.textContent.includes('Chủ trì:')).length")
    assert len(budget) > 40 and leads and sum("Chủ trì:" in c["text"] for c in budget) == leads
    for table, found in cells.items():
        off = [c for c in found if not c["blank"] and (c["left"] < 0 or c["right"] > width or c["height"] == 0)]
        assert not off, (table, off[:3])
    # the budget cells say which column they are, the table's header being for screen readers only
    label = p.eval_on_selector(
        ".ck-budget tbody tr:not(.ck-group) > td:nth-child(3)", "c => getComputedStyle(c, '::before').content"
    )
    assert "Tổng mức đầu tư (Triệu đồng)" in label
    # on a desktop, tables stay tables; the budget tables show every column in their box, the lead unit's too
    desktop = open_page(DUC_CO, 1280, 900)
    lay_out_all(desktop)
    for table in (".ck-targets", ".ck-budget"):
        assert desktop.eval_on_selector(f"{table} tbody tr", "r => getComputedStyle(r).display") == "table-row"
        assert desktop.locator(f"{table} thead").first.is_visible()
    fits = desktop.eval_on_selector_all(
        ".ck-budget",
        f"""ws => ws.map(w => {{ const box = w.getBoundingClientRect();
               return {{extra: w.scrollWidth - w.clientWidth,
                       out: [...w.querySelectorAll(':is({KEY_CELLS[".ck-budget"]})')].filter(c =>
                              c.getBoundingClientRect().right > box.left + w.clientWidth + 1).length}}; }})""",
    )
    assert len(fits) == 2 and all(f["extra"] <= 1 and not f["out"] for f in fits), fits


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_what_the_plan_is_reads_on_a_phone(open_page, width, height):
    """«Thông tin văn bản»: on a phone each label above its value, which is never squeezed into a narrow column
    beside it (at least 60% of the content's width); on a desktop, labels beside their values."""
    p = open_page(DUC_CO, width, height)
    rows = p.eval_on_selector(
        ".ck-identity",
        """dl => { const content = dl.parentElement.getBoundingClientRect().width;
                   return [...dl.querySelectorAll(':scope > dt')].map(dt => {
                     const a = dt.getBoundingClientRect(), b = dt.nextElementSibling.getBoundingClientRect();
                     return {label: dt.textContent, share: b.width / content, above: a.bottom <= b.top + 1,
                             beside: a.right <= b.left && a.top === b.top, right: b.right};
                   }); }""",
    )
    assert [r["label"] for r in rows][:3] == ["Loại văn bản", "Cơ quan ban hành", "Đơn vị"] and len(rows) >= 9
    assert all(r["share"] >= 0.6 and r["right"] <= width for r in rows), rows
    if width < 600:
        assert all(r["above"] for r in rows), rows
    else:
        assert all(r["beside"] for r in rows), rows


@pytest.mark.parametrize(("width", "height"), [(768, 1024), (1280, 900)], ids=["tablet", "desktop"])
def test_budget_row_names_stay_in_view(open_page, width, height):
    """Wider than a phone, a budget table wider than its box scrolls inside it, its row names staying in view."""
    p = open_page(DUC_CO, width, height)
    lay_out_all(p)
    result = p.eval_on_selector_all(
        ".ck-budget",
        """wraps => wraps.map(w => {
             w.scrollLeft = 400;
             const box = w.getBoundingClientRect();
             const labels = [...w.querySelectorAll('tbody tr > :nth-child(2)')].map(c => c.getBoundingClientRect());
             const caption = w.querySelector('caption span').getBoundingClientRect();
             return {scrolled: w.scrollLeft, left: box.left, right: box.left + w.clientWidth,
                     labels: labels.map(b => [b.left, b.right]), caption: [caption.left, caption.right]};
           })""",
    )
    assert len(result) == 2
    if width < 1000:
        assert any(r["scrolled"] > 0 for r in result), "the budget tables fit a tablet: nothing to prove"
    for r in result:
        assert r["labels"]
        for left, right in r["labels"]:
            assert left >= r["left"] - 1 and right <= r["right"] + 1, (r["left"], r["right"], left, right)
        assert r["caption"][0] >= r["left"] - 1 and r["caption"][1] <= width, r["caption"]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_chart_text_is_legible(open_page, width, height):
    p = open_page(DUC_CO, width, height)
    sizes = p.eval_on_selector_all(
        ".ck-chart-title, .ck-bar-label, .ck-bar-value",
        "es => es.filter(e => e.offsetParent).map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 10, min(sizes)


def test_duc_co_information_security_in_three_taps(open_page):
    """From the top of the plan page on a phone: the contents, the 2023 budget table, the information-security
    group and its lines with their lead unit, in at most 3 taps and 3 screens of scrolling."""
    width, height = 390, 844
    p = open_page(DUC_CO, width, height)
    taps, scrolled = 0, 0

    def scroll_to(selector: str) -> None:
        """Scrolls as a reader would, a screen at most at a time, until the element is wholly in view."""
        nonlocal scrolled
        for _ in range(20):
            box = p.eval_on_selector(
                selector, "e => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; }"
            )
            if box[0] >= 0 and box[1] <= height:
                return
            step = max(min(box[1] - height + 8, height), -height) if box[0] >= 0 else max(box[0] - 8, -height)
            p.evaluate(f"window.scrollBy(0, {step})")
            scrolled += abs(step)
        raise AssertionError(f"{selector} never came into view")

    # 1. in the contents, under the 2023 budget table, its group «Bảo đảm an toàn thông tin»
    entry = p.locator('nav[aria-label="Mục lục"] li:has(> a[href="#nhiem-vu-du-an-2023"]) li a', has_text="an toàn")
    assert entry.count() == 1
    group_id = entry.get_attribute("href")[1:]
    scroll_to(f'nav[aria-label="Mục lục"] a[href="#{group_id}"]')
    entry.click()
    taps += 1
    assert p.url.endswith(f"#{group_id}")
    # 2. the group's row, in that table, marked; and its first line below it
    table = "#nhiem-vu-du-an-2023 ~ .ck-budget"
    group = p.locator(f"{table} tr.ck-group#{group_id}")
    assert "Bảo đảm an toàn thông tin" in group.inner_text()
    assert group.evaluate("g => getComputedStyle(g.firstElementChild).backgroundColor") == "rgb(255, 245, 157)"
    line_id = group.evaluate("g => g.nextElementSibling.id")
    scroll_to(f"#{line_id}")
    assert p.eval_on_selector(f"#{group_id}", "g => g.getBoundingClientRect().top") >= 0
    # 3. the lead unit, in the line's card below its name and amounts: on screen, without a sideways swipe
    lead = p.locator(f"#{line_id} > td:last-child")
    assert "Chủ trì: Các cơ quan, đơn vị và Ủy ban nhân dân các xã, thị trấn" in lead.inner_text()
    assert p.eval_on_selector(table, "w => w.scrollWidth - w.clientWidth") <= 1
    box = lead.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + 20 < height, box
    name = p.locator(f"#{line_id} > td:nth-child(2)")
    assert "Mua phần mềm diệt virus" in name.inner_text()
    named = name.bounding_box()
    assert named["x"] >= 0 and named["y"] >= 0 and named["y"] + named["height"] <= box["y"] + 1, (named, box)
    assert taps <= 3 and scrolled <= 3 * height, (taps, scrolled)


def test_no_script_holds_the_first_paint(site):
    """A phone on slow 4G shows the page once its HTML and styles are in: the scripts it loads (Material's bundle)
    are deferred, so none holds the first paint (Lighthouse's render-blocking resources, tests/test_lighthouse.py)."""
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page(site, DUC_CO))
    assert scripts and all(re.search(r"\b(defer|async)\b", s) for s in scripts), scripts


def test_parts_follow_the_documents_order_then_the_schemas(site):
    """The page's parts: those the plan lists in section_order, then the others in schema.PlanPart's order; the
    contents are the page's h2s (what test_fidelity's check of the template's own list guarded before the order
    moved into the model)."""
    from generator.build.pipeline import check
    from generator.content import schema
    from generator.content.config import load_config
    from generator.model.views import build_portal

    portal = build_portal(check(ROOT / "content"), load_config(ROOT / "site_config.yml"))
    for plan in portal.plans:
        listed = list(plan.plan.section_order)
        assert [part for part, _ in plan.parts] == listed + [p for p in schema.PlanPart if p not in listed]
        own = re.sub(r'<div class="ck-narrative">.*?</div>', "", page(site, plan.url), flags=re.S)
        assert re.findall(r'<h2 id="([^"]+)"', own) == [s.id for s in plan.contents]

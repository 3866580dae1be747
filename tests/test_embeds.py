"""Embeddable widgets (issue 25): each plan's targets with their status and its budget summary, as pages with no
site chrome, under 40 KB, accessible, working inside another site's iframe and linking back to the plan; the plan
page's «Nhúng» block gives the iframe code to copy.

Built from the seed content (the biggest plan: Đức Cơ's) and from the fixture with a hundred and twenty long
targets."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from generator.outputs import embeds
from tests.browser import CHROMIUM, serve
from tests.helpers import ROOT, build, copy_fixture, page

BIGGEST = "gia-lai/duc-co/2023-chinh-quyen-so/"
WIDGETS = ("nhung/chi-tieu.html", "nhung/kinh-phi.html")
FIXTURE_PLAN = "tinh-mau/huyen-mau/2023-ke-hoach/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
needs_chromium = pytest.mark.skipif(
    not shutil.which("chromium") and not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`"
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("embeds")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    return build(folder, index=False)


@pytest.fixture(scope="module")
def many_targets(tmp_path_factory):
    """The fixture's plan with 120 targets of 300 characters each."""
    folder = copy_fixture("basic", tmp_path_factory.mktemp("many"))
    path = folder / "content" / (FIXTURE_PLAN.rstrip("/") + ".yml")
    plan = yaml.safe_load(path.read_text("utf-8"))
    words = "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng, ký số và lưu trữ điện tử theo quy định "
    plan["targets"] = [
        {"area": f"Lĩnh vực {n % 7}", "statement": f"{n}. {(words * 4)[:300]}", "deadline_year": 2023}
        for n in range(1, 121)
    ]
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), "utf-8")
    return build(folder, index=False)


def widget_links(text: str) -> list[tuple[str, str | None]]:
    """(href, target) of each link of a widget."""
    return [
        (html.unescape(m.group(1)), (re.search(r'target="([^"]*)"', m.group(0)) or [None, None])[1])
        for m in re.finditer(r'<a href="([^"]*)"[^>]*>', text)
    ]


def check_widget(site: Path, plan: str, name: str) -> str:
    path = site / plan / name
    data = path.read_bytes()
    assert len(data) < embeds.MAX_BYTES, f"{plan}{name}: {len(data)} bytes"
    text = data.decode("utf-8")
    assert text.startswith("<!doctype html>\n") and '<html lang="vi">' in text
    for chrome in ("md-header", "md-nav", "md-sidebar", "md-footer", "md-banner", "<script", "<iframe"):
        assert chrome not in text, f"{plan}{name}: {chrome}"
    assert "X-Frame-Options" not in text and "frame-ancestors" not in text  # nothing stops framing
    assert re.search(r"<title>[^<]+</title>", text)
    links = widget_links(text)
    widget_url = f"https://example.org/{plan}{name}"
    assert links and all(target == "_top" for _, target in links), links  # the plan opens in the embedding window
    back = [href for href, _ in links if urljoin(widget_url, href).split("#")[0] == f"https://example.org/{plan}"]
    assert back, f"{plan}{name}: no link back to the plan"
    return text


def test_every_seed_plans_widgets_are_small_standalone_and_link_back(seeds):
    checked = 0
    for plan in sorted(seeds.glob("*/**/nhung")):
        url = plan.parent.relative_to(seeds).as_posix() + "/"
        for name in sorted(p.name for p in plan.iterdir()):
            check_widget(seeds, url, f"nhung/{name}")
            checked += 1
    assert checked >= 7  # five plans: each sets targets, two give a budget table


def test_the_biggest_plans_widgets_show_its_figures(seeds):
    targets = check_widget(seeds, BIGGEST, WIDGETS[0])
    assert "Trạng thái 35 chỉ tiêu" in targets and targets.count('<tr><td class="n">') == 35
    assert '<a href="../#chi-tieu-35" target="_top">' in targets
    budget = check_widget(seeds, BIGGEST, WIDGETS[1])
    assert 'Kinh phí dự kiến năm 2023</dt><dd><span class="amount">557.000.000 đồng</span>' in budget
    assert "Kinh phí đã thực hiện năm 2022" in budget


def test_a_hundred_and_twenty_targets_stay_under_40_kb(many_targets):
    text = check_widget(many_targets, FIXTURE_PLAN, WIDGETS[0])
    assert "Trạng thái 120 chỉ tiêu" in text  # the counts cover every target
    assert text.count('<tr><td class="n">') == embeds.MAX_TARGET_ROWS
    assert "Còn 60 chỉ tiêu" in text and '<a href="../#chi-tieu" target="_top">xem đủ 120 chỉ tiêu' in text
    assert "…</a>" in text  # statements cut short


def test_the_plan_page_offers_each_widgets_iframe_code(seeds):
    text = page(seeds, BIGGEST)
    block = text[text.index('<details class="ck-embed">') : text.index("</details>", text.index("ck-embed"))]
    assert "<summary>Nhúng vào trang khác</summary>" in block
    codes = [html.unescape(c) for c in re.findall(r'<textarea id="ck-nhung-[^"]+"[^>]*>([^<]*)</textarea>', block)]
    base = str(yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["base_url"])
    assert [re.search(r'src="([^"]+)"', c).group(1) for c in codes] == [base + BIGGEST + w for w in WIDGETS]
    for code in codes:
        assert code.startswith("<iframe ") and code.endswith("></iframe>")
        assert 'title="' in code and "Huyện Đức Cơ, Gia Lai" in code
    assert "<iframe" not in block  # shown as text, never a live frame
    for w in WIDGETS:
        assert f'<a href="{w}">xem trước</a>' in block


def test_markup_in_a_title_is_escaped_in_the_widgets_and_the_code(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    path = folder / "content" / (FIXTURE_PLAN.rstrip("/") + ".yml")
    path.write_text(
        path.read_text("utf-8").replace(
            "title: Kế hoạch phát triển chính quyền số năm 2023", "title: 'Kế hoạch <b>số</b> & \"x\" năm 2023'", 1
        ),
        "utf-8",
    )
    site = build(folder, index=False)
    widget = (site / FIXTURE_PLAN / WIDGETS[0]).read_text("utf-8")
    assert "<b>" not in widget and "&lt;b&gt;số&lt;/b&gt; &amp; &#34;x&#34;" in widget
    code = re.search(r'<textarea id="ck-nhung-chi-tieu"[^>]*>([^<]*)</textarea>', page(site, FIXTURE_PLAN)).group(1)
    # once escaped in the code (an attribute), once more to show the code as text
    assert "&amp;lt;b&amp;gt;số&amp;lt;/b&amp;gt; &amp;amp; &amp;#34;x&amp;#34;" in code


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def served(seeds):
    with serve(seeds) as url:
        yield url


@needs_chromium
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `make test` (npm ci)")
@pytest.mark.parametrize("name", WIDGETS)
def test_widgets_pass_axe(served, chromium, name):
    from tests.test_accessibility import axe_violations, describe

    context = chromium.new_context(viewport={"width": 390, "height": 600})
    try:
        p = context.new_page()
        p.goto(f"{served}/{BIGGEST}{name}")
        violations = axe_violations(p)
        assert not violations, describe(violations)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling in a narrow frame
    finally:
        context.close()


@needs_chromium
def test_a_widget_works_inside_another_sites_iframe(served, chromium):
    context = chromium.new_context(viewport={"width": 1000, "height": 800})
    try:
        p = context.new_page()
        code = next(
            html.unescape(c)
            for c in re.findall(
                r'<textarea id="ck-nhung-chi-tieu"[^>]*>([^<]*)</textarea>', p.goto(f"{served}/{BIGGEST}").text()
            )
        )
        src = f"{served}/{BIGGEST}{WIDGETS[0]}"
        frame_html = re.sub(r'src="[^"]+"', f'src="{src}"', code)  # the code, served from this test's host
        p.set_content(
            f'<!doctype html><html lang="vi"><title>Trang khác</title><body><p>Báo địa phương</p>{frame_html}'
        )
        frame = p.frame_locator("iframe")
        frame.locator("h1").wait_for()
        assert frame.locator("h1").inner_text() == "Chỉ tiêu và trạng thái"
        assert p.evaluate("document.querySelector('iframe').getBoundingClientRect().height") > 300
        frame.locator("p.kicker a").click()  # back to the plan, in the embedding page's window
        p.wait_for_url(f"{served}/{BIGGEST}")
        assert p.locator("h1").first.is_visible()
    finally:
        context.close()


@needs_chromium
def test_the_embed_block_is_one_line_on_a_phone(served, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        p = context.new_page()
        p.goto(f"{served}/{BIGGEST}")
        block = p.locator("details.ck-embed")
        assert block.bounding_box()["height"] < 40  # folded: its summary only
        block.locator("summary").click()
        assert p.locator("#ck-nhung-chi-tieu").is_visible()
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()

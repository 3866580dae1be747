"""«Góp ý / đề nghị đính chính» and the portal's contacts (issue 25).

The plan page's link, and the link its script makes for the table row a reader hovers or focuses, open a mail to
the information focal point (or the host's form) with the page's address and the row's anchor, the row and the
plan's number; decoded here as a mail client decodes them (RFC 6068). The contacts of site_config.yml: a placeholder
stops the build (file, line, field) and leaves the published site as it was, unless the portal says it is a demo,
whose every page then says so.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from generator.build.pipeline import build_site
from generator.errors import ContentErrors
from generator.outputs.feedback import derived_row_href
from tests.browser import CHROMIUM, serve
from tests.helpers import ROOT, build, copy_fixture, page, tree_digest

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"
URL = "https://example.org/cong-khai/" + PLAN + "/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
needs_chromium = pytest.mark.skipif(
    not shutil.which("chromium") and not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`"
)
HOSTILE_TITLE = 'Kế hoạch <b>chuyển đổi</b> số & "an toàn" năm 2023'
TITLE_SHOWN = 'Huyện Đông Mẫu, Mẫu — Kế hoạch 2023, <b>chuyển đổi</b> số & "an toàn"'  # PlanView.display_title


def mail(href: str) -> tuple[str, dict[str, str]]:
    """A mailto link as a mail client reads it (RFC 6068): the address, and each header once decoded."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    assert re.fullmatch(r"[A-Za-z0-9%@._~=&-]*", parts.query), "a character a mailto must percent-encode"
    headers = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    # parse_qs reads «+» as a space; RFC 6068 does not: the link encodes spaces as %20 and «+» as %2B
    assert "+" not in parts.query
    return unquote(parts.path), headers


def feedback_href(html: str) -> str:
    m = re.search(r'<a id="ck-feedback" href="([^"]*)"', html)
    assert m, "no feedback link"
    return unescape(m.group(1))


def with_config(folder: Path, **changes) -> None:
    path = folder / "site_config.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture, its plan's title holding markup and quotes (escaped wherever it lands)."""
    folder = copy_fixture("basic", tmp_path_factory.mktemp("feedback"))
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            "title: Kế hoạch phát triển chính quyền số năm 2023", f"title: '{HOSTILE_TITLE}'", 1
        ),
        "utf-8",
    )
    return build(folder, index=False)


def test_the_plan_pages_link_mails_the_focal_point_with_the_page_and_the_plans_number(site):
    html = page(site, PLAN)
    address, headers = mail(feedback_href(html))
    assert address == "motcua@example.org"  # information_focal_point.email of the fixture's site_config.yml
    assert headers["subject"].startswith("Góp ý / đề nghị đính chính: Cả văn bản — văn bản số 12/KH-UBND")
    assert headers["body"].split("\r\n")[:4] == [
        f"Trang: {URL}",
        "Mục: Cả văn bản",
        f"Văn bản: {TITLE_SHOWN}",
        "Số, ký hiệu: 12/KH-UBND",
    ]
    assert "<b>" not in html[html.index('id="ck-feedback"') :][:4000]  # the title's markup, escaped
    # the template the script fills for a row: its holes only where the row and the anchor go
    # (made from the page's link and address: the page carries no copy of it)
    assert "data-ck-row-href" not in html
    page_address = unescape(re.search(r'data-ck-page="([^"]*)"', html).group(1))
    template = derived_row_href(feedback_href(html), page_address)
    assert template.count("{muc}") == 2 and template.count("{neo}") == 1
    assert mail(template.replace("{muc}", "Ch%E1%BB%89%20ti%C3%AAu%201").replace("{neo}", "%23chi-tieu-1"))[1][
        "body"
    ].startswith(f"Trang: {URL}#chi-tieu-1\r\nMục: Chỉ tiêu 1\r\n")


def test_a_host_form_gets_the_same_facts_as_its_query(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    with_config(folder, feedback_form_url="https://example.org/gop-y?nguon=cong")
    site = build(folder, index=False)
    href = feedback_href(page(site, PLAN))
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "example.org", "/gop-y")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "nguon": "cong",
        "trang": URL,
        "muc": "Cả văn bản",
        "van_ban": "Huyện Đông Mẫu, Mẫu — Kế hoạch 2023, phát triển chính quyền số",
        "so_ky_hieu": "12/KH-UBND",
    }
    disclosure = page(site, "tiep-can-thong-tin")
    assert '<a href="https://example.org/gop-y?nguon=cong">mẫu góp ý</a>' in disclosure


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(base, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.goto(f"{base}/{PLAN}/")
    yield p
    context.close()


ROW_LINK = "a.ck-row-feedback"


@needs_chromium
@pytest.mark.parametrize(
    ("row", "label"),
    [
        ("chi-tieu-1", "Chỉ tiêu 1"),
        ("can-cu-1", "Căn cứ pháp lý 1"),
        ("kp-kinh-phi-2023-1-1", "Kinh phí, dòng 1 Trang bị tường lửa (Kinh phí thực hiện năm 2023 ("),
        ("kp-kinh-phi-2023-1", "Kinh phí, nhóm I Hạ tầng (Kinh phí thực hiện năm 2023 ("),
    ],
)
def test_hovering_a_row_offers_a_link_about_that_row(browser_page, row, label):
    p = browser_page
    p.hover(f"tr#{row} > :first-child")
    link = p.locator(f"tr#{row} {ROW_LINK}")
    assert link.is_visible()
    assert p.locator(ROW_LINK).count() == 1  # one link on the page, whatever the rows
    assert link.locator(".ck-visually-hidden").count() == 1  # the row's name: read out, not shown
    name = link.evaluate("a => a.textContent")  # its accessible name says which row
    assert name.startswith(f"Góp ý / đề nghị đính chính: {label}"), name
    shown = name.removeprefix("Góp ý / đề nghị đính chính: ")
    address, headers = mail(link.get_attribute("href"))
    assert address == "motcua@example.org"
    assert headers["subject"] == f"Góp ý / đề nghị đính chính: {shown} — văn bản số 12/KH-UBND"
    assert headers["body"].split("\r\n")[:4] == [
        f"Trang: {URL}#{row}",
        f"Mục: {shown}",
        f"Văn bản: {TITLE_SHOWN}",
        "Số, ký hiệu: 12/KH-UBND",
    ]


@needs_chromium
def test_the_row_link_is_reached_by_keyboard(browser_page):
    """Tab into a row (a link in it), and the next Tab reaches the row's feedback link before leaving the row."""
    p = browser_page
    p.mouse.move(0, 0)
    p.locator("tr#chi-tieu-1 a").last.focus()  # the row's last link of its own
    p.keyboard.press("Tab")
    focused = p.evaluate(
        "() => [document.activeElement.classList.contains('ck-row-feedback'), document.activeElement.closest('tr').id]"
    )
    assert focused == [True, "chi-tieu-1"]
    assert p.locator(ROW_LINK).is_visible()
    assert "%23chi-tieu-1" in p.evaluate("() => document.activeElement.href")


@needs_chromium
def test_a_row_with_nothing_to_focus_is_reached_by_keyboard_too(browser_page):
    """A budget line has no link of its own: Tab reaches the row itself, then its feedback link."""
    p = browser_page
    p.mouse.move(0, 0)
    row = "kp-kinh-phi-2023-1-1"
    assert p.locator(f"tr#{row}").evaluate("r => r.tabIndex") == 0  # in the page's tab order
    assert p.locator(f"tr#{row} a[href]").count() == 0
    p.locator(f"tr#{row}").focus()
    assert p.evaluate("() => document.activeElement.id") == row
    p.keyboard.press("Tab")
    focused = p.evaluate(
        "() => [document.activeElement.classList.contains('ck-row-feedback'), document.activeElement.closest('tr').id]"
    )
    assert focused == [True, row]
    assert "%23" + row in p.evaluate("() => document.activeElement.href")


@needs_chromium
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `make test` (npm ci)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("how", ["hover", "focus"])
def test_the_plan_page_with_a_row_link_shown_passes_axe(base, chromium, scheme, how):
    from tests.test_accessibility import axe_violations, describe

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        p = context.new_page()
        p.goto(f"{base}/{PLAN}/")
        if how == "hover":
            p.hover("tr#chi-tieu-1 td:first-child")
        else:
            p.locator("tr#chi-tieu-1 a").last.focus()
            p.keyboard.press("Tab")
        assert p.locator(ROW_LINK).is_visible()
        violations = axe_violations(p)
        assert not violations, describe(violations)
    finally:
        context.close()


def test_without_javascript_the_page_link_is_there_and_rows_carry_no_link(site):
    html = page(site, PLAN)
    assert html.count("ck-row-feedback") == 0 and html.count('id="ck-feedback"') == 1
    assert html.count("assets/ck-feedback.js") == 1


# --------------------------------------------------------------------------- placeholders and the demo banner


def test_a_placeholder_stops_the_build_naming_file_line_and_field_and_leaves_the_site(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    site = build(folder, tmp_path / "site", index=False)
    before = tree_digest(site)
    config = folder / "site_config.yml"
    config.write_text(config.read_text("utf-8").replace('phone: "0123 456 789"', 'phone: "0000 000 000"'), "utf-8")
    with pytest.raises(ContentErrors) as raised:
        build_site(folder / "content", config, tmp_path / "site", index=False)
    (error,) = raised.value.errors
    line = next(n for n, text in enumerate(config.read_text("utf-8").splitlines(), 1) if "0000 000 000" in text)
    assert (error.file, error.line, error.field) == ("site_config.yml", line, "managing_agency.phone")
    assert str(error).startswith(f"site_config.yml:{line}:")
    assert "«0000 000 000» là số điện thoại mẫu" in error.message and "demo: true" in error.message
    assert "cơ quan chủ quản › điện thoại" in str(error)
    assert tree_digest(site) == before


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        (("responsible_person", "name"), "Họ tên người chịu trách nhiệm", "họ tên mẫu"),
        (("managing_agency", "name"), "Văn phòng (mẫu — thay tên)", "«(mẫu …)»"),
        (("information_focal_point", "email"), "tiepcan@example.gov.vn", "example.gov.vn"),
        (("managing_agency", "address"), "Địa chỉ cơ quan chủ quản", "địa chỉ mẫu"),
        (("base_url",), "https://congkhai.example.gov.vn/", "example.gov.vn"),
    ],
)
def test_each_kind_of_placeholder_is_refused(tmp_path, field, value, what):
    folder = copy_fixture("basic", tmp_path)
    path = folder / "site_config.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    target = data
    for step in field[:-1]:
        target = target[step]
    target[field[-1]] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ContentErrors) as raised:
        build_site(folder / "content", path, tmp_path / "site", index=False)
    assert [e.field for e in raised.value.errors] == [".".join(field)]
    assert what in raised.value.errors[0].message


def test_a_demo_shows_its_banner_on_every_page(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    plain = build(folder, tmp_path / "plain", index=False)
    assert "ck-demo-banner" not in page(plain, "")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")  # the shipped one: placeholders, demo
    assert yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["demo"] is True
    site = build(folder, tmp_path / "demo", index=False)
    pages = sorted(site.rglob("*.html"))
    pages = [p for p in pages if "nhung" not in p.parts]  # widgets have no site chrome
    assert len(pages) > 20
    for p in pages:
        assert "<strong>Bản trình diễn:</strong> thông tin liên hệ là mẫu" in p.read_text("utf-8"), p
    with_config(folder, demo=None)
    with pytest.raises(ContentErrors) as raised:
        build_site(folder / "content", folder / "site_config.yml", tmp_path / "demo", index=False)
    assert len(raised.value.errors) >= 5

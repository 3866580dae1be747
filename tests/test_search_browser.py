"""The search page in real Chromium against the built fixture site served over HTTP."""
from __future__ import annotations

import shutil
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser import CHROMIUM, browser, serve
from tests.helpers import build, copy_fixture

pytestmark = pytest.mark.skipif(not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM),
                                reason="Debian chromium is installed by `make test`")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("search"))
    site = build(folder)
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def results(page):
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    return page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")


def test_query_in_url_runs_the_search(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/?q={quote('tường lửa')}")
    hrefs = results(page)
    assert any("/tinh-mau/huyen-mau/2023-ke-hoach/" in h for h in hrefs)
    assert "kết quả" in page.inner_text(".pagefind-ui__message")


def test_query_without_tone_marks_finds_the_page(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/?q=tuong+lua")
    assert any("2023-ke-hoach" in h for h in results(page))


def test_typing_updates_the_shareable_url(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/")
    page.fill(".pagefind-ui__search-input", "đường truyền")
    results(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["đường truyền"]


def test_filters_offer_province_unit_year_and_kind(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/?q=chuyen+doi+so")
    results(page)
    filters = page.inner_text(".pagefind-ui__filter-panel")
    for name in ("Tỉnh", "Đơn vị", "Năm", "Loại văn bản"):
        assert name in filters


def test_header_search_form_leads_to_the_search_page(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tinh-mau/huyen-mau/2023-ke-hoach/")
    page.fill("#ck-header-q", "tường lửa")
    page.press("#ck-header-q", "Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    assert any("2023-ke-hoach" in h for h in results(page))

"""The search page in real Chromium against built sites served over HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser import SEARCH_READY, serve
from tests.helpers import build, copy_fixture


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("search"))
    site = build(folder)
    with serve(site) as url:
        yield url


def search(page, base, query, params=""):
    page.goto(f"{base}/tim-kiem/?q={quote(query)}{params}")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    return page.eval_on_selector_all(".ck-result > a", "els => els.map(e => e.getAttribute('href'))")


def test_query_in_url_runs_the_search_and_announces_the_count(site_url, chromium):
    page = chromium.new_page()
    hrefs = search(page, site_url, "tường lửa")
    assert hrefs and hrefs[0].startswith("/tinh-mau/huyen-mau/2023-ke-hoach/")
    status = page.locator("#ck-search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text().startswith(f"{len(hrefs)} kết quả cho «tường lửa»")


def test_result_lands_on_the_budget_line(site_url, chromium):
    page = chromium.new_page()
    hrefs = search(page, site_url, "tuong lua")
    assert hrefs[0] == "/tinh-mau/huyen-mau/2023-ke-hoach/#kp-kinh-phi-2023-1-1"
    result = page.locator(".ck-result").first
    assert "Dòng kinh phí" in result.inner_text()
    assert "<mark>tường</mark> <mark>lửa</mark>." in result.locator(".ck-result-excerpt").inner_html()
    assert "Huyện Đông Mẫu · năm 2023 · Kế hoạch" in result.inner_text()


def test_d_typed_for_dj_finds_words_with_dj(site_url, chromium):
    page = chromium.new_page()
    hrefs = search(page, site_url, "duong truyen")
    assert hrefs[0] == "/tinh-mau/huyen-mau/2023-ke-hoach/#kp-kinh-phi-2023-1-2"
    excerpt = page.locator(".ck-result-excerpt").first.inner_html()
    assert "<mark>Đường</mark>" in excerpt and "Duong" not in excerpt  # hidden d-spelling not shown


def test_word_found_nowhere_is_named(site_url, chromium):
    page = chromium.new_page()
    search(page, site_url, "tường lửa xyzzyq")
    assert "kết quả cho «tường lửa xyzzyq». Các kết quả không chứa từ: «xyzzyq»." in page.inner_text(
        "#ck-search-status"
    )


def test_typing_updates_the_shareable_url(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/")
    page.fill("#ck-q", "đường truyền")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    assert parse_qs(urlparse(page.url).query)["q"] == ["đường truyền"]


def test_filters_offer_province_unit_year_kind_area_and_narrow_results(site_url, chromium):
    page = chromium.new_page()
    search(page, site_url, "chuyen doi so")
    assert page.locator("#ck-search-filters").is_hidden()  # loaded when asked for: a national search costs less
    page.get_by_role("button", name="Lọc kết quả").click()
    page.wait_for_selector("#ck-search-filters legend")
    legends = page.eval_on_selector_all("#ck-search-filters legend", "els => els.map(e => e.textContent)")
    for name in ("Tỉnh", "Đơn vị", "Năm", "Loại văn bản", "Lĩnh vực", "Loại nội dung"):
        assert name in legends
    page.get_by_label("Dòng kinh phí (1)").check()
    page.wait_for_function(SEARCH_READY)
    page.wait_for_url("**f=*")
    assert parse_qs(urlparse(page.url).query)["f"] == ["Loại nội dung:Dòng kinh phí"]


def test_kind_filter_lands_on_rows_of_that_kind(site_url, chromium):
    page = chromium.new_page()
    hrefs = search(page, site_url, "tường lửa", "&f=" + quote("Loại nội dung:Dòng kinh phí"))
    assert hrefs == ["/tinh-mau/huyen-mau/2023-ke-hoach/#kp-kinh-phi-2023-1-1"]


def test_header_search_form_leads_to_the_search_page(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tinh-mau/huyen-mau/2023-ke-hoach/")
    page.fill("#ck-header-q", "tường lửa")
    page.press("#ck-header-q", "Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    assert page.locator(".ck-result").count() >= 1


def test_no_index_chunk_loads_before_a_query(site_url, chromium):
    page = chromium.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/tim-kiem/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u]
    page.fill("#ck-q", "tường")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    assert any(u.endswith(".pf_meta") for u in requests) and any(".pf_index" in u for u in requests)


def test_search_works_by_keyboard(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/")
    page.focus("#ck-q")
    page.keyboard.type("tuong lua")
    page.keyboard.press("Enter")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.ck-result') !== null"):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/tinh-mau/huyen-mau/2023-ke-hoach/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2023-ke-hoach/#kp-*")


def _cells(page):
    return page.eval_on_selector_all("#ck-search-filters label", "els => els.map(e => e.textContent)")

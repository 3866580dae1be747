"""The search page in real Chromium against built sites served over HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser import serve
from tests.helpers import build, copy_fixture

STATUS_READY = (
    "(() => { const t = document.getElementById('ck-search-status').textContent;"
    " return t.length > 0 && !t.startsWith('Đang'); })()"
)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("search"))
    site = build(folder)
    with serve(site) as url:
        yield url


def search(page, base, query, params=""):
    page.goto(f"{base}/tim-kiem/?q={quote(query)}{params}")
    page.wait_for_function(STATUS_READY, timeout=15000)
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
    assert "Không tìm thấy từ: «xyzzyq»" in page.inner_text("#ck-search-status")


def test_typing_updates_the_shareable_url(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/")
    page.fill("#ck-q", "đường truyền")
    page.wait_for_function(STATUS_READY, timeout=15000)
    assert parse_qs(urlparse(page.url).query)["q"] == ["đường truyền"]


def test_filters_offer_province_unit_year_kind_area_and_narrow_results(site_url, chromium):
    page = chromium.new_page()
    search(page, site_url, "chuyen doi so")
    legends = page.eval_on_selector_all("#ck-search-filters legend", "els => els.map(e => e.textContent)")
    for name in ("Tỉnh", "Đơn vị", "Năm", "Loại văn bản", "Lĩnh vực", "Loại nội dung"):
        assert name in legends
    page.get_by_label("Dòng kinh phí (1)").check()
    page.wait_for_function(STATUS_READY)
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
    page.wait_for_function(STATUS_READY, timeout=15000)
    assert page.locator(".ck-result").count() >= 1


def test_no_index_chunk_loads_before_a_query(site_url, chromium):
    page = chromium.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/tim-kiem/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u]
    page.fill("#ck-q", "tường")
    page.wait_for_function(STATUS_READY, timeout=15000)
    assert any(u.endswith(".pf_meta") for u in requests) and any(".pf_index" in u for u in requests)


def test_search_works_by_keyboard(site_url, chromium):
    page = chromium.new_page()
    page.goto(f"{site_url}/tim-kiem/")
    page.focus("#ck-q")
    page.keyboard.type("tuong lua")
    page.keyboard.press("Enter")
    page.wait_for_function(STATUS_READY, timeout=15000)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.ck-result') !== null"):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/tinh-mau/huyen-mau/2023-ke-hoach/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2023-ke-hoach/#kp-*")


def _cells(page):
    return page.eval_on_selector_all("#ck-search-filters label", "els => els.map(e => e.textContent)")


def test_a_rebuild_searches_the_changed_pages_through_the_delta(tmp_path, chromium):
    """After a rebuild that reused the previous one, the main index is the previous build's and the
    changed pages are in the delta: words removed are found nowhere, words added are found, and the
    filter counts are those of a build from nothing."""
    from generator.build.pipeline import build_site
    from tests.helpers import tree_digest

    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    plan.write_text(
        plan.read_text("utf-8").replace("Đẩy mạnh chuyển đổi số", "Đẩy mạnh plughcũ chuyển đổi số", 1), "utf-8"
    )
    site = build(folder)
    main_before = tree_digest(site / "pagefind")
    plan.write_text(plan.read_text("utf-8").replace("plughcũ", "xyzzymới"), "utf-8")
    build(folder)
    delta = __import__("json").loads((site / "pagefind-delta/delta.json").read_text("utf-8"))
    assert delta["pages"] >= 1 and delta["superseded"]
    assert tree_digest(site / "pagefind") == main_before  # the main index was kept as it was
    fresh = tmp_path / "fresh"
    build_site(folder / "content", folder / "site_config.yml", fresh, reuse=False)
    page = chromium.new_page()
    with serve(site) as url:
        assert search(page, url, "xyzzymới")[0].startswith("/tinh-mau/huyen-mau/2023-ke-hoach/")
        assert search(page, url, "plughcũ") == []
        search(page, url, "chuyen doi so")
        counts, status = _cells(page), page.inner_text("#ck-search-status")
    with serve(fresh) as url:
        search(page, url, "chuyen doi so")
        assert _cells(page) == counts and page.inner_text("#ck-search-status") == status


def _every_page(page, url, bundle) -> set[str]:
    """The URL of every page one index folder holds, as the browser's Pagefind finds them (a search for
    nothing, without filters, gives every page)."""
    page.goto(f"{url}/")
    return set(
        page.evaluate(
            """async (bundle) => {
            const pf = await import(bundle + "pagefind.js");
            await pf.options({ baseUrl: "/" });
            const r = await pf.search(null);
            return Promise.all(r.results.map(async (x) => (await x.data()).url));
        }""",
            f"{url}/{bundle}",
        )
    )


def test_a_main_index_in_halves_answers_as_one_index(tmp_path, chromium, monkeypatch):
    """A large site's main index is made in halves by two Pagefind processes at once (index.py);
    the search page finds pages of both halves with the same filter counts as one index, and a delta
    on top of the halves supersedes entries of either."""
    import json

    from generator.search import pagefind
    from tests.helpers import tree_digest

    folder = copy_fixture("basic", tmp_path)
    whole = build(folder, tmp_path / "whole")
    monkeypatch.setattr(pagefind, "SPLIT_PAGES", 0)
    halves = build(folder, tmp_path / "halves")
    state = json.loads((halves / "pagefind-delta/delta.json").read_text("utf-8"))
    assert state["bundles"] == ["pagefind/", "pagefind-1/"]
    assert (halves / "pagefind-1/pagefind-entry.json").is_file()

    # each page is in exactly one half: every page the browser finds in one index is in one half, not the other
    page = chromium.new_page()
    with serve(whole) as url:
        everything = _every_page(page, url, "pagefind/")
    with serve(halves) as url:
        first, second = _every_page(page, url, "pagefind/"), _every_page(page, url, "pagefind-1/")
    assert first and second and not first & second
    assert first | second == everything

    # A half without any word starting with "chuyen" matches it by the longest word starting it
    # («chủ» on a portal page of that half): searched alone, it answers with a page one index does not.
    with serve(halves) as url:
        page.goto(f"{url}/")
        alone = page.evaluate(
            """async (bundle) => {
            const pf = await import(bundle + "pagefind.js");
            await pf.options({ baseUrl: "/" });
            const r = await pf.search("chuyen doi so");
            return Promise.all(r.results.map(async (x) => (await x.data()).url));
        }""",
            f"{url}/pagefind-1/",
        )
    assert len(alone) == 1 and alone[0] in second, alone

    # The same number of results and filter counts; the order may differ a little (each half ranks
    # with its own statistics), but not what the precise queries put first.
    queries = ["chuyen doi so", "tường lửa", "duong truyen", "Phòng Văn hóa"]
    answers = {}
    with serve(whole) as url:
        for q in queries:
            answers[q] = (search(page, url, q)[:1], page.inner_text("#ck-search-status"), _cells(page))
    with serve(halves) as url:
        for q in queries:
            hits = search(page, url, q)
            assert (
                hits[:1] if q != "chuyen doi so" else answers[q][0],
                page.inner_text("#ck-search-status"),
                _cells(page),
            ) == answers[q], q

    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    halves_before = {b: tree_digest(halves / b) for b in ("pagefind", "pagefind-1")}
    plan.write_text(
        plan.read_text("utf-8").replace("Đẩy mạnh chuyển đổi số", "Đẩy mạnh xyzzymới chuyển đổi số", 1), "utf-8"
    )
    build(folder, halves)
    assert {b: tree_digest(halves / b) for b in ("pagefind", "pagefind-1")} == halves_before  # kept, not rebuilt
    assert json.loads((halves / "pagefind-delta/delta.json").read_text("utf-8"))["pages"] >= 1
    with serve(halves) as url:
        hits = search(page, url, "xyzzymới")
        assert hits and hits[0].startswith("/tinh-mau/huyen-mau/2023-ke-hoach/")
        assert search(page, url, "tường lửa")[:1] == answers["tường lửa"][0]
        assert page.inner_text("#ck-search-status") == answers["tường lửa"][1]  # the superseded entry dropped

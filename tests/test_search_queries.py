"""The shipped content, searched as citizens type: each query must return its page in the top 3.

Queries come with and without diacritics (đ typed as d included), as document numbers written
as printed, agency and people's names, and amounts. Runs in Debian's Chromium against the real
build served over HTTP.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import SEARCH_READY, serve
from tests.helpers import ROOT

DUC_THO = "/ha-tinh/duc-tho/2023-chinh-quyen-so/"
CAM_XUYEN = "/ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so/"
THANH_HA = "/hai-duong/thanh-ha/2022-ung-dung-cntt/"
DUC_CO = "/gia-lai/duc-co/2023-chinh-quyen-so/"
HA_TINH = "/ha-tinh/2020-ung-dung-cntt/"

# (query, the page (or the page#row) that must be among the first three results[, the province searched]). A query
# naming a district is searched in its province, as a reader coming from its pages does: across the country each
# province's index ranks with its own statistics, and in the seeds' provinces of one district each the district's
# name is on every page of its province's index (docs/search.md).
QUERIES = [
    ("ngan sach duc co", DUC_CO),
    ("ngân sách Đức Cơ", DUC_CO),
    ("chu ky so thanh ha", THANH_HA, "hai-duong"),
    ("chữ ký số Thanh Hà", THANH_HA, "hai-duong"),
    ("tuong lua", DUC_CO + "#kp-nhiem-vu-du-an-2022-3-2"),
    ("tường lửa", DUC_CO + "#kp-nhiem-vu-du-an-2022-3-2"),
    ("phan mem diet virus", DUC_CO + "#kp-"),
    ("3494/KH-UBND-VH", DUC_THO),
    ("05-NQ/TU", "/van-ban/05-nq-tu-2021-ha-tinh/"),
    ("05-NQ/TU", CAM_XUYEN),
    ("1891/QĐ-TTg", "/van-ban/1891-qd-ttg-2015/"),
    ("1891/QD-TTg", "/van-ban/1891-qd-ttg-2015/"),
    ("Siu Luynh", DUC_CO),
    ("Hoàng Xuân Hùng", DUC_THO),
    ("hoang xuan hung", DUC_THO),
    ("Ha Thi Viet Anh", CAM_XUYEN),
    ("Đặng Quốc Vinh", HA_TINH),
    ("ngo ba dinh", THANH_HA),
    ("phong van hoa thong tin duc tho", "/co-quan/ha-tinh/duc-tho/phong-van-hoa-thong-tin/"),
    ("Phòng Văn hóa và Thông tin Thanh Hà", "/co-quan/hai-duong/thanh-ha/phong-van-hoa-va-thong-tin/", "hai-duong"),
    ("cong an huyen duc co", "/co-quan/gia-lai/duc-co/cong-an-huyen/", "gia-lai"),
    ("Sở Thông tin và Truyền thông", "/co-quan/ha-tinh/so-thong-tin-va-truyen-thong/"),
    ("1.545.000.000", DUC_THO + "#kp-"),
    ("1.374.306", DUC_CO),
    ("565.300.000", "/ha-tinh/duc-tho/"),
    ("chuyen doi so cam xuyen", CAM_XUYEN, "ha-tinh"),
    ("4G 5G", "/chi-so/phu-song-4g-5g/"),
    ("dich vu cong truc tuyen toan trinh", "/chi-so/dich-vu-cong-truc-tuyen-toan-trinh/"),
    ("ho so cong viec cap xa", "/chi-so/ho-so-cong-viec-truc-tuyen-xa/"),
    ("top 10 ca nuoc", HA_TINH + "#chi-tieu-"),
    ("ung dung cong nghe thong tin ha tinh 2020", HA_TINH),
    ("luat an toan thong tin", "/van-ban/luat-an-toan-thong-tin-mang/"),
    ("kiem tra so lieu", "/kiem-tra-so-lieu/"),
    ("mua sam may tinh", DUC_CO),
]


@pytest.fixture(scope="module")
def page(tmp_path_factory, chromium):
    from generator.build.pipeline import build_site

    site = tmp_path_factory.mktemp("shipped") / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", site)
    with serve(site) as url:
        p = chromium.new_page()
        p.base = url
        yield p


def test_query_table_is_big_enough():
    assert len(QUERIES) >= 30
    assert sum(1 for q, *_ in QUERIES if q.isascii()) >= 10  # typed without diacritics
    assert sum(1 for q, *_ in QUERIES if "/" in q) >= 3  # document numbers as written
    assert sum(1 for q in QUERIES if len(q) == 2) >= 25  # searched across the country


@pytest.mark.parametrize("query, expected, scope", [(*q, "ca-nuoc")[:3] for q in QUERIES], ids=[q[0] for q in QUERIES])
def test_query_finds_its_page_in_the_top_three(page, query, expected, scope):
    page.goto(f"{page.base}/tim-kiem/?q={quote(query)}&pham-vi={scope}")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    top = page.eval_on_selector_all(".ck-result > a", "els => els.slice(0, 3).map(e => e.getAttribute('href'))")
    assert any(href.startswith(expected) for href in top), f"{query!r}: top 3 were {top}"

"""The plan page: the number column of its legal bases (issue 19, item 16a) and the document numbers of its text
linked to their pages (item 17).

These need the plan template to use generator.legal.link_citations (the filter `legal_links`, registered in
render.environment) and to write «không ghi số» for a legal basis without a number.
"""

from __future__ import annotations

import re

import pytest

from generator.build.pipeline import build_site
from tests.helpers import ROOT
from tests.test_legal_citations import DUC_CO, HA_TINH_2020, communes, main_of, page, section

CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-links") / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", out, index=False)
    return out


def _row(html: str, ident: str) -> str:
    return re.search(rf'<tr id="{ident}">(.*?)</tr>', html, re.S).group(1)


def test_a_law_cited_without_a_number_says_so_in_the_number_column(seed):
    html = main_of(page(seed, DUC_CO))
    for ident, law in (("can-cu-1", "luat-cong-nghe-thong-tin"), ("can-cu-2", "luat-an-toan-thong-tin-mang")):
        cells = re.findall(r"<td>(.*?)</td>", _row(html, ident), re.S)
        assert cells[2] == f'<a href="../../../van-ban/{law}/">không ghi số</a>', cells
    for plan in (DUC_CO, HA_TINH_2020):
        assert "Các văn bản trích dẫn" not in page(seed, plan)


def test_a_resolution_named_in_the_solutions_links_to_its_page(seed):
    html = main_of(page(seed, HA_TINH_2020))
    solutions = section(html, "giai-phap")
    assert (
        'theo tinh thần của Nghị quyết số <a class="ck-cite" href="../../van-ban/52-nq-tw-2019/">52-NQ/TW</a> '
        "ngày 27/9/2019 của Bộ Chính trị."
    ) in re.sub(r"\s+", " ", solutions)
    # a document named in the title of a legal basis links too; the legal basis's own number links as before
    row = _row(html, "can-cu-10")
    assert '<a class="ck-cite" href="../../van-ban/17-nq-cp-2019/">17/NQ-CP</a>' in row
    assert row.count("<a ") == 2 and "<a <a" not in row


def test_every_number_the_text_names_is_linked_once_and_the_heading_is_not(seed):
    html = main_of(page(seed, CAM_XUYEN))
    assert not re.search(r"<h1[^>]*>[^<]*<a", html)  # «… thực hiện Nghị quyết số 05-NQ/TU …» in the title
    links = re.findall(r'class="ck-cite" href="([^"]+)"', html)
    assert links and set(links) == {"../../../van-ban/05-nq-tu-2021-ha-tinh/"}
    assert not re.search(r"<a [^>]*>[^<]*<a ", html)  # never a link in a link


def test_links_on_a_commune_page_go_to_the_district_document_and_text_stays_escaped(tmp_path):
    folder = communes(tmp_path)
    site = build_site(folder / "content", folder / "site_config.yml", folder / "site", index=False).out
    html = main_of(page(site, "quang-ngai/son-tinh/tinh-bac/2023-chuyen-doi-so"))
    assert (
        'Thực hiện Kế hoạch số <a class="ck-cite" href="../../../../van-ban/50-kh-ubnd-2023-quang-ngai-son-tinh/">'
        "50/KH-UBND</a> ngày 15/3/2023 của UBND huyện Sơn Tịnh &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
        "&lt;b&gt;đúng hạn&lt;/b&gt;."
    ) in html
    assert "<script>alert" not in html

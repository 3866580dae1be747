"""Legal documents (generator.legal): numbers, one page per cited document, the index, validation."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.build import mkdocs_site
from generator.build.pipeline import check
from generator.content import schema
from generator.content.config import load_config
from generator.content.document_numbers import canonical_number, number_problem, parse_number
from generator.errors import ContentErrors
from generator.model import legal_documents
from generator.model.legal_documents import document_url
from generator.model.views import build_portal
from generator.outputs import downloads, legal_pages, render
from tests.helpers import ROOT, build, copy_fixture

EXAMPLES = "(ví dụ «42/2022/NĐ-CP», «1891/QĐ-TTg», «3494/KH-UBND-VH», «2055/BTTTT-THH», «05-NQ/TU»)"
PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"
SECOND = "tinh-mau/huyen-mau/2024-ke-hoach"


# --------------------------------------------------------------------------- numbers

# text → (serial, year, kind abbreviation, kind, issuer code, style)
NUMBERS = [
    ("42/2022/NĐ-CP", ("42", 2022, "NĐ", "Nghị định", "CP", "nha-nuoc")),
    ("64/2007/NĐ-CP", ("64", 2007, "NĐ", "Nghị định", "CP", "nha-nuoc")),
    ("93/2014/NQ-HĐND", ("93", 2014, "NQ", "Nghị quyết", "HĐND", "nha-nuoc")),
    ("22/2016/NQ-HĐND", ("22", 2016, "NQ", "Nghị quyết", "HĐND", "nha-nuoc")),
    ("03/2013/TT-BTTTT", ("03", 2013, "TT", "Thông tư", "BTTTT", "nha-nuoc")),
    ("01/2011/TTLT-BNV-BTTTT", ("01", 2011, "TTLT", "Thông tư liên tịch", "BNV-BTTTT", "nha-nuoc")),
    ("86/2015/QH13", ("86", 2015, None, None, "QH13", "nha-nuoc")),
    ("3494/KH-UBND-VH", ("3494", None, "KH", "Kế hoạch", "UBND-VH", "nha-nuoc")),
    ("1891/QĐ-TTg", ("1891", None, "QĐ", "Quyết định", "TTg", "nha-nuoc")),
    ("17/NQ-CP", ("17", None, "NQ", "Nghị quyết", "CP", "nha-nuoc")),
    ("08/CT-UBND", ("08", None, "CT", "Chỉ thị", "UBND", "nha-nuoc")),
    ("186/TB-BTTTT", ("186", None, "TB", "Thông báo", "BTTTT", "nha-nuoc")),
    ("4013/CTr-UBND", ("4013", None, "CTr", "Chương trình", "UBND", "nha-nuoc")),
    ("921/CTHĐ-UBND", ("921", None, "CTHĐ", "Chương trình hành động", "UBND", "nha-nuoc")),
    ("2055/BTTTT-THH", ("2055", None, None, "Công văn", "BTTTT-THH", "cong-van")),
    ("1241/UBND-KGVX", ("1241", None, None, "Công văn", "UBND-KGVX", "cong-van")),
    ("05-NQ/TU", ("05", None, "NQ", "Nghị quyết", "TU", "dang")),
    ("52-NQ/TW", ("52", None, "NQ", "Nghị quyết", "TW", "dang")),
    ("38-CTr/HU", ("38", None, "CTr", "Chương trình", "HU", "dang")),
    # written loosely: spaces, an en dash, Icelandic Ð for Đ
    ("4013/CTr- UBND", ("4013", None, "CTr", "Chương trình", "UBND", "nha-nuoc")),
    ("42/2022/NĐ–CP", ("42", 2022, "NĐ", "Nghị định", "CP", "nha-nuoc")),
    ("1891/QÐ-TTg", ("1891", None, "QĐ", "Quyết định", "TTg", "nha-nuoc")),
]


@pytest.mark.parametrize("text,expected", NUMBERS, ids=[t for t, _ in NUMBERS])
def test_parse_number(text, expected):
    n = parse_number(text)
    assert n is not None
    assert (n.serial, n.year, n.kind_code, n.kind, n.issuer_code, n.style) == expected
    assert n.text == text
    assert number_problem(text) is None


def test_national_and_local_issuers():
    assert parse_number("42/2022/NĐ-CP").national and parse_number("1891/QĐ-TTg").national
    assert parse_number("52-NQ/TW").national and parse_number("86/2015/QH13").national
    assert parse_number("2055/BTTTT-THH").national
    assert not parse_number("05-NQ/TU").national and not parse_number("3494/KH-UBND-VH").national
    assert parse_number("1891/QĐ-TTg").issuer_name == "Thủ tướng Chính phủ"


BAD = {
    "abc": "phải bắt đầu bằng số thứ tự của văn bản",
    "/KH-UBND": "phải bắt đầu bằng số thứ tự của văn bản",
    "12//KH": "có phần để trống giữa các dấu «/», «-»",
    "12/KH-": "có phần để trống giữa các dấu «/», «-»",
    "123": "thiếu phần ký hiệu sau dấu «/»",
    "12/KH": "thiếu mã cơ quan ban hành sau loại văn bản «KH»",
    "12/2022/NĐ": "thiếu mã cơ quan ban hành sau loại văn bản «NĐ»",
    "Số 12/KH-UBND": "chỉ ghi số và ký hiệu, bỏ chữ «Số» ở đầu",
    "12/kh-ubnd": "ký hiệu viết bằng chữ in hoa, ví dụ «KH-UBND»",
    "12/1800/NĐ-CP": "năm 1800 không hợp lý",
    "12/20x2/NĐ-CP": "không nhận ra dạng số/năm/loại-cơ quan",
}


@pytest.mark.parametrize("text", BAD)
def test_bad_numbers_are_explained(text):
    assert parse_number(text) is None
    assert number_problem(text) == f"số, ký hiệu «{text}» không đúng dạng số văn bản: {BAD[text]} {EXAMPLES}"


def test_canonical_key_merges_spellings_of_one_number():
    same = ["4013/CTr-UBND", "4013/CTr- UBND", "4013 / CTr - UBND", "4013/CTR-UBND", "4013/ctr-ubnd", "4013/CTr–UBND"]
    assert {canonical_number(t) for t in same} == {"4013/CTR-UBND"}
    assert canonical_number("42/2022/NĐ-CP") == canonical_number("42/2022/NÐ-CP") == "42/2022/NĐ-CP"  # Đ kept
    assert canonical_number("12/QD-UBND") == canonical_number("12/QĐ-UBND") == "12/QĐ-UBND"
    assert canonical_number("93/2014/NQ-HDND") == "93/2014/NQ-HĐND"
    assert canonical_number("05-NQ/TU") != canonical_number("05/NQ-TU")
    assert canonical_number("12/HD-UBND") == "12/HD-UBND"  # Hướng dẫn, not HĐ (hợp đồng)


# --------------------------------------------------------------------------- identity


def _plan(unit_id: str, province_id: str):
    return SimpleNamespace(unit=SimpleNamespace(id=unit_id, province=SimpleNamespace(id=province_id)))


def _basis(**fields) -> schema.LegalBasis:
    return schema.LegalBasis(**{"title": "trích yếu", **fields})


def test_same_document_from_several_plans_has_one_url():
    a = document_url(_basis(number="42/2022/NĐ-CP"), _plan("ha-tinh/duc-tho", "ha-tinh"))
    b = document_url(_basis(number="42/2022/NĐ- CP", title="khác"), _plan("gia-lai/duc-co", "gia-lai"))
    assert a == b == "van-ban/42-2022-nd-cp/"
    c = document_url(_basis(number="05-NQ/TU", date="22/10/2021"), _plan("ha-tinh/cam-xuyen", "ha-tinh"))
    d = document_url(_basis(number="05-NQ/TU", date="22/10/2021"), _plan("ha-tinh/duc-tho", "ha-tinh"))
    assert c == d == "van-ban/05-nq-tu-2021-ha-tinh/"


def test_local_numbers_are_scoped_and_yearless_numbers_dated():
    # Every Tỉnh ủy numbers its own resolutions: 05-NQ/TU of two provinces are two documents.
    ha_tinh = document_url(_basis(number="05-NQ/TU", date="22/10/2021"), _plan("ha-tinh", "ha-tinh"))
    gia_lai = document_url(_basis(number="05-NQ/TU", date="22/10/2021"), _plan("gia-lai", "gia-lai"))
    assert ha_tinh != gia_lai
    # Numbers without a year restart every year.
    assert document_url(_basis(number="17/NQ-CP", date="07/03/2019"), _plan("x", "x")) != document_url(
        _basis(number="17/NQ-CP", date="01/01/2020"), _plan("x", "x")
    )
    # A district body's numbers are scoped to the district.
    assert (
        document_url(_basis(number="38-CTr/HU"), _plan("ha-tinh/cam-xuyen", "ha-tinh"))
        == "van-ban/38-ctr-hu-ha-tinh-cam-xuyen/"
    )


def test_documents_without_number_are_keyed_by_title():
    plan = _plan("ha-tinh", "ha-tinh")
    assert (
        document_url(_basis(kind="Luật", title="Luật Công nghệ thông tin"), plan)
        == document_url(_basis(title="Luật  công nghệ thông tin."), plan)
        == document_url(_basis(kind="Luật", title="Công nghệ thông tin"), plan)
        == "van-ban/luat-cong-nghe-thong-tin/"
    )
    # «Các văn bản khác có liên quan» names no document: no page, no link.
    assert (
        document_url(
            _basis(issuer="Ủy ban nhân dân tỉnh", title="Các Văn bản khác của Ủy ban nhân dân tỉnh có liên quan."), plan
        )
        is None
    )


# --------------------------------------------------------------------------- validation


def test_validation_reports_a_bad_number(basic_content):
    path = basic_content / "content" / f"{PLAN}.yml"
    path.write_text(path.read_text("utf-8").replace("number: 42/2022/NĐ-CP", "number: 12//KH"), "utf-8")
    with pytest.raises(ContentErrors) as caught:
        check(basic_content / "content")
    assert [str(e) for e in caught.value.errors] == [
        f"content/{PLAN}.yml:15:13: legal_bases[0].number (căn cứ thứ 1 › số, ký hiệu): số, ký hiệu «12//KH» "
        "không đúng dạng số văn bản: "
        f"có phần để trống giữa các dấu «/», «-» {EXAMPLES}",
    ]


def test_every_number_in_the_seed_plans_is_recognised():
    content = check(ROOT / "content")  # raises on any unrecognised number
    numbers = [b.number for p in content.plans.values() for b in p.legal_bases if b.number]
    assert len(numbers) > 40
    assert all(parse_number(n) for n in numbers)


# --------------------------------------------------------------------------- a built site

SECOND_PLAN = """\
title: Kế hoạch chuyển đổi số năm 2024
kind: ke-hoach
issuer: UBND huyện Đông Mẫu
number: 30/KH-UBND
signed_date: "10/01/2024"
period:
  start: 2024
  end: 2024
legal_bases:
  - kind: Nghị định
    number: 42/2022/NĐ- CP
    date: "24/06/2022"
    issuer: Chính phủ
    title: quy định về cung cấp thông tin và dịch vụ công trực tuyến trên môi trường mạng
  - kind: Luật
    title: Luật Công nghệ thông tin
  - issuer: Ủy ban nhân dân tỉnh
    title: Các văn bản khác có liên quan.
source_document:
  file: 2023-ke-hoach.nguon.txt
  sha256: b2b101f4ed546f8ae1e69020c60c8cf2ac2514fbf1d58bdb51a6e83be2e5c1ce
"""


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("legal"))
    (folder / "content" / f"{SECOND}.yml").write_text(SECOND_PLAN, "utf-8")
    return folder


@pytest.fixture(scope="module")
def site(two_plans):
    return build(two_plans, index=False)


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def text_of(html: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r" ([),;.])", r"\1", text)


def main_of(html: str) -> str:
    return html.split("md-content__inner", 1)[1].split("</article>", 1)[0]


def test_one_page_for_a_decree_two_plans_cite(site):
    html = page(site, "van-ban/42-2022-nd-cp")
    body = main_of(html)
    assert re.search(r"<h1[^>]*>Nghị định 42/2022/NĐ-CP</h1>", body)
    assert 'data-pagefind-filter="Loại nội dung:Văn bản pháp lý"' in body
    text = text_of(body)
    assert "Số, ký hiệu 42/2022/NĐ-CP" in text
    assert "Loại văn bản Nghị định" in text
    assert "Cơ quan ban hành Chính phủ" in text
    assert "Ngày ban hành 24/06/2022" in text
    # the two plans write the title differently: both shown, each with the plan that wrote it
    assert (
        "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến (ghi trong Huyện Đông Mẫu, Mẫu — Kế hoạch "
        "2023, phát triển chính quyền số)"
    ) in text
    assert (
        "quy định về cung cấp thông tin và dịch vụ công trực tuyến trên môi trường mạng (ghi trong Huyện Đông Mẫu, "
        "Mẫu — Kế hoạch 2024, chuyển đổi số)"
    ) in text
    assert "Kế hoạch trích dẫn (2)" in text
    assert body.count('href="../../tinh-mau/huyen-mau/2023-ke-hoach/"') >= 1
    assert body.count('href="../../tinh-mau/huyen-mau/2024-ke-hoach/"') >= 1
    assert not (site / "van-ban/42-2022-nd-cp-2").exists()


def test_law_without_number_and_no_page_for_a_catch_all(site):
    text = text_of(main_of(page(site, "van-ban/luat-cong-nghe-thong-tin")))
    assert "Luật Công nghệ thông tin" in text and "Số, ký hiệu văn bản không ghi số" in text
    assert "Kế hoạch trích dẫn (1)" in text
    assert sorted(p.name for p in (site / "van-ban").iterdir() if p.is_dir()) == [
        "42-2022-nd-cp",
        "luat-cong-nghe-thong-tin",
    ]


def test_index_page_lists_every_document_with_data_files(site):
    body = main_of(page(site, "van-ban"))
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", body)
    assert len(rows) == 2
    # the last two columns: plans citing it as a legal basis, plans naming it in their text
    assert text_of(rows[0]) == "Luật Công nghệ thông tin Luật không rõ không rõ Luật Công nghệ thông tin 1 0"
    assert text_of(rows[1]).startswith("42/2022/NĐ-CP Nghị định 24/06/2022 Chính phủ")
    assert text_of(rows[1]).endswith(" 2 0")
    assert 'href="42-2022-nd-cp/"' in body and 'href="van-ban.csv"' in body and 'href="van-ban.json"' in body
    raw = (site / "van-ban/van-ban.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["so_ky_hieu"], r["so_ke_hoach_trich_dan"]) for r in table] == [("", "1"), ("42/2022/NĐ-CP", "2")]
    assert table[1]["ke_hoach_trich_dan"] == f"{SECOND}; {PLAN}"
    assert json.loads((site / "van-ban/van-ban.json").read_text("utf-8"))[1]["trang"] == "van-ban/42-2022-nd-cp/"


def _flatten(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [src for value in nav.values() for src in _flatten(value)]
    return [src for item in nav for src in _flatten(item)]


def test_only_the_index_is_in_the_navigation(two_plans, site, tmp_path):
    portal = build_portal(check(two_plans / "content"), load_config(two_plans / "site_config.yml"))
    pages = render.render_portal(portal, tmp_path / "docs")
    assert {p.src for p in pages} >= {"van-ban/index.md", "van-ban/42-2022-nd-cp/index.md"}
    assert (tmp_path / "docs" / "van-ban/van-ban.csv").read_bytes().startswith("\ufeff".encode())
    listed = [src for src in _flatten(mkdocs_site.navigation(pages)) if src.startswith("van-ban/")]
    assert listed == ["van-ban/index.md"]
    home = page(site, "")
    assert 'href="van-ban/"' in home and "42-2022-nd-cp" not in home


def test_document_url_matches_the_pages_built(two_plans, site):
    portal = build_portal(check(two_plans / "content"), load_config(two_plans / "site_config.yml"))
    links = {}
    for plan in portal.plans:
        for basis in plan.plan.legal_bases:
            links[(plan.id, basis.title)] = url = document_url(basis, plan)
            assert url is None or (site / url / "index.html").is_file(), url
    assert links[(SECOND, "Các văn bản khác có liên quan.")] is None
    docs = legal_documents.documents(portal)
    assert [d.url for d in docs] == ["van-ban/luat-cong-nghe-thong-tin/", "van-ban/42-2022-nd-cp/"]
    # the data files are data.to_csv / data.to_json of the index rows, byte for byte
    assert (site / "van-ban/van-ban.csv").read_bytes() == downloads.to_csv(legal_pages.rows(docs))
    assert (site / "van-ban/van-ban.json").read_bytes() == downloads.to_json(legal_pages.rows(docs))


# --------------------------------------------------------------------------- the real content


def test_real_content_resolution_05_nq_tu_page_cites_cam_xuyen(tmp_path):
    out = build(ROOT, tmp_path / "site", index=False)
    portal = build_portal(check(ROOT / "content"), load_config(ROOT / "site_config.yml"))
    doc = next(d for d in legal_documents.documents(portal) if d.number_text == "05-NQ/TU")
    assert {p.id for p in doc.plans} == {
        "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so",
        "ha-tinh/duc-tho/2023-chinh-quyen-so",
    }
    body = main_of(page(out, doc.url))
    assert re.search(r"<h1[^>]*>Nghị quyết 05-NQ/TU</h1>", body)
    assert 'href="../../ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so/"' in body
    assert "Chương trình hành động thực hiện Nghị quyết số 05-NQ/TU" in text_of(body)
    # the law cited by two provinces' plans is one page
    law = next(d for d in legal_documents.documents(portal) if d.name == "Luật Công nghệ thông tin")
    assert len(law.plans) == 2


# --------------------------------------------------------------------------- search


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is installed by `make test`")
def test_numbers_are_found_as_written(two_plans, tmp_path, chromium):
    """Pagefind indexes "42/2022/NĐ-CP" as one word with its punctuation dropped ("422022nđcp", and without tone
    marks "422022ndcp") plus its parts of two or more characters; a query gets the same treatment, so a number
    typed as written (or without the Đ) finds its page."""
    from tests.browser import serve

    out = build(two_plans, tmp_path / "site", index=True)
    with serve(out) as url:
        tab = chromium.new_page()
        tab.goto(f"{url}/tim-kiem/")
        found = {
            q: tab.evaluate(
                """async (q) => {
            const pagefind = await import('/pagefind/pagefind.js');
            const search = await pagefind.search(q);
            return Promise.all(search.results.map(r => r.data().then(d => d.url)));
        }""",
                q,
            )
            for q in ("42/2022/NĐ-CP", "42/2022/ND-CP", "nghị định 42/2022")
        }
    for query, urls in found.items():
        assert urls and urls[0] == "/van-ban/42-2022-nd-cp/", (query, urls)

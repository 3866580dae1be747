"""Documents named in a plan's text (generator.legal.find_mentions), their pages, and where a local document is filed.

Issue 19: items 17 (a document named in the text is linked and listed, apart from the legal bases) and 18 (a
district's document is the district's, whichever of its communes cites it).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.build.pipeline import build_site, check
from generator.content import document_numbers
from generator.content.config import load_config
from generator.content.document_numbers import find_mentions
from generator.model import legal_documents
from generator.model.views import build_portal
from generator.outputs import legal_pages
from tests.helpers import FIXTURES, ROOT, tree_digest

HA_TINH_2020 = "ha-tinh/2020-ung-dung-cntt"
DUC_THO = "ha-tinh/duc-tho/2023-chinh-quyen-so"
DUC_CO = "gia-lai/duc-co/2023-chinh-quyen-so"
THANH_HA = "hai-duong/thanh-ha/2022-ung-dung-cntt"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def main_of(html: str) -> str:
    return html.split("md-content__inner", 1)[1].split("</article>", 1)[0]


def text_of(html: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r" ([),;.»])", r"\1", text)


def section(html: str, ident: str) -> str:
    """The HTML from the heading with id `ident` to the next heading of its level or above."""
    m = re.search(rf'<h([23]) id="{ident}">', html)
    assert m, ident
    rest = html[m.end() :]
    end = re.search(rf"<h[2-{m.group(1)}][ >]", rest)
    return rest[: end.start()] if end else rest


# --------------------------------------------------------------------------- reading numbers in text


def _one(text: str) -> document_numbers.Mention:
    found = find_mentions(text)
    assert len(found) == 1, found
    return found[0]


def test_a_citation_is_read_with_its_kind_date_and_issuer():
    text = "cách mạng công nghiệp lần thứ 4 theo tinh thần của Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị."
    m = _one(text)
    assert (m.number, m.kind, m.date, m.issuer) == ("52-NQ/TW", "Nghị quyết", dt.date(2019, 9, 27), "Bộ Chính trị")
    assert text[m.start : m.end] == "52-NQ/TW"


@pytest.mark.parametrize(
    "text,expected",
    [
        # a date in words, glued to «tháng» as the extraction left it
        (
            "Chương trình hành động số 38-CTr/HU, ngày 21tháng 4 năm 2022 của Huyện ủy Đức Cơ thực hiện",
            ("38-CTr/HU", "Chương trình hành động", dt.date(2022, 4, 21), "Huyện ủy Đức Cơ"),
        ),
        (
            "Nghị quyết số 04-NQ/TU, ngày 20 tháng 01 năm 2022 của Tỉnh ủy khóa XVI về chuyển đổi số",
            ("04-NQ/TU", "Nghị quyết", dt.date(2022, 1, 20), "Tỉnh ủy khóa XVI"),
        ),
        # a stray space after a dash; «Văn bản» names no kind
        (
            "Văn bản số 4013/CTr- UBND ngày 09/11/2022 Chương trình hành động",
            ("4013/CTr- UBND", None, dt.date(2022, 11, 9), None),
        ),
        # no «số», a kind in lower case
        ("theo nghị quyết 93/2014/NQ-HĐND của HĐND tỉnh.", ("93/2014/NQ-HĐND", "Nghị quyết", None, "HĐND tỉnh")),
        # the issuer ends where what the document does begins
        (
            "theo Quyết định số 739/QĐ-UBND ngày 22/3/2017 của UBND tỉnh ban hành danh mục thông tin",
            ("739/QĐ-UBND", "Quyết định", dt.date(2017, 3, 22), "UBND tỉnh"),
        ),
        (
            "Thông tư số 12/2022/TT-BTTTT ngày 12/8/2022 của Bộ Thông tin và Truyền thông về việc",
            ("12/2022/TT-BTTTT", "Thông tư", dt.date(2022, 8, 12), "Bộ Thông tin và Truyền thông"),
        ),
        (
            "Triển khai Kế hoạch số 54/KH-UBND ngày 09/3/2022 của UBND tỉnh và các văn bản hướng dẫn",
            ("54/KH-UBND", "Kế hoạch", dt.date(2022, 3, 9), "UBND tỉnh"),
        ),
        (
            "Kế hoạch số 50/KH-UBND ngày 15/3/2023 của UBND huyện Sơn Tịnh, tỉnh Quảng Ngãi về chuyển đổi số",
            ("50/KH-UBND", "Kế hoạch", dt.date(2023, 3, 15), "UBND huyện Sơn Tịnh"),
        ),
        # a công văn of a known body needs no «Công văn số» before it; an impossible date is no date
        ("; 3219/UBND-VH ngày 31/02/2022 về việc chỉ đạo", ("3219/UBND-VH", None, None, None)),
    ],
)
def test_citations_as_plans_write_them(text, expected):
    m = _one(text)
    assert (m.number, m.kind, m.date, m.issuer) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tổng kinh phí 1.374,306 triệu đồng; năm 2023: 1.545.000.000 đồng (565.300.000/năm).",
        "ngày 24/6/2022, giai đoạn 2021-2025, định hướng đến năm 2030",
        "Điện thoại: 0239.3855.123, (0239) 3 855 123, 0912/345 678, 0912345678; đường dây nóng 1900/1234",
        "phủ sóng 3G/4G, 4G/5G; trực 24/7; tỷ lệ 1/500; 100%/năm",
        "Số giấy phép: 01/GP-TTĐT ngày 23/5/2018 của Sở Thông tin và Truyền thông",  # a licence, not a document
        "trên Cổng/Trang TTĐT theo TCVN 11930:2017 và ISO/IEC 27001:2013",
        "xem https://example.gov.vn/van-ban/12/KH-UBND và tệp 2022/QĐ-UBND.pdf",
        "Quyết định số 2682 ngày 18/5/2021 về việc kiện toàn",  # no symbol: no number the portal can key
        "Kế hoạch số 12/KH ngày 01/01/2022",  # no issuer code: a part of a number
        "COVID-19/CP-ABC, mã SP12/KH-UBND, mục 1.12/KH-UBND",  # glued to a word or a figure
        "Đề án 06-AB/XY",  # a Party-style number with no kind of document
    ],
)
def test_amounts_dates_phones_and_codes_are_no_citations(text):
    assert find_mentions(text) == []


def test_every_number_named_in_the_seed_plans_is_a_document_number():
    portal = build_portal(check(ROOT / "content"), load_config(ROOT / "site_config.yml"))
    named = {
        m.number
        for plan in portal.plans
        for _, _, text in legal_documents.plan_texts(plan)
        for m in find_mentions(text)
    }
    assert {
        "52-NQ/TW",
        "17/NQ-CP",
        "22/2016/NQ-HĐND",
        "43/2011/NĐ-CP",
        "1173/KH-UBND",
        "113/KH-UBND",
        "4013/CTr- UBND",
        "3219/UBND-VH",
    } <= named
    assert "01/GP-TTĐT" not in named
    assert all(document_numbers.parse_number(n) for n in named)


# --------------------------------------------------------------------------- the seed site: item 17


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", out, index=False)
    return out


def test_a_resolution_named_in_the_solutions_lists_that_plan_apart_from_those_citing_it(seed):
    body = main_of(page(seed, "van-ban/52-nq-tw-2019"))
    text = text_of(body)
    assert "Kế hoạch trích dẫn (2)" in text
    bases, named = section(body, "can-cu"), section(body, "duoc-nhac-toi")
    assert "Làm căn cứ pháp lý (1)" in text and "Được nhắc tới trong nội dung (2)" in text
    assert f'href="../../{DUC_THO}/"' in bases and HA_TINH_2020 not in bases
    # Hà Tĩnh 2020 names it in its solutions; Đức Thọ in the title of one of its legal bases
    assert f'href="../../{HA_TINH_2020}/#giai-phap"' in named
    assert f'href="../../{DUC_THO}/#can-cu-2"' in named
    assert "theo tinh thần của Nghị quyết số <mark>52-NQ/TW</mark> ngày 27/9/2019 của Bộ Chính trị.»" in named
    assert (
        "data-pagefind-ignore" in body.split('id="duoc-nhac-toi"', 1)[1][:200]
    )  # the plans' text is found on their own pages


@pytest.mark.parametrize(
    "slug,name,issuer,date,plan",
    [
        ("17-nq-cp-2019", "Nghị quyết 17/NQ-CP", "Chính phủ", "07/03/2019", THANH_HA),
        ("22-2016-nq-hdnd-ha-tinh", "Nghị quyết 22/2016/NQ-HĐND", "HĐND tỉnh", "24/09/2016", HA_TINH_2020),
        ("43-2011-nd-cp", "Nghị định 43/2011/NĐ-CP", "Chính phủ", "13/06/2011", DUC_THO),
        ("1173-kh-ubnd-2020-hai-duong", "Kế hoạch 1173/KH-UBND", None, "31/12/2020", THANH_HA),
        # the district's own plan, named with its issuer: filed under the district
        (
            "137-kh-ubnd-2021-gia-lai-duc-co",
            "Kế hoạch 137/KH-UBND",
            "Ủy ban nhân dân huyện Đức Cơ",
            "07/10/2021",
            DUC_CO,
        ),
    ],
)
def test_documents_only_named_in_the_text_have_pages(seed, slug, name, issuer, date, plan):
    body = main_of(page(seed, f"van-ban/{slug}"))
    text = text_of(body)
    assert re.search(rf"<h1[^>]*>{re.escape(name)}</h1>", body)
    assert "không kế hoạch nào trên cổng ghi văn bản này trong phần căn cứ pháp lý" in text
    assert f"Ngày ban hành {date}" in text
    assert f"Cơ quan ban hành {issuer or 'không rõ'}" in text
    assert 'id="can-cu"' not in body and f'href="../../{plan}/' in section(body, "duoc-nhac-toi")


def test_a_document_cited_and_named_has_one_page_listing_both(seed):
    # Đức Cơ cites Kế hoạch 113/KH-UBND among its legal bases and names it in its results of 2022
    body = main_of(page(seed, "van-ban/113-kh-ubnd-2022-gia-lai"))
    assert f'href="../../{DUC_CO}/"' in section(body, "can-cu")
    assert f'href="../../{DUC_CO}/#ket-qua-ky-truoc"' in section(body, "duoc-nhac-toi")


def test_the_index_and_its_data_tell_legal_bases_from_mentions(seed):
    table = list(csv.DictReader(io.StringIO((seed / "van-ban/van-ban.csv").read_bytes().decode("utf-8-sig"))))
    rows = {r["trang"]: r for r in table}
    row = rows["van-ban/52-nq-tw-2019/"]
    assert (row["ke_hoach_can_cu"], row["ke_hoach_nhac_toi"]) == (DUC_THO, f"{DUC_THO}; {HA_TINH_2020}")
    assert (
        row["thong_tin_tu"] == "căn cứ" and rows["van-ban/1173-kh-ubnd-2020-hai-duong/"]["thong_tin_tu"] == "nội dung"
    )
    assert not any("gp-ttdt" in url for url in rows)  # «Số giấy phép: 01/GP-TTĐT» is no document
    index = text_of(main_of(page(seed, "van-ban")))
    assert "Số kế hoạch làm căn cứ Số kế hoạch nhắc tới" in index


def test_an_undated_legal_basis_and_the_dated_text_of_one_plan_are_one_document(seed):
    # Đức Cơ's legal bases cite «Nghị quyết 04-NQ/TU» without a date; its text dates it 20/01/2022
    assert (seed / "van-ban/04-nq-tu-2022-gia-lai/index.html").is_file()
    assert not (seed / "van-ban/04-nq-tu-gia-lai").exists()
    text = text_of(main_of(page(seed, "van-ban/04-nq-tu-2022-gia-lai")))
    assert "Ngày ban hành 20/01/2022 (theo nội dung kế hoạch; phần căn cứ không ghi)" in text


def test_the_same_number_undated_elsewhere_is_pointed_to_not_merged(seed):
    # Hà Tĩnh 2020 names «Quyết định 739/QĐ-UBND của UBND tỉnh» without a date; Đức Thọ dates it 2017
    undated = main_of(page(seed, "van-ban/739-qd-ubnd-ha-tinh"))
    assert 'href="../739-qd-ubnd-2017-ha-tinh/"' in undated
    assert 'href="../739-qd-ubnd-ha-tinh/"' in main_of(page(seed, "van-ban/739-qd-ubnd-2017-ha-tinh"))


# --------------------------------------------------------------------------- item 18: filed under its issuer


def _plan_yaml(title: str, issuer: str, number: str | None, bases: str, text: str, source: str) -> str:
    return f"""\
title: {title}
kind: ke-hoach
issuer: {issuer}
number: {number or "null"}
signed_date: "10/04/2023"
period:
  start: 2023
  end: 2023
legal_bases:
{bases}
general_objectives:
  - "{text}"
source_document:
  file: {source}
  sha256: {{sha}}
"""


def _write_plan(folder: Path, name: str, body: str) -> None:
    source = f"{name}.nguon.txt"
    (folder / source).write_text(f"Văn bản gốc: {name}\n", "utf-8")
    sha = hashlib.sha256((folder / source).read_bytes()).hexdigest()
    (folder / f"{name}.yml").write_text(body.replace("{sha}", sha), "utf-8")


DISTRICT_BASIS = """\
  - kind: Kế hoạch
    number: 50/KH-UBND
    date: "15/03/2023"
    issuer: {issuer}
    title: về chuyển đổi số huyện Sơn Tịnh năm 2023"""


def communes(root: Path) -> Path:
    """A province, its district Sơn Tịnh and two communes; each commune's plan cites the district's plan 50/KH-UBND
    (Tịnh Hà among its legal bases, Tịnh Bắc in its text), and so does the district's own plan («UBND huyện»)."""
    folder = root / "communes"
    content = folder / "content"
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "basic" / "site_config.yml", folder / "site_config.yml")
    units = {
        "quang-ngai": "name: Tỉnh Quảng Ngãi\nlevel: tinh\n",
        "quang-ngai/son-tinh": "name: Huyện Sơn Tịnh\nlevel: huyen\nparent: quang-ngai\n",
        "quang-ngai/son-tinh/tinh-ha": "name: Xã Tịnh Hà\nlevel: xa\nparent: quang-ngai/son-tinh\n",
        "quang-ngai/son-tinh/tinh-bac": "name: Xã Tịnh Bắc\nlevel: xa\nparent: quang-ngai/son-tinh\n",
    }
    for uid, text in units.items():
        (content / uid).mkdir(parents=True)
        (content / uid / "unit.yml").write_text(text, "utf-8")
    _write_plan(
        content / "quang-ngai/son-tinh/tinh-ha",
        "2023-chuyen-doi-so",
        _plan_yaml(
            "Kế hoạch chuyển đổi số xã Tịnh Hà năm 2023",
            "UBND xã Tịnh Hà",
            "12/KH-UBND",
            DISTRICT_BASIS.format(issuer="UBND huyện Sơn Tịnh")
            + """
  - kind: Kế hoạch
    number: 5/KH-UBND
    date: "02/02/2023"
    issuer: UBND xã Tịnh Hà
    title: về cải cách hành chính năm 2023""",
            "Hoàn thành các nhiệm vụ của xã theo Kế hoạch số 50/KH-UBND ngày 15/3/2023 của UBND huyện Sơn Tịnh.",
            "2023-chuyen-doi-so.nguon.txt",
        ),
    )
    _write_plan(
        content / "quang-ngai/son-tinh/tinh-bac",
        "2023-chuyen-doi-so",
        _plan_yaml(
            "Kế hoạch chuyển đổi số xã Tịnh Bắc năm 2023",
            "UBND xã Tịnh Bắc",
            "7/KH-UBND",
            """\
  - kind: Nghị định
    number: 42/2022/NĐ-CP
    date: "24/06/2022"
    issuer: Chính phủ
    title: quy định về việc cung cấp thông tin và dịch vụ công trực tuyến""",
            # the text escapes nothing: the page must
            "Thực hiện Kế hoạch số 50/KH-UBND ngày 15/3/2023 của UBND huyện Sơn Tịnh "
            "<script>alert(1)</script> & <b>đúng hạn</b>.",
            "2023-chuyen-doi-so.nguon.txt",
        ),
    )
    _write_plan(
        content / "quang-ngai/son-tinh",
        "2023-chuyen-doi-so",
        _plan_yaml(
            "Kế hoạch chuyển đổi số huyện Sơn Tịnh năm 2023",
            "UBND huyện Sơn Tịnh",
            "60/KH-UBND",
            DISTRICT_BASIS.format(issuer="UBND huyện"),
            "Các xã xây dựng kế hoạch của xã (Kế hoạch số 60/KH-UBND này).",
            "2023-chuyen-doi-so.nguon.txt",
        ),
    )
    return folder


@pytest.fixture(scope="module")
def commune_site(tmp_path_factory):
    folder = communes(tmp_path_factory.mktemp("legal18"))
    out = folder / "site"
    build_site(folder / "content", folder / "site_config.yml", out, index=False)
    return folder, out


def test_a_district_plan_two_communes_cite_is_one_page_filed_under_the_district(commune_site):
    folder, site = commune_site
    pages = sorted(p.name for p in (site / "van-ban").iterdir() if p.is_dir())
    assert "50-kh-ubnd-2023-quang-ngai-son-tinh" in pages
    assert not [p for p in pages if p.startswith("50-") and ("tinh-ha" in p or "tinh-bac" in p)], pages
    body = main_of(page(site, "van-ban/50-kh-ubnd-2023-quang-ngai-son-tinh"))
    bases, named = section(body, "can-cu"), section(body, "duoc-nhac-toi")
    assert 'href="../../quang-ngai/son-tinh/tinh-ha/2023-chuyen-doi-so/"' in bases
    assert 'href="../../quang-ngai/son-tinh/2023-chuyen-doi-so/"' in bases  # «UBND huyện»: the citing district
    assert 'href="../../quang-ngai/son-tinh/tinh-bac/2023-chuyen-doi-so/#muc-tieu-tong-quat"' in named
    # the commune's own plan stays the commune's
    assert "5-kh-ubnd-2023-quang-ngai-son-tinh-tinh-ha" in pages
    portal = build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))
    urls = {
        legal_documents.document_url(b, plan)
        for plan in portal.plans
        for b in plan.plan.legal_bases
        if b.number == "50/KH-UBND"
    }
    assert urls == {"van-ban/50-kh-ubnd-2023-quang-ngai-son-tinh/"}


def test_text_from_content_stays_escaped_on_the_document_page(commune_site):
    _, site = commune_site
    body = main_of(page(site, "van-ban/50-kh-ubnd-2023-quang-ngai-son-tinh"))
    assert "<script>" not in body and "<b>" not in body
    assert (
        "Thực hiện Kế hoạch số <mark>50/KH-UBND</mark> ngày 15/3/2023 của UBND huyện Sơn Tịnh "
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;đúng hạn&lt;/b&gt;.»"
    ) in body


@pytest.mark.parametrize(
    "issuer,scope",
    [
        ("UBND huyện Sơn Tịnh", "quang-ngai/son-tinh"),
        ("Huyện ủy Sơn Tịnh", "quang-ngai/son-tinh"),
        ("UBND huyện", "quang-ngai/son-tinh"),  # the citing commune's district
        ("UBND xã Tịnh Hà", "quang-ngai/son-tinh/tinh-ha"),
        ("UBND xã Tịnh Bắc", "quang-ngai/son-tinh/tinh-bac"),  # a neighbour commune: by its name, under the district
        ("UBND huyện Bình Sơn", "quang-ngai/binh-son"),  # another district of the province
        ("UBND tỉnh", "quang-ngai"),
        ("UBND tỉnh Quảng Ngãi", "quang-ngai"),
        ("UBND tỉnh Bình Định", "binh-dinh"),
        ("Sở Lao động - Thương binh và Xã hội", "quang-ngai"),  # «Xã hội» is no commune
        (None, "quang-ngai"),  # no issuer written: the province
    ],
)
def test_a_local_document_is_scoped_to_the_unit_its_issuer_names(commune_site, issuer, scope):
    folder, _ = commune_site
    portal = build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))
    plan = next(p for p in portal.plans if p.unit.id == "quang-ngai/son-tinh/tinh-ha")
    basis = document_numbers.Mention("9/KH-UBND", "Kế hoạch", dt.date(2023, 1, 1), issuer, 0, 0)
    assert legal_documents.identity(basis, plan)[4] == scope


# --------------------------------------------------------------------------- links in text


def test_links_in_html_are_escaped_and_never_nested(commune_site):
    folder, _ = commune_site
    portal = build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))
    plan = next(p for p in portal.plans if p.unit.id == "quang-ngai/son-tinh/tinh-bac")
    url = "quang-ngai/son-tinh/tinh-bac/2023-chuyen-doi-so/"
    # plain text is escaped first
    out = legal_pages.link_citations(
        "<i>Kế hoạch số 50/KH-UBND</i> ngày 15/3/2023 của UBND huyện Sơn Tịnh & 42/2022/NĐ-CP", plan, url
    )
    assert isinstance(out, Markup)
    assert out == (
        '&lt;i&gt;Kế hoạch số <a class="ck-cite" href="../../../../van-ban/50-kh-ubnd-2023-quang-ngai-son-tinh/">'
        "50/KH-UBND</a>&lt;/i&gt; ngày 15/3/2023 của UBND huyện Sơn Tịnh &amp; "
        '<a class="ck-cite" href="../../../../van-ban/42-2022-nd-cp/">42/2022/NĐ-CP</a>'
    )
    # HTML: text in links, code and h1 is left alone; attributes are never touched; entities survive
    html = Markup(
        '<h1>Về 42/2022/NĐ-CP</h1><p title="42/2022/NĐ-CP">Theo <a href="x">42/2022/NĐ-CP</a>, '
        "<code>42/2022/NĐ-CP</code> và <em>Nghị định 42/2022/NĐ-CP</em> &lt;ok&gt;</p>"
    )
    out = legal_pages.link_citations(html, plan, url)
    assert out.count('class="ck-cite"') == 1
    assert out == str(html).replace(
        "<em>Nghị định 42/2022/NĐ-CP</em>",
        '<em>Nghị định <a class="ck-cite" href="../../../../van-ban/42-2022-nd-cp/">42/2022/NĐ-CP</a></em>',
    )
    # a number the plan does not cite links nowhere (no page would exist), nor does the plan's own number
    assert legal_pages.link_citations("Nghị định 99/2099/NĐ-CP; Kế hoạch số 7/KH-UBND", plan, url) == (
        "Nghị định 99/2099/NĐ-CP; Kế hoạch số 7/KH-UBND"
    )
    # the district plan naming itself («Kế hoạch số 60/KH-UBND này») cites no document of its own number
    district = next(p for p in portal.plans if p.unit.id == "quang-ngai/son-tinh")
    assert not [
        d.slug
        for d in legal_documents.documents(portal)
        for c in d.citations
        if c.plan.id == district.id and c.basis.number == "60/KH-UBND"
    ]
    assert not [p.name for p in (commune_site[1] / "van-ban").iterdir() if p.name.startswith("60-")]


def test_every_number_of_a_plan_page_links_to_a_page_that_exists(commune_site, seed):
    for folder, site in ((commune_site[0], commune_site[1]), (ROOT, seed)):
        portal = build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))
        for plan in portal.plans:
            for _, _, text in legal_documents.plan_texts(plan):
                html = legal_pages.link_citations(text, plan, plan.url)
                for href in re.findall(r'class="ck-cite" href="([^"]+)"', html):
                    assert (site / plan.url / href / "index.html").resolve().is_file(), (plan.id, href)


# --------------------------------------------------------------------------- caching: a rebuild is a build from nothing


def _portal(tmp_path: Path) -> Path:
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    """Replaces `old` as the YAML writes it, maybe folded over lines."""
    text = path.read_text("utf-8")
    pattern = r"\s+".join(map(re.escape, old.split(" ")))
    assert re.search(pattern, text), old
    path.write_text(re.sub(pattern, new, text, count=1), "utf-8")


def _name_a_resolution_in_thanh_ha(c: Path) -> None:
    # a document Hà Tĩnh's and Đức Thọ's plans cite, now named in a third plan's text too, of another province
    _replace(
        c / f"{THANH_HA}.yml",
        "Kế hoạch số 687/KH-UBND ngày 01/9/2021 thực hiện",
        "Kế hoạch số 687/KH-UBND ngày 01/9/2021 theo Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, thực hiện",
    )


def _unname_a_resolution_in_ha_tinh(c: Path) -> None:
    _replace(c / f"{HA_TINH_2020}.yml", "Nghị quyết số 52-NQ/TW ngày 27/9/2019", "Nghị quyết của Bộ Chính trị")


def _redate_a_named_plan(c: Path) -> None:
    # 1173/KH-UBND of Thanh Hà's text: another year, another document
    _replace(
        c / f"{THANH_HA}.yml", "Kế hoạch số 1173/KH-UBND ngày 31/12/2020", "Kế hoạch số 1173/KH-UBND ngày 31/12/2019"
    )


@pytest.mark.parametrize(
    "edit",
    [_name_a_resolution_in_thanh_ha, _unname_a_resolution_in_ha_tinh, _redate_a_named_plan],
    ids=lambda e: e.__name__.strip("_"),
)
def test_a_rebuild_after_a_citation_in_the_text_changes_is_a_build_from_nothing(tmp_path, edit):
    folder = _portal(tmp_path)
    out = folder / "site"
    build_site(folder / "content", folder / "site_config.yml", out, index=False)
    edit(folder / "content")
    again = build_site(folder / "content", folder / "site_config.yml", out, index=False)
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")
    assert again.rendered < again.pages  # Gia Lai's Đức Cơ was not rendered again
    if edit is _name_a_resolution_in_thanh_ha:
        named = section(main_of(page(out, "van-ban/52-nq-tw-2019")), "duoc-nhac-toi")
        assert f"../../{THANH_HA}/" in named
    if edit is _redate_a_named_plan:
        assert (out / "van-ban/1173-kh-ubnd-2019-hai-duong").is_dir() and not (
            out / "van-ban/1173-kh-ubnd-2020-hai-duong"
        ).exists()

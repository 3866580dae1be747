"""Agency pages: name normalisation, resolution through registries, and whole builds."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import posixpath
import re
import shutil
import textwrap
import unicodedata
from pathlib import Path

import pytest

from generator.build.pipeline import check
from generator.content.config import load_config
from generator.model import agencies, views
from tests.helpers import ROOT, build, copy_fixture, page

HUYEN = "tinh-mau/huyen-mau"
HAI = "tinh-mau/huyen-hai"


def body_text(html: str) -> str:
    body = html.split("md-content__inner", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&amp;", "&")


def _plan(folder: Path, plan_id: str, yaml_text: str) -> None:
    """Writes a plan and its source text, with the source's real SHA-256."""
    path = folder / "content" / (plan_id + ".yml")
    source = path.with_suffix(".nguon.txt")
    source.write_text(f"Văn bản gốc của {plan_id}.\n", "utf-8")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    path.write_text(
        textwrap.dedent(yaml_text)
        + textwrap.dedent(f"""\
        source_document:
          file: {source.name}
          sha256: {digest}
        """),
        "utf-8",
    )


def agency_content(dest: Path) -> Path:
    """tests/fixtures/basic plus registries, a newer plan in Huyện Đông Mẫu and a second district."""
    folder = copy_fixture("basic", dest)
    content = folder / "content"
    (content / "tinh-mau/agencies.yml").write_text(
        textwrap.dedent("""\
        agencies:
          - id: so-thong-tin-va-truyen-thong
            name: Sở Thông tin và Truyền thông
            aliases:
              - Sở TT&TT
        """),
        "utf-8",
    )
    (content / HUYEN / "agencies.yml").write_text(
        textwrap.dedent("""\
        agencies:
          - id: van-phong-hdnd-ubnd
            name: Văn phòng HĐND và UBND huyện
            aliases:
              - VP HĐND-UBND huyện
              - Văn phòng HĐND&UBND
        """),
        "utf-8",
    )
    _plan(
        folder,
        f"{HUYEN}/2024-ke-hoach",
        """\
        title: Kế hoạch chuyển đổi số năm 2024
        kind: ke-hoach
        issuer: UBND huyện Đông Mẫu
        number: 7/KH-UBND
        signed_date: "10/01/2024"
        period:
          start: 2024
          end: 2024
        targets:
          - area: Hạ tầng số
            statement: Phủ sóng 4G đến mọi thôn.
            comparator: "="
            value: 100
            unit: "%"
            deadline_year: 2025
            lead: Phòng Văn hoá - Thông tin
            coordinating:
              - VP HĐND-UBND huyện
              - Sở TT&TT
            implementing:
              - Phòng văn hóa và thông tin
          - area: Chính quyền số
            statement: Cổng dịch vụ công cấp huyện hoạt động ổn định.
            deadline_year: 2024
            implementing:
              - Phòng Văn hóa và Thông tin
        budget_tables:
          - id: kinh-phi-2024
            title: Kinh phí năm 2024
            year: 2024
            phase: du-kien
            currency_unit: dong
            columns:
              - key: kinh_phi
                label: Kinh phí
            groups:
              - lines:
                  - code: "1"
                    name: Thuê đường truyền
                    amounts:
                      kinh_phi: 2500000
                    lead: Văn phòng HĐND&UBND
                    period: Quý I/2024
        responsibilities:
          - unit: Phòng Văn hoá và Thông tin
            duties:
              - Tham mưu triển khai Kế hoạch năm 2024.
              - Tổng hợp, báo cáo kết quả.
          - unit: Sở TT&TT
            duties:
              - Đề nghị hỗ trợ kỹ thuật cho huyện.
        """,
    )
    hai = content / HAI
    hai.mkdir()
    (hai / "unit.yml").write_text("name: Huyện Hải Mẫu\nlevel: huyen\nparent: tinh-mau\n", "utf-8")
    _plan(
        folder,
        f"{HAI}/2023-ke-hoach",
        """\
        title: Kế hoạch ứng dụng công nghệ thông tin năm 2023 của huyện Hải Mẫu
        kind: ke-hoach
        issuer: UBND huyện Hải Mẫu
        number: 3/KH-UBND
        signed_date: "01/03/2023"
        period:
          start: 2023
          end: 2023
        targets:
          - area: Chính quyền số
            statement: Mọi văn bản đi được ký số.
            deadline_year: 2023
            lead: Văn phòng HĐND và UBND huyện
        responsibilities:
          - unit: Phòng Văn hóa và Thông tin
            duties:
              - Theo dõi việc thực hiện ở Hải Mẫu.
        """,
    )
    return folder


def portal_of(folder: Path) -> views.Portal:
    return views.build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return agency_content(tmp_path_factory.mktemp("agencies"))


@pytest.fixture(scope="module")
def portal(folder) -> views.Portal:
    return portal_of(folder)


@pytest.fixture(scope="module")
def site(folder) -> Path:
    return build(folder, index=False)


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "a, b",
    [
        ("Phòng Văn hoá và Thông tin", "Phòng Văn hóa - Thông tin"),  # tone placement, «và» = «-»
        ("Văn phòng HĐND&UBND huyện", "Văn phòng HĐND – UBND huyện"),  # «&» = en dash
        ("Văn phòng HĐND-UBND huyện", "  văn phòng  hđnd và ubnd HUYỆN "),  # case, spaces
        ("Phòng Nông nghiệp và PTNT", "Phòng Nông nghiệp & PTNT"),
        ("Thuỷ lợi", "Thủy lợi"),
        ("Phòng Văn hóa, Thông tin", "Phòng Văn hóa ,Thông tin"),
        (unicodedata.normalize("NFD", "Phòng Văn hóa"), "Phòng Văn hóa"),  # decomposed input
        ("Sở Thông tin và Truyền thông.", "Sở Thông tin và Truyền thông"),
    ],
)
def test_spelling_variants_normalise_alike(a, b):
    assert agencies.normalise(a) == agencies.normalise(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Phòng Nội vụ", "Phòng Nội vụ huyện"),  # a registry's job, not normalisation's
        ("Phòng Văn hóa", "Phòng Văn hoa"),  # a missing mark is another word
        ("UBND huyện", "Ủy ban nhân dân huyện"),
    ],
)
def test_different_names_stay_different(a, b):
    assert agencies.normalise(a) != agencies.normalise(b)


def test_tone_moves_only_in_open_syllables():
    assert agencies.normalise("Hoà") == "hòa"
    assert agencies.normalise("toàn huyện hoặc khuyến khích") == "toàn huyện hoặc khuyến khích"


def test_slugs_are_ascii_and_bounded():
    assert agencies.slugify("Phòng Văn hóa - Thông tin") == "phong-van-hoa-thong-tin"
    assert agencies.slugify("Đài phát thanh huyện") == "dai-phat-thanh-huyen"
    long = agencies.slugify("Các cơ quan chủ trì các dự án, nhiệm vụ được nêu trong Kế hoạch và các văn bản khác")
    assert len(long) <= 60 and not long.endswith("-") and long.isascii()


# --------------------------------------------------------------------------- resolution


def test_variants_in_one_district_are_one_agency(portal):
    urls = {
        agencies.agency_url(portal, HUYEN, n)
        for n in ("Phòng Văn hóa và Thông tin", "Phòng Văn hoá - Thông tin", "Phòng văn hóa và thông tin")
    }
    assert urls == {f"co-quan/{HUYEN}/phong-van-hoa-thong-tin/"}


def test_same_name_in_two_districts_is_two_agencies(portal):
    mau = agencies.agency_url(portal, HUYEN, "Phòng Văn hóa và Thông tin")
    hai = agencies.agency_url(portal, HAI, "Phòng Văn hóa và Thông tin")
    assert hai == f"co-quan/{HAI}/phong-van-hoa-thong-tin/" and hai != mau
    index = agencies.directory_for(portal)
    assert [d.text for _, items in index.agency(HAI, "Phòng Văn hóa và Thông tin").duties for d in items] == [
        "Theo dõi việc thực hiện ở Hải Mẫu."
    ]


def test_registry_alias_gives_registry_name_and_id(portal):
    agency = agencies.directory_for(portal).agency(HUYEN, "VP HĐND-UBND huyện")
    assert agency.registered and agency.name == "Văn phòng HĐND và UBND huyện"
    assert agency.url == f"co-quan/{HUYEN}/van-phong-hdnd-ubnd/"
    # the fixture's 2023 plan writes the registry name; the 2024 plan two aliases
    assert agency.spellings == ["VP HĐND-UBND huyện", "Văn phòng HĐND và UBND huyện", "Văn phòng HĐND&UBND"]
    # without a registry of its own, Huyện Hải Mẫu's office of the same name is its own agency
    assert (
        agencies.agency_url(portal, HAI, "Văn phòng HĐND và UBND huyện") == f"co-quan/{HAI}/van-phong-hdnd-ubnd-huyen/"
    )


def test_province_department_named_in_district_plan_uses_province_registry(portal):
    agency = agencies.directory_for(portal).agency(HUYEN, "Sở TT&TT")
    assert agency.unit.id == "tinh-mau" and agency.name == "Sở Thông tin và Truyền thông"
    assert agency.url == "co-quan/tinh-mau/so-thong-tin-va-truyen-thong/"
    assert agencies.agency_url(portal, "tinh-mau", "Sở Thông tin và Truyền thông") == agency.url
    assert [(a.kind, a.roles) for a in agency.assignments] == [
        (agencies.KIND_TARGET, (agencies.ROLE_COORDINATING,)),
        (agencies.KIND_DUTY, (agencies.ROLE_ASSIGNED,)),
    ]


def test_roles_deadlines_and_newest_plan_first(portal):
    agency = agencies.directory_for(portal).agency(HUYEN, "Phòng Văn hóa và Thông tin")
    assert agency.name == "Phòng Văn hóa và Thông tin"  # the spelling written most often
    assert [p.id for p in agency.plans] == [f"{HUYEN}/2024-ke-hoach", f"{HUYEN}/2023-ke-hoach"]
    [(plan, targets)] = agency.targets
    assert [(a.number, a.role_label, a.deadline_year) for a in targets] == [
        (1, "Chủ trì; Thực hiện", 2025),
        (2, "Thực hiện", 2024),
    ]
    assert [(p.year, [a.text for a in items]) for p, items in agency.duties] == [
        (2024, ["Tham mưu triển khai Kế hoạch năm 2024.", "Tổng hợp, báo cáo kết quả."]),
        (2023, ["Chủ trì theo dõi, tổng hợp."]),
    ]


def test_unknown_name_has_no_url(portal):
    assert agencies.agency_url(portal, HUYEN, "Ban Quản lý dự án huyện") == ""
    assert agencies.agency_url(portal, HUYEN, None) == ""


def test_unregistered_slug_never_takes_a_registry_id(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    # registry id equal to the slug the fixture's unregistered «Phòng Văn hóa và Thông tin» would get
    (folder / "content" / HUYEN / "agencies.yml").write_text(
        "agencies:\n  - id: phong-van-hoa-thong-tin\n    name: Phòng Văn hóa, Thể thao\n", "utf-8"
    )
    portal = portal_of(folder)
    assert (
        agencies.agency_url(portal, HUYEN, "Phòng Văn hóa và Thông tin")
        == f"co-quan/{HUYEN}/phong-van-hoa-thong-tin-2/"
    )


# --------------------------------------------------------------------------- built pages


def test_agency_page_lists_targets_duties_budget(site):
    html = page(site, f"co-quan/{HUYEN}/phong-van-hoa-thong-tin")
    text = body_text(html)
    assert "<h1" in html and "Phòng Văn hóa và Thông tin</h1>" in html
    assert "Huyện Đông Mẫu" in text
    assert (
        "Phòng Văn hoá - Thông tin; Phòng Văn hoá và Thông tin; Phòng Văn hóa và Thông tin; Phòng văn hóa và thông tin"
        in text
    )
    assert "Chỉ tiêu (2)" in text
    assert "1 Hạ tầng số Phủ sóng 4G đến mọi thôn. = 100% 2025 Chủ trì; Thực hiện" in text
    assert "2 Chính quyền số Cổng dịch vụ công cấp huyện hoạt động ổn định. Định tính 2024 Thực hiện" in text
    assert "Nhiệm vụ được giao (3)" in text
    assert text.index("Tham mưu triển khai Kế hoạch năm 2024.") < text.index("Chủ trì theo dõi, tổng hợp.")
    assert "Theo dõi việc thực hiện ở Hải Mẫu." not in text
    assert 'href="../../../../tinh-mau/huyen-mau/2024-ke-hoach/#chi-tieu-1"' in html
    assert 'data-pagefind-filter="Loại nội dung:Cơ quan"' in html
    assert 'data-pagefind-filter="Tỉnh:Tỉnh Mẫu"' in html and 'data-pagefind-filter="Đơn vị:Huyện Đông Mẫu"' in html


def test_budget_lines_on_registry_agency_page(site):
    text = body_text(page(site, f"co-quan/{HUYEN}/van-phong-hdnd-ubnd"))
    assert "Kinh phí (1)" in text
    assert "1 Thuê đường truyền Kinh phí năm 2024 2.500.000 đồng Quý I/2024 Chủ trì" in text
    assert "100% hồ sơ công việc cấp huyện được xử lý trên môi trường mạng. = 100% 2023 Chủ trì" in text
    assert "Phủ sóng 4G đến mọi thôn. = 100% 2025 Phối hợp" in text


def test_agency_page_links_resolve(site):
    src = f"co-quan/{HUYEN}/phong-van-hoa-thong-tin"
    html = page(site, src)
    body = html.split("md-content__inner", 1)[1]
    hrefs = set(re.findall(r'href="([^"#]+)[^"]*"', body))
    assert len(hrefs) > 4
    for href in hrefs:
        if href.startswith(("http:", "https:", "mailto:")):
            continue
        target = site / posixpath.normpath(posixpath.join(src, href))
        assert target.is_file() or (target / "index.html").is_file(), href


def test_agency_data_files(site):
    folder = site / "co-quan" / HUYEN / "phong-van-hoa-thong-tin"
    raw = (folder / "viec-duoc-giao.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.endswith(b"\r\n") and not raw.endswith(b"\r\n\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["ke_hoach"], r["loai"], r["vai_tro"], r["nam_dat"]) for r in rows][:3] == [
        (f"{HUYEN}/2024-ke-hoach", "Chỉ tiêu", "Chủ trì; Thực hiện", "2025"),
        (f"{HUYEN}/2024-ke-hoach", "Chỉ tiêu", "Thực hiện", "2024"),
        (f"{HUYEN}/2024-ke-hoach", "Nhiệm vụ", "Được giao nhiệm vụ", ""),
    ]
    assert json.loads((folder / "viec-duoc-giao.json").read_text("utf-8")) == [
        {k: (int(v) if k in ("tt", "nam_dat") and v else v or None) for k, v in r.items()} for r in rows
    ]


def test_agencies_index_lists_provinces_and_each_province_its_agencies_by_unit(site):
    index = page(site, "co-quan")
    assert 'href="tinh-mau/"' in index and "Tỉnh Mẫu 5 cơ quan, đơn vị · 3 đơn vị hành chính" in body_text(index)
    assert "phong-van-hoa-thong-tin" not in index  # the agencies are on their province's page
    html = page(site, "co-quan/tinh-mau")
    text = body_text(html)
    assert "Cơ quan, đơn vị được giao việc: Tỉnh Mẫu" in text and "5 cơ quan, đơn vị" in text
    assert text.index("Cấp tỉnh (1)") < text.index("Huyện Đông Mẫu (2)")
    assert text.index("Cấp tỉnh (1)") < text.index("Huyện Hải Mẫu (2)")
    assert "Phòng Văn hóa và Thông tin 2 chỉ tiêu · 3 nhiệm vụ · 2 văn bản" in text
    assert "Văn phòng HĐND và UBND huyện 2 chỉ tiêu · 1 dòng kinh phí · 2 văn bản" in text
    assert 'href="huyen-hai/phong-van-hoa-thong-tin/"' in html
    assert 'href="so-thong-tin-va-truyen-thong/"' in html
    agency = page(site, "co-quan/tinh-mau/huyen-hai/phong-van-hoa-thong-tin")
    assert 'href="../../">Cơ quan, đơn vị được giao việc</a>' in agency  # the breadcrumb: its province's list


def test_index_in_navigation_agency_pages_not(site):
    home = page(site, "")
    assert 'href="co-quan/"' in home
    assert "co-quan/tinh-mau/" not in home


# --------------------------------------------------------------------------- real content


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    return build(folder, index=False)


def test_real_duc_tho_culture_office_lists_its_2023_duties(real_site):
    text = body_text(page(real_site, "co-quan/ha-tinh/duc-tho/phong-van-hoa-thong-tin"))
    assert "Phòng Văn hóa - Thông tin" in text and "Huyện Đức Thọ" in text
    assert "Nhiệm vụ được giao (6)" in text
    assert "Theo dõi, đôn đốc các cơ quan, đơn vị tăng cường sử dụng Hệ thống thư điện tử công vụ" in text
    # the same office of Thanh Hà («Phòng Văn hoá và Thông tin huyện») is another agency
    other = body_text(page(real_site, "co-quan/hai-duong/thanh-ha/phong-van-hoa-va-thong-tin"))
    assert "Huyện Thanh Hà" in other and "Phòng Văn hoá và Thông tin huyện" in other
    assert "Theo dõi, đôn đốc các cơ quan, đơn vị tăng cường" not in other


def test_real_duc_co_office_merges_three_spellings(real_site):
    text = body_text(page(real_site, "co-quan/gia-lai/duc-co/van-phong-hdnd-va-ubnd-huyen"))
    assert "Văn phòng HĐND – UBND huyện; Văn phòng HĐND&UBND huyện; Văn phòng HĐND-UBND huyện" in text
    assert "Chỉ tiêu (11)" in text and "Nhiệm vụ được giao (3)" in text and "Kinh phí (2)" in text


def test_alias_clash_is_reported():
    from generator.content import schema

    registry = schema.AgencyRegistry(
        agencies=[
            {"id": "phong-vh", "name": "Phòng Văn hóa và Thông tin"},
            {"id": "phong-vh-tt", "name": "Phòng VH-TT", "aliases": ["Phòng Văn hoá - Thông tin"]},
        ]
    )
    [(position, message)] = agencies.alias_clashes(registry)
    assert position == 1 and "«Phòng Văn hoá - Thông tin»" in message and "«phong-vh»" in message


def test_a_units_agencies_are_listed_in_vietnamese_alphabetical_order(tmp_path):
    """A reader scans for «Phòng Đại diện» after «Phòng Dịch vụ», not among the «D»s nor after «Z»; «Ủy ban» sorts
    under «U», after «Trung tâm»."""
    folder = copy_fixture("basic", tmp_path)
    moi = folder / "content/tinh-mau/huyen-moi"
    moi.mkdir()
    (moi / "unit.yml").write_text("name: Huyện Mới\nlevel: huyen\nparent: tinh-mau\n", "utf-8")
    names = [
        "Ủy ban nhân dân huyện",
        "Phòng Đô thị",
        "Phòng Dân tộc",
        "Trung tâm Văn hóa",
        "Phòng Dịch vụ",
        "Ban Ấn phẩm",
        "Phòng Đại diện",
        "Ban Anh ngữ",
    ]
    _plan(
        folder,
        "tinh-mau/huyen-moi/2023-ke-hoach",
        """\
        title: Kế hoạch chuyển đổi số năm 2023 của huyện Mới
        kind: ke-hoach
        issuer: UBND huyện Mới
        number: 9/KH-UBND
        signed_date: "01/03/2023"
        period:
          start: 2023
          end: 2023
        responsibilities:
"""
        + "".join(f"          - unit: {name}\n            duties:\n              - Thực hiện.\n" for name in names),
    )
    site = build(folder, index=False)
    html = page(site, "co-quan/tinh-mau/")
    listed = [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<a href="huyen-moi/[^"]+/">([^<]+)</a>', html.split("md-content__inner", 1)[1])
    ]
    assert listed == [  # letter by letter, a ă â … d đ …; a slug's order («dai» < «dan», «an-» < «anh») is not this
        "Ban Anh ngữ",
        "Ban Ấn phẩm",
        "Phòng Dân tộc",
        "Phòng Dịch vụ",
        "Phòng Đại diện",
        "Phòng Đô thị",
        "Trung tâm Văn hóa",
        "Ủy ban nhân dân huyện",
    ]

"""`make import`: drafts from .txt, .docx and .pdf plans in the national format pass `make check`, mark what they
inferred, lose no line; measured on the seed plans against their hand transcription (`make import-report`)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.build.pipeline import check
from generator.errors import ContentErrors
from generator.importer import measure
from generator.importer.draft import import_file
from generator.importer.extract import ImportProblem
from tests.helpers import ROOT, copy_fixture

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNIT = "tinh-mau/huyen-mau"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = copy_fixture("basic", tmp_path)
    return folder / "content"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def own_errors(result) -> list[str]:
    return [e for e in result.check_errors if e.startswith(result.display + ".")]


# --------------------------------------------------------------------------- documents written for the tests

COMMUNE = """\
ỦY BAN NHÂN DÂN               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN LẬP                          Độc lập - Tự do - Hạnh phúc

Số: 45/KH-UBND                  Tân Lập, ngày 15 tháng 3 năm 2024

KẾ HOẠCH
Chuyển đổi số xã Tân Lập năm 2024

Căn cứ Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị về một số chủ
trương, chính sách chủ động tham gia cuộc cách mạng công nghiệp lần thứ tư;
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt
Chương trình chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;
Căn cứ Kế hoạch số 120/KH-UBND ngày 10/01/2024 của UBND huyện Yên Lạc về
chuyển đổi số năm 2024;
Ủy ban nhân dân xã Tân Lập ban hành Kế hoạch chuyển đổi số năm 2024 như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao nhận thức của cán bộ, công chức và người dân về chuyển đổi số.
2. Yêu cầu
Các nhiệm vụ phải cụ thể, có người chịu trách nhiệm và thời hạn hoàn thành.
II. MỤC TIÊU
1. Mục tiêu chung
Xây dựng chính quyền số cấp xã phục vụ người dân, doanh nghiệp tốt hơn.
2. Chỉ tiêu cụ thể
- 100% cán bộ, công chức xã sử dụng thư điện tử công vụ trong công việc.
- Trên 80% hồ sơ công việc của xã được xử lý trên môi trường mạng (trừ hồ
sơ mật).
- Tối thiểu 50% hộ gia đình được hướng dẫn cài đặt ứng dụng VNeID đến năm 2025.
- Duy trì hoạt động của tổ công nghệ số cộng đồng ở các thôn.
III. NHIỆM VỤ
1. Hạ tầng số
- Duy trì đường truyền số liệu chuyên dùng đến trụ sở xã.
- Trang bị bổ sung máy tính cho bộ phận một cửa.
2. Chính quyền số
- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực.
IV. GIẢI PHÁP
1. Tuyên truyền trên hệ thống truyền thanh xã về lợi ích của dịch vụ công
trực tuyến.
2. Phối hợp với doanh nghiệp viễn thông hỗ trợ người dân.
V. KINH PHÍ THỰC HIỆN
Kinh phí thực hiện từ ngân sách xã năm 2024 và các nguồn hợp pháp khác.
VI. TỔ CHỨC THỰC HIỆN
1. Công chức Văn hóa - Xã hội
Chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp báo cáo Chủ
tịch UBND xã.
2. Văn phòng - Thống kê
Bảo đảm hoạt động của bộ phận một cửa và hệ thống quản lý văn bản.
3. Các thôn, tổ dân phố
Phối hợp tuyên truyền, vận động người dân sử dụng dịch vụ công trực tuyến.
Trong quá trình thực hiện, nếu có vướng mắc, các bộ phận báo cáo UBND xã
để xem xét, giải quyết./.

Nơi nhận:                                        TM. ỦY BAN NHÂN DÂN
- UBND huyện Yên Lạc (b/c);                              CHỦ TỊCH
- TT Đảng ủy, HĐND xã;
- Các thôn, tổ dân phố;
- Lưu: VT.

                                                        Nguyễn Văn An
"""

PROVINCE_2025 = """\
ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẮC NINH                             Độc lập - Tự do - Hạnh phúc

Số: 186/KH-UBND                   Bắc Ninh, ngày 29 tháng 12 năm 2025

KẾ HOẠCH
Phát triển chính quyền số tỉnh Bắc Ninh năm 2026

Phần I
ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2025

1. Hạ tầng số
a) Kết quả đạt được: 100% xã, phường có kết nối mạng truyền số liệu chuyên
dùng sau khi sắp xếp đơn vị hành chính.
b) T n tại, hạn chế: Một số xã mới thành lập chưa đủ máy tính cho bộ phận một
cửa; việc cập nhật h sơ còn chậm.
2. Chính quyền số
a) Kết quả đạt được: Hệ thống thông tin giải quyết thủ tục hành chính vận
hành thông suốt ở 99 xã, phường.
b) Tồn tại, hạn chế: Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp ở vùng nông
thôn; việc cập nhật hồ sơ điện tử chưa đều.

Kế hoạch phát triển chính quyền số năm 2026

2

3. Kinh phí thực hiện năm 2025
TT Nội dung Kinh phí (đồng)
1 Nâng cấp hệ thống một cửa điện tử 1.200.000.000
2 Đào tạo, bồi dưỡng kỹ năng số cho cán bộ xã 350.000.000
Tổng cộng 1.550.000.000

Phần II
NỘI DUNG KẾ HOẠCH NĂM 2026

I. CĂN CỨ LẬP KẾ HOẠCH
- Luật Giao dịch điện tử ngày 22/6/2023;
- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển
khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;
- Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị
hành chính cấp tỉnh.
II. MỤC TIÊU
1. Mục tiêu tổng quát
Hoàn thiện chính quyền số hai cấp của tỉnh sau sắp xếp, lấy người dân làm trung tâm.
2. Mục tiêu cụ thể
- 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.
- Trên 90% hồ sơ công việc cấp tỉnh và trên 80% hồ sơ công việc cấp xã được xử
lý trên môi trường mạng.

Kế hoạch phát triển chính quyền số năm 2026

3

III. NHIỆM VỤ
1. Phát triển hạ tầng số
- Bảo đảm kết nối mạng truyền số liệu chuyên dùng đến 100% xã, phường mới.
2. Phát triển dữ liệu số
- Xây dựng cơ sở dữ liệu dùng chung của tỉnh theo mô hình chính quyền hai cấp.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ: Chủ trì theo dõi, đôn đốc, tổng hợp tình hình
thực hiện Kế hoạch, báo cáo UBND tỉnh.
2. Sở Tài chính: Tham mưu bố trí kinh phí thực hiện Kế hoạch.
3. UBND các xã, phường: Xây dựng kế hoạch của địa phương, triển khai các
nhiệm vụ được giao.

Kế hoạch phát triển chính quyền số năm 2026

4

Nơi nhận:
- Bộ Khoa học và Công nghệ (b/c);
- TT Tỉnh ủy, TT HĐND tỉnh;
- Các sở, ban, ngành tỉnh;
- UBND các xã, phường;
- Lưu: VT, KGVX.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Thị Bình
"""

BLANK_NUMBER = """\
ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN IA GRAI                          Độc lập - Tự do - Hạnh phúc

Số:        /KH-UBND              Ia Grai, ngày      tháng 11 năm 2022

KẾ HOẠCH
Ứng dụng công nghệ thông tin, phát triển chính quyền số năm 2023

I. CĂN CỨ LẬP KẾ HOẠCH
- Luật Công nghệ thông tin;
- Kế hoạch số 2415/KH-UBND ngày 03/12/2020 của UBND tỉnh Gia Lai về chuyển
đổi số tỉnh Gia Lai giai đoạn 2021-2025.
II. MỤC TIÊU
- 100% văn bản đi, đến được ký số trên môi trường mạng.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa và Thông tin: Chủ trì theo dõi việc thực hiện Kế hoạch.
Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Văn Cường
"""


# --------------------------------------------------------------------------- .txt


def test_commune_plan_header_sections_and_check(content, tmp_path):
    source = tmp_path / "xa-tan-lap.txt"
    source.write_text(COMMUNE, "utf-8")
    result = import_file(source, content, UNIT)
    assert not own_errors(result), own_errors(result)
    plan = load(result.yml)
    assert result.yml.name == "2024-chuyen-doi-so-xa-tan-lap.yml"
    assert plan["title"] == "Chuyển đổi số xã Tân Lập năm 2024"
    assert (plan["kind"], plan["number"], plan["signed_date"], plan["place"]) == (
        "ke-hoach",
        "45/KH-UBND",
        "15/03/2024",
        "Tân Lập",
    )
    assert plan["issuer"] == "UBND xã Tân Lập"
    assert plan["period"] == {"start": 2024, "end": 2024}
    assert plan["signer"] == {"name": "Nguyễn Văn An", "title": "Chủ tịch", "on_behalf": "TM. ỦY BAN NHÂN DÂN"}
    assert [b["number"] for b in plan["legal_bases"]] == ["52-NQ/TW", "749/QĐ-TTg", "120/KH-UBND"]
    first = plan["legal_bases"][0]
    assert (first["kind"], first["date"], first["issuer"]) == ("Nghị quyết", "27/9/2019", "Bộ Chính trị")
    assert first["title"].startswith("về một số chủ trương, chính sách")
    targets = plan["targets"]
    assert [(t.get("comparator"), t.get("value")) for t in targets] == [("=", 100), (">", 80), ("≥", 50), (None, None)]
    assert targets[1]["statement"] == "Trên 80% hồ sơ công việc của xã được xử lý trên môi trường mạng (trừ hồ sơ mật)."
    assert targets[2]["deadline_year"] == 2025
    assert plan["general_objectives"] == ["Xây dựng chính quyền số cấp xã phục vụ người dân, doanh nghiệp tốt hơn."]
    assert [s["area"] for s in plan["tasks"]] == ["Hạ tầng số", "Chính quyền số"]
    assert len(plan["solutions"][0]["items"]) == 2
    assert [r["unit"] for r in plan["responsibilities"]] == [
        "Công chức Văn hóa - Xã hội",
        "Văn phòng - Thống kê",
        "Các thôn, tổ dân phố",
    ]
    assert plan["recipients"] == ["UBND huyện Yên Lạc (b/c)", "TT Đảng ủy, HĐND xã", "Các thôn, tổ dân phố", "Lưu: VT"]
    assert plan["funding_notes"] == ["Kinh phí thực hiện từ ngân sách xã năm 2024 và các nguồn hợp pháp khác."]
    narrative = result.md.read_text("utf-8")
    assert "Nâng cao nhận thức của cán bộ" in narrative and "## Mục đích, yêu cầu" in narrative
    assert "Trong quá trình thực hiện, nếu có vướng mắc" in narrative  # the closing sentence, not a duty
    assert result.nowhere == []
    # The .txt is kept byte for byte, and its digest recorded.
    assert result.source.read_bytes() == source.read_bytes()
    assert plan["source_document"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_inferred_values_are_marked_and_listed(content, tmp_path):
    source = tmp_path / "xa.txt"
    source.write_text(COMMUNE, "utf-8")
    result = import_file(source, content, UNIT)
    lines = result.yml.read_text("utf-8").splitlines()
    marked = [i + 1 for i, line in enumerate(lines) if line.lstrip().startswith("# XEM LẠI:")]
    assert marked and len(marked) == len(result.marks)
    for mark in result.marks:  # each listed mark points at the value right after its comment
        assert lines[mark.line - 2].lstrip().startswith("# XEM LẠI:"), mark
    paths = {m.path for m in result.marks}
    assert "issuer" in paths and "period" in paths and "targets[2].comparator" in paths
    report = result.report()
    assert f"{result.display}.yml:{result.marks[0].line}: {result.marks[0].path}:" in report
    assert "Không dòng nào bị bỏ sót." in report


def test_province_plan_after_2025_reform_review_budget_and_repairs(content, tmp_path):
    source = tmp_path / "bac-ninh.txt"
    source.write_text(PROVINCE_2025, "utf-8")
    result = import_file(source, content, UNIT, "2026-chinh-quyen-so")
    assert not own_errors(result), own_errors(result)
    plan = load(result.yml)
    assert (plan["number"], plan["signed_date"], plan["place"], plan["issuer"]) == (
        "186/KH-UBND",
        "29/12/2025",
        "Bắc Ninh",
        "UBND tỉnh Bắc Ninh",
    )
    assert plan["period"] == {"start": 2026, "end": 2026}
    assert plan["signer"] == {
        "name": "Trần Thị Bình",
        "title": "Phó Chủ tịch",
        "on_behalf": "TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH",
    }
    review = plan["previous_results"]
    assert review["period"] == "năm 2025"
    assert review["areas"][0]["area"] == "Hạ tầng số"
    assert review["areas"][0]["limitations"] == [
        "Một số xã mới thành lập chưa đủ máy tính cho bộ phận một cửa; việc cập nhật hồ sơ còn chậm."
    ]
    repairs = {(r["found"], r["repaired"]) for r in plan["text_repairs"]}
    assert ("T n", "Tồn") in repairs and ("h sơ", "hồ sơ") in repairs
    table = plan["budget_tables"][0]
    assert (table["year"], table["phase"], table["currency_unit"]) == (2025, "thuc-hien", "dong")
    lines = table["groups"][0]["lines"]
    assert [(line["code"], line["name"]) for line in lines] == [
        ("1", "Nâng cấp hệ thống một cửa điện tử"),
        ("2", "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ xã"),
    ]
    assert [list(line["amounts"].values()) for line in lines] == [[1200000000], [350000000]]
    assert list(table["declared_total"].values()) == [1550000000]
    assert [b.get("number") for b in plan["legal_bases"]] == [None, "57-NQ/TW", "202/2025/QH15"]
    assert [(t["value"], t["comparator"], t.get("scope")) for t in plan["targets"][1:]] == [
        (90, ">", "cấp tỉnh"),
        (80, ">", "cấp xã"),
    ]
    assert [r["unit"] for r in plan["responsibilities"]] == [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "UBND các xã, phường",
    ]
    # Page numbers and the running header are dropped, and said so.
    dropped = result.dropped
    assert sorted(set(dropped.values())) == ["số trang", "tiêu đề lặp lại ở đầu/cuối trang"]
    assert len(dropped) == 6
    assert result.nowhere == []


def test_blank_number_keeps_the_symbol_and_month(content, tmp_path):
    source = tmp_path / "ia-grai.txt"
    source.write_text(BLANK_NUMBER, "utf-8")
    result = import_file(source, content, UNIT)
    assert not own_errors(result), own_errors(result)
    plan = load(result.yml)
    assert plan["number"] == "/KH-UBND"
    assert plan["signed_date"] == "11/2022"
    assert plan["period"] == {"start": 2023, "end": 2023}
    assert {m.path for m in result.marks} >= {"number", "signed_date"}
    assert plan["issuer"] == "UBND huyện Ia Grai"
    assert plan["signer"] == {"name": "Lê Văn Cường", "title": "Phó Chủ tịch", "on_behalf": "KT. CHỦ TỊCH"}


def test_refuses_unknown_unit_existing_plan_and_other_files(content, tmp_path):
    source = tmp_path / "xa.txt"
    source.write_text(COMMUNE, "utf-8")
    with pytest.raises(ImportProblem, match="không có đơn vị «tinh-mau/khong-co».*make new-unit"):
        import_file(source, content, "tinh-mau/khong-co")
    import_file(source, content, UNIT)
    with pytest.raises(ImportProblem, match="đã có; chọn tên khác"):
        import_file(source, content, UNIT)
    odt = tmp_path / "van-ban.odt"
    odt.write_bytes(b"x")
    with pytest.raises(ImportProblem, match=r"chỉ nhập được tệp \.pdf, \.docx hoặc \.txt"):
        import_file(odt, content, UNIT)


def test_make_import_command(content, tmp_path):
    source = tmp_path / "xa.txt"
    source.write_text(COMMUNE, "utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--content",
            str(content),
            "import",
            str(source),
            UNIT,
            "--slug",
            "2024-tan-lap",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "Bản nháp qua được `make check`." in run.stdout
    assert "Độ phủ:" in run.stdout and "XEM LẠI" in run.stdout
    assert (content / UNIT / "2024-tan-lap.yml").is_file()
    missing = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "import", str(tmp_path / "khong-co.pdf"), UNIT],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 1 and "không tìm thấy tệp" in missing.stderr and "Traceback" not in missing.stderr


# --------------------------------------------------------------------------- .docx and .pdf


def test_docx_plan_with_header_table_and_budget_table(content, tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    head = doc.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nHUYỆN KIM SƠN"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 12/KH-UBND"
    head.cell(1, 1).text = "Kim Sơn, ngày 05 tháng 02 năm 2024"
    for text in [
        "KẾ HOẠCH",
        "Phát triển chính quyền số huyện Kim Sơn năm 2024",
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình "
        "chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;",
        "I. MỤC TIÊU",
        "- 100% hồ sơ công việc cấp huyện được xử lý trên môi trường mạng.",
        "II. KINH PHÍ THỰC HIỆN",
        "Dự toán kinh phí năm 2024 như sau:",
    ]:
        doc.add_paragraph(text)
    table = doc.add_table(rows=4, cols=3)
    for r, row in enumerate(
        [
            ["TT", "Nội dung", "Kinh phí (đồng)"],
            ["1", "Mua sắm máy tính", "150.000.000"],
            ["2", "Tập huấn chuyển đổi số", "30.000.000"],
            ["", "Tổng cộng", "180.000.000"],
        ]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for text in [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa và Thông tin: Chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.",
        "Nơi nhận:",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Phạm Văn Dũng",
    ]:
        doc.add_paragraph(text)
    source = tmp_path / "kim-son.docx"
    doc.save(source)
    result = import_file(source, content, UNIT)
    assert not own_errors(result), own_errors(result)
    plan = load(result.yml)
    assert (plan["issuer"], plan["number"], plan["signed_date"]) == ("UBND huyện Kim Sơn", "12/KH-UBND", "05/02/2024")
    assert plan["title"] == "Phát triển chính quyền số huyện Kim Sơn năm 2024"
    table = plan["budget_tables"][0]
    assert [(l["name"], list(l["amounts"].values())) for l in table["groups"][0]["lines"]] == [
        ("Mua sắm máy tính", [150000000]),
        ("Tập huấn chuyển đổi số", [30000000]),
    ]
    assert list(table["declared_total"].values()) == [180000000]
    assert plan["signer"]["name"] == "Phạm Văn Dũng"
    # The original is kept beside the plan, its digest recorded; the extracted text is the source file.
    assert_original_kept(plan, result, source, content)
    assert plan["source_document"]["file"].endswith(".nguon.txt")
    assert "Phòng Văn hóa và Thông tin" in result.source.read_text("utf-8")
    assert result.nowhere == []


def test_pdf_plan_text_layer(content, tmp_path):
    fpdf = pytest.importorskip("fpdf")
    if not FONT.is_file():
        pytest.skip(f"thiếu phông {FONT} (Debian: fonts-dejavu-core; `make test` cài nó) để viết PDF tiếng Việt")

    class Doc(fpdf.FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("dv", size=9)
                self.cell(0, 6, "Kế hoạch phát triển chính quyền số năm 2024", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-15)
            self.set_font("dv", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Doc()
    pdf.add_font("dv", fname=str(FONT))
    pdf.set_font("dv", size=12)
    pdf.add_page()
    body = COMMUNE.replace("XÃ TÂN LẬP", "XÃ TÂN LẬP").splitlines()
    for i, line in enumerate(body):
        pdf.cell(
            0,
            7,
            line.strip() if "   " not in line else re.sub(r"\s{3,}", "   ", line.strip()),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if i in (30, 60):
            pdf.add_page()
    source = tmp_path / "tan-lap.pdf"
    pdf.output(str(source))
    result = import_file(source, content, UNIT)
    assert not own_errors(result), own_errors(result)
    plan = load(result.yml)
    assert (plan["issuer"], plan["number"], plan["signed_date"]) == ("UBND xã Tân Lập", "45/KH-UBND", "15/03/2024")
    assert plan["title"] == "Chuyển đổi số xã Tân Lập năm 2024"
    assert len(plan["targets"]) == 4 and len(plan["responsibilities"]) == 3
    assert plan["signer"]["name"] == "Nguyễn Văn An"
    assert_original_kept(plan, result, source, content)
    assert set(result.dropped.values()) <= {"số trang", "tiêu đề lặp lại ở đầu/cuối trang"} and result.dropped
    assert result.nowhere == []


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_reports():
    if not measure.seed_plans(ROOT / "content"):
        pytest.skip("content/ không có kế hoạch nào kèm văn bản nguồn (*.nguon.txt)")
    return measure.run(ROOT / "content")


def test_seed_drafts_pass_check_and_lose_no_line(seed_reports):
    for report in seed_reports:
        assert report.check_ok, report.plan
        assert report.nowhere == 0, report.plan


def test_seed_figures_meet_the_goals(seed_reports):
    total = {c: measure.Score() for c in measure.CATEGORIES}
    for report in seed_reports:
        for c in measure.CATEGORIES:
            total[c].add(report.scores[c])
        for name, (present, exact) in report.header.items():
            assert exact or not present, (report.plan, name)
    for category, goal in measure.GOALS.items():
        assert total[category].recall >= goal, (category, total[category])
    print("\n" + measure.table(seed_reports))


def test_seed_sources_in_shared_are_the_published_copies():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds không có trong bản sao này")
    published = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "content").rglob("*.nguon.txt")}
    for seed in seeds.glob("*.txt"):
        assert hashlib.sha256(seed.read_bytes()).hexdigest() in published, seed.name


# --------------------------------------------------------------------------- around it: new-unit, new-plan


def assert_original_kept(plan: dict, result, source: Path, content: Path) -> None:
    """The imported PDF or DOCX is kept beside the plan with its SHA-256, and checked like the source text: a changed
    original is an error naming the field."""
    original = result.yml.with_suffix(source.suffix)
    assert original.read_bytes() == source.read_bytes()
    assert plan["source_document"]["original"] == {
        "file": original.name,
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
    }
    original.write_bytes(source.read_bytes() + b"x")
    with pytest.raises(ContentErrors) as err:
        check(content)
    assert "source_document.original.sha256" in err.value.report()


def build_site_of(content):
    from generator.build.pipeline import build_site

    out = content.parent / "site-new-unit"
    build_site(content, content.parent / "site_config.yml", out, index=False)
    return out


def test_new_unit_and_the_2025_merger(content):
    from generator.scaffold import new_unit

    (content / "tinh-khac").mkdir()
    (content / "tinh-khac" / "unit.yml").write_text("name: Tỉnh Khác\nlevel: tinh\n", "utf-8")
    written = new_unit(content, "tinh-moi", "Tỉnh Mới", "tinh", predecessors=["tinh-mau", "tinh-khac"])
    assert [p.relative_to(content).as_posix() for p in written] == [
        "tinh-moi/unit.yml",
        "tinh-mau/unit.yml",
        "tinh-khac/unit.yml",
    ]
    new = load(content / "tinh-moi" / "unit.yml")
    assert new["valid_from"] == "01/07/2025" and new["predecessors"] == ["Tỉnh Mẫu", "Tỉnh Khác"]
    for old in ("tinh-mau", "tinh-khac"):
        data = load(content / old / "unit.yml")
        assert data["valid_to"] == "30/06/2025" and data["succeeded_by"] == ["Tỉnh Mới"]
    new_unit(content, "tinh-moi/xa-a", "Xã A", "xa")
    assert load(content / "tinh-moi" / "xa-a" / "unit.yml")["parent"] == "tinh-moi"
    check(content)  # raises on any error
    site = build_site_of(content)
    assert "theo sắp xếp từ Tỉnh Mẫu; Tỉnh Khác, từ ngày 01/07/2025" in (site / "tinh-moi/index.html").read_text(
        "utf-8"
    )
    with pytest.raises(ValueError, match="cấp «quan»"):
        new_unit(content, "tinh-moi/x", "X", "quan")
    with pytest.raises(FileNotFoundError, match="không có đơn vị cấp trên"):
        new_unit(content, "khong-co/xa-b", "Xã B", "xa")


def test_make_new_unit_and_minimal_new_plan(content):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "generator", "--content", str(content), *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    made = run("new-unit", "tinh-mau/xa-moi", "--name", "Xã Mới", "--level", "xa")
    assert made.returncode == 0, made.stderr
    plan = run("new-plan", "tinh-mau/xa-moi", "2026", "--minimal")
    assert plan.returncode == 0, plan.stderr
    path = content / "tinh-mau/xa-moi/2026-ke-hoach.yml"
    data = load(path)
    from generator.content import schema

    required = [f for f, info in schema.Plan.model_fields.items() if info.is_required()]
    assert set(data) == set(required) | {"classification"}
    text = path.read_text("utf-8")
    assert "#   legal_bases:" in text and "#   budget_tables:" in text  # the optional blocks, listed
    assert data["issuer"] == "UBND xã Mới"
    checked = run("check")
    assert checked.returncode == 0, checked.stderr


def test_makefile_targets():
    text = (ROOT / "Makefile").read_text("utf-8")
    for target in ("import:", "import-report:", "new-unit:", "fonts:"):
        assert re.search(rf"^{target}", text, re.M), target
    assert "--minimal" in text


def test_repairs_without_the_debian_word_list(content, tmp_path, monkeypatch):
    from generator.importer import text

    monkeypatch.setattr(text, "HUNSPELL", tmp_path / "khong-co.dic")
    source = tmp_path / "bac-ninh.txt"
    source.write_text(PROVINCE_2025, "utf-8")
    plan = load(import_file(source, content, UNIT, "2026-chinh-quyen-so").yml)
    repairs = {(r["found"], r["repaired"]) for r in plan["text_repairs"]}
    assert ("T n", "Tồn") in repairs and ("h sơ", "hồ sơ") in repairs

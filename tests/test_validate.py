"""The validator (generator.validate): every rule, with the exact line an editor sees.

Each test starts from a copy of tests/fixtures/basic (see conftest.py), breaks
one thing and compares the full list of error lines. Line numbers refer to
tests/fixtures/basic/content/tinh-mau/huyen-mau/2023-ke-hoach.yml unless a
test inserts lines before them.

Tests marked xfail(strict=True) pin real bugs in the validator; they pass
once the bug is fixed (and then must lose their mark).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from generator.content import schema
from generator.content.load import load_tree
from generator.content.validate import validate
from generator.errors import ContentError, ContentErrors
from tests.helpers import generator_command

REPO = Path(__file__).resolve().parent.parent

UNIT_DIR = "tinh-mau/huyen-mau"
PLAN_ID = f"{UNIT_DIR}/2023-ke-hoach"
PLAN = PLAN_ID + ".yml"
P = "content/" + PLAN  # how errors name the plan
SOURCE_SHA = "b2b101f4ed546f8ae1e69020c60c8cf2ac2514fbf1d58bdb51a6e83be2e5c1ce"
AMOUNT_MESSAGE = (
    "cần một số (ví dụ 1545000000 hoặc 329.586), không dùng dấu chấm ngăn cách hàng nghìn và không đặt trong ngoặc kép"
)
SUMMARY = "lỗi trong nội dung; chưa xây dựng trang (site/ giữ nguyên)."


# --------------------------------------------------------------------------- helpers


def read(basic: Path, rel: str) -> str:
    return (basic / "content" / rel).read_text("utf-8")


def write(basic: Path, rel: str, text: str) -> Path:
    path = basic / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def edit(basic: Path, rel: str, old: str, new: str) -> None:
    text = read(basic, rel)
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    write(basic, rel, text.replace(old, new))


def edit_plan(basic: Path, old: str, new: str) -> None:
    edit(basic, PLAN, old, new)


def append_plan(basic: Path, text: str) -> None:
    write(basic, PLAN, read(basic, PLAN) + text)


def check(basic: Path):
    tree, errors = load_tree(basic / "content")
    return validate(tree, errors)


def error_objects(basic: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        check(basic)
    return caught.value.errors


def errors(basic: Path) -> list[str]:
    return [str(e) for e in error_objects(basic)]


# --------------------------------------------------------------------------- the valid fixture


def test_fixture_is_valid(basic_content):
    content = check(basic_content)
    assert (len(content.units), len(content.plans)) == (2, 1)
    plan = content.plans[PLAN_ID]
    assert plan.budget_tables[0].groups[0].lines[0].amounts["kinh_phi"] == Decimal("1500000")


# --------------------------------------------------------------------------- fields


def test_unknown_field_suggests_the_right_one(basic_content):
    edit_plan(basic_content, "title: Kế hoạch phát triển", "titel: Kế hoạch phát triển")
    assert errors(basic_content) == [
        f"{P}:1:1: titel: trường «titel» không có trong lược đồ; có phải ý bạn là «title»?",
    ]


def test_unknown_nested_field_suggests_the_right_one(basic_content):
    edit_plan(basic_content, "  title: Phó Chủ tịch", "  title: Phó Chủ tịch\n  on_behalff: KT. CHỦ TỊCH")
    assert errors(basic_content) == [
        f"{P}:10:3: signer.on_behalff (người ký › on_behalff): trường «on_behalff» không có trong lược đồ; "
        "có phải ý bạn là «on_behalf»?",
    ]


def test_unknown_field_without_a_near_name_lists_the_valid_ones(basic_content):
    edit_plan(basic_content, "  title: Phó Chủ tịch", "  title: Phó Chủ tịch\n  zzz: 1")
    assert errors(basic_content) == [
        f"{P}:10:3: signer.zzz (người ký › zzz): trường «zzz» không có trong lược đồ; các trường hợp lệ: "
        "name, title, on_behalf",
    ]


def test_missing_required_field(basic_content):
    edit_plan(basic_content, "issuer: UBND huyện Đông Mẫu\n", "")
    assert errors(basic_content) == [f"{P}:1:1: issuer (cơ quan ban hành): thiếu trường bắt buộc «issuer»"]


def test_missing_required_nested_field_points_at_its_block(basic_content):
    edit_plan(basic_content, "  end: 2023\n", "")
    assert errors(basic_content) == [f"{P}:11:3: period.end (kỳ kế hoạch › năm kết thúc): thiếu trường bắt buộc «end»"]


def test_missing_required_field_in_unit(basic_content):
    write(basic_content, "tinh-mau/unit.yml", "name: Tỉnh Mẫu\n")
    assert errors(basic_content) == ["content/tinh-mau/unit.yml:1:1: level (cấp): thiếu trường bắt buộc «level»"]


def test_list_where_text_expected(basic_content):
    edit_plan(
        basic_content,
        "title: Kế hoạch phát triển chính quyền số năm 2023\n",
        "title:\n  - Kế hoạch phát triển\n  - chính quyền số năm 2023\n",
    )
    assert errors(basic_content) == [f"{P}:2:3: title (trích yếu): cần văn bản; tìm thấy một danh sách"]


def test_flow_list_where_text_expected(basic_content):
    edit_plan(basic_content, "issuer: UBND huyện Đông Mẫu", "issuer: [UBND huyện Đông Mẫu]")
    assert errors(basic_content) == [f"{P}:4:9: issuer (cơ quan ban hành): cần văn bản; tìm thấy một danh sách"]


def test_text_where_list_expected(basic_content):
    edit_plan(basic_content, "  - UBND tỉnh\n", "  UBND tỉnh\n")
    assert errors(basic_content) == [
        f"{P}:61:3: recipients (nơi nhận): cần một danh sách (mỗi mục một dòng bắt đầu bằng «- »); tìm thấy "
        "«UBND tỉnh»",
    ]


def test_text_where_block_expected(basic_content):
    edit_plan(basic_content, "signer:\n  name: Trần Văn Ký\n  title: Phó Chủ tịch\n", "signer: Trần Văn Ký\n")
    assert errors(basic_content) == [
        f"{P}:7:9: signer (người ký): cần một khối trường (tên: giá trị); tìm thấy «Trần Văn Ký»"
    ]


def test_wrong_enum_value(basic_content):
    edit_plan(basic_content, "kind: ke-hoach", "kind: kế hoạch")
    assert errors(basic_content) == [
        f"{P}:2:7: kind (loại văn bản): cần một trong các giá trị: 'ke-hoach', 'chuong-trinh-hanh-dong', "
        "'chuong-trinh', "
        "'quyet-dinh', 'de-an' hoặc 'bao-cao'; tìm thấy «kế hoạch»",
    ]


def test_year_out_of_range(basic_content):
    edit_plan(basic_content, "  start: 2023", "  start: 23")
    assert errors(basic_content) == [
        f"{P}:11:10: period.start (kỳ kế hoạch › năm bắt đầu): cần một số ≥ 1990; tìm thấy 23"
    ]


def test_end_before_start(basic_content):
    edit_plan(basic_content, "  end: 2023", "  end: 2022")
    assert errors(basic_content) == [
        f"{P}:12:8: period.end (kỳ kế hoạch › năm kết thúc): năm kết thúc 2022 trước năm bắt đầu 2023"
    ]


def test_duplicate_key_in_one_mapping(basic_content):
    edit_plan(basic_content, "  name: Trần Văn Ký\n", "  name: Trần Văn Ký\n  name: Trần Văn Ký\n")
    assert errors(basic_content) == [
        f"{P}:9:3: signer.name (người ký › họ tên): trường bị khai báo hai lần trong cùng một khối"
    ]


def test_duplicate_key_at_top_level(basic_content):
    append_plan(basic_content, "kind: ke-hoach\n")
    assert errors(basic_content) == [f"{P}:65:1: kind (loại văn bản): trường bị khai báo hai lần trong cùng một khối"]


def test_same_key_in_different_mappings_is_fine(basic_content):
    # `title` appears in the plan, in signer and in legal_bases[0]: not a duplicate
    check(basic_content)


# --------------------------------------------------------------------------- dates


def test_date_that_does_not_exist(basic_content):
    edit_plan(basic_content, 'signed_date: "15/02/2023"', 'signed_date: "31/02/2023"')
    assert errors(basic_content) == [
        f"{P}:6:14: signed_date (ngày ký): ngày không tồn tại trong lịch; cần một ngày dạng dd/mm/yyyy có "
        "thật; tìm thấy «31/02/2023»",
    ]


def test_full_date_that_does_not_exist(basic_content):
    edit_plan(basic_content, 'date: "24/06/2022"', 'date: "31/06/2022"')
    assert errors(basic_content) == [
        f"{P}:16:11: legal_bases[0].date (căn cứ thứ 1 › ngày ban hành): ngày không tồn tại trong lịch; cần "
        "một ngày dạng dd/mm/yyyy có thật; "
        "tìm thấy «31/06/2022»",
    ]


@pytest.mark.parametrize("written", ['"2022-06-24"', "2022-06-24", '"24.06.2022"', '"ngày 24 tháng 6"'])
def test_date_in_the_wrong_format(basic_content, written):
    edit_plan(basic_content, 'date: "24/06/2022"', f"date: {written}")
    shown = written.strip('"')
    assert errors(basic_content) == [
        f"{P}:16:11: legal_bases[0].date (căn cứ thứ 1 › ngày ban hành): cần một ngày dạng dd/mm/yyyy (ví dụ "
        f"22/10/2021); tìm thấy «{shown}»",
    ]


def test_date_written_as_a_number(basic_content):
    edit_plan(basic_content, 'date: "24/06/2022"', "date: 24062022")
    assert errors(basic_content) == [
        f"{P}:16:11: legal_bases[0].date (căn cứ thứ 1 › ngày ban hành): cần một ngày dạng dd/mm/yyyy (ví dụ "
        "22/10/2021), đặt trong ngoặc kép; "
        "tìm thấy 24062022",
    ]


def test_signed_date_in_the_wrong_format(basic_content):
    edit_plan(basic_content, 'signed_date: "15/02/2023"', 'signed_date: "2023-02-15"')
    assert errors(basic_content) == [
        f"{P}:6:14: signed_date (ngày ký): cần dd/mm/yyyy, mm/yyyy (khi văn bản không ghi ngày) hoặc yyyy; "
        "tìm thấy «2023-02-15»",
    ]


@pytest.mark.parametrize(
    "written, kept", [('"02/2023"', "02/2023"), ("2023", "2023"), ('"2023"', "2023"), ("15/02/2023", "15/02/2023")]
)
def test_partial_signed_dates_are_accepted(basic_content, written, kept):
    edit_plan(basic_content, 'signed_date: "15/02/2023"', f"signed_date: {written}")
    assert check(basic_content).plans[PLAN_ID].signed_date == kept


def test_unit_date_that_does_not_exist(basic_content):
    edit(basic_content, f"{UNIT_DIR}/unit.yml", 'valid_to: "30/06/2025"', 'valid_to: "31/06/2025"')
    assert errors(basic_content) == [
        f"content/{UNIT_DIR}/unit.yml:4:11: valid_to (ngày chấm dứt): ngày không tồn tại trong lịch; cần một "
        "ngày dạng dd/mm/yyyy có thật; "
        "tìm thấy «31/06/2025»",
    ]


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize("written", ['"1.500.000"', "1.500.000", "1,500,000", '"1500000"'])
def test_budget_amount_written_as_text_is_refused(basic_content, written):
    edit_plan(basic_content, "kinh_phi: 1500000", f"kinh_phi: {written}")
    shown = written.strip('"')
    assert errors(basic_content) == [
        f"{P}:49:25: budget_tables[0].groups[0].lines[0].amounts.kinh_phi (bảng kinh phí thứ 1 › nhóm thứ 1 "
        f"› dòng thứ 1 › số tiền cột kinh_phi): {AMOUNT_MESSAGE}; có lẽ ý là 1500000; "
        f"tìm thấy «{shown}»",
    ]


def test_declared_total_written_as_text_is_refused(basic_content):
    edit_plan(basic_content, "kinh_phi: 3600000", 'kinh_phi: "3.600.000"')
    assert errors(basic_content) == [
        f"{P}:55:17: budget_tables[0].declared_total.kinh_phi (bảng kinh phí thứ 1 › tổng cộng cột "
        f"kinh_phi): {AMOUNT_MESSAGE}; có lẽ ý là 3600000; tìm thấy «3.600.000»",
    ]


def test_target_value_written_as_text_is_refused(basic_content):
    edit_plan(basic_content, "value: 100", 'value: "100"')
    assert errors(basic_content) == [
        f"{P}:24:12: targets[0].value (chỉ tiêu thứ 1 › giá trị): {AMOUNT_MESSAGE}; có lẽ ý là 100; tìm thấy «100»"
    ]


def test_budget_amount_true_is_refused(basic_content):
    edit_plan(basic_content, "kinh_phi: 1500000", "kinh_phi: true")
    assert errors(basic_content) == [
        f"{P}:49:25: budget_tables[0].groups[0].lines[0].amounts.kinh_phi (bảng kinh phí thứ 1 › nhóm thứ 1 "
        f"› dòng thứ 1 › số tiền cột kinh_phi): {AMOUNT_MESSAGE}; tìm thấy True",
    ]


def test_budget_amount_infinity_is_refused(basic_content):
    edit_plan(basic_content, "kinh_phi: 1500000", "kinh_phi: .inf")
    assert errors(basic_content) == [
        f"{P}:49:25: budget_tables[0].groups[0].lines[0].amounts.kinh_phi (bảng kinh phí thứ 1 › nhóm thứ 1 "
        f"› dòng thứ 1 › số tiền cột kinh_phi): {AMOUNT_MESSAGE}; tìm thấy nan",
    ]


def test_float_amounts_are_exact_decimals_in_targets_and_budgets(basic_content):
    # What happens to a float: targets and budget lines share the `Amount`
    # type, so a YAML float is accepted in both and kept as an exact Decimal
    # (never a binary float), while text is refused in both (tests above).
    edit_plan(basic_content, "value: 100", "value: 99.5")
    edit_plan(basic_content, "kinh_phi: 1500000", "kinh_phi: 1500000.1")
    edit_plan(basic_content, "kinh_phi: 2000000", "kinh_phi: 329.586")
    plan = check(basic_content).plans[PLAN_ID]
    assert plan.targets[0].value == Decimal("99.5")
    lines = plan.budget_tables[0].groups[0].lines
    assert [line.amounts["kinh_phi"] for line in lines] == [Decimal("1500000.1"), Decimal("329.586")]
    assert all(type(line.amounts["kinh_phi"]) is Decimal for line in lines)
    assert sum(line.amounts["kinh_phi"] for line in lines) == Decimal("1500329.686")


def test_underscored_amount_is_a_number(basic_content):
    edit_plan(basic_content, "kinh_phi: 1500000", "kinh_phi: 1_500_000")
    lines = check(basic_content).plans[PLAN_ID].budget_tables[0].groups[0].lines
    assert lines[0].amounts["kinh_phi"] == Decimal(1500000)


def test_target_value_needs_a_comparator(basic_content):
    edit_plan(basic_content, '    comparator: "="\n', "")
    assert errors(basic_content) == [
        f"{P}:23:12: targets[0].value (chỉ tiêu thứ 1 › giá trị): chỉ tiêu có giá trị số thì phải có "
        "«comparator» (=, ≥, >, ≤, <); tìm thấy 100",
    ]


def test_amount_key_not_declared_in_columns(basic_content):
    edit_plan(basic_content, "kinh_phi: 2000000", "kinh_phi_2: 2000000")
    assert errors(basic_content) == [
        f"{P}:53:27: budget_tables[0].groups[0].lines[1].amounts.kinh_phi_2 (bảng kinh phí thứ 1 › nhóm thứ "
        "1 › dòng thứ 2 › số tiền cột kinh_phi_2): cột «kinh_phi_2» không có trong «columns» (kinh_phi)",
    ]


def test_group_declared_key_not_declared_in_columns(basic_content):
    edit_plan(basic_content, "kinh_phi: 3500000", "tong: 3500000")
    assert errors(basic_content) == [
        f"{P}:44:17: budget_tables[0].groups[0].declared.tong (bảng kinh phí thứ 1 › nhóm thứ 1 › cộng nhóm "
        "cột tong): cột «tong» không có trong «columns» (kinh_phi)",
    ]


def test_declared_total_key_not_declared_in_columns(basic_content):
    edit_plan(basic_content, "kinh_phi: 3600000", "tong: 3600000")
    assert errors(basic_content) == [
        f"{P}:55:13: budget_tables[0].declared_total.tong (bảng kinh phí thứ 1 › tổng cộng cột tong): cột "
        "«tong» không có trong «columns» (kinh_phi)",
    ]


def test_printed_key_not_declared_in_columns(basic_content):
    edit_plan(
        basic_content,
        "              kinh_phi: 2000000\n",
        '              kinh_phi: 2000000\n            printed:\n              chi: "2.000.000"\n',
    )
    assert errors(basic_content) == [
        f"{P}:55:20: budget_tables[0].groups[0].lines[1].printed.chi (bảng kinh phí thứ 1 › nhóm thứ 1 › "
        "dòng thứ 2 › số tiền như văn bản in cột chi): cột «chi» không có trong «columns» (kinh_phi)",
    ]


def test_duplicate_budget_table_id(basic_content):
    edit_plan(
        basic_content,
        "responsibilities:\n",
        "  - id: kinh-phi-2023\n    title: Bảng khác\n    year: 2023\n    phase: thuc-hien\n"
        "    currency_unit: trieu-dong\n    columns: [{key: tong, label: Tổng}]\n    groups: [{lines: []}]\n"
        "responsibilities:\n",
    )
    assert errors(basic_content) == [
        f"{P}:56:9: budget_tables[1].id (bảng kinh phí thứ 2 › mã bảng): mã bảng «kinh-phi-2023» bị trùng "
        "trong kế hoạch"
    ]


# --------------------------------------------------------------------------- across files


def test_duplicate_document_number_of_one_issuer(basic_content):
    text = read(basic_content, PLAN).replace("năm 2023\n", "năm 2024\n", 1)
    write(basic_content, f"{UNIT_DIR}/2024-ke-hoach.yml", text)
    assert errors(basic_content) == [
        f"content/{UNIT_DIR}/2024-ke-hoach.yml:5:9: number (số, ký hiệu): số văn bản «12/KH-UBND» của «UBND "
        "huyện Đông Mẫu» "
        f"đã dùng cho kế hoạch «{PLAN_ID}»",
    ]


def test_duplicate_document_number_ignores_case(basic_content):
    text = read(basic_content, PLAN).replace("number: 12/KH-UBND", "number: 12/kh-ubnd")
    text = text.replace("issuer: UBND huyện Đông Mẫu", "issuer: ubnd huyện đông mẫu")
    write(basic_content, f"{UNIT_DIR}/2022-ke-hoach.yml", text)
    assert errors(basic_content) == [
        f"{P}:5:9: number (số, ký hiệu): số văn bản «12/KH-UBND» của «UBND huyện Đông Mẫu» "
        f"đã dùng cho kế hoạch «{UNIT_DIR}/2022-ke-hoach»",
    ]


def test_same_number_of_another_issuer_is_fine(basic_content):
    text = read(basic_content, PLAN).replace("issuer: UBND huyện Đông Mẫu", "issuer: Huyện ủy Đông Mẫu")
    write(basic_content, f"{UNIT_DIR}/2024-ke-hoach.yml", text)
    assert len(check(basic_content).plans) == 2


def test_unnumbered_documents_are_not_duplicates(basic_content):
    edit_plan(basic_content, "number: 12/KH-UBND", "number: /KH-UBND")
    write(basic_content, f"{UNIT_DIR}/2024-ke-hoach.yml", read(basic_content, PLAN))
    assert len(check(basic_content).plans) == 2


def test_parent_refers_to_a_missing_unit(basic_content):
    write(basic_content, "tinh-khac/huyen-x/unit.yml", "name: Huyện X\nlevel: huyen\nparent: tinh-khac\n")
    assert errors(basic_content) == [
        "content/tinh-khac/huyen-x/unit.yml:3:9: parent (đơn vị cấp trên): không có đơn vị «tinh-khac» "
        "(thiếu tinh-khac/unit.yml)",
    ]


def test_parent_that_is_not_the_folder(basic_content):
    edit(basic_content, f"{UNIT_DIR}/unit.yml", "parent: tinh-mau", "parent: tinh-khac")
    assert errors(basic_content) == [
        f"content/{UNIT_DIR}/unit.yml:3:9: parent (đơn vị cấp trên): không có đơn vị «tinh-khac» (thiếu "
        "tinh-khac/unit.yml)",
        f"content/{UNIT_DIR}/unit.yml:3:9: parent (đơn vị cấp trên): đơn vị cấp trên «tinh-khac» không khớp "
        "thư mục; cần «tinh-mau» (thư mục cha)",
    ]


def test_top_level_unit_must_not_have_a_parent(basic_content):
    write(basic_content, "tinh-mau/unit.yml", "name: Tỉnh Mẫu\nlevel: tinh\nparent: viet-nam\n")
    assert errors(basic_content) == [
        "content/tinh-mau/unit.yml:3:9: parent (đơn vị cấp trên): không có đơn vị «viet-nam» (thiếu viet-nam/unit.yml)",
        "content/tinh-mau/unit.yml:3:9: parent (đơn vị cấp trên): đơn vị cấp trên «viet-nam» không khớp thư mục; "
        "cần để trống (đơn vị cấp cao nhất)",
    ]


def test_plan_in_a_folder_without_unit_yml(basic_content):
    (basic_content / "content" / UNIT_DIR / "unit.yml").unlink()
    assert errors(basic_content) == [
        f"{P}:1:1: kế hoạch nằm trong thư mục «{UNIT_DIR}» không có unit.yml; "
        "mỗi kế hoạch phải nằm trong thư mục của đơn vị ban hành",
    ]


def test_plan_directly_in_content(basic_content):
    (basic_content / "content" / PLAN).rename(basic_content / "content" / "2023-ke-hoach.yml")
    (basic_content / "content" / UNIT_DIR / "2023-ke-hoach.nguon.txt").rename(
        basic_content / "content" / "2023-ke-hoach.nguon.txt"
    )
    assert errors(basic_content) == [
        "content/2023-ke-hoach.yml:1:1: kế hoạch nằm trong thư mục «content» không có unit.yml; "
        "mỗi kế hoạch phải nằm trong thư mục của đơn vị ban hành",
    ]


def test_reviews_a_plan_that_does_not_exist(basic_content):
    edit_plan(basic_content, "period:\n", f"reviews: {UNIT_DIR}/2022-ke-hoach\nperiod:\n")
    assert errors(basic_content) == [
        f"{P}:10:10: reviews (kế hoạch kỳ trước): không có kế hoạch «{UNIT_DIR}/2022-ke-hoach» trong content/",
    ]


def test_reviews_a_plan_that_exists(basic_content):
    text = read(basic_content, PLAN).replace("number: 12/KH-UBND", "number: 3/KH-UBND")
    write(basic_content, f"{UNIT_DIR}/2022-ke-hoach.yml", text)
    edit_plan(basic_content, "period:\n", f"reviews: {UNIT_DIR}/2022-ke-hoach\nperiod:\n")
    assert check(basic_content).plans[PLAN_ID].reviews == f"{UNIT_DIR}/2022-ke-hoach"


INDICATOR_LINE = "    indicator_code: ho-so-truc-tuyen\n"


def test_indicator_code_without_catalogue(basic_content):
    edit_plan(basic_content, '    comparator: "="\n', INDICATOR_LINE + '    comparator: "="\n')
    assert errors(basic_content) == [
        f"{P}:23:21: targets[0].indicator_code (chỉ tiêu thứ 1 › mã chỉ số): mã chỉ số «ho-so-truc-tuyen» "
        "không có trong content/indicators.yml",
    ]


def test_indicator_code_not_in_catalogue(basic_content):
    write(basic_content, "indicators.yml", "indicators:\n  - code: ho-so-mot-cua\n    name: Hồ sơ một cửa\n")
    edit_plan(basic_content, '    comparator: "="\n', INDICATOR_LINE + '    comparator: "="\n')
    assert errors(basic_content) == [
        f"{P}:23:21: targets[0].indicator_code (chỉ tiêu thứ 1 › mã chỉ số): mã chỉ số «ho-so-truc-tuyen» "
        "không có trong content/indicators.yml",
    ]


def test_indicator_code_in_catalogue(basic_content):
    write(basic_content, "indicators.yml", "indicators:\n  - code: ho-so-truc-tuyen\n    name: Hồ sơ trực tuyến\n")
    edit_plan(basic_content, '    comparator: "="\n', INDICATOR_LINE + '    comparator: "="\n')
    content = check(basic_content)
    assert content.plans[PLAN_ID].targets[0].indicator_code in content.indicators


def test_duplicate_indicator_code(basic_content):
    write(basic_content, "indicators.yml", "indicators:\n  - code: a\n    name: A\n  - code: a\n    name: B\n")
    assert errors(basic_content) == [
        "content/indicators.yml:4:11: indicators[1].code (chỉ số thứ 2 › mã chỉ số): mã chỉ số «a» bị trùng"
    ]


def test_wrong_source_sha256(basic_content):
    edit_plan(basic_content, f"sha256: {SOURCE_SHA}", "sha256: " + "a" * 64)
    assert errors(basic_content) == [
        f"{P}:64:11: source_document.sha256 (văn bản gốc › mã SHA-256): SHA-256 không khớp tệp văn bản gốc; "
        f"tệp có {SOURCE_SHA}",
    ]


def test_source_changed_after_hashing(basic_content):
    write(basic_content, f"{UNIT_DIR}/2023-ke-hoach.nguon.txt", "văn bản khác\n")
    digest = hashlib.sha256("văn bản khác\n".encode()).hexdigest()
    assert errors(basic_content) == [
        f"{P}:64:11: source_document.sha256 (văn bản gốc › mã SHA-256): SHA-256 không khớp tệp văn bản gốc; "
        f"tệp có {digest}",
    ]


def test_malformed_sha256(basic_content):
    edit_plan(basic_content, f"sha256: {SOURCE_SHA}", "sha256: " + SOURCE_SHA.upper())
    assert errors(basic_content) == [
        f"{P}:64:11: source_document.sha256 (văn bản gốc › mã SHA-256): không đúng dạng (mẫu ^[0-9a-f]{{64}}$); "
        f"tìm thấy «{SOURCE_SHA.upper()[:56]}…»",
    ]


def test_missing_source_file(basic_content):
    (basic_content / "content" / UNIT_DIR / "2023-ke-hoach.nguon.txt").unlink()
    assert errors(basic_content) == [
        f"{P}:63:9: source_document.file (văn bản gốc › tệp văn bản gốc): không tìm thấy tệp văn bản gốc "
        "«2023-ke-hoach.nguon.txt»",
    ]


def test_source_file_that_is_a_folder(basic_content):
    edit_plan(basic_content, "file: 2023-ke-hoach.nguon.txt", "file: .")
    assert errors(basic_content) == [
        f"{P}:63:9: source_document.file (văn bản gốc › tệp văn bản gốc): không tìm thấy tệp văn bản gốc «.»"
    ]


# --------------------------------------------------------------------------- Unicode


def test_decomposed_text_is_refused(basic_content):
    decomposed = unicodedata.normalize("NFD", "huyện")
    assert decomposed != "huyện"
    edit_plan(basic_content, "issuer: UBND huyện Đông Mẫu", f"issuer: UBND {decomposed} Đông Mẫu")
    assert errors(basic_content) == [
        f"{P}:4:18: văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC",
    ]


def test_every_decomposed_line_is_reported(basic_content):
    text = read(basic_content, PLAN)
    text = text.replace("  name: Trần Văn Ký", unicodedata.normalize("NFD", "  name: Trần Văn Ký"))
    text = text.replace("  - UBND tỉnh", unicodedata.normalize("NFD", "  - UBND tỉnh"))
    write(basic_content, PLAN, text)
    assert errors(basic_content) == [
        f"{P}:8:12: văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC",
        f"{P}:61:12: văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC",
    ]


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize("level", ["mat", "toi-mat", "tuyet-mat"])
def test_classified_documents_are_refused(basic_content, level):
    edit_plan(basic_content, "classification: thuong", f"classification: {level}")
    assert errors(basic_content) == [
        f"{P}:3:17: classification (độ mật): văn bản có độ mật «{level}» không bao giờ được công bố; hãy xóa "
        "tệp khỏi content/",
    ]


def test_classification_defaults_to_ordinary(basic_content):
    edit_plan(basic_content, "classification: thuong\n", "")
    assert check(basic_content).plans[PLAN_ID].classification is schema.Classification.ordinary


def test_unknown_classification(basic_content):
    edit_plan(basic_content, "classification: thuong", "classification: bi-mat")
    assert errors(basic_content) == [
        f"{P}:3:17: classification (độ mật): cần một trong các giá trị: 'thuong', 'mat', 'toi-mat' hoặc "
        "'tuyet-mat'; tìm thấy «bi-mat»",
    ]


# --------------------------------------------------------------------------- all errors together


THREE_ERRORS = [
    f"{P}:2:7: kind (loại văn bản): cần một trong các giá trị: 'ke-hoach', 'chuong-trinh-hanh-dong', 'chuong-trinh', "
    "'quyet-dinh', 'de-an' hoặc 'bao-cao'; tìm thấy «ke-hoachh»",
    f"{P}:6:14: signed_date (ngày ký): ngày không tồn tại trong lịch; cần một ngày dạng dd/mm/yyyy có thật; "
    "tìm thấy «31/02/2023»",
    f"{P}:49:25: budget_tables[0].groups[0].lines[0].amounts.kinh_phi (bảng kinh phí thứ 1 › nhóm thứ 1 › "
    "dòng thứ 1 › số tiền cột kinh_phi): "
    f"{AMOUNT_MESSAGE}; có lẽ ý là 1500000; tìm thấy «1.500.000»",
]


def break_three_things(basic: Path) -> None:
    # written bottom-up in the file, so that order of discovery is not the order of lines
    edit_plan(basic, "kinh_phi: 1500000", 'kinh_phi: "1.500.000"')
    edit_plan(basic, 'signed_date: "15/02/2023"', 'signed_date: "31/02/2023"')
    edit_plan(basic, "kind: ke-hoach", "kind: ke-hoachh")


def test_three_errors_in_one_file_are_all_reported_sorted(basic_content):
    break_three_things(basic_content)
    assert errors(basic_content) == THREE_ERRORS


def test_errors_of_every_stage_and_file_are_reported_together(basic_content):
    break_three_things(basic_content)
    # a YAML syntax error in one file, a schema error in another,
    # a cross-file error and a load error (duplicate key) in a third
    write(basic_content, "tinh-mau/unit.yml", "name: Tỉnh Mẫu\nlevel: [tinh\n")
    write(
        basic_content,
        f"{UNIT_DIR}/unit.yml",
        "name: Huyện Đông Mẫu\nname: Huyện Đông Mẫu\nlevel: huyen\nparent: tinh-mau\n",
    )
    assert errors(basic_content) == THREE_ERRORS + [
        f"content/{UNIT_DIR}/unit.yml:2:1: name (tên): trường bị khai báo hai lần trong cùng một khối",
        f"content/{UNIT_DIR}/unit.yml:4:9: parent (đơn vị cấp trên): không có đơn vị «tinh-mau» (thiếu "
        "tinh-mau/unit.yml)",
        "content/tinh-mau/unit.yml:3:1: YAML không hợp lệ: expected ',' or ']', but got '<stream end>'"
        " (while parsing a flow sequence)",
    ]


def run_cli(basic: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        generator_command(basic, *args),
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_cli_check_valid_fixture(basic_content):
    result = run_cli(basic_content, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Nội dung hợp lệ: 1 kế hoạch, 2 đơn vị.\n"
    assert result.stderr == ""


def test_cli_check_reports_every_error_then_the_summary(basic_content):
    break_three_things(basic_content)
    result = run_cli(basic_content, "check")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "\n".join(THREE_ERRORS) + f"\n\n3 {SUMMARY}\n"
    assert result.stderr.rstrip("\n").splitlines()[-1] == f"3 {SUMMARY}"
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_reports_errors_of_several_files(basic_content):
    break_three_things(basic_content)
    edit(basic_content, f"{UNIT_DIR}/unit.yml", "level: huyen", "level: quan")
    result = run_cli(basic_content, "check")
    assert result.returncode == 1
    lines = result.stderr.rstrip("\n").split("\n")
    assert lines == THREE_ERRORS + [
        f"content/{UNIT_DIR}/unit.yml:2:8: level (cấp): cần một trong các giá trị: 'tinh', 'huyen' hoặc "
        "'xa'; tìm thấy «quan»",
        "",
        f"4 {SUMMARY}",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_missing_content_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(tmp_path / "khong-co"), "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path / 'khong-co'}:1:1: không tìm thấy thư mục nội dung\n\n1 {SUMMARY}\n"
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_control_character_gives_an_error_line(basic_content):
    edit_plan(basic_content, "issuer: UBND", "issuer: \x0cUBND")
    result = run_cli(basic_content, "check")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert result.stderr.startswith(f"{P}:4:")


# --------------------------------------------------------------------------- bugs: wrong places, misleading messages


def test_unclosed_quote_points_at_the_opening_quote(basic_content):
    edit_plan(basic_content, "issuer: UBND huyện Đông Mẫu", "issuer: 'UBND huyện Đông Mẫu")
    [error] = error_objects(basic_content)
    assert (error.file, error.line) == (P, 4)


def test_unknown_field_with_a_block_value_points_at_the_key(basic_content):
    edit_plan(basic_content, "responsibilities:\n", "responsibilitiess:\n")
    [error] = error_objects(basic_content)
    assert str(error) == (
        f"{P}:56:1: responsibilitiess: trường «responsibilitiess» không có trong lược đồ; "
        "có phải ý bạn là «responsibilities»?"
    )


def test_unknown_nested_field_with_a_bracket_is_named(basic_content):
    edit_plan(basic_content, "  title: Phó Chủ tịch", "  title: Phó Chủ tịch\n  ten[2]: a")
    [error] = error_objects(basic_content)
    assert error.line == 10
    assert "«ten[2]»" in error.message


def test_unquoted_equals_comparator(basic_content):
    edit_plan(basic_content, 'comparator: "="', "comparator: =")
    tree, load_errors = load_tree(basic_content / "content")
    assert not any("tag:yaml.org" in str(e) for e in load_errors)
    try:
        content = validate(tree, load_errors)
    except ContentErrors as exc:
        assert not any("tag:yaml.org" in str(e) for e in exc.errors)
    else:
        assert content.plans[PLAN_ID].targets[0].comparator is schema.Comparator.eq


@pytest.mark.parametrize(
    "old, new",
    [
        ('    comparator: "="\n    value: 100', "    value: 99.5"),
        ("  start: 2023", "  start: 2023.5"),
        ("kinh_phi: 1500000", "kinh_phi: !!float nan"),
        ("title: Kế hoạch phát triển chính quyền số năm 2023", "title:"),
    ],
    ids=["decimal-value", "decimal-year", "nan-amount", "empty-title"],
)
def test_messages_have_no_python_reprs(basic_content, old, new):
    edit_plan(basic_content, old, new)
    [error] = error_objects(basic_content)
    assert "Decimal(" not in error.message
    assert "None" not in error.message
    assert "Input should" not in error.message


def test_error_with_a_multiline_value_fits_on_one_line(basic_content):
    edit_plan(basic_content, "kind: ke-hoach\n", "kind: >\n  ke-hoach\n  năm 2023\n")
    [error] = error_objects(basic_content)
    assert (error.line, error.field) == (2, "kind")
    assert "\n" not in str(error)


def test_missing_parent_message(basic_content):
    edit(basic_content, f"{UNIT_DIR}/unit.yml", "parent: tinh-mau\n", "")
    [error] = error_objects(basic_content)
    assert error.field == "parent"
    assert "None" not in error.message


def test_invalid_comparator_gives_one_error(basic_content):
    edit_plan(basic_content, 'comparator: "="', 'comparator: ">="')
    assert errors(basic_content) == [
        f"{P}:23:17: targets[0].comparator (chỉ tiêu thứ 1 › so sánh): cần một trong các giá trị: '=', '≥', "
        "'>', '≤' hoặc '<'; tìm thấy «>=»",
    ]


def test_non_nfc_narrative_points_at_its_line(basic_content):
    write(
        basic_content,
        f"{UNIT_DIR}/2023-ke-hoach.md",
        "# Mục đích\n\n" + unicodedata.normalize("NFD", "Kế hoạch") + "\n",
    )
    [error] = error_objects(basic_content)
    assert (error.file, error.line) == (f"content/{UNIT_DIR}/2023-ke-hoach.md", 3)


@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_source_document_must_stay_inside_content(basic_content, how):
    outside = basic_content / "ngoai-noi-dung.txt"
    outside.write_text("tệp ngoài thư mục nội dung\n", "utf-8")
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    written = str(outside) if how == "absolute" else "../../../ngoai-noi-dung.txt"
    edit_plan(basic_content, "file: 2023-ke-hoach.nguon.txt", f"file: {written}")
    edit_plan(basic_content, f"sha256: {SOURCE_SHA}", f"sha256: {digest}")
    assert [e.field for e in error_objects(basic_content)] == ["source_document.file"]

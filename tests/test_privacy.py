"""Personal data and classification stamps are refused, naming where they are; reviewed exceptions let a
false alarm through and are shown in every check and build."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build.pipeline import check
from generator.content import privacy
from generator.content.load import load_tree
from generator.content.validate import validate
from generator.errors import ContentErrors
from tests.helpers import ROOT, generator_command

UNIT = "content/tinh-mau/huyen-mau"
PLAN = f"{UNIT}/2023-ke-hoach.yml"
NARRATIVE = f"{UNIT}/2023-ke-hoach.md"
SOURCE = f"{UNIT}/2023-ke-hoach.nguon.txt"
DUTY = "      - Chủ trì theo dõi, tổng hợp.\n"  # responsibilities[0].duties[0] in the fixture's plan
PERSONAL = "dữ liệu cá nhân không được công bố"
CLASSIFIED = "văn bản mật không bao giờ được công bố"


# --------------------------------------------------------------------------- helpers


def replace(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def set_duty(folder: Path, text: str) -> int:
    """Writes `text` (double-quoted, as JSON writes it) as the first duty; returns its line."""
    replace(folder, PLAN, DUTY, f"      - {json.dumps(text, ensure_ascii=False)}\n")
    return line_of(folder, PLAN, json.dumps(text, ensure_ascii=False))


def set_source(folder: Path, text: str) -> None:
    """Replaces the source text, and its SHA-256 in the plan so that only what it holds is wrong."""
    path = folder / SOURCE
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(text, "utf-8")
    replace(folder, PLAN, old, hashlib.sha256(path.read_bytes()).hexdigest())


def add_exceptions(
    folder: Path, *texts: str, reason: str = "Số đường dây nóng của UBND huyện, công bố trên cổng huyện"
) -> None:
    items = "".join(
        f"  - text: {json.dumps(t, ensure_ascii=False)}\n    reason: {reason}\n"
        f'    reviewed_by: Trần Thị Duyệt, Trưởng Ban biên tập\n    reviewed_on: "20/03/2024"\n'
        for t in texts
    )
    with open(folder / PLAN, "a", encoding="utf-8") as f:
        f.write("privacy_exceptions:\n" + items)


def line_of(folder: Path, rel: str, text: str) -> int:
    lines = (folder / rel).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def errors(folder: Path) -> list[str]:
    tree, load_errors = load_tree(folder / "content")
    try:
        validate(tree, load_errors)
    except ContentErrors as exc:
        return [str(e) for e in exc.errors]
    return []


def run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        generator_command(folder, *args),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


# --------------------------------------------------------------------------- what is refused, and where


@pytest.mark.parametrize(
    "text, kind, shown",
    [
        ("Liên hệ ông A, số 0912345678.", "số điện thoại di động", "0912345678"),
        ("Liên hệ số 0912-345-678.", "số điện thoại di động", "0912-345-678"),
        ("Liên hệ số 0912.345.678.", "số điện thoại di động", "0912.345.678"),
        ("Liên hệ số (+84) 912345678.", "số điện thoại di động", "(+84) 912345678"),
        ("Liên hệ số 84912345678.", "số điện thoại di động", "84912345678"),
        ("Liên hệ số ０９１２３４５６７８.", "số điện thoại di động", "０９１２３４５６７８"),
        ("Liên hệ số 0912\u200b345678.", "số điện thoại di động", "0912345678"),
        ("Ông A, CMND số 123456789.", "số chứng minh nhân dân", "123456789"),
        ("Ông A, số định danh 123456789012.", "số căn cước công dân", "123456789012"),
        (
            "Gửi về nguyenvana@gmail.com hoặc tran.b@yahoo.com.vn.",
            "địa chỉ thư điện tử cá nhân",
            "nguyenvana@gmail.com",
        ),
        ("Ông Nguyễn Văn A, sinh ngày 01/02/1980, phụ trách.", "ngày sinh", "01/02/1980"),
        ("Họ và tên: Nguyễn Văn A; ngày sinh: 01/02/1980.", "ngày sinh", "01/02/1980"),
        ("Bà Trần Thị B, năm sinh 1975.", "ngày sinh", "1975"),
        ("Chuyển khoản: số tài khoản 0123456789012 tại Ngân hàng X.", "số tài khoản ngân hàng", "0123456789012"),
        ("Chuyển khoản: STK 1903 5555 1234 56.", "số tài khoản ngân hàng", "1903 5555 1234 56"),
        ("Ông A, hộ chiếu số C1234567.", "số hộ chiếu", "C1234567"),
        ("Hộ kinh doanh, mã số thuế 8012345678.", "mã số thuế", "8012345678"),
        ("Hộ kinh doanh, MST 8012345678-001.", "mã số thuế", "8012345678-001"),
        ("Người lao động, mã số BHXH 3012345678.", "số bảo hiểm xã hội", "3012345678"),
        ("ĐỘ MẬT: TỐI MẬT", "dấu độ mật", "ĐỘ MẬT: TỐI MẬT"),
        ("TUYỆT MẬT", "dấu độ mật", "TUYỆT MẬT"),
        ("MẬT - Chủ trì theo dõi, tổng hợp.", "dấu độ mật", "MẬT"),
    ],
)
def test_each_kind_is_refused_naming_file_line_and_field(basic_content, text, kind, shown):
    line = set_duty(basic_content, text)
    found = [e for e in errors(basic_content) if f"có {kind} («{shown}" in e]
    assert found, errors(basic_content)
    assert re.match(
        rf"{re.escape(PLAN)}:{line}:\d+: responsibilities\[0\]\.duties\[0\] \(đơn vị thực hiện thứ 1 › nhiệm "
        r"vụ thứ 1\): có ",
        found[0],
    ), found
    assert (CLASSIFIED if kind == "dấu độ mật" else PERSONAL) in found[0]


@pytest.mark.parametrize(
    "old, new, field",
    [
        (
            '          - code: "1"\n',
            '          - code: "0912345678"\n',
            "budget_tables[0].groups[0].lines[0].code (bảng kinh phí thứ 1 › nhóm thứ 1 › dòng thứ 1 › số thứ tự)",
        ),
        (
            "  - id: kinh-phi-2023\n",
            "  - id: kinh-phi-0912-345-678\n",
            "budget_tables[0].id (bảng kinh phí thứ 1 › mã bảng)",
        ),
    ],
)
def test_codes_and_ids_are_looked_at_too(basic_content, old, new, field):
    replace(basic_content, PLAN, old, new)
    line = line_of(basic_content, PLAN, new.strip())
    assert any(
        e.startswith(f"{PLAN}:{line}:") and f" {field}: có số điện thoại di động" in e for e in errors(basic_content)
    ), errors(basic_content)


@pytest.mark.parametrize(
    "old, new, field",
    [
        (
            "title: Kế hoạch phát triển chính quyền số năm 2023\n",
            "title: TUYỆT MẬT - Kế hoạch phát triển chính quyền số năm 2023\n",
            "title (trích yếu)",
        ),
        (
            "title: Kế hoạch phát triển chính quyền số năm 2023\n",
            "title: Kế hoạch phát triển chính quyền số năm 2023\nsummary: MẬT\n",
            "summary (tóm tắt)",
        ),
        (
            "title: Kế hoạch phát triển chính quyền số năm 2023\n",
            "title: Kế hoạch phát triển chính quyền số năm 2023 (MẬT)\n",
            "title (trích yếu)",
        ),
    ],
)
def test_a_stamp_is_refused_when_the_classification_is_left_out(basic_content, old, new, field):
    replace(basic_content, PLAN, "classification: thuong\n", "")
    replace(basic_content, PLAN, old, new)
    found = [e for e in errors(basic_content) if "có dấu độ mật" in e]
    assert found and re.match(rf"{re.escape(PLAN)}:\d+:\d+: {re.escape(field)}: có dấu độ mật", found[0]), errors(
        basic_content
    )


def test_a_stamp_in_the_narrative_is_refused(basic_content):
    replace(basic_content, NARRATIVE, "## Mục đích\n", "**MẬT**\n\n## Mục đích\n")
    assert any(e.startswith(f"{NARRATIVE}:1:3: có dấu độ mật («MẬT»)") for e in errors(basic_content)), errors(
        basic_content
    )


def test_the_source_text_is_looked_at(basic_content):
    set_source(
        basic_content,
        "TUYỆT MẬT\nKẾ HOẠCH MẪU\nNgười liên hệ: ông Nguyễn Văn A, 0912 345 678,\n"
        "CCCD 001203004567, thư nguyenvana@gmail.com.\n",
    )
    assert errors(basic_content) == [
        f"{SOURCE}:1:1: có dấu độ mật («TUYỆT MẬT»): {CLASSIFIED}; hãy xóa tệp khỏi content/ (nếu đây không phải "
        "dấu độ mật của văn bản, ghi một ngoại lệ đã duyệt vào «privacy_exceptions» của kế hoạch)",
        *[
            f"{SOURCE}:{line}:{col}: có {kind} («{found}»): {PERSONAL}; hãy xóa khỏi nội dung (nếu chắc chắn đây không "
            "phải dữ liệu cá nhân (ví dụ đường dây nóng của cơ quan), ghi một ngoại lệ đã duyệt vào "
            "«privacy_exceptions» "
            "của kế hoạch)"
            for line, col, kind, found in [
                (3, 34, "số điện thoại di động", "0912 345 678"),
                (4, 6, "số căn cước công dân", "001203004567"),
                (4, 24, "địa chỉ thư điện tử cá nhân", "nguyenvana@gmail.com"),
            ]
        ],
    ]


def test_the_source_text_is_read_as_it_is_seen(basic_content):
    set_source(basic_content, "Liên hệ 0912\u200b345 678 hoặc ０９８７６５４３２１.\n")
    found = [e.split(": dữ liệu")[0] for e in errors(basic_content)]
    assert found == [
        f"{SOURCE}:1:9: có số điện thoại di động («0912345 678», có ký tự ẩn U+200B)",
        f"{SOURCE}:1:27: có số điện thoại di động («０９８７６５４３２１»)",
    ]


def test_a_source_text_changed_after_a_cached_build_is_looked_at_again(basic_content):
    cache: dict = {}
    check(basic_content / "content", cache)  # the plan is kept by the load cache
    set_source(basic_content, "KẾ HOẠCH MẪU\nLiên hệ 0912 345 678\n")
    with pytest.raises(ContentErrors) as exc:
        check(basic_content / "content", cache)
    assert any(str(e).startswith(f"{SOURCE}:2:9: có số điện thoại di động") for e in exc.value.errors)


def test_narrative_and_plan_name_the_place(basic_content):
    plan = basic_content / PLAN
    plan.write_text(
        plan.read_text("utf-8").replace("Chủ trì theo dõi, tổng hợp.", "Chủ trì, liên hệ 0912 345 678."), "utf-8"
    )
    md = basic_content / NARRATIVE
    md.write_text(md.read_text("utf-8") + "\nNgười dân Nguyễn Văn A, CCCD 001203004567.\n", "utf-8")
    lines = errors(basic_content)
    assert any(
        l.startswith(f"{PLAN}:59:")
        and "responsibilities[0].duties[0] (đơn vị thực hiện thứ 1 › nhiệm vụ thứ 1): có số điện thoại di động "
        "(«0912 345 678»)"
        in l
        for l in lines
    ), lines
    assert any(l.startswith(f"{NARRATIVE}:10:30:") and "số căn cước công dân («001203004567»)" in l for l in lines), (
        lines
    )


# --------------------------------------------------------------------------- what is not refused


ORDINARY = [
    "Tăng cường bảo mật thông tin; thiết lập mật khẩu cho máy tính, quản lý mật mã dân sự.",
    "BẢO MẬT THÔNG TIN VÀ AN TOÀN MẠNG; BẢO VỆ BÍ MẬT NHÀ NƯỚC; MẬT KHẨU MẠNH.",
    "Trừ văn bản mật và tối mật, hồ sơ thuộc phạm vi bí mật nhà nước; mật độ dân số tăng.",
    "Kinh phí 1.091.234.567 đồng; tổng 100.000.000.000 đồng; 1.545.000.000đ; đề án 06 160.000.000.",
    "Căn cứ Kế hoạch số 186/KH-UBND ngày 13/02/2023 và Nghị định số 13/2018/NĐ-CP.",
    "Hồ sơ phát sinh năm 2023; học sinh năm học 2023 - 2024; trẻ em sinh năm 2020 được tiêm chủng.",
    "Cấp tài khoản thư điện tử công vụ cho 369 người; tỷ lệ dân số có tài khoản thanh toán đạt 45%.",
    "Liên hệ Văn phòng qua vanthu@hatinh.gov.vn hoặc số 0239 3855 123.",
    "Giai đoạn 2021-2025, định hướng đến năm 2030; Quỹ BHXH chi trả 1.234.567.890 đồng.",
]


def test_ordinary_plan_text_is_not_refused(basic_content):
    replace(basic_content, PLAN, DUTY, "".join(f"      - {json.dumps(t, ensure_ascii=False)}\n" for t in ORDINARY))
    (basic_content / NARRATIVE).write_text("\n\n".join(ORDINARY) + "\n", "utf-8")
    set_source(basic_content, "\n".join(ORDINARY) + "\n")
    assert errors(basic_content) == []


def seed_files() -> list[Path]:
    return sorted(p for p in (ROOT / "content").rglob("*") if p.suffix in (".yml", ".md", ".txt"))


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_seeds_hold_nothing_and_take_the_cheap_path(path):
    text = path.read_text("utf-8")
    strings = [s for _, s in privacy.strings(yaml.safe_load(text))] if path.suffix == ".yml" else [text]
    assert [f for s in strings for f in privacy.findings(s)] == []
    assert not privacy.possible(text)  # a whole file without personal data needs no field-by-field look


def test_digests_and_file_names_are_not_personal_data():
    digest = "7f0da0a70912345678aa0e4c8b8e6f1f3c5d4e0a0b1c2d3e4f5a6b7c8d9e0f12"
    assert list(privacy.findings(digest)) == []
    data = {
        "source_document": {"file": "0912345678.txt", "sha256": "0912345678" + "0" * 54},
        "recipients": ["Ông A 0912345678"],
    }
    assert [loc for loc, _ in privacy.strings(data)] == [("recipients", 0)]


# --------------------------------------------------------------------------- reviewed exceptions


def test_an_exception_lets_the_text_through_and_is_printed(basic_content):
    line = set_duty(basic_content, "Đường dây nóng của huyện: 0912 345 678.")
    set_source(basic_content, "KẾ HOẠCH MẪU\nĐường dây nóng: 0912 345 678\n")
    add_exceptions(basic_content, "0912 345 678")
    assert errors(basic_content) == []
    result = run(basic_content, "check")
    assert result.returncode == 0, result.stderr
    printed = [l for l in (result.stdout + result.stderr).splitlines() if "0912 345 678" in l]
    at = line_of(basic_content, PLAN, '- text: "0912 345 678"')
    assert len(printed) == 1 and printed[0].startswith(f"{PLAN}:{at}:"), printed
    assert f"{PLAN}:{line}" in printed[0] and f"{SOURCE}:2" in printed[0]  # both places it let through
    assert (
        "Số đường dây nóng của UBND huyện" in printed[0]
        and "Trần Thị Duyệt" in printed[0]
        and "20/03/2024" in printed[0]
    )


def test_every_build_prints_the_exception(basic_content, tmp_path):
    # Only the source text holds what the exception lets through: a build that takes the plan from the
    # previous build's cache must still read it.
    set_source(basic_content, "KẾ HOẠCH MẪU\nKỷ niệm Đại tướng Võ Nguyên Giáp sinh ngày 25/8/1911.\n")
    add_exceptions(basic_content, "25/8/1911", reason="Ngày sinh của một nhân vật lịch sử, không phải dữ liệu cá nhân")
    for _ in range(2):
        result = run(basic_content, "build", "--no-index", "--out", str(tmp_path / "site"))
        assert result.returncode == 0, result.stderr
        assert [
            l for l in (result.stdout + result.stderr).splitlines() if "«25/8/1911»" in l and "ngoại lệ đã duyệt" in l
        ]


def test_a_rebuild_reports_what_the_plan_file_lets_through_as_a_build_from_nothing(basic_content, tmp_path):
    # The second build takes the plan's findings from the first build's store (its bytes unchanged): the notice
    # names the same places; a file changed since is looked at again.
    line = set_duty(basic_content, "Đường dây nóng của huyện: 0912 345 678.")
    add_exceptions(basic_content, "0912 345 678")

    def notices() -> list[str]:
        result = run(basic_content, "build", "--no-index", "--out", str(tmp_path / "site"))
        assert result.returncode == 0, result.stderr
        return [l for l in (result.stdout + result.stderr).splitlines() if "ngoại lệ đã duyệt" in l]

    first = notices()
    assert len(first) == 1 and f"{PLAN}:{line}" in first[0], first
    assert notices() == first
    replace(basic_content, PLAN, "huyện: 0912 345 678.", "huyện: 0912 345 679.")
    result = run(basic_content, "build", "--no-index", "--out", str(tmp_path / "site"))
    assert result.returncode != 0
    assert "0912 345 679" in result.stdout + result.stderr


def test_an_exception_that_matches_nothing_is_an_error(basic_content):
    add_exceptions(basic_content, "0912 345 678")
    at = line_of(basic_content, PLAN, '- text: "0912 345 678"')
    assert [e for e in errors(basic_content)] == [
        f"{PLAN}:{at}:11: privacy_exceptions[0].text (ngoại lệ dữ liệu cá nhân thứ 1 › chuỗi được phép): "
        "ngoại lệ «0912 345 678» không khớp chuỗi nào mà kiểm tra dữ liệu "
        "cá nhân, độ mật tìm thấy trong kế hoạch, phần lời văn (.md) hay văn bản gốc; hãy xóa mục này (ngoại lệ phải "
        "chép đúng chuỗi trong thông báo lỗi)",
    ]


def test_an_exception_must_match_exactly(basic_content):
    set_duty(basic_content, "Đường dây nóng: 0912 345 678.")
    add_exceptions(basic_content, "0912345678")
    found = errors(basic_content)
    assert any("có số điện thoại di động («0912 345 678»)" in e for e in found), found
    assert any(
        "privacy_exceptions[0].text (ngoại lệ dữ liệu cá nhân thứ 1 › chuỗi được phép): ngoại lệ "
        "«0912345678» không khớp" in e
        for e in found
    ), found


def test_an_exception_needs_a_reason_and_a_reviewer(basic_content):
    set_duty(basic_content, "Đường dây nóng: 0912 345 678.")
    with open(basic_content / PLAN, "a", encoding="utf-8") as f:
        f.write('privacy_exceptions:\n  - text: "0912 345 678"\n')
    found = errors(basic_content)
    for name, title in (("reason", "lý do"), ("reviewed_by", "người duyệt"), ("reviewed_on", "ngày duyệt")):
        assert any(
            f"privacy_exceptions[0].{name} (ngoại lệ dữ liệu cá nhân thứ 1 › {title}): thiếu trường bắt buộc «{name}»"
            in e
            for e in found
        ), found


# --------------------------------------------------------------------------- the whole-file look


fragments = st.sampled_from(
    [
        "0",
        "1",
        "3",
        "9",
        "84",
        "+",
        "(",
        ")",
        " ",
        ".",
        "-",
        "/",
        ":",
        "\n",
        "\n    ",
        "\u200b",
        "０",
        "９",
        "@gmail.com",
        "a",
        "Z",
        "đ",
        "MẬT",
        "TUYỆT ",
        "TỐI ",
        "BẢO ",
        "Độ mật",
        "sinh ngày ",
        "năm sinh ",
        "Nguyễn Văn ",
        "ông ",
        "phát ",
        "STK ",
        "số tài khoản ",
        "CMND ",
        "hộ chiếu ",
        "C",
        "mã số thuế ",
        "BHXH ",
        "01/02/1980",
        "1980",
        "123456789",
        "0912345678",
    ]
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(fragments, max_size=14),
    style=st.sampled_from([None, '"', "'", "|", ">"]),
    width=st.sampled_from([12, 30, 80]),
    unicode=st.booleans(),
)
@example(parts=["0912", "345678"], style='"', width=12, unicode=False)
def test_the_whole_file_look_misses_nothing_a_field_holds(parts, style, width, unicode):
    """privacy.possible is the cheap path over a whole file: never False when a value YAML reads from the
    file holds something, however YAML writes it (quoted, escaped, folded over lines)."""
    value = "".join(parts)
    text = yaml.safe_dump({"duties": [value]}, allow_unicode=unicode, default_style=style, width=width)
    if any(privacy.findings(yaml.safe_load(text)["duties"][0])):
        assert privacy.possible(text), text

"""The editors' spreadsheet round trip (issue 22): `results-template` writes a plan's targets as CSV, the editor
fills the `dien_…` columns, `import-results` checks every row and adds the results to `<plan>.ket-qua.yml`, and the
built site shows them. Real commands on copies of the fixture and of the seed content, never mocks."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.importer.results_csv import COLUMNS, ResultsCsvProblem, parse_value, plan_id
from tests.helpers import ROOT, build, copy_fixture, generator_command, page

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"
CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"
DUC_CO = "gia-lai/duc-co/2023-chinh-quyen-so"
SOURCE = {
    "dien_nguon_loai": "báo cáo",
    "dien_nguon_ten": "Báo cáo kết quả chuyển đổi số năm 2023",
    "dien_nguon_so": "5/BC-UBND",
    "dien_nguon_ngay": "10/01/2024",
    "dien_nguon_lien_ket": "https://example.org/bao-cao-5",
}


def run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(generator_command(folder, *args), capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def make_template(folder: Path, out: Path, plan: str = PLAN) -> list[list[str]]:
    done = run(folder, "results-template", plan, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))


def fill(rows: list[list[str]], out: Path, by_target: dict[int, dict[str, str]], *, delimiter: str = ",") -> Path:
    """The template with the cells of some targets' rows filled, saved as a spreadsheet saves it."""
    header = rows[0]
    filled = [header]
    for row in rows[1:]:
        row = list(row)
        for column, value in by_target.get(int(row[1]) if row[1].isdigit() else 0, {}).items():
            row[header.index(column)] = value
        filled.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(filled)
    out.write_bytes(("\ufeff" + buffer.getvalue() if delimiter == "," else buffer.getvalue()).encode("utf-8"))
    return out


def sheet(rows: list[list[str]], out: Path, lines: list[dict[str, str]]) -> Path:
    """A sheet of the template's header and the rows given (by column), from line 2."""
    header = rows[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[cells.get(c, "") for c in header] for cells in lines])
    out.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return out


def results_file(folder: Path) -> Path:
    return folder / "content" / f"{PLAN}.ket-qua.yml"


def status_of(html: str, number: int) -> str:
    """The status the plan page shows in target `number`'s row (the first status after the row starts)."""
    found = re.search(rf'<tr id="chi-tieu-{number}">.*?class="ck-status ck-status-[a-z-]+">([^<]+)<', html, re.S)
    assert found, number
    return found.group(1)


def site_csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / PLAN / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = copy_fixture("basic", tmp_path)
    config = folder / "site_config.yml"
    config.write_text(config.read_text("utf-8") + 'as_of: "01/06/2024"\n', "utf-8")
    return folder


# --------------------------------------------------------------------------- the template


def test_the_template_of_a_seed_plan_has_a_row_per_target(tmp_path):
    out = tmp_path / "cam-xuyen.csv"
    done = run(ROOT, "results-template", CAM_XUYEN, "--out", str(out))
    assert done.returncode == 0 and "34 chỉ tiêu" in done.stdout and "make import-results" in done.stdout
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")  # UTF-8 BOM, CRLF
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    guidance, targets = rows[1], rows[2:]
    assert guidance[0].startswith("# HƯỚNG DẪN") and "dien_" in guidance[0]
    assert all(g.startswith("ĐIỀN") for c, g in zip(COLUMNS, guidance) if c.startswith("dien_"))
    plan = yaml.safe_load((ROOT / "content" / f"{CAM_XUYEN}.yml").read_text("utf-8"))
    assert len(targets) == len(plan["targets"]) == 34
    for n, (row, target) in enumerate(zip(targets, plan["targets"]), 1):
        cells = dict(zip(COLUMNS, row))
        assert cells["ke_hoach"] == CAM_XUYEN and cells["tt"] == str(n)
        assert cells["chi_tieu"] == target["statement"]
        assert cells["so_sanh"] == target.get("comparator", "") and cells["don_vi_tinh"] == target.get("unit", "")
        assert cells["nam_phai_dat"] == str(target.get("deadline_year", ""))
        assert not any(v for c, v in cells.items() if c.startswith("dien_"))  # the editor's to fill
    first = dict(zip(COLUMNS, targets[0]))
    assert (first["gia_tri"], first["nam_phai_dat"]) == ("100", "2025")


def test_a_deadline_inferred_from_the_period_says_so(tmp_path):
    rows = make_template(ROOT, tmp_path / "duc-co.csv", DUC_CO)
    plan = yaml.safe_load((ROOT / "content" / f"{DUC_CO}.yml").read_text("utf-8"))
    inferred = [n for n, t in enumerate(plan["targets"], 1) if t.get("deadline_from_period")]
    assert inferred
    deadline = {int(r[1]): r[COLUMNS.index("nam_phai_dat")] for r in rows[2:]}
    assert deadline[inferred[0]] == f"{plan['period']['end']} (theo kỳ kế hoạch)"


def test_a_plan_may_be_named_by_its_id_or_its_file(folder):
    content = folder / "content"
    for given in (PLAN, f"{PLAN}.yml", f"content/{PLAN}.yml", str(content / f"{PLAN}.yml"), f"{PLAN}.ket-qua.yml"):
        assert plan_id(content, given) == PLAN, given
    for given, words in [
        ("tinh-mau/huyen-mau/2023-ke-hoac", "có phải «tinh-mau/huyen-mau/2023-ke-hoach»?"),
        ("tinh-mau/huyen-mau/unit.yml", "không phải tệp kế hoạch"),
        ("tinh-mau/../../x", "không phải tệp kế hoạch"),
        ("", "chưa ghi kế hoạch"),
    ]:
        with pytest.raises(ResultsCsvProblem, match=re.escape(words)):
            plan_id(content, given)


def test_a_missing_or_invalid_plan_is_named_without_a_traceback(folder, tmp_path):
    missing = run(folder, "results-template", "tinh-mau/khong-co/2023-x", "--out", str(tmp_path / "a.csv"))
    assert missing.returncode == 1 and "không tìm thấy kế hoạch «tinh-mau/khong-co/2023-x»" in missing.stderr
    assert "Cần mã kế hoạch như ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so" in missing.stderr
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(plan.read_text("utf-8").replace("value: 100", "value: nhiều"), "utf-8")
    invalid = run(folder, "results-template", PLAN, "--out", str(tmp_path / "a.csv"))
    assert invalid.returncode == 1 and f"kế hoạch «{PLAN}» chưa hợp lệ; sửa trước (make check)" in invalid.stderr
    assert re.search(r"2023-ke-hoach\.yml:\d+:\d+: targets\[0\]\.value", invalid.stderr)
    assert not (tmp_path / "a.csv").exists()


# --------------------------------------------------------------------------- the round trip


def test_template_fill_import_build_shows_the_results(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    filled = fill(
        rows,
        tmp_path / "ket-qua.csv",
        {
            1: {"dien_ket_qua_gia_tri": "100", "dien_ngay": "31/12/2023", **SOURCE},
            2: {"dien_danh_gia": "Chưa đạt", "dien_loi_nguon": "Chưa triển khai", "dien_ngay": "2023", **SOURCE},
        },
    )
    done = run(folder, "import-results", str(filled))  # the plan is the sheet's ke_hoach column
    assert done.returncode == 0, done.stderr
    assert f"Đã thêm 2 kết quả và 1 nguồn mới vào tệp mới content/{PLAN}.ket-qua.yml" in done.stdout
    assert "make site" in done.stdout
    text = results_file(folder).read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/results.schema.json\n")
    data = yaml.safe_load(text)
    assert data["sources"] == [
        {
            "id": "bc-1",
            "kind": "bao-cao",
            "title": SOURCE["dien_nguon_ten"],
            "number": "5/BC-UBND",
            "date": "10/01/2024",
            "url": SOURCE["dien_nguon_lien_ket"],
        }
    ]
    assert data["results"] == [
        {"target": 1, "value": 100, "date": "31/12/2023", "source": "bc-1"},
        {"target": 2, "status": "chua-dat", "statement": "Chưa triển khai", "date": "2023", "source": "bc-1"},
    ]
    assert run(folder, "check").returncode == 0

    site = build(folder, index=False)
    html = page(site, PLAN)
    assert (status_of(html, 1), status_of(html, 2)) == ("Đạt", "Chưa đạt")
    targets = {row["tt"]: row for row in site_csv(site, "chi-tieu.csv")}
    assert (targets["1"]["trang_thai"], targets["1"]["ket_qua_gia_tri"], targets["1"]["ket_qua_ngay"]) == (
        "Đạt",
        "100",
        "2023-12-31",
    )
    assert (targets["2"]["trang_thai"], targets["2"]["ket_qua_loi_nguon"]) == ("Chưa đạt", "Chưa triển khai")
    assert targets["1"]["ket_qua_nguon_lien_ket"] == SOURCE["dien_nguon_lien_ket"]

    # The template of a plan with results still lists each target once, with what is already reported.
    again = make_template(folder, tmp_path / "mau-2.csv")
    assert [r[1] for r in again[2:]] == ["1", "2"]
    assert again[2][COLUMNS.index("da_co_ket_qua")] == "31/12/2023: 100% (nguồn bc-1)"


def test_importing_the_same_sheet_again_adds_nothing(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    filled = fill(rows, tmp_path / "ket-qua.csv", {1: {"dien_ket_qua_gia_tri": "95", "dien_ngay": "2023", **SOURCE}})
    assert run(folder, "import-results", str(filled)).returncode == 0
    before = results_file(folder).read_bytes()
    again = run(folder, "import-results", str(filled))
    assert again.returncode == 0 and "Không có kết quả mới" in again.stdout and "1 kết quả đã có" in again.stdout
    assert results_file(folder).read_bytes() == before


def test_a_later_sheet_adds_to_the_file_sharing_its_sources(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    first = fill(rows, tmp_path / "a.csv", {1: {"dien_ket_qua_gia_tri": "80", "dien_ngay": "06/2023", **SOURCE}})
    assert run(folder, "import-results", str(first)).returncode == 0
    written = results_file(folder)
    written.write_text(written.read_text("utf-8") + "# ghi chú của ban biên tập\n", "utf-8")
    article = {
        **SOURCE,
        "dien_nguon_loai": "bài viết",
        "dien_nguon_ten": "Huyện Mẫu hoàn thành chuyển đổi số",
        "dien_nguon_so": "",
    }
    second = sheet(
        rows,
        tmp_path / "b.csv",
        [
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "100", "dien_ngay": "12/2023", **SOURCE},
            {"ke_hoach": PLAN, "tt": "2", "dien_danh_gia": "dat", "dien_ngay": "2024", **article},
        ],
    )
    done = run(folder, "import-results", str(second))
    assert done.returncode == 0 and "Đã thêm 2 kết quả và 1 nguồn mới" in done.stdout
    assert "1 dòng chú thích (#) của tệp cũ không được giữ" in done.stdout  # said, not silently lost
    data = yaml.safe_load(results_file(folder).read_text("utf-8"))
    assert [s["id"] for s in data["sources"]] == ["bc-1", "bv-1"]  # the same report is one source
    assert [(r["target"], r["date"], r["source"]) for r in data["results"]] == [
        (1, "06/2023", "bc-1"),
        (1, "12/2023", "bc-1"),
        (2, "2024", "bv-1"),
    ]
    assert run(folder, "check").returncode == 0


def test_a_later_plan_is_a_source_only_if_it_reviews_this_one(folder, tmp_path):
    unit = folder / "content" / "tinh-mau" / "huyen-mau"
    later = unit / "2024-ke-hoach.yml"
    later.write_text(
        (unit / "2023-ke-hoach.yml").read_text("utf-8").replace("2023", "2024").replace("12/KH", "30/KH"), "utf-8"
    )
    (unit / "2024-ke-hoach.nguon.txt").write_bytes((unit / "2023-ke-hoach.nguon.txt").read_bytes())
    rows = make_template(folder, tmp_path / "mau.csv")
    review = {
        "dien_nguon_loai": "Kế hoạch sau",
        "dien_nguon_ten": "Đánh giá kết quả năm 2023",
        "dien_nguon_ke_hoach": "tinh-mau/huyen-mau/2024-ke-hoach",
    }
    filled = fill(rows, tmp_path / "kh.csv", {1: {"dien_ket_qua_gia_tri": "100", "dien_ngay": "2023", **review}})
    refused = run(folder, "import-results", str(filled))
    assert refused.returncode == 1
    assert "dòng 3, cột dien_nguon_ke_hoach: kế hoạch «tinh-mau/huyen-mau/2024-ke-hoach» không ghi «reviews" in (
        refused.stderr
    )
    later.write_text(later.read_text("utf-8") + f"reviews: {PLAN}\n", "utf-8")
    assert run(folder, "import-results", str(filled)).returncode == 0
    source = yaml.safe_load(results_file(folder).read_text("utf-8"))["sources"][0]
    assert (source["id"], source["kind"], source["plan"]) == (
        "kh-1",
        "ke-hoach-sau",
        "tinh-mau/huyen-mau/2024-ke-hoach",
    )
    assert run(folder, "check").returncode == 0


# --------------------------------------------------------------------------- errors


def test_wrong_rows_are_each_named_by_line_and_column_and_nothing_is_written(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    wrong = sheet(
        rows,
        tmp_path / "ket-qua.csv",
        [
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "100", "dien_ngay": "31/13/2023", **SOURCE},
            {"ke_hoach": PLAN, "tt": "9", "dien_ket_qua_gia_tri": "5", "dien_ngay": "2023", **SOURCE},
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "90", "dien_ket_qua_don_vi_tinh": "người"}
            | {"dien_ngay": "2023", **SOURCE},
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "80", "dien_ngay": "2023"},
            {"ke_hoach": PLAN, "tt": "2", "dien_ket_qua_gia_tri": "50", "dien_ngay": "2023", **SOURCE},
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "70", "dien_ngay": "2022", **SOURCE},
            {"ke_hoach": PLAN, "tt": "2", "dien_danh_gia": "đạt", "dien_ngay": "12/2023", **SOURCE},  # a right row
            {"ke_hoach": PLAN, "tt": "1", "dien_ket_qua_gia_tri": "100", "dien_ngay": "2024", **SOURCE}
            | {"dien_loi_nguon": "Liên hệ số 0912 345 678", "dien_nguon_ten": "Báo cáo \u202eđảo chiều"},
        ],
    )
    expected = [
        (2, "dien_ngay", "ngày «31/13/2023» không có trong lịch"),
        (3, "tt", "kế hoạch có 2 chỉ tiêu; không có chỉ tiêu số 9"),
        (4, "dien_ket_qua_don_vi_tinh", "giá trị tính bằng «người», chỉ tiêu số 1 tính bằng «%»"),
        (5, "dien_nguon_ten", "kết quả cần nguồn: thiếu tên nguồn (dien_nguon_ten) và liên kết"),
        (6, "dien_ket_qua_gia_tri", "chỉ tiêu số 2 không có giá trị số (chỉ tiêu định tính): ghi «dien_danh_gia»"),
        (7, "dien_ngay", "kết quả tính đến 2022, trước kế hoạch (15/02/2023)"),
        (9, "dien_loi_nguon", "có số điện thoại di động («0912 345 678»): dữ liệu cá nhân không được công bố"),
        (9, "dien_nguon_ten", "ô có ký tự vô hình U+202E"),
    ]

    def refused() -> str:
        done = run(folder, "import-results", str(wrong))
        assert done.returncode == 1
        for line, column, words in expected:
            assert f"{wrong}, dòng {line}, cột {column}: {words}" in done.stderr, (line, column, done.stderr)
        assert "dòng 8" not in done.stderr
        assert "chưa ghi gì vào" in done.stderr
        return done.stderr

    refused()
    assert not results_file(folder).exists()
    good = fill(rows, tmp_path / "dung.csv", {1: {"dien_ket_qua_gia_tri": "100", "dien_ngay": "2023", **SOURCE}})
    assert run(folder, "import-results", str(good)).returncode == 0
    before = results_file(folder).read_bytes()
    refused()
    assert results_file(folder).read_bytes() == before
    assert sorted(p.name for p in results_file(folder).parent.iterdir() if p.name.startswith(".")) == []


def test_a_sheet_that_is_not_the_template_is_refused_plainly(folder, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("tt,dien_nguon_ten\n1,Báo cáo\n".encode("cp1258"))
    done = run(folder, "import-results", str(latin), "--plan", PLAN)
    assert done.returncode == 1 and "không phải UTF-8" in done.stderr and "CSV UTF-8" in done.stderr
    no_plan = tmp_path / "khong-ke-hoach.csv"
    no_plan.write_text("tt,dien_ket_qua_gia_tri\n1,100\n", "utf-8")
    done = run(folder, "import-results", str(no_plan))
    assert done.returncode == 1 and "không biết kế hoạch nào" in done.stderr and "PLAN=" in done.stderr
    misspelt = tmp_path / "sai-cot.csv"
    misspelt.write_text(f"ke_hoach,tt,dien_ket_qua_gia_tr\n{PLAN},1,100\n", "utf-8")
    done = run(folder, "import-results", str(misspelt))
    assert done.returncode == 1
    assert "dòng 1, cột dien_ket_qua_gia_tr: không có cột «dien_ket_qua_gia_tr» trong mẫu; có phải" in done.stderr
    assert not results_file(folder).exists()


def test_semicolons_and_a_decimal_comma_as_excel_writes_them_in_vietnamese(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    filled = fill(
        rows,
        tmp_path / "excel.csv",
        {1: {"dien_ket_qua_gia_tri": " 85,5 ", "dien_ngay": "12/2023", **SOURCE, "dien_nguon_loai": "Báo cáo"}},
        delimiter=";",
    )
    assert filled.read_bytes().split(b"\r\n")[0].count(b";") == len(COLUMNS) - 1
    done = run(folder, "import-results", str(filled))
    assert done.returncode == 0, done.stderr
    data = yaml.load(results_file(folder).read_text("utf-8"), Loader=yaml.SafeLoader)
    assert data["results"] == [{"target": 1, "value": 85.5, "date": "12/2023", "source": "bc-1"}]
    assert "value: 85.5\n" in results_file(folder).read_text("utf-8")


@pytest.mark.parametrize(
    "typed, number",
    [("85", "85"), ("85,5", "85.5"), ("85.5", "85.5"), ("1.000", "1000"), ("1.000,5", "1000.5"), ("1 000", "1000")],
)
def test_numbers_as_vietnamese_editors_type_them(typed, number):
    assert parse_value(typed, "dien_ket_qua_gia_tri") == Decimal(number)


@pytest.mark.parametrize("typed, words", [("1,000", "không rõ"), ("85 5", "dấu cách"), ("nhiều", "cần một số")])
def test_ambiguous_numbers_are_refused(typed, words):
    with pytest.raises(Exception, match=words):
        parse_value(typed, "dien_ket_qua_gia_tri")


def test_parts_met_are_written_as_the_plan_spells_them(folder, tmp_path):
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            "    statement: Đẩy mạnh chuyển đổi số trong toàn huyện.\n",
            "    statement: Đẩy mạnh chuyển đổi số trong toàn huyện.\n    parts: [cấp huyện, cấp xã]\n",
        ),
        "utf-8",
    )
    rows = make_template(folder, tmp_path / "mau.csv")
    assert rows[3][COLUMNS.index("cac_phan")] == "cấp huyện; cấp xã"
    filled = fill(
        rows, tmp_path / "phan.csv", {2: {"dien_cac_phan_da_dat": "Cấp huyện", "dien_ngay": "2023", **SOURCE}}
    )
    assert run(folder, "import-results", str(filled)).returncode == 0
    assert yaml.safe_load(results_file(folder).read_text("utf-8"))["results"][0]["parts_met"] == ["cấp huyện"]
    assert run(folder, "check").returncode == 0


# --------------------------------------------------------------------------- hostile cells


def test_hostile_cells_are_escaped_on_the_page_and_neutralised_in_the_site_csv(folder, tmp_path):
    rows = make_template(folder, tmp_path / "mau.csv")
    formula = "=cmd|' /C calc'!A0"
    script = "<script>alert(1)</script>"
    filled = fill(
        rows,
        tmp_path / "ket-qua.csv",
        {
            1: {"dien_ket_qua_gia_tri": "100", "dien_ngay": "2023", **SOURCE, "dien_nguon_ten": formula},
            2: {"dien_danh_gia": "đạt", "dien_loi_nguon": script, "dien_ngay": "2023", **SOURCE}
            | {"dien_nguon_ten": script, "dien_nguon_lien_ket": "https://example.org/b"},
        },
    )
    done = run(folder, "import-results", str(filled))
    assert done.returncode == 0, done.stderr
    sources = yaml.safe_load(results_file(folder).read_text("utf-8"))["sources"]
    assert [s["title"] for s in sources] == [formula, script]  # kept as written: the outputs escape
    site = build(folder, index=False)
    html = page(site, PLAN)
    assert script not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    results = site_csv(site, "ket-qua.csv")
    assert {r["nguon"] for r in results} == {"'" + formula, script}
    targets = {row["tt"]: row for row in site_csv(site, "chi-tieu.csv")}
    assert targets["1"]["ket_qua_nguon"].startswith("'" + formula)

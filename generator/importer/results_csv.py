"""The editors' spreadsheet round trip for results of implementation (issue 22).

`make results-template` writes a CSV of a plan's targets (UTF-8 with BOM, CRLF: Excel and LibreOffice open it as
Vietnamese text), one row per target, with empty columns named `dien_…` for the editor to fill. `make
import-results` reads it back, checks every row against the plan with the rules the build uses
(content/validate.py `result_problems`, `source_problems`), and adds the results to `<plan>.ket-qua.yml`, or writes
nothing and names each wrong cell by its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, HttpUrl, TypeAdapter, ValidationError

from generator.content import privacy, schema
from generator.content.document_numbers import ascii_slug
from generator.content.facts import PlanFacts, TargetFacts, facts_of
from generator.content.load import (
    AGENCIES_FILE,
    BUDGET_CATEGORIES_FILE,
    INDICATORS_FILE,
    RESULTS_SUFFIX,
    UNIT_FILE,
    load_yaml,
)
from generator.content.messages import validated
from generator.content.validate import result_problems, source_problems
from generator.errors import ContentError, display_path
from generator.outputs import format as fmt
from generator.outputs.downloads import csv_cell

PLAN_COLUMN = "ke_hoach"
NUMBER_COLUMN = "tt"
STATEMENT_COLUMN = "chi_tieu"
FILL = "dien_"  # the prefix of every column the editor fills; the others are the plan's, for reading
NOTE = "#"  # a row whose first cell starts with it is a note (the guidance row), never imported
MAX_CSV_BYTES = 20 * 2**20  # a plan has tens of targets, a national export a few thousand rows

# (column, what the guidance row says of it), in the order of the CSV.
READ_COLUMNS = [
    (PLAN_COLUMN, ""),  # its guidance cell holds the sheet's instructions
    (NUMBER_COLUMN, "KHÔNG SỬA: số thứ tự chỉ tiêu trên trang kế hoạch"),
    (STATEMENT_COLUMN, "KHÔNG SỬA: câu chỉ tiêu như văn bản ghi"),
    ("chi_so", "KHÔNG SỬA: chỉ số được đo"),
    ("so_sanh", "KHÔNG SỬA: so sánh (=, ≥, >, ≤, <)"),
    ("gia_tri", "KHÔNG SỬA: giá trị chỉ tiêu"),
    ("don_vi_tinh", "KHÔNG SỬA: đơn vị tính của chỉ tiêu"),
    ("nam_phai_dat", "KHÔNG SỬA: năm phải đạt"),
    ("cac_phan", "KHÔNG SỬA: các phần của chỉ tiêu, cách nhau bằng dấu ;"),
    ("da_co_ket_qua", "KHÔNG SỬA: kết quả đã ghi trên cổng (tệp .ket-qua.yml)"),
]
FILL_COLUMNS = [
    ("dien_ket_qua_gia_tri", "ĐIỀN giá trị đạt được, ví dụ 85,5 (chỉ tiêu có giá trị số)"),
    ("dien_ket_qua_don_vi_tinh", "ĐIỀN đơn vị của giá trị nếu nguồn ghi (phải là đơn vị của chỉ tiêu)"),
    ("dien_danh_gia", "ĐIỀN với chỉ tiêu không có giá trị số: đạt, chưa đạt hoặc đạt một phần như nguồn đánh giá"),
    ("dien_cac_phan_da_dat", "ĐIỀN với chỉ tiêu có phần: các phần nguồn ghi là đã đạt, cách nhau bằng dấu ;"),
    ("dien_loi_nguon", "ĐIỀN câu kết quả đúng như nguồn ghi (nên có)"),
    ("dien_ngay", "ĐIỀN ngày kết quả nói đến: dd/mm/yyyy, mm/yyyy hoặc yyyy"),
    ("dien_nguon_loai", "ĐIỀN loại nguồn: báo cáo, kế hoạch sau, bài viết hoặc khác"),
    ("dien_nguon_ten", "ĐIỀN tên nguồn: trích yếu văn bản hoặc tên bài"),
    ("dien_nguon_so", "ĐIỀN số, ký hiệu nguồn nếu có, ví dụ 12/BC-UBND"),
    ("dien_nguon_ngay", "ĐIỀN ngày ban hành, ngày đăng nguồn nếu có: dd/mm/yyyy"),
    ("dien_nguon_lien_ket", "ĐIỀN liên kết đến nguồn (https://…)"),
    ("dien_nguon_ke_hoach", "ĐIỀN chỉ với loại «kế hoạch sau»: mã kế hoạch đó trên cổng"),
]
COLUMNS = [name for name, _ in READ_COLUMNS + FILL_COLUMNS]
GUIDANCE = (
    f"{NOTE} HƯỚNG DẪN (dòng này không được nhập): mỗi chỉ tiêu một dòng; chỉ điền các cột bắt đầu bằng «{FILL}», "
    "không sửa các cột khác; để trống dòng của chỉ tiêu chưa có kết quả; hai kết quả cho một chỉ tiêu: chép thêm "
    "dòng đó. Xong: make import-results FILE=<tệp này>"
)

# Where the build's checks name a field, the column the editor wrote it in.
_RESULT_COLUMNS = {
    "target": NUMBER_COLUMN,
    "value": "dien_ket_qua_gia_tri",
    "unit": "dien_ket_qua_don_vi_tinh",
    "status": "dien_danh_gia",
    "parts_met": "dien_cac_phan_da_dat",
    "statement": "dien_loi_nguon",
    "date": "dien_ngay",
    "source": "dien_nguon_ten",
}
_SOURCE_COLUMNS = {
    "id": "dien_nguon_ten",
    "kind": "dien_nguon_loai",
    "title": "dien_nguon_ten",
    "number": "dien_nguon_so",
    "date": "dien_nguon_ngay",
    "url": "dien_nguon_lien_ket",
    "plan": "dien_nguon_ke_hoach",
}

_STATUSES = {  # by ascii_slug: «Đạt», «đạt», «dat» and «DAT» are one
    "dat": schema.ResultStatus.met,
    "chua-dat": schema.ResultStatus.not_met,
    "dat-mot-phan": schema.ResultStatus.partly_met,
}
_STATUS_WORDS = {
    schema.ResultStatus.met: "đạt",
    schema.ResultStatus.not_met: "chưa đạt",
    schema.ResultStatus.partly_met: "đạt một phần",
}
_KINDS = {
    "bao-cao": schema.ResultSourceKind.report,
    "bao-cao-ket-qua": schema.ResultSourceKind.report,
    "ke-hoach-sau": schema.ResultSourceKind.later_plan,
    "ke-hoach-ky-sau": schema.ResultSourceKind.later_plan,
    "bai-viet": schema.ResultSourceKind.article,
    "bai-viet-chinh-thuc": schema.ResultSourceKind.article,
    "khac": schema.ResultSourceKind.other,
    "nguon-khac": schema.ResultSourceKind.other,
}
_ID_PREFIX = {
    schema.ResultSourceKind.report: "bc",
    schema.ResultSourceKind.later_plan: "kh",
    schema.ResultSourceKind.article: "bv",
    schema.ResultSourceKind.other: "nguon",
}


class ResultsCsvProblem(Exception):
    """What stops a command before any row is read (no such plan, an unreadable file); in Vietnamese."""


@dataclass(frozen=True, order=True)
class RowError:
    line: int  # the row in the spreadsheet: the header is row 1
    column: str
    message: str


# --------------------------------------------------------------------------- the plan


@dataclass
class PlanFile:
    """A valid plan, its facts and its results file as it is now (None: there is none yet)."""

    id: str
    content: Path
    model: schema.Plan
    facts: PlanFacts
    results_path: Path
    results_display: str
    results: schema.PlanResults | None = None
    results_data: dict | None = None  # the results file's data as written (kept as it is when results are added)
    results_comments: int = 0  # comment lines of the results file besides its schema line


def plan_id(content: Path, given: str) -> str:
    """The plan id that `given` names: an id (ha-tinh/cam-xuyen/2021-…), or a path to its .yml, with or without
    the content folder; the file must exist."""
    text = unicodedata.normalize("NFC", given.strip()).replace("\\", "/")
    if not text:
        raise ResultsCsvProblem(_expected_plan("chưa ghi kế hoạch"))
    root = content.resolve()
    as_path = Path(text)
    if as_path.is_file():
        try:
            rel = as_path.resolve().relative_to(root).as_posix()
        except ValueError:
            raise ResultsCsvProblem(
                f"«{given}» không nằm trong thư mục nội dung {content}/: cần một kế hoạch trong {content}/"
            ) from None
    else:
        rel = text.removeprefix("./").strip("/")
        for prefix in (f"{content.as_posix().rstrip('/')}/", f"{content.name}/", f"{root.as_posix()}/"):
            rel = rel.removeprefix(prefix)
    stem = rel.removesuffix(".yml").removesuffix(RESULTS_SUFFIX.removesuffix(".yml"))
    name = stem.rsplit("/", 1)[-1] + ".yml"
    path = content / f"{stem}.yml"
    inside = (root / f"{stem}.yml").resolve().is_relative_to(root)
    if name in (UNIT_FILE, AGENCIES_FILE, INDICATORS_FILE, BUDGET_CATEGORIES_FILE) or not inside:
        raise ResultsCsvProblem(_expected_plan(f"«{given}» không phải tệp kế hoạch"))
    if not stem or not path.is_file():
        raise ResultsCsvProblem(_expected_plan(f"không tìm thấy kế hoạch «{given}» trong {content}/", content, stem))
    return stem


def _expected_plan(why: str, content: Path | None = None, stem: str = "") -> str:
    hint = ""
    folder = content / stem.rpartition("/")[0] if content is not None and "/" in stem else None
    if folder is not None and folder.is_dir():
        plans = sorted(
            p.name.removesuffix(".yml")
            for p in folder.glob("*.yml")
            if not p.name.endswith(RESULTS_SUFFIX)
            and p.name not in (UNIT_FILE, AGENCIES_FILE, INDICATORS_FILE, BUDGET_CATEGORIES_FILE)
        )
        if plans:
            near = difflib.get_close_matches(stem.rpartition("/")[2], plans, n=1)
            hint = (
                f"; có phải «{stem.rpartition('/')[0]}/{near[0]}»?"
                if near
                else f"; các kế hoạch trong thư mục đó: {', '.join(plans)}"
            )
    return (
        f"{why}{hint}{'' if hint.endswith('?') else '.'} Cần mã kế hoạch như "
        "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so, hoặc đường dẫn tệp content/<đơn vị>/<năm>-<tên>.yml"
    )


def load_plan(content: Path, given: str) -> PlanFile:
    """The plan `given` names, valid, with its results file if it has one, valid too (else ResultsCsvProblem
    with the file's errors: they are the editor's to fix first, with `make check`)."""
    pid = plan_id(content, given)
    path = content / f"{pid}.yml"
    errors: list[ContentError] = []
    plan = _valid(path, content, schema.Plan, errors)
    if plan is None:
        raise ResultsCsvProblem(_invalid(f"kế hoạch «{pid}» chưa hợp lệ", errors))
    facts = facts_of(plan)
    results_path = path.with_name(pid.rsplit("/", 1)[-1] + RESULTS_SUFFIX)
    found = PlanFile(pid, content, plan, facts, results_path, display_path(results_path, content))
    if results_path.is_file():
        doc, errors = load_yaml(results_path, content)
        results = validated(doc, schema.PlanResults, errors) if doc is not None and not errors else None
        if results is not None:
            later = _later_plans(content, [s.plan for s in results.sources if s.plan])
            for i, source in enumerate(results.sources):
                errors += [doc.error(("sources", i, *at), m) for at, m in source_problems(source, pid, *later)]
            errors += [doc.error(loc, message) for loc, message in result_problems(results, facts)]
        if errors or results is None:
            raise ResultsCsvProblem(_invalid(f"tệp kết quả hiện có {found.results_display} chưa hợp lệ", errors))
        found.results, found.results_data = results, doc.data
        ours = set(_header(pid).splitlines())  # the lines the importer writes itself are written again
        found.results_comments = sum(
            1
            for line in results_path.read_text("utf-8").splitlines()
            if line.lstrip().startswith("#") and "yaml-language-server:" not in line and line not in ours
        )
    return found


def _valid(path: Path, content: Path, model: type[BaseModel], errors: list[ContentError]) -> Any:
    doc, found = load_yaml(path, content)
    errors += found
    if doc is None or found:
        return None
    return validated(doc, model, errors)


def _invalid(why: str, errors: list[ContentError]) -> str:
    return f"{why}; sửa trước (make check):\n" + "\n".join(f"  {e}" for e in sorted(set(errors)))


def _later_plans(content: Path, ids: Iterable[str]) -> tuple[set[str], dict[str, PlanFacts]]:
    """What source_problems needs of the later plans that sources name: which exist, and the facts of the valid
    ones (only those plans are read, not the whole content folder)."""
    exists: set[str] = set()
    facts: dict[str, PlanFacts] = {}
    root = content.resolve()
    for pid in set(ids):
        path = content / f"{pid}.yml"
        name = path.name
        if (
            not path.resolve().is_relative_to(root)
            or not path.is_file()
            or name.endswith(RESULTS_SUFFIX)
            or name in (UNIT_FILE, AGENCIES_FILE, INDICATORS_FILE, BUDGET_CATEGORIES_FILE)
        ):
            continue
        exists.add(pid)
        if (model := _valid(path, content, schema.Plan, [])) is not None:
            facts[pid] = facts_of(model)
    return exists, facts


# --------------------------------------------------------------------------- the template


def template_rows(plan: PlanFile) -> list[list[object]]:
    """The template's rows after the header: the guidance row, then one row per target."""
    guidance = dict(READ_COLUMNS + FILL_COLUMNS)
    rows: list[list[object]] = [[GUIDANCE, *(guidance[c] for c in COLUMNS[1:])]]
    reported: dict[int, list[str]] = {}
    if plan.results is not None:
        for result in plan.results.results:
            reported.setdefault(result.target, []).append(_reported(result, plan.facts))
    for n, target in enumerate(plan.model.targets, 1):
        if target.deadline_year is not None:
            deadline = str(target.deadline_year)
        elif target.deadline_from_period:
            deadline = f"{plan.model.period.end} (theo kỳ kế hoạch)"
        else:
            deadline = ""
        cells = {
            PLAN_COLUMN: plan.id,
            NUMBER_COLUMN: n,
            STATEMENT_COLUMN: target.statement,
            "chi_so": target.indicator or "",
            "so_sanh": target.comparator.value if target.comparator else "",
            "gia_tri": fmt.number(target.value),
            "don_vi_tinh": target.unit or "",
            "nam_phai_dat": deadline,
            "cac_phan": "; ".join(target.parts),
            "da_co_ket_qua": "; ".join(reported.get(n, [])),
        }
        rows.append([cells.get(c, "") for c in COLUMNS])
    return rows


def _reported(result: schema.TargetResult, facts: PlanFacts) -> str:
    if result.value is not None:
        unit = result.unit or (facts.targets[result.target - 1].unit if result.target <= len(facts.targets) else "")
        said = fmt.number(result.value) + (f" {unit}" if unit and unit != "%" else unit or "")
    elif result.parts_met:
        said = "đã đạt: " + ", ".join(result.parts_met)
    else:
        said = _STATUS_WORDS[result.status] if result.status else ""
    return f"{result.date}: {said} (nguồn {result.source})"


def template_csv(plan: PlanFile) -> bytes:
    """The template as the site's downloads are written: UTF-8 with BOM, CRLF, cells that no spreadsheet runs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[csv_cell(cell) for cell in row] for row in template_rows(plan)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_template(content: Path, given: str, out: Path) -> tuple[PlanFile, Path]:
    """Writes the template of the plan `given` names to `out`, never over an existing file (it may hold an
    editor's filled rows)."""
    plan = load_plan(content, given)
    if out.exists():
        raise ResultsCsvProblem(f"{out} đã có (có thể là bảng đã điền); chọn tên khác với OUT=… hoặc xóa tệp đó")
    if not out.parent.is_dir():
        raise ResultsCsvProblem(f"không có thư mục {out.parent} để ghi {out.name}")
    _write_atomically(out, template_csv(plan))
    return plan, out


# --------------------------------------------------------------------------- reading the filled CSV


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class Sheet:
    name: str  # as errors name the file: as the editor gave it
    columns: list[str]
    rows: list[Row]
    errors: list[RowError] = field(default_factory=list)


def read_sheet(path: Path) -> Sheet:
    """The CSV's rows by column name, each cell with its spaces stripped and in NFC; comma, semicolon (Excel in a
    Vietnamese locale) or tab separated; UTF-8 with or without BOM."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ResultsCsvProblem(f"{name}: tệp quá lớn ({size:,} byte; tối đa 20 MB)".replace(",", "."))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ResultsCsvProblem(
            f"không tìm thấy tệp {name}: cần tệp CSV đã điền (tạo bằng make results-template)"
        ) from None
    except IsADirectoryError:
        raise ResultsCsvProblem(f"{name} là thư mục: cần một tệp CSV") from None
    text = _decoded(raw, name)
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    if not text.strip():
        raise ResultsCsvProblem(
            f"{name}: tệp rỗng; cần dòng tiêu đề và các dòng chỉ tiêu (tạo bằng make results-template)"
        )
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ResultsCsvProblem(f"{name}: không đọc được tệp CSV ({exc})") from None
    header = [_plain_text(c).casefold() for c in records[0]]
    sheet = Sheet(name, header, [])
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            sheet.errors.append(RowError(1, column, "cột này có hai lần trong dòng tiêu đề; xóa một cột"))
        seen.add(column)
        if column.startswith(FILL) and column not in COLUMNS:
            near = difflib.get_close_matches(column, [c for c, _ in FILL_COLUMNS], n=1)
            hint = f"; có phải «{near[0]}»?" if near else f"; các cột để điền: {', '.join(c for c, _ in FILL_COLUMNS)}"
            sheet.errors.append(RowError(1, column, f"không có cột «{column}» trong mẫu{hint}"))
    if NUMBER_COLUMN not in header:
        raise ResultsCsvProblem(
            f"{name}: dòng đầu không có cột «{NUMBER_COLUMN}» (số thứ tự chỉ tiêu); dòng đầu phải là dòng tiêu đề "
            f"của mẫu ({', '.join(COLUMNS[:4])}, …): tạo mẫu bằng make results-template"
        )
    for line, record in enumerate(records[1:], 2):
        extra = [c for c in record[len(header) :] if c.strip()]
        if extra:
            sheet.errors.append(
                RowError(
                    line,
                    header[-1],
                    f"dòng có {len(record)} ô, nhiều hơn {len(header)} cột của dòng tiêu đề: có dấu phân cách "
                    f"«{delimiter}» thừa trong một ô? (ô thừa: «{_plain_text(extra[0])}»)",
                )
            )
        cells = {column: _plain_text(record[i]) if i < len(record) else "" for i, column in enumerate(header)}
        first = next(iter(cells.values()), "")
        if not any(cells.values()) or first.startswith(NOTE) or cells.get(PLAN_COLUMN, "").startswith(NOTE):
            continue  # an empty row, or the guidance row (wherever its columns were moved)
        sheet.rows.append(Row(line, cells))
    return sheet


def _decoded(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's «Unicode Text»
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResultsCsvProblem(
            f"{name}: tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}). Lưu lại bảng tính dạng «CSV UTF-8» "
            "(Excel: Lưu thành › CSV UTF-8 (Comma delimited); LibreOffice: bộ ký tự Unicode (UTF-8))"
        ) from None


def _plain_text(cell: str) -> str:
    """A cell on one line, spaces trimmed: a spreadsheet cell may hold line breaks and non-breaking spaces."""
    return " ".join(unicodedata.normalize("NFC", cell).split())


# --------------------------------------------------------------------------- cells


class _CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


_INTEGER = re.compile(r"[+-]?\d+")
_VN_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")  # 1.000 and 1.000,5: Vietnamese thousands
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 85,5
_DECIMAL_POINT = re.compile(r"[+-]?\d+\.\d+")  # 85.5, where a dot cannot be thousands (checked after _VN_GROUPED)
_SPACE_GROUPED = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:,\d+)?")  # 1 000 000: thousands by spaces
_AMBIGUOUS_COMMA = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")  # 1,000: one (Vietnamese) or a thousand (English)?


def parse_value(text: str, column: str) -> Decimal:
    """A number as an editor types it in Vietnamese: «85», «85,5», «1.000», «1.000,5»; «85.5» too, where the dot
    cannot separate thousands. «1,000» is refused: one in Vietnamese, a thousand in English."""
    if " " in text and not _SPACE_GROUPED.fullmatch(text):  # «85 5» is not a number; «1 000 000» is
        raise _CellError(column, f"cần một số, không có dấu cách ở giữa; tìm thấy «{text}»")
    compact = text.replace(" ", "")
    if _INTEGER.fullmatch(compact):
        return Decimal(compact)
    if _VN_GROUPED.fullmatch(compact):
        return Decimal(compact.replace(".", "").replace(",", "."))
    if _AMBIGUOUS_COMMA.fullmatch(compact):
        whole, frac = compact.split(",")
        raise _CellError(
            column,
            f"«{text}» không rõ: {whole},{frac} (số thập phân, cách viết Việt Nam) hay {whole}{frac} (dấu phẩy ngăn "
            f"cách hàng nghìn)? Viết {whole}{frac} hoặc {whole},{frac.rstrip('0') or '0'}",
        )
    if _DECIMAL_COMMA.fullmatch(compact):
        return Decimal(compact.replace(",", "."))
    if _DECIMAL_POINT.fullmatch(compact):
        return Decimal(compact)
    raise _CellError(
        column,
        f"cần một số, ví dụ 85 hoặc 85,5 (dấu phẩy thập phân; dấu chấm ngăn cách hàng nghìn: 1.000); tìm thấy «{text}»",
    )


_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MONTH = re.compile(r"(\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")  # what some spreadsheets write for a date cell


def parse_date(text: str, column: str) -> str:
    """dd/mm/yyyy, mm/yyyy or yyyy (schema.PartialDate), written as the content writes it: «31/12/2025»."""
    expected = f"cần ngày dd/mm/yyyy, mm/yyyy hoặc yyyy (ví dụ 31/12/2025, 12/2025, 2025); tìm thấy «{text}»"
    if m := _ISO_DAY.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DAY.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _MONTH.fullmatch(text):
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise _CellError(column, f"không có tháng {month}; {expected}")
        return f"{month:02d}/{year}"
    elif re.fullmatch(r"\d{4}", text):
        return text
    else:
        raise _CellError(column, expected)
    try:
        dt.date(year, month, day)
    except ValueError:
        raise _CellError(column, f"ngày «{text}» không có trong lịch (ngày trước, tháng sau: dd/mm/yyyy)") from None
    return f"{day:02d}/{month:02d}/{year}"


def parse_status(text: str, column: str) -> schema.ResultStatus:
    if (found := _STATUSES.get(ascii_slug(text))) is None:
        raise _CellError(
            column, f"cần «đạt», «chưa đạt» hoặc «đạt một phần» (hoặc dat, chua-dat, dat-mot-phan); tìm thấy «{text}»"
        )
    return found


def parse_kind(text: str, column: str) -> schema.ResultSourceKind:
    if (found := _KINDS.get(ascii_slug(text))) is None:
        raise _CellError(
            column,
            "cần loại nguồn: «báo cáo», «kế hoạch sau», «bài viết» hoặc «khác» (hoặc bao-cao, ke-hoach-sau, "
            f"bai-viet, khac); tìm thấy «{text}»",
        )
    return found


def _refused_text(cells: dict[str, str]) -> list[_CellError]:
    """What the build refuses in a results file, in the cells the editor filled: characters that hide or reorder
    text (those the content loader refuses, and the other format characters), and personal data."""
    found = []
    for column, text in cells.items():
        if not column.startswith(FILL):
            continue
        if hidden := [c for c in text if unicodedata.category(c) in ("Cc", "Cf")]:
            found.append(
                _CellError(
                    column,
                    f"ô có ký tự vô hình U+{ord(hidden[0]):04X} (thường do chép từ web, PDF): hãy gõ lại ô này",
                )
            )
        if column != "dien_ket_qua_gia_tri":  # a number in the file, not text the build looks into
            found += [_CellError(column, privacy.message(kind, what)) for _, kind, what in privacy.findings(text)]
    return found


# --------------------------------------------------------------------------- rows → results


@dataclass
class _Entry:
    """One filled row, as the content will write it."""

    row: Row
    target: int
    source: dict[str, object]  # ResultSource's fields, without id
    result: dict[str, object]  # TargetResult's fields, without source


def _take(into: dict, key: str, parse, cell: str, column: str, errors: list) -> None:
    """into[key] = the cell read by `parse`; what it cannot read goes to `errors` (every cell of a row is read, so
    that the editor sees all its errors at once)."""
    try:
        into[key] = parse(cell, column)
    except _CellError as exc:
        errors.append(exc)


def _entry(row: Row, plan: PlanFile) -> _Entry:
    """The row's result and source, each cell parsed (a _CellError for the first wrong cell of each kind: the
    caller collects them, one row at a time)."""
    c = row.cells
    errors: list[_CellError] = _refused_text(c)
    number_text = c.get(NUMBER_COLUMN, "")
    target: int | None = None
    if not number_text:
        errors.append(_CellError(NUMBER_COLUMN, "cần số thứ tự chỉ tiêu (cột tt của mẫu)"))
    elif not re.fullmatch(r"\d+", number_text) or int(number_text) < 1:
        errors.append(_CellError(NUMBER_COLUMN, f"cần số thứ tự chỉ tiêu (1, 2, …); tìm thấy «{number_text}»"))
    else:
        target = int(number_text)
        written = c.get(STATEMENT_COLUMN, "").removeprefix("'")
        if target <= len(plan.model.targets) and written:
            statement = _plain_text(plan.model.targets[target - 1].statement)
            if written.casefold() != statement.casefold():
                errors.append(
                    _CellError(
                        STATEMENT_COLUMN,
                        f"chỉ tiêu số {target} của kế hoạch là «{_short(statement)}», không phải «{_short(written)}»: "
                        "kế hoạch đã sửa sau khi tạo mẫu, hoặc cột tt bị sửa; tạo lại mẫu (make results-template)",
                    )
                )
    facts = _target(plan, target) if target is not None else None
    result: dict[str, object] = {"target": target}
    unit = c.get("dien_ket_qua_don_vi_tinh", "")
    if value := c.get("dien_ket_qua_gia_tri", ""):
        if value.endswith("%"):  # a percentage cell as Excel writes it: «85,5%»
            value = value.removesuffix("%").strip()
            if unit and unit != "%":
                errors.append(_CellError("dien_ket_qua_don_vi_tinh", f"giá trị ghi «%» nhưng đơn vị ghi «{unit}»"))
            unit = "%"
        _take(result, "value", parse_value, value, "dien_ket_qua_gia_tri", errors)
    if unit:
        result["unit"] = unit
    if status := c.get("dien_danh_gia", ""):
        _take(result, "status", parse_status, status, "dien_danh_gia", errors)
    if parts := [p.strip() for p in c.get("dien_cac_phan_da_dat", "").split(";") if p.strip()]:
        named = {p.casefold(): p for p in (facts.parts if facts else ())}
        result["parts_met"] = [named.get(p.casefold(), p) for p in parts]  # the part as the plan spells it
    if words := c.get("dien_loi_nguon", ""):
        result["statement"] = words
    if day := c.get("dien_ngay", ""):
        _take(result, "date", parse_date, day, "dien_ngay", errors)
    else:
        errors.append(_CellError("dien_ngay", "cần ngày mà kết quả nói đến: dd/mm/yyyy, mm/yyyy hoặc yyyy"))
    source: dict[str, object] = {}
    title, url, later = c.get("dien_nguon_ten", ""), c.get("dien_nguon_lien_ket", ""), c.get("dien_nguon_ke_hoach", "")
    if not title or not (url or later):
        missing = " và ".join(
            w
            for w, filled in (("tên nguồn (dien_nguon_ten)", title), ("liên kết (dien_nguon_lien_ket)", url or later))
            if not filled
        )
        errors.append(
            _CellError(
                "dien_nguon_ten" if not title else "dien_nguon_lien_ket",
                f"kết quả cần nguồn: thiếu {missing} (nguồn loại «kế hoạch sau» ghi mã kế hoạch ở dien_nguon_ke_hoach "
                "thay cho liên kết)",
            )
        )
    if kind := c.get("dien_nguon_loai", ""):
        _take(source, "kind", parse_kind, kind, "dien_nguon_loai", errors)
    else:
        errors.append(_CellError("dien_nguon_loai", "cần loại nguồn: báo cáo, kế hoạch sau, bài viết hoặc khác"))
    source["title"] = title
    if number := c.get("dien_nguon_so", ""):
        source["number"] = number
    if day := c.get("dien_nguon_ngay", ""):
        _take(source, "date", parse_date, day, "dien_nguon_ngay", errors)
    if url:
        try:
            _URL.validate_python(url)
        except ValidationError:
            errors.append(
                _CellError("dien_nguon_lien_ket", f"cần một địa chỉ web đầy đủ (https://…); tìm thấy «{url}»")
            )
        source["url"] = url
    if later:
        source["plan"] = plan_id_text(later, plan.content)
    if errors:
        raise _RowErrors(errors)
    assert target is not None
    return _Entry(row, target, source, result)


_URL = TypeAdapter(HttpUrl)


def _target(plan: PlanFile, number: int) -> TargetFacts | None:
    return plan.facts.targets[number - 1] if 1 <= number <= len(plan.facts.targets) else None


def plan_id_text(text: str, content: Path) -> str:
    """A plan named in a cell, as an id: without the content folder or «.yml» (its existence is checked later)."""
    rel = text.replace("\\", "/").removeprefix("./").strip("/")
    rel = rel.removeprefix(f"{content.name}/")
    return rel.removesuffix(".yml")


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "…"


class _RowErrors(Exception):
    def __init__(self, errors: list[_CellError]):
        super().__init__(len(errors))
        self.errors = errors


def _has_result(row: Row) -> bool:
    return any(row.cells.get(c) for c in ("dien_ket_qua_gia_tri", "dien_danh_gia", "dien_cac_phan_da_dat"))


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    csv_name: str
    plan: str
    results_display: str
    created: bool = False
    added: int = 0
    new_sources: int = 0
    unreported: int = 0  # rows with no value, status or parts met: targets not reported
    already: int = 0  # results already in the file (or twice in the sheet), not added again
    comments_dropped: int = 0
    errors: list[RowError] = field(default_factory=list)

    def error_report(self) -> str:
        ordered = sorted(set(self.errors), key=lambda e: (e.line, _column_rank(e.column), e.message))
        lines = [f"{self.csv_name}, dòng {e.line}, cột {e.column}: {e.message}" for e in ordered]
        return (
            "\n".join(lines) + f"\n\n{len(set(self.errors))} lỗi trong {self.csv_name}; chưa ghi gì vào "
            f"{self.results_display}. Sửa các ô trên rồi chạy lại make import-results."
        )

    def summary(self) -> str:
        if not self.added:
            out = [f"Không có kết quả mới cho {self.results_display}: tệp giữ nguyên."]
        else:
            made = "tệp mới " if self.created else ""
            sources = f" và {self.new_sources} nguồn mới" if self.new_sources else ""
            out = [f"Đã thêm {self.added} kết quả{sources} vào {made}{self.results_display}."]
        notes = []
        if self.already:
            notes.append(f"{self.already} kết quả đã có, không thêm lại")
        if self.unreported:
            notes.append(f"{self.unreported} dòng chưa có kết quả (bỏ qua)")
        if notes:
            out.append("; ".join(notes).capitalize() + ".")
        if self.comments_dropped:
            out.append(
                f"Lưu ý: {self.comments_dropped} dòng chú thích (#) của tệp cũ không được giữ khi ghi lại; "
                "xem git diff."
            )
        if self.added:
            out.append("Chạy make site để xem (make check để kiểm tra toàn bộ nội dung).")
        return "\n".join(out)


def _column_rank(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def import_results(content: Path, csv_path: Path, given_plan: str | None = None) -> ImportReport:
    """Reads a filled template, checks every row, and adds its results to the plan's `.ket-qua.yml`; writes
    nothing when any row is wrong (the report lists every error)."""
    sheet = read_sheet(csv_path)
    plan = load_plan(content, _plan_of(sheet, content, given_plan))
    report = ImportReport(sheet.name, plan.id, plan.results_display, errors=list(sheet.errors))
    entries: list[_Entry] = []
    for row in sheet.rows:
        named = row.cells.get(PLAN_COLUMN, "")
        if named and plan_id_text(named, content) != plan.id:
            report.errors.append(
                RowError(
                    row.line, PLAN_COLUMN, f"dòng của kế hoạch «{named}», không phải «{plan.id}»: mỗi tệp một kế hoạch"
                )
            )
            continue
        if not _has_result(row):
            report.unreported += 1
            continue
        try:
            entries.append(_entry(row, plan))
        except _RowErrors as exc:
            report.errors += [RowError(row.line, e.column, e.message) for e in exc.errors]
    data = _merged(plan, entries, report)
    if report.errors:
        return report
    if not report.added:
        return report
    report.created = plan.results_data is None
    report.comments_dropped = plan.results_comments
    _write_results(plan, data)
    return report


def _plan_of(sheet: Sheet, content: Path, given: str | None) -> str:
    if given:
        return given
    named = [row.cells[PLAN_COLUMN] for row in sheet.rows if row.cells.get(PLAN_COLUMN)]
    if not named:
        raise ResultsCsvProblem(
            f"{sheet.name}: không biết kế hoạch nào: tệp không có cột {PLAN_COLUMN} (mã kế hoạch) có giá trị; "
            "dùng mẫu của make results-template, hoặc ghi PLAN=<mã kế hoạch>"
        )
    return named[0]


def _merged(plan: PlanFile, entries: list[_Entry], report: ImportReport) -> dict:
    """The results file's data with the new rows' sources and results added, checked as the build checks it;
    each problem reported against the row that caused it."""
    existing = plan.results_data or {}
    sources: list[dict] = [dict(s) for s in existing.get("sources", [])]
    results: list[dict] = [dict(r) for r in existing.get("results", [])]
    old_sources = plan.results.sources if plan.results else []
    by_key: dict[tuple, tuple[str, tuple, int | None]] = {}  # source key → (id, (kind, plan), row it came from)
    for source in old_sources:
        by_key[_source_key(source)] = (source.id, (source.kind, source.plan), None)
    used_ids = {s.id for s in old_sources}
    result_keys: dict[tuple, tuple[tuple, int | None]] = {}  # (target, date span, source id) → (what it says, row)
    if plan.results:
        for r in plan.results.results:
            result_keys[_result_key(r)] = (_said(r, plan), None)
    new_from: dict[int, Row] = {}  # index in sources/results → the row that added it
    new_results: dict[int, Row] = {}
    apart: list[tuple[Row, schema.ResultSource, schema.TargetResult]] = []  # results refused as a second version
    for entry in entries:
        line = entry.row.line
        try:
            source = schema.ResultSource.model_validate({"id": "x", **entry.source})
        except ValidationError as exc:
            report.errors += _pydantic_errors(line, exc, _SOURCE_COLUMNS)
            continue
        key = _source_key(source)
        if key in by_key:
            sid, (kind, later), origin = by_key[key]
            if (kind, later) != (source.kind, source.plan):
                where = f"dòng {origin}" if origin else f"tệp {plan.results_display} (mã {sid})"
                report.errors.append(
                    RowError(
                        line,
                        "dien_nguon_loai" if kind != source.kind else "dien_nguon_ke_hoach",
                        f"nguồn «{_short(source.title)}» đã ghi ở {where} với loại «{kind.value}»"
                        + (f", kế hoạch «{later}»" if later else "")
                        + ": một nguồn ghi cùng loại ở mọi dòng",
                    )
                )
                continue
        else:
            sid = _new_id(source.kind, used_ids)
            used_ids.add(sid)
            by_key[key] = (sid, (source.kind, source.plan), line)
            new_from[len(sources)] = entry.row
            sources.append(_ordered({"id": sid, **_plain(entry.source)}, schema.ResultSource))
            report.new_sources += 1
        try:
            result = schema.TargetResult.model_validate({**entry.result, "source": sid})
        except ValidationError as exc:
            report.errors += _pydantic_errors(line, exc, _RESULT_COLUMNS)
            continue
        rkey = _result_key(result)
        if rkey in result_keys:
            said, origin = result_keys[rkey]
            if said == _said(result, plan):
                report.already += 1
                continue
            where = f"dòng {origin}" if origin else f"tệp {plan.results_display}"
            report.errors.append(
                RowError(
                    line,
                    "dien_ngay",
                    f"chỉ tiêu số {result.target} đã có kết quả tính đến {result.date} từ nguồn này ở {where}, khác "
                    "kết quả dòng này; sửa kết quả cũ trực tiếp trong tệp .ket-qua.yml, hoặc ghi ngày khác",
                )
            )
            apart.append((entry.row, source.model_copy(update={"id": sid}), result))  # its other mistakes too
            continue
        result_keys[rkey] = (_said(result, plan), line)
        new_results[len(results)] = entry.row
        results.append(_ordered(_plain({**entry.result, "source": sid}), schema.TargetResult))
        report.added += 1
    data = {"sources": sources, "results": results}
    for row, source, result in apart:
        for loc, message in result_problems(schema.PlanResults(sources=[source], results=[result]), plan.facts):
            column = _RESULT_COLUMNS.get(loc[2], NUMBER_COLUMN) if len(loc) > 2 else "dien_ngay"
            report.errors.append(RowError(row.line, column, _in_columns(message)))
    if not new_results:
        return data
    # The rules the build applies across files, on the whole file as it will be written.
    try:
        model = schema.PlanResults.model_validate(data)
    except ValidationError as exc:  # each part was valid alone: only the whole can fail here
        report.errors += _pydantic_errors(1, exc, {})
        return data
    later = _later_plans(plan.content, [s.plan for s in model.sources if s.plan])
    for i, row in new_from.items():
        for at, message in source_problems(model.sources[i], plan.id, *later):
            report.errors.append(
                RowError(
                    row.line,
                    _SOURCE_COLUMNS.get(at[0], "dien_nguon_lien_ket") if at else "dien_nguon_lien_ket",
                    _in_columns(message),
                )
            )
    for loc, message in result_problems(model, plan.facts):
        i, column = loc[1], _RESULT_COLUMNS.get(loc[2], NUMBER_COLUMN) if len(loc) > 2 else "dien_ngay"
        if loc[0] == "results" and i in new_results:
            report.errors.append(RowError(new_results[i].line, column, _in_columns(message)))
        else:  # not a row's: the file was valid before (load_plan), so this is the importer's own mistake
            report.errors.append(RowError(1, column, f"{plan.results_display}: {message}"))
    return data


# The shared checks name the fields of the YAML file; the editor of the sheet knows its columns.
_FIELD_WORDS = {
    "«value»": "«dien_ket_qua_gia_tri»",
    "«status»": "«dien_danh_gia»",
    "«statement»": "«dien_loi_nguon»",
    "«parts_met»": "«dien_cac_phan_da_dat»",
    "«parts»": "«cac_phan»",
    "«url»": "«dien_nguon_lien_ket»",
    "«plan»": "«dien_nguon_ke_hoach»",
    "«sources»": "các nguồn",
}


def _in_columns(message: str) -> str:
    for field_words, column in _FIELD_WORDS.items():
        message = message.replace(field_words, column)
    return message


def _source_key(source: schema.ResultSource) -> tuple:
    """Two rows naming the same source (title, number, date, link) share it, whatever their spelling of case."""
    return (
        " ".join(source.title.split()).casefold(),
        (source.number or "").casefold(),
        schema.date_span(source.date) if source.date else None,
        str(source.url) if source.url else "",
    )


def _result_key(result: schema.TargetResult) -> tuple:
    return (result.target, schema.date_span(result.date), result.source)


def _said(result: schema.TargetResult, plan: PlanFile) -> tuple:
    """What a result says, to tell the same result imported again from a different one for the same key."""
    target = _target(plan, result.target)
    unit = (result.unit or (target.unit if target else "") or "").casefold() if result.value is not None else ""
    return (
        result.value,
        unit,
        result.status,
        tuple(sorted(result.parts_met)),
        " ".join((result.statement or "").split()),
    )


def _new_id(kind: schema.ResultSourceKind, used: set[str]) -> str:
    n = 1
    while f"{_ID_PREFIX[kind]}-{n}" in used:
        n += 1
    return f"{_ID_PREFIX[kind]}-{n}"


def _pydantic_errors(line: int, exc: ValidationError, columns: dict[str, str]) -> list[RowError]:
    found = []
    for err in exc.errors(include_url=False):
        name = str(err["loc"][0]) if err["loc"] else ""
        message = err["msg"]
        if err["type"] in ("url_parsing", "url_scheme", "url_type"):
            message = f"cần một địa chỉ web đầy đủ (https://…); tìm thấy «{err.get('input')}»"
        elif err["type"] == "string_pattern_mismatch":
            message = f"không đúng dạng; tìm thấy «{err.get('input')}»"
        found.append(RowError(line, columns.get(name, NUMBER_COLUMN), message))
    return found


def _plain(data: dict[str, object]) -> dict[str, object]:
    """The row's fields as YAML writes them: enums by their value."""
    return {
        k: (v.value if isinstance(v, (schema.ResultStatus, schema.ResultSourceKind)) else v) for k, v in data.items()
    }


def _ordered(data: dict, model: type[BaseModel]) -> dict:
    """The fields in the schema's order, empty ones left out: every file the importer writes reads alike."""
    out = {}
    for name in model.model_fields:
        value = data.get(name)
        if value is None or value == [] or value == "":
            continue
        if name == "kept_copy" and isinstance(value, dict):
            value = _ordered(value, schema.OriginalFile)
        out[name] = value
    return out


# --------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the content files are written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value.normalize(), "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Dates and years in double quotes, as the content files write them («date: "31/12/2025"»).
    style = '"' if re.fullmatch(r"[\d/]+|%", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def results_yaml(plan: PlanFile, data: dict) -> str:
    """The results file's text: its schema line (relative to the file's depth), then the data, keys in the
    schema's order, UTF-8 words as they are, NFC."""
    ordered = {
        "sources": [_ordered(s, schema.ResultSource) for s in data["sources"]],
        "results": [_ordered(r, schema.TargetResult) for r in data["results"]],
    }
    header = _header(plan.id)
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096)
    return unicodedata.normalize("NFC", header + body)


def _header(pid: str) -> str:
    """The results file's first lines: its schema for the editor's autocompletion, relative to the file's depth."""
    return (
        f"# yaml-language-server: $schema={'../' * (pid.count('/') + 1)}schema/results.schema.json\n"
        f"# Kết quả thực hiện của kế hoạch {pid}; thêm từ bảng tính bằng make import-results, hoặc sửa tay.\n"
    )


def _write_results(plan: PlanFile, data: dict) -> None:
    raw = results_yaml(plan, data).encode("utf-8")
    _write_atomically(plan.results_path, raw, check=lambda tmp: _read_back(plan, tmp, data))


def _read_back(plan: PlanFile, tmp: Path, data: dict) -> None:
    """The file as the build will read it (the content loader: its limits, invisible characters, NFC) holds the
    data meant and passes the schema; else the importer has a bug, said plainly, and nothing is written."""
    errors: list[ContentError] = []
    doc, errors = load_yaml(tmp, plan.content)
    model = validated(doc, schema.PlanResults, errors) if doc is not None and not errors else None
    meant = schema.PlanResults.model_validate(data)
    if model is None or model != meant:
        raise ResultsCsvProblem(
            "tệp kết quả ghi ra không đọc lại đúng (lỗi của Công khai, hãy báo nhóm phát triển); chưa ghi gì:\n"
            + "\n".join(f"  {e}" for e in errors)
        )


def _write_atomically(path: Path, raw: bytes, check=None) -> None:
    """Writes `raw` to a temporary file beside `path`, then renames it over `path`: a reader sees the old file or
    the new one, never half of it."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        try:  # the mode of the file it replaces, else what a new file gets (mkstemp's is private to the user)
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Open data: every table a page shows, as CSV (UTF-8 with BOM) and JSON.

Each table is defined once here as rows of (column title → value); the CSV and
JSON files are two serialisations of the same rows.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import operator
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from generator.content import schema
from generator.content.facts import BUDGET_LEVEL_LABELS, STATUS_LABELS
from generator.incremental.store import PlanChunks, kept_or_made
from generator.model.history import Change
from generator.model.results import TargetProgress
from generator.model.views import (
    BudgetPeriod,
    BudgetSummary,
    IndicatorEntry,
    IndicatorView,
    PlanView,
    Portal,
    ProvinceShare,
    UnitView,
)
from generator.outputs import format as fmt

Rows = list[dict[str, object]]


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _status_columns(plan: PlanView, progress: TargetProgress) -> dict[str, object]:
    """A target's status as of the build's date and the result that decides it (the latest counted)."""
    latest = progress.latest
    result, source = (latest.result, latest.source.source) if latest else (None, None)
    return {
        "trang_thai": progress.status.label,
        "trang_thai_ma": progress.status.value,
        "tinh_den": plan.as_of.isoformat() if plan.as_of else None,
        "ket_qua_gia_tri": _plain(result.value) if result else None,
        "ket_qua_don_vi_do": (result.unit or progress.target.unit) if result and result.value is not None else None,
        "ket_qua_loi_nguon": result.statement if result else None,
        "ket_qua_ngay": fmt.iso_date(result.date) if result else None,
        "ket_qua_nguon": source_label(source) if source else None,
        "ket_qua_nguon_lien_ket": str(source.url) if source and source.url else None,
    }


def source_label(source: schema.ResultSource) -> str:
    """A result's source in one line, as the page names it: title, number, date."""
    words = [source.title]
    if source.number:
        words.append(f"số {source.number}")
    if source.date:
        words.append(f"ngày {source.date}")
    return ", ".join(words)


def target_rows(plan: PlanView) -> Rows:
    rows = []
    for (n, t), progress in zip(enumerate(plan.plan.targets, 1), plan.progress):
        base = t.baseline
        rows.append(
            {
                "ke_hoach": plan.id,
                "tt": n,
                "nhom": t.group,
                "linh_vuc": t.area,
                "chi_tieu": t.statement,
                "chi_so": t.indicator,
                "ma_chi_so": t.indicator_code,
                "so_sanh": t.comparator.value if t.comparator else None,
                "gia_tri": _plain(t.value),
                "don_vi_do": t.unit,
                "pham_vi": t.scope,
                "nam_dat": t.deadline_year,
                # the document gives no deadline: the plan's last year, as the portal's inference, in its own column
                "nam_dat_cong_suy_ra": plan.plan.period.end if t.deadline_from_period else None,
                "chu_tri": "; ".join(filter(None, [t.lead, *t.co_leads])) or None,
                "phoi_hop": "; ".join(t.coordinating),
                "thuc_hien": "; ".join(t.implementing),
                "ghi_chu": t.note,
                "ky_truoc": base.statement if base else None,
                "ky_truoc_gia_tri": _plain(base.value) if base else None,
                "ky_truoc_don_vi_do": base.unit if base else None,
                "ky_truoc_ky": base.period if base else None,
                "cac_phan": "; ".join(t.parts) or None,
                **_status_columns(plan, progress),
            }
        )
    return rows


def result_rows(plan: PlanView) -> Rows:
    """Every result reported for the plan's targets, oldest first within each target, with its source."""
    rows: Rows = []
    for progress in plan.progress:
        for point in progress.results:
            r, source = point.result, point.source.source
            rows.append(
                {
                    "ke_hoach": plan.id,
                    "tt_chi_tieu": progress.number,
                    "gia_tri": _plain(r.value),
                    "don_vi_do": (r.unit or progress.target.unit) if r.value is not None else None,
                    "danh_gia": point.status.label if point.status else None,
                    "cac_phan_da_dat": "; ".join(r.parts_met) or None,
                    "loi_nguon": r.statement,
                    "ngay": fmt.iso_date(r.date),
                    "tinh_vao_trang_thai": point.counted,
                    "nguon_loai": point.source.kind_label,
                    "nguon": source.title,
                    "nguon_so": source.number,
                    "nguon_ngay": fmt.iso_date(source.date),
                    "nguon_lien_ket": str(source.url) if source.url else None,
                    "nguon_ke_hoach": source.plan,
                    "nguon_ban_luu": point.source.kept_name,
                    "nguon_ban_luu_sha256": source.kept_copy.sha256 if source.kept_copy else None,
                }
            )
    return rows


# What a row of the budget download is: the table as printed, its declared figures included.
LINE, SUBTOTAL, TOTAL = "dong", "cong-nhom", "tong-cong"


def budget_rows(plan: PlanView) -> Rows:
    """Every figure of every budget table: its lines, each group's subtotal and the table's total, one row per
    amount column, in the document's order. Declared subtotals and totals are given as declared (empty where the
    document declares none), the sum of the lines beside them, and the difference."""
    rows: Rows = []
    for tv in plan.tables:
        table = tv.table

        def row(kind: str, group, line, col, declared, printed, computed=None, tv=tv, table=table) -> dict[str, object]:
            in_dong = None if declared is None else tv.in_dong(declared)
            total = None if computed is None else tv.in_dong(computed)
            return {
                "ke_hoach": plan.id,
                "bang": table.id,
                "bang_tieu_de": table.title,
                "nam": table.year,
                "giai_doan": table.phase.value,
                "loai_dong": kind,
                "ma_nhom": group.code if group else None,
                "nhom": group.name if group else None,
                "tt": line.code if line else None,
                "noi_dung": line.name if line else None,
                "muc_tieu": line.objective if line else None,
                "loai_chi": line.category if line else None,
                "cap": BUDGET_LEVEL_LABELS[line.level] if line and line.level else None,
                "cot": col.label,
                "so_tien_dong": _plain(in_dong),
                "so_tien_in": printed if printed is not None else (None if declared is None else fmt.number(declared)),
                "don_vi_tien_in": tv.currency_label,
                "tong_cac_dong_dong": _plain(total),
                "chenh_lech_dong": _plain(in_dong - total) if in_dong is not None and total is not None else None,
                "bang_chu": table.total_in_words if kind == TOTAL and col.key == tv.main_column else None,
                "nguon_von": line.source_of_funds if line else None,
                "chu_tri": line.lead if line else None,
                "thoi_gian": line.period if line else None,
                "tinh_chat": STATUS_LABELS[line.status] if line and line.status else None,
                "hieu_qua": line.effect if line else None,
                "ghi_chu": line.note if line else None,
            }

        for gv in tv.groups:
            group = gv.group
            for line in group.lines:
                for col in table.columns:
                    if (value := line.amounts.get(col.key)) is not None:
                        rows.append(row(LINE, group, line, col, value, line.printed.get(col.key)))
            if group.declared or group.name or group.code:
                for col in table.columns:
                    check = gv.check(col.key)
                    rows.append(
                        row(
                            SUBTOTAL,
                            group,
                            None,
                            col,
                            group.declared.get(col.key),
                            group.printed.get(col.key),
                            check.computed
                            if check
                            else sum((l.amounts.get(col.key, Decimal(0)) for l in group.lines), Decimal(0)),
                        )
                    )
        for check in tv.total_checks:
            col = next(c for c in table.columns if c.key == check.column)
            rows.append(
                row(TOTAL, None, None, col, check.declared, table.declared_total_printed.get(col.key), check.computed)
            )
    return rows


def legal_basis_rows(plan: PlanView) -> Rows:
    return [
        {
            "ke_hoach": plan.id,
            "tt": n,
            "loai": b.kind,
            "so_ky_hieu": b.number,
            "ngay": fmt.iso_date(b.date),
            "co_quan_ban_hanh": b.issuer,
            "trich_yeu": b.title,
        }
        for n, b in enumerate(plan.plan.legal_bases, 1)
    ]


def responsibility_rows(plan: PlanView) -> Rows:
    return [
        {"ke_hoach": plan.id, "don_vi": r.unit, "tt": n, "nhiem_vu": duty}
        for r in plan.plan.responsibilities
        for n, duty in enumerate(r.duties, 1)
    ]


def plan_row(plan: PlanView) -> dict[str, object]:
    f = plan.facts  # not the model: the national step makes this table for every plan (docs/shards.md)
    start, end, outlook = f.period
    planned = plan.planned_by_year  # a plan over several years: each year's figure, never their sum
    return {
        "ma": plan.id,
        "trich_yeu": f.title,
        "loai": plan.kind_label,
        "co_quan_ban_hanh": f.issuer,
        "don_vi": plan.unit.unit.name,
        "tinh": plan.unit.province.unit.name,
        "so_ky_hieu": f.number,
        "ngay_ky": fmt.iso_date(f.signed_date),
        "nguoi_ky": f.signer[0] if f.signer else None,
        "chuc_vu_nguoi_ky": f.signer[1] if f.signer else None,
        "nam_bat_dau": start,
        "nam_ket_thuc": end,
        "nam_dinh_huong": outlook,
        "so_chi_tieu": len(f.targets),
        "kinh_phi_du_kien_dong": _plain(planned[0][1]) if len(planned) == 1 else None,
        "kinh_phi_du_kien_theo_nam": "; ".join(f"{year}: {_plain(amount)}" for year, amount in planned) or None,
        "van_ban_goc_sha256": f.source_sha256,
    }


# (file stem, label on the page) of the tables beside each plan's page; their rows: PLAN_ROWS
PLAN_TABLES = (
    ("chi-tieu", "Chỉ tiêu"),
    ("kinh-phi", "Kinh phí"),
    ("can-cu", "Căn cứ pháp lý"),
    ("trach-nhiem", "Phân công"),
    ("ket-qua", "Kết quả thực hiện"),
)


BUDGET_YEARS = "kinh-phi-theo-nam"  # beside a unit's page and the budget page: their table «Kinh phí theo năm»


def budget_year_rows(summary: BudgetSummary, scope: str) -> Rows:
    """The table «Kinh phí theo năm» of `scope` (a unit's name, or the whole portal's) as printed: a row a year, the
    planned and the spent budget side by side, never added together. Each is the tables' totals as declared (the
    sum of the lines where a table declares none), the sum of their lines, the difference, and how many plans
    give one; empty where no plan does (unknown, not zero)."""
    rows: Rows = []
    for year, planned, spent in summary.years:
        row: dict[str, object] = {"pham_vi": scope, "nam": year}
        for kind, period in (("du_kien", planned), ("da_thuc_hien", spent)):
            row[f"{kind}_dong"] = _plain(period.total_dong) if period else None
            row[f"{kind}_tong_cac_dong_dong"] = _plain(period.lines_dong) if period else None
            row[f"{kind}_chenh_lech_dong"] = _plain(period.total_dong - period.lines_dong) if period else None
            row[f"{kind}_so_van_ban"] = len(period.plans) if period else None
        rows.append(row)
    return rows


def budget_year_files(summary: BudgetSummary, scope: str, folder: str) -> dict[str, bytes]:
    """`<folder>kinh-phi-theo-nam.csv|json` (folder: the page's, e.g. «ha-tinh/»), when `summary` has a budget."""
    if summary.empty:
        return {}
    rows = budget_year_rows(summary, scope)
    return as_files(f"{folder}{BUDGET_YEARS}", rows)


BUDGET_PERIODS = "kinh-phi-theo-ky"  # beside a page of budget periods: the tables of each period's breakdowns
BY_UNIT, BY_PROVINCE, BY_CATEGORY = "don-vi", "tinh", "nhom-chi"  # the breakdowns a page shows (budget_period_rows)


def budget_period_rows(periods: list[BudgetPeriod], scope: str, shown: tuple[str, ...]) -> Rows:
    """The breakdowns `shown` of each budget period on a page (by unit, by province, by the portal's spending groups),
    a row per figure as the page prints it: the tables' totals as declared (for a group, the sum of its lines), the
    sum of the lines and the difference, and for a province how many plans."""
    rows: Rows = []
    for period in periods:
        by = {BY_UNIT: period.by_unit, BY_PROVINCE: period.by_province, BY_CATEGORY: period.by_category}
        for kind in shown:
            for share in by[kind]:
                lines = share.amount if share.lines_sum is None else share.lines_sum  # None: the same as shown
                rows.append(
                    {
                        "pham_vi": scope,
                        "nam": period.year,
                        "loai": period.phase_label,
                        "theo": kind,
                        "khoan": share.label,
                        "so_tien_dong": _plain(share.amount),
                        "tong_cac_dong_dong": _plain(lines),
                        "chenh_lech_dong": _plain(share.amount - lines),
                        "so_van_ban": share.plans if isinstance(share, ProvinceShare) else None,
                    }
                )
    return rows


def budget_period_files(periods: list[BudgetPeriod], scope: str, shown: tuple[str, ...], folder: str) -> dict:
    """`<folder>kinh-phi-theo-ky.csv|json` (folder: the page's), when the page shows budget periods."""
    if not periods:
        return {}
    rows = budget_period_rows(periods, scope, shown)
    return as_files(f"{folder}{BUDGET_PERIODS}", rows)


def discrepancy_rows(plan: PlanView) -> Rows:
    return [
        {
            "ke_hoach": plan.id,
            "bang": d.table_id,
            "bang_tieu_de": d.table_title,
            "vi_tri": f"Nhóm {d.where}" if d.where else "Tổng cộng",
            "cot": d.column_label,
            "van_ban_ghi_dong": _plain(d.declared_dong),
            "tong_cac_dong_dong": _plain(d.computed_dong),
            "chenh_lech_dong": _plain(d.difference_dong),
        }
        for d in plan.facts.discrepancies
    ]


def indicator_rows(view: IndicatorView, e: IndicatorEntry) -> Rows:
    return [
        {
            "ma_chi_so": view.indicator.code,
            "chi_so": view.indicator.name,
            "ke_hoach": e.plan.id,
            "don_vi": e.plan.unit.unit.name,
            "tt_chi_tieu": e.number,
            "so_sanh": e.target.comparator.value if e.target.comparator else None,
            "gia_tri": _plain(e.target.value),
            "don_vi_do": e.target.unit,
            "pham_vi": e.target.scope,
            "nam_dat": e.target.deadline_year,
            "ket_qua_ky_truoc": e.target.baseline.statement if e.target.baseline else None,
            "trang_thai": e.progress.status.label,
            "tinh_den": e.plan.as_of.isoformat() if e.plan.as_of else None,
            "chi_tieu": e.target.statement,
        }
    ]


CHANGES = "lich-su"  # beside a plan's history page: its changes (and beside the corrections page, CORRECTIONS)
CORRECTIONS = "dinh-chinh"
FIRST, CORRECTION, ADDITION = "Công bố lần đầu", "Đính chính", "Bổ sung kết quả"


def change_row(plan: PlanView, number: int, change: Change) -> dict[str, object]:
    """A change of a plan's published data as its history page lists it (its number there, from 1): the reason only
    where an editor gave one (the page shows the portal's neutral wording otherwise), the fields it changed, one
    a line."""
    return {
        "ke_hoach": plan.id,
        "lan": number,
        "ngay": change.date.isoformat(),
        "loai": FIRST if number == 1 else CORRECTION if change.amends else ADDITION,
        "ly_do": change.reason if change.editorial else None,
        "cac_muc_da_thay_doi": "\n".join(change.summary) or None,
        "ma_commit": change.commit,
    }


def change_files(rows: Rows, name: str) -> dict[str, bytes]:
    """`<name>.csv|json` (name: its site path without the extension) of change_row rows, when there are any."""
    return as_files(name, rows) if rows else {}


CATALOGUE = "chi-so/danh-muc"  # beside the indicators' page: the catalogue it lists


def indicator_catalogue_files(portal: Portal) -> dict[str, bytes]:
    """The catalogue of indicators as the indicators' page lists it (content/indicators.yml, with how many targets
    the plans set for each), as CSV and JSON."""
    rows: Rows = [
        {
            "ma_chi_so": view.indicator.code,
            "chi_so": view.indicator.name,
            "linh_vuc": view.indicator.area,
            "don_vi_do": view.indicator.unit,
            "giai_thich": view.indicator.description,
            "so_chi_tieu": len(view.entries),
        }
        for view in portal.indicator_views
    ]
    return as_files(CATALOGUE, rows) if rows else {}


INDICATOR_TARGETS = "chi-tieu"  # beside an indicator's page, and its province's: the targets the page lists


def indicator_files(
    portal: Portal, kept: PlanChunks | None, view: IndicatorView, entries: list[IndicatorEntry], folder: str
) -> dict[str, bytes | Writer]:
    """`<folder>chi-tieu.csv|json` (folder: the page's): the indicator's targets `entries`, in the page's order, each
    row as the portal's table of every indicator (data/chi-so) has it; joined as that table is (a rebuild copies the
    rows of unchanged plans from the previous file: the page of an indicator is made again at any plan's edit)."""
    if not entries:
        return {}
    shares = [_indicator_share(portal, view, e) for e in entries]
    return _joined_table(kept, "chi-so", f"{folder}{INDICATOR_TARGETS}", _columns(portal, "chi-so"), shares)


# The tables with rows of each plan (the data package's plans.json groups them by plan) …
PLAN_ROWS = {
    "ke-hoach": lambda p: [plan_row(p)],
    "chi-tieu": target_rows,
    "kinh-phi": budget_rows,
    "can-cu": legal_basis_rows,
    "trach-nhiem": responsibility_rows,
}
# … every portal-wide table, in the data package's order: each is made of shares of rows, each share from
# one plan (_shares), which a rebuild takes from the previous build while the plan's unit is unchanged.
PORTAL_TABLES = (*PLAN_ROWS, "kiem-tra-so-lieu", "chi-so")
_PER_PLAN = {**PLAN_ROWS, "kiem-tra-so-lieu": discrepancy_rows, "ket-qua": result_rows}

# A share of a portal-wide table: (its id, unique in the table; the plan it comes from; its rows, made on demand)
Share = tuple[str, PlanView, Callable[[], Rows]]


def _shares(portal: Portal, stem: str) -> list[Share]:
    """A portal-wide table's shares, in its order: one per plan, or for the indicators one per plan's target."""
    made = portal.derived.setdefault("shares", {})
    if stem not in made:
        made[stem] = (
            [_indicator_share(portal, view, e) for view in portal.indicator_views for e in view.entries]
            if stem == "chi-so"
            else [(plan.id, plan, functools.partial(_rows, portal, stem, plan)) for plan in portal.plans]
        )
    return made[stem]


def _indicator_share(portal: Portal, view: IndicatorView, e: IndicatorEntry) -> Share:
    """A target's share of the table of every indicator (data/chi-so), and of its indicator's own (indicator_files)."""
    code = view.indicator.code
    return (
        f"{code}|{e.plan.id}|{e.number}",
        e.plan,
        functools.partial(_made, portal, ("chi-so", code, e.plan.id, e.number), indicator_rows, view, e),
    )


def _rows(portal: Portal, stem: str, plan: PlanView) -> Rows:
    """A plan's rows of a table (its CSV, its JSON and plans.json share them): see _made. In the national step,
    as its shard published them (read again for each file: the step holds no plan's rows for long)."""
    if plan.published is not None and stem in _PUBLISHED and (rows := _published(stem, plan.published)) is not None:
        return rows
    return _made(portal, (stem, plan.id), _PER_PLAN[stem], plan)


_PUBLISHED = {stem for stem, _label in PLAN_TABLES}  # the tables plan_files writes beside a plan's page


def _published(stem: str, folder: Path) -> Rows | None:
    """A plan's rows of a table as its page's folder in its shard holds them: the JSON file gives the rows back
    exactly (plain values, in order), and a table without rows has no file. None: no page there."""
    try:
        return json.loads((folder / f"{stem}.json").read_bytes())
    except FileNotFoundError:
        return [] if (folder / "index.html").is_file() else None


def _made(portal: Portal, key: tuple, make, *args) -> Rows:
    """make(*args), once per portal and only when asked for: a rebuild takes most shares from PlanChunks."""
    made = portal.derived.setdefault("rows", {})
    if key not in made:
        made[key] = make(*args)
    return made[key]


def _columns(portal: Portal, stem: str) -> list[str]:
    """The columns of a portal-wide table (every row of it has the same): those of its first share with rows."""
    return next((list(rows[0]) for _, _, rows_of in _shares(portal, stem) if (rows := rows_of())), [])


def to_csv(rows: Rows, columns: list[str] | None = None) -> bytes:
    columns = columns or (list(rows[0]) if rows else [])
    return _csv_file(columns, [_csv_lines(rows, columns)])


def as_files(name: str, rows: Rows) -> dict[str, bytes]:
    """`<name>.csv` and `<name>.json` (name: a site path without the extension), the same rows."""
    return {f"{name}.csv": to_csv(rows), f"{name}.json": to_json(rows)}


def to_json(rows: Rows) -> bytes:
    return (_json(rows) + "\n").encode("utf-8")


def _csv_lines(rows: Rows, columns: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if (v := row.get(c)) is None else csv_cell(v) for c in columns] for row in rows]
    )
    return buffer.getvalue()


# What a spreadsheet reads as the start of a formula (OWASP, CSV injection), fullwidth forms included.
_FORMULA_START = tuple("=+-@\t\r\n＝＋－＠")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs: text starting like a formula gets a leading «'»
    (OWASP's advice); numbers, text that is a plain number («-12.5») and a sign alone (the comparator «=», a «-»
    for none: nothing to run) stay as they are."""
    text = value.lstrip(" ") if isinstance(value, str) else ""
    if len(text) > 1 and text.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _csv_file(columns: list[str], lines: list[str]) -> bytes:
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(columns)
    # The BOM makes spreadsheet programs read Vietnamese as UTF-8.
    return ("\ufeff" + header.getvalue() + "".join(lines)).encode("utf-8")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _parts(shares: list[Share], make, published=None) -> list[tuple[str, str, Callable[[], object]]]:
    """What cache.PlanChunks takes of each share: its id, its plan's id, and a function giving make(its rows), or
    `published(plan)`, the share's text as the plan's shard published it (None: not published there)."""
    return [
        (share_id, plan.id, functools.partial(_apply, make, rows_of, published, plan))
        for share_id, plan, rows_of in shares
    ]


def _apply(make, rows_of, published=None, plan=None):
    if published is not None and (text := published(plan)) is not None:
        return text
    return make(rows_of())


def _published_text(plan: PlanView, name: str) -> str | None:
    """A file of the plan's tables as its shard published it beside its page ("" for a table without rows, which
    has no file); None: no page there (not the national step)."""
    if plan.published is None:
        return None
    try:
        return (plan.published / name).read_text("utf-8")
    except FileNotFoundError:
        return "" if (plan.published / "index.html").is_file() else None


def _published_json(stem: str, plan: PlanView) -> str | None:
    """The text of the plan's rows in a portal-wide JSON file: its own file's (to_json), without its brackets."""
    text = _published_text(plan, f"{stem}.json") if stem in _PUBLISHED else None
    return text[1:-2] if text else text


def _published_csv(stem: str, columns: list[str], plan: PlanView) -> str | None:
    """The plan's lines in a portal-wide CSV file: its own file's (to_csv), after its header, when that names the
    same columns (else None: made from its rows)."""
    text = _published_text(plan, f"{stem}.csv") if stem in _PUBLISHED else None
    if not text:
        return text
    header = _csv_file(columns, []).decode("utf-8")
    return text[len(header) :] if text.startswith(header) else None


Writer = Callable[[Path], None]


def _joined(
    kept: PlanChunks | None,
    name: str,
    shares: list[Share],
    text,
    *,
    head: bytes,
    sep: bytes = b"",
    tail: bytes = b"",
    published=None,
) -> Writer:
    """The portal-wide file at site path `name`: `head`, each share's text (`text(rows)`, or `published(plan)`:
    the national step joins the files the shards published) with `sep` between those not empty, `tail`; written
    where the page's worker puts it, from the text of the previous build where it is unchanged
    (cache.PlanChunks.splice)."""

    def write(out: Path) -> None:
        parts = _parts(shares, text, published)
        if kept is not None:
            kept.splice(name, out, parts, head=head, sep=sep, tail=tail)
        else:
            texts = (t for _, _, made in parts if (t := made()))
            out.write_bytes(head + sep.join(t.encode("utf-8") for t in texts) + tail)

    return write


def _table(portal: Portal, kept: PlanChunks | None, stem: str) -> dict[str, bytes | Writer]:
    """A portal-wide table as CSV and JSON, each file joining its shares' text."""
    columns = _columns(portal, stem)
    if not columns:
        return {f"data/{stem}.csv": to_csv([]), f"data/{stem}.json": to_json([])}
    return _joined_table(kept, stem, f"data/{stem}", columns, _shares(portal, stem))


def _joined_table(
    kept: PlanChunks | None, stem: str, name: str, columns: list[str], shares: list[Share]
) -> dict[str, bytes | Writer]:
    """`<name>.csv|json`: the shares' rows of the table `stem` under `columns`, each file joining their text."""
    csv_name, json_name = f"{name}.csv", f"{name}.json"
    return {
        csv_name: _joined(
            kept,
            csv_name,
            shares,
            lambda rows: _csv_lines(rows, columns),
            head=_csv_file(columns, []),
            published=functools.partial(_published_csv, stem, columns),
        ),
        json_name: _joined(
            kept,
            json_name,
            shares,
            lambda rows: _json(rows)[1:-1],
            head=b"[",
            sep=b",",
            tail=b"]\n",
            published=functools.partial(_published_json, stem),
        ),
    }


PROVINCE_DATA = "du-lieu/"  # beside a province's page: the tables of every plan of the province, a file each


def province_table_files(portal: Portal, kept: PlanChunks | None, province: UnitView) -> dict[str, bytes | Writer]:
    """`<province>/du-lieu/<table>.csv|json`: each table of a plan (PLAN_TABLES) over every plan of the province and
    its units, in the order of data/<table>: the portal's files hold every province's, megabytes past what a
    spreadsheet opens on a national portal. A table no plan of the province has has no file (what a province's shard
    knows: the same site built whole or by shard)."""
    plans = {plan.id for plan in province.all_plans}
    files: dict[str, bytes | Writer] = {}
    for stem, _label in province_tables(portal, province):  # the catalogue's distributions are these too
        shares = [share for share in _shares(portal, stem) if share[1].id in plans]
        files.update(_joined_table(kept, stem, f"{province.id}/{PROVINCE_DATA}{stem}", _columns(portal, stem), shares))
    return files


def province_tables(portal: Portal, province: UnitView) -> list[tuple[str, str]]:
    """(file stem, label) of the tables province_table_files writes for the province: those a plan of it has."""
    return [
        (stem, label)
        for stem, label in PLAN_TABLES
        if any(_has_rows(portal, stem, plan) for plan in province.all_plans)
    ]


def province_data_links(province: UnitView, page_files: list[str]) -> list[tuple[str, str]]:
    """(label, path from the province's page without the extension) of each table province_table_files wrote."""
    return [
        (label, f"{PROVINCE_DATA}{stem}")
        for stem, label in PLAN_TABLES
        if f"{province.id}/{PROVINCE_DATA}{stem}.csv" in page_files
    ]


def plan_file_links(plan: PlanView, page_files: list[str]) -> list[tuple[str, str]]:
    """(file name, label) of each of the plan's tables among the files written beside its page (plan_files)."""
    return [
        (f"{stem}.{ext}", f"{label} ({ext.upper()})")
        for stem, label in PLAN_TABLES
        for ext in ("csv", "json")
        if f"{plan.id}/{stem}.{ext}" in page_files
    ]


def plan_tables(portal: Portal, plan: PlanView) -> list[tuple[str, str]]:
    """(file stem, label) of the plan's tables that have rows: those plan_files writes beside its page."""
    return [(stem, label) for stem, label in PLAN_TABLES if _has_rows(portal, stem, plan)]


def _has_rows(portal: Portal, stem: str, plan: PlanView) -> bool:
    if (published := _published_json(stem, plan)) is not None:  # the national step: no need to read them
        return bool(published)
    return bool(_rows(portal, stem, plan))


def plan_files(portal: Portal, plan: PlanView) -> dict[str, bytes | Path]:
    """The plan's folder beside its page: each non-empty table as CSV and JSON, and the source text.
    Its rows are the ones the portal-wide tables take (_rows): a worker making both makes them once."""
    files: dict[str, bytes | Path] = {f"{plan.id}/{plan.source_file_name}": plan.source_path}
    for source in plan.result_sources:  # the kept copies of its results' sources, checked by their SHA-256
        if source.kept_path is not None:
            files[f"{plan.id}/{source.kept_name}"] = source.kept_path
    for stem, _label in PLAN_TABLES:
        if rows := _rows(portal, stem, plan):
            files.update(as_files(f"{plan.id}/{stem}", rows))
    return files


def table_files(portal: Portal, kept: PlanChunks | None, *stems: str) -> dict[str, bytes | Writer]:
    """`data/<stem>.csv|json` of the portal-wide tables named: each page carries the files of its tables,
    so the workers rendering different pages make different files."""
    files: dict[str, bytes | Writer] = {}
    for stem in stems:
        files.update(_table(portal, kept, stem))
    return files


# What data/plans.json gives each plan besides its row of ke-hoach: its tables, by field.
_ENTRY_TABLES = {
    "chi_tieu": "chi-tieu",
    "kinh_phi": "kinh-phi",
    "can_cu": "can-cu",
    "trach_nhiem": "trach-nhiem",
    "ket_qua": "ket-qua",
}


def package_files(portal: Portal, kept: PlanChunks | None = None) -> dict[str, bytes | Writer]:
    """The data package description and every plan with its tables in one JSON."""

    def entry(plan: PlanView) -> Rows:
        tables = {field: _rows(portal, stem, plan) for field, stem in _ENTRY_TABLES.items()}
        return [{**_rows(portal, "ke-hoach", plan)[0], **tables}]

    def published(plan: PlanView) -> str | None:
        """The national step's: the entry joined from the files the plan's shard published, as _json(entry)."""
        tables = {field: _published_json(stem, plan) for field, stem in _ENTRY_TABLES.items()}
        if None in tables.values():
            return None
        row = _json(_rows(portal, "ke-hoach", plan)[0])
        return row[:-1] + "".join(f',"{field}":[{text}]' for field, text in tables.items()) + "}"

    shares = [(plan.id, plan, functools.partial(entry, plan)) for plan in portal.plans]
    return {
        "data/datapackage.json": datapackage(portal, kept),
        "data/plans.json": _joined(
            kept,
            "data/plans.json",
            shares,
            lambda rows: _json(rows[0]),
            head=b"[",
            sep=b",",
            tail=b"]\n",
            published=published,
        ),
    }


TITLES = {
    "ke-hoach": "Văn bản kế hoạch",
    "chi-tieu": "Chỉ tiêu",
    "kinh-phi": "Các dòng kinh phí",
    "can-cu": "Căn cứ pháp lý",
    "trach-nhiem": "Phân công trách nhiệm",
    "kiem-tra-so-lieu": "Số cộng không khớp tổng các dòng",
    "chi-so": "Chỉ tiêu theo chỉ số",
}


def _field_type(values: list[object]) -> str:
    """A column's type from all its values at once: what the plans' evidence must combine to (tests/test_data.py)."""
    return _type_of(_evidence(values))


# What a column's values say of its type, as flags that combine across plans by "or" (_combined): a value
# present, one that is not an integer, one that is not a number (an integer or a number written as text),
# one written as text.
PRESENT, NOT_INTEGER, NOT_NUMBER, TEXT = 1, 2, 4, 8
Evidence = int


def _evidence(values: list[object]) -> Evidence:
    flags = 0
    for v in values:
        if v is None or v == "":
            continue
        flags |= PRESENT
        if not isinstance(v, int) or isinstance(v, bool):
            flags |= NOT_INTEGER
        if not (isinstance(v, (int, str)) and _is_number(v)):
            flags |= NOT_NUMBER
        if isinstance(v, str):
            flags |= TEXT
    return flags


def _combined(parts) -> Evidence:
    return functools.reduce(operator.or_, parts, 0)


def _type_of(evidence: Evidence) -> str:
    if evidence & PRESENT and not evidence & NOT_INTEGER:
        return "integer"
    if evidence & PRESENT and not evidence & NOT_NUMBER and evidence & TEXT:
        return "number"
    return "string"


def _is_number(value: object) -> bool:
    try:
        Decimal(str(value))
        return not isinstance(value, str) or value.replace(".", "", 1).lstrip("-").isdigit()
    except ArithmeticError:
        return False


def datapackage(portal: Portal, kept: PlanChunks | None = None) -> bytes:
    """A Frictionless Data Package describing the portal-wide CSV files."""
    columns = {stem: _columns(portal, stem) for stem in PORTAL_TABLES}
    indicator_rows_of: dict[str, list[Callable[[], Rows]]] = {}  # plan id → its shares of the indicators' table
    for _, plan, rows_of in _shares(portal, "chi-so"):
        indicator_rows_of.setdefault(plan.id, []).append(rows_of)

    def evidence(plan: PlanView) -> tuple[tuple[Evidence, ...], ...]:
        """What the plan's rows say of the type of each column of each table."""
        found = []
        for stem in PORTAL_TABLES:
            rows = (
                [r for rows_of in indicator_rows_of.get(plan.id, []) for r in rows_of()]
                if stem == "chi-so"
                else _rows(portal, stem, plan)
            )
            found.append(tuple(_evidence([r.get(c) for r in rows]) for c in columns[stem]))
        return tuple(found)

    # each plan's evidence, kept between builds like its text
    per_plan = kept_or_made(
        kept, "types", [(plan.id, plan.id, functools.partial(evidence, plan)) for plan in portal.plans]
    )
    resources = []
    for k, stem in enumerate(PORTAL_TABLES):
        types = [_type_of(_combined(plan[k][i] for plan in per_plan)) for i in range(len(columns[stem]))]
        resources.append(
            {
                "profile": "tabular-data-resource",
                "name": stem,
                "title": TITLES[stem],
                "path": f"{stem}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": [{"name": c, "type": t} for c, t in zip(columns[stem], types)]},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "cong-khai",
        "title": portal.config.portal_name,
        "description": portal.config.description,
        "homepage": str(portal.config.base_url),
        # the date targets' statuses (trang_thai) are computed at: an input of the build, never the clock
        **({"tinh_den": portal.as_of.isoformat()} if portal.as_of else {}),
        "licenses": [
            {
                "name": portal.config.licence.name,
                "path": str(portal.config.licence.url),
                "title": portal.config.licence.name,
            }
        ],
        "resources": resources,
        # the catalogue that describes this package for harvesters (outputs/catalogue.py)
        "dcat": {"path": "dcat.jsonld", "mediatype": "application/ld+json", "title": "Danh mục dữ liệu DCAT-AP 3"},
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

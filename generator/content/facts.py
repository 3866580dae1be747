"""What a validated plan states, summed: its budget tables' arithmetic (lines, groups, declared totals and
where they differ) and the facts that the checks across files and the views over many plans need
(PlanFacts). Drawn from the plan's schema model once, by validation, and kept with it by the load cache,
so that a rebuild reads the model only of the plans whose own pages it makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from generator.content import schema

if TYPE_CHECKING:
    pass

MILLION = Decimal(1_000_000)
PHASE_LABELS = {schema.BudgetPhase.planned: "Kinh phí dự kiến", schema.BudgetPhase.executed: "Kinh phí đã thực hiện"}
CURRENCY_LABELS = {schema.CurrencyUnit.dong: "đồng", schema.CurrencyUnit.million_dong: "triệu đồng"}

BUDGET_LEVEL_LABELS = {
    schema.BudgetLevel.province: "Cấp tỉnh",
    schema.BudgetLevel.district: "Cấp huyện",
    schema.BudgetLevel.commune: "Cấp xã",
}
STATUS_LABELS = {schema.LineStatus.new: "Mới", schema.LineStatus.continuing: "Chuyển tiếp"}


class Share(NamedTuple):
    """One row of a breakdown, in đồng: the figure shown (declared where the document declares one) and, where it
    differs, the sum of the lines beside it."""

    label: str
    amount: Decimal
    lines_sum: Decimal | None = None
    declared: bool = False


@dataclass
class Check:
    """A declared figure beside the sum of the lines it should total."""

    column: str
    declared: Decimal | None
    computed: Decimal

    @property
    def difference(self) -> Decimal | None:
        return None if self.declared is None else self.declared - self.computed

    @property
    def matches(self) -> bool:
        return self.declared is None or self.declared == self.computed


@dataclass
class GroupView:
    group: schema.BudgetGroup
    checks: list[Check]

    def check(self, column: str) -> Check | None:
        return next((c for c in self.checks if c.column == column), None)


@dataclass
class TableView:
    table: schema.BudgetTable
    groups: list[GroupView]
    total_checks: list[Check]
    currency_label: str
    phase_label: str

    @property
    def scale(self) -> Decimal:
        return MILLION if self.table.currency_unit is schema.CurrencyUnit.million_dong else Decimal(1)

    def in_dong(self, amount: Decimal) -> Decimal:
        return amount * self.scale

    @property
    def main_column(self) -> str:
        return self.table.columns[-1].key

    @property
    def total_dong(self) -> Decimal:
        """The table's total in đồng: the declared figure where the document gives one."""
        check = next(c for c in self.total_checks if c.column == self.main_column)
        return self.in_dong(check.declared if check.declared is not None else check.computed)

    @property
    def lines_dong(self) -> Decimal:
        """The sum of the table's lines in đồng (main column)."""
        check = next(c for c in self.total_checks if c.column == self.main_column)
        return self.in_dong(check.computed)

    def column_label(self, key: str) -> str:
        return next(c.label for c in self.table.columns if c.key == key)

    @staticmethod
    def line_details(line: schema.BudgetLine) -> list[tuple[str, str]]:
        details = [
            ("Loại chi", line.category),
            ("Cấp", line.level and BUDGET_LEVEL_LABELS[line.level]),
            ("Nguồn vốn", line.source_of_funds),
            ("Chủ trì", line.lead),
            ("Thời gian", line.period),
            ("Tính chất", line.status and STATUS_LABELS[line.status]),
            ("Hiệu quả / hiện trạng", line.effect),
            ("Ghi chú", line.note),
        ]
        return [(label, value) for label, value in details if value]

    def breakdown(self, by: str) -> list[tuple[str, Decimal]]:
        """The main column's lines summed by group, level, source of funds or category, in đồng."""
        totals: dict[str, Decimal] = {}
        for gv in self.groups:
            for line in gv.group.lines:
                label = {
                    "group": gv.group.name or "Không chia nhóm",
                    "level": BUDGET_LEVEL_LABELS[line.level] if line.level else "Không ghi cấp",
                    "source": line.source_of_funds or "Không ghi nguồn",
                    "category": line.category or "Không ghi loại chi",
                }[by]
                totals[label] = totals.get(label, Decimal(0)) + self.in_dong(
                    line.amounts.get(self.main_column, Decimal(0))
                )
        return list(totals.items())

    def by_category_code(self) -> list[tuple[str | None, Decimal]]:
        """The main column's lines summed by the portal's budget category (the line's code, else its group's;
        None: not classified), in đồng: what portal-wide roll-ups add up across plans."""
        totals: dict[str | None, Decimal] = {}
        for gv in self.groups:
            for line in gv.group.lines:
                code = line.category_code or gv.group.category_code
                totals[code] = totals.get(code, Decimal(0)) + self.in_dong(
                    line.amounts.get(self.main_column, Decimal(0))
                )
        return list(totals.items())

    def group_rows(self) -> list[Share]:
        """Each group's figure as the document declares it, with the sum of its lines beside it where they differ;
        a group that declares none shows the sum of its lines, said to be one."""
        rows = []
        for gv in self.groups:
            lines = sum((l.amounts.get(self.main_column, Decimal(0)) for l in gv.group.lines), Decimal(0))
            declared = gv.group.declared.get(self.main_column)
            label = " ".join(filter(None, (gv.group.code, gv.group.name))) or "Không chia nhóm"
            if declared is None:
                rows.append(Share(label, self.in_dong(lines), None, False))
            else:
                rows.append(
                    Share(label, self.in_dong(declared), None if declared == lines else self.in_dong(lines), True)
                )
        return rows

    @cached_property
    def summaries(self) -> list[tuple[str, str, list[Share]]]:
        """(key, heading, rows) for each breakdown the document gives: by group where the table has groups, and by
        level, source of funds or category only where its lines name them (otherwise it would repeat the groups)."""
        lines = [l for gv in self.groups for l in gv.group.lines]
        found = []
        if len(self.groups) > 1:
            found.append(("group", "Theo nhóm, như văn bản ghi", self.group_rows()))
        for key, heading, named in (
            ("category", "Theo loại chi, tổng các dòng", any(l.category for l in lines)),
            ("level", "Theo cấp, tổng các dòng", any(l.level for l in lines)),
            ("source", "Theo nguồn vốn, tổng các dòng", any(l.source_of_funds for l in lines)),
        ):
            if named and len(rows := self.breakdown(key)) > 1:
                found.append((key, heading, [Share(label, amount) for label, amount in rows]))
        return found

    @cached_property
    def discrepancies(self) -> list[tuple[str | None, Check]]:
        found = [((g.group.code or g.group.name), c) for g in self.groups for c in g.checks if not c.matches]
        return found + [(None, c) for c in self.total_checks if not c.matches]


@dataclass(frozen=True)
class Discrepancy:
    """A declared figure of a budget table that is not the sum of its lines, in đồng."""

    table_id: str
    table_title: str
    where: str | None  # the group's code or name; None: the table's total
    column: str
    column_label: str
    declared_dong: Decimal
    computed_dong: Decimal
    difference_dong: Decimal


class TableFacts(NamedTuple):
    """A budget table's figures for roll-ups over many plans, in đồng."""

    year: int
    phase_label: str
    total_dong: Decimal  # declared where the document declares a total, else the sum of the lines
    lines_dong: Decimal  # the sum of the lines
    categories: tuple[tuple[str | None, Decimal], ...]  # the lines summed by category code (budget_categories.yml)


@dataclass(frozen=True)
class TargetFacts:
    """What status and roll-ups need of a target (model/results), and the checks of its reported results."""

    number: int  # as shown on the plan page, from 1
    comparator: schema.Comparator | None
    value: Decimal | None
    unit: str | None
    parts: tuple[str, ...]
    deadline_year: int | None  # as the document states it, or the plan period's end where the editors infer it
    deadline_inferred: bool  # deadline_year is the period's end (deadline_from_period), not the document's words
    lead: str | None


class Baseline(NamedTuple):
    statement: str
    period: str | None


@dataclass(frozen=True)
class IndicatorTarget:
    """A target that measures a catalogued indicator, as the indicators' pages and table show it."""

    number: int  # as shown on the plan page, from 1
    code: str  # the indicator's code (indicators.yml)
    comparator: schema.Comparator | None
    value: Decimal | None
    unit: str | None
    scope: str | None
    deadline_year: int | None  # as the document states it (None where it states none)
    baseline: Baseline | None
    statement: str


@dataclass(frozen=True)
class PlanFacts:
    """What the views over many plans and the checks across files need of a plan: drawn from its validated
    model once (facts_of) and kept with it by the load cache, so that a rebuild reads the model only of the
    plans whose own pages it makes (PlanView.plan). Plain values: thousands are read by every build."""

    title: str
    kind: schema.PlanKind
    issuer: str
    number: str | None
    signed_date: str | None
    period: tuple[int, int, int | None]  # start, end, outlook
    source_file: str
    source_sha256: str
    original: tuple[str, str] | None  # the PDF or DOCX the source text was taken from: (file, SHA-256)
    reviews: str | None
    source_plans: tuple[tuple[tuple, str], ...]  # (where in the file, plan id) of each baseline from another plan
    signer: tuple[str, str] | None  # name, title
    indicator_targets: tuple[IndicatorTarget, ...]
    targets: tuple[TargetFacts, ...]
    budget_tables: tuple[TableFacts, ...]
    category_codes: tuple[tuple[tuple, str], ...]  # (where in the file, code) of each budget category code written
    discrepancies: tuple[Discrepancy, ...]


def facts_of(plan: schema.Plan) -> PlanFacts:
    tables = [table_view(t) for t in plan.budget_tables]
    source_plans = []
    for i, target in enumerate(plan.targets):
        if target.baseline and target.baseline.source_plan:
            source_plans.append((("targets", i, "baseline", "source_plan"), target.baseline.source_plan))
    return PlanFacts(
        plan.title,
        plan.kind,
        plan.issuer,
        plan.number,
        plan.signed_date,
        (plan.period.start, plan.period.end, plan.period.outlook),
        plan.source_document.file,
        plan.source_document.sha256,
        (o.file, o.sha256) if (o := plan.source_document.original) else None,
        plan.reviews,
        tuple(source_plans),
        (plan.signer.name, plan.signer.title) if plan.signer else None,
        tuple(
            IndicatorTarget(
                n,
                t.indicator_code,
                t.comparator,
                t.value,
                t.unit,
                t.scope,
                t.deadline_year,
                Baseline(t.baseline.statement, t.baseline.period) if t.baseline else None,
                t.statement,
            )
            for n, t in enumerate(plan.targets, 1)
            if t.indicator_code
        ),
        tuple(
            TargetFacts(
                n,
                t.comparator,
                t.value,
                t.unit,
                tuple(t.parts),
                plan.period.end if t.deadline_from_period else t.deadline_year,
                t.deadline_from_period,
                t.lead,
            )
            for n, t in enumerate(plan.targets, 1)
        ),
        tuple(
            TableFacts(t.table.year, t.phase_label, t.total_dong, t.lines_dong, tuple(t.by_category_code()))
            for t in tables
        ),
        tuple(
            (("budget_tables", i, "groups", g, *(("lines", n) if n is not None else ()), "category_code"), code)
            for i, table in enumerate(plan.budget_tables)
            for g, group in enumerate(table.groups)
            for n, code in [(None, group.category_code), *((n, l.category_code) for n, l in enumerate(group.lines))]
            if code
        ),
        tuple(
            Discrepancy(
                t.table.id,
                t.table.title,
                where,
                c.column,
                t.column_label(c.column),
                t.in_dong(c.declared),
                t.in_dong(c.computed),
                t.in_dong(c.difference),
            )
            for t in tables
            for where, c in t.discrepancies
        ),
    )


def _checks(columns: list[str], declared: dict[str, Decimal], lines: list[schema.BudgetLine]) -> list[Check]:
    return [
        Check(col, declared.get(col), sum((l.amounts.get(col, Decimal(0)) for l in lines), Decimal(0)))
        for col in columns
    ]


def table_view(table: schema.BudgetTable) -> TableView:
    columns = [c.key for c in table.columns]
    groups = [GroupView(g, _checks(columns, g.declared, g.lines) if g.declared else []) for g in table.groups]
    all_lines = [l for g in table.groups for l in g.lines]
    return TableView(
        table,
        groups,
        _checks(columns, table.declared_total, all_lines),
        CURRENCY_LABELS[table.currency_unit],
        PHASE_LABELS[table.phase],
    )

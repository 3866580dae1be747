"""The model computes sums, breakdowns and statuses; it never overwrites a declared figure."""

from __future__ import annotations

from decimal import Decimal

from generator.content import schema
from generator.content.facts import table_view


def table(**overrides):
    data = {
        "id": "t",
        "title": "Bảng",
        "year": 2023,
        "phase": "du-kien",
        "currency_unit": "trieu-dong",
        "columns": [{"key": "tong", "label": "Tổng mức"}, {"key": "kp", "label": "Kinh phí"}],
        "groups": [
            {
                "code": "I",
                "name": "Hạ tầng",
                "declared": {"tong": Decimal("601.586"), "kp": Decimal("20")},
                "lines": [
                    {
                        "name": "Máy tính",
                        "level": "huyen",
                        "source_of_funds": "Ngân sách huyện",
                        "amounts": {"tong": Decimal("329.586"), "kp": Decimal("10")},
                    },
                    {
                        "name": "Đường truyền",
                        "level": "xa",
                        "source_of_funds": "Ngân sách huyện",
                        "amounts": {"tong": Decimal("201.519636"), "kp": Decimal("10")},
                    },
                ],
            },
            {
                "code": "II",
                "name": "Ứng dụng",
                "lines": [
                    {
                        "name": "Cổng",
                        "category": "Ứng dụng",
                        "level": "huyen",
                        "source_of_funds": "Ngân sách tỉnh",
                        "amounts": {"kp": Decimal("5")},
                    }
                ],
            },
        ],
        "declared_total": {"kp": Decimal("25")},
    }
    data.update(overrides)
    return table_view(schema.BudgetTable.model_validate(data))


def test_group_checks_keep_declared_and_compute_lines():
    tv = table()
    group = tv.groups[0]
    assert group.check("tong").declared == Decimal("601.586")
    assert group.check("tong").computed == Decimal("531.105636")
    assert group.check("tong").difference == Decimal("70.480364")
    assert group.check("kp").matches
    assert tv.groups[1].checks == []  # no declared subtotal: nothing to check
    assert [(where, c.column, c.difference) for where, c in tv.discrepancies] == [("I", "tong", Decimal("70.480364"))]


def test_total_in_dong_uses_declared_figure_of_main_column():
    tv = table()
    assert tv.main_column == "kp"
    assert tv.total_dong == Decimal("25000000")
    assert tv.in_dong(Decimal("201.519636")) == Decimal("201519636")
    # without a declared total, the sum of the lines
    assert table(declared_total={}).total_dong == Decimal("25000000")


def test_breakdowns_by_level_source_and_category():
    tv = table()
    assert tv.breakdown("level") == [("Cấp huyện", Decimal("15000000")), ("Cấp xã", Decimal("10000000"))]
    assert tv.breakdown("source") == [("Ngân sách huyện", Decimal("20000000")), ("Ngân sách tỉnh", Decimal("5000000"))]
    # lines without a category are said to have none (not filed under their group: that repeated the groups)
    assert tv.breakdown("category") == [("Không ghi loại chi", Decimal("20000000")), ("Ứng dụng", Decimal("5000000"))]
    assert [key for key, _, _ in tv.summaries] == ["group", "category", "level", "source"]


def test_group_breakdown_shows_declared_subtotals_with_the_lines_sum_beside():
    # main column «tong»: group I declares 601,586 triệu, its lines add up to 531,105636 (Đức Cơ's case)
    tv = table(columns=[{"key": "kp", "label": "Kinh phí"}, {"key": "tong", "label": "Tổng mức"}])
    first, second = dict((key, rows) for key, _, rows in tv.summaries)["group"]
    assert (first.label, first.amount, first.lines_sum, first.declared) == (
        "I Hạ tầng",
        Decimal("601586000"),
        Decimal("531105636"),
        True,
    )
    assert (second.amount, second.lines_sum, second.declared) == (Decimal(0), None, False)  # declares none: the sum


def test_a_breakdown_is_shown_only_for_a_dimension_the_document_gives():
    tv = table()
    for gv in tv.groups:
        for line in gv.group.lines:
            line.category = line.level = line.source_of_funds = None
    tv.__dict__.pop("summaries", None)
    assert [key for key, _, _ in tv.summaries] == ["group"]


def test_an_indicator_chart_shows_the_highest_levels_and_the_table_all_of_them():
    from types import SimpleNamespace

    from generator.content.facts import IndicatorTarget
    from generator.model.views import CHART_BARS, IndicatorEntry, IndicatorView

    def target(value):
        return IndicatorTarget(1, "x", None, value, None, None, None, None, "")

    def plan(n):
        return SimpleNamespace(unit=SimpleNamespace(unit=SimpleNamespace(name=f"Huyện {n}")), year=2023)

    # entries as the portal sorts them: highest level first, those without a level last
    entries = [IndicatorEntry(plan(n), target(Decimal(100 - n))) for n in range(CHART_BARS + 5)]
    entries.append(IndicatorEntry(plan(99), target(None)))
    view = IndicatorView(None, entries)
    assert len(view.levels) == CHART_BARS + 5
    assert [(r.label, r.amount) for r in view.chart_rows] == [
        (f"Huyện {n}, văn bản 2023", Decimal(100 - n)) for n in range(CHART_BARS)
    ]
    assert view.chart_plans == [e.plan for e in entries[:CHART_BARS]]

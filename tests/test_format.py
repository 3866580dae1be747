"""Vietnamese number, money and date formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.outputs import format as fmt
from generator.outputs.charts import bar_chart


@pytest.mark.parametrize(
    "value, text",
    [
        (1545000000, "1.545.000.000"),
        (Decimal("329.586"), "329,586"),
        (Decimal("201.519636"), "201,519636"),
        (0, "0"),
        (Decimal("-9000000"), "-9.000.000"),
        (Decimal("12.50"), "12,5"),
        (999, "999"),
        (1000, "1.000"),
    ],
)
def test_number(value, text):
    assert fmt.number(value) == text


def test_money_and_short_money():
    assert fmt.money(1545000000) == "1.545.000.000 đồng"
    assert fmt.money_short(1545000000) == "1,545 tỷ đồng"
    assert fmt.money_short(565300000) == "565,3 triệu đồng"
    assert fmt.money_short(50000) == "50.000 đồng"
    # a figure shortened in words says so, never stands for the exact amount
    assert fmt.money_short(531105636) == "khoảng 531,106 triệu đồng"
    assert fmt.money_short(1374306000) == "khoảng 1,374 tỷ đồng"


def test_iso_dates_for_data():
    import datetime as dt

    assert fmt.iso_date("26/4/2024") == "2024-04-26"
    assert fmt.iso_date("11/2022") == "2022-11"
    assert fmt.iso_date("2022") == "2022"
    assert fmt.iso_date(dt.date(2020, 1, 5)) == "2020-01-05"
    assert fmt.iso_date(None) is None


def test_dates():
    assert fmt.date(dt.date(2021, 10, 22)) == "22/10/2021"
    assert fmt.date(None) == "không rõ"
    assert fmt.partial_date("11/2022") == "tháng 11/2022 (không ghi ngày)"
    assert fmt.partial_date("5/3/2023") == "05/03/2023"
    assert fmt.partial_date(None) == "không rõ"


def test_bar_chart_names_itself_and_gives_its_figures_as_text():
    chart = str(bar_chart([("Cấp huyện", Decimal(750000000)), ("Cấp xã", Decimal(795000000))], "Theo cấp", "c1"))
    assert chart.startswith('<div class="ck-chart" role="img" aria-labelledby="c1-t c1-d"')
    assert '<p class="ck-chart-title" id="c1-t">Theo cấp</p>' in chart
    assert 'id="c1-d">Cấp huyện: 750 triệu đồng; Cấp xã: 795 triệu đồng</p>' in chart
    assert "<script" not in chart and "<svg" not in chart
    widths = [Decimal(w) for w in __import__("re").findall(r"width:([\d.]+)%", chart)]
    assert widths == [Decimal("94.3"), Decimal("100.0")]
    # labels and values are page text, not drawing: they keep the body's size on a phone
    assert (
        '<span class="ck-bar-label">Cấp huyện</span>' in chart
        and '<span class="ck-bar-value">795 triệu đồng</span>' in chart
    )

"""Vietnamese number, money and date formatting."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator import format as fmt
from generator.charts import bar_chart


@pytest.mark.parametrize("value, text", [
    (1545000000, "1.545.000.000"), (Decimal("329.586"), "329,586"), (Decimal("201.519636"), "201,519636"),
    (0, "0"), (Decimal("-9000000"), "-9.000.000"), (Decimal("12.50"), "12,5"), (999, "999"), (1000, "1.000"),
])
def test_number(value, text):
    assert fmt.number(value) == text


def test_money_and_short_money():
    assert fmt.money(1545000000) == "1.545.000.000 đồng"
    assert fmt.money_short(1545000000) == "1,545 tỷ đồng"
    assert fmt.money_short(565300000) == "565,3 triệu đồng"
    assert fmt.money_short(50000) == "50.000 đồng"


def test_dates():
    assert fmt.date(dt.date(2021, 10, 22)) == "22/10/2021"
    assert fmt.date(None) == "không rõ"
    assert fmt.partial_date("11/2022") == "tháng 11/2022 (không ghi ngày)"
    assert fmt.partial_date("5/3/2023") == "05/03/2023"
    assert fmt.partial_date(None) == "không rõ"


def test_bar_chart_is_accessible_svg_with_the_same_figures():
    svg = str(bar_chart([("Cấp huyện", Decimal(750000000)), ("Cấp xã", Decimal(795000000))], "Theo cấp", "c1"))
    assert svg.startswith('<svg class="ck-chart" role="img" aria-labelledby="c1-t c1-d"')
    assert '<title id="c1-t">Theo cấp</title>' in svg
    assert '<desc id="c1-d">Cấp huyện: 750 triệu đồng; Cấp xã: 795 triệu đồng</desc>' in svg
    assert svg.count("<rect") == 2 and "<script" not in svg
    widths = [int(w) for w in __import__("re").findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths[1] == 360 and widths[0] == int(750 / 795 * 360)

"""Vietnamese formatting, used by templates as filters and by data exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def number(value: Decimal | int | None) -> str:
    """1545000000 → "1.545.000.000"; Decimal("329.586") → "329,586"."""
    if value is None:
        return ""
    d = Decimal(value)
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def money(value_dong: Decimal | int | None) -> str:
    return "" if value_dong is None else f"{number(value_dong)} đồng"


def money_short(value_dong: Decimal | int | None) -> str:
    """A large sum in words a citizen reads at a glance: "1,545 tỷ đồng"; "khoảng 531,106 triệu đồng" where the
    three decimals shorten it (531.105.636 đồng)."""
    if value_dong is None:
        return ""
    d = Decimal(value_dong)
    for scale, word in ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu")):
        if abs(d) >= scale:
            short = (d / scale).quantize(Decimal("0.001"))
            return f"{'' if short * scale == d else 'khoảng '}{number(short)} {word} đồng"
    return money(d)


def date(value: dt.date | str | None) -> str:
    if value is None:
        return "không rõ"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def iso_date(value: dt.date | str | None) -> str | None:
    """ISO 8601 for data files: a date, or a partial date as far as it is known ("11/2022" → "2022-11")."""
    if value is None or isinstance(value, dt.date):
        return value.isoformat() if value else None
    parts = [int(p) for p in value.split("/")]
    return "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(reversed(parts)))


def partial_date(value: str | None) -> str:
    """A signing date the document gives in part: "11/2022" → "tháng 11/2022 (không ghi ngày)"."""
    if not value:
        return "không rõ"
    return time_point(value) + ("", " (không ghi ngày)", " (không ghi ngày, tháng)")[2 - value.count("/")]


def time_point(value: str | None) -> str:
    """The time a result speaks of, as the content gives it: "31/12/2025", "tháng 12/2025", "năm 2025"."""
    if not value:
        return "không rõ"
    parts = value.split("/")
    if len(parts) == 3:
        return f"{int(parts[0]):02d}/{int(parts[1]):02d}/{parts[2]}"
    if len(parts) == 2:
        return f"tháng {int(parts[0]):02d}/{parts[1]}"
    return f"năm {value}"


def comparator_value(comparator, value, unit) -> str:
    if comparator is None:
        return "Định tính"
    unit_text = "" if not unit else (unit if unit == "%" else f" {unit}")
    return f"{comparator.value} {number(value)}{unit_text}"

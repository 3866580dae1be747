"""Static, accessible SVG bar charts (no script, no external request).

A chart is drawn from rows the model already computed; the page shows the
same figures as a table beside it, and the SVG carries a title and a text
description for screen readers.
"""
from __future__ import annotations

import html
from decimal import Decimal

from markupsafe import Markup

from . import format as fmt

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
BAR_AREA = 360
VALUE_WIDTH = 170


def bar_chart(rows: list[tuple[str, Decimal]], title: str, chart_id: str, unit: str | None = None) -> Markup:
    """Amounts in đồng by default; with `unit`, plain values such as target levels in %."""
    value_format = fmt.money_short if unit is None else (lambda v: f"{fmt.number(v)}{'' if unit == '%' else ' '}{unit}")
    if not rows:
        return Markup("")
    largest = max((abs(v) for _, v in rows), default=Decimal(0)) or Decimal(1)
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    desc = "; ".join(f"{label}: {value_format(value)}" for label, value in rows)
    # Left out of the search index: the table beside it has the same figures, and its labels, read as one run
    # of text, gave d-spellings that are not words («dồngHạ»: one bar's value, the next bar's label).
    parts = [f'<svg class="ck-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" data-pagefind-ignore>',
             f'<title id="{chart_id}-t">{html.escape(title)}</title>', f'<desc id="{chart_id}-d">{html.escape(desc)}</desc>']
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        bar = int((abs(value) / largest) * BAR_AREA) if value else 0
        short = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" class="ck-chart-label">{html.escape(short)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(bar, 1)}" height="{BAR_HEIGHT}" class="ck-chart-bar"/>')
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 16}" class="ck-chart-value">{html.escape(value_format(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

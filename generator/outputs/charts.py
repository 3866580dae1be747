"""Static, accessible bar charts drawn in HTML and CSS (no script, no external request).

A chart is drawn from rows the model already computed; the page shows the same figures as a table beside it.
Its labels and values are the page's own text, so they stay as large as the body text on a phone (an SVG
scaled to a 390-pixel screen had 5-pixel labels) and print as they read; screen readers get a title and a
text description instead of the bars.
"""

from __future__ import annotations

import html
from decimal import Decimal

from markupsafe import Markup

from generator.outputs import format as fmt


def bar_chart(rows: list, title: str, chart_id: str, unit: str | None = None) -> Markup:
    """Rows of (label, value, …) (model.Share); amounts in đồng by default; with `unit`, plain values such as
    target levels in %."""
    rows = [(row[0], row[1]) for row in rows]
    value_format = fmt.money_short if unit is None else (lambda v: f"{fmt.number(v)}{'' if unit == '%' else ' '}{unit}")
    if not rows:
        return Markup("")
    largest = max((abs(v) for _, v in rows), default=Decimal(0)) or Decimal(1)
    desc = "; ".join(f"{label}: {value_format(value)}" for label, value in rows)
    e = html.escape
    # Left out of the search index: the table beside it has the same figures.
    parts = [
        f'<div class="ck-chart" role="img" aria-labelledby="{e(chart_id)}-t {e(chart_id)}-d" data-pagefind-ignore>',
        f'<p class="ck-chart-title" id="{e(chart_id)}-t">{e(title)}</p>',
        f'<p class="ck-visually-hidden" id="{e(chart_id)}-d">{e(desc)}</p>',
        '<div class="ck-bars" aria-hidden="true">',
    ]
    for label, value in rows:
        share = (abs(value) / largest * 100).quantize(Decimal("0.1")) if value else Decimal(0)
        parts.append(
            f'<div class="ck-bar"><span class="ck-bar-label">{e(label)}</span>'
            f'<span class="ck-bar-track"><span class="ck-bar-fill" style="width:{share}%"></span></span>'
            f'<span class="ck-bar-value">{e(value_format(value))}</span></div>'
        )
    parts.append("</div></div>")
    return Markup("".join(parts))

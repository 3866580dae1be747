"""Widgets other sites embed: a plan's targets with their status, and its budget summary.

Each is a standalone HTML page beside the plan's (`<plan>/nhung/chi-tieu.html`, `<plan>/nhung/kinh-phi.html`), with
no site chrome and no script: its own small template and inline CSS, under MAX_BYTES, in Vietnamese, working in an
iframe (nothing stops framing; links open the plan in the embedding page's window, target="_top") and linking
back to the plan. The plan page offers the iframe snippet for each (`snippets`).
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from generator.model.views import PlanView, Portal
from generator.outputs.feeds import base_url

FOLDER = "nhung/"  # beside the plan's page
MAX_BYTES = 40 * 1024  # what a widget weighs at most (tests/test_embeds.py)
# A plan of a hundred targets lists them all within MAX_BYTES only in short: its rows at most (the counts by status
# always cover all of them; the rest are on the plan's page, linked), each statement cut at STATEMENT_CHARS.
MAX_TARGET_ROWS = 60
STATEMENT_CHARS = 110


@dataclass(frozen=True)
class Widget:
    slug: str  # its file: <plan>/nhung/<slug>.html
    label: str
    template: str
    height: int  # the iframe's height the snippet suggests, in CSS pixels

    def path(self, plan: PlanView) -> str:
        return f"{plan.url}{FOLDER}{self.slug}.html"


TARGETS = Widget("chi-tieu", "Chỉ tiêu và trạng thái", "embeds/targets.html.j2", 480)
BUDGET = Widget("kinh-phi", "Kinh phí", "embeds/budget.html.j2", 320)


def widgets(plan: PlanView) -> list[Widget]:
    """The widgets a plan has: targets when it sets any, a budget when its document gives a budget table."""
    return [w for w, has in ((TARGETS, bool(plan.facts.targets)), (BUDGET, bool(plan.facts.budget_tables))) if has]


def files(portal: Portal, plan: PlanView, env: jinja2.Environment) -> dict[str, bytes]:
    """Each of the plan's widgets, rendered with the page templates' environment (`env`: filters, _macros.j2)."""
    made = {}
    for widget in widgets(plan):
        folder = plan.url + FOLDER
        html = env.get_template(widget.template).render(
            portal=portal,
            plan=plan,
            page_url=folder,  # relative links from the widget's folder: "../" is the plan
            widget=widget,
            max_rows=MAX_TARGET_ROWS,
            statement_chars=STATEMENT_CHARS,
        )
        made[widget.path(plan)] = html.encode("utf-8")
    return made


@dataclass(frozen=True)
class Snippet:
    widget: Widget
    url: str  # the widget's absolute address
    code: str  # the iframe to paste (HTML, shown as text on the plan page)


def snippets(portal: Portal, plan: PlanView) -> list[Snippet]:
    """The iframe code for each of the plan's widgets, with its absolute address (site_config.yml base_url) and a
    title naming the plan (an iframe's accessible name)."""
    from markupsafe import escape

    found = []
    for widget in widgets(plan):
        url = base_url(portal) + widget.path(plan)
        title = f"{widget.label}: {plan.display_title}"
        code = (
            f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{widget.height}" '
            'style="border:0;max-width:40rem" loading="lazy"></iframe>'
        )
        found.append(Snippet(widget, url, code))
    return found

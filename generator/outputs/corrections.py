"""The «Đính chính» page and its Atom feed: the corrections made to published content, newest first.

A correction is a change that altered what a plan had published (model/history: `Change.amends`; not its first
publication, not results merely added): its date, the plan, what changed (the fields history names) and why (the
editor's `Lý do:`). The amended Law on Access to Information asks that corrected information be published; the plan's
history page keeps every change with its full diff, and each correction links to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from generator.incremental.store import PlanChunks
from generator.model.history import Change
from generator.model.views import PlanView, Portal
from generator.outputs import downloads
from generator.outputs.feeds import FALLBACK_DATE, FEED_ENTRIES, FEED_NAME, atom_date, base_url, summary_words, xml_attr
from generator.outputs.spec import PageSpec

URL = "dinh-chinh/"
TITLE = "Đính chính"
# The corrections the page lists at most, newest first; older ones stay on each plan's history page.
PAGE_LIMIT = 200


@dataclass(frozen=True)
class Correction:
    plan: PlanView
    number: int  # the change's number on the plan's history page (its anchor: lich-su/#lan-<number>)
    change: Change

    @property
    def history_url(self) -> str:
        """The change on the plan's history page, with its diff (site-relative)."""
        return f"{self.plan.url}lich-su/#lan-{self.number}"

    @property
    def date(self) -> dt.date:
        return self.change.date


def corrections(portal: Portal) -> list[Correction]:
    """Every correction of the portal, newest first (then by plan, then the later change of a plan first)."""
    found = [Correction(plan, n, c) for plan in portal.plans for n, c in plan.history.corrections]
    found.sort(key=lambda c: (c.date, c.plan.id, c.number), reverse=True)
    return found


def atom(portal: Portal, found: list[Correction]) -> str:
    """The corrections' Atom feed: one entry per correction, its id the change's place on the plan's history page."""
    base = base_url(portal)
    config = portal.config
    shown = found[:FEED_ENTRIES]
    updated = max((c.date for c in shown), default=FALLBACK_DATE)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(f'{TITLE}: {config.portal_name}')}</title>",
        "<subtitle>Các đính chính nội dung đã công bố: ngày, văn bản, nội dung sửa và lý do</subtitle>",
        f'<link rel="alternate" type="text/html" href="{xml_attr(base + URL)}"/>',
        f'<link rel="self" type="application/atom+xml" href="{xml_attr(base + URL + FEED_NAME)}"/>',
        f"<id>{escape(base + URL)}</id>",
        f"<updated>{atom_date(updated)}</updated>",
        f"<author><name>{escape(config.managing_agency.name)}</name></author>",
    ]
    for c in shown:
        url = base + c.history_url
        reason = f"Lý do: {c.change.reason}" if c.change.editorial else c.change.reason
        out += [
            "<entry>",
            f"<title>{escape(f'{TITLE}: {c.plan.display_title}')}</title>",
            f'<link rel="alternate" type="text/html" href="{xml_attr(url)}"/>',
            f'<link rel="related" type="text/html" href="{xml_attr(base + c.plan.url)}"/>',
            f"<id>{escape(url)}</id>",
            f"<updated>{atom_date(c.date)}</updated>",
            f"<summary>{escape(reason + summary_words(c.change, limit=len(c.change.summary)))}.</summary>",
            f'<category term="{xml_attr(c.plan.unit.province.unit.name)}"/>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def pages(portal: Portal, kept: PlanChunks | None = None) -> list[PageSpec]:
    """The «Đính chính» page, drawn from every plan's history (rendered at every build), with its feed beside it."""
    found = corrections(portal)
    return [
        PageSpec(
            f"{URL}index.md",
            "corrections.html.j2",
            TITLE,
            None,
            {"corrections": found[:PAGE_LIMIT], "total": len(found), "limit": PAGE_LIMIT},
            lambda: {
                URL + FEED_NAME: atom(portal, found).encode("utf-8"),
                # every correction, the page's PAGE_LIMIT and those before
                **downloads.change_files(
                    [downloads.change_row(c.plan, c.number, c.change) for c in found], URL + downloads.CORRECTIONS
                ),
            },
        )
    ]

"""Feeds for machines: Atom feed of plans (new and changed) and robots.txt.

Both are views over the model; dates come from Git history, so the same
content and history give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from generator.model.history import Change
from generator.model.views import Portal

FALLBACK_DATE = dt.date(2020, 1, 1)
FEED_SUMMARY = 3  # the fields changed that an entry names at most


def _attr(text: str) -> str:
    """Text for an XML attribute in double quotes: saxutils.escape leaves «"» as it is."""
    return escape(text, {'"': "&quot;"})


def _iso(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00+07:00"


def atom(portal: Portal) -> str:
    base = str(portal.config.base_url).rstrip("/") + "/"
    plans = sorted(portal.plans, key=lambda p: (p.history.last_changed or FALLBACK_DATE, p.id), reverse=True)
    updated = max((p.history.last_changed or FALLBACK_DATE for p in plans), default=FALLBACK_DATE)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(portal.config.portal_name)}</title>",
        f"<subtitle>{escape(portal.config.description)}</subtitle>",
        f'<link rel="alternate" href="{_attr(base)}"/>',
        f'<link rel="self" href="{_attr(base)}feed.xml"/>',
        f"<id>{escape(base)}</id>",
        f"<updated>{_iso(updated)}</updated>",
        f"<author><name>{escape(portal.config.managing_agency.name)}</name></author>",
    ]
    for plan in plans:
        h = plan.history
        what = _what(h.changes)
        url = base + plan.url
        out += [
            "<entry>",
            f"<title>{escape(plan.display_title)}</title>",
            f'<link rel="alternate" href="{_attr(url)}"/>',
            f"<id>{escape(url)}</id>",
            f"<published>{_iso(h.published or FALLBACK_DATE)}</published>",
            f"<updated>{_iso(h.last_changed or FALLBACK_DATE)}</updated>",
            f"<summary>{escape(f'{plan.title}. {plan.kind_label} của {plan.issuer}, {plan.period_label.lower()}.')}"
            f" {escape(what)}.</summary>",
            f'<category term="{_attr(plan.unit.province.unit.name)}"/>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _what(changes: list[Change]) -> str:
    """The last change in citizens' words: the editor's reason (never the commit's message) and the first fields
    it changed."""
    if not changes:
        return "Chưa ghi nhận lịch sử"
    if len(changes) == 1:
        return "Công bố lần đầu"
    last = changes[-1]
    what = f"Cập nhật: {last.reason}" if last.editorial else last.reason
    if last.summary:
        what += (
            " (" + "; ".join(last.summary[:FEED_SUMMARY]) + ("; …" if len(last.summary) > FEED_SUMMARY else "") + ")"
        )
    return what


def robots(portal: Portal) -> str:
    base = str(portal.config.base_url).rstrip("/") + "/"
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


def sitemap(portal: Portal, urls: list[str]) -> str:
    base = str(portal.config.base_url).rstrip("/") + "/"
    entries = "".join(f"<url><loc>{escape(base + url)}</loc></url>\n" for url in sorted(urls))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )


def sitemap_files(portal: Portal, urls: list[str]) -> dict[str, bytes]:
    return {"sitemap.xml": sitemap(portal, urls).encode("utf-8")}


def files(portal: Portal) -> dict[str, bytes]:
    return {"feed.xml": atom(portal).encode("utf-8"), "robots.txt": robots(portal).encode("utf-8")}

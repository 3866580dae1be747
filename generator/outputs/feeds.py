"""Feeds for machines: Atom feeds of plans (the portal's, each unit's and province's, each agency's, the
corrections'), sitemap.xml and robots.txt.

Each is a view over the model; dates come from Git history (never the clock), so the same content and history give
the same bytes. An entry says what happened to a plan last in citizens' words: published, its content changed, new
results reported, with the editor's reason (the `Lý do:` trailer, model/history), never a commit's message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from generator.model.agencies import AgencyView
from generator.model.history import Change
from generator.model.views import PlanView, Portal, UnitView, unit_label

FALLBACK_DATE = dt.date(2020, 1, 1)
FEED_SUMMARY = 3  # the fields changed that an entry names at most
FEED_NAME = "feed.xml"  # beside the page a feed follows: <unit url>feed.xml, co-quan/<…>/feed.xml
# The entries of a feed at most, most recently changed first: a province of a national portal has a thousand plans;
# a reader polls the feed and keeps what it saw.
FEED_ENTRIES = 100

# What happened to a plan last: an entry's category term and label.
PUBLISHED, CHANGED, RESULTS, UNKNOWN = "cong-bo", "cap-nhat", "ket-qua-moi", "chua-ghi-nhan"
EVENT_LABELS = {
    PUBLISHED: "Công bố lần đầu",
    CHANGED: "Cập nhật nội dung",
    RESULTS: "Kết quả mới",
    UNKNOWN: "Chưa ghi nhận lịch sử",
}


def xml_attr(text: str) -> str:
    """Text for an XML attribute in double quotes: saxutils.escape leaves «"» as it is."""
    return escape(text, {'"': "&quot;"})


def atom_date(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00+07:00"


def base_url(portal: Portal) -> str:
    return str(portal.config.base_url).rstrip("/") + "/"


@dataclass(frozen=True)
class FeedInfo:
    """What a feed is about: its title and subtitle, the page it follows and where it is (site-relative URLs)."""

    title: str
    subtitle: str
    page: str  # the page's directory URL ("" for the home page)
    path: str  # the feed's site path


def event(changes: list[Change]) -> str:
    """What happened to a plan last: PUBLISHED, CHANGED, RESULTS (new results only) or UNKNOWN (no history)."""
    if not changes:
        return UNKNOWN
    if len(changes) == 1:
        return PUBLISHED
    last = changes[-1]
    return RESULTS if last.results_only and not last.amends else CHANGED


def atom(portal: Portal, plans: list[PlanView] | None = None, info: FeedInfo | None = None) -> str:
    """The Atom feed of `plans` (by default every plan of the portal): one entry per plan, the most recently changed
    first (FEED_ENTRIES at most), its id the plan page's address and its date the plan's last change."""
    base = base_url(portal)
    config = portal.config
    info = info or FeedInfo(config.portal_name, config.description, "", FEED_NAME)
    plans = sorted(
        portal.plans if plans is None else plans,
        key=lambda p: (p.history.last_changed or FALLBACK_DATE, p.id),
        reverse=True,
    )[:FEED_ENTRIES]
    updated = max((p.history.last_changed or FALLBACK_DATE for p in plans), default=FALLBACK_DATE)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(info.title)}</title>",
        f"<subtitle>{escape(info.subtitle)}</subtitle>",
        f'<link rel="alternate" type="text/html" href="{xml_attr(base + info.page)}"/>',
        f'<link rel="self" type="application/atom+xml" href="{xml_attr(base + info.path)}"/>',
        f"<id>{escape(base + info.page)}</id>",
        f"<updated>{atom_date(updated)}</updated>",
        f"<author><name>{escape(config.managing_agency.name)}</name></author>",
    ]
    for plan in plans:
        h = plan.history
        kind = event(h.changes)
        url = base + plan.url
        out += [
            "<entry>",
            f"<title>{escape(plan.display_title)}</title>",
            f'<link rel="alternate" type="text/html" href="{xml_attr(url)}"/>',
        ]
        if kind in (CHANGED, RESULTS):  # the change itself, with its diff, on the plan's history page
            out.append(
                f'<link rel="related" type="text/html" href="{xml_attr(f"{url}lich-su/#lan-{len(h.changes)}")}"/>'
            )
        out += [
            f"<id>{escape(url)}</id>",
            f"<published>{atom_date(h.published or FALLBACK_DATE)}</published>",
            f"<updated>{atom_date(h.last_changed or FALLBACK_DATE)}</updated>",
            f"<summary>{escape(f'{plan.title}. {plan.kind_label} của {plan.issuer}, {plan.period_label.lower()}.')}"
            f" {escape(_what(h.changes))}.</summary>",
            f'<category term="{xml_attr(plan.unit.province.unit.name)}"/>',
            f'<category term="{kind}" label="{xml_attr(EVENT_LABELS[kind])}"/>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _what(changes: list[Change]) -> str:
    """The last change in citizens' words: the editor's reason (never the commit's message) and the first fields
    or results it changed."""
    kind = event(changes)
    if kind in (UNKNOWN, PUBLISHED):
        return EVENT_LABELS[kind]
    last = changes[-1]
    if kind == RESULTS:
        what = EVENT_LABELS[RESULTS] + (f": {last.reason}" if last.editorial else "")
    else:
        what = f"Cập nhật: {last.reason}" if last.editorial else last.reason
    return what + summary_words(last)


def summary_words(change: Change, limit: int = FEED_SUMMARY) -> str:
    """« (field: a → b; …)»: the first fields or results a change names, "" when it names none."""
    if not change.summary:
        return ""
    return " (" + "; ".join(change.summary[:limit]) + ("; …" if len(change.summary) > limit else "") + ")"


def unit_feed(unit: UnitView) -> FeedInfo:
    """A unit's or province's feed: its plans and its subordinate units'."""
    return FeedInfo(
        f"{unit_label(unit)}: văn bản, thay đổi và kết quả",
        f"Văn bản mới, nội dung được cập nhật và kết quả thực hiện mới của {unit.unit.name}"
        + (" và các đơn vị trực thuộc" if unit.children else ""),
        unit.url,
        unit.url + FEED_NAME,
    )


def unit_files(portal: Portal, unit: UnitView) -> dict[str, bytes]:
    info = unit_feed(unit)
    return {info.path: atom(portal, unit.all_plans, info).encode("utf-8")}


def agency_feed(agency: AgencyView) -> FeedInfo:
    """An agency's feed: the plans that give it work."""
    return FeedInfo(
        f"{agency.name}, {unit_label(agency.unit)}: văn bản giao việc",
        f"Văn bản giao việc cho {agency.name}: văn bản mới, nội dung được cập nhật và kết quả thực hiện mới",
        agency.url,
        agency.url + FEED_NAME,
    )


def agency_files(portal: Portal, agency: AgencyView) -> dict[str, bytes]:
    info = agency_feed(agency)
    return {info.path: atom(portal, agency.plans, info).encode("utf-8")}


def robots(portal: Portal) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url(portal)}sitemap.xml\n"


def sitemap(portal: Portal, urls: list[str]) -> str:
    base = base_url(portal)
    entries = "".join(f"<url><loc>{escape(base + url)}</loc></url>\n" for url in sorted(urls))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )


def sitemap_files(portal: Portal, urls: list[str]) -> dict[str, bytes]:
    return {"sitemap.xml": sitemap(portal, urls).encode("utf-8")}


def files(portal: Portal) -> dict[str, bytes]:
    return {FEED_NAME: atom(portal).encode("utf-8"), "robots.txt": robots(portal).encode("utf-8")}

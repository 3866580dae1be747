"""«Góp ý / đề nghị đính chính»: the link a plan page offers to report a wrong figure.

It opens a `mailto:` to the information focal point (site_config.yml `information_focal_point.email`), or the host's
form (`feedback_form_url`) with the same facts as its query, prefilled with what the focal point needs to find the
row: the page's absolute address with the row's anchor, the row («Chỉ tiêu 3») and the plan's number. Encoded as
RFC 6068 asks: every character of a header value outside RFC 3986's unreserved set percent-encoded as UTF-8, lines
broken by CRLF.

The page carries one link (its own, which works without JavaScript) and, for the rows of its tables, a template of
the link with two holes, ROW and ANCHOR, that templates/theme/assets/ck-feedback.js fills for the row a reader
hovers or focuses: one link in the page at a time, not one per row (a national plan has hundreds).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from generator.content.schema import SiteConfig
from generator.model.views import PlanView, Portal
from generator.outputs.feeds import base_url

LABEL = "Góp ý / đề nghị đính chính"
WHOLE_PAGE = "Cả văn bản"
# The holes the script fills: written raw into an encoded link, they can never come from encoded text.
ROW, ANCHOR = "{muc}", "{neo}"


def _q(text: str) -> str:
    return quote(text, safe="")


@dataclass(frozen=True)
class FeedbackLink:
    href: str  # the link about the whole page
    row_href: str  # the link about one row, with ROW and ANCHOR to fill (percent-encoded)
    form: bool  # the host's form rather than a mail
    page: str  # the page's address, percent-encoded as in `href`

    @property
    def row_href_derived(self) -> bool:
        """Whether the script makes row_href from `href` alone (derived_row_href): the page then carries no copy
        of it (2 KB of a plan page)."""
        return derived_row_href(self.href, self.page) == self.row_href


def derived_row_href(href: str, page: str) -> str:
    """The row link's template as assets/ck-feedback.js makes it from the page's link: the whole page's words
    are where the row goes, and the anchor goes after the page's first address."""
    return href.replace(_q(WHOLE_PAGE), ROW).replace(page, page + ANCHOR, 1)


def link(portal: Portal, plan: PlanView) -> FeedbackLink | None:
    """The plan page's feedback link; None when the portal names neither a focal point's address nor a form."""
    config = portal.config
    if config.feedback_form_url is None and not config.information_focal_point.email:
        return None
    url = base_url(portal) + plan.url
    return FeedbackLink(
        _compose(config, plan, url, _q(WHOLE_PAGE), ""),
        _compose(config, plan, url, ROW, ANCHOR),
        config.feedback_form_url is not None,
        _q(url) if config.feedback_form_url is not None else _q(f"Trang: {url}"),
    )


def row_link(portal: Portal, plan: PlanView, row: str, anchor: str) -> str:
    """The link about one row (`anchor`: its id), as the script makes it."""
    found = link(portal, plan)
    assert found is not None
    return found.row_href.replace(ROW, _q(row)).replace(ANCHOR, _q("#" + anchor))


def _compose(config: SiteConfig, plan: PlanView, url: str, row: str, anchor: str) -> str:
    """The link, `row` and `anchor` given percent-encoded (or as holes)."""
    number = plan.number or "không rõ"
    if config.feedback_form_url is not None:
        form = str(config.feedback_form_url)
        params = [
            ("trang", _q(url) + anchor),
            ("muc", row),
            ("van_ban", _q(plan.display_title)),
            ("so_ky_hieu", _q(number)),
        ]
        return form + ("&" if "?" in form else "?") + "&".join(f"{k}={v}" for k, v in params)
    about = f"văn bản số {plan.number}" if plan.number else plan.display_title
    subject = _q(f"{LABEL}: ") + row + _q(f" — {about}")
    body = (
        _q(f"Trang: {url}")
        + anchor
        + _q("\r\nMục: ")
        + row
        + _q(f"\r\nVăn bản: {plan.display_title}\r\nSố, ký hiệu: {number}\r\n\r\n")
        + _q("Nội dung góp ý hoặc đề nghị đính chính (thông tin đúng là gì, theo nguồn nào):\r\n\r\n")
    )
    address = quote(str(config.information_focal_point.email), safe="@")
    return f"mailto:{address}?subject={subject}&body={body}"

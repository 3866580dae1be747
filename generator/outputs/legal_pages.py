"""The legal documents' pages (the index and one page per document, with its table as CSV and JSON), and the links
from a plan page's text to them (`link_citations`)."""

from __future__ import annotations

import re

from generator.content.document_numbers import Mention, find_mentions
from generator.incremental.store import PlanChunks
from generator.model.legal_documents import (
    BY_PROVINCE,
    CONTENT_TYPE,
    DATA_STEM,
    INDEX_TITLE,
    INDEX_URL,
    LegalDocument,
    _is_plan,
    _PlanState,
    _slug,
    _state,
    documents,
    identity,
)
from generator.model.views import PlanView, Portal
from generator.outputs import downloads
from generator.outputs import format as fmt
from generator.outputs.spec import LIST_LIMIT, PageSpec, by_province, rel

# --------------------------------------------------------------------------- links in a plan page's text

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>", re.S)
_NOT_LINKED = {"a", "code", "pre", "script", "style", "svg", "summary", "details", "h1", "textarea", "title"}


def link_citations(html, plan: PlanView, page_url: str):
    """`html` (a template's output: Markup, or text, which is escaped first) with each document number its text
    names linked to the document's page: the Jinja filter `legal_links(plan, page_url)`. Text inside links, code,
    headings h1, <details> and SVG is left alone; text is unescaped only to be read, every piece is escaped again.
    A number links only to a page the plan's citations make (_cited), so never to a page that does not exist."""
    from markupsafe import Markup, escape

    text = str(html.__html__()) if hasattr(html, "__html__") else str(escape(html))
    if not _is_plan(plan) or "/" not in text:
        return Markup(text)
    state = _state(plan)
    if not state.urls:
        return Markup(text)
    out: list[str] = []
    closed: dict[str, int] = {}  # open tags whose text is not linked → depth
    inside = 0  # sum of closed: text is left alone while it is above 0
    pos = 0
    for m in _TAG.finditer(text):
        segment = text[pos : m.start()]
        # most segments hold no number: the cheap test first (a plan page has thousands of segments)
        out.append(_link_segment(segment, plan, state, page_url) if not inside and "/" in segment else segment)
        tag = (m.group(2) or "").lower()
        if tag in _NOT_LINKED and not m.group(0).endswith("/>"):
            before = closed.get(tag, 0)
            closed[tag] = max(0, before + (-1 if m.group(1) else 1))
            inside += closed[tag] - before
        out.append(m.group(0))
        pos = m.end()
    tail = text[pos:]
    out.append(_link_segment(tail, plan, state, page_url) if not inside and "/" in tail else tail)
    return Markup("".join(out))


def _link_segment(segment: str, plan: PlanView, state: _PlanState, page_url: str) -> str:
    if "/" not in segment or not any(c.isdigit() for c in segment):
        return segment
    import html as html_lib

    from markupsafe import escape

    plain = html_lib.unescape(segment)
    links = [(m, url) for m in find_mentions(plain) if (url := _mention_url(m, plan, state))]
    if not links:
        return segment
    out, pos = [], 0
    for mention, url in links:
        out.append(str(escape(plain[pos : mention.start])))
        out.append(
            f'<a class="ck-cite" href="{escape(rel(url, page_url))}">{escape(plain[mention.start : mention.end])}</a>'
        )
        pos = mention.end
    out.append(str(escape(plain[pos:])))
    return "".join(out)


def _mention_url(mention: Mention, plan: PlanView, state: _PlanState) -> str | None:
    """The page of the document a number in the plan page's text names: that of its identity, or, where the page
    splits the sentence (a number in bold loses its date), the only document of that number the plan cites."""
    key = identity(mention, plan)
    if key is None:
        return None
    url = f"{INDEX_URL}{_slug(key, mention)}/"
    if url in state.urls:
        return url
    same = state.by_number.get(key[1], set())
    return next(iter(same)) if len(same) == 1 else None


def rows(docs: list[LegalDocument]) -> list[dict[str, object]]:
    """The index table as open data."""

    return [
        {
            "ma": d.slug,
            "so_ky_hieu": d.number_text,
            "loai": d.kind,
            "nam": d.year,
            "ngay_ban_hanh": fmt.date(d.date) if d.date else None,
            "co_quan_ban_hanh": d.issuer,
            "trich_yeu": d.title,
            "so_ke_hoach_trich_dan": len(d.plans),
            "ke_hoach_trich_dan": "; ".join(p.id for p in d.plans),
            "ke_hoach_can_cu": "; ".join(p.id for p in d.basis_plans),
            "ke_hoach_nhac_toi": "; ".join(p.id for p in d.mention_plans),
            "thong_tin_tu": "nội dung" if d.from_text else "căn cứ",
            "trang": d.url,
        }
        for d in docs
    ]


# --------------------------------------------------------------------------- pages


def pages(portal: Portal, kept: PlanChunks | None = None) -> list[PageSpec]:
    """The index of cited documents, with its table as open data, and a page per document. Past LIST_LIMIT
    documents, each province's own are on a page of their own; a document cited by more than LIST_LIMIT plans lists
    them by province, each province's on a page of its own (Nghị định 42/2022/NĐ-CP's page was 886 KB at 2,100
    plans)."""

    docs = documents(portal, kept)
    if not docs:
        return []

    def files() -> dict[str, bytes]:  # made by the worker rendering the index
        table = rows(docs)
        return {
            f"{INDEX_URL}{DATA_STEM}.csv": downloads.to_csv(table),
            f"{INDEX_URL}{DATA_STEM}.json": downloads.to_json(table),
        }

    # Past LIST_LIMIT documents, the index lists those cited in more than one province; each province's own (cited by
    # its plans alone: most of a national portal's 1,927 at 2,100 plans) are on a page of their own.
    own = [doc for doc in docs if doc.province]
    own_by_province = (
        by_province(portal.provinces, own, lambda doc: doc.plans[0].unit) if len(docs) > LIST_LIMIT else []
    )
    taken = {doc.slug for _, items in own_by_province for doc in items}
    specs = [
        PageSpec(
            f"{INDEX_URL}index.md",
            "legal_documents.md.j2",
            INDEX_TITLE,
            (INDEX_TITLE,),
            {
                "documents": [doc for doc in docs if doc.slug not in taken],
                "all_documents": docs,
                "data_stem": DATA_STEM,
                "provinces": [(province, f"{BY_PROVINCE}{province.id}/", items) for province, items in own_by_province],
                "province": None,
            },
            files,
        ),
        *(
            PageSpec(
                f"{BY_PROVINCE}{province.id}/index.md",
                "legal_documents.md.j2",
                f"{INDEX_TITLE}: {province.unit.name}",
                None,
                {"documents": items, "data_stem": DATA_STEM, "provinces": [], "province": province},
                units=frozenset(plan.unit.id for doc in items for plan in doc.plans),
                # which documents are the province's own depends on every province's plans
                depends="\0".join(doc.slug for doc in items),
            )
            for province, items in own_by_province
        ),
    ]
    # nav=None keeps document pages out of the navigation (the index lists them)
    for doc in docs:
        split = by_province(portal.provinces, doc.plans, lambda p: p.unit) if len(doc.plans) > LIST_LIMIT else []
        provinces = []
        for province, plans in split:
            ids = {plan.id for plan in plans}
            bases = [plan for plan in doc.basis_plans if plan.id in ids]
            mentions = [(plan, places) for plan, places in doc.mentions if plan.id in ids]
            provinces.append((province, f"{doc.url}{province.id}/", plans, bases, mentions))
        context = {"document": doc, "index_url": INDEX_URL, "content_type": CONTENT_TYPE}
        specs.append(
            PageSpec(
                f"{doc.url}index.md",
                "legal_document.html.j2",
                doc.name,
                None,
                {
                    **context,
                    "plans": doc.plans,
                    "bases": None if split else doc.basis_plans,
                    "mentions": None if split else doc.mentions,
                    "provinces": provinces,
                    "province": None,
                },
                units=doc.units,
            )
        )
        for province, url, plans, bases, mentions in provinces:
            specs.append(
                PageSpec(
                    f"{url}index.md",
                    "legal_document.html.j2",
                    f"{doc.name}: {province.unit.name}",
                    None,
                    {
                        **context,
                        "plans": plans,
                        "bases": bases,
                        "mentions": mentions,
                        "provinces": [],
                        "province": province,
                    },
                    units=frozenset(plan.unit.id for plan in plans),
                    depends=doc.name,  # made from every plan citing the document
                )
            )
    return specs

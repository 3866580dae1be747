"""Render: the model through Jinja2 templates into MkDocs pages and data files.

Pages are Markdown whose tables are HTML blocks; links between pages are
relative, so the site works under any subpath.
"""
from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown as md
import nh3
from markupsafe import Markup

from . import charts, data, feeds
from . import format as fmt
from .model import Portal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# What Markdown written by editors may produce; anything else (script, iframe,
# on* attributes, javascript: links) is dropped before it reaches a page.
_ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote", "code", "pre",
                 "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr",
                 "sup", "sub", "small", "dl", "dt", "dd"}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"},
                  "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}}


@dataclass(frozen=True)
class Page:
    """One rendered page: where it sits in the docs folder and in the navigation."""

    src: str  # path in the MkDocs docs folder, e.g. "ha-tinh/duc-tho/index.md"
    title: str
    nav: tuple[str, ...] | None  # section titles leading to it; () for top-level pages; None: not in the navigation


@dataclass(frozen=True)
class PageSpec:
    """A page contributed by a view module (agencies, legal documents, …)."""

    src: str
    template: str
    title: str
    nav: tuple[str, ...] | None  # None: built and linked to, but not listed in the navigation
    context: dict
    files: dict[str, bytes] = field(default_factory=dict)  # data files beside the page, by docs path


def _page_sets():
    # Each view module exposes pages(portal) -> list[PageSpec]; add a module here to add pages.
    from . import agencies, legal
    return (agencies.pages, legal.pages)


_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>#|\\&]|^\s*([-+]|\d+[.)])\s|\n\s*\n|\n\s*([-+*]|\d+[.)])\s|https?://", re.M)
_converter = None


def markdown_html(text: str | None, *, inline: bool = False) -> Markup:
    global _converter
    if not text:
        return Markup("")
    if inline and not _MARKDOWN_SYNTAX.search(text):
        # Most list items are plain sentences: the same output as Markdown's, without its cost.
        return Markup.escape(text.strip())
    if _converter is None:
        from pymdownx.slugs import slugify
        _converter = md.Markdown(extensions=["tables", "sane_lists", "toc"],
                                 extension_configs={"toc": {"slugify": slugify(case="lower"), "toc_depth": "2-6"}})
    html = _converter.reset().convert(text)
    html = nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener")
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def rel(target: str, page_url: str) -> str:
    """Relative link from the page at `page_url` to `target` (both site-relative directory URLs)."""
    base = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else "."
    path = posixpath.relpath(target or ".", base or ".")
    return path + "/" if target.endswith("/") and not path.endswith("/") else path


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "pages"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=False, lstrip_blocks=False)
    env.filters.update({
        "number": fmt.number, "money": fmt.money, "money_short": fmt.money_short, "vn_date": fmt.date,
        "partial_date": fmt.partial_date, "target_level": fmt.comparator_value, "rel": rel,
        "markdown": markdown_html, "bar_chart": charts.bar_chart, "markdown_inline": lambda t: markdown_html(t, inline=True),
    })
    from . import agencies, legal
    env.globals["agency_url"] = agencies.agency_url
    env.globals["legal_document_url"] = legal.document_url
    return env


def render_portal(portal: Portal, docs: Path) -> list[Page]:
    """Writes every page and data file into `docs`; returns the pages for the navigation."""
    env = environment()
    PAGE_SETS = _page_sets()
    docs.mkdir(parents=True, exist_ok=True)
    pages: list[Page] = []

    def write(src: str, template: str, title: str, nav: tuple[str, ...], **context) -> None:
        page_url = "" if src == "index.md" else (posixpath.dirname(src) + "/" if src.endswith("index.md")
                                                  else src[:-3] + "/")
        text = env.get_template(template).render(portal=portal, page_url=page_url, **context)
        out = docs / src
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
        pages.append(Page(src, title, nav))

    write("index.md", "home.md.j2", "Trang chủ", ())
    for unit in portal.units.values():
        nav = tuple(u.unit.name for u in unit.ancestors) + (unit.unit.name,)
        write(f"{unit.id}/index.md", "unit.md.j2", unit.unit.name, nav, unit=unit)
        for plan in unit.plans:
            folder = docs / plan.id
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(plan.source_path, folder / plan.source_file_name)
            files = data.write_plan_data(plan, folder)
            write(f"{plan.id}/index.md", "plan.md.j2", plan.nav_title, nav, plan=plan, data_files=files,
                  narrative_html=markdown_html(plan.narrative))
            write(f"{plan.id}/lich-su/index.md", "history.md.j2", f"Lịch sử thay đổi: {plan.nav_title}", None, plan=plan)
    write("chi-so/index.md", "indicators.md.j2", "Chỉ số", ("Chỉ số",))
    for view in portal.indicator_views:
        write(f"{view.url}index.md", "indicator.md.j2", view.indicator.name, ("Chỉ số",), view=view)
    for page_set in PAGE_SETS:
        for spec in page_set(portal):
            write(spec.src, spec.template, spec.title, spec.nav, **spec.context)
            for name, content in spec.files.items():
                (docs / name).write_bytes(content)
    write("kiem-tra-so-lieu.md", "budget_check.md.j2", "Kiểm tra số liệu", ())
    write("ngan-sach.md", "budget.md.j2", "Ngân sách", ())
    write("du-lieu-mo.md", "open_data.md.j2", "Dữ liệu mở", ())
    write("gioi-thieu.md", "about.md.j2", "Giới thiệu", ())
    write("tim-kiem.md", "search.md.j2", "Tìm kiếm", ())
    write("tiep-can-thong-tin.md", "disclosure.md.j2", "Tiếp cận thông tin", ())
    data.write_portal_data(portal, docs / "data")
    feeds.write(portal, docs)
    write("so-do-trang.md", "sitemap.md.j2", "Sơ đồ trang", (), pages=list(pages))
    return pages

"""Render: the model through Jinja2 templates into MkDocs pages and data files.

Pages are Markdown whose tables are HTML blocks; links between pages are
relative, so the site works under any subpath.
"""
from __future__ import annotations

import functools
import html as html_lib
import json
import posixpath
import re
import shutil
import time
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

import jinja2
import jinja2.ext
import markdown as md
import nh3
from markupsafe import Markup

from . import charts, data, feeds
from . import format as fmt
from .model import PlanView, Portal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PROVINCES_TITLE = "Tỉnh, thành phố"

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
    # Data files beside the page by site path: bytes, a Path to copy or a function writing the file at the
    # path it is given; or a function giving them (called by the worker that renders the page, so the work
    # is shared out).
    files: "dict[str, bytes | Path | Callable] | Callable[[], dict[str, bytes | Path | Callable]]" = field(default_factory=dict)
    # The units whose content makes this page: when none of them changed (cache.unit_key) the page
    # is taken from the previous build as it was. None: drawn from the whole portal, always rendered.
    units: frozenset[str] | None = None


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
        _converter = md.Markdown(extensions=["tables", "sane_lists", "toc"],
                                 extension_configs={"toc": {"slugify": _slugify(), "toc_depth": "2-6"}})
    html = _converter.reset().convert(text)
    html = nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener")
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def rel(target: str, page_url: str) -> str:
    """Relative link from the page at `page_url` to `target` (both site-relative directory URLs).

    What posixpath.relpath gives, in string steps only: it is called tens of times per page."""
    base = [p for p in page_url.split("/") if p]
    parts = [p for p in target.split("/") if p and p != "."]
    common = 0
    while common < len(base) and common < len(parts) and base[common] == parts[common]:
        common += 1
    path = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    return path + "/" if target.endswith("/") and not path.endswith("/") else path


class KeptFragments(jinja2.ext.Extension):
    """`{% cache part, … %}…{% endcache %}`: the body's HTML is kept between builds under its parts (cache.Fragments)
    and made again only when one changes. The parts must be all the body depends on besides the page itself: plain
    values (text, numbers, None), plans (model.PlanView, which stand for their unit's content) and lists of plans.

    The tag compiles to `{% set html = kept(parts) %}{% if html is none %}{% set html %}…{% endset %}{% do keep(parts,
    html) %}{% endif %}{{ html }}`: a kept fragment costs a lookup (a call block would build a macro for each; on
    the sitemap's 16,700 short rows even a lookup costs as much as the row, so it keeps none)."""

    tags = {"cache"}

    def __init__(self, environment: jinja2.Environment):
        super().__init__(environment)
        environment.extend(fragments=None)  # the page being rendered's cache.Fragments (render_pages); None: none kept

    def parse(self, parser):
        from jinja2 import nodes

        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        key, html = nodes.List(parts), f"_kept_{lineno}"
        return [
            nodes.Assign(nodes.Name(html, "store"), self.call_method("_kept", [key])),
            nodes.If(nodes.Test(nodes.Name(html, "load"), "none", [], [], None, None), [
                nodes.AssignBlock(nodes.Name(html, "store"), None, body),
                nodes.ExprStmt(self.call_method("_keep", [key, nodes.Name(html, "load")])),
            ], [], []),
            nodes.Output([nodes.Name(html, "load")]),
        ]

    def _kept(self, parts: list) -> Markup | None:
        kept = self.environment.fragments
        if kept is None:
            return None
        html = kept.kept(*self._key(parts))
        return None if html is None else Markup(html)

    def _keep(self, parts: list, html: str) -> None:
        if self.environment.fragments is not None:
            self.environment.fragments.keep(*self._key(parts), str(html))

    @staticmethod
    def _key(parts: list) -> tuple[tuple, list[str]]:
        key, plans = [], []
        for part in parts:
            if isinstance(part, PlanView):
                key.append(("plan", part.id))
                plans.append(part.id)
            elif isinstance(part, list) and all(isinstance(plan, PlanView) for plan in part):
                key.append(("plans", tuple(plan.id for plan in part)))
                plans += [plan.id for plan in part]
            elif part is None or isinstance(part, (str, int)):
                key.append(part)
            else:
                raise jinja2.TemplateRuntimeError(f"{{% cache %}}: {type(part).__name__} không dùng được làm khoá "
                                                  "(chỉ văn bản kế hoạch, danh sách văn bản kế hoạch, chuỗi, số)")
        return tuple(key), plans


def environment(compiled: Path | None = None) -> jinja2.Environment:
    """The page templates' environment; `compiled`: a folder where their compiled code is kept (bytecode_cache)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "pages"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=False, lstrip_blocks=False, bytecode_cache=bytecode_cache(compiled),
                             extensions=[KeptFragments])
    env.filters.update({
        "number": fmt.number, "money": fmt.money, "money_short": fmt.money_short, "vn_date": fmt.date,
        "partial_date": fmt.partial_date, "target_level": fmt.comparator_value, "rel": rel,
        "markdown": markdown_html, "bar_chart": charts.bar_chart, "markdown_inline": lambda t: markdown_html(t, inline=True),
    })
    from . import agencies, legal
    env.globals["agency_url"] = agencies.agency_url
    env.globals["legal_document_url"] = legal.document_url
    env.filters["legal_links"] = legal.link_citations
    env.globals["plan_data_links"] = data.plan_file_links
    return env


def bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in `folder`, each under its source's checksum and the Python version (Jinja's
    own check): compiling them took a tenth of a second in each worker of every build."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


_PAGE_MARKDOWN = None
# The page's table of contents rides at the top of its HTML to MkDocs, which takes it off (mkdocs_backend).
TOC_MARK = "<!--ck-toc "


def page_html(text: str, *, markdown: bool = True) -> str:
    """A rendered template → front matter + HTML, its table of contents riding at the top (TOC_MARK).

    Page templates (`*.html.j2`) write HTML; their headings get ids here. Templates of single pages
    (`*.md.j2`) are Markdown around HTML blocks and go through one reused converter. Either way
    MkDocs receives HTML (mkdocs_backend.GeneratedPages) and builds no Markdown parser per page."""
    front = ""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + 5
        front, text = text[:end], text[end:]
    body, toc = _markdown_page(text) if markdown else _html_page(text)
    return f"{front}{TOC_MARK}{json.dumps(toc, ensure_ascii=False, separators=(',', ':'))}-->\n{body}\n"


def _markdown_page(text: str) -> tuple[str, list]:
    global _PAGE_MARKDOWN
    if _PAGE_MARKDOWN is None:
        _PAGE_MARKDOWN = md.Markdown(
            extensions=["generator.md_stash", "admonition", "attr_list", "md_in_html", "tables", "def_list",
                        "sane_lists", "fenced_code", "toc"],
            extension_configs={"toc": {"permalink": False, "toc_depth": 2, "slugify": _slugify()}})
    body = _PAGE_MARKDOWN.reset().convert(text)
    return body, _PAGE_MARKDOWN.toc_tokens


_HEADING = re.compile(r'<h([1-6])(?: id="([^"]*)")?>(.*?)</h\1>', re.S)
_EDITOR_BLOCK = re.compile(r'<div class="ck-narrative">.*?</div>', re.S)  # editors' Markdown has no div


def _html_page(html: str) -> tuple[str, list]:
    """Gives headings without an id one from their text, unique on the page as Markdown's toc would
    (a second «Chính quyền số» becomes chinh-quyen-so_1); the TOC lists h1/h2 outside editors' text."""
    slugify = _slugify()
    editor = [m.span() for m in _EDITOR_BLOCK.finditer(html)]
    used: set[str] = set(m.group(2) for m in _HEADING.finditer(html) if m.group(2))
    toc: list[dict] = []

    def heading(m: re.Match) -> str:
        level, ident, inner = int(m.group(1)), m.group(2), m.group(3)
        name = _TAGS.sub("", inner).strip()
        if not ident:
            base = ident = slugify(html_lib.unescape(name), "-")
            n = 0
            while ident in used:
                n += 1
                ident = f"{base}_{n}"
            used.add(ident)
        if level <= 2 and not any(a <= m.start() < b for a, b in editor):
            token = {"level": level, "id": ident, "name": name, "children": []}
            (toc[-1]["children"] if level == 2 and toc and toc[-1]["level"] == 1 else toc).append(token)
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    return _HEADING.sub(heading, html), toc


_TAGS = re.compile(r"<[^>]+>")


@functools.cache
def _slugify():
    from pymdownx.slugs import slugify
    return slugify(case="lower")


def page_url(src: str) -> str:
    """The directory URL MkDocs gives the page at docs path `src`."""
    if src == "index.md":
        return ""
    return posixpath.dirname(src) + "/" if src.endswith("/index.md") else src[:-3] + "/"


def page_specs(portal: Portal) -> list[PageSpec]:
    """Every page of the portal, in navigation order; nothing is rendered yet (see render_pages)."""
    specs: list[PageSpec] = []

    def add(src: str, template: str, title: str, nav: tuple[str, ...] | None, files=None, units=None,
            **context) -> None:
        specs.append(PageSpec(src, template, title, nav, context, files if files is not None else {}, units))

    add("index.md", "home.md.j2", "Trang chủ", ())
    for unit in portal.units.values():
        # Provinces are listed in the navigation; districts and plans are reached from their pages
        # (breadcrumbs, lists): a navigation of thousands of entries cost most of MkDocs' time.
        add(f"{unit.id}/index.md", "unit.html.j2", unit.unit.name, None if unit.parent else (PROVINCES_TITLE,),
            units=frozenset(u.id for u in unit.subtree), unit=unit)
        own = frozenset({unit.id})
        for plan in unit.plans:
            add(f"{plan.id}/index.md", "plan.html.j2", plan.nav_title, None, functools.partial(data.plan_files, portal, plan),
                own, plan=plan)
            add(f"{plan.id}/lich-su/index.md", "history.html.j2", f"Lịch sử thay đổi: {plan.nav_title}", None,
                units=own, plan=plan)
    add("chi-so/index.md", "indicators.md.j2", "Chỉ số", ("Chỉ số",), functools.partial(data.table_files, portal, "chi-so"))
    for view in portal.indicator_views:
        add(f"{view.url}index.md", "indicator.html.j2", view.indicator.name, ("Chỉ số",),
            units=frozenset(e.plan.unit.id for e in view.entries), view=view)
    for page_set in _page_sets():
        specs.extend(page_set(portal))
    add("kiem-tra-so-lieu.md", "budget_check.md.j2", "Kiểm tra số liệu", (),
        functools.partial(data.table_files, portal, "kiem-tra-so-lieu"))
    add("ngan-sach.md", "budget.md.j2", "Ngân sách", (), functools.partial(data.table_files, portal, "kinh-phi"))
    # Each page carries the portal tables it offers; the open data page those no other page shows.
    add("du-lieu-mo.md", "open_data.md.j2", "Dữ liệu mở", (),
        lambda: {**data.package_files(portal), **data.table_files(portal, "chi-tieu", "can-cu", "trach-nhiem")})
    add("gioi-thieu.md", "about.md.j2", "Giới thiệu", ())
    add("tim-kiem.md", "search.md.j2", "Tìm kiếm", ())
    add("tiep-can-thong-tin.md", "disclosure.md.j2", "Tiếp cận thông tin", (),
        lambda: {**feeds.files(portal), **data.table_files(portal, "ke-hoach")})
    # The text sitemap: the pages of each province (its units', plans' and agencies' pages) on a page of their
    # own, which a rebuild leaves as it is unless one of those pages' units changed; the other pages and the
    # provinces on the main one (one list of a national portal's pages was 1.8 MB).
    from .agencies import INDEX_URL as agencies_folder
    by_province: dict[str, list[PageSpec]] = {province.id: [] for province in portal.provinces}
    rest: list[PageSpec] = []
    for spec in specs:
        by_province.get(_province_of(spec.src, agencies_folder), rest).append(spec)
    provinces = []
    for province in portal.provinces:
        own = by_province[province.id]
        add(f"{SITEMAP}{province.id}.md", "sitemap.md.j2", f"{SITEMAP_TITLE}: {province.unit.name}", None,
            units=_units_of(own), pages=pages_of(own), province=province)
        provinces.append((province, page_url(specs[-1].src), len(own)))
    urls = [page_url(p.src) for p in pages_of(specs)] + [page_url(f"{SITEMAP[:-1]}.md")]
    add(f"{SITEMAP[:-1]}.md", "sitemap.md.j2", SITEMAP_TITLE, (), functools.partial(feeds.sitemap_files, portal, urls),
        pages=pages_of(rest), provinces=provinces, total=len(urls), province=None)
    return specs


SITEMAP, SITEMAP_TITLE = "so-do-trang/", "Sơ đồ trang"


def _province_of(src: str, agencies_folder: str) -> str:
    """The province whose pages the page at docs path `src` belongs with: the first folder of a unit's or
    plan's page, the second of an agency's (co-quan/<province>/…); "" for the portal's own pages."""
    parts = src.split("/")
    if parts[0] == agencies_folder.strip("/"):
        return parts[1] if len(parts) > 2 else ""
    return parts[0] if len(parts) > 1 else ""


def _units_of(specs: list[PageSpec]) -> frozenset[str] | None:
    """The units whose content makes a list of these pages: theirs (a page appears or goes only when one of
    them changes); None when one of the pages is drawn from the whole portal."""
    units: set[str] = set()
    for spec in specs:
        if spec.units is None:
            return None
        units |= spec.units
    return frozenset(units)


def pages_of(specs: list[PageSpec]) -> list[Page]:
    return [Page(s.src, s.title, s.nav) for s in specs]


def render_pages(portal: Portal, specs: list[PageSpec], site: Path, env: jinja2.Environment | None = None,
                 costs: dict[str, float] | None = None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Renders `specs` to HTML pages and writes their data files into `site`; each template gets
    `page_files`, the site paths of the files written beside its page, to link them.

    Returns the pages (docs path → text) and the data files written for each (docs path → site paths);
    into `costs`, the seconds each page took, its data files included but those written by a function
    (data._joined): the next build splices most of them from this one's, in a fraction of the time, and
    the shares of work are cut by these costs (layout)."""
    env = env or environment()
    rendered: dict[str, str] = {}
    written: dict[str, list[str]] = {}
    made: set[Path] = set()
    chunks = portal.derived.get(data.PLAN_CHUNKS)
    for spec in specs:
        started, spliced = time.perf_counter(), 0.0
        files = spec.files() if callable(spec.files) else spec.files
        env.fragments = chunks.fragments(spec.src) if chunks is not None else None
        try:
            text = env.get_template(spec.template).render(portal=portal, page_url=page_url(spec.src),
                                                          page_files=sorted(files), **spec.context)
        finally:
            kept, env.fragments = env.fragments, None
        if kept is not None:
            kept.save()
        rendered[spec.src] = page_html(text, markdown=spec.template.endswith(".md.j2"))
        for name, content in files.items():
            out = site / name
            if out.parent not in made:
                out.parent.mkdir(parents=True, exist_ok=True)
                made.add(out.parent)
            if isinstance(content, Path):
                shutil.copyfile(content, out)
            elif callable(content):
                t = time.perf_counter()
                content(out)
                spliced += time.perf_counter() - t
            else:
                out.write_bytes(content)
        written[spec.src] = sorted(files)
        if costs is not None:
            costs[spec.src] = round(time.perf_counter() - started - spliced, 4)
    return rendered, written


def render_portal(portal: Portal, docs: Path) -> list[Page]:
    """Writes every page (as HTML in a .md file) and data file into `docs`: the folder `make serve` previews."""
    specs = page_specs(portal)
    for src, text in render_pages(portal, specs, docs)[0].items():
        out = docs / src
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
    return pages_of(specs)

"""The page templates' Jinja2 environment and filters: numbers, money and dates in Vietnamese, editors'
Markdown (sanitised), charts, links to legal documents and agencies; kept fragments ({% cache %}); and
`page_html`, which gives a rendered template's headings their ids and the page its table of contents.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import re
from pathlib import Path

import jinja2
import jinja2.ext
import markdown as md
import nh3
from markupsafe import Markup

from generator.model.views import PlanView, narrative_markdown
from generator.outputs import charts, downloads
from generator.outputs import format as fmt
from generator.outputs.spec import rel

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# What Markdown written by editors may produce; anything else (script, iframe,
# on* attributes, javascript: links) is dropped before it reaches a page.
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
    "sup",
    "sub",
    "small",
    "dl",
    "dt",
    "dd",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}


_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>#|\\&]|^\s*([-+]|\d+[.)])\s|\n\s*\n|\n\s*([-+*]|\d+[.)])\s|https?://", re.M)
_converter = None


def markdown_html(text: str | None, *, inline: bool = False, converter: md.Markdown | None = None) -> Markup:
    global _converter
    if not text:
        return Markup("")
    if inline and not _MARKDOWN_SYNTAX.search(text):
        # Most list items are plain sentences: the same output as Markdown's, without its cost.
        return Markup.escape(text.strip())
    if converter is None:
        if _converter is None:
            _converter = md.Markdown(
                extensions=["tables", "sane_lists", "toc"],
                extension_configs={"toc": {"slugify": _slugify(), "toc_depth": "2-6"}},
            )
        converter = _converter
    html = converter.reset().convert(text)
    html = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


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
            nodes.If(
                nodes.Test(nodes.Name(html, "load"), "none", [], [], None, None),
                [
                    nodes.AssignBlock(nodes.Name(html, "store"), None, body),
                    nodes.ExprStmt(self.call_method("_keep", [key, nodes.Name(html, "load")])),
                ],
                [],
                [],
            ),
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
                raise jinja2.TemplateRuntimeError(
                    f"{{% cache %}}: {type(part).__name__} không dùng được làm khoá "
                    "(chỉ văn bản kế hoạch, danh sách văn bản kế hoạch, chuỗi, số)"
                )
        return tuple(key), plans


def environment(compiled: Path | None = None) -> jinja2.Environment:
    """The page templates' environment; `compiled`: a folder where their compiled code is kept (bytecode_cache)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        bytecode_cache=bytecode_cache(compiled),
        extensions=[KeptFragments],
    )
    env.filters.update(
        {
            "number": fmt.number,
            "money": fmt.money,
            "money_short": fmt.money_short,
            "vn_date": fmt.date,
            "partial_date": fmt.partial_date,
            "time_point": fmt.time_point,
            "target_level": fmt.comparator_value,
            "rel": rel,
            "markdown": markdown_html,
            "bar_chart": charts.bar_chart,
            "markdown_inline": lambda t: markdown_html(t, inline=True),
            # a plan's editors' text: its headings carry the ids its page's contents link to (PlanView.contents)
            "narrative": lambda t: markdown_html(t, converter=narrative_markdown()),
        }
    )
    from generator.model import agencies, legal_documents
    from generator.outputs import legal_pages

    env.globals["agency_url"] = agencies.agency_url
    env.globals["legal_document_url"] = legal_documents.document_url
    env.filters["legal_links"] = legal_pages.link_citations
    env.globals["plan_data_links"] = downloads.plan_file_links
    env.globals["province_data_links"] = downloads.province_data_links
    from generator.outputs import catalogue, release_pages

    # each page's schema.org JSON-LD, carried in its front matter to the theme's head (templates/theme/main.html)
    env.globals["plan_json_ld"] = catalogue.plan_json_ld
    env.globals["unit_json_ld"] = catalogue.unit_json_ld
    env.globals["indicator_json_ld"] = catalogue.indicator_json_ld
    env.globals["legal_json_ld"] = catalogue.legal_json_ld
    env.globals["plan_citation"] = release_pages.plan_citation
    env.filters["front_matter"] = front_matter_string
    env.filters["text"] = text_content
    from generator.outputs import embeds, feedback

    env.globals["feedback_link"] = feedback.link
    env.globals["embed_snippets"] = embeds.snippets
    return env


@functools.cache
def shared_environment() -> jinja2.Environment:
    """One environment per process for what is rendered outside the pages (outputs/embeds: the widgets, by the
    worker that writes their plan's files)."""
    return environment()


# What YAML reads as a line break or refuses in a stream, and the halves of a surrogate pair.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def front_matter_string(value: str) -> Markup:
    """`value` as a YAML double-quoted scalar for a page's front matter: JSON, which YAML reads, keeping characters
    beyond the Basic Multilingual Plane as they are (tojson writes an emoji as two \\u escapes, which PyYAML reads
    as two lone surrogates: MkDocs then drops the whole front matter), and escaping what YAML would read as a line
    break or refuse."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(_YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def text_content(value: str) -> Markup:
    """`value` escaped for an element's text (code, a textarea): «&» and «<» (and «>»); quotes, which only an
    attribute needs escaped, stay as they are (a citation's or an embed code's quotes cost five bytes each)."""
    return Markup(html_lib.escape(str(value), quote=False))


def bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in `folder`, each under its source's checksum and the Python version (Jinja's
    own check): each worker of every build compiled them all again."""
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
            extensions=[
                "generator.outputs.md_stash",
                "admonition",
                "attr_list",
                "md_in_html",
                "tables",
                "def_list",
                "sane_lists",
                "fenced_code",
                "toc",
            ],
            extension_configs={"toc": {"permalink": False, "toc_depth": 2, "slugify": _slugify()}},
        )
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

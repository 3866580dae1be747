"""Build: everything MkDocs-specific lives here.

Material for MkDocs is in maintenance mode and MkDocs 2.0 drops plugins; a
move to a successor replaces this module and `templates/theme/` alone. The
rest of the pipeline hands over a folder of pages, their navigation and the
portal model.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from pathlib import Path

import yaml
from markupsafe import Markup
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from generator.errors import BuildError
from generator.model.views import Portal
from generator.outputs.spec import Page
from generator.outputs.templates import TEMPLATES, TOC_MARK
from generator.search import pagefind

# A fixed build time: the same content builds the same bytes (sitemap dates, gzip headers).
BUILD_EPOCH = "1577836800"  # 01/01/2020


def navigation(pages: list[Page]) -> list:
    nav: list = []
    sections: dict[tuple[str, ...], list] = {(): nav}
    tail = []
    for page in pages:
        if page.nav is None:  # built and linked to, but not listed in the navigation (e.g. agency pages)
            continue
        for depth in range(1, len(page.nav) + 1):
            key = page.nav[:depth]
            if key not in sections:
                sections[key] = []
                sections[key[:-1]].append({key[-1]: sections[key]})
        entry = (
            page.src
            if page.src.endswith("/index.md") and page.nav and page.title == page.nav[-1]
            else {page.title: page.src}
        )
        if page.nav:
            sections[page.nav].append(entry)
        elif page.src == "index.md":
            nav.insert(0, {page.title: page.src})
        else:
            tail.append(entry)
    # Index pages first within their section (navigation.indexes), plans after.
    for items in sections.values():
        items.sort(key=lambda e: 0 if isinstance(e, str) else 1)
    return nav + tail


def config_for(portal: Portal, docs: Path, site: Path, pages: list[Page]) -> dict:
    c = portal.config
    return {
        "site_name": c.portal_name,
        "site_description": c.description,
        "site_url": str(c.base_url),
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "strict": False,
        "nav": navigation(pages),
        "theme": {
            "name": "material",
            "custom_dir": str(TEMPLATES / "theme"),
            "language": c.language,
            "font": False,  # no Google Fonts: no request to any outside host
            "features": ["navigation.indexes", "navigation.prune", "navigation.footer", "toc.integrate"],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "primary": "indigo",
                    "toggle": {"icon": "material/weather-night", "name": "Chuyển sang nền tối"},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "primary": "indigo",
                    "toggle": {"icon": "material/weather-sunny", "name": "Chuyển sang nền sáng"},
                },
            ],
        },
        "plugins": [],  # Pagefind replaces MkDocs' search; GeneratedPages is attached in build()
        "markdown_extensions": [],  # pages arrive as HTML (render.page_html)
        "extra": {"generator": False, "congkhai": c.model_dump(mode="json")},
    }


def write_config(
    portal: Portal, docs: Path, site: Path, pages: list[Page], path: Path | None = None, *, hooks: bool = False
) -> Path:
    """Writes mkdocs.yml; with `hooks`, for a docs folder of rendered pages (`make serve`)."""
    config = config_for(portal, docs, site, pages)
    if hooks:
        config["hooks"] = [str(Path(__file__).with_name("mkdocs_hooks.py"))]
    config_file = path or docs.parent / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return config_file


class GeneratedPages(BasePlugin):
    """Lays out pages that are already HTML: their text is the page body, their TOC travels with it.

    `pages` (docs path → text) are added to MkDocs' files from memory; `stubs` (docs path → title)
    are navigation pages another build writes (present so the navigation resolves, not written here); only
    the build with `theme_files` copies the theme's assets and writes 404.html. With `index_source`,
    pages get the hidden d-spellings Pagefind needs as they are written, and what Pagefind reads of
    each is written into that folder, at the page's place (index.prepare).
    """

    def __init__(
        self,
        pages: dict[str, str] | None = None,
        *,
        stubs: dict[str, str] | None = None,
        theme_files: bool = True,
        index_source: Path | None = None,
        compiled: Path | None = None,
    ):
        super().__init__()
        self.pages, self.stubs, self.theme_files, self.index_source = pages, stubs or {}, theme_files, index_source
        self.compiled = compiled  # where the theme's compiled templates are kept (render.bytecode_cache)
        self._folders_made: set[Path] = set()
        self.theme_made: list[str] = []  # site paths of the theme's files, when this build writes them

    def on_config(self, config):
        # sitemap.xml is written by feeds: one share of the pages would list only its own.
        config.theme.static_templates = {"404.html"} if self.theme_files else set()
        config.site_name, config.site_description = theme_text(config.site_name), theme_text(config.site_description)
        config.extra["congkhai"] = theme_text(config.extra.get("congkhai"))
        return config

    def on_files(self, files, config):
        theme = [f for f in files if not f.is_documentation_page()]
        if self.theme_files:
            self.theme_made = sorted({f.dest_uri for f in theme} | {"404.html"})
        else:  # another worker, or an earlier build, writes them
            for f in theme:
                files.remove(f)
        for src, text in (self.pages or {}).items():
            files.append(File.generated(config, src, content=text))
        for src, title in self.stubs.items():
            # the title, as the page's own front matter gives it: neighbours' footer links show it
            files.append(
                File.generated(config, src, content=f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n")
            )
        return files

    def on_env(self, env, config, files):
        from generator.outputs.templates import bytecode_cache

        env.bytecode_cache = bytecode_cache(self.compiled)
        self._template = env.get_template("main.html")
        self._shells: dict[tuple, list | bool] = {}  # shape → [shell, pages checked] or False (not used)
        return env

    def on_nav(self, nav, config, files):
        for item in _walk(nav.items):
            if item.title is not None:
                item.title = theme_text(item.title)
        self._listed = {page.file.src_uri for page in nav.pages}
        # every folder a navigation link points into: the theme's relative links from a page depend
        # only on its depth and the deepest of these its own path is in
        self._folders = {
            tuple(parts[:k])
            for page in nav.pages
            for parts in [page.url.strip("/").split("/")]
            for k in range(1, len(parts) + 1)
        }
        return nav

    def on_pre_page(self, page, config, files):
        page.render = functools.partial(self._render, page)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        for key in ("title", "description"):
            if key in page.meta:
                page.meta[key] = theme_text(page.meta[key])
        return markdown

    def _render(self, page, config, files) -> None:
        """Page.render for a page that is HTML already: takes its TOC off the top, and builds no
        Markdown parser (MkDocs makes one per page: a tenth of its time here)."""
        body = page.markdown
        toc: list = []
        if body.startswith(TOC_MARK):
            end = body.index("-->\n")
            toc = json.loads(body[len(TOC_MARK) : end])
            body = body[end + 4 :]
        page.content, page.toc = body, get_toc(toc)
        if page.file.src_uri in self.stubs:
            page.meta["template"] = (
                STUB_TEMPLATE  # read for its title; laid out by the theme, it took a third of MkDocs' time
            )
        elif page.file.src_uri not in self._listed and not page.is_homepage:
            page.meta["template"] = SHELL_TEMPLATE  # laid out in on_page_context

    def on_page_context(self, context, page, config, nav):
        if page.meta.get("template") == SHELL_TEMPLATE:
            context["ck_output"] = self._lay_out(context, page)
        return context

    def _lay_out(self, context, page) -> str:
        """The theme's page for a page outside the navigation. Such pages of one shape (depth, folder,
        front matter keys, …) differ only in title, description, address, first heading and body:
        the theme lays out the first ones of each shape, its output with those holes (a shell) is kept,
        and the next pages fill the shell; a shape whose first pages the shell does not give exactly
        is laid out by the theme throughout. Material's templates were most of MkDocs' time."""
        key = self._shape(page)
        known = self._shells.get(key) if key else False
        if known and known[1] >= _SHELL_CHECKS:
            return _fill(known[0], page)
        output = self._template.render(context)
        if known is False:
            return output
        if known is None:
            known = [self._template.render({**context, "page": _Probe(page)}), 0]
        if _fill(known[0], page) == output:
            known[1] += 1
            self._shells[key] = known
        else:
            self._shells[key] = False
        return output

    def _shape(self, page) -> tuple | None:
        meta = page.meta
        if not (
            _PLAIN.match(str(meta.get("title", "")))
            and _PLAIN.match(str(meta.get("description", "")))
            and _PLAIN.match(page.canonical_url or "")
        ):
            return None  # words an escape or filter in the theme would change: laid out by the theme
        parts = page.url.strip("/").split("/")
        folder = max(k for k in range(len(parts) + 1) if tuple(parts[:k]) in self._folders or k == 0)
        rest = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in _FILLED))
        return (
            len(parts),
            tuple(parts[:folder]),
            rest,
            "title" in meta,
            "description" in meta,
            "json_ld" in meta,
            bool(page.canonical_url),
            bool(page.toc.items),
            "\x3ch1" in page.content,
        )

    def on_post_page(self, output, page, config):
        if page.file.src_uri in self.stubs:
            return ""  # MkDocs writes no file for an empty page
        if self.index_source is None:
            return compact(output)
        output, read = pagefind.prepare(compact(output))
        if read is not None:
            source = self.index_source / page.file.dest_uri
            if source.parent not in self._folders_made:
                source.parent.mkdir(parents=True, exist_ok=True)
                self._folders_made.add(source.parent)
            source.write_text(read, "utf-8")
        return output


def theme_text(value):
    """Text for the theme, escaped and marked safe. MkDocs' Jinja environment does not autoescape and Material
    prints titles, descriptions and the site's name raw (and `| e` where it escapes): every text from content or
    configuration reaches the theme through here, so markup in it is shown as written, never run."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup.escape(value)
    if isinstance(value, dict):
        return {k: theme_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [theme_text(v) for v in value]
    return value


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


SHELL_TEMPLATE = "ck-shell.html"  # templates/theme: writes the page GeneratedPages laid out
STUB_TEMPLATE = "ck-stub.html"  # templates/theme: nothing (a stub is not written)
_SHELL_CHECKS = 2  # pages of a shape laid out by the theme and compared with the shell before it is used
_PLAIN = re.compile(r"^(?:[^<>&\"'\s]+(?: [^<>&\"'\s]+)*)?$")
_FILLED = ("title", "description", "json_ld")  # the front matter a shell leaves as holes
_HOLES = {
    "title": "ckHoleTitle7q",
    "description": "ckHoleDescription7q",
    "json_ld": "ckHoleJsonLd7q",
    "canonical_url": "ckHoleAddress7q",
    "skip": "ckHoleSkip7q",
    "content": "ckHoleContent7q",
}


class _Probe:
    """A page whose own parts are holes, for the theme to lay out as a shell."""

    def __init__(self, page):
        self._page = page
        self.meta = {**page.meta, **{k: _HOLES[k] for k in _FILLED if k in page.meta}}
        self.title, self.content, self.canonical_url = _HOLES["title"], _content_hole(page), _HOLES["canonical_url"]
        self.toc = (
            get_toc([{"level": 2, "id": _HOLES["skip"], "name": "", "children": []}]) if page.toc.items else page.toc
        )

    def __getattr__(self, name):
        return getattr(self._page, name)


def _fill(shell: str, page) -> str:
    """The shell with the page's own parts in its holes, in one pass: a part is never searched for holes (a title
    or a JSON-LD string holding a hole's name stays as written)."""
    values = {
        _HOLES[hole]: str(value)
        for hole, value in (
            ("title", page.meta.get("title")),
            ("description", page.meta.get("description")),
            ("json_ld", page.meta.get("json_ld")),
            ("canonical_url", page.canonical_url),
            ("skip", page.toc.items[0].id if page.toc.items else None),
        )
        if value is not None
    }
    values[_content_hole(page)] = page.content
    holes = re.compile("|".join(re.escape(h) for h in sorted(values, key=len, reverse=True)))
    return holes.sub(lambda m: values[m.group(0)], shell)


def _content_hole(page) -> str:
    # The theme writes the title as a heading when the body has none: the hole keeps that as it is.
    return ("\x3ch1" if "\x3ch1" in page.content else "") + _HOLES["content"]


def build(
    portal: Portal,
    rendered: dict[str, str],
    site: Path,
    pages: list[Page],
    work: Path,
    *,
    stubs: dict[str, str] | None = None,
    theme_files: bool = True,
    index_source: Path | None = None,
    compiled: Path | None = None,
) -> list[str]:
    """Lays out `rendered` pages into `site` (which may already hold other files: nothing is cleaned).
    Returns the site paths of the theme's files it wrote (with `theme_files`)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    config_file = write_config(portal, docs, site, pages, work / "mkdocs.yml")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    log = logging.getLogger("mkdocs")
    log.setLevel(logging.ERROR)
    try:
        cfg = load_config(config_file=str(config_file))
        plugin = cfg.plugins["congkhai"] = GeneratedPages(
            rendered, stubs=stubs, theme_files=theme_files, index_source=index_source, compiled=compiled
        )
        mkdocs_build(cfg, dirty=True)  # dirty: keep the data files already written into `site`
        return plugin.theme_made
    except (MkDocsException, OSError, yaml.YAMLError) as exc:
        raise BuildError(f"MkDocs: {exc}") from exc
    except Exception as exc:  # a template error in the theme: name the stage, not a traceback
        raise BuildError(f"MkDocs: {type(exc).__name__}: {exc}") from exc


_PRESERVED = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)


def compact(html: str) -> str:
    """Drops the indentation Material's templates leave (a tenth of a page), keeping pre/script as written."""
    parts = _PRESERVED.split(html)
    out = []
    for i in range(0, len(parts), 3):
        out.append(re.sub(r"\n\s+", "\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def serve(config_file: Path, port: int) -> None:
    """MkDocs' development server on the preview (`make serve`), reloading the browser when it changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _guard_requests()
    mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=f"127.0.0.1:{port}")


def _guard_requests() -> None:
    """A path with a NUL byte («/cong-khai/index.html%00.txt») made MkDocs' server fail with 500: answer 400.
    A private method of MkDocs' server is wrapped; tests/test_serve_preview.py checks the answers."""
    import urllib.parse

    from mkdocs import livereload

    original = livereload.LiveReloadServer._serve_request
    if getattr(original, "congkhai_guard", False):
        return

    def guarded(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if "\x00" in path or "%00" in environ.get("RAW_URI", "") or "\x00" in urllib.parse.unquote(path):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Yêu cầu không hợp lệ.\n".encode()]
        try:
            return original(self, environ, start_response)
        except ValueError:  # another path the file system refuses: not found, not a server error
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Không tìm thấy.\n".encode()]

    guarded.congkhai_guard = True
    livereload.LiveReloadServer._serve_request = guarded

"""Build: everything MkDocs-specific lives here.

Material for MkDocs is in maintenance mode and MkDocs 2.0 drops plugins; a
move to a successor replaces this module and `templates/theme/` alone. The
rest of the pipeline hands over a folder of pages, their navigation and the
portal model.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import yaml

from .errors import BuildError
from .model import Portal
from .render import TEMPLATES, Page

# A fixed build time: the same content builds the same bytes (sitemap dates, gzip headers).
BUILD_EPOCH = "1577836800"  # 01/01/2020


def _nav(pages: list[Page]) -> list:
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
        entry = page.src if page.src.endswith("/index.md") and page.nav and page.title == page.nav[-1] else {page.title: page.src}
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
        "nav": _nav(pages),
        "theme": {
            "name": "material",
            "custom_dir": str(TEMPLATES / "theme"),
            "language": c.language,
            "font": False,  # no Google Fonts: no request to any outside host
            "features": ["navigation.indexes", "navigation.prune", "navigation.footer", "toc.integrate"],
            "palette": [
                {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                 "toggle": {"icon": "material/weather-night", "name": "Chuyển sang nền tối"}},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
                 "toggle": {"icon": "material/weather-sunny", "name": "Chuyển sang nền sáng"}},
            ],
        },
        "plugins": [],  # Pagefind replaces MkDocs' search
        "markdown_extensions": [
            "generator.md_stash", "admonition", "attr_list", "md_in_html", "tables", "def_list", "sane_lists",
            {"toc": {"permalink": False, "toc_depth": 2, "slugify": "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"}},
        ],
        "extra": {"generator": False, "congkhai": c.model_dump(mode="json")},
    }


def write_config(portal: Portal, docs: Path, site: Path, pages: list[Page]) -> Path:
    config_file = docs.parent / "mkdocs.yml"
    text = yaml.safe_dump(config_for(portal, docs, site, pages), allow_unicode=True, sort_keys=False)
    # safe_dump cannot write a python tag; the slugify reference is spliced in as YAML.
    text = text.replace("slugify: '!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}'",
                        "slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}")
    config_file.write_text(text, "utf-8")
    return config_file


def build(portal: Portal, docs: Path, site: Path, pages: list[Page]) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = write_config(portal, docs, site, pages)
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    log = logging.getLogger("mkdocs")
    log.setLevel(logging.ERROR)
    try:
        cfg = load_config(config_file=str(config_file))
        mkdocs_build(cfg)
    except (MkDocsException, OSError, yaml.YAMLError) as exc:
        raise BuildError(f"MkDocs: {exc}") from exc
    except Exception as exc:  # a template error in the theme: name the stage, not a traceback
        raise BuildError(f"MkDocs: {type(exc).__name__}: {exc}") from exc
    for page in site.rglob("*.html"):
        page.write_text(compact(page.read_text("utf-8")), "utf-8")


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

"""Renders page specs through their templates into HTML for MkDocs, and writes each page's data files."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import jinja2
import jinja2.ext

from generator.incremental import store
from generator.model.views import Portal
from generator.outputs.site_pages import page_specs
from generator.outputs.spec import Page, PageSpec, page_url, pages_of
from generator.outputs.templates import environment, page_html


def render_pages(
    portal: Portal,
    specs: list[PageSpec],
    site: Path,
    env: jinja2.Environment | None = None,
    costs: dict[str, float] | None = None,
    kept: store.PlanChunks | None = None,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Renders `specs` to HTML pages and writes their data files into `site`; each template gets
    `page_files`, the site paths of the files written beside its page, to link them.

    Returns the pages (docs path → text) and the data files written for each (docs path → site paths);
    into `costs`, the seconds each page took, its data files included but those written by a function
    (data._joined): the next build splices most of them from this one's, in a fraction of the time, and
    the shares of work are cut by these costs (build.workers). `kept`: the build's store, from which
    `{% cache %}` fragments are taken."""
    env = env or environment()
    rendered: dict[str, str] = {}
    written: dict[str, list[str]] = {}
    made: set[Path] = set()
    for spec in specs:
        started, spliced = time.perf_counter(), 0.0
        files = spec.files() if callable(spec.files) else spec.files
        env.fragments = kept.fragments(spec.src) if kept is not None else None
        try:
            text = env.get_template(spec.template).render(
                portal=portal, page_url=page_url(spec.src), page_files=sorted(files), **spec.context
            )
        finally:
            fragments, env.fragments = env.fragments, None
        if fragments is not None:
            fragments.save()
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

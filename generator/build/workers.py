"""Render and lay out every page into the staged site, in parallel, reusing what the last build made.

1. Pages whose units did not change (render.PageSpec.units, cache.unit_key) are taken as they are
   in the previous site (the build is committed into it: pipeline); nothing of them is rendered.
2. The other pages are shared out to one forked worker per core, which take them one at a time
   from one queue: a few portal-wide pages may take as long as the rest together (the open data
   page writes the portal's data files), and what a page costs is known only from the last build.
   In a rebuild the queue is in the order of what each page took last time, costliest first; in a
   build from nothing the pages drawn from the whole portal come first, so that the worker left
   with the costliest is not also given half of the others. Workers read the model the parent
   built, without copying or pickling it. Each renders its pages and writes their data files; a page
   whose text is what the previous build rendered is left as it is in the previous site; MkDocs lays
   out the rest.
3. The theme's files (assets, 404.html) are written by one worker, unless the previous site, which
   the cache trusts, has them all.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator import parallel
from generator.errors import BuildError
from generator.incremental import store

# Pages per share below which a second MkDocs build costs more (its own start-up) than it saves.
_PAGES_PER_WORKER = 20


@dataclass
class Layout:
    """What was made, for the report and the next build's state."""

    times: dict[str, float]
    page_keys: dict[str, str]  # docs path → key of its rendered text
    costs: dict[str, float]  # docs path → seconds it took to render, with its data files (this build's or the last)
    files: dict[str, list[str]]  # docs path → data files written beside it
    rendered: int = 0  # pages rendered by Jinja
    laid_out: int = 0  # pages laid out by MkDocs (the others were linked from the previous site)
    theme: list[str] = field(default_factory=list)  # the theme's files (assets, 404.html) in the site


@dataclass
class _Job:
    portal: object
    shares: list[list]  # the specs each worker renders and lays out (_shares); [queue] when they take turns
    pages: list  # every page, for the navigation and the MkDocs stubs
    site: Path
    previous_site: Path | None
    previous_pages: dict[str, str]
    work: Path
    workers: int
    index_source: Path | None  # where what Pagefind reads of each page goes (mkdocs_backend); None: no index
    theme_share: int = 0  # the share that copies the theme's assets and writes 404.html (-1: none)
    compiled: Path | None = None  # where Jinja keeps compiled templates between builds (ours and the theme's)
    taken: object = None  # with a queue: how many of its specs the workers have taken (parallel.counter)
    kept: store.PlanChunks | None = None  # the build's store: kept {% cache %} fragments


_job: _Job | None = None  # what forked workers read: set just before the fork, cleared after


def lay_out(
    portal,
    specs,
    pages,
    site: Path,
    work: Path,
    *,
    index_source: Path | None,
    previous: store.BuildState,
    previous_site: Path | None,
    unit_keys: dict[str, str],
    compiled: Path | None = None,
    kept: store.PlanChunks | None = None,
) -> Layout:
    """`pages`: every page (render.pages_of(specs)), for the navigation and the MkDocs stubs; `compiled`: a
    folder for Jinja's compiled templates, kept between builds (each worker compiled them all again)."""
    global _job

    layout = Layout({}, {}, {}, {})
    reuse: list[tuple] = []
    todo = specs
    if previous_site is not None:
        changed = {u for u, key in unit_keys.items() if previous.units.get(u) != key} | (
            set(previous.units) - set(unit_keys)
        )
        todo = []
        for spec in specs:
            before = previous.pages.get(spec.src)
            if (
                before
                and spec.units is not None
                and before["units"] is not None
                and changed.isdisjoint(spec.units)
                and changed.isdisjoint(before["units"])
                and before.get("depends", "") == spec.depends
            ):
                reuse.append((spec, before))
            else:
                todo.append(spec)

    # The theme's files depend on nothing the fingerprint does not cover: a site it trusts has them.
    with _files_in(previous_site) as present:
        theme_kept = bool(previous.theme) and all(map(present, previous.theme))
    if theme_kept:
        layout.theme = previous.theme
    workers = parallel.shares(len(todo), _PAGES_PER_WORKER)
    previous_keys = {src: entry["key"] for src, entry in previous.pages.items()} if previous_site is not None else {}
    costs = {src: entry["cost"] for src, entry in previous.pages.items() if "cost" in entry} if previous_site else {}
    shares, queued = _shares(todo, workers, costs)
    _job = _Job(
        portal,
        shares,
        pages,
        site,
        previous_site,
        previous_keys,
        work,
        workers,
        index_source,
        theme_share=-1 if theme_kept else 0,
        compiled=compiled,
        taken=parallel.counter() if queued else None,
        kept=kept,
    )
    t = time.perf_counter()
    try:
        if workers == 1:
            missing = _keep_reused(reuse, previous_site, layout)
            results = [_share(0)]
        else:
            with parallel.pool(workers) as pool:
                pending = pool.map_async(_share, range(workers), chunksize=1)
                missing = _keep_reused(reuse, previous_site, layout)  # while the workers render
                results = pending.get()
        if missing:  # files gone from the previous site: those pages are made after all
            _job = _Job(
                portal,
                [missing],
                pages,
                site,
                previous_site,
                previous_keys,
                work,
                1,
                index_source,
                theme_share=-1,
                compiled=compiled,
                kept=kept,
            )
            results.append(_share(0))
    finally:
        _job = None
    for result in results:
        if isinstance(result, str):
            raise BuildError(result)
    render_s = max(r["render"] for r in results)
    layout.times = {"render": render_s, "mkdocs": time.perf_counter() - t - render_s}
    for r in results:
        layout.page_keys.update(r["page_keys"])
        layout.costs.update(r["costs"])
        layout.files.update(r["files"])
        layout.rendered += r["rendered"]
        layout.laid_out += r["laid_out"]
        layout.theme = r["theme"] or layout.theme
    return layout


def _shares(specs: list, workers: int, costs: dict[str, float]) -> tuple[list[list], bool]:
    """The specs of each worker and whether they take turns from one queue (module docstring): costliest first
    when what each cost is known, else the pages drawn from the whole portal (PageSpec.units None) first."""
    if workers == 1:
        return [specs], False
    if not costs or not all(spec.src in costs for spec in specs):
        return [sorted(specs, key=lambda spec: spec.units is not None)], True
    return [sorted(specs, key=lambda spec: -costs[spec.src])], True  # a stable sort: ties keep their order


def _turns(job: _Job, k: int):
    """Worker k's specs: its fixed share, or the next spec of the queue no worker took yet, one at a time."""
    if job.taken is None:
        yield from job.shares[k]
        return
    queue = job.shares[0]
    while True:
        with job.taken.get_lock():
            turn = job.taken.value
            job.taken.value = turn + 1
        if turn >= len(queue):
            return
        yield queue[turn]


def _keep_reused(reuse: list[tuple], previous_site: Path | None, layout: Layout) -> list:
    """Records the pages taken as they were (their files stay in the previous site, which the build is
    committed into: pipeline); returns the specs whose files are missing from it."""
    missing = []
    with _files_in(previous_site) as present:
        for spec, before in reuse:
            if present(store.page_file(spec.src)) and all(map(present, before["files"])):
                layout.page_keys[spec.src] = before["key"]
                if "cost" in before:
                    layout.costs[spec.src] = before["cost"]
                layout.files[spec.src] = before["files"]
            else:
                missing.append(spec)
    return missing


@contextlib.contextmanager
def _files_in(folder: Path | None):
    """Whether a file is in `folder`, by its path there (none is when the folder is not). A national portal's
    rebuild asks it of some 100,000 files: looked up from the folder (dir_fd), not from the root, and without
    os.path.exists' exception, it takes half the time."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY) if folder is not None else None
    except OSError:
        fd = None
    try:
        yield (lambda rel: os.access(rel, os.F_OK, dir_fd=fd)) if fd is not None else (lambda rel: False)
    finally:
        if fd is not None:
            os.close(fd)


def _share(k: int) -> dict | str:
    """One worker's share. Returns what it made, or the error message (a message pickles; an
    exception from Jinja may not)."""
    from generator.build import mkdocs_site
    from generator.outputs import render, templates

    job = _job
    mine = _turns(job, k)
    try:
        t = time.perf_counter()
        try:
            costs: dict[str, float] = {}  # what each page took: the next rebuild's shares
            rendered, files = render.render_pages(
                job.portal, mine, job.site, templates.environment(job.compiled), costs=costs, kept=job.kept
            )
        except jinja2.TemplateError as exc:
            where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            raise BuildError(f"mẫu trang (templates/pages){where}: {type(exc).__name__}: {exc}") from exc
        keys = {src: store.digest(text) for src, text in rendered.items()}
        with _files_in(job.previous_site) as present:
            for src, key in keys.items():
                if job.previous_pages.get(src) == key and present(store.page_file(src)):
                    del rendered[src]  # the previous site has it as it is
        render_s = time.perf_counter() - t
        t = time.perf_counter()
        stubs = {p.src: p.title for p in job.pages if p.nav is not None and p.src not in rendered}
        theme = k == job.theme_share
        theme_made: list[str] = []
        if rendered or theme:
            theme_made = mkdocs_site.build(
                job.portal,
                rendered,
                job.site,
                job.pages,
                job.work / f"mkdocs-{k}-{job.theme_share}",
                stubs=stubs,
                theme_files=theme,
                index_source=job.index_source,
                compiled=job.compiled,
            )
        return {
            "render": render_s,
            "mkdocs": time.perf_counter() - t,
            "page_keys": keys,
            "files": files,
            "costs": costs,
            "rendered": len(keys),
            "laid_out": len(rendered),
            "theme": theme_made,
        }
    except BuildError as exc:
        if job.workers == 1:
            raise
        return str(exc)

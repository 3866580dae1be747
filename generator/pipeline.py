"""The pipeline in one place: load → validate → model → render → build → index.

The site is built into a temporary folder beside the target and swapped in
only when every stage succeeded, so a failed build leaves `site/` as it was.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import load_config
from .errors import BuildError
from .load import load_tree
from .validate import ValidContent, validate


@contextmanager
def _without_cycle_collection():
    """Loaded content is a large tree of small objects with no garbage cycles; Python's cycle
    collector rescanning it as it grows took two thirds of the load time (1.5 s → 0.5 s on 60 plans)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(content_dir: Path) -> ValidContent:
    with _without_cycle_collection():
        tree, errors = load_tree(content_dir)
        return validate(tree, errors)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: printed by the CLI, read as figures by generator.bench."""

    out: Path
    stages: dict[str, float]  # seconds by stage
    plans: int
    units: int
    pages: int  # pages rendered

    def __str__(self) -> str:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.stages.items())
        return (f"Đã xây dựng {self.plans} kế hoạch của {self.units} đơn vị vào {self.out} ({stages}).\n"
                f"Xem trước: make serve (http://127.0.0.1:8000/) hoặc python -m http.server -d {self.out}")


def build_site(content_dir: Path, config_path: Path, out: Path, *, index: bool = True) -> BuildReport:
    from . import history
    from . import index as indexer
    from . import model, render

    times: dict[str, float] = {}
    t = time.perf_counter()
    config = load_config(config_path)
    content = check(content_dir)
    times["load+validate"] = time.perf_counter() - t

    t = time.perf_counter()
    histories = history.collect(content_dir, {pid: doc.path for pid, doc in content.tree.plans.items()})
    portal = model.build_portal(content, config, histories)
    specs = render.page_specs(portal)
    times["model"] = time.perf_counter() - t
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        staged = work / "site"
        staged.mkdir()
        times.update(_render_and_lay_out(portal, specs, staged, work, for_index=index))
        if index:
            t = time.perf_counter()
            indexer.index(staged)
            times["pagefind"] = time.perf_counter() - t
        _swap(staged, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildReport(out, times, len(portal.plans), len(portal.units), len(specs))


# Pages per share below which a second MkDocs build costs more (its own start-up) than it saves.
_PAGES_PER_WORKER = 400
_shared: tuple | None = None  # what forked workers read: set just before the fork, cleared after


def _render_and_lay_out(portal, specs, site: Path, work: Path, *, for_index: bool) -> dict[str, float]:
    """Renders the pages and lays them out with MkDocs, in as many processes as there are cores.

    Shares are interleaved (every n-th page) so each gets its part of plans, agencies and lists.
    Workers are forked: they read the model the parent built without copying or pickling it."""
    global _shared
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(cores, len(specs) // _PAGES_PER_WORKER))
    t = time.perf_counter()
    _shared = (portal, specs, site, work, workers, for_index)
    try:
        with _without_cycle_collection():
            if workers == 1:
                results = [_lay_out_share(0)]
            else:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    results = pool.map(_lay_out_share, range(workers), chunksize=1)
    finally:
        _shared = None
    for result in results:
        if isinstance(result, str):
            raise BuildError(result)
    render_s = max(r["render"] for r in results)
    return {"render": render_s, "mkdocs": time.perf_counter() - t - render_s}


def _lay_out_share(k: int) -> dict[str, float] | str:
    """One worker's share: render its pages (and their data files), then MkDocs lays them out.

    Returns its timings, or the error message (a message pickles; an exception from Jinja may not)."""
    from . import mkdocs_backend, render

    portal, specs, site, work, n, for_index = _shared
    mine = specs[k::n]
    pages = render.pages_of(specs)
    try:
        t = time.perf_counter()
        try:
            rendered = render.render_pages(portal, mine, site)
        except jinja2.TemplateError as exc:
            where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            raise BuildError(f"mẫu trang (templates/pages){where}: {type(exc).__name__}: {exc}") from exc
        render_s = time.perf_counter() - t
        stubs = frozenset(p.src for p in pages if p.nav is not None and p.src not in rendered)
        t = time.perf_counter()
        mkdocs_backend.build(portal, rendered, site, pages, work / f"mkdocs-{k}", stubs=stubs, theme_files=k == 0,
                             for_index=for_index)
        return {"render": render_s, "mkdocs": time.perf_counter() - t}
    except BuildError as exc:
        if n == 1:
            raise
        return str(exc)


def _swap(staged: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
        os.rename(out, old)
    os.rename(staged, out)
    if old:
        _remove_in_background(old)


def _remove_in_background(folder: Path) -> None:
    """The previous site is already out of the way; deleting a national-scale one (a gigabyte in
    tens of thousands of files) took a minute, which `make site` need not wait for."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)

"""The pipeline in one place: load → validate → model → render → build → index.

The site is built into a temporary folder beside the target and, only when
every stage succeeded, swapped in (a build from nothing) or, for a build that
reused the previous site, moved into it file by file with what no page makes
any more taken out: a failed build leaves `site/` as it was.
"""
from __future__ import annotations

import gc
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import load_config
from .load import load_tree, remember
from .validate import ValidContent, validate

if TYPE_CHECKING:
    from .cache import FileDigests


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


def check(content_dir: Path, cache: dict | None = None, digests: "FileDigests | None" = None) -> ValidContent:
    """Loads and validates the content; `cache` and `digests` as for load.load_tree."""
    with _without_cycle_collection():
        tree, errors = load_tree(content_dir, cache, digests)
        content = validate(tree, errors)
        if cache is not None:
            remember(cache, tree)
        return content


@dataclass(frozen=True)
class BuildReport:
    """What a build did: printed by the CLI, read as figures by generator.bench."""

    out: Path
    stages: dict[str, float]  # seconds by stage
    plans: int
    units: int
    pages: int  # pages in the site
    rendered: int = 0  # pages rendered by Jinja this time (the others came unchanged from the previous build)
    laid_out: int = 0  # pages laid out by MkDocs this time

    def __str__(self) -> str:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.stages.items())
        return (f"Đã xây dựng {self.plans} kế hoạch của {self.units} đơn vị vào {self.out} ({stages}); "
                f"{self.pages} trang, dựng lại {self.laid_out}, giữ nguyên {self.pages - self.laid_out}.\n"
                f"Xem trước: make serve (http://127.0.0.1:8000/) hoặc python -m http.server -d {self.out}")


def build_site(content_dir: Path, config_path: Path, out: Path, *, index: bool = True,
               reuse: bool = True, then_exit: bool = False) -> BuildReport:
    """Builds the site into `out`. With `reuse`, what the previous build of `out` made and the
    content did not change since is taken from it (see cache); the pages are the same either way.

    `then_exit`: the caller leaves the process after the build without tearing down its heap (the
    command, __main__): what the build made is then neither scanned by the cycle collector nor freed.
    Enabling the collector again made the next allocation scan the millions of objects a national
    build made (a second), and freeing the model took another half."""
    if then_exit:
        gc.disable()
        report, made = _build_site(content_dir, config_path, out, index=index, reuse=reuse)
        _left_for_exit.append(made)
        return report
    # The content and the model live until the build ends: a full collection over them, set off by
    # the model's or MkDocs' many small objects, cost seconds of each rebuild.
    with _without_cycle_collection():
        return _build_site(content_dir, config_path, out, index=index, reuse=reuse)[0]


_left_for_exit: list = []  # what builds with then_exit made: the process leaves with it


def _build_site(content_dir: Path, config_path: Path, out: Path, *, index: bool, reuse: bool) -> tuple[BuildReport, tuple]:
    """The build, and what it made (for build_site to keep when the process leaves right after)."""
    from . import cache, data, history, layout, mkdocs_backend, model, render
    from . import index as indexer

    times: dict[str, float] = {}
    t = time.perf_counter()
    out = out.resolve()
    config = load_config(config_path)
    loaded = cache.load_content(out) if reuse else {}
    known = {name: entry[0] for name, entry in loaded.items()}
    digests = cache.FileDigests.load(out) if reuse else cache.FileDigests()
    content = check(content_dir, loaded, digests)
    times["load+validate"] = time.perf_counter() - t

    t = time.perf_counter()
    histories = history.collect(content_dir, {pid: doc.path for pid, doc in content.tree.plans.items()})
    portal = model.build_portal(content, config, histories)
    code = cache.code_fingerprint(config_path, content_dir, for_index=index)
    unit_keys = {uid: cache.unit_key(unit, content_dir, digests) for uid, unit in portal.units.items()}
    # What each plan gives the views over the whole portal (agencies, data tables), kept by its unit's key.
    # The data tables' text is spliced from the previous site's files: only a site the state trusts.
    chunks = cache.PlanChunks(cache.folder_for(out) / "plan-chunks", code,
                              {plan.id: unit_keys[plan.unit.id] for plan in portal.plans}, read=reuse)
    portal.derived[data.PLAN_CHUNKS] = chunks
    specs = render.page_specs(portal)
    pages = render.pages_of(specs)
    fingerprint = cache.fingerprint(code, mkdocs_backend.navigation(pages))
    previous = cache.BuildState.load(out, fingerprint) if reuse else cache.BuildState(fingerprint)
    previous_site = out if previous.site else None
    chunks.previous_site = previous_site
    times["model"] = time.perf_counter() - t
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    source = work / "pagefind-source" if index else None  # what Pagefind reads of each page laid out
    try:
        staged = work / "site"
        staged.mkdir()
        made = layout.lay_out(portal, specs, pages, staged, work, index_source=source, previous=previous,
                              previous_site=previous_site, unit_keys=unit_keys, compiled=cache.compiled_templates(out, code))
        times.update(made.times)
        page_files = {cache.page_file(src): key for src, key in made.page_keys.items()}
        # files of the previous site no page makes any more
        stale = ({f for src, entry in previous.pages.items() for f in [cache.page_file(src), *entry["files"]]}
                 - set(page_files) - {f for files in made.files.values() for f in files}) if previous_site else set()
        search_state: dict = {}
        if index:
            t = time.perf_counter()
            if previous_site is not None and indexer.needs_main(page_files, previous.index, previous_site):
                _complete(staged, previous_site, stale)  # Pagefind reads the whole site
                previous_site = None
            search_state = indexer.index(staged, page_files, previous.index, previous_site, work, source)
            times["pagefind"] = time.perf_counter() - t
        if previous_site is not None:
            _commit(staged, out, stale, work)
        else:
            _swap(staged, out)
    finally:
        if source is not None and source.exists():
            _discard(source, out)  # a file for every page: seconds to delete
        shutil.rmtree(work, ignore_errors=True)
    state = cache.BuildState(fingerprint, units=unit_keys, index=search_state, theme=made.theme, pages={
        spec.src: {"key": made.page_keys[spec.src], "units": sorted(spec.units) if spec.units is not None else None,
                   "files": made.files.get(spec.src, []), **({"cost": made.costs[spec.src]} if spec.src in made.costs else {})}
        for spec in specs})
    state.save(out)
    digests.save(out)
    if {name: entry[0] for name, entry in loaded.items()} != known:
        cache.save_content(out, loaded)
    report = BuildReport(out, times, len(portal.plans), len(portal.units), len(specs), made.rendered, made.laid_out)
    return report, (loaded, content, portal, specs, pages, made, state)


def _commit(staged: Path, out: Path, stale: set[str], work: Path) -> None:
    """Moves what this build made into the previous site and takes out what it no longer has.

    Once every stage has succeeded: a failed build has touched nothing. A rebuild after one edit
    makes tens of files; making a new site of links to the other tens of thousands took seconds."""
    for folder in sorted(p for p in staged.iterdir() if p.is_dir() and p.name.startswith(indexer_prefix())):
        if (out / folder.name).exists():  # an index folder is replaced whole: a delta is not merged file by file
            os.rename(out / folder.name, work / f"old-{folder.name}")
        os.rename(folder, out / folder.name)
    made: set[str] = set()
    for root, _dirs, files in os.walk(staged):
        rel = os.path.relpath(root, staged)
        target = out if rel == "." else out / rel
        if files and rel not in made:
            target.mkdir(parents=True, exist_ok=True)
            made.add(rel)
        for name in files:
            os.replace(os.path.join(root, name), target / name)
    for rel in sorted(stale):
        path = out / rel
        path.unlink(missing_ok=True)
        while path.parent != out and not any(path.parent.iterdir()):
            path.parent.rmdir()
            path = path.parent


def _complete(staged: Path, previous_site: Path, stale: set[str]) -> None:
    """Links into the staged site every file of the previous site it does not have (nor index
    files, nor stale ones): the site whole, for a new main index and a swap."""
    for root, dirs, files in os.walk(previous_site):
        rel = os.path.relpath(root, previous_site)
        if rel == ".":
            dirs[:] = [d for d in dirs if not d.startswith(indexer_prefix())]
        target = staged if rel == "." else staged / rel
        for name in files:
            f = name if rel == "." else f"{rel}/{name}"
            if f not in stale and not (target / name).exists():
                target.mkdir(parents=True, exist_ok=True)
                os.link(os.path.join(root, name), target / name)


def indexer_prefix() -> str:
    from .index import MAIN
    return MAIN  # pagefind/, pagefind-1/, pagefind-delta/


def _swap(staged: Path, out: Path) -> None:
    if out.exists():
        _discard(out, out)
    os.rename(staged, out)


def _discard(folder: Path, out: Path) -> None:
    """Moves `folder` out of the way beside `out` (a name `make clean` knows) and deletes it in the background."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
    os.rename(folder, old)
    _remove_in_background(old)


def _remove_in_background(folder: Path) -> None:
    """The folder is already out of the way; deleting a national-scale site (a gigabyte in tens of
    thousands of files) took a minute, which `make site` need not wait for."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)

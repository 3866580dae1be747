"""The build, top to bottom: load → validate → model → pages → lay out (MkDocs) → search index → publish.

`check` loads and validates the content (content/); `build_site` makes the portal model from it
(model/), the list of pages (outputs/site_pages), renders and lays them out in worker processes
(build/workers, build/mkdocs_site), indexes them for search (search/pagefind) and publishes the new
site atomically (build/publish). What the previous build made is reused through the store
(incremental/store): see docs/incremental.md; the layers and the path of a figure: docs/architecture.md.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.publish import _Builds, _commit, _identity, _related, _Replica, _replicate, _stored, site_path
from generator.content.config import load_config
from generator.content.load import load_tree
from generator.content.validate import ValidContent, validate
from generator.errors import BuildError, DiskFull, checkpoint, disk_full

if TYPE_CHECKING:
    from generator.incremental.store import FileDigests
    from generator.model.releases import Release


@contextmanager
def _collector_paused():
    """The content and the model are millions of small objects without garbage cycles that live until the
    build ends: Python's cycle collector rescanning them as they grow cost much of the build's time
    (docs/performance.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(
    content_dir: Path,
    cache: dict | None = None,
    digests: FileDigests | None = None,
    only: str | None = None,
    *,
    facts_only: bool = False,
) -> ValidContent:
    """Loads and validates the content; `cache`, `digests` and `only` as for load.load_tree. `facts_only`: the
    caller reads no plan's model, only its facts (the national step): the models are kept packed."""
    checkpoint("validate")
    with _collector_paused():
        tree, errors = load_tree(content_dir, cache, digests, only)
        content = validate(tree, errors, cache)
        if facts_only:
            content.models.pack(tree.plans.values())
        if cache is not None:
            content.models.remember(cache, tree)
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
        return (
            f"Đã xây dựng {self.plans} kế hoạch của {self.units} đơn vị vào {self.out} ({stages}); "
            f"{self.pages} trang, dựng lại {self.laid_out}, giữ nguyên {self.pages - self.laid_out}.\n"
            f"Xem trước: make serve (http://127.0.0.1:8000/) hoặc python -m http.server -d {self.out}"
        )


def build_site(
    content_dir: Path,
    config_path: Path,
    out: Path,
    *,
    index: bool = True,
    reuse: bool = True,
    releases: list[Release] | tuple[Release, ...] = (),
    shard: str | None = None,
    shards_from: Path | None = None,
) -> BuildReport:
    """Builds the site into `out`. With `reuse`, what the previous build of `out` made and the
    content did not change since is taken from it (see docs/incremental.md); the pages are the same
    either way. `releases`: the data's releases to publish (generator/release.py makes them from Git tags).

    A portal builds whole, or by shard (docs/shards.md): `shard` a province's id builds its pages, data and
    search index alone; `shards_from` (the national step) builds the portal-wide pages and takes each province's
    folders from its shard's build, `shards_from/<province>`. The pages are the same bytes either way."""
    with _collector_paused():
        return _build_site(
            content_dir,
            config_path,
            out,
            index=index,
            reuse=reuse,
            releases=tuple(releases),
            shard=shard,
            shards_from=shards_from,
        )


def _build_site(
    content_dir: Path,
    config_path: Path,
    out: Path,
    *,
    index: bool,
    reuse: bool,
    releases: tuple[Release, ...],
    shard: str | None = None,
    shards_from: Path | None = None,
) -> BuildReport:
    from generator.build import mkdocs_site, workers
    from generator.incremental import store
    from generator.model import history, views
    from generator.outputs import site_pages, spec
    from generator.search import pagefind

    times: dict[str, float] = {}
    t = time.perf_counter()
    out = site_path(out)
    config = load_config(config_path)
    code = store.code_fingerprint(config_path, content_dir, for_index=index)
    kept = store.Store(out, code, reuse=reuse)
    loaded = kept.validated()
    known = {name: entry[0] for name, entry in loaded.items()}
    # The national step takes what each shard validated and drew of its plans (docs/shards.md): not made again.
    shard_builds = []
    if shards_from is not None and shards_from.is_dir():
        shard_builds = sorted(shards_from / e.name for e in os.scandir(shards_from) if not e.name.startswith("."))
        loaded = {**loaded, **kept.validated_by(shard_builds)}  # a shard's is the newer where they differ
    digests = kept.digests()
    # A province's shard reads its province's content (and the other provinces' names); the national step all of it.
    content = check(content_dir, loaded, digests, only=shard or None, facts_only=shards_from is not None)
    times["load+validate"] = time.perf_counter() - t

    builds = _Builds(out)
    writing = builds.folder  # where the build writes: a full disk is reported there
    new = work = None
    replica: _Replica | None = None
    try:
        builds.lock()
        current = builds.current()
        readers = builds.before(current)
        stored = _stored(out) if reuse else {}
        shared = current is not None and stored.get("site") == _identity(current)  # a rebuild, most likely
        spare = builds.spare(current, readers) if shared else None
        if spare is not None and not _related(spare, current):
            spare = None
        builds.tidy(keep={current, readers, spare}, abandoned=True)
        kept.make_ready()
        new = builds.new()
        work = new.with_name(f"{new.name}.work")
        work.mkdir()
        if shared:
            if spare is not None:
                os.rename(spare, new)  # recycled, named as the build it becomes
            # made while this process makes the model and the pages
            replica = _Replica(current, new, builds.fd, recycled=spare is not None)
        checkpoint("model")

        t = time.perf_counter()
        histories = history.collect(content_dir, {pid: doc.path for pid, doc in content.tree.plans.items()})
        as_of = config.as_of or history.last_change(content_dir)
        portal = views.build_portal(content, config, histories, as_of, releases)
        # Every unit's pages show statuses as of that date (model/results): a new date makes them again.
        unit_keys = {uid: store.unit_key(unit, content_dir, digests, as_of=as_of) for uid, unit in portal.units.items()}
        # What each plan gives the views over the whole portal (agencies, data tables), kept by its unit's key.
        # The data tables' text is spliced from the previous site's files: only a site the state trusts.
        provinces = {province.id for province in portal.provinces}
        if shards_from is not None:
            shard = pagefind.PORTAL
            shard_sites = _shard_sites(shards_from, provinces)
            _check_shards(shard_sites, {p: shard_inputs(content_dir, p, code, digests) for p in provinces})
            for plan in portal.plans:  # the portal-wide tables take each plan's rows from its shard's files
                plan.published = shard_sites[plan.unit.province.id] / plan.id
        chunks = kept.plan_chunks({plan.id: unit_keys[plan.unit.id] for plan in portal.plans}, by=shard_builds)
        specs = site_pages.page_specs(portal, chunks)
        pages = spec.pages_of(specs)  # every page: the navigation is the portal's in a shard too
        if shard is not None:
            if shard and shard not in provinces:
                raise BuildError(
                    f"--shard {shard}: không có tỉnh này trong {content_dir}/ (có: {', '.join(sorted(provinces))})"
                )
            specs = [s for s in specs if pagefind.shard_of(store.page_file(s.src), provinces) == shard]
        # Every plan page cites the latest release: a new one renders the pages again (what is kept of each
        # plan, PlanChunks, does not depend on releases).
        fingerprint = store.fingerprint(store.digest(code, *(r.key for r in releases)), mkdocs_site.navigation(pages))
        previous = store.BuildState.load(out, fingerprint, stored) if reuse else store.BuildState(fingerprint)
        previous_site = current if previous.site else None
        if previous_site is None and replica is not None:  # the state turned out not to trust it: nothing to share
            replica.abandon()
            replica = None
            builds.discard(new)
            new = builds.new()
        chunks.previous_site = previous_site
        times["model"] = time.perf_counter() - t

        # A rebuild lays out beside the replica, whose files are moved over, never written through.
        staged = work / "site" if replica is not None else new
        staged.mkdir()
        writing = staged
        source = work / "pagefind-source" if index else None  # what Pagefind reads of each page laid out
        checkpoint("render")
        made = workers.lay_out(
            portal,
            specs,
            pages,
            staged,
            work,
            index_source=source,
            previous=previous,
            previous_site=previous_site,
            unit_keys=unit_keys,
            compiled=kept.compiled_templates(),
            kept=chunks,
        )
        times.update(made.times)
        page_files = {store.page_file(src): key for src, key in made.page_keys.items()}
        if replica is not None:
            checkpoint("commit")
            t = time.perf_counter()
            writing = new
            replica.wait()
            replica = None
            # files of the previous site no page makes any more
            stale = (
                {f for src, entry in previous.pages.items() for f in [store.page_file(src), *entry["files"]]}
                - set(page_files)
                - {f for files in made.files.values() for f in files}
            )
            _commit(staged, new, stale)
            times["publish"] = time.perf_counter() - t
        writing = new
        taken: dict[str, str] = {}
        if shards_from is not None:
            checkpoint("shards")
            t = time.perf_counter()
            taken = _take_shards(new, shards_from, provinces, previous.shards if previous_site is not None else {})
            times["shards"] = time.perf_counter() - t

        def keep_content_store() -> None:
            # keyed by the content files' bytes: written before the site is published, a failed build leaves
            # entries true of the content
            if {name: entry[0] for name, entry in loaded.items()} != known:
                kept.keep_validated(loaded, known)
            digests.save(out)

        search_state: dict = {}
        if index:
            checkpoint("pagefind")
            t = time.perf_counter()
            _set_aside_legacy_index(new, work)
            search_state = pagefind.index_site(
                new,
                page_files,
                provinces,
                previous.index if previous_site is not None else None,
                work,
                source,
                kept.folder / "readings",
                meanwhile=keep_content_store,  # Pagefind's binary is most of a rebuild's last second
            )
            times["pagefind"] = time.perf_counter() - t
        else:
            keep_content_store()

        t = time.perf_counter()
        writing = kept.folder
        checkpoint("state")
        state = store.BuildState(
            fingerprint,
            units=unit_keys,
            index=search_state,
            theme=made.theme,
            shards=taken,
            pages={
                spec.src: {
                    "key": made.page_keys[spec.src],
                    "units": sorted(spec.units) if spec.units is not None else None,
                    "files": made.files.get(spec.src, []),
                    **({"cost": made.costs[spec.src]} if spec.src in made.costs else {}),
                    **({"depends": spec.depends} if spec.depends else {}),
                }
                for spec in specs
            },
        )
        # Saved before the site is published: every write of the build is done by then, and a failed one
        # leaves the site as it was. Killed between the two, the state describes a folder never published:
        # the next build does not trust it.
        if shard:  # what the national step checks the shard against
            _write_inputs(new, shard_inputs(content_dir, shard, code, digests))
        state.save(out, new)
        writing = out.parent
        replaced = builds.publish(new, current)
        times["publish"] = times.get("publish", 0.0) + time.perf_counter() - t
    except BaseException as exc:
        if replica is not None:
            replica.abandon()
        full = disk_full(exc, writing) if isinstance(exc, Exception) and not isinstance(exc, DiskFull) else None
        for folder in (new, work, new and new.with_name(f"{new.name}.link")):
            if folder is not None:
                try:
                    builds.discard(folder)
                except OSError:
                    pass  # the next build's tidy
        builds.unlock()
        if full is not None:
            raise full from exc
        raise
    # Kept: the site, the one it replaced, and the one before for the next rebuild to recycle if it shares
    # files with this one (not after a build from nothing: a copy of a whole site, recycled at a loss).
    spare = builds.before(replaced)
    builds.tidy(keep={new, replaced, spare if spare is not None and _related(spare, new) else None})
    kept.keep_taken()
    builds.unlock()
    return BuildReport(out, times, len(portal.plans), len(portal.units), len(specs), made.rendered, made.laid_out)


def _shard_sites(shards: Path, provinces: set[str]) -> dict[str, Path]:
    """Each province's shard build, `shards/<province>` (a link to its site, or the site copied from another disk),
    by province; a missing one is named, with how to build it."""
    sites = {p: site_path(shards / p) for p in sorted(provinces)}
    missing = [p for p, site in sites.items() if not (site / p).is_dir()]
    if missing:
        raise BuildError(
            f"{shards}: thiếu bản dựng của {', '.join(missing)} "
            f"(dựng từng tỉnh trước: python -m generator build --shard <tỉnh> --out {shards}/<tỉnh>)"
        )
    return sites


SHARD_INPUTS = ".shard-inputs.json"  # in a shard's output, beside its province's folder: never published


def shard_inputs(content_dir: Path, province: str, code: str, digests: FileDigests) -> dict:
    """What a province's shard is built from: the code and portal-wide files (`code`, store.code_fingerprint),
    the SHA-256 of each file of the province's folder and of every province's unit.yml (the navigation)."""
    files = [p for p in (content_dir / province).rglob("*") if p.is_file() and not p.name.startswith(".")]
    files += [p for p in content_dir.glob("*/unit.yml") if p.parent.name != province]
    return {
        "province": province,
        "code": code,
        "files": {
            f"{content_dir.name}/{p.relative_to(content_dir).as_posix()}": digests.sha256(p) for p in sorted(files)
        },
    }


def _write_inputs(site: Path, inputs: dict) -> None:
    # a new file, never written through: a rebuild's site shares the previous one's files (publish._Replica)
    temporary = site / f"{SHARD_INPUTS}.tmp"
    temporary.write_text(json.dumps(inputs, ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
    os.replace(temporary, site / SHARD_INPUTS)


def _check_shards(sites: dict[str, Path], expected: dict[str, dict]) -> None:
    """Refuses to assemble a shard built from other content or code than the national step's: its pages would not
    be those the portal-wide pages describe (a plan edited, its province's shard not built again)."""
    problems = []
    for province, site in sites.items():
        try:
            built = json.loads((site / SHARD_INPUTS).read_text("utf-8"))
        except (OSError, ValueError):
            built = None
        want = expected[province]
        if not isinstance(built, dict) or built.get("code") != want["code"]:
            problems.append(f"- {province}: dựng bằng mã nguồn hoặc cấu hình khác")
            continue
        files = built.get("files") if isinstance(built.get("files"), dict) else {}
        changed = sorted(f for f in files.keys() | want["files"].keys() if files.get(f) != want["files"].get(f))
        if changed:
            more = f" và {len(changed) - 3} tệp khác" if len(changed) > 3 else ""
            problems.append(f"- {province}: nội dung đã đổi từ khi dựng: {', '.join(changed[:3])}{more}")
    if problems:
        names = " ".join(p.split(":")[0].removeprefix("- ") for p in problems)
        raise BuildError(
            "Bản dựng của tỉnh không khớp nội dung hiện tại, chưa ghép:\n"
            + "\n".join(problems)
            + f"\nDựng lại các tỉnh này trước: make shard PROVINCE=<tỉnh> (tỉnh: {names})"
        )


def _take_shards(site: Path, shards: Path, provinces: set[str], taken_before: dict[str, str]) -> dict[str, str]:
    """Puts each province's folders (its pages, data and search index: `<province>/`, `co-quan/<province>/`) into
    `site` from its shard's build, in place of what the previous site had: the files of a shard not built again
    are the site's already, and stay; a shard whose build is the one the previous site took (`taken_before`, by
    province: its identity) is not looked at. Returns what was taken."""
    from generator.search.pagefind import AGENCIES

    taken = {}
    for province, built in _shard_sites(shards, provinces).items():
        taken[province] = _identity(built) or ""
        if taken[province] and taken_before.get(province) == taken[province]:
            continue  # the same build of the shard: the previous site's files, which `site` shares, are its
        for folder in (province, f"{AGENCIES}/{province}"):
            if (built / folder).is_dir():
                _replicate(built / folder, site / folder)  # what is already the same file stays
            elif (site / folder).exists():
                shutil.rmtree(site / folder)
    return taken


def _set_aside_legacy_index(site: Path, work: Path) -> None:
    """Moves out of the new site the index folders of builds before the index was made by shard (a main index in
    parts and a delta: pagefind-1/, pagefind-delta/), linked from the previous one."""
    for entry in os.listdir(site):
        if entry.startswith("pagefind-") and (site / entry).is_dir():
            os.rename(site / entry, work / f"legacy-{entry}")

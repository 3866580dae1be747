"""The store: what the previous build of a site made, so the next one makes only what changed.

Kept beside the site, never inside it (`site/` → `.site.cache/`), and valid under one rule (Store): it was
made under the same version of the code, templates, packages, site configuration and catalogues
(`code_fingerprint`); otherwise the build empties it and starts from nothing. Within it, each entry is
keyed by the content it was made from, and an entry that cannot be read whole is taken as absent.

What is reused, cheapest first:
- a content file whose inode, size and times are as the last build recorded is not even read: its
  SHA-256 is taken from `digests.json` (FileDigests);
- a content file whose bytes did not change is neither parsed nor validated again: its validated
  model is kept in `validated/` (validate.Models; in shares by file name, a rebuild writes again only those
  with a file changed), pickled on its own and read only by what needs it
  (a plan's facts serve the rest: content.facts.PlanFacts);
- a page is not rendered at all when none of the units its content comes from changed
  (outputs.spec.PageSpec.units, then and now; `unit_key`: the unit folder's files, its ancestors'
  unit.yml and agencies.yml, its plans' Git history), and the build state trusts the previous site
  (BuildState: that very folder, by device, inode and change time, and the same navigation);
- a page whose rendered text is the same as last time keeps the HTML it has, without a new
  layout by MkDocs;
- the search index: see search/pagefind.py (an index per province, made again when what Pagefind reads of one of its
  pages changed);
- the portal-wide tables (`data/*.csv|json`) and indexes: each plan's share taken from the previous
  build while its unit is unchanged (PlanChunks); page fragments likewise (Fragments);
- the theme's files, in the site (build.workers); Jinja's compiled templates, in `jinja/`.

What a build makes goes into a new folder beside the site, which the site's link is turned to only
when every stage has succeeded (build.publish); no file of a published site is ever written in place.
See docs/incremental.md.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError

STATE = "state.pickle"
_ROOT = Path(__file__).resolve().parents[2]


def folder_for(out: Path) -> Path:
    return out.parent / f".{out.name}.cache"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def _tree_bytes(folder: Path, pattern: str) -> list[bytes]:
    return [
        p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes()
        for p in sorted(folder.rglob(pattern))
        if p.is_file() and "__pycache__" not in p.parts
    ]


@functools.cache
def code_version() -> str:
    """The version of every cache: all of the generator's code (generator/**/*.py) and templates
    (templates/**), the pinned requirements, the packages installed and the Python running them. A list
    of the modules each cache depends on was kept by hand, and missed one: a rule tightened in
    privacy.py was not applied to plans taken from the load cache."""
    requirements = _ROOT / "requirements.txt"
    parts: list[bytes | str] = [sys.version, requirements.read_bytes() if requirements.is_file() else b"-"]
    parts += _tree_bytes(_ROOT / "generator", "*.py") + _tree_bytes(_ROOT / "templates", "*")
    parts += _installed()
    return digest(*parts)


def _installed() -> list[str]:
    """The distributions installed where Python finds packages, with their versions (their metadata
    folders are named so: one listing per folder, not a metadata read per package)."""
    found = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as it:
                found += [e.name for e in it if e.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(found)


def code_fingerprint(config_path: Path, content_dir: Path, *, for_index: bool) -> str:
    """Everything every page depends on besides its own unit's content and the navigation: the code
    (code_version), site configuration, indicator catalogue and budget categories; the store's version
    (Store). What is kept of each plan (PlanChunks) depends on no more than this and the plan's unit."""
    parts: list[bytes | str] = [f"index={for_index}", code_version()]
    for path in (config_path, content_dir / "indicators.yml", content_dir / "budget_categories.yml"):
        parts.append(path.read_bytes() if path.is_file() else b"-")
    return digest(*parts)


def fingerprint(code: str, navigation: object = None) -> str:
    """What every page depends on besides its own unit's content: code_fingerprint and the navigation
    (every page shows it: renaming a province in it lays out every page again)."""
    return digest(code, json.dumps(navigation, ensure_ascii=False, sort_keys=True))


def unit_key(unit, content_dir: Path, digests: FileDigests | None = None, *, as_of: object = None) -> str:
    """The inputs of a unit's own pages: every file directly in its folder, its ancestors' unit.yml
    (names and links in breadcrumbs and identity blocks) and agencies.yml (a district plan's link to
    a province department), the Git history of its plans, and the date its targets' statuses are computed at."""
    digests = digests or FileDigests()
    parts: list[bytes | str] = [unit.id, f"as_of={as_of}"]
    # Paths as text: a national portal asks this of every unit, and pathlib's joins were most of its time.
    with os.scandir(os.path.join(content_dir, unit.id)) as entries:  # their types come with them: no stat of each
        files = sorted((e.name, e.path) for e in entries if e.is_file())
    parts += [f"{name}\0{digests.sha256(path)}" for name, path in files]
    for ancestor in unit.ancestors:
        for name in ("unit.yml", "agencies.yml"):
            try:
                parts.append(digests.sha256(os.path.join(content_dir, ancestor.id, name)))
            except OSError:  # not there (or not a file)
                parts.append("-")
    parts += [repr(plan.history) for plan in unit.plans]
    return digest(*parts)


class FileDigests:
    """The SHA-256 of content files, kept between builds by each file's stat: a file whose inode, size,
    modification and change times are as recorded is not read again (a national portal's content was
    read three times per build: for the load cache, the source documents' checksums, the unit keys).

    A file's change time moves with every write and cannot be set back or copied. A file written less
    than RACY_S before the record is kept is not recorded: a second write in the same clock tick
    could leave all four as they were."""

    FILE = "digests.json"
    RACY_S = 2

    def __init__(self, known: dict[str, list] | None = None):
        self.known = known or {}  # path → [inode, size, mtime_ns, ctime_ns, sha256]
        self.seen: dict[str, list] = {}

    @classmethod
    def load(cls, out: Path) -> FileDigests:
        try:
            known = json.loads((folder_for(out) / cls.FILE).read_text("utf-8"))
        except Exception:  # unreadable or cut short (a full disk): as if absent, every file read again
            return cls()
        return cls(known if isinstance(known, dict) else {})

    def sha256(self, path: Path | str) -> str:
        return self.read(path)[0]

    def read(self, path: Path | str) -> tuple[str, bytes | None]:
        """The file's SHA-256 and, when it had to be read for it, its bytes (a file parsed next is not read twice).
        A file asked for again in the same build is as it was the first time: the build describes one state of it
        (a unit's key, its ancestors' files asked for by each of their units, the content it loaded)."""
        key = str(path)
        if (entry := self.seen.get(key)) is not None:
            return entry[4], None
        st = os.stat(path)  # before reading: a write in between leaves a stat that will not match again
        stat = [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        entry = self.known.get(key)
        raw = None
        if isinstance(entry, list) and entry[:4] == stat:
            sha = entry[4]
        else:
            with open(path, "rb") as f:
                raw = f.read()
            sha = hashlib.sha256(raw).hexdigest()
        self.seen[key] = [*stat, sha]
        return sha, raw

    def save(self, out: Path) -> None:
        settled = time.time_ns() - self.RACY_S * 1_000_000_000
        kept = {k: v for k, v in sorted(self.seen.items()) if max(v[2], v[3]) < settled}
        folder = folder_for(out)
        folder.mkdir(parents=True, exist_ok=True)
        write_whole(folder / self.FILE, json.dumps(kept, separators=(",", ":")).encode("utf-8"))


def write_whole(path: Path, data: bytes) -> None:
    """Writes `path` through a temporary file renamed over it: a reader sees the old file or the new one,
    never part of one. A failed write (a full disk) leaves the old file and no temporary one."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def site_identity(site: Path) -> str:
    """The site folder as its build left it (`site` may be the link to it). An inode alone could be a new
    folder's reusing a deleted one's number; the change time cannot be copied or set back, and moves with
    any entry added at its top."""
    st = site.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_ctime_ns}"


def page_file(src: str) -> str:
    """Where MkDocs writes the page at docs path `src` (directory URLs)."""
    if src == "index.md":
        return "index.html"
    return src[: -len("index.md")] + "index.html" if src.endswith("/index.md") else src[:-3] + "/index.html"


@dataclass
class BuildState:
    """What a build made: each page's text key, the units it came from and its data files; each
    unit's key; the search index's state."""

    fingerprint: str = ""
    site: str = ""  # identity of the site folder it describes (site_identity); "" for none
    # docs path → {"key", "units": [...] | None, "files": [...], "cost": seconds to render}
    pages: dict[str, dict] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # unit id → unit_key
    index: dict = field(default_factory=dict)  # index.py's own state
    theme: list[str] = field(default_factory=list)  # the theme's files (layout)
    # the national step: each province's shard build it took the province's folders from (site_identity)
    shards: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path, fingerprint: str, stored: dict | None = None) -> BuildState:
        """The previous build's state (`stored`, if already read), or an empty one when it cannot be trusted
        for the site `out` is now."""
        try:
            state = cls.stored(out) if stored is None else stored
            site = site_identity(out)
        except Exception:  # no site, or a state unreadable or cut short: a build from nothing
            return cls(fingerprint)
        if not isinstance(state, dict) or state.get("fingerprint") != fingerprint or state.get("site") != site:
            return cls(fingerprint)
        kept = cls(
            fingerprint,
            site,
            state.get("pages"),
            state.get("units"),
            state.get("index"),
            state.get("theme"),
            state.get("shards", {}),
        )
        if not (
            isinstance(kept.pages, dict)
            and isinstance(kept.units, dict)
            and isinstance(kept.index, dict)
            and isinstance(kept.theme, list)
            and isinstance(kept.shards, dict)
        ):
            return cls(fingerprint)
        return kept

    def save(self, out: Path, site: Path) -> None:
        """Records the state of the build of `out` whose site is the folder `site`."""
        folder = folder_for(out)
        folder.mkdir(parents=True, exist_ok=True)
        self.site = site_identity(site)
        write_whole(folder / STATE, pickle.dumps(self.__dict__, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def stored(out: Path) -> dict:
        """The state as the last build of `out` saved it, trusted or not."""
        return pickle.loads((folder_for(out) / STATE).read_bytes())


VALIDATED = "validated"  # a folder of shares of the validated models
VALIDATED_SHARDS = 64


def _share_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % VALIDATED_SHARDS


class Store:
    """What a build keeps for the next one, in one folder beside the site (`site/` → `.site.cache/`), handed
    by the build to each stage that keeps something: file digests (content), validated models (validate),
    the build state (which pages can stay), per-plan chunks and kept fragments (outputs), compiled templates.

    One rule makes it valid: everything in it was made under one `version` (code_fingerprint: the code,
    templates, packages, site configuration and catalogues); a build under another version empties it first.
    Within it, each entry is keyed by the content it was made from (a file's SHA-256, a unit's key), and an
    entry that cannot be read whole is taken as absent: what it held is made again."""

    VERSION = "version"

    def __init__(self, out: Path, version: str, *, reuse: bool = True):
        self.out, self.folder, self.version, self.reuse = out, folder_for(out), version, reuse
        self._taken: dict[str, str] | None = None  # validated_by: the state of each other store it took from
        try:
            self.trusted = reuse and (self.folder / self.VERSION).read_bytes() == version.encode("utf-8")
        except OSError:
            self.trusted = False

    def make_ready(self) -> None:
        """Empties the store if it was made under another version (or the build reuses nothing), and removes
        what a killed build left half-written. Called with the build's lock held: no other build writes here."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if not self.trusted or entry.name.endswith(".tmp"):
                    shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
        if not self.trusted:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_whole(self.folder / self.VERSION, self.version.encode("utf-8"))
            self.trusted = True

    def digests(self) -> FileDigests:
        """The content files' digests by their stat (read before the lock is taken: written whole, by rename)."""
        return FileDigests.load(self.out) if self.trusted else FileDigests()

    def validated(self) -> dict:
        """The validated model of each content file by the previous build (validate.Models.remember)."""
        return _validated(self.folder) if self.trusted else {}

    def validated_by(self, builds: list[Path]) -> dict:
        """What other builds (the national step: its shards, by their `--out`) validated, from their stores made
        under this version: each entry is taken only for a file whose bytes are the ones it was made from, as
        this store's own (validate.Models.kept). A store whose models are as this store last took them is not
        read again: they are this store's own since (keep_taken)."""
        files: dict = {}
        taken = self._taken_before()
        self._taken = {}
        for out in builds:
            folder = folder_for(out)
            if not self._same_version(folder):  # made by other code: its models may differ
                continue
            self._taken[out.name] = mark = _identity_or_none(folder / VALIDATED)
            if not mark or taken.get(out.name) != mark:
                files.update(_validated(folder))
        return files

    def keep_taken(self) -> None:
        """Records which state of each other build's store validated_by took, once this build's own models (those
        taken included) are kept: the next build reads only the stores that changed since."""
        if self._taken is not None:
            write_whole(self.folder / TAKEN, json.dumps(self._taken, sort_keys=True).encode("utf-8"))

    def _taken_before(self) -> dict:
        try:
            taken = json.loads((self.folder / TAKEN).read_bytes()) if self.trusted else {}
        except (OSError, ValueError):
            return {}
        return taken if isinstance(taken, dict) else {}

    def keep_validated(self, files: dict, before: dict[str, str]) -> None:
        """Writes what validate.Models.remember gave, in shares by file name: only the shares with a file
        added, changed or gone since `before` (file → digest, as read) are written again. Each model is
        pickled on its own: the next build unpickles only the models of the pages it makes."""
        shares: list[dict] = [{} for _ in range(VALIDATED_SHARDS)]
        changed: set[int] = {_share_of(name) for name in before.keys() - files.keys()}
        for name, (digest, kept, *rest) in files.items():
            k = _share_of(name)
            if before.get(name) != digest:
                changed.add(k)
            if not isinstance(kept, bytes):
                kept = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
            shares[k][name] = (digest, kept, *rest)
        (self.folder / VALIDATED).mkdir(exist_ok=True)
        for k in sorted(changed):
            write_whole(self.folder / VALIDATED / f"{k}.pickle", pickle.dumps(shares[k], pickle.HIGHEST_PROTOCOL))

    def plan_chunks(self, keys: dict[str, str], by: list[Path] = ()) -> PlanChunks:
        """What each plan gives the views over the whole portal, kept by its unit's key (`keys`: plan → unit key);
        `by`: other builds (the national step: its shards, by their `--out`) whose values are taken too."""
        others = [folder_for(out) / "plan-chunks" for out in by if self._same_version(folder_for(out))]
        return PlanChunks(self.folder / "plan-chunks", self.version, keys, read=self.reuse, others=others)

    def _same_version(self, folder: Path) -> bool:
        try:
            return (folder / self.VERSION).read_bytes() == self.version.encode("utf-8")
        except OSError:
            return False

    def compiled_templates(self) -> Path:
        """Where Jinja keeps the compiled templates (ours and the theme's). Jinja tells a compiled template by
        its source alone; what it compiles to depends on our code too (the version)."""
        return self.folder / "jinja"


TAKEN = "validated-taken.json"  # the national step: the state of each shard's store it took models from


def _identity_or_none(folder: Path) -> str:
    """site_identity of `folder` (its change time moves whenever a file is added, replaced by write_whole's rename,
    or removed), "" when it is not there."""
    try:
        return site_identity(folder)
    except OSError:
        return ""


def _validated(folder: Path) -> dict:
    files: dict = {}
    for k in range(VALIDATED_SHARDS):
        try:
            with open(folder / VALIDATED / f"{k}.pickle", "rb") as f:
                share = pickle.load(f)
        except Exception:  # absent, unreadable or cut short: its files validated again
            continue
        if isinstance(share, dict):
            files.update(share)
    return files


class PlanChunks:
    """The shares of the portal-wide files, kept between builds: a rebuild makes again only the shares of
    plans whose unit changed. A share is what one plan gives a file (its rows; for the indicators' table,
    the row of one of its targets), named by an id unique in the file.

    `keys`: plan id → unit_key of its unit (a share comes from the plan, its unit and ancestors);
    a different `fingerprint` (code, configuration, indicator catalogue) drops them all. With
    `read` false (a build from nothing), nothing is taken from before, but what is made is recorded.

    - `chunks`: values (a share's evidence of column types) in a pickle per table in `folder`;
    - `splice`: text. A portal-wide file is its shares' text, in order, between a head and a tail;
      a share made before is copied, in the kernel, from the file the previous build wrote
      (`previous_site`), where `folder` records each share's place. The text of every plan's rows was
      pickled beside the site once more, and read, and written again.
      The pipeline makes PlanChunks before it knows which previous site it trusts, and sets
      `previous_site` once it does (after the page list, which the agency index kept here is part of);
    - `fragments`: the kept HTML of a page's fragments (Fragments).

    `others`: the folders of other builds' PlanChunks under the same fingerprint (the national step: its
    shards'), whose `chunks` values are taken like this build's own."""

    def __init__(
        self,
        folder: Path,
        fingerprint: str,
        keys: dict[str, str],
        *,
        read: bool = True,
        previous_site: Path | None = None,
        others: list[Path] = (),
    ):
        self.folder, self.fingerprint, self.keys, self.read = folder, fingerprint, keys, read
        self.others = list(others)
        self.previous_site = previous_site if read else None

    SHARDS = 64  # files per table of `chunks`: a rebuild writes again only those with a share made again

    def chunks(self, table: str, shares: list[tuple[str, str | tuple[str, ...], Callable[[], object]]]) -> list:
        """Of each share (its id, the id of the plan it comes from or the ids of the plans, `make`): make(), or
        what it gave last time."""
        paths = [self.folder / table / f"{k}.pickle" for k in range(self.SHARDS)]
        before = [self._before(path) for path in paths]
        for other in self.others:  # a share's id says which file holds it, in every build
            for k, was in enumerate(before):
                before[k] = {**self._load(other / table / f"{k}.pickle"), **was}
        now: list[dict] = [{} for _ in paths]
        values = []
        for share_id, plan_id, make in shares:
            shard = zlib.crc32(share_id.encode("utf-8")) % self.SHARDS
            key, kept = self._key(plan_id), before[shard].get(share_id)
            made = now[shard][share_id] = (
                kept if key is not None and kept is not None and kept[0] == key else (key, make())
            )
            values.append(made[1])
        for path, was, new in zip(paths, before, now):
            if new.keys() != was.keys() or any(new[p] is not was[p] for p in new):
                self._record(path, new)  # by the one worker that makes this table (each is carried by one page)
        return values

    def _key(self, plans: str | tuple[str, ...]) -> str | tuple | None:
        """The unit key of the plan, or of each of the plans; None: a plan the build does not know."""
        if isinstance(plans, str):
            return self.keys.get(plans)
        keys = tuple(self.keys.get(plan) for plan in plans)
        return None if None in keys else keys

    def splice(
        self,
        name: str,
        out: Path,
        shares: list[tuple[str, str, Callable[[], str]]],
        *,
        head: bytes,
        sep: bytes = b"",
        tail: bytes = b"",
    ) -> None:
        """Writes at `out` the file at site path `name`: `head`, the text of each share (its id, the id of the
        plan it comes from, `make` giving its text) with `sep` between those not empty, `tail`."""
        record = self.folder / f"{name.replace('/', '~')}.places"
        before, source = self._before(record), None
        if before.get("places") and self.previous_site is not None and before.get("head") == head:
            try:
                source = os.open(self.previous_site / name, os.O_RDONLY)
                st = os.fstat(source)
                # The very file the record describes: rewritten since (a failed build's record), it is not read.
                if [st.st_ino, st.st_size, st.st_mtime_ns] != before["file"]:
                    os.close(source)
                    source = None
            except OSError:
                source = None
        places: dict[str, tuple[str | None, int, int]] = {}  # share id → (unit key, offset, length)
        target = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            writer = _SpliceWriter(source, target, self.previous_site / name if source is not None else None)
            writer.write(head)
            written = False
            for share_id, plan_id, make in shares:
                key, kept = self.keys.get(plan_id), before["places"].get(share_id) if source is not None else None
                text = None if key is not None and kept is not None and kept[0] == key else make().encode("utf-8")
                length = len(text) if text is not None else kept[2]
                if length and written:
                    writer.write(sep)
                places[share_id] = (key, writer.position, length)
                if text is not None:
                    writer.write(text)
                elif length:
                    writer.copy(kept[1], length)
                written = written or bool(length)
            writer.write(tail)
            writer.flush()
            st = os.fstat(target)
        finally:
            os.close(target)
            if source is not None:
                os.close(source)
        self._record(record, {"head": head, "file": [st.st_ino, st.st_size, st.st_mtime_ns], "places": places})

    def fragments(self, src: str) -> Fragments:
        """The kept HTML of the fragments of the page at docs path `src` (render's {% cache %})."""
        return Fragments(self, src)

    def _before(self, path: Path) -> dict:
        return self._load(path) if self.read else {}

    def _load(self, path: Path) -> dict:
        try:
            with open(path, "rb") as f:
                fingerprint, before = pickle.load(f)
        except Exception:  # unreadable or cut short: as if absent, its shares made again
            return {}
        return before if fingerprint == self.fingerprint and isinstance(before, dict) else {}

    def _record(self, path: Path, value: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, pickle.dumps((self.fingerprint, value), protocol=pickle.HIGHEST_PROTOCOL))


class Fragments:
    """The HTML of one page's fragments, by key, kept between builds in one file per page: a portal-wide
    page of thousands of rows (an indicator's targets, the disclosure list) makes again only the rows whose
    key changed. A key is the plain values the fragment depends on, and the ids of the plans it shows, which
    stand for their unit's key (PlanChunks.keys). Read on first use; `save` writes what this build used."""

    def __init__(self, chunks: PlanChunks, src: str):
        self.chunks, self.src = chunks, src  # every page rendered has one: its file is named on first use
        self.before: dict | None = None
        self.now: dict[tuple, str] = {}
        self.made = 0

    def kept(self, key: tuple, plans: list[str]) -> str | None:
        """The fragment's HTML kept under `key` and its plans' unit keys; None: to be made (and `keep`)."""
        full = self._full(key, plans)
        if full is None:
            return None
        if self.before is None:
            self.before = self.chunks._before(self._path())
        html = self.now.get(full)
        if html is None:
            html = self.before.get(full)
            if html is not None:
                self.now[full] = html
        return html

    def keep(self, key: tuple, plans: list[str], html: str) -> None:
        full = self._full(key, plans)
        if full is not None:
            self.now[full] = html
            self.made += 1

    def _full(self, key: tuple, plans: list[str]) -> tuple | None:
        unit_keys = self.chunks._key(tuple(plans))
        # a plan the build does not know: nothing to tell its changes by, nothing kept
        return None if unit_keys is None else (key, unit_keys)

    def save(self) -> None:
        if self.before is not None and (self.made or self.now.keys() != self.before.keys()):
            self.chunks._record(self._path(), self.now)

    def _path(self) -> Path:
        return self.chunks.folder / "fragments" / f"{digest(self.src)}.pickle"


class _SpliceWriter:
    """Writes new bytes and ranges of a source file to a file, joining ranges that follow each other in
    the source into one copy (a rebuild copies a large file in a few calls)."""

    def __init__(self, source: int | None, target: int, source_path: Path | None = None):
        self.source, self.target, self.source_path = source, target, source_path
        self.position = 0  # bytes written so far, pending ones included
        self._bytes: list[bytes] = []
        self._range: list[int] | None = None  # [offset, length] in the source, pending

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._range is not None and self.source is not None and self._follows(data):
            self._range[1] += len(data)  # the separator between two shares copied is in the source too
        else:
            self._flush_range()
            self._bytes.append(data)
        self.position += len(data)

    def copy(self, offset: int, length: int) -> None:
        if self._range is not None and self._range[0] + self._range[1] == offset:
            self._range[1] += length
        else:
            self._flush_bytes()
            self._flush_range()
            self._range = [offset, length]
        self.position += length

    def _follows(self, data: bytes) -> bool:
        # Only a separator, and only where the source has it right after the pending range.
        return len(data) <= 4 and os.pread(self.source, len(data), sum(self._range)) == data

    def flush(self) -> None:
        self._flush_range()
        self._flush_bytes()

    def _flush_bytes(self) -> None:
        if self._bytes:
            data, self._bytes = b"".join(self._bytes), []
            view = memoryview(data)
            while view:
                view = view[os.write(self.target, view) :]

    def _flush_range(self) -> None:
        if self._range is None:
            return
        self._flush_bytes()
        offset, length = self._range
        self._range = None
        while length:
            try:
                done = os.copy_file_range(self.source, self.target, length, offset)
            except OSError:  # not in this kernel or across file systems: through user space
                done = os.write(self.target, os.pread(self.source, min(length, 1 << 24), offset))
            if done <= 0:  # the file is shorter than its record says: changed while this build read it
                raise BuildError(
                    f"{self.source_path}: tệp của lần dựng trước đổi trong lúc dựng lại (hết ở byte {offset}); "
                    "hãy chạy lại make site"
                )
            offset, length = offset + done, length - done


def kept_or_made(
    kept: PlanChunks | None, table: str, shares: list[tuple[str, str | tuple[str, ...], Callable[[], object]]]
) -> list:
    """make() of each share (its id, the id of its plan or plans, make), or what it gave when its plans' units were
    last built (`kept`: the build's PlanChunks; None: nothing kept, everything made)."""
    return kept.chunks(table, shares) if kept is not None else [make() for _, _, make in shares]

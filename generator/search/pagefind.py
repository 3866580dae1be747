"""Index: Pagefind over the built site, an index per shard (`site/pagefind/`, `site/<province>/pagefind/`).

Two things Pagefind 1.5 does not do for Vietnamese are added here, without
forking it:

- It joins the text of adjacent table cells into one word; a space after
  each cell keeps them apart.
- It folds tone marks ("chuyen" finds "chuyển") but not "đ" to "d", so a
  query typed without diacritics ("duc co") misses "Đức Cơ". In what
  Pagefind reads of a page (`reading`), every block of text that has words
  with đ/Đ is followed by a hidden span with those words spelled with d/D;
  the search page leaves them out of excerpts. The published page has none.
- It reads every byte of every page, most of which (the theme around the
  body, tables marked data-pagefind-ignore) it leaves out. `reading` gives
  what it does read of a page: its body without the parts left out, with
  the spellings. Pagefind reads those copies, from a folder beside the site.
- What is indexed is each page's own content. Lists of other pages on a page (an indicator's targets, the
  plans citing a document, the budget check) are marked data-pagefind-ignore in their templates (pages that
  are lists alone, such as the disclosure list, the index of cited documents and the sitemap, are not indexed):
  the pages they list are indexed, and a search for a district found every list naming it (on a national
  portal, the indicator pages were most of what a rebuild's delta index read).
- It indexes a word of parts joined by «/» as one word, and its parts of digits and letters not at all
  («4G/5G»: a search for «4G 5G» missed it); the hidden span spells those parts apart too.
- It writes its filter list and filter value maps in hash-map order, so two
  runs can differ: `_canonicalise` sorts them (see there).

The site's pages are indexed by shard (shard_of): one index per province, one for the portal-wide pages;
the search page (templates/theme/assets/ck-search.js) loads a province's alone or merges them all with
Pagefind's mergeIndex. A rebuild indexes again the shards where what Pagefind reads changed, so a rebuild's
index is the same as a build from nothing's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from generator.errors import BuildError
from generator.incremental.store import write_whole

# What ends a block of text (its d-spellings go right after it, so a result links to the row or
# paragraph that has the word), and what is passed over whole (scripts, styles).
_SEPARATOR = (
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<(br)\s*/?>"
    r"|</(p|li|td|th|dd|dt|caption|h[1-6])\s*>"
)
_PIECES = re.compile(f"({_SEPARATOR})", re.S | re.I)  # split: text, separator, br, closing tag, text, …
# An element Pagefind leaves out (passed over whole: spellings there would not be indexed), not in a script.
_IGNORED = re.compile(
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>"
    r"|<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>",
    re.S | re.I,
)
_READ_INSIDE = re.compile(r"data-pagefind-(?!ignore\b)")  # what Pagefind reads inside an element it leaves out
_BODY = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-body\b[^>]*>", re.I)
_HTML = re.compile(r"<html\b[^>]*>", re.I)  # its lang is the page's language for Pagefind
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_FOLD = str.maketrans("đĐ", "dD")


def prepare(html: str) -> tuple[str, str | None]:
    """The page as written into the site (as laid out: nothing is added to it), and what Pagefind reads of it
    (None: nothing, the page has no body marked for it): its body without the elements Pagefind leaves out, with
    a space after each block and, after each block that has words with đ/Đ, a hidden span with them spelled
    with d/D. The spellings were once written into the published page too: a tenth of a large plan page's
    bytes that no reader saw."""
    return html, reading(html)


def reading(html: str) -> str | None:
    """What Pagefind reads of a page (prepare)."""
    body = _BODY.search(html) if "data-pagefind-body" in html else None
    if body is None:
        return None
    start, end = body.end(), _element_end(html, body.group(1), body.end())
    opening = _HTML.search(html, 0, body.start())
    out = [html[:start]]
    read = [opening.group() if opening else "<html>", "<body>", html[body.start() : start]]
    add = out.append
    text: list[str] = []  # the current block's text with đ, across <br>, scripts and left-out elements
    seen: set[str] = set()  # d-spellings already given in this section: once per section is enough
    at = start
    for left_out, inside, left_out_end in (*_left_out(html, start, end), (end, end, end)):
        first = len(out)
        pieces = _PIECES.split(html[at:left_out])
        it = iter(pieces[:-1])
        for between, separator, line_break, tag in zip(it, it, it, it):
            add(between)
            if _may_spell(between):
                text.append(between)
            if line_break:
                add(separator + " ")
            elif tag is None:  # a script or a style
                add(separator)
            else:
                tag = tag.lower()
                span = ""
                if tag[0] == "h":
                    seen.clear()
                if text:
                    words = [w for w in _spellings(" ".join(text)) if w not in seen]
                    seen.update(words)
                    text.clear()
                    span = f' <span class="ck-fold" hidden>{" ".join(words)}</span>' if words else ""
                # Pagefind joins the text of adjacent blocks into one word ("Nội dungKinh phí" across table cells,
                # "ban hànhUBND" across a term and its description): a space after each keeps them apart.
                if tag[0] == "h":  # after a heading, so the heading's own text (a sub-result title) stays as written
                    add(separator + span + " ")
                else:
                    add(span + separator + " ")
        add(pieces[-1])
        if _may_spell(pieces[-1]):
            text.append(pieces[-1])
        read += out[first:]
        if left_out < end:
            add(html[left_out:left_out_end])
            if _READ_INSIDE.search(html, inside, left_out_end):
                read.append(out[-1])  # a filter or metadata inside is still read
        at = left_out_end
    read.append("</body></html>")
    return "".join(read)


def _left_out(html: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The elements Pagefind leaves out (data-pagefind-ignore) between `start` and `end`: where each
    starts, where its opening tag ends, where it ends."""
    found = []
    at = start
    while (m := _IGNORED.search(html, at, end)) is not None:
        at = m.end()
        if m.group(1):
            at = min(_element_end(html, m.group(1), at), end)
            found.append((m.start(), m.end(), at))
    return found


_SPELLINGS: dict[str, tuple[str, ...]] = {}  # a block's text → its spellings: table cells repeat across pages


def _may_spell(text: str) -> bool:
    """Whether a block's text may have words to spell apart for Pagefind (_spellings)."""
    return "đ" in text or "Đ" in text or "/" in text


_JOINED = re.compile(r"[^\W_]+(?:/[^\W_]+)+")  # «4G/5G»
_MIXED = re.compile(r"^(?=.*\d)(?=.*[^\W\d_])")  # digits and letters


def _spellings(block: str) -> tuple[str, ...]:
    """The words Pagefind needs spelled apart in a block's text (tags and all), each once, in order: those with
    đ/Đ spelled with d/D; and the parts of digits and letters of a word joined by «/», which Pagefind keeps
    only as one word («4G/5G» is found by «4g5g», not by «4G 5G»: it splits such parts again, «4 g», and drops
    parts of one character)."""
    known = _SPELLINGS.get(block)
    if known is None:
        plain = _TAG.sub("", block)
        found = [w.translate(_FOLD) for w in _WORD.findall(plain) if "đ" in w or "Đ" in w]
        if "/" in plain:
            found += [part for joined in _JOINED.findall(plain) for part in joined.split("/") if _MIXED.match(part)]
        known = tuple(dict.fromkeys(found))
        if len(block) < 300:
            if len(_SPELLINGS) > 200_000:  # a bound on the memory it takes in a national build
                _SPELLINGS.clear()
            _SPELLINGS[block] = known
    return known


_NESTING: dict[str, re.Pattern] = {}


def _element_end(html: str, tag: str, at: int) -> int:
    """Where the element `tag` opened just before `at` ends (after its closing tag); the page's end if it does not."""
    tag = tag.lower()
    nesting = _NESTING.get(tag) or _NESTING.setdefault(tag, re.compile(rf"<(/?){tag}\b[^>]*>", re.I))
    depth = 1
    for m in nesting.finditer(html, at):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(html)


# The portal's search indexes, one per shard: a province's pages (its own folder and its agencies' under
# co-quan/) in `<province>/pagefind/`, the portal-wide pages in `pagefind/`. A reader searching their province
# loads its index alone; searching the whole country, the search page merges them all with Pagefind's own
# multisite search (mergeIndex). A rebuild indexes again only the shards where what Pagefind reads changed.
INDEX = "pagefind"
PORTAL = ""  # the shard of the portal-wide pages (home, indicators, budgets, legal documents, agencies' index)
AGENCIES = "co-quan"


def shard_of(page: str, provinces: frozenset[str] | set[str]) -> str:
    """The shard a page file of the site belongs to: its province's id, or PORTAL."""
    parts = page.split("/")
    if len(parts) > 1 and parts[0] in provinces:
        return parts[0]
    if len(parts) > 2 and parts[0] == AGENCIES and parts[1] in provinces:
        return parts[1]
    return PORTAL


def folder_of(shard: str) -> str:
    """Where a shard's index is in the site."""
    return f"{shard}/{INDEX}" if shard else INDEX


def index_site(
    site: Path,
    pages: dict[str, str],
    provinces: frozenset[str] | set[str],
    previous: dict | None = None,
    work: Path | None = None,
    source: Path | None = None,
    kept: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> dict:
    """Indexes the pages of `site` for search, a Pagefind index per shard (shard_of).

    `pages` maps each page's file in the site to the key of its text (cache); `previous` is what this function
    returned for the build `site` was made from (its index folders linked into `site`): a shard of which Pagefind
    reads the same keeps its index, the others are indexed again. `source` holds what Pagefind reads of the pages
    this build laid out (prepare); the others are taken from `kept` (a folder of the build's store, where what
    Pagefind reads of each page is kept by its digest) or read from `site`. `meanwhile`: the caller's work that
    needs no index, done while Pagefind runs. Returns the state for the next build."""
    work = work or site.parent
    # A shard is keyed by what Pagefind reads of its pages, not by the pages: an edit that changes only what it
    # leaves out (a list of other pages on an indicator's or a document's page) does not index the shard again.
    laid_out = _files_under(source) if source is not None else set()  # a rebuild's few: not a stat per page
    readings = _readings(site, pages, source, laid_out, (previous or {}).get("readings", {}))
    by_shard: dict[str, dict[str, str]] = {}
    for f in sorted(pages):
        by_shard.setdefault(shard_of(f, provinces), {})[f] = readings[f][1]
    keys = {shard: _digest(files) for shard, files in by_shard.items()}
    before = (previous or {}).get("shards", {})
    again = [
        shard
        for shard in sorted(keys)
        if before.get(shard) != keys[shard] or not (site / folder_of(shard) / "pagefind-entry.json").is_file()
    ]
    # Pagefind writes into its output folder, whose files are linked from the previous site: set aside first.
    for shard in sorted(set(before) | set(again)):
        if (shard in again or shard not in keys) and (site / folder_of(shard)).exists():
            aside = work / f"old-index-{shard or 'portal'}"
            os.rename(site / folder_of(shard), aside)
    sources = {shard: work / "pagefind-shards" / (shard or "_") for shard in again}  # what Pagefind reads, by shard
    read = {
        shard: _shard_source(sources[shard], site, by_shard[shard], source, laid_out, _kept_readings(kept, shard))
        for shard in again
    }
    indexed = [shard for shard in again if read[shard]]
    with ThreadPoolExecutor(max(1, min(len(indexed), os.cpu_count() or 1))) as pool:
        # Pagefind writes its files on one thread: a process per shard at once keeps the cores busy.
        futures = [pool.submit(_index, sources[shard], site / folder_of(shard)) for shard in indexed]
        if kept is not None:  # while Pagefind reads them
            kept.mkdir(exist_ok=True)
            for shard in again:
                _keep_readings(kept / _readings_file(shard), sources[shard], by_shard[shard])
        if meanwhile is not None:
            meanwhile()
    errors = [str(exc) for f in futures if (exc := f.exception()) is not None]
    if errors:
        raise BuildError("; ".join(errors))
    if kept is not None:  # shards no longer there
        for name in set(os.listdir(kept)) - {_readings_file(shard) for shard in keys}:
            os.remove(kept / name)
    return {
        "shards": {shard: key for shard, key in keys.items() if shard not in again or read[shard]},
        "readings": readings,
    }


def shards(site: Path, provinces: frozenset[str] | set[str]) -> list[str]:
    """The shards of a built site that have a search index, PORTAL first."""
    return [s for s in [PORTAL, *sorted(provinces)] if (site / folder_of(s) / "pagefind-entry.json").is_file()]


def _readings(
    site: Path, pages: dict[str, str], source: Path | None, laid_out: set[str], before: dict[str, list]
) -> dict[str, list]:
    """Each page's key and the digest of what Pagefind reads of it ("" when it reads nothing): from `source` for the
    pages this build laid out, else as the previous build recorded it when the page's key is the same (the page is
    then the previous site's file), else read from the site."""
    readings = {}
    for f, key in pages.items():
        if f in laid_out:
            readings[f] = [key, _fingerprint((source / f).read_bytes())]
        elif f in before and before[f][0] == key:
            readings[f] = before[f]
        else:
            read = reading((site / f).read_text("utf-8")) if (site / f).exists() else None
            readings[f] = [key, _fingerprint(read.encode("utf-8")) if read is not None else ""]
    return readings


def _files_under(folder: Path) -> set[str]:
    """The files under `folder`, by their paths there (posix)."""
    found = set()
    for root, _, files in os.walk(folder):
        at = Path(root).relative_to(folder).as_posix()
        found.update(name if at == "." else f"{at}/{name}" for name in files)
    return found


def _fingerprint(read: bytes) -> str:
    return hashlib.sha256(read).hexdigest()[:32]


def _digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def _shard_source(
    folder: Path, site: Path, files: dict[str, str], source: Path | None, laid_out: set[str], kept: dict[str, bytes]
) -> int:
    """Fills `folder` with what Pagefind reads of a shard's pages (`files`: page → the digest of what Pagefind reads
    of it, "" for nothing): linked from `source` when this build laid the page out (`laid_out`, the files there),
    else taken from `kept` (the
    previous build's, by digest), else read from the site. The number of pages it reads."""
    count = 0
    for f, fingerprint in files.items():
        if not fingerprint:
            continue
        target = folder / f
        target.parent.mkdir(parents=True, exist_ok=True)
        if f in laid_out:
            os.link(source / f, target)
        elif fingerprint in kept:
            target.write_bytes(kept[fingerprint])
        elif not ((site / f).exists() and _read_copy(site / f, target)):
            continue
        count += 1
    return count


# What Pagefind read of each shard's pages, by digest, kept in the build's store: a rebuild that indexes a shard
# again takes its unchanged pages from there instead of reading each one out of the site again.
def _readings_file(shard: str) -> str:
    return f"{shard or '_'}.pickle.gz"


def _kept_readings(kept: Path | None, shard: str) -> dict[str, bytes]:
    try:
        return pickle.loads(gzip.decompress((kept / _readings_file(shard)).read_bytes())) if kept else {}
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return {}


def _keep_readings(path: Path, folder: Path, files: dict[str, str]) -> None:
    readings = {fp: (folder / f).read_bytes() for f, fp in files.items() if fp and (folder / f).is_file()}
    write_whole(path, gzip.compress(pickle.dumps(readings, pickle.HIGHEST_PROTOCOL), compresslevel=1, mtime=0))


def _read_copy(page: Path, target: Path) -> bool:
    """Writes what Pagefind reads of a published page (reading) to `target`; False if it reads nothing of it."""
    read = reading(page.read_text("utf-8"))
    if read is None:
        return False
    target.write_text(read, "utf-8")
    return True


# How many word locations Pagefind puts in a file of its index (its default: 20,000). A search fetches the files
# holding its words, so their size is what a first search costs. Pagefind 1.5.2 counts only a word's form without
# tone marks towards that size, and almost every Vietnamese word has them: its files of words came out 5 to 10 times
# the size it aims at (a province's «chuyển đổi số» fetched two of 230 and 205 KB). Its pull request #1316 (merged
# 13/09/2026, in no release yet) counts every form; with a pagefind-bin that has it, measure again (`make bench`)
# before keeping this number. PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE is Pagefind's own setting, read from the
# environment; its name says it may change, and tests/test_search_scope.py fails if it stops taking effect.
CHUNK_LOCATIONS = 1000


def _index(source: Path, output: Path) -> None:
    from pagefind_bin import get_executable

    cmd = [str(get_executable()), "--site", str(source), "--output-path", str(output), "--force-language", "vi"]
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK_LOCATIONS)}
    done = subprocess.run([*cmd, "--quiet"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BuildError(f"Pagefind: {done.stderr.strip() or done.stdout.strip()}")
    _canonicalise(output)


# Pagefind 1.5.2 writes its filter list and each filter's values in hash-map order, so two runs over the same pages
# give different bytes. `_canonicalise` sorts them and names the files by their content. It reads Pagefind's
# files (a signature, then CBOR), so it is tied to the pinned pagefind-bin: tests/test_search_scope.py shows an index
# it sorted answers every filter, alone and with a query, as the index Pagefind wrote, and tests/test_index.py that
# a file of a format it does not know stops the build. Pagefind sorts them itself since its commit 0b56369
# (15/08/2026), in no release yet: with a pagefind-bin that has it, this goes (docs/search.md).
SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BuildError(f"Pagefind: tệp chỉ mục không nhận ra được: {path.name}")
    return cbor2.loads(data[len(SIGNATURE) :])


def _write(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
    payload = SIGNATURE + cbor2.dumps(value, canonical=True)
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, mtime=0))
    return name


def _canonicalise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, file_hash in meta[3]:
            filter_path = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(filter_path)
            value = [filter_name, sorted([v, sorted(pages)] for v, pages in values)]
            os.remove(filter_path)
            filters.append([name, _write(bundle / "filter", language, ".pf_filter", value, 7)])
        meta[3] = sorted(filters)
        os.remove(meta_path)
        info["hash"] = _write(bundle, f"pagefind.{language}", ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")

"""Index: Pagefind over the built site, into `site/pagefind/`.

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
  runs can differ. `_canonicalise` sorts them and renames the affected files
  by content, so the same content gives the same bytes.
- It has no incremental mode, and indexing a national portal takes about a
  minute. A build that reuses the previous one (cache) keeps the previous
  main index (`pagefind/`) and indexes only the pages changed since it into a
  delta (`pagefind-delta/`); `pagefind-delta/delta.json` lists the main
  index's entries the delta supersedes (changed or removed pages), and the
  search page queries both and drops those. When the pages changed since the
  main index pass a tenth of the site, the main index is built again.
- It writes its files on one thread. A large site's main index is made in two
  halves (by folder, of equal bytes) by two Pagefind processes at once; the search
  page loads both (`delta.json` lists the parts).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from generator.errors import BuildError

SIGNATURE = b"pagefind_dcd"

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


MAIN, DELTA = "pagefind", "pagefind-delta"
DELTA_STATE = "delta.json"
# The delta may hold this many pages, or this share of the site's if more, before the main index is rebuilt.
COMPACT_PAGES, COMPACT_SHARE = 200, 0.1
# A site of more pages than this gets its main index in two halves, made by two Pagefind processes
# at once and searched together: Pagefind writes its files on one thread, so one process left a
# core idle for much of a national build. A fixed count, not one per core: the same content
# builds the same bytes on any machine. Each further half costs a first search one more
# pagefind.js and WebAssembly module, so small sites keep one (figures: docs/performance.md).
SPLIT_PAGES, HALVES = 4000, 2
# What Pagefind's work on a page costs besides reading its text, as bytes of text: halves of equal bytes
# were not of equal time (many short agency pages took longer than fewer long plan pages); with each
# page weighed this much more, the halves of the bench corpus end together.
_PAGE_BYTES = 2300
_SLUG = re.compile(r"^[\w.-]+$")


def bundles(count: int) -> list[str]:
    """The folders of a main index in `count` parts: pagefind/, pagefind-1/, …"""
    return [MAIN] + [f"{MAIN}-{k}" for k in range(1, count)]


def needs_main(pages: dict[str, str], previous: dict | None, previous_site: Path | None) -> bool:
    """Whether the main index is to be made (again) from every page rather than a delta added to it."""
    main = (previous or {}).get("main", {})
    main_bundles = bundles((previous or {}).get("bundles", 1))
    changed = sum(1 for f, key in pages.items() if main.get(f) != key) + sum(1 for f in main if f not in pages)
    return (
        previous_site is None
        or not main
        or not all((previous_site / b / "pagefind-entry.json").is_file() for b in main_bundles)
        or changed > max(COMPACT_PAGES, COMPACT_SHARE * len(pages))
    )


def index_site(
    site: Path,
    pages: dict[str, str],
    previous: dict | None = None,
    previous_site: Path | None = None,
    work: Path | None = None,
    source: Path | None = None,
) -> dict:
    """Indexes a site whose pages were written through prepare (mkdocs_backend, index_source).

    `pages` maps each page's file in the site to the key of its text (cache); `previous` is what
    this function returned for the build of `previous_site`. With `previous_site` (the folder the
    build is committed into, holding the previous main index, which needs_main found still fit),
    only the pages changed since that index, which are in `site`, are indexed, into a delta; without,
    `site` holds every page and all are indexed. `source` holds what Pagefind reads of the pages this
    build laid out (prepare); the others it reads whole (the same index). Returns the state for the next build."""
    main = (previous or {}).get("main", {})
    ids = (previous or {}).get("ids", {})
    if previous_site is None:
        main_bundles, ids = _index_main(
            _complete_source(source or (work or site.parent) / "source", site, pages), site, pages
        )
        _write_delta(site, main_bundles, 0, [])
        return {"main": dict(pages), "ids": ids, "bundles": len(main_bundles)}
    main_bundles = bundles(previous.get("bundles", 1))
    changed = sorted(f for f, key in pages.items() if main.get(f) != key)
    removed = sorted(f for f in main if f not in pages)

    delta_site = (work or site.parent) / "delta-site"
    indexed = []
    for f in changed:  # what Pagefind reads of it from this build, or of the page as the site has it
        if source is not None and (source / f).exists():
            (delta_site / f).parent.mkdir(parents=True, exist_ok=True)
            os.link(source / f, delta_site / f)
            indexed.append(f)
        elif _read_copy(site / f if (site / f).exists() else previous_site / f, delta_site / f):
            indexed.append(f)
    if indexed:
        _finish(_start(delta_site, site / DELTA))
    superseded = sorted(ids[f] for f in changed + removed if f in ids)
    _write_delta(site, main_bundles, len(indexed), superseded, _filter_counts(previous_site, main_bundles, superseded))
    return {"main": main, "ids": ids, "bundles": len(main_bundles)}


def _complete_source(source: Path, site: Path, pages: dict[str, str]) -> Path:
    """`source` with what Pagefind reads of every indexed page of the site it does not have (laid out by an
    earlier build)."""
    source.mkdir(parents=True, exist_ok=True)
    for f in pages:
        if not (source / f).exists():
            _read_copy(site / f, source / f)
    return source


def _read_copy(page: Path, target: Path) -> bool:
    """Writes what Pagefind reads of a published page (reading) to `target`; False if it reads nothing of it."""
    read = reading(page.read_text("utf-8"))
    if read is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(read, "utf-8")
    return True


def _index_main(source: Path, site: Path, pages: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Indexes every page (as Pagefind reads it in `source`) into the main index of `site`, in halves by
    folder when the site is large; returns the index's folders and the id of each page (_page_ids)."""
    if len(pages) <= SPLIT_PAGES:
        return [MAIN], _finished([_start(source, site / MAIN)])
    # Pagefind's work on each page: what it reads of it, and _PAGE_BYTES (a page it does not read is not in `source`)
    sizes = {f: os.stat(source / f).st_size + _PAGE_BYTES if (source / f).exists() else 0 for f in pages}
    tops: dict[str, int] = {}  # top-level folder ("" for the site's root pages) → bytes of its pages
    for f, size in sizes.items():
        tops[_top(f)] = tops.get(_top(f), 0) + size
    # A folder of more than a quarter of what Pagefind reads is shared out by its subfolders: halves
    # by top folder alone could not be of equal size (before Pagefind read only the bodies, the agency
    # pages' folder was half the site's bytes, and its half of the index was done long before the other).
    large = {top for top, weight in tops.items() if top and weight * 4 > sum(tops.values())}
    weights: dict[str, int] = {}  # part of the site (see _glob) → bytes of its pages
    for f, size in sizes.items():
        part = _part(f, large)
        weights[part] = weights.get(part, 0) + size
    if not all(_SLUG.match(name) for part in weights if part for name in part.rstrip("/").split("/")):
        return [MAIN], _finished([_start(source, site / MAIN)])
    halves: list[list[str]] = [[] for _ in range(HALVES)]
    loads = [0] * HALVES
    for part, weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):  # heaviest first
        k = loads.index(min(loads))
        halves[k].append(part)
        loads[k] += weight

    # Pagefind indexes every page of a run that has none marked for it (data-pagefind-body).
    def read(f: str) -> bool:
        return (source / f).exists() and _indexed(source / f)

    if not all(any(read(f) for f in pages if _part(f, large) in half) for half in halves):
        return [MAIN], _finished([_start(source, site / MAIN)])
    names = bundles(HALVES)
    globs = ["{" + ",".join(_glob(part) for part in sorted(half)) + "}.html" for half in halves]
    return names, _finished([_start(source, site / name, glob) for name, glob in zip(names, globs)])


def _finished(running: list[tuple[subprocess.Popen, Path]]) -> dict[str, str]:
    """Waits for every Pagefind run, so none outlives a failed build; each bundle, as soon as its run ends,
    is made canonical and read for its pages' ids while the other runs go on, not after them."""

    def finish(started: tuple[subprocess.Popen, Path]) -> dict[str, str]:
        _finish(started)
        return _page_ids(started[1].parent, [started[1].name])

    ids: dict[str, str] = {}
    errors = []
    with ThreadPoolExecutor(len(running)) as pool:  # threads wait on processes; the GIL is free meanwhile
        for future in [pool.submit(finish, started) for started in running]:
            try:
                ids.update(future.result())
            except BuildError as exc:
                errors.append(str(exc))
    if errors:
        raise BuildError("; ".join(errors))
    return ids


def _part(page: str, large: set[str]) -> str:
    """The part of the site a page is indexed with: its top-level folder ("" for the root pages) or,
    in a large one, its subfolder ("co-quan/ha-tinh"; "co-quan/" for the pages directly in it)."""
    top = _top(page)
    if top not in large:
        return top
    parts = page.split("/")
    return f"{top}/{parts[1]}" if len(parts) > 2 else f"{top}/"


def _glob(part: str) -> str:
    """Pagefind's --glob for the pages of a part (without «.html»)."""
    if not part:
        return "*"
    return f"{part}*" if part.endswith("/") else f"{part}/**/*"


def _top(page: str) -> str:
    """The page's top-level folder; "" for the site's root pages."""
    return page.split("/", 1)[0] if "/" in page else ""


def _indexed(page: Path) -> bool:
    return "data-pagefind-body" in page.read_text("utf-8")


def _start(site: Path, output: Path, glob: str | None = None) -> tuple[subprocess.Popen, Path]:
    from pagefind_bin import get_executable

    cmd = [
        str(get_executable()),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--force-language",
        "vi",
        "--quiet",
    ]
    if glob:
        cmd += ["--glob", glob]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), output


def _finish(started: tuple[subprocess.Popen, Path]) -> None:
    process, output = started
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise BuildError(f"Pagefind: {stderr.strip() or stdout.strip()}")
    _canonicalise(output)


def _write_delta(
    site: Path, main_bundles: list[str], pages: int, superseded: list[str], filters: dict | None = None
) -> None:
    """`main_bundles`: the main index's folders, for the search page to load. `filters`: how many
    superseded pages carry each filter value, for the search page to take off the main index's
    counts (Pagefind counts every page it holds)."""
    (site / DELTA).mkdir(exist_ok=True)
    state = {
        "bundles": [f"{b}/" for b in main_bundles],
        "pages": pages,
        "superseded": superseded,
        "superseded_filters": filters or {},
    }
    (site / DELTA / DELTA_STATE).write_text(json.dumps(state, separators=(",", ":")), "utf-8")


def _filter_counts(site: Path, main_bundles: list[str], page_ids: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for page_id in page_ids:
        path = next(p for b in main_bundles if (p := site / b / "fragment" / f"{page_id}.pf_fragment").is_file())
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :])
        for name, values in sorted(fragment.get("filters", {}).items()):
            for value in values:
                counts.setdefault(name, {})[value] = counts.get(name, {}).get(value, 0) + 1
    return counts


_URL = re.compile(rb'\{"url":"((?:[^"\\]|\\.)*)"')


def _page_ids(site: Path, main_bundles: list[str]) -> dict[str, str]:
    """The id Pagefind gives each page (its fragment's name, what a search result carries), by page file."""
    ids = {}
    for fragment in (f for b in main_bundles for f in (site / b / "fragment").glob("*.pf_fragment")):
        # the URL opens the fragment: no need to inflate a plan's whole text for it
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fragment.read_bytes(), 4096)
        url = _URL.match(head, len(SIGNATURE)).group(1).decode("utf-8").lstrip("/")
        ids[url if url.endswith(".html") else url + "index.html"] = fragment.name.removesuffix(".pf_fragment")
    return ids


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

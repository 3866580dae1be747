"""Index: Pagefind over the built site, into `site/pagefind/`.

Two things Pagefind 1.5 does not do for Vietnamese are added here, without
forking it:

- It joins the text of adjacent table cells into one word; a space after
  each cell keeps them apart.
- It folds tone marks ("chuyen" finds "chuyển") but not "đ" to "d", so a
  query typed without diacritics ("duc co") misses "Đức Cơ". Before
  indexing, every block of page text that has words with đ/Đ gets a hidden
  span with those words spelled with d/D (`fold_d`). The span is invisible
  and hidden from screen readers; the search page leaves it out of excerpts.
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
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import zlib
from pathlib import Path

import cbor2

from .errors import BuildError

SIGNATURE = b"pagefind_dcd"

_SPLIT = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<br\s*/?>"
                    r"|</(?:p|li|td|th|dd|dt|caption|h[1-6])\s*>)", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_D_WORD = re.compile(r"\w*[đĐ]\w*")
_FOLD = str.maketrans("đĐ", "dD")


def fold_d(html: str) -> str:
    """Adds, after each block of the page body that has words with đ/Đ, a hidden span with them spelled with d/D."""
    start = html.find("data-pagefind-body")
    if start < 0:
        return html
    parts = _SPLIT.split(html[start:])
    out = [html[:start]]
    text: list[str] = []  # the current block's text, across <br> and scripts
    seen: set[str] = set()  # d-spellings already given in this section: once per section is enough
    for i, part in enumerate(parts):
        if i % 2 == 0:  # between separators
            out.append(part)
            if "đ" in part or "Đ" in part:
                text.append(_TAG.sub("", part))
            continue
        lower = part[:9].lower()
        if lower.startswith(("<script", "<style")):
            out.append(part)
        elif lower.startswith("<br"):
            out.append(part + " ")
        else:
            tag = lower[2:].split(">")[0].strip()
            if tag.startswith("h"):
                seen.clear()
            words = [w for w in dict.fromkeys(w.translate(_FOLD) for w in _D_WORD.findall(" ".join(text))) if w not in seen]
            seen.update(words)
            text.clear()
            # Pagefind joins adjacent table cells into one word ("Nội dungKinh phí"): a space keeps them apart.
            after = " " if tag in ("td", "th") else ""
            span = f' <span class="ck-fold" hidden>{" ".join(words)}</span>' if words else ""
            # after a heading, so the heading's own text (a sub-result title) stays as written
            out.append(part + span if tag.startswith("h") else span + part + after)
    return "".join(out)


MAIN, DELTA = "pagefind", "pagefind-delta"
DELTA_STATE = "delta.json"
# The delta may hold this many pages, or this share of the site's if more, before the main index is rebuilt.
COMPACT_PAGES, COMPACT_SHARE = 200, 0.1


def index(site: Path, pages: dict[str, str], previous: dict | None = None, previous_site: Path | None = None,
          work: Path | None = None) -> dict:
    """Indexes a site whose pages were written with fold_d applied (mkdocs_backend, for_index).

    `pages` maps each page's file in the site to the key of its text (cache); `previous` is what
    this function returned for the build of `previous_site`. Returns the state for the next build."""
    main = (previous or {}).get("main", {})
    ids = (previous or {}).get("ids", {})
    changed = sorted(f for f, key in pages.items() if main.get(f) != key)
    removed = sorted(f for f in main if f not in pages)
    if (previous_site is None or not main or not (previous_site / MAIN / "pagefind-entry.json").is_file()
            or len(changed) + len(removed) > max(COMPACT_PAGES, COMPACT_SHARE * len(pages))):
        _pagefind(site, site / MAIN)
        _write_delta(site, 0, [])
        return {"main": dict(pages), "ids": _page_ids(site / MAIN)}
    made: set[Path] = set()
    for path in sorted((previous_site / MAIN).rglob("*")):
        if path.is_file():
            os.makedirs((site / path.relative_to(previous_site)).parent, exist_ok=True)
            os.link(path, site / path.relative_to(previous_site))
    indexed = [f for f in changed if "data-pagefind-body" in (site / f).read_text("utf-8")]
    if indexed:
        delta_site = (work or site.parent) / "delta-site"
        for f in indexed:
            target = delta_site / f
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.link(site / f, target)
        _pagefind(delta_site, site / DELTA)
    superseded = sorted(ids[f] for f in changed + removed if f in ids)
    _write_delta(site, len(indexed), superseded, _filter_counts(site / MAIN, superseded))
    return {"main": main, "ids": ids}


def _pagefind(site: Path, output: Path) -> None:
    from pagefind_bin import get_executable

    cmd = [str(get_executable()), "--site", str(site), "--output-path", str(output), "--force-language", "vi", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"Pagefind: {result.stderr.strip() or result.stdout.strip()}")
    _canonicalise(output)


def _write_delta(site: Path, pages: int, superseded: list[str], filters: dict | None = None) -> None:
    """`filters`: how many superseded pages carry each filter value, for the search page to take off
    the main index's counts (Pagefind counts every page it holds)."""
    (site / DELTA).mkdir(exist_ok=True)
    state = {"pages": pages, "superseded": superseded, "superseded_filters": filters or {}}
    (site / DELTA / DELTA_STATE).write_text(json.dumps(state, separators=(",", ":")), "utf-8")


def _filter_counts(bundle: Path, page_ids: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for page_id in page_ids:
        fragment = json.loads(gzip.decompress((bundle / "fragment" / f"{page_id}.pf_fragment").read_bytes())[len(SIGNATURE):])
        for name, values in sorted(fragment.get("filters", {}).items()):
            for value in values:
                counts.setdefault(name, {})[value] = counts.get(name, {}).get(value, 0) + 1
    return counts


_URL = re.compile(rb'\{"url":"((?:[^"\\]|\\.)*)"')


def _page_ids(bundle: Path) -> dict[str, str]:
    """The id Pagefind gives each page (its fragment's name, what a search result carries), by page file."""
    ids = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        # the URL opens the fragment: no need to inflate a plan's whole text for it
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fragment.read_bytes(), 4096)
        url = _URL.match(head, len(SIGNATURE)).group(1).decode("utf-8").lstrip("/")
        ids[url if url.endswith(".html") else url + "index.html"] = fragment.name.removesuffix(".pf_fragment")
    return ids


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BuildError(f"Pagefind: tệp chỉ mục không nhận ra được: {path.name}")
    return cbor2.loads(data[len(SIGNATURE):])


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

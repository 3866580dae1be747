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
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
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


def index(site: Path) -> None:
    """Indexes a site whose pages were written with fold_d applied (mkdocs_backend, for_index)."""
    from pagefind_bin import get_executable

    cmd = [str(get_executable()), "--site", str(site), "--force-language", "vi", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"Pagefind: {result.stderr.strip() or result.stdout.strip()}")
    _canonicalise(site / "pagefind")


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

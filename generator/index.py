"""Index: Pagefind over the built site, into `site/pagefind/`.

Pagefind 1.5 writes its filter list and filter value maps in hash-map order,
so two runs over the same pages can differ. `_canonicalise` sorts them and
renames the affected files by content, so the same content gives the same
bytes (the search behaves identically: only order and file names change).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path

import cbor2

from .errors import BuildError

SIGNATURE = b"pagefind_dcd"


def index(site: Path) -> None:
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

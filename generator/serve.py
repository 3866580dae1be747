"""`make serve`: live preview for editors.

Renders pages into a preview folder and lets MkDocs' own server (with
live reload) serve them; a watcher re-renders when content, templates or
the site configuration change. Content errors are printed and the last good
preview stays up. Search is not indexed in preview (`make site` does that).
"""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from .errors import ContentErrors

PREVIEW = Path(".preview").resolve()


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    return {f: f.stat().st_mtime for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()}


def serve(content_dir: Path, config_path: Path, port: int) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    from . import mkdocs_backend, model, render
    from .config import load_config
    from .pipeline import check
    from .render import TEMPLATES

    docs = PREVIEW / "pages"

    def rebuild() -> bool:
        try:
            portal = model.build_portal(check(content_dir), load_config(config_path))
        except ContentErrors as exc:
            print(exc.report().replace("site/ giữ nguyên", "bản xem trước giữ nguyên"), flush=True)
            return False
        fresh = PREVIEW / "pages.new"
        shutil.rmtree(fresh, ignore_errors=True)
        pages = render.render_portal(portal, fresh)
        shutil.rmtree(docs, ignore_errors=True)
        fresh.rename(docs)
        mkdocs_backend.write_config(portal, docs, PREVIEW / "site", pages, hooks=True)
        print(f"Đã dựng lại bản xem trước ({len(portal.plans)} kế hoạch).", flush=True)
        return True

    if not rebuild():
        raise SystemExit(1)
    watched = [content_dir, config_path, TEMPLATES / "pages"]

    def watch() -> None:
        seen = _snapshot(watched)
        while True:
            time.sleep(1)
            now = _snapshot(watched)
            if now != seen:
                seen = now
                rebuild()

    threading.Thread(target=watch, daemon=True).start()
    subpath = load_config(config_path).base_url.path or "/"
    print(f"Xem trước tại http://127.0.0.1:{port}{subpath} (Ctrl+C để dừng)", flush=True)
    mkdocs_serve(config_file=str(PREVIEW / "mkdocs.yml"), livereload=True, dev_addr=f"127.0.0.1:{port}")

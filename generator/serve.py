"""`make serve`: live preview for editors.

Renders pages into a preview folder and lets MkDocs' own server (with
live reload) serve them; a watcher re-renders when content, templates or
the site configuration change. Content errors are printed and the last good
preview stays up. Search is not indexed in preview (`make site` does that).
"""

from __future__ import annotations

import shutil
import signal
import socket
import threading
import time
import urllib.parse
from pathlib import Path

from generator.errors import ContentErrors

PREVIEW = Path(".preview").resolve()


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    return {
        f: f.stat().st_mtime for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()
    }


def serve(content_dir: Path, config_path: Path, port: int) -> None:
    from generator.build import mkdocs_site
    from generator.build.pipeline import check
    from generator.content.config import load_config
    from generator.model import views
    from generator.outputs import render
    from generator.outputs.templates import TEMPLATES

    docs = PREVIEW / "pages"

    def rebuild() -> bool:
        try:
            portal = views.build_portal(check(content_dir), load_config(config_path))
        except ContentErrors as exc:
            report = exc.report().replace("site/ giữ nguyên", "bản xem trước giữ nguyên")
            print(report, flush=True)
            if docs.is_dir():  # the browser shows it too (preview_hooks), over the last good preview
                (docs / ERRORS_FILE).write_text(report + "\n", "utf-8")
            return False
        fresh = PREVIEW / "pages.new"
        shutil.rmtree(fresh, ignore_errors=True)
        pages = render.render_portal(portal, fresh)
        shutil.rmtree(docs, ignore_errors=True)
        fresh.rename(docs)
        (docs / ERRORS_FILE).write_text("", "utf-8")
        config_file = mkdocs_site.write_config(portal, docs, PREVIEW / "site", pages, hooks=True)
        _add_hook(config_file)
        print(f"Đã dựng lại bản xem trước ({len(portal.plans)} kế hoạch).", flush=True)
        return True

    _stop_as_on_ctrl_c()
    watched = [content_dir, config_path, TEMPLATES / "pages"]
    if not rebuild():  # nothing to preview yet: wait for the editor's fix rather than stop
        print("Sửa các lỗi trên rồi lưu tệp: bản xem trước mở khi nội dung hợp lệ.", flush=True)
        seen = _snapshot(watched)
        while True:
            time.sleep(1)
            if (now := _snapshot(watched)) != seen:
                seen = now
                if rebuild():
                    break

    def watch() -> None:
        seen = _snapshot(watched)
        while True:
            time.sleep(1)
            now = _snapshot(watched)
            if now != seen:
                seen = now
                rebuild()

    threading.Thread(target=watch, daemon=True).start()
    url = f"http://127.0.0.1:{port}{served_path(PREVIEW / 'mkdocs.yml')}"
    threading.Thread(target=_announce, args=(url, port), daemon=True).start()
    mkdocs_site.serve(PREVIEW / "mkdocs.yml", port)


ERRORS_FILE = "loi-noi-dung.txt"  # as preview_hooks.ERRORS_FILE


def _stop_as_on_ctrl_c() -> None:
    """A stop by `kill`, `docker stop` or a closed terminal (SIGTERM, SIGHUP) ends the preview as Ctrl+C does:
    MkDocs' server then removes the folder it built the preview into (a copy of the site under /tmp), which a
    default SIGTERM left behind at every stop."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)


def _add_hook(config_file: Path) -> None:
    import yaml

    config = yaml.safe_load(config_file.read_text("utf-8"))
    hooks = config.setdefault("hooks", [])
    hook = str(Path(__file__).parent / "build" / "preview_hooks.py")
    if hook not in hooks:
        hooks.append(hook)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")


def served_path(config_file: Path) -> str:
    """The path MkDocs' server mounts the site at: that of `site_url` (mkdocs.commands.serve does the same)."""
    import yaml

    site_url = (yaml.safe_load(config_file.read_text("utf-8")) or {}).get("site_url") or "/"
    path = urllib.parse.urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def _announce(url: str, port: int) -> None:
    """Says where the preview is once the server answers there, not before."""
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        return
    print(f"Xem trước tại {url} (Ctrl+C để dừng)", flush=True)

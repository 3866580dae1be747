"""Serving a built site over HTTP and driving Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# True once the search page has answered: its status says something other than «Đang tải…/Đang tìm…». Null-safe, as
# a press of Enter in the header form may leave the previous page on screen for a moment.
SEARCH_READY = (
    "(() => { const s = document.getElementById('ck-search-status'); const t = s ? s.textContent : '';"
    " return t.length > 0 && !t.startsWith('Đang'); })()"
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that leaves a page (a test's next goto, Lighthouse's end) drops requests mid-answer; anything
        # else is printed as http.server prints it.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] | None = None):
    """`folder` served on a free port of this machine (by `handler`, a quiet static server by default); yields
    its address."""
    handler = functools.partial(handler or _QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# The site's tables out of sight are not laid out until a reader scrolls near them (CSS content-visibility: auto):
# their text has no rendering (innerText is empty) and axe cannot see their colours. A test that reads the whole page
# as a reader reads it, scrolled to each part, lays every part out first.
LAY_OUT_ALL = "* { content-visibility: visible !important; }"


def lay_out_all(page) -> None:
    """Every part of `page` laid out, as each is when a reader scrolls to it."""
    page.add_style_tag(content=LAY_OUT_ALL)


def lay_out_all_on_load(context) -> None:
    """As lay_out_all, for every page `context` opens, once the page is parsed (before its load event)."""
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
        f" s.textContent = {json.dumps(LAY_OUT_ALL)}; document.head.appendChild(s); }});"
    )

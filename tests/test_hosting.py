"""The real site served by a real nginx under a subpath (/cong-khai/), as a portal host would copy it.

- every internal link, asset and #fragment resolves, and none leaves the subpath;
- the 404 page is served for missing paths and its styles and scripts load;
- in Chromium no page requests anything from another host;
- the largest plan page stays small and nothing of the search index loads before a search is typed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

from tests.browser import CHROMIUM
from tests.helpers import ROOT

NGINX = "/usr/sbin/nginx"
PREFIX = "/cong-khai/"
PLAN_PAGE_LIMIT = 150_000  # bytes of HTML for the largest plan page (issue: "under 150 KB")
# Pagefind's index: entry, metadata, index/fragment/filter chunks, the WebAssembly module.
INDEX_FILE = re.compile(r"/pagefind/(?:pagefind-entry\.json|.*\.pf_(?:meta|index|fragment|filter)|wasm\.)")

pytestmark = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK), reason=f"{NGINX} missing: `make test` installs Debian's nginx"
)
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not shutil.which("chromium"), reason="Debian chromium is installed by `make test`"
)


# --- the built site behind nginx -------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from generator.build.pipeline import build_site

    out = tmp_path_factory.mktemp("hosting") / "site"
    build_site(ROOT / "content", ROOT / "site_config.yml", out, index=True)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    types {{ application/wasm wasm; }}
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        error_page 404 {prefix}404.html;
        location {prefix} {{
            alias {site}/;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def base(site, tmp_path_factory) -> str:
    """http://127.0.0.1:<port>/cong-khai/ served by nginx in the foreground; stopped at teardown."""
    tmp = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, prefix=PREFIX, site=site), "utf-8")
    cmd = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")]
    check = subprocess.run(cmd + ["-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                    pytest.fail(f"nginx did not start: {proc.stderr.read() if proc.poll() is not None else ''}{log}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{PREFIX}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is reported, not followed: links must point at the final URL


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, str, bytes, dict]:
    try:
        with _opener.open(url, timeout=10) as r:
            return r.status, r.headers.get_content_type(), r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read(), dict(e.headers)


# --- crawling --------------------------------------------------------------------------------


class _Links(HTMLParser):
    ATTRS = {"href", "src", "action", "poster", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id",) or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in self.ATTRS:
                self.links.append((tag, value.strip()))
            elif name == "srcset":
                self.links.extend((tag, part.split()[0]) for part in value.split(",") if part.strip())


def parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    p.close()
    return p


def _portal_url() -> str:
    import yaml

    return str(yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["base_url"])


@pytest.fixture(scope="module")
def crawl(base):
    """Every page and file reachable from the home page: {url: (status, type, body)}, the links, broken ones."""
    portal = _portal_url()  # absolute links to the portal itself (canonical, sitemap, feed) are checked here too
    host = urlparse(base).netloc
    pages: dict[str, tuple[int, str, bytes]] = {}
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []  # (from page, absolute url with fragment)
    todo = [base]
    while todo:
        url = todo.pop()
        if url in pages:
            continue
        status, ctype, body, _ = fetch(url)
        pages[url] = (status, ctype, body)
        if status != 200:
            continue
        found: list[str] = []
        if ctype == "text/html":
            parsed = parse(body.decode("utf-8"))
            ids[url] = parsed.ids
            found = [u for tag, u in parsed.links]
        elif ctype in (
            "application/xml",
            "text/xml",
            "text/plain",
            "application/json",
            "application/rss+xml",
            "application/atom+xml",
        ) or url.endswith((".xml", ".txt", ".json", ".csv")):
            found = re.findall(re.escape(portal) + r"[^\s\"'<>)]*", body.decode("utf-8", "replace"))
        for raw in found:
            if raw.startswith(("mailto:", "tel:", "javascript:", "data:")) or raw in ("", "#"):
                continue
            if raw.startswith(portal):
                raw = base + raw[len(portal) :]
            absolute = urljoin(url, raw)
            if urlparse(absolute).netloc != host:
                continue  # another host: not followed here (test_no_request_leaves_the_host checks requests)
            links.append((url, absolute))
            target = urldefrag(absolute).url
            if target not in pages:
                todo.append(target)
    return {"pages": pages, "ids": ids, "links": links, "host": host}


def test_every_internal_link_resolves_under_the_subpath(crawl):
    pages, ids = crawl["pages"], crawl["ids"]
    html_pages = [u for u, (s, t, _) in pages.items() if s == 200 and t == "text/html"]
    assert len(html_pages) > 50, f"the crawl found only {len(html_pages)} pages"
    broken: list[str] = []
    for source, url in crawl["links"]:
        parts = urlparse(url)
        target, fragment = urldefrag(url)
        where = (
            f"{urlparse(source).path} → {parts.path}{'?' + parts.query if parts.query else ''}"
            f"{'#' + fragment if fragment else ''}"
        )
        if not parts.path.startswith(PREFIX):
            broken.append(f"{where}: leaves the subpath {PREFIX}")
            continue
        if "//" in parts.path:
            broken.append(f"{where}: '//' in the path (works only where the server merges slashes)")
        status = pages[target][0]
        if status != 200:
            broken.append(f"{where}: HTTP {status}")
        elif fragment and target in ids and unquote(fragment) not in ids[target]:
            broken.append(f"{where}: no element with id={unquote(fragment)!r}")
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(sorted(set(broken)))


def test_sitemap_covers_the_crawled_pages(crawl, base):
    """Every page in sitemap.xml answers under the subpath (checked by the crawl) and is reachable by links."""
    status, _, body, _ = fetch(base + "sitemap.xml")
    assert status == 200
    portal = _portal_url()
    listed = {base + u[len(portal) :] for u in re.findall(r"<loc>([^<]+)</loc>", body.decode("utf-8"))}
    assert listed
    unreachable = sorted(u for u in listed if u not in crawl["pages"] or crawl["pages"][u][0] != 200)
    assert not unreachable, "in sitemap.xml but not linked from any page (or not 200):\n" + "\n".join(unreachable)


def test_missing_page_gets_the_portal_404_with_working_assets(base):
    url = base + "khong-ton-tai/"
    status, ctype, body, _ = fetch(url)
    assert status == 404 and ctype == "text/html"
    html = body.decode("utf-8")
    assert "404" in html and "md-header" in html  # the portal's page, not nginx's
    parsed = parse(html)
    assets = [u for tag, u in parsed.links if tag in ("link", "script", "img")]
    assert any(u.endswith(".css") for u in assets) and any(u.endswith(".js") for u in assets), assets
    bad = []
    for raw in [u for tag, u in parsed.links]:
        if raw.startswith(("mailto:", "#")) or urlparse(raw).scheme in ("http", "https") and not raw.startswith(base):
            continue
        absolute = urljoin(url, raw)
        path = urlparse(absolute).path
        if not path.startswith(PREFIX) or "//" in path:
            bad.append(f"{raw}: not a clean path under {PREFIX}")
        elif (code := fetch(urldefrag(absolute).url)[0]) != 200:
            bad.append(f"{raw}: HTTP {code}")
    assert not bad, "404 page:\n" + "\n".join(bad)


# --- size --------------------------------------------------------------------------------------


def _plan_paths(site: Path) -> list[str]:
    return [p["ma"] for p in json.loads((site / "data/plans.json").read_text("utf-8"))]


def test_largest_plan_page_is_under_150_kb(site):
    sizes = {path: (site / path / "index.html").stat().st_size for path in _plan_paths(site)}
    largest = max(sizes, key=sizes.get)
    print(f"\nlargest plan page: {largest}/index.html {sizes[largest]:,} bytes (limit {PLAN_PAGE_LIMIT:,})")
    assert sizes[largest] < PLAN_PAGE_LIMIT, f"{largest}/index.html is {sizes[largest]:,} bytes"


# --- in Chromium -------------------------------------------------------------------------------


def _load(chromium, url: str, *, wait_for: str | None = None) -> list[str]:
    """Open url and return every request the page made while loading."""
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(url, wait_until="networkidle")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=10000)
            page.wait_for_load_state("networkidle")
    finally:
        page.close()
    return requests


def _sample(site: Path) -> list[str]:
    def first(folder):
        return sorted(p.parent.relative_to(site).as_posix() for p in (site / folder).glob("*/**/index.html"))[0]

    plans = _plan_paths(site)
    district = plans[0].rsplit("/", 1)[0]
    return [
        "",
        plans[0].split("/")[0] + "/",
        district + "/",
        *(p + "/" for p in plans),
        first("co-quan") + "/",
        first("van-ban") + "/",
        "khong-ton-tai/",
    ]


@needs_chromium
def test_no_request_leaves_the_host(site, base, chromium):
    host = urlparse(base).netloc
    outside: list[str] = []
    loaded = 0
    for path in _sample(site):
        for url in _load(chromium, base + path):
            loaded += 1
            parts = urlparse(url)
            if parts.scheme not in ("data", "blob") and parts.netloc != host:
                outside.append(f"/{path}: {url}")
    for url in _load(
        chromium, base + "tim-kiem/?q=tuong+lua", wait_for="#ck-search-results a, .pagefind-ui__result-link"
    ):
        loaded += 1
        parts = urlparse(url)
        if parts.scheme not in ("data", "blob") and parts.netloc != host:
            outside.append(f"/tim-kiem/?q=tuong+lua: {url}")
    assert loaded > 20
    assert not outside, "requests to other hosts:\n" + "\n".join(outside)


@needs_chromium
def test_plan_page_loads_nothing_of_the_search_index(site, base, chromium):
    plan = max(_plan_paths(site), key=lambda p: (site / p / "index.html").stat().st_size)
    index = [u for u in _load(chromium, base + plan + "/") if INDEX_FILE.search(urlparse(u).path)]
    assert not index, index


@needs_chromium
def test_search_page_loads_nothing_of_the_index_before_a_query(base, chromium):
    index = [u for u in _load(chromium, base + "tim-kiem/") if INDEX_FILE.search(urlparse(u).path)]
    assert not index, "loaded before any search was typed:\n" + "\n".join(index)

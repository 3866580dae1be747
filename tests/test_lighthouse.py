"""Lighthouse on the real site in Debian's Chromium, mobile preset (issue 21): the home page and the biggest plan page
score 100 in accessibility and at least 95 in performance, best practices and SEO.

Lighthouse comes from npm (package-lock.json; `make test` runs `npm ci`) and drives /usr/bin/chromium: no browser
is downloaded, and the site is served from this machine, so no request leaves it. Its default throttling is
simulated (a mid-range phone on slow 4G, computed from one unthrottled load), which makes the figures depend on the
bytes the page needs more than on this machine; still, the main thread's time is measured, and a busy machine moves
performance by a few points: it is judged on the median of three runs, as Lighthouse's documentation advises (the
third run left out when the first two agree).

The site is served as a portal host serves it, text compressed with gzip (Debian's nginx compresses HTML by
default; every static host and CDN does): Python's http.server sends no compressed response, which Lighthouse
counts as hundreds of KiB more to download on slow 4G, a cost of the test server and not of the site.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import pytest
import yaml

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve
from tests.helpers import ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "", "plan": "gia-lai/duc-co/2023-chinh-quyen-so/"}  # the plan: the biggest page of the seed site
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The goal: at least 0.95 in performance, best practices and SEO, 1.0 in accessibility. Total blocking time is
# measured by this machine's clock, so a busy machine costs points: the plan page's style and layout of its ~2,000
# elements once scored 0.93-0.94 in CI beside the other tests. Since tables out of sight are laid out only when a
# reader nears them (content-visibility), it scores 1.0 alone (total blocking time 20-40 ms, was 150). The median of
# three is what is held to the goal.
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
RUNS = 3  # performance: the median of these
TIMEOUT_S = 180  # one Lighthouse run; it takes some 15 s

pytestmark = [
    pytest.mark.skipif(not shutil.which("node"), reason="node is missing: Lighthouse runs on Node.js"),
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.path.exists(CHROMIUM),
        reason="Debian chromium is installed by `make test`",
    ),
    pytest.mark.skipif(not LIGHTHOUSE.exists(), reason="Lighthouse is installed by `make test` (npm ci)"),
]

# What a host compresses: text, scripts, styles, data, SVG (Pagefind's chunks are gzip files already).
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files over HTTP/1.1, text gzip-compressed for a client that accepts it."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if (
            not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not ctype.startswith(COMPRESSED_TYPES)
        ):
            return super().send_head()  # directories' redirects, errors, binary files: as http.server sends them
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The real content built once, placed under the base_url's path, and served."""
    from generator.build.pipeline import build_site

    prefix = urlparse(yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["base_url"]).path.strip("/")
    www = tmp_path_factory.mktemp("lighthouse") / "www"
    build_site(ROOT / "content", ROOT / "site_config.yml", www / prefix if prefix else www, index=True)
    with serve(www, _CompressingHandler) as url:
        yield f"{url}/{prefix}/" if prefix else f"{url}/"


def _descendants(pid: int) -> list[int]:
    """The processes under `pid` (Chromium, which chrome-launcher starts in a session of its own, and its children)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile preset, simulated throttling) on `url`: its JSON report."""
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--no-enable-error-reporting",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        for pid in [*_descendants(proc.pid), proc.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"Lighthouse took more than {TIMEOUT_S} s on {url}")
    assert proc.returncode == 0 and out.exists(), f"Lighthouse failed on {url} ({proc.returncode}):\n{stderr[-3000:]}"
    report = json.loads(out.read_text("utf-8"))
    assert not report.get("runtimeError"), report["runtimeError"]
    assert report["configSettings"]["formFactor"] == "mobile" and report["configSettings"]["screenEmulation"]["mobile"]
    assert report["configSettings"]["throttlingMethod"] == "simulate"
    return report


def scores(report: dict) -> dict[str, float]:
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


def lost_points(report: dict, category: str) -> str:
    """The audits of `category` that cost points, weightiest first: id, title, score, figure."""
    refs = [r for r in report["categories"][category]["auditRefs"] if r["weight"] > 0]
    lines = []
    for ref in sorted(refs, key=lambda r: -r["weight"]):
        audit = report["audits"][ref["id"]]
        if audit["score"] is not None and audit["score"] < 1:
            shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"    {audit['id']}: {audit['title']}; score {audit['score']}{shown}; weight {ref['weight']}")
    if category == "performance":  # the opportunities and diagnostics, which carry no weight but say why
        for audit in report["audits"].values():
            details = audit.get("details") or {}
            if audit["score"] is not None and audit["score"] < 0.9 and details.get("type") in ("opportunity", "table"):
                if audit["id"] not in {r["id"] for r in refs}:
                    shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                    lines.append(f"    {audit['id']}: {audit['title']}; score {audit['score']}{shown}")
    return "\n".join(lines) or "    (no audit below 1)"


@pytest.mark.parametrize("kind", list(PAGES))
def test_lighthouse_mobile(kind, site_url, tmp_path):
    url = site_url + PAGES[kind]
    runs = []
    for i in range(RUNS):
        runs.append(lighthouse(url, tmp_path / f"run-{i}.json"))
        passed = [scores(r)["performance"] >= MINIMUM["performance"] for r in runs]
        if passed.count(True) > RUNS // 2 or passed.count(False) > RUNS // 2:
            break  # the median's side is settled
    figures = [scores(r) for r in runs]
    median = {c: statistics.median_low(f[c] for f in figures) for c in CATEGORIES}
    print(f"\nLighthouse {runs[0]['lighthouseVersion']} /{PAGES[kind]}: median {median}; runs {figures}")
    problems = []
    for category in CATEGORIES:
        # performance: the median run; the others do not depend on timing: every run
        judged = [median[category]] if category == "performance" else [f[category] for f in figures]
        if min(judged) < MINIMUM[category]:
            worst = min(runs, key=lambda r: scores(r)[category])
            problems.append(
                f"  {category}: {', '.join(str(f[category]) for f in figures)} (runs), at least "
                f"{MINIMUM[category]} wanted; what cost points in the run of {scores(worst)[category]}:\n"
                + lost_points(worst, category)
            )
    assert not problems, f"/{PAGES[kind]} (Lighthouse, mobile):\n" + "\n".join(problems)

"""Benchmark: build a large synthetic corpus end to end and print the figures (`make bench`).

    python -m bench            # 2,100 plans (700 district units × 3), all measurements
    BENCH_PLANS=21000 BENCH_BROWSER=0 BENCH_PLAIN=0 python -m bench   # the shards at ten times the corpus

The corpus is generated deterministically (seeded) into `bench/out/` (or BENCH_DIR): about 34
provinces, district units under them, each with `unit.yml`, sometimes `agencies.yml`, and three
plans written like the real ones in content/ (legal bases, previous results, 20 targets, tasks,
solutions, 1–2 budget tables totalling 15 lines with group subtotals and the odd total that does not
add up, responsibilities, recipients, the source `.nguon.txt` with its SHA-256, a narrative `.md`).

Measured: the whole build (`build_site`, index included) in a child process, as `make site` runs
it, with its stage timings, CPU time and peak memory (the build process and, separately, its
largest child: Pagefind); site, index and HTML page counts; the same build again after one plan's
YAML changed, once the full build's clean-up is done (`rebuild_one_s`) and, with another plan, right
after it (`rebuild_one_busy_s`); the equivalent Markdown built by plain MkDocs + Material
(`plain_mkdocs_s`); and, in Debian's Chromium, the bytes a first search downloads and the time to
its first result (`search_detail`), and the search budget of issue 24: each of its twelve queries searched
for the first time on slow 4G (1.6 Mbps, 150 ms), its bytes, requests and time, across the portal and
within a province (`search`), and on a stock Pagefind index of the same pages (`stock_pagefind`). A
human-readable table comes first; the last line is one JSON object.

Also measured, on the same corpus: the build by province shards (docs/shards.md), as a CI job running `make -j2`
would make it: each province's shard (`build --shard P --out shards/P`) built from nothing in a child process of
its own, two at a time since this machine has 2 cores (`shards`, and `shard_build_s`: the median and the longest;
`shards_total_s`: all of them), then the national step (`build --assemble shards`) from nothing (`national_step_s`),
each through the bench's worker as the whole build is (build_site with shard= or shards_from=); the peak memory of
one shard's build (the largest, `peak_rss_mb_shard`) and of the national step (`peak_rss_mb_national`), each read
by its own process as the whole build's is (its own peak and its largest child's, Pagefind); and whether the
assembled site is the whole build's, file for file (`shards_identical`, a SHA-256 of every file; else the first
differing paths, `shards_diff`). The shards are built after the one-plan rebuilds, once the site is built again from
the corpus as generated (the rebuilds changed two titles) and the disk has settled. Then the second rebuild's edit
is built as a CI matrix would build it: its province's shard again, then the national step (`rebuild_by_shard_s`:
each, and the two together). `BENCH_PLANS=21000
BENCH_BROWSER=0 BENCH_PLAIN=0` gives the per-shard figures at ten times the corpus (about 620 plans a province); its
whole build and national step hold every plan in memory (not run on this 23 GB machine): docs/performance.md has
one shard's figures at that size, measured on its own.

Environment:
    BENCH_PLANS=N        plans in the corpus (default 2100; units = N/3)
    BENCH_SEED=N         random seed (default 2025)
    BENCH_DIR=path       where corpus and site go (default bench/out, removed by `make clean`)
    BENCH_INDEX=0        build without Pagefind (no search figures then)
    BENCH_REBUILD=0      skip the one-plan rebuild
    BENCH_PLAIN=0        skip the plain-MkDocs reference build
    BENCH_BROWSER=0      skip the Chromium search measurement
    BENCH_SHARDS=0       skip the build by province shards (shards in BENCH_DIR/shards/<province>, the national
                         step's site in BENCH_DIR/site-by-shard)
    BENCH_QUERIES=a,b    search queries (default «tường lửa,chuyển đổi số»; the first is the headline)
    BENCH_PROFILE=file   write a cProfile of the main build to `file` and print its top entries
    BENCH_GC=0           run the builds with Python's cyclic garbage collector off from the start
    BENCH_SETTLE=0       do not wait for the disk to settle before measuring (tests: quicker, figures noisier)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import ROOT, generate_corpus

# --------------------------------------------------------------------------- measuring


_INDEX_URL = re.compile(r"/pagefind(?:-[\w]+)?/")  # the portal's index folders, and the stock one (STOCK)


# ext4 without a journal (this machine's disk) does not reuse an inode freed less than a minute ago
# (longer while its table block is unwritten): each new file's allocation scans past every such inode.
# Right after deleting an earlier run's site (80,000 files), a build from nothing spent 20-30 s more
# in the kernel, which is the bench's own cleanup, not the build: a fresh clone has nothing deleted.
_INODE_RECENCY_S = 60


def _clear(folders: list[Path]) -> float | None:
    """Deletes `folders`; returns when the last deletion reached the disk (None: nothing was there)."""
    present = [f for f in folders if f.exists()]
    if not present:
        return None
    for folder in present:
        folder.unlink() if folder.is_symlink() else shutil.rmtree(folder, onerror=gone_is_fine)
    os.sync()  # the freed inodes' table blocks written: their recency is then the minute, not five
    return time.monotonic()


def gone_is_fine(function, path, exc_info) -> None:
    """shutil.rmtree's onerror for a `.site.old-*` folder, which an earlier build's background deleter
    (publish.discard) may be deleting at the same time: what is already gone is what was wanted."""
    if not isinstance(exc_info[1], FileNotFoundError):
        raise exc_info[1]


def _settle(cleared: float | None, say) -> None:
    """Waits out the minute after `_clear` (see _INODE_RECENCY_S) before a measured build."""
    if cleared is None:
        return
    os.sync()
    wait = cleared + _INODE_RECENCY_S + 5 - time.monotonic()
    if wait > 0:
        say(f"bench: chờ {wait:.0f}s để hệ thống tệp dùng lại các inode vừa xoá (xem _INODE_RECENCY_S) …")
        time.sleep(wait)


def _edit_title(plan: Path) -> None:
    """The edit the rebuilds are measured after: the plan's title changed."""
    plan.write_text(plan.read_text("utf-8").replace("\ntitle: ", "\ntitle: (sửa đổi) ", 1), "utf-8")


def _rebuild_one(plan: Path, content: Path, config: Path, site: Path, index: bool, say) -> dict:
    """Changes the plan's title and builds into the same output again: the figures."""
    _edit_title(plan)
    say(f"bench: sửa {plan.relative_to(content)}, dựng lại …")
    return _run_build(content, config, site, index=index)


def _cleaned_up(where: Path, timeout_s: float = 600.0) -> float:
    """Waits until the builds in `where` have deleted what they left to delete in the background (the
    previous site, Pagefind's scratch copies: pipeline._discard); returns when, as _clear does."""
    end = time.monotonic() + timeout_s
    while any(where.glob(".*.old-*")) and time.monotonic() < end:
        time.sleep(0.5)
    os.sync()
    return time.monotonic()


def _tree_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
                count += 1
            except OSError:
                pass
    return total, count


def _count_html(folder: Path) -> int:
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


def _instrument() -> dict[str, dict[str, float]]:
    """Wall and CPU time (this process and its children) of each step build_site calls, recorded by wrapping
    the module attributes it looks up: finer than its stages (history and model are part of «render» there),
    and CPU time stays meaningful when other work shares the machine."""
    from generator.build import pipeline
    from generator.model import history, views
    from generator.search import pagefind

    steps: dict[str, dict[str, float]] = {}

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def wrap(module, attr: str, name: str) -> None:
        original = getattr(module, attr)

        def timed(*args, **kwargs):
            w, c = time.perf_counter(), cpu()
            try:
                return original(*args, **kwargs)
            finally:
                step = steps.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
                step["wall_s"] += time.perf_counter() - w
                step["cpu_s"] += cpu() - c

        setattr(module, attr, timed)

    wrap(pipeline, "check", "load+validate")
    wrap(history, "collect", "history (git)")
    wrap(views, "build_portal", "model")
    # render and MkDocs run in forked workers (pipeline._render_and_lay_out): their times come from the stages.
    wrap(pagefind, "index_site", "pagefind")
    return steps


def _worker(argv: list[str]) -> int:
    """`python -m bench --worker CONTENT CONFIG OUT INDEX [PROFILE [SHARD [ASSEMBLE]]]`: one build, figures as JSON.
    SHARD: a province's shard alone, as `build --shard SHARD`; ASSEMBLE: the national step, as `build --assemble
    ASSEMBLE` (an empty argument: not given)."""
    content, config, out, index = Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3] == "1"
    profile = argv[4] if len(argv) > 4 and argv[4] else None
    parts = {
        "shard": argv[5] if len(argv) > 5 and argv[5] else None,
        "shards_from": Path(argv[6]) if len(argv) > 6 and argv[6] else None,
    }
    if os.environ.get("BENCH_GC", "1") == "0":
        import gc

        gc.disable()
    t0 = time.perf_counter()
    from generator.build.pipeline import build_site

    t_import = time.perf_counter() - t0
    steps = _instrument()
    t = time.perf_counter()
    if profile:
        import cProfile

        prof = cProfile.Profile()
        report = prof.runcall(build_site, content, config, out, index=index, **parts)
        prof.dump_stats(profile)
    else:
        report = build_site(content, config, out, index=index, **parts)  # as `python -m generator build`
    call = time.perf_counter() - t
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "stages": getattr(report, "stages", None),
                "plans": getattr(report, "plans", None),
                "units": getattr(report, "units", None),
                "pages_rendered": getattr(report, "pages", None),
                "rendered": getattr(report, "rendered", None),
                "laid_out": getattr(report, "laid_out", None),
                "import_s": t_import,
                "build_call_s": call,
                "steps": steps,
                "self_maxrss_kb": me.ru_maxrss,
                "children_maxrss_kb": kids.ru_maxrss,
                "cpu_self_s": me.ru_utime + me.ru_stime,
                "cpu_children_s": kids.ru_utime + kids.ru_stime,
                "report": str(report),
            },
            ensure_ascii=False,
        )
    )
    return 0


def _run_build(
    content: Path,
    config: Path,
    out: Path,
    *,
    index: bool,
    profile: str | None = None,
    shard: str | None = None,
    shards_from: Path | None = None,
) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "bench",
        "--worker",
        str(content),
        str(config),
        str(out),
        "1" if index else "0",
        profile or "",
        shard or "",
        str(shards_from) if shards_from else "",
    ]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-20000:])
        raise SystemExit(f"bench: bản dựng thất bại (mã {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    stages = result["stages"] or {}
    result["other_s"] = max(0.0, wall - sum(stages.values()))
    return result


SHARD_JOBS = 2  # shards built at once, as `make -j2` on this machine's 2 cores


def _provinces(content: Path) -> list[str]:
    """The province ids: the content's top-level folders holding a unit.yml (the shards `build --shard` takes)."""
    return sorted(p.name for p in content.iterdir() if (p / "unit.yml").is_file())


def _by_shard(content: Path, config: Path, shards: Path, site: Path, *, index: bool, say) -> dict:
    """Each province's shard built from nothing into `shards/<province>`, SHARD_JOBS at a time, each in a process of
    its own (its figures its own: wall time, peak memory); then the national step from them into `site`."""
    from concurrent.futures import ThreadPoolExecutor

    provinces = _provinces(content)
    say(f"bench: dựng theo tỉnh: {len(provinces)} phần, {SHARD_JOBS} phần cùng lúc (--shard) …")
    t = time.perf_counter()
    with ThreadPoolExecutor(SHARD_JOBS) as pool:  # each thread waits on its child process
        built = dict(
            zip(
                provinces,
                pool.map(lambda p: _run_build(content, config, shards / p, index=index, shard=p), provinces),
            )
        )
    total = time.perf_counter() - t
    say("bench: bước toàn quốc (--assemble) …")
    national = _run_build(content, config, site, index=index, shards_from=shards)
    return {"shards": built, "total_s": total, "national": national}


def _rebuild_by_shard(plan: Path, content: Path, config: Path, shards: Path, site: Path, *, index: bool, say) -> dict:
    """One plan's edit (its title, as _rebuild_one) built by shard: its province's shard again, then the national
    step, each into its previous output (the figures); the plan is put back after."""
    province = plan.relative_to(content).parts[0]
    text = plan.read_text("utf-8")
    try:
        _edit_title(plan)
        say(f"bench: sửa {plan.relative_to(content)}, dựng lại tỉnh {province} rồi bước toàn quốc …")
        shard = _run_build(content, config, shards / province, index=index, shard=province)
        national = _run_build(content, config, site, index=index, shards_from=shards)
    finally:
        plan.write_text(text, "utf-8")
    return {"shard": shard, "national": national}


def _peak_kb(build: dict) -> int:
    """A build's peak memory: its process's own peak plus its largest child's (see main)."""
    return build["self_maxrss_kb"] + build["children_maxrss_kb"]


def _digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder` (a site: its link followed), by path relative to it."""
    top = folder.resolve()
    out = {}
    for dirpath, _, files in os.walk(top):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, top)] = hashlib.file_digest(f, "sha256").hexdigest()
    return out


def _differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """The paths whose files differ, or are in one tree only, sorted."""
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def _plain_mkdocs(plain: Path) -> dict:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")],
        cwd=plain,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1577836800"},
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        return {"wall_s": None, "error": proc.stderr.strip()[-500:]}
    size, files = _tree_size(plain / "site")
    return {"wall_s": wall, "pages": _count_html(plain / "site"), "site_bytes": size, "files": files}


_RESULT_SELECTOR = ".pagefind-ui__result-link, .ck-result a"


# Debian's Chromium as this machine runs it (tests/browser.py holds the same list for the tests)
_CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# What the README's nginx configuration compresses (`gzip on; gzip_types …`; nginx always compresses HTML), at
# nginx's default level: a host serves the site so, and a phone downloads that. Pagefind's files are compressed by
# Pagefind itself.
_GZIP_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "application/json", "text/csv")


def _serve(site: Path):
    """`site` served quietly on a free port of this machine, compressed as the README's nginx configuration does:
    (the server, to shut down; its address)."""
    import functools
    import gzip
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir() and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            kind = self.guess_type(str(path))
            if (
                not path.is_file()
                or not kind.startswith(_GZIP_TYPES)
                or "gzip" not in self.headers.get("Accept-Encoding", "")
            ):
                return super().send_head()  # as it is: a folder's redirect, a missing file, Pagefind's files
            body = gzip.compress(path.read_bytes(), compresslevel=1, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _search_figures(site: Path, queries: list[str], *, runs: int = 3, timeout_s: float = 60.0) -> dict:
    """Serve `site`, open the search page with ?q= in Chromium; bytes of the index (every part, delta
    included: /pagefind*/) and time to the first result."""
    import contextlib
    from urllib.parse import quote

    chromium = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return {"error": f"không có {chromium}"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "thiếu playwright (make test cài)"}

    server, base = _serve(site)
    figures: dict = {"queries": {}}
    try:
        with sync_playwright() as p, contextlib.ExitStack() as stack:
            browser = p.chromium.launch(executable_path=chromium, args=_CHROMIUM_ARGS)
            stack.callback(browser.close)
            for query in queries:
                runs_out = []
                for _ in range(runs):
                    context = browser.new_context()  # a fresh context: empty HTTP cache, as a first visit
                    page = context.new_page()
                    responses: list = []
                    page.on(
                        "response",
                        lambda resp, responses=responses: (
                            responses.append((time.perf_counter(), resp)) if _INDEX_URL.search(resp.url) else None
                        ),
                    )
                    url = f"{base}/tim-kiem/?q={quote(query)}"
                    t0 = time.perf_counter()
                    page.goto(url, wait_until="commit")
                    try:
                        page.wait_for_selector(_RESULT_SELECTOR, timeout=timeout_s * 1000)
                        t1 = time.perf_counter()
                        results = page.eval_on_selector_all(_RESULT_SELECTOR, "els => els.length")
                        matched = page.evaluate(
                            "document.querySelector('.ck-result a') ? '.ck-result a' : '.pagefind-ui__result-link'"
                        )
                    except Exception as exc:  # the search page shows no result: record it, go on
                        t1, results = None, 0
                        runs_out.append({"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"})
                    with contextlib.suppress(Exception):
                        page.wait_for_load_state("networkidle", timeout=15000)
                    files = []
                    for at, resp in responses:
                        try:
                            size = len(resp.body())
                        except Exception:
                            size = int(resp.headers.get("content-length", 0) or 0)
                        name = _INDEX_URL.split(resp.url, 1)[1].split("?")[0]
                        files.append({"file": name, "bytes": size, "before_results": t1 is not None and at <= t1})
                    context.close()
                    if t1 is None:
                        continue
                    kinds: dict[str, int] = {}
                    for f in files:
                        ext = f["file"].rsplit(".", 1)[-1] if "." in f["file"] else f["file"]
                        kinds[ext] = kinds.get(ext, 0) + f["bytes"]
                    runs_out.append(
                        {
                            "first_results_ms": round((t1 - t0) * 1000),
                            "results_shown": results,
                            "selector": matched,
                            "requests": len(files),
                            "bytes": sum(f["bytes"] for f in files),
                            "bytes_before_results": sum(f["bytes"] for f in files if f["before_results"]),
                            "bytes_by_kind": dict(sorted(kinds.items())),
                        }
                    )
                ok = [r for r in runs_out if "first_results_ms" in r]
                figures["queries"][query] = {
                    "runs": runs_out,
                    "first_query_bytes": ok[0]["bytes"] if ok else None,
                    "first_results_ms": ok[0]["first_results_ms"] if ok else None,
                    "median_results_ms": sorted(r["first_results_ms"] for r in ok)[len(ok) // 2] if ok else None,
                }
    finally:
        server.shutdown()
        server.server_close()
    return figures


# The queries (24): «a province name» and «a district name» are the corpus's first ones (_named_queries).
BUDGET_QUERIES = (
    "chuyển đổi số",
    "chuyen doi so",
    "ngân sách 2023",
    "dịch vụ công trực tuyến",
    "dich vu cong",
    "tường lửa",
    "an toàn thông tin",
    "{province}",
    "{district}",
    "camera",
    "Zalo",
    "kinh phí",
)
# Slow 4G as the issue measures it: 1.6 Mbps down, 150 ms round trip (Chrome's own «Slow 4G» preset's figures).
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
STOCK = "pagefind-stock"  # a stock Pagefind index of the same pages, for comparison (written into the bench's site)
_STOCK_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<ol id="r"></ol><script type="module">
const q = new URLSearchParams(location.search).get("q");
const pf = await import("./pagefind-stock/pagefind.js");
await pf.options({ excerptLength: 30 });
const found = await pf.search(q);
const shown = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
document.getElementById("r").innerHTML = shown.length
  ? shown.map(() => '<li class="stock-result"></li>').join("") : '<li class="stock-result"></li>';
</script></body></html>
"""


def _named_queries(content: Path) -> tuple[list[str], str]:
    """BUDGET_QUERIES with the corpus's first province and first district named; the province's id (the scope of
    the province-scoped searches)."""
    import yaml

    province = next(p for p in sorted(content.iterdir()) if (p / "unit.yml").is_file())
    district = next(d for d in sorted(province.iterdir()) if (d / "unit.yml").is_file())
    names = {
        "province": yaml.safe_load((province / "unit.yml").read_text("utf-8"))["name"],
        "district": yaml.safe_load((district / "unit.yml").read_text("utf-8"))["name"],
    }
    return [q.format(**names) for q in BUDGET_QUERIES], province.name


def _stock_index(site: Path) -> None:
    """A stock Pagefind index of the site's pages (its defaults: the pages as published) and a page that runs one
    search on it as Pagefind's own UI does (the first ten results' data)."""
    from pagefind_bin import get_executable

    shutil.rmtree(site / STOCK, ignore_errors=True)
    subprocess.run(
        [str(get_executable()), "--site", str(site), "--output-path", str(site / STOCK), "--quiet"],
        check=True,
        capture_output=True,
    )
    (site / "tim-kiem-stock.html").write_text(_STOCK_PAGE, "utf-8")


def _search_budget(site: Path, queries: list[str], province: str, timeout_s: float = 120.0) -> dict:
    """Each query's first search on slow 4G, with an empty cache, in Debian's Chromium: bytes and requests (every
    request of the context, the search's worker included) and the time to the first results; on the portal's search
    page («national»: the whole country, every province's index merged; «province»: the province `province`, its
    index alone, as a reader coming from its pages searches) and on a stock Pagefind index of the same pages."""
    import contextlib
    from urllib.parse import quote

    chromium = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return {"error": f"không có {chromium}"}
    from playwright.sync_api import sync_playwright

    _stock_index(site)

    server, base = _serve(site)

    def first_search(browser, url: str, done: str) -> dict:
        context = browser.new_context()  # an empty cache: a first visit
        sizes: list[tuple[int, bool]] = []  # (bytes, of the search index)
        context.on("requestfinished", lambda r: sizes.append((_transferred(r), bool(_INDEX_URL.search(r.url)))))
        context.add_init_script(_FIRST_SHOWN % json.dumps(done))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        try:
            page.goto(url, wait_until="commit")
            page.wait_for_selector(done, timeout=timeout_s * 1000)
            ms = round(page.evaluate("window.__ckShown"))
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=30000)
            return {
                "bytes": sum(n for n, _ in sizes),
                "requests": len(sizes),
                "ms": ms,
                # the index's share (Pagefind's files), apart from the page itself, its theme and scripts
                "index_bytes": sum(n for n, index in sizes if index),
                "index_requests": sum(1 for _, index in sizes if index),
            }
        except Exception as exc:  # recorded, the others go on
            return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"}
        finally:
            context.close()

    figures: dict = {"national": {}, "province": {}, "stock_pagefind": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=_CHROMIUM_ARGS)
            try:
                for query in queries:
                    q = quote(query)
                    figures["national"][query] = first_search(
                        browser, f"{base}/tim-kiem/?q={q}&pham-vi=ca-nuoc", _RESULT_SELECTOR
                    )
                    figures["province"][query] = first_search(
                        browser, f"{base}/tim-kiem/?q={q}&pham-vi={quote(province)}", _RESULT_SELECTOR
                    )
                    figures["stock_pagefind"][query] = first_search(
                        browser, f"{base}/tim-kiem-stock.html?q={q}", ".stock-result"
                    )
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


# When the first result is on the page, in ms from the start of the page's navigation, as the page itself sees it.
# (Playwright's wait_for_selector polls every 500 ms after its first tries: timed by it, a search that showed its
# results at 2.7 s counted 3.1 s.)
_FIRST_SHOWN = """new MutationObserver(function () {
  if (window.__ckShown === undefined && document.querySelector(%s)) window.__ckShown = performance.now();
}).observe(document, { childList: true, subtree: true });"""


def _transferred(request) -> int:
    """A finished request's bytes on the wire: its response's headers and body (as Chromium reports them)."""
    try:
        sizes = request.sizes()
        return int(sizes.get("responseHeadersSize", 0)) + int(sizes.get("responseBodySize", 0))
    except Exception:
        return 0


# --------------------------------------------------------------------------- report


def _mb(n: int | None) -> float | None:
    return None if n is None else round(n / 1_000_000, 1)


def _flag(name: str, default: bool = True) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() not in ("0", "", "no", "false")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        code = _worker(argv[1:])
        sys.stdout.flush()
        os._exit(code)  # as `python -m generator` leaves (see generator/__main__.py)
    plans = int(os.environ.get("BENCH_PLANS", "2100"))
    seed = int(os.environ.get("BENCH_SEED", "2025"))
    where = Path(os.environ.get("BENCH_DIR", ROOT / "bench" / "out")).resolve()
    index, rebuild, plain_on, browser_on, shards_on = (
        _flag("BENCH_INDEX"),
        _flag("BENCH_REBUILD"),
        _flag("BENCH_PLAIN"),
        _flag("BENCH_BROWSER"),
        _flag("BENCH_SHARDS"),
    )
    queries = [q.strip() for q in os.environ.get("BENCH_QUERIES", "tường lửa,chuyển đổi số").split(",") if q.strip()]
    profile = os.environ.get("BENCH_PROFILE") or None
    where.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()[0]

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    content, config, site = where / "content", where / "site_config.yml", where / "site"
    shards, by_shard = where / "shards", where / "site-by-shard"  # the shards' builds, the national step's site
    # The first build starts from nothing: what an earlier run left goes first, before the corpus is made.
    cleared = _clear(
        [
            content,
            where / "plain",
            shards,
            *[
                f
                for out in (site, by_shard)
                for f in (
                    out,
                    where / f".{out.name}.cache",
                    where / f".{out.name}.builds",
                    *where.glob(f".{out.name}.old-*"),
                )
            ],
        ]
    )
    say(f"bench: tạo kho {plans} kế hoạch (seed {seed}) vào {where} …")
    t = time.perf_counter()
    corpus = generate_corpus(where, plans, seed, plain=where / "plain" if plain_on else None)
    generate_s = time.perf_counter() - t
    if _flag("BENCH_SETTLE"):
        _settle(cleared, say)

    say(f"bench: đã tạo trong {generate_s:.1f}s; dựng site (build_site, chỉ mục {'có' if index else 'không'}) …")
    build = _run_build(content, config, site, index=index, profile=profile)
    site_bytes, site_files = _tree_size(site)
    index_bytes = index_files = 0
    for bundle in [site / "pagefind", *sorted(site.glob("*/pagefind"))]:  # the portal-wide pages' and each province's
        size, count = _tree_size(bundle)
        index_bytes, index_files = index_bytes + size, index_files + count
    pages = _count_html(site)

    rebuilt = busy = None
    if rebuild:
        # One plan's YAML changes (its title), then the same build into the same output, as `make site` would:
        # first right after the full build, while it is still deleting its scratch files in the background
        # (the worst case); then, with another plan, once that is done and the disk has settled (_settle),
        # as when an editor changes a plan after the last build: the figure the goal is held to.
        plan_files = sorted(p for p in content.rglob("20*.yml") if not p.name.endswith(".ket-qua.yml"))
        edited = [plan_files[len(plan_files) // 2], plan_files[len(plan_files) // 3]]
        texts = [plan.read_text("utf-8") for plan in edited]
        try:
            busy = _rebuild_one(edited[0], content, config, site, index, say)
            if _flag("BENCH_SETTLE"):
                _settle(_cleaned_up(where), say)
            rebuilt = _rebuild_one(edited[1], content, config, site, index, say)
        finally:  # the corpus as generated (each rebuild changed one plan only: no title was put back between)
            for plan, text in zip(edited, texts):
                plan.write_text(text, "utf-8")

    sharded = None
    if shards_on:
        if rebuild:  # the site of the corpus as generated again, to compare the assembled site with (not measured)
            say("bench: dựng lại site theo kho như khi tạo (hoàn tác hai lần sửa, không đo) …")
            _run_build(content, config, site, index=index)
        if _flag("BENCH_SETTLE"):
            _settle(_cleaned_up(where), say)
        sharded = _by_shard(content, config, shards, by_shard, index=index, say=say)
        say("bench: so sánh từng tệp của site ghép từ các tỉnh với site dựng một lần …")
        sharded["differing"] = _differing(_digests(site), _digests(by_shard))
        if rebuild:
            sharded["rebuild"] = _rebuild_by_shard(edited[1], content, config, shards, by_shard, index=index, say=say)

    plain = None
    if plain_on:
        say("bench: MkDocs thuần (đối chứng) …")
        plain = _plain_mkdocs(where / "plain")

    search = budget = None
    if browser_on and index:
        say("bench: tìm kiếm trong Chromium …")
        search = _search_figures(site, queries)
        say("bench: tìm kiếm lần đầu trên mạng 4G chậm: cổng và chỉ mục Pagefind nguyên bản …")
        budget = _search_budget(site, *_named_queries(content))

    load_end = os.getloadavg()[0]
    stages = {k: round(v, 2) for k, v in (build["stages"] or {}).items()}
    headline = (search or {}).get("queries", {}).get(queries[0], {}) if queries else {}
    # Peak memory: the build process's own peak plus its largest child's (Pagefind), an upper bound of what is
    # resident at once (Python keeps its heap while Pagefind runs). Linux carries a forked child's peak across
    # exec, so the child figure is at least the build's RSS when it forked: on small corpora both read the same.
    peak_kb = _peak_kb(build)
    shard_walls = {p: b["wall_s"] for p, b in sharded["shards"].items()} if sharded else {}
    by_shard_again = (sharded or {}).get("rebuild")
    shard_peaks = {p: _peak_kb(b) for p, b in sharded["shards"].items()} if sharded else {}
    figures = {
        "plans": build["plans"],
        "units": build["units"],
        "pages": pages,
        "pages_rendered": build["pages_rendered"],
        "total_s": round(build["wall_s"], 2),
        "stages_s": stages,
        "startup_and_swap_s": round(build["other_s"], 2),
        "outside_stages_s": {  # where startup_and_swap_s goes
            "imports": round(build["import_s"], 2),
            "swap_and_cleanup": round(build["build_call_s"] - sum((build["stages"] or {}).values()), 2),
            "interpreter_and_exit": round(build["wall_s"] - build["import_s"] - build["build_call_s"], 2),
        },
        "cpu_s": round(build["cpu_self_s"] + build["cpu_children_s"], 2),
        "steps": {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in build["steps"].items()},
        "rebuild_one_s": round(rebuilt["wall_s"], 2) if rebuilt else None,
        "rebuild_stages_s": {k: round(v, 2) for k, v in rebuilt["stages"].items()} if rebuilt else None,
        "rebuild_pages_rendered": rebuilt["rendered"] if rebuilt else None,
        "rebuild_pages_laid_out": rebuilt["laid_out"] if rebuilt else None,
        "rebuild_one_busy_s": round(busy["wall_s"], 2) if busy else None,  # right after the full build (see main)
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "python_rss_mb": round(build["self_maxrss_kb"] / 1024, 1),
        "child_rss_mb": round(build["children_maxrss_kb"] / 1024, 1),
        "site_mb": _mb(site_bytes),
        "site_files": site_files,
        "index_mb": _mb(index_bytes),
        "index_files": index_files,
        # the build by province shards (see the module's docstring): SHARD_JOBS at a time, then the national step
        "shards": len(shard_walls) if sharded else None,
        "shard_build_s": {
            "median": round(statistics.median(shard_walls.values()), 2),
            "max": round(max(shard_walls.values()), 2),
        }
        if shard_walls
        else None,
        "shard_slowest": max(shard_walls, key=shard_walls.get) if shard_walls else None,
        "shards_total_s": round(sharded["total_s"], 2) if sharded else None,  # every shard, SHARD_JOBS at a time
        "shard_jobs": SHARD_JOBS if sharded else None,
        "national_step_s": round(sharded["national"]["wall_s"], 2) if sharded else None,
        "rebuild_by_shard_s": {  # one plan's edit: its province's shard, then the national step
            "shard": round(by_shard_again["shard"]["wall_s"], 2),
            "national": round(by_shard_again["national"]["wall_s"], 2),
            "total": round(by_shard_again["shard"]["wall_s"] + by_shard_again["national"]["wall_s"], 2),
        }
        if by_shard_again
        else None,
        "national_stages_s": {k: round(v, 2) for k, v in (sharded["national"]["stages"] or {}).items()}
        if sharded
        else None,
        "peak_rss_mb_shard": round(max(shard_peaks.values()) / 1024, 1) if shard_peaks else None,
        "peak_rss_mb_national": round(_peak_kb(sharded["national"]) / 1024, 1) if sharded else None,
        "shards_identical": not sharded["differing"] if sharded else None,
        "shards_diff": sharded["differing"][:10] if sharded else None,
        "plain_mkdocs_s": round(plain["wall_s"], 2) if plain and plain.get("wall_s") is not None else None,
        "plain_mkdocs_pages": plain.get("pages") if plain else None,
        "mkdocs_vs_plain": round(stages.get("mkdocs", 0) / plain["wall_s"], 2)
        if plain and plain.get("wall_s")
        else None,
        "total_vs_plain": round(build["wall_s"] / plain["wall_s"], 2) if plain and plain.get("wall_s") else None,
        "first_query": queries[0] if search else None,
        "first_query_bytes": headline.get("first_query_bytes"),
        "first_results_ms": headline.get("first_results_ms"),
        "search_detail": search,
        # the search budget (24): per query, a first search on slow 4G; stock: one Pagefind index, same pages
        "search": {k: v for k, v in (budget or {}).items() if k != "stock_pagefind"} or None,
        "stock_pagefind": (budget or {}).get("stock_pagefind"),
        "corpus": {**corpus, "generate_s": round(generate_s, 1), "seed": seed},
        "gc": os.environ.get("BENCH_GC", "1") != "0",
        "loadavg_1m": [round(load_start, 2), round(load_end, 2)],
        "cpus": os.cpu_count(),
    }

    rows = [
        ("Kế hoạch / đơn vị", f"{figures['plans']} / {figures['units']}"),
        ("Trang HTML (trang nguồn)", f"{pages} ({build['pages_rendered']})"),
        (
            "Kho nội dung",
            f"YAML {_mb(corpus['yaml_bytes'])} MB, văn bản gốc {_mb(corpus['source_bytes'])} MB (tạo "
            f"trong {generate_s:.1f}s)",
        ),
        ("Tổng thời gian dựng", f"{build['wall_s']:.1f} s (CPU {figures['cpu_s']:.1f} s; mục tiêu ≤ 60 s)"),
        *[(f"  {k}", f"{v:.1f} s") for k, v in stages.items()],
        (
            "  (chi tiết: thời gian thực / CPU)",
            "; ".join(f"{k} {v['wall_s']:.1f}/{v['cpu_s']:.1f} s" for k, v in build["steps"].items()),
        ),
        (
            "  ngoài các bước",
            f"{build['other_s']:.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in figures["outside_stages_s"].items())
            + ")",
        ),
        (
            "Dựng lại sau khi sửa 1 kế hoạch",
            (
                f"{rebuilt['wall_s']:.1f} s (mục tiêu ≤ 3 s): "
                + ", ".join(f"{k} {v:.1f} s" for k, v in rebuilt["stages"].items())
                + f"; {rebuilt['rendered']} trang dựng lại bằng Jinja, {rebuilt['laid_out']} trang qua MkDocs"
            )
            if rebuilt
            else "bỏ qua",
        ),
        (
            "  ngay sau bản dựng đầy đủ",
            f"{busy['wall_s']:.1f} s (khi bản dựng trước còn đang xoá tệp tạm)" if busy else "bỏ qua",
        ),
        (
            "Bộ nhớ đỉnh",
            f"{figures['peak_rss_mb']} MB (Python {figures['python_rss_mb']} MB + tiến trình con lớn "
            f"nhất {figures['child_rss_mb']} MB)",
        ),
        (
            "Dựng theo tỉnh (--shard)",
            (
                f"{figures['shards']} tỉnh, {SHARD_JOBS} tỉnh cùng lúc: mỗi tỉnh trung vị "
                f"{figures['shard_build_s']['median']:.1f} s, lâu nhất {figures['shard_build_s']['max']:.1f} s "
                f"({figures['shard_slowest']}); cả {figures['shards']} tỉnh {figures['shards_total_s']:.1f} s"
            )
            if sharded
            else "bỏ qua",
        ),
        *(
            [
                (
                    "  bước toàn quốc (--assemble)",
                    f"{figures['national_step_s']:.1f} s: "
                    + ", ".join(f"{k} {v:.1f} s" for k, v in figures["national_stages_s"].items()),
                ),
                (
                    "  dựng lại sau khi sửa một kế hoạch",
                    f"tỉnh của nó {figures['rebuild_by_shard_s']['shard']:.1f} s, rồi bước toàn quốc "
                    f"{figures['rebuild_by_shard_s']['national']:.1f} s: "
                    f"cộng {figures['rebuild_by_shard_s']['total']:.1f} s"
                    if by_shard_again
                    else "bỏ qua",
                ),
                (
                    "  bộ nhớ đỉnh",
                    f"một tỉnh tối đa {figures['peak_rss_mb_shard']} MB, bước toàn quốc "
                    f"{figures['peak_rss_mb_national']} MB (mỗi tiến trình và tiến trình con lớn nhất của nó)",
                ),
                (
                    "  site ghép = site dựng một lần",
                    "giống hệt từng byte"
                    if figures["shards_identical"]
                    else f"KHÁC: {len(sharded['differing'])} tệp, ví dụ " + ", ".join(figures["shards_diff"]),
                ),
            ]
            if sharded
            else []
        ),
        ("Dung lượng site", f"{figures['site_mb']} MB, {site_files} tệp"),
        ("Chỉ mục Pagefind", f"{figures['index_mb']} MB, {index_files} tệp"),
        (
            "MkDocs thuần (đối chứng)",
            (
                f"{plain['wall_s']:.1f} s, {plain['pages']} trang; bước mkdocs / thuần = {figures['mkdocs_vs_plain']}, "
                f"toàn bộ / thuần = {figures['total_vs_plain']}"
            )
            if plain and plain.get("wall_s")
            else ("lỗi: " + plain.get("error", ""))
            if plain
            else "bỏ qua",
        ),
    ]
    if search and "queries" in search:
        for q, f in search["queries"].items():
            rows.append(
                (
                    f"Tìm «{q}» (Chromium, lần đầu)",
                    f"{f['first_query_bytes']} byte tải, kết quả đầu sau {f['first_results_ms']} ms (trung "
                    f"vị {f['median_results_ms']} ms)"
                    if f["first_results_ms"] is not None
                    else f"không thấy kết quả: {f['runs'][0].get('error', '?') if f['runs'] else '?'}",
                )
            )
    elif search:
        rows.append(("Tìm kiếm", search.get("error", "?")))
    if budget and "national" in budget:

        def cell(f: dict) -> str:
            return f"{f['bytes']:,} B, {f['requests']} yêu cầu, {f['ms']} ms" if "bytes" in f else f.get("error", "?")

        rows.append(("Tìm lần đầu, 4G chậm", "cả nước | trong tỉnh | Pagefind nguyên bản"))
        for q in budget["national"]:
            parts = (budget["national"][q], budget["province"][q], budget["stock_pagefind"][q])
            rows.append((f"  «{q}»", " | ".join(cell(f) for f in parts)))
    elif budget:
        rows.append(("Tìm lần đầu, 4G chậm", budget.get("error", "?")))
    rows.append(
        (
            "Tải máy (1 phút, đầu → cuối)",
            f"{figures['loadavg_1m'][0]} → {figures['loadavg_1m'][1]} trên {figures['cpus']} lõi",
        )
    )
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k.ljust(width)}  {v}" for k, v in rows))
    if profile:
        import pstats

        print(f"\ncProfile của bản dựng chính ({profile}), 25 mục theo thời gian tích lũy:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

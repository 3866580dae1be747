"""`make bench` on a tiny corpus: the synthetic plans validate, the same seed writes the same bytes, and the
bench's last line is the JSON the issue asks for (no Chromium, no plain-MkDocs reference: those are slow)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from bench.corpus import generate_corpus
from generator.build.pipeline import check
from tests.helpers import ROOT, tree_digest

REQUIRED = (
    "plans",
    "pages",
    "total_s",
    "stages_s",
    "rebuild_one_s",
    "peak_rss_mb",
    "site_mb",
    "index_mb",
    "plain_mkdocs_s",
    "first_query_bytes",
    "first_results_ms",
    "shards",
    "shard_build_s",
    "national_step_s",
    "peak_rss_mb_shard",
    "peak_rss_mb_national",
    "shards_identical",
    "shards_diff",
)


def test_generated_corpus_validates_and_looks_like_the_issue_says(tmp_path):
    stats = generate_corpus(tmp_path, 7, seed=11)
    content = check(tmp_path / "content")
    assert stats["plans"] == len(content.plans) == 7
    assert stats["units"] == 3  # ceil(7 / 3) districts, under as many provinces
    for plan in content.plans.values():
        assert len(plan.targets) == 20
        assert any(t.value is not None for t in plan.targets) and any(t.value is None for t in plan.targets)
        assert sum(len(g.lines) for t in plan.budget_tables for g in t.groups) == 15
        assert 1 <= len(plan.budget_tables) <= 2
        assert plan.legal_bases and plan.tasks and plan.solutions and plan.responsibilities and plan.recipients
    assert all(content.tree.narratives.get(pid) for pid in content.plans)


def test_district_names_stay_unique_at_ten_times_the_corpus():
    """BENCH_PLANS=21000 (7,000 district units) runs out of two-syllable names (1,548): the later ones get a third,
    and no two units share a short name (an issuer and a number name one document)."""
    from bench.corpus import _Corpus

    units = [u for _, _, us in _Corpus(2025).districts(7000) for u in us]
    assert len(units) == 7000
    assert len({slug for slug, *_ in units}) == len({short for *_, short in units}) == 7000


def test_same_seed_same_corpus(tmp_path):
    generate_corpus(tmp_path / "a", 4, seed=3)
    generate_corpus(tmp_path / "b", 4, seed=3)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def _bench(tmp_path, **flags: str) -> tuple[subprocess.CompletedProcess, dict]:
    """`python -m bench` on a small corpus in `tmp_path`, without Chromium, plain MkDocs or waits for the disk."""
    env = {**os.environ, "BENCH_DIR": str(tmp_path), "BENCH_BROWSER": "0", "BENCH_PLAIN": "0", "BENCH_SETTLE": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=ROOT, env={**env, **flags}, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, json.loads(proc.stdout.strip().splitlines()[-1])


def test_bench_prints_figures_as_json(tmp_path):
    proc, figures = _bench(tmp_path, BENCH_PLANS="6")
    assert set(REQUIRED) <= set(figures)
    assert figures["plans"] == 6
    assert figures["pages"] > 6
    assert figures["total_s"] > 0
    assert {"load+validate", "render", "mkdocs", "pagefind"} <= set(figures["stages_s"])
    assert figures["rebuild_one_s"] > 0 and figures["rebuild_one_busy_s"] > 0
    assert figures["peak_rss_mb"] > 0 and figures["site_mb"] > 0 and figures["index_mb"] > 0
    assert figures["plain_mkdocs_s"] is None and figures["first_results_ms"] is None  # skipped on request
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()
    # The build by province shards: one shard a province, each built on its own, then the national step; the site
    # it assembles is the whole build's, file for file.
    provinces = sorted(p.name for p in (tmp_path / "content").iterdir() if (p / "unit.yml").is_file())
    assert figures["shards"] == len(provinces) == figures["corpus"]["provinces"] == 2
    assert sorted(p.name for p in (tmp_path / "shards").iterdir() if not p.name.startswith(".")) == provinces
    assert 0 < figures["shard_build_s"]["median"] <= figures["shard_build_s"]["max"]
    assert figures["shards_total_s"] >= figures["shard_build_s"]["max"]
    assert figures["national_step_s"] > 0 and "shards" in figures["national_stages_s"]
    assert figures["peak_rss_mb_shard"] > 0 and figures["peak_rss_mb_national"] > 0
    assert figures["shards_identical"] is True and figures["shards_diff"] == []
    assert (tmp_path / "site-by-shard" / "pagefind" / "pagefind-entry.json").is_file()
    # One plan's edit built again by shard (its province, then the national step) reaches the assembled site.
    again = figures["rebuild_by_shard_s"]
    assert again["shard"] > 0 and again["national"] > 0
    assert again["total"] == pytest.approx(again["shard"] + again["national"], abs=0.011)
    assembled = (tmp_path / "site-by-shard").resolve()
    edited = [p.relative_to(assembled) for p in assembled.rglob("index.html") if "(sửa đổi)" in p.read_text()]
    assert any(p.parts[0] in provinces for p in edited), edited  # the plan's own page, from its shard
    assert "Dựng theo tỉnh" in proc.stdout and "giống hệt" in proc.stdout
    # The one-plan edits are undone: the corpus on disk is the generated one again.
    check(tmp_path / "content")


def test_bench_skips_the_shards_on_request(tmp_path):
    """BENCH_SHARDS=0: no shard built, their figures null; an earlier run's shards are removed with the rest."""
    (tmp_path / "shards" / "ha-noi").mkdir(parents=True)
    (tmp_path / "site-by-shard").mkdir()
    _, figures = _bench(tmp_path, BENCH_PLANS="3", BENCH_INDEX="0", BENCH_REBUILD="0", BENCH_SHARDS="0")
    assert figures["shards"] is None and figures["shard_build_s"] is None and figures["shards_identical"] is None
    assert not (tmp_path / "shards").exists() and not (tmp_path / "site-by-shard").exists()


def test_the_bench_clears_a_folder_an_earlier_build_is_deleting_meanwhile(tmp_path):
    """What an earlier build left to delete (`.site.old-*`) is being deleted in the background by that build's
    deleter when the next run clears it: both delete, and the run goes on (CI once failed here on the entries
    the other deleter had already removed)."""
    import subprocess

    from bench.measure import _clear

    for run in range(5):
        old = tmp_path / f".site.old-{run}"
        for d in range(20):
            (old / str(d)).mkdir(parents=True)
            for k in range(50):
                (old / str(d) / str(k)).write_bytes(b"")
        other = subprocess.Popen(["rm", "-rf", str(old)])
        try:
            assert _clear([old]) is not None
        finally:
            other.wait()
        assert not old.exists()


def test_measured_builds_wait_for_the_disk_to_settle(tmp_path, monkeypatch, capsys):
    """A measured build waits out the minute after the previous run's files were deleted (the disk reuses their
    inodes only then); the settled rebuild first waits for what the builds left to delete in the background to
    be deleted, then the minute. Run through the bench's entry point, its waits recorded instead of slept."""
    import fcntl

    from bench import measure

    env = {
        "BENCH_PLANS": "3",
        "BENCH_DIR": str(tmp_path),
        "BENCH_BROWSER": "0",
        "BENCH_PLAIN": "0",
        "BENCH_SHARDS": "0",  # the shards' own settling wait is not counted here
    }
    for name, value in {**env, "BENCH_INDEX": "0", "BENCH_REBUILD": "0"}.items():
        monkeypatch.setenv(name, value)
    lingering = tmp_path / ".site.old-1-2"  # a deletion still going on in the background, its deleter's lock held
    waits: list[tuple[float, list[str]]] = []  # (seconds, what was left to delete then)
    locks: list[int] = []

    def sleep(seconds: float) -> None:
        waits.append((seconds, sorted(p.name for p in tmp_path.glob(".*.old-*"))))
        if seconds >= 1 and not locks and len(waits) == 1:  # the first wait of the second run
            (lingering / "a").mkdir(parents=True)
            locks.append(os.open(lingering, os.O_RDONLY | os.O_DIRECTORY))
            fcntl.flock(locks[0], fcntl.LOCK_EX)
        elif seconds < 1 and locks and lingering.exists():  # the background deletion ends while the bench waits
            os.close(locks[0])
            shutil.rmtree(lingering)

    monkeypatch.setattr(measure.time, "sleep", sleep)
    assert measure.main([]) == 0
    assert waits == []  # nothing was deleted before it (a fresh BENCH_DIR): no wait
    capsys.readouterr()

    monkeypatch.setenv("BENCH_REBUILD", "1")
    try:
        assert measure.main([]) == 0
    finally:
        for fd in locks:
            with contextlib.suppress(OSError):
                os.close(fd)
    out, err = capsys.readouterr()
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["rebuild_one_s"] > 0 and figures["rebuild_one_busy_s"] > 0
    long = [k for k, (seconds, _) in enumerate(waits) if seconds >= 1]
    assert len(long) == 2, waits
    first, settled = long
    assert 0 < waits[first][0] <= 65 and "chờ" in err  # the previous run's files deleted: the rest of the minute
    assert first < settled - 1  # before the settled rebuild: waited for the deletion left going on …
    assert waits[settled][1] == [] and 0 < waits[settled][0] <= 65  # … until nothing was left, then the minute


def test_the_bench_serves_the_site_compressed_as_the_readme_nginx_does(tmp_path):
    """The search figures count what a phone downloads from a host configured as the README says (gzip for HTML,
    CSS, JavaScript, JSON, CSV); Pagefind's files, compressed by Pagefind, go as they are."""
    import gzip
    import urllib.request

    from bench.measure import _serve

    page = "<!doctype html><p>" + "chuyển đổi số " * 500 + "</p>"
    (tmp_path / "tim-kiem").mkdir()
    (tmp_path / "tim-kiem/index.html").write_text(page, "utf-8")
    (tmp_path / "ck.css").write_text("p{color:red}" * 200, "utf-8")
    (tmp_path / "vi_1.pf_index").write_bytes(gzip.compress(b"pagefind_dcd" * 100))
    server, base = _serve(tmp_path)
    try:

        def get(path: str, encoding: str = "gzip"):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(request) as response:
                return response.headers.get("Content-Encoding"), response.read()

        encoding, body = get("/tim-kiem/?q=x")
        assert encoding == "gzip" and gzip.decompress(body).decode("utf-8") == page and len(body) < len(page) / 10
        assert get("/ck.css")[0] == "gzip"
        assert get("/vi_1.pf_index") == (None, (tmp_path / "vi_1.pf_index").read_bytes())
        assert get("/tim-kiem/", encoding="identity") == (None, page.encode("utf-8"))
    finally:
        server.shutdown()
        server.server_close()

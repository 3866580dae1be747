"""`make bench` on a tiny corpus: the synthetic plans validate, the same seed writes the same bytes, and the
bench's last line is the JSON the issue asks for (no Chromium, no plain-MkDocs reference: those are slow)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

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


def test_same_seed_same_corpus(tmp_path):
    generate_corpus(tmp_path / "a", 4, seed=3)
    generate_corpus(tmp_path / "b", 4, seed=3)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_bench_prints_figures_as_json(tmp_path):
    env = {
        **os.environ,
        "BENCH_PLANS": "6",
        "BENCH_DIR": str(tmp_path),
        "BENCH_BROWSER": "0",
        "BENCH_PLAIN": "0",
        "BENCH_SETTLE": "0",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(REQUIRED) <= set(figures)
    assert figures["plans"] == 6
    assert figures["pages"] > 6
    assert figures["total_s"] > 0
    assert {"load+validate", "render", "mkdocs", "pagefind"} <= set(figures["stages_s"])
    assert figures["rebuild_one_s"] > 0 and figures["rebuild_one_busy_s"] > 0
    assert figures["peak_rss_mb"] > 0 and figures["site_mb"] > 0 and figures["index_mb"] > 0
    assert figures["plain_mkdocs_s"] is None and figures["first_results_ms"] is None  # skipped on request
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()
    # The one-plan edits are undone: the corpus on disk is the generated one again.
    check(tmp_path / "content")


def test_a_build_is_measured_a_minute_after_the_previous_run_was_deleted(tmp_path, monkeypatch):
    """The previous run's files go before the corpus is made, and the measured build waits out the
    minute in which the disk would not reuse their inodes (bench._INODE_RECENCY_S)."""
    from bench import measure as bench

    assert bench._clear([tmp_path / "nothing"]) is None
    waits: list[float] = []
    monkeypatch.setattr(bench.time, "sleep", waits.append)
    bench._settle(None, print)
    assert waits == []  # nothing was deleted: no wait (a fresh BENCH_DIR, as in the test above)
    old = tmp_path / "site"
    (old / "a").mkdir(parents=True)
    (old / "a" / "index.html").write_text("x")
    cleared = bench._clear([old, tmp_path / "nothing"])
    assert cleared is not None and not old.exists()
    said: list[str] = []
    bench._settle(cleared, said.append)
    assert len(waits) == 1 and 0 < waits[0] <= bench._INODE_RECENCY_S + 5 and said  # the rest of the minute


def test_the_settled_rebuild_waits_for_the_previous_builds_background_deletions(tmp_path, monkeypatch):
    from bench import measure as bench

    (tmp_path / ".site.old-123-456" / "a").mkdir(parents=True)
    naps: list[float] = []

    def nap(seconds):  # the background `rm` finishes while the bench waits
        naps.append(seconds)
        shutil.rmtree(tmp_path / ".site.old-123-456")

    monkeypatch.setattr(bench.time, "sleep", nap)
    assert bench._cleaned_up(tmp_path) > 0 and len(naps) == 1 and not any(tmp_path.iterdir())
    assert bench._cleaned_up(tmp_path) and len(naps) == 1  # nothing left to wait for

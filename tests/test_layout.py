"""Pages shared out to several workers (layout) make the same site as one worker.

The build shares its pages out to one worker per core it may run on: a build confined to one core
(its CPU affinity, as `taskset -c 0` sets it) is the one-worker build the others are compared with.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from generator.build.pipeline import build_site
from tests.helpers import ROOT, generator_command, tree_digest

needs_two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: a build has one worker")


def _portal(tmp_path):
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    return folder


def _built_on_one_core(folder, out, *options):
    """`python -m generator build --fresh` in a process that may run on one core only: one worker."""
    one_core = {min(os.sched_getaffinity(0))}
    result = subprocess.run(
        generator_command(folder, "build", "--fresh", "--out", str(out), *options),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.sched_setaffinity(0, one_core),
    )
    assert result.returncode == 0, result.stderr
    return out


@needs_two_cores
def test_pages_shared_between_workers_build_the_site_one_worker_builds(tmp_path):
    folder = _portal(tmp_path)
    shared = build_site(folder / "content", folder / "site_config.yml", tmp_path / "shared", reuse=False)
    assert shared.pages == shared.laid_out > 40  # pages enough for more than one worker
    _built_on_one_core(folder, tmp_path / "one")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "shared")


def test_pages_filled_into_the_theme_shell_are_the_pages_the_theme_lays_out(tmp_path, monkeypatch):
    """Pages outside the navigation are filled into a shell of their shape (mkdocs_backend); with the
    theme laying out every page instead, the site is the same, byte for byte, a title the theme
    escapes included."""
    from generator.build import mkdocs_site

    folder = _portal(tmp_path)
    agencies = folder / "content/ha-tinh/duc-tho/agencies.yml"
    agencies.write_text(
        agencies.read_text("utf-8").replace("name: Phòng Văn hóa - Thông tin", "name: Phòng Văn hóa & Thông tin", 1),
        "utf-8",
    )
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "shells", reuse=False)
    escaped = [
        p
        for p in (tmp_path / "shells/co-quan/ha-tinh/duc-tho").glob("*/index.html")
        if "Phòng Văn hóa &amp; Thông tin</h1>" in p.read_text("utf-8")
    ]
    assert len(escaped) == 1
    monkeypatch.setattr(mkdocs_site, "_SHELL_CHECKS", 10**9)  # the theme lays out every page
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "theme", reuse=False)
    assert tree_digest(tmp_path / "shells") == tree_digest(tmp_path / "theme")


@needs_two_cores
def test_a_rebuild_by_workers_taking_turns_is_the_site_a_build_from_nothing_makes(tmp_path):
    """A rebuild knows what each page took the last time: its workers take the pages in turns, costliest first.
    A target of Đức Thọ's plan shows on pages enough (lists, totals, the indicator's) to share them out."""
    folder = _portal(tmp_path)
    build = lambda out, **kw: build_site(folder / "content", folder / "site_config.yml", out, index=False, **kw)  # noqa: E731
    build(tmp_path / "site")
    plan = folder / "content/ha-tinh/duc-tho/2023-chinh-quyen-so.yml"
    plan.write_text(
        plan.read_text("utf-8").replace("100% cán bộ công chức cấp", "98% cán bộ công chức cấp", 1), "utf-8"
    )
    again = build(tmp_path / "site")
    assert 40 < again.rendered < again.pages  # pages enough for more than one worker; not all of them
    _built_on_one_core(folder, tmp_path / "fresh", "--no-index")
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "fresh")

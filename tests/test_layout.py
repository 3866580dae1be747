"""Pages shared out to several workers (layout) make the same site as one worker."""
from __future__ import annotations

import shutil

from generator import layout
from generator.pipeline import build_site
from tests.helpers import ROOT, tree_digest


def test_pages_shared_between_workers_build_the_site_one_worker_builds(tmp_path, monkeypatch):
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    monkeypatch.setattr(layout, "_PAGES_PER_WORKER", 10**9)
    one = build_site(folder / "content", folder / "site_config.yml", tmp_path / "one", reuse=False)
    monkeypatch.setattr(layout, "_PAGES_PER_WORKER", 10)  # as many workers as cores (2 here)
    shared = build_site(folder / "content", folder / "site_config.yml", tmp_path / "shared", reuse=False)
    assert one.pages == shared.pages == shared.laid_out
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "shared")

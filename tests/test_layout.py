"""Pages shared out to several workers (layout) make the same site as one worker."""
from __future__ import annotations

import shutil

from generator.build import workers
from generator.build.pipeline import build_site
from tests.helpers import ROOT, tree_digest


def test_pages_shared_between_workers_build_the_site_one_worker_builds(tmp_path, monkeypatch):
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    monkeypatch.setattr(workers, "_PAGES_PER_WORKER", 10**9)
    one = build_site(folder / "content", folder / "site_config.yml", tmp_path / "one", reuse=False)
    monkeypatch.setattr(workers, "_PAGES_PER_WORKER", 10)  # as many workers as cores (2 here)
    shared = build_site(folder / "content", folder / "site_config.yml", tmp_path / "shared", reuse=False)
    assert one.pages == shared.pages == shared.laid_out
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "shared")


def test_pages_filled_into_the_theme_shell_are_the_pages_the_theme_lays_out(tmp_path, monkeypatch):
    """Pages outside the navigation are filled into a shell of their shape (mkdocs_backend); with the
    theme laying out every page instead, the site is the same, byte for byte. A title the theme
    would escape keeps its page out of the shells."""
    from generator.build import mkdocs_site

    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    agencies = folder / "content/ha-tinh/duc-tho/agencies.yml"
    agencies.write_text(agencies.read_text("utf-8").replace("name: Phòng Văn hóa - Thông tin", "name: Phòng Văn hóa & Thông tin", 1), "utf-8")
    monkeypatch.setattr(workers, "_PAGES_PER_WORKER", 10**9)  # one worker: its fills are counted here
    filled = []
    fill = mkdocs_site._fill
    monkeypatch.setattr(mkdocs_site, "_fill", lambda shell, page: filled.append(page.file.src_uri) or fill(shell, page))
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "shells", reuse=False)
    used = [src for src in filled if filled.count(src) == 1]  # the first pages of a shape are filled and compared
    assert len(used) > 50 and any(src.startswith("co-quan/") for src in used)
    escaped = [p.parent.relative_to(tmp_path / "shells").as_posix() + "/index.md"
               for p in (tmp_path / "shells/co-quan/ha-tinh/duc-tho").glob("*/index.html")
               if "Phòng Văn hóa &amp; Thông tin</h1>" in p.read_text("utf-8")]
    assert len(escaped) == 1 and escaped[0] not in filled
    monkeypatch.setattr(mkdocs_site, "_SHELL_CHECKS", 10**9)  # the theme lays out every page
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "theme", reuse=False)
    assert tree_digest(tmp_path / "shells") == tree_digest(tmp_path / "theme")


def test_workers_take_turns_costliest_first_when_what_pages_took_is_known():
    from types import SimpleNamespace

    from generator.build.workers import _shares

    specs = [SimpleNamespace(src=name) for name in "abcdef"]
    assert _shares(specs, 2, {}) == ([specs[0::2], specs[1::2]], False)  # nothing known: interleaved
    costs = {"a": 0.1, "b": 0.2, "c": 2.5, "d": 1.0, "e": 0.7, "f": 0.3}
    (queue,), turns = _shares(specs, 2, costs)
    assert turns and [s.src for s in queue] == ["c", "d", "e", "f", "b", "a"]
    assert _shares(specs, 2, {**costs, "g": 1.0}) == _shares(specs, 2, costs)  # only the pages built count
    assert _shares(specs, 2, {k: v for k, v in costs.items() if k != "a"}) == ([specs[0::2], specs[1::2]], False)


def test_a_rebuild_by_workers_taking_turns_is_the_site_a_build_from_nothing_makes(tmp_path, monkeypatch):
    from generator import parallel

    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    build = lambda out, **kw: build_site(folder / "content", folder / "site_config.yml", out, index=False, **kw)  # noqa: E731
    build(tmp_path / "site")
    plan = folder / "content/ha-tinh/duc-tho/2023-chinh-quyen-so.yml"
    plan.write_text(plan.read_text("utf-8").replace("100% cán bộ công chức cấp", "98% cán bộ công chức cấp", 1), "utf-8")
    counters = []
    make = parallel.counter
    monkeypatch.setattr(parallel, "counter", lambda: counters.append(make()) or counters[-1])
    monkeypatch.setattr(workers, "_PAGES_PER_WORKER", 1)  # as many workers as cores (2 here)
    again = build(tmp_path / "site")
    # every page the rebuild rendered was taken from the one queue; each worker then found it empty
    assert len(counters) == 1 and counters[0].value == again.rendered + parallel.shares(again.rendered, 1)
    build(tmp_path / "fresh", reuse=False)
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "fresh")

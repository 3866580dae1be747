"""Publishing is atomic: whatever happens to a build, SIGKILL included, `site/` is the whole previous site or
the whole new one, the next build tidies what a killed one left, and hosting is still «copy site/».

The builds are killed with the build's fault hook (CONGKHAI_FAULT, generator/errors.checkpoint): at a named
point, or some time after one (inside MkDocs, inside Pagefind). A killed build is its process group killed,
as a terminal or a CI runner kills a command (the build's own tools with it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, build, copy_fixture, generator_command, tree_digest

PLAN = "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"


def _edit(folder: Path, name: str = "Trần Văn Kỳ") -> None:
    plan = folder / PLAN
    plan.write_text(re.sub(r"Trần Văn K\w+", name, plan.read_text("utf-8")), "utf-8")


def _command(folder: Path, *args: str) -> list[str]:
    return generator_command(folder, "build", "--out", str(folder / "site"), *args)


def _run(folder: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    """The build command; with `fault`, killed there (its process group: what it started goes with it)."""
    env = {k: v for k, v in os.environ.items() if k != "CONGKHAI_FAULT"}
    if fault:
        env["CONGKHAI_FAULT"] = fault
    proc = subprocess.Popen(
        _command(folder, *args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = proc.communicate(timeout=300)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _settled(folder: Path, timeout: float = 30.0) -> None:
    """Waits for the background deletions the builds started (`.site.old-*`)."""
    end = time.monotonic() + timeout
    while any(folder.glob(".site.old-*")) and time.monotonic() < end:
        time.sleep(0.05)


def _assert_tidy(folder: Path) -> None:
    """Beside the site: the folder it links to, at most the one it replaced (kept for readers still in it)
    and one before (for the next rebuild to recycle); nothing a killed build left, no earlier version's
    leftovers."""
    _settled(folder)
    out = folder / "site"
    assert out.is_symlink()
    builds = folder / ".site.builds"
    entries = sorted(e for e in os.listdir(builds) if e != ".lock")
    current = os.readlink(out).rpartition("/")[2]
    assert current in entries and len(entries) <= 3, entries
    assert all(e <= current and re.fullmatch(r"\d{20}-\d+(\.legacy)?", e) for e in entries), entries
    assert not list(folder.glob(".site.old-*")) and not list(folder.glob(".build-*"))
    assert sorted(p.name for p in folder.iterdir()) == [
        ".site.builds",
        ".site.cache",
        "content",
        "site",
        "site_config.yml",
    ]


class Sites:
    """The digests of the fixture's site before the edit and after it: built from nothing, and rebuilt from
    the site before (the same pages; the search index as a delta over the previous main index)."""

    def __init__(self, folder: Path):
        self.old = tree_digest(build(folder, folder / "old"))
        _edit(folder)
        self.new = tree_digest(build(folder, folder / "new"))
        self.rebuilt = tree_digest(build(folder, folder / "old"))
        assert self.old != self.new and _pages(self.rebuilt) == _pages(self.new)

    def whole(self, digest: dict) -> bool:
        return digest in (self.old, self.new, self.rebuilt)

    def assert_new(self, digest: dict) -> None:
        """The site after the edit: byte for byte a build from nothing's, or a rebuild's (its index a delta)."""
        assert _pages(digest) == _pages(self.new)
        assert digest in (self.new, self.rebuilt)


def _pages(digest: dict) -> dict:
    return {f: d for f, d in digest.items() if "pagefind" not in f.split("/")}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return Sites(copy_fixture("basic", tmp_path_factory.mktemp("sites")))


# Checkpoints in the order a build reaches them (generator/build/pipeline.py); "+s": killed s seconds after it.
BEFORE = [
    "validate",
    "model",
    "render",
    "render+0.1",
    "render+0.25",
    "commit",
    "pagefind",
    "pagefind+0.05",
    "pagefind+0.15",
    "state",
    "publish",
]
POINTS = BEFORE + ["published"]


@pytest.mark.parametrize(
    "mode, point", [("rebuild", p) for p in POINTS] + [("fresh", p) for p in POINTS if p != "commit"]
)  # from nothing: no replica to commit into
def test_a_killed_build_leaves_the_whole_old_site_or_the_whole_new_one(tmp_path, sites, mode, point):
    folder = copy_fixture("basic", tmp_path)
    for _ in range(3):  # the site, the one it replaced, and one to recycle: as after any few builds
        out = build(folder)
    assert tree_digest(out) == sites.old
    _edit(folder)
    killed = _run(folder, *(["--fresh"] if mode == "fresh" else []), fault=point)
    assert killed.returncode in (-signal.SIGKILL, 0), killed.stderr
    after = tree_digest(out)
    assert sites.whole(after)
    if "+" not in point:  # killed right there
        assert killed.returncode == -signal.SIGKILL
        if point == "published":
            sites.assert_new(after)
        else:
            assert after == sites.old
    again = _run(folder)
    assert again.returncode == 0, again.stderr
    sites.assert_new(tree_digest(out))
    _assert_tidy(folder)


def test_many_killed_builds_leave_nothing_behind_once_one_succeeds(tmp_path, sites):
    """Nineteen killed builds used to leave fifteen `.build-*` folders that nothing cleaned up."""
    folder = copy_fixture("basic", tmp_path)
    out = build(folder)
    _edit(folder)
    for k, point in enumerate(BEFORE * 2):
        killed = _run(folder, *(["--fresh"] if k % 3 == 0 else []), fault=point)
        assert killed.returncode in (-signal.SIGKILL, 0)
        assert sites.whole(tree_digest(out))
    assert _run(folder).returncode == 0
    sites.assert_new(tree_digest(out))
    _assert_tidy(folder)


def test_a_reader_of_the_site_never_sees_part_of_one(tmp_path, sites):
    """A reader that resolves the link and reads every file, and one that opens a page by its path, while
    the site is rebuilt again and again: each read is of one whole site, and a page is always there."""
    folder = copy_fixture("basic", tmp_path)
    out = build(folder, index=False)
    published = [tree_digest(out)]
    seen: list[dict] = []
    missing: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                (out / "index.html").read_bytes()
            except OSError as exc:
                missing.append(str(exc))
            seen.append(tree_digest(Path(os.path.realpath(out))))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for k in range(4):
            _edit(folder, f"Trần Văn Ký {k}")
            build(folder, index=False)
            published.append(tree_digest(out))
    finally:
        stop.set()
        reader.join()
    assert not missing
    assert len({frozenset(d.items()) for d in published}) == 5
    versions = [next((k for k, d in enumerate(published) if d == s), None) for s in seen]
    assert None not in versions, "a reader saw a site that was never published whole"
    assert len(set(versions)) >= 2  # the reader did read across the swaps


def _as_an_earlier_version_left_it(folder: Path) -> None:
    """`site` a real folder, and a killed build's leftovers beside it, as earlier versions left them."""
    out = folder / "site"
    real = Path(os.path.realpath(out))
    copy = folder / "copy"
    shutil.copytree(real, copy)
    out.unlink()
    shutil.rmtree(folder / ".site.builds")
    copy.rename(out)
    (folder / ".build-abcd1234" / "site" / "x").mkdir(parents=True)
    (folder / ".build-abcd1234" / "mkdocs-0-0").mkdir()
    (folder / ".site.old-123-456" / "a").mkdir(parents=True)


@pytest.mark.parametrize("point", ["pagefind", "publish", "published", None])
def test_a_site_folder_an_earlier_version_made_is_replaced_at_once(tmp_path, sites, point):
    folder = copy_fixture("basic", tmp_path)
    out = build(folder)
    _as_an_earlier_version_left_it(folder)
    assert out.is_dir() and not out.is_symlink() and tree_digest(out) == sites.old
    _edit(folder)
    if point:
        killed = _run(folder, fault=point)
        assert killed.returncode == -signal.SIGKILL
        assert tree_digest(out) == (sites.new if point == "published" else sites.old)
        assert out.is_symlink() == (point == "published")
    result = _run(folder)
    assert result.returncode == 0, result.stderr
    assert out.is_symlink()
    sites.assert_new(tree_digest(out))
    _assert_tidy(folder)


def test_the_site_is_hosted_by_copying_it(tmp_path, sites):
    """`cp -r site/`, `rsync -a site/` copy the site itself; the link is relative: the whole folder can move."""
    old = sites.old
    folder = copy_fixture("basic", tmp_path)
    out = build(folder)
    subprocess.run(["cp", "-r", f"{out}/", str(tmp_path / "copy")], check=True)
    assert not (tmp_path / "copy").is_symlink() and tree_digest(tmp_path / "copy") == old
    if shutil.which("rsync"):
        subprocess.run(["rsync", "-a", f"{out}/", str(tmp_path / "rsynced")], check=True)
        assert tree_digest(tmp_path / "rsynced") == old
    moved = tmp_path / "moved"
    folder.rename(moved)
    assert tree_digest(moved / "site") == old


def test_a_rebuild_shares_unchanged_files_and_leaves_the_previous_site_as_it_was(tmp_path, sites):
    """A rebuild does not copy the site (its unchanged files are the previous site's files, hard-linked) and
    does not write through those links: the site it replaced is still whole, byte for byte."""
    folder = copy_fixture("basic", tmp_path)
    out = build(folder)
    previous = Path(os.path.realpath(out))
    unchanged = "tinh-mau/index.html"
    inode = (out / unchanged).stat().st_ino
    _edit(folder)
    build(folder)
    assert Path(os.path.realpath(out)) != previous
    assert tree_digest(out) == sites.rebuilt
    assert tree_digest(previous) == sites.old  # kept for a reader still in it, and untouched
    assert (out / unchanged).stat().st_ino == inode


def test_make_clean_removes_what_builds_leave(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    build(folder)
    _edit(folder)
    build(folder)
    assert _run(folder, fault="pagefind").returncode == -signal.SIGKILL
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "clean"], cwd=folder, check=True, capture_output=True)
    assert sorted(p.name for p in folder.iterdir()) == ["content", "site_config.yml"]


def test_rebuild_after_rebuild_is_the_site_a_build_from_nothing_makes(tmp_path):
    """Each rebuild starts from a replica of the site (a recycled folder, once there are three): after edits of
    every kind, one after the other, each site is a build from nothing's, page for page."""
    folder = copy_fixture("basic", tmp_path)
    plan = folder / PLAN
    second = plan.with_name("2024-ke-hoach.yml")

    def add_plan():
        shutil.copyfile(plan.with_suffix(".nguon.txt"), second.with_suffix(".nguon.txt"))
        second.write_text(
            plan.read_text("utf-8")
            .replace("2023-ke-hoach.nguon.txt", "2024-ke-hoach.nguon.txt")
            .replace("12/KH-UBND", "30/KH-UBND"),
            "utf-8",
        )

    def remove_plan():
        second.unlink()
        second.with_suffix(".nguon.txt").unlink()

    def rename_unit():
        unit = folder / "content/tinh-mau/unit.yml"
        unit.write_text(unit.read_text("utf-8").replace("Tỉnh Mẫu", "Tỉnh Mẫu Mới"), "utf-8")

    edits = [
        lambda: None,
        lambda: _edit(folder),
        add_plan,
        rename_unit,
        lambda: _edit(folder, "Trần Văn Kỷ"),
        remove_plan,
        lambda: None,
    ]
    out = build(folder)
    for k, edit in enumerate(edits):
        edit()
        build(folder)
        assert _pages(tree_digest(out)) == _pages(tree_digest(build(folder, tmp_path / f"fresh-{k}"))), k
    _assert_tidy(folder)
    assert len([e for e in os.listdir(folder / ".site.builds") if e != ".lock"]) == 3  # one kept to recycle


def test_builds_of_one_site_at_the_same_time_take_turns(tmp_path, sites):
    folder = copy_fixture("basic", tmp_path)
    build(folder)
    _edit(folder)
    env = {k: v for k, v in os.environ.items() if k != "CONGKHAI_FAULT"}
    running = [
        subprocess.Popen(
            _command(folder, *args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for args in ([], ["--fresh"], [])
    ]
    for proc in running:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    sites.assert_new(tree_digest(folder / "site"))
    _assert_tidy(folder)

"""Citable releases (`make release`, generator/release.py, docs/releases.md): a Git tag phien-ban/<date> makes a zip
of data/ with its datapackage.json versioned and dated and a SHA-256 file under phien-ban/<date>/; rebuilding from
nothing, or in a clone, gives the same bytes; the tag records the SHA-256, and a rebuild giving other bytes stops
the build; the plans' «Trích dẫn» cites the release.

A temporary Git repository holds the fixture content and a copy of the generator and templates, as a portal's
repository does (the archive is made by the tagged commit's own generator).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator import release
from generator.errors import BuildError
from tests.helpers import FIXTURES, ROOT, generator_command, git_env

COMMIT_DATE = "2025-05-20T09:30:00+07:00"
GIT_ENV = git_env(COMMIT_DATE)
DATE = "2025-06-01"
ZIP = f"phien-ban/{DATE}/du-lieu-{DATE}.zip"
PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return result.stdout


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m generator` in the repository, as `make release` runs it."""
    return subprocess.run(
        generator_command(repo, *args),
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        timeout=600,
    )


def portal_repository(folder: Path) -> Path:
    repo = folder / "portal"
    shutil.copytree(FIXTURES / "basic", repo)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Cổng và nội dung")
    return repo


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """The fixture's repository with the release of DATE made by `release --date`, and its site."""
    repo = portal_repository(tmp_path_factory.mktemp("release"))
    result = run(repo, "release", "--date", DATE, "--out", str(repo / "site"))
    assert result.returncode == 0, result.stderr
    assert f"phien-ban/{DATE}" in result.stdout
    return repo


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_release_is_a_zip_of_data_with_its_sha256_and_a_dated_data_package(released):
    site = released / "site"
    archive = site / ZIP
    digest = sha256(archive)
    assert (site / f"{ZIP}.sha256").read_text("utf-8") == f"{digest}  du-lieu-{DATE}.zip\n"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        package = json.loads(z.read("data/datapackage.json"))
        infos = z.infolist()
        plans = json.loads(z.read("data/plans.json"))
    assert names == sorted(names) and all(n.startswith("data/") for n in names)
    assert {f"data/{stem}.csv" for stem in ("ke-hoach", "chi-tieu", "kinh-phi")} <= set(names)
    assert "data/dcat.jsonld" not in names and "dcat" not in package
    assert package["version"] == DATE and package["created"].startswith(DATE)
    assert [p["ma"] for p in plans] == [PLAN]
    # every entry dated the tagged commit's time (UTC), mode 0644: nothing of the machine or the day it was made
    assert {i.date_time for i in infos} == {(2025, 5, 20, 2, 30, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    # the data as the site publishes it at that commit
    assert z_bytes(archive, "data/chi-tieu.csv") == (site / "data/chi-tieu.csv").read_bytes()
    # the tag records the archive's SHA-256
    assert f"SHA-256: {digest}" in git(released, "tag", "-l", "--format=%(contents)", f"phien-ban/{DATE}")


def z_bytes(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as z:
        return z.read(name)


def test_the_releases_page_lists_it_and_the_plan_cites_it(released):
    site = released / "site"
    page = (site / "phien-ban/index.html").read_text("utf-8")
    assert f'href="{DATE}/du-lieu-{DATE}.zip"' in page and sha256(site / ZIP) in page
    assert "01/06/2025" in page
    plan = (site / PLAN / "index.html").read_text("utf-8")
    block = plan[plan.index('id="trich-dan"') : plan.index('id="ve-ban-cong-bo"')]
    base = "https://example.org/cong-khai/"
    assert f"{base}{ZIP}" in block and sha256(site / ZIP) in block
    csl = json.loads(html.unescape(block.split("<code>")[-1].split("</code>")[0]))
    assert csl[0]["URL"] == base + ZIP and csl[0]["version"] == DATE


def test_a_release_rebuilds_to_the_same_bytes_from_nothing_and_in_a_clone(released, tmp_path):
    first = sha256(released / "site" / ZIP)
    shutil.rmtree(released / ".site.releases")  # the archives kept beside the site: made again
    result = run(released, "build", "--fresh", "--no-index", "--out", str(released / "again"))
    assert result.returncode == 0, result.stderr
    assert sha256(released / "again" / ZIP) == first
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(released), str(clone)], check=True, capture_output=True)
    result = run(clone, "build", "--no-index", "--out", str(clone / "site"))
    assert result.returncode == 0, result.stderr
    assert sha256(clone / "site" / ZIP) == first
    assert (clone / "site" / f"{ZIP}.sha256").read_bytes() == (released / "site" / f"{ZIP}.sha256").read_bytes()


def test_a_released_tag_is_never_moved_and_content_not_committed_is_not_released(released):
    with pytest.raises(ValueError, match="đã có phiên bản"):
        release.make_release(released / "content", released / "site_config.yml", released / "site", DATE)
    with pytest.raises(ValueError, match="năm-tháng-ngày"):
        release.make_release(released / "content", released / "site_config.yml", released / "site", "01/06/2025")
    with pytest.raises(ValueError, match="không có trong lịch"):
        release.make_release(released / "content", released / "site_config.yml", released / "site", "2025-02-30")
    plan = released / "content" / f"{PLAN}.yml"
    before = plan.read_text("utf-8")
    try:
        plan.write_text(before.replace("năm 2023", "năm 2023 (sửa)", 1), "utf-8")
        with pytest.raises(ValueError, match="chưa commit"):
            release.make_release(released / "content", released / "site_config.yml", released / "site", "2025-07-01")
    finally:
        plan.write_text(before, "utf-8")
    assert git(released, "tag", "-l", "phien-ban/*").split() == [f"phien-ban/{DATE}"]


def test_a_rebuild_that_differs_from_the_recorded_sha256_stops_the_build(released, tmp_path):
    repo = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(released), str(repo)], check=True, capture_output=True)
    git(repo, "tag", "-a", "phien-ban/2025-06-02", "-m", "Phiên bản\n\nSHA-256: " + "0" * 64, "HEAD")
    with pytest.raises(BuildError, match="không công bố một tệp khác"):
        release.collect(repo / "content", repo / "site_config.yml", repo / "site")
    git(repo, "tag", "-d", "phien-ban/2025-06-02")
    git(repo, "tag", "phien-ban/2025-13-01")  # not a date: the host meant a release, and is told
    with pytest.raises(ValueError, match="không có trong lịch"):
        release.collect(repo / "content", repo / "site_config.yml", repo / "site")


def test_a_portal_outside_git_has_no_release(tmp_path):
    folder = shutil.copytree(FIXTURES / "basic", tmp_path / "plain")
    assert release.collect(folder / "content", folder / "site_config.yml", folder / "site") == []


def test_deterministic_zip_depends_on_entries_and_time_only(tmp_path):
    entries = {"data/b.csv": b"b\r\n", "data/a.json": b"[]\n"}
    release.deterministic_zip(entries, 1_700_000_000, tmp_path / "1.zip")
    release.deterministic_zip(dict(reversed(entries.items())), 1_700_000_000, tmp_path / "2.zip")
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    release.deterministic_zip(entries, 0, tmp_path / "3.zip")  # before 1980: the earliest time a zip carries
    with zipfile.ZipFile(tmp_path / "3.zip") as z:
        assert z.infolist()[0].date_time == dt.datetime(1980, 1, 1).timetuple()[:6]

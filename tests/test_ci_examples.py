"""The example CI workflows (docs/ci/: GitHub Actions and GitLab CI) that build the portal by province shards: their
commands, run here in a copy of the repository job by job as the runners would (each shard on its own, the artifacts
in the same folders), make the site a whole build makes (issue 24)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest
import yaml

from bench.measure import gone_is_fine
from tests.helpers import ROOT, tree_digest

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is installed by Debian's build-essential")


@pytest.fixture
def workspace(tmp_path):
    """A checkout of the repository (what Git tracks and would track), its .venv the one `make test` made."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    work = tmp_path / "checkout"
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and (rel.startswith(("content/", "generator/", "templates/", "schema/")) or "/" not in rel):
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / rel)
    os.symlink(ROOT / ".venv", work / ".venv")
    return work


def _sh(work, command: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=work,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _elsewhere(work, name: str) -> None:
    """`work/name` gone from the workspace, as on another runner. Moved out of it, not deleted: a build deletes the
    site it replaced in the background, maybe still at work in there."""
    folder = work / name
    if folder.exists() or folder.is_symlink():
        folder.rename(os.path.join(tempfile.mkdtemp(dir=work.parent, prefix="elsewhere-"), folder.name))


class Caches:
    """The CI's caches between runs, by key: a job's declared paths restored before its commands, saved after."""

    def __init__(self, store):
        self.store = store

    def restore(self, work, key: str, paths: list[str]) -> None:
        for path in paths:
            for kept in (self.store / key).glob(path.rstrip("/")):
                shutil.copytree(kept, work / kept.relative_to(self.store / key), symlinks=True)

    def save(self, work, key: str, paths: list[str]) -> None:
        shutil.rmtree(self.store / key, ignore_errors=True)
        for path in paths:
            found = list(work.glob(path.rstrip("/")))
            assert found and all(f.is_dir() and any(f.iterdir()) for f in found), f"nothing to cache at {path}"
            for f in found:
                shutil.copytree(f, self.store / key / f.relative_to(work), symlinks=True)


def _new_runners(work) -> None:
    """What the runners of a new run start from: the repository alone."""
    for name in (".shards", "site", ".site.builds", ".site.cache", "dist", "public"):
        _elsewhere(work, name)


def _whole(work) -> dict[str, str]:
    _sh(work, "make site")
    return tree_digest((work / "site").resolve())


def _github_run(work, jobs, caches: Caches) -> dict[str, str]:
    def runs(job: str) -> list[str]:
        return [step["run"] for step in jobs[job]["steps"] if "run" in step]

    def cached(job: str, province: str = "") -> tuple[str, list[str]]:
        (step,) = [s for s in jobs[job]["steps"] if s.get("uses", "").startswith("actions/cache@")]
        key, path = (step["with"][k].replace("${{ matrix.province }}", province) for k in ("restore-keys", "path"))
        return key, [path]

    _new_runners(work)
    output = work.parent / "github_output"
    output.unlink(missing_ok=True)  # each run's step outputs its own
    for command in runs("provinces"):
        _sh(work, command, {"GITHUB_OUTPUT": str(output)})
    provinces = json.loads(output.read_text("utf-8").strip().removeprefix("list="))
    assert provinces == sorted(p.name for p in (ROOT / "content").iterdir() if (p / "unit.yml").is_file())
    for province in provinces:  # each a runner of its own; upload and download-artifact keep dist/shards/
        caches.restore(work, *cached("shard", province))
        for command in runs("shard"):
            _sh(work, command.replace("${{ matrix.province }}", province))
        caches.save(work, *cached("shard", province))
    (upload,) = [s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    if upload["with"].get("include-hidden-files") is not True:  # upload-artifact@v4 leaves them out by default
        for hidden in sorted((work / "dist/shards").rglob(".*"), reverse=True):
            # a build's `.site.old-*` may be deleted by its background deleter meanwhile: gone is what is wanted
            if hidden.is_dir() and not hidden.is_symlink():
                shutil.rmtree(hidden, onerror=gone_is_fine)
            else:
                hidden.unlink(missing_ok=True)
    _elsewhere(work, ".shards")  # another runner: only the artifacts reach the national step
    _stores_arrived(work, provinces)
    caches.restore(work, *cached("national"))
    for command in runs("national"):
        _sh(work, command)
    caches.save(work, *cached("national"))
    return tree_digest(work / "dist/site")


def _stores_arrived(work, provinces: list[str]) -> None:
    """Each shard's artifact holds what the national step checks it against and takes of its plans (docs/shards.md)."""
    for province in provinces:
        assert (work / "dist/shards" / province / ".shard-inputs.json").is_file(), province
        assert (work / "dist/shards" / f".{province}.cache" / "validated").is_dir(), province


def test_the_github_actions_matrix_builds_the_site_a_whole_build_makes_and_again_from_its_caches(workspace):
    flow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text("utf-8"))
    jobs = flow["jobs"]
    assert jobs["shard"]["needs"] == "provinces" and jobs["national"]["needs"] == "shard"
    assert jobs["shard"]["strategy"]["matrix"]["province"] == "${{ fromJSON(needs.provinces.outputs.list) }}"
    caches = Caches(workspace.parent / "github-cache")
    first = _github_run(workspace, jobs, caches)
    again = _github_run(workspace, jobs, caches)  # a later run, each job starting from what the first one cached
    assert first == again == _whole(workspace)


def _gitlab_run(work, flow, provinces: list[str], caches: Caches) -> dict[str, str]:
    _new_runners(work)
    for province in provinces:  # each a runner of its own, its cache by its key
        key = re.sub(r"\$PROVINCE\b", province, flow["shard"]["cache"]["key"])
        caches.restore(work, key, flow["shard"]["cache"]["paths"])
        for command in flow["shard"]["script"]:
            _sh(work, re.sub(r"\$PROVINCE\b", province, command))
        caches.save(work, key, flow["shard"]["cache"]["paths"])
        _elsewhere(work, ".shards")  # the next job's runner has none of this one's folders
    _stores_arrived(work, provinces)
    caches.restore(work, flow["pages"]["cache"]["key"], flow["pages"]["cache"]["paths"])
    for command in flow["pages"]["script"]:
        _sh(work, command)
    caches.save(work, flow["pages"]["cache"]["key"], flow["pages"]["cache"]["paths"])
    return tree_digest(work / "public")


def test_the_gitlab_matrix_lists_the_provinces_and_builds_the_site_a_whole_build_makes_and_again_from_its_caches(
    workspace,
):
    flow = yaml.safe_load((ROOT / "docs/ci/gitlab-ci.yml").read_text("utf-8"))
    (matrix,) = flow["shard"]["parallel"]["matrix"]
    provinces = matrix["PROVINCE"]
    assert provinces == _sh(workspace, "make -s provinces").split()
    assert flow["shard"]["cache"]["key"] == "cong-khai-shard-$PROVINCE"  # one cache per province
    caches = Caches(workspace.parent / "gitlab-cache")
    first = _gitlab_run(workspace, flow, provinces, caches)
    again = _gitlab_run(workspace, flow, provinces, caches)
    assert first == again == _whole(workspace)

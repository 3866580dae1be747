"""The example CI workflows (docs/ci/: GitHub Actions and GitLab CI) that build the portal by province shards: their
commands, run here in a copy of the repository job by job as the runners would (each shard on its own, the artifacts
in the same folders), make the site a whole build makes (issue 24)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

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


def _elsewhere(folder):
    """`folder` gone from the workspace, as on another runner. Moved, not deleted: a build deletes the site it
    replaced in the background, maybe still at work in there."""
    folder.rename(folder.parent.parent / f"elsewhere-{folder.name}")


def _whole(work) -> dict[str, str]:
    _sh(work, "make site")
    return tree_digest((work / "site").resolve())


def test_the_github_actions_matrix_builds_the_site_a_whole_build_makes(workspace):
    flow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text("utf-8"))
    jobs = flow["jobs"]
    assert jobs["shard"]["needs"] == "provinces" and jobs["national"]["needs"] == "shard"

    def runs(job: str) -> list[str]:
        return [step["run"] for step in jobs[job]["steps"] if "run" in step]

    output = workspace / "github_output"
    for command in runs("provinces"):
        _sh(workspace, command, {"GITHUB_OUTPUT": str(output)})
    provinces = json.loads(output.read_text("utf-8").strip().removeprefix("list="))
    assert provinces == sorted(p.name for p in (ROOT / "content").iterdir() if (p / "unit.yml").is_file())
    assert jobs["shard"]["strategy"]["matrix"]["province"] == "${{ fromJSON(needs.provinces.outputs.list) }}"
    for province in provinces:  # each a runner of its own; upload and download-artifact keep dist/shards/
        for command in runs("shard"):
            _sh(workspace, command.replace("${{ matrix.province }}", province))
    _elsewhere(workspace / ".shards")  # another runner: only the artifacts reach the national step
    for command in runs("national"):
        _sh(workspace, command)
    assert tree_digest(workspace / "dist/site") == _whole(workspace)


def test_the_gitlab_matrix_lists_the_provinces_and_builds_the_site_a_whole_build_makes(workspace):
    flow = yaml.safe_load((ROOT / "docs/ci/gitlab-ci.yml").read_text("utf-8"))
    (matrix,) = flow["shard"]["parallel"]["matrix"]
    provinces = matrix["PROVINCE"]
    assert provinces == _sh(workspace, "make -s provinces").split()
    for province in provinces:
        for command in flow["shard"]["script"]:
            _sh(workspace, re.sub(r"\$PROVINCE\b", province, command))
    _elsewhere(workspace / ".shards")
    for command in flow["pages"]["script"]:
        _sh(workspace, command)
    assert tree_digest(workspace / "public") == _whole(workspace)

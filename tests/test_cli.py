"""The editor's commands: new-plan scaffolds from the schema, serve previews and rebuilds, clean removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from generator.content import schema
from generator.scaffold import new_plan
from tests.helpers import ROOT, build, copy_fixture, generator_command, tree_digest


def test_new_plan_has_every_field_explained(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    path = new_plan(folder / "content", "tinh-mau/huyen-mau", 2025, "chuyen-doi-so")
    text = path.read_text("utf-8")
    assert path.name == "2025-chuyen-doi-so.yml" and path.with_suffix(".md").exists()
    assert text.startswith("# yaml-language-server: $schema=../../../schema/plan.schema.json\n")
    data = yaml.safe_load(text)
    assert list(data) == list(schema.Plan.model_fields)
    assert set(data["targets"][0]) == set(schema.Target.model_fields)
    assert set(data["budget_tables"][0]["groups"][0]["lines"][0]) == set(schema.BudgetLine.model_fields)
    assert data["period"] == {"start": 2025, "end": 2025, "outlook": None}
    for field in ("title", "issuer", "kind"):  # each field is preceded by its description
        description = schema.Plan.model_fields[field].description
        assert f"# {description}" in text


def test_new_plan_then_check_points_at_what_to_fill(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--content",
            str(folder / "content"),
            "new-plan",
            "tinh-mau/huyen-mau",
            "2025",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0 and "2025-ke-hoach.yml" in result.stdout
    check = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(folder / "content"), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert "content/tinh-mau/huyen-mau/2025-ke-hoach.yml:6:8: title (trích yếu): không được để trống" in check.stderr


def test_new_plan_refuses_unknown_unit_and_existing_file(tmp_path):
    folder = copy_fixture("basic", tmp_path)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "generator", "--content", str(folder / "content"), "new-plan", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    missing = run("tinh-mau/khong-co", "2025")
    assert missing.returncode == 1 and "không có đơn vị «tinh-mau/khong-co»" in missing.stderr
    existing = run("tinh-mau/huyen-mau", "2024")
    assert existing.returncode == 0
    again = run("tinh-mau/huyen-mau", "2024")
    assert again.returncode == 1 and "đã có" in again.stderr


def test_serve_previews_and_rebuilds_on_change(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    port = 8700 + os.getpid() % 200
    proc = subprocess.Popen(
        generator_command(folder, "serve", "--port", str(port)),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}/cong-khai/tinh-mau/huyen-mau/2023-ke-hoach/"
    try:
        html = _fetch_when_ready(url)
        assert "Trần Văn Ký" in html
        plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
        plan.write_text(plan.read_text("utf-8").replace("Trần Văn Ký", "Trần Văn Kỳ"), "utf-8")
        deadline = time.time() + 20
        while time.time() < deadline and "Trần Văn Kỳ" not in html:
            time.sleep(0.5)
            html = _fetch_when_ready(url)
        assert "Trần Văn Kỳ" in html
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def _fetch_when_ready(url: str) -> str:
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def test_pre_commit_hook_runs_make_check():
    hook = ROOT / ".githooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    assert "make -s check" in hook.read_text()
    assert "git config core.hooksPath .githooks" in (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    "name, said",
    [
        ("ngan-sach", "content/ngan-sach/: hai trang cùng một địa chỉ «ngan-sach/»: «Tỉnh Mẫu» và «Ngân sách»"),
        ("data", "content/data/: thư mục «data/» của trang web là của cổng"),
    ],
)
def test_a_unit_folder_named_as_a_portal_page_or_folder_is_refused_and_the_site_kept(tmp_path, name, said):
    """A province's folder named «ngan-sach» had its page replaced by the portal's budget page, without a word; one
    named «data» would have its page of the DCAT catalogue written over the catalogue's first (data/dcat.jsonld)."""
    folder = copy_fixture("basic", tmp_path)
    site = build(folder, index=False)
    before = tree_digest(site)
    (folder / "content/tinh-mau").rename(folder / f"content/{name}")
    for path in (folder / f"content/{name}").rglob("*.yml"):
        path.write_text(path.read_text("utf-8").replace("tinh-mau", name), "utf-8")
    result = subprocess.run(
        generator_command(folder, "build", "--out", str(site)), capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert said in result.stderr and "Đổi tên thư mục của đơn vị" in result.stderr
    assert tree_digest(site) == before

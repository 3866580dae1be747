"""Publication and change dates come from Git; each change is listed with a readable diff."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess

import pytest

from generator.model import history
from tests.helpers import build, copy_fixture

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"


def git(folder, *args, date=None):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Biên tập",
        "GIT_AUTHOR_EMAIL": "bt@example.org",
        "GIT_COMMITTER_NAME": "Biên tập",
        "GIT_COMMITTER_EMAIL": "bt@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "Công bố kế hoạch năm 2023", date="2023-03-01T10:00:00+07:00")
    plan = folder / "content" / (PLAN + ".yml")
    plan.write_text(plan.read_text("utf-8").replace("Trần Văn Ký", "Trần Văn Kỳ"), "utf-8")
    git(folder, "commit", "-qam", "Sửa tên người ký theo bản gốc", date="2023-04-15T09:00:00+07:00")
    # a commit that does not touch the plan is not a change of the plan
    (folder / "content/tinh-mau/unit.yml").write_text("name: Tỉnh Mẫu\nlevel: tinh\ncode: '99'\n", "utf-8")
    git(folder, "commit", "-qam", "Thêm mã tỉnh", date="2023-05-01T09:00:00+07:00")
    return folder


def test_collect_reads_dates_messages_and_diffs(repo):
    plan_file = repo / "content" / (PLAN + ".yml")
    h = history.collect(repo / "content", {PLAN: plan_file})[PLAN]
    assert [(c.date, c.message) for c in h.changes] == [
        (dt.date(2023, 3, 1), "Công bố kế hoạch năm 2023"),
        (dt.date(2023, 4, 15), "Sửa tên người ký theo bản gốc"),
    ]
    assert h.published == dt.date(2023, 3, 1) and h.last_changed == dt.date(2023, 4, 15)
    assert h.changes[0].diff == ""
    assert "-  name: Trần Văn Ký\n+  name: Trần Văn Kỳ\n" in h.changes[1].diff
    assert not h.uncommitted
    plan_file.write_text(plan_file.read_text("utf-8") + "\n", "utf-8")
    assert history.collect(repo / "content", {PLAN: plan_file})[PLAN].uncommitted


def test_outside_git_history_is_empty(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    h = history.collect(folder / "content", {PLAN: folder / "content" / (PLAN + ".yml")})[PLAN]
    assert h.changes == [] and h.published is None


def test_plan_page_history_page_and_feed(repo):
    site = build(repo, index=False)
    plan_html = (site / PLAN / "index.html").read_text("utf-8")
    assert re.search(r"Công bố trên cổng</dt><dd>01/03/2023; cập nhật lần cuối 15/04/2023", plan_html)
    page = (site / PLAN / "lich-su/index.html").read_text("utf-8")
    assert "Công bố lần đầu: Công bố kế hoạch năm 2023" in page
    assert "Sửa tên người ký theo bản gốc" in page
    assert '<span class="ck-del">-  name: Trần Văn Ký</span>' in page
    assert '<span class="ck-add">+  name: Trần Văn Kỳ</span>' in page
    assert "Thêm mã tỉnh" not in page
    feed = (site / "feed.xml").read_text("utf-8")
    assert "<published>2023-03-01T00:00:00+07:00</published>" in feed
    assert "<updated>2023-04-15T00:00:00+07:00</updated>" in feed
    assert "Cập nhật: Sửa tên người ký theo bản gốc." in feed
    catalogue = (site / "tiep-can-thong-tin/index.html").read_text("utf-8")
    assert "01/03/2023" in catalogue and "12/KH-UBND" in catalogue and "Thường xuyên, không thời hạn" in catalogue

"""Publication and change dates come from Git; each change is listed with a readable diff and the fields it changed.

Only an editorial reason is published: the `Lý do:` trailer of the commit message, or a neutral «Cập nhật nội dung»;
never the commit's subject or body, and nothing of a commit that leaves the plan's files as they were.
"""

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


SUBJECTS = ("Issue 4 work: budget breakdowns", "Refactor: tidy YAML", "ruff format over content")
HOSTILE = '<script>alert("lý do")</script> & <b>'


def commit(folder, message, date):
    git(folder, "commit", "-qam", message, date=date)


@pytest.fixture
def repo(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "Công bố kế hoạch năm 2023", date="2023-03-01T10:00:00+07:00")
    plan = folder / "content" / (PLAN + ".yml")
    # with a `Lý do:` trailer: the reason shown (and only it: not the subject, not the body)
    plan.write_text(plan.read_text("utf-8").replace("Trần Văn Ký", "Trần Văn Kỳ"), "utf-8")
    message = f"{SUBJECTS[0]}\n\nDeveloper notes.\n\nLý do: Sửa tên người ký theo bản gốc"
    commit(folder, message, "2023-04-15T09:00:00+07:00")
    # a commit that does not touch the plan is not a change of the plan
    (folder / "content/tinh-mau/unit.yml").write_text("name: Tỉnh Mẫu\nlevel: tinh\ncode: '99'\n", "utf-8")
    commit(folder, f"{SUBJECTS[2]}\n\nLý do: Định dạng lại", "2023-05-01T09:00:00+07:00")
    # without a trailer: neutral text, the subject never shown; the target's value changed: named field by field
    plan.write_text(plan.read_text("utf-8").replace("    value: 100\n", "    value: 90\n", 1), "utf-8")
    commit(folder, SUBJECTS[1], "2023-06-01T09:00:00+07:00")
    # the Markdown beside the plan is its content too; the reason is content: escaped everywhere
    narrative = plan.with_suffix(".md")
    narrative.write_text(narrative.read_text("utf-8") + "\nĐoạn bổ sung.\n", "utf-8")
    commit(folder, f"Docs\n\nLý do: {HOSTILE}", "2023-07-01T09:00:00+07:00")
    return folder


def test_collect_reads_dates_reasons_summaries_and_diffs(repo):
    plan_file = repo / "content" / (PLAN + ".yml")
    h = history.collect(repo / "content", {PLAN: plan_file})[PLAN]
    assert [(c.date, c.reason) for c in h.changes] == [
        (dt.date(2023, 3, 1), "Cập nhật nội dung"),
        (dt.date(2023, 4, 15), "Sửa tên người ký theo bản gốc"),
        (dt.date(2023, 6, 1), "Cập nhật nội dung"),
        (dt.date(2023, 7, 1), HOSTILE),
    ]
    assert h.published == dt.date(2023, 3, 1) and h.last_changed == dt.date(2023, 7, 1)
    assert h.changes[0].diff == ""
    assert "-  name: Trần Văn Ký\n+  name: Trần Văn Kỳ\n" in h.changes[1].diff
    assert h.changes[1].summary == ("Người ký: họ tên: Trần Văn Ký → Trần Văn Kỳ",)
    assert h.changes[2].summary == ("Chỉ tiêu 1: giá trị: 100% → 90%",)
    assert "+Đoạn bổ sung." in h.changes[3].diff and h.changes[3].summary == ()
    assert not h.uncommitted
    plan_file.write_text(plan_file.read_text("utf-8") + "\n", "utf-8")
    assert history.collect(repo / "content", {PLAN: plan_file})[PLAN].uncommitted


@pytest.mark.parametrize(
    "message, expected",
    [
        ("Lý do: một dòng là tiêu đề", "Cập nhật nội dung"),
        ("Tiêu đề\n\nLý do: sửa số liệu\n  theo báo cáo\nSigned-off-by: A <a@b>", "sửa số liệu theo báo cáo"),
        ("Tiêu đề\n\nLý do: ở giữa\n\nđoạn cuối", "Cập nhật nội dung"),
        ("Tiêu đề\n\nLy do: không dấu", "Cập nhật nội dung"),
        ("Tiêu đề\n\nlý do:   ", "Cập nhật nội dung"),
    ],
)
def test_the_reason_is_the_trailer_only(message, expected):
    assert history.reason(message) == expected


def test_outside_git_history_is_empty(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    h = history.collect(folder / "content", {PLAN: folder / "content" / (PLAN + ".yml")})[PLAN]
    assert h.changes == [] and h.published is None


def test_plan_page_history_page_and_feed(repo):
    site = build(repo, index=False)
    plan_html = (site / PLAN / "index.html").read_text("utf-8")
    assert re.search(r"Công bố trên cổng</dt><dd>01/03/2023; cập nhật lần cuối 01/07/2023", plan_html)
    page = (site / PLAN / "lich-su/index.html").read_text("utf-8")
    feed = (site / "feed.xml").read_text("utf-8")
    for text in (page, feed):
        assert not any(subject in text for subject in SUBJECTS)  # commit messages are never published
        assert "Developer notes" not in text and "Định dạng lại" not in text and "Docs" not in text
        assert "<script>alert" not in text and "&lt;script&gt;alert(" in text
    assert "<td>Công bố lần đầu</td>" in page
    assert "<td>Lý do: Sửa tên người ký theo bản gốc</td>" in page
    assert "<td>Cập nhật nội dung</td>" in page
    assert "01/05/2023" not in page  # the other file's commit is no change of the plan
    assert page.count('<h2 id="lan-') == 3
    assert "<li>Người ký: họ tên: Trần Văn Ký → Trần Văn Kỳ</li>" in page
    assert "<li>Chỉ tiêu 1: giá trị: 100% → 90%</li>" in page
    assert '<span class="ck-del">-  name: Trần Văn Ký</span>' in page
    assert '<span class="ck-add">+  name: Trần Văn Kỳ</span>' in page
    assert "<published>2023-03-01T00:00:00+07:00</published>" in feed
    assert "<updated>2023-07-01T00:00:00+07:00</updated>" in feed
    assert 'Cập nhật: &lt;script&gt;alert("lý do")&lt;/script&gt; &amp; &lt;b&gt;.' in feed
    catalogue = (site / "tiep-can-thong-tin/index.html").read_text("utf-8")
    assert "01/03/2023" in catalogue and "12/KH-UBND" in catalogue and "Thường xuyên, không thời hạn" in catalogue


def test_the_feed_names_a_neutral_update_and_the_fields_changed(repo):
    plan = repo / "content" / (PLAN + ".yml")
    plan.write_text(plan.read_text("utf-8").replace("    value: 90\n", "    value: 80\n", 1), "utf-8")
    commit(repo, "WIP fix tests", "2023-08-01T09:00:00+07:00")
    feed = (build(repo, index=False) / "feed.xml").read_text("utf-8")
    assert "WIP" not in feed
    assert "Cập nhật nội dung (Chỉ tiêu 1: giá trị: 90% → 80%)." in feed

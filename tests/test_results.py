"""Promises tracked to results (issue 22): results files beside plans, validated; each target's status as of a date
that is an input of the build; counts on plan, unit, province, indicator and agency pages; the open data.

Built from real content: the seed plans, and the basic fixture with a results file written here."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT, build, copy_fixture, generator_command, page, status_summary, tree_digest

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"
CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"


def text_of(html: str) -> str:
    """The page's words, as read: tags are spaces, except before punctuation that follows an inline tag."""
    return re.sub(r" ([:;,.)])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def target_row(html: str, number: int) -> str:
    """Target `number`'s row of a plan page, with the timeline table nested in it."""
    start = html.index(f'<tr id="chi-tieu-{number}">')
    ends = [
        i for i in (html.find('<tr id="chi-tieu-', start + 1), html.find("</tbody>\n</table></div>", start)) if i > 0
    ]
    return html[start : min(ends)]


def timeline_of(html: str, number: int) -> str:
    start = html.index(f'<section class="ck-timeline" id="dien-bien-{number}"')
    return html[start : html.index("</section>", start)]


def statuses(html: str) -> Counter:
    """The status of each target row on a plan page, by its class."""
    rows = re.findall(r'<tr id="chi-tieu-\d+">.*?</tr>', html, re.S)
    return Counter(re.search(r'class="ck-status ck-status-([a-z-]+)"', row).group(1) for row in rows)


def seeds_as_of(folder: Path, day: str) -> Path:
    """`folder` with a copy of the repository's content and site configuration, statuses as of `day`."""
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "site_config.yml", folder / "site_config.yml")
    with_as_of(folder, day)
    return folder


def with_as_of(folder: Path, day: str | None) -> None:
    config = folder / "site_config.yml"
    data = yaml.safe_load(config.read_text("utf-8"))
    data.pop("as_of", None)
    if day:
        data["as_of"] = day
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The repository's content with the issue's as-of date, 03/12/2026."""
    return build(seeds_as_of(tmp_path_factory.mktemp("seeds"), "03/12/2026"), index=False)


def test_cam_xuyen_targets_for_2025_are_overdue_and_those_for_2030_are_not(seeds):
    html = page(seeds, CAM_XUYEN)
    plan = yaml.safe_load((ROOT / "content" / f"{CAM_XUYEN}.yml").read_text("utf-8"))
    by_deadline = Counter(t.get("deadline_year") for t in plan["targets"])
    assert by_deadline == {2025: 22, 2030: 12}  # what the issue counts
    rows = re.findall(r'<tr id="chi-tieu-(\d+)">(.*?)</tr>', html, re.S)
    for number, row in rows:
        due = plan["targets"][int(number) - 1]["deadline_year"]
        expected = "Quá hạn, chưa có báo cáo" if due == 2025 else "Chưa có báo cáo"
        assert re.search(r'class="ck-status ck-status-[a-z-]+">([^<]+)<', row).group(1) == expected, number
    assert "Trạng thái 34 chỉ tiêu, tính đến 03/12/2026" in text_of(html)
    summary = text_of(html[html.index('class="ck-progress"') :][:2000])
    assert "Quá hạn, chưa có báo cáo: 22" in summary and "Chưa có báo cáo: 12" in summary


def test_unit_and_province_pages_count_targets_by_status(seeds):
    unit = text_of(page(seeds, "ha-tinh/cam-xuyen"))
    assert "Quá hạn, chưa có báo cáo: 22" in unit and "Chưa có báo cáo: 12" in unit
    # the province counts its own plans' targets and its units': every plan of Hà Tĩnh
    expected: Counter = Counter()
    for path in (ROOT / "content" / "ha-tinh").rglob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        if not isinstance(data, dict) or "targets" not in data:
            continue
        for t in data["targets"]:
            year = t.get("deadline_year") or (data["period"]["end"] if t.get("deadline_from_period") else None)
            expected["overdue" if year is not None and year < 2026 else "unreported"] += 1
    province = text_of(page(seeds, "ha-tinh"))
    total = sum(expected.values())
    assert f"Trạng thái {total} chỉ tiêu, tính đến 03/12/2026" in province
    assert f"Quá hạn, chưa có báo cáo: {expected['overdue']}" in province
    if expected["unreported"]:
        assert f"Chưa có báo cáo: {expected['unreported']}" in province


def test_the_targets_download_carries_status_and_the_as_of_date(seeds):
    rows = list(csv.DictReader(io.StringIO((seeds / CAM_XUYEN / "chi-tieu.csv").read_text("utf-8-sig"))))
    assert Counter(r["trang_thai"] for r in rows) == {"Quá hạn, chưa có báo cáo": 22, "Chưa có báo cáo": 12}
    assert Counter(r["trang_thai_ma"] for r in rows) == {"qua-han": 22, "chua-co-bao-cao": 12}
    assert {r["tinh_den"] for r in rows} == {"2026-12-03"}  # ISO 8601 in data
    package = json.loads((seeds / "data" / "datapackage.json").read_text("utf-8"))
    assert package["tinh_den"] == "2026-12-03"


def test_an_earlier_as_of_date_finds_nothing_overdue(tmp_path):
    """The status is computed against the as-of date, never the clock: on 15/06/2025, the 2025 targets still have
    half a year to go, and the 2023 plan of Đức Thọ (deadline: its period's end, inferred) is overdue."""
    site = build(seeds_as_of(tmp_path / "f", "15/06/2025"), index=False)
    assert statuses(page(site, CAM_XUYEN)) == {"chua-co-bao-cao": 34}
    duc_tho = page(site, "ha-tinh/duc-tho/2023-chinh-quyen-so")
    assert set(statuses(duc_tho)) == {"qua-han"}
    assert "tính đến 15/06/2025" in text_of(duc_tho)


def _git(folder: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env.update({"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    if date:
        env.update({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_without_a_configured_date_the_last_content_commit_sets_it(tmp_path):
    """The default as-of date is the day (Vietnam time) of the last commit that changed content/: a later commit
    that changes other files moves nothing, and the same history builds the same bytes."""
    folder = copy_fixture("basic", tmp_path)
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    # 20:00 UTC on 31/12/2024 is 03:00 on 01/01/2025 in Vietnam: the deadline year 2023 has ended either way
    _git(folder, "commit", "-qm", "nội dung", date="2024-12-31T20:00:00+00:00")
    (folder / "README").write_text("khác nội dung", "utf-8")
    _git(folder, "add", "README")
    _git(folder, "commit", "-qm", "khác", date="2026-05-05T10:00:00+00:00")
    site = build(folder, tmp_path / "a", index=False)
    html = page(site, PLAN)
    assert "tính đến 01/01/2025" in text_of(html)
    assert statuses(html) == {"qua-han": 1, "chua-co-bao-cao": 1}  # target 2 has no deadline
    again = build(folder, tmp_path / "b", index=False)
    assert tree_digest(site) == tree_digest(again)


def test_outside_git_and_unset_no_target_is_called_overdue(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    site = build(folder, index=False)
    html = page(site, PLAN)
    assert statuses(html) == {"chua-co-bao-cao": 2}
    assert "tính đến" not in text_of(html)


# --------------------------------------------------------------------------- a results file


KEPT = b"%PDF-1.4 bao cao ket qua (ban luu)\n"


def write_results(folder: Path, results: list[dict], sources: list[dict] | None = None) -> Path:
    path = folder / "content" / f"{PLAN}.ket-qua.yml"
    if sources is None:
        (path.parent / "bc-2023.pdf").write_bytes(KEPT)
        sources = [
            {
                "id": "bc-2023",
                "kind": "bao-cao",
                "title": "Báo cáo kết quả chuyển đổi số năm 2023",
                "number": "12/BC-UBND",
                "date": "10/01/2024",
                "kept_copy": {"file": "bc-2023.pdf", "sha256": hashlib.sha256(KEPT).hexdigest()},
            },
            {
                "id": "bai-viet",
                "kind": "bai-viet",
                "title": "Huyện Mẫu hoàn thành chuyển đổi số",
                "url": "https://example.org/tin-tuc/chuyen-doi-so",
                "date": "20/03/2024",
            },
        ]
    path.write_text(yaml.safe_dump({"sources": sources, "results": results}, allow_unicode=True), "utf-8")
    return path


def test_reported_results_decide_the_status_with_their_source(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    with_as_of(folder, "01/06/2024")
    write_results(
        folder,
        [
            {"target": 1, "value": 95, "unit": "%", "date": "31/12/2023", "source": "bc-2023"},
            {"target": 2, "status": "dat", "statement": "Đã triển khai.", "date": "2023", "source": "bai-viet"},
        ],
    )
    site = build(folder, index=False)
    html = page(site, PLAN)
    row1 = target_row(html, 1)
    row2 = target_row(html, 2)
    assert '<span class="ck-status ck-status-chua-dat">Chưa đạt</span>' in row1  # 95 is not = 100
    assert "Đạt 95% (tính đến 31/12/2023; nguồn: 12/BC-UBND)" in text_of(row1)
    assert '<span class="ck-status ck-status-dat">Đạt</span>' in row2  # qualitative: as the source records
    # the sources, each with what identifies it; the kept copy published with its checksum
    sources = text_of(html[html.index('id="nguon-ket-qua"') :].split("</ol>")[0])
    assert "Báo cáo kết quả: Báo cáo kết quả chuyển đổi số năm 2023, số 12/BC-UBND, ngày 10/01/2024" in sources
    assert hashlib.sha256(KEPT).hexdigest() in sources
    assert (site / PLAN / "nguon-bc-2023.pdf").read_bytes() == KEPT
    assert 'href="https://example.org/tin-tuc/chuyen-doi-so"' in html
    # the timeline, linked from the row: no baseline, the result, the target at its deadline
    assert 'href="#dien-bien-1">Diễn biến</a>' in row1
    timeline = text_of(timeline_of(html, 1))
    assert "Kết quả, 31/12/2023 95% Báo cáo kết quả chuyển đổi số năm 2023" in timeline
    assert "Chỉ tiêu, hạn 2023 100%" in timeline
    # a chart only where two points have values (the result and the target), a table always
    assert 'id="dien-bien-1-bieu-do-t"' in timeline_of(html, 1)
    assert "<table>" in timeline_of(html, 2) and "bieu-do" not in timeline_of(html, 2)
    # the data
    targets = list(csv.DictReader(io.StringIO((site / PLAN / "chi-tieu.csv").read_text("utf-8-sig"))))
    assert [(r["trang_thai"], r["ket_qua_gia_tri"], r["ket_qua_ngay"]) for r in targets] == [
        ("Chưa đạt", "95", "2023-12-31"),
        ("Đạt", "", "2023"),
    ]
    results = json.loads((site / PLAN / "ket-qua.json").read_text("utf-8"))
    assert [(r["tt_chi_tieu"], r["nguon_so"], r["nguon_ban_luu"]) for r in results] == [
        (1, "12/BC-UBND", "nguon-bc-2023.pdf"),
        (2, None, None),
    ]


def test_a_rebuild_counts_again_the_statuses_of_a_plan_whose_results_changed(tmp_path):
    """The home page and each indicator's page count targets by status over many plans; a rebuild keeps each plan's
    statuses while its unit is unchanged and works them out again for a plan whose results file is new (the seeds:
    five plans of four units)."""
    folder = seeds_as_of(tmp_path / "portal", "01/06/2024")
    site = build(folder, index=False)
    before = status_summary(site, "")
    plan = "ha-tinh/duc-tho/2023-chinh-quyen-so"  # its first target is an indicator's (may-tinh-can-bo)
    source = {"id": "tin", "kind": "bai-viet", "title": "Tin của huyện", "url": "https://example.org/t", "date": "2024"}
    results = [{"target": 1, "status": "dat", "statement": "Đã xong.", "date": "2024", "source": "tin"}]
    (folder / "content" / f"{plan}.ket-qua.yml").write_text(
        yaml.safe_dump({"sources": [source], "results": results}, allow_unicode=True), "utf-8"
    )
    site = build(folder, index=False)
    rows = json.loads((site / "data/chi-tieu.json").read_text("utf-8"))
    assert status_summary(site, "") == Counter(r["trang_thai"] for r in rows) != before
    indicators = {r["ma_chi_so"] for r in json.loads((site / "data/chi-so.json").read_text("utf-8"))}
    assert "may-tinh-can-bo" in indicators
    for code in indicators:
        targets = json.loads((site / "chi-so" / code / "chi-tieu.json").read_text("utf-8"))
        assert status_summary(site, f"chi-so/{code}") == Counter(r["trang_thai"] for r in targets), code


@pytest.mark.parametrize(
    "comparator, got, expected",
    [("≥", 100, "dat"), ("≥", 99.5, "chua-dat"), (">", 100, "chua-dat"), ("≤", 100, "dat"), ("=", 100, "dat")],
)
def test_comparators_are_honoured(tmp_path, comparator, got, expected):
    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(plan.read_text("utf-8").replace('comparator: "="', f'comparator: "{comparator}"', 1), "utf-8")
    write_results(folder, [{"target": 1, "value": got, "date": "12/2023", "source": "bc-2023"}])
    assert statuses(page(build(folder, index=False), PLAN))[expected] == 1


def test_a_later_result_decides_and_one_after_the_as_of_date_is_shown_not_counted(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    with_as_of(folder, "01/06/2024")
    write_results(
        folder,
        [
            {"target": 1, "value": 100, "date": "2025", "source": "bai-viet"},  # after the as-of date
            {"target": 1, "value": 90, "date": "06/2023", "source": "bc-2023"},
            {"target": 1, "value": 80, "date": "03/2023", "source": "bc-2023"},
        ],
    )
    html = page(build(folder, index=False), PLAN)
    row = text_of(target_row(html, 1))
    assert row.startswith("1 ") and "Chưa đạt Đạt 90% (tính đến tháng 06/2023" in row
    timeline = text_of(timeline_of(html, 1))
    assert "năm 2025 100% Báo cáo kết quả chuyển đổi số năm 2023" not in timeline  # a source of its own
    assert "Kết quả, năm 2025 100% Huyện Mẫu hoàn thành chuyển đổi số (sau ngày tính trạng thái, chưa tính)" in timeline
    table = timeline[timeline.index("Mốc Giá trị Nguồn") :]
    order = [m.group(1) for m in re.finditer(r"Kết quả, (tháng 03/2023|tháng 06/2023|năm 2025)", table)]
    assert order == ["tháng 03/2023", "tháng 06/2023", "năm 2025"]  # oldest first


def test_a_target_with_parts_can_be_partly_met(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            "  - area: Chuyển đổi số\n    statement: Đẩy mạnh chuyển đổi số trong toàn huyện.\n",
            "  - area: Chuyển đổi số\n    statement: Đẩy mạnh chuyển đổi số trong toàn huyện.\n"
            "    parts: [cấp huyện, cấp xã]\n",
        ),
        "utf-8",
    )
    write_results(folder, [{"target": 2, "parts_met": ["cấp huyện"], "date": "2023", "source": "bc-2023"}])
    html = page(build(folder, index=False), PLAN)
    row = text_of(target_row(html, 2))
    assert "Đạt một phần Đã đạt: cấp huyện" in row


@pytest.mark.parametrize(
    "result, source_extra, field, words",
    [
        ({"target": 3, "value": 1}, {}, "results[0].target", "kế hoạch có 2 chỉ tiêu; không có chỉ tiêu số 3"),
        ({"target": 1, "value": 5, "unit": "điểm"}, {}, "results[0].unit", "giá trị tính bằng «điểm»"),
        ({"target": 1, "value": 90, "date": "2022"}, {}, "results[0].date", "trước kế hoạch (15/02/2023)"),
        ({"target": 2, "value": 1}, {}, "results[0].value", "chỉ tiêu định tính"),
        ({"target": 2, "statement": "x"}, {}, "results[0].value", "cần «value» (giá trị số) hoặc «status»"),
        ({"target": 2, "status": "dat-mot-phan"}, {}, "results[0].status", "không chia phần"),
        ({"target": 1, "value": 90, "source": "khong-co"}, {}, "results[0].source", "không có nguồn «khong-co»"),
        ({"target": 1, "value": 90}, {"kind": "ke-hoach-sau"}, "sources[0].plan", "cần «plan»"),
        ({"target": 1, "value": 90}, {"url": None}, "sources[0]", "cần liên kết («url»), bản lưu"),
        (
            {"target": 1, "value": 90},
            {"kept_copy": {"file": "x.pdf", "sha256": "0" * 64}},
            "sources[0].kept_copy.file",
            "không tìm thấy bản lưu «x.pdf»",
        ),
    ],
)
def test_a_wrong_result_is_refused_naming_file_line_and_field(tmp_path, result, source_extra, field, words):
    folder = copy_fixture("basic", tmp_path)
    source = {"id": "bc", "kind": "bao-cao", "title": "Báo cáo", "url": "https://example.org/bc", **source_extra}
    source = {k: v for k, v in source.items() if v is not None}
    write_results(folder, [{"date": "31/12/2023", "source": "bc", **result}], [source])
    done = subprocess.run(generator_command(folder, "check"), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    line = next(line for line in done.stderr.splitlines() if "2023-ke-hoach.ket-qua.yml" in line and words in line)
    assert re.search(r"\.ket-qua\.yml:\d+:\d+", line) and field in line, line


def test_a_results_file_without_its_plan_is_refused(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    path = folder / "content" / "tinh-mau" / "huyen-mau" / "2024-khong-co.ket-qua.yml"
    path.write_text("sources: []\nresults: []\n", "utf-8")
    done = subprocess.run(generator_command(folder, "check"), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and "cần tệp «2024-khong-co.yml»" in done.stderr


def test_a_later_plan_reviewing_this_one_is_a_source_only_if_it_says_so(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    unit = folder / "content" / "tinh-mau" / "huyen-mau"
    later = unit / "2024-ke-hoach.yml"
    text = (unit / "2023-ke-hoach.yml").read_text("utf-8").replace("2023", "2024").replace("12/KH", "30/KH")
    later.write_text(text, "utf-8")
    shutil.copy(unit / "2023-ke-hoach.nguon.txt", unit / "2024-ke-hoach.nguon.txt")
    source = {
        "id": "kh-2024",
        "kind": "ke-hoach-sau",
        "title": "Đánh giá kỳ trước",
        "plan": "tinh-mau/huyen-mau/2024-ke-hoach",
    }
    write_results(folder, [{"target": 1, "value": 100, "date": "2023", "source": "kh-2024"}], [source])
    done = subprocess.run(generator_command(folder, "check"), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and "không ghi «reviews: tinh-mau/huyen-mau/2023-ke-hoach»" in done.stderr
    later.write_text(later.read_text("utf-8") + "reviews: tinh-mau/huyen-mau/2023-ke-hoach\n", "utf-8")
    site = build(folder, index=False)
    html = page(site, PLAN)
    assert statuses(html)["dat"] == 1
    assert 'href="../2024-ke-hoach/">Kế hoạch kỳ sau trên cổng</a>' in html


def test_agency_and_indicator_pages_count_what_they_lead(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    with_as_of(folder, "01/06/2024")
    (folder / "content/indicators.yml").write_text(
        "indicators:\n  - code: ho-so-cong-viec-huyen\n    name: Tỷ lệ hồ sơ công việc cấp huyện trên môi trường mạng\n"
        '    unit: "%"\n',
        "utf-8",
    )
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            '    comparator: "="\n', '    indicator_code: ho-so-cong-viec-huyen\n    comparator: "="\n', 1
        ),
        "utf-8",
    )
    write_results(folder, [{"target": 1, "value": 100, "date": "2023", "source": "bc-2023"}])
    site = build(folder, index=False)
    pages = [text_of(p.read_text("utf-8")) for p in (site / "co-quan").rglob("index.html")]
    assert any("Văn phòng HĐND và UBND huyện chủ trì 1 chỉ tiêu: 1 đạt." in text for text in pages)
    indicator = text_of(page(site, "chi-so/ho-so-cong-viec-huyen"))
    assert "Trạng thái 1 chỉ tiêu, tính đến 01/06/2024" in indicator and "Đạt: 1" in indicator


def test_hostile_text_in_a_result_is_escaped(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    evil = '<script>alert(1)</script>=cmd|" /C calc"!A0'
    source = {"id": "bc", "kind": "bao-cao", "title": evil, "url": "https://example.org/a?b=<x>"}
    write_results(folder, [{"target": 2, "status": "dat", "statement": evil, "date": "2023", "source": "bc"}], [source])
    site = build(folder, index=False)
    html = page(site, PLAN)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = list(csv.reader(io.StringIO((site / PLAN / "ket-qua.csv").read_text("utf-8-sig"))))
    cells = [c for r in rows[1:] for c in r]
    assert not any(c.startswith("=") for c in cells)


# --------------------------------------------------------------------------- in Chromium


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_statuses_timelines_and_sources_have_no_wcag_violation_on_a_phone(tmp_path, chromium, scheme):
    from tests.browser import serve
    from tests.test_accessibility import AXE, axe_violations, describe

    if not AXE.exists():
        pytest.skip("axe-core is installed by `make test` (npm ci)")
    folder = copy_fixture("basic", tmp_path)
    with_as_of(folder, "01/06/2024")
    write_results(
        folder,
        [
            {"target": 1, "value": 80, "unit": "%", "date": "06/2023", "source": "bc-2023"},
            {"target": 1, "value": 95, "unit": "%", "date": "31/12/2023", "source": "bc-2023"},
            {"target": 2, "status": "dat", "statement": "Đã triển khai.", "date": "2023", "source": "bai-viet"},
        ],
    )
    site = build(folder, index=False)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    with serve(site) as base:
        for path in (PLAN, "tinh-mau/huyen-mau", "tinh-mau"):
            page.goto(f"{base}/{path}/")
            if violations := axe_violations(page):
                found[path] = describe(violations)
            # nothing of the new blocks needs a sideways swipe on a phone
            wide = page.evaluate(
                "() => [...document.querySelectorAll('.ck-progress, .ck-timeline, .ck-sources, .ck-budget-years')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className)"
            )
            assert not wide, (path, wide)
    context.close()
    assert not found, found

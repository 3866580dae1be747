"""Whole builds of the small fixture into temporary folders: pages, data, index, atomicity."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pytest

from generator.build import mkdocs_site
from generator.errors import BuildError, ContentErrors
from generator.search import pagefind
from tests.helpers import ROOT, build, copy_fixture, generator_command, page, tree_digest

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = copy_fixture("basic", tmp_path_factory.mktemp("build"))
    return build(folder)


def text_of(html: str) -> str:
    """What a reader sees: tags, and the hidden d-spellings added for search, removed."""
    html = re.sub(r'<span class="ck-fold" hidden>[^<]*</span>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_plan_page_identity_block(site):
    html = page(site, PLAN)
    assert '<html lang="vi"' in html
    text = text_of(html)
    assert "Kế hoạch phát triển chính quyền số năm 2023" in text
    assert "Số, ký hiệu 12/KH-UBND" in text
    assert "Ngày ký 15/02/2023" in text
    assert "Người ký Phó Chủ tịch Trần Văn Ký" in text
    assert "Kỳ kế hoạch Năm 2023" in text
    assert 'href="van-ban-goc.txt"' in html
    assert (site / PLAN / "van-ban-goc.txt").read_bytes() == (
        ROOT / "tests/fixtures/basic/content" / (PLAN + ".nguon.txt")
    ).read_bytes()


def test_targets_table(site):
    text = text_of(page(site, PLAN))
    assert "Chỉ tiêu (2)" in text
    assert "= 100% cấp huyện 2023 Văn phòng HĐND và UBND huyện" in text
    assert "Đẩy mạnh chuyển đổi số trong toàn huyện. Định tính" in text


def test_budget_shows_declared_computed_and_difference(site):
    html = page(site, PLAN)
    text = text_of(html)
    assert "1.500.000 đồng" in text and "2.000.000 đồng" in text
    # group I declares 3.500.000 = its lines; the table declares 3.600.000 ≠ 3.500.000
    assert "3.500.000 đồng khớp tổng các dòng" in text
    assert "Không khớp: tổng các dòng 3.500.000 đồng, chênh lệch 100.000 đồng" in text
    assert (
        "Tổng cộng (Kinh phí): văn bản ghi 3.600.000 đồng, tổng các dòng 3.500.000 đồng, chênh lệch 100.000 đồng."
        in text
    )
    check = text_of(page(site, "kiem-tra-so-lieu"))
    assert "Huyện Đông Mẫu" in check and "3.600.000 đồng 3.500.000 đồng 100.000 đồng" in check


def test_narrative_cannot_inject_markup(site):
    html = page(site, PLAN)
    body = html.split('class="ck-narrative"', 1)[1].split("</div>", 1)[0]
    assert "<strong>thúc đẩy</strong>" in body
    for bad in ("<script", "onclick", "javascript:", "<iframe", "alert("):
        assert bad not in body
    # heading ids keep Vietnamese letters, Đ/đ included
    assert 'id="mục-đích"' in body


def test_navigation_province_district_plan(site):
    home = page(site, "")
    assert 'href="tinh-mau/"' in home
    unit = text_of(page(site, "tinh-mau/huyen-mau"))
    assert "Huyện Đông Mẫu" in unit and "Huyện chấm dứt hoạt động từ ngày 01/7/2025." in unit
    assert "Chấm dứt hoạt động sau ngày 30/06/2025" in unit
    assert 'href="2023-ke-hoach/"' in page(site, "tinh-mau/huyen-mau")
    province = page(site, "tinh-mau")
    assert 'href="huyen-mau/"' in province


def test_home_counts(site):
    text = text_of(page(site, ""))
    assert "1 văn bản kế hoạch" in text
    assert "2 đơn vị hành chính" in text
    assert "2 chỉ tiêu" in text
    assert "1 bảng kinh phí" in text  # budgets by year on the budget page: years and kinds are never added up


def test_footer_names_managing_agency(site):
    text = text_of(page(site, "gioi-thieu"))
    for item in ("Văn phòng Thử nghiệm", "Số 1 đường Thử", "0123 456 789", "vanphong@example.org", "Nguyễn Văn Thử"):
        assert item in text
    assert "Văn phòng Thử nghiệm" in text_of(page(site, PLAN))


def test_no_request_to_outside_hosts(site):
    for html_file in site.rglob("*.html"):
        html = html_file.read_text("utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for url in re.findall(
            r"<(?:script[^>]+src|img[^>]+src|link[^>]+rel=\"(?:stylesheet|icon|preload|modulepreload|manifest)\"[^>]+href)=\"([^\"]+)\"",
            html,
        ):
            assert not url.startswith(("http:", "https:", "//")), (html_file, url)


def test_data_files(site):
    raw = (site / PLAN / "chi-tieu.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["chi_tieu"] for r in rows] == [
        "100% hồ sơ công việc cấp huyện được xử lý trên môi trường mạng.",
        "Đẩy mạnh chuyển đổi số trong toàn huyện.",
    ]
    assert rows[0]["so_sanh"] == "=" and rows[0]["gia_tri"] == "100"
    budget = json.loads((site / PLAN / "kinh-phi.json").read_text("utf-8"))
    assert [(b["noi_dung"], b["so_tien_dong"]) for b in budget if b["loai_dong"] == "dong"] == [
        ("Trang bị tường lửa", 1500000),
        ("Đường truyền", 2000000),
    ]
    plans = json.loads((site / "data/plans.json").read_text("utf-8"))
    assert plans[0]["ma"] == PLAN and plans[0]["kinh_phi_du_kien_dong"] == 3600000


def test_search_index_covers_content_pages_not_search_page(site):
    """Every page with a body for Pagefind is in one index: its province's, or the portal-wide pages'."""
    entries = {
        p.parent.parent.relative_to(site).as_posix(): json.loads(p.read_text())
        for p in site.glob("**/pagefind/pagefind-entry.json")
    }
    assert set(entries) == {".", "tinh-mau"}
    assert all(list(entry["languages"]) == ["vi"] for entry in entries.values())
    html_pages = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text("utf-8")]
    parts = [p.relative_to(site).parts for p in html_pages]
    in_province = [f for f in parts if f[0] == "tinh-mau" or f[:2] == ("co-quan", "tinh-mau")]
    assert entries["tinh-mau"]["languages"]["vi"]["page_count"] == len(in_province) > 0
    assert entries["."]["languages"]["vi"]["page_count"] == len(html_pages) - len(in_province) > 0
    assert "data-pagefind-body" not in page(site, "tim-kiem")
    assert "data-pagefind-body" in page(site, PLAN)
    assert 'data-pagefind-filter="Tỉnh:Tỉnh Mẫu"' in page(site, PLAN)
    assert 'data-pagefind-filter="Năm:2023"' in page(site, PLAN)


def test_every_page_has_a_search_box(site):
    for path in ("", "tinh-mau", PLAN, "gioi-thieu"):
        assert re.search(r'<form class="ck-header-search" role="search" action="[./]*tim-kiem/"', page(site, path)), (
            path
        )


def test_two_builds_are_byte_identical(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    first = tree_digest(build(folder, tmp_path / "a"))
    second = tree_digest(build(folder, tmp_path / "b"))
    assert first == second


def _fail(*_args, **_kwargs):
    raise BuildError("giả lập lỗi")


@pytest.mark.parametrize("stage", ["content", "mkdocs", "pagefind"])
def test_failed_build_leaves_site_untouched(tmp_path, monkeypatch, stage):
    folder = copy_fixture("basic", tmp_path)
    out = build(folder, index=False)
    before = tree_digest(out)
    if stage == "content":
        (folder / "content" / (PLAN + ".yml")).write_text("title: [unclosed\n", "utf-8")
        with pytest.raises(ContentErrors):
            build(folder, index=False)
    elif stage == "mkdocs":
        monkeypatch.setattr(mkdocs_site, "build", _fail)
        with pytest.raises(BuildError):
            build(folder)
    else:  # Pagefind's binary fails (it runs while the build goes on): what it said is the error
        import pagefind_bin

        failing = tmp_path / "pagefind"
        failing.write_text("#!/bin/sh\necho 'Error: giả lập lỗi' >&2\nexit 3\n", "utf-8")
        failing.chmod(0o755)
        monkeypatch.setattr(pagefind_bin, "get_executable", lambda: failing)
        with pytest.raises(BuildError, match="Pagefind: Error: giả lập lỗi"):
            build(folder)
    assert tree_digest(out) == before
    _assert_only_the_site_left(out)


def _assert_only_the_site_left(out):
    """Nothing of a failed build is left beside the site: no build folder, nothing being deleted."""
    import os
    import time

    end = time.monotonic() + 30
    while any(out.parent.glob(".site.old-*")) and time.monotonic() < end:  # deleted in the background
        time.sleep(0.05)
    assert not list(out.parent.glob(".site.old-*")) and not list(out.parent.glob(".build-*"))
    entries = [e for e in os.listdir(out.parent / ".site.builds") if e != ".lock"]
    assert entries == [os.readlink(out).rpartition("/")[2]], entries


def test_cli_build_error_is_a_message_not_a_traceback(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    (folder / "content/tinh-mau/unit.yml").write_text("name: Tỉnh Mẫu\nlevel: tinh\nlevel: huyen\n", "utf-8")
    result = subprocess.run(
        generator_command(folder, "build", "--out", str(folder / "site")),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/tinh-mau/unit.yml:3:1: level (cấp): trường bị khai báo hai lần trong cùng một khối" in result.stderr
    assert not (folder / "site").exists()


def test_budget_page_and_unit_page_summaries(site):
    text = text_of(page(site, "ngan-sach"))
    # the declared total, with the lines' sum beside it, per year and kind
    assert "Năm Kinh phí dự kiến Kinh phí đã thực hiện Năm 2023 3.600.000 đồng" in text
    assert "Tổng theo văn bản ghi: 3.600.000 đồng (tổng các dòng: 3.500.000 đồng)" in text
    assert "loại chi" not in text.split("Kinh phí dự kiến năm 2023")[-1]  # the fixture's lines name no category
    unit = text_of(page(site, "tinh-mau/huyen-mau"))
    assert "Năm Kinh phí dự kiến Kinh phí đã thực hiện Năm 2023 3.600.000 đồng" in unit


def test_machine_readable_outputs(site):
    feed = (site / "feed.xml").read_text("utf-8")
    assert feed.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">'
    )
    assert "<id>https://example.org/cong-khai/tinh-mau/huyen-mau/2023-ke-hoach/</id>" in feed
    assert feed.count("<entry>") == 1 and "Chưa ghi nhận lịch sử" in feed  # the fixture is not in Git
    assert (
        site / "robots.txt"
    ).read_text() == "User-agent: *\nAllow: /\nSitemap: https://example.org/cong-khai/sitemap.xml\n"
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {"ke-hoach", "chi-tieu", "kinh-phi", "can-cu", "trach-nhiem", "kiem-tra-so-lieu", "chi-so"}
    discrepancies = json.loads((site / "data/kiem-tra-so-lieu.json").read_text("utf-8"))
    assert discrepancies == [
        {
            "ke_hoach": PLAN,
            "bang": "kinh-phi-2023",
            "bang_tieu_de": "Kinh phí thực hiện năm 2023",
            "vi_tri": "Tổng cộng",
            "cot": "Kinh phí",
            "van_ban_ghi_dong": 3600000,
            "tong_cac_dong_dong": 3500000,
            "chenh_lech_dong": 100000,
        }
    ]
    assert 'href="../data/kiem-tra-so-lieu.csv"' in page(site, "kiem-tra-so-lieu")
    fields = {f["name"]: f["type"] for f in resources["kinh-phi"]["schema"]["fields"]}
    assert fields["so_tien_dong"] == "integer" and fields["noi_dung"] == "string"
    assert package["licenses"][0]["name"] == "CC BY 4.0"
    for r in package["resources"]:
        assert (site / "data" / r["path"]).read_bytes().startswith("\ufeff".encode())
    assert "sitemap.xml" in {p.name for p in site.iterdir()}


def test_text_sitemap_lists_every_page(site):
    """The main sitemap lists the portal's own pages and each province's sitemap, which lists its pages:
    every page of the site on exactly one of them."""
    html = page(site, "so-do-trang")
    for href in ("kiem-tra-so-lieu/", "tim-kiem/", "gioi-thieu/", "ngan-sach/"):
        assert f'href="../{href}"' in html, href
    assert 'href="tinh-mau/"' in html
    province = page(site, "so-do-trang/tinh-mau")
    for href in ("tinh-mau/huyen-mau/2023-ke-hoach/", "tinh-mau/huyen-mau/", "tinh-mau/"):
        assert f'href="../../{href}"' in province, href
    assert "tinh-mau/huyen-mau/2023-ke-hoach/" not in html
    assert ".csv" not in html + province
    listed = (
        re.findall(r'<li><a href="\.\./([^"]*)"', html)
        + re.findall(r'<li><a href="\.\./\.\./([^"]*)"', province)
        + ["so-do-trang/" + href for href in re.findall(r'<li><a href="([a-z-]+/)"', html)]
    )
    pages = {
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if not p.parent.name.startswith("pagefind") and p.parent != site and "assets" not in p.parts
    }
    assert sorted(listed) == sorted(pages - {"so-do-trang/"})
    for listing in (html, province):  # lists of pages: not in the search index (their front matter says so)
        assert "data-pagefind-body" not in listing and "ck-fold" not in listing
    assert "<title>Sơ đồ trang: Tỉnh Mẫu" in province


def test_disclosure_catalogue_and_unrecorded_history(site):
    text = text_of(page(site, "tiep-can-thong-tin"))
    assert "Kế hoạch phát triển chính quyền số năm 2023 12/KH-UBND UBND huyện Đông Mẫu 15/02/2023" in text
    assert "Thường xuyên, không thời hạn" in text and "Bộ phận một cửa" in text and "motcua@example.org" in text
    assert "Công bố trên cổng chưa ghi nhận" in text_of(page(site, PLAN))
    assert "Chưa có lịch sử" in text_of(page(site, PLAN + "/lich-su"))


def test_indicator_pages_compare_plans(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    (folder / "content/indicators.yml").write_text(
        "indicators:\n  - code: ho-so-cong-viec-huyen\n    name: Tỷ lệ hồ sơ công việc cấp huyện trên môi trường mạng\n"
        '    unit: "%"\n    area: Chính quyền số\n',
        "utf-8",
    )
    plan = folder / "content" / (PLAN + ".yml")
    text = plan.read_text("utf-8").replace(
        '    comparator: "="\n', '    indicator_code: ho-so-cong-viec-huyen\n    comparator: "="\n', 1
    )
    plan.write_text(text, "utf-8")
    other = plan.with_name("2024-ke-hoach.yml")
    other.write_text(
        text.replace("number: 12/KH-UBND", "number: 30/KH-UBND")
        .replace("value: 100", "value: 90")
        .replace('comparator: "="', 'comparator: "≥"', 1)
        .replace("start: 2023\n  end: 2023", "start: 2024\n  end: 2024"),
        "utf-8",
    )
    site = build(folder, index=False)
    html = page(site, "chi-so/ho-so-cong-viec-huyen")
    rows = re.findall(r"<tr><td[^>]*>Huyện Đông Mẫu</td>.*?</tr>", html)
    assert len(rows) == 2
    assert "= 100%" in rows[0] and "≥ 90%" in rows[1]  # highest level first
    assert "Chưa có báo cáo" in rows[0]
    assert (
        'id="chi-so-ho-so-cong-viec-huyen-d">Huyện Đông Mẫu, văn bản 2023: 100%; Huyện Đông Mẫu, văn bản 2024: 90%</p>'
        in html
    )
    assert 'href="../../../chi-so/ho-so-cong-viec-huyen/"' in page(site, PLAN)
    read = pagefind.prepare(html)[1]  # what Pagefind reads: the indicator, not the list of plans' targets
    assert "Tỷ lệ hồ sơ công việc cấp huyện" in read and "Huyện Đông Mẫu" not in read
    assert "Tỷ lệ hồ sơ công việc cấp huyện trên môi trường mạng 1" not in text_of(page(site, "chi-so"))
    assert "Tỷ lệ hồ sơ công việc cấp huyện trên môi trường mạng Chính quyền số % 2" in text_of(page(site, "chi-so"))


def test_a_build_leaves_the_calling_process_as_it_found_it(tmp_path):
    """A build in a process that goes on (tests, make serve) leaves it as it was: garbage it makes
    afterwards, cycles included, is freed as usual, and it can build again."""
    import weakref

    folder = copy_fixture("basic", tmp_path)
    build(folder, tmp_path / "a", index=False)

    class Node:
        pass

    cycle = Node()
    cycle.self = cycle
    gone = weakref.ref(cycle)
    del cycle
    junk = [[] for _ in range(200_000)]  # allocations enough for the process's own collections to run
    del junk
    assert gone() is None, "a reference cycle made after the build was never freed"
    build(folder, tmp_path / "b", index=False)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_the_command_builds_the_site_and_exits(tmp_path):
    """`python -m generator build` ends by itself, successfully and quietly, with the site an in-process build makes."""
    folder = copy_fixture("basic", tmp_path)
    build(folder, tmp_path / "in-process", index=False)
    result = subprocess.run(
        generator_command(folder, "build", "--no-index", "--out", str(tmp_path / "command")),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "Đã xây dựng 1 kế hoạch" in result.stdout
    assert tree_digest(tmp_path / "command") == tree_digest(tmp_path / "in-process")


def test_lists_of_other_pages_are_not_indexed_the_pages_they_list_are(site):
    """A search finds a plan by its own page: the lists naming it on other pages (a cited document's plans; an
    indicator's targets: test_indicator_pages_compare_plans) are left out of what Pagefind reads."""
    title = "Kế hoạch phát triển chính quyền số năm 2023"
    read = {name: pagefind.prepare(page(site, name))[1] for name in ("van-ban/42-2022-nd-cp", PLAN)}
    assert title in read[PLAN]
    assert title in text_of(page(site, "van-ban/42-2022-nd-cp")) and title not in read["van-ban/42-2022-nd-cp"]
    assert "Quy định về việc cung cấp thông tin" in read["van-ban/42-2022-nd-cp"]  # the document's own fields

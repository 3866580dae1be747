"""index: the d-spellings Pagefind needs, where it reads them and nowhere else; what it reads; the shards."""

from __future__ import annotations

import json

from generator.search.pagefind import prepare, reading


def fold_d(html: str) -> str:
    """What Pagefind reads of the page; the published page is left as it is."""
    assert prepare(html)[0] == html
    return reading(html)


SPAN = ' <span class="ck-fold" hidden>{}</span>'


def test_spellings_follow_the_block_that_has_them_once_per_section():
    html = (
        "<html><body><div data-pagefind-body><h2>Huyện Đức Cơ</h2><p>Đức Cơ và đường</p>"
        "<table><tr><td>Đơn vị</td><td>x</td></tr></table><h3>Khác</h3><p>Đức</p></div></body></html>"
    )
    out = fold_d(html)
    assert "<h2>Huyện Đức Cơ</h2>" + SPAN.format("Dức") + " " in out  # after the heading, its title as written
    assert "<p>Đức Cơ và đường" + SPAN.format("dường") + "</p> " in out  # «Đức» given under the heading already
    assert "<td>Đơn vị" + SPAN.format("Dơn") + "</td> <td>x</td> " in out  # cells kept apart
    assert "<p>Đức" + SPAN.format("Dức") + "</p> " in out  # a new section gives it again


def test_parts_of_digits_and_letters_joined_by_a_slash_are_spelled_apart():
    # Pagefind indexed «4G/5G» as «4g5g» alone: «4G 5G» did not find the indicator named so.
    html = (
        "<html><body><div data-pagefind-body><h1>Phủ sóng 4G/5G</h1><p>Số 12/KH-UBND, 1891/QĐ-TTg; 3/2023; "
        "ISO/IEC 27001</p></div></body></html>"
    )
    out = fold_d(html)
    assert "<h1>Phủ sóng 4G/5G</h1>" + SPAN.format("4G 5G") + " " in out
    # numbers, dates and words of letters alone are indexed by their parts already: only «QĐ» is spelled
    assert "ISO/IEC 27001" + SPAN.format("QD") + "</p>" in out


def test_blocks_are_kept_apart_for_pagefind():
    # Pagefind ran a term and its description into one word («ban hànhUBND»), as it did table cells.
    html = (
        "<html><body><div data-pagefind-body><dl><dt>Cơ quan ban hành</dt><dd>UBND huyện</dd></dl>"
        "<ul><li>Một</li><li>Hai</li></ul><h2>Tiêu đề</h2><p>Ba</p></div></body></html>"
    )
    out = fold_d(html)
    assert "<dt>Cơ quan ban hành</dt> <dd>UBND huyện</dd> </dl>" in out
    assert "<li>Một</li> <li>Hai</li> </ul>" in out and "</h2>" + SPAN.format("dề") + " <p>Ba</p> " in out


def test_nothing_is_added_where_pagefind_does_not_read():
    ignored = (
        '<div class="x" data-pagefind-ignore><div><p>Đồng</p></div><table><tr><td>Đất</td></tr></table><p>đi</p></div>'
    )
    html = (
        f"<html><body><nav><p>Điều hướng</p></nav><main data-pagefind-body><p>Trước</p>{ignored}"
        "<p>Đà Nẵng</p></main><footer><p>Địa chỉ</p></footer><script>var d = '</p>đ';</script></body></html>"
    )
    out = fold_d(html)
    assert "Đồng" not in out and "Đất" not in out  # the ignored element left out, nested divs and all
    assert "<p>Đà Nẵng" + SPAN.format("Dà") + "</p> </main>" in out  # the body after it still folded
    assert out.count("ck-fold") == 1  # nothing before the body, in the ignored part or after the body
    assert prepare("<html><body><p>Đức</p></body></html>") == ("<html><body><p>Đức</p></body></html>", None)


def test_pagefind_reads_the_body_without_what_it_leaves_out():
    html = (
        '<!doctype html><html lang="vi" class="x"><head><title>T</title></head><body><nav>Menu</nav>'
        '<div class="c" data-pagefind-body><h1>Đề án</h1><div data-pagefind-ignore><p>Bảng</p></div>'
        '<p data-pagefind-ignore><span data-pagefind-filter="Tỉnh:Hà Tĩnh"></span></p><p>Nội dung</p></div>'
        "<footer>Chân trang</footer></body></html>"
    )
    page, read = prepare(html)
    assert read == (
        '<html lang="vi" class="x"><body><div class="c" data-pagefind-body><h1>Đề án</h1>'
        + SPAN.format("Dề")
        + ' <p data-pagefind-ignore><span data-pagefind-filter="Tỉnh:Hà Tĩnh"></span></p>'
        "<p>Nội dung</p> </div></body></html>"
    )  # an ignored part with a filter in it is kept
    assert page.startswith(
        '<!doctype html><html lang="vi" class="x"><head><title>T</title></head><body><nav>Menu</nav>'
    )
    assert "<div data-pagefind-ignore><p>Bảng</p></div>" in page and page.endswith(
        "<footer>Chân trang</footer></body></html>"
    )


def test_the_index_of_what_pagefind_reads_is_the_index_of_the_whole_pages(tmp_path):
    """The build has Pagefind read its copies (prepare); run on the site's whole pages, it makes the same files."""
    import shutil

    from generator.search import pagefind
    from tests.helpers import build, copy_fixture, tree_digest

    site = build(copy_fixture("basic", tmp_path), tmp_path / "site")
    whole = tmp_path / "whole"  # the built site's pages as they are, without its index
    shutil.copytree(site, whole, ignore=shutil.ignore_patterns("pagefind"))
    provinces = {"tinh-mau"}
    pagefind.index_site(whole, {p.relative_to(whole).as_posix(): "" for p in whole.rglob("*.html")}, provinces)
    assert pagefind.shards(whole, provinces) == pagefind.shards(site, provinces) == ["", "tinh-mau"]
    for folder in ("pagefind", "tinh-mau/pagefind"):
        assert tree_digest(whole / folder) == tree_digest(site / folder)


def test_the_index_keeps_a_term_apart_from_its_description_and_leaves_charts_out(tmp_path):
    """Words of adjacent blocks stay apart in what the search finds and shows («Cơ quan ban hành UBND …», not
    «hànhUBND»); a chart, whose figures the table beside it has, is left out: its labels, read as one run of
    text, gave d-spellings that were not words («dồngHạ»: «đồng» of one bar's value and «Hạ» of the next label)."""
    import gzip
    import re

    from generator.search.pagefind import SIGNATURE
    from tests.helpers import build, copy_fixture

    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"  # lines with categories: a chart by category
    plan.write_text(
        plan.read_text("utf-8")
        .replace("name: Trang bị tường lửa", "name: Trang bị tường lửa\n            category: Hạ tầng")
        .replace("name: Đường truyền", "name: Đường truyền\n            category: Ứng dụng"),
        "utf-8",
    )
    site = build(folder, tmp_path / "site")
    contents = {}
    for fragment in site.glob("**/pagefind/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(SIGNATURE) :])
        contents[data["url"]] = data["content"]
    assert "Cơ quan ban hành UBND" in contents["/tinh-mau/huyen-mau/2023-ke-hoach/"]
    plan = contents["/tinh-mau/huyen-mau/2023-ke-hoach/"]  # with its budget chart by category
    assert 'class="ck-chart"' in (site / "tinh-mau/huyen-mau/2023-ke-hoach/index.html").read_text("utf-8")
    assert "Hạ tầng 1.500.000 đồng" in plan  # the table beside the chart
    assert not re.search(r"\bdồng\w", plan)


def test_an_element_left_out_is_not_read_for_one_left_out_inside_it():
    # Only a filter or metadata inside an element Pagefind leaves out makes it read (for them).
    inner = "<div data-pagefind-ignore><p>Bảng</p><svg data-pagefind-ignore><text>Huyện</text></svg></div>"
    kept = '<div data-pagefind-ignore><span data-pagefind-filter="Loại:Kế hoạch"></span></div>'
    read = prepare(f"<html><body><main data-pagefind-body><p>Trước</p>{inner}{kept}</main></body></html>")[1]
    assert "Huyện" not in read and "Bảng" not in read and 'data-pagefind-filter="Loại:Kế hoạch"' in read


def test_an_index_file_of_a_format_not_known_stops_the_build_and_says_which(tmp_path):
    """What reads Pagefind's files (to sort its filters: pagefind._canonicalise) refuses one it does not know (a
    Pagefind other than the pinned one) with a message naming it, rather than write a broken index."""
    import gzip

    import pytest

    from generator.errors import BuildError
    from generator.search import pagefind

    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"vi": {"hash": "vi_0123456", "page_count": 1}}}')
    (tmp_path / "pagefind.vi_0123456.pf_meta").write_bytes(gzip.compress(b"pagefind_xyz\x80"))
    with pytest.raises(BuildError, match=r"pagefind\.vi_0123456\.pf_meta"):
        pagefind._canonicalise(tmp_path)

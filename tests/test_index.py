"""index.fold_d: the d-spellings Pagefind needs, where it reads them and nowhere else."""
from __future__ import annotations

from generator.index import fold_d

SPAN = ' <span class="ck-fold" hidden>{}</span>'


def test_spellings_follow_the_block_that_has_them_once_per_section():
    html = ("<html><body><div data-pagefind-body><h2>Huyện Đức Cơ</h2><p>Đức Cơ và đường</p>"
            "<table><tr><td>Đơn vị</td><td>x</td></tr></table><h3>Khác</h3><p>Đức</p></div></body></html>")
    out = fold_d(html)
    assert "<h2>Huyện Đức Cơ</h2>" + SPAN.format("Dức") in out  # after the heading, its title as written
    assert "<p>Đức Cơ và đường" + SPAN.format("dường") + "</p>" in out  # «Đức» given under the heading already
    assert "<td>Đơn vị" + SPAN.format("Dơn") + "</td> <td>x</td> " in out  # cells kept apart
    assert "<p>Đức" + SPAN.format("Dức") + "</p>" in out  # a new section gives it again


def test_nothing_is_added_where_pagefind_does_not_read():
    ignored = ('<div class="x" data-pagefind-ignore><div><p>Đồng</p></div><table><tr><td>Đất</td></tr></table>'
               "<p>đi</p></div>")
    html = (f"<html><body><nav><p>Điều hướng</p></nav><main data-pagefind-body><p>Trước</p>{ignored}"
            "<p>Đà Nẵng</p></main><footer><p>Địa chỉ</p></footer><script>var d = '</p>đ';</script></body></html>")
    out = fold_d(html)
    assert ignored in out  # the ignored element as it was, nested divs and all
    assert "<p>Đà Nẵng" + SPAN.format("Dà") + "</p></main>" in out  # the body after it still folded
    assert out.count("ck-fold") == 1  # nothing before the body, in the ignored part or after the body
    assert fold_d("<html><body><p>Đức</p></body></html>") == "<html><body><p>Đức</p></body></html>"


def test_a_large_folder_is_shared_out_by_subfolder_between_the_halves(tmp_path, monkeypatch):
    """Halves of equal bytes by top folder put the agency pages (most bytes, little text) in one half
    and most text in the other; a folder of more than a quarter of the site is split by subfolder."""
    from generator import index

    site = tmp_path / "site"
    pages = {}
    def page(path: str, words: int) -> None:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f"<html lang=vi><body><main data-pagefind-body><h1>{path}</h1>"
                                 f"<p>{'chuyển đổi số ' * words}</p></main></body></html>", "utf-8")
        pages[path] = path
    page("index.html", 10)
    for province in ("ha-tinh", "gia-lai"):
        page(f"{province}/index.html", 300)
        for agency in range(6):
            page(f"co-quan/{province}/phong-{agency}/index.html", 100)
    page("co-quan/index.html", 10)
    monkeypatch.setattr(index, "SPLIT_PAGES", 0)
    assert index._index_main(site, pages) == ["pagefind", "pagefind-1"]
    halves = [set(index._page_ids(site, [bundle])) for bundle in ("pagefind", "pagefind-1")]
    assert not halves[0] & halves[1] and halves[0] | halves[1] == set(pages)  # every page once
    for half in halves:  # each half has agency pages and text of a province
        assert any(p.startswith("co-quan/") for p in half) and any(p.split("/")[0] in ("ha-tinh", "gia-lai") for p in half)

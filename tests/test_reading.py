"""Reading a plan page in Chromium: what a citizen reaches by a link stands out."""

from __future__ import annotations

import pytest

from tests.browser import serve
from tests.helpers import build, copy_fixture

PLAN = "tinh-mau/huyen-mau/2023-ke-hoach/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(copy_fixture("basic", tmp_path_factory.mktemp("reading")), index=False)


@pytest.mark.parametrize("anchor", ["can-cu-1", "chi-tieu-1", "kp-kinh-phi-2023-1-2"])
def test_a_deep_link_marks_its_row(site, chromium, anchor):
    """The row a link names is on screen, marked, and its text laid out (tables out of sight are laid out only
    when a reader comes near them: the link must bring its table's rows with it)."""
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    with serve(site) as base:
        page.goto(f"{base}/{PLAN}")
        far = page.eval_on_selector(f"#{anchor}", "r => r.getBoundingClientRect().top") > 844
        page.goto(f"{base}/{PLAN}#{anchor}")
        page.wait_for_function(f"document.getElementById('{anchor}').innerText.trim() !== ''", timeout=5000)
        seen = page.eval_on_selector(
            f"#{anchor}",
            """r => { const b = r.getBoundingClientRect();
                      return {top: b.top, bottom: b.bottom, text: r.innerText.trim()}; }""",
        )
        marked = page.eval_on_selector(f"#{anchor} > *", "c => getComputedStyle(c).backgroundColor")
        page.goto(f"{base}/{PLAN}")
        plain = page.eval_on_selector(f"#{anchor} > *", "c => getComputedStyle(c).backgroundColor")
    page.close()
    assert marked != plain and marked == "rgb(255, 245, 157)"
    assert 0 <= seen["top"] and seen["top"] < 844 and seen["text"], seen
    if anchor.startswith("kp-"):
        assert far  # the budget row is well below the first screen: the link has somewhere to take the reader


def test_printing_lays_out_every_table(site, chromium):
    """A printed plan holds every table's text, wherever the reader had scrolled."""
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    with serve(site) as base:
        page.goto(f"{base}/{PLAN}")
        on_screen = page.eval_on_selector_all(".ck-table-wrap", "ws => ws.map(w => w.innerText.trim().length > 0)")
        page.emulate_media(media="print")
        printed = page.eval_on_selector_all(".ck-table-wrap", "ws => ws.map(w => w.innerText.trim().length > 0)")
    page.close()
    assert len(printed) >= 3 and all(printed), printed
    assert not all(on_screen), "every table was laid out at once on a phone's first screen"

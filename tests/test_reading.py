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
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    with serve(site) as base:
        page.goto(f"{base}/{PLAN}#{anchor}")
        marked = page.eval_on_selector(f"#{anchor} > *", "c => getComputedStyle(c).backgroundColor")
        page.goto(f"{base}/{PLAN}")
        plain = page.eval_on_selector(f"#{anchor} > *", "c => getComputedStyle(c).backgroundColor")
    page.close()
    assert marked != plain and marked == "rgb(255, 245, 157)"

"""Citizens' questions answered on a 390×844 phone in Chromium, each in at most 3 taps and 3 screens of scrolling
(issue 21), on the seed content. The Đức Cơ budget question is in tests/test_plan_page.py."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import SEARCH_READY, serve
from tests.helpers import ROOT, build

WIDTH, HEIGHT = 390, 844
CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so/"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    site = build(ROOT, tmp_path_factory.mktemp("tasks") / "site")  # with the search index
    with serve(site) as url:
        yield url


class Phone:
    """A phone's tab that counts the reader's taps and the pixels scrolled."""

    def __init__(self, chromium, base: str):
        self.context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        self.page = self.context.new_page()
        self.base, self.taps, self.scrolled = base, 0, 0

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}/{path}")

    def scroll_to(self, locator) -> None:
        """Scrolls a screen at most at a time until the element is wholly in view."""
        for _ in range(30):
            box = locator.bounding_box()
            if box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT:
                return
            step = max(min(box["y"] + box["height"] - HEIGHT + 8, HEIGHT), -HEIGHT) if box["y"] >= 0 else -HEIGHT
            self.page.evaluate(f"window.scrollBy(0, {step})")
            self.scrolled += abs(step)
        raise AssertionError("never came into view")

    def tap(self, locator) -> None:
        self.scroll_to(locator)
        locator.click()
        self.taps += 1

    def within_budget(self) -> bool:
        return self.taps <= 3 and self.scrolled <= 3 * HEIGHT


@pytest.fixture
def phone(chromium, base):
    made = Phone(chromium, base)
    yield made
    made.context.close()


def test_cam_xuyen_5g_coverage_target_and_its_deadline(phone):
    """«Cẩm Xuyên: what 5G coverage did it target, and by when?» From the plan page: the contents' «Chỉ tiêu»,
    then the target's card, whose statement, level and deadline are all on the screen."""
    phone.open(CAM_XUYEN)
    contents = phone.page.locator('nav[aria-label="Mục lục"] a', has_text="Chỉ tiêu").first
    phone.tap(contents)
    card = phone.page.locator('tr[id^="chi-tieu-"]', has_text="5G").first
    phone.scroll_to(card)
    text = card.inner_text()
    assert "mạng di động 5G đạt tối thiểu 50%" in text
    deadline = card.locator("td").nth(5)
    assert deadline.inner_text().strip() == "2025"
    box = deadline.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH and 0 <= box["y"] < HEIGHT, box
    assert phone.within_budget(), (phone.taps, phone.scrolled)


def test_which_plans_cite_decision_749(phone):
    """«Which plans cite Quyết định 749/QĐ-TTg?» The search finds the document's page first; it lists the plans
    that cite it, as links to their pages."""
    phone.open(f"tim-kiem/?q={quote('749/QĐ-TTg')}")
    phone.page.wait_for_function(SEARCH_READY, timeout=15000)
    first = phone.page.locator(".ck-result > a").first
    assert "/van-ban/749-qd-ttg-2020/" in first.get_attribute("href")
    phone.tap(first)
    phone.page.wait_for_url("**/van-ban/749-qd-ttg-2020/**")
    cited = phone.page.locator("#ke-hoach-trich-dan ~ div .ck-plan-list a").first
    phone.scroll_to(cited)
    assert "Đức Thọ" in cited.inner_text() and "Kế hoạch 2023" in cited.inner_text()
    phone.tap(cited)
    phone.page.wait_for_url("**/ha-tinh/duc-tho/2023-chinh-quyen-so/**")
    assert phone.within_budget(), (phone.taps, phone.scrolled)

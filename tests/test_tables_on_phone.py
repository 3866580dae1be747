"""Tables on a phone or a tablet held upright: a table of many columns is a stack of cards, each cell under its
column's name, on every page of the seed site (an indicator's targets, an agency's, the corrections, the lists of
documents, a plan's…). Squeezed into 390 pixels as tables, their rows were up to 7,000 pixels tall and scrolled
sideways (an indicator's, 990 pixels at 768); an agency's targets took the labels of a plan's columns, so its
deadline read «Phạm vi»."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from tests.browser import lay_out_all, serve
from tests.helpers import ROOT, build

CARDS = ("ck-cards", "ck-budget-cards")
# A page of each kind with a table as cards.
PAGES = [
    "gia-lai/duc-co/2023-chinh-quyen-so/",  # a plan: legal bases, targets, budget
    "gia-lai/duc-co/2023-chinh-quyen-so/lich-su/",
    "ha-tinh/",  # a unit: its budget by year
    "chi-so/",
    "chi-so/ho-so-truc-tuyen/",
    "co-quan/gia-lai/duc-co/van-phong-hdnd-va-ubnd-huyen/",  # an agency's targets and budget lines
    "dinh-chinh/",
    "tiep-can-thong-tin/",
    "kiem-tra-so-lieu/",
    "van-ban/",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(ROOT, tmp_path_factory.mktemp("tables") / "site", index=False)


def _tables(page: Path) -> list[dict]:
    """The tables in `.ck-table-wrap` boxes of a page: the box's classes, the header's names (abbr, else text) and
    each body row's cells as (data-label or None, colspan)."""
    doc = lxml.html.fromstring(page.read_text("utf-8"))
    return [
        {
            "box": box.get("class").split(),
            "names": [th.get("abbr") or " ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")],
            "rows": [
                [(cell.get("data-label"), int(cell.get("colspan") or 1)) for cell in tr.xpath("./td | ./th")]
                for tr in table.xpath("./tbody/tr")
            ],
        }
        for box in doc.xpath("//div[contains(concat(' ', @class, ' '), ' ck-table-wrap ')]")
        for table in box.xpath(".//table")
    ]


def test_every_wide_table_is_cards_and_names_its_cells_as_its_header(site):
    """On every page: a table of four columns or more is cards on a phone; a cell's data-label is its column's name
    (a plan's targets and legal bases are named by the stylesheet instead: checked in Chromium below)."""
    seen = set()
    for page in sorted(site.rglob("index.html")):
        for table in _tables(page):
            names = table["names"]
            where = f"{page.relative_to(site)}: {names}"
            if len(names) < 4:
                continue
            assert set(CARDS) & set(table["box"]), f"{where}: a table of {len(names)} columns is not cards on a phone"
            seen.update(c for c in CARDS if c in table["box"])
            for row in table["rows"]:
                if len(row) == 1 and row[0][1] == len(names):
                    continue  # a group's heading (a plan's, on an agency's page)
                assert sum(span for _, span in row) == len(names), where
                column = 0
                for label, span in row:
                    assert label in (None, names[column]), (where, column, label)
                    column += span
    assert seen == set(CARDS)  # both kinds are on the seed site's pages


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


# What a reader sees of each card table: whether it scrolls sideways, its cards and cells narrower than the page
# (the budget lines' numbers and names sit side by side), and each row's cells as they are named on screen (their
# ::before against their column's header; None: the cell that says what the row is).
_CARDS = """boxes => boxes.map(box => {
  const content = document.querySelector('.md-content__inner').clientWidth;
  const names = [...box.querySelectorAll('thead th')].map(th => th.abbr || th.textContent.trim());
  const cells = [...box.querySelectorAll('tbody td')].filter(c => c.textContent.trim());
  const rows = [...box.querySelectorAll('tbody tr')].filter(r => r.cells.length > 1).map(r => {
    let column = 0;
    return [...r.cells].map(c => {
      const shown = getComputedStyle(c, '::before').content, name = names[column];
      column += c.colSpan;
      return shown === 'none' ? null : [shown, `"${name}: "`];
    });
  });
  const besides = '.ck-budget-cards tbody > tr > :is(:first-child, :nth-child(2))';
  return {box: box.className, sideways: box.scrollWidth - box.clientWidth,
          narrow: [...box.querySelectorAll('tbody tr'), ...cells]
            .filter(c => c.getBoundingClientRect().width < 0.95 * content && !c.matches(besides))
            .map(c => c.textContent.slice(0, 40)),
          off: cells.filter(c => c.getBoundingClientRect().right > innerWidth).length,
          rows};
})"""


def _cards(context, url: str, selector: str) -> list[dict]:
    page = context.new_page()
    page.goto(url)
    lay_out_all(page)
    return page.eval_on_selector_all(f".md-content :is({selector})", _CARDS)


@pytest.mark.parametrize("path", PAGES)
def test_cards_fit_a_phone_and_a_tablet(chromium, base, path):
    # a phone: every kind of cards; a tablet held upright: the tables of many columns (a budget table is a table
    # there, scrolling inside its box with its lines' names in view: tests/test_plan_page.py)
    for (width, height), selector in (((390, 844), ".ck-cards, .ck-budget-cards"), ((768, 1024), ".ck-cards")):
        context = chromium.new_context(viewport={"width": width, "height": height})
        try:
            found = _cards(context, f"{base}/{path}", selector)
        finally:
            context.close()
        assert found, (path, width)
        for table in found:
            where = (path, width, table["box"])
            assert table["sideways"] <= 1 and not table["off"], (*where, table["sideways"])
            assert not table["narrow"], (*where, table["narrow"])  # no card or cell squeezed into a column
            assert table["rows"], where
            for row in table["rows"]:
                named = [cell for cell in row if cell is not None]
                assert all(shown == name for shown, name in named), (*where, row)
                if "ck-cards" in table["box"].split():
                    assert len(row) - len(named) <= 1, (*where, row)  # one cell says what the row is


@pytest.mark.parametrize("path", [PAGES[0], "co-quan/gia-lai/duc-co/van-phong-hdnd-va-ubnd-huyen/"])
def test_on_a_desktop_cards_are_tables(chromium, base, path):
    """(a plan's page and an agency's have both kinds of cards)"""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/{path}")
        lay_out_all(page)
        rows = page.eval_on_selector_all(
            ".md-content :is(.ck-cards, .ck-budget-cards)",
            """boxes => boxes.map(box => [box.className, getComputedStyle(box.querySelector('tbody tr')).display,
                                          box.querySelector('thead').getBoundingClientRect().height > 0])""",
        )
    finally:
        context.close()
    assert {"ck-cards", "ck-budget-cards"} <= {c for box, _, _ in rows for c in box.split()}, rows
    assert all(r[1:] == ["table-row", True] for r in rows), (path, rows)

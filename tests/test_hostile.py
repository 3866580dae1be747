"""Nothing an editor or a host writes runs in a reader's browser.

A site is built whose every text field — of every content file the schema declares, of site_config.yml, of the
Markdown body and the source text — holds a payload: each district uses four of the payloads in tests/hostile.py
for all its fields, so every payload lands in every field; the fields a site has once (site_config.yml, the
province, the indicator catalogue) hold them all. The pages are then read for live markup and opened
in Chromium, which must never run one.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from generator.build.pipeline import check
from generator.errors import ContentErrors
from tests import hostile
from tests.browser import lay_out_all_on_load, serve
from tests.helpers import build

PER_FIELD = 4  # payloads one after the other in each field of a district (2 made twice the districts and pages)
DISTRICTS = -(-len(hostile.PAYLOADS) // PER_FIELD)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, hostile.Fields]:
    root = tmp_path_factory.mktemp("hostile")
    fields = hostile.Fields(lambda n, tag: hostile.every_payload(tag))
    # District d: payload d in every field, each field's own tag (after the shared fields' tags).
    districts: dict[int, hostile.Fields] = {}

    def district_fields(d: int) -> hostile.Fields:
        districts[d] = hostile.Fields(
            lambda n, tag, d=d: " ".join(hostile.payload(PER_FIELD * d + k, tag) for k in range(PER_FIELD)),
            start=100_000 * (d + 1),
        )
        return districts[d]

    hostile.write_tree(root, fields, districts=DISTRICTS, payload_for_district=district_fields)
    for f in districts.values():
        fields.where.update(f.where)
        fields.filled |= f.filled
    return build(root, root / "site"), fields


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_at_least_a_hundred_payloads():
    assert len(set(hostile.PAYLOADS)) >= 100


def _free_text_fields(model) -> set[tuple[str, str]]:
    """(model, field) of every field the JSON Schema declares as free text: a string, or a list or map of strings,
    with no pattern or enumeration; read from the exported schema, not from the walk that fills the fields."""
    found = set()
    exported = model.model_json_schema()
    for name, definition in [(model.__name__, exported), *exported.get("$defs", {}).items()]:
        for field, prop in definition.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            for option in options:
                inner = option.get("items") or option.get("additionalProperties") or option
                if (
                    isinstance(inner, dict)
                    and inner.get("type") == "string"
                    and "pattern" not in inner
                    and "enum" not in inner
                    and "format" not in inner
                ):
                    found.add((name, field))
    return found


def test_every_text_field_of_the_schema_holds_a_payload(hostile_site):
    """A text field added to the schema later gets a payload without anyone listing it."""
    _, fields = hostile_site
    from generator.content import schema
    from generator.content.schema import SiteConfig

    declared = set().union(*(_free_text_fields(m) for m in [*schema.DOCUMENTS.values(), SiteConfig]))
    assert len(declared) > 60
    assert declared - fields.filled - hostile.REFERENCES == set()


def test_no_page_carries_live_markup(hostile_site):
    site, fields = hostile_site
    pages = _pages(site)
    assert len(pages) > 3 * DISTRICTS
    found = {}
    for page in pages:
        if live := hostile.live_markup(page.read_text("utf-8")):
            found[page.relative_to(site).as_posix()] = live[:3]
    assert not found, found


def test_no_page_of_a_list_split_by_province_carries_live_markup(hostile_site, tmp_path, monkeypatch):
    """The pages a list gets past LIST_LIMIT rows (a summary by province, a page per province, a page per year of
    the budget) carry no live markup either: the hostile site built again with every list split."""
    from generator.outputs import legal_pages, site_pages

    site, _ = hostile_site
    monkeypatch.setattr(site_pages, "LIST_LIMIT", 0)
    monkeypatch.setattr(legal_pages, "LIST_LIMIT", 0)
    split = build(site.parent, tmp_path / "split", index=False)
    pages = [page.relative_to(split).as_posix() for page in _pages(split)]
    for kind in ("tiep-can-thong-tin/*/", "kiem-tra-so-lieu/*/", "ngan-sach/*/", "chi-so/*/*/", "van-ban/*/*/"):
        assert any(fnmatch.fnmatch(page, kind + "index.html") for page in pages), kind
    found = {}
    for page in pages:
        if live := hostile.live_markup((split / page).read_text("utf-8")):
            found[page] = live[:3]
    assert not found, found


def test_payloads_are_shown_as_written(hostile_site):
    site, _ = hostile_site
    plan = site / hostile.PROVINCE / f"{hostile.DISTRICT}-1" / hostile.PLAN / "index.html"
    text = plan.read_text("utf-8")
    assert "&lt;img src=x onerror=ckx(" in text  # payload 1, escaped
    last = (len(hostile.PAYLOADS) - 1) // PER_FIELD
    district = (site / hostile.PROVINCE / f"{hostile.DISTRICT}-{last}" / "index.html").read_text()
    assert "Phòng NN&amp;PTNT «F" in district  # an ampersand is written once escaped, never twice
    assert "&amp;amp;" not in district


def test_no_payload_runs_in_chromium(hostile_site, chromium):
    site, fields = hostile_site
    pages = [p for p in _pages(site) if hostile.MARKER in p.read_text("utf-8")]
    assert len(pages) > 3 * DISTRICTS
    ran: list[str] = []
    context = chromium.new_context()
    context.add_init_script("window.ckx = function (tag) { (window.__ckx = window.__ckx || []).push(String(tag)); };")
    # Every part laid out, as when a reader scrolls to it: a payload that needs rendering (<marquee onstart>) would
    # not fire in a table out of sight.
    lay_out_all_on_load(context)
    page = context.new_page()
    page.on("dialog", lambda d: (ran.append(f"dialog {d.message!r} on {page.url}"), d.dismiss()))
    with serve(site) as base:
        for path in pages:
            url = f"{base}/{path.relative_to(site).as_posix()}"
            page.goto(url, wait_until="load")
            page.keyboard.press("Tab")  # focus-driven payloads
            page.mouse.move(200, 300)
            hits = page.evaluate("window.__ckx || []")
            frames = [f.evaluate("window.__ckx || []") for f in page.frames[1:]]
            for tag in hits + [t for f in frames for t in f]:
                ran.append(f"{fields.where.get(tag, tag)} on {path.relative_to(site)}")
        # Search results and excerpts render payload text from the index.
        page.goto(f"{base}/tim-kiem/?q=ckx+onerror", wait_until="load")
        page.wait_for_selector(".ck-result", timeout=15_000)
        assert page.locator(".ck-result").count() > 0
        ran += [f"search: {fields.where.get(t, t)}" for t in page.evaluate("window.__ckx || []")]
    context.close()
    assert not ran, ran[:20]


def test_feeds_and_data_files_stay_valid(hostile_site):
    site, _ = hostile_site
    feeds = sorted(site.rglob("feed.xml"))  # the portal's, each unit's and agency's, the corrections'
    assert len(feeds) > DISTRICTS
    for path in [*feeds, site / "sitemap.xml"]:
        ET.parse(path)  # well-formed whatever the titles hold
    for path in site.rglob("*.json"):
        if "pagefind" not in path.parts:
            json.loads(path.read_text("utf-8"))
    cells = 0
    for path in site.rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"))):
            for cell in row:
                cells += 1
                text = cell.lstrip(" ")
                number = re.fullmatch(r"-?\d+(\.\d+)?", cell)  # numbers stay numbers («-100», a difference)
                if len(text) > 1 and text[0] in "=+-@\t\r＝＋－＠" and not number:
                    pytest.fail(f"{path.relative_to(site)}: a cell a spreadsheet would run: {cell[:60]!r}")
    assert cells > 1000


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(basic_content):
    plan = basic_content / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    text = plan.read_text("utf-8").replace("name: Trang bị tường lửa", "name: \"=cmd|' /C calc'!A0\"")
    plan.write_text(text, "utf-8")
    site = build(basic_content, index=False)
    rows = list(csv.DictReader(io.StringIO((site / "data/kinh-phi.csv").read_text("utf-8-sig"))))
    names = [r for r in rows if "calc" in json.dumps(r, ensure_ascii=False)]
    assert names and all("'=cmd|' /C calc'!A0" in r.values() for r in names)
    assert any(v == "1500000" for r in rows for v in r.values())  # an amount is a plain number
    # JSON keeps the text as written: it is data, not a spreadsheet.
    assert "=cmd|' /C calc'!A0" in (site / "data/kinh-phi.json").read_text("utf-8")


@pytest.mark.parametrize(
    "document, where",
    [
        ("unit", ("parent",)),
        ("plan", ("reviews",)),
        ("plan", ("targets", 0, "indicator_code")),
        ("plan", ("legal_bases", 0, "number")),
        ("plan", ("source_document", "file")),
        ("plan", ("targets", 0, "baseline", "source_plan")),
    ],
)
def test_reference_fields_refuse_a_payload(basic_content, document, where):
    """Fields that name something else hold no free text: a payload there is refused, naming the field."""
    content = basic_content / "content"
    path = content / ("tinh-mau/huyen-mau/unit.yml" if document == "unit" else "tinh-mau/huyen-mau/2023-ke-hoach.yml")
    data = yaml.safe_load(path.read_text("utf-8"))
    node = data
    for i, key in enumerate(where[:-1]):
        if isinstance(key, int):
            while len(node) <= key:
                node.append({})
            node = node[key]
        else:
            node = node.setdefault(key, [] if isinstance(where[i + 1], int) else {})
    if where[-2:] == (0, "source_plan") or where[-1] == "source_plan":
        node.update({"statement": "x"})
    node[where[-1]] = "<img src=x onerror=ckx('R')>"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ContentErrors) as err:
        check(content)
    assert any(where[-1] in e.field for e in err.value.errors), err.value.report()


def test_config_email_must_be_an_address(basic_content):
    config = basic_content / "site_config.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("email: ", "email: 'x\" onmouseover=\"ckx(1)' #", 1), "utf-8")
    from generator.content.config import load_config

    with pytest.raises(ContentErrors) as err:
        load_config(config)
    assert "email" in err.value.report()


def test_characters_beyond_the_basic_plane_keep_every_page_title(tmp_path):
    """An emoji in a plan's title or a unit's name: written into the front matter as two \\u escapes (tojson),
    YAML read two lone surrogates and MkDocs dropped the whole front matter, title included."""
    from tests.helpers import build, copy_fixture

    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content" / "tinh-mau" / "huyen-mau" / "2023-ke-hoach.yml"
    text = plan.read_text("utf-8")
    plan.write_text(re.sub(r"(?m)^title: .*$", 'title: "Kế hoạch 😀 chuyển đổi số 𝐀"', text, count=1), "utf-8")
    unit = folder / "content" / "tinh-mau" / "huyen-mau" / "unit.yml"
    unit.write_text(re.sub(r"(?m)^name: (.*)$", r"name: \1 🏛", unit.read_text("utf-8"), count=1), "utf-8")
    site = build(folder, index=False)
    plan_page = (site / "tinh-mau/huyen-mau/2023-ke-hoach/index.html").read_text("utf-8")
    assert re.search(r"<title>[^<]*🏛[^<]*— Kế hoạch 2023, 😀 chuyển đổi số 𝐀 - ", plan_page)
    for path in ("tinh-mau/huyen-mau", "tinh-mau/huyen-mau/2023-ke-hoach/lich-su"):
        page = site / path / "index.html"
        if page.exists():
            assert "🏛" in re.search(r"<title>([^<]*)</title>", page.read_text("utf-8")).group(1), path

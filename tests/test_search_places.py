"""The places a query names, shown before the search results (a country-wide search's results wait for every
province's index): the file the build writes (tim-kiem/dia-phuong.json) and the search page in Chromium, on the seed
plans built into a temporary folder."""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import pytest

from generator.outputs.places import FILE, PROVINCE_FILE, match_key
from tests.browser import SEARCH_READY, serve
from tests.helpers import ROOT, build

DUC_CO = "Huyện Đức Cơ"
GIA_LAI = "Tỉnh Gia Lai"
HOSTILE_GIA_LAI = "Tỉnh Gia Lai <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("places")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "site_config.yml", folder)
    # A unit's name is content too: markup in it is shown as written, never run.
    unit = folder / "content/gia-lai/unit.yml"
    unit.write_text(unit.read_text("utf-8").replace(GIA_LAI, HOSTILE_GIA_LAI), "utf-8")
    return build(folder)


@pytest.fixture(scope="module")
def url(seed_site):
    with serve(seed_site) as base:
        yield base


def _places(seed_site) -> list[dict]:
    return json.loads((seed_site / FILE).read_text("utf-8"))["dia_phuong"]


def test_the_file_names_every_unit_with_its_page_its_province_and_its_plans(seed_site):
    units = sorted(
        f.parent.relative_to(ROOT / "content").as_posix() + "/" for f in (ROOT / "content").rglob("unit.yml")
    )
    places = {p["duong_dan"]: p for p in _places(seed_site)}
    assert sorted(places) == units
    for address, place in places.items():
        assert (seed_site / address / "index.html").is_file()
        plans = [d for d in (seed_site / address).rglob("lich-su") if d.is_dir()]  # a plan's page has its history
        assert place["ke_hoach"] == len(plans), address
    assert places["ha-tinh/"] == {
        "ten": "Tỉnh Hà Tĩnh",
        "tinh": None,
        "duong_dan": "ha-tinh/",
        "ke_hoach": 3,  # its districts' plans
        "den_ngay": None,
        "khop": "ha tinh",
    }
    assert places["hai-duong/thanh-ha/"]["tinh"] == "Tỉnh Hải Dương"
    assert places["hai-duong/thanh-ha/"]["den_ngay"] == "2025-06-30"  # ISO in data, as every date
    for province in ("gia-lai", "ha-tinh", "hai-duong"):  # what a search in the province loads: its own units
        own = json.loads((seed_site / PROVINCE_FILE.format(province=province)).read_text("utf-8"))["dia_phuong"]
        assert own == [p for p in _places(seed_site) if p["duong_dan"].startswith(f"{province}/")]


@pytest.mark.parametrize(
    "name, key",
    [
        ("Huyện Cẩm Xuyên", "cam xuyen"),
        ("Thị xã Kỳ Anh", "ky anh"),
        ("Thành phố Huế", "hue"),
        ("Xã Ia Dơk", "ia dok"),
        ("Phường Đông Hà", "dong ha"),
        ("Thị trấn Đức Thọ", "duc tho"),
        ("Tỉnh Đắk Lắk", "dak lak"),
        ("Xã", "xa"),  # a name that is its level's word alone stays whole
    ],
)
def test_a_place_is_matched_by_its_name_without_its_level_folded_as_the_search_folds(name, key):
    assert match_key(name) == key


def _held_index(page):
    """Every request for a search index left unanswered: what the page shows without the index."""
    page.route("**/pagefind/**", lambda route: None)


def _shown(page) -> list[tuple[str, str, str]]:
    return [
        tuple(item)
        for item in page.eval_on_selector_all(
            "#ck-search-places li",
            "els => els.map(e => [e.querySelector('a').textContent, e.querySelector('a').getAttribute('href'),"
            " e.querySelector('small').textContent])",
        )
    ]


def test_a_place_in_the_query_is_offered_at_once_while_the_country_is_searched(url, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _held_index(page)
    page.goto(f"{url}/tim-kiem/?q={quote('ngân sách đức cơ')}&pham-vi=ca-nuoc")
    page.wait_for_selector("#ck-search-places li")
    assert _shown(page) == [(DUC_CO, "/gia-lai/duc-co/", f"{HOSTILE_GIA_LAI} · 1 kế hoạch · đến 30/06/2025")]
    assert page.inner_text("#ck-search-status").startswith("Đang tìm trên cả nước")  # the index has not come
    assert page.locator("#ck-search-places a").bounding_box()["y"] < 844  # on the first screen of a phone
    page.click("#ck-search-places a")
    page.wait_for_url("**/gia-lai/duc-co/")
    assert page.title().startswith(DUC_CO) and not dialogs and page.locator("img[src=x]").count() == 0
    context.close()


def test_places_follow_the_scope_and_go_when_the_query_names_none(url, chromium):
    page = chromium.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(url)) if "dia-phuong" in r.url else None)
    page.goto(f"{url}/tim-kiem/?q={quote('ngân sách Đức Cơ')}&pham-vi=ha-tinh")
    page.wait_for_function(SEARCH_READY)
    assert page.locator("#ck-search-places").is_hidden()  # Đức Cơ is in Gia Lai
    page.fill("#ck-q", "cam xuyen")
    page.press("#ck-q", "Enter")
    page.wait_for_selector("#ck-search-places li")
    assert _shown(page) == [("Huyện Cẩm Xuyên", "/ha-tinh/cam-xuyen/", "Tỉnh Hà Tĩnh · 1 kế hoạch · đến 30/06/2025")]
    page.fill("#ck-q", "tường lửa")
    page.press("#ck-q", "Enter")
    page.wait_for_function(SEARCH_READY)
    assert page.locator("#ck-search-places").is_hidden() and page.locator("#ck-search-places li").count() == 0
    assert asked == ["/tim-kiem/dia-phuong/ha-tinh.json"]  # the province's places alone, loaded once

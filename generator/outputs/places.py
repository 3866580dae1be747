"""The places the search page names before its results: every unit with a page, by name, in
`tim-kiem/dia-phuong.json`, and each province's in `tim-kiem/dia-phuong/<province>.json` (what a search in a
province loads).

A reader who types a place («ngân sách Đức Cơ») most often wants that place's page. The full-text results
of a country-wide search wait for every province's index (slow on a phone's connection); this small file
answers the place at once. The search page (ck-search.js) matches a unit when its name, without the word
of its level and folded as Pagefind folds («Huyện Đức Cơ» → «duc co»), is among the query's words.
"""

from __future__ import annotations

import json

from generator.content.schema import UnitLevel
from generator.model.agencies import slugify
from generator.model.views import Portal, UnitView, short_unit_name
from generator.outputs import format

FILE = "tim-kiem/dia-phuong.json"
PROVINCE_FILE = "tim-kiem/dia-phuong/{province}.json"
_LEVELS = tuple(UnitLevel)  # provinces, districts, communes


def match_key(name: str) -> str:
    """What the search page looks for among a query's words: «Thị xã Kỳ Anh» → «ky anh»."""
    return slugify(short_unit_name(name), max_length=200).replace("-", " ")


def _entry(unit: UnitView) -> dict:
    return {
        "ten": unit.unit.name,
        "tinh": unit.province.unit.name if unit.parent else None,
        "duong_dan": unit.url,
        "ke_hoach": len(unit.all_plans),
        "den_ngay": format.iso_date(unit.unit.valid_to),
        "khop": match_key(unit.unit.name),
    }


def places(portal: Portal) -> list[dict]:
    """Every unit, provinces first, then districts, then communes, each level by its address."""
    units = sorted(portal.units.values(), key=lambda u: (_LEVELS.index(u.unit.level), u.url))
    return [_entry(u) for u in units]


def files(portal: Portal) -> dict[str, bytes]:
    everywhere = places(portal)
    made = {FILE: _json(everywhere)}
    for province in portal.provinces:
        own = [p for p in everywhere if p["duong_dan"].startswith(province.url)]
        made[PROVINCE_FILE.format(province=province.id)] = _json(own)
    return made


def _json(places: list[dict]) -> bytes:
    return json.dumps({"dia_phuong": places}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

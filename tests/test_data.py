"""data: the portal tables and the data package, made in parts per plan.

The data package's field types are combined from each plan's evidence, which a rebuild keeps for the plans whose
unit did not change: whatever the build kept, each column's type must be the type of the values of every plan
together, as a build from nothing gives it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.build.pipeline import check
from generator.content.config import load_config
from generator.model.views import build_portal
from generator.outputs import downloads
from tests.helpers import build, copy_fixture

UNIT = "content/tinh-mau/huyen-mau"
_NUMBER_TEXT = re.compile(r"-?(?:\d+\.?\d*|\.\d+)", re.ASCII)


def _type_of_values(values: list[object]) -> str:
    """What a column's values, all plans together, say of its type (the Table Schema types a reader checks):
    integer when every value given is one, number when every value given is a number, some written as text
    (a decimal such as «1.5», which JSON could not carry exactly), else (text, dates, nothing given) string."""
    given = [v for v in values if v is not None and v != ""]
    if given and all(isinstance(v, int) and not isinstance(v, bool) for v in given):
        return "integer"
    numbers = all(
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and _NUMBER_TEXT.fullmatch(v))
        for v in given
    )
    return "number" if given and numbers else "string"


def _types(package: dict) -> dict[str, dict[str, str]]:
    return {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in package["resources"]}


def _types_of_the_tables(site: Path, package: dict) -> dict[str, dict[str, str]]:
    """The type of each column from the rows of every plan in the site's portal-wide JSON files."""
    found = {}
    for resource in package["resources"]:
        rows = json.loads((site / "data" / resource["path"]).with_suffix(".json").read_text("utf-8"))
        columns = [f["name"] for f in resource["schema"]["fields"]]
        found[resource["name"]] = {c: _type_of_values([row.get(c) for row in rows]) for c in columns}
    return found


def _two_plans(tmp_path: Path) -> Path:
    """The fixture with a second plan in the same unit (a copy of the first, under another number)."""
    folder = copy_fixture("basic", tmp_path)
    unit = folder / UNIT
    (unit / "2024-ke-hoach.nguon.txt").write_bytes((unit / "2023-ke-hoach.nguon.txt").read_bytes())
    text = (unit / "2023-ke-hoach.yml").read_text("utf-8")
    (unit / "2024-ke-hoach.yml").write_text(
        text.replace("12/KH-UBND", "13/KH-UBND").replace("2023-ke-hoach.nguon.txt", "2024-ke-hoach.nguon.txt"),
        "utf-8",
    )
    return folder


def _edit_second(folder: Path, old: str, new: str) -> None:
    path = folder / UNIT / "2024-ke-hoach.yml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


# Each step edits the second plan only (the first one's evidence is kept by the rebuild) and names the types
# its values give the columns, both plans together.
_STEPS = [
    # a target's value of 1.5 (written «1.5» in the data): the column of whole numbers is a number now
    (("value: 100", "value: 1.5"), {"chi-tieu": {"gia_tri": "number"}, "kinh-phi": {"tt": "number"}}),
    # whole again: integer (the second plan's earlier evidence is not kept)
    (("value: 1.5", "value: 250"), {"chi-tieu": {"gia_tri": "integer"}}),
    # a line numbered «a» where the first plan's are «1», «2»: the numbers written as text are text now
    (('code: "1"', 'code: "a"'), {"kinh-phi": {"tt": "string"}}),
    # the second plan's value left out (an empty cell): the first plan's whole number decides
    (("    value: 250\n", ""), {"chi-tieu": {"gia_tri": "integer"}, "kinh-phi": {"tt": "string"}}),
]
# Whatever the steps do: amounts in đồng are whole, years integers, dates and text strings, a column no plan fills
# a string.
_ALWAYS = {
    "kinh-phi": {"so_tien_dong": "integer", "nam": "integer", "noi_dung": "string"},
    "can-cu": {"ngay": "string", "tt": "integer"},
    "chi-tieu": {"ky_truoc_gia_tri": "string", "don_vi_do": "string"},
    "ke-hoach": {"ngay_ky": "string", "kinh_phi_du_kien_dong": "integer"},
}


def test_each_column_type_is_the_type_of_the_values_of_every_plan_after_each_rebuild(tmp_path):
    folder = _two_plans(tmp_path)
    site = build(folder, index=False)
    for (old, new), expected in _STEPS:
        _edit_second(folder, old, new)
        build(folder, site, index=False)  # the first plan's rows and evidence taken from the previous build
        package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
        types = _types(package)
        wanted = {stem: {**_ALWAYS.get(stem, {}), **expected.get(stem, {})} for stem in {*_ALWAYS, *expected}}
        assert {stem: {c: types[stem][c] for c in columns} for stem, columns in wanted.items()} == wanted, new
        assert types == _types_of_the_tables(site, package), new
        portal = build_portal(check(folder / "content"), load_config(folder / "site_config.yml"))
        fresh = downloads.datapackage(portal)  # nothing kept: every plan's evidence read again
        assert (site / "data/datapackage.json").read_bytes() == fresh, new


def test_a_column_of_numbers_some_written_as_text_validates_as_number(tmp_path):
    """A reader's validator takes the file as the package types it: «1.5» beside 100 in a number column."""
    folder = _two_plans(tmp_path)
    _edit_second(folder, "value: 100", "value: 1.5")
    site = build(folder, index=False)
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    assert _types(package)["chi-tieu"]["gia_tri"] == "number"
    import frictionless

    checked = []
    for resource in frictionless.Package(str(site / "data/datapackage.json")).resources:
        if not json.loads((site / "data" / resource.path).with_suffix(".json").read_text("utf-8")):
            continue  # a table no plan has rows of (the fixture's indicators): an empty file, nothing to check
        report = frictionless.validate(resource)
        assert report.valid, (resource.name, [e.message for task in report.tasks for e in task.errors][:5])
        checked.append(resource.name)
    assert "chi-tieu" in checked

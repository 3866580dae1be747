"""Amounts and periods typed the way editors commonly type them get a message that says what to write."""

from __future__ import annotations

import pytest

from generator.build.pipeline import check
from generator.content.schema import amount_meant
from generator.errors import ContentErrors

PLAN = "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("1,5 tỷ", "1500000000 (số đồng"),
        ("1.500.000.000", "1500000000"),
        ("1,500,000,000", "1500000000"),
        ("1.545.000.000đ", "1545000000 (số đồng"),
        ("100 %", "100"),
        ("329,586", "329.586"),
    ],
)
def test_the_number_an_editor_meant(typed, meant):
    assert amount_meant(typed).startswith(meant)


def _errors(folder, old: str, new: str) -> str:
    plan = folder / PLAN
    text = plan.read_text("utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ContentErrors) as err:
        check(folder / "content")
    return err.value.report()


def test_an_amount_typed_as_printed_says_what_to_write(basic_content):
    report = _errors(basic_content, "kinh_phi: 1500000", 'kinh_phi: "1.545.000.000đ"')
    assert "lines[0].amounts.kinh_phi" in report and "có lẽ ý là 1545000000" in report


def test_an_amount_split_by_its_comma_is_named_as_typed(basic_content):
    report = _errors(
        basic_content, "        declared:\n          kinh_phi: 3500000", "        declared: {kinh_phi: 1,5 tỷ}"
    )
    assert "«1,5 tỷ» có dấu phẩy" in report and "1500000000" in report
    assert "declared.5 tỷ" not in report


def test_two_districts_of_one_name_in_two_provinces_are_never_added_together(tmp_path):
    """The portal's budget page gives each unit its own row: two «Huyện Đông Mẫu», in two provinces, are two
    rows of 3.600.000 đồng, not one of 7.200.000 (the roll-up grouped units by name)."""
    import re
    import shutil

    from tests.helpers import build, copy_fixture

    folder = copy_fixture("basic", tmp_path)
    content = folder / "content"
    shutil.copytree(content / "tinh-mau", content / "tinh-tam")
    (content / "tinh-tam/agencies.yml").unlink(missing_ok=True)
    (content / "tinh-tam/unit.yml").write_text("name: Tỉnh Tâm\nlevel: tinh\n", "utf-8")
    district = content / "tinh-tam/huyen-mau/unit.yml"
    district.write_text(district.read_text("utf-8").replace("parent: tinh-mau", "parent: tinh-tam"), "utf-8")
    plan = content / "tinh-tam/huyen-mau/2023-ke-hoach.yml"
    plan.write_text(plan.read_text("utf-8").replace("number: 12/KH-UBND", "number: 13/KH-UBND"), "utf-8")
    site = build(folder, index=False)
    html = (site / "ngan-sach/index.html").read_text("utf-8")
    rows = dict(re.findall(r'<th scope="row">(Huyện Đông Mẫu[^<]*)</th><td><span class="ck-amount">([^<]*)<', html))
    assert rows == {"Huyện Đông Mẫu, Mẫu": "3.600.000 đồng", "Huyện Đông Mẫu, Tâm": "3.600.000 đồng"}

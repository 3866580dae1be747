"""Error paths read in Vietnamese (generator/fieldnames.py): titles from generator/content/schema.py, items counted
from 1."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from generator.content import schema
from generator.content.docs import models_in
from generator.content.fieldnames import reading
from generator.content.schema import SiteConfig
from generator.errors import ContentError


def test_every_schema_field_has_a_vietnamese_title():
    """A field added to the schema needs `Field(title=...)`: error messages and the guide name it by its title."""
    models: list = []
    for root in schema.DOCUMENTS.values():
        models_in(root, models)
    untitled = [f"{m.__name__}.{name}" for m in models for name, f in m.model_fields.items() if not f.title]
    assert not untitled, f"cần Field(title=...) cho: {', '.join(untitled)}"


@pytest.mark.parametrize(
    "loc, words",
    [
        (("targets", 1, "value"), "chỉ tiêu thứ 2 › giá trị"),
        (("targets", 0, "statement"), "chỉ tiêu thứ 1 › câu chỉ tiêu"),
        (("title",), "trích yếu"),
        (("signer", "name"), "người ký › họ tên"),
        (("legal_bases", 3), "căn cứ thứ 4"),
        # nested lists, each counted from 1
        (("budget_tables", 0, "groups", 1, "lines", 2, "name"), "bảng kinh phí thứ 1 › nhóm thứ 2 › dòng thứ 3 › tên"),
        (("targets", 0, "baseline", "statement"), "chỉ tiêu thứ 1 › kết quả kỳ trước › câu báo cáo"),
        (("tasks", 2, "items", 9), "nhiệm vụ thứ 3 › mục thứ 10"),
        # a map's key: a column code
        (
            ("budget_tables", 0, "groups", 0, "lines", 0, "amounts", "kinh_phi"),
            "bảng kinh phí thứ 1 › nhóm thứ 1 › dòng thứ 1 › số tiền cột kinh_phi",
        ),
        (("budget_tables", 1, "declared_total", "tong"), "bảng kinh phí thứ 2 › tổng cộng cột tong"),
        # keys the schema does not know read as written
        (("targets", 0, "valu"), "chỉ tiêu thứ 1 › valu"),
        (("nowhere", 1, "at"), "nowhere thứ 2 › at"),
        ((), ""),
    ],
)
def test_plan_paths_read_in_words(loc, words):
    assert reading(schema.Plan, loc) == words


def test_other_files_read_with_their_own_schema():
    assert reading(schema.Unit, ("parent",)) == "đơn vị cấp trên"
    assert reading(schema.IndicatorCatalogue, ("indicators", 1, "code")) == "chỉ số thứ 2 › mã chỉ số"
    assert reading(schema.AgencyRegistry, ("agencies", 0, "aliases", 2)) == "cơ quan thứ 1 › cách viết khác thứ 3"
    assert reading(SiteConfig, ("portal_name",)) == "portal_name"  # no titles there: the key
    assert reading(None, ("title",)) == ""


def test_a_field_without_title_reads_as_its_key():
    class Inner(BaseModel):
        named: str = Field(title="có tên")
        bare: str = ""

    class Outer(BaseModel):
        rows: list[Inner] = Field(default_factory=list)
        cells: dict[str, int] = Field(default_factory=dict, title="ô")

    assert reading(Outer, ("rows", 4, "bare")) == "rows thứ 5 › bare"
    assert reading(Outer, ("rows", 0, "named")) == "rows thứ 1 › có tên"
    assert reading(Outer, ("cells", "a")) == "ô cột a"


def test_the_yaml_path_stays_and_the_reading_follows_it():
    error = ContentError("content/a.yml", 24, 12, "targets[1].value", "cần một số", "chỉ tiêu thứ 2 › giá trị")
    assert str(error) == "content/a.yml:24:12: targets[1].value (chỉ tiêu thứ 2 › giá trị): cần một số"
    assert error.field == "targets[1].value"
    # nothing to add: a reading that only repeats the key, or none
    assert str(ContentError("content/a.yml", 1, 1, "zzz", "sai", "zzz")) == "content/a.yml:1:1: zzz: sai"
    assert str(ContentError("content/a.yml", 1, 1, "title", "sai")) == "content/a.yml:1:1: title: sai"


def test_a_validation_error_names_the_item_counted_from_one(basic_content):
    from generator.content.load import load_tree
    from generator.content.validate import validate
    from generator.errors import ContentErrors

    plan = next((basic_content / "content").rglob("2023-ke-hoach.yml"))
    text = plan.read_text("utf-8")
    assert "kinh_phi: 1500000" in text
    plan.write_text(text.replace("kinh_phi: 1500000", 'kinh_phi: "1.500.000"', 1), "utf-8")
    tree, load_errors = load_tree(basic_content / "content")
    with pytest.raises(ContentErrors) as err:
        validate(tree, load_errors)
    lines = [str(e) for e in err.value.errors]
    assert any(
        ": budget_tables[0].groups[0].lines[0].amounts.kinh_phi "
        "(bảng kinh phí thứ 1 › nhóm thứ 1 › dòng thứ 1 › số tiền cột kinh_phi): cần một số" in line
        for line in lines
    ), lines

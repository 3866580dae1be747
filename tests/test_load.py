"""The loader (generator.load) and the valid fixture end to end.

The fixture is tests/fixtures/basic: two units (tinh-mau, tinh-mau/huyen-mau)
and one plan (tinh-mau/huyen-mau/2023-ke-hoach.yml with its narrative and its
source document).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import load, schema
from generator.content.load import ContentTree, Document, format_loc, load_tree
from generator.content.validate import ValidContent, validate
from generator.errors import ContentError, ContentErrors
from tests.helpers import ROOT, copy_fixture

PLAN_ID = "tinh-mau/huyen-mau/2023-ke-hoach"
PLAN_REL = PLAN_ID + ".yml"
PLAN_SHOWN = "content/" + PLAN_REL


def _plan_path(basic: Path) -> Path:
    return basic / "content" / PLAN_REL


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def _load_errors(basic: Path) -> list[str]:
    tree, errors = load_tree(basic / "content")
    return [str(e) for e in errors]


def _all_errors(basic: Path) -> list[str]:
    tree, errors = load_tree(basic / "content")
    with pytest.raises(ContentErrors) as caught:
        validate(tree, errors)
    return [str(e) for e in caught.value.errors]


# --------------------------------------------------------------------------- the valid fixture


def test_fixture_loads_without_errors(basic_content):
    tree, errors = load_tree(basic_content / "content")
    assert errors == []
    assert isinstance(tree, ContentTree)
    assert sorted(tree.units) == ["tinh-mau", "tinh-mau/huyen-mau"]
    assert sorted(tree.plans) == [PLAN_ID]
    assert tree.indicators is None
    assert sorted(tree.narratives) == [PLAN_ID]
    assert tree.narratives[PLAN_ID].startswith("## Mục đích\n")
    doc = tree.plans[PLAN_ID]
    assert doc.display == PLAN_SHOWN
    assert tree.units["tinh-mau"].display == "content/tinh-mau/unit.yml"


def test_fixture_validates(basic_content):
    tree, errors = load_tree(basic_content / "content")
    content = validate(tree, errors)
    assert isinstance(content, ValidContent)
    assert len(content.units) == 2
    assert len(content.plans) == 1
    assert content.indicators == {}

    province, district = content.units["tinh-mau"], content.units["tinh-mau/huyen-mau"]
    assert province.level is schema.UnitLevel.province and province.parent is None
    assert district.level is schema.UnitLevel.district and district.parent == "tinh-mau"
    assert district.valid_to == dt.date(2025, 6, 30)

    plan = content.plans[PLAN_ID]
    assert plan.kind is schema.PlanKind.plan
    assert plan.classification is schema.Classification.ordinary
    assert plan.number == "12/KH-UBND"
    # signed_date is a partial date: kept as the text the document prints
    assert plan.signed_date == "15/02/2023"
    assert plan.legal_bases[0].date == dt.date(2022, 6, 24)
    assert (plan.period.start, plan.period.end) == (2023, 2023)
    assert plan.signer is not None and plan.signer.name == "Trần Văn Ký"

    target = plan.targets[0]
    assert target.comparator is schema.Comparator.eq
    assert isinstance(target.value, Decimal) and target.value == Decimal(100)
    assert plan.targets[1].value is None

    table = plan.budget_tables[0]
    assert [c.key for c in table.columns] == ["kinh_phi"]
    amounts = [line.amounts["kinh_phi"] for line in table.groups[0].lines]
    assert amounts == [Decimal(1500000), Decimal(2000000)]
    assert all(isinstance(a, Decimal) for a in amounts)
    # declared figures are kept as the document gives them, never recomputed
    assert table.groups[0].declared == {"kinh_phi": Decimal(3500000)}
    assert table.declared_total == {"kinh_phi": Decimal(3600000)}
    assert plan.source_document.sha256 == "b2b101f4ed546f8ae1e69020c60c8cf2ac2514fbf1d58bdb51a6e83be2e5c1ce"


def test_fixture_validates_from_any_working_directory(basic_content, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    tree, errors = load_tree(basic_content / "content")
    assert errors == []
    assert tree.plans[PLAN_ID].display == PLAN_SHOWN
    validate(tree, errors)


# --------------------------------------------------------------------------- plain data and positions


def test_dates_stay_text_and_decimals_are_exact(basic_content):
    path = _plan_path(basic_content)
    _edit(path, 'date: "24/06/2022"', "date: 2022-06-24")
    path.write_text(path.read_text("utf-8") + "summary: 2023-01-05\n", "utf-8")
    _edit(path, "kinh_phi: 1500000", "kinh_phi: 329.586")
    _edit(path, "kinh_phi: 2000000", "kinh_phi: 2_000_000")
    tree, errors = load_tree(basic_content / "content")
    data = tree.plans[PLAN_ID].data
    # YAML's timestamp resolver is switched off: no datetime.date sneaks in
    assert data["legal_bases"][0]["date"] == "2022-06-24"
    assert data["summary"] == "2023-01-05"
    assert data["signed_date"] == "15/02/2023"
    lines = data["budget_tables"][0]["groups"][0]["lines"]
    first = lines[0]["amounts"]["kinh_phi"]
    assert type(first) is Decimal and first == Decimal("329.586")
    assert lines[1]["amounts"]["kinh_phi"] == 2000000
    assert data["period"]["start"] == 2023 and type(data["period"]["start"]) is int


def test_float_special_values_are_not_decimals(basic_content):
    path = _plan_path(basic_content)
    _edit(path, "kinh_phi: 1500000", "kinh_phi: .inf")
    _edit(path, "kinh_phi: 2000000", "kinh_phi: .nan")
    tree, errors = load_tree(basic_content / "content")
    assert errors == []
    lines = tree.plans[PLAN_ID].data["budget_tables"][0]["groups"][0]["lines"]
    for line in lines:
        value = line["amounts"]["kinh_phi"]
        assert isinstance(value, float) and value != value  # nan, which the schema refuses


def test_marks_remember_line_and_column(basic_content):
    tree, _ = load_tree(basic_content / "content")
    doc = tree.plans[PLAN_ID]
    assert doc.where(()) == (1, 1)
    assert doc.where(("title",)) == (1, 8)
    assert doc.where(("signed_date",)) == (6, 14)
    assert doc.where(("signer",)) == (8, 3)
    assert doc.where(("signer", "title")) == (9, 10)
    assert doc.where(("targets", 0, "value")) == (24, 12)
    assert doc.where(("budget_tables", 0, "groups", 0, "lines", 1, "amounts", "kinh_phi")) == (53, 25)
    assert doc.where(("source_document", "sha256")) == (64, 11)
    # a place that does not exist: the deepest part that does
    assert doc.where(("signer", "on_behalf")) == (8, 3)
    assert doc.where(("targets", 7, "value")) == (20, 3)
    assert doc.where(("nowhere", "at", 3)) == (1, 1)


def test_document_error_names_file_position_and_field(basic_content):
    tree, _ = load_tree(basic_content / "content")
    error = tree.plans[PLAN_ID].error(("targets", 0, "value"), "thông báo")
    assert error == ContentError(PLAN_SHOWN, 24, 12, "targets[0].value", "thông báo", "chỉ tiêu thứ 1 › giá trị")
    assert str(error) == f"{PLAN_SHOWN}:24:12: targets[0].value (chỉ tiêu thứ 1 › giá trị): thông báo"


@pytest.mark.parametrize(
    "loc, shown",
    [
        ((), ""),
        (("title",), "title"),
        (("signer", "name"), "signer.name"),
        (("targets", 0, "value"), "targets[0].value"),
        (
            ("budget_tables", 1, "groups", 0, "lines", 2, "amounts", "kinh_phi"),
            "budget_tables[1].groups[0].lines[2].amounts.kinh_phi",
        ),
    ],
)
def test_format_loc(loc, shown):
    assert format_loc(loc) == shown


# --------------------------------------------------------------------------- what the loader itself reports


def test_bad_indentation_gives_line_and_column(basic_content):
    _edit(_plan_path(basic_content), "  name: Trần Văn Ký\n", "  name: Trần Văn Ký\n   title: Phó\n")
    assert _load_errors(basic_content) == [
        f"{PLAN_SHOWN}:9:9: YAML không hợp lệ: mapping values are not allowed here",
    ]


def test_bad_indentation_of_a_block_gives_line_and_column(basic_content):
    _edit(_plan_path(basic_content), "  start: 2023\n  end: 2023\n", "  start: 2023\n end: 2023\n")
    assert _load_errors(basic_content) == [
        f"{PLAN_SHOWN}:12:2: YAML không hợp lệ: expected <block end>, but found '<block mapping start>'"
        " (while parsing a block mapping)",
    ]


def test_tab_indentation_gives_line_and_column(basic_content):
    _edit(_plan_path(basic_content), "  name: Trần Văn Ký", "\tname: Trần Văn Ký")
    assert _load_errors(basic_content) == [
        f"{PLAN_SHOWN}:8:1: YAML không hợp lệ: found character '\\t' that cannot start any token"
        " (while scanning for the next token)",
    ]


def test_unclosed_quote_is_reported_with_line_and_column(basic_content):
    # The position given is where YAML noticed the problem (the end of the
    # file); see test_validate.py::test_unclosed_quote_points_at_the_opening_quote
    # for the bug that the opening quote's line is never named.
    _edit(_plan_path(basic_content), "issuer: UBND huyện Đông Mẫu", "issuer: 'UBND huyện Đông Mẫu")
    errors = _load_errors(basic_content)
    assert len(errors) == 1
    where, message = errors[0].split(": ", 1)
    file, line, column = where.rsplit(":", 2)
    assert file == PLAN_SHOWN
    assert int(line) >= 1 and int(column) >= 1
    assert message == "YAML không hợp lệ: found unexpected end of stream (while scanning a quoted scalar)"


def test_yaml_error_stops_that_file_only(basic_content):
    _edit(_plan_path(basic_content), "  name: Trần Văn Ký\n", "  name: Trần Văn Ký\n   title: Phó\n")
    tree, errors = load_tree(basic_content / "content")
    assert PLAN_ID not in tree.plans
    assert sorted(tree.units) == ["tinh-mau", "tinh-mau/huyen-mau"]
    assert len(errors) == 1


def test_duplicate_key_is_a_load_error(basic_content):
    _edit(_plan_path(basic_content), "kind: ke-hoach\n", "kind: ke-hoach\nkind: ke-hoach\n")
    tree, errors = load_tree(basic_content / "content")
    assert [str(e) for e in errors] == [
        f"{PLAN_SHOWN}:3:1: kind (loại văn bản): trường bị khai báo hai lần trong cùng một khối",
    ]
    assert tree.plans[PLAN_ID].data["kind"] == "ke-hoach"


def test_empty_file(basic_content):
    _plan_path(basic_content).write_text("# chưa có nội dung\n", "utf-8")
    assert _load_errors(basic_content) == [f"{PLAN_SHOWN}:1:1: tệp rỗng"]


def test_two_documents_in_one_file(basic_content):
    path = _plan_path(basic_content)
    path.write_text(path.read_text("utf-8") + "---\ntitle: Khác\n", "utf-8")
    assert _load_errors(basic_content) == [
        f"{PLAN_SHOWN}:65:1: YAML không hợp lệ: but found another document (expected a single document in the stream)",
    ]


def test_not_utf8(basic_content):
    import unicodedata

    # Windows-1258, the legacy Vietnamese code page (it stores tones as combining marks)
    path = basic_content / "content" / "tinh-mau" / "unit.yml"
    path.write_bytes(unicodedata.normalize("NFD", "name: Tỉnh Hà\nlevel: tinh\n").encode("cp1258"))
    assert _load_errors(basic_content) == [
        "content/tinh-mau/unit.yml:1:1: tệp không phải UTF-8 (byte lỗi ở vị trí 8); hãy lưu lại với mã hóa UTF-8",
    ]


def test_utf8_byte_order_mark_is_accepted(basic_content):
    path = _plan_path(basic_content)
    path.write_text("\ufeff" + path.read_text("utf-8"), "utf-8")
    tree, errors = load_tree(basic_content / "content")
    assert errors == []
    validate(tree, errors)


def test_non_nfc_yaml_is_a_load_error(basic_content):
    import unicodedata

    path = _plan_path(basic_content)
    _edit(path, "issuer: UBND huyện Đông Mẫu", "issuer: UBND " + unicodedata.normalize("NFD", "huyện") + " Đông Mẫu")
    assert _load_errors(basic_content) == [
        f"{PLAN_SHOWN}:4:18: văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC",
    ]


def test_non_nfc_narrative_is_a_load_error(basic_content):
    import unicodedata

    md = basic_content / "content" / "tinh-mau" / "huyen-mau" / "2023-ke-hoach.md"
    md.write_text(unicodedata.normalize("NFD", "Kế hoạch\n"), "utf-8")
    assert _load_errors(basic_content) == [
        "content/tinh-mau/huyen-mau/2023-ke-hoach.md:1:3: văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); "
        "hãy chuẩn hóa tệp sang NFC",
    ]


def test_hidden_folders_and_files_are_skipped(basic_content):
    content = basic_content / "content"
    (content / ".nhap").mkdir()
    (content / ".nhap" / "2023-x.yml").write_text("not: [valid", "utf-8")
    (content / "tinh-mau" / ".2023-tam.yml").write_text("not: [valid", "utf-8")
    tree, errors = load_tree(content)
    assert errors == []
    assert sorted(tree.plans) == [PLAN_ID]


def test_indicators_file_is_the_catalogue(basic_content):
    (basic_content / "content" / "indicators.yml").write_text(
        'indicators:\n  - code: ho-so-truc-tuyen\n    name: Hồ sơ trực tuyến\n    unit: "%"\n', "utf-8"
    )
    tree, errors = load_tree(basic_content / "content")
    assert errors == []
    assert isinstance(tree.indicators, Document)
    assert "indicators" not in tree.plans
    content = validate(tree, errors)
    assert list(content.indicators) == ["ho-so-truc-tuyen"]


def test_missing_content_folder(tmp_path):
    missing = tmp_path / "khong-co"
    tree, errors = load_tree(missing)
    assert [str(e) for e in errors] == [f"{missing}:1:1: không tìm thấy thư mục nội dung"]
    assert tree.units == {} and tree.plans == {}


# --------------------------------------------------------------------------- errors


def test_content_error_str():
    assert str(ContentError("content/a.yml", 3, 5, "title", "sai")) == "content/a.yml:3:5: title: sai"
    assert str(ContentError("content/a.yml", 3, 5, "", "sai")) == "content/a.yml:3:5: sai"


def test_content_errors_are_sorted_numerically_and_deduplicated():
    a = ContentError("content/b.yml", 10, 1, "", "x")
    b = ContentError("content/b.yml", 9, 3, "", "x")
    c = ContentError("content/a.yml", 50, 1, "", "x")
    errors = ContentErrors([a, b, c, a])
    assert errors.errors == [c, b, a]
    assert str(errors) == "content/a.yml:50:1: x\ncontent/b.yml:9:3: x\ncontent/b.yml:10:1: x"
    assert errors.report().endswith("\n\n3 lỗi trong nội dung; chưa xây dựng trang (site/ giữ nguyên).")


def test_fixture_errors_collected_from_every_file(basic_content):
    (basic_content / "content" / "tinh-mau" / "unit.yml").write_text("name: Tỉnh Mẫu\nlevel: tinhh\n", "utf-8")
    _edit(_plan_path(basic_content), "kind: ke-hoach\n", "kind: ke-hoach\nkind: ke-hoach\n")
    assert _all_errors(basic_content) == [
        f"{PLAN_SHOWN}:3:1: kind (loại văn bản): trường bị khai báo hai lần trong cùng một khối",
        "content/tinh-mau/unit.yml:2:8: level (cấp): cần một trong các giá trị: 'tinh', 'huyen' hoặc 'xa'; "
        "tìm thấy «tinhh»",
    ]


def test_parsing_shared_between_processes_gives_the_same_content(monkeypatch):
    from generator.content import load

    content = ROOT / "content"
    alone, alone_errors = load.load_tree(content)
    monkeypatch.setattr(load, "_PARALLEL_FILES", 2)  # the shipped content has a dozen files: share them out
    monkeypatch.setattr(load, "_SHARE_FILES", 3)  # in shares of three, back in their order
    shared, shared_errors = load.load_tree(content)
    assert alone_errors == shared_errors == []
    for kind in ("units", "plans", "agencies"):
        a, b = getattr(alone, kind), getattr(shared, kind)
        assert {k: d.data for k, d in a.items()} == {k: d.data for k, d in b.items()} and a
    assert shared.indicators.data == alone.indicators.data
    plan = "ha-tinh/duc-tho/2023-chinh-quyen-so"
    assert not shared.plans[plan].marked  # positions come back only when asked for
    assert shared.plans[plan].where(("targets", 3, "statement")) == alone.plans[plan].where(("targets", 3, "statement"))


def test_errors_found_by_parsing_processes_name_their_place(tmp_path, monkeypatch):
    from generator.content import load

    folder = copy_fixture("basic", tmp_path) / "content"
    (folder / "tinh-mau/unit.yml").write_text("name: Tỉnh Mẫu\nlevel: tinh\nlevel: huyen\n", "utf-8")
    (folder / "tinh-mau/huyen-mau/unit.yml").write_text("name: [Huyện\n", "utf-8")
    alone = load.load_tree(folder)[1]
    monkeypatch.setattr(load, "_PARALLEL_FILES", 2)
    assert load.load_tree(folder)[1] == alone and len(alone) == 2


def test_files_are_named_from_the_content_folder(tmp_path, monkeypatch):
    from generator.errors import display_path

    root = tmp_path / "content"
    (root / "tinh").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert display_path(root / "tinh/unit.yml", root) == "content/tinh/unit.yml"
    assert display_path(Path("content/tinh/unit.yml"), Path("content")) == "content/tinh/unit.yml"
    assert display_path(Path("tinh/unit.yml"), Path(".")) == f"{tmp_path.name}/tinh/unit.yml"
    assert display_path(tmp_path / "other.yml", root) == "other.yml"  # beside it: from the same folder
    assert display_path(Path("/elsewhere/x.yml"), root) == "/elsewhere/x.yml"


# The loader refuses text not in NFC, characters that reorder or hide text (bidirectional controls, zero width) and
# control characters other than tab and line breaks.
_REFUSED = set(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
    + "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]))
)
_NFC_TEXT = st.text(max_size=12).filter(lambda t: unicodedata.is_normalized("NFC", t) and not _REFUSED & set(t))
_SCALARS = st.one_of(
    _NFC_TEXT,
    st.sampled_from(["yes", "No", "~", "null", "1.5", "0x1F", "2023-01-02", "'q'", ""]),
    st.integers(),
    st.booleans(),
    st.none(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_NFC_TEXT.filter(bool), inner, max_size=4),
        max_leaves=20,
    )
)
def test_strings_are_read_as_the_yaml_constructor_reads_them(tmp_path_factory, value):
    """The loader builds values from the parser's events itself (strings straight from the scalar); what PyYAML
    writes of any value of text, numbers, booleans and nulls it reads back as that value, as PyYAML's own
    reader does (a string that looks like a number, a date or a null stays a string)."""
    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    assert yaml.safe_load(text) == {"v": value}  # the reference: PyYAML reads back what it wrote
    path = tmp_path_factory.mktemp("y") / "f.yml"
    path.write_text(text, "utf-8")
    doc, errors = load.load_yaml(path, path.parent)
    assert errors == [] and doc.data == {"v": value}

"""Content carrying personal data is refused, naming where it is."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import privacy
from generator.errors import ContentErrors
from generator.load import load_tree
from generator.validate import validate
from tests.helpers import copy_fixture


@pytest.mark.parametrize("text, kind", [
    ("Liên hệ ông A, số 0912345678.", "số điện thoại di động"),
    ("ĐT: 0912 345 678", "số điện thoại di động"),
    ("gọi +84 912345678", "số điện thoại di động"),
    ("CCCD 001203004567 cấp ngày", "số căn cước công dân"),
])
def test_findings(text, kind):
    assert [k for _, k, _ in privacy.findings(text)] == [kind]


@pytest.mark.parametrize("text", ["Kinh phí 1.545.000.000 đồng", "Quyết định số 1891/QĐ-TTg ngày 26/10/2015",
                                  "đạt 98% năm 2022", "Tổng 557557 triệu", "mã 0912345678901234"])
def test_no_false_positives(text):
    assert list(privacy.findings(text)) == []


def test_build_refuses_and_names_the_place(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    plan.write_text(plan.read_text("utf-8").replace("Chủ trì theo dõi, tổng hợp.", "Chủ trì, liên hệ 0912 345 678."), "utf-8")
    md = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.md"
    md.write_text(md.read_text("utf-8") + "\nNgười dân Nguyễn Văn A, CCCD 001203004567.\n", "utf-8")
    tree, errors = load_tree(folder / "content")
    with pytest.raises(ContentErrors) as exc:
        validate(tree, errors)
    lines = [str(e) for e in exc.value.errors]
    assert any(l.startswith("content/tinh-mau/huyen-mau/2023-ke-hoach.yml:") and
               "responsibilities[0].duties[0]: có số điện thoại di động («0912 345 678»)" in l for l in lines), lines
    assert any(l.startswith("content/tinh-mau/huyen-mau/2023-ke-hoach.md:10:30:") and "số căn cước công dân («001203004567»)" in l
               for l in lines), lines


def test_digests_and_codes_are_not_personal_data():
    digest = "7f0da0a70912345678aa0e4c8b8e6f1f3c5d4e0a0b1c2d3e4f5a6b7c8d9e0f12"
    assert list(privacy.findings(digest)) == []
    data = {"source_document": {"file": "0912345678.txt", "sha256": "0912345678" + "0" * 54},
            "recipients": ["Ông A 0912345678"]}
    assert [loc for loc, _ in privacy.strings(data)] == [("recipients", 0)]


# The patterns as first written, look-behind first: the literal-first ones must find exactly the same.
_BEFORE, _AFTER = r"(?<![0-9A-Za-z])(?<!\d[.,])", r"(?![0-9A-Za-z]|[.,]\d)"
_REFERENCE = {
    privacy.CITIZEN_ID: re.compile(_BEFORE + r"0\d{2}[ .]?\d{3}[ .]?\d{6}" + _AFTER),
    privacy.MOBILE: re.compile(_BEFORE + r"(?:\+84[ .]?|0)(?:3|5|7|8|9)\d(?:[ .]?\d){7}" + _AFTER),
}


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789 .,+84aZđ\n", max_size=40))
@example("a0912345678")
@example("1.0912345678")
@example("+84912345678")
@example("0+84912345678")
def test_patterns_find_what_the_reference_finds(text):
    for pattern, reference in _REFERENCE.items():
        assert [(m.start(), m.group()) for m in pattern.finditer(text)] == \
               [(m.start(), m.group()) for m in reference.finditer(text)]

"""The five seed plans in content/ against their sources and the transcribers' expectations.

Each `tests/seeds/expected/*.yml` was written from the source text, independently of the
plan's YAML: counts, and the declared totals that do not add up. These tests hold the
published content to it and to the source (`*.nguon.txt`, a byte copy of the seed):
counts, every figure, the computed discrepancies, repaired glyphs, unknowns left unknown,
and what a whole build of the real content/ shows.

A real transcription error found here is not fixed in the test: its case is marked
`xfail(strict=True)` in KNOWN_CONTENT_ERRORS, naming file, field and what the source says,
so the test turns red again once the content is corrected.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.build.pipeline import build_site, check
from generator.content import facts
from generator.content.load import load_yaml
from generator.outputs import format
from tests.helpers import ROOT

CONTENT = ROOT / "content"
EXPECTED_DIR = ROOT / "tests" / "seeds" / "expected"
SEEDS = ROOT.parent / "shared" / "seeds"  # absent in a user's clone

EXPECTED = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(EXPECTED_DIR.glob("*.yml"))]
COUNT_KEYS = ("legal_bases", "targets", "budget_tables", "budget_lines", "responsibilities", "recipients")

# Glyphs lost in extraction, as listed in ../shared/seeds/README.md.
BROKEN_PATTERNS = ("T n tại", "h sơ", "chu n", "ngu n", "đ y", "sản ph m", "cộng đ ng", "b i dưỡng", "th m quyền")
BROKEN_U = ("ƣ", "Ƣ")

# (test name, plan id) → the content error that makes that one case fail; see module doc.
KNOWN_CONTENT_ERRORS: dict[tuple[str, str], str] = {}


def cases(test_name: str) -> list:
    params = []
    for exp in EXPECTED:
        reason = KNOWN_CONTENT_ERRORS.get((test_name, exp["plan"]))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(exp, id=exp["plan"], marks=marks))
    return params


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def content():
    return check(CONTENT)


def plan_of(content, exp):
    assert exp["plan"] in content.plans, f"{exp['plan']} không có trong content/"
    return content.plans[exp["plan"]]


def plan_files(exp) -> list[Path]:
    """The published files of a plan: its YAML, its Markdown, and the unit.yml files above it."""
    yml = CONTENT / f"{exp['plan']}.yml"
    files = [yml] + ([yml.with_suffix(".md")] if yml.with_suffix(".md").exists() else [])
    unit = yml.parent
    while unit != CONTENT:
        files.append(unit / "unit.yml")
        unit = unit.parent
    return files


def source_path(plan, exp) -> Path:
    return (CONTENT / exp["plan"]).parent / plan.source_document.file


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def walk_strings(data, path=()):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from walk_strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_strings(value, path + (i,))


def published_strings(exp, *, with_repairs: bool = True) -> list[tuple[str, str]]:
    """(where, text) for every string a reader sees: YAML values and Markdown.

    The `found` side of a text repair is the damaged source text, so it is left out; a
    repair's note may quote that damaged text in «…», so quotations are cut from notes.
    """
    out = []
    for path in plan_files(exp):
        name = path.relative_to(CONTENT).as_posix()
        if path.suffix == ".md":
            out.append((name, path.read_text("utf-8")))
            continue
        doc, errors = load_yaml(path, CONTENT)
        assert doc is not None and not errors, errors
        for loc, text in walk_strings(doc.data):
            if loc[:1] == ("text_repairs",):
                if not with_repairs or loc[-1] == "found":
                    continue
                if loc[-1] == "note":
                    text = re.sub(r"«[^»]*»", "«…»", text)
            out.append((f"{name}: {'.'.join(map(str, loc))}", text))
    return out


def number_pattern(text: str) -> re.Pattern:
    """`text` as a whole number: not inside a longer figure (2,5 is not found in 12,55)."""
    return re.compile(r"(?<!\d)(?<!\d[.,])" + re.escape(text) + r"(?![.,]?\d)")


def normalised_sources(plan, exp) -> tuple[str, str]:
    text = source_path(plan, exp).read_text("utf-8")
    for repair in plan.text_repairs:
        text = text.replace(repair.found, repair.repaired)
    text = collapse(text)
    return text, re.sub(r"\s*([.,])\s*", r"\1", text)


def expected_discrepancies(exp) -> list[tuple[str, str | None, str, Decimal, Decimal]]:
    return [
        (
            d["table"],
            None if d.get("group") is None else str(d["group"]),
            d["column"],
            Decimal(str(d["declared"])),
            Decimal(str(d["computed"])),
        )
        for d in exp["discrepancies"]
    ]


def text_of(page_html: str) -> str:
    """What a reader sees: tags, scripts and styles removed, entities decoded, spaces collapsed."""
    visible = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    return collapse(html.unescape(re.sub(r"<[^>]+>", " ", visible)))


# --------------------------------------------------------------------------- 1. counts


@pytest.mark.parametrize("exp", cases("counts"))
def test_counts_match_expected(content, exp):
    plan = plan_of(content, exp)
    got = {
        "legal_bases": len(plan.legal_bases),
        "targets": len(plan.targets),
        "budget_tables": len(plan.budget_tables),
        "budget_lines": sum(len(g.lines) for t in plan.budget_tables for g in t.groups),
        "responsibilities": len(plan.responsibilities),
        "recipients": len(plan.recipients),
    }
    assert set(exp["counts"]) == set(COUNT_KEYS), "tệp kỳ vọng thiếu hoặc thừa số đếm"
    assert got == exp["counts"]


# --------------------------------------------------------------------------- 2. numbers


@pytest.mark.parametrize("exp", cases("numbers"))
def test_every_number_occurs_in_source(content, exp):
    plan = plan_of(content, exp)
    texts = normalised_sources(plan, exp)
    figures = []
    for i, target in enumerate(plan.targets):
        if target.value is not None:
            figures.append((f"targets[{i}].value", format.number(target.value)))
    for t, table in enumerate(plan.budget_tables):
        at = f"budget_tables[{t}] ({table.id})"
        for g, group in enumerate(table.groups):
            for col, value in group.declared.items():
                figures.append((f"{at}.groups[{g}].declared.{col}", group.printed.get(col) or format.number(value)))
            for n, line in enumerate(group.lines):
                for col, value in line.amounts.items():
                    figures.append(
                        (f"{at}.groups[{g}].lines[{n}].amounts.{col}", line.printed.get(col) or format.number(value))
                    )
        for col, value in table.declared_total.items():
            figures.append(
                (f"{at}.declared_total.{col}", table.declared_total_printed.get(col) or format.number(value))
            )
    missing = [
        f"{where}: «{figure}»"
        for where, figure in figures
        if not any(number_pattern(figure).search(text) for text in texts)
    ]
    assert not missing, f"{exp['plan']}: số không có trong văn bản gốc:\n" + "\n".join(missing)


# --------------------------------------------------------------------------- 3. discrepancies


@pytest.mark.parametrize("exp", cases("discrepancies"))
def test_discrepancies_match_expected(content, exp):
    plan = plan_of(content, exp)
    found = [
        (table.id, where, c.column, c.declared, c.computed)
        for table in plan.budget_tables
        for where, c in facts.table_view(table).discrepancies
    ]
    expected = expected_discrepancies(exp)
    key = lambda d: (d[0], d[1] or "", d[2])  # noqa: E731
    assert sorted(found, key=key) == sorted(expected, key=key)
    if not expected:
        assert found == []


# --------------------------------------------------------------------------- 4. fidelity of text


@pytest.mark.parametrize("exp", cases("no_broken_u"))
def test_no_broken_u_glyph_published(exp):
    bad = [
        f"{where}: …{text[max(0, text.find(ch) - 30) : text.find(ch) + 30]}…"
        for where, text in published_strings(exp)
        for ch in BROKEN_U
        if ch in text
    ]
    assert not bad, "«ƣ» còn trong nội dung công bố:\n" + "\n".join(bad)


@pytest.mark.parametrize("exp", cases("no_lost_glyphs"))
def test_no_lost_glyph_patterns_published(exp):
    bad = []
    for where, text in published_strings(exp):
        flat = collapse(text)
        for pattern in BROKEN_PATTERNS:
            for m in re.finditer(r"(?<!\w)" + re.escape(pattern) + r"(?!\w)", flat):
                bad.append(f"{where}: «{pattern}» trong …{flat[max(0, m.start() - 30) : m.end() + 30]}…")
    assert not bad, "chữ mất dấu chưa sửa:\n" + "\n".join(bad)


@pytest.mark.parametrize("exp", cases("nfc"))
def test_published_files_are_nfc(exp):
    bad = [
        p.relative_to(CONTENT).as_posix()
        for p in plan_files(exp)
        if not unicodedata.is_normalized("NFC", p.read_text("utf-8"))
    ]
    assert not bad, f"tệp không ở dạng NFC: {bad}"


@pytest.mark.parametrize("exp", cases("repairs_found"))
def test_text_repairs_found_in_source(content, exp):
    plan = plan_of(content, exp)
    source = source_path(plan, exp).read_text("utf-8")
    missing = [r.found for r in plan.text_repairs if r.found not in source]
    assert not missing, f"«found» không có trong văn bản gốc: {missing}"


@pytest.mark.parametrize("exp", cases("repairs_applied"))
def test_text_repairs_applied_in_published_content(content, exp):
    plan = plan_of(content, exp)
    haystack = [collapse(text) for _, text in published_strings(exp, with_repairs=False)]
    missing = []
    for r in plan.text_repairs:
        # A repair across a paragraph or list item (a page number dropped between two
        # targets) is published as separate strings: each piece must be there.
        pieces = [collapse(re.sub(r"^\s*[-*+]\s+", "", part)) for part in re.split(r"\n\s*\n", r.repaired)]
        for piece in filter(None, pieces):
            if not any(piece in text for text in haystack):
                missing.append(f"«{r.repaired}» (phần «{piece}»)")
    assert not missing, "«repaired» không có trong nội dung công bố:\n" + "\n".join(missing)


# --------------------------------------------------------------------------- 5. unknown stays unknown, source


@pytest.mark.parametrize("exp", cases("source_sha256"))
def test_source_copy_matches_sha256_and_seed(content, exp):
    plan = plan_of(content, exp)
    data = source_path(plan, exp).read_bytes()
    assert hashlib.sha256(data).hexdigest() == plan.source_document.sha256
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds không có (bản sao của người dùng)")
    assert data == (SEEDS / exp["source"]).read_bytes(), f"{plan.source_document.file} khác {exp['source']}"


@pytest.mark.parametrize("exp", cases("unknown_page"))
def test_unknown_stays_unknown_on_page(content, site, exp):
    plan = plan_of(content, exp)
    text = page_text(site, exp["plan"])
    if plan.number is None:
        assert "Số, ký hiệu không rõ" in text
    else:
        assert f"Số, ký hiệu {collapse(plan.number)}" in text
    if plan.signed_date is None:
        assert "Ngày ký không rõ" in text


# --------------------------------------------------------------------------- 6. whole build


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "site"
    build_site(CONTENT, ROOT / "site_config.yml", out, index=False)
    return out


def page_text(site: Path, path: str) -> str:
    return text_of((site / path / "index.html").read_text("utf-8"))


def check_rows(site: Path) -> list[tuple[str, str]]:
    """(raw html, text) of each data row of the «Kiểm tra số liệu» table."""
    raw = (site / "kiem-tra-so-lieu" / "index.html").read_text("utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", raw, flags=re.S)
    return [(row, text_of(row)) for row in rows if "<td" in row]


def _dong(table_view: facts.TableView, value: Decimal) -> str:
    return format.money(table_view.in_dong(value))


@pytest.mark.parametrize("exp", cases("page_totals"))
def test_plan_page_shows_declared_totals_in_dong(content, site, exp):
    plan = plan_of(content, exp)
    assert (site / exp["plan"] / "index.html").is_file()
    text = page_text(site, exp["plan"])
    mismatched = {(d[0], d[2]) for d in expected_discrepancies(exp) if d[1] is None}
    for table in plan.budget_tables:
        tv = facts.table_view(table)
        assert table.declared_total, f"{table.id}: không có tổng cộng văn bản ghi"
        assert f"Tổng: {format.money(tv.total_dong)}" in text
        for col, value in table.declared_total.items():
            shown = _dong(tv, value)
            if (table.id, col) in mismatched:
                assert f"{shown} Không khớp" in text, (table.id, col)
            else:
                assert f"{shown} khớp tổng các dòng" in text, (table.id, col)


@pytest.mark.parametrize("exp", cases("page_discrepancies"))
def test_discrepancies_on_plan_page_and_check_page(content, site, exp):
    plan = plan_of(content, exp)
    text = page_text(site, exp["plan"])
    expected = expected_discrepancies(exp)
    if not expected:
        assert "Không khớp" not in text
        assert not [r for r, _ in check_rows(site) if f"{exp['plan']}/#" in r]
        return
    tables = {t.id: facts.table_view(t) for t in plan.budget_tables}
    rows = check_rows(site)
    for table_id, group, column, declared, computed in expected:
        tv = tables[table_id]
        amounts = (_dong(tv, declared), _dong(tv, computed), _dong(tv, declared - computed))
        where = f"Nhóm {group}" if group else "Tổng cộng"
        assert f"Không khớp: tổng các dòng {amounts[1]}, chênh lệch {amounts[2]}" in text
        assert (
            f"{where} ({tv.column_label(column)}): văn bản ghi {amounts[0]}, tổng các dòng {amounts[1]}, "
            f"chênh lệch {amounts[2]}."
        ) in text
        listed = [
            t
            for r, t in rows
            if f'{exp["plan"]}/#{table_id}"' in r and f"{where} {tv.column_label(column)} {' '.join(amounts)}" in t
        ]
        assert len(listed) == 1, f"«Kiểm tra số liệu» không liệt kê {table_id} {where} {column}"


def test_check_page_lists_exactly_the_expected_discrepancies(site):
    assert len(check_rows(site)) == sum(len(exp["discrepancies"]) for exp in EXPECTED)


def test_sanity_known_totals(site):
    """The two figures the README names, written out once by hand."""
    assert "Tổng cộng 1.545.000.000 đồng khớp tổng các dòng" in page_text(site, "ha-tinh/duc-tho/2023-chinh-quyen-so")
    duc_co = page_text(site, "gia-lai/duc-co/2023-chinh-quyen-so")
    assert (
        "Tổng cộng (Tổng mức đầu tư (Triệu đồng)): văn bản ghi 1.374.306.000 đồng, tổng các dòng "
        "1.293.825.636 đồng, chênh lệch 80.480.364 đồng."
    ) in duc_co
    check_page = page_text(site, "kiem-tra-so-lieu")
    assert "1.374.306.000 đồng 1.293.825.636 đồng 80.480.364 đồng" in check_page

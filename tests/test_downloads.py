"""The downloads say what the documents say: built from the real content, read back as a journalist would."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from tests.helpers import ROOT, build, check_period_downloads, money

DUC_CO = "gia-lai/duc-co/2023-chinh-quyen-so"
THANH_HA = "hai-duong/thanh-ha/2022-ung-dung-cntt"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("downloads")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "site_config.yml", folder / "site_config.yml")
    return build(folder, index=False)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


def _csv_or_none(path: Path) -> list[dict[str, str]]:
    """A plan's table file: a plan without such a table has none (its page offers none)."""
    return _csv(path) if path.exists() else []


def test_an_unstated_budget_is_empty_not_zero(site):
    rows = {r["ma"]: r for r in _csv(site / "data/ke-hoach.csv")}
    stated = {r["ma"] for r in rows.values() if r["kinh_phi_du_kien_dong"]}
    assert DUC_CO in stated
    for plan in ("ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so", THANH_HA, "ha-tinh/2020-ung-dung-cntt"):
        assert rows[plan]["kinh_phi_du_kien_dong"] == ""
    plans = {p["ma"]: p for p in json.loads((site / "data/ke-hoach.json").read_text("utf-8"))}
    assert plans[THANH_HA]["kinh_phi_du_kien_dong"] is None


def test_budget_download_rebuilds_the_table_as_printed(site):
    rows = [r for r in _csv(site / DUC_CO / "kinh-phi.csv") if r["bang"] == "nhiem-vu-du-an-2022"]
    lines = [r for r in rows if r["loai_dong"] == "dong"]
    subtotals = [r for r in rows if r["loai_dong"] == "cong-nhom"]
    (total,) = [r for r in rows if r["loai_dong"] == "tong-cong"]
    # The document declares 1.374.306.000 đồng; its lines add up to less, and the download says both.
    assert total["so_tien_dong"] == "1374306000" and total["so_tien_in"] == "1.374.306"
    assert total["tong_cac_dong_dong"] == str(sum(int(r["so_tien_dong"]) for r in lines)) == "1293825636"
    assert int(total["chenh_lech_dong"]) == 1374306000 - 1293825636
    assert total["don_vi_tien_in"] == "triệu đồng"
    # Each group's declared subtotal (group I declares 601,586 triệu) beside the sum of its lines.
    group_one = next(r for r in subtotals if r["ma_nhom"] == "I")
    assert group_one["so_tien_dong"] == "601586000"
    assert group_one["tong_cac_dong_dong"] == str(sum(int(r["so_tien_dong"]) for r in lines if r["ma_nhom"] == "I"))
    # Amounts are whole đồng, never a number with a dot that a Vietnamese reader takes for thousands.
    assert all(r["so_tien_dong"].isdigit() for r in lines)
    assert all(r["so_tien_in"] for r in lines)


def test_each_budget_by_year_downloads_as_printed_and_says_whose_it_is(site):
    """A unit's page and the budget page: their table «Kinh phí theo năm» downloads beside the page, the unit's own
    (the link to every budget line on the portal says it is the portal's), and its rows rebuild the table."""
    pages = [p for p in sorted(site.rglob("index.html")) if "ck-budget-years" in p.read_text("utf-8")]
    assert {p.parent.relative_to(site).as_posix() for p in pages} >= {"ngan-sach", "ha-tinh", "gia-lai/duc-co"}
    for page in pages:
        doc = lxml.html.fromstring(page.read_text("utf-8"))
        (table,) = doc.xpath("//div[contains(@class, 'ck-budget-years')]/table")
        links = table.getparent().getnext().xpath(".//a/@href")
        assert links == ["kinh-phi-theo-nam.csv", "kinh-phi-theo-nam.json"], page
        rows = _csv(page.parent / links[0])
        assert rows == [
            {k: "" if v is None else str(v) for k, v in r.items()}
            for r in json.loads((page.parent / links[1]).read_text("utf-8"))
        ]
        scope = doc.xpath("//h1")[0].text_content().strip() if page.parent != site / "ngan-sach" else "Toàn cổng"
        printed = table.xpath("./tbody/tr")
        assert len(rows) == len(printed) > 0
        for row, tr in zip(rows, printed):
            assert row["pham_vi"] == scope
            assert tr.xpath("./th")[0].text_content() == f"Năm {row['nam']}"
            for kind, td in zip(("du_kien", "da_thuc_hien"), tr.xpath("./td")):
                cell = td.text_content()
                if "không có văn bản nào nêu" in cell:  # unknown: empty, never zero
                    assert not any(row[f"{kind}_{c}"] for c in ("dong", "tong_cac_dong_dong", "so_van_ban")), cell
                    continue
                total, lines = int(row[f"{kind}_dong"]), int(row[f"{kind}_tong_cac_dong_dong"])
                assert cell.startswith(money(total)) and f"; {row[f'{kind}_so_van_ban']} văn bản" in cell
                assert int(row[f"{kind}_chenh_lech_dong"]) == total - lines
                assert (f"Tổng các dòng: {money(lines)}" in cell) == (total != lines), cell
        every_line = [
            p for p in doc.xpath("//p[@class='ck-download']") if p.xpath(".//a[contains(@href, 'data/kinh-phi.csv')]")
        ]
        assert every_line and "mọi văn bản trên cổng" in every_line[0].text_content()
    # The seed's declared totals that differ from their lines are downloaded as declared, with the difference.
    (portal_2022,) = [r for r in _csv(site / "ngan-sach/kinh-phi-theo-nam.csv") if r["nam"] == "2022"]
    assert (
        portal_2022["da_thuc_hien_dong"] == "1939606000" and portal_2022["da_thuc_hien_chenh_lech_dong"] == "80480364"
    )


def test_each_budget_periods_breakdowns_download_as_printed(site):
    """The tables of a budget period by unit and by the portal's spending groups, on a unit's page and the budget
    page, download beside the page, row for row as printed."""
    checked = {p.parent.relative_to(site).as_posix(): check_period_downloads(p) for p in site.rglob("index.html")}
    assert checked["ngan-sach"] >= 3 and checked["gia-lai/duc-co"] >= 2 and checked["ha-tinh"] >= 1
    duc_co = _csv(site / "gia-lai/duc-co/kinh-phi-theo-ky.csv")
    assert {r["theo"] for r in duc_co} == {"don-vi", "nhom-chi"} and all(r["pham_vi"] == "Huyện Đức Cơ" for r in duc_co)


def test_each_indicators_targets_download_beside_its_page_as_listed(site):
    """An indicator's page lists every plan's target for it; they download beside it, in the page's order (before,
    the only download there was every indicator's table)."""
    checked = 0
    for page in sorted((site / "chi-so").glob("*/index.html")):
        doc = lxml.html.fromstring(page.read_text("utf-8"))
        printed = doc.xpath("//table[contains(caption, 'Chỉ tiêu cho chỉ số')]/tbody/tr")
        if not printed:
            continue
        links = doc.xpath("//p[@class='ck-download']/a/@href")
        assert links[:2] == ["chi-tieu.csv", "chi-tieu.json"], page
        rows = _csv(page.parent / "chi-tieu.csv")
        assert [
            {k: "" if v is None else str(v) for k, v in r.items()}
            for r in json.loads((page.parent / "chi-tieu.json").read_text("utf-8"))
        ] == rows
        targets = [tr.xpath(".//a[contains(@href, '#chi-tieu-')]/@href")[0].split("/", 2)[2] for tr in printed]
        assert [f"{r['ke_hoach']}/#chi-tieu-{r['tt_chi_tieu']}" for r in rows] == targets, page
        statuses = [tr.xpath("./td")[-2].text_content().strip() for tr in printed]
        assert [r["trang_thai"] for r in rows] == statuses and {r["ma_chi_so"] for r in rows} == {page.parent.name}
        checked += 1
    assert checked >= 5


def test_the_indicator_catalogue_downloads_as_listed(site):
    doc = lxml.html.fromstring((site / "chi-so/index.html").read_text("utf-8"))
    assert doc.xpath("//p[@class='ck-download']/a/@href")[:2] == ["danh-muc.csv", "danh-muc.json"]
    rows = _csv(site / "chi-so/danh-muc.csv")
    assert [
        {k: "" if v is None else str(v) for k, v in r.items()}
        for r in json.loads((site / "chi-so/danh-muc.json").read_text("utf-8"))
    ] == rows
    printed = [[td.text_content() for td in tr.xpath("./td")] for tr in doc.xpath("//table/tbody/tr")]
    assert [[r["chi_so"], r["linh_vuc"], r["don_vi_do"], r["so_chi_tieu"]] for r in rows] == printed
    assert len(rows) >= 10 and all(r["ma_chi_so"] for r in rows)


def test_a_provinces_tables_download_beside_its_page_as_its_plans_files_join(site):
    """On a national portal data/<table> holds every province's plans, past what a spreadsheet opens: a province's
    page offers each table of its plans and its units' plans, the rows of their own files in the portal's order."""
    plans = [r["ma"] for r in _csv(site / "data/ke-hoach.csv")]
    provinces = sorted({plan.split("/")[0] for plan in plans})
    assert len(provinces) == 3
    for province in provinces:
        doc = lxml.html.fromstring((site / province / "index.html").read_text("utf-8"))
        links = doc.xpath("//h2[@id='du-lieu']/following-sibling::ul[1]//a/@href")
        mine = [plan for plan in plans if plan.startswith(province + "/")]
        for stem in ("chi-tieu", "kinh-phi", "can-cu", "trach-nhiem", "ket-qua"):
            joined = [row for plan in mine for row in _csv_or_none(site / plan / f"{stem}.csv")]
            if not joined:  # no plan of the province has the table: no file
                assert f"du-lieu/{stem}.csv" not in links and not (site / province / "du-lieu" / f"{stem}.csv").exists()
                continue
            assert f"du-lieu/{stem}.csv" in links and f"du-lieu/{stem}.json" in links, (province, stem)
            rows = _csv(site / province / "du-lieu" / f"{stem}.csv")
            assert rows == joined, (province, stem)
            assert [
                {k: "" if v is None else str(v) for k, v in r.items()}
                for r in json.loads((site / province / "du-lieu" / f"{stem}.json").read_text("utf-8"))
            ] == rows
    assert _csv(site / "ha-tinh/du-lieu/kinh-phi.csv") and not (site / "hai-duong/du-lieu/kinh-phi.csv").exists()


def test_target_download_carries_the_previous_period(site):
    rows = _csv(site / THANH_HA / "chi-tieu.csv")
    first = next(r for r in rows if r["tt"] == "1")
    assert (
        first["ky_truoc_gia_tri"] == "100" and first["ky_truoc_don_vi_do"] == "%" and first["ky_truoc_ky"] == "năm 2021"
    )
    assert "91,55%" in next(r for r in rows if r["tt"] == "3")["ky_truoc"]


def test_dates_in_data_are_iso(site):
    plans = {r["ma"]: r for r in _csv(site / "data/ke-hoach.csv")}
    assert plans[DUC_CO]["ngay_ky"] == "2022-11"
    dates = [r["ngay"] for r in _csv(site / "data/can-cu.csv") if r["ngay"]]
    assert dates and all(len(d) == 10 and d[4] == "-" and d[7] == "-" for d in dates)


def test_data_package_validates_with_frictionless(site):
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    assert all(r["profile"] == "tabular-data-resource" for r in package["resources"])
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=site / "data",
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    errors = [e.get("message") for task in report.get("tasks", []) for e in task.get("errors", [])][:5]
    assert report["valid"], errors or result.stderr[-2000:]


def _seed_plans() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT / "content").with_suffix(""))
        for p in (ROOT / "content").rglob("*.yml")
        if p.name not in ("unit.yml", "agencies.yml", "indicators.yml", "budget_categories.yml")
    )


@pytest.mark.parametrize("plan_id", _seed_plans())
def test_each_plan_download_rebuilds_its_tables_as_printed(site, plan_id):
    """Every figure of the plan's budget tables — lines, declared subtotals, declared totals, as printed — and
    every target and legal basis is in the plan's own CSV, in the document's order."""
    import yaml

    from generator.content.facts import table_view
    from generator.content.schema import Plan

    plan = Plan.model_validate(
        yaml.load(
            (ROOT / "content" / f"{plan_id}.yml").read_text("utf-8"),
            Loader=__import__("generator.content.load", fromlist=["_Loader"])._Loader,
        )
    )
    rows = _csv_or_none(site / plan_id / "kinh-phi.csv")
    expected = []
    for table in plan.budget_tables:
        tv = table_view(table)
        for group in table.groups:
            for line in group.lines:
                for col in table.columns:
                    if (value := line.amounts.get(col.key)) is not None:
                        expected.append((table.id, "dong", line.name, col.label, str(int(tv.in_dong(value)))))
            if group.declared or group.name or group.code:
                for col in table.columns:
                    value = group.declared.get(col.key)
                    expected.append(
                        (table.id, "cong-nhom", "", col.label, "" if value is None else str(int(tv.in_dong(value))))
                    )
        for col in table.columns:
            value = table.declared_total.get(col.key)
            expected.append(
                (table.id, "tong-cong", "", col.label, "" if value is None else str(int(tv.in_dong(value))))
            )
    assert [(r["bang"], r["loai_dong"], r["noi_dung"], r["cot"], r["so_tien_dong"]) for r in rows] == expected
    printed = {
        (r["bang"], r["loai_dong"], r["ma_nhom"], r["cot"]): r["so_tien_in"] for r in rows if r["loai_dong"] != "dong"
    }
    for table in plan.budget_tables:
        for col in table.columns:
            if col.key in table.declared_total_printed:
                assert printed[(table.id, "tong-cong", "", col.label)] == table.declared_total_printed[col.key]
    targets = _csv_or_none(site / plan_id / "chi-tieu.csv")
    assert [r["chi_tieu"] for r in targets] == [t.statement for t in plan.targets]
    bases = _csv_or_none(site / plan_id / "can-cu.csv")
    assert [r["trich_yeu"] for r in bases] == [b.title for b in plan.legal_bases]


def test_budget_categories_merge_what_plans_name_differently(site):
    """«Chi cho hạ tầng kỷ thuật» (Đức Thọ) and «Phát triển hạ tầng kỹ thuật» (Đức Cơ) are one category of the
    portal's classification in the 2023 planned roll-up; the plan page keeps each document's own wording."""
    import re

    html = (site / "ngan-sach/index.html").read_text("utf-8")
    planned_2023 = html.split('id="ns-2023-du-kien"')[1]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td><span class="ck-amount">([\d.]+) đồng', planned_2023)
    assert ("Hạ tầng kỹ thuật, hạ tầng số", "990.000.000") in rows
    assert not any("hạ tầng kỷ thuật" in label.lower() for label, _ in rows)
    assert "Chi cho hạ tầng kỷ thuật" in (site / "ha-tinh/duc-tho/2023-chinh-quyen-so/index.html").read_text("utf-8")


def test_an_unknown_budget_category_is_refused(basic_content):
    from generator.build.pipeline import check
    from generator.errors import ContentErrors

    (basic_content / "content/budget_categories.yml").write_text(
        "categories:\n  - code: ha-tang\n    name: Hạ tầng\n", "utf-8"
    )
    plan = basic_content / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    plan.write_text(
        plan.read_text("utf-8").replace(
            "name: Trang bị tường lửa", "name: Trang bị tường lửa\n            category_code: ha-tang-so"
        ),
        "utf-8",
    )
    with pytest.raises(ContentErrors) as err:
        check(basic_content / "content")
    assert (
        "budget_tables[0].groups[0].lines[0].category_code (bảng kinh phí thứ 1 › nhóm thứ 1 › dòng thứ 1 › "
        "mã nhóm chi): mã nhóm chi «ha-tang-so» không có trong "
        "content/budget_categories.yml (có: ha-tang)"
    ) in err.value.report()

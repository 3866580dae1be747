"""Shared test helpers: build real sites into temporary folders."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# A generated portal (bench/corpus.py) past LIST_LIMIT in its long lists: 200 plans, in the catalogue of documents,
# the budget and the busiest indicators (over 120 targets each), whose pages are split by province.
LARGE_PORTAL_PLANS = 200


def git_env(date: str) -> dict[str, str]:
    """The environment of a commit by the editors at `date` (ISO 8601): the same history makes the same bytes."""
    return {
        "GIT_AUTHOR_NAME": "Biên tập",
        "GIT_AUTHOR_EMAIL": "bien-tap@example.gov.vn",
        "GIT_COMMITTER_NAME": "Biên tập",
        "GIT_COMMITTER_EMAIL": "bien-tap@example.gov.vn",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target


def generator_command(folder: Path, *args: str) -> list[str]:
    """`python -m generator` on the content and site_config.yml in `folder`, as an editor runs it."""
    return [
        sys.executable,
        "-m",
        "generator",
        "--content",
        str(folder / "content"),
        "--config",
        str(folder / "site_config.yml"),
        *args,
    ]


def build(folder: Path, out: Path | None = None, *, index: bool = True) -> Path:
    from generator.build.pipeline import build_site

    out = out or folder / "site"
    build_site(folder / "content", folder / "site_config.yml", out, index=index)
    return out


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page(site: Path, path: str) -> str:
    """The HTML of the page at a site-relative directory path ("" for the home page)."""
    return (site / path / "index.html").read_text("utf-8")


def money(dong: int) -> str:
    """An amount as the pages print it: «1.545.000.000 đồng»."""
    return f"{dong:,}".replace(",", ".") + " đồng"


# A budget period's breakdown as a unit's page, the budget page or a year's page prints it: what, and which period.
_PERIOD_TABLE = re.compile(
    r"(Theo đơn vị|Theo tỉnh, thành phố|Theo nhóm chi \(cổng xếp nhóm các khoản chi của văn bản\), tổng các dòng)"
    r": (kinh phí .+ năm \d{4})"
)
_BREAKDOWN_KIND = {"Theo đơn vị": "don-vi", "Theo tỉnh, thành phố": "tinh"}


def check_period_downloads(page: Path) -> int:
    """Every budget period's breakdown printed on `page` (an index.html) is in the file beside it that the page links,
    kinh-phi-theo-ky.csv and .json (the same rows), row for row as printed. Returns how many tables it checked."""
    import csv
    import io
    import json

    import lxml.html

    doc = lxml.html.fromstring(page.read_text("utf-8"))
    tables = [
        (m, t)
        for t in doc.xpath("//figure[contains(@class, 'ck-breakdown')]//table")
        if (m := _PERIOD_TABLE.fullmatch(t.xpath("./caption")[0].text_content()))
    ]
    if not tables:
        return 0
    links = doc.xpath("//p[@class='ck-download']/a[starts-with(@href, 'kinh-phi-theo-ky.')]/@href")
    assert links == ["kinh-phi-theo-ky.csv", "kinh-phi-theo-ky.json"], page
    rows = list(csv.DictReader(io.StringIO((page.parent / links[0]).read_text("utf-8-sig"))))
    as_json = json.loads((page.parent / links[1]).read_text("utf-8"))
    assert rows == [{k: "" if v is None else str(v) for k, v in r.items()} for r in as_json], page
    for match, table in tables:
        kind = _BREAKDOWN_KIND.get(match.group(1), "nhom-chi")
        period = match.group(2)
        mine = [r for r in rows if r["theo"] == kind and f"{r['loai']} năm {r['nam']}".lower() == period]
        printed = table.xpath("./tbody/tr")
        assert [tr.xpath("./th")[0].text_content() for tr in printed] == [r["khoan"] for r in mine], (page, period)
        for tr, row in zip(printed, mine):
            cell = tr.xpath("./td")[0].text_content()
            assert cell.startswith(money(int(row["so_tien_dong"]))), (page, cell)
            lines = f"Tổng các dòng: {money(int(row['tong_cac_dong_dong']))}"
            assert (lines in cell) == (row["chenh_lech_dong"] != "0"), (page, cell)
            if kind == "tinh":
                assert tr.xpath("./td")[1].text_content() == row["so_van_ban"], (page, row)
    return len(tables)


def status_summary(site: Path, url: str) -> Counter:
    """The targets by status as the page at `url` gives them in its status summary (_macros.j2 status_summary)."""
    html = (site / url / "index.html").read_text("utf-8")
    found = re.findall(r'<li><span class="ck-status ck-status-[^"]+">([^<]+)</span>: (\d+)</li>', html)
    return Counter({label: int(count) for label, count in found})

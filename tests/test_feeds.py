"""Atom feeds per province, unit and agency, and the corrections page with its feed (issue 25).

Built from the basic fixture in a Git repository whose commits carry dates and `Lý do:` trailers (as
tests/test_history.py makes them), with a second district and a results file added over time; and from the seed
content, in the project's own history. Every feed validates against RFC 4287's RELAX NG schema (tests/atom.rng) and
the schema's Schematron rules, lists the plans of its unit, province or agency, and names what changed in the
editors' words, never a commit's message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import lxml.etree as ET
import lxml.html
import pytest
import yaml

from generator.model import history
from tests.helpers import ROOT, build, copy_fixture, page, tree_digest
from tests.test_history import commit, git

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
BASE = "https://example.org/cong-khai/"
PLAN = "tinh-mau/huyen-mau/2023-ke-hoach"
OTHER = "tinh-mau/huyen-khac/2023-ke-hoach"
SUBJECTS = ("Issue 25: feeds", "WIP refactor results", "Fix typo found in review")
CORRECTION = "Sửa tên người ký theo bản gốc"
NEW_RESULTS = "Bổ sung kết quả năm 2023 theo báo cáo"
SCHEMA = ET.RelaxNG(ET.parse(str(ROOT / "tests" / "atom.rng")))


def results_file(value: int) -> str:
    return yaml.safe_dump(
        {
            "sources": [
                {
                    "id": "bc-2023",
                    "kind": "bao-cao",
                    "title": "Báo cáo kết quả chuyển đổi số năm 2023",
                    "number": "12/BC-UBND",
                    "date": "10/01/2024",
                    "url": "https://example.org/bao-cao/12-bc-ubnd",
                }
            ],
            "results": [{"target": 1, "value": value, "unit": "%", "date": "31/12/2023", "source": "bc-2023"}],
        },
        allow_unicode=True,
    )


def add_district(folder: Path) -> None:
    """A second district of the province, with a plan of its own (its own number, issuer and source text)."""
    src, dest = folder / "content/tinh-mau/huyen-mau", folder / "content/tinh-mau/huyen-khac"
    dest.mkdir()
    (dest / "unit.yml").write_text("name: Huyện Khác\nlevel: huyen\nparent: tinh-mau\n", "utf-8")
    source = (src / "2023-ke-hoach.nguon.txt").read_text("utf-8").replace(
        "Đông Mẫu", "Khác"
    ) + "\nBản của huyện Khác.\n"
    (dest / "2023-ke-hoach.nguon.txt").write_text(source, "utf-8")
    plan = (src / "2023-ke-hoach.yml").read_text("utf-8")
    plan = plan.replace("12/KH-UBND", "13/KH-UBND").replace("UBND huyện Đông Mẫu", "UBND huyện Khác")
    plan = re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {hashlib.sha256(source.encode()).hexdigest()}", plan)
    (dest / "2023-ke-hoach.yml").write_text(plan, "utf-8")
    shutil.copyfile(src / "2023-ke-hoach.md", dest / "2023-ke-hoach.md")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """The fixture's history: published 01/03/2023; a second district 10/03/2023; a correction with a reason
    15/04/2023; results reported 01/06/2023 (a reason); the other district's plan changed without a reason
    01/07/2023."""
    folder = copy_fixture("basic", tmp_path_factory.mktemp("feeds"))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "Công bố kế hoạch năm 2023", date="2023-03-01T10:00:00+07:00")
    add_district(folder)
    git(folder, "add", "-A")
    git(
        folder,
        "commit",
        "-qm",
        f"{SUBJECTS[0]}\n\nLý do: Công bố kế hoạch huyện Khác",
        date="2023-03-10T10:00:00+07:00",
    )
    plan = folder / "content" / f"{PLAN}.yml"
    plan.write_text(plan.read_text("utf-8").replace("Trần Văn Ký", "Trần Văn Kỳ"), "utf-8")
    commit(folder, f"{SUBJECTS[2]}\n\nDeveloper notes.\n\nLý do: {CORRECTION}", "2023-04-15T09:00:00+07:00")
    (folder / "content" / f"{PLAN}.ket-qua.yml").write_text(results_file(95), "utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", f"{SUBJECTS[1]}\n\nLý do: {NEW_RESULTS}", date="2023-06-01T09:00:00+07:00")
    other = folder / "content" / f"{OTHER}.yml"
    other.write_text(other.read_text("utf-8").replace("    value: 100\n", "    value: 90\n", 1), "utf-8")
    commit(folder, SUBJECTS[1], "2023-07-01T09:00:00+07:00")
    return folder


@pytest.fixture(scope="module")
def site(repo):
    return build(repo, repo / "site", index=False)


def entries(feed: Path) -> dict[str, ET._Element]:
    """A feed's entries by id, without the base URL."""
    doc = ET.parse(str(feed))
    return {e.findtext("a:id", namespaces=NS).removeprefix(BASE): e for e in doc.findall("a:entry", NS)}


def assert_atom(path: Path, url: str) -> None:
    """Valid Atom: RFC 4287's schema, its Schematron rules (an author for every entry, an alternate link), and
    absolute ids and links; the self link is the feed's own address."""
    doc = ET.parse(str(path))
    assert SCHEMA.validate(doc), f"{path}: {SCHEMA.error_log}"
    feed = doc.getroot()
    assert feed.tag == f"{{{ATOM}}}feed" and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    authored = feed.find("a:author", NS) is not None
    for entry in feed.findall("a:entry", NS):
        assert authored or entry.find("a:author", NS) is not None
        assert entry.xpath("a:link[@rel='alternate' or not(@rel)]", namespaces=NS)
    for element in doc.iter(f"{{{ATOM}}}id"):
        assert element.text.startswith("https://"), element.text
    for link in doc.iter(f"{{{ATOM}}}link"):
        assert link.get("href").startswith("https://"), link.get("href")
    assert feed.xpath("a:link[@rel='self']/@href", namespaces=NS) == [url]
    for date in doc.iter(f"{{{ATOM}}}updated", f"{{{ATOM}}}published"):
        dt.datetime.fromisoformat(date.text)


# --------------------------------------------------------------------------- history of the results file


def test_history_includes_the_results_file_and_tells_corrections_from_news(repo):
    plans = {PLAN: repo / "content" / f"{PLAN}.yml", OTHER: repo / "content" / f"{OTHER}.yml"}
    h = history.collect(repo / "content", plans)
    mine = h[PLAN]
    assert [(c.date, c.reason) for c in mine.changes] == [
        (dt.date(2023, 3, 1), history.NEUTRAL_REASON),
        (dt.date(2023, 4, 15), CORRECTION),
        (dt.date(2023, 6, 1), NEW_RESULTS),
    ]
    published, corrected, results = mine.changes
    assert published.files == {"yml", "md"} and not published.amends
    assert corrected.files == {"yml"} and corrected.amends
    assert results.results_only and not results.amends
    assert results.summary == (
        "Kết quả chỉ tiêu 1: 95% (tính đến 31/12/2023)",
        "Nguồn kết quả: thêm «Báo cáo kết quả chuyển đổi số năm 2023»",
    )
    assert "kết quả (sau)" in results.diff and "+  value: 95" in results.diff
    assert mine.corrections == [(2, corrected)]
    assert h[OTHER].corrections == [(2, h[OTHER].changes[1])]


def test_a_result_changed_or_removed_is_a_correction(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    git(folder, "init", "-q", "-b", "main")
    results = folder / "content" / f"{PLAN}.ket-qua.yml"
    results.write_text(results_file(95), "utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "Công bố", date="2024-02-01T10:00:00+07:00")
    results.write_text(results_file(97), "utf-8")
    commit(folder, "x\n\nLý do: Báo cáo sửa số liệu", "2024-03-01T10:00:00+07:00")
    h = history.collect(folder / "content", {PLAN: folder / "content" / f"{PLAN}.yml"})[PLAN]
    changed = h.changes[1]
    assert changed.summary == ("Kết quả chỉ tiêu 1 (tính đến 31/12/2023): 95% → 97%",)
    assert changed.amends and h.corrections == [(2, changed)]


# --------------------------------------------------------------------------- feeds


def test_every_feed_is_valid_atom(site):
    feeds = sorted(site.rglob("feed.xml"))
    names = {f.relative_to(site).as_posix() for f in feeds}
    assert {"feed.xml", "tinh-mau/feed.xml", "tinh-mau/huyen-mau/feed.xml", "tinh-mau/huyen-khac/feed.xml"} <= names
    assert "dinh-chinh/feed.xml" in names and any(n.startswith("co-quan/tinh-mau/huyen-mau/") for n in names)
    for feed in feeds:
        assert_atom(feed, BASE + feed.relative_to(site).as_posix())


def test_unit_and_province_feeds_list_their_plans(site):
    assert set(entries(site / "tinh-mau/huyen-mau/feed.xml")) == {PLAN + "/"}
    assert set(entries(site / "tinh-mau/huyen-khac/feed.xml")) == {OTHER + "/"}
    assert set(entries(site / "tinh-mau/feed.xml")) == {PLAN + "/", OTHER + "/"}  # the province: its subtree
    assert set(entries(site / "feed.xml")) == {PLAN + "/", OTHER + "/"}
    feed = ET.parse(str(site / "tinh-mau/huyen-mau/feed.xml")).getroot()
    assert feed.findtext("a:title", namespaces=NS) == "Huyện Đông Mẫu, Mẫu: văn bản, thay đổi và kết quả"
    assert feed.xpath("a:link[@rel='alternate']/@href", namespaces=NS) == [BASE + "tinh-mau/huyen-mau/"]


def test_agency_feeds_list_the_plans_that_give_them_work(site):
    feeds = sorted((site / "co-quan/tinh-mau").glob("*/*/feed.xml"))
    assert feeds
    for feed in feeds:
        listed = set(entries(feed))
        unit = feed.parent.parent.name
        assert listed == {f"tinh-mau/{unit}/2023-ke-hoach/"}, feed


def test_entries_name_the_last_change_in_editors_words(site):
    mine = entries(site / "tinh-mau/huyen-mau/feed.xml")[PLAN + "/"]
    summary = mine.findtext("a:summary", namespaces=NS)
    # the last change reported results: named as such, with the editor's reason and the results
    assert f"Kết quả mới: {NEW_RESULTS} (Kết quả chỉ tiêu 1: 95% (tính đến 31/12/2023);" in summary
    assert mine.xpath("a:category/@term", namespaces=NS)[-1] == "ket-qua-moi"
    assert mine.findtext("a:published", namespaces=NS) == "2023-03-01T00:00:00+07:00"
    assert mine.findtext("a:updated", namespaces=NS) == "2023-06-01T00:00:00+07:00"
    assert mine.xpath("a:link[@rel='related']/@href", namespaces=NS) == [BASE + PLAN + "/lich-su/#lan-3"]
    other = entries(site / "tinh-mau/huyen-khac/feed.xml")[OTHER + "/"]
    assert "Cập nhật nội dung (Chỉ tiêu 1: giá trị: 100% → 90%)." in other.findtext("a:summary", namespaces=NS)
    assert other.xpath("a:category/@term", namespaces=NS)[-1] == "cap-nhat"
    for feed in site.rglob("feed.xml"):
        text = feed.read_text("utf-8")
        assert not any(s in text for s in SUBJECTS) and "Developer notes" not in text, feed
    # the feed's date is its last entry's, from Git: the same history builds the same bytes
    province = ET.parse(str(site / "tinh-mau/feed.xml")).getroot()
    assert province.findtext("a:updated", namespaces=NS) == "2023-07-01T00:00:00+07:00"


def test_feeds_are_the_same_bytes_from_the_same_history(repo, site, tmp_path):
    again = build(repo, tmp_path / "again", index=False)
    feeds = {k: v for k, v in tree_digest(site).items() if k.endswith("feed.xml")}
    assert len(feeds) > 5
    assert feeds == {k: v for k, v in tree_digest(again).items() if k.endswith("feed.xml")}


def test_pages_link_their_feed_in_the_head_and_in_the_text(site):
    agency = next((site / "co-quan/tinh-mau/huyen-mau").glob("*/feed.xml")).parent.relative_to(site).as_posix()
    for path in ("tinh-mau", "tinh-mau/huyen-mau", agency, "dinh-chinh"):
        html = page(site, path)
        head = html[: html.index("</head>")]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" href="feed.xml" title="Theo dõi: ', head)
        body = html[html.index("<article") :]
        assert re.search(r'<a href="feed.xml" type="application/atom\+xml">[^<]*\(Atom\)</a>', body), path
    plan = page(site, PLAN)
    assert 'type="application/atom+xml"' not in plan[: plan.index("</head>")]


# --------------------------------------------------------------------------- corrections


def test_the_corrections_page_lists_corrections_with_their_reasons(site):
    html = page(site, "dinh-chinh")
    rows = re.findall(r"<tr><td[^>]*>(\d\d/\d\d/\d{4})</td>(.*?)</tr>", html, re.S)
    assert [date for date, _ in rows] == ["01/07/2023", "15/04/2023"]  # newest first; no publication, no new result
    other, mine = (row for _, row in rows)
    assert "Huyện Đông Mẫu, Mẫu — Kế hoạch 2023, phát triển chính quyền số" in mine
    assert (
        "<li>Người ký: họ tên: Trần Văn Ký → Trần Văn Kỳ</li>" in mine
        and f'<td data-label="Lý do">{CORRECTION}</td>' in mine
    )
    assert "Số 12/KH-UBND" in mine and 'href="../tinh-mau/huyen-mau/2023-ke-hoach/lich-su/#lan-2"' in mine
    assert "Cập nhật nội dung <small>(ban biên tập không ghi lý do)</small>" in other
    assert NEW_RESULTS not in html and not any(s in html for s in SUBJECTS)
    feed = entries(site / "dinh-chinh/feed.xml")
    assert list(feed) == [OTHER + "/lich-su/#lan-2", PLAN + "/lich-su/#lan-2"]
    summary = feed[PLAN + "/lich-su/#lan-2"].findtext("a:summary", namespaces=NS)
    assert summary == f"Lý do: {CORRECTION} (Người ký: họ tên: Trần Văn Ký → Trần Văn Kỳ)."
    # reached from every page's footer and from the «Tiếp cận thông tin» page
    assert 'href="../../dinh-chinh/">Đính chính</a>' in page(site, "tinh-mau/huyen-mau")
    disclosure = page(site, "tiep-can-thong-tin")
    assert 'href="../dinh-chinh/">Đính chính</a>' in disclosure and "Góp ý, đề nghị đính chính" in disclosure


def _rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows, checked against its JSON twin (the same rows, empty for null)."""
    import csv
    import io
    import json

    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    twin = json.loads(path.with_suffix(".json").read_text("utf-8"))
    assert rows == [{k: "" if v is None else str(v) for k, v in r.items()} for r in twin], path
    return rows


def test_each_history_and_the_corrections_download_as_listed(site):
    """A plan's changes download beside its history page as its table lists them, and every correction beside the
    corrections page: the reason only where an editor gave one, the fields changed, the commit."""
    histories = 0
    for history_page in sorted(site.glob("**/lich-su/index.html")):
        doc = lxml.html.fromstring(history_page.read_text("utf-8"))
        assert doc.xpath("//p[@class='ck-download']/a/@href") == ["lich-su.csv", "lich-su.json"], history_page
        rows = _rows(history_page.parent / "lich-su.csv")
        printed = doc.xpath("//table/tbody/tr")
        assert len(rows) == len(printed) > 0
        for n, (row, tr) in enumerate(zip(rows, printed), 1):
            number, date, said, code = (td.text_content() for td in tr.xpath("./td"))
            assert row["lan"] == number == str(n) and row["ma_commit"] == code
            assert dt.date.fromisoformat(row["ngay"]).strftime("%d/%m/%Y") == date
            assert said.startswith("Công bố lần đầu") == (row["loai"] == "Công bố lần đầu") == (n == 1)
            assert said.endswith(f"Lý do: {row['ly_do']}") if row["ly_do"] else "Lý do:" not in said
        histories += 1
    assert histories >= 2
    mine = _rows(site / PLAN / "lich-su/lich-su.csv")
    assert [r["loai"] for r in mine] == ["Công bố lần đầu", "Đính chính", "Bổ sung kết quả"]
    assert (
        mine[1]["ly_do"] == CORRECTION
        and "Người ký: họ tên: Trần Văn Ký → Trần Văn Kỳ" in mine[1]["cac_muc_da_thay_doi"]
    )
    corrections = _rows(site / "dinh-chinh/dinh-chinh.csv")
    assert [(r["ke_hoach"], r["lan"], r["ngay"]) for r in corrections] == [
        (OTHER, "2", "2023-07-01"),
        (PLAN, "2", "2023-04-15"),
    ]
    assert corrections[1] == mine[1] and corrections[0]["ly_do"] == ""  # its editor gave none
    assert lxml.html.fromstring(page(site, "dinh-chinh")).xpath("//p[@class='ck-download']/a/@href") == [
        "dinh-chinh.csv",
        "dinh-chinh.json",
    ]


# --------------------------------------------------------------------------- the seed content


def test_the_seed_sites_feeds_are_valid_atom(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    site = build(folder, index=False)  # outside Git: no history, every plan's entry says so
    base = str(yaml.safe_load((ROOT / "site_config.yml").read_text("utf-8"))["base_url"])
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) > 20
    for feed in feeds:
        assert_atom(feed, base + feed.relative_to(site).as_posix())
    assert len(entries(site / "gia-lai/feed.xml")) == 1 and len(entries(site / "ha-tinh/feed.xml")) == 3

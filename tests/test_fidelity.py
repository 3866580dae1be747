"""The seed plans' pages say only what the documents say, in the documents' order (issue 19, items 13–16).

Each test builds the real content/ into a temporary folder and reads the plan pages as a reader would:
what the portal infers is labelled as the portal's (13), headings are the documents' own (14), text stands
where the document puts it (15), agencies, repairs and citations are read as the documents write them (16).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.build.pipeline import build_site, check
from generator.content import schema
from tests.helpers import ROOT

CONTENT = ROOT / "content"
DUC_THO = "ha-tinh/duc-tho/2023-chinh-quyen-so"
DUC_CO = "gia-lai/duc-co/2023-chinh-quyen-so"
THANH_HA = "hai-duong/thanh-ha/2022-ung-dung-cntt"
HA_TINH = "ha-tinh/2020-ung-dung-cntt"
CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"
PLANS = [DUC_THO, DUC_CO, THANH_HA, HA_TINH, CAM_XUYEN]
INFERRED_DEADLINE = "(theo kỳ kế hoạch — cổng suy ra)"


@pytest.fixture(scope="module")
def content():
    return check(CONTENT)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fidelity") / "site"
    build_site(CONTENT, ROOT / "site_config.yml", out, index=False)
    return out


# --------------------------------------------------------------------------- reading pages and sources


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def text_of(fragment: str) -> str:
    """What a reader sees: no tags, no hidden search helpers, entities decoded, spaces collapsed."""
    fragment = re.sub(r'<span class="ck-fold" hidden>.*?</span>', " ", fragment, flags=re.S)
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S | re.I)
    return collapse(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def body(site: Path, plan: str) -> str:
    """The page's own content (the theme's frame left out)."""
    return (site / plan / "index.html").read_text("utf-8").split("md-content__inner", 1)[1]


def flat(text: str) -> str:
    """Comparison form: case, spacing and the spaces around punctuation do not count."""
    return re.sub(r"\s*([.,;:()/“”\"])\s*", r"\1", collapse(text).casefold())


def source(plan: str) -> str:
    """The plan's source text with its recorded extraction repairs applied."""
    data = check(CONTENT).plans[plan]
    text = (CONTENT / plan).with_suffix(".nguon.txt").read_text("utf-8")
    for r in data.text_repairs:
        text = text.replace(r.found, r.repaired)
    return text


def target_rows(page: str) -> dict[int, list[str]]:
    """Target number → the texts of its row's cells."""
    return {
        int(n): [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for n, row in re.findall(r'<tr id="chi-tieu-(\d+)">(.*?)</tr>', page, re.S)
    }


DEADLINE, LEAD, RESULT = 5, 6, 8  # cells of a target row


def h2_ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', page)


def narrative_blocks(page: str) -> list[str]:
    """The text the page gives as the document's own words outside structured fields: the narrative and
    the passages (div.ck-narrative), one string per paragraph, list item or heading."""
    blocks = []
    for div in re.findall(r'<div class="ck-narrative">(.*?)</div>', page, re.S):
        blocks += [
            t
            for t in (text_of(b) for b in re.findall(r"<(?:p|li|h[1-6])\b[^>]*>(.*?)</(?:p|li|h[1-6])>", div, re.S))
            if t
        ]
    return blocks


# --------------------------------------------------------------------------- 13. inferences labelled


def test_duc_co_does_not_name_a_plan_part_one_never_names_as_evaluated(site):
    # Part I opens «Thực hiện Chương trình số 921…; Chương trình hành động số 38-CTr/HU…; … Kế hoạch số
    # 137/KH-UBND…; Kế hoạch số 165/KH-BCĐ…»: it never says which of them it evaluates.
    text = text_of(body(site, DUC_CO))
    assert "Văn bản được đánh giá" not in text
    assert (
        "Kế hoạch số 137/KH-UBND ngày 07/10/2021 của Ủy ban nhân dân huyện Đức Cơ về ứng dụng" in text
    )  # still there, as written


def test_duc_tho_row_7_has_no_baseline_of_another_measure(site):
    rows = target_rows(body(site, DUC_THO))
    # Target 7: «100% báo cáo định kỳ và văn bản hành chính … của huyện»; «trên 99%» measured «văn bản trao đổi
    # giữa các phòng, ban, cơ quan, đơn vị», one of two figures Part I gives.
    assert "Kỳ trước" not in rows[7][RESULT]
    assert "Kỳ trước: Tỷ lệ trao đổi văn bản điện tử cấp xã đạt 70%." in rows[8][RESULT]
    assert "Tỷ lệ văn bản trao đổi giữa các phòng, ban, cơ quan, đơn vị dưới dạng điện tử đạt trên 99%." in text_of(
        body(site, DUC_THO)
    )


def test_deadlines_the_documents_do_not_write_are_labelled_as_the_portals(site, content):
    duc_tho = target_rows(body(site, DUC_THO))
    assert len(duc_tho) == 11
    assert {r[DEADLINE] for r in duc_tho.values()} == {f"2023 {INFERRED_DEADLINE}"}
    duc_co = target_rows(body(site, DUC_CO))
    plan = content.plans[DUC_CO]
    for n, row in duc_co.items():
        ongoing = "Thường xuyên" in (plan.targets[n - 1].note or "")  # «Hoàn thành: Thường xuyên»: no year fits
        assert row[DEADLINE] == ("" if ongoing else f"2023 {INFERRED_DEADLINE}"), n
    # Thanh Hà: all 22 sit under «III. MỤC TIÊU NĂM 2022», the three qualitative ones too.
    thanh_ha = target_rows(body(site, THANH_HA))
    assert len(thanh_ha) == 22 and {r[DEADLINE] for r in thanh_ha.values()} == {"2022"}
    assert "Mục tiêu năm 2022" in text_of(body(site, THANH_HA))


@pytest.mark.parametrize("plan_id", PLANS)
def test_a_deadline_shown_as_the_documents_is_written_there(content, plan_id):
    """A bare year in «Thời hạn» is the document's: written in the target's sentence or in the heading of the
    group it sits under; a year taken from the plan's period is flagged (deadline_from_period), never both."""
    for n, t in enumerate(content.plans[plan_id].targets, 1):
        if t.deadline_year is not None:
            assert str(t.deadline_year) in t.statement + " " + (t.group or ""), (plan_id, n)
            assert not t.deadline_from_period


def test_a_deadline_is_written_or_inferred_not_both():
    with pytest.raises(ValidationError, match="chọn một"):
        schema.Target(area="Chính quyền số", statement="…", deadline_year=2023, deadline_from_period=True)
    assert schema.Target(area="Chính quyền số", statement="…", deadline_from_period=True).deadline_year is None


# --------------------------------------------------------------------------- 14. the documents' headings


@pytest.mark.parametrize("plan_id", PLANS)
@pytest.mark.parametrize("label", ["Kết quả đạt được", "Tồn tại, hạn chế", "Nguyên nhân"])
def test_result_subheadings_only_where_the_document_has_them(site, plan_id, label):
    page = body(site, plan_id)
    shown = len(re.findall(rf"<p><strong>{label}</strong>", page))
    assert shown == source(plan_id).count(label)


def test_duc_tho_and_duc_co_areas_without_a_split_have_no_added_heading(site):
    for plan, areas in [
        (
            DUC_THO,
            ["Về phát triển hạ tầng số", "Về phát triển nguồn nhân lực", "Về bảo đảm an toàn thông tin", "Thể chế số"],
        ),
        (DUC_CO, ["Nhận thức số: Chia sẻ bài toán, sáng kiến, cách làm về chuyển đổi số", "Kinh tế số", "Xã hội số"]),
    ]:
        page = body(site, plan)
        part = page[page.index('<h2 id="ket-qua-ky-truoc"') :]
        part = part[: part.index("<h2", 4)]
        for area in areas:
            section = re.search(rf"<h3[^>]*>{re.escape(area)}</h3>(.*?)(?=<h3|$)", part, re.S)
            assert section, area
            assert "<strong>" not in section.group(1), (plan, area)


def test_headings_the_documents_write(site):
    def h2(plan, ident):
        return text_of(re.search(rf'<h2 id="{ident}">(.*?)</h2>', body(site, plan), re.S).group(1))

    assert h2(CAM_XUYEN, "nhiem-vu") == "Nhiệm vụ và giải pháp trọng tâm"  # III. NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM
    assert h2(THANH_HA, "nhiem-vu") == "Nội dung kế hoạch"  # IV. NỘI DUNG KẾ HOẠCH
    assert h2(HA_TINH, "nhiem-vu") == "Nội dung kế hoạch"  # III. NỘI DUNG KẾ HOẠCH
    assert h2(HA_TINH, "nguon-kinh-phi") == "Kinh phí thực hiện các nhiệm vụ"
    assert h2(DUC_CO, "nguon-kinh-phi") == "Kinh phí thực hiện"
    thanh_ha = body(site, THANH_HA)
    assert re.search(r"<h3[^>]*>Đánh giá chung</h3>", thanh_ha)


# --------------------------------------------------------------------------- 15. the documents' order


def _first_text(plan, part: str) -> str | None:
    """A string the document writes at the start of the part of the page (None: the plan has no such part)."""
    p = plan
    firsts = {
        "can-cu": p.legal_bases and p.legal_bases[0].title,
        "ket-qua-ky-truoc": p.previous_results
        and (p.previous_results.summary or p.previous_results.areas[0].achieved[0]),
        "muc-tieu-tong-quat": p.general_objectives and p.general_objectives[0],
        "chi-tieu": p.targets and p.targets[0].statement,
        "nhiem-vu": p.tasks and p.tasks[0].items[0],
        "giai-phap": p.solutions and p.solutions[0].items[0],
        # tables are shown together, where the last one stands (Đức Thọ's 2022 table, Part I.9, sits with 2023's)
        "kinh-phi": p.budget_tables and p.budget_tables[-1].groups[0].lines[0].name.split(":")[0],
        "nguon-kinh-phi": p.funding_notes and p.funding_notes[0],
        "to-chuc-thuc-hien": p.responsibilities and p.responsibilities[0].duties[0],
        "noi-nhan": p.recipients and p.recipients[0],
    }
    return firsts.get(part) or None


@pytest.mark.parametrize("plan_id", PLANS)
def test_parts_of_the_page_follow_the_document(site, content, plan_id):
    plan = content.plans[plan_id]
    src = flat(source(plan_id))
    order = []
    for part in h2_ids(body(site, plan_id)):
        first = _first_text(plan, part)
        if first:
            probe = flat(re.sub(r"[*_`\\]", "", first))[:40]
            assert probe in src, (part, probe)
            order.append((src.index(probe), part))
    assert [part for _, part in order] == [part for _, part in sorted(order)]


@pytest.mark.parametrize("plan_id", PLANS)
def test_the_documents_own_words_outside_fields_are_the_documents(site, plan_id):
    """Narrative and passages (div.ck-narrative) hold the document's words only: no editorial note there."""
    src = flat(source(plan_id))
    for block in narrative_blocks(body(site, plan_id)):
        assert "ban biên tập" not in block.casefold()
        assert flat(block) in src, block


def _closing_after_responsibilities(site, plan_id: str, closing: str) -> None:
    page = body(site, plan_id)
    text = text_of(page)
    assert text.count(closing) == 1
    headings = [text_of(h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page, re.S)]
    assert headings.count("Tổ chức thực hiện") == 1
    last_duty = text_of(re.findall(r"<li>(.*?)</li>", page[: page.index('<h2 id="noi-nhan"')], re.S)[-1])
    assert text.index(last_duty) < text.index(closing) < text.index("Nơi nhận", text.index(last_duty))


def test_closing_paragraphs_stand_after_the_responsibilities(site):
    _closing_after_responsibilities(
        site,
        DUC_THO,
        "Trong quá trình triển khai thực hiện Kế hoạch này, nếu có khó khăn "
        "vướng mắc, các phòng, ban, đơn vị, UBND các xã, thị trấn kịp thời báo cáo đến phòng Văn "
        "hóa - Thông tin để tổng hợp, trình UBND huyện xem xét, giải quyết./.",
    )
    _closing_after_responsibilities(
        site,
        THANH_HA,
        "Trên đây là Kế hoạch ứng dựng CNTT, phát triển Chính quyền số và bảo "
        "đảm an toàn thông tin mạng trên địa bàn huyện Thanh Hà năm 2022.",
    )
    _closing_after_responsibilities(
        site,
        DUC_CO,
        "Trên đây là Kế hoạch phát triển Chính quyền số và bảo đảm an toàn thông tin mạng năm 2023 huyện Đức Cơ./.",
    )


def test_duc_co_section_vii_is_the_documents_text_in_its_place(site):
    page = body(site, DUC_CO)
    assert "VII. DANH MỤC NHIỆM VỤ, DỰ ÁN: Có phụ lục kèm theo." in narrative_blocks(page)
    assert "11. Kinh phí thực hiện: Có phục lục kèm theo." in narrative_blocks(page)
    text = text_of(page)
    vii, closing = text.index("VII. DANH MỤC NHIỆM VỤ, DỰ ÁN"), text.index("Trên đây là Kế hoạch phát triển")
    assert (
        text.index("Tuyên truyền, phổ biến sâu rộng đến doanh nghiệp và người dân về nội dung Kế hoạch Chuyển đổi số")
        < vii
        < closing
    )
    part_one_end = text.index("11. Kinh phí thực hiện: Có phục lục kèm theo.")
    assert (
        text.index("Tập huấn nâng cao kiến thức, kỹ năng về công nghệ số")
        < part_one_end
        < text.index("Luật: Luật Công nghệ thông tin")
    )


def test_ha_tinh_2020_funding_stands_between_tasks_and_solutions_and_its_note_is_not_the_documents(site):
    page = body(site, HA_TINH)
    ids = h2_ids(page)
    assert ids.index("nhiem-vu") < ids.index("nguon-kinh-phi") < ids.index("giai-phap")
    assert "Nội dung văn bản" not in [text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    # VI.4's heading stands above the four Sở it lists, as in the document.
    text = text_of(page)
    heading = (
        "Các Sở sau đây có trách nhiệm chủ trì và phối hợp với Sở Thông tin và Truyền thông thực hiện các nhiệm vụ"
    )
    assert text.count(heading) == 1
    assert (
        text.index("Phối hợp với các ngành liên quan tham mưu cho UBND tỉnh")
        < text.index(heading)
        < text.index("Tổng hợp, trình cấp có thẩm quyền cân đối, bố trí kinh phí")
    )


def test_thanh_ha_lead_in_stands_before_the_difficulties(site):
    text = text_of(body(site, THANH_HA))
    lead_in = (
        "Bên cạnh những kết quả đã đạt được nêu trên, trong quá trình triển khai ứng dụng CNTT còn một số khó "
        "khăn, vướng mắc như:"
    )
    assert text.count(lead_in) == 1
    assert (
        text.index("phục vụ tốt nhất cho người dân, doanh nghiệp.")
        < text.index(lead_in)
        < text.index("Hệ thống các văn bản quy phạm pháp luật về CNTT chưa đầy đủ")
        < text.index("Đẩy mạnh ứng dụng CNTT, xây dựng")
    )


@pytest.mark.parametrize("plan_id", [DUC_THO, DUC_CO])
def test_plus_sub_points_of_part_one_stay_nested(site, plan_id):
    """«+» lines of Part I are sub-points of the «-» item above them: a list inside that item."""
    page = body(site, plan_id)
    part_one = source(plan_id).split("Phần II", 1)[0]
    subpoints = [collapse(line)[2:] for line in part_one.split("\n") if line.strip().startswith("+ ")]
    assert subpoints
    for sub in subpoints:
        probe = html.escape(sub[:30], quote=False)
        at = page.index(probe)
        depth = page.count("<ul", 0, at) - page.count("</ul>", 0, at)
        assert depth >= 2, sub


# --------------------------------------------------------------------------- 16. agencies, repairs


@pytest.mark.parametrize("plan_id", PLANS)
def test_one_agency_per_entry(content, plan_id):
    """lead, co_leads, coordinating, implementing: each entry names one agency (agencies.py reads each entry as
    one name), as the document lists them."""
    two = re.compile(r",\s*(Phòng|Văn phòng|Sở|Ban|Trung tâm|Công an|Đài|Ủy ban|UBND)\b")
    for n, t in enumerate(content.plans[plan_id].targets, 1):
        for name in [t.lead or "", *t.co_leads, *t.coordinating, *t.implementing]:
            assert not two.search(name), (plan_id, n, name)


def test_duc_co_row_ii_2_names_both_lead_agencies(site):
    rows = target_rows(body(site, DUC_CO))
    row = next(r for r in rows.values() if r[2].startswith("Triển khai các hoạt động hỗ trợ doanh nghiệp nhỏ và vừa"))
    assert row[LEAD] == "Phòng Kinh tế - Hạ tầng ; Phòng NN&PTNT"  # a link, then «; » (text_of spaces tags)
    agencies = site / "co-quan" / "gia-lai" / "duc-co"
    assert (agencies / "phong-kinh-te-ha-tang" / "index.html").is_file()
    assert not [p for p in agencies.iterdir() if "nnptnt" in p.name and "kinh-te" in p.name]


@pytest.mark.parametrize("plan_id", PLANS)
def test_each_repair_shows_a_visible_change(site, plan_id):
    page = body(site, plan_id)
    repairs = page[page.index("Các chỗ sửa lỗi trích xuất") :]
    pairs = re.findall(r"<li>«(.*?)» → «(.*?)»", repairs, re.S)
    assert len(pairs) == len(check(CONTENT).plans[plan_id].text_repairs)
    for found, repaired in pairs:
        assert text_of(found) != text_of(repaired), found
    if plan_id == DUC_CO:
        assert ("«VÀ␣␣ĐẢM BẢO» → «VÀ ĐẢM BẢO»") in text_of(repairs)


# --------------------------------------------------------------------------- template and schema agree


def test_section_order_and_headings_name_each_part_once():
    base = {
        "title": "t",
        "kind": "ke-hoach",
        "issuer": "UBND",
        "period": {"start": 2023, "end": 2023},
        "source_document": {"file": "a.txt", "sha256": "0" * 64},
    }
    with pytest.raises(ValidationError, match="hai lần"):
        schema.Plan(**base, section_order=["can-cu", "can-cu"])
    with pytest.raises(ValidationError, match="hai tiêu đề"):
        schema.Plan(**base, headings=[{"part": "nhiem-vu", "heading": "A"}, {"part": "nhiem-vu", "heading": "B"}])


def test_a_law_two_plans_name_differently_is_one_page_identified_by_the_editors(tmp_path):
    """Hà Tĩnh 2020 writes «Luật An toàn thông tin», Đức Cơ «Luật An toàn thông tin mạng»: one law (there is no
    other), one page, the identification labelled as the portal's; each plan's wording kept."""
    import shutil

    from tests.helpers import ROOT, build

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    site = build(tmp_path, index=False)
    assert not (site / "van-ban/luat-an-toan-thong-tin").exists()
    page = (site / "van-ban/luat-an-toan-thong-tin-mang/index.html").read_text("utf-8")
    assert "Kế hoạch trích dẫn (2)" in page
    assert "«Luật An toàn thông tin» trong" in page and "được ban biên tập cổng xác định là văn bản này" in page
    plan = (site / "ha-tinh/2020-ung-dung-cntt/index.html").read_text("utf-8")
    assert "Luật: Luật An toàn thông tin<br><small>Ban biên tập cổng xác định là: Luật An toàn thông tin mạng" in plan

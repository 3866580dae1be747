"""The outline and tables → the plan's fields and its Markdown narrative.

Each section is recognised by the words of its heading, not its number: «Căn cứ…» (legal
bases), «Mục đích, yêu cầu» (narrative), «Đánh giá / Kết quả / Tình hình thực hiện…»
(previous period), «Mục tiêu» (general objectives, targets), «Nhiệm vụ / Nội dung»
(tasks), «Giải pháp», «Kinh phí», «Tổ chức thực hiện» (responsibilities). Every paragraph
a field does not take goes to the narrative, under its section's heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import tables as tb
from .fields import Inferred, Tail, cites_document, has_figure, legal_bases, plain, read_header, read_tail, targets_from
from .outline import Node, build, marker, sentence_case, split_inline, title_of
from .text import CleanText, Para, is_caps, paragraphs

SECTION_WORDS = [
    ("legal", r"căn cứ"),
    ("purpose", r"mục đích|yêu cầu"),
    ("review", r"đánh giá|kết quả|tình hình thực hiện|tình hình triển khai|thực trạng"),
    ("objectives", r"mục tiêu|chỉ tiêu"),
    ("tasks", r"nhiệm vụ|nội dung"),
    ("solutions", r"giải pháp"),
    ("funding", r"kinh phí|nguồn vốn|nguồn lực tài chính"),
    ("organisation", r"tổ chức thực hiện|trách nhiệm|phân công"),
    ("appendix", r"danh mục|phụ lục"),
]


def classify(title: str) -> str:
    low = title.lower()
    best = ("other", len(low) + 1)
    for kind, pattern in SECTION_WORDS:
        if (m := re.search(pattern, low)) and m.start() < best[1]:
            best = (kind, m.start())
    return best[0]


@dataclass
class Assembly:
    plan: dict
    narrative: list[tuple[str, list[str]]]  # (heading, Markdown blocks)
    used: set[int] = field(default_factory=set)  # source lines placed in a field
    md: set[int] = field(default_factory=set)  # source lines placed in the narrative
    notes: list[str] = field(default_factory=list)


class Assembler:
    def __init__(self, ct: CleanText, regions: list[tb.Region], unit_name: str, unit_level: str):
        self.ct = ct
        self.regions = regions
        self.unit_name = unit_name
        self.unit_level = unit_level
        self.used: set[int] = set()
        self.md: set[int] = set()
        self.narrative: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.plan: dict = {}
        self.review_spans: list[tuple[int, int]] = []  # source lines of the previous-period part, tables included

    # ------------------------------------------------------------------ bookkeeping

    def take(self, *paras: Para | None) -> None:
        for p in paras:
            if p is not None:
                self.used.update(p.lines)

    def to_md(self, heading: str, block: str, lines: list[int]) -> None:
        if heading not in self.narrative:
            self.narrative[heading] = []
            self.order.append(heading)
        self.narrative[heading].append(block)
        self.md.update(lines)

    def leftovers(self, node: Node, heading: str) -> None:
        """Every paragraph under `node` that no field took → the narrative, under the heading it sits in."""
        placed = self.used | self.md
        for n in node.walk():
            blocks: list[tuple[str, list[int]]] = []
            is_list = n.kind in ("dash", "plus", "bullet")
            for p in [x for x in (n.para, n.title_para) if x] + n.body:
                if set(p.lines) & placed:
                    continue
                if p is n.para and is_list:
                    blocks.append(("- " + _md_inline(n.text), p.lines))
                elif p is n.para and n.items:
                    blocks.append((f"### {_heading(n)}", p.lines))
                elif p is n.para:
                    blocks.append(
                        (
                            _md_inline(
                                f"{n.label}{'' if n.kind == 'alpha' else '.'} {n.text}" if n.kind != "part" else p.text
                            ),
                            p.lines,
                        )
                    )
                else:
                    blocks.append((_md_inline(p.text), p.lines))
            if blocks and n is not node and not is_list and n.para and set(n.para.lines) & placed:
                blocks.insert(0, (f"### {_heading(n)}", []))  # the heading went to a field: repeat it for context
            for block, lines in blocks:
                self.to_md(heading, block, lines)
            placed = self.used | self.md

    def outline(self, root: Node) -> None:
        """The document's headings in order, at the top of the narrative: the structure a reader sees in the source."""
        rows = []
        for n in root.walk():
            if n.kind in ("root", "dash", "plus", "bullet") or not (n.items or n.kind in ("part", "roman")):
                continue
            depth = len(n.path()) - 1
            rows.append(
                (
                    "  " * depth + "- " + _md_inline(_heading(n)),
                    [x for p in (n.para, n.title_para) if p for x in p.lines],
                )
            )
        if rows:
            self.narrative["Bố cục văn bản"] = [
                "Các đề mục của văn bản, theo thứ tự (nội dung của từng mục nằm trong các trường của kế hoạch "
                "hoặc ở các phần dưới đây).",
                "\n".join(r for r, _ in rows),
            ]
            self.order.insert(0, "Bố cục văn bản")
            for _, lines in rows:
                self.md.update(lines)

    # ------------------------------------------------------------------ the whole document

    def run(self) -> Assembly:
        ct = self.ct
        lines = ct.lines
        total = len(lines)
        table_lines = set().union(*(r.all_lines for r in self.regions)) if self.regions else set()
        body_start = _body_start(lines, table_lines)
        header = read_header(lines, body_start)
        self.used.update(header.lines)
        tail_start, tail_end = _tail_span(lines, body_start, table_lines)
        tail = read_tail(lines, tail_start, tail_end, ct.dropped) if tail_start else Tail()
        self.used.update(tail.used)
        skip = table_lines | self.used
        body = paragraphs(ct, 1, (tail_start or total + 1) - 1, skip)
        appendix = paragraphs(ct, tail_end + 1, total, skip) if tail_start else []
        tail_rest = paragraphs(ct, tail_start, tail_end, skip | tail.used) if tail_start else []
        root = build(body)
        self.outline(root)
        self.header = header
        self.period_hint = self._title_and_period(header, root)
        self._sections(root)
        for p in tail_rest:
            self.to_md("Nơi nhận, chữ ký", _md_inline(p.text), p.lines)
        self._tables()
        if not self.plan.get("targets"):
            self._figures_as_targets()
        aroot = build(appendix)
        self.leftovers(aroot, "Phụ lục")
        self._tail(tail)
        self._fill_required()
        seen: set[str] = set()
        for t in self.plan.get("budget_tables", []):
            tid = t["id"].value if isinstance(t["id"], Inferred) else t["id"]
            base, k = tid, 2
            while tid in seen:
                tid, k = f"{base}-{k}", k + 1
            seen.add(tid)
            t["id"] = Inferred(tid, "mã bảng do máy đặt; đổi nếu muốn")
        narrative = [(h, self.narrative[h]) for h in self.order]
        return Assembly(self.plan, narrative, self.used, self.md)

    # ------------------------------------------------------------------ header, title, period

    def _title_and_period(self, h, root: Node) -> None:
        p = self.plan
        opening = " ".join(x.text for x in root.body[:3])
        if h.title:
            p["title"] = h.title
        elif m := re.search(
            r"(?:ban hành|xây dựng)\s+((?:Kế hoạch|Chương trình hành động|Chương trình|"
            r"Đề án)\b.*?)(?:,?\s*(?:cụ thể\s+)?như sau|:|$)",
            opening,
        ):
            p["title"] = Inferred(
                m.group(1).strip(" ,."), "trích yếu lấy từ câu mở đầu: văn bản trích xuất không có phần đầu"
            )
        kind = h.kind
        if kind:
            p["kind"] = kind if h.kind_line else Inferred(kind, "loại văn bản suy từ ký hiệu số văn bản")
        else:
            m = re.search(
                r"(?:ban hành|xây dựng)\s+(Kế hoạch|Chương trình hành động|Chương trình|Đề án|Quyết định)", opening
            )
            guess = {
                "Kế hoạch": "ke-hoach",
                "Chương trình hành động": "chuong-trinh-hanh-dong",
                "Chương trình": "chuong-trinh",
                "Đề án": "de-an",
                "Quyết định": "quyet-dinh",
            }.get(m.group(1) if m else "", "ke-hoach")
            p["kind"] = Inferred(
                guess, "loại văn bản suy từ câu mở đầu" if m else "văn bản không ghi tên loại; mặc định là kế hoạch"
            )
        p["classification"] = "thuong"
        if h.issuer:
            p["issuer"] = Inferred(h.issuer, "cơ quan ban hành viết lại từ dòng chữ in hoa ở đầu văn bản")
        elif m := re.search(
            r"((?:UBND|Ủy ban nhân dân|Ban Thường vụ|Ban Chấp hành|Sở|Phòng)[^,.;:]{0,60}?)\s+(?:ban hành|"
            r"xây dựng)\s+(?:Kế hoạch|Chương trình)",
            opening,
        ):
            p["issuer"] = Inferred(
                m.group(1).strip(), "cơ quan ban hành lấy từ câu mở đầu: văn bản trích xuất không có phần đầu"
            )
        if h.number:
            p["number"] = (
                Inferred(h.number, "số để trống trong văn bản (chưa vào sổ); chỉ giữ ký hiệu")
                if h.symbol_only
                else h.number
            )
        if h.signed_date:
            p["signed_date"] = (
                h.signed_date
                if "/" in h.signed_date and h.signed_date.count("/") == 2
                else Inferred(h.signed_date, "văn bản để trống ngày ký; chỉ ghi tháng/năm")
            )
        if h.place:
            p["place"] = h.place
        if not h.number and not h.signed_date:
            # An appendix says which plan it belongs to: «(Kèm theo Kế hoạch số: /KH-UBND ngày /11/2022 của …)».
            text = "\n".join(self.ct.lines)
            if m := re.search(
                r"Kèm theo\s+(?:Kế hoạch|Chương trình|Quyết định|"
                r"Đề án)\s+số\s*:?\s*(\d*)\s*(/[A-ZĐ][\w/-]*)\s+ngày\s*(\d{1,2})?\s*/\s*(\d{1,2})\s*/\s*(\d{4"
                r"})",
                text,
            ):
                why = "lấy từ dòng «Kèm theo …» của phụ lục: phần đầu văn bản không có trong bản trích xuất"
                p["number"] = Inferred(m.group(1) + m.group(2), why)
                from .fields import vn_date

                if date := vn_date(m.group(3), m.group(4), m.group(5)):
                    p["signed_date"] = Inferred(date, why)
        title = str(p["title"].value if isinstance(p.get("title"), Inferred) else p.get("title") or "")
        review_years = [
            int(m.group(1))
            for n in root.walk()
            if n.kind in ("part", "roman") and classify(title_of(n)) == "review"
            for m in [re.search(r"năm\s+(\d{4})", title_of(n), re.I)]
            if m
        ]
        p["period"] = _period(title, h.signed_date, opening, self.ct.lines, review_years)
        return None

    # ------------------------------------------------------------------ sections

    def _sections(self, root: Node) -> None:
        if root.body:
            # Text before the first heading: the opening paragraph (and a «Thực hiện …» basis).
            for para in root.body:
                if re.match(r"^(?:Căn cứ|Thực hiện|Theo)\b", para.text) and cites_document(para.text):
                    self._bases(para.text, para)
                    if not para.text.startswith("Căn cứ"):
                        self.to_md("Mở đầu", _md_inline(para.text), para.lines)
                else:
                    self.to_md("Mở đầu", _md_inline(para.text), para.lines)
        tops = root.children
        for i, top in enumerate(tops):
            if classify(title_of(top)) == "review" and top.para:
                end = tops[i + 1].para.first - 1 if i + 1 < len(tops) and tops[i + 1].para else len(self.ct.lines)
                self.review_spans.append((top.para.first, end))
            for j, sec in enumerate(top.children if top.kind == "part" else []):
                if classify(title_of(sec)) == "review" and sec.para:
                    nxt = (
                        top.children[j + 1]
                        if j + 1 < len(top.children)
                        else (tops[i + 1] if i + 1 < len(tops) else None)
                    )
                    self.review_spans.append(
                        (sec.para.first, nxt.para.first - 1 if nxt and nxt.para else len(self.ct.lines))
                    )
        for top in root.children:
            if top.kind == "part":
                kind = classify(title_of(top))
                self.take(top.para, top.title_para)
                part_heading = sentence_case(title_of(top)) or f"Phần {top.label}"
                if kind == "review" and not any(c.kind == "roman" for c in top.children):
                    # «Phần I» whose numbered items are the areas themselves.
                    self._review(top)
                    self.leftovers(top, part_heading)
                    continue
                for para in top.body:
                    self.to_md(part_heading, _md_inline(para.text), para.lines)
                for section in top.children:
                    own = classify(title_of(section))
                    self._section(section, "review" if kind == "review" else own, part_kind=kind)
                self.to_md(part_heading, "", []) if part_heading not in self.narrative else None
            else:
                self._section(top, classify(title_of(top)))

    def _section(self, node: Node, kind: str, part_kind: str | None = None) -> None:
        heading = sentence_case(title_of(node)) or "Nội dung khác"
        handler = {
            "legal": self._legal,
            "review": self._review,
            "objectives": self._objectives,
            "tasks": self._tasks,
            "solutions": self._solutions,
            "funding": self._funding,
            "organisation": self._organisation,
        }.get(kind)
        if handler:
            self.take(node.para)
            handler(node)
        self.leftovers(node, heading)

    # legal bases
    def _bases(self, text: str, para: Para) -> None:
        entries = legal_bases(text)
        if entries:
            self.plan.setdefault("legal_bases", []).extend(entries)
            self.take(para)

    def _legal(self, node: Node) -> None:
        for n in node.walk():
            items = ([n.para] if n is not node and n.para else []) + n.body
            for p in items:
                text = n.text if p is n.para else p.text
                if re.search(r"như sau\s*:?\s*$", text) and not cites_document(text.split("như sau")[0][-200:]):
                    continue
                if (
                    cites_document(text)
                    or re.match(r"^(?:Căn cứ|Luật|Bộ luật|Các|Văn bản|Nghị|Quyết|Chỉ thị|Thông tư|Kế hoạch)", text)
                    or n.kind == "dash"
                ):
                    self._bases(text, p)

    # previous period
    def _review(self, node: Node) -> None:
        pr = self.plan.setdefault("previous_results", {"period": None, "areas": []})
        if pr["period"] is None:
            for n in [node, *(node.path()[:-1])]:
                if m := re.search(r"(năm\s+\d{4}|giai đoạn\s+\d{4}\s*[-–]\s*\d{4})", title_of(n), re.I):
                    pr["period"] = m.group(1).lower()
                    break
        if node.body and "summary" not in pr:
            intro = [p for p in node.body if not (set(p.lines) & self.used)]
            if intro:
                pr["summary"] = " ".join(p.text for p in intro)
                self.take(*intro)
                if m := re.search(
                    r"((?:Kế hoạch|Chương trình)[^.;]{0,40}?số\s+\S+(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?)",
                    pr["summary"],
                ):
                    pr["reviewed_plan"] = Inferred(
                        m.group(1).strip(" ,"), "văn bản kỳ trước tìm thấy trong đoạn mở đầu"
                    )
        children = node.children
        if not children:
            return
        for child in children:
            self._review_area(child, [])

    def _review_area(self, node: Node, prefix: list[str]) -> None:
        pr = self.plan["previous_results"]
        title = title_of(node)
        subs = node.children
        kinds = [_result_kind(title_of(c)) for c in subs]
        has_results = any(k is not None for k in kinds)
        if not subs and not node.body:
            split = split_inline(node.text)
            if split and node.kind not in ("dash", "plus", "bullet"):
                area = {"area": ": ".join(prefix + [sentence_case(split[0])]), "achieved": [split[1]]}
                pr["areas"].append(area)
                self.take(node.para)
            return
        if (
            subs
            and not has_results
            and any((c.children or c.body) for c in subs if c.kind not in ("dash", "plus", "bullet"))
        ):
            # Headings under headings: each sub-heading is an area of its own.
            area = {"area": ": ".join(prefix + [sentence_case(title)]), "achieved": []}
            for p in node.body:
                area["achieved"].append(p.text)
                self.take(p)
            for c in subs:
                if c.kind in ("dash", "plus", "bullet"):
                    area["achieved"].append(c.text)
                    self.take(*c.paras())
            if area["achieved"]:
                pr["areas"].append(area)
            for c in subs:
                if c.kind not in ("dash", "plus", "bullet"):
                    self._review_area(c, prefix + [sentence_case(title)])
            return
        area = {"area": ": ".join(prefix + [sentence_case(title)]), "achieved": [], "limitations": [], "causes": []}
        bucket = "limitations" if re.search(r"khó khăn|hạn chế|tồn tại|vướng mắc", title, re.I) else "achieved"
        for item in node.items:
            if isinstance(item, Para):
                if not CLOSING.match(item.text):
                    area[bucket].append(item.text)
                    self.take(item)
                continue
            k = _result_kind(title_of(item))
            target = k or bucket
            split = split_inline(item.text)
            if k and split:
                area[target].append(split[1])
            elif k is None:
                area[target].append(item.text)
            self.take(item.para)
            for sub in item.walk():
                if sub is item:
                    for p in sub.body:
                        area[target].append(p.text)
                        self.take(p)
                    continue
                area[target].append(sub.text)
                self.take(*sub.paras())
        area = {k: v for k, v in area.items() if v or k == "area"}
        if len(area) > 1:
            pr["areas"].append(area)

    # objectives and targets
    def _objectives(self, node: Node) -> None:
        subs = [c for c in node.children if c.kind not in ("dash", "plus", "bullet")]
        target_subs = [c for c in subs if re.search(r"cụ thể|chỉ tiêu", title_of(c), re.I)]
        general_subs = [c for c in subs if re.search(r"tổng quát|chung|tổng thể", title_of(c), re.I)]
        if not subs and any(isinstance(i, Node) and i.children for i in node.items):
            # «- Area» items with «+ target» under them.
            self._target_items(node, sentence_case(title_of(node)), None, None)
            return
        if not subs:
            # One list of objectives: those with a figure are targets, the rest general objectives.
            for item in node.items:
                text = item.text if isinstance(item, Node) else item.text
                para_list = item.paras() if isinstance(item, Node) else [item]
                if has_figure(text):
                    self._targets_from_text(text, sentence_case(title_of(node)), None, None)
                else:
                    self.plan.setdefault("general_objectives", []).append(text)
                self.take(*para_list)
            return
        for p in node.body:
            self.plan.setdefault("general_objectives", []).append(p.text)
            self.take(p)
        for c in general_subs:
            self.take(c.para)
            split = split_inline(c.text)
            if split and not c.items:
                self.plan.setdefault("general_objectives", []).append(split[1])
            for p in c.paras()[1:]:
                text = p.text
                m = marker(text)
                self.plan.setdefault("general_objectives", []).append(
                    m[2] if m and m[0] in ("dash", "plus", "bullet") else text
                )
                self.take(p)
        groups = target_subs if target_subs else [c for c in subs if c not in general_subs]
        for c in groups:
            self.take(c.para)
            group = sentence_case(title_of(c)) if len(groups) > 1 else None
            hint = re.search(r"(?:đến|năm)\s+năm\s+(\d{4})|đến năm (\d{4})", title_of(c))
            deadline = int(next(g for g in hint.groups() if g)) if hint else None
            self._target_items(c, sentence_case(title_of(c)), group, deadline)

    def _target_items(self, node: Node, area: str, group: str | None, deadline: int | None) -> None:
        for item in node.items:
            if isinstance(item, Para):
                self._targets_from_text(item.text, area, group, deadline)
                self.take(item)
                continue
            if item.kind in ("dash", "plus", "bullet") and item.children and not has_figure(item.text):
                # «- Bảo đảm an toàn thông tin» over «+ …» targets: a heading, not a target.
                self.take(item.para)
                self._target_items(item, sentence_case(item.text.rstrip(" :.")), group, deadline)
                continue
            if item.kind in ("dash", "plus", "bullet") or not (item.children or item.body):
                split = split_inline(item.text) if item.kind not in ("dash", "plus", "bullet") else None
                if split and not has_figure(split[0]) and any(s.children for s in node.children):
                    self._targets_from_text(split[1], sentence_case(split[0]), group, deadline)
                else:
                    self._targets_from_text(item.text, area, group, deadline)
                self.take(item.para)
                for sub in item.children:  # «+» under «-»: each its own target
                    self._target_items(sub, area, group, deadline) if sub.items else self._targets_from_text(
                        sub.text, area, group, deadline
                    )
                    self.take(*sub.paras())
                continue
            self.take(item.para)
            split = split_inline(item.text)
            sub_area = sentence_case(split[0] if split else title_of(item))
            if split:
                self._targets_from_text(split[1], sub_area, group, deadline)
            self._target_items(item, sub_area, group, deadline)

    def _targets_from_text(self, text: str, area: str, group: str | None, deadline: int | None) -> None:
        period = self.plan.get("period")
        p = period.value if isinstance(period, Inferred) else period
        year = p["end"] if p and p.get("start") == p.get("end") else None
        area = re.sub(r"^Về\s+", "", area).strip() or area
        area = area[:1].upper() + area[1:]
        self.plan.setdefault("targets", []).extend(targets_from(text, area, group, year, deadline))

    def _figures_as_targets(self) -> None:
        """No section of targets: sentences with a percentage in the objectives and tasks are proposed as targets
        (the text stays where it is; the proposal is marked for review)."""
        sources = [(o, "Mục tiêu") for o in self.plan.get("general_objectives", [])]
        sources += [(i, s["area"]) for s in self.plan.get("tasks", []) for i in s["items"]]
        for text, area in sources:
            for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])|;\s*", text):
                if has_figure(sentence) and re.search(r"phấn đấu|đạt|tối thiểu|ít nhất|trên\s+\d", sentence, re.I):
                    before = len(self.plan.get("targets", []))
                    self._targets_from_text(sentence.strip(), area, None, None)
                    for t in self.plan["targets"][before:]:
                        t["_review"] = (
                            "câu có số liệu trong phần mục tiêu/nhiệm vụ (văn bản không có mục chỉ tiêu "
                            "riêng): đề xuất làm chỉ tiêu; xóa nếu không phải"
                        )

    # tasks and solutions
    def _tasks(self, node: Node) -> None:
        self._areas(node, "tasks")

    def _solutions(self, node: Node) -> None:
        self._areas(node, "solutions")

    def _areas(self, node: Node, key: str) -> None:
        sections: list[dict] = []
        headings = any(c.children or c.body for c in node.children if c.kind not in ("dash", "plus", "bullet"))

        def add(area: str, text: str, paras: list[Para]) -> None:
            area = area[:1].upper() + area[1:] if area else "Nội dung"
            if sections and sections[-1]["area"] == area:
                sections[-1]["items"].append(text)
            else:
                sections.append({"area": area, "items": [text]})
            self.take(*paras)

        def walk(n: Node, area: str) -> None:
            for item in n.items:
                if isinstance(item, Para):
                    if not CLOSING.match(item.text):
                        add(area, item.text, [item])
                    continue
                if item.kind in ("dash", "plus", "bullet") or not (item.children or item.body):
                    split = split_inline(item.text) if item.kind not in ("dash", "plus", "bullet") else None
                    if n is node and headings and split:
                        add(sentence_case(split[0]), split[1], [item.para])
                    else:
                        add(area, _with_subitems(item), item.paras())
                    continue
                self.take(item.para)
                split = split_inline(item.text)
                title = sentence_case(split[0] if split else title_of(item))
                sub = title if n is node else f"{area}: {title}"
                if split:
                    add(sub, split[1], [])
                walk(item, sub)

        walk(node, sentence_case(title_of(node)))
        self.plan.setdefault(key, []).extend(sections)

    # funding
    def _funding(self, node: Node) -> None:
        table = _prose_budget(node, self.plan)
        if table:
            tdict, used_paras, marks = table
            self.plan.setdefault("budget_tables", []).append(tdict)
            self.take(*used_paras)
        for n in node.walk():
            for p in ([n.para] if n is not node and n.para else []) + n.body:
                if set(p.lines) & self.used:
                    continue
                text = n.text if p is n.para else p.text
                self.plan.setdefault("funding_notes", []).append(
                    ("- " if n.kind in ("dash", "plus", "bullet") and p is n.para else "") + text
                )
                self.take(p)

    # responsibilities
    def _organisation(self, node: Node) -> None:
        out = self.plan.setdefault("responsibilities", [])
        for child in node.children:
            subs = child.children
            unit_like = [s for s in subs if s.kind not in ("dash", "plus", "bullet") and _agency_split(s.text)]
            if (
                subs
                and len(unit_like) == len([s for s in subs if s.kind not in ("dash", "plus", "bullet")])
                and unit_like
                and not child.body
                and re.search(r"sau đây|như sau|các (?:sở|cơ quan|đơn vị)", child.text, re.I)
            ):
                # «4. Các Sở sau đây …: a) Sở Tài chính: …»: each lettered item is a unit; the lead sentence is
                # narrative.
                for s in subs:
                    unit, duty = _agency_split(s.text)
                    out.append({"unit": unit, "duties": [duty] + [x.text for x in s.paras()[1:]]})
                    self.take(*s.paras())
                continue
            split = _agency_split(child.text)
            duties: list[str] = []
            if child.items:
                unit = split[0] if split else title_of(child)
                if split and split[1]:
                    duties.append(split[1])
                for item in child.items:
                    if isinstance(item, Para) and CLOSING.match(item.text):
                        continue
                    if isinstance(item, Para):
                        duties.append(item.text)
                        self.take(item)
                    else:
                        duties.append(_with_subitems(item))
                        self.take(*item.paras())
            elif split and split[1]:
                unit, duty = split
                duties.append(duty)
            else:
                subject = _subject(child.text)
                if not subject:
                    continue
                unit = Inferred(subject, "đơn vị tách từ đầu câu giao việc")
                duties.append(child.text)
            self.take(child.para)
            out.append({"unit": unit, "duties": duties or [child.text]})

    # tables
    def _tables(self) -> None:
        for region in self.regions:
            if region.kind == "budget":
                inside = any(a <= min(region.all_lines) <= b for a, b in self.review_spans)
                table = _budget_table(self.ct, region, self.plan, reviewed=inside)
                if table:
                    self.plan.setdefault("budget_tables", []).append(table)
                    self.used.update(region.all_lines)
            else:
                targets = _target_table(self.ct, region)
                if targets:
                    self.plan.setdefault("targets", []).extend(targets)
                    self.used.update(region.all_lines)
            if not region.all_lines <= self.used:
                # An unreadable table stays in the narrative, line by line, for the editor to rebuild.
                rest = [n for n in sorted(region.all_lines) if n not in self.used and self.ct.lines[n - 1].strip()]
                self.to_md("Bảng chưa đọc được", "\n".join("    " + self.ct.lines[n - 1].strip() for n in rest), rest)

    # signer and recipients
    def _tail(self, tail: Tail) -> None:
        if tail.recipients:
            self.plan["recipients"] = [t for t, _ in tail.recipients]
        if tail.name and tail.title:
            signer = {"name": tail.name, "title": tail.title}
            if tail.on_behalf:
                signer["on_behalf"] = ", ".join(tail.on_behalf)
            self.plan["signer"] = signer
        elif tail.name or tail.title or tail.on_behalf:
            self.to_md(
                "Nơi nhận, chữ ký",
                " ".join(filter(None, [", ".join(tail.on_behalf), tail.title or "", tail.name or ""])),
                [],
            )

    def _fill_required(self) -> None:
        p = self.plan
        if "title" not in p:
            year = p["period"]
            y = (year.value if isinstance(year, Inferred) else year)["start"]
            p["title"] = Inferred(
                f"Kế hoạch năm {y}", "văn bản trích xuất không có trích yếu: ghi trích yếu đúng như văn bản"
            )
        if "issuer" not in p:
            name = self.unit_name
            level_word = name.split(" ", 1)
            guess = f"UBND {level_word[0].lower()} {level_word[1]}" if len(level_word) == 2 else f"UBND {name}"
            p["issuer"] = Inferred(guess, "văn bản không ghi cơ quan ban hành ở phần đầu; suy từ tên đơn vị")
        pr = p.get("previous_results")
        if pr is not None:
            if not pr["areas"] and not pr.get("summary"):
                del p["previous_results"]
            elif pr["period"] is None:
                pr["period"] = Inferred("kỳ trước", "văn bản không ghi rõ kỳ được đánh giá")


# --------------------------------------------------------------------------- helpers


def _md_inline(text: str) -> str:
    """Text as Markdown that renders as written: characters Markdown would read as markup are escaped."""
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([*_`\[\]])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)
    if re.match(r"^(?:#|[-+*]\s)", text):
        text = "\\" + text
    return text


def _heading(n: Node) -> str:
    split = split_inline(n.text)
    title = sentence_case(split[0] if split else title_of(n))
    if n.kind == "part":
        return f"Phần {n.label}" + (f": {title}" if title else "")
    return f"{n.label}{')' if n.kind == 'alpha' else '.'} {title}"


CLOSING = re.compile(
    r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)|Yêu cầu (?:các|Thủ trưởng|thủ trưởng)|"
    r"Đề nghị (?:các|Thủ trưởng)|Quá trình (?:triển khai|thực hiện))"
)


def _with_subitems(node: Node) -> str:
    parts = [node.text]
    for p in node.paras()[1:]:
        m = marker(p.text)
        parts.append(p.text if not m else p.text)
    return "\n".join(parts) if len(parts) > 1 else node.text


def _result_kind(title: str) -> str | None:
    low = title.lower()
    if re.match(r"^(?:kết quả|những kết quả|các kết quả)", low):
        return "achieved"
    if re.match(r"^(?:tồn tại|hạn chế|những tồn tại|khó khăn|những hạn chế|những khó khăn)", low):
        return "limitations"
    if re.match(r"^(?:nguyên nhân)", low):
        return "causes"
    return None


_AGENCY = re.compile(
    r"^(?:Sở|Phòng|Ban|Văn phòng|Trung tâm|Công an|Ủy ban|UBND|Thủ trưởng|Các|Hội đồng|Đài|Cơ quan|Bộ|Cục|Chi cục|"
    r"Đảng ủy|Huyện ủy|Tỉnh ủy|Mặt trận|Đoàn|Hội|Liên đoàn|Bưu điện|Viettel|VNPT|Ngân hàng|Kho bạc|Chủ tịch|"
    r"Ban chỉ đạo)\b"
)
_VERBS = (
    r"(?:chủ trì|phối hợp|chỉ đạo|có trách nhiệm|chịu trách nhiệm|nghiên cứu|tham mưu|căn cứ|thực hiện|"
    r"xây dựng|tổ chức|hướng dẫn|"
    r"theo dõi|ban hành|tăng cường|triển khai|được giao|là cơ quan|bố trí|đảm bảo|bảo đảm|rà soát|kiểm tra|"
    r"quán triệt)\b"
)


def _agency_split(text: str) -> tuple[str, str] | None:
    """«Sở Tài chính: Tổng hợp …» → («Sở Tài chính», «Tổng hợp …»)."""
    split = split_inline(text, max_words=16)
    if split and _AGENCY.match(split[0]):
        return split
    if split is None and _AGENCY.match(text) and len(text.split()) <= 16 and not re.search(r"[.;]\s*$", text):
        return text.rstrip(" :"), ""
    return None


def _subject(text: str) -> str | None:
    m = re.match(rf"^(.{{3,120}}?[^,])\s+{_VERBS}", text)  # «Các cấp ủy, tổ chức đảng, …»: a verb after a comma lists
    if m and _AGENCY.match(m.group(1)):
        return m.group(1).strip(" ,")
    return None


def _body_start(lines: list[str], table_lines: set[int]) -> int:
    """The first line of the body: a part or Roman heading, a «Căn cứ» paragraph, or opening prose."""
    for n, line in enumerate(lines[:80], 1):
        t = line.strip()
        if not t or n in table_lines:
            continue
        if (
            re.match(r"^(?:Phần|PHẦN)\s+[IVX\d]", t)
            or re.match(r"^[IVX]{1,4}\s*\.\s+\S", t)
            or re.match(r"^Căn cứ\b", t)
        ):
            return n
        if re.match(r"^(?:Thực hiện|Để|Nhằm|Trên cơ sở|Theo)\b", t) and len(t) > 30:
            return n
    return 1


def _tail_span(lines: list[str], body_start: int, table_lines: set[int]) -> tuple[int | None, int]:
    total = len(lines)
    start = None
    for n in range(body_start, total + 1):
        if n in table_lines:
            continue
        if re.match(r"^\s*(?:Nơi nhận|NƠI NHẬN)\b", lines[n - 1]):
            start = n
            break
    if start is None:
        for n in range(max(body_start, int(total * 0.5)), total + 1):
            if n not in table_lines and re.match(r"^\s*(?:TM|T/M|KT)\.?\s+[A-ZĐ]", lines[n - 1]):
                start = n
                break
    if start is None:
        return None, total
    # Signer lines printed just before «Nơi nhận» in a two-column layout.
    k = start - 1
    while k > body_start and (not lines[k - 1].strip() or re.match(r"^\s*(?:TM|T/M|KT)\.?\s+[A-ZĐ]", lines[k - 1])):
        if lines[k - 1].strip():
            start = k
        k -= 1
    end = total
    for n in range(start + 1, total + 1):
        t = lines[n - 1].strip()
        if n in table_lines or re.match(r"^(?:PHỤ LỤC|Phụ lục|Biểu mẫu|BIỂU MẪU|Biểu số|BIỂU SỐ)\b", t):
            end = n - 1
            break
    return start, end


def _period(title: str, signed: str | None, opening: str, lines: list[str], review_years: list[int]) -> Inferred:
    why = "kỳ kế hoạch suy từ trích yếu"
    if m := re.search(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", title):
        period = {"start": int(m.group(1)), "end": int(m.group(2))}
    elif m := re.search(r"năm\s+(\d{4})", title):
        period = {"start": int(m.group(1)), "end": int(m.group(1))}
    elif m := re.search(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", opening):
        period, why = {"start": int(m.group(1)), "end": int(m.group(2))}, "kỳ kế hoạch suy từ câu mở đầu"
    else:
        text = " ".join(lines)
        # Years the plan is about: «năm 2023», not «đến năm 2025» (a horizon) nor a cited document's date.
        years = [
            int(y) for y in re.findall(r"(?<!đến )(?<!tới )(?<!hướng )(?<!từ )(?<!trước )năm\s+(20\d\d|19\d\d)", text)
        ]
        if review_years and max(review_years) + 1 in years:
            year = max(review_years) + 1
            why = f"văn bản không ghi kỳ trong trích yếu; năm sau năm được đánh giá ({max(review_years)})"
        elif years:
            year = max(set(years), key=years.count)
            why = "văn bản không ghi kỳ trong trích yếu; năm hay gặp nhất trong văn bản"
        else:
            year = int(signed[-4:]) if signed else 2000
            why = "văn bản không ghi năm nào: sửa kỳ kế hoạch"
        period = {"start": year, "end": year}
    where = opening if why.endswith("câu mở đầu") else title  # the horizon of the same phrase as the period
    if m := re.search(r"(?:định hướng|tầm nhìn)\s+(?:đến\s+)?(?:năm\s+)?(\d{4})", where):
        if int(m.group(1)) > period["end"]:
            period["outlook"] = int(m.group(1))
    return Inferred(period, why)


def _prose_budget(node: Node, plan: dict):
    """«Kinh phí dự kiến …: 1.545.000.000đ. Trong đó: - Chi cho X: Cấp huyện: 500.000.000đ; Cấp xã: …» → a table."""
    money = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ)\b")
    lines_out: list[dict] = []
    used: list[Para] = []
    total = None
    total_para = None
    for n in node.walk():
        for p in ([n.para] if n is not node and n.para else []) + n.body:
            text = n.text if p is n.para else p.text
            found = list(money.finditer(text))
            if not found:
                continue
            m = marker(p.text)
            if (
                total is None
                and re.search(r"(?:tổng|kinh phí)[^:]{0,80}:?\s*$", text[: found[0].start()], re.I)
                and not m
            ):
                total = found[0].group(1)
                total_para = p
                used.append(p)
                continue
            if m and m[0] in ("dash", "plus", "bullet"):
                parts = re.split(r";\s*", text.strip(" .;"))
                head, _, first = parts[0].partition(":")
                category = head.strip()
                pieces = [first] + parts[1:]
                ok = True
                for piece in pieces:
                    lab, _, amt = piece.rpartition(":")
                    mm = money.search(amt or piece)
                    if not mm:
                        ok = False
                        break
                    label = lab.strip() if lab.strip() else None
                    line = {"name": f"{category}: {label}" if label else category, "category": category}
                    if label and (lv := re.search(r"cấp\s+(tỉnh|huyện|xã)", label, re.I)):
                        line["level"] = {"tỉnh": "tinh", "huyện": "huyen", "xã": "xa"}[lv.group(1).lower()]
                    line["amounts"] = {"kinh_phi": Decimal(mm.group(1).replace(".", ""))}
                    lines_out.append(line)
                if ok:
                    used.append(p)
    if not lines_out:
        return None
    title = sentence_case(title_of(node))
    period = plan.get("period")
    pv = period.value if isinstance(period, Inferred) else period
    table = {
        "id": Inferred(f"kinh-phi-{pv['start']}", "mã bảng do máy đặt"),
        "title": title,
        "year": Inferred(pv["start"], "năm của kế hoạch"),
        "phase": Inferred("du-kien", "kinh phí trong phần kế hoạch: dự kiến"),
        "currency_unit": "dong",
        "columns": [{"key": "kinh_phi", "label": "Kinh phí"}],
        "groups": [{"lines": lines_out}],
    }
    if total:
        table["declared_total"] = {"kinh_phi": Decimal(total.replace(".", ""))}
        if m := re.search(r"\(([^()]*đồng[^()]*)\)", total_para.text):
            table["total_in_words"] = m.group(1).strip()
    table["note"] = "Văn bản ghi các khoản chi thành đoạn văn: «" + " ".join(p.text for p in used) + "»"
    return table, used, []


def _budget_table(ct: CleanText, region: tb.Region, plan: dict, reviewed: bool = False) -> dict | None:
    cols = tb.header_columns(ct, region)
    money = [label for role, label in cols if role == "money"] or ["Kinh phí"]
    header_text = " ".join(ct.lines[n - 1] for n in region.header_lines + region.title_lines)
    unit = "trieu-dong" if re.search(r"triệu", header_text, re.I) else "dong"
    keys = []
    from generator.content.document_numbers import ascii_slug

    for label in money:
        base = ascii_slug(re.sub(r"\(.*?\)", "", label), 40).replace("-", "_") or "kinh_phi"
        key = base
        i = 2
        while key in keys:
            key, i = f"{base}_{i}", i + 1
        keys.append(key)
    roles = [r for r, _ in cols]
    first_money = roles.index("money") if "money" in roles else len(roles)
    before_roles = [r for r in roles[:first_money] if r not in ("money",)] or ["name"]
    after_roles = [r for r in roles[first_money:] if r != "money"]
    groups: list[dict] = []
    table: dict = {}
    cur_group: dict | None = None
    for row in tb.rows(ct, region):
        if row.kind == "words":
            table["total_in_words"] = " ".join(t for _, t in row.cells).strip()
            continue
        before, amounts, after = tb.split_amounts(row, ct.raw, len(keys))
        values, printed = {}, {}
        for key, amt in zip(keys, amounts):
            value, keep, why = tb.parse_amount(amt, unit)
            values[key] = Inferred(value, why) if why else value
            if keep:
                printed[key] = amt
        if row.kind == "total":
            table["declared_total"] = values
            if printed:
                table["declared_total_printed"] = printed
            if before or after:
                table.setdefault("_extra", []).append(" ".join(t for _, t in before + after))
            continue
        if row.kind == "group":
            cur_group = {"code": row.code, "name": " ".join(t for _, t in before + after).strip() or None}
            if values:
                cur_group["declared"] = values
            if printed:
                cur_group["printed"] = printed
            cur_group["lines"] = []
            groups.append(cur_group)
            continue
        if cur_group is None:
            cur_group = {"lines": []}
            groups.append(cur_group)
        line: dict = {}
        if row.code:
            line["code"] = row.code
        cells = tb.split_cells(before, len(before_roles))
        named = dict(zip(before_roles, [" ".join(t for _, t in c) for c in cells]))
        if len(cells) > 1 or len(before_roles) > 1:
            line["_review"] = "các ô chữ của dòng được tách theo chữ hoa đầu ô; kiểm tra tên, mục tiêu, đơn vị"
        line["name"] = named.pop("name", None) or " ".join(t for _, t in before) or f"Dòng {row.code or '?'}"
        after_cells = tb.split_cells(after, len(after_roles)) if after_roles else ([after] if after else [])
        named.update(dict(zip(after_roles, [" ".join(t for _, t in c) for c in after_cells])))
        for role, text in named.items():
            fieldname = {
                "objective": "objective",
                "lead": "lead",
                "period": "period",
                "funds": "source_of_funds",
                "effect": "effect",
                "note": "note",
            }.get(role)
            if fieldname and text:
                line[fieldname] = text
            elif text:
                label = next((lab for r, lab in cols if r == role), role)
                line["note"] = (line.get("note", "") + f" {label}: {text}.").strip()
        if len(amounts) != len(keys):
            line["_review"] = f"dòng có {len(amounts)} số tiền, bảng có {len(keys)} cột tiền: kiểm tra"
        line["amounts"] = values
        if printed:
            line["printed"] = printed
        cur_group["lines"].append(line)
    if not any(g["lines"] for g in groups):
        return None
    title = (
        " ".join(" ".join(ct.lines[n - 1].split()) for n in region.title_lines if is_caps(ct.lines[n - 1]))
        or "Bảng kinh phí"
    )
    year_m = re.findall(r"(?:NĂM|năm)\s+(\d{4})", title) or re.findall(r"(?:NĂM|năm)\s+(\d{4})", header_text)
    period = plan.get("period")
    pv = period.value if isinstance(period, Inferred) else period
    pr = plan.get("previous_results") or {}
    review_year = re.search(r"(\d{4})", str(plain(pr.get("period")) or ""))
    if year_m:
        year, year_why = int(year_m[-1]), "năm của bảng suy từ tiêu đề"
    elif reviewed and review_year:
        year, year_why = int(review_year.group(1)), "bảng nằm trong phần đánh giá kỳ trước: năm của kỳ đó"
    else:
        year, year_why = pv["start"], "năm của kế hoạch"
    phase = (
        "thuc-hien" if year < pv["start"] or reviewed or re.search(r"đã thực hiện|kết quả", title, re.I) else "du-kien"
    )
    out: dict = {
        "id": Inferred(f"kinh-phi-{year}", "mã bảng do máy đặt; đổi nếu trùng"),
        "title": sentence_case(title) if title != "Bảng kinh phí" else Inferred(title, "bảng không có tiêu đề"),
        "year": Inferred(year, year_why),
        "phase": Inferred(phase, "thực hiện/dự kiến suy từ năm của bảng so với kỳ kế hoạch"),
        "currency_unit": Inferred(unit, "đơn vị tiền suy từ tiêu đề cột"),
        "columns": [{"key": k, "label": lab} for k, lab in zip(keys, money)],
        "groups": groups,
    }
    for k in ("declared_total", "declared_total_printed", "total_in_words"):
        if k in table:
            out[k] = table[k]
    notes = []
    caption = [" ".join(ct.lines[n - 1].split()) for n in region.title_lines if not is_caps(ct.lines[n - 1])]
    if caption:
        notes.append(" ".join(caption))
    notes.append("Cột: " + "; ".join(lab for _, lab in cols) + ".")
    if table.get("_extra"):
        notes.append("Chữ ở dòng tổng: " + " ".join(table["_extra"]))
    out["note"] = Inferred(" ".join(notes), "ghi chú do máy ghi: tiêu đề cột và chú thích của bảng")
    return out


def _target_table(ct: CleanText, region: tb.Region) -> list[dict]:
    """A table assigning targets («Nội dung mục tiêu | Đơn vị tính | Hoàn thành | Đơn vị chủ trì …») → targets."""
    title = " ".join(" ".join(ct.lines[n - 1].split()) for n in region.title_lines if is_caps(ct.lines[n - 1]))
    group = "Phụ lục" + (f": {sentence_case(title)}" if title else "")
    out: list[dict] = []
    area = sentence_case(title) or "Chỉ tiêu"
    value_re = re.compile(
        r"^(?P<unit>%|[^\d\s<>≥≤]{1,15}(?:\s[^\d\s<>≥≤]{1,10})?)?\s*(?P<cmp>[<>≥≤]=?)?\s*(?P<val>\d+(?:[.,]\d+)?)\s*(?P<unit2>%)?$"
    )
    for row in tb.rows(ct, region):
        if row.kind == "group":
            area = sentence_case(" ".join(t for _, t in row.cells).strip()) or area
            continue
        if row.kind != "line" or not row.cells:
            continue
        statement: list[str] = []
        rest: list[str] = []
        value = None
        for _, text in row.cells:
            if value is None and not rest and (m := value_re.match(text.strip())) and statement:
                value = m
                continue
            if value is None and not rest and re.fullmatch(r"Thường xuyên|Hàng năm|Hằng năm", text.strip()):
                rest.append(text)
                continue
            (rest if value is not None or rest else statement).append(text)
        if not statement:
            continue
        if value is None and not rest:
            # No value cell: the agencies' cells follow the statement; they start with an agency's name.
            for k in range(1, len(statement)):
                if _AGENCY.match(statement[k]) and not re.search(
                    r"(?:\b(?:và|của|cho|các|với|về|tại|trên)|,)\s*$", statement[k - 1]
                ):
                    statement, rest = statement[:k], statement[k:]
                    break
        if value is None:
            figures = targets_from(" ".join(statement), area, group, None, None)
            if any("value" in f for f in figures):
                for f in figures:
                    if rest:
                        f["note"] = Inferred(
                            "Các ô còn lại của dòng: " + " ".join(rest),
                            "các ô đơn vị (chủ trì, phối hợp, thực hiện) chưa tách được; chép vào lead / "
                            "coordinating / implementing",
                        )
                out += figures
                continue
        t: dict = {"area": area, "group": group, "statement": " ".join(statement)}
        if value:
            cmp = {">": ">", "<": "<", ">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤"}.get(value.group("cmp") or "", None)
            if cmp is None:
                cmp = (
                    "≥"
                    if re.match(r"(?:Tối thiểu|Ít nhất|Từ)\b", t["statement"], re.I)
                    else ">"
                    if re.match(r"Trên\b", t["statement"], re.I)
                    else "="
                )
            t["comparator"] = Inferred(cmp, "so sánh suy từ cột giá trị và câu chỉ tiêu")
            t["value"] = Decimal(value.group("val").replace(",", "."))
            t["unit"] = value.group("unit") or value.group("unit2") or None
            if not t["unit"]:
                del t["unit"]
        if rest:
            t["note"] = Inferred(
                "Các ô còn lại của dòng: " + " ".join(rest),
                "các ô đơn vị (chủ trì, phối hợp, thực hiện) chưa tách được; chép vào lead / coordinating / "
                "implementing",
            )
        out.append(t)
    return out

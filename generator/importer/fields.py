"""Structured values read from paragraphs: header, legal bases, targets, signer, recipients."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .text import is_caps


@dataclass
class Inferred:
    """A value the importer worked out rather than copied: written with a `# XEM LẠI` comment."""

    value: object
    why: str


def plain(v):
    """The value without its review marks."""
    if isinstance(v, Inferred):
        return plain(v.value)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


# --------------------------------------------------------------------------- names and dates

_ADMIN = ["thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "xã", "phường", "quận", "đặc khu"]
# Fixed names in capitals → as written in running text; True: a place name follows.
_PHRASES = [
    (r"[UỦ][YỶ] BAN NHÂN DÂN", "UBND", False),
    (r"HỘI ĐỒNG NHÂN DÂN", "HĐND", False),
    (r"BAN THƯỜNG VỤ", "Ban Thường vụ", False),
    (r"BAN CHẤP HÀNH", "Ban Chấp hành", False),
    (r"BAN CHỈ ĐẠO", "Ban Chỉ đạo", False),
    (r"ĐẢNG BỘ", "Đảng bộ", False),
    (r"HUYỆN [UỦ][YỶ]", "Huyện ủy", True),
    (r"TỈNH [UỦ][YỶ]", "Tỉnh ủy", True),
    (r"THÀNH [UỦ][YỶ]", "Thành ủy", True),
    (r"QUẬN [UỦ][YỶ]", "Quận ủy", True),
    (r"ĐẢNG [UỦ][YỶ]", "Đảng ủy", False),
    (r"THÔNG TIN VÀ TRUYỀN THÔNG", "Thông tin và Truyền thông", False),
    (r"KHOA HỌC VÀ CÔNG NGHỆ", "Khoa học và Công nghệ", False),
    (r"KẾ HOẠCH VÀ ĐẦU TƯ", "Kế hoạch và Đầu tư", False),
    (r"VĂN HÓA VÀ THÔNG TIN", "Văn hóa và Thông tin", False),
    (r"TÀI CHÍNH", "Tài chính", False),
    (r"NỘI VỤ", "Nội vụ", False),
    (r"THÀNH PHỐ", "thành phố", True),
    (r"THỊ TRẤN", "thị trấn", True),
    (r"THỊ XÃ", "thị xã", True),
    (r"ĐẶC KHU", "đặc khu", True),
    (r"TỈNH", "tỉnh", True),
    (r"HUYỆN", "huyện", True),
    (r"XÃ", "xã", True),
    (r"PHƯỜNG", "phường", True),
    (r"QUẬN", "quận", True),
]


def name_case(text: str) -> str:
    """An issuer written in capitals → as the portal writes it:
    «ỦY BAN NHÂN DÂN TỈNH BẮC NINH» → «UBND tỉnh Bắc Ninh»."""
    t = " ".join(text.split())
    if not is_caps(t):
        return t
    out: list[str] = []
    place = False
    i = 0
    words = t.split(" ")
    while i < len(words):
        rest = " ".join(words[i:])
        for pattern, cased, opens_place in _PHRASES:
            if m := re.match(pattern + r"(?=\s|$)", rest):
                out.append(cased)
                place = opens_place
                i += len(m.group(0).split(" "))
                break
        else:
            w = words[i]
            if w in ("UBND", "HĐND") or (len(w) <= 5 and not any(c in "AEIOUY" for c in _base(w))):
                out.append(w)  # an acronym: «UBND», «CNTT»
            elif place or not out:
                out.append(w[:1] + w[1:].lower())
            else:
                out.append(w.lower())
            i += 1
    s = " ".join(out)
    return s[:1].upper() + s[1:]


def _base(w: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c)).upper().replace("Đ", "D")


def role_case(text: str) -> str:
    """«PHÓ CHỦ TỊCH» → «Phó Chủ tịch»; «GIÁM ĐỐC» → «Giám đốc»."""
    words = " ".join(text.split()).lower().split(" ")
    if not words or not words[0]:
        return text
    words[0] = words[0].capitalize()
    if words[0] == "Phó" and len(words) > 1:
        words[1] = words[1].capitalize()
    return " ".join(words)


def vn_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """«29», «12», «2025» → «29/12/2025»; without a day → «12/2025»; never a date that is not in the calendar."""
    if not year:
        return None
    d = int(day) if day and day.strip().isdigit() else None
    m = int(month) if month and month.strip().isdigit() else None
    if m is None or not 1 <= m <= 12:
        return year if d is None else None
    if d is None:
        return f"{m:02d}/{year}"
    try:
        dt.date(int(year), m, d)
    except ValueError:
        return None
    return f"{d:02d}/{m:02d}/{year}"


_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")


def written_date(text: str) -> str | None:
    """A date as the cited document writes it, checked against the calendar: «10/4/2007» → «10/4/2007»."""
    m = _DATE.search(text)
    if not m:
        return None
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    return f"{d}/{mo}/{y}"


# --------------------------------------------------------------------------- header

MOTTO = re.compile(
    r"CỘNG\s*H(?:OÀ|ÒA)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
    re.I,
)
NUMBER_LINE = re.compile(r"\bSố\s*:?\s*(\d*[a-zA-Z]?)\s*(/\s*[A-ZĐ][A-ZĐa-zđ0-9./-]*(?:\s*-\s*[A-ZĐ][A-ZĐa-zđ0-9]*)*)")
PLACE_DATE = re.compile(
    r"([A-ZĐ][^\d,;:]{1,40}?)\s*,\s*ngày\s*(\d{1,2})?[\s.…_]*(?:tháng|/)\s*(\d{1,2})?[\s.…_]*(?:năm|/)\s*(\d{4})"
)
KINDS = [
    (r"CHƯƠNG TRÌNH HÀNH ĐỘNG", "chuong-trinh-hanh-dong"),
    (r"KẾ HOẠCH", "ke-hoach"),
    (r"QUYẾT ĐỊNH", "quyet-dinh"),
    (r"ĐỀ ÁN", "de-an"),
    (r"BÁO CÁO", "bao-cao"),
    (r"CHƯƠNG TRÌNH", "chuong-trinh"),
]
SYMBOL_KIND = {
    "KH": "ke-hoach",
    "CTr": "chuong-trinh",
    "CTHĐ": "chuong-trinh-hanh-dong",
    "QĐ": "quyet-dinh",
    "ĐA": "de-an",
    "BC": "bao-cao",
}


@dataclass
class Header:
    issuer: str | None = None
    parent: str | None = None
    number: str | None = None
    symbol_only: bool = False
    place: str | None = None
    signed_date: str | None = None
    kind: str | None = None
    kind_line: int | None = None
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # every header line read


def read_header(lines: list[str], end: int) -> Header:
    """The header: lines 1..end-1 before the body (issuer, «Số:», place and date, kind, title)."""
    h = Header()
    issuer_lines: list[str] = []
    for n in range(1, end):
        raw = lines[n - 1]
        t = " ".join(raw.split())
        if not t:
            continue
        if h.kind_line is not None:
            # Title lines: everything after the kind line up to the body; a rule of underscores is decoration.
            h.lines.append(n)
            if re.fullmatch(r"[-_–—=*.\s]+", t):
                continue
            h.title_lines.append(n)
            continue
        h.lines.append(n)
        rest = MOTTO.sub(" ", t)
        if (m := NUMBER_LINE.search(rest)) and h.number is None and not h.symbol_only:
            serial, symbol = m.group(1), re.sub(r"\s+", "", m.group(2))
            if serial:
                h.number = serial + symbol
            else:
                h.number, h.symbol_only = symbol, True
            rest = rest[: m.start()] + " " + rest[m.end() :]
        if (m := PLACE_DATE.search(rest)) and h.signed_date is None:
            h.place = " ".join(m.group(1).split())
            h.signed_date = vn_date(m.group(2), m.group(3), m.group(4))
            rest = rest[: m.start()] + " " + rest[m.end() :]
        rest = " ".join(rest.split())
        kind = next((k for pattern, k in KINDS if re.fullmatch(pattern, rest)), None)
        if kind and h.kind is None:
            h.kind, h.kind_line = kind, n
            continue
        if (
            rest
            and is_caps(rest)
            and h.number is None
            and not h.symbol_only
            and not re.fullmatch(r"[-_–—=*.\s]+", rest)
        ):
            issuer_lines.append(rest.strip(" *-"))
    if h.title_lines:
        h.title = " ".join(" ".join(lines[n - 1].split()) for n in h.title_lines)
        h.title = h.title.strip()
        if is_caps(h.title):
            h.title = h.title[:1] + h.title[1:].lower()
    _issuer(h, [i for i in issuer_lines if i])
    if h.kind is None and h.number and (m := re.match(r"/?\d*/?([A-ZĐa-zđ]+)-", h.number.lstrip("/0123456789"))):
        h.kind = SYMBOL_KIND.get(m.group(1))
    return h


def _issuer(h: Header, lines: list[str]) -> None:
    if not lines:
        return
    if len(lines) == 1:
        h.issuer = name_case(lines[0])
        return
    first, rest = lines[0], " ".join(lines[1:])
    has_place = any(re.search(rf"\b{a.upper()}\b", first) for a in _ADMIN) or re.search(
        r"(?:TỈNH|HUYỆN|THÀNH) ỦY|ĐẢNG BỘ", first
    )
    if has_place:
        # The first line is the parent authority («UBND TỈNH HÀ TĨNH», «ĐẢNG BỘ TỈNH …»), the next the issuer.
        h.parent = name_case(first)
        h.issuer = name_case(rest)
        if not any(a in h.issuer.lower() for a in _ADMIN) and (
            m := re.search(r"\b(tỉnh|huyện|thành phố|xã|phường|quận|thị xã)\s+(.*)$", h.parent)
        ):
            if h.issuer.startswith(("Sở", "Phòng", "Ban", "Văn phòng", "Trung tâm", "Công an")):
                h.issuer += f" {m.group(1)} {m.group(2)}"
    else:
        h.issuer = name_case(first + " " + rest)


# --------------------------------------------------------------------------- legal bases

DOC_KINDS = (
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Nghị định",
    "Nghị quyết liên tịch",
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Thông tư liên tịch",
    "Thông tư",
    "Kế hoạch hành động",
    "Kế hoạch",
    "Chương trình hành động",
    "Chương trình",
    "Công văn",
    "Văn bản",
    "Thông báo kết luận",
    "Thông báo",
    "Kết luận",
    "Hướng dẫn",
    "Đề án",
    "Quy định",
    "Quy chế",
    "Chiến lược",
    "Công điện",
)
_KIND = "(?:" + "|".join(re.escape(k) for k in DOC_KINDS) + ")"
_DOCNO = (
    r"\d+[a-zA-Z]?(?:/\d{4})?/[A-ZĐa-zđ0-9][A-ZĐa-zđ0-9.&-]*(?:\s*-\s*[A-ZĐ][A-ZĐa-zđ0-9]*)*|"
    r"\d+[a-z]?-[A-ZĐ][A-ZĐa-zđ]*/[A-ZĐa-zđ0-9-]+"
)
_TITLE_START = (
    r"(?:về|Về|ban hành|Ban hành|phê duyệt|Phê duyệt|quy định|Quy định|hướng dẫn|Hướng dẫn|thực hiện|triển khai|"
    r"sửa đổi|bổ sung|tổ chức|Tổ chức|V/v|v/v|“|\"|của\s+(?=(?:Bộ trưởng|Thủ tướng)))"
)
_CITE = re.compile(
    rf"^(?:Căn cứ|Thực hiện|Theo)?\s*(?:các\s+|Các\s+)?(?P<kind>{_KIND})(?:\s+\w+)??\s*(?:số\s*:?\s*|"
    rf"Số\s*:?\s*)?(?P<number>{_DOCNO})?"
    rf"\s*,?\s*(?:ngày\s*(?P<date>\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}}|\d{{1,2}}\s*tháng\s*\d{{1,2}}\s*năm\s*\d{{4}}))?\s*,?\s*(?P<rest>.*)$",
    re.S,
)
_SHARED = re.compile(
    rf"^(?:Căn cứ\s+)?(?:Các|các)\s+(?P<kind>{_KIND})\s+(?:của\s+(?P<issuer>[^:]+?))?\s*:\s*(?P<rest>.+)$", re.S
)
_SPLIT = re.compile(rf";\s*(?=(?:và\s+)?(?:Căn cứ\s+)?(?:{_KIND}\s+(?:số\s*)?[\d]|{_KIND}\s+[A-ZĐ]|[Ss]ố\s+\d))")


def legal_bases(text: str) -> list[dict]:
    """One paragraph of bases → one entry per cited document, each field as written."""
    from generator.content.document_numbers import number_problem

    t = " ".join(text.split()).strip(" ;.")
    t = re.sub(r"^[-–+•]\s*", "", t)
    shared_kind = shared_issuer = None
    if m := _SHARED.match(t):
        shared_kind, shared_issuer = m.group("kind"), m.group("issuer")
        t = m.group("rest")
    out = []
    for seg in _SPLIT.split(t):
        seg = seg.strip(" ;.,")
        if not seg:
            continue
        if shared_kind and (m := re.match(r"^(?:[Ss]ố)\s*(.*)$", seg)):
            seg = f"{shared_kind} số {m.group(1)}"
        entry = _citation(seg)
        if shared_issuer and not entry.get("issuer"):
            entry["issuer"] = shared_issuer.strip()
        if entry.get("number") and number_problem(entry["number"]):
            why = f"số «{entry.pop('number')}» không đúng dạng số văn bản nên để trong trích yếu; tách ra nếu đọc được"
            entry["title"] = Inferred(seg, why)
        out.append(entry)
    return out


def _citation(seg: str) -> dict:
    m = _CITE.match(seg)
    entry: dict = {}
    if not m or not m.group("kind"):
        entry["title"] = seg
        if mi := re.search(r"\bcủa\s+(.+?)(?:\s+(?:có liên quan|liên quan|về|ban hành)\b|$)", seg):
            entry["issuer"] = mi.group(1).strip(" ,;.")
        return entry
    kind = m.group("kind")
    entry["kind"] = kind[0].upper() + kind[1:]
    number = m.group("number")
    if number:
        entry["number"] = re.sub(r"\s+", "", number)
    date = written_date(m.group("date") or "")
    rest = m.group("rest").strip()
    if not number and not date:
        entry["title"] = re.sub(r"^(?:Căn cứ|Thực hiện)\s+", "", seg)
        if mi := re.match(r"^(?:của\s+)(.+?)\s+(?=" + _TITLE_START + ")", rest):
            entry["issuer"] = mi.group(1)
        return entry
    if not date and (md := re.match(r"^ngày\s*(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})\s*,?\s*(.*)$", rest)):
        date, rest = written_date(md.group(1)), md.group(2)
    if date:
        entry["date"] = date
    if mi := re.match(r"^của\s+(.+?)\s*,?\s+(?=" + _TITLE_START + r")(.*)$", rest):
        entry["issuer"] = mi.group(1).strip(" ,")
        rest = rest[mi.start(2) :]
    elif mi := re.match(r"^của\s+(.+)$", rest):
        entry["issuer"] = mi.group(1).strip(" ,")
        rest = ""
    rest = rest.strip(" ,;")
    entry["title"] = rest or seg
    return entry


def cites_document(text: str) -> bool:
    return bool(re.search(rf"{_KIND}\s+(?:số\s*)?(?:{_DOCNO})", text))


# --------------------------------------------------------------------------- targets

_PCT = re.compile(
    r"(?P<cmp>(?:đạt\s+)?(?:trên|hơn|tối thiểu|ít nhất|từ|dưới|không quá|tối đa|không dưới|không thấp hơn|"
    r"khoảng|[<>≥≤])?)\s*"
    r"(?P<val>\d{1,3}(?:,\d+)?)\s*%(?P<more>\s*(?:trở lên|trở xuống))?",
    re.I,
)
_COUNT = re.compile(
    r"(?<![\d/.,-])(?P<cmp>(?:trên|hơn|tối thiểu|ít nhất|từ|dưới|không quá|tối đa|"
    r"có)\s+)?(?P<val>\d{1,3}(?:\.\d{3})*)\s+"
    r"(?P<unit>(?!năm\b|tháng\b|ngày\b|giờ\b|lần thứ\b)[a-zà-ỹđ]+(?:\s+[a-zà-ỹđ]+)?)",
    re.I,
)
_DEADLINE = re.compile(r"(?:đến|trước|trong|đến hết|cuối)\s+năm\s+(\d{4})")
_SCOPE = re.compile(
    r"(?:cấp\s+(?:tỉnh|huyện|xã)(?:\s*(?:,|và)\s*cấp\s+(?:tỉnh|huyện|xã))*|toàn\s+(?:tỉnh|huyện|xã|thành phố|thị xã))"
)


def has_figure(text: str) -> bool:
    return bool(_PCT.search(text))


def targets_from(
    statement: str, area: str, group: str | None, plan_year: int | None, deadline_hint: int | None
) -> list[dict]:
    """One prose target → one entry per figure it states; a statement without a figure stays qualitative."""
    base: dict = {"area": area}
    if group:
        base["group"] = group
    base["statement"] = statement
    found = list(_PCT.finditer(statement))
    out = []
    deadline = None
    if m := _DEADLINE.search(statement):
        deadline = (int(m.group(1)), "năm ghi trong câu chỉ tiêu")
    elif deadline_hint:
        deadline = (deadline_hint, "năm ghi ở tiêu đề nhóm chỉ tiêu")
    elif plan_year:
        deadline = (plan_year, "năm của kế hoạch (câu chỉ tiêu không ghi năm)")
    for m in found:
        t = dict(base)
        word = (m.group("cmp") or "").lower().replace("đạt", "").strip()
        cmp = {
            "trên": ">",
            "hơn": ">",
            ">": ">",
            "tối thiểu": "≥",
            "ít nhất": "≥",
            "không dưới": "≥",
            "không thấp hơn": "≥",
            "≥": "≥",
            "dưới": "<",
            "<": "<",
            "không quá": "≤",
            "tối đa": "≤",
            "≤": "≤",
        }.get(word, "=")
        if word == "từ" or (m.group("more") and "lên" in m.group("more")):
            cmp = "≥"
        clause = _clause(statement, m)
        t["indicator"] = (
            Inferred("Tỷ lệ " + clause if clause else None, "chỉ số do máy đề xuất từ câu chỉ tiêu") if clause else None
        )
        t["comparator"] = Inferred(cmp, f"so sánh suy từ «{(m.group('cmp') or '').strip() or m.group(0).strip()}»")
        t["value"] = Decimal(m.group("val").replace(",", "."))
        t["unit"] = "%"
        scope = _SCOPE.search(clause or "") or _SCOPE.search(statement[max(0, m.start() - 60) : m.end() + 80])
        if scope:
            t["scope"] = Inferred(scope.group(0), "phạm vi suy từ câu chỉ tiêu")
        if deadline:
            t["deadline_year"] = Inferred(deadline[0], deadline[1])
        out.append({k: v for k, v in t.items() if v is not None})
    if out:
        return out
    return [base]


def _clause(statement: str, m: re.Match) -> str:
    """The words a figure measures: from the figure to the next figure, «;» or sentence end."""
    rest = statement[m.end() :]
    rest = re.split(
        r"[;.]|\s(?:và|,)\s*(?:trên|hơn|tối thiểu|ít nhất|từ)?\s*\d{1,3}(?:,\d+)?\s*%|,\s*\d{1,3}(?:,\d+)?\s*%", rest
    )[0]
    rest = rest.strip(" ,:")
    rest = re.sub(r"^(?:trở lên|trở xuống)\s*", "", rest)
    rest = re.sub(r"^(?:số\s+|các\s+)", "", rest)
    words = rest.split()
    return " ".join(words[:25]).strip(" ,") if words else ""


# --------------------------------------------------------------------------- signer, recipients

ON_BEHALF = re.compile(r"\b(?:TM|T/M|T\.M|KT|TL|TUQ|Q)\.?\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]+")
_ROLE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|BÍ THƯ|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG|THỦ TRƯỞNG|"
    r"TỔNG GIÁM ĐỐC|HIỆU TRƯỞNG|TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|BỘ TRƯỞNG|THỨ TRƯỞNG)\b.*$"
)
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){1,5}$")
_SIGNED = re.compile(r"^\(?\s*(?:Đã ký|đã ký|Ký|ký|Chữ ký)[^)]*\)?$")


def is_person_name(text: str) -> bool:
    return bool(_NAME.match(text)) and not re.search(r"\b(?:Ủy|Ban|Sở|Phòng|UBND|Huyện|Tỉnh|Lưu|Các|Nơi)\b", text)


@dataclass
class Tail:
    recipients: list[tuple[str, list[int]]] = field(default_factory=list)
    on_behalf: list[str] = field(default_factory=list)
    title: str | None = None
    name: str | None = None
    used: set[int] = field(default_factory=set)


def read_tail(lines: list[str], start: int, end: int, dropped: dict[int, str]) -> Tail:
    """«Nơi nhận» and the signer block, from lines start..end; a two-column layout may put them on one line."""
    tail = Tail()
    in_recipients = False
    for n in range(start, end + 1):
        raw = lines[n - 1]
        if n in dropped or not raw.strip():
            continue
        parts = [p.strip() for p in re.split(r"\s{3,}", raw.strip()) if p.strip()]
        used = False
        for part in parts:
            if m := re.match(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?\s*(.*)$", part):
                in_recipients = True
                used = True
                part = m.group(1).strip()
                if not part:
                    continue
            if ON_BEHALF.fullmatch(part) or re.match(r"^(?:TM|T/M|T\.M|KT|TL|TUQ)\.?\s+[A-ZĐ]", part):
                tail.on_behalf.append(" ".join(part.split()))
                used = True
                continue
            if _ROLE.match(part) and tail.title is None:
                tail.title = role_case(part)
                used = True
                continue
            if _SIGNED.match(part):
                used = True
                continue
            if is_person_name(part) and (tail.title or tail.on_behalf):
                tail.name = part
                used = True
                continue
            if in_recipients and re.match(r"^[-–+•]\s*", part):
                tail.recipients.append((re.sub(r"^[-–+•]\s*", "", part), [n]))
                used = True
            elif in_recipients and tail.recipients and not is_caps(part):
                text, ns = tail.recipients[-1]
                tail.recipients[-1] = (text.rstrip() + " " + part, ns + [n])
                used = True
        if used:
            tail.used.add(n)
    tail.recipients = [(" ".join(t.split()).rstrip(" ;,."), ns) for t, ns in tail.recipients]
    return tail

"""Tables flattened one cell per line (PDF extraction, DOCX cells) → rows.

A table starts at its «TT»/«STT»/«Số TT» header and ends at «Bằng chữ», at the line after
«Tổng cộng», or at the next heading of the document. Rows are found by their running
number: a line that starts with the next expected code («1», «2»…, «I», «II»… for groups)
starts a row. Within a row, amounts are the numbers that stand alone, lead a line or end
one; the text before them fills the text columns that the header places before the amount
columns, the text after them the columns after. What cannot be split with confidence is
kept whole and marked for review, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .text import MARKER, CleanText, is_caps

_HEADER_START = re.compile(r"^\s*(?:S[ốô]\s*TT|STT|TT)\b|^\s*S[ốô]\s*$")
_MONEY = re.compile(
    r"kinh phí|tổng mức|dự toán|số tiền|\(\s*(?:triệu\s+)?đồng\s*\)|tổng vốn|vốn đầu tư\s*\(|thành tiền", re.I
)
_TARGET = re.compile(r"đơn vị\s+tính|chỉ tiêu|mục tiêu", re.I)
_TOTAL = re.compile(r"^\s*(?:Tổng cộng|TỔNG CỘNG|Tổng số|TỔNG SỐ|Tổng|TỔNG|Cộng|CỘNG)\b\s*:?\s*(.*)$")
_WORDS = re.compile(r"^\s*(?:\(?\s*Bằng chữ|BẰNG CHỮ)\s*:?\s*(.*)$")
_ROMAN = re.compile(r"^\s*([IVX]{1,5})(?:\s*[.)])?(?:\s+(.*))?$")
_CODE = re.compile(r"^\s*(\d{1,3})(?:\s*[.)])?(?:\s+(.*))?$")
NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:,\d+)?"
_NUM_TOKEN = re.compile(rf"^(?:[<>≥≤]\s*)?({NUMBER})\s*(?:đ|đồng|VNĐ|vnđ)?$")
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass
class Region:
    kind: str  # "budget" or "targets"
    title_lines: list[int]
    header_lines: list[int]
    body_lines: list[int]  # rows, totals, «Bằng chữ»

    @property
    def all_lines(self) -> set[int]:
        return set(self.title_lines) | set(self.header_lines) | set(self.body_lines)


@dataclass
class Row:
    kind: str  # "group", "line", "total", "words"
    code: str | None
    lines: list[int] = field(default_factory=list)
    cells: list[tuple[int, str]] = field(default_factory=list)  # (line, text) fragments in order


def find_regions(ct: CleanText) -> list[Region]:
    lines = ct.lines
    regions: list[Region] = []
    n = 1
    while n <= len(lines):
        if not _HEADER_START.match(lines[n - 1]):
            n += 1
            continue
        header, first_row = _header(lines, n)
        if first_row is None:
            n += 1
            continue
        text = " ".join(lines[k - 1] for k in header)
        kind = "budget" if _MONEY.search(text) else "targets" if _TARGET.search(text) else None
        if kind is None:
            n += 1
            continue
        body = _body(lines, first_row, header)
        title = _title(lines, n)
        regions.append(Region(kind, title, header, body))
        n = (body[-1] if body else first_row) + 1
    return regions


def _header(lines: list[str], start: int) -> tuple[list[int], int | None]:
    header = []
    for n in range(start, min(start + 120, len(lines)) + 1):
        t = lines[n - 1].strip()
        if not t:
            continue
        if len(header) > 40:
            break
        if n > start and (
            _ROMAN.match(t)
            and _ROMAN.match(t).group(1) == "I"
            or _CODE.match(t)
            and _CODE.match(t).group(1) in ("1", "01")
        ):
            return header, n
        header.append(n)
    return header, None


def _title(lines: list[str], start: int) -> list[int]:
    out: list[int] = []
    n = start - 1
    while n >= 1 and len(out) < 6:
        t = lines[n - 1].strip()
        if not t:
            n -= 1
            continue
        if MARKER.match(t) or not (
            is_caps(t)
            or re.match(r"^\(?\s*(?:Kèm theo|Ban hành kèm|Đơn vị)", t)
            or re.match(r"^(?:Biểu|BIỂU|Phụ lục|PHỤ LỤC)", t)
        ):
            break
        out.insert(0, n)
        n -= 1
    return out


def _body(lines: list[str], first: int, header: list[int]) -> list[int]:
    header_texts = [" ".join(lines[k - 1].split()) for k in header]
    body: list[int] = []
    after_total = False
    n = first
    while n <= len(lines):
        t = lines[n - 1].strip()
        if not t:
            n += 1
            continue
        if _WORDS.match(t):
            body.append(n)
            break
        if after_total and not (_all_numbers(t.split()) or t in ("đ", "đồng", "VNĐ")):
            break
        if _ends_table(t):
            break
        if t and " ".join(t.split()) == (header_texts[0] if header_texts else None):
            # The header again at the top of a new page: the same table goes on.
            k = 0
            while n <= len(lines) and k < len(header_texts):
                tt = " ".join(lines[n - 1].split())
                if not tt:
                    body.append(n)  # blank: harmless
                    n += 1
                    continue
                if tt != header_texts[k]:
                    break
                body.append(n)
                k += 1
                n += 1
            continue
        body.append(n)
        if _TOTAL.match(t) and not _CODE.match(t):
            after_total = True
        n += 1
    return [k for k in body if lines[k - 1].strip()]


def _ends_table(t: str) -> bool:
    if re.match(r"^(?:Phần|PHẦN)\s+[IVX\d]", t) or re.match(r"^(?:PHỤ LỤC|Phụ lục|Biểu mẫu|BIỂU MẪU)\b", t):
        return True
    if re.match(r"^[IVX]{1,5}\s*\.\s+\S", t) and is_caps(t):
        return True
    if re.match(r"^(?:Nơi nhận|TM\.|KT\.|T/M)", t):
        return True
    return False


def rows(ct: CleanText, region: Region) -> list[Row]:
    out: list[Row] = []
    expect_code = 1
    expect_roman = 0
    cur: Row | None = None
    header = set(region.header_lines)
    for n in region.body_lines:
        t = " ".join(ct.lines[n - 1].split())
        if n in header or not t:
            continue
        if m := _WORDS.match(t):
            cur = Row("words", None, [n], [(n, m.group(1))])
            out.append(cur)
            continue
        m_total = _TOTAL.match(t)
        if m_total and not _CODE.match(t):
            cur = Row("total", None, [n], [(n, m_total.group(1))] if m_total.group(1) else [])
            out.append(cur)
            continue
        m_roman = _ROMAN.match(t)
        if m_roman and expect_roman < len(_ROMANS) and m_roman.group(1) == _ROMANS[expect_roman]:
            expect_roman += 1
            expect_code = 1
            cur = Row("group", m_roman.group(1), [n], [(n, m_roman.group(2) or "")])
            out.append(cur)
            continue
        m_code = _CODE.match(t)
        if (
            m_code
            and int(m_code.group(1)) == expect_code
            and not _all_numbers(t.split()[1:] if m_code.group(2) else [])
            and (cur is None or cur.kind != "line" or len(cur.lines) > 1 or cur.cells)
        ):
            expect_code += 1
            cur = Row("line", m_code.group(1), [n], [(n, m_code.group(2))] if m_code.group(2) else [])
            out.append(cur)
            continue
        if cur is None:
            cur = Row("line", None, [], [])
            out.append(cur)
        cur.lines.append(n)
        cur.cells.append((n, t))
    return out


def _all_numbers(tokens: list[str]) -> bool:
    return bool(tokens) and all(_NUM_TOKEN.match(tok) for tok in tokens)


# --------------------------------------------------------------------------- amounts


def split_amounts(
    row: Row, raw_lines: list[str], columns: int
) -> tuple[list[tuple[int, str]], list[str], list[tuple[int, str]]]:
    """(text before the amounts, the amounts as printed, text after) of a row."""
    before: list[tuple[int, str]] = []
    after: list[tuple[int, str]] = []
    amounts: list[str] = []
    for i, (n, text) in enumerate(row.cells):
        if not text:
            continue
        if amounts and len(amounts) >= columns:
            after.append((n, text))
            continue
        tokens = text.split()
        if text.strip() in ("đ", "đồng", "VNĐ") and amounts:
            continue
        if _all_numbers(tokens) and not _year_cell(row.cells, i):
            amounts += [_NUM_TOKEN.match(tok).group(1) for tok in tokens]
            continue
        lead = []
        while tokens and _NUM_TOKEN.match(tokens[0]) and not amounts and before and not _year_cell(row.cells, i):
            lead.append(_NUM_TOKEN.match(tokens.pop(0)).group(1))
        if lead:
            amounts += lead
            if tokens:
                after.append((n, " ".join(tokens)))
            continue
        trail = []
        wide = raw_lines[n - 1].rstrip()
        first_line = i == 0
        while tokens and _NUM_TOKEN.match(tokens[-1]) and len(trail) < columns:
            tok = tokens[-1]
            spaced = re.search(r"\S\s{2,}" + re.escape(tok) + r"(?:\s|$)", wide) is not None
            if not (first_line or row.kind in ("group", "total") or re.search(r"\d[.,]\d{3}", tok) or spaced):
                break
            if len(tokens) >= 2 and tokens[-2].lower() in ("năm", "độ", "mức", "số", "lần", "thứ", "phiên"):
                break
            trail.insert(0, _NUM_TOKEN.match(tokens.pop()).group(1))
        if trail and not amounts:
            if tokens:
                before.append((n, " ".join(tokens)))
            amounts += trail
            continue
        (after if amounts else before).append((n, text))
    return before, amounts, after


def _year_cell(cells: list[tuple[int, str]], i: int) -> bool:
    text = cells[i][1].strip()
    prev = cells[i - 1][1].strip() if i else ""
    return bool(re.fullmatch(r"(?:19|20)\d\d", text)) and prev.lower().endswith(("năm", "năm:"))


def parse_amount(printed: str, unit: str) -> tuple[Decimal, bool, str | None]:
    """(value in the table's unit, whether `printed` must be kept, why the reading needs review)."""
    t = printed.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        value = Decimal(t.replace(".", ""))
        why = None
        if unit == "trieu-dong":
            why = (
                f"«{t}» đọc theo cách ghi Việt Nam (dấu chấm ngăn hàng nghìn) = {value} triệu đồng; đối chiếu "
                "với số bằng chữ"
            )
        return value, unit == "trieu-dong", why
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", t):
        return Decimal(t.replace(".", "").replace(",", ".")), True, None
    if re.fullmatch(r"\d+,\d+", t):
        value = Decimal(t.replace(",", "."))
        why = None
        if unit == "dong" or re.fullmatch(r"\d{1,3},\d{3}", t):
            why = f"«{t}»: dấu phẩy đọc là dấu thập phân ({value}); nếu là dấu ngăn hàng nghìn thì sửa lại"
        return value, True, why
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        value = Decimal(t.replace(",", ""))
        return value, True, f"«{t}» in lẫn dấu phẩy và dấu chấm; đọc theo cách ghi quốc tế = {value}; cần đối chiếu"
    if re.fullmatch(r"\d+", t):
        return Decimal(t), unit == "trieu-dong", None
    return Decimal(re.sub(r"[^\d]", "", t) or "0"), True, f"không đọc được số «{t}»"


def split_cells(fragments: list[tuple[int, str]], k: int) -> list[list[tuple[int, str]]]:
    """Text fragments of a row → at most `k` cells: a cell starts at a fragment opening with a capitalised word
    after a fragment that does not end mid-phrase. The last cell takes what is left."""
    if k <= 1 or len(fragments) <= 1:
        return [fragments] if fragments else []
    cells: list[list[tuple[int, str]]] = [[fragments[0]]]
    for frag in fragments[1:]:
        text = frag[1]
        prev = cells[-1][-1][1]
        first = text.split()[0] if text.split() else ""
        words = prev.split()
        # A name in progress («… Ban Chỉ đạo» / «Chuyển đổi số», «… và Ủy» / «ban nhân dân») continues on the next line.
        naming = bool(words) and (
            _capitalised(words[-1]) or (len(words) > 1 and _capitalised(words[-2]) and words[-1].islower())
        )
        starts = (
            _capitalised(first)
            and not naming
            and not re.search(r"(?:\b(?:và|của|cho|các|với|về|tại|trên)|[,(–-])\s*$", prev)
        )
        if starts and len(cells) < k:
            cells.append([frag])
        else:
            cells[-1].append(frag)
    return cells


def _capitalised(word: str) -> bool:
    return bool(re.match(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]", word))


def header_columns(ct: CleanText, region: Region) -> list[tuple[str, str]]:
    """[(role, label)] in the header's order; roles: name, objective, lead, status, period, funds, effect, note,
    money."""
    text = " ".join(" ".join(ct.lines[n - 1].split()) for n in region.header_lines)
    roles = [
        (
            "name",
            r"Tên\s+(?:nhiệm vụ|dự án|hạng mục|công việc|nội dung|chương trình)|Nội dung(?:\s+(?:công việc|"
            r"mục tiêu|chỉ tiêu|nhiệm vụ))?|Danh mục|Khoản chi",
        ),
        ("objective", r"Mục tiêu(?:\s+đầu tư)?"),
        ("lead", r"(?:Đơn vị|Cơ quan)\s+chủ trì(?:\s+đôn đốc)?"),
        ("coordinating", r"(?:Đơn vị|Cơ quan)\s+phối hợp(?:\s+đôn đốc)?"),
        ("implementing", r"(?:Đơn vị|Cơ quan)\s+thực hiện"),
        ("status", r"Phân loại"),
        ("period", r"Thời\s+gian(?:\s+thực\s+hiện)?"),
        ("funds", r"Nguồn\s+(?:vốn|kinh phí)(?:\s+đầu\s*tư)?"),
        ("effect", r"Hiệu quả(?:\s*/\s*Hiện trạng)?"),
        ("unit", r"Đơn vị\s+tính"),
        ("value", r"Hoàn\s+thành|Chỉ tiêu năm|Giá trị"),
        ("note", r"Ghi\s+chú"),
        (
            "money",
            r"Tổng\s+mức(?:\s+đầu\s+tư)?|Tổng\s+kinh\s+phí(?:\s+thực\s+hiện)?|Kinh\s+phí(?:\s+(?:thực\s+hiện|dự\s+kiến))?|Dự\s+toán|Số\s+tiền|Thành\s+tiền",
        ),
    ]
    found: list[tuple[int, int, str]] = []
    for role, pattern in roles:
        for m in re.finditer(pattern, text, re.I):
            if any(s <= m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), role))
    found.sort()
    out = []
    for i, (s, _e, role) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        label = text[s:end].strip(" ,;")
        if role == "money":
            # «Tổng mức đầu tư (Triệu đồng)»: the label runs to the closing bracket of its unit.
            m = re.match(r"[^()]*(?:\([^)]*\))?", text[s:end])
            label = (m.group(0) if m else label).strip(" ,;")
        out.append((role, label))
    return out

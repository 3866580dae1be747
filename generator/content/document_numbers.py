"""Vietnamese document numbers and the citations written in text.

A Vietnamese document number ("số, ký hiệu") has one of a few shapes:

    42/2022/NĐ-CP       số/năm/loại-cơ quan   (văn bản quy phạm pháp luật)
    86/2015/QH13        số/năm/cơ quan        (luật, nghị quyết của Quốc hội)
    1891/QĐ-TTg         số/loại-cơ quan       (văn bản hành chính)
    3494/KH-UBND-VH     số/loại-cơ quan-đơn vị soạn thảo
    2055/BTTTT-THH      số/cơ quan-đơn vị     (công văn: không có chữ viết tắt loại)
    05-NQ/TU            số-loại/cơ quan       (văn bản của Đảng)

`parse_number` reads them; `number_problem` explains, in Vietnamese, why a
number has none of these shapes (the validator reports it).

`find_mentions` reads the numbers of a text, with the kind, date and issuer written around them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline imports this module from validate: no runtime import of model/render here
    from generator.content.schema import LegalBasis

# Abbreviations of document kinds (Nghị định 30/2020/NĐ-CP phụ lục III; Quy định 66-QĐ/TW for Party documents).
KINDS = {
    "L": "Lệnh",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "QĐi": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "CTHĐ": "Chương trình hành động",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "KL": "Kết luận",
    "CV": "Công văn",
    "GM": "Giấy mời",
}
_KINDS_UPPER = {code.upper(): code for code in KINDS}
# Codes typed without the Đ ("QD-UBND", "HDND"): read and keyed as written with Đ. Not "DA", "HD":
# those are Dự án and Hướng dẫn.
_UNFOLD = {
    "ND": "NĐ",
    "QD": "QĐ",
    "QYD": "QYĐ",
    "QDI": "QĐI",
    "CTHD": "CTHĐ",
    "CD": "CĐ",
    "HDND": "HĐND",
    "BKHDT": "BKHĐT",
    "BGDDT": "BGDĐT",
    "BLDTBXH": "BLĐTBXH",
}
DISPATCH = "Công văn"  # a number without a kind abbreviation ("2055/BTTTT-THH")

# Issuer codes of national bodies (and Party central bodies: code ending in TW); anything else is numbered locally
# (UBND, HĐND, TU, HU, sở, phòng…).
NATIONAL_ISSUERS = {
    "QH",
    "UBTVQH",
    "CTN",
    "CP",
    "TTG",
    "VPCP",
    "TW",
    "BCT",
    "BTTTT",
    "BTC",
    "BNV",
    "BKHĐT",
    "BCA",
    "BQP",
    "BYT",
    "BGDĐT",
    "BTNMT",
    "BNNPTNT",
    "BXD",
    "BGTVT",
    "BLĐTBXH",
    "BVHTTDL",
    "BTP",
    "BKHCN",
    "BNG",
    "NHNN",
    "TTCP",
    "UBDT",
    "KTNN",
    "TANDTC",
    "VKSNDTC",
}
ISSUER_NAMES = {
    "CP": "Chính phủ",
    "TTG": "Thủ tướng Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "BTTTT": "Bộ Thông tin và Truyền thông",
}
DISTRICT_ISSUERS = {"HU", "QU"}  # Huyện ủy, Quận ủy

# Order of kinds on the index: laws first, then by legal force, the rest alphabetically.
KIND_ORDER = [
    "Hiến pháp",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Nghị quyết",
    "Nghị định",
    "Chỉ thị",
    "Quyết định",
    "Thông tư",
    "Thông tư liên tịch",
    "Kết luận",
    "Quy định",
    "Chương trình hành động",
    "Chương trình",
    "Kế hoạch",
    "Đề án",
    "Hướng dẫn",
    "Thông báo",
    "Công văn",
    "Văn bản",
]

# --------------------------------------------------------------------------- numbers

_SERIAL = r"(\d{1,6}[a-z]?)"
_TOKEN = r"[A-ZĐ][A-Za-zĐđ0-9]*"  # codes start with a capital: KH, UBND, TTg, CTr, QH13
_CODES = rf"({_TOKEN}(?:-{_TOKEN})*)"
_WITH_YEAR = re.compile(rf"{_SERIAL}/(\d{{4}})/{_CODES}")  # 42/2022/NĐ-CP, 86/2015/QH13
_PLAIN = re.compile(rf"{_SERIAL}/{_CODES}")  # 1891/QĐ-TTg, 2055/BTTTT-THH
_PARTY = re.compile(rf"{_SERIAL}-({_TOKEN})/{_CODES}")  # 05-NQ/TU
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_EXAMPLES = "ví dụ «42/2022/NĐ-CP», «1891/QĐ-TTg», «3494/KH-UBND-VH», «2055/BTTTT-THH», «05-NQ/TU»"


@dataclass(frozen=True)
class DocumentNumber:
    """A document number read into its parts."""

    text: str  # as written
    serial: str  # số thứ tự: "42"
    year: int | None  # năm in the number (2022 in 42/2022/NĐ-CP), None when the number has none
    kind_code: str | None  # "NĐ"; None for công văn and laws ("86/2015/QH13")
    issuer_code: str  # "CP", "UBND-VH", "BTTTT-THH", "TU"
    style: str  # "nha-nuoc" (state, with kind), "cong-van" (no kind), "dang" (Party: số-loại/cơ quan)

    @property
    def kind(self) -> str | None:
        """The kind the abbreviation stands for ("Nghị định"); "Công văn" when a state number has none."""
        if self.kind_code:
            return KINDS.get(self.kind_code) or KINDS.get(_KINDS_UPPER.get(self.kind_code.upper(), ""))
        return DISPATCH if self.style == "cong-van" else None

    @property
    def issuer(self) -> str:
        """The issuing body's code, without the drafting unit or legislature number: "UBND", "QH", "BTTTT"."""
        code = re.sub(r"\d+$", "", self.issuer_code.split("-", 1)[0]).upper()
        return _UNFOLD.get(code, code)

    @property
    def issuer_name(self) -> str | None:
        return ISSUER_NAMES.get(self.issuer)

    @property
    def national(self) -> bool:
        return self.issuer in NATIONAL_ISSUERS or self.issuer.endswith("TW")

    @property
    def canonical(self) -> str:
        return canonical_number(self.text)

    @property
    def sort_serial(self) -> tuple[int, str]:
        digits = re.match(r"\d+", self.serial)
        return (int(digits.group()) if digits else 0, self.serial)


@functools.lru_cache(maxsize=65536)  # the same numbers are cited by plan after plan (as below)
def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_DASHES).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return re.sub(r"\s+", "", text)


def _tidy(number: str) -> bool:
    """Written without stray spaces or odd dashes: "4013/CTr-UBND", not "4013/CTr- UBND"."""
    return _clean(number) == number.strip()


@functools.lru_cache(maxsize=65536)
def canonical_number(text: str) -> str:
    """The key two spellings of one number share: "4013/CTr- UBND" → "4013/CTR-UBND", "12/QD-UBND" → "12/QĐ-UBND"."""
    return re.sub(r"[A-ZĐ0-9]+", lambda m: _UNFOLD.get(m.group(), m.group()), _clean(text).upper())


def _kind_code(token: str) -> str | None:
    if token in KINDS:
        return token
    upper = token.upper()
    return _KINDS_UPPER.get(_UNFOLD.get(upper, upper))


@functools.lru_cache(maxsize=65536)
def parse_number(text: str | None) -> DocumentNumber | None:
    """The parts of a document number, or None when it has no recognisable shape."""
    if not text or not text.strip():
        return None
    written = text.strip()
    clean = _clean(written)
    if m := _WITH_YEAR.fullmatch(clean):
        serial, year, codes = m.group(1), int(m.group(2)), m.group(3)
        if not 1945 <= year <= 2100:
            return None
        first, _, rest = codes.partition("-")
        if code := _kind_code(first):
            return DocumentNumber(written, serial, year, code, rest, "nha-nuoc") if rest else None
        return DocumentNumber(written, serial, year, None, codes, "nha-nuoc")
    if m := _PLAIN.fullmatch(clean):
        serial, codes = m.groups()
        first, _, rest = codes.partition("-")
        if code := _kind_code(first):
            return DocumentNumber(written, serial, None, code, rest, "nha-nuoc") if rest else None
        return DocumentNumber(written, serial, None, None, codes, "cong-van")
    if m := _PARTY.fullmatch(clean):
        serial, kind, codes = m.groups()
        return DocumentNumber(written, serial, None, _kind_code(kind) or kind, codes, "dang")
    return None


def number_problem(text: str | None) -> str | None:
    """Why `text` is not a document number, in Vietnamese; None when it has a recognisable shape."""
    if text is None or parse_number(text):
        return None
    written = text.strip()
    clean = _clean(written)
    if not clean:
        reason = "để trống; bỏ trường nếu văn bản không ghi số"
    elif clean.casefold().startswith("số"):
        reason = "chỉ ghi số và ký hiệu, bỏ chữ «Số» ở đầu"
    elif not clean[0].isdigit():
        reason = "phải bắt đầu bằng số thứ tự của văn bản"
    elif "/" not in clean:
        reason = "thiếu phần ký hiệu sau dấu «/»"
    elif re.search(r"[/-][/-]|[/-]$", clean):
        reason = "có phần để trống giữa các dấu «/», «-»"
    elif re.search(r"[/-][a-zđ]", clean):
        reason = "ký hiệu viết bằng chữ in hoa, ví dụ «KH-UBND»"
    elif (m := re.match(r"\d+[a-z]?/(\d{4})/", clean)) and not 1945 <= int(m.group(1)) <= 2100:
        reason = f"năm {m.group(1)} không hợp lý"
    elif (m := re.fullmatch(rf"\d+[a-z]?/(?:\d{{4}}/)?({_TOKEN})", clean)) and _kind_code(m.group(1)):
        reason = f"thiếu mã cơ quan ban hành sau loại văn bản «{m.group(1)}»"
    else:
        reason = "không nhận ra dạng số/năm/loại-cơ quan"
    return f"số, ký hiệu «{written}» không đúng dạng số văn bản: {reason} ({_EXAMPLES})"


# --------------------------------------------------------------------------- identity


def ascii_slug(text: str, max_length: int = 80) -> str:
    """ "42/2022/NĐ-CP" → "42-2022-nd-cp"; "Luật An toàn thông tin" → "luat-an-toan-thong-tin"."""
    text = unicodedata.normalize("NFD", _fold_d(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:  # two long titles may share a beginning: a short digest keeps them apart
        slug = slug[: max_length - 7].rsplit("-", 1)[0] + "-" + hashlib.sha256(slug.encode()).hexdigest()[:6]
    return slug or "van-ban"


def _fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D").replace("\u00d0", "D").replace("\u00f0", "d")


@functools.lru_cache(maxsize=65536)  # the same titles are cited by plan after plan
def _normal_text(text: str) -> str:
    """Comparison form of a title or name: case, spacing, dash spacing and a final full stop do not count."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES).casefold()
    text = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", text)).strip()
    return text.rstrip(" .;")


def heading(basis: LegalBasis) -> str:
    """How a document without a number is named: its title, with its kind in front unless the title starts with it."""
    if basis.kind and not _normal_text(basis.title).startswith(_normal_text(basis.kind)):
        return f"{basis.kind} {basis.title}"
    return basis.title


# --------------------------------------------------------------------------- documents named in the text


@dataclass(frozen=True)
class Mention:
    """A document a plan's text names: what the text writes of it (the fields of a legal basis it has)."""

    number: str  # as written: "52-NQ/TW"
    kind: str | None  # the kind the text names before the number ("Nghị quyết"), if any
    date: dt.date | None  # «ngày 27/9/2019», «ngày 20 tháng 01 năm 2022» right after the number
    issuer: str | None  # «của Bộ Chính trị» after the number (and date)
    start: int  # where the number is in the text
    end: int
    title: None = None  # the text gives no trích yếu the portal could tell apart from the sentence


_CODE_TOKEN = r"[A-ZĐÐ][A-Za-zĐđÐð0-9]*"
# A number in running text: the shapes parse_number reads, a dash in the codes maybe followed by a stray space
# («4013/CTr- UBND»), not glued to a word, a digit, a dot, a comma, a slash or a dash on either side (amounts
# «1.374,306», dates «24/6/2022», «2021-2025», paths and addresses are no numbers).
_IN_TEXT = re.compile(
    rf"(?<![\w./,\-])(\d{{1,6}}[a-z]?(?:/\d{{4}})?(?:-{_CODE_TOKEN})?/{_CODE_TOKEN}(?:-\s?{_CODE_TOKEN})*)(?![\w/]|[-.]\w)"
)
_KIND_WORDS = sorted(set(KINDS.values()) | set(KIND_ORDER) | {"Văn bản", "Kế hoạch hành động"}, key=len, reverse=True)
_KIND_NAMES = {k.casefold(): k for k in _KIND_WORDS}
_KIND_BEFORE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _KIND_WORDS)) + r")\s*(?:số\s*:?\s*)?$", re.IGNORECASE)
_DATE_AFTER = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?ngày\s*(?:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
    r"|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4}))(?!\d)",
    re.IGNORECASE,
)
_ISSUER_AFTER = re.compile(r"\s*,?\s*(?:của|do)\s+(?=\S)")
# Words that end an issuer's name in «… của <issuer> <what the document does>».
_ISSUER_ENDS = {
    "về",
    "v/v",
    "quy",
    "phê",
    "thực",
    "triển",
    "hướng",
    "nhằm",
    "đã",
    "theo",
    "tại",
    "trong",
    "cho",
    "với",
    "để",
    "là",
    "gồm",
    "được",
    "ngày",
    "thì",
    "mà",
    "có",
    "sẽ",
    "nay",
    "các",
    "một",
    "đối",
    "kèm",
    "giao",
    "chỉ",
    "đề",
    "sửa",
    "bổ",
    "tổ",
    "xây",
    "tiếp",
    "tăng",
}
# Bodies whose công văn (a number without a kind: «3219/UBND-VH») are recognised without «Công văn số» before them;
# «01/GP-TTĐT» (a licence) is not.
_DISPATCH_ISSUERS = NATIONAL_ISSUERS | {"UBND", "HĐND", "TU", "HU", "QU", "BCĐ", "VPUBND"}


def _issuer_after(text: str) -> str | None:
    """The issuer's name at the start of `text`: «UBND huyện Sơn Tịnh» of «UBND huyện Sơn Tịnh về việc…»."""
    words: list[str] = []
    for m in re.finditer(r"[^\s,;:.()“”\"'«»]+|[,;:.()“”\"'«»]", text[:160]):
        word = m.group()
        if not word[0].isalnum() and word not in ("/",):
            break
        if (
            word in _ISSUER_ENDS
            or (word == "ban" and text[m.end() : m.end() + 5] == " hành")
            or (word == "và" and not text[m.end() :].lstrip()[:1].isupper())
        ):
            break
        if not words and not word[0].isupper():
            return None
        words.append(word)
        if len(words) == 14:
            return None  # no name is so long: a sentence, not an issuer
    return " ".join(words) or None


def _date_at(text: str, end: int) -> tuple[dt.date | None, int]:
    m = _DATE_AFTER.match(text, end)
    if not m:
        return None, end
    day, month, year = (int(g) for g in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
    try:
        return dt.date(year, month, day), m.end()
    except ValueError:
        return None, end


def find_mentions(text: str) -> list[Mention]:
    """The documents `text` names by number: «Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị» → Mention
    ("52-NQ/TW", "Nghị quyết", 2019-09-27, "Bộ Chính trị"). A number counts when parse_number reads it and it is
    plainly a document's: a kind in it (KH, QĐ, NQ…), a year in it, a Party number (05-NQ/TU), or a công văn
    of a known body or after «Công văn số», «Văn bản số»."""
    if not text or "/" not in text:
        return []
    found = []
    for m in _IN_TEXT.finditer(text):
        written = m.group(1)
        number = parse_number(written)
        if number is None:
            continue
        before = _KIND_BEFORE.search(text, max(0, m.start() - 40), m.start())
        kind = _KIND_NAMES.get(before.group(1).casefold()) if before else None
        if number.style == "dang" and not _kind_code(number.kind_code or ""):
            continue
        if number.style == "cong-van" and not (before or number.issuer in _DISPATCH_ISSUERS):
            continue
        date, end = _date_at(text, m.end())
        issuer = None
        if after := _ISSUER_AFTER.match(text, end):
            issuer = _issuer_after(text[after.end() :])
        found.append(Mention(written, None if kind == "Văn bản" else kind, date, issuer, m.start(), m.end()))
    return found

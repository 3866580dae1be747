"""Legal documents: one page per document the plans cite, as a legal basis or in their text.

A Vietnamese document number ("số, ký hiệu") has one of a few shapes:

    42/2022/NĐ-CP       số/năm/loại-cơ quan   (văn bản quy phạm pháp luật)
    86/2015/QH13        số/năm/cơ quan        (luật, nghị quyết của Quốc hội)
    1891/QĐ-TTg         số/loại-cơ quan       (văn bản hành chính)
    3494/KH-UBND-VH     số/loại-cơ quan-đơn vị soạn thảo
    2055/BTTTT-THH      số/cơ quan-đơn vị     (công văn: không có chữ viết tắt loại)
    05-NQ/TU            số-loại/cơ quan       (văn bản của Đảng)

`parse_number` reads them; `number_problem` explains, in Vietnamese, why a
number has none of these shapes (the validator reports it).

Plans cite documents in two ways: among their legal bases («căn cứ», with
kind, number, date, issuer and title in fields), and in their text («được
nhắc tới»: «… theo tinh thần của Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ
Chính trị»). `find_mentions` reads the numbers of the text, with the kind,
date and issuer written around them; a document page lists the plans of
each kind apart, and `link_citations` links the numbers of a plan page's text.

Which citations are the same document: numbers are compared by a canonical
key (NFC, upper case, no spaces, Đ kept, dashes unified), so "4013/CTr- UBND"
and "4013/CTr-UBND" are one document. A number alone does not name a document
everywhere, though:
  * numbers without a year restart every year ("17/NQ-CP" of 2019 and of 2020
    are two resolutions), so the year of the number, or else of the cited date,
    is part of the identity (an undated citation takes the year the plan's
    other citations of the number give it, when they agree);
  * local bodies (UBND, HĐND, Tỉnh ủy…) number their own documents: "05-NQ/TU"
    of Hà Tĩnh and of Gia Lai are different, so a local document is scoped to
    the unit of the body that issued it, as the citation names it: «UBND huyện
    Sơn Tịnh» is the district, whichever of its communes cites it; without an
    issuer, the citing plan's province (a district body's code HU/QU: its
    district).
Citations without a number (laws cited by title) are one document per
normalised title. Where citations of one document disagree (title, date,
issuer…), the page shows each variant with the plans that wrote it.

`document_url(basis, plan)` reads the citation and the plan's own citations
only, so plan pages can link to the document page without the document index,
and a plan page depends on nothing but its unit (cache).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline imports this module from validate: no runtime import of model/render here
    from .model import PlanView, Portal
    from .render import PageSpec
    from .schema import LegalBasis

INDEX_URL = "van-ban/"
INDEX_TITLE = "Văn bản căn cứ"
DATA_STEM = "van-ban"
CONTENT_TYPE = "Văn bản pháp lý"  # Pagefind filter «Loại nội dung»

# Abbreviations of document kinds (Nghị định 30/2020/NĐ-CP phụ lục III; Quy định 66-QĐ/TW for Party documents).
KINDS = {
    "L": "Lệnh", "NĐ": "Nghị định", "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định", "CT": "Chỉ thị", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QC": "Quy chế",
    "QyĐ": "Quy định", "QĐi": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "TTr": "Tờ trình",
    "HD": "Hướng dẫn", "CTr": "Chương trình", "CTHĐ": "Chương trình hành động", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "HĐ": "Hợp đồng",
    "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "KL": "Kết luận", "CV": "Công văn", "GM": "Giấy mời",
}
_KINDS_UPPER = {code.upper(): code for code in KINDS}
# Codes typed without the Đ ("QD-UBND", "HDND"): read and keyed as written with Đ. Not "DA", "HD":
# those are Dự án and Hướng dẫn.
_UNFOLD = {"ND": "NĐ", "QD": "QĐ", "QYD": "QYĐ", "QDI": "QĐI", "CTHD": "CTHĐ", "CD": "CĐ", "HDND": "HĐND",
           "BKHDT": "BKHĐT", "BGDDT": "BGDĐT", "BLDTBXH": "BLĐTBXH"}
DISPATCH = "Công văn"  # a number without a kind abbreviation ("2055/BTTTT-THH")

# Issuer codes of national bodies (and Party central bodies: code ending in TW); anything else is numbered locally (UBND, HĐND, TU, HU, sở, phòng…).
NATIONAL_ISSUERS = {
    "QH", "UBTVQH", "CTN", "CP", "TTG", "VPCP", "TW", "BCT", "BTTTT", "BTC", "BNV", "BKHĐT", "BCA", "BQP",
    "BYT", "BGDĐT", "BTNMT", "BNNPTNT", "BXD", "BGTVT", "BLĐTBXH", "BVHTTDL", "BTP", "BKHCN", "BNG", "NHNN",
    "TTCP", "UBDT", "KTNN", "TANDTC", "VKSNDTC",
}
ISSUER_NAMES = {"CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "QH": "Quốc hội",
                "UBTVQH": "Ủy ban Thường vụ Quốc hội", "BTTTT": "Bộ Thông tin và Truyền thông"}
DISTRICT_ISSUERS = {"HU", "QU"}  # Huyện ủy, Quận ủy

# Order of kinds on the index: laws first, then by legal force, the rest alphabetically.
KIND_ORDER = ["Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Chỉ thị", "Quyết định",
              "Thông tư", "Thông tư liên tịch", "Kết luận", "Quy định", "Chương trình hành động", "Chương trình",
              "Kế hoạch", "Đề án", "Hướng dẫn", "Thông báo", "Công văn", "Văn bản"]

# --------------------------------------------------------------------------- numbers

_SERIAL = r"(\d{1,6}[a-z]?)"
_TOKEN = r"[A-ZĐ][A-Za-zĐđ0-9]*"  # codes start with a capital: KH, UBND, TTg, CTr, QH13
_CODES = rf"({_TOKEN}(?:-{_TOKEN})*)"
_WITH_YEAR = re.compile(rf"{_SERIAL}/(\d{{4}})/{_CODES}")    # 42/2022/NĐ-CP, 86/2015/QH13
_PLAIN = re.compile(rf"{_SERIAL}/{_CODES}")                   # 1891/QĐ-TTg, 2055/BTTTT-THH
_PARTY = re.compile(rf"{_SERIAL}-({_TOKEN})/{_CODES}")        # 05-NQ/TU
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_EXAMPLES = "ví dụ «42/2022/NĐ-CP», «1891/QĐ-TTg», «3494/KH-UBND-VH», «2055/BTTTT-THH», «05-NQ/TU»"


@dataclass(frozen=True)
class DocumentNumber:
    """A document number read into its parts."""

    text: str                 # as written
    serial: str               # số thứ tự: "42"
    year: int | None          # năm in the number (2022 in 42/2022/NĐ-CP), None when the number has none
    kind_code: str | None     # "NĐ"; None for công văn and laws ("86/2015/QH13")
    issuer_code: str          # "CP", "UBND-VH", "BTTTT-THH", "TU"
    style: str                # "nha-nuoc" (state, with kind), "cong-van" (no kind), "dang" (Party: số-loại/cơ quan)

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
    """"42/2022/NĐ-CP" → "42-2022-nd-cp"; "Luật An toàn thông tin" → "luat-an-toan-thong-tin"."""
    text = unicodedata.normalize("NFD", _fold_d(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:  # two long titles may share a beginning: a short digest keeps them apart
        slug = slug[:max_length - 7].rsplit("-", 1)[0] + "-" + hashlib.sha256(slug.encode()).hexdigest()[:6]
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


def _titled_kind(title: str) -> str | None:
    """The kind a title starts with ("Luật An toàn thông tin" → "Luật")."""
    normal = _normal_text(title)
    for kind in sorted(set(KINDS.values()) | set(KIND_ORDER) - {"Văn bản"}, key=len, reverse=True):
        if normal.startswith(_normal_text(kind) + " "):
            return kind
    return None


_LEVEL_WORDS = (  # most specific first: «UBND xã A, huyện B» is issued by the commune
    ("xa", re.compile(r"(?<!thị )(?<!\w)(xã|phường|thị trấn)(?:\s+(?:ủy|uỷ))?(?!\w)(?!\s+hội)", re.IGNORECASE)),
    ("huyen", re.compile(r"(?<!\w)(huyện|quận|thị xã)(?:\s+(?:ủy|uỷ))?(?!\w)", re.IGNORECASE)),
    ("tinh", re.compile(r"(?<!\w)(tỉnh|thành phố)(?:\s+(?:ủy|uỷ))?(?!\w)", re.IGNORECASE)),
)
_UNIT_PREFIX = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+", re.IGNORECASE)


def _place_name(text: str) -> str | None:
    """The proper name at the start of `text`: «Sơn Tịnh» of «Sơn Tịnh về việc…», «Gia Lai» of «Gia Lai (khoá XVI)»."""
    words = []
    for m in re.finditer(r"\S+", text):
        word = m.group()
        bare = word.rstrip(",;.:)")
        if not bare or not (bare[0].isupper() or bare[0].isdigit()):
            break
        words.append(bare)
        if bare != word:
            break
    return " ".join(words) or None


def _places(issuer: str | None) -> list[tuple[str, str, str | None]]:
    """The administrative levels an issuer's name gives, most specific first, each with the word that gives it and
    the name written after it: «UBND huyện Sơn Tịnh» → [("huyen", "huyện", "Sơn Tịnh")]; «Tỉnh ủy khóa XVI» →
    [("tinh", "tỉnh", None)]."""
    found = []
    for level, pattern in _LEVEL_WORDS:
        if m := pattern.search(issuer or ""):
            found.append((level, m.group(1).casefold(), _place_name(issuer[m.end():])))
    return found


def _chain(plan: PlanView) -> list:
    """The citing plan's unit and its ancestors, nearest first (a test's stand-in units may have no parents)."""
    unit = plan.unit
    return [unit, *reversed(getattr(unit, "ancestors", None) or [])]


def _level(unit) -> str | None:
    level = getattr(getattr(unit, "unit", None), "level", None)
    return getattr(level, "value", level)


def _names(unit) -> tuple[str, str] | None:
    """A unit's name and its name without «Huyện», «Tỉnh»…, in comparison form."""
    name = getattr(getattr(unit, "unit", None), "name", None)
    return (_normal_text(name), _normal_text(_UNIT_PREFIX.sub("", name))) if name else None


def _is_named(unit, level: str, word: str, wanted: str) -> bool:
    names = _names(unit)
    if names is None or names[1] != wanted:
        return False
    if word == "thành phố":  # a city is a province (Hải Phòng) or a district (thành phố Hà Tĩnh): as its name says
        return names[0] == f"thành phố {wanted}"
    return _level(unit) in (None, level)


def _unit_scope(places: list[tuple[str, str, str | None]], plan: PlanView) -> str:
    """The unit a local body belongs to, by what its name says (`places`, most specific first): the unit of the
    citing plan's own chain that the name or the level points to («UBND huyện Sơn Tịnh» cited by a commune of Sơn
    Tịnh is its district), otherwise a path made of the names («ha-tinh/nghi-xuan»); never the citing unit for
    being the citing one."""
    chain = _chain(plan)
    (level, word, name), rest = places[0], places[1:]
    if name:
        wanted = _normal_text(name)
        for unit in chain:
            if _is_named(unit, level, word, wanted):
                return unit.id
        if word == "tỉnh":
            return ascii_slug(name)
        above = _unit_scope(rest, plan) if rest else next(
            (u.id for u in chain if _level(u) == ("huyen" if level == "xa" else "tinh")), plan.unit.province.id)
        return f"{above}/{ascii_slug(word + ' ' + name if word == 'thành phố' else name)}"
    if level == "tinh":
        return plan.unit.province.id
    # «UBND huyện», «Huyện ủy» without a name: the district of the citing plan's own chain
    return next((u.id for u in chain if _level(u) == level), plan.unit.id)


def _scope(number: DocumentNumber | None, basis, plan: PlanView) -> str | None:
    """Where a locally numbered document's number is unique: the unit of the body that issued it (a province, a
    district, a commune), read from the issuer the citation writes (or a district body's code: HU, QU); the citing
    plan's province when the citation names no issuer. It depends on the citing plan's unit and its ancestors
    only (what cache.unit_key covers), never on who else cites the document."""
    if number and number.national:
        return None
    places = _places(basis.issuer)
    if not places and number and number.issuer in DISTRICT_ISSUERS:
        places = [("huyen", "huyện", None)]
    if not places:
        return plan.unit.province.id
    return _unit_scope(places, plan)


def _raw_identity(basis, plan: PlanView) -> tuple | None:
    if basis.number and basis.number.strip():
        number = parse_number(basis.number)
        year = number.year if number and number.year else None
        dated = year is None and basis.date is not None
        return ("so", canonical_number(basis.number), basis.date.year if dated else year, bool(number and number.year),
                _scope(number, basis, plan))
    if getattr(basis, "same_as", None):  # the editors' identification of a document the plan names differently
        return ("ten", _normal_text(basis.same_as))
    if basis.kind or (basis.title and _titled_kind(basis.title)):
        return ("ten", _normal_text(heading(basis)))
    return None


def identity(basis, plan: PlanView) -> tuple | None:
    """What makes two citations the same document; None when the citation names no document
    (no number, no kind: «Các văn bản khác của Ủy ban nhân dân tỉnh có liên quan»).

    A number without a year cited without a date takes the year of the plan's other citations of that number
    (of the same issuer) when they all give one: «Nghị quyết số 04-NQ/TU» in the legal bases and «Nghị quyết số
    04-NQ/TU, ngày 20 tháng 01 năm 2022» in the text are one document. Only the plan's own citations count, so a
    plan page's links depend on nothing but the plan's unit (cache)."""
    key = _raw_identity(basis, plan)
    if key and key[0] == "so" and key[2] is None and not key[3] and _is_plan(plan):
        year = _state(plan).years.get((key[1], key[4]))
        if year is not None:
            key = (key[0], key[1], year, key[3], key[4])
    return key


def _slug(key: tuple, basis) -> str:
    if key[0] == "ten":
        return ascii_slug(getattr(basis, "same_as", None) or heading(basis))
    _, canonical, year, year_in_number, scope = key
    parts = [canonical]
    if year and not year_in_number:
        parts.append(str(year))
    if scope:
        parts.append(scope.replace("/", "-"))
    return ascii_slug("-".join(parts), max_length=120)


def document_url(basis, plan: PlanView) -> str | None:
    """Site-relative URL of the page of the document `basis` cites in `plan` ("van-ban/42-2022-nd-cp/"),
    or None when the citation names no document (then there is no page). It reads the citation and the plan's own
    other citations only (identity), so plan pages can link without the document index."""
    key = identity(basis, plan)
    return f"{INDEX_URL}{_slug(key, basis)}/" if key else None


# --------------------------------------------------------------------------- documents named in the text

@dataclass(frozen=True)
class Mention:
    """A document a plan's text names: what the text writes of it (the fields of a legal basis it has)."""

    number: str             # as written: "52-NQ/TW"
    kind: str | None        # the kind the text names before the number ("Nghị quyết"), if any
    date: dt.date | None    # «ngày 27/9/2019», «ngày 20 tháng 01 năm 2022» right after the number
    issuer: str | None      # «của Bộ Chính trị» after the number (and date)
    start: int              # where the number is in the text
    end: int
    title: None = None      # the text gives no trích yếu the portal could tell apart from the sentence


_CODE_TOKEN = r"[A-ZĐÐ][A-Za-zĐđÐð0-9]*"
# A number in running text: the shapes parse_number reads, a dash in the codes maybe followed by a stray space
# («4013/CTr- UBND»), not glued to a word, a digit, a dot, a comma, a slash or a dash on either side (amounts
# «1.374,306», dates «24/6/2022», «2021-2025», paths and addresses are no numbers).
_IN_TEXT = re.compile(
    rf"(?<![\w./,\-])(\d{{1,6}}[a-z]?(?:/\d{{4}})?(?:-{_CODE_TOKEN})?/{_CODE_TOKEN}(?:-\s?{_CODE_TOKEN})*)(?![\w/]|[-.]\w)")
_KIND_WORDS = sorted(set(KINDS.values()) | set(KIND_ORDER) | {"Văn bản", "Kế hoạch hành động"}, key=len, reverse=True)
_KIND_NAMES = {k.casefold(): k for k in _KIND_WORDS}
_KIND_BEFORE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _KIND_WORDS)) + r")\s*(?:số\s*:?\s*)?$", re.IGNORECASE)
_DATE_AFTER = re.compile(r"\s*,?\s*(?:ban hành\s+)?ngày\s*(?:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
                         r"|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4}))(?!\d)", re.IGNORECASE)
_ISSUER_AFTER = re.compile(r"\s*,?\s*(?:của|do)\s+(?=\S)")
# Words that end an issuer's name in «… của <issuer> <what the document does>».
_ISSUER_ENDS = {"về", "v/v", "quy", "phê", "thực", "triển", "hướng", "nhằm", "đã", "theo", "tại", "trong", "cho",
                "với", "để", "là", "gồm", "được", "ngày", "thì", "mà", "có", "sẽ", "nay", "các", "một", "đối", "kèm",
                "giao", "chỉ", "đề", "sửa", "bổ", "tổ", "xây", "tiếp", "tăng"}
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
        if (word in _ISSUER_ENDS or (word == "ban" and text[m.end():m.end() + 5] == " hành")
                or (word == "và" and not text[m.end():].lstrip()[:1].isupper())):
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
            issuer = _issuer_after(text[after.end():])
        found.append(Mention(written, None if kind == "Văn bản" else kind, date, issuer, m.start(), m.end()))
    return found


# Where a plan's text is, for the document page's links to it: the part of the plan page (its anchor: schema.PlanPart).
_LABELS = {
    "": "Trích yếu", "noi-dung": "Nội dung văn bản", "can-cu": "Căn cứ pháp lý", "ket-qua-ky-truoc": "Kết quả kỳ trước",
    "muc-tieu-tong-quat": "Mục tiêu tổng quát", "chi-tieu": "Chỉ tiêu", "nhiem-vu": "Nhiệm vụ", "giai-phap": "Giải pháp",
    "kinh-phi": "Kinh phí", "nguon-kinh-phi": "Nguồn kinh phí", "to-chuc-thuc-hien": "Tổ chức thực hiện",
    "noi-nhan": "Nơi nhận",
}
NARRATIVE = "noi-dung"
# Fields of a plan that are not the document's text: what it is and who signed it, the editors' own words (summary,
# editorial note), the page's layout, the source and its repairs. Every other field is read, new ones included.
_NOT_DOCUMENT_TEXT = {"kind", "classification", "issuer", "number", "signed_date", "place", "signer", "period",
                      "reviews", "summary", "editorial_note", "section_order", "source_document", "text_repairs",
                      "privacy_exceptions"}
# Fields in the document's text that are no text: codes, ids, amounts as printed.
_NOT_TEXT = {"id", "key", "indicator_code", "source_plan", "printed", "declared_total_printed", "comparator"}


def _walk(value):
    """Every string in a field of the plan, in order (enumerations are codes, not text)."""
    if isinstance(value, str):
        if not isinstance(value, Enum):
            yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            if type(item) is str:
                yield item
            else:
                yield from _walk(item)
    elif (fields := getattr(type(value), "model_fields", None)) is not None:
        for name in fields:
            if name not in _NOT_TEXT:
                yield from _walk(getattr(value, name))


def plan_texts(plan: PlanView):
    """(part label, anchor on the plan page, text) of each text of the plan: every text field of the document (the
    titles of its legal bases, its passages and headings included) and its Markdown narrative."""
    from .schema import PlanPart

    anchors = {part.name: part.value for part in PlanPart}
    doc = plan.plan
    for name in type(doc).model_fields:
        if name in _NOT_DOCUMENT_TEXT:
            continue
        value = getattr(doc, name)
        anchor = "" if name == "title" else anchors.get(name, NARRATIVE)
        if name == "legal_bases":
            for i, basis in enumerate(value, 1):
                yield _LABELS["can-cu"], f"can-cu-{i}", basis.title
        elif name == "targets":
            for i, target in enumerate(value, 1):
                for text in _walk(target):
                    yield _LABELS["chi-tieu"], f"chi-tieu-{i}", text
        elif isinstance(value, list) and value and isinstance(getattr(value[0], "after", getattr(value[0], "part", None)), Enum):
            for item in value:  # passages, headings: each where its part is
                part = getattr(item, "after", getattr(item, "part", None)).value
                for text in _walk(item):
                    yield _LABELS.get(part, _LABELS[NARRATIVE]), part, text
        else:
            for text in _walk(value):
                yield _LABELS.get(anchor, _LABELS[NARRATIVE]), anchor, text
    if plan.narrative:
        yield _LABELS[NARRATIVE], NARRATIVE, plan.narrative


_EMPHASIS = re.compile(r"\*\*|__|`")
_MARKUP = re.compile(r"\*\*|__|`|^\s*(?:#+|[-+*]|\d+[.)])\s+", re.MULTILINE)


def _excerpt(text: str, start: int, end: int, width: int = 150) -> tuple[str, str, str]:
    """The clause around text[start:end]: (before, the number, after), at most `width` characters each side."""
    left = max(0, text.rfind("\n", 0, start) + 1, *(i + 2 for sep in ("; ", ". ") if (i := text.rfind(sep, 0, start)) >= 0))
    right = min(i for i in (text.find("\n", end), text.find(";", end), text.find(". ", end) + 1, len(text)) if i > 0)
    before, after = text[left:start], text[end:right]
    if len(before) > width:
        before = "…" + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + "…"
    clean = lambda s: re.sub(r"\s+", " ", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", _MARKUP.sub("", s)))
    return clean(before).lstrip(), text[start:end], clean(after).rstrip()


@dataclass
class _PlanState:
    cited: list[tuple]                         # what _cited gives
    years: dict[tuple[str, str | None], int]   # (number, scope) → the one year the plan's citations give it
    urls: set[str] = field(default_factory=set)
    by_number: dict[str, set[str]] = field(default_factory=dict)  # canonical number → the URLs of its documents


def _is_plan(plan) -> bool:
    return hasattr(plan, "narrative") and hasattr(plan, "facts")


def _state(plan: PlanView) -> _PlanState:
    """The plan's citations, read once per plan view (kept on it: PlanView is made afresh by every build)."""
    state = plan.__dict__.get("_legal_state")
    if state is None:
        state = plan.__dict__["_legal_state"] = _read_citations(plan)
    return state


def _read_citations(plan: PlanView) -> _PlanState:
    own = canonical_number(plan.number) if plan.number else None
    found: list[tuple] = []  # (position, raw key, cited, role, place, excerpt)
    bases = plan.plan.legal_bases
    for position, basis in enumerate(bases, 1):
        if key := _raw_identity(basis, plan):
            found.append((position, key, basis, ROLE_BASIS, (_LABELS["can-cu"], f"can-cu-{position}"), None))
    position = len(bases)
    for label, anchor, text in plan_texts(plan):
        if "/" not in text:
            continue  # most texts: no number to read
        text = _EMPHASIS.sub("", text)  # «**Nghị quyết số 52-NQ/TW** ngày 27/9/2019»: the date is the number's
        for mention in find_mentions(text):
            if canonical_number(mention.number) == own:
                continue  # the plan naming itself («Kế hoạch này», its annexes)
            position += 1
            found.append((position, _raw_identity(mention, plan), mention, ROLE_MENTION, (label, anchor),
                          _excerpt(text, mention.start, mention.end)))
    years: dict[tuple, set[int]] = {}
    for _, key, *_ in found:
        if key[0] == "so" and not key[3] and key[2] is not None:
            years.setdefault((key[1], key[4]), set()).add(key[2])
    state = _PlanState([], {k: next(iter(v)) for k, v in years.items() if len(v) == 1})
    for position, key, cited, role, place, excerpt in found:
        if key[0] == "so" and key[2] is None and not key[3] and (year := state.years.get((key[1], key[4]))):
            key = (key[0], key[1], year, key[3], key[4])
        slug = _slug(key, cited)
        state.cited.append((position, key, slug, cited, role, place, excerpt))
        url = f"{INDEX_URL}{slug}/"
        state.urls.add(url)
        if key[0] == "so":
            state.by_number.setdefault(key[1], set()).add(url)
    return state


def _cited(plan: PlanView) -> list[tuple]:
    """(place among the plan's citations, identity, slug, the basis or Mention, role, (section, anchor), excerpt)
    of each document the plan cites as a legal basis or names in its text, kept between builds by the plan's unit
    (cache.PlanChunks): a rebuild does not read every plan's model."""
    return _state(plan).cited


# --------------------------------------------------------------------------- links in a plan page's text

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>", re.S)
_NOT_LINKED = {"a", "code", "pre", "script", "style", "svg", "summary", "details", "h1", "textarea", "title"}


def link_citations(html, plan: PlanView, page_url: str):
    """`html` (a template's output: Markup, or text, which is escaped first) with each document number its text
    names linked to the document's page: the Jinja filter `legal_links(plan, page_url)`. Text inside links, code,
    headings h1, <details> and SVG is left alone; text is unescaped only to be read, every piece is escaped again.
    A number links only to a page the plan's citations make (_cited), so never to a page that does not exist."""
    from markupsafe import Markup, escape

    text = str(html.__html__()) if hasattr(html, "__html__") else str(escape(html))
    if not _is_plan(plan) or "/" not in text:
        return Markup(text)
    state = _state(plan)
    if not state.urls:
        return Markup(text)
    out: list[str] = []
    closed: dict[str, int] = {}  # open tags whose text is not linked → depth
    inside = 0  # sum of closed: text is left alone while it is above 0
    pos = 0
    for m in _TAG.finditer(text):
        segment = text[pos:m.start()]
        # most segments hold no number: the cheap test first (a plan page has thousands of segments)
        out.append(_link_segment(segment, plan, state, page_url) if not inside and "/" in segment else segment)
        tag = (m.group(2) or "").lower()
        if tag in _NOT_LINKED and not m.group(0).endswith("/>"):
            before = closed.get(tag, 0)
            closed[tag] = max(0, before + (-1 if m.group(1) else 1))
            inside += closed[tag] - before
        out.append(m.group(0))
        pos = m.end()
    tail = text[pos:]
    out.append(_link_segment(tail, plan, state, page_url) if not inside and "/" in tail else tail)
    return Markup("".join(out))


def _link_segment(segment: str, plan: PlanView, state: _PlanState, page_url: str) -> str:
    if "/" not in segment or not any(c.isdigit() for c in segment):
        return segment
    import html as html_lib

    from markupsafe import escape

    from .render import rel
    plain = html_lib.unescape(segment)
    links = [(m, url) for m in find_mentions(plain) if (url := _mention_url(m, plan, state))]
    if not links:
        return segment
    out, pos = [], 0
    for mention, url in links:
        out.append(str(escape(plain[pos:mention.start])))
        out.append(f'<a class="ck-cite" href="{escape(rel(url, page_url))}">{escape(plain[mention.start:mention.end])}</a>')
        pos = mention.end
    out.append(str(escape(plain[pos:])))
    return "".join(out)


def _mention_url(mention: Mention, plan: PlanView, state: _PlanState) -> str | None:
    """The page of the document a number in the plan page's text names: that of its identity, or, where the page
    splits the sentence (a number in bold loses its date), the only document of that number the plan cites."""
    key = identity(mention, plan)
    if key is None:
        return None
    url = f"{INDEX_URL}{_slug(key, mention)}/"
    if url in state.urls:
        return url
    same = state.by_number.get(key[1], set())
    return next(iter(same)) if len(same) == 1 else None


# --------------------------------------------------------------------------- view

ROLE_BASIS = "can-cu"       # cited among the plan's legal bases
ROLE_MENTION = "nhac-toi"   # named in the plan's text


@dataclass
class Citation:
    plan: PlanView
    position: int  # 1-based place among the plan's citations: its legal bases, then the numbers its text names
    basis: object  # schema.LegalBasis, or a Mention in the text
    role: str = ROLE_BASIS
    place: tuple[str, str] | None = None  # (section of the plan page, its anchor)
    excerpt: tuple[str, str, str] | None = None  # (before, the number as written, after) of a mention

    @property
    def mentioned(self) -> bool:
        return self.role == ROLE_MENTION


@dataclass
class Variant:
    """One way the citing plans write a field, and the plans that write it so."""

    value: object
    plans: list[PlanView]


@dataclass
class LegalDocument:
    """A cited document. Its fields are read from its citations once they are all collected (cached): from the
    legal bases that cite it, or, for a document only named in the plans' text, from what the text writes."""

    slug: str
    citations: list[Citation] = field(default_factory=list)
    _variants: dict[str, list[Variant]] = field(default_factory=dict, repr=False)
    key: tuple | None = None
    related: list["LegalDocument"] = field(default_factory=list)  # same number and issuer, another year

    @property
    def url(self) -> str:
        return f"{INDEX_URL}{self.slug}/"

    @cached_property
    def number(self) -> DocumentNumber | None:
        return parse_number(self.number_text) if self.number_text else None

    @property
    def identified(self) -> list[Citation]:
        """The citations that name the document differently and that the editors identified as it (same_as)."""
        return [c for c in self.citations if getattr(c.basis, "same_as", None)]

    @cached_property
    def from_text(self) -> bool:
        """No plan cites it as a legal basis: its fields are what the plans' text writes."""
        return not any(not c.mentioned for c in self.citations)

    # The fields as cited; a field's first variant is the one most plans write. A field no legal basis citing the
    # document gives (a date, an issuer) is taken from the text naming it, if that gives one (text_fields).
    def variants(self, name: str) -> list[Variant]:
        if name not in self._variants:
            found = self._collect(name, self.from_text)
            if not found and not self.from_text and (found := self._collect(name, True)):
                self.text_fields.add(name)
            self._variants[name] = found
        return self._variants[name]

    @cached_property
    def text_fields(self) -> set[str]:
        """The fields of a document cited as a legal basis that come from the text naming it (variants)."""
        return set()

    def _collect(self, name: str, mentioned: bool) -> list[Variant]:
        groups: dict[object, Variant] = {}
        counts: Counter = Counter()
        listed: set[tuple[object, str]] = set()  # (key, plan id): plans compare by id, not field by field
        for c in self.citations:
            if c.mentioned != mentioned:
                continue
            value = getattr(c.basis, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            key = _normal_text(value) if name in ("title", "issuer", "kind") else (
                canonical_number(value) if name == "number" else value)
            if key not in groups:
                groups[key] = Variant(value, [])
            elif name == "number" and not _tidy(groups[key].value) and _tidy(value):
                groups[key].value = value  # spellings of one number: show one without stray spaces
            if (key, c.plan.id) not in listed:  # a plan naming it ten times writes it once
                listed.add((key, c.plan.id))
                counts[key] += 1
                groups[key].plans.append(c.plan)
        order = {k: i for i, k in enumerate(groups)}
        return [groups[k] for k in sorted(groups, key=lambda k: (-counts[k], order[k]))]

    def _first(self, name: str):
        found = self.variants(name)
        return found[0].value if found else None

    @cached_property
    def number_text(self) -> str | None:
        return self._first("number")

    @cached_property
    def title(self) -> str | None:
        return self._first("title")

    @cached_property
    def date(self) -> dt.date | None:
        return self._first("date")

    @cached_property
    def issuer(self) -> str | None:
        number = self.number
        return self._first("issuer") or (number.issuer_name if number else None)

    @cached_property
    def kind(self) -> str:
        """The kind the number's abbreviation names; else as cited; else as the title starts."""
        number = self.number
        if number and number.kind_code and number.kind:
            return number.kind
        title = self.title
        return (self._first("kind") or (title and _titled_kind(title)) or (number and number.kind)
                or "Văn bản")

    @cached_property
    def name(self) -> str:
        """Page heading and navigation title: "Nghị định 42/2022/NĐ-CP", or the title of a document without number."""
        if self.number_text:
            return f"{self.kind} {self.number_text}"
        return heading(self.citations[0].basis)

    @cached_property
    def year(self) -> int | None:
        number = self.number
        if number and number.year:
            return number.year
        return self.date.year if self.date else None

    @cached_property
    def plans(self) -> list[PlanView]:
        """Every plan citing it, as a legal basis or in its text."""
        return list({c.plan.id: c.plan for c in self.citations}.values())

    @cached_property
    def basis_plans(self) -> list[PlanView]:
        """The plans citing it among their legal bases («căn cứ»)."""
        return list({c.plan.id: c.plan for c in self.citations if not c.mentioned}.values())

    @cached_property
    def mentions(self) -> list[tuple[PlanView, list[Citation]]]:
        """The plans naming it in their text («được nhắc tới»), each with the places that name it."""
        found: dict[str, tuple[PlanView, list[Citation]]] = {}
        seen: set[tuple] = set()
        for c in self.citations:
            if c.mentioned and (c.plan.id, c.excerpt) not in seen:  # a sentence the plan repeats: once
                seen.add((c.plan.id, c.excerpt))
                found.setdefault(c.plan.id, (c.plan, []))[1].append(c)
        return list(found.values())

    @cached_property
    def mention_plans(self) -> list[PlanView]:
        return [plan for plan, _ in self.mentions]

    @property
    def units(self) -> frozenset[str]:
        """The units whose content makes its page: those of the plans citing it and of the documents it links to."""
        return frozenset(plan.unit.id for doc in [self, *self.related] for plan in doc.plans)

    @cached_property
    def sort_key(self) -> tuple:
        kind = self.kind
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        number = self.number
        return (rank, kind, self.year is None, self.year or 0,
                number.sort_serial if number else (0, ""), _normal_text(self.name), self.slug)


def documents(portal: Portal) -> list[LegalDocument]:
    """Every document the plans cite, as a legal basis or in their text, sorted by kind, year, number."""
    from . import data

    cited = data.kept_or_made(portal, "legal", [(plan.id, plan.id, functools.partial(_cited, plan)) for plan in portal.plans])
    by_key: dict[tuple, LegalDocument] = {}
    for plan, said in zip(portal.plans, cited):
        for position, key, slug, basis, role, place, excerpt in said:
            if key not in by_key:
                by_key[key] = LegalDocument(slug, key=key)
            by_key[key].citations.append(Citation(plan, position, basis, role, place, excerpt))
    _unique_slugs(by_key.values())
    _relate(by_key)
    _keep_fields(portal, list(by_key.values()))
    return sorted(by_key.values(), key=lambda d: d.sort_key)


def _relate(by_key: dict[tuple, LegalDocument]) -> None:
    """Links the documents of one number and issuer but another year, or none known: a plan citing «Quyết định
    739/QĐ-UBND» without a date may mean the one another plan dates 2017; the portal does not guess, it says so."""
    same: dict[tuple, list[LegalDocument]] = {}
    for key, doc in by_key.items():
        if key[0] == "so" and not key[3]:
            same.setdefault((key[1], key[4]), []).append(doc)
    for docs in same.values():
        if len(docs) > 1:
            docs.sort(key=lambda d: (d.key[2] is None, d.key[2] or 0, d.slug))
            for doc in docs:
                doc.related = [other for other in docs if other is not doc]


_FIELDS = ("number_text", "title", "date", "issuer", "kind")  # what the index shows of a document and sorts it by


def _keep_fields(portal: Portal, docs: list[LegalDocument]) -> None:
    """Sets each document's fields to what they were last time, while the units of the plans citing it are
    unchanged (cache.PlanChunks); collecting them from every citation took a quarter of a second per build."""
    from . import data

    kept = portal.derived.get(data.PLAN_CHUNKS)
    if kept is None:
        return
    values = kept.chunks("legal-fields", [(doc.slug, tuple(plan.id for plan in doc.plans),
                                           functools.partial(_fields, doc)) for doc in docs])
    for doc, fields in zip(docs, values):
        doc.__dict__.update(zip(_FIELDS, fields))  # the cached properties' values


def _fields(doc: LegalDocument) -> tuple:
    return tuple(getattr(doc, name) for name in _FIELDS)


def _unique_slugs(docs) -> None:
    # Two identities may fold to one ASCII slug («05-NQ/TU» and «05/NQ-TU», or two titles that differ only in
    # tone marks): never write two documents into one folder. document_url() cannot see this (it reads one
    # citation), so a plan page would link the first of them; rare enough to accept, and visible here.
    seen: Counter = Counter()
    for doc in sorted(docs, key=lambda d: (d.slug, d.citations[0].plan.id, d.citations[0].position)):
        seen[doc.slug] += 1
        if seen[doc.slug] > 1:
            doc.slug = f"{doc.slug}-{seen[doc.slug]}"


def rows(docs: list[LegalDocument]) -> list[dict[str, object]]:
    """The index table as open data."""
    from . import format as fmt

    return [{
        "ma": d.slug, "so_ky_hieu": d.number_text, "loai": d.kind, "nam": d.year,
        "ngay_ban_hanh": fmt.date(d.date) if d.date else None, "co_quan_ban_hanh": d.issuer, "trich_yeu": d.title,
        "so_ke_hoach_trich_dan": len(d.plans), "ke_hoach_trich_dan": "; ".join(p.id for p in d.plans),
        "ke_hoach_can_cu": "; ".join(p.id for p in d.basis_plans),
        "ke_hoach_nhac_toi": "; ".join(p.id for p in d.mention_plans),
        "thong_tin_tu": "nội dung" if d.from_text else "căn cứ",
        "trang": d.url,
    } for d in docs]


# --------------------------------------------------------------------------- pages


def pages(portal: Portal) -> list[PageSpec]:
    """The index of cited documents, with its table as open data, and a page per document."""
    from . import data
    from .render import PageSpec

    docs = documents(portal)
    if not docs:
        return []
    def files() -> dict[str, bytes]:  # made by the worker rendering the index
        table = rows(docs)
        return {f"{INDEX_URL}{DATA_STEM}.csv": data.to_csv(table), f"{INDEX_URL}{DATA_STEM}.json": data.to_json(table)}

    specs = [PageSpec(f"{INDEX_URL}index.md", "legal_documents.md.j2", INDEX_TITLE, (INDEX_TITLE,),
                      {"documents": docs, "data_stem": DATA_STEM}, files)]
    # nav=None keeps document pages out of the navigation (the index lists them)
    for doc in docs:
        specs.append(PageSpec(f"{doc.url}index.md", "legal_document.html.j2", doc.name, None,
                              {"document": doc, "index_url": INDEX_URL, "content_type": CONTENT_TYPE},
                              units=doc.units))
    return specs

"""Legal documents: one page per document the plans cite as legal basis.

A Vietnamese document number ("số, ký hiệu") has one of a few shapes:

    42/2022/NĐ-CP       số/năm/loại-cơ quan   (văn bản quy phạm pháp luật)
    86/2015/QH13        số/năm/cơ quan        (luật, nghị quyết của Quốc hội)
    1891/QĐ-TTg         số/loại-cơ quan       (văn bản hành chính)
    3494/KH-UBND-VH     số/loại-cơ quan-đơn vị soạn thảo
    2055/BTTTT-THH      số/cơ quan-đơn vị     (công văn: không có chữ viết tắt loại)
    05-NQ/TU            số-loại/cơ quan       (văn bản của Đảng)

`parse_number` reads them; `number_problem` explains, in Vietnamese, why a
number has none of these shapes (the validator reports it).

Which citations are the same document: numbers are compared by a canonical
key (NFC, upper case, no spaces, Đ kept, dashes unified), so "4013/CTr- UBND"
and "4013/CTr-UBND" are one document. A number alone does not name a document
everywhere, though:
  * numbers without a year restart every year ("17/NQ-CP" of 2019 and of 2020
    are two resolutions), so the year of the number, or else of the cited date,
    is part of the identity;
  * local bodies (UBND, HĐND, Tỉnh ủy…) number their own documents: "05-NQ/TU"
    of Hà Tĩnh and of Gia Lai are different, so a local document is scoped to
    the citing plan's province (to its district when the issuer is a district
    body: «Huyện ủy», «UBND huyện», code HU/QU).
Citations without a number (laws cited by title) are one document per
normalised title. Where citations of one document disagree (title, date,
issuer…), the page shows each variant with the plans that wrote it.

`document_url(basis, plan)` is a pure function of one citation, so plan pages
can link to the document page without the document index.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline imports this module from validate: no runtime import of model/render here
    import datetime as dt

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


def _scope(number: DocumentNumber | None, basis: LegalBasis, plan: PlanView) -> str | None:
    """Where a locally numbered document's number is unique: the citing plan's province or district."""
    if number and number.national:
        return None
    district = (number and number.issuer in DISTRICT_ISSUERS) or bool(
        basis.issuer and re.search(r"\b(huyện|quận|thị xã)\b", basis.issuer, re.IGNORECASE))
    return plan.unit.id if district else plan.unit.province.id


def identity(basis: LegalBasis, plan: PlanView) -> tuple | None:
    """What makes two citations the same document; None when the citation names no document
    (no number, no kind: «Các văn bản khác của Ủy ban nhân dân tỉnh có liên quan»)."""
    if basis.number and basis.number.strip():
        number = parse_number(basis.number)
        year = number.year if number and number.year else None
        dated = year is None and basis.date is not None
        return ("so", canonical_number(basis.number), basis.date.year if dated else year, bool(number and number.year),
                _scope(number, basis, plan))
    if basis.kind or _titled_kind(basis.title):
        return ("ten", _normal_text(heading(basis)))
    return None


def _slug(key: tuple, basis: LegalBasis) -> str:
    if key[0] == "ten":
        return ascii_slug(heading(basis))
    _, canonical, year, year_in_number, scope = key
    parts = [canonical]
    if year and not year_in_number:
        parts.append(str(year))
    if scope:
        parts.append(scope.replace("/", "-"))
    return ascii_slug("-".join(parts), max_length=120)


def document_url(basis: LegalBasis, plan: PlanView) -> str | None:
    """Site-relative URL of the page of the document `basis` cites in `plan` ("van-ban/42-2022-nd-cp/"),
    or None when the citation names no document (then there is no page)."""
    key = identity(basis, plan)
    return f"{INDEX_URL}{_slug(key, basis)}/" if key else None


# --------------------------------------------------------------------------- view


@dataclass
class Citation:
    plan: PlanView
    position: int  # 1-based place among the plan's legal bases
    basis: LegalBasis


@dataclass
class Variant:
    """One way the citing plans write a field, and the plans that write it so."""

    value: object
    plans: list[PlanView]


@dataclass
class LegalDocument:
    """A cited document. Its fields are read from its citations once they are all collected (cached)."""

    slug: str
    citations: list[Citation] = field(default_factory=list)
    _variants: dict[str, list[Variant]] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return f"{INDEX_URL}{self.slug}/"

    @cached_property
    def number(self) -> DocumentNumber | None:
        return parse_number(self.number_text) if self.number_text else None

    # The fields as cited; a field's first variant is the one most plans write.
    def variants(self, name: str) -> list[Variant]:
        if name not in self._variants:
            self._variants[name] = self._collect(name)
        return self._variants[name]

    def _collect(self, name: str) -> list[Variant]:
        groups: dict[object, Variant] = {}
        counts: Counter = Counter()
        listed: set[tuple[object, str]] = set()  # (key, plan id): plans compare by id, not field by field
        for c in self.citations:
            value = getattr(c.basis, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            key = _normal_text(value) if name in ("title", "issuer", "kind") else (
                canonical_number(value) if name == "number" else value)
            counts[key] += 1
            if key not in groups:
                groups[key] = Variant(value, [])
            elif name == "number" and not _tidy(groups[key].value) and _tidy(value):
                groups[key].value = value  # spellings of one number: show one without stray spaces
            if (key, c.plan.id) not in listed:
                listed.add((key, c.plan.id))
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
    def title(self) -> str:
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
        return self._first("kind") or _titled_kind(self.title) or (number and number.kind) or "Văn bản"

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
        return list({c.plan.id: c.plan for c in self.citations}.values())

    @cached_property
    def sort_key(self) -> tuple:
        kind = self.kind
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        number = self.number
        return (rank, kind, self.year is None, self.year or 0,
                number.sort_serial if number else (0, ""), _normal_text(self.name), self.slug)


def documents(portal: Portal) -> list[LegalDocument]:
    """Every document the plans cite, sorted by kind, year, number."""
    from . import data

    cited = data.kept_or_made(portal, "legal", [(plan.id, plan.id, functools.partial(_cited, plan)) for plan in portal.plans])
    by_key: dict[tuple, LegalDocument] = {}
    for plan, said in zip(portal.plans, cited):
        for position, key, slug, basis in said:
            if key not in by_key:
                by_key[key] = LegalDocument(slug)
            by_key[key].citations.append(Citation(plan, position, basis))
    _unique_slugs(by_key.values())
    _keep_fields(portal, list(by_key.values()))
    return sorted(by_key.values(), key=lambda d: d.sort_key)


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


def _cited(plan: PlanView) -> list[tuple[int, tuple, str, LegalBasis]]:
    """(place among the plan's legal bases, identity, slug, the basis) of each document the plan cites, kept
    between builds by the plan's unit (cache.PlanChunks): a rebuild does not read every plan's model."""
    said = []
    for position, basis in enumerate(plan.plan.legal_bases, 1):
        key = identity(basis, plan)
        if key is not None:
            said.append((position, key, _slug(key, basis), basis))
    return said


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
                              units=frozenset(plan.unit.id for plan in doc.plans)))
    return specs

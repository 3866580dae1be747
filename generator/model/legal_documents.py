"""Legal documents: the index of every document the plans cite, as a legal basis or in their text.

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
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from generator.content.document_numbers import (
    DISTRICT_ISSUERS,
    KIND_ORDER,
    KINDS,
    DocumentNumber,
    _normal_text,
    _tidy,
    ascii_slug,
    canonical_number,
    find_mentions,
    heading,
    parse_number,
)
from generator.incremental import store
from generator.model.views import PlanView, Portal

INDEX_URL = "van-ban/"
BY_PROVINCE_FOLDER = "theo-tinh"  # van-ban/theo-tinh/<province>/: its own documents; no document's slug
BY_PROVINCE = f"{INDEX_URL}{BY_PROVINCE_FOLDER}/"
INDEX_TITLE = "Văn bản căn cứ"
DATA_STEM = "van-ban"
CONTENT_TYPE = "Văn bản pháp lý"  # Pagefind filter «Loại nội dung»


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
            found.append((level, m.group(1).casefold(), _place_name(issuer[m.end() :])))
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
        above = (
            _unit_scope(rest, plan)
            if rest
            else next(
                (u.id for u in chain if _level(u) == ("huyen" if level == "xa" else "tinh")), plan.unit.province.id
            )
        )
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
        return (
            "so",
            canonical_number(basis.number),
            basis.date.year if dated else year,
            bool(number and number.year),
            _scope(number, basis, plan),
        )
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


# Where a plan's text is, for the document page's links to it: the part of the plan page (its anchor: schema.PlanPart).
_LABELS = {
    "": "Trích yếu",
    "noi-dung": "Nội dung văn bản",
    "can-cu": "Căn cứ pháp lý",
    "ket-qua-ky-truoc": "Kết quả kỳ trước",
    "muc-tieu-tong-quat": "Mục tiêu tổng quát",
    "chi-tieu": "Chỉ tiêu",
    "nhiem-vu": "Nhiệm vụ",
    "giai-phap": "Giải pháp",
    "kinh-phi": "Kinh phí",
    "nguon-kinh-phi": "Nguồn kinh phí",
    "to-chuc-thuc-hien": "Tổ chức thực hiện",
    "noi-nhan": "Nơi nhận",
}
NARRATIVE = "noi-dung"
# Fields of a plan that are not the document's text: what it is and who signed it, the editors' own words (summary,
# editorial note), the page's layout, the source and its repairs. Every other field is read, new ones included.
_NOT_DOCUMENT_TEXT = {
    "kind",
    "classification",
    "issuer",
    "number",
    "signed_date",
    "place",
    "signer",
    "period",
    "reviews",
    "summary",
    "editorial_note",
    "section_order",
    "source_document",
    "text_repairs",
    "privacy_exceptions",
}
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
    from generator.content.schema import PlanPart

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
        elif (
            isinstance(value, list)
            and value
            and isinstance(getattr(value[0], "after", getattr(value[0], "part", None)), Enum)
        ):
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
    left = max(
        0, text.rfind("\n", 0, start) + 1, *(i + 2 for sep in ("; ", ". ") if (i := text.rfind(sep, 0, start)) >= 0)
    )
    right = min(i for i in (text.find("\n", end), text.find(";", end), text.find(". ", end) + 1, len(text)) if i > 0)
    before, after = text[left:start], text[end:right]
    if len(before) > width:
        before = "…" + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + "…"

    def clean(s: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", _MARKUP.sub("", s)))

    return clean(before).lstrip(), text[start:end], clean(after).rstrip()


@dataclass
class _PlanState:
    cited: list[tuple]  # what _cited gives
    years: dict[tuple[str, str | None], int]  # (number, scope) → the one year the plan's citations give it
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
            found.append(
                (
                    position,
                    _raw_identity(mention, plan),
                    mention,
                    ROLE_MENTION,
                    (label, anchor),
                    _excerpt(text, mention.start, mention.end),
                )
            )
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


# --------------------------------------------------------------------------- view

ROLE_BASIS = "can-cu"  # cited among the plan's legal bases
ROLE_MENTION = "nhac-toi"  # named in the plan's text


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
    related: list[LegalDocument] = field(default_factory=list)  # same number and issuer, another year

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
            key = (
                _normal_text(value)
                if name in ("title", "issuer", "kind")
                else (canonical_number(value) if name == "number" else value)
            )
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
        return self._first("kind") or (title and _titled_kind(title)) or (number and number.kind) or "Văn bản"

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

    @cached_property
    def province(self) -> str:
        """The province whose plans alone cite it ("" when plans of several do): its own document, listed and mapped
        with the province's pages past outputs.spec.LIST_LIMIT documents."""
        provinces = {plan.unit.province.id for plan in self.plans}
        return provinces.pop() if len(provinces) == 1 else ""

    @property
    def units(self) -> frozenset[str]:
        """The units whose content makes its page: those of the plans citing it and of the documents it links to."""
        return frozenset(plan.unit.id for doc in [self, *self.related] for plan in doc.plans)

    @cached_property
    def sort_key(self) -> tuple:
        kind = self.kind
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        number = self.number
        return (
            rank,
            kind,
            self.year is None,
            self.year or 0,
            number.sort_serial if number else (0, ""),
            _normal_text(self.name),
            self.slug,
        )


def documents(portal: Portal, kept: store.PlanChunks | None = None) -> list[LegalDocument]:
    """Every document the plans cite, as a legal basis or in their text, sorted by kind, year, number.
    `kept`: the build's store of what each plan cited last time, while its unit is unchanged."""
    cited = store.kept_or_made(
        kept, "legal", [(plan.id, plan.id, functools.partial(_cited, plan)) for plan in portal.plans]
    )
    by_key: dict[tuple, LegalDocument] = {}
    for plan, said in zip(portal.plans, cited):
        for position, key, slug, basis, role, place, excerpt in said:
            if key not in by_key:
                by_key[key] = LegalDocument(slug, key=key)
            by_key[key].citations.append(Citation(plan, position, basis, role, place, excerpt))
    _unique_slugs(by_key.values())
    _relate(by_key)
    _keep_fields(kept, list(by_key.values()))
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


def _keep_fields(kept: store.PlanChunks | None, docs: list[LegalDocument]) -> None:
    """Sets each document's fields to what they were last time, while the units of the plans citing it are
    unchanged (store.PlanChunks): collecting them from every citation is a large share of a rebuild."""
    if kept is None:
        return
    values = kept.chunks(
        "legal-fields",
        [(doc.slug, tuple(plan.id for plan in doc.plans), functools.partial(_fields, doc)) for doc in docs],
    )
    for doc, fields in zip(docs, values):
        doc.__dict__.update(zip(_FIELDS, fields))  # the cached properties' values


def _fields(doc: LegalDocument) -> tuple:
    return tuple(getattr(doc, name) for name in _FIELDS)


def _unique_slugs(docs) -> None:
    # Two identities may fold to one ASCII slug («05-NQ/TU» and «05/NQ-TU», or two titles that differ only in
    # tone marks): never write two documents into one folder. document_url() cannot see this (it reads one
    # citation), so a plan page would link the first of them; rare enough to accept, and visible here.
    seen: Counter = Counter({BY_PROVINCE_FOLDER: 1})  # the folder is taken
    for doc in sorted(docs, key=lambda d: (d.slug, d.citations[0].plan.id, d.citations[0].position)):
        seen[doc.slug] += 1
        if seen[doc.slug] > 1:
            doc.slug = f"{doc.slug}-{seen[doc.slug]}"

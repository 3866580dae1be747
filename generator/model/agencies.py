"""Agencies: one page per body that a plan gives work to, across all plans.

Every name a plan writes in a target (lead, coordinating, implementing), a
responsibility (unit) or a budget line (lead) is resolved to one agency:

1. the name is normalised (`normalise`): NFC, case, whitespace, old/new tone
   placement («hoá» = «hóa», «thuỷ» = «thủy»), and «-», «–», «&», «và» between
   words count as one separator («Văn hóa - Thông tin» = «Văn hóa và Thông tin»);
2. it is looked up among the names and aliases of the registry
   (`agencies.yml`) of the plan's unit, then of each ancestor unit, nearest
   first: a district plan naming a province department finds the province's;
3. a name no registry knows becomes an agency of the plan's unit on its own,
   keyed by its normalised form, so every name has a page without a registry.

The same name in two districts is therefore two agencies; variants of one name
in one district are one. Pages sit at `co-quan/<unit id>/<agency slug>/`; each province's list of
them at `co-quan/<province id>/`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from generator.incremental import store
from generator.model.results import StatusCounts
from generator.model.views import PlanView, Portal, UnitView, vietnamese_key, vietnamese_order

if TYPE_CHECKING:  # render imports this module; PageSpec is imported where pages are made
    pass

ROLE_LEAD = "Chủ trì"
ROLE_COORDINATING = "Phối hợp"
ROLE_IMPLEMENTING = "Thực hiện"
ROLE_ASSIGNED = "Được giao nhiệm vụ"

KIND_TARGET = "Chỉ tiêu"
KIND_DUTY = "Nhiệm vụ"
KIND_BUDGET = "Kinh phí"

INDEX_URL = "co-quan/"
INDEX_TITLE = "Cơ quan"
DATA_STEM = "viec-duoc-giao"

# --------------------------------------------------------------------------- names

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD combining marks)
# Old style puts the tone on the second vowel of an open «oa», «oe», «uy» («hoá», «thuỷ»); new style on the
# first («hóa», «thủy»). Only at the end of a syllable: «toàn», «hoặc», «khuyến» are spelt one way in both.
_OLD_TONE = re.compile(rf"(o)([ae])([{_TONES}])(?![\w\u0300-\u036f])|(u)(y)([{_TONES}])(?![\w\u0300-\u036f])")
_SEPARATOR = re.compile(r"\s*(?:[-‐‑‒–—&+]|(?<!\w)và(?!\w))\s*")
_COMMA = re.compile(r"\s*,\s*")
_SPACE = re.compile(r"\s+")


def _new_tone_placement(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_TONE.sub(lambda m: (m[1] + m[3] + m[2]) if m[1] else (m[4] + m[6] + m[5]), decomposed)
    return unicodedata.normalize("NFC", moved)


@functools.lru_cache(maxsize=65536)  # the same names are written in plan after plan
def normalise(name: str) -> str:
    """The form two spellings of one name share: «Phòng Văn hoá và Thông tin» → «phòng văn hóa & thông tin»."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _SPACE.sub(" ", text).strip(" .;:")
    text = _new_tone_placement(text)
    text = _SEPARATOR.sub(" & ", text)
    text = _COMMA.sub(", ", text)
    return _SPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=65536)  # the same names in unit after unit
def slugify(name: str, max_length: int = 60) -> str:
    """ASCII slug of a Vietnamese name: «Phòng Văn hóa - Thông tin» → «phong-van-hoa-thong-tin»."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug or "co-quan"


def alias_clashes(registry) -> list[tuple[int, str]]:
    """(agency position, message) for each name or alias of a registry (schema.AgencyRegistry) that
    normalises like another agency's: the first agency would silently take it. For the validator."""
    owner: dict[str, str] = {}
    problems = []
    for i, agency in enumerate(registry.agencies):
        for spelling in (agency.name, *agency.aliases):
            other = owner.setdefault(normalise(spelling), agency.id)
            if other != agency.id:
                problems.append(
                    (
                        i,
                        f"«{spelling}» trùng với tên hoặc bí danh của cơ quan «{other}» "
                        "(không phân biệt hoa thường, dấu thanh đặt kiểu cũ/mới, «-», «và», «&»)",
                    )
                )
    return problems


@functools.lru_cache(maxsize=65536)
def collation_key(name: str) -> tuple:
    """Sorts agencies' names as readers expect (the Vietnamese alphabet: «Đài» after «Dương», not after «Z» nor
    between «Dài» and «Dân»), a name spelled with old or new tone placement («hoà», «hòa») as one."""
    return vietnamese_key(normalise(name))


# --------------------------------------------------------------------------- model


# Not frozen: a frozen class sets each field through object.__setattr__, slow over a national portal's agencies.
@dataclass(slots=True)
class Assignment:
    """One piece of work a plan gives an agency: a target, a duty or a budget line."""

    plan: PlanView
    kind: str  # KIND_TARGET, KIND_DUTY or KIND_BUDGET
    roles: tuple[str, ...]  # ROLE_* in the order lead, coordinating, implementing
    text: str  # the target statement, the duty or the budget line's name, as the document writes it
    names: tuple[str, ...]  # the agency's name as this item writes it
    deadline_year: int | None = None  # targets only: the year the document sets
    number: int | None = None  # targets: number in the plan (anchor #chi-tieu-N); duties: number in the list
    target: object | None = None  # targets: the schema.Target
    period: str | None = None  # budget lines: time frame as printed
    table: object | None = None  # budget lines: the TableView
    line: object | None = None  # budget lines: the schema.BudgetLine

    @property
    def role_label(self) -> str:
        return "; ".join(self.roles)

    @property
    def amount_dong(self):
        """Budget lines: the amount of the table's main column, in đồng."""
        if self.table is None:
            return None
        value = self.line.amounts.get(self.table.main_column)
        return None if value is None else self.table.in_dong(value)


@dataclass(eq=False)
class AgencyView:
    unit: UnitView  # the unit whose registry names it, or whose plan names it when no registry does
    slug: str
    name: str
    registered: bool
    key: str  # registry id, or the normalised name of an unregistered agency
    # (plan, its Mention of this agency), in the portal's order of plans
    mentions: list[tuple[PlanView, Mention]] = field(default_factory=list, repr=False)
    index: AgencyDirectory | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"co-quan/{self.unit.id}/{self.slug}/"

    @functools.cached_property
    def assignments(self) -> list[Assignment]:
        """Its work, plan by plan in the portal's order: made only for a page that is rendered (a rebuild
        lists every agency, with its counts and plans, but renders few of their pages)."""
        return [
            a for plan, _ in self.mentions for a in self.index.assignments_of(plan).get((self.unit.id, self.key), ())
        ]

    @property
    def spellings(self) -> list[str]:
        """Every way the documents write this agency's name."""
        return sorted({n for a in self.assignments for n in a.names})

    @functools.cached_property
    def plans(self) -> list[PlanView]:
        """The plans giving it work, newest first."""
        return sorted((plan for plan, m in self.mentions if any(m.counts)), key=lambda p: p.sort_key)

    def _by_plan(self, kind: str) -> list[tuple[PlanView, list[Assignment]]]:
        groups = [(p, [a for a in self.assignments if a.plan is p and a.kind == kind]) for p in self.plans]
        return [(p, items) for p, items in groups if items]

    @property
    def targets(self) -> list[tuple[PlanView, list[Assignment]]]:
        """Targets it leads, coordinates or implements, by plan, newest plan first."""
        return self._by_plan(KIND_TARGET)

    @functools.cached_property
    def led_status_counts(self) -> StatusCounts:
        """The targets it leads (co-leading counted), by status as of the build's date."""
        return StatusCounts.of(
            a.plan.progress[a.number - 1] for _, items in self.targets for a in items if ROLE_LEAD in a.roles
        )

    @property
    def duties(self) -> list[tuple[PlanView, list[Assignment]]]:
        return self._by_plan(KIND_DUTY)

    @property
    def budget_lines(self) -> list[tuple[PlanView, list[Assignment]]]:
        return self._by_plan(KIND_BUDGET)

    def count(self, kind: str) -> int:
        return self._counts[_KINDS.index(kind)]

    @functools.cached_property
    def _counts(self) -> tuple[int, ...]:
        # Asked for once the index is complete (pages), twice per kind by the list of all agencies.
        return tuple(sum(m.counts[i] for _, m in self.mentions) for i in range(len(_KINDS)))

    @property
    def sort_key(self) -> tuple:
        return (
            vietnamese_order(self.unit.province.unit.name),
            len(self.unit.ancestors),
            vietnamese_order(self.unit.unit.name),
            self.unit.id,
            collation_key(self.name),
            self.slug,
        )


_KINDS = (KIND_TARGET, KIND_DUTY, KIND_BUDGET)


class Mention(NamedTuple):
    """What one plan says of one agency it names: enough to list the agency and choose its name without
    making its assignments. Kept between builds by the plan's unit (cache.PlanChunks): plain values, in a
    tuple (a national portal's 30,000 unpickle in a tenth of the time a dataclass's do)."""

    unit_id: str
    key: str
    registry_name: str | None  # the registry's name for it; None: no registry knows it
    counts: tuple[int, int, int]  # its assignments of each kind (_KINDS)
    spellings: tuple[tuple[str, int], ...]  # each way the plan writes its name, and how often, in the order written


def _number(value) -> int | str | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else str(value)


class AgencyDirectory:
    """Every agency the portal's plans name, with the work each plan gives it. `kept`: the build's store of
    what each plan gave last time (its names, resolved), while its unit is unchanged; None: all made now."""

    def __init__(self, portal: Portal, kept: store.PlanChunks | None = None):
        self.portal = portal
        # unit id → normalised name or alias → registry agency (first entry wins on a clash)
        self._registry: dict[str, dict[str, object]] = {}
        for uid, registry in sorted(portal.agency_registries.items()):
            names: dict[str, object] = {}
            for agency in registry.agencies:
                for spelling in (agency.name, *agency.aliases):
                    names.setdefault(normalise(spelling), agency)
            self._registry[uid] = names
        self._resolved: dict[tuple[str, str], tuple] = {}  # (unit id, name) → resolve(): names repeat plan after plan
        self._agencies: dict[tuple[str, str], AgencyView] = {}  # (unit id, key) → agency
        self._spellings: dict[tuple[str, str], Counter] = {}
        self._assignments: dict[str, dict[tuple[str, str], list[Assignment]]] = {}  # plan id → assignments_of
        mentions = store.kept_or_made(
            kept,
            "agencies",
            [(plan.id, plan.id, functools.partial(self._mentions_made, plan)) for plan in portal.plans],
        )
        for plan, said in zip(portal.plans, mentions):
            for mention in said:
                self._add(plan, mention)
        self._finish()

    # -- resolution

    def resolve(self, unit_id: str, name: str) -> tuple[str, str, object | None]:
        """(unit id, key, registry entry or None) of the agency a plan of `unit_id` means by `name`."""
        known = self._resolved.get((unit_id, name))
        if known is None:
            known = self._resolved[(unit_id, name)] = self._resolve(unit_id, name)
        return known

    def _resolve(self, unit_id: str, name: str) -> tuple[str, str, object | None]:
        norm = normalise(name)
        unit = self.portal.units.get(unit_id)
        chain = [unit_id] + ([u.id for u in reversed(unit.ancestors)] if unit else [])
        for uid in chain:
            entry = self._registry.get(uid, {}).get(norm)
            if entry is not None:
                return uid, entry.id, entry
        return unit_id, norm, None

    def agency(self, unit_id: str, name: str) -> AgencyView | None:
        """The agency a plan of `unit_id` means by `name`; None when no plan names it."""
        uid, key, _ = self.resolve(unit_id, name)
        return self._agencies.get((uid, key))

    # -- building

    def _add(self, plan: PlanView, mention: Mention) -> None:
        k = (mention.unit_id, mention.key)
        agency = self._agencies.get(k)
        if agency is None:
            agency = self._agencies[k] = AgencyView(
                self.portal.units[mention.unit_id],
                "",
                mention.registry_name or mention.spellings[0][0],
                mention.registry_name is not None,
                mention.key,
                index=self,
            )
            self._spellings[k] = Counter()
        agency.mentions.append((plan, mention))
        spellings = self._spellings[k]
        for name, times in mention.spellings:
            spellings[name] += times

    def assignments_of(self, plan: PlanView) -> dict[tuple[str, str], list[Assignment]]:
        """The work the plan gives each agency it names ((unit id, key) → assignments, in the plan's order)."""
        found = self._assignments.get(plan.id)
        if found is None:
            found = self._assignments[plan.id] = self._collect(plan)[0]
        return found

    def _mentions_made(self, plan: PlanView) -> list[Mention]:
        """The plan's mentions, made now: its assignments, made with them, are kept for its agencies' pages."""
        found, mentions = self._collect(plan)
        self._assignments[plan.id] = found
        return mentions

    def _collect(self, plan: PlanView) -> tuple[dict[tuple[str, str], list[Assignment]], list[Mention]]:
        """The plan's assignments by agency, and its mentions of each agency in the order it names them."""
        found: dict[tuple[str, str], list[Assignment]] = {}
        named: dict[tuple[str, str], tuple[str | None, Counter]] = {}  # agency → (registry name, spellings)

        def name_of(name: str | None) -> tuple[str, str] | None:
            if not name or not name.strip():
                return None
            uid, key, entry = self.resolve(plan.unit.id, name)
            k = (uid, key)
            if k not in named:
                named[k] = (entry.name if entry is not None else None, Counter())
            named[k][1][name.strip()] += 1
            return k

        def add(k: tuple[str, str], assignment: Assignment) -> None:
            found.setdefault(k, []).append(assignment)

        for number, t in enumerate(plan.plan.targets, 1):
            roles: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
            for role, name in (
                [(ROLE_LEAD, t.lead)]
                + [(ROLE_LEAD, n) for n in t.co_leads]
                + [(ROLE_COORDINATING, n) for n in t.coordinating]
                + [(ROLE_IMPLEMENTING, n) for n in t.implementing]
            ):
                if (k := name_of(name)) is not None:
                    entry = roles.setdefault(k, ([], []))
                    if role not in entry[0]:
                        entry[0].append(role)
                    if name.strip() not in entry[1]:
                        entry[1].append(name.strip())
            for k, (rs, names) in roles.items():
                add(
                    k,
                    Assignment(
                        plan, KIND_TARGET, tuple(rs), t.statement, tuple(names), t.deadline_year, number, target=t
                    ),
                )
        for tv in plan.tables:
            for gv in tv.groups:
                for line in gv.group.lines:
                    if (k := name_of(line.lead)) is not None:
                        add(
                            k,
                            Assignment(
                                plan,
                                KIND_BUDGET,
                                (ROLE_LEAD,),
                                line.name,
                                (line.lead.strip(),),
                                number=None,
                                period=line.period,
                                table=tv,
                                line=line,
                            ),
                        )
        for r in plan.plan.responsibilities:
            if (k := name_of(r.unit)) is not None:
                for n, duty in enumerate(r.duties, 1):
                    add(k, Assignment(plan, KIND_DUTY, (ROLE_ASSIGNED,), duty, (r.unit.strip(),), number=n))
        mentions = []
        for (uid, key), (registry_name, spellings) in named.items():
            kinds = Counter(a.kind for a in found.get((uid, key), ()))
            mentions.append(
                Mention(uid, key, registry_name, tuple(kinds[kind] for kind in _KINDS), tuple(spellings.items()))
            )
        return found, mentions

    def _finish(self) -> None:
        # Registry ids are the slugs editors chose: every id of a registry is reserved, used or not yet.
        taken = {uid: {a.id for a in registry.agencies} for uid, registry in self.portal.agency_registries.items()}
        shadowed: set[str] = set()  # units whose subordinates' folder names are in `taken`
        for agency in self._agencies.values():
            if agency.registered:
                agency.slug = agency.key
        for (uid, key), agency in sorted(self._agencies.items()):
            if agency.registered:
                continue
            if uid not in shadowed:
                # A slug must not shadow the folder of a subordinate unit's agencies.
                taken[uid] = taken.get(uid, set()) | {c.id.rsplit("/", 1)[-1] for c in self.portal.units[uid].children}
                shadowed.add(uid)
            used = taken[uid]
            base = slug = slugify(key)
            n = 2
            while slug in used:
                slug, n = f"{base}-{n}", n + 1
            used.add(slug)
            agency.slug = slug
            # The name most often written, the first written on a tie.
            agency.name = self._spellings[(uid, key)].most_common(1)[0][0]
        self._sorted = sorted(self._agencies.values(), key=lambda a: a.sort_key)

    # -- views

    @property
    def agencies(self) -> list[AgencyView]:
        """All agencies, by province, unit (province first) and name."""
        return self._sorted

    def by_unit(self) -> list[tuple[UnitView, list[AgencyView]]]:
        """(unit, its agencies) in the order of the units' tree, province first."""
        result = []
        owned: dict[str, list[AgencyView]] = {}  # a unit's agencies, in the order of `agencies`
        for agency in self.agencies:
            owned.setdefault(agency.unit.id, []).append(agency)

        def walk(unit: UnitView) -> None:
            if own := owned.get(unit.id):
                result.append((unit, own))
            for child in unit.children:
                walk(child)

        for province in self.portal.provinces:  # in Vietnamese alphabetical order
            walk(province)
        return result

    def by_province(self) -> list[tuple[UnitView, list[tuple[UnitView, list[AgencyView]]]]]:
        groups: list[tuple[UnitView, list]] = []
        for unit, agencies in self.by_unit():
            if not groups or groups[-1][0] is not unit.province:
                groups.append((unit.province, []))
            groups[-1][1].append((unit, agencies))
        return groups


_cache: tuple[Portal, AgencyDirectory] | None = None


def directory_for(portal: Portal, kept: store.PlanChunks | None = None) -> AgencyDirectory:
    """The portal's AgencyDirectory, built once per portal (`kept`: as for AgencyDirectory)."""
    global _cache
    if _cache is None or _cache[0] is not portal:
        _cache = (portal, AgencyDirectory(portal, kept))
    return _cache[1]


def agency_url(portal: Portal, unit_id: str, name: str | None) -> str:
    """Site-relative URL of the page of the agency a plan of `unit_id` means by `name`
    ("co-quan/ha-tinh/duc-tho/phong-van-hoa-thong-tin/"); "" when no plan names it (no page)."""
    if not name:
        return ""
    agency = directory_for(portal).agency(unit_id, name)
    return agency.url if agency else ""


# --------------------------------------------------------------------------- pages


def province_url(province: UnitView) -> str:
    """The list of a province's agencies, by unit: co-quan/<province id>/ (its agencies' pages sit below it)."""
    return f"{INDEX_URL}{province.id}/"

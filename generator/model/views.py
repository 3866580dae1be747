"""Model: the one view of the portal that every output (pages, CSV, JSON, search) reads.

Built from validated content. It computes sums and differences; it never
overwrites a figure the document declares. Views are not changed once
build_portal returns, so aggregates over many plans are computed once (cached).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.content import schema
from generator.content.facts import (
    PHASE_LABELS,
    Discrepancy,
    IndicatorTarget,
    PlanFacts,
    Share,
    TableFacts,
    TableView,
    table_view,
)
from generator.content.schema import SiteConfig
from generator.model.history import PlanHistory
from generator.model.releases import Release
from generator.model.results import (
    Source,
    StatusCounts,
    TargetProgress,
    TimelinePoint,
    plan_progress,
    timeline,
)

if TYPE_CHECKING:
    from generator.content.validate import ValidContent

LEVEL_LABELS = {
    schema.UnitLevel.province: "Cấp tỉnh",
    schema.UnitLevel.district: "Cấp huyện",
    schema.UnitLevel.commune: "Cấp xã",
}
KIND_LABELS = {
    schema.PlanKind.plan: "Kế hoạch",
    schema.PlanKind.action_programme: "Chương trình hành động",
    schema.PlanKind.programme: "Chương trình",
    schema.PlanKind.decision: "Quyết định",
    schema.PlanKind.scheme: "Đề án",
    schema.PlanKind.report: "Báo cáo",
}


# Plans name their areas freely ("Hạ tầng số, dữ liệu số", "Phát triển hạ tầng kỹ thuật"); search
# filters group them into the families national programmes use. First match wins.
AREA_FAMILIES = (
    ("an toàn thông tin", "An toàn thông tin"),
    ("an ninh mạng", "An toàn thông tin"),
    ("hạ tầng", "Hạ tầng số"),
    ("dữ liệu", "Dữ liệu số"),
    ("nền tảng", "Nền tảng số"),
    ("kinh tế", "Kinh tế số"),
    ("xã hội", "Xã hội số"),
    ("đô thị", "Đô thị thông minh"),
    ("nhân lực", "Nhân lực số"),
    ("đào tạo", "Nhân lực số"),
    ("nhận thức", "Nhận thức số"),
    ("tuyên truyền", "Nhận thức số"),
    ("thể chế", "Thể chế số"),
    ("chính quyền", "Chính quyền số"),
    ("chính phủ", "Chính quyền số"),
    ("dịch vụ công", "Chính quyền số"),
    ("ứng dụng", "Chính quyền số"),
)


def area_family(area: str) -> str | None:
    text = area.casefold()
    return next((family for needle, family in AREA_FAMILIES if needle in text), None)


@dataclass
class IndicatorEntry:
    plan: PlanView
    target: IndicatorTarget  # from the plan's facts: the indicators' pages read no plan's model

    @property
    def number(self) -> int:
        return self.target.number

    @property
    def value(self) -> Decimal | None:
        return self.target.value

    @property
    def progress(self) -> TargetProgress:
        return self.plan.progress[self.number - 1]


# The bars of an indicator's chart at most: the highest levels. A national portal's chart of every level (a
# thousand bars, 30,000 pixels tall, with a table of the same rows) was read by no one; the table lists them all.
CHART_BARS = 30


@dataclass
class IndicatorView:
    indicator: schema.Indicator
    entries: list[IndicatorEntry]

    @property
    def url(self) -> str:
        return f"chi-so/{self.indicator.code}/"

    @cached_property
    def levels(self) -> list[IndicatorEntry]:
        """The entries that set a level, highest first."""
        return [e for e in self.entries if e.value is not None]

    @property
    def chart_plans(self) -> list[PlanView]:
        """The plans of the charted entries, in order: what the chart is made of (its kept fragment's key)."""
        return [e.plan for e in self.levels[:CHART_BARS]]

    @property
    def chart_rows(self) -> list[Share]:
        return [Share(f"{e.plan.unit.unit.name}, văn bản {e.plan.year}", e.value) for e in self.levels[:CHART_BARS]]


# The words that open a unit's official name: a title names the unit by what follows («Tỉnh Gia Lai» → «Gia Lai»)
# where it names the units above the plan's own.
UNIT_NAME_PREFIXES = ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Phường", "Xã")
# Where the subject of a plan's title ends: the first clause («phát triển Chính quyền số và bảo đảm …» → «phát
# triển Chính quyền số»), before the place, the year or the period the title goes on with.
_SUBJECT_END = re.compile(
    r"[,;:(]|\s[-–—]\s|\s(?:và|trong|trên địa bàn|của|tại|năm|giai đoạn|đến năm|thời kỳ)\s", re.IGNORECASE
)
SUBJECT_WORDS = 8  # at most; a longer first clause is cut and ends with «…»


def short_unit_name(name: str) -> str:
    """«Huyện Đức Cơ» → «Đức Cơ»; a name with no such opening word is kept as it is."""
    for prefix in UNIT_NAME_PREFIXES:
        if name[: len(prefix)].casefold() == prefix.casefold() and name[len(prefix) : len(prefix) + 1] == " ":
            return name[len(prefix) + 1 :].strip() or name
    return name


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=65536)  # the same names sort again and again (each agency's province and unit)
def vietnamese_key(text: str) -> tuple:
    """A sort key in Vietnamese alphabetical order: a ă â b c d đ …, tones after letters, the text as written last."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.combining(ch) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
    order = tuple(_ALPHABET.index(c) if c in _ALPHABET else -1 if c.isspace() else 100 + ord(c) for c in letters)
    return order, tuple(tones), text


@functools.lru_cache(maxsize=65536)
def vietnamese_order(name: str) -> tuple:
    """A unit's name in Vietnamese alphabetical order by its short name («Huyện Đức Cơ» at «Đức Cơ»), then whole."""
    order, tones, _ = vietnamese_key(short_unit_name(name))
    return order, tones, name


def unit_label(unit: UnitView) -> str:
    """The unit as a title names it: its official name, then the short names of the units above it («Huyện Đức Cơ,
    Gia Lai»). Units of one parent have different names, so two units never share a label."""
    return ", ".join([unit.unit.name] + [short_unit_name(u.unit.name) for u in reversed(unit.ancestors)])


def title_subject(title: str) -> str:
    """The subject of a plan's title, short: the title without the kind it opens with, to the end of its first
    clause («Kế hoạch phát triển Chính quyền số và bảo đảm an toàn thông tin mạng năm 2023» → «phát triển Chính
    quyền số»); "" when nothing is left."""
    text = " ".join(title.split())
    for label in sorted(KIND_LABELS.values(), key=len, reverse=True):
        if text[: len(label)].casefold() == label.casefold() and text[len(label) : len(label) + 1] in (" ", ""):
            text = text[len(label) :].strip()
            break
    if end := _SUBJECT_END.search(" " + text + " "):
        text = text[: max(end.start() - 1, 0)].strip()
    words = text.split()
    if len(words) > SUBJECT_WORDS:
        text = " ".join(words[:SUBJECT_WORDS]) + "…"
    # A sentence's capital goes («Ứng dụng công nghệ thông tin» → «ứng dụng …»); a name's or an acronym's stays.
    if len(words) > 1 and words[0][1:].islower() and words[1][:1].islower():
        text = text[0].lower() + text[1:]
    return text


def _number_words(plan: PlanView) -> str | None:
    return f"số {plan.number}" if plan.number else None


def _signed_words(plan: PlanView) -> str | None:
    return f"ngày ký {plan.signed_date}" if plan.signed_date else None


# The portal's heading of each part of a plan page where the document gives none (schema.PlanHeading overrides).
PART_HEADINGS = {
    schema.PlanPart.narrative: "Nội dung văn bản",
    schema.PlanPart.legal_bases: "Căn cứ pháp lý",
    schema.PlanPart.general_objectives: "Mục tiêu tổng quát",
    schema.PlanPart.targets: "Chỉ tiêu",
    schema.PlanPart.tasks: "Nhiệm vụ",
    schema.PlanPart.solutions: "Giải pháp",
    schema.PlanPart.budget_tables: "Kinh phí",
    schema.PlanPart.funding_notes: "Nguồn kinh phí",
    schema.PlanPart.responsibilities: "Tổ chức thực hiện",
    schema.PlanPart.recipients: "Nơi nhận",
}


@dataclass(frozen=True)
class PlanSection:
    """A heading of a plan page as its table of contents lists it: the id it carries, its text (the document's
    own heading where it gives one), how many items it lists where the heading says so, and the entries the
    contents list below it (a budget section's tables, a table's groups; the headings of the editors' text), which
    may carry the document's own numbering («I. Mục đích, yêu cầu»: the contents number them no further)."""

    id: str
    heading: str
    count: int | None = None
    children: tuple[PlanSection, ...] = ()
    children_numbered: bool = False


# The editors' text of a plan (the .md beside its YAML, «Nội dung văn bản»): its headings' ids are the site's slugs,
# Vietnamese letters kept («#1-mục-đích»), as on every page made from Markdown. The page's own ids are all ASCII
# («chi-tieu», «kinh-phi», budget tables' ids): a heading whose slug is ASCII too («## Kinh phi») could take one, so
# it begins with the section's id («#noi-dung-kinh-phi»). The page renders the text with this converter
# (outputs.templates: the filter `narrative`), and the table of contents lists its headings from it: one converter,
# one set of ids.
NARRATIVE_CONTENTS_DEPTH = 2  # the text's top headings and the ones right below them


def narrative_heading_id(text: str, separator: str = "-") -> str:
    """«1. Mục đích» → «1-mục-đích»; «Kinh phi» → «noi-dung-kinh-phi» (Python-Markdown's toc `slugify`)."""
    slug = _site_slugify()(text, separator)
    return slug if not slug.isascii() else f"{schema.PlanPart.narrative.value}-{slug or 'muc'}"


@functools.cache
def _site_slugify():
    from pymdownx.slugs import slugify

    return slugify(case="lower")


@functools.cache
def narrative_markdown():
    """The one Markdown converter of plans' editors' text (reset before each use); h1 is not a heading there
    (the page sanitiser keeps its words only), so the contents list h2 to h6."""
    import markdown

    return markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": narrative_heading_id, "toc_depth": "2-6"}},
    )


# Markdown's heading syntax (ATX «#», setext underlines): a text without any has no heading, and is not read twice.
_HEADING_SYNTAX = re.compile(r"#|^ {0,3}(?:=+|-+)[ \t]*$", re.M)


def narrative_outline(text: str, depth: int = NARRATIVE_CONTENTS_DEPTH) -> tuple[PlanSection, ...]:
    """The headings of an editors' text, nested, `depth` levels of them, with the ids the page gives them."""
    import html

    if not _HEADING_SYNTAX.search(text):
        return ()
    converter = narrative_markdown()
    converter.reset().convert(text)

    def sections(tokens: list[dict], depth: int) -> tuple[PlanSection, ...]:
        return tuple(
            PlanSection(t["id"], html.unescape(t["name"]), children=sections(t["children"], depth - 1))
            for t in tokens
            if depth > 0
        )

    return sections(converter.toc_tokens, depth)


@dataclass(frozen=True)
class BudgetFigure:
    """A plan's budget for one year and one kind (planned or spent), in đồng: its tables' totals, each as
    declared where the document declares one, and the sum of their lines beside it. Years and kinds are
    different quantities and are never added together."""

    year: int
    phase_label: str
    planned: bool
    total_dong: Decimal
    lines_dong: Decimal
    tables: tuple[tuple[str, str], ...]  # (id, title) of the tables it comes from

    @property
    def label(self) -> str:
        return f"{self.phase_label} năm {self.year}"

    @property
    def lines_differ(self) -> bool:
        return self.lines_dong != self.total_dong


@dataclass(frozen=True)
class DeadlineCount:
    """How many of a plan's targets fall due in a year: stated by the document, or inferred from the plan's
    period (`inferred`); year None: the document gives no deadline and the plan does not say it follows the
    period (unknown)."""

    year: int | None
    inferred: bool
    count: int


@dataclass(frozen=True)
class LeadCount:
    """A unit that a plan puts in charge, and of how much: targets it leads (co-leading counted), budget lines it
    leads, duties assigned to it under «Tổ chức thực hiện». Named as the plan first writes it."""

    name: str
    targets: int
    lines: int
    duties: int

    @property
    def total(self) -> int:
        return self.targets + self.lines + self.duties


@dataclass
class PlanView:
    id: str
    slug: str
    unit: UnitView
    facts: PlanFacts
    read: Callable[[], schema.Plan]  # the plan's validated model (ValidContent.plans: read on demand)
    narrative: str
    source_path: Path
    history: PlanHistory = field(default_factory=PlanHistory)
    results: schema.PlanResults | None = None  # its <plan>.ket-qua.yml
    as_of: dt.date | None = None  # the date statuses are computed at (results.progress_of)
    folder: Path | None = None  # the folder of the plan's file (and of its results file)
    # The national step (docs/shards.md): the folder of its page in its province's shard, whose published tables
    # the portal-wide files take instead of reading the plan's model again.
    published: Path | None = None

    @cached_property
    def plan(self) -> schema.Plan:
        return self.read()

    @cached_property
    def tables(self) -> list[TableView]:
        return [table_view(t) for t in self.plan.budget_tables]

    @property
    def url(self) -> str:
        return f"{self.id}/"

    source_file_name = "van-ban-goc.txt"

    @property
    def title(self) -> str:
        return self.facts.title

    @property
    def issuer(self) -> str:
        return self.facts.issuer

    @property
    def number(self) -> str | None:
        return self.facts.number

    @property
    def signed_date(self) -> str | None:
        return self.facts.signed_date

    @cached_property
    def display_title(self) -> str:
        """What the plan is, in one line, for the browser tab, lists, the sitemap, search results and the feed: the
        unit, then the kind, the year or period and a short subject from the document's title («Huyện Đức Cơ, Gia
        Lai — Kế hoạch 2023, phát triển Chính quyền số»). Two plans of the portal never share it: units differ by
        name or by the units above them; plans of one unit that would share it are told apart by their number, then
        their signing date, then their order."""
        title = f"{unit_label(self.unit)} — {self.short_title}"
        same = [p for p in self.unit.plans if p.short_title == self.short_title]
        for extra in (_number_words, _signed_words):
            if len(same) == 1:
                break
            mine = extra(self)
            title += f", {mine}" if mine else ""
            same = [p for p in same if extra(p) == mine]
        if len(same) > 1:
            title += f", văn bản thứ {same.index(self) + 1}"
        return title

    @cached_property
    def short_title(self) -> str:
        """The plan within its unit (the last step of the breadcrumbs): kind, year or period, subject."""
        start, end, _ = self.facts.period
        years = f"{start}" if start == end else f"{start}–{end}"
        subject = title_subject(self.title)
        return f"{self.kind_label} {years}" + (f", {subject}" if subject else "")

    @property
    def nav_title(self) -> str:
        """The title of the plan's page (display_title)."""
        return self.display_title

    @property
    def years(self) -> list[int]:
        return list(range(self.facts.period[0], self.facts.period[1] + 1))

    @cached_property
    def progress(self) -> list[TargetProgress]:
        """Each target's status and reported results, in the plan's order (from its facts: no model read)."""
        return plan_progress(self.facts.targets, self.result_sources, self.results, self.as_of)

    @cached_property
    def status_counts(self) -> StatusCounts:
        return StatusCounts.of(self.progress)

    @property
    def timelines(self) -> list[tuple[int, schema.Target]]:
        """The targets with a timeline to show: a baseline the plan states, or reported results."""
        return [
            (n, t)
            for (n, t), progress in zip(enumerate(self.plan.targets, 1), self.progress)
            if t.baseline is not None or progress.results
        ]

    def timeline(self, number: int) -> list[TimelinePoint]:
        """Target `number`'s baseline, reported results and level at its deadline (results.timeline)."""
        return timeline(self.progress[number - 1], self.plan.targets[number - 1].baseline)

    @cached_property
    def result_sources(self) -> list[Source]:
        """The sources of the plan's reported results, as its results file lists them."""
        return [Source(s, self.folder) for s in self.results.sources] if self.results else []

    @property
    def area_families(self) -> list[str]:
        """The area families the plan's targets and tasks belong to (search filter «Lĩnh vực»)."""
        areas = [t.area for t in self.plan.targets] + [s.area for s in self.plan.tasks]
        return sorted({f for a in areas if (f := area_family(a))})

    @property
    def content_kinds(self) -> list[str]:
        """What a search may find on the plan page (search filter «Loại nội dung»)."""
        kinds = ["Kế hoạch"]
        if self.plan.targets:
            kinds.append("Chỉ tiêu")
        if any(g.lines for t in self.plan.budget_tables for g in t.groups):
            kinds.append("Dòng kinh phí")
        return kinds

    @property
    def target_groups(self) -> list[tuple[str | None, list[tuple[int, schema.Target]]]]:
        """Targets numbered through the plan, grouped as the document groups them."""
        groups: list[tuple[str | None, list]] = []
        for n, target in enumerate(self.plan.targets, 1):
            if not groups or groups[-1][0] != target.group:
                groups.append((target.group, []))
            groups[-1][1].append((n, target))
        return groups

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.facts.kind]

    @property
    def year(self) -> int:
        return self.facts.period[0]

    @property
    def period_label(self) -> str:
        start, end, outlook = self.facts.period
        text = f"Năm {start}" if start == end else f"Giai đoạn {start}–{end}"
        return text + (f", định hướng đến năm {outlook}" if outlook else "")

    @property
    def planned_by_year(self) -> list[tuple[int, Decimal]]:
        """The planned budget for each year the plan's tables give (each table's total as declared where declared);
        empty when the plan states none: unknown, not zero."""
        years: dict[int, Decimal] = {}
        for t in self.facts.budget_tables:
            if t.phase_label == PHASE_LABELS[schema.BudgetPhase.planned]:
                years[t.year] = years.get(t.year, Decimal(0)) + t.total_dong
        return sorted(years.items())

    @property
    def part_order(self) -> list[schema.PlanPart]:
        """The parts of the page in the document's order: those the plan lists in section_order, then the others
        in the default order (schema.PlanPart)."""
        listed = list(self.plan.section_order)
        return listed + [part for part in schema.PlanPart if part not in listed]

    @cached_property
    def parts(self) -> list[tuple[schema.PlanPart, PlanSection | None]]:
        """Each part in the document's order with its section, None where the plan has nothing for it (the
        document's passages that follow it there still do)."""
        p = self.plan
        own = {h.part: h.heading for h in p.headings}
        P = schema.PlanPart
        present = {
            P.narrative: bool(self.narrative.strip()),
            P.legal_bases: bool(p.legal_bases),
            P.previous_results: p.previous_results is not None,
            P.general_objectives: bool(p.general_objectives),
            P.targets: bool(p.targets),
            P.tasks: bool(p.tasks),
            P.solutions: bool(p.solutions),
            P.budget_tables: bool(self.tables),
            P.funding_notes: bool(p.funding_notes),
            P.responsibilities: bool(p.responsibilities),
            P.recipients: bool(p.recipients),
        }
        found: list[tuple[schema.PlanPart, PlanSection | None]] = []
        for part in self.part_order:
            if not present[part]:
                found.append((part, None))
                continue
            if part is P.previous_results:
                heading = own.get(part) or f"Kết quả {p.previous_results.period}"
            else:
                heading = own.get(part) or PART_HEADINGS[part]
            count = {P.legal_bases: len(p.legal_bases), P.targets: len(p.targets)}.get(part)
            children: tuple[PlanSection, ...] = ()
            if part is P.narrative:
                children = narrative_outline(self.narrative)
            elif part is P.budget_tables:
                children = tuple(
                    PlanSection(
                        tv.table.id,
                        f"{tv.phase_label} năm {tv.table.year}",
                        children=tuple(
                            PlanSection(self.budget_group_id(tv.table.id, n), " ".join(filter(None, (g.code, g.name))))
                            for n, g in enumerate(tv.table.groups, 1)
                            if g.name
                        ),
                    )
                    for tv in self.tables
                )
            found.append((part, PlanSection(part.value, heading, count, children, part is P.narrative)))
        return found

    @staticmethod
    def budget_group_id(table_id: str, number: int) -> str:
        """The id of a budget table's group row (its lines: kp-<table>-<group>-<line>)."""
        return f"kp-{table_id}-{number}"

    @property
    def contents(self) -> list[PlanSection]:
        """Every h2 of the plan page in order, with its id: the page's table of contents."""
        return [
            PlanSection("diem-chinh", "Những điểm chính"),
            PlanSection("thong-tin-van-ban", "Thông tin văn bản"),
            *(section for _, section in self.parts if section),
            PlanSection("ve-ban-cong-bo", "Về bản công bố này"),
        ]

    @cached_property
    def budget_figures(self) -> list[BudgetFigure]:
        """The plan's budget for each year and kind its tables give, planned first; empty when the document gives
        no budget table (unknown, not zero)."""
        found: dict[tuple[bool, int], list[TableView]] = {}
        planned_label = PHASE_LABELS[schema.BudgetPhase.planned]
        for tv in self.tables:
            found.setdefault((tv.phase_label != planned_label, tv.table.year), []).append(tv)
        return [
            BudgetFigure(
                year,
                tables[0].phase_label,
                not executed,
                sum((tv.total_dong for tv in tables), Decimal(0)),
                sum((tv.lines_dong for tv in tables), Decimal(0)),
                tuple((tv.table.id, tv.table.title) for tv in tables),
            )
            for (executed, year), tables in sorted(found.items())
        ]

    @cached_property
    def target_deadlines(self) -> list[DeadlineCount]:
        """The plan's targets counted by deadline, earliest first, the unknown last."""
        counts: dict[tuple[int | None, bool], int] = {}
        for t in self.plan.targets:
            if t.deadline_year is not None:
                key = (t.deadline_year, False)
            elif t.deadline_from_period:
                key = (self.plan.period.end, True)
            else:
                key = (None, False)
            counts[key] = counts.get(key, 0) + 1
        order = sorted(counts, key=lambda k: (k[0] is None, k[0] or 0, k[1]))
        return [DeadlineCount(year, inferred, counts[(year, inferred)]) for year, inferred in order]

    @property
    def task_count(self) -> int:
        """The task items the plan lists (in every area)."""
        return sum(len(s.items) for s in self.plan.tasks)

    @property
    def solution_count(self) -> int:
        return sum(len(s.items) for s in self.plan.solutions)

    def leading_units(self, same: Callable[[str], object] | None = None, limit: int = 5) -> list[LeadCount]:
        """The units the plan puts in charge of the most (targets led, budget lines led, duties assigned), most
        first. Names that differ only in case or spacing are one unit, and so are names for which `same` (e.g.
        the agency directory's page of a name) gives one non-empty key."""
        counts: dict[object, list] = {}

        def add(name: str | None, index: int) -> None:
            if not name or not name.strip():
                return
            key = (same and str(same(name))) or " ".join(name.split()).casefold()
            entry = counts.setdefault(key, [" ".join(name.split()), 0, 0, 0])
            entry[index] += 1

        for t in self.plan.targets:
            for name in (t.lead, *t.co_leads):
                add(name, 1)
        for table in self.plan.budget_tables:
            for group in table.groups:
                for line in group.lines:
                    add(line.lead, 2)
        for r in self.plan.responsibilities:
            for _ in r.duties:
                add(r.unit, 3)
        leads = [LeadCount(*entry) for entry in counts.values()]
        leads.sort(key=lambda c: (-c.total, -c.targets, -c.lines, vietnamese_key(c.name)))  # ties: a b c … đ …
        return leads[:limit]

    @property
    def sort_key(self) -> tuple:
        return (-self.year, self.signed_date or "", self.id)


@dataclass
class UnitView:
    id: str
    unit: schema.Unit
    parent: UnitView | None = None
    children: list[UnitView] = field(default_factory=list)
    plans: list[PlanView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.id}/"

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.unit.level]

    @property
    def province(self) -> UnitView:
        return self.parent.province if self.parent else self

    @cached_property  # asked for by every agency name resolved (100,000 times on a national portal)
    def ancestors(self) -> list[UnitView]:
        return (self.parent.ancestors + [self.parent]) if self.parent else []

    @property
    def subtree(self) -> list[UnitView]:
        """This unit and every unit under it."""
        return [self] + [u for c in self.children for u in c.subtree]

    @cached_property
    def all_plans(self) -> list[PlanView]:
        """This unit's plans and its subordinate units', newest first."""
        plans = self.plans + [p for c in self.children for p in c.all_plans]
        return sorted(plans, key=lambda p: p.sort_key)

    @cached_property
    def status_counts(self) -> StatusCounts:
        """The targets of this unit's plans and its subordinate units', by status."""
        return StatusCounts.of(p for plan in self.all_plans for p in plan.progress)

    @cached_property
    def own_status_counts(self) -> StatusCounts:
        """The targets of this unit's own plans, by status."""
        return StatusCounts.of(p for plan in self.plans for p in plan.progress)


@dataclass
class Portal:
    config: SiteConfig
    units: dict[str, UnitView]
    plans: list[PlanView]  # newest first
    indicators: dict[str, schema.Indicator]
    agency_registries: dict[str, schema.AgencyRegistry] = field(default_factory=dict)
    budget_categories: dict[str, schema.BudgetCategory] = field(default_factory=dict)
    as_of: dt.date | None = None  # the date targets' statuses are computed at (model/results)
    releases: tuple[Release, ...] = ()  # the data's releases, oldest first (model/releases)
    # What output modules derive from the whole portal once and share between the files that need it
    # (downloads: each portal table's rows, used by its CSV, its JSON and the data package); never kept between
    # builds (what is: incremental.store, passed to the builders as `kept`).
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    _budgets: dict[str, BudgetSummary] = field(default_factory=dict, repr=False, compare=False)  # budget_of, by unit

    @cached_property
    def provinces(self) -> list[UnitView]:
        """The provinces in Vietnamese alphabetical order (by id, «can-tho» came before «cao-bang»)."""
        return sorted((u for u in self.units.values() if u.parent is None), key=lambda u: vietnamese_order(u.unit.name))

    @cached_property
    def target_count(self) -> int:
        return sum(len(p.facts.targets) for p in self.plans)

    @cached_property
    def budget(self) -> BudgetSummary:
        return BudgetSummary.of(self.plans, self.budget_categories)

    def budget_of(self, unit: UnitView) -> BudgetSummary:
        """The budgets of a unit's plans and its subordinate units', one period at a time; made once (the page list
        reads it to split a unit's budget by year, then its page, its pages of a year and the portal's)."""
        if unit.id not in self._budgets:
            self._budgets[unit.id] = BudgetSummary.of(unit.all_plans, self.budget_categories)
        return self._budgets[unit.id]

    @cached_property
    def budget_table_count(self) -> int:
        return sum(len(p.facts.budget_tables) for p in self.plans)

    @cached_property
    def indicator_views(self) -> list[IndicatorView]:
        """Each catalogued indicator with every plan's target for it, highest value first."""
        entries: dict[str, list[IndicatorEntry]] = {code: [] for code in self.indicators}
        for plan in self.plans:
            for target in plan.facts.indicator_targets:
                entries[target.code].append(IndicatorEntry(plan, target))
        for items in entries.values():
            items.sort(
                key=lambda e: (
                    e.value is None,
                    -(e.value or 0),
                    vietnamese_order(e.plan.unit.unit.name),
                    e.plan.id,
                    e.number,
                )
            )
        return [IndicatorView(self.indicators[code], items) for code, items in entries.items()]

    @cached_property
    def discrepancies(self) -> list[tuple[PlanView, Discrepancy]]:
        return [(p, d) for p in self.plans for d in p.facts.discrepancies]


UNCLASSIFIED = "Chưa xếp nhóm chi"


class ProvinceShare(NamedTuple):
    """A province's part of a budget period (its units' tables): a row of a breakdown (Share) that also says how
    many plans it comes from and which province, whose page has the period's tables plan by plan."""

    label: str
    amount: Decimal  # the tables' totals, each as declared where the document declares one
    lines_sum: Decimal | None  # the sum of their lines, where it differs
    plans: int
    province: UnitView


@dataclass
class BudgetPeriod:
    """The budget tables of many plans for one year and one kind (planned or spent), in đồng. Different years and
    kinds are different quantities and are never added together."""

    year: int
    phase_label: str
    total_dong: Decimal  # the tables' totals, each as declared where the document declares one
    lines_dong: Decimal  # the sum of the tables' lines
    plans: list[PlanView]
    by_category: list[Share]  # sums of lines, by the portal's budget categories (budget_categories.yml)
    by_unit: list[Share]  # tables' totals (declared where declared)
    by_province: list[ProvinceShare]  # the same, by province, in Vietnamese alphabetical order (Portal.provinces)

    @property
    def label(self) -> str:
        return f"{self.phase_label} năm {self.year}"

    @property
    def slug(self) -> str:
        return "du-kien" if self.phase_label == PHASE_LABELS[schema.BudgetPhase.planned] else "thuc-hien"

    @property
    def lines_differ(self) -> bool:
        return self.lines_dong != self.total_dong


@dataclass
class BudgetSummary:
    """The budget tables of many plans, one period (year and kind) at a time."""

    periods: list[BudgetPeriod]

    @classmethod
    def of(cls, plans: list[PlanView], categories: dict[str, schema.BudgetCategory]) -> BudgetSummary:
        found: dict[tuple[int, str], list[tuple[PlanView, TableFacts]]] = {}
        for plan in plans:
            for table in plan.facts.budget_tables:
                found.setdefault((table.year, table.phase_label), []).append((plan, table))
        order = [c.name for c in categories.values()] + [UNCLASSIFIED]  # the classification's own order
        periods = []
        for (year, phase), tables in sorted(found.items()):
            by_category: dict[str, Decimal] = {}
            units: dict[str, list] = {}  # by unit id: two districts may share a name in two provinces
            provinces: dict[str, list] = {}
            for plan, table in tables:
                for code, amount in table.categories:
                    label = categories[code].name if code in categories else UNCLASSIFIED
                    by_category[label] = by_category.get(label, Decimal(0)) + amount
                for sums in (
                    units.setdefault(plan.unit.id, [unit_label(plan.unit), Decimal(0), Decimal(0), set()]),
                    provinces.setdefault(plan.unit.province.id, [plan.unit.province, Decimal(0), Decimal(0), set()]),
                ):
                    sums[1] += table.total_dong
                    sums[2] += table.lines_dong
                    sums[3].add(plan.id)
            periods.append(
                BudgetPeriod(
                    year,
                    phase,
                    sum((t.total_dong for _, t in tables), Decimal(0)),
                    sum((t.lines_dong for _, t in tables), Decimal(0)),
                    sorted({p.id: p for p, _ in tables}.values(), key=lambda p: p.sort_key),
                    [Share(label, by_category[label]) for label in order if label in by_category],
                    [
                        Share(name, total, None if total == lines else lines, True)
                        for name, total, lines, _ in sorted(units.values(), key=lambda u: vietnamese_order(u[0]))
                    ],
                    [
                        ProvinceShare(province.unit.name, total, None if total == lines else lines, len(ids), province)
                        for province, total, lines, ids in sorted(
                            provinces.values(), key=lambda u: vietnamese_order(u[0].unit.name)
                        )
                    ],
                )
            )
        return cls(periods)

    @property
    def empty(self) -> bool:
        return not self.periods

    @property
    def years(self) -> list[tuple[int, BudgetPeriod | None, BudgetPeriod | None]]:
        """(year, planned, spent) for each year any table gives: the two side by side, never added together."""
        found: dict[int, list[BudgetPeriod | None]] = {}
        for period in self.periods:
            found.setdefault(period.year, [None, None])[period.slug == "thuc-hien"] = period
        return [(year, planned, spent) for year, (planned, spent) in sorted(found.items())]


def build_portal(
    content: ValidContent,
    config: SiteConfig,
    histories: dict[str, PlanHistory] | None = None,
    as_of: dt.date | None = None,
    releases: tuple[Release, ...] = (),
) -> Portal:
    """The portal's view of the content; `as_of`: the date targets' statuses are computed at (None: unknown);
    `releases`: the data's releases (model/releases)."""
    units = {uid: UnitView(uid, u) for uid, u in sorted(content.units.items())}
    for view in units.values():
        if view.unit.parent:
            view.parent = units[view.unit.parent]
            view.parent.children.append(view)
    plans = []
    for pid, facts in sorted(content.facts.items()):
        unit_id, slug = pid.rsplit("/", 1)
        doc = content.tree.plans[pid]
        view = PlanView(
            pid,
            slug,
            units[unit_id],
            facts,
            functools.partial(content.plans.__getitem__, pid),
            content.tree.narratives.get(pid, ""),
            doc.path.parent / facts.source_file,
            (histories or {}).get(pid, PlanHistory()),
            content.results.get(pid),
            as_of,
            doc.path.parent,
        )
        units[unit_id].plans.append(view)
        plans.append(view)
    for u in units.values():
        u.plans.sort(key=lambda p: p.sort_key)
        u.children.sort(key=lambda c: vietnamese_order(c.unit.name))
    return Portal(
        config,
        units,
        sorted(plans, key=lambda p: p.sort_key),
        content.indicators,
        content.agencies,
        content.budget_categories,
        as_of,
        tuple(sorted(releases, key=lambda r: r.date)),
    )

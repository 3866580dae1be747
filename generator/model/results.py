"""Model: was each target met? Its status against the as-of date, its timeline, and counts by status.

A target's status comes from the results reported for it (its plan's `<plan>.ket-qua.yml`), never guessed:
the latest result dated on or before the as-of date decides (the comparator honoured, or the status the source
records); without one, a target whose deadline year ended before the as-of date is overdue. The as-of date is an
input of the build (site_config.yml, or the last commit that changed the content), never the clock: the same
content and history build the same pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePosixPath

from generator.content import schema
from generator.content.facts import TargetFacts


class Status(Enum):
    """A target's status; the value is its key in the data files and the pages' classes."""

    met = "dat"
    partly_met = "dat-mot-phan"
    not_met = "chua-dat"
    overdue = "qua-han"
    unreported = "chua-co-bao-cao"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.met: "Đạt",
    Status.partly_met: "Đạt một phần",
    Status.not_met: "Chưa đạt",
    Status.overdue: "Quá hạn, chưa có báo cáo",
    Status.unreported: "Chưa có báo cáo",
}

SOURCE_KIND_LABELS = {
    schema.ResultSourceKind.report: "Báo cáo kết quả",
    schema.ResultSourceKind.later_plan: "Đánh giá trong kế hoạch kỳ sau",
    schema.ResultSourceKind.article: "Bài viết chính thức",
    schema.ResultSourceKind.other: "Nguồn khác",
}

_RECORDED = {
    schema.ResultStatus.met: Status.met,
    schema.ResultStatus.partly_met: Status.partly_met,
    schema.ResultStatus.not_met: Status.not_met,
}

_COMPARE = {
    schema.Comparator.eq: lambda got, want: got == want,
    schema.Comparator.ge: lambda got, want: got >= want,
    schema.Comparator.gt: lambda got, want: got > want,
    schema.Comparator.le: lambda got, want: got <= want,
    schema.Comparator.lt: lambda got, want: got < want,
}


@dataclass(frozen=True)
class Source:
    """Where a result comes from (schema.ResultSource), with the plan it belongs to."""

    source: schema.ResultSource
    folder: Path | None = None  # the folder of the results file that names it: its kept copy's is relative to it

    @property
    def kind_label(self) -> str:
        return SOURCE_KIND_LABELS[self.source.kind]

    @property
    def kept_path(self) -> Path | None:
        copy = self.source.kept_copy
        return self.folder / copy.file if copy and self.folder else None

    @property
    def kept_name(self) -> str | None:
        """The kept copy's file name beside the plan's page: by the source's id, unique in the plan."""
        copy = self.source.kept_copy
        return f"nguon-{self.source.id}{PurePosixPath(copy.file).suffix.lower()}" if copy else None


@dataclass(frozen=True)
class ResultPoint:
    """One reported result of a target, with what it says of the target."""

    result: schema.TargetResult
    source: Source
    status: Status | None  # None: the source gives a value the portal cannot compare (a target with no value)
    counted: bool  # dated on or before the as-of date: it decides the status

    @property
    def value(self) -> Decimal | None:
        return self.result.value


@dataclass(frozen=True)
class TargetProgress:
    """A target's status as of the build's date, and every result reported for it, oldest first."""

    target: TargetFacts
    status: Status
    results: tuple[ResultPoint, ...]

    @property
    def number(self) -> int:
        return self.target.number

    @property
    def latest(self) -> ResultPoint | None:
        counted = [r for r in self.results if r.counted]
        return counted[-1] if counted else None

    @property
    def later(self) -> tuple[ResultPoint, ...]:
        """Results dated after the as-of date: shown, not counted."""
        return tuple(r for r in self.results if not r.counted)


def result_status(target: TargetFacts, result: schema.TargetResult) -> Status | None:
    """What one result says of its target: parts met, the status the source records, or its value against the
    target's (the comparator honoured)."""
    if target.parts and result.parts_met:
        met = set(result.parts_met)
        return Status.met if met >= set(target.parts) else Status.partly_met
    if result.status is not None:
        return _RECORDED[result.status]
    if result.value is not None and target.comparator is not None and target.value is not None:
        return Status.met if _COMPARE[target.comparator](result.value, target.value) else Status.not_met
    return None


def progress_of(
    target: TargetFacts, results: Iterable[tuple[schema.TargetResult, Source]], as_of: dt.date | None
) -> TargetProgress:
    """The target's status as of `as_of` (None: every result counts, and no deadline is known to have passed)."""
    ordered = sorted(results, key=lambda item: schema.date_span(item[0].date))
    points = tuple(
        ResultPoint(r, source, result_status(target, r), as_of is None or _known_by(r, source, as_of))
        for r, source in ordered
    )
    counted = [p for p in points if p.counted and p.status is not None]
    if counted:
        status = counted[-1].status
    elif as_of is not None and target.deadline_year is not None and as_of.year > target.deadline_year:
        status = Status.overdue
    else:
        status = Status.unreported
    return TargetProgress(target, status, points)


def _known_by(result: schema.TargetResult, source: Source, as_of: dt.date) -> bool:
    """Whether a result was there to know on `as_of`: the time it speaks of has begun, and its source, where
    dated, was out."""
    if schema.date_span(result.date)[0] > as_of:
        return False
    return source.source.date is None or schema.date_span(source.source.date)[0] <= as_of


def plan_progress(
    targets: tuple[TargetFacts, ...], sources: list[Source], found: schema.PlanResults | None, as_of: dt.date | None
) -> list[TargetProgress]:
    """Each of a plan's targets, in order, with its status and results."""
    by_target: dict[int, list[tuple[schema.TargetResult, Source]]] = {}
    if found is not None:
        sources = {s.source.id: s for s in sources}
        for result in found.results:
            by_target.setdefault(result.target, []).append((result, sources[result.source]))
    return [progress_of(t, by_target.get(t.number, ()), as_of) for t in targets]


@dataclass(frozen=True)
class StatusShare:
    status: Status
    count: int
    percent: Decimal  # of all targets counted, to one decimal: the width of its part of the bar

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class StatusCounts:
    """Targets counted by status, in a fixed order (met first, unreported last)."""

    counts: tuple[tuple[Status, int], ...]

    @classmethod
    def of(cls, progress: Iterable[TargetProgress]) -> StatusCounts:
        return cls.counting(p.status for p in progress)

    @classmethod
    def counting(cls, statuses: Iterable[Status]) -> StatusCounts:
        found = dict.fromkeys(Status, 0)
        for status in statuses:
            found[status] += 1
        return cls(tuple(found.items()))

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, status: Status) -> int:
        return dict(self.counts)[status]

    @property
    def shares(self) -> list[StatusShare]:
        """The statuses that have targets, with their share of all: the parts of the progress bar."""
        total = self.total
        return [
            StatusShare(status, n, (Decimal(100 * n) / total).quantize(Decimal("0.1")))
            for status, n in self.counts
            if n
        ]

    @property
    def reported(self) -> int:
        return self.total - self.count(Status.overdue) - self.count(Status.unreported)


@dataclass(frozen=True)
class TimelinePoint:
    """One point of a target's timeline: the baseline the plan states (kỳ trước), a reported result, the target."""

    label: str  # «Kỳ trước», «Kết quả», «Chỉ tiêu»
    when: str | None  # a partial date (dd/mm/yyyy, mm/yyyy, yyyy) or the baseline's period as the plan words it
    value: Decimal | None
    text: str | None  # the words of the plan or the source
    result: ResultPoint | None = None
    inferred: bool = False  # the target's deadline is the plan period's end, as the editors infer it


def timeline(progress: TargetProgress, baseline: schema.ReportedResult | None) -> list[TimelinePoint]:
    """The target's baseline, its reported results oldest first, then the target at its deadline."""
    points = []
    if baseline is not None:
        points.append(TimelinePoint("Kỳ trước", baseline.period, baseline.value, baseline.statement))
    for point in progress.results:
        r = point.result
        points.append(TimelinePoint("Kết quả", r.date, r.value, r.statement, point))
    target = progress.target
    when = str(target.deadline_year) if target.deadline_year is not None else None
    points.append(TimelinePoint("Chỉ tiêu", when, target.value, None, inferred=target.deadline_inferred))
    return points

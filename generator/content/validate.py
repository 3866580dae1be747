"""Validate: check loaded content against the schema and across files.

Returns typed content or raises `ContentErrors` with every problem found, each
naming file, line, column and field in words an editor understands.
"""

from __future__ import annotations

import logging
import os
import pickle
import stat
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from generator.content import privacy, schema
from generator.content.facts import PlanFacts, facts_of
from generator.content.load import BUDGET_CATEGORIES_FILE, MAX_SOURCE_BYTES, ContentTree, Document, sha256, too_large
from generator.content.messages import validated
from generator.errors import ContentError, ContentErrors, display_path

CLASSIFIED = {schema.Classification.confidential, schema.Classification.secret, schema.Classification.top_secret}

_log = logging.getLogger(__name__)


class Models:
    """Each file's validated model by its display path: validated now, or kept by the previous build for a
    file whose bytes are unchanged. `kept`: the previous build's (display → (digest, model or its pickled
    bytes, may hold personal data, plan facts)), from the store; a kept model is unpickled only when asked
    for, so a rebuild reads only the models of the pages it makes."""

    def __init__(self, kept: dict | None):
        self._kept = kept or {}
        self.made: dict[str, object] = {}  # display → model, or its pickled bytes while not asked for
        self.facts: dict[str, PlanFacts] = {}  # display → a plan's facts

    def kept(self, doc: Document) -> tuple | None:
        entry = self._kept.get(doc.display)
        return entry if entry is not None and doc.digest and entry[0] == doc.digest else None

    def validated(self, doc: Document, model: type[BaseModel], errors: list[ContentError]):
        """The file's model: kept, or validated now (None, with the errors, when it is not valid)."""
        if (entry := self.kept(doc)) is not None and entry[1] is not None:
            self.made[doc.display] = entry[1]
            if isinstance(found := self.model(doc.display), model):
                return found
        made = validated(doc, model, errors)
        if made is not None:
            self.made[doc.display] = made
        return made

    def model(self, display: str):
        made = self.made[display]
        if isinstance(made, bytes):
            made = self.made[display] = pickle.loads(made)
        return made

    def pack(self, docs: Iterable[Document]) -> None:
        """Keeps the models of `docs` as pickled bytes (as `remember` keeps them) and lets go of the files' parsed
        data and positions (read again if asked for): the national step reads no plan's model, and holds of each
        plan its facts alone, whatever the country's size (docs/shards.md)."""
        for doc in docs:
            made = self.made.get(doc.display)
            if made is not None and not isinstance(made, bytes):
                self.made[doc.display] = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
            doc.data, doc.marks, doc.key_marks, doc.marked = None, {}, {}, False

    def remember(self, cache: dict, tree: ContentTree) -> None:
        """Keeps each file's model (pickled bytes, if not unpickled) and, for a plan, its facts in `cache` for
        the next build, by display path; files no longer there are dropped."""
        docs = [
            *tree.units.values(),
            *tree.plans.values(),
            *tree.agencies.values(),
            *tree.results.values(),
            *(d for d in (tree.indicators, tree.budget_categories) if d),
        ]
        cache.clear()
        for doc in docs:
            if doc.display in self.made and doc.digest:
                cache[doc.display] = (
                    doc.digest,
                    self.made[doc.display],
                    doc.may_hold_personal_data,
                    self.facts.get(doc.display),
                    doc.privacy,
                )


class Plans(Mapping):
    """Each valid plan's model by id, read when asked for (Models.model)."""

    def __init__(self, tree: ContentTree, ids: Mapping[str, object], models: Models):
        self._docs, self._ids, self._models = tree.plans, ids, models

    def __getitem__(self, pid: str) -> schema.Plan:
        if pid not in self._ids:
            raise KeyError(pid)
        return self._models.model(self._docs[pid].display)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class ValidContent:
    tree: ContentTree
    units: dict[str, schema.Unit]
    plans: Plans
    indicators: dict[str, schema.Indicator]
    agencies: dict[str, schema.AgencyRegistry]  # unit id → registry
    facts: dict[str, PlanFacts]  # plan id → what the views over many plans need of it
    models: Models  # every file's model, for the next build (Models.remember)
    budget_categories: dict[str, schema.BudgetCategory] = field(default_factory=dict)
    results: dict[str, schema.PlanResults] = field(default_factory=dict)  # plan id → its reported results
    # What the build shows without refusing: each reviewed privacy exception used (validate logs them too).
    notices: list[str] = field(default_factory=list)


def validate(tree: ContentTree, load_errors: list[ContentError] = (), kept: dict | None = None) -> ValidContent:
    """Checks the loaded content against the schema and across files; `kept`: the models the previous build
    validated (Models), taken for the files whose bytes are unchanged."""
    errors = list(load_errors)
    models = Models(kept)
    units = {uid: m for uid, doc in tree.units.items() if (m := models.validated(doc, schema.Unit, errors))}
    facts: dict[str, PlanFacts] = {}
    # Plans whose source text is read for personal data: those validated now (a file kept by the previous build
    # was looked at by it, and its source text is the one its SHA-256 names) and those whose file may hold
    # personal data or declares exceptions (looked at in every build).
    read_source = set()
    for pid, doc in tree.plans.items():
        entry = models.kept(doc)
        if entry is not None and entry[3] is not None:  # a file kept by the previous build passed these checks
            models.made[doc.display], plan_facts = entry[1], entry[3]
            if doc.may_hold_personal_data:
                read_source.add(pid)
        else:
            if (plan := models.validated(doc, schema.Plan, errors)) is None:
                continue
            _check_plan_alone(plan, doc, errors)
            plan_facts = facts_of(plan)
            read_source.add(pid)
        facts[pid] = models.facts[doc.display] = plan_facts
    indicators = _catalogue(tree.indicators, schema.IndicatorCatalogue, "indicators", "mã chỉ số", models, errors)
    categories = _catalogue(
        tree.budget_categories, schema.BudgetCategories, "categories", "mã nhóm chi", models, errors
    )

    agencies: dict[str, schema.AgencyRegistry] = {}
    for uid, doc in tree.agencies.items():
        if uid not in tree.units:
            errors.append(doc.error((), f"danh mục cơ quan nằm trong thư mục «{uid}» không có unit.yml"))
        if registry := models.validated(doc, schema.AgencyRegistry, errors):
            seen: set[str] = set()
            for i, agency in enumerate(registry.agencies):
                if agency.id in seen:
                    errors.append(doc.error(("agencies", i, "id"), f"mã cơ quan «{agency.id}» bị trùng"))
                seen.add(agency.id)
            agencies[uid] = registry

    for uid, unit in units.items():
        _check_unit(uid, unit, tree.units[uid], tree, errors)
    root = tree.root.resolve()  # once: resolving is a system call per path component
    folders: dict[Path, Path] = {}  # each plan folder resolved once
    in_sources: dict[str, list[tuple[ContentError, str]]] = {}  # plan id → what its source text holds, if read
    for pid, plan in facts.items():
        _check_plan_across(
            pid,
            plan,
            tree.plans[pid],
            tree,
            root,
            folders,
            indicators,
            errors,
            in_sources if pid in read_source else None,
        )
        for loc, code in plan.category_codes:
            if code not in categories:
                errors.append(
                    tree.plans[pid].error(
                        loc,
                        f"mã nhóm chi «{code}» không có trong content/{BUDGET_CATEGORIES_FILE}"
                        + (f" (có: {', '.join(sorted(categories))})" if categories else ""),
                    )
                )
    _check_duplicates(facts, tree, errors)
    results = {
        pid: found
        for pid, doc in tree.results.items()
        if (found := _checked_results(pid, doc, tree, facts, models, root, folders, errors)) is not None
    }
    notices = _check_personal_data(tree, in_sources, errors)
    if errors:
        raise ContentErrors(errors)
    for notice in notices:  # on stderr, in every build and check: an exception used is never silent
        _log.warning(notice)
    return ValidContent(
        tree, units, Plans(tree, facts, models), indicators, agencies, facts, models, categories, results, notices
    )


# --------------------------------------------------------------------------- across files


def _catalogue(
    doc: Document | None, model: type[BaseModel], items: str, what: str, models: Models, errors: list[ContentError]
) -> dict:
    """A catalogue file's entries by their code (indicators.yml, budget_categories.yml); a code written twice is an
    error."""
    found: dict = {}
    if doc and (catalogue := models.validated(doc, model, errors)):
        for i, entry in enumerate(getattr(catalogue, items)):
            if entry.code in found:
                errors.append(doc.error((items, i, "code"), f"{what} «{entry.code}» bị trùng"))
            found[entry.code] = entry
    return found


def _check_unit(uid: str, unit: schema.Unit, doc: Document, tree: ContentTree, errors: list[ContentError]) -> None:
    folder_parent = uid.rsplit("/", 1)[0] if "/" in uid else None
    if unit.parent != folder_parent:
        expected = f"«{folder_parent}» (thư mục cha)" if folder_parent else "để trống (đơn vị cấp cao nhất)"
        if unit.parent is None:
            errors.append(
                doc.error(("parent",), f"thiếu «parent»: đơn vị nằm trong thư mục «{folder_parent}», cần {expected}")
            )
        else:
            errors.append(doc.error(("parent",), f"đơn vị cấp trên «{unit.parent}» không khớp thư mục; cần {expected}"))
    if unit.parent and unit.parent not in tree.units:
        errors.append(doc.error(("parent",), f"không có đơn vị «{unit.parent}» (thiếu {unit.parent}/unit.yml)"))


def _check_plan_alone(plan: schema.Plan, doc: Document, errors: list[ContentError]) -> None:
    """What the plan's file must satisfy by itself, beyond the schema."""
    if plan.classification in CLASSIFIED:
        errors.append(
            doc.error(
                ("classification",),
                f"văn bản có độ mật «{plan.classification.value}» không bao giờ được công bố; "
                "hãy xóa tệp khỏi content/",
            )
        )
    from generator.content.document_numbers import number_problem

    for i, basis in enumerate(plan.legal_bases):
        if basis.number and (problem := number_problem(basis.number)):
            errors.append(doc.error(("legal_bases", i, "number"), problem))
    if plan.period.end < plan.period.start:
        errors.append(
            doc.error(("period", "end"), f"năm kết thúc {plan.period.end} trước năm bắt đầu {plan.period.start}")
        )
    seen_tables: set[str] = set()
    for t, table in enumerate(plan.budget_tables):
        if table.id in seen_tables:
            errors.append(doc.error(("budget_tables", t, "id"), f"mã bảng «{table.id}» bị trùng trong kế hoạch"))
        seen_tables.add(table.id)
        keys = [c.key for c in table.columns]
        allowed = ", ".join(keys)
        for attr in ("declared_total", "declared_total_printed"):
            for key in getattr(table, attr):
                if key not in keys:
                    errors.append(
                        doc.error(("budget_tables", t, attr, key), f"cột «{key}» không có trong «columns» ({allowed})")
                    )
        for g, group in enumerate(table.groups):
            for attr in ("declared", "printed"):
                for key in getattr(group, attr):
                    if key not in keys:
                        errors.append(
                            doc.error(
                                ("budget_tables", t, "groups", g, attr, key),
                                f"cột «{key}» không có trong «columns» ({allowed})",
                            )
                        )
            for n, line in enumerate(group.lines):
                for attr in ("amounts", "printed"):
                    for key in getattr(line, attr):
                        if key not in keys:
                            errors.append(
                                doc.error(
                                    ("budget_tables", t, "groups", g, "lines", n, attr, key),
                                    f"cột «{key}» không có trong «columns» ({allowed})",
                                )
                            )


def _check_plan_across(
    pid: str,
    plan: PlanFacts,
    doc: Document,
    tree: ContentTree,
    root: Path,
    folders: dict[Path, Path],
    indicators: dict[str, schema.Indicator],
    errors: list[ContentError],
    in_sources: dict[str, list[tuple[ContentError, str]]] | None = None,
) -> None:
    """What the plan must agree with in other files: its unit, the plans it names, the indicator catalogue,
    its source document. From its facts: checked again in every build, the model read or not. With
    `in_sources`, what the source text holds that must not be published goes there (_source_findings)."""
    unit_id = pid.rsplit("/", 1)[0] if "/" in pid else ""
    if unit_id not in tree.units:
        errors.append(
            doc.error(
                (),
                f"kế hoạch nằm trong thư mục «{unit_id or 'content'}» không có unit.yml; "
                "mỗi kế hoạch phải nằm trong thư mục của đơn vị ban hành",
            )
        )
    if plan.reviews and plan.reviews not in tree.plans:
        errors.append(doc.error(("reviews",), f"không có kế hoạch «{plan.reviews}» trong content/"))
    for target in plan.indicator_targets:
        n, code = target.number, target.code
        if code not in indicators:
            errors.append(
                doc.error(
                    ("targets", n - 1, "indicator_code"), f"mã chỉ số «{code}» không có trong content/indicators.yml"
                )
            )
    for loc, source_plan in plan.source_plans:
        if source_plan not in tree.plans:
            errors.append(doc.error(loc, f"không có văn bản «{source_plan}» trong content/"))
    if oversized := _oversized_source(doc, plan.source_file, tree.root):
        errors.append(oversized)
        return
    source = _checked_file(
        doc, plan.source_file, plan.source_sha256, ("source_document",), "tệp văn bản gốc", root, folders, tree, errors
    )
    if source is not None and in_sources is not None:
        in_sources[pid] = _source_findings(source, tree.root)
    if plan.original:
        _checked_file(doc, *plan.original, ("source_document", "original"), "tệp gốc", root, folders, tree, errors)


def _checked_results(
    pid: str,
    doc: Document,
    tree: ContentTree,
    facts: dict[str, PlanFacts],
    models: Models,
    root: Path,
    folders: dict[Path, Path],
    errors: list[ContentError],
) -> schema.PlanResults | None:
    """A plan's results file (<plan>.ket-qua.yml): valid by itself, and each result answering a target of its plan,
    in its unit, dated within the plan's time, from a source of the file."""
    if (found := models.validated(doc, schema.PlanResults, errors)) is None:
        return None
    if pid not in tree.plans:
        errors.append(doc.error((), f"tệp kết quả không có kế hoạch bên cạnh: cần tệp «{pid.rsplit('/', 1)[-1]}.yml»"))
        return None
    before = len(errors)
    plan = facts.get(pid)
    for i, source in enumerate(found.sources):
        loc = ("sources", i)
        errors += [doc.error((*loc, *at), message) for at, message in source_problems(source, pid, tree.plans, facts)]
        if source.kept_copy is not None:
            copy = source.kept_copy
            if not (oversized := _oversized_source(doc, copy.file, tree.root)):
                _checked_file(doc, copy.file, copy.sha256, (*loc, "kept_copy"), "bản lưu", root, folders, tree, errors)
            else:
                errors.append(oversized)
    if plan is None:  # the plan is not valid: its errors are reported
        return None
    errors += [doc.error(loc, message) for loc, message in result_problems(found, plan)]
    return found if len(errors) == before else None


def source_problems(
    source: schema.ResultSource, pid: str, plans: Container[str], facts: Mapping[str, PlanFacts]
) -> list[tuple[tuple, str]]:
    """(where in the source, message) of what a source of plan `pid`'s results file names wrongly: a later plan
    that is not in `plans` (the plan ids in content/) or does not review `pid` (its `facts`, when valid), or no
    link, kept copy or plan at all. The build and `make import-results` share it; the kept copy's file is the
    build's to check."""
    problems: list[tuple[tuple, str]] = []
    if source.plan is not None:
        if source.kind is not schema.ResultSourceKind.later_plan:
            problems.append((("plan",), "«plan» chỉ dùng với nguồn loại «ke-hoach-sau»"))
        elif source.plan not in plans:
            problems.append((("plan",), f"không có kế hoạch «{source.plan}» trong content/"))
        elif (later := facts.get(source.plan)) is not None and later.reviews != pid:
            problems.append(
                (
                    ("plan",),
                    f"kế hoạch «{source.plan}» không ghi «reviews: {pid}»: chỉ kế hoạch đánh giá kế hoạch "
                    "này mới là nguồn loại «ke-hoach-sau» của nó",
                )
            )
    elif source.kind is schema.ResultSourceKind.later_plan:
        problems.append((("plan",), "nguồn loại «ke-hoach-sau» cần «plan»: mã kế hoạch sau trên cổng"))
    if source.url is None and source.kept_copy is None and source.plan is None:
        problems.append(((), "nguồn cần liên kết («url»), bản lưu («kept_copy») hoặc kế hoạch trên cổng («plan»)"))
    return problems


def result_problems(found: schema.PlanResults, plan: PlanFacts) -> list[tuple[tuple, str]]:
    """(where in the results file, message) of each result that does not answer a target of `plan`, in its unit,
    dated within the plan's time, from a source of the file, once. The build and `make import-results` share it."""
    problems: list[tuple[tuple, str]] = []
    sources = {source.id for source in found.sources}
    plan_starts = (
        schema.date_span(plan.signed_date)[0] if plan.signed_date else schema.date_span(str(plan.period[0]))[0]
    )
    seen: set[tuple] = set()
    for i, result in enumerate(found.results):
        loc = ("results", i)
        if result.source not in sources:
            known = ", ".join(sorted(sources)) or "chưa có nguồn nào"
            problems.append(((*loc, "source"), f"không có nguồn «{result.source}» ở «sources» (có: {known})"))
        if result.target > len(plan.targets):
            problems.append(
                ((*loc, "target"), f"kế hoạch có {len(plan.targets)} chỉ tiêu; không có chỉ tiêu số {result.target}")
            )
            continue
        target = plan.targets[result.target - 1]
        problems += [((*loc, field), message) for field, message in _result_problems(result, target)]
        if schema.date_span(result.date)[1] < plan_starts:
            problems.append(
                (
                    (*loc, "date"),
                    f"kết quả tính đến {result.date}, trước kế hoạch ({plan.signed_date or plan.period[0]})",
                )
            )
        if (key := (result.target, result.date, result.source)) in seen:
            problems.append((loc, f"chỉ tiêu số {result.target} đã có kết quả tính đến {result.date} từ nguồn này"))
        seen.add(key)
    return problems


def _result_problems(result: schema.TargetResult, target) -> list[tuple[str, str]]:
    """(field, message) of what a result says that its target (content.facts.TargetFacts) does not allow."""
    n = target.number
    problems = []
    if result.value is not None:
        if target.value is None:
            problems.append(
                (
                    "value",
                    f"chỉ tiêu số {n} không có giá trị số (chỉ tiêu định tính): ghi «status» (dat, chua-dat) "
                    "và «statement» như nguồn ghi",
                )
            )
        elif result.unit and target.unit and result.unit.strip().casefold() != target.unit.strip().casefold():
            problems.append(
                (
                    "unit",
                    f"giá trị tính bằng «{result.unit}», chỉ tiêu số {n} tính bằng «{target.unit}»: cần cùng đơn vị",
                )
            )
    elif result.status is None and not result.parts_met:
        problems.append(("value", "kết quả cần «value» (giá trị số) hoặc «status» (dat, chua-dat) như nguồn ghi"))
    if result.parts_met or result.status is schema.ResultStatus.partly_met:
        if not target.parts:
            field = "parts_met" if result.parts_met else "status"
            problems.append((field, f"chỉ tiêu số {n} không chia phần («parts»): không có «đạt một phần»"))
        for part in result.parts_met:
            if target.parts and part not in target.parts:
                named = ", ".join(f"«{p}»" for p in target.parts)
                problems.append(("parts_met", f"chỉ tiêu số {n} không có phần «{part}» (có: {named})"))
    return problems


def _oversized_source(doc: Document, name: str, root: Path) -> ContentError | None:
    """The size error of the plan's source document, if it is over its limit (it is published as it is)."""
    path = doc.path.parent / name.strip()
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, or not a name the system takes: _checked_file says so
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size <= MAX_SOURCE_BYTES:
        return None
    return too_large(display_path(path, root), st.st_size, MAX_SOURCE_BYTES, "văn bản gốc")


def _checked_file(
    doc: Document,
    file: str,
    expected: str,
    loc: tuple,
    what: str,
    root: Path,
    folders: dict[Path, Path],
    tree: ContentTree,
    errors: list[ContentError],
) -> Path | None:
    """A file the plan names beside it, with its SHA-256: the path when it is there inside content/ (a wrong
    checksum is an error too), None otherwise (with the error)."""
    path = _resolved(doc.path.parent, file, folders)
    try:
        found = path.is_file()
    except OSError:
        found = False
    if Path(file).is_absolute() or not path.is_relative_to(root):
        errors.append(
            doc.error(
                (*loc, "file"),
                f"{what} phải nằm trong thư mục content/, ghi đường dẫn "
                "tương đối với tệp kế hoạch (không dùng đường dẫn tuyệt đối hay «..» ra ngoài)",
            )
        )
        return None
    if not found:
        errors.append(doc.error((*loc, "file"), f"không tìm thấy {what} «{file}»"))
        return None
    if (digest := sha256(path, tree.digests)) != expected:
        errors.append(doc.error((*loc, "sha256"), f"SHA-256 không khớp {what}; tệp có {digest}"))
    return path


def _resolved(folder: Path, file: str, folders: dict[Path, Path]) -> Path:
    """(folder / file).resolve(), with each folder resolved once: a file named without a folder, not a link,
    resolves to itself in the resolved folder."""
    if folder not in folders:
        folders[folder] = folder.resolve()
    if "/" not in file and file not in (".", "..") and not os.path.islink(folders[folder] / file):
        return folders[folder] / file
    return (folder / file).resolve()


def _check_duplicates(plans: dict[str, PlanFacts], tree: ContentTree, errors: list[ContentError]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for pid, plan in sorted(plans.items()):
        if not plan.number or plan.number.startswith("/"):
            continue
        key = (plan.issuer.casefold(), plan.number.casefold())
        if key in seen:
            errors.append(
                tree.plans[pid].error(
                    ("number",), f"số văn bản «{plan.number}» của «{plan.issuer}» đã dùng cho kế hoạch «{seen[key]}»"
                )
            )
        else:
            seen[key] = pid


# --------------------------------------------------------------------------- personal data, classification stamps


def _check_personal_data(
    tree: ContentTree, in_sources: dict[str, list[tuple[ContentError, str]]], errors: list[ContentError]
) -> list[str]:
    """Personal data and classification stamps in the content files, a plan's Markdown and its source text
    (generator.privacy) are errors, unless the plan lets that very text through with a reviewed exception.
    Returns a line for each exception used; an exception that matches nothing is an error."""
    for doc in [
        *tree.units.values(),
        *tree.agencies.values(),
        *tree.results.values(),
        *(d for d in (tree.indicators, tree.budget_categories) if d),
    ]:
        errors += [error for error, _ in _yaml_findings(doc, exceptions=False)]
    notices: list[str] = []
    for pid, doc in tree.plans.items():
        found = _yaml_findings(doc, exceptions=True)
        narrative = tree.narratives.get(pid)
        if narrative and privacy.possible(narrative):
            found += _text_findings(narrative, display_path(doc.path.with_suffix(".md"), tree.root))
        found += in_sources.get(pid, [])
        allowed = _exceptions(doc)
        by_text: dict[str, list[int]] = {}
        for i, item in allowed:
            by_text.setdefault(privacy.key(item["text"]), []).append(i)
        used: dict[int, list[ContentError]] = {}
        for error, text in found:
            if (matching := by_text.get(privacy.key(text))) is None:
                errors.append(error)
            for i in matching or ():
                used.setdefault(i, []).append(error)
        for i, item in allowed:
            loc = (privacy.EXCEPTIONS_FIELD, i, "text")
            if i in used:
                notices.append(str(doc.error(loc, _notice(item, used[i]))))
            elif pid in in_sources:  # everything it could match was read
                errors.append(
                    doc.error(
                        loc,
                        f"ngoại lệ «{item['text']}» không khớp chuỗi nào mà kiểm tra dữ liệu cá nhân, "
                        "độ mật tìm thấy trong kế hoạch, phần lời văn (.md) hay văn bản gốc; hãy xóa mục "
                        "này (ngoại lệ phải chép đúng chuỗi trong thông báo lỗi)",
                    )
                )
    return notices


def _yaml_findings(doc: Document, *, exceptions: bool) -> list[tuple[ContentError, str]]:
    """(error, text found) for each finding in a YAML file's strings; `exceptions`: the file is a plan's."""
    return list(_privacy(doc, exceptions)[0])  # a copy: the caller adds to it


def _privacy(doc: Document, plan: bool) -> tuple[list[tuple[ContentError, str]], list[tuple[int, dict]]]:
    """(the findings in the file's strings, the exceptions it declares), from the file's data; kept with the file's
    model for the next build (Models.remember), which takes it while the file's bytes are the same."""
    if doc.privacy is not None:
        return doc.privacy
    if not doc.may_hold_personal_data:  # privacy.possible found nothing to look at (a declaration counts)
        return ([], [])
    if doc.data is None:
        doc.reread()
    found = [
        (doc.error(loc, privacy.message(kind, text_found, exceptions=plan)), text_found)
        for loc, text in privacy.strings(doc.data)
        for _, kind, text_found in privacy.findings(text)
    ]
    doc.privacy = (found, _declared(doc.data) if plan else [])
    return doc.privacy


def _text_findings(text: str, display: str) -> list[tuple[ContentError, str]]:
    """(error, text found) for each finding in a text file (a plan's Markdown, its source text), by line."""
    out = []
    for offset, kind, found in privacy.findings(text):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        out.append((ContentError(display, line, column, "", privacy.message(kind, found, exceptions=True)), found))
    return out


def _source_findings(source: Path, root: Path) -> list[tuple[ContentError, str]]:
    """What a plan's source text (published as van-ban-goc.txt) holds that must not be published."""
    try:
        text = source.read_bytes().decode("utf-8", "replace")
    except OSError:
        return []
    return _text_findings(text, display_path(source, root)) if privacy.possible(text) else []


def _exceptions(doc: Document) -> list[tuple[int, dict]]:
    """(index, item) of the plan's exceptions that name a text (_privacy)."""
    return _privacy(doc, True)[1]


def _declared(data) -> list[tuple[int, dict]]:
    items = data.get(privacy.EXCEPTIONS_FIELD) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [
        (i, item)
        for i, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip()
    ]


def _notice(item: dict, places: list[ContentError]) -> str:
    where = ", ".join(dict.fromkeys(f"{e.file}:{e.line}" for e in sorted(places)))
    return (
        f"lưu ý: công bố «{' '.join(item['text'].split())}» theo ngoại lệ đã duyệt (có ở {where}); "
        f"lý do: {item.get('reason')}; người duyệt: {item.get('reviewed_by')}, ngày {item.get('reviewed_on')}"
    )

"""Every page of the portal, in navigation order: a plain list of page builders, each `builder(portal) ->
list[PageSpec]`. Adding a page type means adding one builder to BUILDERS.

Pages are Markdown or HTML whose tables are HTML blocks; links between pages are relative, so the site
works under any subpath.
"""

from __future__ import annotations

import functools
import hashlib

from generator.errors import BuildError
from generator.incremental.store import PlanChunks, kept_or_made
from generator.model.agencies import INDEX_URL as AGENCIES_FOLDER
from generator.model.legal_documents import INDEX_URL as LEGAL_FOLDER
from generator.model.provinces import provinces_view
from generator.model.results import StatusCounts
from generator.model.views import PlanView, Portal
from generator.outputs import (
    agency_pages,
    catalogue,
    corrections,
    downloads,
    embeds,
    feeds,
    legal_pages,
    places,
    release_pages,
    templates,
)
from generator.outputs.spec import LIST_LIMIT, PageSpec, by_province, page_url, pages_of

PROVINCES_TITLE = "Tỉnh, thành phố"
PROVINCES_PAGE = "tinh-thanh-pho/index.md"  # the «Tỉnh, thành phố» section's own page (its index in the menu)
SITEMAP, SITEMAP_TITLE = "so-do-trang/", "Sơ đồ trang"


def _page(
    src: str, template: str, title: str, nav: tuple[str, ...] | None, files=None, units=None, depends="", **context
) -> PageSpec:
    return PageSpec(src, template, title, nav, context, files if files is not None else {}, units, depends)


def home(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    statuses = target_statuses(portal, kept)
    every = StatusCounts.counting(status for plan in portal.plans for status in statuses[plan.id])
    return [_page("index.md", "home.md.j2", "Trang chủ", (), status_counts=every)]


def target_statuses(portal: Portal, kept: PlanChunks | None) -> dict[str, tuple]:
    """Each plan's targets' statuses, in its order, by plan id: kept by the plan's unit's key (its results file and
    the date statuses are computed at are in it), so that a rebuild does not work out every plan's targets again
    for the summaries over many plans (the home page's, the indicators')."""
    if "target-statuses" not in portal.derived:
        made = kept_or_made(
            kept,
            "target-statuses",
            [(plan.id, plan.id, functools.partial(_statuses_of, plan)) for plan in portal.plans],
        )
        portal.derived["target-statuses"] = {plan.id: statuses for plan, statuses in zip(portal.plans, made)}
    return portal.derived["target-statuses"]


def _statuses_of(plan: PlanView) -> tuple:
    return tuple(progress.status for progress in plan.progress)


def provinces(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The «Tỉnh, thành phố» page, which the menu's section opens: today's 34 provinces and cities (those the portal
    has, linked) and the units as they were before 01/7/2025. It names every unit: drawn from the whole portal."""
    return [
        _page(PROVINCES_PAGE, "provinces.html.j2", PROVINCES_TITLE, (PROVINCES_TITLE,), view=provinces_view(portal))
    ]


UNIT_BUDGET = "kinh-phi/"  # a unit's budget by year, past LIST_LIMIT plans: <unit>/kinh-phi/<year>/


def budget_year_pages(portal: Portal, unit) -> str | None:
    """Where a unit's budget is, year by year, when its periods list more than LIST_LIMIT plans (a province's page
    listed every plan of every period: 101 KB at 2,100 plans, some forty times that across a real province); None
    when its page has it all."""
    if len(unit.all_plans) <= LIST_LIMIT:  # no period lists more plans than the unit has
        return None
    listed = {plan.id for period in portal.budget_of(unit).periods for plan in period.plans}
    return f"{unit.id}/{UNIT_BUDGET}" if len(listed) > LIST_LIMIT else None


def units_and_plans(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """Each unit's page (past LIST_LIMIT plans in its budget, a page per year of it), then its plans' pages and
    their histories."""
    specs = []
    rank = {province.id: n for n, province in enumerate(portal.provinces)}  # the navigation lists them in this order
    for unit in sorted(portal.units.values(), key=lambda u: rank[u.province.id]):
        subtree = frozenset(u.id for u in unit.subtree)
        year_pages = budget_year_pages(portal, unit)
        # Provinces are listed in the navigation; districts and plans are reached from their pages
        # (breadcrumbs, lists): a navigation of thousands of entries cost most of MkDocs' time.
        specs.append(
            _page(
                f"{unit.id}/index.md",
                "unit.html.j2",
                unit.unit.name,
                None if unit.parent else (PROVINCES_TITLE,),
                functools.partial(_unit_files, portal, kept, unit, year_pages),
                units=subtree,
                unit=unit,
                budget_year_pages=year_pages,
            )
        )
        for year, *periods in portal.budget_of(unit).years if year_pages else []:
            specs.append(
                _page(
                    f"{year_pages}{year}/index.md",
                    "unit_budget_year.html.j2",
                    f"Kinh phí năm {year}: {unit.unit.name}",
                    None,
                    functools.partial(
                        downloads.budget_period_files,
                        [period for period in periods if period is not None],
                        unit.unit.name,
                        UNIT_BREAKDOWNS,
                        f"{year_pages}{year}/",
                    ),
                    units=subtree,
                    unit=unit,
                    year=year,
                    periods=[period for period in periods if period is not None],
                )
            )
        own = frozenset({unit.id})
        for plan in unit.plans:
            specs.append(
                _page(
                    f"{plan.id}/index.md",
                    "plan.html.j2",
                    plan.nav_title,
                    None,
                    functools.partial(_plan_files, portal, plan),
                    own,
                    plan=plan,
                )
            )
            specs.append(
                _page(
                    f"{plan.id}/lich-su/index.md",
                    "history.html.j2",
                    f"Lịch sử thay đổi: {plan.nav_title}",
                    None,
                    functools.partial(_history_files, plan),
                    units=own,
                    plan=plan,
                )
            )
    return specs


def _history_files(plan: PlanView) -> dict:
    """Beside a plan's history page: its changes as the page lists them."""
    rows = [downloads.change_row(plan, n, change) for n, change in enumerate(plan.history.changes, 1)]
    return downloads.change_files(rows, f"{plan.id}/lich-su/{downloads.CHANGES}")


def _unit_files(portal: Portal, kept: PlanChunks | None, unit, year_pages: str | None) -> dict:
    """The files beside a unit's page: its feed (its plans and its subordinates'), its budget's tables, by year
    and, unless each year is a page of its own (`year_pages`), each period's breakdowns; and a province's, the
    tables of every plan of the province and its page of the DCAT catalogue."""
    budget, folder = portal.budget_of(unit), f"{unit.id}/"
    return {
        **(downloads.province_table_files(portal, kept, unit) if unit.parent is None and unit.all_plans else {}),
        **(catalogue.province_files(portal, unit, kept) if unit.parent is None else {}),
        **feeds.unit_files(portal, unit),
        **downloads.budget_year_files(budget, unit.unit.name, folder),
        **(
            downloads.budget_period_files(budget.periods, unit.unit.name, UNIT_BREAKDOWNS, folder)
            if not year_pages
            else {}
        ),
    }


UNIT_BREAKDOWNS = (downloads.BY_UNIT, downloads.BY_CATEGORY)  # a unit's periods (_macros.j2 budget_periods)


def _plan_files(portal: Portal, plan: PlanView) -> dict:
    """The files beside a plan's page: its data (downloads) and its embeddable widgets (embeds)."""
    return {**downloads.plan_files(portal, plan), **embeds.files(portal, plan, templates.shared_environment())}


def _indicators_files(portal: Portal, kept: PlanChunks | None) -> dict:
    """The indicators' page's files: its catalogue, and every plan's target for an indicator (data/chi-so)."""
    return {**downloads.indicator_catalogue_files(portal), **downloads.table_files(portal, kept, "chi-so")}


def indicators(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The list of indicators, and each indicator's page: its targets in one table, or when they are more than a
    phone carries (LIST_LIMIT) a summary by province, each province's targets on a page of their own that
    depends on that province's entries only."""
    specs = [
        _page(
            "chi-so/index.md",
            "indicators.md.j2",
            "Chỉ số",
            ("Chỉ số",),
            functools.partial(_indicators_files, portal, kept),
        )
    ]
    statuses = target_statuses(portal, kept)

    def counts(entries) -> StatusCounts:
        return StatusCounts.counting(statuses[e.plan.id][e.number - 1] for e in entries)

    for view in portal.indicator_views:
        parts = (
            by_province(portal.provinces, view.entries, lambda e: e.plan.unit) if len(view.entries) > LIST_LIMIT else []
        )
        split = [(province, f"{view.url}{province.id}/", entries) for province, entries in parts]
        specs.append(
            _page(
                f"{view.url}index.md",
                "indicator.html.j2",
                view.indicator.name,
                ("Chỉ số",),
                functools.partial(downloads.indicator_files, portal, kept, view, view.entries, view.url),
                units=frozenset(e.plan.unit.id for e in view.entries),
                view=view,
                entries=None if split else view.entries,
                entries_status=counts(view.entries),
                provinces=split,
                province=None,
            )
        )
        for province, url, entries in split:
            specs.append(
                _page(
                    f"{url}index.md",
                    "indicator.html.j2",
                    f"{view.indicator.name}: {province.unit.name}",
                    None,
                    functools.partial(downloads.indicator_files, portal, kept, view, entries, url),
                    units=frozenset(e.plan.unit.id for e in entries),
                    view=view,
                    entries=entries,
                    entries_status=counts(entries),
                    provinces=[],
                    province=province,
                )
            )
    return specs


DISCLOSURE = "tiep-can-thong-tin/"
BUDGET = "ngan-sach/"
BUDGET_CHECK = "kiem-tra-so-lieu/"


def budget_check_pages(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """Every declared figure that is not the sum of its lines; past LIST_LIMIT of them, the number in each province
    and each province's on a page of its own (246 KB at 2,100 plans)."""
    found = portal.discrepancies
    split = by_province(portal.provinces, found, lambda item: item[0].unit) if len(found) > LIST_LIMIT else []
    return [
        _page(
            "kiem-tra-so-lieu.md",
            "budget_check.md.j2",
            "Kiểm tra số liệu",
            (),
            functools.partial(downloads.table_files, portal, kept, "kiem-tra-so-lieu"),
            discrepancies=None if split else found,
            provinces=[(province, f"{BUDGET_CHECK}{province.id}/", items) for province, items in split],
            province=None,
        ),
        *(
            _page(
                f"{BUDGET_CHECK}{province.id}/index.md",
                "budget_check.md.j2",
                f"Kiểm tra số liệu: {province.unit.name}",
                None,
                units=frozenset(plan.unit.id for plan, _ in items),
                discrepancies=items,
                provinces=[],
                province=province,
            )
            for province, items in split
        ),
    ]


def budget_pages(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The budgets of every plan, year by year. Past LIST_LIMIT plans the page has the table of years, and each
    year a page of its own with its periods by province (each province's page lists its plans' tables): the page
    of every plan for every period was 2 MB at 2,100 plans. A year's page depends on the units whose plans have
    tables of that year, and on their provinces, whose names it shows."""
    years = portal.budget.years if len(portal.plans) > LIST_LIMIT else []
    specs = [
        _page(
            "ngan-sach.md",
            "budget.md.j2",
            "Ngân sách",
            (),
            functools.partial(_budget_files, portal, kept, bool(years)),
            year_pages=BUDGET if years else None,
        )
    ]
    # a province's periods are on its page, or on its own page of the year when it has too many plans for one
    split = {p.id: at for p in portal.provinces if (at := budget_year_pages(portal, p))} if years else {}
    for year, *periods in years:
        periods = [period for period in periods if period is not None]
        plans = {plan.id: plan for period in periods for plan in period.plans}.values()
        specs.append(
            _page(
                f"{BUDGET}{year}/index.md",
                "budget_year.md.j2",
                f"Ngân sách năm {year}",
                None,
                functools.partial(
                    downloads.budget_period_files,
                    periods,
                    BUDGET_SCOPE,
                    (downloads.BY_PROVINCE, downloads.BY_CATEGORY),
                    f"{BUDGET}{year}/",
                ),
                units=frozenset(u.id for plan in plans for u in (plan.unit, *plan.unit.ancestors)),
                year=year,
                periods=periods,
                province_year_pages=split,
            )
        )
    return specs


def _budget_files(portal: Portal, kept: PlanChunks | None, split: bool) -> dict:
    """The budget page's files: every budget line of the portal (data/kinh-phi), its table of budgets by year and,
    unless each year is a page of its own (`split`), each period's breakdowns."""
    files = {
        **downloads.table_files(portal, kept, "kinh-phi"),
        **downloads.budget_year_files(portal.budget, BUDGET_SCOPE, BUDGET),
    }
    if not split:
        files.update(downloads.budget_period_files(portal.budget.periods, BUDGET_SCOPE, UNIT_BREAKDOWNS, BUDGET))
    return files


BUDGET_SCOPE = "Toàn cổng"  # what the portal's own table of budgets by year covers: every plan on the portal


def portal_pages(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The portal's own pages. Each carries the portal tables it offers; the open data page those no
    other page shows. The catalogue of documents (Law on Access to Information) lists them all, or when they are
    more than LIST_LIMIT, the provinces, each province's documents on a page of their own."""
    split = [p for p in portal.provinces if p.all_plans] if len(portal.plans) > LIST_LIMIT else []
    return [
        *budget_check_pages(portal, kept),
        *budget_pages(portal, kept),
        _page(
            "du-lieu-mo.md",
            "open_data.md.j2",
            "Dữ liệu mở",
            (),
            lambda: {
                **downloads.package_files(portal, kept),
                **downloads.table_files(portal, kept, "chi-tieu", "can-cu", "trach-nhiem"),
                **catalogue.files(portal, kept),
            },
        ),
        _page("gioi-thieu.md", "about.md.j2", "Giới thiệu", ()),
        _page("tim-kiem.md", "search.md.j2", "Tìm kiếm", (), lambda: places.files(portal), provinces=portal.provinces),
        _page(
            "tiep-can-thong-tin.md",
            "disclosure.md.j2",
            "Tiếp cận thông tin",
            (),
            lambda: {**feeds.files(portal), **downloads.table_files(portal, kept, "ke-hoach")},
            plans=None if split else portal.plans,
            provinces=[(p, f"{DISCLOSURE}{p.id}/", len(p.all_plans)) for p in split],
            province=None,
        ),
        *(
            _page(
                f"{DISCLOSURE}{province.id}/index.md",
                "disclosure.md.j2",
                f"Tiếp cận thông tin: {province.unit.name}",
                None,
                units=frozenset(u.id for u in province.subtree),
                plans=province.all_plans,
                provinces=[],
                province=province,
            )
            for province in split
        ),
    ]


# The page builders, in navigation order. Adding a page type means adding its builder here.
BUILDERS = (
    home,
    provinces,
    units_and_plans,
    indicators,
    agency_pages.pages,
    legal_pages.pages,
    portal_pages,
    release_pages.pages,
    corrections.pages,
)


def page_specs(portal: Portal, kept: PlanChunks | None = None) -> list[PageSpec]:
    """Every page of the portal, in navigation order, and last the sitemap, which lists them; nothing is
    rendered yet (see render.render_pages). `kept`: the build's store, which the portal-wide tables and
    indexes take each plan's share from while its unit is unchanged (None: everything made now)."""
    _no_province_in_a_portal_folder(portal)
    specs = [spec for builder in BUILDERS for spec in builder(portal, kept)]
    _one_page_an_address(specs)
    return specs + sitemap(portal, specs)


# The site's folders the portal writes files into with no page of its own at their top (the portal's data and DCAT
# catalogue, the theme's files): _one_page_an_address cannot see a province's folder named so.
PORTAL_FOLDERS = ("data", "assets")


def _no_province_in_a_portal_folder(portal: Portal) -> None:
    """Refuses a province's folder named as one of PORTAL_FOLDERS: its files (its page of the DCAT catalogue,
    data/dcat.jsonld) would replace the portal's."""
    for province in portal.provinces:
        if province.id in PORTAL_FOLDERS:
            raise BuildError(
                f"content/{province.id}/: thư mục «{province.id}/» của trang web là của cổng (dữ liệu, tệp giao "
                "diện). Đổi tên thư mục của đơn vị."
            )


def _one_page_an_address(specs: list[PageSpec]) -> None:
    """Refuses two pages at one address: a unit's folder named as a page of the portal («content/ngan-sach/», the
    budget's) had its page silently replaced by the other, and its files mixed with the other's."""
    seen: dict[str, PageSpec] = {}
    for spec in specs:
        other = seen.setdefault(page_url(spec.src), spec)
        if other is spec:
            continue
        units = [s.context["unit"] for s in (other, spec) if s.template == "unit.html.j2" and "unit" in s.context]
        where = f"content/{units[0].id}/: " if units else ""
        raise BuildError(
            f"{where}hai trang cùng một địa chỉ «{page_url(spec.src)}»: «{other.title}» và «{spec.title}». "
            + ("Đổi tên thư mục của đơn vị (tên này là một trang của cổng)." if units else "")
        )


def sitemap(portal: Portal, specs: list[PageSpec]) -> list[PageSpec]:
    """The text sitemap: the pages of each province (its units', plans' and agencies' pages) on a page of their
    own, which a rebuild leaves as it is unless one of those pages' units changed; the other pages and the
    provinces on the main one (one list of a national portal's pages is megabytes)."""
    of_province: dict[str, list[PageSpec]] = {province.id: [] for province in portal.provinces}
    rest: list[PageSpec] = []
    for spec in specs:
        of_province.get(_province_of(spec), rest).append(spec)
    made, provinces = [], []
    for province in portal.provinces:
        own = of_province[province.id]
        made.append(
            _page(
                f"{SITEMAP}{province.id}.md",
                "sitemap.md.j2",
                f"{SITEMAP_TITLE}: {province.unit.name}",
                None,
                units=_units_of(own),
                depends=_depends_of(own),
                pages=pages_of(own),
                province=province,
            )
        )
        provinces.append((province, page_url(made[-1].src), len(own)))
    main = f"{SITEMAP[:-1]}.md"
    urls = [page_url(p.src) for p in pages_of(specs + made)] + [page_url(main)]
    made.append(
        _page(
            main,
            "sitemap.md.j2",
            SITEMAP_TITLE,
            (),
            functools.partial(feeds.sitemap_files, portal, urls),
            pages=pages_of(rest),
            provinces=provinces,
            total=len(urls),
            province=None,
        )
    )
    return made


def _province_of(spec: PageSpec) -> str:
    """The province whose pages the page at docs path `src` belongs with: the first folder of a unit's or
    plan's page, the second of an agency's or a province's documents or budget check (co-quan/<province>/…,
    tiep-can-thong-tin/<province>/, kiem-tra-so-lieu/<province>/), the third of a province's targets of an
    indicator or plans citing a document (chi-so/<code>/<province>/, van-ban/<document>/<province>/); "" for the
    portal's own pages (a year's budget among them). A cited document's page goes with the province whose plans
    alone cite it (a national portal's documents are mostly a district's or a province's own)."""
    parts = spec.src.split("/")
    if parts[0] in (AGENCIES_FOLDER.strip("/"), DISCLOSURE.strip("/"), BUDGET_CHECK.strip("/")):
        return parts[1] if len(parts) > 2 else ""
    if parts[0] in ("chi-so", LEGAL_FOLDER.strip("/")):
        if len(parts) > 3:
            return parts[2]
        document = spec.context.get("document")  # a cited document's page
        return document.province if document is not None else ""
    return parts[0] if len(parts) > 1 and parts[0] != BUDGET.strip("/") else ""


def _depends_of(specs: list[PageSpec]) -> str:
    """What else makes a list of these pages: which pages they are (a province's page of an indicator's targets
    appears when another province's target makes the list long; a document goes with a province while no other
    province's plan cites it) and what makes their titles beyond their units."""
    return hashlib.sha256("\n".join(f"{spec.src}\0{spec.depends}" for spec in specs).encode()).hexdigest()


def _units_of(specs: list[PageSpec]) -> frozenset[str] | None:
    """The units whose content makes a list of these pages: theirs (a page appears or goes only when one of
    them changes); None when one of the pages is drawn from the whole portal."""
    units: set[str] = set()
    for spec in specs:
        if spec.units is None:
            return None
        units |= spec.units
    return frozenset(units)

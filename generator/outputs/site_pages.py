"""Every page of the portal, in navigation order: a plain list of page builders, each `builder(portal) ->
list[PageSpec]`. Adding a page type means adding one builder to BUILDERS.

Pages are Markdown or HTML whose tables are HTML blocks; links between pages are relative, so the site
works under any subpath.
"""

from __future__ import annotations

import functools

from generator.incremental.store import PlanChunks
from generator.model.agencies import INDEX_URL as AGENCIES_FOLDER
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
from generator.outputs.spec import PageSpec, page_url, pages_of

PROVINCES_TITLE = "Tỉnh, thành phố"
PROVINCES_PAGE = "tinh-thanh-pho/index.md"  # the «Tỉnh, thành phố» section's own page (its index in the menu)
SITEMAP, SITEMAP_TITLE = "so-do-trang/", "Sơ đồ trang"


def _page(
    src: str, template: str, title: str, nav: tuple[str, ...] | None, files=None, units=None, **context
) -> PageSpec:
    return PageSpec(src, template, title, nav, context, files if files is not None else {}, units)


def home(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    return [_page("index.md", "home.md.j2", "Trang chủ", ())]


def provinces(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The «Tỉnh, thành phố» page, which the menu's section opens: today's 34 provinces and cities (those the portal
    has, linked) and the units as they were before 01/7/2025. It names every unit: drawn from the whole portal."""
    return [
        _page(PROVINCES_PAGE, "provinces.html.j2", PROVINCES_TITLE, (PROVINCES_TITLE,), view=provinces_view(portal))
    ]


def units_and_plans(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """Each unit's page, then its plans' pages and their histories."""
    specs = []
    for unit in portal.units.values():
        # Provinces are listed in the navigation; districts and plans are reached from their pages
        # (breadcrumbs, lists): a navigation of thousands of entries cost most of MkDocs' time.
        specs.append(
            _page(
                f"{unit.id}/index.md",
                "unit.html.j2",
                unit.unit.name,
                None if unit.parent else (PROVINCES_TITLE,),
                functools.partial(feeds.unit_files, portal, unit),  # its feed: its plans and its subordinates'
                units=frozenset(u.id for u in unit.subtree),
                unit=unit,
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
                    units=own,
                    plan=plan,
                )
            )
    return specs


def _plan_files(portal: Portal, plan: PlanView) -> dict:
    """The files beside a plan's page: its data (downloads) and its embeddable widgets (embeds)."""
    return {**downloads.plan_files(portal, plan), **embeds.files(portal, plan, templates.shared_environment())}


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
            functools.partial(downloads.table_files, portal, kept, "chi-so"),
        )
    ]
    for view in portal.indicator_views:
        parts = _by_province(portal, view.entries, lambda e: e.plan.unit) if len(view.entries) > LIST_LIMIT else []
        split = [(province, f"{view.url}{province.id}/", entries) for province, entries in parts]
        specs.append(
            _page(
                f"{view.url}index.md",
                "indicator.html.j2",
                view.indicator.name,
                ("Chỉ số",),
                units=frozenset(e.plan.unit.id for e in view.entries),
                view=view,
                entries=None if split else view.entries,
                entries_status=view.status_counts,
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
                    units=frozenset(e.plan.unit.id for e in entries),
                    view=view,
                    entries=entries,
                    entries_status=StatusCounts.of(e.progress for e in entries),
                    provinces=[],
                    province=province,
                )
            )
    return specs


# The rows of a list page at most: past it, the page shows a summary by province and each province's rows are on
# a page of their own (a national portal's catalogue of 2,100 plans was 1.1 MB, 13.7 s on a phone on slow 4G).
LIST_LIMIT = 100
DISCLOSURE = "tiep-can-thong-tin/"


def _by_province(portal: Portal, items: list, unit_of) -> list[tuple]:
    """(province, its items in their order), provinces in the portal's order, those without items left out."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(unit_of(item).province.id, []).append(item)
    return [(province, groups[province.id]) for province in portal.provinces if province.id in groups]


def portal_pages(portal: Portal, kept: PlanChunks | None) -> list[PageSpec]:
    """The portal's own pages. Each carries the portal tables it offers; the open data page those no
    other page shows. The catalogue of documents (Law on Access to Information) lists them all, or when they are
    more than LIST_LIMIT, the provinces, each province's documents on a page of their own."""
    split = [p for p in portal.provinces if p.all_plans] if len(portal.plans) > LIST_LIMIT else []
    return [
        _page(
            "kiem-tra-so-lieu.md",
            "budget_check.md.j2",
            "Kiểm tra số liệu",
            (),
            functools.partial(downloads.table_files, portal, kept, "kiem-tra-so-lieu"),
        ),
        _page(
            "ngan-sach.md",
            "budget.md.j2",
            "Ngân sách",
            (),
            functools.partial(downloads.table_files, portal, kept, "kinh-phi"),
        ),
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
    specs = [spec for builder in BUILDERS for spec in builder(portal, kept)]
    return specs + sitemap(portal, specs)


def sitemap(portal: Portal, specs: list[PageSpec]) -> list[PageSpec]:
    """The text sitemap: the pages of each province (its units', plans' and agencies' pages) on a page of their
    own, which a rebuild leaves as it is unless one of those pages' units changed; the other pages and the
    provinces on the main one (one list of a national portal's pages is megabytes)."""
    by_province: dict[str, list[PageSpec]] = {province.id: [] for province in portal.provinces}
    rest: list[PageSpec] = []
    for spec in specs:
        by_province.get(_province_of(spec.src, AGENCIES_FOLDER), rest).append(spec)
    made, provinces = [], []
    for province in portal.provinces:
        own = by_province[province.id]
        made.append(
            _page(
                f"{SITEMAP}{province.id}.md",
                "sitemap.md.j2",
                f"{SITEMAP_TITLE}: {province.unit.name}",
                None,
                units=_units_of(own),
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


def _province_of(src: str, agencies_folder: str) -> str:
    """The province whose pages the page at docs path `src` belongs with: the first folder of a unit's or
    plan's page, the second of an agency's or a province's documents (co-quan/<province>/…,
    tiep-can-thong-tin/<province>/), the third of a province's targets of an indicator
    (chi-so/<code>/<province>/); "" for the portal's own pages."""
    parts = src.split("/")
    if parts[0] in (agencies_folder.strip("/"), DISCLOSURE.strip("/")):
        return parts[1] if len(parts) > 2 else ""
    if parts[0] == "chi-so":
        return parts[2] if len(parts) > 3 else ""
    return parts[0] if len(parts) > 1 else ""


def _units_of(specs: list[PageSpec]) -> frozenset[str] | None:
    """The units whose content makes a list of these pages: theirs (a page appears or goes only when one of
    them changes); None when one of the pages is drawn from the whole portal."""
    units: set[str] = set()
    for spec in specs:
        if spec.units is None:
            return None
        units |= spec.units
    return frozenset(units)

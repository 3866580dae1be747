"""The agencies' pages: the index, one list per province, one page per agency with its work as CSV and JSON."""

from __future__ import annotations

import functools

from generator.incremental.store import PlanChunks
from generator.model.agencies import (
    DATA_STEM,
    INDEX_TITLE,
    INDEX_URL,
    KIND_BUDGET,
    KIND_DUTY,
    KIND_TARGET,
    AgencyView,
    _number,
    directory_for,
    province_url,
)
from generator.model.views import Portal
from generator.outputs import downloads, feeds
from generator.outputs.spec import PageSpec


def _rows(agency: AgencyView) -> downloads.Rows:
    rows: downloads.Rows = []
    for plan in agency.plans:
        for a in agency.assignments:
            if a.plan is not plan:
                continue
            rows.append(
                {
                    "co_quan": agency.name,
                    "don_vi_hanh_chinh": agency.unit.unit.name,
                    "ke_hoach": plan.id,
                    "trich_yeu": plan.title,
                    "ky_ke_hoach": plan.period_label,
                    "loai": a.kind,
                    "tt": a.number,
                    "vai_tro": a.role_label,
                    "noi_dung": a.text,
                    "nam_dat": a.deadline_year,
                    "thoi_gian": a.period,
                    "so_tien_dong": _number(a.amount_dong),
                    "ten_trong_van_ban": "; ".join(a.names),
                }
            )
    return rows


def pages(portal: Portal, kept: PlanChunks | None = None) -> list[PageSpec]:
    directory = directory_for(portal, kept)
    if not directory.agencies:
        return []
    kinds = {"KIND_TARGET": KIND_TARGET, "KIND_DUTY": KIND_DUTY, "KIND_BUDGET": KIND_BUDGET}
    groups = directory.by_province()
    units_of = {agency.url: _units(agency) for agency in directory.agencies}
    # The index lists provinces; each province's agencies are listed on a page of their own, which a
    # rebuild leaves as it is unless one of its units changed (the whole list of a national portal is
    # megabytes of HTML).
    listed = [(province, units, [a for _, agencies in units for a in agencies]) for province, units in groups]
    specs = [
        PageSpec(
            f"{INDEX_URL}index.md",
            "agencies.html.j2",
            INDEX_TITLE,
            (INDEX_TITLE,),
            {
                "provinces": [
                    (province, province_url(province), len(own), len(units)) for province, units, own in listed
                ]
            },
        )
    ]
    for province, units, own in listed:
        specs.append(
            PageSpec(
                f"{province_url(province)}index.md",
                "agencies_province.html.j2",
                f"{INDEX_TITLE}: {province.unit.name}",
                None,
                {"province": province, "units": units, "count": len(own), "index_url": INDEX_URL, **kinds},
                units=frozenset({province.id}).union(*(units_of[a.url] for a in own)),
            )
        )
    for agency in directory.agencies:
        # nav=None keeps agency pages out of the navigation (the index lists them)
        specs.append(
            PageSpec(
                f"{agency.url}index.md",
                "agency.html.j2",
                agency.name,
                None,
                {
                    "agency": agency,
                    "data_stem": DATA_STEM,
                    "index_url": INDEX_URL,
                    "list_url": province_url(agency.unit.province),
                },
                functools.partial(_files, portal, agency),
                units_of[agency.url],
            )
        )
    return specs


def _units(agency: AgencyView) -> frozenset[str]:
    """The units whose content makes the agency's page (cache): its own, and those of the plans giving it
    work (a district's plans giving work to a province department)."""
    return frozenset({agency.unit.id, *(plan.unit.id for plan, mention in agency.mentions if any(mention.counts))})


def _files(portal: Portal, agency: AgencyView) -> dict[str, bytes]:
    """Its work as CSV and JSON, and its feed (the plans giving it work)."""
    rows = _rows(agency)
    return {
        **downloads.as_files(f"{agency.url}{DATA_STEM}", rows),
        **feeds.agency_files(portal, agency),
    }

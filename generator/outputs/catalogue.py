"""Catalogue metadata, for harvesters and search engines: the DCAT-AP 3 catalogue of the portal's data
(`data/dcat.jsonld`, in pages) and the schema.org JSON-LD of the plan, unit, indicator and legal-document pages.

Both are views over the model: a dataset per portal-wide table (downloads.PORTAL_TABLES), per province and per
plan, each distribution a file the site has, addresses absolute from `base_url`. Dates come from the plans' Git
history (model/history), never from the clock: the same content makes the same bytes.

The catalogue is in pages, one document per province beside its page (`<province>/dcat.jsonld`, its plans'
datasets) after the first (`data/dcat.jsonld`: the catalogue, the portal-wide tables' and the provinces' datasets),
each naming the next in Hydra's paging vocabulary, which harvesters follow (CKAN's ckanext-dcat reads
`hydra:PagedCollection` and `hydra:next`). One document of every plan's dataset grew with the country past what a
harvester reads in one response (ckanext-dcat: 50 MB by default), and a province's shard writes its own page.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import quote

from generator.incremental.store import PlanChunks, kept_or_made
from generator.model.legal_documents import LegalDocument
from generator.model.views import IndicatorEntry, IndicatorView, PlanView, Portal, UnitView, unit_label
from generator.outputs import downloads

DCAT_PATH = "data/dcat.jsonld"
DCAT_PAGE = "dcat.jsonld"  # a province's page of the catalogue, beside its page: <province>/dcat.jsonld
OPEN_DATA_PAGE = "du-lieu-mo/"
ABOUT_PAGE = "gioi-thieu/"

# Words for each portal-wide table beside its title (downloads.TITLES); every table has one (tests/test_catalogue.py).
DESCRIPTIONS = {
    "ke-hoach": "Mỗi văn bản kế hoạch một dòng: trích yếu, loại, cơ quan ban hành, đơn vị, số ký hiệu, ngày ký, kỳ "
    "kế hoạch, số chỉ tiêu, kinh phí dự kiến.",
    "chi-tieu": "Mọi chỉ tiêu của các văn bản: nội dung, chỉ số, giá trị, đơn vị đo, năm đạt, đơn vị chủ trì, tình "
    "trạng thực hiện.",
    "kinh-phi": "Mọi dòng, số cộng nhóm và tổng cộng của các bảng kinh phí như văn bản ghi, kèm tổng các dòng và "
    "chênh lệch, bằng đồng.",
    "can-cu": "Căn cứ pháp lý mà mỗi văn bản viện dẫn.",
    "trach-nhiem": "Nhiệm vụ giao cho từng cơ quan, đơn vị trong phần tổ chức thực hiện của mỗi văn bản.",
    "kiem-tra-so-lieu": "Các số cộng, tổng cộng văn bản ghi không khớp tổng các dòng, kèm chênh lệch.",
    "chi-so": "Chỉ tiêu của các văn bản theo từng chỉ số trong danh mục chung, kèm tình trạng thực hiện.",
}

# Vocabularies DCAT-AP names: the EU's file types, languages and data themes, IANA's media types.
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
_LANGUAGE = "http://publications.europa.eu/resource/authority/language/VIE"
_THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"  # government and public sector
_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
_FORMATS = {"csv": ("text/csv", "CSV"), "json": ("application/json", "JSON"), "txt": ("text/plain", "TXT")}

# The whole context is in the document: a harvester (and the tests) read it without fetching anything.
_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}


def absolute(portal: Portal, path: str) -> str:
    """The absolute address of a site path (`ha-tinh/duc-tho/`, `data/plans.json`) under base_url."""
    base = str(portal.config.base_url)
    return (base if base.endswith("/") else base + "/") + quote(path, safe="/#")


def script_json(value: object) -> str:
    """JSON for a <script> element: `<`, `>` and `&` (only ever inside strings in JSON) written as \\u escapes, so
    no text from content can close the element or open a comment; U+2028/2029 likewise, for old JSON readers."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


# --------------------------------------------------------------------------- DCAT-AP 3 (data/dcat.jsonld)


def _iri(url: str) -> dict:
    return {"@id": url}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "vi"}


def _typed(value: str, kind: str) -> dict:
    return {"@value": value, "@type": f"xsd:{kind}"}


def _agent_id(portal: Portal) -> str:
    return absolute(portal, ABOUT_PAGE) + "#co-quan-chu-quan"


def _contact(portal: Portal) -> dict:
    point = portal.config.information_focal_point
    found: dict = {"@type": "vcard:Organization", "vcard:fn": _text(point.name)}
    if point.email:
        found["vcard:hasEmail"] = _iri(f"mailto:{point.email}")
    return found


def _distribution(portal: Portal, path: str, title: str, access: str) -> dict:
    media, code = _FORMATS[path.rsplit(".", 1)[1]]
    return {
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        "dcat:accessURL": _iri(absolute(portal, access)),
        "dcat:downloadURL": _iri(absolute(portal, path)),
        "dcat:mediaType": _iri(_MEDIA_TYPE + media),
        "dct:format": _iri(_FILE_TYPE + code),
        "dct:license": _iri(str(portal.config.licence.url)),
    }


def _location(unit: UnitView) -> dict:
    """The unit as a place: no URI names Vietnam's administrative units, so a dct:Location with its name (and its
    official code where content gives one)."""
    found: dict = {"@type": "dct:Location", "skos:prefLabel": _text(unit_label(unit))}
    if unit.unit.code:
        found["dct:identifier"] = unit.unit.code
    return found


def _period(start: int, end: int) -> dict:
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _typed(str(start), "gYear"),
        "dcat:endDate": _typed(str(end), "gYear"),
    }


def _common(portal: Portal) -> dict:
    return {
        "dct:publisher": _iri(_agent_id(portal)),
        "dcat:contactPoint": _contact(portal),
        "dct:language": _iri(_LANGUAGE),
        "dcat:theme": _iri(_THEME),
    }


def _plan_dataset_id(portal: Portal, plan: PlanView) -> str:
    return absolute(portal, plan.url) + "#du-lieu"


def plan_dataset(portal: Portal, plan: PlanView) -> dict:
    """The plan's dataset: its tables beside its page (those with rows) and its source text."""
    page = plan.url
    start, end, _ = plan.facts.period
    distributions = [
        _distribution(portal, f"{plan.id}/{stem}.{ext}", f"{label} ({ext.upper()})", page)
        for stem, label in downloads.plan_tables(portal, plan)
        for ext in ("csv", "json")
    ]
    distributions.append(
        _distribution(portal, f"{plan.id}/{plan.source_file_name}", "Văn bản gốc, dạng chữ (TXT)", page)
    )
    dataset: dict = {
        "@id": _plan_dataset_id(portal, plan),
        "@type": "dcat:Dataset",
        "dct:identifier": plan.id,
        "dct:title": _text(plan.display_title),
        "dct:description": _text(plan.title),
        "dcat:keyword": [_text(plan.kind_label), _text(plan.unit.unit.name)],
        "dcat:landingPage": _iri(absolute(portal, page)),
        **_common(portal),
        "dct:spatial": _location(plan.unit),
        "dct:temporal": _period(start, end),
    }
    if plan.history.published:
        dataset["dct:issued"] = _typed(plan.history.published.isoformat(), "date")
    if plan.history.last_changed:
        dataset["dct:modified"] = _typed(plan.history.last_changed.isoformat(), "date")
    dataset["dcat:distribution"] = distributions
    return dataset


def _province_dataset_id(portal: Portal, province: UnitView) -> str:
    return absolute(portal, province.url) + "#du-lieu"


def province_dataset(portal: Portal, province: UnitView) -> dict | None:
    """A province's dataset: each table of a plan over every plan of the province and its units, beside its page
    (downloads.province_table_files); None when no plan of it has a table."""
    tables = downloads.province_tables(portal, province)
    if not tables:
        return None
    plans, page, name = province.all_plans, province.url, province.unit.name
    dataset: dict = {
        "@id": _province_dataset_id(portal, province),
        "@type": "dcat:Dataset",
        "dct:identifier": province.id,
        "dct:title": _text(f"Dữ liệu của {name}"),
        "dct:description": _text(f"Các bảng của mọi văn bản của {name} và các đơn vị trực thuộc, mỗi bảng một tệp."),
        "dcat:landingPage": _iri(absolute(portal, page)),
        **_common(portal),
        "dct:spatial": _location(province),
        "dct:temporal": _period(min(p.facts.period[0] for p in plans), max(p.facts.period[1] for p in plans)),
    }
    if modified := _last_change(plans):
        dataset["dct:modified"] = modified
    dataset["dcat:distribution"] = [
        _distribution(portal, f"{province.id}/{downloads.PROVINCE_DATA}{stem}.{ext}", f"{label} ({ext.upper()})", page)
        for stem, label in tables
        for ext in ("csv", "json")
    ]
    return dataset


def _last_change(plans: list[PlanView]) -> dict | None:
    dates = [p.history.last_changed for p in plans if p.history.last_changed]
    return _typed(max(dates).isoformat(), "date") if dates else None


def table_dataset(portal: Portal, stem: str) -> dict:
    """A portal-wide table's dataset: every plan's rows, as CSV and JSON under data/."""
    title = downloads.TITLES[stem]
    dataset: dict = {
        "@id": absolute(portal, OPEN_DATA_PAGE) + f"#{stem}",
        "@type": "dcat:Dataset",
        "dct:identifier": stem,
        "dct:title": _text(f"{title} (toàn cổng)"),
        "dct:description": _text(DESCRIPTIONS[stem]),
        "dcat:landingPage": _iri(absolute(portal, OPEN_DATA_PAGE)),
        **_common(portal),
    }
    provinces = [p for p in portal.provinces if p.all_plans]
    if provinces:
        dataset["dct:spatial"] = [_location(p) for p in provinces]
    if portal.plans:
        start = min(p.facts.period[0] for p in portal.plans)
        dataset["dct:temporal"] = _period(start, max(p.facts.period[1] for p in portal.plans))
    if modified := _last_change(portal.plans):
        dataset["dct:modified"] = modified
    distributions = [
        _distribution(portal, f"data/{stem}.{ext}", f"{title} ({ext.upper()})", OPEN_DATA_PAGE)
        for ext in ("csv", "json")
    ]
    for d in distributions[:1]:  # the CSV's columns and their types: the data package
        d["dct:conformsTo"] = _iri(absolute(portal, "data/datapackage.json"))
    if stem == "ke-hoach":  # every plan with all its tables, in one file
        distributions.append(
            _distribution(portal, "data/plans.json", "Toàn bộ dữ liệu: mỗi văn bản kèm các bảng (JSON)", OPEN_DATA_PAGE)
        )
    dataset["dcat:distribution"] = distributions
    return dataset


def dcat(portal: Portal, kept: PlanChunks | None = None) -> bytes:
    """The first page of the DCAT-AP 3 catalogue as JSON-LD: the catalogue, the portal-wide tables' datasets and the
    provinces'; each province's plans are on its own page (province_page)."""
    tables = [table_dataset(portal, stem) for stem in downloads.PORTAL_TABLES]
    # A province's dataset is kept while its plans' units are unchanged: which tables it has takes its plans' rows.
    kept_provinces = [
        (p.id, tuple(plan.id for plan in p.all_plans), functools.partial(province_dataset, portal, p))
        for p in portal.provinces
        if p.all_plans
    ]
    provinces = [d for d in kept_or_made(kept, "dcat-provinces", kept_provinces) if d is not None]
    config = portal.config
    catalogue: dict = {
        "@id": _catalogue_id(portal),
        "@type": "dcat:Catalog",
        "dct:title": _text(config.portal_name),
        "dct:description": _text(config.description),
        "foaf:homepage": _iri(absolute(portal, "")),
        "dct:publisher": _iri(_agent_id(portal)),
        "dcat:contactPoint": _contact(portal),
        "dct:language": _iri(_LANGUAGE),
        "dct:license": _iri(str(config.licence.url)),
        "dcat:themeTaxonomy": _iri("http://publications.europa.eu/resource/authority/data-theme"),
    }
    if modified := _last_change(portal.plans):
        catalogue["dct:modified"] = modified
    catalogue["dcat:dataset"] = [_iri(d["@id"]) for d in [*tables, *provinces]]
    graph = [
        _paging(portal, None),
        catalogue,
        {"@id": _agent_id(portal), "@type": "foaf:Agent", "foaf:name": _text(config.managing_agency.name)},
        {"@id": str(config.licence.url), "@type": "dct:LicenseDocument", "dct:title": _text(config.licence.name)},
        *tables,
        *provinces,
    ]
    return (json.dumps({"@context": _CONTEXT, "@graph": graph}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def province_page(portal: Portal, province: UnitView, kept: PlanChunks | None = None) -> bytes:
    """A province's page of the catalogue: the datasets of its plans and its units' (none: the page still names
    the next). Each plan's dataset, as its text in the file, is kept between builds while its unit is unchanged."""
    plans = province.all_plans
    texts = kept_or_made(
        kept,
        f"dcat-text-{province.id}",  # a table of the store is carried by one page: this province's
        [(plan.id, plan.id, functools.partial(_plan_text, portal, plan)) for plan in plans],
    )
    catalogue = {"@id": _catalogue_id(portal), "dcat:dataset": [_iri(_plan_dataset_id(portal, p)) for p in plans]}
    graph = [_paging(portal, province), catalogue, *([_PLANS_HERE] if texts else [])]
    text = json.dumps({"@context": _CONTEXT, "@graph": graph}, ensure_ascii=False, indent=1) + "\n"
    if texts:  # the plans' datasets, last in the graph, as json.dumps would write them there
        head, tail = text.split(_GRAPH_ITEM + json.dumps(_PLANS_HERE))
        text = head + ",\n".join(texts) + tail
    return text.encode("utf-8")


def _catalogue_id(portal: Portal) -> str:
    return absolute(portal, DCAT_PATH) + "#danh-muc"


def _page_path(province: UnitView | None) -> str:
    return DCAT_PATH if province is None else f"{province.id}/{DCAT_PAGE}"


def _paging(portal: Portal, province: UnitView | None) -> dict:
    """This page of the catalogue in Hydra's terms: its first, last and next page. Typed both ways Hydra has named
    a page (ckanext-dcat's harvester reads the older, PagedCollection) and in the provinces' order, which every
    shard knows (it reads every province's unit.yml): a province's page does not depend on another's plans."""
    provinces = portal.provinces
    after = provinces[[p.id for p in provinces].index(province.id) + 1 :] if province is not None else provinces
    found: dict = {
        "@id": absolute(portal, _page_path(province)),
        "@type": ["hydra:PartialCollectionView", "hydra:PagedCollection"],
        "hydra:first": _iri(absolute(portal, DCAT_PATH)),
        "hydra:last": _iri(absolute(portal, _page_path(provinces[-1] if provinces else None))),
    }
    if after:
        found["hydra:next"] = _iri(absolute(portal, _page_path(after[0])))
    return found


_PLANS_HERE = "\x00"  # where the plans' datasets go: a string no dataset is (json.dumps writes it "\u0000")
_GRAPH_ITEM = "  "  # an item of the graph, as json.dumps(indent=1) indents it


def _plan_text(portal: Portal, plan: PlanView) -> str:
    """The plan's dataset as the catalogue's text holds it, an item of its graph."""
    dumped = json.dumps(plan_dataset(portal, plan), ensure_ascii=False, indent=1)
    return "\n".join(_GRAPH_ITEM + line for line in dumped.split("\n"))


def files(portal: Portal, kept: PlanChunks | None = None) -> dict[str, bytes]:
    return {DCAT_PATH: dcat(portal, kept)}


def province_files(portal: Portal, province: UnitView, kept: PlanChunks | None = None) -> dict[str, bytes]:
    return {_page_path(province): province_page(portal, province, kept)}


# --------------------------------------------------------------------------- schema.org JSON-LD of pages

SCHEMA_ORG = "https://schema.org"


def _publisher(portal: Portal) -> dict:
    return {
        "@type": "GovernmentOrganization",
        "@id": _publisher_id(portal),
        "name": portal.config.managing_agency.name,
        "url": absolute(portal, ABOUT_PAGE),
    }


def _publisher_id(portal: Portal) -> str:
    return absolute(portal, ABOUT_PAGE) + "#co-quan-chu-quan"


def _catalogue_ref(portal: Portal) -> dict:
    return {"@type": "DataCatalog", "name": portal.config.portal_name, "url": absolute(portal, "")}


def _place(portal: Portal, unit: UnitView) -> dict:
    found = {"@type": "AdministrativeArea", "name": unit_label(unit), "url": absolute(portal, unit.url)}
    if unit.unit.code:
        found["identifier"] = unit.unit.code
    return found


def _years(start: int, end: int) -> str:
    """An ISO 8601 interval of years, as schema.org's temporalCoverage reads it."""
    return str(start) if start == end else f"{start}/{end}"


def _download(portal: Portal, path: str, name: str) -> dict:
    media, _ = _FORMATS[path.rsplit(".", 1)[1]]
    return {"@type": "DataDownload", "name": name, "encodingFormat": media, "contentUrl": absolute(portal, path)}


def plan_json_ld(portal: Portal, plan: PlanView, page_files: list[str]) -> str:
    """The plan page: a Dataset of its tables (the files beside the page), based on the document it transcribes."""
    start, end, _ = plan.facts.period
    document: dict = {
        "@type": "CreativeWork",
        "name": plan.title,
        "author": {"@type": "GovernmentOrganization", "name": plan.issuer},
    }
    if plan.number:
        document["identifier"] = plan.number
    data: dict = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "@id": absolute(portal, plan.url) + "#du-lieu",
        "name": plan.display_title,
        "description": plan.title,
        "url": absolute(portal, plan.url),
        "identifier": plan.id,
        "inLanguage": "vi",
        "isAccessibleForFree": True,
        "license": str(portal.config.licence.url),
        "publisher": _publisher(portal),
        "creator": {"@id": _publisher_id(portal)},  # the publisher, named once
        "spatialCoverage": _place(portal, plan.unit),
        "temporalCoverage": _years(start, end),
        "isBasedOn": document,
        "includedInDataCatalog": _catalogue_ref(portal),
    }
    if plan.history.published:
        data["datePublished"] = plan.history.published.isoformat()
    if plan.history.last_changed:
        data["dateModified"] = plan.history.last_changed.isoformat()
    data["distribution"] = [
        _download(portal, f"{plan.id}/{name}", label) for name, label in downloads.plan_file_links(plan, page_files)
    ]
    return script_json(data)


def unit_json_ld(portal: Portal, unit: UnitView) -> str:
    """The unit page: the administrative area, within its parent, and the datasets of its plans."""
    data: dict = {"@context": SCHEMA_ORG, "@id": absolute(portal, unit.url) + "#dia-ban", **_place(portal, unit)}
    data["name"] = unit.unit.name
    if unit.parent:
        data["containedInPlace"] = _place(portal, unit.parent)
    if unit.plans:
        data["subjectOf"] = [
            {
                "@type": "Dataset",
                "@id": absolute(portal, p.url) + "#du-lieu",
                "name": p.display_title,
                "url": absolute(portal, p.url),
            }
            for p in unit.plans
        ]
    return script_json(data)


def indicator_json_ld(
    portal: Portal, view: IndicatorView, entries: list[IndicatorEntry], page_url: str, title: str
) -> str:
    """An indicator's page (or a province's part of it): a Dataset of the targets plans set for it, which the
    portal-wide table of indicators (data/chi-so) holds."""
    plans = list({e.plan.id: e.plan for e in entries}.values())
    provinces = list({p.unit.province.id: p.unit.province for p in plans}.values())
    measured: dict = {"@type": "PropertyValue", "name": view.indicator.name, "propertyID": view.indicator.code}
    if view.indicator.unit:
        measured["unitText"] = view.indicator.unit
    data: dict = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "@id": absolute(portal, page_url) + "#du-lieu",
        "name": title,
        "description": view.indicator.description or f"Chỉ tiêu các văn bản đặt cho chỉ số «{view.indicator.name}».",
        "url": absolute(portal, page_url),
        "identifier": view.indicator.code,
        "inLanguage": "vi",
        "isAccessibleForFree": True,
        "license": str(portal.config.licence.url),
        "publisher": _publisher(portal),
        "creator": {"@id": _publisher_id(portal)},  # the publisher, named once
        "variableMeasured": measured,
        "includedInDataCatalog": _catalogue_ref(portal),
    }
    if provinces:
        data["spatialCoverage"] = [_place(portal, p) for p in provinces]
    if plans:
        data["temporalCoverage"] = _years(min(p.facts.period[0] for p in plans), max(p.facts.period[1] for p in plans))
    data["distribution"] = [
        _download(portal, f"data/chi-so.{ext}", f"{downloads.TITLES['chi-so']} ({ext.upper()}, mọi chỉ số)")
        for ext in ("csv", "json")
    ]
    return script_json(data)


def legal_json_ld(portal: Portal, document: LegalDocument) -> str:
    """A cited document's page: the Legislation, as its citations give it."""
    data: dict = {
        "@context": SCHEMA_ORG,
        "@type": "Legislation",
        "@id": absolute(portal, document.url) + "#van-ban",
        "name": document.name,
        "url": absolute(portal, document.url),
        "inLanguage": "vi",
        "legislationType": document.kind,
    }
    if document.title:
        data["description"] = document.title
    if document.number_text:
        data["legislationIdentifier"] = document.number_text
    if document.date:
        data["legislationDate"] = document.date.isoformat()
    if document.issuer:
        data["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": document.issuer}
    return script_json(data)

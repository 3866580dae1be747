"""Catalogue metadata on the built site: the DCAT-AP 3 catalogue (data/dcat.jsonld and a page per province, read as a
harvester reads them) and the schema.org JSON-LD and OpenGraph tags of plan, unit, indicator and legal-document
pages parse as JSON-LD and as RDF (rdflib), their
addresses resolve to files of the site, their dates come from Git; a hostile title stays inside the JSON and the
attribute. The «Trích dẫn» block before any release cites the plan page as of the build's date.

The seed content is built in a temporary Git repository whose one commit has a fixed date: the dates the
catalogue gives are that commit's, never the day the test runs.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from generator.outputs import downloads
from tests.helpers import ROOT, build, copy_fixture, git_env

SCHEMA = Namespace("https://schema.org/")
# Open namespaces: rdflib's closed ones warn when pytest reads this module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
COMMIT_DATE = "2025-03-04T10:00:00+07:00"
GIT_ENV = git_env(COMMIT_DATE)


def commit_all(folder: Path, message: str = "Nội dung") -> None:
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, env=env, capture_output=True)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> tuple[Path, str]:
    """The seed site built from a Git repository of the seed content; (site, base_url)."""
    folder = tmp_path_factory.mktemp("catalogue") / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    commit_all(folder)
    site = build(folder, index=False)
    from generator.content.config import load_config

    return site, str(load_config(folder / "site_config.yml").base_url)


def local_file(site: Path, base: str, url: str) -> Path:
    """The file of the site at an absolute address under base_url."""
    assert url.startswith(base), url
    return site / url[len(base) :]


# --------------------------------------------------------------------------- data/dcat.jsonld


HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


def dcat_pages(site: Path) -> list[tuple[Path, Graph]]:
    """The catalogue's pages as a harvester reads them: the first, then each page's next, found as CKAN's
    ckanext-dcat finds it (a subject typed hydra:PagedCollection, its hydra:next); each an address under base_url
    of a file of the site."""
    first = site / "data/dcat.jsonld"
    pages: list[tuple[Path, Graph]] = []
    path, base = first, None
    while path is not None:
        assert path not in [p for p, _ in pages], f"the pages loop back to {path}"
        g = Graph().parse(data=path.read_text("utf-8"), format="json-ld")
        pages.append((path, g))
        if base is None:
            (view,) = g.subjects(RDF.type, HYDRA.PagedCollection)
            base = str(view).removesuffix("data/dcat.jsonld")
        after = [str(o) for s in g.subjects(RDF.type, HYDRA.PagedCollection) for o in g.objects(s, HYDRA.next)]
        assert len(after) <= 1, after
        path = local_file(site, base, after[0]) if after else None
    return pages


def dcat_graph(site: Path) -> Graph:
    """Every page of the catalogue in one graph: what a harvester following the pages reads."""
    whole = Graph()
    for _, g in dcat_pages(site):
        whole += g
    return whole


def test_dcat_has_a_dataset_per_table_and_per_plan_each_file_in_the_site(seeds):
    site, base = seeds
    g = dcat_graph(site)
    plans = json.loads((site / "data/ke-hoach.json").read_text("utf-8"))
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    provinces = sorted({p["ma"].split("/")[0] for p in plans})  # each a dataset of its tables (<province>/du-lieu/)
    assert len(datasets) == len(downloads.PORTAL_TABLES) + len(plans) + len(provinces) == 7 + 5 + 3
    (catalogue,) = g.subjects(RDF.type, DCAT.Catalog)
    assert set(g.objects(catalogue, DCAT.dataset)) == datasets
    assert {str(g.value(d, DCTERMS.identifier)) for d in datasets} == set(downloads.PORTAL_TABLES) | {
        p["ma"] for p in plans
    } | set(provinces)
    for province in provinces:  # its distributions are the files beside its page, every one of them
        (dataset,) = g.subjects(DCTERMS.identifier, Literal(province))
        urls = {str(g.value(d, DCAT.downloadURL)) for d in g.objects(dataset, DCAT.distribution)}
        files = {local_file(site, base, url) for url in urls}
        assert files == set((site / province / "du-lieu").iterdir()) and len(files) >= 6, province
    downloads_seen = 0
    for dataset in datasets:
        assert g.value(dataset, DCTERMS.title) and g.value(dataset, DCTERMS.description)
        publisher = g.value(dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in g and g.value(publisher, FOAF.name)
        distributions = list(g.objects(dataset, DCAT.distribution))
        assert distributions
        for d in distributions:
            assert (d, RDF.type, DCAT.Distribution) in g
            assert local_file(site, base, str(g.value(d, DCAT.accessURL))).joinpath("index.html").is_file()
            url = str(g.value(d, DCAT.downloadURL))
            assert local_file(site, base, url).is_file(), url
            assert g.value(d, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/deed.vi")
            downloads_seen += 1
    assert downloads_seen > 40
    assert g.value(catalogue, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/deed.vi")
    assert "mẫu" in str(g.value(g.value(catalogue, DCTERMS.publisher), FOAF.name))  # site_config.yml's agency


def test_dcat_is_in_pages_the_first_for_the_portal_then_one_per_province_beside_its_page(seeds):
    """A harvester reading the first page and each next one reads every province's page once, in the provinces'
    order, and nothing else; each plan's dataset is on its province's page, each province's and each portal-wide
    table's on the first. A province with no plan yet has its page too: its shard cannot know another's plans."""
    site, base = seeds
    pages = dcat_pages(site)
    provinces = {unit.parent.name for unit in (site.parent / "content").glob("*/unit.yml")}
    assert [p for p, _ in pages][0] == site / "data/dcat.jsonld"
    assert sorted(p for p, _ in pages[1:]) == sorted(site / p / "dcat.jsonld" for p in provinces)
    assert len(pages) == 1 + len(provinces) and len(provinces) >= 3
    plans = json.loads((site / "data/ke-hoach.json").read_text("utf-8"))
    for path, g in pages:
        datasets = {str(g.value(d, DCTERMS.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)}
        (view,) = g.subjects(RDF.type, HYDRA.PagedCollection)
        assert (view, RDF.type, HYDRA.PartialCollectionView) in g and local_file(site, base, str(view)) == path
        assert local_file(site, base, str(g.value(view, HYDRA.first))) == site / "data/dcat.jsonld"
        assert local_file(site, base, str(g.value(view, HYDRA.last))) == pages[-1][0]
        (catalogue,) = set(g.subjects(DCAT.dataset, None))
        assert {str(g.value(d, DCTERMS.identifier)) for d in g.objects(catalogue, DCAT.dataset)} == datasets
        if path.parent.name == "data":
            assert datasets == set(downloads.PORTAL_TABLES) | {p["ma"].split("/")[0] for p in plans}
        else:
            assert datasets == {p["ma"] for p in plans if p["ma"].split("/")[0] == path.parent.name}
    assert sum(len(set(g.subjects(RDF.type, DCAT.Dataset))) for _, g in pages) == len(
        set(dcat_graph(site).subjects(RDF.type, DCAT.Dataset))
    )


def test_dcat_gives_each_plan_its_period_place_and_the_date_of_its_last_commit(seeds):
    site, base = seeds
    g = dcat_graph(site)
    plan = URIRef(base + "ha-tinh/duc-tho/2023-chinh-quyen-so/#du-lieu")
    period = g.value(plan, DCTERMS.temporal)
    assert g.value(period, DCAT.startDate) == Literal("2023", datatype=XSD.gYear)
    assert g.value(period, DCAT.endDate) == Literal("2023", datatype=XSD.gYear)
    place = g.value(plan, DCTERMS.spatial)
    assert (place, RDF.type, DCTERMS.Location) in g
    assert str(g.value(place, SKOS.prefLabel)) == "Huyện Đức Thọ, Hà Tĩnh"
    assert g.value(plan, DCTERMS.modified) == Literal("2025-03-04", datatype=XSD.date)  # the commit's, not today
    (catalogue,) = g.subjects(RDF.type, DCAT.Catalog)
    assert g.value(catalogue, DCTERMS.modified) == Literal("2025-03-04", datatype=XSD.date)
    files = {str(u) for d in g.objects(plan, DCAT.distribution) for u in g.objects(d, DCAT.downloadURL)}
    assert base + "ha-tinh/duc-tho/2023-chinh-quyen-so/chi-tieu.csv" in files
    assert base + "ha-tinh/duc-tho/2023-chinh-quyen-so/van-ban-goc.txt" in files


def test_dcat_is_linked_from_the_open_data_page_and_the_data_package(seeds):
    site, _ = seeds
    assert 'href="../data/dcat.jsonld"' in (site / "du-lieu-mo/index.html").read_text("utf-8")
    assert 'href="../phien-ban/"' in (site / "du-lieu-mo/index.html").read_text("utf-8")
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    assert (site / "data" / package["dcat"]["path"]).is_file()


def test_dcat_is_the_same_bytes_made_again_from_nothing(seeds, tmp_path):
    """What a rebuild keeps of each plan's dataset is what the model makes now (and no clock is read)."""
    from generator.build.pipeline import check
    from generator.content.config import load_config
    from generator.model import history, views
    from generator.outputs import catalogue

    site, _ = seeds
    folder = site.parent
    content = check(folder / "content")
    histories = history.collect(folder / "content", {pid: doc.path for pid, doc in content.tree.plans.items()})
    config = load_config(folder / "site_config.yml")
    portal = views.build_portal(content, config, histories, history.last_change(folder / "content"))
    assert catalogue.dcat(portal) == (site / "data/dcat.jsonld").read_bytes()


def test_a_portal_without_plans_yet_has_a_catalogue_of_its_tables(seeds, tmp_path):
    """The plans' datasets are the last items of a province's page, joined in as text: with none, the JSON-LD stays
    whole."""
    from generator.build.pipeline import check
    from generator.content.config import load_config
    from generator.model import views
    from generator.outputs import catalogue

    site, _ = seeds
    content_dir = tmp_path / "content"
    shutil.copytree(site.parent / "content", content_dir)
    for plan in [*content_dir.rglob("20*.yml"), *content_dir.rglob("20*.md")]:
        plan.unlink()
    portal = views.build_portal(check(content_dir), load_config(site.parent / "site_config.yml"))
    assert portal.plans == []
    graph = json.loads(catalogue.dcat(portal))["@graph"]
    (listing,) = [d for d in graph if d.get("@type") == "dcat:Catalog"]
    listed = {d["@id"] for d in listing["dcat:dataset"]}
    assert listed == {d["@id"] for d in graph if d.get("@type") == "dcat:Dataset"} and len(listed) == 7
    for province in portal.provinces:  # a page of no plan names the next page, and no dataset
        page = json.loads(catalogue.province_page(portal, province))["@graph"]
        assert [d.get("@type") for d in page] == [["hydra:PartialCollectionView", "hydra:PagedCollection"], None]
        assert page[1]["dcat:dataset"] == []


# --------------------------------------------------------------------------- the pages' JSON-LD and OpenGraph


class Head(HTMLParser):
    """The JSON-LD scripts, the other scripts' text, the meta properties and the canonical link of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.json_ld: list[str] = []
        self.scripts: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._script = a.get("type") or "text/javascript"
            (self.json_ld if self._script == "application/ld+json" else self.scripts).append("")
        elif tag == "meta" and a.get("property"):
            self.meta.setdefault(a["property"], []).append(a.get("content") or "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            (self.json_ld if self._script == "application/ld+json" else self.scripts)[-1] += data


def head(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text("utf-8"))
    return parser


def schema_org_graph(data: dict) -> Graph:
    """The JSON-LD as RDF. Its context is schema.org's, which the test does not fetch: the same terms under
    schema.org's namespace, as that context maps them."""
    local = {**data, "@context": {"@vocab": str(SCHEMA)}}
    return Graph().parse(data=json.dumps(local), format="json-ld")


PAGES = {
    "plan": ("ha-tinh/duc-tho/2023-chinh-quyen-so/", "Dataset"),
    "unit": ("ha-tinh/duc-tho/", "AdministrativeArea"),
    "indicator": ("chi-so/{indicator}/", "Dataset"),
    "legal": ("van-ban/{legal}/", "Legislation"),
}


def page_address(site: Path, kind: str) -> str:
    path = PAGES[kind][0]
    indicator = sorted(p.parent.name for p in (site / "chi-so").glob("*/index.html"))[0]
    legal = sorted(p.parent.name for p in (site / "van-ban").glob("*/index.html"))[0]
    return path.format(indicator=indicator, legal=legal)


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_json_ld_parses_and_its_open_graph_names_the_canonical_address(seeds, kind):
    site, base = seeds
    path = page_address(site, kind)
    found = head(site / path / "index.html")
    (text,) = found.json_ld
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == PAGES[kind][1]
    assert data["url"] == base + path == found.canonical
    g = schema_org_graph(data)
    node = URIRef(data["@id"])
    assert (node, RDF.type, SCHEMA[PAGES[kind][1]]) in g
    assert str(g.value(node, SCHEMA.name)) == data["name"]
    assert found.meta["og:url"] == [base + path]
    assert found.meta["og:locale"] == ["vi_VN"]
    assert found.meta["og:type"] == ["website"]
    assert found.meta["og:title"] and found.meta["og:description"]
    for download in data.get("distribution", []):
        assert local_file(site, base, download["contentUrl"]).is_file(), download


def test_plan_json_ld_is_a_dataset_of_the_files_beside_the_page(seeds):
    site, base = seeds
    path = PAGES["plan"][0]
    data = json.loads(head(site / path / "index.html").json_ld[0])
    assert data["spatialCoverage"]["name"] == "Huyện Đức Thọ, Hà Tĩnh"
    assert data["temporalCoverage"] == "2023"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/deed.vi"
    assert data["dateModified"] == "2025-03-04"
    # the publisher, named once, is also the creator
    assert data["creator"] == {"@id": data["publisher"]["@id"]} and data["publisher"]["name"]
    beside = {p.name for p in (site / path).glob("*.csv")} | {p.name for p in (site / path).glob("*.json")}
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in data["distribution"]} == beside


def test_pages_without_catalogue_metadata_have_no_open_graph(seeds):
    site, _ = seeds
    found = head(site / "du-lieu-mo/index.html")
    assert not found.json_ld and "og:title" not in found.meta


# --------------------------------------------------------------------------- «Trích dẫn» before any release


def test_before_any_release_a_plan_is_cited_by_its_page_as_of_the_build_date(seeds):
    site, base = seeds
    path = PAGES["plan"][0]
    page = (site / path / "index.html").read_text("utf-8")
    block = page[page.index('<details class="ck-citation" id="trich-dan"') :]
    block = block[: block.index("</details>")]
    assert block.index("trich-dan") < page.index('id="ve-ban-cong-bo"') - page.index('<details class="ck-citation"')
    assert "tính đến ngày 04/03/2025" in block  # the commit's day (PlanView.as_of), not today
    codes = [html.unescape(c.split(">", 1)[1]) for c in block.split("<code")[1:]]
    bibtex, csl_text = (c[: c.index("</code>")] for c in codes)
    assert bibtex.startswith("@misc{congkhai-ha-tinh-duc-tho-2023-chinh-quyen-so-2025-03-04,")
    assert f"url = {{{base}{path}}}" in bibtex
    (csl,) = json.loads(csl_text)
    assert csl["type"] == "dataset" and csl["URL"] == base + path
    assert csl["issued"] == {"date-parts": [[2025, 3, 4]]}


# --------------------------------------------------------------------------- hostile text

HOSTILE = "Kế hoạch </script><script>alert(1)</script> \"trích\" 'dẫn' & <!-- <b>đậm</b>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = copy_fixture("basic", tmp_path_factory.mktemp("hostile-catalogue"))
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    text = plan.read_text("utf-8")
    text = text.replace("title: Kế hoạch phát triển chính quyền số năm 2023", f"title: {json.dumps(HOSTILE)}", 1)
    # beyond the BMP: written as two \u halves in the front matter, it made YAML lose the whole front matter
    plan.write_text(text.replace("issuer: UBND huyện Đông Mẫu", "issuer: UBND huyện Đông Mẫu 😀", 1), "utf-8")
    unit = folder / "content/tinh-mau/huyen-mau/unit.yml"
    unit.write_text(unit.read_text("utf-8").replace("name: ", 'name: </script><b>Huyện</b> "', 1), "utf-8")
    return build(folder, index=False)


def test_a_hostile_title_stays_inside_the_json_ld_and_the_attributes(hostile):
    plan = hostile / "tinh-mau/huyen-mau/2023-ke-hoach/index.html"
    text = plan.read_text("utf-8")
    found = head(plan)
    assert len(found.json_ld) == 1  # the script was not closed early
    assert not any("alert" in s for s in found.scripts)
    data = json.loads(found.json_ld[0])
    assert data["description"] == HOSTILE == data["isBasedOn"]["name"]
    assert data["isBasedOn"]["author"]["name"] == "UBND huyện Đông Mẫu 😀"
    assert data["spatialCoverage"]["name"].startswith('</script><b>Huyện</b> "')
    assert found.meta["og:description"] == [HOSTILE]
    raw = text[text.index('<script type="application/ld+json">') :]
    raw = raw[: raw.index("</script>")]
    assert "<" not in raw[1:] and "&" not in raw and "\\u003c/script\\u003e" in raw
    unit = head(hostile / "tinh-mau/huyen-mau/index.html")
    assert json.loads(unit.json_ld[0])["name"].startswith("</script>")
    # the catalogue is JSON, read as such: the title comes back as written
    g = dcat_graph(hostile)
    assert Literal(HOSTILE, lang="vi") in set(g.objects(None, DCTERMS.description))


# --------------------------------------------------------------------------- «Trích dẫn» opened, in Chromium


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_citation_opened_on_a_phone_passes_axe_and_stays_within_the_screen(seeds, chromium, scheme):
    from tests.browser import serve
    from tests.test_accessibility import AXE, axe_violations, describe

    if not AXE.exists():
        pytest.skip("axe-core is installed by `make test` (npm ci)")
    site, _ = seeds
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        with serve(site) as url:
            tab.goto(f"{url}/gia-lai/duc-co/2023-chinh-quyen-so/")
            tab.click("#trich-dan summary")
            assert tab.evaluate("document.getElementById('trich-dan').open")
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390
            block = tab.evaluate("document.getElementById('trich-dan').getBoundingClientRect().right")
            assert block <= 390
            violations = axe_violations(tab)
    finally:
        context.close()
    assert not violations, describe(violations)

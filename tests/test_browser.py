"""report.html and site pages in a real browser (headless Chromium): they load from file://
with no console error and no network request, the charts have rendered, and what the browser
shows is what the graph says (by SPARQL, asked here)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main
from kg.core.namespaces import PREFIXES
from kg.query.sparql import open_store
from kg.resolve.mint import DEFAULT_BASE_IRI
from tests.browser import (
    chromium,
    console_errors,
    full_page_png,
    missing,
    requested_urls,
    resource_entries,
)
from tests.report_page import expected_description, jsonld_triples

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    why = missing()
    if why is not None:
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail(f"KG_REQUIRE_BROWSER is set, but {why}")
        pytest.skip(why)
    with chromium() as driver:
        yield driver


def load(driver, path: Path, site: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Open a file and check that it logged no error and asked for nothing but itself (a site
    page: nothing but itself and its site's style sheet)."""
    driver.get_log("performance")  # forget earlier pages' requests
    driver.get_log("browser")
    driver.get(path.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    assert console_errors(driver) == []
    css = [] if site is None or path.resolve() == (site / "index.html").resolve() else [
        (site / "site.css").resolve().as_uri()
    ]  # fmt: skip
    assert requested_urls(driver) == [path.resolve().as_uri(), *css]
    assert set(resource_entries(driver)) <= set(css)  # Chromium times no file:// style sheet


def select(store: ox.Store, query: str) -> list[list[str]]:
    results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [["" if s[n] is None else s[n].value for n in names] for s in results]


def table(driver, name: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """A table's body rows as the browser renders their text."""
    rows: list[list[str]] = driver.execute_script(
        "return [...document.querySelectorAll(`table[data-table='${arguments[0]}'] tbody tr`)]"
        ".map(r => [...r.cells].map(c => c.textContent.trim().replace(/\\s+/g, ' ')))",
        name,
    )
    return rows


def marks(driver, chart: str, kind: str) -> int:  # type: ignore[no-untyped-def]
    """How many marks of a kind (rect, symbol, rule, text) a chart's SVG drew, with a size."""
    count: int = driver.execute_script(
        "const svg = document.querySelector(`svg[data-chart='${arguments[0]}']`);"
        "return [...svg.querySelectorAll(`g.mark-${arguments[1]} > *`)]"
        ".filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length",
        chart,
        kind,
    )
    return count


def test_report_in_the_browser(browser, example_export: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_store([example_export / "graph.nt"])
    load(browser, example_export / "report.html")

    def summary(name: str) -> int:
        text = browser.execute_script(
            "return document.querySelector(`[data-summary='${arguments[0]}']`).textContent", name
        )
        return int(text.replace(",", ""))

    works = "?w prov:wasDerivedFrom/a kg:SourceRecord ."

    def count(pattern: str) -> int:
        return int(select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0][0])

    assert summary("works") == count("?x prov:wasDerivedFrom/a kg:SourceRecord") == 15
    assert summary("people") == count("?x a schema:Person")
    assert summary("journals") == count("?x a schema:Periodical")
    assert summary("triples") == len(store)

    # each chart has drawn a mark per row of its table
    for chart in ("journals", "books", "themes", "keywords", "downloads"):
        rows = table(browser, chart)
        assert rows and marks(browser, chart, "rect") == len(rows), chart
    years = table(browser, "years")
    stacked = sum(1 for row in years for n in row[1:-1] if int(n) > 0)
    assert marks(browser, "years", "rect") == stacked
    assert marks(browser, "network", "symbol") == len(table(browser, "people"))
    assert marks(browser, "network", "rule") == len(table(browser, "links"))

    journals = select(store, f"""SELECT ?name ?issn (COUNT(DISTINCT ?w) AS ?n) WHERE {{
        ?j a schema:Periodical ; schema:name ?name ; schema:issn ?issn .
        {works} ?w schema:isPartOf+ ?j }}
        GROUP BY ?name ?issn ORDER BY DESC(?n) ?name""")  # fmt: skip
    assert table(browser, "journals") == journals
    downloads = select(store, """SELECT ?n WHERE { ?w schema:interactionStatistic ?s .
        ?s schema:userInteractionCount ?n } ORDER BY DESC(?n)""")  # fmt: skip
    assert [row[1] for row in table(browser, "downloads")] == [f"{int(n):,}" for (n,) in downloads]
    # names on hover: every circle of the network has its person's name as its title
    titles = browser.execute_script(
        "return [...document.querySelectorAll(\"svg[data-chart='network'] g.mark-symbol title\")]"
        ".map(t => t.textContent)"
    )
    assert titles == [row[0] for row in table(browser, "people")]


def test_the_sample_pages_report(browser, sample_page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.engines.local import export
    from kg.map.pipeline import ExportOptions

    export([sample_page], tmp_path, ExportOptions())
    load(browser, tmp_path / "report.html")
    for name, expected in (("works", "10"), ("journals", "2"), ("people", "18")):
        shown = browser.execute_script(
            "return document.querySelector(`[data-summary='${arguments[0]}']`).textContent", name
        )
        assert shown == expected
    assert len(table(browser, "people")) == 18
    assert marks(browser, "network", "symbol") == 18
    assert marks(browser, "network", "rule") == len(table(browser, "links")) > 0
    png = full_page_png(browser)
    assert png.startswith(b"\x89PNG") and len(png) > 50_000


def test_site_pages_in_the_browser(browser, example_export: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["site", str(example_export / "graph.nt"), "--out", str(site)]
    )
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph()
    graph.parse(example_export / "graph.nt", format="nt")
    pages = {
        DEFAULT_BASE_IRI + p.relative_to(site).as_posix().removesuffix(".html")
        for p in site.rglob("*.html")
        if p.parent != site and p.parent.name != "index"
    }
    sample = [
        "work/doi/10.5555/kg-example-2014-0001",
        "person/hendrik-van-den-broek",
        "periodical/issn-1755-6228",
        "book/isbn-9781837975624",
        "theme/peer-support",
    ]
    for path in sample:
        iri = DEFAULT_BASE_IRI + path
        load(browser, site / f"{path}.html", site)
        embedded = browser.execute_script(
            "return document.querySelector('script[type=\"application/ld+json\"]').textContent"
        )
        assert isomorphic(jsonld_triples(embedded), expected_description(graph, iri, pages)), iri
        # every link to another page of the site opens it
        hrefs = browser.execute_script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.href)"
            ".filter(h => h.startsWith('file:') && h.split('#')[0].endsWith('.html'))"
        )
        assert hrefs
        turtle = browser.find_element("css selector", "link[rel=alternate][type='text/turtle']")
        assert Path(unquote(turtle.get_attribute("href").removeprefix("file://"))).is_file()
        for href in sorted(set(hrefs))[:12]:
            target = Path(unquote(href.split("#")[0].removeprefix("file://")))
            load(browser, target, site)
            assert browser.title
        load(browser, site / f"{path}.html", site)
    load(browser, site / "index.html", site)
    assert browser.find_element("css selector", "a[href='index/work-1.html']")

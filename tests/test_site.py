"""kg site: a page per resource at its IRI's path, each page's embedded JSON-LD and its .ttl and
.jsonld files exactly the resource's description, every link between pages resolving."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main
from kg.resolve.mint import DEFAULT_BASE_IRI
from tests.report_page import expected_description, jsonld_triples, number, read_page

KINDS = {
    "work": "?x prov:wasDerivedFrom ?r . ?r a kg:SourceRecord",
    "person": "?x a schema:Person",
    "journal": "?x a schema:Periodical",
    "book": "?x a schema:Book",
    "theme": "?x a skos:Concept",
}


@pytest.fixture(scope="module")
def site(example_export: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["site", str(example_export / "graph.nt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "15 work, 21 person, 4 journal, 1 book, 33 theme" in result.stderr
    return out


@pytest.fixture(scope="module")
def graph(example_export: Path) -> rdflib.Graph:
    parsed = rdflib.Graph()
    parsed.parse(example_export / "graph.nt", format="nt")
    return parsed


def page_iris(graph: rdflib.Graph) -> set[str]:
    """The works, people, journals, books and themes under the base IRI."""
    from kg.core.namespaces import PREFIXES

    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    found: set[str] = set()
    for pattern in KINDS.values():
        results = store.query(f"SELECT DISTINCT ?x WHERE {{ {pattern} }}", prefixes=PREFIXES)
        assert isinstance(results, ox.QuerySolutions)
        found |= {s["x"].value for s in results if s["x"].value.startswith(DEFAULT_BASE_IRI)}
    return found


def test_a_page_per_resource_at_its_iris_path(site: Path, graph: rdflib.Graph) -> None:
    pages = page_iris(graph)
    assert len(pages) == 15 + 21 + 4 + 33  # the book is a work too
    for iri in pages:
        path = unquote(iri[len(DEFAULT_BASE_IRI) :])
        for suffix in (".html", ".ttl", ".jsonld"):
            assert (site / f"{path}{suffix}").is_file(), iri
    written = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    indexes = {"index.html", *(n for n in written if n.startswith("index/"))}
    assert len(written - indexes) == len(pages)


def test_every_page_describes_exactly_its_resource(site: Path, graph: rdflib.Graph) -> None:
    pages = page_iris(graph)
    assert pages
    for iri in sorted(pages):
        path = site / unquote(iri[len(DEFAULT_BASE_IRI) :])
        expected = expected_description(graph, iri, pages)
        assert len(expected) > 0
        page = read_page(path.with_name(path.name + ".html"))
        assert len(page.jsonld) == 1, iri
        assert isomorphic(jsonld_triples(page.jsonld[0]), expected), iri
        jsonld = path.with_name(path.name + ".jsonld").read_text(encoding="utf-8")
        assert isomorphic(jsonld_triples(jsonld), expected), iri
        turtle = ox.Store()
        turtle.load(path=str(path.with_name(path.name + ".ttl")), format=ox.RdfFormat.TURTLE)
        strict = rdflib.Graph()
        strict.parse(
            data=turtle.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
            format="nt",
        )
        assert isomorphic(strict, expected), iri


def test_a_work_page_links_its_authors_and_a_person_page_its_works(site: Path) -> None:
    work = read_page(site / "work/doi/10.5555/kg-example-2014-0001.html")
    assert "../../../person/hendrik-van-den-broek.html" in work.hrefs
    assert "#author/1" in work.hrefs and "author/1" in work.ids
    person = read_page(site / "person/hendrik-van-den-broek.html")
    named_by = [row[1] for row in person.body("incoming")]
    assert "Supervising the first paid peer support workers in a regional mental health trust" in (
        named_by
    )


def test_every_link_resolves(site: Path) -> None:
    checked = 0
    for page in site.rglob("*.html"):
        parsed = read_page(page)
        folder = page.parent.relative_to(site).as_posix()
        for href in parsed.hrefs:
            url = urlsplit(href)
            if url.scheme:  # the outside world: doi.org, orcid.org, schema.org ...
                assert url.scheme in ("http", "https"), href
                continue
            if not url.path:
                assert unquote(url.fragment) in parsed.ids, (page, href)
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(url.path)))
            assert not target.startswith(".."), (page, href)
            assert (site / target).is_file(), (page, href)
            checked += 1
    assert checked > 500


def test_the_home_page_is_the_report_linked_to_the_pages(site: Path) -> None:
    home = read_page(site / "index.html")
    assert number(home.summary["works"]) == 15
    assert "index/work-1.html" in home.hrefs
    assert "periodical/issn-1755-6228.html" in home.hrefs
    index = read_page(site / "index/person-1.html")
    assert len(index.body("index")) == 21


def test_site_replaces_its_own_folder_but_no_one_elses(
    example_export: Path, site: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    graph = str(example_export / "graph.nt")
    again = runner.invoke(main, ["site", graph, "--out", str(site)])
    assert again.exit_code == 0, again.output
    assert (site / "index.html").is_file()
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(main, ["site", graph, "--out", str(foreign)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: {foreign}: exists and is not a folder kg wrote: give a new or empty folder\n"
    )
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
    wrong = runner.invoke(main, ["site", graph, "--out", str(tmp_path / "s"), "--base-iri",
                                 "https://elsewhere.org/"])  # fmt: skip
    assert wrong.exit_code == 2
    assert "give the --base-iri the export used" in wrong.stderr
    assert not (tmp_path / "s").exists()

"""Modelling fixes of issue 13: one sortable year, language-tagged text, honorifics out of
names, and persons who may be one listed with the evidence."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from kg.cli import main
from kg.core.namespaces import PREFIXES
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.write.ntriples import write_ntriples
from tests.conftest import real_input

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def ris(*records: str) -> str:
    return "\n".join(
        f"TY  - JOUR\n{body.strip()}\nJO  - Journal of Tests\nSN  - 1755-6228\nER  - \n"
        for body in records
    )


def store_of(tmp_path: Path, text: str, suffix: str = ".ris") -> ox.Store:
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    return graph_store(build_graph([path], ExportOptions()).graph)


def graph_store(graph: ExportGraph) -> ox.Store:
    """The graph through Oxigraph's strict N-Triples parser."""
    text = io.StringIO()
    write_ntriples(graph, text)
    store = ox.Store()
    store.load(text.getvalue().encode(), ox.RdfFormat.N_TRIPLES)
    return store


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(SPARQL_PREFIXES + query)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(str(term.value) if term is not None else "" for term in row) for row in solutions]


def test_one_sortable_year_keeps_year_only_works(tmp_path: Path) -> None:
    store = store_of(
        tmp_path,
        ris(
            "AU  - Doe, Jane\nTI  - Year only\nPY  - 2019",
            "AU  - Doe, Jane\nTI  - Month\nPY  - 2020\nDA  - 2020/05//",
            "AU  - Doe, Jane\nTI  - Day\nPY  - 2018\nDA  - 2018/03/12/",
        ),
    )
    dates = select(store, "SELECT ?t (DATATYPE(?d) AS ?type) WHERE { ?w schema:name ?t ; "
                   "schema:datePublished ?d } ORDER BY ?t")  # fmt: skip
    assert {row[1] for row in dates} == {
        "http://www.w3.org/2001/XMLSchema#gYear",
        "http://www.w3.org/2001/XMLSchema#gYearMonth",
        "http://www.w3.org/2001/XMLSchema#date",
    }
    years = select(
        store,
        """SELECT ?t ?y WHERE { ?w schema:name ?t ; kg:publicationYear ?y
        FILTER (DATATYPE(?y) = xsd:integer && ?y >= 2019) } ORDER BY ?y""",
    )
    assert years == [("Year only", "2019"), ("Month", "2020")]


def test_titles_and_abstracts_in_the_language_the_record_states(tmp_path: Path) -> None:
    store = store_of(
        tmp_path,
        ris(
            "AU  - Doe, Jane\nTI  - Peer support at work\nPY  - 2019\nAB  - An abstract.\n"
            "LA  - English",
            "AU  - Doe, Jane\nTI  - Ohne Angabe\nPY  - 2019\nAB  - Kein Tag.",
            "AU  - Doe, Jane\nTI  - Klingon title\nPY  - 2019\nLA  - Klingon",
        ),
    )
    rows = select(
        store,
        """SELECT ?t (LANG(?t) AS ?tl) (LANG(?dt) AS ?dl) (COALESCE(LANG(?a), "-") AS ?al)
        WHERE { ?w schema:name ?t ; dcterms:title ?dt OPTIONAL { ?w schema:abstract ?a } }
        ORDER BY ?t""",
    )
    assert rows == [
        ("Klingon title", "", "", "-"),  # not a language kg knows: no tag
        ("Ohne Angabe", "", "", ""),  # no language stated: no tag
        ("Peer support at work", "en", "en", "en"),
    ]


def test_honorific_is_not_a_given_name(tmp_path: Path) -> None:
    bib = (
        "@article{a, author = {Shillcutt, Mr Samuel D and Walker, Damian G}, title = {Costs},\n"
        "  journal = {Journal of Tests}, year = {2009}}\n"
    )
    store = store_of(tmp_path, bib, ".bib")
    rows = select(
        store,
        """SELECT ?p ?given ?prefix ?name WHERE { ?p schema:givenName ?given ;
        schema:honorificPrefix ?prefix ; schema:name ?name }""",
    )
    assert rows == [
        ("https://example.org/kg/person/samuel-d-shillcutt", "Samuel D", "Mr", "Samuel D Shillcutt")
    ]


def test_real_zotero_bibtex_honorific(tmp_path: Path) -> None:
    path = real_input("bibtex/zotero-2014-bibtex-export-personal-library-messy.bib")
    store = graph_store(build_graph([path], ExportOptions()).graph)
    persons = {row[0] for row in select(store, "SELECT ?p WHERE { ?p a schema:Person }")}
    assert "https://example.org/kg/person/samuel-d-shillcutt" in persons
    assert "https://example.org/kg/person/mr-samuel-d-shillcutt" not in persons


def test_names_differing_by_a_middle_name_stay_apart_and_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "input.ris"
    path.write_text(
        ris(
            "AU  - Thiele, Maja\nAU  - Krag, Aleksander\nTI  - One\nPY  - 2019",
            "AU  - Thiele, Maja Sofie\nAU  - Krag, Aleksander\nTI  - Two\nPY  - 2020",
            "AU  - Thiele, Maja Sofie\nTI  - Three\nPY  - 2021\nJO  - Other",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    graph = (out / "graph.nt").read_text(encoding="utf-8")
    assert "<https://example.org/kg/person/maja-thiele>" in graph
    assert "<https://example.org/kg/person/maja-sofie-thiele>" in graph
    report = (out / "merges.txt").read_text(encoding="utf-8")
    assert "1 possible duplicate persons." in report
    section = report.split("Possible duplicates (persons kept apart; check them)\n")[1]
    assert section.splitlines()[1] == (
        "person maja-thiele: Maja Thiele; Maja Sofie Thiele (kept apart from "
        "person/maja-sofie-thiele: the names differ only by a middle name; shared co-authors: "
        "Aleksander Krag; shared journals or books: Journal of Tests)"
    )


def test_different_first_names_are_not_possible_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "input.ris"
    path.write_text(
        ris("AU  - Thiele, Maja\nTI  - One\nPY  - 2019", "AU  - Thiele, Sofie Maja\nTI  - Two"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    CliRunner().invoke(main, ["export", str(path), "--out", str(out), "--workers", "1"])
    assert "0 possible duplicate persons." in (out / "merges.txt").read_text(encoding="utf-8")

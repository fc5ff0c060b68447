"""report.html: every number on it is the graph's (by SPARQL, asked here on its own), every
chart has its table, it needs no network, it is the same bytes each time, and it stays small."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.namespaces import PREFIXES
from kg.query.sparql import open_store
from kg.report import build_report, data
from tests.conftest import FIXED_EPOCH
from tests.report_page import Page, number, read_page


def select(store: ox.Store, query: str) -> list[list[str]]:
    results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [["" if s[n] is None else s[n].value for n in names] for s in results]


def count(store: ox.Store, pattern: str) -> int:
    return int(select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0][0])


WORKS = "?x prov:wasDerivedFrom ?r . ?r a kg:SourceRecord ."


@pytest.fixture(scope="module")
def store(example_export: Path) -> ox.Store:
    return open_store([example_export / "graph.nt"])


@pytest.fixture(scope="module")
def page(example_export: Path) -> Page:
    return read_page(example_export / "report.html")


def test_summary_numbers_are_the_graphs(page: Page, store: ox.Store) -> None:
    assert number(page.summary["works"]) == count(store, WORKS) == 15
    assert number(page.summary["people"]) == count(store, "?x a schema:Person")
    assert number(page.summary["journals"]) == count(store, "?x a schema:Periodical")
    assert number(page.summary["books"]) == count(store, "?x a schema:Book")
    assert number(page.summary["themes"]) == count(store, "?x a skos:Concept")
    assert number(page.summary["triples"]) == len(store)
    (read, written, rejected), *_ = select(store, """SELECT ?r ?w ?j WHERE {
        ?a kg:recordsRead ?r ; kg:recordsWritten ?w ; kg:recordsRejected ?j }""")  # fmt: skip
    assert number(page.summary["records-read"]) == int(read) == 21
    assert number(page.summary["records-written"]) == int(written)
    assert number(page.summary["records-rejected"]) == int(rejected)
    inputs = select(store, """SELECT ?name ?format (COUNT(?rec) AS ?n) WHERE {
        ?f a kg:InputFile ; dcterms:title ?name ; kg:inputFormat ?format . ?rec kg:sourceFile ?f
        } GROUP BY ?name ?format ORDER BY ?name""")  # fmt: skip
    assert page.body("inputs") == inputs
    assert len(inputs) == 6


def test_works_per_year_table_is_the_graphs(page: Page, store: ox.Store) -> None:
    header, *rows = page.tables["years"]
    per_year = Counter(
        year
        for (year,) in select(
            store,
            f"""SELECT (SUBSTR(STR(MIN(?d)), 1, 4) AS ?y)
            WHERE {{ {WORKS} ?x schema:datePublished ?d }} GROUP BY ?x""",
        )
    )
    assert {row[0]: int(row[-1]) for row in rows} == dict(per_year)
    assert header[0] == "year" and header[-1] == "all"
    articles = header.index("Article")
    assert sum(int(row[articles]) for row in rows) == count(
        store, f"{WORKS} ?x a schema:ScholarlyArticle ; schema:datePublished ?d"
    )


def test_journals_and_books_tables_are_the_graphs(page: Page, store: ox.Store) -> None:
    journals = select(store, f"""SELECT ?name ?issn (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?j a schema:Periodical ; schema:name ?name ; schema:issn ?issn .
        {WORKS} ?x schema:isPartOf+ ?j }} GROUP BY ?name ?issn
        ORDER BY DESC(?n) ?name""")  # fmt: skip
    assert page.body("journals") == journals
    assert journals[0][1:] == ["1755-6228", "5"]
    books = select(store, f"""SELECT ?name ?isbn (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?b a schema:Book ; schema:name ?name ; schema:isbn ?isbn . {WORKS} ?x schema:isPartOf ?b
        }} GROUP BY ?name ?isbn""")  # fmt: skip
    assert page.body("books") == books


def test_matched_themes_and_source_keywords_are_told_apart(page: Page, store: ox.Store) -> None:
    themes = {row[0]: int(row[1]) for row in page.body("themes")}
    keywords = {row[0]: int(row[1]) for row in page.body("keywords")}
    # a vocabulary concept, found in titles and abstracts far more often than given as keyword
    linked = "schema:about|kg:matchedTheme"  # named by keywords, or found in the text
    about = count(store, f"{WORKS} ?x {linked} <https://example.org/kg/theme/peer-support>")
    given = count(store, f'{WORKS} ?x schema:keywords "Peer support"')
    assert themes["Peer support"] == about == 12
    assert keywords["Peer support"] == given == 8
    # a keyword the vocabulary does not know: a concept of its own, but a keyword, no theme
    assert "Mental Health Recovery" in keywords and "Mental Health Recovery" not in themes
    assert set(themes) <= {label for (label,) in select(store, """SELECT ?l WHERE {
        ?c skos:topConceptOf ?s ; skos:prefLabel ?l }""")}  # fmt: skip


def test_network_downloads_validation_and_merges(page: Page, store: ox.Store) -> None:
    people = page.body("people")
    authors = count(store, "?w prov:wasDerivedFrom/a kg:SourceRecord ; schema:author ?x . "
                    "?x a schema:Person")  # fmt: skip
    assert len(people) == authors  # under the cap: everyone
    pairs = select(store, f"""SELECT DISTINCT ?a ?b WHERE {{ {WORKS} ?x schema:author ?a, ?b .
        ?a a schema:Person . ?b a schema:Person . FILTER (STR(?a) < STR(?b)) }}""")  # fmt: skip
    assert len(page.body("links")) == len(pairs)
    downloads = select(store, """SELECT ?n WHERE { ?w schema:interactionStatistic ?s .
        ?s schema:userInteractionCount ?n } ORDER BY DESC(?n)""")  # fmt: skip
    assert [row[1] for row in page.body("downloads")] == [f"{int(n):,}" for (n,) in downloads]
    assert page.summary["validation"].startswith("Conforms: 0 violation(s), 6 warning(s)")
    validation = page.body("validation")
    assert [row[0] for row in validation][:1] == ["peer-support-search.txt:219"]
    assert all("no title" in row[2] for row in validation)
    merges = page.body("merges")
    assert len(merges) == 6
    assert any(
        "publication date: kept '2014-03-14' (peer-support-search.txt:4), not '2014-03-12' "
        "(peer-support.ris:1)" in row[2]
        for row in merges
    )


def test_every_chart_is_beside_its_table(page: Page) -> None:
    tables = set(page.tables)
    expected = {"years", "journals", "books", "themes", "keywords", "network", "downloads"}
    assert set(page.charts) == expected
    assert all(("people" if chart == "network" else chart) in tables for chart in page.charts)


def test_example_query_answers_are_on_the_page(page: Page, example_export: Path) -> None:
    csv = (example_export / "queries" / "prolific-authors.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in csv.strip().splitlines()[1:]]
    table = page.tables["query-prolific-authors"]
    assert len(table) - 1 == len(rows)
    assert [row[-1] for row in table[1:]] == [row[-1] for row in rows]


def test_the_page_needs_no_network(example_export: Path) -> None:
    text = (example_export / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.srcs == []  # no script, image or frame from anywhere
    assert not re.search(r"<link\b|@import|url\((?!#)", text)
    assert all(href.startswith("#") for href in page.hrefs)


def test_the_report_is_the_same_each_time(example_export: Path) -> None:
    store = open_store([example_export / "graph.nt"])
    first, second = build_report(store), build_report(store)
    assert first == second
    assert FIXED_EPOCH and "2025-11-25T00:00:00Z" in first


def test_lists_are_capped(example_export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "TOP_VENUES", 2)
    monkeypatch.setattr(data, "TOP_THEMES", 3)
    monkeypatch.setattr(data, "QUERY_ROWS", 4)
    monkeypatch.setattr(data, "NETWORK_PEOPLE", 5)
    store = open_store([example_export / "graph.nt"])
    page = Page(build_report(store))
    assert len(page.body("journals")) == 2 and len(page.body("themes")) == 3
    assert len(page.body("query-prolific-authors")) == 4
    assert len(page.body("people")) == 5
    text = build_report(store)
    assert "The 2 first of 4 journals." in text
    assert "The 5 most connected of 19 people" in text  # 19 authors (2 more are editors)


def test_kg_report_command(example_export: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.html"
    result = runner.invoke(main, ["report", str(example_export / "graph.ttl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = read_page(out)
    assert number(page.summary["works"]) == 15
    assert "Not validated here" in out.read_text(encoding="utf-8")
    both = [str(example_export / "graph.nt"), str(example_export / "validation.ttl")]
    result = runner.invoke(main, ["report", *both, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_page(out).summary["validation"].startswith("Conforms: 0 violation(s), 6 warn")
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle <", encoding="utf-8")
    result = runner.invoke(main, ["report", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: ") and result.stderr.count("\n") == 1


def test_a_graph_with_nothing_to_chart(tmp_path: Path) -> None:
    graph = tmp_path / "g.nt"
    graph.write_text('<https://example.org/a> <https://example.org/b> "c" .\n', "utf-8")
    page = Page(build_report(open_store([graph])))
    assert page.charts == []
    assert number(page.summary["works"]) == 0 and number(page.summary["triples"]) == 1


def test_the_sample_page_report(sample_page: Path, tmp_path: Path) -> None:
    """The publisher's sample: 10 works in 2 journals by 18 people, all in the network."""
    from kg.engines.local import export
    from kg.map.pipeline import ExportOptions

    export([sample_page], tmp_path, ExportOptions())
    page = read_page(tmp_path / "report.html")
    assert number(page.summary["works"]) == 10
    assert number(page.summary["journals"]) == 2
    assert number(page.summary["people"]) == 18
    assert len(page.body("people")) == 18
    assert len(page.body("journals")) == 2
    assert "network" in page.charts


def test_the_exports_answers_are_the_stores(example_export: Path) -> None:
    """The export's page reads the answers it wrote to queries/; kg report asks the store: the
    same tables."""
    exported = (example_export / "report.html").read_text(encoding="utf-8")
    asked = build_report(open_store([example_export / "graph.nt"]))
    section = '<section id="queries"'
    assert exported[exported.index(section) :] == asked[asked.index(section) :]
    assert Page(exported).body("query-work-sources")


def test_the_library_calls(example_export: Path, tmp_path: Path) -> None:
    import kg

    kg.write_report([example_export / "graph.nt"], tmp_path / "r.html")
    assert number(read_page(tmp_path / "r.html").summary["works"]) == 15
    pages = kg.write_site(example_export / "graph.nt", tmp_path / "site")
    assert pages == {"work": 15, "person": 21, "journal": 4, "book": 1, "theme": 33}
    assert (tmp_path / "site" / "index.html").is_file()

"""Every example query answers on the bundled example graph; the sample page's facts by SPARQL."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.engines.local import export
from kg.map.pipeline import ExportOptions
from kg.query.sparql import example_queries, example_query, open_store, run_query
from tests.conftest import fixed_epoch


def table(store: ox.Store, example: str, **values: str) -> list[tuple[str, ...]]:
    query = example_query(example)
    results = run_query(store, query.text, {**query.defaults, **values})
    assert isinstance(results, ox.QuerySolutions)
    return [tuple(t.value if t is not None else "" for t in row) for row in results]


@pytest.fixture(scope="module")
def store(example_export: Path) -> ox.Store:
    return open_store([example_export / "graph.ttl"])


def test_at_least_eight_examples_each_saying_what_it_answers() -> None:
    examples = example_queries()
    assert len(examples) >= 8
    for query in examples:
        assert query.text.startswith("# "), query.name
        assert len(query.description) > 20, query.name


def test_every_example_runs_and_answers(store: ox.Store) -> None:
    for query in example_queries():
        results = run_query(store, query.text, query.defaults)
        assert len(list(results)) > 0, query.name  # type: ignore[arg-type]


def test_works_per_journal(store: ox.Store) -> None:
    rows = [(name, issn, works) for _, name, issn, works in table(store, "works-per-journal")]
    assert rows == [
        ("The Journal of Mental Health Training, Education and Practice", "1755-6228", "5"),
        ("Journal of Public Mental Health", "1746-5729", "2"),
        ("Mental Health and Social Inclusion", "2042-8308", "2"),
        ("Mental Health Review Journal", "1361-9322", "1"),  # from the CSL-JSON export
    ]


def test_prolific_authors(store: ox.Store) -> None:
    rows = table(store, "prolific-authors")
    assert len(rows) == 21  # 19 people and 2 corporate authors
    assert [(name, n) for _, name, n in rows[:3]] == [
        ("Rosalind Teague", "3"),  # "Teague, R." in the RIS resolves to her
        ("Anne-Sophie de la Tourelle", "2"),
        ("Gráinne Mac Aodha", "2"),
    ]
    assert sum(n == "2" for _, _, n in rows) == 8


def test_coauthor_pairs(store: ox.Store) -> None:
    rows = table(store, "coauthor-pairs")
    assert rows[:2] == [
        ("Hendrik van den Broek", "Niamh O'Sullivan-Reyes", "2"),
        ("Ingrid Sørlie", "Kwabena Asante-Mensah", "2"),
    ]
    assert len(rows) == 20
    assert ("European Peer Support Collaboration", "Rosalind Teague", "1") in rows


def test_first_authors_use_the_positioned_authorship(store: ox.Store) -> None:
    rows = table(store, "first-authors")
    assert len(rows) == 14  # every work with an author; the edited book has editors only
    assert [(date, name) for _, date, name in rows if name == "Niamh O'Sullivan-Reyes"] == [
        ("2014-03-14", "Niamh O'Sullivan-Reyes"),
        ("2014-03-14", "Niamh O'Sullivan-Reyes"),
    ]
    assert ("2021-09-22", "Gráinne Mac Aodha") in [(d, n) for _, d, n in rows]


def test_themes_per_year(store: ox.Store) -> None:
    rows = table(store, "themes-per-year")
    assert ("Peer support", "2014", "keyword", "2") in rows  # the sources name it
    assert ("Peer support", "2014", "text", "2") in rows  # and kg found it in their text
    assert ("Stigma", "2017", "text", "1") in rows
    assert {how for *_, how, _ in rows} == {"keyword", "text"}
    years = {year for _, year, _, _ in rows}
    assert years == {"2011", "2014", "2017", "2019", "2021", "2022", "2023", "2024", "2025"}


def test_ahead_of_print(store: ox.Store) -> None:
    rows = [(date, journal, author) for _, date, journal, author in table(store, "ahead-of-print")]
    assert rows == [
        ("2025-02-19", "Mental Health and Social Inclusion", "Priya Raghunathan"),
        ("2024-10-03", "The Journal of Mental Health Training, Education and Practice",
         "Helena Kowalczyk-Barrett"),
    ]  # fmt: skip


def test_most_downloaded(store: ox.Store) -> None:
    rows = [(n, author) for _, n, _, author in table(store, "most-downloaded")]
    assert rows == [
        ("1187", "Rhys ap Gwilym"),
        ("734", "Ingrid Sørlie"),
        ("612", "Niamh O'Sullivan-Reyes"),
    ]


def test_journal_tree(store: ox.Store) -> None:
    rows = [(j[:20], v, i, d) for j, v, i, _, d in table(store, "journal-tree")]
    assert rows[:4] == [
        ("Journal of Public Me", "16", "4", "2017-11-30"),
        ("Journal of Public Me", "20", "2/3", "2021-09-22"),
        ("Mental Health Review", "16", "2", "2011-07-07"),
        ("Mental Health and So", "", "", "2025-02-19"),
    ]
    assert len(rows) == 10


def test_findings_mentioning_a_term_bound_as_a_value(store: ox.Store) -> None:
    assert [r[2] for r in table(store, "findings-mentioning")] == [
        "2014-03-14", "2019-05-05", "2023-11-27", "2024-10-03", "2025-02-19"
    ]  # fmt: skip
    stigma = table(store, "findings-mentioning", term="STIGMA")
    assert [r[0] for r in stigma] == ["STIGMA", "STIGMA"]
    assert all("stigma" in r[3].lower() for r in stigma)
    assert table(store, "findings-mentioning", term='") } UNION { ?work ?p ?o } #') == []


def test_coauthor_network_construct(store: ox.Store) -> None:
    results = run_query(store, example_query("coauthor-network").text)
    assert isinstance(results, ox.QueryTriples)
    edges = {(nt_term_of(t.subject), nt_term_of(t.object)) for t in results
             if t.predicate.value == "http://schema.org/colleague"}  # fmt: skip
    assert len(edges) == 40  # 20 pairs, both directions
    assert all((b, a) in edges for a, b in edges)


def nt_term_of(term: object) -> str:
    return str(term)


def test_lookups_agree_with_the_analytic_examples(store: ox.Store) -> None:
    """Each lookup, bound to what an analytic example found, finds the same thing."""
    for _, name, works in table(store, "prolific-authors"):
        rows = table(store, "works-by-person", name=name)
        assert len({work for _, _, work, _, _ in rows}) == int(works), name
    pairs = table(store, "coauthor-pairs")
    for a, b, together in pairs:
        coauthors = {(other, n) for *_, other, n in table(store, "coauthors-of", name=a)}
        assert (b, together) in coauthors, (a, b)
    for _, _, issn, works in table(store, "works-per-journal"):
        rows = table(store, "works-in-journal", issn=issn)
        assert len({work for _, _, work, _, _ in rows}) == int(works), issn


def test_a_lookup_bound_to_nothing_known_answers_nothing(store: ox.Store) -> None:
    assert table(store, "works-by-person", name="Nobody Atall") == []
    assert table(store, "work-by-doi", doi="10.5555/no-such-work") == []
    assert table(store, "works-on-theme", label="no such theme") == []


def test_work_by_doi_lists_its_authors_in_order(store: ox.Store) -> None:
    rows = table(store, "work-by-doi")
    assert [(position, author) for *_, position, author in rows] == [
        ("1", "Mateusz Wróblewski"),
        ("2", "Rosalind Teague"),
    ]
    assert {doi for doi, *_ in rows} == {"10.5555/kg-example-2011-0005"}


def test_works_on_a_theme_ignore_the_labels_language_tag(store: ox.Store) -> None:
    rows = table(store, "works-on-theme", label="co-production")
    assert rows == []  # the label is matched as written, case included
    rows = table(store, "works-on-theme")  # "Co-production"@en in the vocabulary
    assert len(rows) >= 1


def test_work_sources(store: ox.Store) -> None:
    rows = table(store, "work-sources")
    assert [(f, line) for _, f, line in rows][:3] == [
        ("peer-support-crossref.json", "9"), ("peer-support-csl.json", "2"),
        ("peer-support-search.txt", "4"),
    ]  # fmt: skip
    # a work merged from two inputs names both records it was read from
    merged = [(f, line) for work, f, line in rows if work.endswith("10.5555/kg-example-2014-0001")]
    assert merged == [("peer-support-search.txt", "4"), ("peer-support.ris", "1")]


def test_export_folder_holds_each_query_and_its_results(example_export: Path) -> None:
    folder = example_export / "queries"
    for query in example_queries():
        assert (folder / f"{query.name}.rq").read_text(encoding="utf-8") == query.text
        csv = (folder / f"{query.name}.csv").read_bytes()
        assert csv.count(b"\r\n") >= 2, query.name  # header and at least one row


def test_the_sample_page_facts_are_visible_by_sparql(sample_page: Path, tmp_path: Path) -> None:
    with fixed_epoch():
        export([sample_page], tmp_path, ExportOptions())
    store = open_store([tmp_path / "graph.ttl"])

    def one(query: str) -> str:
        rows = list(run_query(store, query))  # type: ignore[arg-type]
        assert len(rows) == 1
        return str(rows[0][0].value)  # type: ignore[union-attr]

    assert one("SELECT (COUNT(*) AS ?n) WHERE { ?w a schema:ScholarlyArticle }") == "9"
    chapters = """SELECT (COUNT(*) AS ?n) WHERE {
        ?w a schema:Chapter ; schema:isPartOf ?b . ?b bibo:isbn13 "9781803824291" }"""
    assert one(chapters) == "1"
    assert one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?w schema:author ?p }") == "18"
    issns = """SELECT (GROUP_CONCAT(?i; separator=' ') AS ?n) WHERE {
        { SELECT ?i WHERE { ?j a schema:Periodical ; schema:issn ?i } ORDER BY ?i } }"""
    assert one(issns) == "1755-6228 2042-8308"
    assert one("SELECT (COUNT(*) AS ?n) WHERE { ?w bibo:status kg:aheadOfPrint }") == "2"
    assert one("SELECT (COUNT(*) AS ?n) WHERE { ?w schema:interactionStatistic ?c }") == "3"
    same = """SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE {
        ?w schema:isPartOf ?issue ; schema:datePublished "2012-06-15"^^xsd:date ;
           kg:authorship [ kg:position 1 ; kg:person/schema:name "Julie Repper" ] . }"""
    assert one(same) == "2"
    one_issue = """SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {
        ?w schema:datePublished "2012-06-15"^^xsd:date ; schema:isPartOf ?i }"""
    assert one(one_issue) == "1"

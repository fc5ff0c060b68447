"""Several inputs, one graph: works merge, journals, books and persons resolve, conflicts show."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.core.namespaces import PREFIXES
from kg.core.problems import Severity
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.resolve.merge_report import render_merge_report
from tests.conftest import real_input
from tests.page_builder import PageRecord, page
from tests.test_mapping import rows, store_of

PAGE_ABSTRACT = (
    "This paper describes how a regional mental health trust designed a supervision framework "
    "for its first cohort of paid peer support workers and what the workers made of it. It sets "
    "out why line management was kept apart from reflective practice."
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ris(*records: str) -> str:
    return "".join(record.strip("\n") + "\nER  - \n\n" for record in records)


def journal_article(**fields: str) -> str:
    values = {
        "TY": "JOUR",
        "AU": "Lovelace, A.\nAU  - Babbage, C.",
        "TI": "Supervising peer workers",
        "T2": "Journal of Engines",
        "PY": "2012",
        "VL": "7",
        "IS": "2",
        "SN": "1755-6228",
        "DO": "10.5555/kg-test-0001",
        "AB": f"Purpose – {PAGE_ABSTRACT}",
    }
    values.update(fields)
    return "\n".join(f"{tag}  - {value}" for tag, value in values.items() if value)


def build(*paths: Path) -> BuiltGraph:
    return build_graph(list(paths), ExportOptions())


def store(built: BuiltGraph) -> ox.Store:
    return store_of(built.graph)


def test_a_page_record_and_the_ris_record_of_the_same_result_are_one_work(tmp_path: Path) -> None:
    """The page gives no title or DOI; authors, year and the abstract's opening match the RIS."""
    page_file = write(tmp_path, "page.txt", page(PageRecord(sections=[("Purpose", PAGE_ABSTRACT)])))
    ris_file = write(tmp_path, "export.ris", ris(journal_article()))
    built = build(page_file, ris_file)
    graph = store(built)
    works = rows(graph, "SELECT ?w WHERE { ?w a schema:ScholarlyArticle }")
    assert works == [("https://example.org/kg/work/doi/10.5555/kg-test-0001",)]
    # facts of both: the page's exact date and section, the RIS title and DOI
    facts = rows(
        graph,
        """SELECT ?title ?date ?doi (COUNT(DISTINCT ?source) AS ?sources) WHERE {
            ?w a schema:ScholarlyArticle ; schema:name ?title ; schema:datePublished ?date ;
               bibo:doi ?doi ; kg:abstractSection ?section ; prov:wasDerivedFrom ?source .
        } GROUP BY ?title ?date ?doi""",
    )
    assert facts == [("Supervising peer workers", "2012-06-15", "10.5555/kg-test-0001", "2")]
    # the RIS initials resolve to the page's full names: two persons, not four
    people = rows(
        graph, "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
    )
    assert people == [("Ada Lovelace",), ("Charles Babbage",)]
    assert [w.reason for w in built.merges.merged] == [
        "same type, year, author family names and abstract"
    ]


def test_page_records_whose_abstracts_only_open_alike_stay_two_works(tmp_path: Path) -> None:
    one = PageRecord(sections=[("Purpose", PAGE_ABSTRACT), ("Findings", "Supervision helped.")])
    two = PageRecord(sections=[("Purpose", PAGE_ABSTRACT), ("Findings", "Nothing changed.")])
    built = build(write(tmp_path, "page.txt", page(one, two)))
    assert len(rows(store(built), "SELECT ?w WHERE { ?w a schema:ScholarlyArticle }")) == 2
    assert built.merges.merged == ()


def test_the_first_input_wins_a_conflict_and_the_report_names_both(tmp_path: Path) -> None:
    first = write(tmp_path, "first.ris", ris(journal_article()))
    second = write(
        tmp_path, "second.ris", ris(journal_article(TI="Supervising peer staff", PY="2013"))
    )
    built = build(first, second)
    titles = rows(
        store(built), "SELECT ?t ?d WHERE { ?w schema:name ?t ; schema:datePublished ?d }"
    )
    assert titles == [("Supervising peer workers", "2012")]
    conflicts = [(c.field, c.kept, c.other) for c in built.merges.conflicts]
    assert conflicts == [("title", "Supervising peer workers", "Supervising peer staff"),
                         ("publication date", "2012", "2013")]  # fmt: skip
    warnings = [str(p) for p in built.problems if p.severity is Severity.WARNING]
    assert any(
        "second.ris:1: record 1: warning: disagrees on the title: kept 'Supervising peer workers'"
        f" from {first}:1" in w
        for w in warnings
    )
    report = render_merge_report(built.merges, built.minter)
    assert "conflict on title: kept 'Supervising peer workers'" in report
    assert "first.ris:1  record 1: Supervising peer workers" in report
    assert "second.ris:1  record 1: Supervising peer staff" in report


def test_a_more_precise_date_that_agrees_is_kept_without_a_conflict(tmp_path: Path) -> None:
    first = write(tmp_path, "a.ris", ris(journal_article(PY="2012")))
    second = write(tmp_path, "b.ris", ris(journal_article(PY="2012", DA="2012/06/15/")))
    built = build(first, second)
    assert built.merges.conflicts == []
    dates = rows(store(built), "SELECT ?d WHERE { ?w schema:datePublished ?d }")
    assert dates == [("2012-06-15",)]


def test_two_papers_with_different_dois_never_merge_and_the_refusal_is_reported(
    tmp_path: Path,
) -> None:
    one = journal_article(DO="10.5555/kg-test-0001")
    two = journal_article(DO="10.5555/kg-test-0002")  # same title, authors, year: an erratum
    built = build(write(tmp_path, "x.ris", ris(one, two)))
    works = rows(store(built), "SELECT ?w WHERE { ?w a schema:ScholarlyArticle } ORDER BY ?w")
    assert len(works) == 2
    assert len(built.merges.refused) == 1
    assert (
        "DOIs differ (10.5555/kg-test-0001, 10.5555/kg-test-0002)" in built.merges.refused[0].reason
    )


def test_a_title_match_in_two_journals_known_by_issn_is_refused(tmp_path: Path) -> None:
    """The same editor writes "Welcome to the new volume" in two journals the same year."""
    one = journal_article(DO="", TI="Welcome to the new volume", SN="1755-6228")
    two = journal_article(DO="", TI="Welcome to the new volume", SN="2042-8308")
    built = build(write(tmp_path, "e.ris", ris(one, two)))
    assert len(rows(store(built), "SELECT ?w WHERE { ?w a schema:ScholarlyArticle }")) == 2
    assert [r.reason for r in built.merges.refused] == [
        "same type, title, year and author family names, but their journals differ "
        "(issn-1755-6228, issn-2042-8308)"
    ]


def test_works_without_authors_do_not_merge_on_a_title(tmp_path: Path) -> None:
    one = journal_article(AU="", DO="", TI="Editorial", SN="")
    two = journal_article(AU="", DO="", TI="Editorial", SN="", T2="Another journal")
    built = build(write(tmp_path, "e.ris", ris(one, two)))
    assert len(rows(store(built), "SELECT ?w WHERE { ?w a schema:ScholarlyArticle }")) == 2
    assert built.merges.merged == ()


def test_the_sample_pages_two_2012_papers_stay_two_works_after_merging(sample_page: Path) -> None:
    built = build(sample_page)
    graph = store(built)
    pairs = rows(
        graph,
        """SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE {
            ?w schema:datePublished ?d ; schema:author ?a1, ?a2 .
            ?a1 schema:familyName "Repper" . ?a2 schema:familyName "Watson" .
            FILTER (YEAR(?d) = 2012)
        }""",
    )
    assert pairs == [("2",)]
    assert built.merges.merged == ()


def test_a_journal_resolves_by_any_of_its_issns(tmp_path: Path) -> None:
    both = journal_article(SN="1755-6228 (Print); 2042-8707 (Online)", DO="10.5555/a")
    electronic_only = journal_article(
        SN="2042-8707", DO="10.5555/b", TI="Another paper", T2="J. Engines"
    )
    built = build(write(tmp_path, "j.ris", ris(both, electronic_only)))
    graph = store(built)
    journals = rows(
        graph,
        """SELECT ?j ?name ?print ?electronic WHERE {
            ?j a schema:Periodical ; schema:name ?name ; bibo:issn ?print ; bibo:eissn ?electronic
        }""",
    )
    assert journals == [
        (
            "https://example.org/kg/periodical/issn-1755-6228",
            "Journal of Engines",
            "1755-6228",
            "2042-8707",
        )
    ]
    alternate = rows(graph, "SELECT ?a WHERE { ?j a schema:Periodical ; schema:alternateName ?a }")
    assert alternate == [("J. Engines",)]
    volumes = rows(graph, "SELECT DISTINCT ?v WHERE { ?v a schema:PublicationVolume }")
    assert volumes == [("https://example.org/kg/periodical/issn-1755-6228/volume/7",)]


def test_a_journal_without_issn_joins_the_one_journal_of_that_title(tmp_path: Path) -> None:
    with_issn = journal_article(DO="10.5555/a")
    without = journal_article(SN="", DO="10.5555/b", TI="Another paper")
    graph = store(build(write(tmp_path, "t.ris", ris(with_issn, without))))
    journals = rows(
        graph, "SELECT DISTINCT ?j WHERE { ?w schema:isPartOf+ ?j . ?j a schema:Periodical }"
    )
    assert journals == [("https://example.org/kg/periodical/issn-1755-6228",)]


def test_books_resolve_by_isbn_10_or_13(tmp_path: Path) -> None:
    chapter = "TY  - CHAP\nAU  - Lovelace, Ada\nTI  - {}\nT2  - Engines\nPY  - 2020\nSN  - {}"
    chapter_13 = chapter.format("One", "978-0-306-40615-7")
    chapter_10 = chapter.format("Two", "0-306-40615-2")
    graph = store(build(write(tmp_path, "b.ris", ris(chapter_13, chapter_10))))
    books = rows(
        graph, "SELECT DISTINCT ?b ?isbn WHERE { ?c schema:isPartOf ?b . ?b bibo:isbn13 ?isbn }"
    )
    assert books == [("https://example.org/kg/book/isbn-9780306406157", "9780306406157")]


def test_persons_resolve_by_orcid_and_initials_never_on_two_candidates(tmp_path: Path) -> None:
    records = [
        journal_article(AU="Smith, John", DO="10.5555/1", TI="A"),
        journal_article(AU="Smith, Jane", DO="10.5555/2", TI="B"),
        journal_article(AU="Smith, J.", DO="10.5555/3", TI="C"),  # John or Jane: kept apart
        journal_article(AU="Lovelace, Ada", DO="10.5555/4", TI="D"),
        journal_article(AU="Lovelace, A.", DO="10.5555/5", TI="E"),  # the one Lovelace
    ]
    built = build(write(tmp_path, "p.ris", ris(*records)))
    people = rows(
        store(built), "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?p"
    )
    assert people == [
        ("https://example.org/kg/person/ada-lovelace", "Ada Lovelace"),
        ("https://example.org/kg/person/j-smith", "J. Smith"),
        ("https://example.org/kg/person/jane-smith", "Jane Smith"),
        ("https://example.org/kg/person/john-smith", "John Smith"),
    ]
    alternates = rows(store(built), "SELECT ?p ?alt WHERE { ?p schema:alternateName ?alt }")
    assert alternates == [("https://example.org/kg/person/ada-lovelace", "A. Lovelace")]
    kept_apart = [r for r in built.merges.resolutions if not r.merged]
    assert [(r.forms, r.reason) for r in kept_apart] == [
        (("Smith, J.",), "initials match 2 people (Jane Smith, John Smith); kept apart")
    ]


def test_a_name_without_orcid_joins_the_one_orcid_holder_of_that_name(tmp_path: Path) -> None:
    csl = tmp_path / "items.json"
    csl.write_text(
        '[{"id": "a", "type": "article-journal", "title": "A", "DOI": "10.5555/c1",'
        ' "issued": {"date-parts": [[2020]]},'
        ' "author": [{"family": "Lovelace", "given": "Ada", "ORCID": "0000-0002-1825-0097"}]}]',
        encoding="utf-8",
    )
    other = write(tmp_path, "b.ris", ris(journal_article(AU="Lovelace, Ada", DO="10.5555/c2")))
    graph = store(build(csl, other))
    people = rows(graph, "SELECT DISTINCT ?p WHERE { ?w schema:author ?p }")
    assert people == [("https://example.org/kg/person/orcid-0000-0002-1825-0097",)]


# --- real exports ---------------------------------------------------------------------------


def test_real_pubmed_and_web_of_science_exports_merge_by_doi() -> None:
    pubmed = real_input("ris/pubmed-medline-nbib-named-ris.ris")
    wos = real_input("ris/webofscience-export-asreview-baseline.ris")
    built = build(pubmed, wos)
    assert built.counts.read == 60 and built.counts.rejected == 0
    merged = {
        str(built.minter.work(work.record)): [m.record.source.file for m in work.members]
        for work in built.merges.merged
    }
    assert merged == {
        "https://example.org/kg/work/doi/10.7554/elife.80092": [str(pubmed), str(wos)],
        "https://example.org/kg/work/doi/10.1038/s41598-017-11538-w": [str(pubmed), str(wos)],
    }
    graph = store(built)
    # PubMed comes first, so its title wins; Web of Science's run-together title is reported
    title = rows(
        graph,
        "SELECT ?t WHERE { <https://example.org/kg/work/doi/10.7554/elife.80092> schema:name ?t }",
    )
    assert title == [("Spinosaurus is not an aquatic dinosaur.",)]
    conflict_fields = {c.field for c in built.merges.conflicts}
    assert "title" in conflict_fields and "language" not in conflict_fields  # eng == English
    sources = rows(
        graph,
        """SELECT (COUNT(?r) AS ?n) WHERE {
            <https://example.org/kg/work/doi/10.7554/elife.80092> prov:wasDerivedFrom ?r }""",
    )
    assert sources == [("2",)]


def test_real_exports_keep_an_initial_apart_when_two_full_names_fit() -> None:
    """PubMed has "Nathan Myhrvold" and "Nathan P Myhrvold"; WoS's "Myhrvold, N.P." fits both."""
    built = build(
        real_input("ris/pubmed-medline-nbib-named-ris.ris"),
        real_input("ris/webofscience-export-asreview-baseline.ris"),
        real_input("ris/scopus-export-asreview-baseline.ris"),
        real_input("ris/zotero-export-asreview-baseline-crlf.ris"),
    )
    apart = [r for r in built.merges.resolutions if not r.merged and r.kind == "person"]
    assert any(r.forms == ("Myhrvold, N.P.",) and "Nathan Myhrvold" in r.reason for r in apart), (
        apart
    )
    journals = {r.key: r.forms for r in built.merges.resolutions if r.kind == "journal"}
    assert journals["issn-0027-8424"] == ("0027-8424 (print)", "1091-6490 (electronic)")


def test_prefixes_cover_every_minted_namespace(tmp_path: Path) -> None:
    built = build(write(tmp_path, "x.ris", ris(journal_article(PB="Engine Press"))))
    graph = store(built)
    publisher = rows(graph, "SELECT ?p ?n WHERE { ?w schema:publisher ?p . ?p schema:name ?n }")
    assert publisher == [("https://example.org/kg/organization/engine-press", "Engine Press")]
    assert "schema" in PREFIXES

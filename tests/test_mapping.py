"""Mapping records to the modelling contract, and the IRI rules that decide identity."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, URIRef

from kg.core import namespaces as ns
from kg.core.namespaces import PREFIXES
from kg.core.problems import Severity
from kg.errors import IriError
from kg.map.graph import ExportGraph
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.resolve.mint import Minter, check_iri, slug
from tests.conftest import EXAMPLE, fixed_epoch
from tests.page_builder import PageRecord, page


def build(tmp_path: Path, *records: PageRecord, **options: str) -> BuiltGraph:
    path = tmp_path / "page.txt"
    path.write_text(page(*records), encoding="utf-8")
    return build_graph([path], ExportOptions(**options))  # type: ignore[arg-type]


def store_of(graph: ExportGraph) -> ox.Store:
    store = ox.Store()
    for s, p, o in graph:
        store.add(ox.Quad(_ox(s), ox.NamedNode(str(p)), _ox(o)))
    return store


def _ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from kg.core.graphio import to_oxigraph

    return to_oxigraph(term)  # type: ignore[arg-type]


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [
        tuple(term.value if term is not None else "" for term in solution)
        for solution in store.query(query, prefixes=PREFIXES)
    ]


@pytest.fixture(scope="module")
def example() -> BuiltGraph:
    with fixed_epoch():
        return build_graph([EXAMPLE], ExportOptions())


def test_article_classes_date_and_type_line(example: BuiltGraph) -> None:
    store = store_of(example.graph)
    found = rows(store, "SELECT ?w WHERE { ?w a schema:ScholarlyArticle , bibo:AcademicArticle }")
    assert len(found) == 10
    chapters = rows(
        store,
        """SELECT ?w WHERE { ?w a schema:Chapter , bibo:Chapter ; schema:isPartOf ?b .
        ?b a schema:Book , bibo:Book }""",
    )
    assert len(chapters) == 2
    genres = {r[0] for r in rows(store, "SELECT ?g WHERE { ?w schema:genre ?g }")}
    assert genres == {"Research Article", "Case Study", "Viewpoint", "Literature Review"}
    # a chapter's "Type: Book" line names its container, not the chapter's genre
    assert not rows(store, "SELECT ?w WHERE { ?w a schema:Chapter ; schema:genre ?g }")
    dates = rows(store, "SELECT (DATATYPE(?d) AS ?t) WHERE { ?w schema:datePublished ?d }")
    assert {r[0] for r in dates} == {str(ns.XSD.date)}


def test_author_order_by_list_and_by_position(example: BuiltGraph) -> None:
    store = store_of(example.graph)
    third = """SELECT ?name WHERE {
        ?w kg:authorship ?a . ?a kg:position 3 ; kg:person/schema:name ?name } ORDER BY ?name"""
    assert rows(store, third) == [
        ("Anne-Sophie de la Tourelle",),
        ("Gráinne Mac Aodha",),
        ("Ingrid Sørlie",),
    ]
    # The rdf:List and the positioned authorships tell the same order for every work.
    by_list = """SELECT ?w ?name WHERE {
        ?w bibo:authorList ?list . ?list rdf:rest* ?cell . ?cell rdf:first/schema:name ?name .
        { SELECT ?w ?cell (COUNT(?before) AS ?pos) WHERE {
            ?w bibo:authorList ?list . ?list rdf:rest* ?before . ?before rdf:rest* ?cell .
        } GROUP BY ?w ?cell }
    } ORDER BY ?w ?pos"""
    by_position = """SELECT ?w ?name WHERE {
        ?w kg:authorship ?a . ?a kg:position ?pos ; kg:person/schema:name ?name }
        ORDER BY ?w ?pos"""
    assert rows(store, by_list) == rows(store, by_position)
    assert len({w for w, _ in rows(store, by_position)}) == 12


def test_same_person_journal_book_theme_share_one_iri(example: BuiltGraph) -> None:
    store = store_of(example.graph)
    people = rows(store, "SELECT DISTINCT ?p WHERE { ?p a schema:Person }")
    assert len(people) == 19
    journals = rows(
        store, "SELECT ?j ?issn WHERE { ?j a schema:Periodical ; schema:issn ?issn } ORDER BY ?issn"
    )
    assert [j[1] for j in journals] == ["1746-5729", "1755-6228", "2042-8308"]
    assert journals[1][0] == "https://example.org/kg/periodical/issn-1755-6228"
    books = rows(store, "SELECT ?b ?isbn WHERE { ?b a schema:Book ; bibo:isbn13 ?isbn }")
    assert books == [("https://example.org/kg/book/isbn-9781837975624", "9781837975624")]


def test_two_papers_by_the_same_authors_in_one_issue_stay_two_works(tmp_path: Path) -> None:
    one = PageRecord(sections=[("Purpose", "First paper.")])
    two = PageRecord(sections=[("Purpose", "Second paper.")])
    built = build(tmp_path, one, two)
    store = store_of(built.graph)
    works = rows(store, "SELECT ?w ?i WHERE { ?w a schema:ScholarlyArticle ; schema:isPartOf ?i }")
    assert len({w for w, _ in works}) == 2 and len({i for _, i in works}) == 1
    assert built.counts.written == 2


def test_an_identical_record_twice_is_one_work_with_both_sources(tmp_path: Path) -> None:
    built = build(tmp_path, PageRecord(), PageRecord())
    assert (built.counts.read, built.counts.written, built.counts.rejected) == (2, 2, 0)
    (merged,) = built.problems
    assert merged.severity is Severity.MERGED and merged.message.endswith("; both kept")
    store = store_of(built.graph)
    sources = rows(store, "SELECT ?w ?r WHERE { ?w prov:wasDerivedFrom ?r }")
    assert len(sources) == 2 and len({w for w, _ in sources}) == 1


def test_a_keyword_spelt_like_a_vocabulary_concept_links_to_it(tmp_path: Path) -> None:
    store = store_of(build(tmp_path, PageRecord(keywords=["Peer-Support"])).graph)
    labels = rows(
        store,
        """SELECT ?label WHERE {
        <https://example.org/kg/theme/peer-support> skos:prefLabel ?label }""",
    )
    assert labels == [("Peer support",)]


def test_parts_of_a_book_the_model_does_not_hold_are_reported(tmp_path: Path) -> None:
    part = PageRecord(
        content_type="Book part",
        details=["Studies in Care, vol. 38", "Type: Book", "ISSN: 0275-4959"],
    )
    built = build(tmp_path, part)
    messages = [p.message for p in built.problems]
    assert any("series ISSN '0275-4959'" in m for m in messages)
    assert any("volume '38'" in m for m in messages)
    books = rows(
        store_of(built.graph), "SELECT ?b WHERE { ?w schema:isPartOf ?b . ?b a schema:Book }"
    )
    assert books == [("https://example.org/kg/book/studies-in-care/volume/38",)]


def test_ahead_of_print_has_status_and_no_invented_volume(tmp_path: Path) -> None:
    record = PageRecord(details=["MHSI, vol. ahead-of-print no. ahead-of-print", "ISSN: 2042-8308"])
    store = store_of(build(tmp_path, record).graph)
    assert rows(
        store, "SELECT ?s ?c WHERE { ?w bibo:status ?s ; schema:creativeWorkStatus ?c }"
    ) == [(str(ns.KG.aheadOfPrint), "Ahead of print")]
    assert (
        rows(
            store,
            """SELECT ?x WHERE { ?x a ?t
            FILTER (?t IN (schema:PublicationVolume, schema:PublicationIssue)) }""",
        )
        == []
    )
    assert rows(store, "SELECT ?j WHERE { ?w schema:isPartOf ?j . ?j a schema:Periodical }") != []


def test_volume_issue_chain(tmp_path: Path) -> None:
    record = PageRecord(details=["Journal of X, vol. 14 no. 2/3", "ISSN: 2042-8308"])
    store = store_of(build(tmp_path, record).graph)
    chain = rows(
        store,
        """SELECT ?i ?n ?v ?vn ?j WHERE {
        ?w schema:isPartOf ?i . ?i a schema:PublicationIssue , bibo:Issue ; schema:issueNumber ?n ;
        schema:isPartOf ?v . ?v schema:volumeNumber ?vn ; schema:isPartOf ?j .
        ?j a schema:Periodical }""",
    )
    base = "https://example.org/kg/periodical/issn-2042-8308"
    assert chain == [(f"{base}/volume/14/issue/2-3", "2/3", f"{base}/volume/14", "14", base)]


def test_structured_abstract_sections_in_order(tmp_path: Path) -> None:
    sections = [("Purpose", "P."), ("Findings", "F."), ("Social implications", "S.")]
    store = store_of(build(tmp_path, PageRecord(sections=sections)).graph)
    found = rows(
        store,
        """SELECT ?pos ?kind ?heading ?text WHERE {
        ?w kg:abstractSection ?s .
        ?s kg:position ?pos ; kg:sectionKind ?kind ; schema:name ?heading ; schema:text ?text
    } ORDER BY ?pos""",
    )
    assert found == [
        ("1", str(ns.KG.Purpose), "Purpose", "P."),
        ("2", str(ns.KG.Findings), "Findings", "F."),
        ("3", str(ns.KG.SocialImplications), "Social implications", "S."),
    ]
    assert rows(store, "SELECT ?a WHERE { ?w schema:abstract ?a }") == [
        ("Purpose: P.\n\nFindings: F.\n\nSocial implications: S.",)
    ]


def test_download_counter(tmp_path: Path) -> None:
    store = store_of(build(tmp_path, PageRecord(downloads="1,520")).graph)
    assert rows(
        store,
        """SELECT ?n (DATATYPE(?n) AS ?t) WHERE {
        ?w schema:interactionStatistic ?c . ?c a schema:InteractionCounter ;
        schema:interactionType schema:DownloadAction ; schema:userInteractionCount ?n }""",
    ) == [("1520", str(ns.XSD.integer))]


def test_invalid_issn_is_kept_as_written_and_reported(tmp_path: Path) -> None:
    record = PageRecord(details=["Journal of X, vol. 1 no. 1", "ISSN: 1755-6229"])
    built = build(tmp_path, record)
    warnings = [p for p in built.problems if p.severity is Severity.WARNING]
    assert len(warnings) == 1 and "ISSN '1755-6229'" in warnings[0].message
    assert warnings[0].record == 1 and warnings[0].location.line == 4
    assert rows(store_of(built.graph), "SELECT ?i WHERE { ?j schema:issn ?i }") == [("1755-6229",)]


def test_themes_from_keywords_and_from_text(tmp_path: Path) -> None:
    record = PageRecord(
        sections=[("Purpose", "How peer support workers experience clinical supervision.")],
        keywords=["Peer support", "Walking groups", "walking groups", "DOI:"],
    )
    store = store_of(build(tmp_path, record).graph)
    # What the source says: its keywords, and the concepts they name ("DOI:" names none).
    about = rows(
        store,
        """SELECT ?c ?label WHERE {
        ?w schema:about ?c ; dcterms:subject ?c . ?c skos:prefLabel ?label } ORDER BY ?c""",
    )
    assert about == [
        ("https://example.org/kg/theme/peer-support", "Peer support"),
        ("https://example.org/kg/theme/walking-groups", "Walking groups"),
    ]
    keywords = rows(store, "SELECT ?k WHERE { ?w schema:keywords ?k } ORDER BY ?k")
    assert keywords == [("DOI:",), ("Peer support",), ("Walking groups",), ("walking groups",)]
    # What kg found in the text: apart from schema:about, with the words and the field.
    matched = rows(
        store,
        """SELECT ?c ?field ?words WHERE {
        ?w kg:matchedTheme ?c ; kg:themeMatch ?m . ?m a kg:ThemeMatch ; kg:theme ?c ;
           kg:matchedIn ?field ; kg:matchedText ?words } ORDER BY ?c ?field ?words""",
    )
    peer, supervision = (
        f"https://example.org/kg/theme/{n}" for n in ("peer-support", "supervision")
    )
    assert matched == [  # the longest label found at a place is the evidence
        (peer, str(ns.SCHEMA.abstract), "peer support workers"),
        (peer, str(ns.SCHEMA.keywords), "peer support"),
        (supervision, str(ns.SCHEMA.abstract), "clinical supervision"),
        (supervision, str(ns.SCHEMA.abstract), "supervision"),
    ]
    found_only = rows(
        store,
        """SELECT ?c WHERE { ?w kg:matchedTheme ?c FILTER NOT EXISTS { ?w schema:about ?c } }""",
    )
    assert found_only == [("https://example.org/kg/theme/supervision",)]
    # Every theme is a schema:DefinedTerm in a schema:DefinedTermSet, as schema:about expects.
    untyped = rows(
        store,
        """SELECT ?c WHERE { { ?w schema:about ?c } UNION { ?w kg:matchedTheme ?c }
        FILTER NOT EXISTS { ?c a schema:DefinedTerm ; schema:name ?n ;
                               schema:inDefinedTermSet/a schema:DefinedTermSet } }""",
    )
    assert untyped == []


def test_user_theme_vocabulary_replaces_the_default(tmp_path: Path) -> None:
    themes = tmp_path / "themes.ttl"
    themes.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://vocab.example/s> a skos:ConceptScheme ; skos:prefLabel "Engines"@en .\n'
        "<https://vocab.example/engine> a skos:Concept ;\n"
        "  skos:inScheme <https://vocab.example/s> ;\n"
        '  skos:prefLabel "Engine"@en .\n',
        encoding="utf-8",
    )
    store = store_of(build(tmp_path, PageRecord(), themes=str(themes)).graph)  # type: ignore[arg-type]
    assert rows(store, "SELECT ?c WHERE { ?w kg:matchedTheme ?c }") == [
        ("https://vocab.example/engine",)
    ]
    assert rows(store, "SELECT ?c WHERE { ?w schema:about ?c }") == []


def test_no_blank_nodes_but_list_cells(example: BuiltGraph) -> None:
    for subject, predicate, value in example.graph:
        if isinstance(subject, BNode):
            assert predicate in (ns.RDF.first, ns.RDF.rest)
        if isinstance(value, BNode):
            assert predicate in (ns.BIBO.authorList, ns.RDF.rest)


def test_every_iri_passes_a_strict_parser(example: BuiltGraph) -> None:
    for triple in example.graph:
        for term in triple:
            if isinstance(term, URIRef):
                ox.NamedNode(str(term))  # raises on an invalid IRI


def test_provenance_names_file_and_line(example: BuiltGraph) -> None:
    store = store_of(example.graph)
    found = rows(
        store,
        """SELECT ?file ?line WHERE { ?w prov:wasDerivedFrom ?r .
        ?r kg:sourceFile/dcterms:title ?file ; kg:sourceLine ?line } ORDER BY xsd:integer(?line)""",
    )
    assert found[0] == ("peer-support-search.txt", "4") and len(found) == 12
    counts = rows(
        store,
        """SELECT ?r ?w ?x WHERE {
        ?a kg:recordsRead ?r ; kg:recordsWritten ?w ; kg:recordsRejected ?x }""",
    )
    assert counts == [("12", "12", "0")]
    created = rows(store, "SELECT ?t WHERE { ?d dcterms:created ?t }")
    assert created == [("2025-11-25T00:00:00Z",)]


def test_void_triples_counts_the_whole_graph(example: BuiltGraph) -> None:
    store = store_of(example.graph)
    stated = rows(store, "SELECT ?n WHERE { ?d void:triples ?n }")
    assert stated == [(str(len(example.graph)),)]


def test_base_iri_option(tmp_path: Path) -> None:
    built = build(tmp_path, PageRecord(), base_iri="https://data.example.edu/kg/")
    subjects = {str(s) for s, _, _ in built.graph if isinstance(s, URIRef)}
    assert subjects and all(s.startswith("https://data.example.edu/kg/") for s in subjects)


@pytest.mark.parametrize(
    "base",
    ["https://example.org/kg", "not an iri/", "https://exa mple.org/", "https://example.org/kg#"],
)
def test_bad_base_iri_is_refused(base: str) -> None:
    with pytest.raises(IriError):
        Minter(base)


@pytest.mark.parametrize(
    "iri", ["https://x.org/a b", "https://x.org/a<b", "https://x.org/{a}", "relative/path"]
)
def test_check_iri_refuses_what_strict_parsers_refuse(iri: str) -> None:
    with pytest.raises(IriError):
        check_iri(iri)


def test_person_iri_prefers_orcid() -> None:
    from kg.core.records import PersonName

    minter = Minter()
    with_orcid = PersonName("Josiah Carberry", orcid="https://orcid.org/0000-0002-1825-0097")
    assert str(minter.person(with_orcid)).endswith("person/orcid-0000-0002-1825-0097")
    assert str(minter.person(PersonName("Zoë d'Aubigné"))).endswith("person/zoe-daubigne")


def test_slug_keeps_letters_without_marks() -> None:
    assert slug("Ægir Þórsson") == "aegir-thorsson"
    assert slug("Œuvre — 2/3") == "oeuvre-2-3"

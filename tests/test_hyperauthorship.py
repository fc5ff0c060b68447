"""One record with thousands of authors: every stage linear in its authors, and co-author examples
that leave hyperauthored works out (issue #15).

No test here times anything (machines are noisy; benchmarks/bench_authors.py times the stages).
Each linear step is held by a count of something deterministic at two sizes, the second twice
the first: term comparisons in Python, triple lookups of the SPARQL (run by rdflib, as pySHACL
runs the constraints). A step that pairs every author with every other one gives four times the
count at twice the authors; a linear one gives twice (and a little, for what does not grow).
"""

from __future__ import annotations

import contextlib
import functools
import io
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from kg.core.graphio import to_quad, to_rdflib
from kg.core.namespaces import BIBO, KG, PREFIXES, RDF, SCHEMA
from kg.core.rdf import Triple
from kg.engines.local import load_context
from kg.errors import QueryError
from kg.map.graph import ExportGraph
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.query.rdflib_engine import run_rdflib_query
from kg.query.sparql import example_query, format_results, run_query
from kg.validate.compiled import CompiledShapes
from kg.validate.reference import load_shapes
from kg.validate.scalable import validate_compiled
from kg.validate.sparql import SparqlConstraint, run_constraints, split_shapes
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.turtle import write_turtle

THRESHOLD = 100  # the co-author examples' default maxAuthors
LINEAR = 2.3  # the most a count may grow when the authors double (quadratic: 4)


def ris_record(authors: int, doi: str, family: str = "Author") -> str:
    """One RIS article with ``authors`` authors and as many keywords."""
    lines = ["TY  - JOUR"]
    lines += [f"AU  - {family}{_letters(n)}, Ana" for n in range(authors)]
    lines += ["TI  - A measurement by a large collaboration", "T2  - Journal of Big Science",
              "SN  - 1755-6228", "PY  - 2024/05/17/", f"DO  - {doi}"]  # fmt: skip
    lines += [f"KW  - Topic {_letters(n)}" for n in range(authors)]
    return "\n".join([*lines, "ER  - ", ""])


def _letters(number: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": names and keywords that stay words."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[digit] + text
        if number == 0:
            return text.capitalize()


def built(tmp_path: Path, *records: str) -> BuiltGraph:
    path = tmp_path / f"records-{len(list(tmp_path.iterdir()))}.ris"
    path.write_text("".join(records), encoding="utf-8")
    return build_graph([path], ExportOptions())


def store_of(graph: ExportGraph) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(to_quad(triple) for triple in graph)
    return store


def rdflib_of(graph: ExportGraph) -> rdflib.Graph:
    return graph.to_rdflib()


def the_work(graph: ExportGraph, doi: str) -> URIRef:
    return URIRef(next(str(s) for s, p, o in graph if p == BIBO.doi and str(o) == doi))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Callable[[type, str], list[int]]:
    """Count the calls of a method: ``calls = counted(Class, "name")``, then ``calls[0]``."""

    def count(owner: type, name: str) -> list[int]:
        calls = [0]
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)
        return calls

    return count


# --- the co-author examples: hyperauthored works give no pairs --------------------------------


@pytest.fixture(scope="module")
def over_and_at(tmp_path_factory: pytest.TempPathFactory) -> ExportGraph:
    """A work with one author more than the threshold, and one with exactly the threshold."""
    folder = tmp_path_factory.mktemp("coauthors")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764028800")
        return built(folder, ris_record(THRESHOLD + 1, "10.5555/over", "Over"),
                     ris_record(THRESHOLD, "10.5555/at", "At")).graph  # fmt: skip


def pairs(results: Any) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row) for row in results]


def test_a_work_over_the_threshold_gives_no_pairs_one_at_it_gives_every_pair(
    over_and_at: ExportGraph,
) -> None:
    query = example_query("coauthor-pairs")
    assert query.defaults == {"maxAuthors": str(THRESHOLD)}
    rows = pairs(run_query(store_of(over_and_at), query.text, query.defaults))
    assert len(rows) == THRESHOLD * (THRESHOLD - 1) // 2  # n(n-1)/2 of the work at the threshold
    assert all(a.startswith("Ana At") and b.startswith("Ana At") for a, b, _ in rows)
    assert {works for _, _, works in rows} == {"1"}


def test_the_network_links_only_the_authors_of_the_work_at_the_threshold(
    over_and_at: ExportGraph,
) -> None:
    query = example_query("coauthor-network")
    triples = list(run_query(store_of(over_and_at), query.text, query.defaults))  # type: ignore[arg-type]
    edges = [t for t in triples if t.predicate.value == "http://schema.org/colleague"]
    assert len(edges) == THRESHOLD * (THRESHOLD - 1)  # both directions
    names = {t.object.value for t in triples if t.predicate.value == str(SCHEMA.name)}
    assert len(names) == THRESHOLD and all(name.startswith("Ana At") for name in names)


def test_the_threshold_is_a_parameter_on_the_rdflib_engine(tmp_path: Path) -> None:
    graph = rdflib_of(built(tmp_path, ris_record(3, "10.5555/three"),
                            ris_record(4, "10.5555/four", "Other")).graph)  # fmt: skip
    for name in ("coauthor-pairs", "coauthor-network"):
        text = example_query(name).text
        unbound, default = (
            run_rdflib_query(graph, text),
            run_rdflib_query(graph, text, {"maxAuthors": "100"}),
        )
        assert format_results(unbound, "csv") == format_results(default, "csv"), name
    three = run_rdflib_query(graph, example_query("coauthor-pairs").text, {"maxAuthors": "3"})
    assert len(pairs(three)) == 3  # the three-author work's pairs; the four-author one is over


def test_oxigraph_leaves_the_default_to_the_query_and_refuses_another_value(
    over_and_at: ExportGraph,
) -> None:
    store = store_of(over_and_at)
    text = example_query("coauthor-pairs").text
    assert pairs(run_query(store, text, {"maxAuthors": "100"})) == pairs(run_query(store, text))
    with pytest.raises(QueryError, match=r"does not project \?maxAuthors: bind it with --engine"):
        run_query(store, text, {"maxAuthors": "50"})
    with pytest.raises(QueryError, match=r"does not project \?z"):  # a query of one's own
        run_query(store, "SELECT ?x WHERE { FILTER (?z) }", {"z": "1"})


def test_the_co_author_examples_read_in_proportion_to_the_authors(
    tmp_path: Path, counted: Callable[[type, str], list[int]]
) -> None:
    """rdflib evaluates the examples' works one by one: a hyperauthored work read pair by pair
    would take four times the lookups at twice the authors."""
    graphs = [rdflib_of(built(tmp_path, ris_record(n, f"10.5555/n{n}")).graph) for n in (150, 300)]
    lookups = counted(rdflib.Graph, "triples")
    for name in ("coauthor-pairs", "coauthor-network"):
        counts = []
        for graph in graphs:
            lookups[0] = 0
            assert not list(run_rdflib_query(graph, example_query(name).text)), name  # type: ignore[arg-type]
            counts.append(lookups[0])
        assert counts[1] <= LINEAR * counts[0], (name, counts)


# --- the export, stage by stage, compares terms in proportion to the authors ------------------


def test_list_detection_compares_cells_in_proportion_to_the_list(
    counted: Callable[[type, str], list[int]],
) -> None:
    """The writers' rdf:List detection once asked a Python list whether it held each cell."""

    def author_list(length: int) -> ExportGraph:
        cells = [BNode(f"cell{n}") for n in range(length)]
        triples: list[Triple] = [(URIRef("https://example.org/work"), BIBO.authorList, cells[0])]
        for n, cell in enumerate(cells):
            triples.append((cell, RDF.first, URIRef(f"https://example.org/person/{n}")))
            triples.append((cell, RDF.rest, cells[n + 1] if n + 1 < length else RDF.nil))
        return ExportGraph(triples)

    graphs = [author_list(n) for n in (1000, 2000)]
    comparisons = counted(rdflib.term.Identifier, "__eq__")
    counts = []
    for graph in graphs:
        comparisons[0] = 0
        lists = graph.inline_lists()
        assert len(next(iter(lists.members.values()))) == len(lists.cells)
        counts.append(comparisons[0])
    assert counts[1] <= LINEAR * counts[0] + 100, counts


def test_every_stage_compares_terms_in_proportion_to_the_authors(
    tmp_path: Path, counted: Callable[[type, str], list[int]]
) -> None:
    """Map and sort, the three writers and the compiled core checks of one hyperauthored record."""
    compiled = CompiledShapes(split_shapes(load_shapes())[0])
    comparisons = counted(rdflib.term.Identifier, "__eq__")
    literal_comparisons = counted(rdflib.term.Literal, "__eq__")
    stages: dict[str, list[int]] = {}

    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        comparisons[0] = literal_comparisons[0] = 0
        yield
        stages.setdefault(name, []).append(comparisons[0] + literal_comparisons[0])

    for n in (200, 400):
        path = tmp_path / f"authors-{n}.ris"
        path.write_text(ris_record(n, f"10.5555/n{n}"), encoding="utf-8")
        with stage("read, resolve, map, sort"):
            graph = build_graph([path], ExportOptions()).graph
        with stage("turtle"):
            write_turtle(graph, io.StringIO(), PREFIXES)
        with stage("jsonld"):
            write_jsonld(graph, io.StringIO(), load_context())
        with stage("ntriples"):
            write_ntriples(graph, io.StringIO())
        with stage("compiled core checks"):
            validate_compiled(graph, compiled, workers=1)
    for name, (small, large) in stages.items():
        assert large <= LINEAR * small + 100, (name, small, large)


# --- the SPARQL constraints: linear, and what the pairwise queries they replace answered -------


def constraints() -> dict[str, SparqlConstraint]:
    return {str(c.node).rsplit("#", 1)[-1]: c for c in split_shapes(load_shapes())[1]}


def test_every_sparql_constraint_reads_in_proportion_to_the_authors(
    tmp_path: Path, counted: Callable[[type, str], list[int]]
) -> None:
    """As pySHACL runs them: rdflib, $this bound to the hyperauthored work."""
    works = []
    for n in (100, 200):
        exported = built(tmp_path, ris_record(n, f"10.5555/n{n}")).graph
        works.append((rdflib_of(exported), the_work(exported, f"10.5555/n{n}")))
    lookups = counted(rdflib.Graph, "triples")
    for name, constraint in constraints().items():
        counts = []
        for graph, work in works:
            lookups[0] = 0
            assert not list(graph.query(constraint.query, initBindings={"this": work})), name
            counts.append(lookups[0])
        assert counts[1] <= LINEAR * counts[0] + 10, (name, counts)


# The constraints as they were written before they were made linear: each paired every authorship
# (or list cell) with every other one. The linear ones must answer what these did.
PAIRWISE = {
    "AuthorshipPositions": """
        SELECT DISTINCT $this ?value WHERE {
            $this kg:authorship ?authorship . ?authorship kg:position ?value .
            FILTER (DATATYPE(?value) = xsd:integer)
            OPTIONAL {
                $this kg:authorship ?other . ?other kg:position ?same .
                FILTER (?other != ?authorship && ?same = ?value)
            }
            OPTIONAL {
                $this kg:authorship ?before . ?before kg:position ?previous .
                FILTER (?previous = ?value - 1)
            }
            FILTER (BOUND(?other) || (?value > 1 && !BOUND(?before)))
        }""",
    "AuthorListLength": """
        SELECT $this (COUNT(DISTINCT ?cell) AS ?listed) (COUNT(DISTINCT ?author) AS ?authors)
        WHERE {
            { $this schema:author ?author . } UNION { $this bibo:authorList ?head . }
            OPTIONAL { $this bibo:authorList/rdf:rest* ?cell . ?cell rdf:first ?member . }
        }
        GROUP BY $this
        HAVING (COUNT(DISTINCT ?cell) != COUNT(DISTINCT ?author))""",
}
PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("kg", "xsd", "schema", "bibo", "rdf"))
# Positions of every kind: integers (repeats, gaps, 0), other numbers equal to integers or not,
# strings, an IRI. (An ill-typed "x"^^xsd:integer sends rdflib into endless recursion on
# ?value - 1 in the pairwise query; it has a test of its own below.)
POSITIONS: list[Callable[[random.Random], Any]] = [
    lambda r: Literal(r.randint(0, 6)),
    lambda r: Literal(r.randint(1, 4)),
    lambda r: Literal(f"{r.randint(1, 4)}.0", datatype=rdflib.XSD.decimal),
    lambda r: Literal(f"{r.randint(1, 4)}.5", datatype=rdflib.XSD.decimal),
    lambda r: Literal(f"{r.randint(1, 4)}.0E0", datatype=rdflib.XSD.double),
    lambda r: Literal(str(r.randint(1, 4))),
    lambda r: URIRef("https://example.org/not-a-number"),
]


def random_works(seed: int) -> rdflib.Graph:
    """Four works with random authorships, positions, authors and author lists."""
    r = random.Random(seed)
    graph = rdflib.Graph()
    for w in range(4):
        work = URIRef(f"https://example.org/w{w}")
        graph.add((work, KG.contentType, Literal("Article")))
        for a in range(r.randint(0, 5)):
            owner = w if r.random() < 0.9 else (w + 1) % 4  # now and then another work's
            authorship = URIRef(f"https://example.org/w{owner}/author/{a}")
            graph.add((work, KG.authorship, authorship))
            for _ in range(r.choice((0, 1, 1, 1, 2))):
                graph.add((authorship, KG.position, r.choice(POSITIONS)(r)))
        people = [URIRef(f"https://example.org/p{r.randint(0, 6)}") for _ in range(r.randint(0, 5))]
        for person in people[: r.randint(0, len(people))]:
            graph.add((work, SCHEMA.author, person))
        if people and r.random() < 0.8:
            cells = [BNode() for _ in people]
            graph.add((work, BIBO.authorList, cells[0]))
            for n, cell in enumerate(cells):
                if r.random() < 0.95:
                    graph.add((cell, RDF.first, people[n]))
                if r.random() < 0.1:
                    graph.add((cell, RDF.first, URIRef("https://example.org/p-extra")))
                graph.add((cell, RDF.rest, cells[n + 1] if n + 1 < len(cells) else RDF.nil))
    return graph


def answers_by_rdflib(graph: rdflib.Graph, query: str) -> set[tuple[tuple[str, str], ...]]:
    """As pySHACL asks: once per focus node, $this bound."""
    found = set()
    prepared = _prepared(query)
    for work in {s for s in graph.subjects(KG.contentType, None) if isinstance(s, URIRef)}:
        for row in graph.query(prepared, initBindings={"this": work}):
            found.add(tuple(sorted((k, v.n3()) for k, v in row.asdict().items())))  # type: ignore[union-attr]
    return found


@functools.cache
def _prepared(query: str) -> Query:
    return prepareQuery(query)


def answers_by_oxigraph(graph: rdflib.Graph, query: str) -> set[tuple[tuple[str, str], ...]]:
    """As kg's bulk engine asks: once for all, $this free."""
    store = ox.Store()
    store.bulk_extend(to_quad(triple) for triple in graph)  # type: ignore[arg-type]
    works = {ox.NamedNode(str(s)) for s in graph.subjects(KG.contentType, None)}
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    names = [variable.value for variable in results.variables]
    found = set()
    for solution in results:
        bound = {name: solution[name] for name in names if solution[name] is not None}
        if bound.get("this") in works:
            found.add(tuple(sorted((k, to_rdflib(v).n3()) for k, v in bound.items())))
    return found


@pytest.mark.parametrize("seeds", [60, pytest.param(1000, marks=pytest.mark.slow)])
@pytest.mark.parametrize("name", sorted(PAIRWISE))
def test_the_linear_constraints_answer_what_the_pairwise_ones_did(name: str, seeds: int) -> None:
    linear, pairwise = constraints()[name].query, PROLOGUE + PAIRWISE[name]
    for seed in range(seeds):
        graph = random_works(seed)
        assert answers_by_rdflib(graph, linear) == answers_by_rdflib(graph, pairwise), seed
        assert answers_by_oxigraph(graph, linear) == answers_by_oxigraph(graph, pairwise), seed


def test_a_position_that_is_no_number_repeats_only_as_the_same_term() -> None:
    """SPARQL's = holds an ill-typed literal equal to the same term only (the pairwise query's
    sense of a repeat); it is never a gap."""
    query = constraints()["AuthorshipPositions"].query
    work = URIRef("https://example.org/w0")
    graph = rdflib.Graph()
    graph.add((work, KG.contentType, Literal("Article")))
    for n, position in enumerate(["x", "x", "y"]):
        authorship = URIRef(f"https://example.org/w0/author/{n}")
        graph.add((work, KG.authorship, authorship))
        graph.add((authorship, KG.position, Literal(position, datatype=rdflib.XSD.integer)))
    expected = {(("this", work.n3()), ("value", Literal("x", datatype=rdflib.XSD.integer).n3()))}
    assert answers_by_rdflib(graph, query) == expected
    assert answers_by_oxigraph(graph, query) == expected


def test_the_bulk_engine_reports_repeats_and_gaps_of_a_hyperauthored_work(tmp_path: Path) -> None:
    """Positions 1 .. n with n - 1 moved onto n - 2 (a repeat, and a gap at n)."""
    n = 500
    graph = built(tmp_path, ris_record(n, "10.5555/gap")).graph
    work = the_work(graph, "10.5555/gap")
    moved = URIRef(f"{work}/author/{n - 1}")
    triples = [t for t in graph if not (t[0] == moved and t[1] == KG.position)]
    triples.append((moved, KG.position, Literal(n - 2)))
    store = store_of(ExportGraph(triples))
    found = {
        (r.focus, str(r.value))
        for r in run_constraints(store, [constraints()["AuthorshipPositions"]])
    }
    assert found == {(work, str(n - 2)), (work, str(n))}

"""kg export's validation (chunks in worker processes + SPARQL constraints on Oxigraph) says
exactly what pySHACL says on the whole graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal

from benchmarks.synthetic import write_page, write_ris
from kg.core.external_sort import SortedRuns, scratch_folder
from kg.core.namespaces import SCHEMA
from kg.core.progress import Progress
from kg.errors import ShapesError
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.validate import scalable as scalable_validation
from kg.validate.compiled import CompiledShapes, UnsupportedShapesError
from kg.validate.reference import SH, ValidationOutcome, ValidationResult, load_shapes
from kg.validate.report import StoreLookup, render_report
from kg.validate.scalable import _store_of as open_store_of
from kg.validate.scalable import (
    closure_chunks,
    inverse_paths_are_chunk_safe,
    validate_compiled,
    validate_export,
)
from kg.validate.sparql import split_shapes
from kg.write.sorted_graph import encode_triples, sort_graph
from tests.conftest import EXAMPLES
from tests.pyshacl_reference import pyshacl_on_whole_graph
from tests.violations import break_every_constraint

pytestmark = pytest.mark.slow


def broken_synthetic_graph(tmp_path: Path) -> ExportGraph:
    """150 synthetic records, with a few values broken the way real data breaks."""
    page = tmp_path / "synthetic.txt"
    write_page(page, 150, seed=7)
    graph = build_graph([page], ExportOptions()).graph
    triples = list(graph)
    journals = sorted({s for s, p, _ in triples if p == SCHEMA.issn})
    works = sorted({s for s, p, _ in triples if p == SCHEMA.datePublished})
    triples = [t for t in triples if not (t[0] == journals[0] and t[1] == SCHEMA.issn)]
    triples.append((journals[0], SCHEMA.issn, Literal("1755-6229")))  # check digit
    triples.append((journals[1], SCHEMA.name, Literal("A second name")))  # two names
    triples = [
        t for t in triples if not (t[0] == works[3] and t[1] == SCHEMA.author)
    ]  # list != authors
    return ExportGraph(triples)


def test_chunked_parallel_validation_equals_pyshacl_on_the_whole_graph(tmp_path: Path) -> None:
    graph = broken_synthetic_graph(tmp_path)
    shapes = load_shapes()
    assert len(list(closure_chunks(graph, 2_000))) > 5
    fast = validate_export(graph, shapes, chunk_triples=2_000, workers=2)
    reference = pyshacl_on_whole_graph(graph.to_rdflib(), shapes)
    assert fast.results == reference.results
    assert len(fast.violations) >= 3


def test_inverse_paths_on_shared_nodes_fall_back_to_the_whole_graph(tmp_path: Path) -> None:
    shapes = load_shapes()
    assert inverse_paths_are_chunk_safe(shapes)
    extra = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <http://schema.org/> .
        <https://x.org/OneWorkEach> a sh:NodeShape ; sh:targetClass schema:Person ;
          sh:property [ sh:path [ sh:inversePath schema:author ] ; sh:maxCount 1 ] .""",
        format="turtle",
    )
    custom = shapes + extra
    assert not inverse_paths_are_chunk_safe(custom)
    graph = build_graph(list(EXAMPLES), ExportOptions()).graph
    fast = validate_export(graph, custom, chunk_triples=100)
    reference = pyshacl_on_whole_graph(graph.to_rdflib(), custom)
    assert fast.results == reference.results
    people_with_two_works = [
        r for r in fast.violations if str(r.component).endswith("MaxCountConstraintComponent")
    ]
    assert len(people_with_two_works) == 9  # prolific-authors: 9 people with two works


@pytest.fixture(scope="module")
def broken_corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[ExportGraph, set[tuple[str, str]]]:
    """10,000 synthetic records (a search page and a RIS file of 5,000 each), broken in every
    way kg's shapes check, a few nodes each."""
    folder = tmp_path_factory.mktemp("corpus")
    write_page(folder / "synthetic.txt", 5_000, seed=11)
    write_ris(folder / "synthetic.ris", 5_000, seed=12)
    inputs = [folder / "synthetic.txt", folder / "synthetic.ris"]
    graph = build_graph(inputs, ExportOptions()).graph
    return break_every_constraint(graph, load_shapes())


def test_the_corpus_holds_every_kind_of_violation(
    broken_corpus: tuple[ExportGraph, set[tuple[str, str]]],
) -> None:
    _, kinds = broken_corpus
    names = "MinCount MaxCount Datatype Class Or NodeKind Pattern MinLength MinInclusive In Node"
    components = {component.removeprefix(SH) for _, component in kinds}
    assert components == {f"{name}ConstraintComponent" for name in [*names.split(), "SPARQL"]}
    sparql = {shape for shape, c in kinds if c == SH + "SPARQLConstraintComponent"}
    shapes = "PeriodicalShape PersonShape WorkShape WorkPagesShape ConceptShape ExportActivityShape"
    shapes += " BookShape"
    assert sparql == {f"https://w3id.org/kg/shapes#{name}" for name in shapes.split()}
    assert len(kinds) > 90  # (shape, constraint) pairs


@pytest.fixture(scope="module")
def reference_outcome(
    broken_corpus: tuple[ExportGraph, set[tuple[str, str]]],
) -> ValidationOutcome:
    return pyshacl_on_whole_graph(broken_corpus[0].to_rdflib(), load_shapes())


def test_fast_validation_equals_pyshacl_on_the_whole_10k_corpus(
    broken_corpus: tuple[ExportGraph, set[tuple[str, str]]], reference_outcome: ValidationOutcome
) -> None:
    """Chunks in two worker processes + SPARQL constraints on Oxigraph, against pySHACL on the
    whole 10,000-record graph: the same results, field for field (focus node, path, value,
    constraint component, severity, source shape and constraint, message)."""
    graph, kinds = broken_corpus
    shapes = load_shapes()
    fast = validate_export(graph, shapes, chunk_triples=20_000, workers=2)
    assert fast.results == reference_outcome.results
    assert kinds <= {(str(r.source_shape), str(r.component)) for r in reference_outcome.results}


def test_the_streaming_path_validates_the_10k_corpus_as_pyshacl_does(
    broken_corpus: tuple[ExportGraph, set[tuple[str, str]]],
    reference_outcome: ValidationOutcome,
    tmp_path: Path,
) -> None:
    """What kg export does: the graph as sorted runs on disk, indexed as it is read back, the
    SPARQL constraints and the report's lookups on an on-disk store filled by the bulk loader."""
    graph, _ = broken_corpus
    with scratch_folder(tmp_path) as scratch:
        runs = SortedRuns(scratch, run_entries=50_000)
        runs.extend(encode_triples(graph.triples))
        sorted_graph, _ = sort_graph(runs, scratch)
        nt = tmp_path / "graph.nt"
        nt.write_text("".join(sorted_graph.nt_lines()), encoding="utf-8")
        store = ox.Store(str(tmp_path / "store"))
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        outcome = validate_export(sorted_graph, load_shapes(), store=lambda: store, workers=2)
        assert outcome.results == reference_outcome.results
        assert render_report(outcome, StoreLookup(store)) == render_report(outcome, graph)


def test_shapes_the_engine_does_not_compile_are_checked_by_pyshacl() -> None:
    """sh:languageIn is outside what kg.validate.compiled compiles: it says so, and validation still
    gives pySHACL's results (pySHACL checks the chunks)."""
    extra = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://x.org/FrenchLabels> a sh:NodeShape ; sh:targetClass skos:Concept ;
          sh:property [ sh:path skos:prefLabel ; sh:languageIn ( "fr" ) ] .""",
        format="turtle",
    )
    custom = load_shapes() + extra
    core, _ = split_shapes(custom)
    with pytest.raises(UnsupportedShapesError, match="languageIn"):
        CompiledShapes(core)
    graph = build_graph(list(EXAMPLES), ExportOptions()).graph
    fast = validate_export(graph, custom, chunk_triples=500, workers=2)
    reference = pyshacl_on_whole_graph(graph.to_rdflib(), custom)
    assert fast.results == reference.results
    assert any(str(r.component).endswith("LanguageInConstraintComponent") for r in fast.results)


_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
_TARGET_C = "ex:S a sh:NodeShape ; sh:targetClass ex:C ;"

# Each found by an independent review, where kg's engine first disagreed with pySHACL.
SHAPE_CASES = {
    "sh:node to a shape that only warns": (
        "ex:a a ex:C ; ex:p ex:b .",
        f"""{_TARGET_C} sh:property [ sh:path ex:p ; sh:node ex:T ] .
        ex:T a sh:NodeShape ; sh:severity sh:Warning ;
            sh:property [ sh:path ex:q ; sh:minCount 1 ] .""",
    ),
    "sh:property inside a property shape": (
        "ex:a a ex:C ; ex:author ex:b , ex:c . ex:b ex:name 'B' .",
        f"""{_TARGET_C}
            sh:property [ sh:path ex:author ;
                sh:property [ sh:path ex:name ; sh:minCount 1 ] ] .""",
    ),
    "a shape that refers to itself, on a cycle": (
        "ex:a a ex:C ; ex:knows ex:b . ex:b ex:knows ex:a .",
        f"""{_TARGET_C} sh:property [ sh:path ex:knows ; sh:node ex:S ] ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ] .""",
    ),
    "a constraint component of the shapes' own": (
        "ex:a a ex:C ; ex:p 'abcdef' .",
        f"""ex:MaxLen a sh:ConstraintComponent ; sh:parameter [ sh:path ex:maxLen ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:message "too long" ;
                sh:ask "ASK {{ FILTER (STRLEN(str($value)) <= $maxLen) }}" ] .
        {_TARGET_C} sh:property [ sh:path ex:p ; ex:maxLen 3 ] .""",
    ),
    "an unknown severity inside sh:or": (
        "ex:a a ex:C ; ex:p 1 .",
        f"""{_TARGET_C} sh:property [ sh:path ex:p ;
            sh:or ( [ sh:datatype xsd:string ; sh:severity ex:Critical ] ) ] .""",
    ),
    "a class that is a shape without saying so": (
        "ex:a a ex:C . ex:b a ex:D .",
        """ex:C a rdfs:Class ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:Meta rdfs:subClassOf rdfs:Class . ex:D a ex:Meta ;
            sh:property [ sh:path ex:r ; sh:minCount 1 ] .""",
    ),
    "sh:deactivated as a string": (
        "ex:a a ex:C .",
        f"""{_TARGET_C} sh:deactivated "true" ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .""",
    ),
    "sh:in without a message": (
        "ex:a a ex:C ; ex:p ex:z .",
        f"""{_TARGET_C} sh:property [ sh:path ex:p ; sh:in ( ex:x ex:y ex:x "a" ) ] .""",
    ),
    "sh:minLength 0 on a blank node": (
        "ex:a a ex:C ; ex:p [ ex:q 1 ] .",
        f"""{_TARGET_C} sh:property [ sh:path ex:p ; sh:minLength 0 ] .""",
    ),
    "a length limit spelt with the shapes' own prefix": (
        "ex:a a ex:C ; ex:p 'ab' .",
        f"""@prefix xs: <http://www.w3.org/2001/XMLSchema#> .
        {_TARGET_C} sh:property [ sh:path ex:p ; sh:minLength "3"^^xs:integer ] .""",
    ),
    "an inverse path from a literal inside sh:or": (
        "ex:a a ex:C ; ex:p 'x' . ex:b ex:q 'x' .",
        f"""{_TARGET_C} sh:property [ sh:path ex:p ;
            sh:or ( [ sh:path [ sh:inversePath ex:q ] ; sh:minCount 1 ] ) ] .""",
    ),
}


QUIET_CASES = {
    "sh:deactivated as a string",
    "sh:minLength 0 on a blank node",
    "an inverse path from a literal inside sh:or",
}


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_unusual_shapes_give_pyshacls_results(case: str) -> None:
    data, shape_text = SHAPE_CASES[case]
    graph = ExportGraph(Graph().parse(data=_PREFIXES + data, format="turtle"))
    shapes = Graph().parse(data=_PREFIXES + shape_text, format="turtle")
    fast = validate_export(graph, shapes, workers=1)
    reference = pyshacl_on_whole_graph(graph.to_rdflib(), shapes)
    assert fast.results == reference.results
    # Three cases pass: a deactivated shape, a zero minimum length, a referrer that exists.
    assert bool(fast.results) == (case not in QUIET_CASES)


def test_literal_focus_nodes_are_a_clear_error() -> None:
    graph = ExportGraph(Graph().parse(data=_PREFIXES + "ex:a ex:p ex:b, 'lit' .", format="turtle"))
    shapes = Graph().parse(
        data=_PREFIXES + "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .",
        format="turtle",
    )
    with pytest.raises(ShapesError, match="literal a focus node"):
        validate_export(graph, shapes, workers=1)


def test_the_store_is_opened_after_the_core_checks_and_only_for_sparql_constraints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The export's store and the core checks' index each cost about what the graph does, so the
    store is asked for only once the index is gone, and not at all without SPARQL constraints."""
    graph = build_graph(EXAMPLES, ExportOptions()).graph
    events: list[str] = []

    def watched_validation(
        data: ExportGraph,
        compiled: CompiledShapes,
        workers: int | None,
        progress: Progress | None = None,
    ) -> list[ValidationResult]:
        events.append("core checks")
        return validate_compiled(data, compiled, workers, progress)

    monkeypatch.setattr(scalable_validation, "validate_compiled", watched_validation)

    def store() -> ox.Store:
        events.append("store")
        return open_store_of(graph)

    with_constraints = validate_export(graph, load_shapes(), store=store, workers=1)
    assert events == ["core checks", "store"]
    assert with_constraints.results == validate_export(graph, load_shapes(), workers=1).results

    core, _ = split_shapes(load_shapes())
    events.clear()
    validate_export(graph, core, store=store, workers=1)
    assert events == ["core checks"]


def test_workers_check_target_nodes_that_are_not_in_the_data() -> None:
    """Forked workers get the focus nodes in subject order; a target node the data never
    mentions has no place in it and is still checked."""
    data = "ex:a a ex:C ; ex:p 1 . ex:b a ex:C . ex:c ex:q ex:a ."
    shapes_text = (
        "ex:S a sh:NodeShape ; sh:targetNode ex:absent, ex:a, ex:c ;"
        " sh:property [ sh:path ex:p ; sh:minCount 1 ] ."
        f" {_TARGET_C} sh:property [ sh:path ex:p ; sh:minCount 1 ] ."
    )
    graph = ExportGraph(Graph().parse(data=_PREFIXES + data, format="turtle"))
    shapes = Graph().parse(data=_PREFIXES + shapes_text, format="turtle")
    fast = validate_export(graph, shapes, workers=2)
    reference = pyshacl_on_whole_graph(graph.to_rdflib(), shapes)
    assert fast.results == reference.results
    assert {str(r.focus) for r in fast.results} == {
        "http://ex.org/absent",
        "http://ex.org/b",
        "http://ex.org/c",
    }

"""`kg validate`: the export's engine by default, pySHACL (the reference) on request, the same
report either way; the engine named; progress on a terminal only."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.core.namespaces import PREFIXES, RDF, SCHEMA, SHACL
from kg.core.progress import Progress
from kg.errors import UsageError
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.validate import DEFAULT_ENGINE, ENGINES, validate_files, validate_graph
from kg.validate.reference import load_shapes
from kg.validate.sparql import split_shapes
from kg.write.turtle import write_turtle
from tests.conftest import EXAMPLES, ROOT
from tests.violations import break_every_constraint

EX = "https://x.org/"
TINY_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
<https://x.org/PersonShape> a sh:NodeShape ; sh:targetClass schema:Person ;
  sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] ;
  sh:sparql [ sh:message "{$this} has a second name" ;
    sh:select "SELECT $this WHERE { $this <http://schema.org/name> ?a, ?b . FILTER (?a < ?b) }" ] .
"""  # noqa: E501
TINY_GRAPH = """\
<https://x.org/ann> a <http://schema.org/Person> ; <http://schema.org/name> "Ann" .
<https://x.org/bob> a <http://schema.org/Person> .
<https://x.org/cy> a <http://schema.org/Person> ; <http://schema.org/name> "Cy", "Cyrus" .
<https://x.org/di> a <http://schema.org/Person> ; <http://schema.org/name> 42 .
"""


def kg(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def both_engines(tmp_path: Path, *args: str) -> tuple[Result, Result]:
    """`kg validate ARGS` with the default engine and with --engine pyshacl, each writing its
    report graph beside the other's (tmp_path/compiled.ttl, tmp_path/pyshacl.ttl)."""
    default = kg("validate", *args, "--report", str(tmp_path / "compiled.ttl"))
    reference = kg(
        "validate", *args, "--engine", "pyshacl", "--report", str(tmp_path / "pyshacl.ttl")
    )
    return default, reference


def assert_same_reports(tmp_path: Path, default: Result, reference: Result) -> None:
    assert default.exit_code == reference.exit_code, default.output + reference.output
    assert default.stdout == reference.stdout
    graphs = [Graph().parse(tmp_path / f"{name}.ttl") for name in ENGINES]
    assert isomorphic(*graphs)
    assert "engine: compiled" in default.stderr and "engine: pyshacl" in reference.stderr


def tiny_inputs(tmp_path: Path) -> tuple[Path, Path]:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "people.ttl").write_text(TINY_SHAPES, encoding="utf-8")
    graph = tmp_path / "people.ttl"
    graph.write_text(TINY_GRAPH, encoding="utf-8")
    return graph, shapes


def test_both_engines_give_the_same_report_on_a_small_graph(tmp_path: Path) -> None:
    graph, shapes = tiny_inputs(tmp_path)
    default, reference = both_engines(tmp_path, str(graph), "--shapes", str(shapes))
    assert default.exit_code == 1
    assert_same_reports(tmp_path, default, reference)
    report = default.stdout
    assert report.startswith("Does not conform: 3 violation(s), 0 warning(s), in 3 place(s).")
    assert "  violation: <https://x.org/bob> schema:name: Less than 1 values on " in report
    assert (
        "violation: <https://x.org/cy> (node) = <https://x.org/cy>: https://x.org/cy has a "
        "second name [SPARQL]" in report
    )
    assert (
        "violation: <https://x.org/di> schema:name = '42': Value is not Literal with "
        "datatype xsd:string [Datatype]" in report
    )


@pytest.mark.slow
def test_both_engines_give_the_same_report_on_the_bundled_example(
    tmp_path: Path, example_export: Path
) -> None:
    default, reference = both_engines(tmp_path, str(example_export / "graph.ttl"))
    assert default.exit_code == 0
    assert default.stdout.startswith("Conforms: 0 violation(s), 6 warning(s)")
    assert_same_reports(tmp_path, default, reference)


@pytest.mark.slow
def test_both_engines_give_the_same_report_on_a_graph_broken_every_way(tmp_path: Path) -> None:
    """The bundled example broken in every way kg's shapes check (tests/violations.py), written
    as Turtle and read back: every kind of result, the SPARQL constraints' included."""
    built = build_graph(list(EXAMPLES), ExportOptions()).graph
    broken, kinds = break_every_constraint(built, load_shapes())
    graph = tmp_path / "broken.ttl"
    with graph.open("w", encoding="utf-8") as stream:
        write_turtle(broken, stream, PREFIXES)
    default, reference = both_engines(tmp_path, str(graph))
    assert default.exit_code == 1
    assert_same_reports(tmp_path, default, reference)
    report = Graph().parse(tmp_path / "compiled.ttl")
    found = {
        (
            report.value(result, SHACL.sourceShape),
            str(report.value(result, SHACL.sourceConstraintComponent)),
        )
        for result in report.objects(None, SHACL.result)
    }
    # Anonymous shapes' labels do not survive Turtle: those are held to their components.
    assert {(URIRef(s), c) for s, c in kinds if s.startswith("https:")} <= found
    assert {c for _, c in kinds} <= {c for _, c in found} and len(kinds) > 40


def test_the_default_engine_is_the_exports_and_names_itself(example_export: Path) -> None:
    assert DEFAULT_ENGINE == "compiled" and ENGINES == ("compiled", "pyshacl")
    result = kg("validate", str(example_export / "graph.ttl"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "validation: conforms (0 violations, 6 warnings); engine: compiled"
    )
    graph = build_graph(list(EXAMPLES), ExportOptions()).graph
    outcome = validate_graph(graph, workers=1)
    assert outcome.engine == "compiled" and len(outcome.warnings) == 6
    report = (example_export / "validation.txt").read_text(encoding="utf-8")
    assert result.stdout == report  # what kg export wrote, from its own graph
    quiet = kg("validate", str(example_export / "graph.ttl"), "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == report


def test_an_unknown_engine_is_a_usage_error(example_export: Path) -> None:
    result = kg("validate", str(example_export / "graph.ttl"), "--engine", "fast")
    assert result.exit_code == 2 and "'fast' is not one of 'compiled', 'pyshacl'" in result.stderr
    with pytest.raises(UsageError, match="unknown validation engine 'fast'"):
        validate_graph(ExportGraph([]), engine="fast")


def test_shapes_the_compiler_refuses_are_named_in_the_engine(tmp_path: Path) -> None:
    """sh:languageIn is not compiled: pySHACL checks those shapes, and the outcome says so."""
    shapes = Graph().parse(
        data=TINY_SHAPES.replace("sh:minCount 1", 'sh:languageIn ( "fr" )'), format="turtle"
    )
    ann = URIRef(EX + "ann")
    graph = ExportGraph(
        [(ann, RDF.type, SCHEMA.Person), (ann, SCHEMA.name, Literal("Ann", lang="en"))]
    )
    mixed = validate_graph(graph, shapes, workers=1)
    reference = validate_graph(graph, shapes, engine="pyshacl")
    assert (mixed.engine, reference.engine) == ("compiled+pyshacl", "pyshacl")
    assert mixed.results == reference.results and len(mixed.violations) == 2


def test_progress_shows_the_stages_and_is_silent_off_a_terminal(
    tmp_path: Path, example_export: Path
) -> None:
    stream = io.StringIO()
    checked = validate_files(
        [example_export / "graph.ttl"], progress=Progress(stream, interval=0.0), workers=1
    )
    assert checked.outcome.conforms
    lines = [line.rstrip() for line in stream.getvalue().split("\r") if line.strip()]
    assert lines[0] == "reading triples: 0"
    assert any(line.startswith("reading triples: ") and "/s)" in line for line in lines)
    assert "validating: 0" in lines
    constraints = len(split_shapes(load_shapes())[1])
    done = f"validating: SPARQL constraints: {constraints} of {constraints} ("
    assert any(line.startswith(done) for line in lines)
    assert stream.getvalue().endswith("\r")  # the line blanked before the report is printed
    result = kg("validate", str(example_export / "graph.ttl"))
    assert "\r" not in result.stderr  # CliRunner's stderr is no terminal


@pytest.mark.slow
def test_progress_appears_on_a_terminal(example_export: Path) -> None:
    """stderr on a pseudo-terminal: the progress line is drawn there, the report is not."""
    controller, terminal = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "kg", "validate", str(example_export / "graph.ttl")],
            stdout=subprocess.PIPE,
            stderr=terminal,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # Linux: EIO once the terminal side is closed and read empty
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(controller)
    assert run.returncode == 0
    assert run.stdout.startswith(b"Conforms:") and b"\r" not in run.stdout
    assert b"\rreading triples: " in drawn and b"\rvalidating: " in drawn
    assert b"engine: compiled" in drawn

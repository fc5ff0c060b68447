"""validation.ttl is a SHACL validation report as the spec defines it, read by strict peers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph

from kg.validate.reference import load_shapes

SH = "http://www.w3.org/ns/shacl#"


def _conforms(report: Path) -> list[str]:
    store = ox.Store()
    store.load(path=str(report), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"SELECT ?c WHERE {{ ?r a <{SH}ValidationReport> ; <{SH}conforms> ?c }}")
    return [row["c"].value for row in rows]  # type: ignore[union-attr,index]


@pytest.mark.slow  # pySHACL on the whole example: seconds
def test_warnings_make_sh_conforms_false_as_the_spec_and_pyshacl_say(example_export: Path) -> None:
    """The bundled example has warnings and no violation: kg's verdict (exit code 0, "conforms"
    in validation.txt) counts violations only, but sh:conforms is false, as in pySHACL's report."""
    assert "0 violation(s), 6 warning(s)" in (example_export / "validation.txt").read_text()
    assert _conforms(example_export / "validation.ttl") == ["false"]
    data = Graph().parse(example_export / "graph.nt", format="nt")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=load_shapes(), advanced=True)
    assert conforms is False


def test_a_graph_without_results_conforms(tmp_path: Path) -> None:
    from kg.validate.reference import ValidationOutcome, report_triples

    triples = report_triples(ValidationOutcome((), "compiled"))
    assert [str(o) for _, p, o in triples if str(p) == SH + "conforms"] == ["true"]


def test_the_example_reports_warnings_as_not_conforming(example_export: Path) -> None:
    """The fast half of the check above: warnings and no violation give sh:conforms false."""
    assert "0 violation(s), 6 warning(s)" in (example_export / "validation.txt").read_text()
    assert _conforms(example_export / "validation.ttl") == ["false"]

"""SHACL validation with pySHACL, results a person can act on, and the report as RDF.

Conformance follows pySHACL: warnings are allowed, any violation means "does not conform".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef

from kg.core.namespaces import RDF, SHACL, XSD
from kg.core.rdf import Object, Subject, Triple
from kg.core.resources import shapes_dir
from kg.errors import ShapesError
from kg.resolve.mint import short_hash

# The SHACL namespace IRI as text, for prefix maps and for tests that build terms of their own.
# kg's code names SHACL terms through kg.core.namespaces.SHACL, which fails on a misspelt term.
SH = str(SHACL)
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_SEVERITIES = {name: SHACL[name] for name in SEVERITY_ORDER}


@dataclass(frozen=True, order=True)
class ValidationResult:
    focus: Subject
    path: URIRef | None
    value: Object | None
    component: URIRef
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    source_shape: URIRef | BNode
    source_constraint: URIRef | BNode | None = None  # the sh:sparql node, for SPARQL constraints

    @property
    def key(self) -> tuple[str, ...]:
        parts = (self.focus, self.path, self.component, self.value, self.source_shape,
                 self.source_constraint, self.message)  # fmt: skip
        return tuple("" if part is None else str(part) for part in parts)


@dataclass(frozen=True)
class ValidationOutcome:
    results: tuple[ValidationResult, ...]  # sorted by focus node, path, constraint
    # The engine that gave these results, as `kg validate --engine` names it: "compiled" or
    # "pyshacl"; "compiled+pyshacl" when the compiled engine left shapes it does not compile
    # to pySHACL (see kg.validate.scalable).
    engine: str

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]


def load_shapes(directory: Path | None = None) -> Graph:
    """All ``*.ttl`` files of ``directory`` (default: kg's shipped shapes) as one graph."""
    directory = directory or shapes_dir()
    files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
    if not files:
        raise ShapesError(f"{directory}: no SHACL shapes (*.ttl) here")
    shapes = Graph()
    for file in files:
        try:
            shapes.parse(file, format="turtle")
        except Exception as error:  # rdflib raises many types for bad Turtle
            raise ShapesError(f"{file}: cannot read these shapes: {error}") from None
    return shapes


def validate(data: Graph, shapes: Graph) -> ValidationOutcome:
    """Validate ``data`` against ``shapes`` with pySHACL (no inference, no imports, no network)."""
    try:
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            do_owl_imports=False,
        )
    except Exception as error:  # pySHACL raises its own types for broken shapes
        raise ShapesError(f"the shapes cannot be applied: {error}") from None
    if not isinstance(report, Graph):  # pySHACL returns its error instead of a report graph
        raise ShapesError(f"the shapes cannot be applied: {report}")
    results = sorted({r.key: r for r in _results(report, shapes)}.values(), key=lambda r: r.key)
    return ValidationOutcome(tuple(results), engine="pyshacl")


def severity_name(severity: object) -> str:
    """``Violation``, ``Warning`` or ``Info`` for a SHACL severity (other IRIs are kept whole)."""
    return str(severity).removeprefix(SH)


def report_prefixes(prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes a validation report is written with: the graph's, and ``sh:``."""
    return {**prefixes, "sh": SH}


def _results(report: Graph, shapes: Graph) -> list[ValidationResult]:
    def one(node: Subject, term: URIRef) -> Object | None:
        value = report.value(node, term)
        return value if isinstance(value, URIRef | BNode | Literal) else None

    found = []
    for node in report.objects(None, SHACL.result):
        assert isinstance(node, URIRef | BNode)
        focus, path, severity = (
            one(node, SHACL.focusNode),
            one(node, SHACL.resultPath),
            one(node, SHACL.resultSeverity),
        )
        shape = one(node, SHACL.sourceShape)
        constraint = one(node, SHACL.sourceConstraint)
        assert constraint is None or isinstance(constraint, URIRef | BNode)
        assert isinstance(shape, URIRef | BNode)
        if not isinstance(focus, URIRef | BNode):
            # SHACL allows it (sh:targetObjectsOf, sh:targetNode "text"); kg's reports are by node.
            raise ShapesError(
                f"the shapes make a literal a focus node ({focus!r}); kg reports on nodes only"
            )
        found.append(
            ValidationResult(
                focus=focus,
                path=path if isinstance(path, URIRef) else None,
                value=one(node, SHACL.value),
                component=URIRef(str(one(node, SHACL.sourceConstraintComponent))),
                severity=severity_name(severity),
                message=str(one(node, SHACL.resultMessage) or ""),
                source_shape=_shape_id(shapes, shape),
                source_constraint=_shape_id(shapes, constraint) if constraint is not None else None,
            )
        )
    return found


def _shape_id(shapes: Graph, node: URIRef | BNode) -> URIRef | BNode:
    return node if isinstance(node, URIRef) else _stable_label(shapes, node)


def _stable_label(shapes: Graph, shape: BNode) -> BNode:
    """Anonymous shapes get labels from what they say, so reports are the same every run."""
    said = sorted(
        f"{p} {o if not isinstance(o, BNode) else '[]'}" for p, o in shapes.predicate_objects(shape)
    )
    return BNode("shape" + short_hash(*said))


def report_triples(outcome: ValidationOutcome) -> list[Triple]:
    """The sh:ValidationReport as triples, with run-independent blank node labels.

    sh:conforms is as the SHACL spec defines it: true only when there is no result at all, of any
    severity. kg's own verdict (exit code, validation.txt) counts violations only.
    """
    report = BNode("report")
    conforms = "false" if outcome.results else "true"
    out: list[Triple] = [
        (report, RDF.type, SHACL.ValidationReport),
        (report, SHACL.conforms, Literal(conforms, datatype=XSD.boolean)),
    ]
    for index, result in enumerate(outcome.results, start=1):
        node = BNode(f"result{index}")
        severity = _SEVERITIES.get(result.severity) or URIRef(result.severity)
        out += [
            (report, SHACL.result, node),
            (node, RDF.type, SHACL.ValidationResult),
            (node, SHACL.focusNode, result.focus),
            (node, SHACL.resultSeverity, severity),
            (node, SHACL.sourceConstraintComponent, result.component),
            (node, SHACL.sourceShape, result.source_shape),
        ]
        if result.source_constraint is not None:
            out.append((node, SHACL.sourceConstraint, result.source_constraint))
        if result.path is not None:
            out.append((node, SHACL.resultPath, result.path))
        if result.value is not None:
            out.append((node, SHACL.value, result.value))
        if result.message:
            out.append((node, SHACL.resultMessage, Literal(result.message)))
    return out

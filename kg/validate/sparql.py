"""SHACL-SPARQL constraints run in bulk on Oxigraph: one query per constraint for all focus nodes.

pySHACL runs a SPARQL constraint once per focus node through rdflib's SPARQL engine: about 10 ms
each, so three constraints on 100,000 works take most of an hour. The same SELECT with $this left
free, run once on Oxigraph and restricted to the shape's focus nodes, gives the same solutions for
constraints that bind $this in their patterns (all of kg's); results are built exactly as pySHACL
builds them (value, path and message substitution), and a test holds the two paths equal.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.core.federation import uses_service
from kg.core.graphio import to_rdflib
from kg.core.namespaces import SHACL
from kg.core.text import shorten
from kg.errors import ShapesError
from kg.validate.reference import ValidationResult, _shape_id, severity_name

_TARGETS = {
    "targetClass": "?this rdf:type/rdfs:subClassOf* {value} .",
    "targetSubjectsOf": "?this {value} [] .",
    "targetObjectsOf": "[] {value} ?this .",
}


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef | BNode
    node: URIRef | BNode  # the constraint itself (sh:sourceConstraint of its results)
    severity: str
    targets: tuple[tuple[str, URIRef | Literal], ...]  # (target kind, class/predicate/node)
    query: str  # the SELECT, with the PREFIX lines its sh:prefixes declare
    messages: tuple[str, ...]


class UnsplittableShapesError(Exception):
    """The shapes use SPARQL constraints in a way only a per-focus-node engine can run."""


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their SPARQL constraints, and those constraints for bulk runs.

    Raises UnsplittableShapesError for constraints on property shapes, on shapes without
    targets, with pre-bound variables other than $this, or deactivated ones: pySHACL must run
    those.
    """
    constraints = []
    for shape, node in shapes.subject_objects(SHACL.sparql):
        assert isinstance(shape, URIRef | BNode) and isinstance(node, URIRef | BNode)
        if (shape, SHACL.path, None) in shapes or (node, SHACL.deactivated, None) in shapes:
            raise UnsplittableShapesError(
                f"{shape}: SPARQL constraint on a property shape or deactivated"
            )
        select = shapes.value(node, SHACL.select)
        if select is None or re.search(r"\$(?!this\b)\w+", str(select)):
            raise UnsplittableShapesError(f"{node}: not a SELECT using only $this")
        targets = tuple(
            (kind, value)
            for kind in (*_TARGETS, "targetNode")
            for value in shapes.objects(shape, SHACL[kind])
            if isinstance(value, URIRef | Literal)
        )
        if not targets:
            raise UnsplittableShapesError(
                f"{shape}: a shape with a SPARQL constraint but no target"
            )
        query = _prefixes(shapes, node) + str(select)
        _check_parses(query, node)
        severity = shapes.value(shape, SHACL.severity) or SHACL.Violation
        constraints.append(
            SparqlConstraint(
                shape=_shape_id(shapes, shape),
                node=_shape_id(shapes, node),
                severity=severity_name(severity),
                targets=targets,
                query=query,
                messages=tuple(sorted(str(m) for m in shapes.objects(node, SHACL.message))),
            )
        )
    core = Graph()
    for prefix, namespace in shapes.namespaces():  # pySHACL's messages name shapes by prefix
        core.bind(prefix, namespace)
    for triple in shapes:
        if triple[1] != SHACL.sparql:
            core.add(triple)
    return core, constraints


def check_sparql_constraints(shapes: Graph) -> None:
    """Raise ShapesError when a SPARQL constraint's query does not parse, or when any query of
    the shapes is federated (``SERVICE``): validation makes no network requests, and a shapes
    folder must not make kg send requests to any host. Every path that validates (``kg
    export``, ``kg validate``, ``kg.validate_graph``) calls this before it runs a query."""
    refuse_federated_queries(shapes)
    with contextlib.suppress(UnsplittableShapesError):  # pySHACL runs those, with its own errors
        split_shapes(shapes)


def refuse_federated_queries(shapes: Graph) -> None:
    """Raise ShapesError when a query of the shapes (``sh:select``, ``sh:ask``,
    ``sh:construct``, ``sh:update``, wherever it sits) uses ``SERVICE``."""
    for predicate in (SHACL.select, SHACL.ask, SHACL.construct, SHACL.update):
        for node, query in sorted(shapes.subject_objects(predicate)):
            if uses_service(str(query)):
                owner = shapes.value(predicate=SHACL.sparql, object=node)
                named = next((n for n in (owner, node) if isinstance(n, URIRef)), None)
                where = f"the shape {named}" if named is not None else "a shape"
                raise ShapesError(
                    f"a SPARQL query of {where} is federated (SERVICE): kg runs no query that "
                    "sends requests to other hosts"
                )


def _prefixes(shapes: Graph, constraint: URIRef | BNode) -> str:
    lines = []
    for declarer in shapes.objects(constraint, SHACL.prefixes):
        for declaration in shapes.objects(declarer, SHACL.declare):
            prefix = shapes.value(declaration, SHACL.prefix)
            namespace = shapes.value(declaration, SHACL.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def run_constraints(
    store: ox.Store, constraints: list[SparqlConstraint]
) -> Iterator[ValidationResult]:
    """Every result of the constraints on the store's default graph."""
    for constraint in constraints:
        focus = _focus_nodes(store, constraint)
        seen: set[tuple[object, ...]] = set()
        results = _select(store, constraint.query)
        names = [variable.value for variable in results.variables]
        for solution in results:
            bound = {name: solution[name] for name in names if solution[name] is not None}
            this = bound.get("this")
            if this is None or this not in focus:
                continue
            key = tuple(sorted((k, str(v)) for k, v in bound.items()))
            if key in seen:
                continue
            seen.add(key)
            yield from _results(constraint, bound)


def _focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> set[object]:
    nodes: set[object] = set()
    for kind, value in constraint.targets:
        if kind == "targetNode":
            nodes.add(_to_ox(value))
            continue
        pattern = _TARGETS[kind].format(value=f"<{value}>")
        query = (
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"
        )
        nodes.update(solution["this"] for solution in _select(store, query))
    return nodes


def _check_parses(query: str, node: URIRef | BNode) -> None:
    """A constraint whose query does not parse is a shapes error, found before any work."""
    try:
        _select(ox.Store(), query)
    except SyntaxError as error:
        first_line = str(error).splitlines()[0] if str(error) else "syntax error"
        raise ShapesError(f"the SPARQL constraint {node} does not parse: {first_line}") from None


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    results = store.query(query)
    if not isinstance(results, ox.QuerySolutions):
        raise ShapesError(f"a SPARQL constraint must be a SELECT query: {shorten(query, 80)!r}")
    return results


def _to_ox(value: URIRef | Literal) -> object:
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    return ox.Literal(str(value))


def _results(constraint: SparqlConstraint, bound: dict[str, object]) -> Iterator[ValidationResult]:
    focus = to_rdflib(bound["this"])  # type: ignore[arg-type]
    path = to_rdflib(bound["path"]) if "path" in bound else None  # type: ignore[arg-type]
    # pySHACL: a node shape's result without ?value reports the focus node as the value.
    value = to_rdflib(bound["value"]) if "value" in bound else focus  # type: ignore[arg-type]
    texts = {name: _text(term) for name, term in bound.items()}
    texts["value"] = str(value)
    assert isinstance(focus, URIRef | BNode)
    for message in constraint.messages or ("",):
        yield ValidationResult(
            focus=focus,
            path=path if isinstance(path, URIRef) else None,
            value=value,
            component=SHACL.SPARQLConstraintComponent,
            severity=constraint.severity,
            message=_substitute(message, texts),
            source_shape=constraint.shape,
            source_constraint=constraint.node,
        )


def _text(term: object) -> str:
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _substitute(message: str, texts: dict[str, str]) -> str:
    """{?name} and {$name} replaced by the bound values, as pySHACL does it."""
    for name, text in texts.items():
        message = re.sub(f"{{[?$]{name}}}", text.replace("\\", "\\\\"), message)
    return message

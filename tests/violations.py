"""Break a clean export in every way kg's shapes can report, to test validation against.

``break_every_constraint`` walks the shapes: for each constraint of each targeted shape (and each
SPARQL constraint) it breaks a few focus nodes, spread over the graph, so that exactly that
constraint fails there. ``constraint_kinds`` lists the (shape, constraint) pairs a report must
then hold, so a test can check the corpus really holds every kind of violation.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.core.namespaces import BIBO, KG, SCHEMA, SKOS
from kg.core.rdf import Object, Subject, Triple
from kg.map.graph import ExportGraph
from kg.validate.reference import SH, _shape_id

UNTYPED = "https://example.org/untyped/"


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


class _Graph:
    """The triples being broken, by subject."""

    def __init__(self, graph: ExportGraph) -> None:
        self.by_subject: dict[Subject, list[Triple]] = {}
        for triple in graph:
            self.by_subject.setdefault(triple[0], []).append(triple)
        self.broken: set[Subject] = set()  # each focus node is broken once
        self.counter = 0

    def fresh(self, prefix: str = UNTYPED) -> URIRef:
        self.counter += 1
        return URIRef(f"{prefix}{self.counter}")

    def instances(self, cls: Object) -> list[Subject]:
        return [s for s, ts in self.by_subject.items() if (s, RDF.type, cls) in ts]

    def subjects_of(self, predicate: Object) -> list[Subject]:
        return [s for s, ts in self.by_subject.items() if any(t[1] == predicate for t in ts)]

    def values(self, subject: Subject, predicate: URIRef) -> list[Object]:
        return [o for _, p, o in self.by_subject.get(subject, []) if p == predicate]

    def remove(self, subject: Subject, predicate: URIRef) -> None:
        self.by_subject[subject] = [t for t in self.by_subject[subject] if t[1] != predicate]

    def add(self, subject: Subject, predicate: URIRef, value: Object) -> None:
        self.by_subject.setdefault(subject, []).append((subject, predicate, value))

    def replace(self, subject: Subject, predicate: URIRef, value: Object) -> None:
        self.remove(subject, predicate)
        self.add(subject, predicate, value)

    def referrers(self, node: Object, predicate: URIRef) -> list[Subject]:
        return [s for s, ts in self.by_subject.items() if (s, predicate, node) in ts]

    def break_one(self, candidates: list[Subject], breaker: Breaker, start: int) -> bool:
        """Break the first unbroken candidate from ``start`` on (round the list) it applies to."""
        for offset in range(len(candidates)):
            focus = candidates[(start + offset) % len(candidates)]
            if focus not in self.broken and breaker(self, focus):
                self.broken.add(focus)
                return True
        return False

    def export(self) -> ExportGraph:
        return ExportGraph(t for ts in self.by_subject.values() for t in ts)


Breaker = Callable[[_Graph, Subject], bool]  # True when it broke the node


def _break_property(
    shapes: Graph, shape: URIRef | BNode, component: str, parameter: Object
) -> Breaker | None:
    path = shapes.value(shape, _sh("path"))
    inverse = shapes.value(path, _sh("inversePath")) if isinstance(path, BNode) else None
    if inverse is not None:
        assert isinstance(inverse, URIRef)
        if component == "minCount":
            return lambda g, f: _unlink(g, f, inverse)
        if component == "maxCount":
            return lambda g, f: bool(g.add(g.fresh(), inverse, f)) or True
        return None
    if not isinstance(path, URIRef):
        return None
    p = path

    def with_values(change: Callable[[_Graph, Subject], None]) -> Breaker:
        def breaker(g: _Graph, f: Subject) -> bool:
            if not g.values(f, p):
                return False
            change(g, f)
            return True

        return breaker

    if component == "minCount":
        return with_values(lambda g, f: g.remove(f, p))
    if component == "maxCount":
        limit = int(parameter)  # type: ignore[call-overload]

        def more(g: _Graph, f: Subject) -> None:
            existing = g.values(f, p)
            for _ in range(limit + 1 - len(set(existing))):
                extra: Object = (
                    Literal(f"another value {g.fresh()}")
                    if isinstance(existing[0], Literal)
                    else _same_kind_node(g, existing[0])
                )
                g.add(f, p, extra)

        return with_values(more)
    if component == "datatype":
        wrong = Literal("not-a-value", datatype=parameter)  # ill-typed
        if parameter == XSD.string:
            wrong = Literal("a tagged string", lang="en")
        elif parameter == XSD.integer:
            # Not ill-typed: an ill-typed integer sends rdflib's SPARQL arithmetic (in pySHACL's
            # run of the records-count constraint) into endless recursion.
            wrong = Literal("1.5", datatype=XSD.decimal)
        return with_values(lambda g, f: g.replace(f, p, wrong))
    if component in ("class", "or"):
        return with_values(lambda g, f: g.replace(f, p, g.fresh()))
    if component == "nodeKind":
        wrong_kind: Object = Literal("not an IRI") if parameter == _sh("IRI") else URIRef(UNTYPED)
        return with_values(lambda g, f: g.replace(f, p, wrong_kind))
    if component == "pattern":
        return with_values(lambda g, f: g.replace(f, p, Literal("!! does not match !!")))
    if component == "minLength":
        return with_values(lambda g, f: g.replace(f, p, Literal("")))
    if component == "minInclusive":
        return with_values(lambda g, f: g.replace(f, p, Literal(-7)))
    if component == "in":
        return with_values(lambda g, f: g.replace(f, p, URIRef(UNTYPED + "not-listed")))
    if component == "node":

        def bad_cell(g: _Graph, f: Subject) -> None:
            cell = BNode(f"brokencell{g.fresh().rsplit('/', 1)[-1]}")
            g.add(cell, RDF.first, Literal("one"))
            g.add(cell, RDF.first, Literal("two"))
            g.add(cell, RDF.rest, RDF.nil)
            g.replace(f, p, cell)

        return with_values(bad_cell)
    return None


def _same_kind_node(g: _Graph, like: Object) -> Object:
    """Another node of the same classes as ``like``: a second value that is itself valid."""
    node = g.fresh("https://example.org/copy/")
    for _, predicate, value in g.by_subject.get(like, []):  # type: ignore[call-overload]
        g.add(node, predicate, value)
    return node


def _unlink(g: _Graph, node: Subject, predicate: URIRef) -> bool:
    referrers = g.referrers(node, predicate)
    for referrer in referrers:
        g.by_subject[referrer] = [
            t for t in g.by_subject[referrer] if not (t[1] == predicate and t[2] == node)
        ]
    return bool(referrers)


def _focus_candidates(g: _Graph, shapes: Graph, shape: URIRef | BNode) -> list[Subject]:
    found: list[Subject] = []
    for cls in shapes.objects(shape, _sh("targetClass")):
        found += g.instances(cls)
    for predicate in shapes.objects(shape, _sh("targetSubjectsOf")):
        found += g.subjects_of(predicate)
    return sorted(set(found), key=str)


_COMPONENTS = ("minCount", "maxCount", "datatype", "class", "or", "nodeKind", "pattern",
               "minLength", "minInclusive", "in", "node")  # fmt: skip
_COMPONENT_NAMES = {"minCount": "MinCount", "maxCount": "MaxCount", "datatype": "Datatype",
                    "class": "Class", "or": "Or", "nodeKind": "NodeKind", "pattern": "Pattern",
                    "minLength": "MinLength", "minInclusive": "MinInclusive", "in": "In",
                    "node": "Node"}  # fmt: skip


def break_every_constraint(
    graph: ExportGraph, shapes: Graph, per_constraint: int = 3
) -> tuple[ExportGraph, set[tuple[str, str]]]:
    """The graph broken in every way the shapes check, and the (shape, component) pairs broken."""
    g = _Graph(graph)
    kinds = _break_sparql_constraints(g)  # first: the dataset's one activity is needed there
    roots = sorted(
        {s for k in ("targetClass", "targetSubjectsOf") for s in shapes.subjects(_sh(k), None)},
        key=str,
    )
    for root in roots:
        assert isinstance(root, URIRef | BNode)
        candidates = _focus_candidates(g, shapes, root)
        breakers: list[tuple[tuple[str, str], Breaker]] = []
        for shape in [root, *shapes.objects(root, _sh("property"))]:
            assert isinstance(shape, URIRef | BNode)
            for component in _COMPONENTS:
                parameter = shapes.value(shape, _sh(component))
                if parameter is None:
                    continue
                if shape == root:
                    breaker = _break_node(component, parameter)
                else:
                    breaker = _break_property(shapes, shape, component, parameter)
                if breaker is not None:
                    name = SH + _COMPONENT_NAMES[component] + "ConstraintComponent"
                    breakers.append(((str(_shape_id(shapes, shape)), name), breaker))
        # Rounds, so that a class with few nodes (journals) still gets one break of each kind;
        # the breaks start at spread-out places in the list.
        for round_number in range(per_constraint):
            for number, (kind, breaker) in enumerate(breakers):
                start = (number * 7919 + round_number * 104729) % max(1, len(candidates))
                if g.break_one(candidates, breaker, start):
                    kinds.add(kind)
    return g.export(), kinds


def _break_node(component: str, parameter: Object) -> Breaker | None:
    if component != "class":
        return None

    def breaker(g: _Graph, f: Subject) -> bool:
        g.by_subject[f] = [t for t in g.by_subject[f] if t[1:] != (RDF.type, parameter)]
        return True

    return breaker


KGSH = "https://w3id.org/kg/shapes#"
SPARQL = SH + "SPARQLConstraintComponent"


def _break_sparql_constraints(g: _Graph) -> set[tuple[str, str]]:
    """One break per SPARQL constraint of kg's shapes, a few nodes each."""
    kinds: set[tuple[str, str]] = set()

    def each(candidates: list[Subject], change: Callable[[Subject], bool], shape: str) -> None:
        hits = [g.break_one(candidates, lambda _, f: change(f), n * 31) for n in range(3)]
        if any(hits):
            kinds.add((KGSH + shape, SPARQL))

    journals = g.instances(SCHEMA.Periodical)
    each(journals, lambda f: _set(g, f, SCHEMA.issn, Literal("1755-6229")), "PeriodicalShape")
    people = g.instances(SCHEMA.Person)
    each(
        people,
        lambda f: _set(g, f, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1825-0098")),
        "PersonShape",
    )
    works = [w for w in g.instances(SCHEMA.ScholarlyArticle) if g.values(w, SCHEMA.author)]
    each(works, lambda f: _drop_one(g, f, SCHEMA.author), "WorkShape")
    each(works, lambda f: _pages(g, f, "573", "72"), "WorkPagesShape")  # last page < first
    concepts = g.instances(SKOS.Concept)
    each(
        concepts,
        lambda f: (
            _set(g, f, SKOS.prefLabel, Literal(f"second label {g.fresh()}", lang="en"))
            and _set(g, f, SKOS.prefLabel, Literal(f"third label {g.fresh()}", lang="en"))
        ),
        "ConceptShape",
    )
    activities = g.subjects_of(KG.recordsRead)
    each(activities, lambda f: _bump(g, f, KG.recordsRead), "ExportActivityShape")
    books = g.instances(SCHEMA.Book)
    each(books, lambda f: _set(g, f, BIBO.isbn13, Literal("9780000000001")), "BookShape")
    return kinds


def _set(g: _Graph, subject: Subject, predicate: URIRef, value: Object) -> bool:
    g.add(subject, predicate, value)
    return True


def _pages(g: _Graph, subject: Subject, start: str, end: str) -> bool:
    """Give a work the pages ``start``-``end`` (replacing any it has)."""
    g.replace(subject, SCHEMA.pageStart, Literal(start))
    g.replace(subject, SCHEMA.pageEnd, Literal(end))
    return True


def _drop_one(g: _Graph, subject: Subject, predicate: URIRef) -> bool:
    values = g.values(subject, predicate)
    g.by_subject[subject] = [t for t in g.by_subject[subject] if t[1:] != (predicate, values[0])]
    return True


def _bump(g: _Graph, subject: Subject, predicate: URIRef) -> bool:
    (value,) = g.values(subject, predicate)
    g.replace(subject, predicate, Literal(int(value) + 1))  # type: ignore[call-overload]
    return True

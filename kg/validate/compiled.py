"""SHACL core constraints compiled into Python checks over a subject index.

pySHACL answers every constraint through rdflib graph lookups and builds a report graph as it
goes: about 6 ms a record. kg's shapes use a small part of SHACL core (predicate and inverse
paths; class, subject-of and node targets; counts, datatypes, classes, node kinds, patterns,
lengths, ranges, ``sh:in``, ``sh:hasValue``, ``sh:or``, ``sh:node``), so those are compiled
once into plain Python that reads a dict index of the data: the same results, far faster.

"The same results" is meant literally: every result carries the focus node, path, value,
constraint component, severity, source shape and message pySHACL would give, its generic
messages included (made with pySHACL's own ``stringify_node``), and a test holds the two equal
on a corpus with every kind of violation. Shapes that use anything else are refused with
:class:`UnsupportedShapesError`, and the caller validates with pySHACL instead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from pyshacl.rdfutil.stringify import stringify_node
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from kg.core.namespaces import SHACL
from kg.core.rdf import Object, Subject, Triple
from kg.validate.reference import ValidationResult, _shape_id, severity_name

# Subjects, predicates and classes are keyed by plain strings: rdflib terms hash and compare in
# Python, which costs more than all the checks together.
Index = dict[str, dict[str, list[Object]]]
_RDF_TYPE = str(RDF.type)


def node_key(term: Object) -> str:
    """A dict key for a node: an IRI's text, a blank node's label after "_:", a literal's N3
    after "\x01" (never a subject, but a value shapes may follow an inverse path from)."""
    if isinstance(term, BNode):
        return "_:" + str.__str__(term)
    if isinstance(term, Literal):
        return "\x01" + term.n3()
    return str.__str__(term)


# What a shape may say for kg to compile it; anything else in the SHACL namespace is refused.
_TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
_UNDERSTOOD_NAMES = (
    *_TARGETS,
    *("path", "property", "severity", "message", "deactivated"),
    *("minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "minLength"),
    *("maxLength", "in", "hasValue", "or", "node", "minInclusive", "maxInclusive"),
    *("minExclusive", "maxExclusive", "name", "description", "order", "group", "defaultValue"),
)
_MAY_REPEAT = (*_TARGETS, "property", "name", "description")
_UNDERSTOOD = {SHACL[name] for name in _UNDERSTOOD_NAMES}
_ONE_VALUE_ONLY = _UNDERSTOOD - {SHACL[name] for name in _MAY_REPEAT}
_SHAPE_TYPES = {SHACL.NodeShape, SHACL.PropertyShape}
_SHACL_IRI = str(SHACL)  # to tell SHACL terms kg does not compile from other predicates
_CLASS_TYPES = {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")}


class UnsupportedShapesError(Exception):
    """The shapes use a part of SHACL this module does not compile."""


class DataIndex:
    """The data validated: each subject's values by predicate, and who refers to whom."""

    def __init__(
        self, triples: Iterable[Triple], superclasses: dict[str, frozenset[str]] | None = None
    ) -> None:
        """``superclasses`` by rdfs:subClassOf*; None: read them from the triples."""
        self.index: Index = {}
        self.subjects: dict[str, Subject] = {}
        index, subjects, as_text = self.index, self.subjects, str.__str__
        for subject, predicate, value in triples:
            key = "_:" + as_text(subject) if type(subject) is BNode else as_text(subject)
            properties = index.get(key)
            if properties is None:
                properties = index[key] = {}
                subjects[key] = subject
            values = properties.get(as_text(predicate))
            if values is None:
                # Interned: a few dozen predicates, one copy each instead of one per subject.
                properties[sys.intern(as_text(predicate))] = [value]
            else:
                values.append(value)
        self.superclasses = superclasses if superclasses is not None else self._superclasses()
        self._inverse: dict[str, dict[str, list[Subject]]] = {}
        self._instances: dict[str, list[Subject]] | None = None
        self._graph: Graph | None = None

    def _superclasses(self) -> dict[str, frozenset[str]]:
        subclass_of = str(RDFS.subClassOf)
        return _closure(
            {
                key: {node_key(parent) for parent in properties[subclass_of]}
                for key, properties in self.index.items()
                if subclass_of in properties
            }
        )

    def values(self, node: Object, predicate: str) -> list[Object]:
        properties = self.index.get(node_key(node))
        return properties.get(predicate, []) if properties is not None else []

    def referrers(self, node: Object, predicate: str) -> list[Subject]:
        return self._referrers_by(predicate).get(node_key(node), [])

    def _referrers_by(self, predicate: str) -> dict[str, list[Subject]]:
        by_object = self._inverse.get(predicate)
        if by_object is None:
            by_object = {}
            for key, properties in self.index.items():
                for value in properties.get(predicate, ()):
                    by_object.setdefault(node_key(value), []).append(self.subjects[key])
            self._inverse[predicate] = by_object
        return by_object

    def build_referrers(self, predicates: Iterable[str]) -> None:
        """Build these lookups now, before workers are forked: a lookup each worker built for
        itself would be a copy per worker (at 30k records, 700 MB between two workers)."""
        for predicate in predicates:
            self._referrers_by(predicate)

    def has_class(self, node: Object, cls: str) -> bool:
        properties = self.index.get(node_key(node))
        for declared in properties.get(_RDF_TYPE, ()) if properties is not None else ():
            name = str.__str__(declared)
            if name == cls or cls in self.superclasses.get(name, ()):
                return True
        return False

    def instances(self, cls: str) -> list[Subject]:
        """SHACL instances of ``cls`` (by rdf:type and rdfs:subClassOf*), in chunk order."""
        if self._instances is None:
            self._instances = {}
            for key, properties in self.index.items():
                classes: set[str] = set()
                for declared in properties.get(_RDF_TYPE, ()):
                    name = str.__str__(declared)
                    classes.add(name)
                    classes.update(self.superclasses.get(name, ()))
                for name in classes:
                    self._instances.setdefault(name, []).append(self.subjects[key])
        return self._instances.get(cls, [])

    def graph(self) -> Graph:
        """The chunk as an rdflib graph: pySHACL's messages spell blank nodes out from it."""
        if self._graph is None:
            self._graph = Graph()
            for key, properties in self.index.items():
                for predicate, values in properties.items():
                    for value in values:
                        self._graph.add((self.subjects[key], URIRef(predicate), value))
        return self._graph

    def spell(self, node: Object) -> str:
        graph = self.graph() if isinstance(node, BNode) else _EMPTY_DATA_GRAPH
        return str(stringify_node(graph, node))


_EMPTY_DATA_GRAPH = Graph()  # spells IRIs and literals exactly as a fresh data graph does


def _closure(direct: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    closure: dict[str, frozenset[str]] = {}
    for cls in direct:
        seen: set[str] = set()
        stack = list(direct[cls])
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(direct.get(parent, ()))
        closure[cls] = frozenset(seen)
    return closure


# A finding of a constraint: the value node at fault, or None when the focus node is.
Finding = Object | None
# focus node, value nodes -> findings.  The data is passed for class lookups and nested shapes.
Check = Callable[[DataIndex, Subject, list[Object]], Iterator[Finding]]


@dataclass
class _Shape:
    node: URIRef | BNode
    report_id: URIRef | BNode
    severity: str
    messages: tuple[str, ...]
    path: URIRef | None = None  # a predicate path ...
    path_key: str = ""
    inverse: bool = False  # ... or its inverse
    path_text: str = ""  # the path as pySHACL spells it in messages
    checks: list[tuple[URIRef, Check, Callable[[DataIndex, Subject, Object | None], str]]] = field(
        default_factory=list
    )
    properties: list[_Shape] = field(default_factory=list)
    targets: list[tuple[str, Object]] = field(default_factory=list)

    @property
    def allows_failure(self) -> bool:
        """pySHACL with warnings allowed: a Warning or Info shape still "conforms"."""
        return self.severity in ("Warning", "Info")

    def value_nodes(self, data: DataIndex, focus: Object) -> list[Object]:
        if self.path is None:
            return [focus]
        if self.inverse:
            return list(dict.fromkeys(data.referrers(focus, self.path_key)))
        return data.values(focus, self.path_key)  # a graph holds no duplicate triples

    def conforms(self, data: DataIndex, focus: Object) -> bool:
        """Whether ``focus`` conforms, as pySHACL decides it inside sh:or and sh:node."""
        if self.allows_failure:
            return True
        values = self.value_nodes(data, focus)
        for _, check, _ in self.checks:
            if any(True for _ in check(data, focus, values)):  # type: ignore[arg-type]
                return False
        return all(shape.conforms(data, focus) for shape in self.properties)

    def reports_anything(self, data: DataIndex, focus: Object) -> bool:
        """Whether checking ``focus`` gives any result, of any severity: what pySHACL's sh:node
        asks of the shape it points to."""
        return next(self.results(data, focus), None) is not None  # type: ignore[arg-type]

    def results(self, data: DataIndex, focus: Subject) -> Iterator[ValidationResult]:
        values = self.value_nodes(data, focus)
        for component, check, message in self.checks:
            for value in check(data, focus, values):
                yield ValidationResult(
                    focus=focus,
                    path=self.path if not self.inverse else None,
                    value=value,
                    component=component,
                    severity=self.severity,
                    message=self.messages[0] if self.messages else message(data, focus, value),
                    source_shape=self.report_id,
                )
        for shape in self.properties:
            yield from shape.results(data, focus)


class CompiledShapes:
    """Shapes compiled once; ``validate`` applies them to a chunk of triples."""

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._compiled: dict[URIRef | BNode, _Shape] = {}
        self._compiling: set[URIRef | BNode] = set()
        if (None, RDF.type, SHACL.ConstraintComponent) in shapes:
            raise UnsupportedShapesError("the shapes declare constraint components of their own")
        self.roots = [self._compile(node) for node in _target_shapes(shapes)]

    def validate(self, triples: Iterable[Triple]) -> list[ValidationResult]:
        data = DataIndex(triples)
        return self.validate_focus(data, self.focus_nodes(data))

    def inverse_path_keys(self) -> set[str]:
        """The predicates of every inverse path in the shapes (their checks look up referrers)."""
        return {shape.path_key for shape in self._compiled.values() if shape.inverse}

    def focus_nodes(self, data: DataIndex) -> list[tuple[int, Subject]]:
        """Every (shape number, focus node) to check, shape by shape."""
        return [
            (number, focus)
            for number, shape in enumerate(self.roots)
            for focus in _focus_nodes(shape, data)
        ]

    def validate_focus(
        self, data: DataIndex, focus_nodes: Iterable[tuple[int, Subject]]
    ) -> list[ValidationResult]:
        """The results of the given (shape number, focus node) checks on ``data``."""
        found: list[ValidationResult] = []
        for number, focus in focus_nodes:
            found.extend(self.roots[number].results(data, focus))
        return found

    def _compile(self, node: URIRef | BNode) -> _Shape:
        compiled = self._compiled.get(node)
        if compiled is not None:
            return compiled
        if node in self._compiling:  # pySHACL cuts recursion off its own way
            raise UnsupportedShapesError(f"{node}: a shape that refers back to itself")
        self._compiling.add(node)
        try:
            shape = self._compile_new(node)
        finally:
            self._compiling.discard(node)
        self._compiled[node] = shape
        return shape

    def _compile_new(self, node: URIRef | BNode) -> _Shape:
        shapes = self._shapes
        said = list(shapes.predicate_objects(node))
        for predicate, _ in said:
            if str(predicate).startswith(_SHACL_IRI) and predicate not in _UNDERSTOOD:
                raise UnsupportedShapesError(f"{node}: {predicate} is not compiled")
            if predicate in _ONE_VALUE_ONLY and len(list(shapes.objects(node, predicate))) > 1:
                raise UnsupportedShapesError(f"{node}: more than one {predicate}")
        severity = shapes.value(node, SHACL.severity) or SHACL.Violation
        messages = tuple(str(m) for m in shapes.objects(node, SHACL.message))
        if len(messages) > 1:
            raise UnsupportedShapesError(f"{node}: more than one sh:message")
        shape = _Shape(node, _shape_id(shapes, node), severity_name(severity), messages)
        deactivated = shapes.value(node, SHACL.deactivated)
        if isinstance(deactivated, Literal) and bool(deactivated.value):  # as pySHACL reads it
            return shape  # checks nothing, conforms always
        path = shapes.value(node, SHACL.path)
        if path is not None:
            self._set_path(shape, _term(path))
        for kind in _TARGETS:
            shape.targets += [(kind, _term(value)) for value in shapes.objects(node, SHACL[kind])]
        for kind, value in shape.targets:
            if kind == "targetObjectsOf" or isinstance(value, Literal):
                # Literal focus nodes: pySHACL reports on them, kg's reports cannot say them.
                raise UnsupportedShapesError(f"{node}: targets that may be literals")
        if node in _implicit_class_shapes(shapes):
            shape.targets.append(("targetClass", node))
        for property_node in shapes.objects(node, SHACL.property):
            if not isinstance(property_node, URIRef | BNode) or path is not None:
                raise UnsupportedShapesError(f"{node}: sh:property inside a property shape")
            if (property_node, SHACL.path, None) not in shapes:
                raise UnsupportedShapesError(f"{property_node}: a property shape without a path")
            shape.properties.append(self._compile(property_node))
        self._add_checks(shape, node)
        return shape

    def _set_path(self, shape: _Shape, path: Object) -> None:
        shapes = self._shapes
        if isinstance(path, BNode):
            inverse = shapes.value(path, SHACL.inversePath)
            if not isinstance(inverse, URIRef) or len(list(shapes.predicate_objects(path))) != 1:
                raise UnsupportedShapesError(f"{shape.node}: only predicate and inverse paths")
            shape.path, shape.inverse = inverse, True
            shape.path_key = str(inverse)
        elif isinstance(path, URIRef):
            shape.path, shape.path_key = path, str(path)
        else:
            raise UnsupportedShapesError(f"{shape.node}: a literal path")
        shape.path_text = str(stringify_node(shapes, path))

    def _add_checks(self, shape: _Shape, node: URIRef | BNode) -> None:
        shapes = self._shapes

        def param(name: str) -> Object | None:
            value = shapes.value(node, SHACL[name])
            return None if value is None else _term(value)

        def spell(term: Object) -> str:
            return str(stringify_node(shapes, term))

        on = self._add_check_factories(shape, spell)
        for name, make in on.items():
            value = param(name)
            if value is not None:
                make(value)

    def _add_check_factories(
        self, shape: _Shape, spell: Callable[[Object], str]
    ) -> dict[str, Callable[[Object], None]]:
        shapes = self._shapes

        def focus_path(data: DataIndex, focus: Subject) -> str:
            text = data.spell(focus)
            return f"{text}->{shape.path_text}" if shape.path is not None else text

        def min_count(limit: Object) -> None:
            number = _int(limit)
            if number == 0:
                return

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                if len(values) < number:
                    yield None

            shape.checks.append((SHACL.MinCountConstraintComponent, check,
                lambda d, f, v: f"Less than {limit} values on {focus_path(d, f)}"))  # fmt: skip

        def max_count(limit: Object) -> None:
            number = _int(limit)

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                if len(values) > number:
                    yield None

            shape.checks.append((SHACL.MaxCountConstraintComponent, check,
                lambda d, f, v: f"More than {limit} values on {focus_path(d, f)}"))  # fmt: skip

        def per_value(
            component: URIRef, ok: Callable[[DataIndex, Object], bool], text: str
        ) -> None:
            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                for value in values:
                    if not ok(data, value):
                        yield value

            shape.checks.append((component, check, lambda d, f, v: text))

        def datatype(rule: Object) -> None:
            per_value(SHACL.DatatypeConstraintComponent, lambda d, v: _has_datatype(v, rule),
                      f"Value is not Literal with datatype {spell(rule)}")  # fmt: skip

        def class_(cls: Object) -> None:
            name = node_key(cls)
            per_value(SHACL.ClassConstraintComponent,
                      lambda d, v: not isinstance(v, Literal) and d.has_class(v, name),
                      f"Value does not have class {spell(cls)}")  # fmt: skip

        def node_kind(kind: Object) -> None:
            allowed = _NODE_KINDS.get(kind)
            if allowed is None:
                raise UnsupportedShapesError(f"{shape.node}: unknown sh:nodeKind {kind}")
            per_value(SHACL.NodeKindConstraintComponent, lambda d, v: isinstance(v, allowed),
                      f"Value is not of Node Kind {spell(kind)}")  # fmt: skip

        def pattern(rule: Object) -> None:
            if (shape.node, SHACL.flags, None) in shapes:
                raise UnsupportedShapesError(f"{shape.node}: sh:flags")
            matcher = re.compile(str(rule))
            per_value(SHACL.PatternConstraintComponent,
                      lambda d, v: not isinstance(v, BNode) and bool(matcher.search(_string(v))),
                      f"Value does not match pattern '{rule}'")  # fmt: skip

        def length(
            component: URIRef, compare: Callable[[int, int], bool], sign: str
        ) -> Callable[[Object], None]:
            def make(rule: Object) -> None:
                limit = _int(rule)
                if component == SHACL.MinLengthConstraintComponent and limit == 0:
                    return  # pySHACL passes everything, blank nodes included
                # pySHACL spells the limit with the data graph's prefixes here.
                text = f"String length not {sign} {stringify_node(_EMPTY_DATA_GRAPH, rule)}"
                per_value(component,
                          lambda d, v: not isinstance(v, BNode) and compare(len(_string(v)), limit),
                          text)  # fmt: skip

            return make

        def value_range(
            component: URIRef, accept: Callable[[int], bool], sign: str
        ) -> Callable[[Object], None]:
            def make(rule: Object) -> None:
                if not isinstance(rule, Literal):
                    raise UnsupportedShapesError(f"{shape.node}: a range bound that is no literal")
                per_value(component,
                          lambda d, v: _in_range(v, rule, accept),
                          f"Value is not {sign} {spell(rule)}")  # fmt: skip

            return make

        def in_(members_node: Object) -> None:
            assert isinstance(members_node, URIRef | BNode)
            members = [_term(member) for member in Collection(shapes, members_node)]
            allowed = set(members)
            if not shape.messages and len(allowed) > 1:
                # pySHACL's generic message lists the members in the order of a Python set.
                raise UnsupportedShapesError(f"{shape.node}: sh:in without sh:message")
            listed = [spell(member) for member in members]

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                for value in values:
                    if value not in allowed:
                        yield value

            shape.checks.append((SHACL.InConstraintComponent, check,
                lambda d, f, v: f"Value {d.spell(v)} not in list {listed}"))  # type: ignore[arg-type]  # fmt: skip

        def has_value(wanted: Object) -> None:
            the_set = [spell(wanted)]

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                if wanted not in values:
                    yield None

            def message(data: DataIndex, focus: Subject, value: Object | None) -> str:
                if shape.path is not None:
                    return (f"Node {data.spell(focus)}->{shape.path_text} does not contain "
                            f"a value in the set: {the_set}")  # fmt: skip
                return f"Node {data.spell(focus)} value is not a in the set of values: {the_set}"

            shape.checks.append((SHACL.HasValueConstraintComponent, check, message))

        def or_(members_node: Object) -> None:
            assert isinstance(members_node, URIRef | BNode)
            members_list = [_shape_node(member) for member in Collection(shapes, members_node)]
            members = [self._compile(member) for member in members_list]
            listed = " , ".join(spell(m) for m in members_list)

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                for value in values:
                    if not any(member.conforms(data, value) for member in members):
                        yield value

            shape.checks.append((SHACL.OrConstraintComponent, check,
                lambda d, f, v: f"Node {d.spell(v)} must conform to one or more shapes in {listed}"))  # type: ignore[arg-type]  # noqa: E501  # fmt: skip

        def node_(target: Object) -> None:
            assert isinstance(target, URIRef | BNode)
            if (target, SHACL.path, None) in shapes:  # pySHACL refuses such shapes
                raise UnsupportedShapesError(f"{target}: sh:node names a property shape")
            other = self._compile(target)
            text = f"Value does not conform to Shape {spell(target)}."
            text += " See details for more information."

            def check(data: DataIndex, focus: Subject, values: list[Object]) -> Iterator[Finding]:
                for value in values:
                    if other.reports_anything(data, value):
                        yield value

            shape.checks.append((SHACL.NodeConstraintComponent, check, lambda d, f, v: text))

        return {
            "minCount": min_count,
            "maxCount": max_count,
            "datatype": datatype,
            "class": class_,
            "nodeKind": node_kind,
            "pattern": pattern,
            "minLength": length(SHACL.MinLengthConstraintComponent, lambda n, m: n >= m, ">="),
            "maxLength": length(SHACL.MaxLengthConstraintComponent, lambda n, m: n <= m, "<="),
            "minInclusive": value_range(
                SHACL.MinInclusiveConstraintComponent, lambda c: c >= 0, ">="
            ),
            "maxInclusive": value_range(
                SHACL.MaxInclusiveConstraintComponent, lambda c: c <= 0, "<="
            ),
            "minExclusive": value_range(
                SHACL.MinExclusiveConstraintComponent, lambda c: c > 0, ">"
            ),
            "maxExclusive": value_range(
                SHACL.MaxExclusiveConstraintComponent, lambda c: c < 0, "<"
            ),
            "in": in_,
            "hasValue": has_value,
            "or": or_,
            "node": node_,
        }


def _target_shapes(shapes: Graph) -> list[URIRef | BNode]:
    """Shapes with targets (explicit, or implicit: a shape that is also a class), in one order."""
    found: set[URIRef | BNode] = set()
    for kind in _TARGETS:
        found.update(s for s in shapes.subjects(SHACL[kind], None) if isinstance(s, URIRef | BNode))
    found.update(_implicit_class_shapes(shapes))
    return sorted(found, key=str)


def _implicit_class_shapes(shapes: Graph) -> set[URIRef | BNode]:
    """Shapes that are also classes (rdfs:Class, owl:Class or a subclass of either, in the shapes
    graph): they target their own instances."""
    classes: set[URIRef | BNode] = set(_CLASS_TYPES)
    changed = True
    while changed:
        more = {s for c in classes for s in shapes.subjects(RDFS.subClassOf, c)} - classes
        classes |= {c for c in more if isinstance(c, URIRef | BNode)}
        changed = bool(more)
    found: set[URIRef | BNode] = set()
    for cls in classes:
        for node in shapes.subjects(RDF.type, cls):
            is_shape = bool(_SHAPE_TYPES & set(shapes.objects(node, RDF.type))) or any(
                str(p).startswith(_SHACL_IRI) for p in shapes.predicates(node, None)
            )
            if isinstance(node, URIRef | BNode) and is_shape:
                found.add(node)
    return found


def _focus_nodes(shape: _Shape, data: DataIndex) -> Iterator[Subject]:
    found: dict[Subject, None] = {}
    for kind, value in shape.targets:
        if kind == "targetNode":
            if isinstance(value, URIRef | BNode):
                found[value] = None
        elif kind == "targetClass":
            found.update(dict.fromkeys(data.instances(node_key(value))))
        else:  # targetSubjectsOf (targetObjectsOf is refused when compiling)
            predicate = str(value)
            for key, properties in data.index.items():
                if predicate in properties:
                    found[data.subjects[key]] = None
    return iter(found)


_NODE_KINDS: dict[Object, type | tuple[type, ...]] = {
    SHACL.IRI: URIRef,
    SHACL.BlankNode: BNode,
    SHACL.Literal: Literal,
    SHACL.BlankNodeOrIRI: (BNode, URIRef),
    SHACL.BlankNodeOrLiteral: (BNode, Literal),
    SHACL.IRIOrLiteral: (URIRef, Literal),
}
_RDF_LANG_STRING = RDF.langString
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    _RDF_LANG_STRING: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _has_datatype(value: Object, rule: Object) -> bool:
    """pySHACL's reading of sh:datatype (ill-typed literals fail; some types are checked)."""
    if not isinstance(value, Literal):
        return False
    datatype, language = value.datatype, value.language
    if datatype == rule:
        if getattr(value, "ill_typed", None) is True:
            return False
    elif rule == RDFS.Literal or (rule == RDFS.Datatype and datatype):
        return True
    elif not (datatype is None and language is None and rule == XSD.string) and not (
        rule == _RDF_LANG_STRING and language
    ):
        return False
    expected = _PYTHON_TYPES.get(rule) if isinstance(rule, URIRef) else None
    return expected is None or isinstance(value.value, expected)


def _string(value: Object) -> str:
    """pySHACL's string of a value node for patterns and lengths."""
    if (
        isinstance(value, Literal)
        and value.value is not None
        and value.datatype in (None, _RDF_LANG_STRING, XSD.string)
    ):
        return str(value.value)
    return str(value)


def _in_range(value: Object, bound: Literal, accept: Callable[[int], bool]) -> bool:
    if not isinstance(value, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(value.value, str):
        return False
    try:
        return accept(int(compare_literal(value, bound)))  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False


def _term(node: object) -> Object:
    """A shapes-graph node as an RDF term (rdflib types them all as Node)."""
    assert isinstance(node, URIRef | BNode | Literal)
    return node


def _shape_node(node: object) -> URIRef | BNode:
    if not isinstance(node, URIRef | BNode):
        raise UnsupportedShapesError(f"{node!r} is not a shape")
    return node


def _int(term: Object) -> int:
    if not isinstance(term, Literal) or not isinstance(term.value, int):
        raise UnsupportedShapesError(f"{term!r} is not an integer")
    return term.value

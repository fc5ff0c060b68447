"""The validation report a person reads: results grouped by work, each work named by the input
file and line it came from, each result by property, value and what was expected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.core.graphio import to_oxigraph, to_rdflib
from kg.core.namespaces import DCTERMS, KG, PREFIXES, PROV, SCHEMA
from kg.core.rdf import Object, Subject
from kg.core.text import shorten
from kg.validate.reference import SEVERITY_ORDER, ValidationOutcome, ValidationResult

_MAX_HOPS = 3  # work -> issue -> volume -> journal
_MAX_LISTED = 5


class GraphLookup(Protocol):
    """What the report looks up around a result: an ExportGraph, or a store of the graph."""

    def value(self, subject: Object | None, predicate: URIRef) -> Object | None: ...

    def objects(self, subject: Object | None, predicate: URIRef) -> list[Object]: ...

    def referrers_of(self, node: Object) -> list[Subject]: ...


class StoreLookup:
    """The lookups of :class:`GraphLookup` in an Oxigraph store of the graph (on disk, for a
    graph too large for memory). Blank nodes are the store's own: the report only follows them."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def value(self, subject: Object | None, predicate: URIRef) -> Object | None:
        return next(iter(self.objects(subject, predicate)), None)

    def objects(self, subject: Object | None, predicate: URIRef) -> list[Object]:
        if not isinstance(subject, URIRef | BNode):
            return []
        node = to_oxigraph(subject)
        assert not isinstance(node, ox.Literal)
        quads = self._store.quads_for_pattern(node, ox.NamedNode(predicate), None)
        # In the order of an ExportGraph: IRIs, blank nodes, literals, each by text.
        return sorted((to_rdflib(quad.object) for quad in quads), key=_graph_order)

    def referrers_of(self, node: Object) -> list[Subject]:
        quads = self._store.quads_for_pattern(None, None, to_oxigraph(node))
        return [to_rdflib(quad.subject) for quad in quads]  # type: ignore[misc]


def _graph_order(term: Object) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2), str(term)


@dataclass(frozen=True)
class _Group:
    heading: str
    sort_key: tuple[object, ...]
    place: str  # file:line of the work, or the shared entity's short name


@dataclass(frozen=True)
class ResultKind:
    """Results that say the same (severity, property, message, constraint) in many places."""

    severity: str
    text: str  # as a result reads, less its value and focus
    places: list[str]  # file:line of each work (or the shared entity), in report order

    def line(self) -> str:
        """``6 warning(s): schema:name: The work has no title ... [MinCount]``."""
        return f"{len(self.places):,} {self.severity.lower()}(s): {self.text}"

    def where(self) -> str:
        """``first at a.txt:219, a.txt:257, a.txt:299 and 3 more``, or ``at a.txt:219``."""
        shown = ", ".join(self.places[:KIND_PLACES])
        more = len(self.places) - KIND_PLACES
        return f"first at {shown} and {more:,} more" if more > 0 else f"at {shown}"


KIND_PLACES = 3  # places named with each kind of result


def result_kinds(outcome: ValidationOutcome, data: GraphLookup) -> list[ResultKind]:
    """The results by kind, most severe and most frequent first: what the report opens with."""
    return _kinds(_grouped(outcome, _Locator(data)), data)


def render_report(outcome: ValidationOutcome, data: GraphLookup) -> str:
    """Plain text: the results by kind, with counts and first places; then one block a work (or
    shared entity), most severe first within a block, every result."""
    if not outcome.results:
        return "Conforms: no violations, no warnings.\n"
    groups = _grouped(outcome, _Locator(data))
    violations, warnings = len(outcome.violations), len(outcome.warnings)
    verdict = "Conforms" if outcome.conforms else "Does not conform"
    lines = [
        f"{verdict}: {violations} violation(s), {warnings} warning(s), in {len(groups)} place(s).",
        "",
        "By kind:",
    ]
    for kind in _kinds(groups, data):
        lines.extend((f"  {kind.line()}", f"    {kind.where()}"))
    lines.append("")
    lines.append("Every result, by place:")
    for group in sorted(groups, key=lambda g: g.sort_key):
        lines.append("")
        lines.append(group.heading)
        for result in sorted(groups[group], key=lambda r: (SEVERITY_ORDER[r.severity], r.key)):
            lines.append("  " + _describe(result, data))
    return "\n".join(lines) + "\n"


def _grouped(outcome: ValidationOutcome, locate: _Locator) -> dict[_Group, list[ValidationResult]]:
    groups: dict[_Group, list[ValidationResult]] = defaultdict(list)
    for result in outcome.results:
        groups[locate.group(result.focus)].append(result)
    return groups


def _kinds(groups: dict[_Group, list[ValidationResult]], data: GraphLookup) -> list[ResultKind]:
    places: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in sorted(groups, key=lambda g: g.sort_key):
        for result in groups[group]:
            places[result.severity, _kind_text(result)].append(group.place)
    kinds = [ResultKind(severity, text, found) for (severity, text), found in places.items()]
    return sorted(kinds, key=lambda k: (SEVERITY_ORDER[k.severity], -len(k.places), k.text))


def _kind_text(result: ValidationResult) -> str:
    path = _short(result.path) if result.path is not None else "(node)"
    return f"{path}: {result.message} [{_component(result)}]"


def _component(result: ValidationResult) -> str:
    return str(result.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


def _describe(result: ValidationResult, data: GraphLookup) -> str:
    where = ""
    if result.focus != _focus_work(result, data):
        where = f"{_short(result.focus)} "
    path = _short(result.path) if result.path is not None else "(node)"
    value = f" = {_value(result.value)}" if result.value is not None else ""
    component = _component(result)
    return f"{result.severity.lower()}: {where}{path}{value}: {result.message} [{component}]"


def _focus_work(result: ValidationResult, data: GraphLookup) -> Object | None:
    return result.focus if data.objects(result.focus, PROV.wasDerivedFrom) else None


def _value(value: Object) -> str:
    if isinstance(value, Literal):
        text = str(value)
        return repr(shorten(text))
    return _short(value)


def _short(term: Object) -> str:
    text = str(term)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


class _Locator:
    """Finds the works a focus node belongs to, and where each work was read from."""

    def __init__(self, data: GraphLookup) -> None:
        self.data = data

    def group(self, focus: Object) -> _Group:
        works = self._works_of(focus)
        if len(works) == 1:
            work = works[0]
            location, order = self._location(work)
            heading = f"{location}  {self._label(work)}  <{work}>"
            return _Group(heading, (0, order, str(work)), location)
        used = ", ".join(self._location(w)[0] for w in works[:_MAX_LISTED])
        more = f" and {len(works) - _MAX_LISTED} more" if len(works) > _MAX_LISTED else ""
        heading = f"{_short(focus)}" + (f"  (used by {used}{more})" if works else "")
        return _Group(heading, (1, (), str(focus)), _short(focus))

    def _works_of(self, focus: Object) -> list[Object]:
        frontier, seen, works = [focus], {focus}, []
        for _ in range(_MAX_HOPS + 1):
            following: list[Object] = []
            for node in frontier:
                if self.data.objects(node, PROV.wasDerivedFrom):
                    works.append(node)
                    continue
                for subject in self.data.referrers_of(node):
                    if subject not in seen:
                        seen.add(subject)
                        following.append(subject)
            frontier = following
        return sorted(set(works), key=lambda w: (self._location(w)[1], str(w)))

    def _location(self, work: Object) -> tuple[str, tuple[str, int]]:
        record = self.data.value(work, PROV.wasDerivedFrom)
        line = self.data.value(record, KG.sourceLine) if record is not None else None
        source = self.data.value(record, KG.sourceFile) if record is not None else None
        name = self.data.value(source, DCTERMS.title) if source is not None else None
        if name is None or not isinstance(line, Literal) or not str(line).isdigit():
            return "(source unknown)", ("", 0)
        return f"{name}:{line}", (str(name), int(str(line)))

    def _label(self, work: Object) -> str:
        parts = [str(self.data.value(work, KG.contentType) or "work")]
        date = self.data.value(work, SCHEMA.datePublished)
        if date is not None:
            parts.append(str(date))
        authors = [name for _, name in sorted(self._authors(work))]
        if authors:
            parts.append(" & ".join(authors[:3]) + (" et al." if len(authors) > 3 else ""))
        return ", ".join(parts)

    def _authors(self, work: Object) -> list[tuple[int, str]]:
        """(position, family name) of each author, from the positioned authorships."""
        found = []
        for authorship in self.data.objects(work, KG.authorship):
            person = self.data.value(authorship, KG.person)
            position = self.data.value(authorship, KG.position)
            name = self.data.value(person, SCHEMA.familyName) or self.data.value(
                person, SCHEMA.name
            )
            if isinstance(position, Literal) and str(position).isdigit() and name is not None:
                found.append((int(str(position)), str(name)))
        return found

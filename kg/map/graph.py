"""The exported graph: a sorted, duplicate-free set of triples, indexed by subject.

Sorting once here is what makes every serialisation byte-identical across runs and hash seeds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef

from kg.core.namespaces import RDF, XSD
from kg.core.rdf import Object, Subject, Triple


def _triple_key(triple: Triple) -> tuple[str, str, str, str, str]:
    """Subject, predicate, object order (IRIs before blank nodes before literals), as flat plain
    strings: comparing them is several times faster than comparing nested tuples or rdflib terms
    (whose comparisons run in Python)."""
    subject, predicate, value = triple
    subject_key = ("0" if isinstance(subject, URIRef) else "1") + str.__str__(subject)
    if isinstance(value, Literal):
        datatype, language = value.datatype, value.language
        return (subject_key, str.__str__(predicate), "2" + str.__str__(value),
                str.__str__(datatype) if datatype else "", language or "")  # fmt: skip
    kind = "0" if isinstance(value, URIRef) else "1"
    return subject_key, str.__str__(predicate), kind + str.__str__(value), "", ""


def _triple_text_key(triple: Triple) -> str:
    """``_triple_key`` as one string, its parts joined by NUL: sorts in the same order, twice as
    fast, as long as no literal holds a NUL itself (the graph checks)."""
    subject, predicate, value = triple
    subject_key = ("0" if isinstance(subject, URIRef) else "1") + str.__str__(subject)
    if isinstance(value, Literal):
        datatype, language = value.datatype, value.language
        return (f"{subject_key}\x00{str.__str__(predicate)}\x002{str.__str__(value)}"
                f"\x00{str.__str__(datatype) if datatype else ''}\x00{language or ''}")  # fmt: skip
    kind = "0" if isinstance(value, URIRef) else "1"
    return f"{subject_key}\x00{str.__str__(predicate)}\x00{kind}{str.__str__(value)}\x00\x00"


@dataclass(frozen=True)
class InlineLists:
    members: dict[BNode, list[Object]]  # list head -> members in order
    cells: set[BNode]  # every cell of those lists


def _drop_cyclic(
    lists: InlineLists, chains: dict[BNode, list[BNode]], referrer: dict[BNode, Subject]
) -> None:
    """An inline list must hang, through the cells that refer to it, from a subject written on
    its own; one that refers back into itself would never be written, so it is not inlined."""
    head_of = {cell: head for head, chain in chains.items() for cell in chain}
    changed = True
    while changed:
        changed = False
        for head in list(lists.members):
            seen: set[BNode] = set()
            node: Subject | None = referrer.get(head)
            while isinstance(node, BNode) and node in lists.cells and node not in seen:
                seen.add(node)
                node = referrer.get(head_of[node])
            if isinstance(node, BNode) and node in seen:
                del lists.members[head]
                lists.cells.difference_update(chains[head])
                changed = True


@dataclass(frozen=True)
class Description:
    """Everything the graph says about one subject, predicates and values sorted."""

    subject: Subject
    properties: list[tuple[URIRef, list[Object]]]


@dataclass(frozen=True)
class InlineList:
    """An rdf:List written in place of its head: ``( ... )`` in Turtle, ``@list`` in JSON-LD."""

    members: tuple[WrittenObject, ...]


WrittenObject = Object | InlineList


@dataclass(frozen=True)
class WrittenDescription:
    """A description as the Turtle and JSON-LD writers spell it: inline lists in place of their
    heads, and no description of their cells."""

    subject: Subject
    properties: list[tuple[URIRef, list[WrittenObject]]]


def _canonical(triple: Triple) -> Triple:
    """One spelling per RDF term: rdflib tells "x" from "x"^^xsd:string, RDF 1.1 does not."""
    value = triple[2]
    if isinstance(value, Literal) and value.datatype == XSD.string:
        return triple[0], triple[1], Literal(str(value))
    return triple


def _subject_key(subject: Subject) -> str:
    """The first part of ``_triple_key``: subjects in this order are the triples in theirs."""
    return ("0" if isinstance(subject, URIRef) else "1") + str.__str__(subject)


def _sorted_unique(triples: Iterable[Triple]) -> list[Triple]:
    """The triples in ``_triple_key`` order, each once.

    Sorted subject by subject: a sort key for every triple at once would cost more memory than
    the graph (1.2 GB at 100k records), and a set of rdflib terms hashes in Python. Triples are
    grouped by their subject's key (hashed in C) and only one subject's keys exist at a time.
    """
    groups: dict[str, list[Triple]] = {}
    for triple in triples:
        triple = _canonical(triple)
        subject_key = _subject_key(triple[0])
        group = groups.get(subject_key)
        if group is None:
            groups[subject_key] = [triple]
        else:
            group.append(triple)
    ordered: list[Triple] = []
    for subject_key in sorted(groups):
        group = groups.pop(subject_key)
        nul_inside = any(isinstance(t[2], Literal) and "\x00" in t[2] for t in group)
        key = _triple_key if nul_inside else _triple_text_key
        keys = [key(triple) for triple in group]
        previous = None
        for index in sorted(range(len(group)), key=keys.__getitem__):
            if keys[index] != previous:  # equal keys are equal RDF terms: a duplicate
                ordered.append(group[index])
                previous = keys[index]
    return ordered


def find_inline_lists(triples: Sequence[Triple]) -> InlineLists:
    """The well-formed rdf:Lists among ``triples`` (distinct, in any order): see
    :meth:`ExportGraph.inline_lists`."""
    blank_values: dict[BNode, dict[URIRef, list[Object]]] = {}
    references: dict[BNode, int] = {}
    rest_targets: set[BNode] = set()
    referrer: dict[BNode, Subject] = {}
    for subject, predicate, value in triples:
        if isinstance(subject, BNode):
            blank_values.setdefault(subject, {}).setdefault(predicate, []).append(value)
        if isinstance(value, BNode):
            references[value] = references.get(value, 0) + 1
            referrer[value] = subject
            if predicate == RDF.rest:
                rest_targets.add(value)
    cells: dict[BNode, tuple[Object, Object]] = {}
    for node, values in blank_values.items():
        if set(values) == {RDF.first, RDF.rest} and all(len(v) == 1 for v in values.values()):
            cells[node] = (values[RDF.first][0], values[RDF.rest][0])
    found = InlineLists({}, set())
    chains: dict[BNode, list[BNode]] = {}
    for head in cells:
        if head in rest_targets or references.get(head) != 1:
            continue
        members: list[Object] = []
        chain: list[BNode] = []
        in_chain: set[BNode] = set()  # a set: asking the list would make this quadratic
        cell: Object = head
        while isinstance(cell, BNode) and cell in cells and cell not in in_chain:
            if cell != head and references.get(cell) != 1:
                break
            chain.append(cell)
            in_chain.add(cell)
            first, cell = cells[cell]
            members.append(first)
        if cell == RDF.nil:
            found.members[head] = members
            found.cells.update(chain)
            chains[head] = chain
    _drop_cyclic(found, chains, referrer)
    return found


class WritableGraph(Protocol):
    """What the Turtle and JSON-LD writers need of a graph."""

    def written_descriptions(self) -> Iterator[WrittenDescription]: ...


class ExportGraph:
    def __init__(self, triples: Iterable[Triple]) -> None:
        self.triples: list[Triple] = _sorted_unique(triples)
        self._lists: InlineLists | None = None

    @classmethod
    def from_sorted(cls, triples: Iterable[Triple]) -> ExportGraph:
        """A graph of triples already in graph order, each once (a SortedGraph's): not sorted
        again."""
        graph = cls(())
        graph.triples = list(triples)
        return graph

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def descriptions(self) -> Iterator[Description]:
        """One description a subject, in subject order."""
        current: Subject | None = None
        properties: list[tuple[URIRef, list[Object]]] = []
        for subject, predicate, value in self.triples:
            if subject != current:
                if current is not None:
                    yield Description(current, properties)
                current, properties = subject, []
            if properties and properties[-1][0] == predicate:
                properties[-1][1].append(value)
            else:
                properties.append((predicate, [value]))
        if current is not None:
            yield Description(current, properties)

    def written_descriptions(self) -> Iterator[WrittenDescription]:
        """The descriptions the Turtle and JSON-LD writers spell, in subject order."""
        lists = self.inline_lists()

        def written(value: Object) -> WrittenObject:
            members = lists.members.get(value) if isinstance(value, BNode) else None
            if members is None:
                return value
            return InlineList(tuple(written(member) for member in members))

        for description in self.descriptions():
            if description.subject in lists.cells:
                continue
            properties = [
                (predicate, [written(value) for value in values])
                for predicate, values in description.properties
            ]
            yield WrittenDescription(description.subject, properties)

    def inline_lists(self) -> InlineLists:
        """Well-formed rdf:Lists, which writers spell as ``( ... )`` or ``@list``.

        Found once and kept: every writer asks.

        A cell qualifies when it has exactly one rdf:first and one rdf:rest and nothing else, and
        is the object of exactly one triple. Other blank nodes are written as labelled nodes.
        """
        if self._lists is None:
            self._lists = self._find_inline_lists()
        return self._lists

    def _find_inline_lists(self) -> InlineLists:
        return find_inline_lists(self.triples)

    @functools.cached_property
    def by_subject(self) -> dict[Subject, list[Triple]]:
        """Each subject's triples, in graph order."""
        index: dict[Subject, list[Triple]] = {}
        for triple in self.triples:
            index.setdefault(triple[0], []).append(triple)
        return index

    @functools.cached_property
    def referrers(self) -> dict[Object, list[Subject]]:
        """The subjects that refer to each node (built on first use: it is large)."""
        index: dict[Object, list[Subject]] = {}
        for subject, _, value in self.triples:
            if isinstance(value, URIRef | BNode):
                index.setdefault(value, []).append(subject)
        return index

    def referrers_of(self, node: Object) -> list[Subject]:
        return self.referrers.get(node, [])

    def value(self, subject: Object | None, predicate: URIRef) -> Object | None:
        """The first value of ``predicate`` on ``subject``, if any."""
        return next(iter(self.objects(subject, predicate)), None)

    def objects(self, subject: Object | None, predicate: URIRef) -> list[Object]:
        triples = self.by_subject.get(subject, []) if isinstance(subject, URIRef | BNode) else []
        return [value for _, p, value in triples if p == predicate]

    def to_rdflib(self) -> Graph:
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph

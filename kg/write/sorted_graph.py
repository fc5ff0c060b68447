"""A graph too large for memory: its triples as sorted text entries in scratch files.

Each triple is one entry: the sort key of :mod:`kg.map.graph` (subject, predicate, object,
datatype, language), its five parts joined by NUL, then a NUL and a payload for the writers. Sorted
as plain strings the entries are in exactly the order of an :class:`~kg.map.graph.ExportGraph`,
and equal triples give equal entries, so a merge of sorted runs (kg.core.external_sort) is the
graph, sorted and without duplicates, written out by the same writers byte for byte.

The payload carries what the Turtle and JSON-LD writers would otherwise need the whole graph for:
``c`` marks a triple of an rdf:List cell written inline, and a triple whose object is the head of
such a list carries the list's members. Lists are found per group of triples encoded together
(one work and its provenance): a work's author list is built from cells minted for that work alone,
so nothing outside the group refers to them and the answer is the one the whole graph gives.
"""

from __future__ import annotations

import functools
import heapq
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.core.external_sort import (
    ScratchFolder,
    SortedRuns,
    escape_part,
    read_entries,
    unescape_part,
    unique,
    write_sorted_unique,
)
from kg.core.namespaces import RDF, XSD
from kg.core.rdf import ChunkingError, Object, Subject, Triple
from kg.map.graph import (
    InlineList,
    InlineLists,
    WrittenDescription,
    WrittenObject,
    find_inline_lists,
)
from kg.resolve.mint import list_cell
from kg.write.terms import blank_label, quote_string

_XSD_STRING = str(XSD.string)
_RDF_TYPE = str(RDF.type)
_RDF_FIRST, _RDF_REST = str(RDF.first), str(RDF.rest)
CELL_PAYLOAD = "c"  # the payload of a list cell's entries (written with the list's owner)


def _node_key(node: Object) -> str:
    return ("0" if isinstance(node, URIRef) else "1") + str.__str__(node)


def _object_key(value: Object) -> str:
    """The object's three parts of the sort key: kind and value, datatype, language."""
    if isinstance(value, Literal):
        datatype = str.__str__(value.datatype) if value.datatype else ""
        if datatype == _XSD_STRING:
            datatype = ""  # one spelling per RDF term, as ExportGraph does
        return f"2{escape_part(str.__str__(value))}\x00{datatype}\x00{value.language or ''}"
    return _node_key(value) + "\x00\x00"


def encode_triples(triples: Iterable[Triple]) -> list[str]:
    """The entries of a group of distinct triples that holds every reference to its list cells
    (unsorted: the runs are sorted as a whole)."""
    group = triples if isinstance(triples, list | tuple) else list(triples)
    lists = find_inline_lists(group)
    entries = []
    for subject, predicate, value in group:
        payload = ""
        if subject in lists.cells:
            payload = CELL_PAYLOAD
        elif isinstance(value, BNode) and value in lists.members:
            payload = json.dumps(_list_members(value, lists), ensure_ascii=False)
        key = f"{_node_key(subject)}\x00{str.__str__(predicate)}\x00{_object_key(value)}"
        entries.append(f"{key}\x00{payload}")
    return entries


def _list_members(head: BNode, lists: InlineLists) -> list[Any]:
    members: list[Any] = []
    for member in lists.members[head]:
        if isinstance(member, BNode) and member in lists.members:
            members.append(["L", _list_members(member, lists)])
        elif isinstance(member, Literal):
            datatype = str(member.datatype) if member.datatype else ""
            datatype = "" if datatype == _XSD_STRING else datatype
            members.append(["2", str(member), datatype, member.language or ""])
        else:
            members.append([_node_key(member)[0], str(member)])
    return members


@functools.lru_cache(maxsize=256)
def _datatype(iri: str) -> URIRef:
    return URIRef(iri)


def _written_literal(lexical: str, datatype: str, language: str) -> Literal:
    """A literal for the writers, which read only its text, datatype and language: made without
    rdflib parsing the value (a typed Literal() costs 4 µs, most of a triple's writing time)."""
    literal = str.__new__(Literal, lexical)
    literal._language = language or None
    literal._datatype = _datatype(datatype) if datatype else None
    literal._value = None
    literal._ill_typed = None
    return literal


def _written_member(encoded: list[Any]) -> WrittenObject:
    kind = encoded[0]
    if kind == "L":
        return InlineList(tuple(_written_member(member) for member in encoded[1]))
    if kind == "2":
        return _written_literal(encoded[1], encoded[2], encoded[3])
    return URIRef(encoded[1]) if kind == "0" else BNode(encoded[1])


def _subject(key: str) -> Subject:
    return URIRef(key[1:]) if key[0] == "0" else BNode(key[1:])


def _term(kind_value: str, datatype: str, language: str) -> Object:
    """An object as rdflib makes it when a graph is read (its value parsed, its text kept)."""
    kind, text = kind_value[0], kind_value[1:]
    if kind == "2":
        lexical = unescape_part(text)
        if language:
            return Literal(lexical, lang=language)
        return Literal(lexical, datatype=_datatype(datatype) if datatype else None, normalize=False)
    return URIRef(text) if kind == "0" else BNode(text)


@functools.lru_cache(maxsize=65536)
def _nt_node(key: str) -> str:
    return f"<{key[1:]}>" if key[0] == "0" else f"_:{blank_label(BNode(key[1:]))}"


def entry_triple(entry: str) -> Triple:
    """An entry's triple, as rdflib makes it when a graph is read."""
    subject, predicate, kind_value, datatype, language, _ = entry.split("\x00")
    return _subject(subject), URIRef(predicate), _term(kind_value, datatype, language)


def list_members(payload: str) -> list[Object] | None:
    """The members of the list an entry's payload holds, as rdflib terms; None when a member is
    itself a list."""
    members: list[Object] = []
    for encoded in json.loads(payload):
        if encoded[0] == "L":
            return None
        if encoded[0] == "2":
            members.append(_term("2" + escape_part(encoded[1]), encoded[2], encoded[3]))
        else:
            members.append(_term(encoded[0] + encoded[1], "", ""))
    return members


def nt_line(entry: str) -> str:
    """The N-Triples line of an entry, spelled as kg.write.ntriples spells the triple."""
    subject, predicate, kind_value, datatype, language, _ = entry.split("\x00")
    if kind_value[0] == "2":
        value = quote_string(unescape_part(kind_value[1:]))
        if language:
            value = f"{value}@{language}"
        elif datatype:
            value = f"{value}^^<{datatype}>"
    else:
        value = _nt_node(kind_value)
    return f"{_nt_node(subject)} <{predicate}> {value} .\n"


class SortedGraph:
    """The sorted, duplicate-free entries of a graph: a file of data, plus a few more entries
    (the dataset's description) merged in as it is read. Read as often as needed."""

    def __init__(self, path: Path, size: int, extra: list[str] | None = None) -> None:
        self.path = path
        self._size = size
        self._extra = sorted(set(extra or []))

    def with_entries(self, extra: Iterable[str]) -> SortedGraph:
        """The graph with more entries; they must not repeat the file's (they are counted)."""
        return SortedGraph(self.path, self._size, [*self._extra, *extra])

    def __len__(self) -> int:
        return self._size + len(self._extra)

    def entries(self) -> Iterator[str]:
        return unique(heapq.merge(read_entries(self.path), self._extra))

    def nt_lines(self) -> Iterator[str]:
        return (nt_line(entry) for entry in self.entries())

    def __iter__(self) -> Iterator[Triple]:
        """The triples as rdflib terms, for what needs them (validation, the report)."""
        return (entry_triple(entry) for entry in self.entries())

    def chunks(
        self, size: int, wanted: Callable[[int], bool] = lambda number: True
    ) -> Iterator[list[Triple]]:
        """The graph's triples in chunks of whole descriptions, about ``size`` triples each, with
        the cells of each author list in the chunk of the node that holds the list; only the
        chunks whose numbers (from 0) are ``wanted``, the others cut alike but not built."""
        for entries in self._whole_descriptions(size, wanted):
            yield [entry_triple(entry) for entry in entries]

    def nt_pieces(self, size: int) -> Iterator[str]:
        """The N-Triples of graph.nt in pieces of whole descriptions, each list's cells in the
        piece of the node that holds it: a piece loads on its own (a loader names the blank
        nodes of each load afresh)."""
        for entries in self._whole_descriptions(size, lambda number: True):
            yield "".join(nt_line(entry) for entry in entries)

    def _whole_descriptions(self, size: int, wanted: Callable[[int], bool]) -> Iterator[list[str]]:
        """Entries in groups of whole descriptions, the cells of each list rebuilt after the
        entry that holds it (the cells' own entries sort apart, after every IRI)."""
        group: list[str] = []
        number, count, current = 0, 0, ""
        for entry in self.entries():
            subject_key, _, _, _, _, payload = entry.split("\x00")
            if payload == CELL_PAYLOAD:
                continue  # rebuilt with the description that holds its list
            if subject_key != current:
                if count >= size:
                    if wanted(number):
                        yield group
                    group, number, count = [], number + 1, 0
                current = subject_key
            count += 1
            if wanted(number):
                group.append(entry)
                if payload:
                    group.extend(_cell_entries(entry, payload))
        if count and wanted(number):
            yield group

    def written_descriptions(self) -> Iterator[WrittenDescription]:
        """Descriptions for the Turtle and JSON-LD writers, in subject order, without the
        cells of inline lists."""
        current = current_predicate = ""
        properties: list[tuple[URIRef, list[WrittenObject]]] = []
        for entry in self.entries():
            subject, predicate, kind_value, datatype, language, payload = entry.split("\x00")
            if payload == CELL_PAYLOAD:
                continue
            if subject != current:
                if properties:
                    yield WrittenDescription(_subject(current), properties)
                current, current_predicate, properties = subject, "", []
            value: WrittenObject
            if payload:
                value = _written_member(["L", json.loads(payload)])
            elif kind_value[0] == "2":
                value = _written_literal(unescape_part(kind_value[1:]), datatype, language)
            else:
                value = URIRef(kind_value[1:]) if kind_value[0] == "0" else BNode(kind_value[1:])
            if predicate == current_predicate:
                properties[-1][1].append(value)
            else:
                properties.append((URIRef(predicate), [value]))
                current_predicate = predicate
        if properties:
            yield WrittenDescription(_subject(current), properties)


def _cell_entries(entry: str, payload: str) -> list[str]:
    """The entries of the cells of the list ``entry`` refers to, as kg minted them
    (kg.resolve.mint) and as :func:`encode_triples` spells them."""
    subject_key, _, head, _, _, _ = entry.split("\x00")
    owner = _subject(subject_key)
    members = list_members(payload)
    if members is None:
        raise ChunkingError(f"the list of {owner} holds a list")
    cells = [list_cell(owner, position) for position in range(1, len(members) + 1)]
    if not cells or _node_key(cells[0]) != head:
        raise ChunkingError(f"the list of {owner} was not minted by kg")
    entries = []
    for index, (cell, member) in enumerate(zip(cells, members, strict=True)):
        rest = cells[index + 1] if index + 1 < len(cells) else RDF.nil
        for predicate, value in ((_RDF_FIRST, member), (_RDF_REST, rest)):
            key = f"{_node_key(cell)}\x00{predicate}\x00{_object_key(value)}"
            entries.append(f"{key}\x00{CELL_PAYLOAD}")
    return entries


def sort_graph(
    runs: SortedRuns, scratch: ScratchFolder, predicates: set[str] | None = None
) -> tuple[SortedGraph, Counter[Object]]:
    """Merge the runs into one sorted file; with it, how many subjects have each rdf:type (and,
    into ``predicates``, every predicate used)."""
    classes: Counter[Object] = Counter()
    seen = predicates if predicates is not None else set()

    def counting(entries: Iterable[str]) -> Iterator[str]:
        for entry in entries:
            predicate = entry.split("\x00", 2)[1]
            seen.add(predicate)
            if predicate == _RDF_TYPE:
                _, _, kind_value, datatype, language, _ = entry.split("\x00")
                classes[_term(kind_value, datatype, language)] += 1
            yield entry

    path = scratch.new_file("graph")
    with path.open("wb") as stream:
        size = write_sorted_unique(counting(runs.merged()), stream)
    scratch.measure()
    return SortedGraph(path, size), classes

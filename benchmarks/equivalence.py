"""Is a contender's graph kg's graph? Compare two N-Triples files triple by triple.

Triples without blank nodes are compared exactly. Triples with one (the rdf:List cells of author
lists, whose labels each writer picks) are compared after naming every cell by what it holds:
the IRI of the work whose list it is and its position, found by following bibo:authorList and
rdf:rest.

What kg writes and the contenders leave out on purpose (see benchmarks/floor.py) is counted
apart as "left out by design": each record's provenance (prov:wasDerivedFrom and the
source-record nodes), the input files, the dataset's VoID/PROV description, and the theme
vocabulary's own statements about its concepts and scheme.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

BASE = "https://example.org/kg/"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
BIBO_AUTHOR_LIST = "http://purl.org/ontology/bibo/authorList"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_BY_DESIGN_SUBJECTS = (BASE + "source/", BASE + "dataset", BASE + "software/")

Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Comparison:
    shared: int
    only_kg: Counter[str]  # predicate -> count, beyond what is left out by design
    only_other: Counter[str]
    left_out_by_design: int

    @property
    def equivalent(self) -> bool:
        return not self.only_kg and not self.only_other

    def summary(self, name: str) -> str:
        lines = [
            f"{name}: {self.shared:,} triples shared with kg; "
            f"{self.left_out_by_design:,} of kg's left out by design "
            "(provenance, dataset description, theme vocabulary)"
        ]
        if self.equivalent:
            lines.append(f"{name}: equivalent to kg's graph on everything it maps")
        for label, counts in (("only in kg", self.only_kg), (f"only in {name}", self.only_other)):
            for predicate, count in counts.most_common():
                lines.append(f"  {label}: {count:,} x <{predicate}>")
        return "\n".join(lines)


def _triples(path: Path) -> set[Triple]:
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    names = _cell_names(triples)

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(node, ox.BlankNode):
            return names.get(node.value, f"_:{node.value}")
        return str(node)

    return {(term(t.subject), term(t.predicate), term(t.object)) for t in triples}


def _cell_names(triples: list[ox.Triple]) -> dict[str, str]:
    """Each list cell's label -> ``[work IRI]#cell<position>``."""
    rest: dict[str, str] = {}
    heads: dict[str, str] = {}
    for t in triples:
        if not isinstance(t.object, ox.BlankNode):
            continue
        if t.predicate.value == RDF_REST and isinstance(t.subject, ox.BlankNode):
            rest[t.subject.value] = t.object.value
        elif t.predicate.value == BIBO_AUTHOR_LIST:
            heads[t.object.value] = str(t.subject)
    names: dict[str, str] = {}
    for head, work in heads.items():
        cell: str | None = head
        position = 1
        while cell is not None and cell not in names:
            names[cell] = f"[{work}]#cell{position}"
            cell = rest.get(cell)
            position += 1
    return names


def _by_design(triple: Triple, vocabulary_nodes: set[str]) -> bool:
    subject, predicate, _ = triple
    if predicate == f"<{PROV_DERIVED}>":
        return True
    if subject.startswith(tuple(f"<{prefix}" for prefix in _BY_DESIGN_SUBJECTS)):
        return True
    return subject in vocabulary_nodes


def compare(kg_graph: Path, other: Path, vocabulary_nodes: set[str]) -> Comparison:
    """``vocabulary_nodes``: the theme vocabulary's concepts and schemes, as ``<IRI>``."""
    ours, theirs = _triples(kg_graph), _triples(other)
    only_kg = ours - theirs
    by_design = {t for t in only_kg if _by_design(t, vocabulary_nodes)}
    only_other = theirs - ours
    # The scheme's own two triples: kg writes them from the vocabulary, the contenders from the
    # keyword concepts; the same triples either way, or left out by design.
    only_other = {t for t in only_other if t[0] not in vocabulary_nodes}
    return Comparison(
        shared=len(ours & theirs),
        only_kg=Counter(t[1].strip("<>") for t in only_kg - by_design),
        only_other=Counter(t[1].strip("<>") for t in only_other),
        left_out_by_design=len(by_design),
    )


def vocabulary_nodes() -> set[str]:
    """The concepts and schemes of kg's default theme vocabulary, as ``<IRI>``."""
    from rdflib import Graph

    from kg.core.namespaces import RDF, SKOS
    from kg.core.resources import vocab_file
    from kg.resolve.mint import DEFAULT_BASE_IRI

    graph = Graph().parse(vocab_file("themes.ttl"), format="turtle", publicID=DEFAULT_BASE_IRI)
    kinds = (SKOS.Concept, SKOS.ConceptScheme)
    return {f"<{node}>" for kind in kinds for node in graph.subjects(RDF.type, kind)}

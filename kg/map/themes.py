"""Themes: SKOS concepts a work's keywords name, and concepts found in its text.

A keyword that is a label of a vocabulary concept (kg's default ``vocab/themes.ttl`` or the
user's ``--themes`` file) links to that concept; any other keyword that reads like a term becomes
a concept of its own in the dataset's scheme (same label, same concept). Those links are what the
source says (``schema:about``). The vocabulary's labels are also matched, as whole words ignoring
case, against the work's title, abstract and keywords: a match is kg's finding, not the source's,
so it is stated apart (``kg:matchedTheme`` and a ``kg:ThemeMatch`` with the words and the field).
Every concept is also a ``schema:DefinedTerm`` in a ``schema:DefinedTermSet``, so schema.org
accepts it as what a work is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.core.namespaces import DCTERMS, RDF, SCHEMA, SKOS
from kg.core.rdf import Triple
from kg.errors import InputError, IriError
from kg.resolve.mint import Minter, check_iri

# Hyphen-like characters that typeset text uses where a label has "-".
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u00ad", "-"))
_QUOTES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc", "'"))
_COPIED = (RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.inScheme, SKOS.topConceptOf,
           SKOS.definition, SKOS.notation, SKOS.scopeNote)  # fmt: skip


# Keywords that are labels of something else, left in a keyword field by an export ("DOI:",
# "ISSN: 1234-5678", "https://…", "10.1108/…"): kept as keywords, never made concepts.
_NOT_A_TERM = re.compile(r"^(?:\w+:(?:\s.*)?|\w+://.*|10\.\d{4,9}/.*)$|^[^\w]*$")


def is_term(keyword: str) -> bool:
    """Whether a keyword reads like a subject term, fit to be a concept of its own.

    >>> is_term("Peer support"), is_term("DOI:"), is_term("ISSN: 1755-6228"), is_term("--")
    (True, False, False, False)
    >>> is_term("10.1108/jmhtep-09-2011-0012"), is_term("COVID-19: lessons")
    (False, True)
    """
    text = keyword.strip()
    return bool(text) and not _NOT_A_TERM.match(text) and any(c.isalpha() for c in text)


def normalise(text: str) -> str:
    """Text folded for matching: typographic hyphens and quotes made plain, case folded."""
    return " ".join(text.translate(_HYPHENS).translate(_QUOTES).split()).casefold()


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    labels: tuple[str, ...]  # preferred first


class ThemeVocabulary:
    """The concepts of one SKOS file, ready to match text."""

    def __init__(self, graph: Graph, label: str) -> None:
        self._graph = graph
        concepts = []
        for iri in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
            if not isinstance(iri, URIRef):
                raise InputError(f"{label}: a skos:Concept without an IRI (a blank node)")
            try:
                check_iri(str(iri))
            except IriError as error:
                raise InputError(f"{label}: {error}") from None
            pref = sorted(str(o) for o in graph.objects(iri, SKOS.prefLabel))
            alt = sorted(str(o) for o in graph.objects(iri, SKOS.altLabel))
            if not pref:
                raise InputError(f"{label}: concept <{iri}> has no skos:prefLabel")
            concepts.append(Concept(iri, (*pref, *alt)))
        if not concepts:
            raise InputError(f"{label}: no skos:Concept in this theme vocabulary")
        self.concepts = tuple(concepts)
        self._by_label = {normalise(text): c for c in concepts for text in reversed(c.labels)}
        self._by_iri = {c.iri: c for c in concepts}
        self._matcher = _LabelMatcher(concepts)

    @classmethod
    def load(cls, path: Path, minter: Minter) -> ThemeVocabulary:
        """Parse a SKOS Turtle file; relative IRIs resolve against the export's base IRI."""
        graph = Graph()
        try:
            graph.parse(path, format="turtle", publicID=minter.base)
        except FileNotFoundError:
            raise InputError(f"{path}: no such theme vocabulary") from None
        except Exception as error:  # rdflib raises many types for bad Turtle
            raise InputError(f"{path}: not a readable Turtle file: {error}") from None
        return cls(graph, str(path))

    def concept_for_keyword(self, keyword: str, minted: URIRef) -> Concept | None:
        """The concept a keyword names: by one of its labels, or because the IRI a keyword
        concept would get ("Peer-support" -> theme/peer-support) is already this concept's."""
        return self._by_label.get(normalise(keyword)) or self._by_iri.get(minted)

    def _schemes_of(self, iri: URIRef) -> set[URIRef]:
        found = {
            *self._graph.objects(iri, SKOS.inScheme),
            *self._graph.objects(iri, SKOS.topConceptOf),
            *self._graph.subjects(SKOS.hasTopConcept, iri),
        }
        return {scheme for scheme in found if isinstance(scheme, URIRef)}

    def concepts_in(self, text: str) -> list[Concept]:
        """Concepts with a label in ``text``, in vocabulary order."""
        return [concept for concept, _ in self._matcher.matches_in(normalise(text))]

    def matches_in(self, text: str) -> list[tuple[Concept, tuple[str, ...]]]:
        """Concepts with a label in ``text``, in vocabulary order, each with the labels found
        (folded: lower case, plain hyphens) - the evidence for the match."""
        return self._matcher.matches_in(normalise(text))

    def describe(self, concepts: Iterable[URIRef]) -> Iterator[Triple]:
        """The vocabulary's own statements about the used concepts and their schemes.

        A top concept is in its scheme (SKOS makes skos:topConceptOf and skos:hasTopConcept
        imply skos:inScheme), so membership given only that way is stated as skos:inScheme.
        """
        schemes: set[URIRef] = set()
        for iri in concepts:
            for predicate in _COPIED:
                for value in self._graph.objects(iri, predicate):
                    if isinstance(value, URIRef | Literal):
                        yield iri, predicate, value
            yield from defined_term(iri, self._graph.objects(iri, SKOS.prefLabel))
            for scheme in self._schemes_of(iri):
                schemes.add(scheme)
                yield iri, SKOS.inScheme, scheme
                yield iri, SCHEMA.inDefinedTermSet, scheme
        for scheme in sorted(schemes, key=str):
            yield scheme, RDF.type, SKOS.ConceptScheme
            yield scheme, RDF.type, SCHEMA.DefinedTermSet
            for predicate in (SKOS.prefLabel, DCTERMS.title, DCTERMS.description):
                for value in self._graph.objects(scheme, predicate):
                    if isinstance(value, Literal):
                        yield scheme, predicate, value
                        if predicate == SKOS.prefLabel:
                            yield scheme, SCHEMA.name, value


def defined_term(iri: URIRef, labels: Iterable[object]) -> Iterator[Triple]:
    """A concept as schema.org knows one: a schema:DefinedTerm named by its preferred labels
    (schema:about wants a schema:Thing; skos:Concept is not one)."""
    yield iri, RDF.type, SCHEMA.DefinedTerm
    for label in labels:
        if isinstance(label, Literal):
            yield iri, SCHEMA.name, label


class _LabelMatcher:
    """Finds every concept with a label in a text in one regular-expression pass.

    At each position the alternation (longest label first) finds the longest label that occurs
    there as whole words; a shorter label that occurs at the same position is a prefix of it that
    ends on a word boundary, and those are precomputed, so the result is exactly "every concept
    one of whose labels occurs as whole words" - 20 times faster than a search per concept.
    """

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._order = {}
        by_label: dict[str, set[int]] = {}
        for index, concept in enumerate(concepts):
            self._order[index] = concept
            for label in concept.labels:
                by_label.setdefault(normalise(label), set()).add(index)
        labels = sorted(by_label, key=lambda label: (-len(label), label))
        # label found -> {concept: the (longest) label of it that the found one starts with}
        self._implied: dict[str, dict[int, str]] = {}
        for label in labels:
            implied = self._implied[label] = {}
            for prefix in labels:  # longest first: setdefault keeps the longest
                if _is_word_prefix(prefix, label):
                    for index in by_label[prefix]:
                        implied.setdefault(index, prefix)
        alternatives = "|".join(re.escape(label) for label in labels)
        self._pattern = re.compile(rf"(?=(?<!\w)({alternatives})(?!\w))")

    def matches_in(self, folded: str) -> list[tuple[Concept, tuple[str, ...]]]:
        found: dict[int, set[str]] = {}
        for match in self._pattern.finditer(folded):
            for index, label in self._implied[match.group(1)].items():
                found.setdefault(index, set()).add(label)
        return [(self._order[index], tuple(sorted(found[index]))) for index in sorted(found)]


def _is_word_prefix(prefix: str, label: str) -> bool:
    """``prefix`` starts ``label`` and ends where a word ends (or is all of it)."""
    return label.startswith(prefix) and (
        len(prefix) == len(label) or re.match(r"\w", label[len(prefix)]) is None
    )


class KeywordThemes:
    """Concepts minted from keywords: one per label; the first spelling seen is preferred."""

    def __init__(self, minter: Minter) -> None:
        self._minter = minter
        self._spellings: dict[URIRef, list[str]] = {}

    def add(self, iri: URIRef, keyword: str) -> None:
        spellings = self._spellings.setdefault(iri, [])
        if keyword not in spellings:
            spellings.append(keyword)

    def triples(self) -> Iterator[Triple]:
        if not self._spellings:
            return
        scheme = self._minter.theme_scheme()
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, RDF.type, SCHEMA.DefinedTermSet
        name = Literal("Themes of this dataset", lang="en")
        yield scheme, SKOS.prefLabel, name
        yield scheme, SCHEMA.name, name
        for iri, spellings in self._spellings.items():
            yield iri, RDF.type, SKOS.Concept
            yield iri, SKOS.inScheme, scheme
            yield iri, SCHEMA.inDefinedTermSet, scheme
            yield iri, SKOS.prefLabel, Literal(spellings[0])
            yield from defined_term(iri, [Literal(spellings[0])])
            for other in spellings[1:]:
                yield iri, SKOS.altLabel, Literal(other)

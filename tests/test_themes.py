"""Theme matching: one pass over the text finds exactly the concepts a search per label finds."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.core.namespaces import SKOS
from kg.core.resources import vocab_file
from kg.errors import InputError
from kg.map.themes import Concept, ThemeVocabulary, normalise
from kg.resolve.mint import Minter


def naive(vocabulary: ThemeVocabulary, text: str) -> list[Concept]:
    """The obvious definition: a concept matches when one of its labels occurs as whole words."""
    folded = normalise(text)
    return [
        concept
        for concept in vocabulary.concepts
        if any(
            re.search(rf"(?<!\w){re.escape(normalise(label))}(?!\w)", folded)
            for label in concept.labels
        )
    ]


def test_matcher_agrees_with_a_search_per_label() -> None:
    vocabulary = ThemeVocabulary.load(vocab_file("themes.ttl"), Minter())
    labels = [label for concept in vocabulary.concepts for label in concept.labels]
    fragments = [*labels, *(label[: len(label) // 2] for label in labels), "the", "of", "-", "’s"]
    rng = random.Random(11)
    for _ in range(2000):
        text = " ".join(rng.choice(fragments) for _ in range(rng.randint(1, 12)))
        text = text.replace(" ", rng.choice([" ", "", "-", ", "]), rng.randint(0, 2))
        assert vocabulary.concepts_in(text) == naive(vocabulary, text), text


def test_overlapping_labels_of_different_concepts_both_match() -> None:
    graph = Graph().parse(
        data="""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <s> a skos:ConceptScheme .
        <a> a skos:Concept ; skos:inScheme <s> ; skos:prefLabel "peer support" .
        <b> a skos:Concept ; skos:inScheme <s> ; skos:prefLabel "peer support workers" .
        <c> a skos:Concept ; skos:inScheme <s> ; skos:prefLabel "support" .""",
        format="turtle",
        publicID="https://example.org/",
    )
    vocabulary = ThemeVocabulary(graph, "inline")
    found = [str(c.iri) for c in vocabulary.concepts_in("Peer Support Workers in wards")]
    assert found == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    assert vocabulary.concepts_in("peer supporters") == []


def test_top_concepts_are_in_their_scheme_and_bad_iris_are_refused(tmp_path: Path) -> None:
    graph = Graph().parse(
        data="""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <s> a skos:ConceptScheme ; skos:hasTopConcept <a> .
        <a> a skos:Concept ; skos:prefLabel "engines" .
        <b> a skos:Concept ; skos:prefLabel "wheels" ; skos:topConceptOf <s> .""",
        format="turtle",
        publicID="https://example.org/",
    )
    vocabulary = ThemeVocabulary(graph, "inline")
    said = set(
        vocabulary.describe([URIRef("https://example.org/a"), URIRef("https://example.org/b")])
    )
    scheme = URIRef("https://example.org/s")
    assert (URIRef("https://example.org/a"), SKOS.inScheme, scheme) in said
    assert (URIRef("https://example.org/b"), SKOS.inScheme, scheme) in said
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://ex.org/a|b> a skos:Concept ; skos:prefLabel "x" .\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="not a valid IRI"):
        ThemeVocabulary.load(bad, Minter())

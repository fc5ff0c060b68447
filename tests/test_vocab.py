"""kg's own vocabulary, theme scheme and JSON-LD context agree with the code that uses them."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.core import namespaces as ns
from kg.core.resources import queries_dir, shapes_dir, vocab_file
from kg.map.themes import ThemeVocabulary
from kg.resolve.mint import Minter

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def parse(name: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(vocab_file(name)), format=ox.RdfFormat.TURTLE,
                                        base_iri="https://example.org/kg/")]  # fmt: skip


def test_every_kg_term_is_defined_with_label_and_comment() -> None:
    triples = parse("kg.ttl")
    defined = {t.subject.value for t in triples if t.subject.value.startswith(ns.KG_VOCAB_IRI)}
    used = {str(ns.KG[name]) for name in ns.KG.__annotations__}
    assert used == defined
    for term in defined:
        said = {t.predicate.value for t in triples if t.subject.value == term}
        assert {RDFS_LABEL, RDFS_COMMENT} <= said, term


def test_a_misspelt_term_fails() -> None:
    with pytest.raises(AttributeError):
        _ = ns.KG.autorship  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = ns.SCHEMA.datePublised  # type: ignore[attr-defined]


def test_context_declares_exactly_the_writers_prefixes() -> None:
    context = json.loads(vocab_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@")}
    assert prefixes == ns.PREFIXES
    assert context["@vocab"] == str(ns.SCHEMA._NS)  # plain keys are schema.org's terms


def test_context_terms_are_schema_org_terms_kg_uses() -> None:
    """Each coercing term names the schema.org term of its own name, one the mapping uses."""
    context = json.loads(vocab_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    terms = {k: v for k, v in context.items() if isinstance(v, dict)}
    assert terms
    for name, definition in terms.items():
        assert definition["@id"] == f"schema:{name}"
        assert str(getattr(ns.SCHEMA, name)) == str(ns.SCHEMA._NS) + name  # kg maps to it


def test_default_themes_resolve_under_the_base_and_have_labels() -> None:
    vocabulary = ThemeVocabulary.load(vocab_file("themes.ttl"), Minter("https://data.example.edu/"))
    assert len(vocabulary.concepts) >= 20
    for concept in vocabulary.concepts:
        assert str(concept.iri).startswith("https://data.example.edu/theme/")
        assert concept.labels


def test_shipped_files_are_found() -> None:
    assert len(list(shapes_dir().glob("*.ttl"))) >= 10
    assert len(list(queries_dir().glob("*.rq"))) >= 8

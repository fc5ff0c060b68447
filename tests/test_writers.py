"""Tests for kg.write: every file kg writes is read back by a strict, independent peer.

rdflib accepts Turtle that other stores reject, so nothing here is read back with rdflib's
parsers: Turtle and N-Triples go through Oxigraph (strict), JSON-LD is expanded by pyld (with every
remote fetch refused) and its N-Quads go through Oxigraph too. rdflib is used only as the neutral
container for ``rdflib.compare.isomorphic``.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from kg.core.atomic import atomic_text_writer
from kg.core.namespaces import BIBO, KG, PREFIXES, RDF, SCHEMA
from kg.core.rdf import Object, Triple
from kg.engines.local import load_context, write_graph
from kg.map.graph import ExportGraph
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.turtle import write_turtle
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "emerald-search-peer-support.txt"
CONTEXT_FILE = ROOT / "vocab" / "context.jsonld"

# A plain Namespace: pytest probes module globals, and kg.core.namespaces.XSD warns when probed.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
XSD_STRING = str(XSD.string)
EX = "http://example.org/ns/"  # a namespace of our own for the hand-made graphs
EX_HASH = "http://example.org/terms#"
TEST_PREFIXES = {**PREFIXES, "ex": EX, "ext": EX_HASH}

Writer = Callable[[ExportGraph], str]
Reader = Callable[[str], Graph]

# --------------------------------------------------------------------------------------------
# Terms: one canonical rdflib spelling for both sides of every comparison


def canonical(term: Object) -> Object:
    """The term as RDF 1.1 sees it, spelled so rdflib compares exactly what matters.

    Literals keep their lexical form (``normalize=False``: "+5" stays "+5"), xsd:string becomes a
    plain literal (rdflib tells them apart, RDF 1.1 does not) and language tags are lower-cased
    (they are case-insensitive; Oxigraph lower-cases them, rdflib keeps them as written).
    """
    if not isinstance(term, Literal):
        return term
    if term.language:
        return Literal(str(term), lang=term.language.lower(), normalize=False)
    datatype = str(term.datatype) if term.datatype else XSD_STRING
    if datatype == XSD_STRING:
        return Literal(str(term), normalize=False)
    return Literal(str(term), datatype=URIRef(datatype), normalize=False)


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Object:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return canonical(Literal(term.value, lang=term.language, normalize=False))
        datatype = URIRef(term.datatype.value)
        return canonical(Literal(term.value, datatype=datatype, normalize=False))
    raise AssertionError(f"unexpected RDF-star term {term!r}")


def expected_graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for subject, predicate, value in triples:
        graph.add((subject, predicate, canonical(value)))
    return graph


def graph_from_quads(quads: Iterable[ox.Quad]) -> Graph:
    graph = Graph()
    for quad in quads:
        assert isinstance(quad.graph_name, ox.DefaultGraph), f"unexpected named graph in {quad}"
        subject = from_oxigraph(quad.subject)
        assert isinstance(subject, URIRef | BNode)
        graph.add((subject, URIRef(quad.predicate.value), from_oxigraph(quad.object)))
    return graph


def assert_same_graph(actual: Graph, expected: Graph, label: str) -> None:
    assert len(actual) == len(expected), f"{label}: {len(actual)} triples, not {len(expected)}"
    if isomorphic(actual, expected):
        return
    missing = to_isomorphic(expected) - to_isomorphic(actual)
    extra = to_isomorphic(actual) - to_isomorphic(expected)
    sample = sorted(missing, key=str)[:5], sorted(extra, key=str)[:5]
    pytest.fail(f"{label}: not isomorphic; missing {sample[0]}, unexpected {sample[1]}")


# --------------------------------------------------------------------------------------------
# Strict peers


def parse_turtle(text: str) -> Graph:
    return graph_from_quads(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))


def parse_ntriples(text: str) -> Graph:
    return graph_from_quads(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


class NoNetwork:
    """A pyld document loader that refuses every fetch and remembers what was asked for."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def __call__(self, url: str, options: Any = None) -> Any:
        self.attempts.append(url)
        raise OSError(f"the JSON-LD processor tried to fetch {url!r}")


def expand_jsonld(text: str) -> Graph:
    """JSON-LD -> N-Quads by pyld (no network), then parsed strictly by Oxigraph."""
    loader = NoNetwork()
    options = {"format": "application/n-quads", "documentLoader": loader}
    try:
        nquads = jsonld.to_rdf(json.loads(text), options)
    finally:
        assert not loader.attempts, f"the JSON-LD is not self-contained: {loader.attempts}"
    assert isinstance(nquads, str)
    return graph_from_quads(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def test_network_guard_works() -> None:
    """The guard really stops a remote context (pyld wraps the error, so check the record)."""
    with pytest.raises(AssertionError, match=r"not self-contained.*schema\.org"):
        expand_jsonld(json.dumps({"@context": "https://schema.org/", "name": "x"}))


# --------------------------------------------------------------------------------------------
# Writers, to strings


def _written(write: Callable[[io.StringIO], None]) -> str:
    stream = io.StringIO()
    write(stream)
    return stream.getvalue()


def turtle_text(graph: ExportGraph, prefixes: dict[str, str] = TEST_PREFIXES) -> str:
    return _written(lambda s: write_turtle(graph, s, prefixes))


def ntriples_text(graph: ExportGraph) -> str:
    return _written(lambda s: write_ntriples(graph, s))


def context_with_test_prefixes() -> dict[str, Any]:
    context = load_context()
    return {"@context": {**context["@context"], "ex": EX, "ext": EX_HASH}}


def jsonld_text(graph: ExportGraph, context: dict[str, Any] | None = None) -> str:
    return _written(lambda s: write_jsonld(graph, s, context or context_with_test_prefixes()))


FORMATS: dict[str, tuple[Writer, Reader]] = {
    "turtle": (turtle_text, parse_turtle),
    "ntriples": (ntriples_text, parse_ntriples),
    "jsonld": (jsonld_text, expand_jsonld),
}


def assert_round_trip(graph: ExportGraph, fmt: str) -> str:
    write, read = FORMATS[fmt]
    text = write(graph)
    try:
        parsed = read(text)
    except SyntaxError as error:
        pytest.fail(f"{fmt}: a strict parser rejects what kg wrote: {error}")
    assert_same_graph(parsed, expected_graph(graph), fmt)
    return text


# --------------------------------------------------------------------------------------------
# 1, 2. The real export, read back by strict peers


INPUTS = [
    pytest.param(EXAMPLES, id="bundled-example"),
    pytest.param(
        (SHARED_SAMPLE,),
        id="shared-sample",
        marks=pytest.mark.skipif(
            not SHARED_SAMPLE.is_file(),
            reason=f"shared sample absent ({SHARED_SAMPLE}); it lives outside the repository",
        ),
    ),
]


@pytest.fixture(scope="module", params=INPUTS)
def export(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[BuiltGraph, Path]:
    built = build_graph(list(request.param), ExportOptions())
    assert len(built.graph) > 0
    out_dir = tmp_path_factory.mktemp("export")
    write_graph(built.graph, out_dir, {**PREFIXES, **built.minter.prefixes()})
    return built, out_dir


def read_export(out_dir: Path, name: str) -> Graph:
    path = out_dir / name
    if name.endswith(".jsonld"):
        return expand_jsonld(path.read_text(encoding="utf-8"))
    fmt = ox.RdfFormat.TURTLE if name.endswith(".ttl") else ox.RdfFormat.N_TRIPLES
    return graph_from_quads(ox.parse(path=str(path), format=fmt))


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld"])
def test_export_round_trip(export: tuple[BuiltGraph, Path], name: str) -> None:
    built, out_dir = export
    parsed = read_export(out_dir, name)
    assert_same_graph(parsed, expected_graph(built.graph), name)


def test_export_files_only(export: tuple[BuiltGraph, Path]) -> None:
    _, out_dir = export
    names = ["context.jsonld", "graph.jsonld", "graph.nt", "graph.ttl"]
    assert sorted(p.name for p in out_dir.iterdir()) == names
    for path in out_dir.iterdir():
        assert b"\r" not in path.read_bytes(), f"{path.name}: CR line ends"
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_export_triple_counts(export: tuple[BuiltGraph, Path]) -> None:
    """No file says a triple twice or drops one: line count = graph size = parsed size."""
    built, out_dir = export
    lines = (out_dir / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(built.graph)
    for name in ("graph.ttl", "graph.nt", "graph.jsonld"):
        assert len(read_export(out_dir, name)) == len(built.graph), name


def test_other_base_iri_round_trip(tmp_path: Path) -> None:
    built = build_graph(
        list(EXAMPLES), ExportOptions(base_iri="https://data.example.com/graphs/kg/")
    )
    write_graph(built.graph, tmp_path, {**PREFIXES, **built.minter.prefixes()})
    for name in ("graph.ttl", "graph.nt", "graph.jsonld"):
        assert_same_graph(read_export(tmp_path, name), expected_graph(built.graph), name)


# --------------------------------------------------------------------------------------------
# 3. JSON-LD specifics


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def expand_iri(value: str, prefixes: dict[str, str]) -> str:
    prefix, colon, local = value.partition(":")
    if colon and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return value


def test_jsonld_is_self_contained(export: tuple[BuiltGraph, Path]) -> None:
    _, out_dir = export
    document = json.loads((out_dir / "graph.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == shipped
    for node in walk(document):
        if "@context" in node:
            assert isinstance(node["@context"], dict), f"remote context {node['@context']!r}"
    assert "@import" not in shipped, "a context that imports another one is not self-contained"


@pytest.mark.parametrize("size", [0, 1, 3])
def test_jsonld_layout_is_json_dumps_indent_2(size: int) -> None:
    """The writer streams node by node; the bytes are still those of the whole document dumped
    with an indent of 2, empty and one-node graphs included."""
    triples: list[Triple] = [(ex(f"s{i}"), ex("p"), Literal(f"v{i} \u00e9\n")) for i in range(size)]
    context = context_with_test_prefixes()
    text = jsonld_text(ExportGraph(triples), context)
    document = json.loads(text)
    assert len(document["@graph"]) == size
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def authors_by_position(turtle: Graph) -> dict[URIRef, list[URIRef]]:
    """work -> its people ordered by kg:position of their kg:authorship."""
    found: dict[URIRef, list[tuple[int, URIRef]]] = {}
    for work, _, authorship in turtle.triples((None, KG.authorship, None)):
        position = turtle.value(authorship, KG.position)
        person = turtle.value(authorship, KG.person)
        assert isinstance(work, URIRef) and isinstance(person, URIRef)
        assert isinstance(position, Literal) and position.datatype == XSD.integer
        found.setdefault(work, []).append((int(str(position)), person))
    ordered: dict[URIRef, list[URIRef]] = {}
    for work, pairs in found.items():
        positions = sorted(position for position, _ in pairs)
        assert positions == list(range(1, len(pairs) + 1)), f"{work}: positions {positions}"
        ordered[work] = [person for _, person in sorted(pairs)]
    return ordered


def test_jsonld_keeps_author_order(export: tuple[BuiltGraph, Path]) -> None:
    _, out_dir = export
    document = json.loads((out_dir / "graph.jsonld").read_text(encoding="utf-8"))
    prefixes = document["@context"]
    expected = authors_by_position(read_export(out_dir, "graph.ttl"))
    author_list_keys = {"bibo:authorList", str(BIBO.authorList)}
    seen: dict[str, list[str]] = {}
    for node in document["@graph"]:
        for key in author_list_keys & node.keys():
            value = node[key]
            assert isinstance(value, dict) and set(value) == {"@list"}, f"{node['@id']}: {value}"
            members = [expand_iri(member["@id"], prefixes) for member in value["@list"]]
            seen[expand_iri(node["@id"], prefixes)] = members
    assert seen, "no work has a bibo:authorList"
    assert set(seen) == {str(work) for work in expected}, "works with authors but no list"
    for work, people in seen.items():
        assert people == [str(p) for p in expected[URIRef(work)]], f"author order of {work}"
    multi = [w for w, people in seen.items() if len(people) > 1]
    assert multi, "no work with several authors: the order check is vacuous"


# --------------------------------------------------------------------------------------------
# 4. Turtle specifics

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|<[^>\s]*>|[^\s,;()]+')


def prefixed_names(turtle: str) -> Iterator[tuple[str, str]]:
    """(prefix, local) of every prefixed name, skipping strings, <IRIs> and directives."""
    for line in turtle.split("\n"):  # not splitlines(): U+2028 may sit in a string
        if line.startswith("@prefix"):
            continue
        for token in _TOKEN.findall(line):
            token = token.removeprefix("^^")
            if token[0] in '"<_@' or ":" not in token:
                continue
            prefix, _, local = token.partition(":")
            yield prefix, local


def check_turtle_names(turtle: str, prefixes: dict[str, str]) -> int:
    count = 0
    for prefix, local in prefixed_names(turtle):
        count += 1
        assert prefix in prefixes, f"undeclared prefix in {prefix}:{local}"
        assert local, f"empty local name after {prefix}:"
        assert not local[0].isdigit(), f"{prefix}:{local} starts with a digit (Virtuoso)"
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", local), f"{prefix}:{local} is not plain"
    return count


def test_turtle_prefixed_names(export: tuple[BuiltGraph, Path]) -> None:
    built, out_dir = export
    turtle = (out_dir / "graph.ttl").read_text(encoding="utf-8")
    assert check_turtle_names(turtle, {**PREFIXES, **built.minter.prefixes()}) > 100


def test_turtle_lists_and_blank_nodes(export: tuple[BuiltGraph, Path]) -> None:
    _, out_dir = export
    turtle = (out_dir / "graph.ttl").read_text(encoding="utf-8")
    assert re.search(r"bibo:authorList \( \S", turtle), "author lists not written as ( ... )"
    assert "rdf:first" not in turtle and "rdf:rest" not in turtle
    assert "_:" not in turtle, "a labelled blank node in the Turtle"
    parsed = read_export(out_dir, "graph.ttl")
    blank_subjects = {s for s in parsed.subjects() if isinstance(s, BNode)}
    assert blank_subjects, "no rdf:List cells at all"
    for node in blank_subjects:
        predicates = sorted(str(p) for p in parsed.predicates(node))
        assert predicates == [str(RDF.first), str(RDF.rest)], f"{node}: {predicates}"
    for s, _, o in parsed:
        for term in (s, o):
            if isinstance(term, BNode):
                assert term in blank_subjects, f"blank node {term} is not a list cell"


def test_every_iri_is_strict(export: tuple[BuiltGraph, Path]) -> None:
    built, _ = export
    iris = {str(t) for triple in built.graph for t in triple if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for _, _, t in built.graph if isinstance(t, Literal) and t.datatype}
    for iri in sorted(iris):
        ox.NamedNode(iri)  # raises ValueError on anything the IRI grammar rejects


# --------------------------------------------------------------------------------------------
# 5. Hard literals and IRIs, hand-made


def rdf_list(owner: str, items: list[Object]) -> tuple[BNode | URIRef, list[Triple]]:
    if not items:
        return RDF.nil, []
    cells = [BNode(f"{owner}x{i}") for i in range(len(items))]
    triples: list[Triple] = []
    for i, (cell, item) in enumerate(zip(cells, items, strict=True)):
        triples.append((cell, RDF.first, item))
        triples.append((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
    return cells[0], triples


CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f"
HARD_STRINGS = [
    "",
    'She said "hi"',
    "back\\slash \\n not a newline \\u0041",
    "line\nbreak",
    "carriage\rreturn\r\n",
    "tab\there",
    CONTROL,
    "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 beyond the BMP",
    "עברית مرحبا RTL \u200f marks \u202e override",
    'trailing quote"',
    "trailing backslash\\",
    '"""triple quotes"""',
    "'''single'''",
    "ends with newline\n",
    "\u2028 line and \u2029 paragraph separators, \u0085 NEL, \ufeff BOM",
    "en dash – ellipsis … hyphen ‐",
    " leading and trailing spaces ",
    "@prefix x: <http://evil/> .",
    "<http://not-an-iri> _:b0 ( ) ; , .",
]
NASTY_ALPHABET = CONTROL + "\"\\'<>{}()[];,.:#@_^`|~ \u00a0éßøñ中文😀𝔘עمء\u200f\u202e\u2028\ufeff"


def random_strings(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(NASTY_ALPHABET, k=rng.randint(0, 24))) for _ in range(count)]


def ex(local: str) -> URIRef:
    return URIRef(EX + local)


def hard_triples() -> list[Triple]:
    subject = ex("thing")
    triples: list[Triple] = [(subject, RDF.type, SCHEMA.CreativeWork)]
    triples += [(subject, SCHEMA.name, Literal(text)) for text in HARD_STRINGS]
    triples += [(subject, SCHEMA.text, Literal(text)) for text in random_strings(300)]
    triples += [
        (subject, SCHEMA.abstract, Literal("Peer support", lang="en")),
        (subject, SCHEMA.abstract, Literal("Colour", lang="en-GB")),
        (subject, SCHEMA.abstract, Literal("Soutien par les pairs\n«\u00a0x\u00a0»", lang="fr")),
        (subject, SCHEMA.abstract, Literal("typed as string", datatype=XSD.string)),
        (subject, KG.position, Literal("1", datatype=XSD.positiveInteger)),
        (subject, KG.recordNumber, Literal("42", datatype=XSD.integer)),
        (subject, KG.recordNumber, Literal("-7", datatype=XSD.integer)),
        (subject, KG.recordNumber, Literal("+5", datatype=XSD.integer, normalize=False)),
        (subject, KG.recordNumber, Literal("007", datatype=XSD.integer, normalize=False)),
        (subject, KG.sourceLine, Literal("not a number", datatype=XSD.integer, normalize=False)),
        (subject, SCHEMA.datePublished, Literal("2012-03-01", datatype=XSD.date)),
        (subject, SCHEMA.datePublished, Literal("2012", datatype=XSD.gYear)),
        (
            subject,
            SCHEMA.datePublished,
            Literal("2024-05-06T07:08:09Z", datatype=XSD.dateTime, normalize=False),
        ),
        (subject, SCHEMA.keywords, Literal('a "b"\n', datatype=URIRef(EX + "custom-type"))),
        (subject, SCHEMA.keywords, Literal("x", datatype=URIRef(EX_HASH + "2digit"))),
        (subject, SCHEMA.keywords, Literal("y", datatype=URIRef("urn:example:datatype"))),
    ]
    # IRIs whose local part after a declared prefix is not a plain name.
    awkward = [
        "2020-work",  # digit first (Virtuoso rejects ex:2020-work)
        "1",
        "a#b",
        "a/b",
        "foo.",  # a trailing dot ends the statement in Turtle
        "a.b",
        "-dash",
        "_under",
        "Søren",  # unicode letter
        "名前",
        "a%20b",
        "a~b",
        "a(b)",
        "a'b",
        "a!$&*+,;=b",
        "a:b",
        "",
    ]
    for i, local in enumerate(awkward):
        triples.append((subject, SCHEMA.about, ex(local)))
        triples.append((ex(local), SCHEMA.name, Literal(f"awkward {i}")))
    triples += [
        (subject, SCHEMA.about, URIRef("http://schema.org/foo.")),
        (subject, SCHEMA.about, URIRef(EX_HASH + "9lives")),
        (subject, SCHEMA.about, URIRef(EX_HASH)),
        (subject, SCHEMA.about, URIRef("urn:isbn:9781803824291")),
        (subject, SCHEMA.about, URIRef("https://example.org/kg/work/doi/10.1108/MHSI-01-2012")),
        (URIRef(EX_HASH + "3rd"), URIRef(EX_HASH + "4th"), URIRef(EX + "5th")),
    ]
    # Lists: of literals, of IRIs, empty, and one plain blank node that is no list.
    head, cells = rdf_list("lit", [Literal("first"), Literal("2", datatype=XSD.integer)])
    triples += [(subject, ex("literals"), head), *cells]
    head, cells = rdf_list("iri", [ex("b"), ex("a"), ex("c"), ex("a")])  # order, repeats kept
    triples += [(subject, BIBO.authorList, head), *cells]
    head, cells = rdf_list("empty", [])
    triples += [(subject, ex("nothing"), head), *cells]
    blank = BNode("plain0")
    triples += [(subject, ex("blank"), blank), (blank, SCHEMA.name, Literal("not a list"))]
    triples += [(blank, RDF.type, SCHEMA.Person), (blank, ex("self"), blank)]
    return triples


def test_hard_graph_is_what_it_claims() -> None:
    graph = ExportGraph(hard_triples())
    lists = graph.inline_lists()
    assert len(lists.members) == 2
    assert BNode("plain0") not in lists.cells
    texts = {str(o) for _, _, o in graph if isinstance(o, Literal)}
    assert all(c in "".join(texts) for c in CONTROL)
    assert any(ord(c) > 0xFFFF for text in texts for c in text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hard_round_trip(fmt: str) -> None:
    assert_round_trip(ExportGraph(hard_triples()), fmt)


def test_hard_turtle_spelling() -> None:
    turtle = turtle_text(ExportGraph(hard_triples()))
    check_turtle_names(turtle, TEST_PREFIXES)
    assert '( "first" 2 )' in turtle
    assert "( ex:b ex:a ex:c ex:a )" in turtle
    assert "ex:nothing rdf:nil" in turtle
    assert "_:plain0" in turtle
    assert re.search(r"(?m)^    kg:recordNumber .*\+5", turtle), "+5 is an xsd:integer literal"
    assert '"not a number"^^xsd:integer' in turtle


def test_hard_jsonld_lists() -> None:
    document = json.loads(jsonld_text(ExportGraph(hard_triples())))
    (thing,) = [n for n in document["@graph"] if n["@id"] == "ex:thing"]
    assert thing["bibo:authorList"] == {"@list": [{"@id": f"ex:{x}"} for x in "baca"]}
    assert thing["ex:literals"] == {"@list": ["first", 2]}  # a canonical integer: a number


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", range(5))
def test_random_literals_round_trip(fmt: str, seed: int) -> None:
    rng = random.Random(seed)
    languages = ["en", "en-GB", "fr", "zh-Hant-TW", "x-private"]
    triples: list[Triple] = []
    for i, text in enumerate(random_strings(60, seed=7 + seed)):
        choice = rng.randrange(3)
        value = (
            Literal(text)
            if choice == 0
            else Literal(text, lang=rng.choice(languages))
            if choice == 1
            else Literal(text, datatype=URIRef(EX + "t"))
        )
        triples.append((ex(f"s{i % 7}"), ex(f"p{i % 3}"), value))
    assert_round_trip(ExportGraph(triples), fmt)


# --------------------------------------------------------------------------------------------
# Edge cases of list detection


def test_list_shared_by_two_subjects_stays_correct() -> None:
    """A list head referenced twice cannot be inlined; it must still round-trip."""
    head, cells = rdf_list("shared", [Literal("a"), Literal("b")])
    triples = [(ex("x"), ex("p"), head), (ex("y"), ex("p"), head), *cells]
    for fmt in FORMATS:
        assert_round_trip(ExportGraph(triples), fmt)


def test_nested_list_and_list_of_blank_nodes() -> None:
    inner, inner_cells = rdf_list("inner", [Literal("x"), ex("y")])
    person = BNode("person0")
    outer, outer_cells = rdf_list("outer", [inner, person])
    triples = [
        (ex("x"), ex("p"), outer),
        (person, SCHEMA.name, Literal("someone")),
        *inner_cells,
        *outer_cells,
    ]
    for fmt in FORMATS:  # JSON-LD 1.1 allows lists of lists
        assert_round_trip(ExportGraph(triples), fmt)


def test_orphan_list_cells_are_not_dropped() -> None:
    """Well-formed list cells that nothing points at are still triples of the graph."""
    head, cells = rdf_list("orphan", [Literal("a"), Literal("b")])
    triples = [(ex("x"), ex("p"), Literal("unrelated")), *cells]
    for fmt in FORMATS:
        assert_round_trip(ExportGraph(triples), fmt)
    assert head in {s for s, _, _ in triples}


def _cyclic_lists() -> dict[str, list[Triple]]:
    a, b, c = BNode("cyc0"), BNode("cyc1"), BNode("self0")
    unrelated: Triple = (ex("x"), ex("p"), Literal("unrelated"))
    return {
        "two-cells": [
            (a, RDF.first, Literal("x")),
            (a, RDF.rest, b),
            (b, RDF.first, a),
            (b, RDF.rest, RDF.nil),
            unrelated,
        ],
        "one-cell": [(c, RDF.first, c), (c, RDF.rest, RDF.nil), unrelated],
    }


@pytest.mark.parametrize("shape", _cyclic_lists())
@pytest.mark.parametrize(
    "fmt",
    [
        "turtle",
        "ntriples",
        "jsonld",
    ],
)
def test_self_referencing_list_is_not_dropped(fmt: str, shape: str) -> None:
    assert_round_trip(ExportGraph(_cyclic_lists()[shape]), fmt)


def test_jsonld_blank_node_type() -> None:
    triples: list[Triple] = [(ex("s"), RDF.type, BNode("c0")), (BNode("c0"), ex("q"), ex("y"))]
    assert_round_trip(ExportGraph(triples), "jsonld")


@pytest.mark.parametrize(
    "fmt",
    [
        "turtle",
        "ntriples",
        "jsonld",
    ],
)
def test_blank_node_labels_are_always_valid(fmt: str) -> None:
    triples: list[Triple] = []
    for i, label in enumerate(["-ab", "ends.", "a b", "é"]):
        node = BNode(label)
        triples += [(ex("s"), ex("p"), node), (node, ex("q"), Literal(str(i)))]
    assert_round_trip(ExportGraph(triples), fmt)


@pytest.mark.parametrize(
    "pair",
    [
        (Literal("x"), Literal("x", datatype=XSD.string)),
        (Literal("x", datatype=XSD.string), Literal("x")),
    ],
    ids=["plain-first", "typed-first"],
)
def test_one_rdf_term_is_one_triple(pair: tuple[Literal, Literal]) -> None:
    graph = ExportGraph([(ex("s"), ex("p"), value) for value in pair])
    lines = ntriples_text(graph).splitlines()
    assert len(lines) == len(set(lines)) == len(graph) == 1


# --------------------------------------------------------------------------------------------
# 6. Determinism


WRITERS: dict[str, Writer] = {fmt: write for fmt, (write, _) in FORMATS.items()}


@pytest.mark.parametrize("fmt", WRITERS)
def test_same_graph_same_bytes(fmt: str) -> None:
    triples = hard_triples()
    write = WRITERS[fmt]
    first = write(ExportGraph(triples)).encode("utf-8")
    assert write(ExportGraph(triples)).encode("utf-8") == first
    for seed in range(3):
        shuffled = list(triples)
        random.Random(seed).shuffle(shuffled)
        assert write(ExportGraph(shuffled)).encode("utf-8") == first, f"shuffle seed {seed}"


def test_export_is_deterministic(export: tuple[BuiltGraph, Path], tmp_path: Path) -> None:
    built, out_dir = export
    shuffled = list(built.graph)
    random.Random(7).shuffle(shuffled)
    again = tmp_path / "again"
    write_graph(ExportGraph(shuffled), again, {**PREFIXES, **built.minter.prefixes()})
    for name in ("graph.ttl", "graph.nt", "graph.jsonld"):
        assert (again / name).read_bytes() == (out_dir / name).read_bytes(), name


# --------------------------------------------------------------------------------------------
# 7. Atomic writes


def test_atomic_writer_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    with atomic_text_writer(target) as stream:
        stream.write("new ✓\nline\n")
        assert target.read_text(encoding="utf-8") == "old\n", "replaced before the block ended"
    assert target.read_bytes() == "new ✓\nline\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_atomic_writer_keeps_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"), atomic_text_writer(target) as stream:
        stream.write("half a file")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_atomic_writer_new_file_on_error_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "graph.nt"
    with pytest.raises(KeyboardInterrupt), atomic_text_writer(target) as stream:
        stream.write("x")
        raise KeyboardInterrupt
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_atomic_writer_line_ends_and_encoding(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_text_writer(target) as stream:
        stream.write("a\nb😀\n")
    assert target.read_bytes() == "a\nb😀\n".encode()
    assert os.access(target, os.R_OK)


# --------------------------------------------------------------------------------------------
# 8. Other strict parsers, when installed


def _external_parsers() -> list[Any]:
    params = []
    for tool, args in (("rapper", ["-i", "turtle", "-o", "ntriples", "-q"]), ("riot", [])):
        path = shutil.which(tool)
        params.append(
            pytest.param(
                [path, *args] if path else [],
                id=tool,
                marks=pytest.mark.skipif(path is None, reason=f"{tool} is not on PATH"),
            )
        )
    return params


@pytest.mark.slow
@pytest.mark.parametrize("command", _external_parsers())
def test_external_parser_accepts_turtle(
    export: tuple[BuiltGraph, Path], command: list[str]
) -> None:
    built, out_dir = export
    if Path(command[0]).name == "riot":
        command = [*command, "--validate", "--strict", str(out_dir / "graph.ttl")]
    else:
        command = [*command, str(out_dir / "graph.ttl"), "http://example.org/base/"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    if Path(command[0]).name == "rapper":
        assert len(set(result.stdout.splitlines())) == len(built.graph)

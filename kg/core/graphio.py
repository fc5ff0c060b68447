"""Reading RDF files for `kg validate` and `kg query`: strictly, and without the network.

Files are parsed by Oxigraph, which rejects what the RDF specifications reject (rdflib accepts
much that other stores refuse) and never fetches a remote JSON-LD context.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.core import stdin
from kg.core.encoding import file_kind, guess_encoding
from kg.core.rdf import Object, Subject, Triple
from kg.errors import InputError

_GUESS_FROM = 1 << 20  # bytes of a file read to guess its encoding
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The syntax of a graph file, by its name; for ``-`` (standard input), by its content."""
    if stdin.is_stdin(path):
        return sniff_format(stdin.read_bytes(path))
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = " ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: unknown RDF file type {path.suffix!r} (known: {known})"
        ) from None


def sniff_format(data: bytes) -> ox.RdfFormat:
    """A graph's syntax from its first characters, for input with no file name: JSON-LD when it
    opens with ``{`` or ``[``, RDF/XML with ``<?xml`` or ``<rdf:RDF``, else TriG, which reads
    Turtle and N-Triples too."""
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"{", b"[")):
        return ox.RdfFormat.JSON_LD
    if start.startswith((b"<?xml", b"<rdf:RDF")):
        return ox.RdfFormat.RDF_XML
    return ox.RdfFormat.TRIG


def parse_quads(path: Path) -> Iterator[ox.Quad]:
    """Every quad of an RDF file (``-``: standard input); a syntax error names the file and
    line."""
    source = _source(path)
    try:
        yield from ox.parse(format=rdf_format(path), **source)
    except SyntaxError as error:
        raise _syntax_error(path, error) from None
    except OSError as error:
        raise InputError(f"{stdin.label(path)}: cannot read: {error}") from None


def load_into(store: ox.Store, path: Path) -> None:
    """Every triple of an RDF file (``-``: standard input) into ``store``; a syntax error names
    the file and line."""
    source = _source(path)
    try:
        store.load(format=rdf_format(path), **source)
    except SyntaxError as error:
        raise _syntax_error(path, error) from None


def _source(path: Path) -> dict[str, Any]:
    """What Oxigraph reads: the bytes of standard input, or the file's path. A file that is
    not text at all (a PDF ...) is named as such."""
    label = stdin.label(path)
    if stdin.is_stdin(path):
        data = stdin.read_bytes(path)
        source: dict[str, Any] = {"input": data}
    elif path.is_file():
        with path.open("rb") as stream:
            data = stream.read(16)
        source = {"path": str(path)}
    else:
        raise InputError(f"{label}: no such file")
    kind = file_kind(data)
    if kind is not None:
        raise InputError(f"{label}: is {kind}, not an RDF graph")
    return source


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    """The parser's message (it names the line); for bytes that are not UTF-8, which every RDF
    syntax kg reads is written in, the encoding they look like."""
    message = f"{stdin.label(path)}: {error}"
    if "UTF-8" in str(error):
        if stdin.is_stdin(path):
            data = stdin.read_bytes(path)
        else:
            with path.open("rb") as stream:
                data = stream.read(_GUESS_FROM)
        guess = guess_encoding(data)
        if guess is not None and guess.codec is not None:
            message += (
                f"; RDF files are UTF-8 and this looks like {guess.description}: convert it "
                f"first (iconv -f {guess.codec} -t utf-8)"
            )
    return InputError(message)


def read_triples(paths: Iterable[Path]) -> Iterator[Triple]:
    """The triples of all the files, as rdflib terms (named graphs are merged)."""
    for number, path in enumerate(paths, start=1):
        # Blank node labels are local to their file: the same label in two files is two nodes.
        scope = f"f{number}x"
        for quad in parse_quads(path):
            yield (
                _scoped(to_rdflib(quad.subject), scope),  # type: ignore[misc]
                URIRef(quad.predicate.value),
                _scoped(to_rdflib(quad.object), scope),
            )


def _scoped(term: Object, scope: str) -> Object:
    return BNode(scope + term) if isinstance(term, BNode) else term


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Object:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False: values stay as written ("+5" is not rewritten "5"), so reports
        # show what the file says.
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == _XSD_STRING:  # rdflib tells "x" and "x"^^xsd:string apart
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise InputError("RDF-star quoted triples are not supported")


def to_oxigraph(term: Subject | Object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    datatype = term.datatype
    return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)) if datatype else None)


def to_quad(triple: Triple) -> ox.Quad:
    """An rdflib triple as an Oxigraph quad in the default graph."""
    subject, predicate, value = triple
    node = ox.NamedNode(str(subject)) if isinstance(subject, URIRef) else ox.BlankNode(str(subject))
    return ox.Quad(node, ox.NamedNode(str(predicate)), to_oxigraph(value))

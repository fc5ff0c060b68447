"""Every export is its own dataset, described as a data catalogue expects: its IRI from --dataset
or the inputs, licence and publisher only when given, every vocabulary it uses, and dataset.ttl
with each graph file's media type and exact size. Read back with Oxigraph's strict parsers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.map.provenance import namespace
from tests.conftest import EXAMPLE, EXAMPLES

FAST = ("--quiet", "--no-report", "--no-queries", "--no-register")
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def export(out: Path, *inputs: Path, options: tuple[str, ...] = ()) -> Path:
    arguments = [*map(str, inputs), "--out", str(out), *FAST, *options]
    result = CliRunner().invoke(main, ["export", *arguments], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return out


def parsed(*files: Path) -> ox.Store:
    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]))
    return store


def values(store: ox.Store, subject: ox.NamedNode | None, predicate: str) -> list[ox.Term]:
    quads = store.quads_for_pattern(subject, ox.NamedNode(predicate), None)
    return sorted((q.object for q in quads), key=str)


def datasets(store: ox.Store) -> list[ox.NamedNode]:
    quads = store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    return sorted((q.subject for q in quads), key=str)  # type: ignore[misc]


def test_two_exports_in_one_store_keep_their_descriptions_apart(tmp_path: Path) -> None:
    one = export(tmp_path / "one", EXAMPLE)
    two = export(tmp_path / "two", *EXAMPLES)
    store = parsed(one / "graph.nt", two / "graph.nt")
    found = datasets(store)
    assert len(found) == 2
    for dataset in found:
        assert len(values(store, dataset, VOID + "triples")) == 1
        assert len(values(store, dataset, DCTERMS + "title")) == 1
    sources = [set(values(store, dataset, DCTERMS + "source")) for dataset in found]
    assert sorted(len(s) for s in sources) == [1, 6]
    # The default name is the first input's and a hash of all of them: the same inputs, the
    # same dataset; --dataset names it.
    again = datasets(parsed(export(tmp_path / "again", EXAMPLE) / "graph.nt"))
    assert again == datasets(parsed(one / "graph.nt"))
    assert again[0].value.startswith("https://example.org/kg/dataset/peer-support-search-txt-")
    named = export(tmp_path / "named", EXAMPLE, options=("--dataset", "peer-support-2025"))
    assert datasets(parsed(named / "graph.nt")) == [
        ox.NamedNode("https://example.org/kg/dataset/peer-support-2025")
    ]


def test_licence_and_publisher_are_said_only_when_given(tmp_path: Path) -> None:
    plain = parsed(export(tmp_path / "plain", EXAMPLE) / "graph.ttl")
    for predicate in ("license", "publisher", "creator"):
        assert values(plain, None, DCTERMS + predicate) == []
    assert values(plain, None, VOID + "sparqlEndpoint") == []
    options = ("--license", LICENCE, "--publisher", "Example University Library",
               "--sparql-endpoint", "https://data.example.edu/sparql")  # fmt: skip
    told = parsed(export(tmp_path / "told", EXAMPLE, options=options) / "graph.ttl")
    (dataset,) = datasets(told)
    assert values(told, dataset, DCTERMS + "license") == [ox.NamedNode(LICENCE)]
    (publisher,) = values(told, dataset, DCTERMS + "publisher")
    assert values(told, dataset, DCTERMS + "creator") == [publisher]
    assert isinstance(publisher, ox.NamedNode)
    assert values(told, publisher, "http://xmlns.com/foaf/0.1/name") == [
        ox.Literal("Example University Library")
    ]
    assert values(told, dataset, VOID + "sparqlEndpoint") == [
        ox.NamedNode("https://data.example.edu/sparql")
    ]
    assert values(told, dataset, VOID + "uriSpace") == [ox.Literal("https://example.org/kg/")]
    assert len(values(told, dataset, DCTERMS + "description")) == 1


def test_the_vocabularies_listed_are_exactly_those_the_graph_uses(tmp_path: Path) -> None:
    store = parsed(export(tmp_path / "out", *EXAMPLES) / "graph.nt")
    used = set()
    for quad in store:
        used.add(namespace(quad.predicate.value))
        if quad.predicate == RDF_TYPE:
            used.add(namespace(quad.object.value))  # type: ignore[union-attr]
    (dataset,) = datasets(store)
    listed = {term.value for term in values(store, dataset, VOID + "vocabulary")}  # type: ignore[union-attr]
    assert listed == used
    assert {"http://schema.org/", "http://purl.org/ontology/bibo/", DCAT, VOID} <= listed


def test_dataset_ttl_gives_each_graph_file_its_media_type_and_exact_size(tmp_path: Path) -> None:
    out = export(tmp_path / "out", *EXAMPLES, options=("--formats", "ttl,nt", "--license", LICENCE))
    record = parsed(out / "dataset.ttl")
    (dataset,) = datasets(record)
    distributions = values(record, dataset, DCAT + "distribution")
    described = {}
    for distribution in distributions:
        assert isinstance(distribution, ox.NamedNode)
        (title,) = values(record, distribution, DCTERMS + "title")
        (size,) = values(record, distribution, DCAT + "byteSize")
        (media,) = values(record, distribution, DCAT + "mediaType")
        (url,) = values(record, distribution, DCAT + "downloadURL")
        assert values(record, distribution, DCAT + "accessURL") == [url]
        assert values(record, distribution, DCTERMS + "license") == [ox.NamedNode(LICENCE)]
        assert isinstance(size, ox.Literal) and isinstance(title, ox.Literal)
        described[title.value] = (int(size.value), media.value, url.value)  # type: ignore[union-attr]
    sizes = [q.object for q in ox.parse(path=str(out / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
             if q.predicate.value == DCAT + "byteSize"]  # fmt: skip
    nonnegative = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    assert [size.datatype for size in sizes] == [nonnegative] * 2  # type: ignore[union-attr]
    # Only the files written, never dataset.ttl itself (a file cannot hold its own size).
    assert described == {
        "graph.nt": ((out / "graph.nt").stat().st_size,
                     "http://www.iana.org/assignments/media-types/application/n-triples",
                     f"{dataset.value}/graph.nt"),
        "graph.ttl": ((out / "graph.ttl").stat().st_size,
                      "http://www.iana.org/assignments/media-types/text/turtle",
                      f"{dataset.value}/graph.ttl"),
    }  # fmt: skip
    dumps = {term.value for term in values(record, dataset, VOID + "dataDump")}  # type: ignore[union-attr]
    assert dumps == {url for _, _, url in described.values()}
    # The rest is the graph's own description, word for word.
    graph = parsed(out / "graph.nt")
    for predicate in (VOID + "triples", DCTERMS + "title", DCTERMS + "source", VOID + "vocabulary"):
        assert values(record, dataset, predicate) == values(graph, dataset, predicate)
    assert values(graph, dataset, DCAT + "distribution") == []  # sizes: in dataset.ttl only


def test_dataset_ttl_conforms_to_the_catalogue_shapes(tmp_path: Path) -> None:
    out = export(tmp_path / "out", EXAMPLE, options=("--publisher", "A Library"))
    result = CliRunner().invoke(main, ["validate", str(out / "dataset.ttl"), "--quiet"])
    assert result.exit_code == 0, result.output
    broken = tmp_path / "broken.ttl"
    text = (out / "dataset.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace("dcat:accessURL", "dcat:landingPage"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "A distribution has an access URL (DCAT-AP: mandatory)." in result.output


def test_a_download_url_places_the_files(tmp_path: Path) -> None:
    options = ("--formats", "nt", "--download-url", "https://data.example.edu/kg/2025/")
    record = parsed(export(tmp_path / "out", EXAMPLE, options=options) / "dataset.ttl")
    (dataset,) = datasets(record)
    assert values(record, dataset, VOID + "dataDump") == [
        ox.NamedNode("https://data.example.edu/kg/2025/graph.nt")
    ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--dataset", "two words", "Error: a dataset name is letters, digits, '.', '_' and '-'"),
        ("--dataset", "-x", "Error: a dataset name is letters"),
        ("--license", "CC-BY-4.0", "Error: the licence must be an http(s) IRI: 'CC-BY-4.0'"),
        ("--sparql-endpoint", "http://a b/", "Error: not a valid IRI (it contains ' ')"),
        ("--download-url", "https://x.org/kg", "Error: the download URL is a folder's and ends"),
        ("--publisher", "  ", "Error: the publisher's name is empty"),
    ],
)
def test_bad_catalogue_options_are_one_line_errors(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    arguments = [str(EXAMPLE), "--out", str(tmp_path / "out"), option, value, *FAST]
    result = CliRunner().invoke(main, ["export", *arguments])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(message), result.output
    assert not (tmp_path / "out").exists()

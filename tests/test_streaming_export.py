"""The export's streaming path: triples spilled to sorted runs, merged, written without the graph
ever in memory, giving the bytes the in-memory graph gives."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from benchmarks.synthetic import write_ris
from kg.cli import main
from kg.core.external_sort import SCRATCH_PREFIX, ScratchFolder, SortedRuns, scratch_folder
from kg.core.namespaces import PREFIXES, RDF, XSD
from kg.core.rdf import Triple
from kg.engines.local import GRAPH_FILES, WriteOptions, export, load_context, write_graph
from kg.engines.streaming import build_sorted_graph
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.sorted_graph import encode_triples, sort_graph
from kg.write.turtle import write_turtle

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ROOT / "examples" / name
    for name in (
        "peer-support-search.txt",
        "peer-support.ris",
        "peer-support.bib",
        "peer-support.nbib",
        "peer-support-csl.json",
        "peer-support-crossref.json",
    )
]
SAMPLE = ROOT.parent / "shared" / "samples" / "emerald-search-peer-support.txt"
OPTIONS = ExportOptions(workers=1)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _in_memory_graph_files(inputs: list[Path], folder: Path) -> dict[str, bytes]:
    """The graph files as the whole graph in memory writes them (kg.map.pipeline.build_graph)."""
    built = build_graph(inputs, OPTIONS)
    folder.mkdir()
    write_graph(built.graph, folder, {**PREFIXES, **built.minter.prefixes()})
    return _files(folder)


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")


@pytest.mark.usefixtures("fixed_time")
@pytest.mark.parametrize("run_entries", [1, 97, 5_000])
def test_every_run_size_writes_the_bytes_of_the_graph_in_memory(
    tmp_path: Path, run_entries: int
) -> None:
    expected = _in_memory_graph_files(EXAMPLES, tmp_path / "memory")
    export(EXAMPLES, tmp_path / "out", OPTIONS, writing=WriteOptions(run_entries=run_entries))
    written = _files(tmp_path / "out")
    for name in GRAPH_FILES:
        assert written[name] == expected[name], name


@pytest.mark.slow
@pytest.mark.usefixtures("fixed_time")
def test_a_synthetic_thousand_records_stream_to_the_same_bytes(tmp_path: Path) -> None:
    ris = tmp_path / "synthetic.ris"
    write_ris(ris, 1_000)
    expected = _in_memory_graph_files([ris], tmp_path / "memory")
    small, large = tmp_path / "small-runs", tmp_path / "one-run"
    result = export([ris], small, OPTIONS, writing=WriteOptions(run_entries=3_000))
    export([ris], large, OPTIONS, writing=WriteOptions(run_entries=10_000_000))
    assert result.scratch_bytes > 0  # it spilled
    assert _files(small) == _files(large)
    for name in GRAPH_FILES:
        assert _files(small)[name] == expected[name], name


@pytest.mark.usefixtures("fixed_time")
def test_the_sample_page_streams_to_the_same_bytes(tmp_path: Path) -> None:
    if not SAMPLE.is_file():
        pytest.skip(f"the sample page is not beside the project ({SAMPLE})")
    expected = _in_memory_graph_files([SAMPLE], tmp_path / "memory")
    export([SAMPLE], tmp_path / "out", OPTIONS, writing=WriteOptions(run_entries=50))
    for name in GRAPH_FILES:
        assert (tmp_path / "out" / name).read_bytes() == expected[name], name


# --- the entries: order and spelling, on terms the mapper would never make -------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_iri = st.sampled_from(["http://a.example/x", "http://a.example/x/1", "http://b.example/"]).map(
    URIRef
)
_blank = st.sampled_from(["b1", "b2", "l0x1"]).map(BNode)
_literal = st.one_of(
    _text.map(Literal),
    st.tuples(_text, st.sampled_from(["en", "de-ch", "en-GB"])).map(
        lambda pair: Literal(pair[0], lang=pair[1])
    ),
    st.tuples(_text, st.sampled_from([XSD.integer, XSD.date, XSD.string])).map(
        lambda pair: Literal(pair[0], datatype=pair[1], normalize=False)
    ),
)
_triple = st.tuples(st.one_of(_iri, _blank), _iri, st.one_of(_iri, _blank, _literal))


@settings(max_examples=200, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_triple, max_size=30), st.integers(min_value=1, max_value=7))
def test_sorted_entries_are_the_graph_in_order_and_spelled_alike(
    triples: list[Triple], run_entries: int
) -> None:
    """NUL, the escape character and every other character sort and spell as in ExportGraph."""
    expected = ExportGraph(triples)
    with scratch_folder() as scratch:
        runs = SortedRuns(scratch, run_entries)
        for triple in triples:  # one group a triple: no inline lists, as for unrelated groups
            runs.extend(encode_triples([triple]))
        graph, _ = sort_graph(runs, scratch)
        assert list(graph) == expected.triples
        nt = io.StringIO()
        write_ntriples(expected, nt)
        assert "".join(graph.nt_lines()) == nt.getvalue()
        assert len(graph) == len(expected)


def test_inline_lists_are_written_alike_from_the_sorted_entries(tmp_path: Path) -> None:
    """A work's author list, found in its own group, is written in place of its head."""
    work = URIRef("http://a.example/work")
    people = [URIRef(f"http://a.example/p{i}") for i in (1, 2)]
    cells = [BNode("l1x1"), BNode("l1x2")]
    triples: list[Triple] = [
        (work, RDF.type, URIRef("http://schema.org/ScholarlyArticle")),
        (work, URIRef("http://purl.org/ontology/bibo/authorList"), cells[0]),
        (cells[0], RDF.first, people[0]),
        (cells[0], RDF.rest, cells[1]),
        (cells[1], RDF.first, people[1]),
        (cells[1], RDF.rest, RDF.nil),
        (people[0], URIRef("http://schema.org/name"), Literal("Ada")),
    ]
    expected = ExportGraph(triples)
    with scratch_folder(tmp_path) as scratch:
        runs = SortedRuns(scratch, 2)
        runs.extend(encode_triples(triples[:6]))  # the work and its list: one group
        runs.extend(encode_triples(triples[6:]))  # the person, described by another group
        graph, _ = sort_graph(runs, scratch)
        for write in (
            lambda g, s: write_turtle(g, s, PREFIXES),
            lambda g, s: write_jsonld(g, s, load_context()),
        ):
            ours, theirs = io.StringIO(), io.StringIO()
            write(graph, ours)
            write(expected, theirs)
            assert ours.getvalue() == theirs.getvalue()
        assert "( " in _turtle(graph)


def _turtle(graph: object) -> str:
    stream = io.StringIO()
    write_turtle(graph, stream, PREFIXES)  # type: ignore[arg-type]
    return stream.getvalue()


# --- the options of a bulk export, and the scratch folder ------------------------------------


def test_formats_nt_without_validation_or_queries_writes_only_the_n_triples(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    full = runner.invoke(main, ["export", str(EXAMPLES[1]), "--out", str(out), "--quiet"])
    assert full.exit_code == 0, full.output
    whole = (out / "graph.nt").read_bytes()
    bulk = runner.invoke(
        main,
        ["export", str(EXAMPLES[1]), "--out", str(out), "--formats", "nt", "--no-validate",
         "--no-queries", "--no-report", "--json"],
    )  # fmt: skip
    assert bulk.exit_code == 0, bulk.output
    # The earlier export's Turtle, JSON-LD, validation and answers are gone, not left to
    # describe another graph beside this one.
    assert sorted(_files(out)) == ["dataset.ttl", "graph.nt", "merges.txt", "register.sqlite"]
    assert (out / "graph.nt").read_bytes() == whole
    summary = json.loads(bulk.stdout)
    assert summary["validation"] is None
    assert summary["files"] == ["dataset.ttl", "graph.nt", "merges.txt", "register.sqlite"]
    assert summary["scratch_disk_mb"] >= 0


def test_formats_ttl_alone_still_validates_and_answers_the_examples(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", str(EXAMPLES[1]), "--out", str(out), "--formats", "ttl,jsonld", "-q"]
    )
    assert result.exit_code == 0, result.output
    names = set(_files(out))
    assert {"graph.ttl", "graph.jsonld", "validation.ttl", "validation.txt", "report.html"} <= names
    assert "graph.nt" not in names
    assert any(name.startswith("queries/") and name.endswith(".csv") for name in names)
    assert not list(out.glob(SCRATCH_PREFIX + "*"))


@pytest.mark.parametrize("value", ["xml", "ttl,rdfxml", ""])
def test_unknown_formats_are_a_one_line_usage_error(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(
        main, ["export", str(EXAMPLES[1]), "--out", str(tmp_path / "o"), "--formats", value]
    )
    assert result.exit_code == 2
    assert "choose from ttl, jsonld, nt" in result.output
    assert not (tmp_path / "o").exists()


def test_the_dask_engine_refuses_the_local_writing_options(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["export", str(EXAMPLES[1]), "--out", str(tmp_path / "o"), "--engine", "dask",
         "--no-validate"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--engine local only" in result.output


def test_scratch_is_removed_when_an_export_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kg.engines.local.write_graph", broken)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        export([EXAMPLES[1]], out, OPTIONS, writing=WriteOptions(run_entries=10))
    assert list(tmp_path.iterdir()) == []  # no scratch, no staging folder, no export


def test_scratch_measures_the_most_disk_it_took(tmp_path: Path) -> None:
    scratch = ScratchFolder(tmp_path)
    (tmp_path / "a").write_bytes(b"x" * 1000)
    scratch.measure()
    (tmp_path / "a").unlink()
    (tmp_path / "b").write_bytes(b"x" * 10)
    scratch.measure()
    assert scratch.peak_bytes == 1000


@pytest.mark.parametrize("piece", [1, 7, 10**9])
def test_the_store_filled_a_piece_at_a_time_is_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Each bulk load names blank nodes afresh, so a piece carries each author list with its
    work: the store is graph.nt, its lists whole, whatever the size of the pieces."""
    import pyoxigraph as ox

    from kg.engines import local

    monkeypatch.setattr(local, "STORE_PIECE_TRIPLES", piece)
    with scratch_folder(tmp_path) as scratch:
        built = build_sorted_graph(EXAMPLES, OPTIONS, scratch)
        out = tmp_path / "out"
        out.mkdir()
        store = local._graph_store(built.graph, out, scratch, tmp_path / "store")
        filled = ox.Dataset(store)
        del store
        expected = ox.Dataset(
            ox.parse(input="".join(built.graph.nt_lines()), format=ox.RdfFormat.N_TRIPLES)
        )
        size = len(built.graph)
    for dataset in (filled, expected):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert len(filled) == len(expected) == size
    assert set(filled) == set(expected)

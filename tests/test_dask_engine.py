"""`kg export --engine dask` on a real dask.distributed cluster of worker processes.

The partitions and the description, parsed strictly, must be the single-machine graph.nt: the
same triples, none twice, with the same void:triples.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import dask
import distributed
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from distributed import LocalCluster
from rdflib import BNode, Literal, URIRef

import kg.engines.dask
from benchmarks.synthetic import write_page, write_ris
from kg.cli import main
from kg.core.external_sort import SortedRuns, scratch_folder
from kg.core.namespaces import BIBO, RDF, SKOS, VOID
from kg.core.progress import Progress
from kg.map.graph import ExportGraph
from kg.write.sorted_graph import encode_triples
from tests.conftest import EXAMPLES, fixed_epoch
from tests.page_builder import PageRecord, page

pytestmark = pytest.mark.slow  # starts worker processes

PARTITIONS = 4


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def export_args(out: Path, *options: str) -> list[str]:
    return ["export", *map(str, EXAMPLES), "--out", str(out), *options]


def parse(path: Path) -> list[ox.Triple]:
    """A strict N-Triples parse; blank node labels kept as written (no renaming)."""
    return [quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)]


def parts_of(out: Path) -> list[Path]:
    return sorted(out.glob("graph-part-*.nt"))


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A real local cluster: two worker processes, one thread each, on this machine only."""
    with LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        assert len(cluster.workers) == 2
        yield cluster.scheduler_address


@dataclass(frozen=True)
class Export:
    out: Path
    result: click.testing.Result


@pytest.fixture(scope="module")
def dask_run(scheduler: str, tmp_path_factory: pytest.TempPathFactory) -> Export:
    """The bundled example exported on the cluster above (read-only for tests)."""
    out = tmp_path_factory.mktemp("dask-export")
    args = ["--engine", "dask", "--scheduler", scheduler, "--partitions", str(PARTITIONS)]
    with fixed_epoch():
        result = run(*export_args(out, *args))
    assert result.exit_code == 0, result.output
    return Export(out, result)


@pytest.fixture(scope="module")
def dask_export(dask_run: Export) -> Path:
    return dask_run.out


@pytest.fixture(scope="module")
def local_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.nt of the single-machine `kg export` of the same inputs at the same time."""
    out = tmp_path_factory.mktemp("local-export")
    with fixed_epoch():
        result = run(*export_args(out, "--quiet"))
    assert result.exit_code == 0, result.output
    return out / "graph.nt"


def union(out: Path) -> list[ox.Triple]:
    """Every triple of every partition and of the description, duplicates kept."""
    files = [*parts_of(out), out / "graph-description.nt"]
    return [triple for path in files for triple in parse(path)]


def test_the_parts_and_description_are_the_single_machine_graph(
    dask_export: Path, local_graph: Path
) -> None:
    expected = parse(local_graph)
    found = union(dask_export)
    assert set(found) == set(expected)
    assert len(found) == len(expected)  # no triple in two files
    assert sorted(p.name for p in dask_export.iterdir()) == [
        "graph-description.nt",
        *(f"graph-part-{index:05d}.nt" for index in range(PARTITIONS)),
    ]


def test_the_summary_is_the_local_engines_less_validation(
    dask_run: Export, local_graph: Path
) -> None:
    triples = len(parse(local_graph))
    stderr = dask_run.result.stderr
    assert f"21 records read: 21 written, 0 rejected; {triples} triples written to " in stderr
    assert f"as {PARTITIONS} graph-part-*.nt files and graph-description.nt" in stderr
    assert "merged: 6 works from 12 records, 2 conflicts, 0 merges refused" in stderr
    assert "validation: not run by the dask engine" in stderr
    # the problems of the local engine, in the same order
    warnings = [
        line for line in stderr.splitlines() if ": warning: " in line or ": merged: " in line
    ]
    assert len(warnings) == 8
    assert warnings[1].endswith(
        "peer-support.ris:1: record 1: warning: disagrees on the publication date: kept "
        "'2014-03-14' from " + str(EXAMPLES[0]) + ":4, not '2014-03-12'"
    )


def test_void_triples_counts_the_union_exactly(dask_export: Path, local_graph: Path) -> None:
    counts = [
        int(triple.object.value)
        for triple in parse(dask_export / "graph-description.nt")
        if triple.predicate == ox.NamedNode(str(VOID.triples))
    ]
    assert counts == [len(parse(local_graph))] == [len(union(dask_export))]


def test_the_work_is_spread_and_each_part_is_sorted_and_self_contained(
    dask_export: Path, local_graph: Path
) -> None:
    parts = parts_of(dask_export)
    assert sum(1 for path in parts if parse(path)) >= 2
    # graph.nt is sorted; a part sorted the same way lists its lines in graph.nt's order.
    position = {line: n for n, line in enumerate(local_graph.read_text("utf-8").splitlines())}
    owner: dict[object, str] = {}
    for path in parts:
        lines = path.read_text(encoding="utf-8").splitlines()
        order = [position[line] for line in lines]
        assert order == sorted(order), path.name
        for triple in parse(path):  # a subject, or a blank node, lives in one file only
            blank = [triple.object] if isinstance(triple.object, ox.BlankNode) else []
            for node in (triple.subject, *blank):
                assert owner.setdefault(node, path.name) == path.name, node


def test_without_a_scheduler_a_local_cluster_writes_the_same_files(
    dask_export: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(*export_args(out, "--engine", "dask", "--workers", "2", "--partitions", "4"))
    assert result.exit_code == 0, result.output
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()  # the export closed the client (and cluster) it opened
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in dask_export.iterdir())
    for name in names:  # byte for byte: the output does not depend on the cluster
        assert (out / name).read_bytes() == (dask_export / name).read_bytes(), name


def test_scheduler_or_partitions_without_the_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    for option, value in (("--scheduler", "tcp://127.0.0.1:8786"), ("--partitions", "3")):
        result = run(*export_args(tmp_path / "out", option, value))
        assert result.exit_code == 2
        assert result.stderr == (  # one line, as every usage error
            f"Error: {option} works with --engine dask only (see 'kg export --help')\n"
        )
        assert not (tmp_path / "out").exists()


def test_options_the_dask_engine_cannot_honour_are_usage_errors(tmp_path: Path) -> None:
    shapes = Path(__file__).resolve().parent.parent / "shapes"
    result = run(*export_args(tmp_path, "--engine", "dask", "--shapes", str(shapes)))
    assert result.exit_code == 2
    assert "Error: --shapes: the dask engine does not validate" in result.stderr
    scheduler = ("--scheduler", "tcp://127.0.0.1:8786")
    result = run(*export_args(tmp_path, "--engine", "dask", *scheduler, "--workers", "2"))
    assert result.exit_code == 2
    assert "Error: --workers sets the processes of a local cluster" in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = run(*export_args(tmp_path / "out", "--engine", "dask", "--scheduler", address))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach the Dask scheduler at {address}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_scheduler_without_workers_is_a_one_line_error(tmp_path: Path) -> None:
    with (
        LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address="127.0.0.1:0") as empty,
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
    ):
        address = empty.scheduler_address
        result = run(*export_args(tmp_path / "out", "--engine", "dask", "--scheduler", address))
    assert result.exit_code == 2
    assert result.stderr == f"Error: the Dask scheduler at {address} has no workers (waited 1s)\n"


def test_rejected_records_are_reported_and_stale_parts_removed(
    scheduler: str, tmp_path: Path
) -> None:
    source = tmp_path / "page.txt"
    source.write_text(page(PageRecord(), PageRecord(date="31 February 2020")), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph-part-00007.nt").write_text("<urn:x:stale> <urn:x:p> <urn:x:o> .\n")
    args = ["--engine", "dask", "--scheduler", scheduler, "--partitions", "2"]
    result = run("export", str(source), "--out", str(out), *args)
    assert result.exit_code == 2
    assert f"{source}:" in result.stderr and ": record 2: error: publication date" in result.stderr
    assert "2 records read: 1 written, 1 rejected" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "graph-description.nt",
        "graph-part-00000.nt",
        "graph-part-00001.nt",
    ]


def test_a_triple_the_description_holds_is_not_written_in_a_part_too(tmp_path: Path) -> None:
    concept = URIRef("https://example.org/kg/theme/peer-support")
    shared = (concept, SKOS.prefLabel, Literal("peer support"))
    other = (URIRef("https://example.org/kg/work/1"), SKOS.prefLabel, Literal("x"))
    with scratch_folder(tmp_path) as scratch:
        runs = SortedRuns(scratch, 10)
        runs.extend("00000" + entry for entry in encode_triples([shared, other]))
        parts, size, _ = kg.engines.dask._write_parts(
            runs, 2, ExportGraph([shared]), tmp_path, Progress(None), set()
        )
    assert size == 1
    assert parts[0].read_text("utf-8") == f'<{other[0]}> <{SKOS.prefLabel}> "x" .\n'
    assert parts[1].read_text("utf-8") == ""  # a partition nothing hashed to is still written


def test_any_batch_size_writes_the_same_files(
    scheduler: str, dask_export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three works a task: the same bytes as the default batches (one batch, here)."""
    monkeypatch.setattr(kg.engines.dask, "BATCH_WORKS", 3)
    out = tmp_path / "out"
    args = ["--engine", "dask", "--scheduler", scheduler, "--partitions", str(PARTITIONS)]
    with fixed_epoch():
        result = run(*export_args(out, *args))
    assert result.exit_code == 0, result.output
    for path in sorted(dask_export.iterdir()):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_ten_thousand_records_on_the_cluster_are_the_single_machine_graph(
    scheduler: str, tmp_path: Path
) -> None:
    """10,000 synthetic records (a RIS file and a search page), mapped in batches on the two
    workers: the union of the parts and the description is the local export's graph.nt."""
    ris, page = tmp_path / "synthetic.ris", tmp_path / "synthetic.txt"
    write_ris(ris, 5_000, seed=21)
    write_page(page, 5_000, seed=22)
    local, distributed_out = tmp_path / "local", tmp_path / "dask"
    bulk = ["--formats", "nt", "--no-validate", "--no-queries", "--no-report", "--quiet"]
    cluster = ["--engine", "dask", "--scheduler", scheduler, "--partitions", "5", "--quiet"]
    with fixed_epoch():
        assert run("export", str(ris), str(page), "--out", str(local), *bulk).exit_code == 0
        result = run("export", str(ris), str(page), "--out", str(distributed_out), *cluster)
    assert result.exit_code == 0, result.output
    expected = parse(local / "graph.nt")
    found = union(distributed_out)
    assert len(found) == len(expected) > 600_000
    assert set(found) == set(expected)


def test_an_rdf_list_goes_with_the_iri_that_holds_it() -> None:
    work = URIRef("https://example.org/kg/work/1")
    cells = [BNode(f"c{n}") for n in range(500)]
    triples = [(work, BIBO.authorList, cells[0])]
    for n, cell in enumerate(cells):
        triples.append((cell, RDF.first, URIRef(f"https://example.org/kg/person/{n}")))
        triples.append((cell, RDF.rest, cells[n + 1] if n + 1 < len(cells) else RDF.nil))
    buckets = kg.engines.dask._route(reversed(triples), 7)
    assert sorted(len(bucket) for bucket in buckets) == [0] * 6 + [len(triples)]

"""What runs inside each contender's fresh process; benchmarks/suite.py starts and watches them.

A child reports on stdout, one JSON object a line after ``@@bench``: the start of each stage, its
end (seconds, by the child's own clock), and a final result. The suite samples the memory of the
child's whole process tree meanwhile and kills a stage that overruns its budget.

    python -m benchmarks.contenders kg '{"input": "page.txt", "out": "out", "workers": null}'
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MARK = "@@bench "


def emit(**event: Any) -> None:
    sys.stdout.write(MARK + json.dumps(event) + "\n")
    sys.stdout.flush()


def _reset_peak() -> None:
    """Start this process's peak resident memory (VmHWM) afresh, where Linux allows it."""
    try:
        with Path("/proc/self/clear_refs").open("w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass


def _peaks() -> dict[str, float]:
    """This process's peak RSS since the stage began (VmHWM, reset at each stage start), and
    the largest peak of any child it waited for. (ru_maxrss of the process itself is no use:
    on Linux it keeps the parent's resident size at fork across exec.)"""
    hwm = 0.0
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except OSError:
        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stage_hwm_mb": hwm,
        "children_max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def start(name: str) -> None:
    _reset_peak()
    emit(event="start", stage=name)


@contextmanager
def stage(name: str) -> Iterator[None]:
    start(name)
    started = time.perf_counter()
    yield
    emit(event="end", stage=name, seconds=time.perf_counter() - started, **_peaks())


def _kg(args: dict[str, Any]) -> dict[str, Any]:
    """kg's export, stage by stage, as kg.engines.local.export runs it (plus N-Triples alone):
    works mapped into sorted runs on disk, merged, written, validated from the sorted stream."""
    from kg.core.external_sort import scratch_folder
    from kg.core.namespaces import PREFIXES
    from kg.core.progress import Progress
    from kg.engines.local import _ExportStore, write_example_results, write_graph
    from kg.engines.streaming import build_sorted_graph
    from kg.map.pipeline import ExportOptions
    from kg.validate.reference import load_shapes
    from kg.validate.scalable import validate_export

    source, out = Path(args["input"]), Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)

    class StageClock(Progress):
        """Ends "read" and starts "map" when the export starts mapping works."""

        def __init__(self) -> None:
            super().__init__(None)
            self.read_started = time.perf_counter()
            self.map_started: float | None = None

        def stage(self, name: str, total: int | None = None) -> None:
            super().stage(name, total)
            if name.startswith("mapping") and self.map_started is None:
                self.map_started = time.perf_counter()
                seconds = self.map_started - self.read_started
                emit(event="end", stage="read", seconds=seconds, **_peaks())
                start("map")

    shapes = load_shapes()
    with scratch_folder(out) as scratch:
        start("read")
        clock = StageClock()
        built = build_sorted_graph([source], ExportOptions(), scratch, clock)
        assert clock.map_started is not None
        seconds = time.perf_counter() - clock.map_started
        emit(event="end", stage="map", seconds=seconds, **_peaks())
        with stage("write"):
            write_graph(built.graph, out, {**PREFIXES, **built.minter.prefixes()})
        with stage("write N-Triples"), (out / "graph-only.nt").open("w") as stream:
            stream.writelines(built.graph.nt_lines())
        (out / "graph-only.nt").unlink()
        with stage("validate"):
            store = _ExportStore(built.graph, out, scratch)
            outcome = validate_export(built.graph, shapes, store=store, workers=args.get("workers"))
        with stage("queries"):
            write_example_results(store(), out / "queries")
        store.close()
    return {
        "records": built.counts.written,
        "triples": len(built.graph),
        "violations": len(outcome.violations),
        "warnings": len(outcome.warnings),
    }


def _store_load(args: dict[str, Any]) -> dict[str, Any]:
    """Fill a persistent Oxigraph store from kg's graph.nt, as `kg load --store` does."""
    from kg.stores.local import fill_store

    with stage("store load"):
        triples = fill_store(Path(args["store"]), [Path(args["graph"])])
    return {"triples": triples}


def _store_queries(args: dict[str, Any]) -> dict[str, Any]:
    """Every example query on the persistent store, opened fresh: the median of ``runs``."""
    import pyoxigraph as ox

    from kg.query.sparql import example_queries, run_query
    from kg.stores.local import open_filled_store

    runs = int(args.get("runs", 5))
    medians: dict[str, float] = {}
    rows: dict[str, int] = {}
    with stage("queries (persistent store)"):
        store = open_filled_store(Path(args["store"]))
        for query in example_queries():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                results = run_query(store, query.text, query.defaults)
                count = 1 if isinstance(results, ox.QueryBoolean) else len(list(results))
                times.append(time.perf_counter() - started)
            medians[query.name] = statistics.median(times)
            rows[query.name] = count
    return {"query_medians_s": medians, "query_rows": rows, "runs": runs}


def _floor(args: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.floor import write_floor

    source, out = Path(args["records"]), Path(args["out"])
    start("map+write")
    started = time.perf_counter()
    with source.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8") as stream:
        records, triples, decoding = write_floor(lines, stream)
    total = time.perf_counter() - started
    # Reading the JSON is not mapping: the stage is what is left without it.
    emit(event="end", stage="map+write", seconds=total - decoding, **_peaks())
    return {"records": records, "triples": triples, "json_decode_s": decoding, "total_s": total}


def _naive(args: dict[str, Any]) -> dict[str, Any]:
    """kg's mapping into one rdflib Graph, rdflib's Turtle, pySHACL on the whole graph."""
    from rdflib import Graph

    from kg.core.namespaces import PREFIXES
    from kg.map.pipeline import ExportOptions, build_graph
    from kg.validate.reference import load_shapes, validate

    skip = set(args.get("skip", ()))
    out = Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)
    shapes = load_shapes()
    with stage("read+map into rdflib"):
        built = build_graph([Path(args["input"])], ExportOptions())
        graph = Graph()
        for prefix, namespace in {**PREFIXES, **built.minter.prefixes()}.items():
            graph.bind(prefix, namespace)
        for triple in built.graph:
            graph.add(triple)
    result: dict[str, Any] = {"records": built.counts.written, "triples": len(graph)}
    del built
    if "write Turtle (rdflib)" not in skip:
        with stage("write Turtle (rdflib)"):
            graph.serialize(destination=str(out / "naive.ttl"), format="turtle")
    if "validate (pySHACL)" not in skip:
        with stage("validate (pySHACL)"):
            outcome = validate(graph, shapes)
        result["violations"] = len(outcome.violations)
    return result


CONTENDERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "kg": _kg,
    "store-load": _store_load,
    "store-queries": _store_queries,
    "floor": _floor,
    "naive": _naive,
}


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    emit(event="result", **CONTENDERS[name](args))


if __name__ == "__main__":
    main()

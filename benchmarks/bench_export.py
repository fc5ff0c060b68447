"""Benchmark `kg export` on synthetic search-result pages: records/s and peak memory per size.

Not a test: run it by hand (machines here are shared and noisy; numbers go in notes, not asserts).

    python -m benchmarks.bench_export --sizes 1000 10000 100000

Each size runs in a fresh process, which reports the time of every stage (read + map, write the
three serialisations, validate, example queries) and its peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_page


def run_stages(page: Path, out: Path, workers: int | None) -> dict[str, float]:
    """One export, stage by stage, in this process."""
    from kg.core.namespaces import PREFIXES
    from kg.engines.local import write_example_results, write_graph
    from kg.map.pipeline import ExportOptions, build_graph
    from kg.query.sparql import open_store
    from kg.validate.reference import load_shapes
    from kg.validate.scalable import validate_export

    timings: dict[str, float] = {}
    start = time.perf_counter()
    built = build_graph([page], ExportOptions())
    timings["read_map_s"] = time.perf_counter() - start
    timings["triples"] = len(built.graph)
    timings["records"] = built.counts.written

    start = time.perf_counter()
    write_graph(built.graph, out, {**PREFIXES, **built.minter.prefixes()})
    timings["write_s"] = time.perf_counter() - start

    start = time.perf_counter()
    store = open_store([out / "graph.nt"])
    outcome = validate_export(built.graph, load_shapes(), store=lambda: store, workers=workers)
    timings["validate_s"] = time.perf_counter() - start
    timings["violations"] = len(outcome.violations)

    start = time.perf_counter()
    write_example_results(store, out / "queries")
    timings["queries_s"] = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    timings["peak_rss_mb"] = own / 1024
    timings["worker_peak_rss_mb"] = workers_peak / 1024
    return timings


def measure(size: int, folder: Path, workers: int | None) -> dict[str, float]:
    page = folder / f"page-{size}.txt"
    write_page(page, size)
    command = [sys.executable, "-m", "benchmarks.bench_export", "--child", str(page),
               str(folder / f"out-{size}")]  # fmt: skip
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764028800"}
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    result: dict[str, float] = json.loads(done.stdout)
    result["wall_s"] = wall
    result["records_per_s"] = size / wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--child", nargs=2, type=Path, metavar=("PAGE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_stages(args.child[0], args.child[1], args.workers)))
        return
    header = ("records", "triples", "read+map s", "write s", "validate s", "queries s", "total s",
              "records/s", "peak RSS MB", "validation worker peak MB")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        for size in args.sizes:
            r = measure(size, Path(folder), args.workers)
            row = (size, int(r["triples"]), r["read_map_s"], r["write_s"], r["validate_s"],
                   r["queries_s"], r["wall_s"], r["records_per_s"], r["peak_rss_mb"],
                   r["worker_peak_rss_mb"])  # fmt: skip
            print(
                " | ".join(f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" for v in row),
                flush=True,
            )


if __name__ == "__main__":
    main()

"""The example queries on a persistent Oxigraph store of a very large graph (1,000,000 records).

kg itself cannot export a million records yet (it holds the whole graph in memory), so the graph
here is the streaming floor's (benchmarks/floor.py): the same triples kg writes for works, people,
journals, issues and themes, without provenance and the dataset description. What it measures is
the store side of the scale target: filling a persistent store and answering each example query.

    python -m benchmarks.store_at_scale --records 1000000 --work-dir /tmp/kg-1m

Needs about 12 GB of disk at 1,000,000 records (JSON lines, N-Triples, the store). A query that
takes over 20 s is run once; the others three times (the median is printed).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.floor import write_floor
from benchmarks.synthetic import write_jsonl
from kg.query.sparql import example_queries, run_query
from kg.stores.local import fill_store, open_filled_store

SLOW_S = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("page", "ris"), default="ris")
    parser.add_argument("--work-dir", type=Path, required=True)
    args = parser.parse_args()
    folder: Path = args.work_dir
    folder.mkdir(parents=True, exist_ok=True)
    records, graph, store_dir = folder / "records.jsonl", folder / "graph.nt", folder / "store"

    started = time.perf_counter()
    write_jsonl(records, args.records, fmt=args.format)
    with records.open(encoding="utf-8") as lines, graph.open("w", encoding="utf-8") as stream:
        _, triples, _ = write_floor(lines, stream)
    print(f"{args.records:,} records, {triples:,} triples in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    fill_store(store_dir, [graph])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store filled in {time.perf_counter() - started:.0f} s (peak RSS so far {peak:,.0f} MB)")

    store = open_filled_store(store_dir)
    for query in sorted(example_queries(), key=lambda q: q.name):
        times: list[float] = []
        rows = 0
        while len(times) < 3 and (not times or times[-1] <= SLOW_S):
            began = time.perf_counter()
            results = run_query(store, query.text, query.defaults)
            rows = 1 if isinstance(results, ox.QueryBoolean) else sum(1 for _ in results)
            times.append(time.perf_counter() - began)
        median = statistics.median(times)
        print(f"{query.name}: median {median:.2f} s of {len(times)} run(s), {rows:,} rows")


if __name__ == "__main__":
    main()

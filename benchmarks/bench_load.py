"""Benchmark `kg load` into real stores: triples/s and the loader's peak memory.

Not a test: run it by hand (machines here are shared and noisy; numbers go in notes).

    python -m benchmarks.bench_load --records 10000

It writes a synthetic export (benchmarks/synthetic.py, mapped and written by kg, not validated),
starts an Oxigraph server and, when installed, Virtuoso (the test harness in tests/servers.py),
and times `kg load` into each, plus `kg load --store` into a local store, each in a fresh process.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_page
from kg.core.namespaces import PREFIXES
from kg.engines.local import write_graph
from kg.map.pipeline import ExportOptions, build_graph
from tests.servers import OxigraphServer, TripleStoreServer, VirtuosoServer


def export(records: int, folder: Path) -> None:
    page = folder / "page.txt"
    write_page(page, records, seed=7)
    built = build_graph([page], ExportOptions())
    write_graph(built.graph, folder, {**PREFIXES, **built.minter.prefixes()})


_RUNNER = """
import resource, sys
from kg.cli import main
try:
    main(sys.argv[2:], prog_name="kg")
finally:
    with open(sys.argv[1], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def timed_load(args: list[str], env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `kg load` process (its own, not the servers')."""
    peak_file = folder / "peak.txt"
    command = [sys.executable, "-c", _RUNNER, str(peak_file), "load", *args, "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return seconds, int(peak_file.read_text()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--chunk-triples", type=int, default=5_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        # A process of its own: a forked loader would otherwise count this process's memory
        # (Linux keeps the peak RSS across fork and exec).
        maker = multiprocessing.get_context("spawn").Process(
            target=export, args=(options.records, folder)
        )
        maker.start()
        maker.join()
        graph = folder / "graph.nt"
        triples = sum(1 for _ in graph.open(encoding="utf-8"))
        size = graph.stat().st_size / 1e6
        print(f"{options.records:,} records, {triples:,} triples, graph.nt {size:.0f} MB")
        print("target | seconds | triples/s | loader peak RSS MB")
        print("--- | --- | --- | ---")
        env = {**os.environ, "NETRC": os.devnull}
        seconds, peak = timed_load([str(graph), "--store", str(folder / "store")], env, folder)
        print(f"local store (--store) | {seconds:.1f} | {triples / seconds:,.0f} | {peak:.0f}")
        servers: list[TripleStoreServer] = [OxigraphServer(folder), VirtuosoServer(folder)]
        for server in servers:
            if server.find_binary() is None:
                print(f"{server.name} | not installed | | ")
                continue
            with server:
                server_env = dict(env)
                if server.auth is not None:
                    _, user, password = server.auth
                    server_env.update({"KG_STORE_USER": user, "KG_STORE_PASSWORD": password})
                endpoint = server.gsp_url("http://x").split("?", 1)[0]
                args = [str(graph), "--endpoint", endpoint, "--graph", "http://example.org/bench",
                        "--chunk-triples", str(options.chunk_triples)]  # fmt: skip
                seconds, peak = timed_load(args, server_env, folder)
                assert server.count("http://example.org/bench") == triples
                print(f"{server.name} (GSP, chunks of {options.chunk_triples:,}) | {seconds:.1f} | "
                      f"{triples / seconds:,.0f} | {peak:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()

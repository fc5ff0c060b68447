"""The benchmark suite: kg against the naive rdflib path, morph-kgc and a streaming floor.

Not a test: run it by hand, on a quiet machine (numbers go in notes and the README, not asserts).

    python -m benchmarks.suite --sizes 1000 10000 --format page ris
    python -m benchmarks.suite --sizes 100000 --format ris --contenders kg-cli kg morph-kgc floor
    python -m benchmarks.suite --sizes 1000000 --format page --contenders kg-cli kg store

For each format and size it writes deterministic synthetic records (benchmarks/synthetic.py) as
kg's input (a search-results page or RIS) and as a JSON-lines dump of the same records, then runs
every contender in a fresh process of its own, one after another:

  kg-cli     `kg export INPUT --out DIR --quiet`, end to end
  kg-bulk    `kg export INPUT --out DIR --formats nt --no-validate --no-queries --no-report`:
             N-Triples alone, like for like with morph-kgc
  kg         the same export stage by stage: read, map, write (Turtle, JSON-LD, N-Triples),
             write N-Triples alone, validate, example queries (in memory)
  store      `kg load --store`'s fill of a persistent Oxigraph store from graph.nt, then every
             example query on it, opened fresh: the median of 5 runs each
  floor      a hand-written streaming N-Triples writer over the JSON-lines dump
             (benchmarks/floor.py): the floor for map-and-write
  morph-kgc  morph-kgc 2.10 with the equivalent RML mapping (benchmarks/morph/), N-Triples,
             in its own virtualenv benchmarks/.venv-morph (created on first use)
  naive      kg's mapping into one rdflib Graph, rdflib's Turtle serialiser, pySHACL on the
             whole graph; each stage gets --naive-budget seconds and is reported as "> budget"
             when it overruns (its process is killed)

It reports records/s and peak memory per stage (the main process's peak RSS, or the summed PSS
of its whole process tree, sampled every 0.1 s, when that is more), the ratios the issue's
targets name, and — for sizes up to --check-max — whether the floor's and morph-kgc's triples
are kg's (benchmarks/equivalence.py). The table is printed as Markdown and written, with every
number, to --out (JSON) and beside it (.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import morph_kgc
from benchmarks.contenders import MARK
from benchmarks.synthetic import write_input, write_jsonl

ROOT = Path(__file__).resolve().parent.parent
CONTENDERS = ("kg-cli", "kg-bulk", "kg", "store", "floor", "morph-kgc", "naive")
DEFAULT_SIZES = (1000, 10000)
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764028800", "PYTHONHASHSEED": "0"}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- memory of a process tree ---------------------------------------------------------------


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(errors="replace").rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _memory_kb(pid: int) -> int:
    """Proportional set size (shared pages divided among the processes sharing them), else
    resident size: forked workers share their parent's pages, and summed RSS would count those
    pages once per worker."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE // 1024
    except (OSError, ValueError):
        return 0


def tree_memory_mb(root: int) -> float:
    """Memory of ``root`` and all its descendants: their summed PSS."""
    tree = _children_by_parent()
    pending, total = [root], 0
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, ()))
        total += _memory_kb(pid)
    return total / 1024


# --- one contender in one process -----------------------------------------------------------


@dataclass
class StageResult:
    seconds: float | None = None
    peak_rss_mb: float = 0.0
    status: str = "ok"  # ok, over budget, failed


@dataclass
class Run:
    stages: dict[str, StageResult] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    failed: str | None = None
    peak_rss_mb: float = 0.0
    wall_s: float = 0.0


def run_child(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    budget: float | None = None,
    whole_stage: str | None = None,
    log: Path,
) -> Run:
    """Run ``command``, following its ``@@bench`` stage events (or timing it whole as
    ``whole_stage``), sampling its tree's memory, killing a stage that overruns ``budget``."""
    run = Run()
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()
    current: list[str | None] = [whole_stage]
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as errors:
        errors.write(f"$ {' '.join(command)}\n")
        errors.flush()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        stdout = process.stdout

        def read() -> None:
            for line in stdout:
                if line.startswith(MARK):
                    events.put(json.loads(line[len(MARK) :]))
            events.put(None)

        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = tree_memory_mb(process.pid)
                run.peak_rss_mb = max(run.peak_rss_mb, rss)
                name = current[0]
                if name is not None and name in run.stages:
                    stage = run.stages[name]
                    stage.peak_rss_mb = max(stage.peak_rss_mb, rss)
                done.wait(0.1)

        if whole_stage:
            run.stages[whole_stage] = StageResult()
        threads = [threading.Thread(target=read), threading.Thread(target=sample)]
        for thread in threads:
            thread.start()
        stage_started = time.perf_counter()
        finished_output = False
        while not finished_output:
            timeout = None
            if budget is not None and current[0] is not None:
                timeout = max(0.0, budget - (time.perf_counter() - stage_started))
            try:
                event = events.get(timeout=timeout if timeout is not None else 1.0)
            except queue.Empty:
                if timeout is not None and current[0] is not None:
                    os.killpg(process.pid, signal.SIGKILL)
                    run.stages[current[0]].status = "over budget"
                    run.stages[current[0]].seconds = budget
                    run.failed = current[0]
                    current[0] = None
                continue
            if event is None:
                finished_output = True
            elif event["event"] == "start":
                current[0] = event["stage"]
                run.stages[event["stage"]] = StageResult()
                stage_started = time.perf_counter()
            elif event["event"] == "end":
                stage = run.stages.setdefault(event["stage"], StageResult())
                stage.seconds = event["seconds"]
                stage.peak_rss_mb = max(stage.peak_rss_mb, event["stage_hwm_mb"])
                current[0] = None
            elif event["event"] == "result":
                run.result = {k: v for k, v in event.items() if k != "event"}
        returncode = process.wait()
        run.wall_s = time.perf_counter() - started
        done.set()
        for thread in threads:
            thread.join()
    if whole_stage and run.failed is None:
        run.stages[whole_stage].seconds = run.wall_s
    # `kg export` exits 2 when the graph does not conform: still a finished export.
    ok_codes = (0, 2) if whole_stage == "end-to-end" else (0,)
    if run.failed is None and returncode not in ok_codes:
        run.failed = next((n for n, s in run.stages.items() if s.seconds is None), "start")
        for stage in run.stages.values():
            if stage.seconds is None:
                stage.status = "failed"
        print(f"  failed (exit {returncode}); see {log}", file=sys.stderr, flush=True)
    return run


# --- the contenders, from the suite's side ----------------------------------------------------


@dataclass
class Inputs:
    fmt: str
    size: int
    folder: Path
    source: Path  # kg's input
    records: Path  # JSON-lines dump


def _python_child(name: str, args: dict[str, Any]) -> list[str]:
    return [sys.executable, "-m", "benchmarks.contenders", name, json.dumps(args)]


def run_kg_cli(inputs: Inputs, log: Path, workers: int | None) -> Run:
    out = inputs.folder / "kg-cli"
    command = [sys.executable, "-m", "kg", "export", str(inputs.source), "--out", str(out),
               "--quiet"]  # fmt: skip
    if workers:
        command += ["--workers", str(workers)]
    return run_child(command, cwd=ROOT, whole_stage="end-to-end", log=log)


def run_kg_bulk(inputs: Inputs, log: Path) -> Run:
    out = inputs.folder / "kg-bulk"
    bulk = ["--formats", "nt", "--no-validate", "--no-queries", "--no-report"]
    command = [sys.executable, "-m", "kg", "export", str(inputs.source), "--out", str(out),
               "--quiet", *bulk]  # fmt: skip
    return run_child(command, cwd=ROOT, whole_stage="N-Triples only", log=log)


def run_kg(inputs: Inputs, log: Path, workers: int | None) -> Run:
    args = {"input": str(inputs.source), "out": str(inputs.folder / "kg"), "workers": workers}
    return run_child(_python_child("kg", args), cwd=ROOT, log=log)


def run_store(inputs: Inputs, log: Path) -> Run:
    graph = inputs.folder / "kg" / "graph.nt"
    if not graph.exists():
        graph = inputs.folder / "kg-cli" / "graph.nt"
    store = inputs.folder / "store"
    shutil.rmtree(store, ignore_errors=True)
    load = run_child(
        _python_child("store-load", {"store": str(store), "graph": str(graph)}), cwd=ROOT, log=log
    )
    if load.failed:
        return load
    queries = run_child(
        _python_child("store-queries", {"store": str(store), "runs": 5}), cwd=ROOT, log=log
    )
    load.stages.update(queries.stages)
    load.result.update(queries.result)
    load.failed = queries.failed
    load.peak_rss_mb = max(load.peak_rss_mb, queries.peak_rss_mb)
    shutil.rmtree(store, ignore_errors=True)
    return load


def run_floor(inputs: Inputs, log: Path) -> Run:
    args = {"records": str(inputs.records), "out": str(inputs.folder / "floor.nt")}
    return run_child(_python_child("floor", args), cwd=ROOT, log=log)


def run_morph(inputs: Inputs, log: Path) -> Run:
    tables = inputs.folder / "morph"
    started = time.perf_counter()
    morph_kgc.write_tables(inputs.records, tables)
    prepared = time.perf_counter() - started
    output = inputs.folder / "morph.nt"
    output.unlink(missing_ok=True)  # morph-kgc appends
    config = morph_kgc.write_config(tables, output)
    run = run_child(morph_kgc.command(config), cwd=tables, whole_stage="map+write", log=log)
    run.result["tables_s"] = prepared
    if output.exists():
        with output.open("rb") as stream:
            run.result["triples"] = sum(1 for _ in stream)
    return run


def run_naive(inputs: Inputs, log: Path, budget: float) -> Run:
    """Each naive stage in the budget; after a stage is killed, the next runs in a new process
    (which maps again: that second mapping is not reported)."""
    stages = ("read+map into rdflib", "write Turtle (rdflib)", "validate (pySHACL)")
    args: dict[str, Any] = {"input": str(inputs.source), "out": str(inputs.folder / "naive")}
    combined = Run()
    skip: list[str] = []
    while True:
        run = run_child(_python_child("naive", {**args, "skip": skip}), cwd=ROOT, budget=budget,
                        log=log)  # fmt: skip
        for name, stage in run.stages.items():
            if name not in combined.stages or combined.stages[name].status != "ok":
                combined.stages[name] = stage
        combined.result.update(run.result)
        combined.peak_rss_mb = max(combined.peak_rss_mb, run.peak_rss_mb)
        if run.failed is None:
            break
        if run.stages[run.failed].status != "over budget" or run.failed == stages[0]:
            combined.failed = run.failed
            break
        skip.append(run.failed)
        if all(name in skip or name in combined.stages for name in stages[1:]):
            break
    return combined


# --- the report -------------------------------------------------------------------------------


def _rate(size: int, seconds: float | None) -> str:
    return "–" if not seconds else f"{size / seconds:,.0f}"


def _cell(size: int, stage: StageResult | None) -> tuple[str, str]:
    if stage is None:
        return "–", "–"
    peak = f"{stage.peak_rss_mb:,.0f}" if stage.peak_rss_mb else "–"
    if stage.status == "over budget":
        return f"< {_rate(size, stage.seconds)} (> {stage.seconds:.0f} s budget)", peak
    if stage.status != "ok":
        return stage.status, peak
    return _rate(size, stage.seconds), peak


ROWS: tuple[tuple[str, str], ...] = (
    ("kg-cli", "end-to-end"),
    ("kg-bulk", "N-Triples only"),
    ("kg", "read"),
    ("kg", "map"),
    ("kg", "write"),
    ("kg", "write N-Triples"),
    ("kg", "validate"),
    ("kg", "queries"),
    ("store", "store load"),
    ("store", "queries (persistent store)"),
    ("floor", "map+write"),
    ("morph-kgc", "map+write"),
    ("naive", "read+map into rdflib"),
    ("naive", "write Turtle (rdflib)"),
    ("naive", "validate (pySHACL)"),
)
STAGE_NOTES = {
    ("kg", "read"): "read (+ resolve identities, group works)",
    ("kg", "write"): "write Turtle + JSON-LD + N-Triples",
    ("kg", "map"): "map into sorted runs, merge",
    ("kg", "queries"): "example queries (on-disk store)",
    ("kg-bulk", "N-Triples only"): "--formats nt --no-validate --no-queries --no-report",
    ("floor", "map+write"): "map+write N-Triples (JSON decoding not counted)",
    ("morph-kgc", "map+write"): "map+write N-Triples (whole run)",
}


def _seconds(runs: dict[str, Run], contender: str, *stages: str) -> float | None:
    run = runs.get(contender)
    if run is None:
        return None
    total = 0.0
    for name in stages:
        stage = run.stages.get(name)
        if stage is None or stage.status != "ok" or stage.seconds is None:
            return None
        total += stage.seconds
    return total


def ratios(size: int, runs: dict[str, Run]) -> list[tuple[str, str, str]]:
    """(target, value, verdict) for the issue's targets at this size."""
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool, applies: bool) -> str:
        return ("✓" if ok else "✗") if applies else ("(✓)" if ok else "(✗)")

    cli, morph = _seconds(runs, "kg-cli", "end-to-end"), _seconds(runs, "morph-kgc", "map+write")
    if cli and morph:
        value = morph / cli  # = kg records/s ÷ morph-kgc records/s
        out.append(("kg export records/s ÷ morph-kgc records/s (≥ 1 at 100k)", f"{value:.2f}",
                    verdict(value >= 1, size == 100_000)))  # fmt: skip
    bulk = _seconds(runs, "kg-bulk", "N-Triples only")
    if bulk and morph:
        value = morph / bulk
        out.append(("kg N-Triples only ÷ morph-kgc, records/s (≥ 2 at 100k)", f"{value:.2f}",
                    verdict(value >= 2, size == 100_000)))  # fmt: skip
    floor = _seconds(runs, "floor", "map+write")
    kg_nt = _seconds(runs, "kg", "map", "write N-Triples")
    kg_all = _seconds(runs, "kg", "map", "write")
    if floor and kg_nt:
        value = kg_nt / floor
        out.append(("kg map + write N-Triples ÷ floor (≤ 2)", f"{value:.1f}",
                    verdict(value <= 2, True)))  # fmt: skip
    if floor and kg_all:
        out.append(("kg map + write all three files ÷ floor (for reference)",
                    f"{kg_all / floor:.1f}", ""))  # fmt: skip
    validate = _seconds(runs, "kg", "validate")
    naive = runs.get("naive")
    shacl = naive.stages.get("validate (pySHACL)") if naive else None
    if validate and shacl is not None and shacl.seconds:
        value = shacl.seconds / validate
        if shacl.status == "over budget":  # a lower bound: it proves the target, or nothing
            shown, mark = f"> {value:.1f}", "✓" if value >= 10 else "? (budget too short)"
        else:
            shown, mark = f"{value:.1f}", verdict(value >= 10, True)
        out.append(("pySHACL whole graph ÷ kg validate (≥ 10)", shown, mark))
    if "kg-cli" in runs and runs["kg-cli"].failed is None:
        peak = runs["kg-cli"].peak_rss_mb
        out.append(("kg export peak RSS, MB (< 2,048 at 1M)", f"{peak:,.0f}",
                    verdict(peak < 2048, size == 1_000_000)))  # fmt: skip
    store = runs.get("store")
    medians = store.result.get("query_medians_s") if store else None
    if medians:
        slowest = max(medians, key=medians.get)
        value = medians[slowest]
        out.append((f"slowest example query, median s (< 1 at 1M): {slowest}", f"{value:.3f}",
                    verdict(value < 1, size == 1_000_000)))  # fmt: skip
    return out


def markdown(fmt: str, results: dict[int, dict[str, Run]], checks: dict[int, list[str]]) -> str:
    sizes = sorted(results)
    lines = [f"### {'search-results page' if fmt == 'page' else 'RIS'} input", ""]
    header = ["contender", "stage"]
    for size in sizes:
        header += [f"{size:,}: records/s", "peak RSS MB"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * 2 + "---:|" * (2 * len(sizes)))
    for contender, stage in ROWS:
        cells: list[str] = []
        present = False
        for size in sizes:
            run = results[size].get(contender)
            result = run.stages.get(stage) if run else None
            present = present or result is not None
            cells += list(_cell(size, result))
        if present:
            label = STAGE_NOTES.get((contender, stage), stage)
            lines.append(f"| {contender} | {label} | " + " | ".join(cells) + " |")
    triples = []
    for contender in ("kg", "kg-cli", "floor", "morph-kgc"):
        counts = [
            results[s][contender].result.get("triples") if contender in results[s] else None
            for s in sizes
        ]
        if any(counts):
            shown = ", ".join(f"{c:,}" if c else "–" for c in counts)
            triples.append(f"{contender} {shown}")
    if triples:
        lines += ["", "Triples written (per size): " + "; ".join(triples) + "."]
    targets: dict[str, dict[int, str]] = {}
    for size in sizes:
        for name, value, mark in ratios(size, results[size]):
            key = name.split(":")[0]
            targets.setdefault(key, {})[size] = f"{value} {mark}".strip() + (
                f" ({name.split(': ')[1]})" if ": " in name else ""
            )
    if targets:
        lines += ["", "| target | " + " | ".join(f"{s:,}" for s in sizes) + " |"]
        lines.append("|---|" + "---:|" * len(sizes))
    for name, by_size in targets.items():
        lines.append(f"| {name} | " + " | ".join(by_size.get(s, "–") for s in sizes) + " |")
    lines += _query_table(sizes, results)
    for size in sizes:
        for line in checks.get(size, []):
            lines.append(f"\n{size:,} records — {line}")
    return "\n".join(lines) + "\n"


def _query_table(sizes: list[int], results: dict[int, dict[str, Run]]) -> list[str]:
    """Each example query's median seconds on the persistent store, per size."""
    medians = {
        size: results[size]["store"].result.get("query_medians_s", {})
        for size in sizes
        if "store" in results[size]
    }
    names = sorted({name for by_name in medians.values() for name in by_name})
    if not names:
        return []
    lines = ["", "| example query: median s of 5 (persistent store) | "
             + " | ".join(f"{s:,}" for s in sizes) + " |"]  # fmt: skip
    lines.append("|---|" + "---:|" * len(sizes))
    for name in names:
        cells = [f"{medians[s][name]:.3f}" if name in medians.get(s, {}) else "–" for s in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _as_json(run: Run, size: int) -> dict[str, Any]:
    return {
        "stages": {
            name: {
                "seconds": stage.seconds,
                "records_per_s": size / stage.seconds if stage.seconds else None,
                "peak_rss_mb": stage.peak_rss_mb,
                "status": stage.status,
            }
            for name, stage in run.stages.items()
        },
        "result": run.result,
        "failed": run.failed,
        "peak_rss_mb": run.peak_rss_mb,
        "wall_s": run.wall_s,
    }


# --- the run --------------------------------------------------------------------------------


def prepare(fmt: str, size: int, folder: Path, seed: int) -> Inputs:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / ("page.txt" if fmt == "page" else "export.ris")
    records = folder / "records.jsonl"
    started = time.perf_counter()
    write_input(source, size, seed, fmt)
    write_jsonl(records, size, seed, fmt)
    seconds = time.perf_counter() - started
    print(f"  generated {size:,} {fmt} records and their JSON lines in {seconds:.1f} s",
          file=sys.stderr, flush=True)  # fmt: skip
    return Inputs(fmt, size, folder, source, records)


def check(inputs: Inputs) -> list[str]:
    from benchmarks.equivalence import compare, vocabulary_nodes

    graph = inputs.folder / "kg" / "graph.nt"
    if not graph.exists():
        graph = inputs.folder / "kg-cli" / "graph.nt"
    if not graph.exists():
        return []
    nodes = vocabulary_nodes()
    lines = []
    for name in ("floor", "morph-kgc"):
        path = inputs.folder / ("floor.nt" if name == "floor" else "morph.nt")
        if path.exists():
            lines.append(compare(graph, path, nodes).summary(name).replace("\n", "\n    "))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        help="records per run (default: 1000 10000; 100000 and 1000000 are "
        "opt-in: minutes, and gigabytes of disk)",
    )
    parser.add_argument(
        "--format",
        nargs="+",
        choices=("page", "ris"),
        default=["page"],
        dest="formats",
        help="kg's input: search-results page and/or RIS",
    )
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument(
        "--naive-budget",
        type=float,
        default=120.0,
        help="seconds each naive stage may take (default 120)",
    )
    parser.add_argument(
        "--naive-max-size",
        type=int,
        default=10_000,
        help="skip the naive path above this size (default 10000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="kg's validation processes (default: one per core)",
    )
    parser.add_argument(
        "--check-max",
        type=int,
        default=10_000,
        help="compare the floor's and morph-kgc's triples with kg's up to this "
        "size (default 10000; 0: never)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="keep inputs and outputs here (default: a temporary folder)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "suite.json",
        help="JSON results (the Markdown goes beside it, .md)",
    )
    args = parser.parse_args(argv)

    if "morph-kgc" in args.contenders:
        morph_kgc.ensure_venv()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="kg-suite-"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    log = args.out.with_suffix(".log")
    log.write_text("", encoding="utf-8")
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "morph_kgc": morph_kgc.version() if "morph-kgc" in args.contenders else None,
        },
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "results": {},
    }
    sections = []
    try:
        for fmt in args.formats:
            results: dict[int, dict[str, Run]] = {}
            checks: dict[int, list[str]] = {}
            for size in args.sizes:
                print(f"{fmt}, {size:,} records", file=sys.stderr, flush=True)
                inputs = prepare(fmt, size, work / f"{fmt}-{size}", args.seed)
                runs: dict[str, Run] = {}
                for contender in args.contenders:
                    if contender == "naive" and size > args.naive_max_size:
                        continue
                    print(f"  {contender}", file=sys.stderr, flush=True)
                    if contender == "kg-cli":
                        runs[contender] = run_kg_cli(inputs, log, args.workers)
                    elif contender == "kg-bulk":
                        runs[contender] = run_kg_bulk(inputs, log)
                    elif contender == "kg":
                        runs[contender] = run_kg(inputs, log, args.workers)
                    elif contender == "store":
                        runs[contender] = run_store(inputs, log)
                    elif contender == "floor":
                        runs[contender] = run_floor(inputs, log)
                    elif contender == "morph-kgc":
                        runs[contender] = run_morph(inputs, log)
                    elif contender == "naive":
                        runs[contender] = run_naive(inputs, log, args.naive_budget)
                results[size] = runs
                if size <= args.check_max:
                    checks[size] = check(inputs)
                report["results"].setdefault(fmt, {})[str(size)] = {
                    "contenders": {name: _as_json(run, size) for name, run in runs.items()},
                    "targets": [list(t) for t in ratios(size, runs)],
                    "equivalence": checks.get(size, []),
                }
                if args.work_dir is None:
                    shutil.rmtree(inputs.folder, ignore_errors=True)
            sections.append(markdown(fmt, results, checks))
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    text = _preamble(report) + "\n" + "\n".join(sections)
    print(text)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(text, encoding="utf-8")


def _preamble(report: dict[str, Any]) -> str:
    machine = report["machine"]
    morph = f", morph-kgc {machine['morph_kgc']}" if machine["morph_kgc"] else ""
    return (
        f"Python {machine['python']} on {machine['platform']}, {machine['cpus']} CPUs{morph}. "
        "records/s = records ÷ the stage's seconds. peak RSS = the most memory the contender "
        "held during the stage: its main process's peak RSS (VmHWM), or, when more, the summed "
        "PSS of its process tree (validation workers, morph-kgc's pool) sampled every 0.1 s. "
        "✓/✗ where the issue sets the target at that size, (✓)/(✗) at other sizes.\n"
    )


if __name__ == "__main__":
    main()

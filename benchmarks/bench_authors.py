"""Benchmark one hyperauthored record: every stage of ``kg export`` as its authors double.

Not a test: run it by hand (machines here are shared and noisy; numbers go in notes, not asserts).

    python -m benchmarks.bench_authors --sizes 1000 2000 4000 8000 16000 --formats ris medline

For each size N and format, one record with N authors and N keywords (physics and genomics papers
have 3,000-5,000 authors) is written as RIS or MEDLINE, and exported in a fresh process, stage by
stage, the stages as ``kg.map.pipeline.build_graph`` and ``kg.engines.local.export`` run them:

    read      the reader, record by record
    resolve   who is who (kg.resolve.identity), which records are one work, the minter, the themes
    map       the record to triples, the theme concepts, the dataset's description
    sort      the sorted, duplicate-free graph (kg.map.graph.ExportGraph)
    turtle, jsonld, ntriples    each writer
    store     Oxigraph parses graph.nt (the store validation and the examples share)
    validate  the compiled SHACL core checks and the SPARQL constraints
    queries   every example query, answered into queries/*.csv

The child reports each stage as it ends, so a stage that does not end within ``--budget``
seconds shows as "over budget" while the stages before it keep their times. Peak memory is the
child's peak resident set (validation workers are forked children: their peak is reported apart).
The last column is the total's ratio to the previous size: about 2 when the export is linear.
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
from collections.abc import Callable, Iterator
from pathlib import Path

STAGES = ("read", "resolve", "map", "sort", "turtle", "jsonld", "ntriples", "store", "validate",
          "queries")  # fmt: skip
FORMATS = ("ris", "medline")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def letters(number: int) -> str:
    """A number in letters, so that names and keywords stay words: 0 -> "a", 26 -> "ba".

    >>> [letters(n) for n in (0, 25, 26, 701)]
    ['a', 'z', 'ba', 'bbz']
    """
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = _LETTERS[digit] + text
        if number == 0:
            return text


def people(count: int) -> Iterator[tuple[str, str]]:
    """``count`` different people, (family, given): "Abbott-Kabe", "Ana"."""
    from benchmarks.synthetic import FAMILY, GIVEN

    for number in range(count):
        family = FAMILY[number % len(FAMILY)].split()[-1].replace("'", "")
        yield f"{family}-{letters(number).capitalize()}", GIVEN[number % len(GIVEN)]


def keywords(count: int) -> Iterator[str]:
    """``count`` different keywords; a few match kg's theme vocabulary, like real ones."""
    from benchmarks.synthetic import KEYWORDS

    for number in range(count):
        yield KEYWORDS[number] if number < len(KEYWORDS) else f"Detector topic {letters(number)}"


def write_ris(path: Path, authors: int) -> None:
    """One RIS article with ``authors`` authors and as many keywords."""
    lines = ["TY  - JOUR"]
    lines += [f"AU  - {family}, {given}" for family, given in people(authors)]
    lines += [
        f"TI  - Observation of a new particle with {authors:,} authors",
        "T2  - Journal of Synthetic Studies 1",
        "SN  - 1755-6228",
        "VL  - 12",
        "IS  - 3",
        "PY  - 2024/05/17/",
        "DO  - 10.5555/synth.hyper",
        "AB  - A measurement made by a large collaboration; peer support and recovery aside.",
    ]
    lines += [f"KW  - {keyword}" for keyword in keywords(authors)]
    lines += ["ER  - ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_medline(path: Path, authors: int) -> None:
    """One MEDLINE (PubMed) record with ``authors`` authors and as many keywords (``OT``)."""
    lines = [
        "PMID- 99123456",
        "STAT- MEDLINE",
        "DP  - 2024 May 17",
        f"TI  - Genome sequencing of a cohort by {authors:,} authors.",
        "AB  - A consortium paper; peer support and recovery aside.",
    ]
    for family, given in people(authors):
        lines += [f"FAU - {family}, {given}", f"AU  - {family} {given[0]}"]
    lines += [
        "LA  - eng",
        "PT  - Journal Article",
        "JT  - Journal of Synthetic Studies 1",
        "IS  - 1755-6228 (Print)",
        "VI  - 12",
        "IP  - 3",
    ]
    lines += [f"OT  - {keyword}" for keyword in keywords(authors)]
    lines += ["AID - 10.5555/synth.hyper [doi]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


WRITERS: dict[str, Callable[[Path, int], None]] = {"ris": write_ris, "medline": write_medline}
SUFFIXES = {"ris": ".ris", "medline": ".nbib"}


def run_stages(path: Path, out: Path, workers: int | None) -> Iterator[dict[str, float | str]]:
    """One export, stage by stage, in this process; yields each stage's time as it ends."""
    import itertools

    from kg.core.namespaces import PREFIXES
    from kg.core.progress import Progress
    from kg.core.records import Record
    from kg.core.resources import vocab_file
    from kg.engines.local import load_context, write_example_results
    from kg.map.graph import ExportGraph
    from kg.map.pipeline import (
        ExportOptions,
        PreparedWorks,
        dataset_triples,
        map_works,
        read_inputs,
        record_counts,
    )
    from kg.map.provenance import dataset_description, export_time
    from kg.map.record import MappingContext
    from kg.map.themes import ThemeVocabulary
    from kg.query.sparql import open_store
    from kg.resolve.identity import resolve
    from kg.resolve.merge import group_works
    from kg.resolve.mint import Minter, export_minter
    from kg.validate import validate_graph
    from kg.validate.reference import load_shapes
    from kg.write.jsonld import write_jsonld
    from kg.write.ntriples import write_ntriples
    from kg.write.turtle import write_turtle

    options = ExportOptions(workers=workers)
    shapes = load_shapes()
    out.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()

    def lap(stage: str, **extra: float | str) -> dict[str, float | str]:
        nonlocal clock
        now = time.perf_counter()
        seconds, clock = now - clock, now
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"stage": stage, "s": seconds, "peak_mb": peak, **extra}

    # As kg.map.pipeline.prepare_works and build_graph do it, with a lap between the steps.
    progress = Progress(None)
    reading = read_inputs([path], options, Minter(options.base_iri), progress)
    yield lap("read", records=len(reading.records))
    identities, resolutions = resolve(item.record for item in reading.records)

    def journal_by_issn(record: Record) -> str | None:
        venue = record.venue
        key = identities.journal(venue) if venue is not None and not venue.is_book else None
        return key if key and key.startswith("issn-") else None

    works, refused = group_works(reading.records, journal_by_issn)
    minter = export_minter((work.record for work in works), options.base_iri, identities)
    themes = ThemeVocabulary.load(vocab_file("themes.ttl"), minter)
    yield lap("resolve", works=len(works))
    prepared = PreparedWorks(reading, works, refused, resolutions, minter, themes)
    mapped = map_works(works, MappingContext(minter, themes))
    triples = mapped.triples
    triples.update(dataset_triples(prepared, [mapped]))
    counts = record_counts(reading)
    description = dataset_description(
        minter, triples, len(triples), reading.sources, counts, export_time()
    )
    description = list(description)
    yield lap("map", triples=len(triples) + len(description))
    graph = ExportGraph(itertools.chain(triples, description))
    yield lap("sort", triples=len(graph))
    prefixes = {**PREFIXES, **minter.prefixes()}
    with (out / "graph.ttl").open("w", encoding="utf-8") as stream:
        write_turtle(graph, stream, prefixes)
    yield lap("turtle")
    with (out / "graph.jsonld").open("w", encoding="utf-8") as stream:
        write_jsonld(graph, stream, load_context())
    yield lap("jsonld")
    with (out / "graph.nt").open("w", encoding="utf-8") as stream:
        write_ntriples(graph, stream)
    yield lap("ntriples")
    store = open_store([out / "graph.nt"])
    yield lap("store")
    outcome = validate_graph(graph, shapes, store=lambda: store, workers=workers)
    yield lap("validate", results=len(outcome.results), engine=outcome.engine)
    write_example_results(store, out / "queries")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    yield lap("queries", worker_peak_mb=children)


def measure(
    fmt: str, size: int, folder: Path, budget: float, memory_mb: int, workers: int | None
) -> dict[str, float | str]:
    """One size in a child process: each stage's seconds, the triples, the peaks."""
    path = folder / f"authors-{size}{SUFFIXES[fmt]}"
    WRITERS[fmt](path, size)
    command = [sys.executable, "-m", "benchmarks.bench_authors", "--child", str(path),
               str(folder / f"out-{fmt}-{size}")]  # fmt: skip
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764028800"}
    result: dict[str, float | str] = {}
    limit = memory_mb * 1024 * 1024

    def limit_memory() -> None:  # a quadratic stage fails here rather than take the machine
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, preexec_fn=limit_memory
    )
    try:
        in_time = _read_laps(child, result, start + budget)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    result["wall_s"] = time.perf_counter() - start
    missing = [stage for stage in STAGES if f"{stage}_s" not in result]
    if missing:  # the stage that did not end: over the time budget, or out of memory
        result["stopped"] = missing[0]
        result["why"] = "over budget" if not in_time else f"failed ({child.returncode})"
    return result


def _read_laps(child: subprocess.Popen[str], result: dict[str, float | str], end: float) -> bool:
    """The child's laps as they come, until it ends (True) or the budget runs out (False)."""
    import selectors

    assert child.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    while time.perf_counter() < end:
        if not selector.select(timeout=max(0.0, end - time.perf_counter())):
            break
        line = child.stdout.readline()
        if not line:
            return True
        lap = json.loads(line)
        stage = lap.pop("stage")
        result[f"{stage}_s"] = lap.pop("s")
        result.update(lap)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 16000])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--budget", type=float, default=600.0, help="seconds a size may take")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--memory", type=int, default=8000, help="MB of address space a size may take"
    )
    parser.add_argument(
        "--child", nargs=2, type=Path, metavar=("INPUT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        for lap in run_stages(args.child[0], args.child[1], args.workers):
            print(json.dumps(lap), flush=True)
        return
    header = ("format", "authors", "triples", *(f"{s} s" for s in STAGES), "total s",
              "peak MB", "worker peak MB", "× previous")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 1 else "---:" for i in range(len(header))) + "|")
    with tempfile.TemporaryDirectory(prefix="kg-bench-authors-") as folder:
        for fmt in args.formats:
            previous: float | None = None
            for size in args.sizes:
                r = measure(fmt, size, Path(folder), args.budget, args.memory, args.workers)
                print("| " + " | ".join(_row(fmt, size, r, previous)) + " |", flush=True)
                previous = None if "stopped" in r else sum(_stage_times(r))


def _stage_times(r: dict[str, float | str]) -> list[float]:
    return [float(r[f"{s}_s"]) for s in STAGES if f"{s}_s" in r]


def _row(fmt: str, size: int, r: dict[str, float | str], previous: float | None) -> list[str]:
    cells = [fmt, f"{size:,}", f"{int(r.get('triples', 0)):,}"]
    for stage in STAGES:
        key = f"{stage}_s"
        if key in r:
            cells.append(f"{float(r[key]):.2f}")
        else:
            cells.append(str(r["why"]) if r.get("stopped") == stage else "")
    if "stopped" in r:
        cells += [f"> {float(r['wall_s']):.0f}", f"{float(r.get('peak_mb', 0)):,.0f}", "", ""]
        return cells
    total = sum(_stage_times(r))
    ratio = f"{total / previous:.2f}" if previous else ""
    cells += [f"{total:.2f}", f"{float(r['peak_mb']):,.0f}",
              f"{float(r['worker_peak_mb']):,.0f}", ratio]  # fmt: skip
    return cells


if __name__ == "__main__":
    main()

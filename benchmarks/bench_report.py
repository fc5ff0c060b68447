"""report.html and kg site at scale: build time and size on synthetic exports.

For each size: synthetic records (benchmarks/synthetic.py) are exported with kg (untimed here:
see bench_export), then the report is built from the export's graph.nt on a fresh Oxigraph store
(the load timed apart: an export hands the report the store it already has) and the site is
written from the same store. Peak memory is the process's, so run one size a process.

    python -m benchmarks.bench_report --records 10000 --work-dir /tmp/kg-report-10k
    python -m benchmarks.bench_report --records 100000 --format ris --work-dir /tmp/kg-report-100k
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--format", choices=("page", "ris"), default="ris")
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--no-site", action="store_true", help="measure the report only")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764028800")

    from benchmarks.synthetic import write_input
    from kg.engines.local import export
    from kg.map.pipeline import ExportOptions
    from kg.query.sparql import open_store
    from kg.report import ExportFacts, build_report
    from kg.site import write_site

    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"records.{'txt' if args.format == 'page' else 'ris'}"
    if not source.exists():
        write_input(source, args.records, fmt=args.format)
    out = work / "export"
    if not (out / "graph.nt").exists():
        started = time.perf_counter()
        export([source], out, ExportOptions(workers=2))
        print(f"export (untimed in the results): {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    store = open_store([out / "graph.nt"])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    page = build_report(store)
    built = time.perf_counter() - started
    report_bytes = len(page.encode("utf-8"))
    started = time.perf_counter()
    build_report(store, ExportFacts(answers=out / "queries"))  # as the export does
    in_export = time.perf_counter() - started
    print(f"records {args.records:,} ({args.format}), triples {len(store):,}")
    print(f"store load: {loaded:.1f} s")
    print(f"report: {built:.1f} s, {report_bytes:,} bytes ({report_bytes / 1e6:.2f} MB)")
    print(f"report in an export (example answers read from queries/): {in_export:.1f} s")
    exported = out / "report.html"
    if exported.exists():
        print(f"the export's report.html: {exported.stat().st_size:,} bytes")
    if not args.no_site:
        started = time.perf_counter()
        summary = write_site(store, work / "site", "https://example.org/kg/")
        took = time.perf_counter() - started
        pages = sum(summary.pages.values())
        print(
            f"site: {took:.1f} s, {summary.files:,} files, {summary.bytes:,} bytes "
            f"({summary.bytes / 1e6:.0f} MB), {pages:,} pages {summary.pages}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()

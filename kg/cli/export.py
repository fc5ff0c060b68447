"""`kg export`: read inputs, map, validate, and write the export folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli._shared import (
    EXIT_CONFORMS,
    EXIT_DOES_NOT_CONFORM,
    EXIT_ERROR,
    check_verbosity,
    echo_counts,
    echo_finished,
    echo_merges,
    echo_problems,
    encoding_option,
    existing_file,
    input_file,
    json_option,
    make_progress,
    run_started,
    shapes_option,
    verbosity_options,
)
from kg.cli._summary import Summary, echo_json, export_summary
from kg.core.atomic import write_text_atomically
from kg.engines import ENGINES
from kg.engines.folder import FORMAT_FILES, check_export_folder
from kg.read import READERS
from kg.resolve.mint import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kg.core.progress import Progress
    from kg.engines.local import WriteOptions
    from kg.map.pipeline import ExportOptions


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=input_file)
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    callback=lambda ctx, param, value: export_folder(value),
    help="Folder to write graph.ttl, graph.jsonld, graph.nt, validation.* and queries/ "
    "(with --engine dask: graph-part-*.nt and graph-description.nt).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that holds files kg did not write (default: refuse it).",
)
@click.option(
    "--from",
    "input_format",
    type=click.Choice(sorted(READERS)),
    help="Input format of every INPUT (default: detected from each file's content).",
)
@encoding_option
@click.option(
    "--base-iri",
    default=DEFAULT_BASE_IRI,
    show_default=True,
    help="Namespace under which every IRI of the graph is minted; use one you control.",
)
@click.option(
    "--register",
    "register",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Identifier register (SQLite) to keep IRIs in once published, shared by every export "
    "that names it (made when missing). Default: register.sqlite in the export folder, carried "
    "from the export before (the dask engine keeps one only with --register).",
)
@click.option(
    "--no-register",
    "no_register",
    is_flag=True,
    help="Keep no register: every IRI is what this export's inputs alone give.",
)
@click.option(
    "--dataset",
    "dataset",
    metavar="NAME",
    help="Name of this export's dataset, its IRI BASE-IRI/dataset/NAME (default: from the "
    "inputs' names and contents, so other inputs make another dataset).",
)
@click.option(
    "--license",
    "license_",
    metavar="IRI",
    help="Licence of the dataset (dcterms:license), e.g. "
    "https://creativecommons.org/licenses/by/4.0/ (default: none is claimed).",
)
@click.option(
    "--publisher",
    metavar="NAME",
    help="Who publishes the dataset (dcterms:publisher and dcterms:creator, a foaf:Agent).",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="Where the graph will be served (void:sparqlEndpoint).",
)
@click.option(
    "--download-url",
    metavar="URL",
    help="Folder URL where the export's files will be published, ending in / (dataset.ttl's "
    "dcat:downloadURL and void:dataDump; default: under the dataset's IRI).",
)
@click.option(
    "--themes",
    type=existing_file,
    help="SKOS theme vocabulary (Turtle) to match instead of kg's default one.",
)
@shapes_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that validate side by side (default: one per core); with --engine dask "
    "and no --scheduler, the local cluster's worker processes.",
)
@click.option(
    "--merge-report",
    "merge_report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the merge report (merged works, conflicts, identities) here; the export "
    "folder always holds it as merges.txt.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: on this machine, every file of the export folder, validated. dask: map the "
    "works on a Dask cluster and write only partitioned N-Triples (graph-part-*.nt) and "
    "graph-description.nt for a bulk loader: no Turtle, JSON-LD, validation, queries or "
    "merges.txt.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the Dask scheduler to use (tcp://HOST:8786); default: a local "
    "cluster of worker processes (--workers of them) for this export.",
)
@click.option(
    "--partitions",
    type=click.IntRange(1, 99_999),
    help="With --engine dask: how many graph-part-*.nt files to write (default: 8).",
)
@click.option(
    "--formats",
    default=",".join(FORMAT_FILES),
    show_default=True,
    callback=lambda ctx, param, value: graph_formats(value),
    help="Graph files to write, comma-separated: ttl (graph.ttl), jsonld (graph.jsonld), nt "
    "(graph.nt). For a bulk load, nt alone is the fastest.",
)
@click.option(
    "--no-validate",
    "skip_validation",
    is_flag=True,
    help="Do not validate: no validation.ttl or validation.txt, and the exit code says only "
    "whether records were rejected.",
)
@click.option(
    "--no-queries",
    "skip_queries",
    is_flag=True,
    help="Do not answer the example queries (no queries/ folder).",
)
@click.option(
    "--no-report",
    "skip_report",
    is_flag=True,
    help="Do not write report.html.",
)
@verbosity_options(
    verbose_help="Print every warning and every validation result on stderr (default: a "
    "warning said of many records once, with its count and first places), and each stage as "
    "it ends, with its count, time and rate.",
)
@json_option
def export(
    inputs: tuple[Path, ...],
    out_dir: Path,
    input_format: str | None,
    base_iri: str,
    register: Path | None,
    no_register: bool,
    dataset: str | None,
    license_: str | None,
    publisher: str | None,
    sparql_endpoint: str | None,
    download_url: str | None,
    themes: Path | None,
    shapes: Path | None,
    workers: int | None,
    merge_report: Path | None,
    engine: str,
    scheduler: str | None,
    partitions: int | None,
    encoding: str | None,
    force: bool,
    formats: tuple[str, ...],
    skip_validation: bool,
    skip_queries: bool,
    skip_report: bool,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Read INPUT files, map them to schema.org + BIBO, validate, and write the export folder.

    An INPUT of - is standard input (one of them; its format detected or named with --from).

    Several inputs, in any mix of formats, merge into one graph: the same work read from two
    inputs becomes one work (the first input named wins where they disagree; merges.txt in the
    export folder lists every merge and conflict). The files are written whether or not the graph
    conforms; the exit code says which (0 conforms, 1 does not, 2 input errors).

    With --engine dask the mapping runs on a Dask cluster (--scheduler ADDRESS, or a local
    one) and the folder gets only graph-part-*.nt and graph-description.nt, ready for a store's
    bulk loader; Turtle, JSON-LD and validation come from the local engine only. Exit code 0,
    or 2 when records were rejected.

    \b
    Example:
      kg export examples/peer-support-search.txt --out export/
      kg export page1.txt page2.txt --out export/ --base-iri https://data.example.edu/kg/
      kg export endnote.ris --encoding cp1252 --out export/
      curl -s "$URL" | kg export - --from crossref --out export/
      kg export big.ris --out dump/ --formats nt --no-validate --no-queries --no-report
      kg export big/*.ris --out parts/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kg.core import stdin
    from kg.engines.local import WriteOptions
    from kg.map.pipeline import ExportOptions
    from kg.map.provenance import Catalogue

    started = run_started()
    check_verbosity(quiet, verbose)
    _check_engine_options(engine, scheduler, partitions, shapes, workers)
    local_only = skip_validation or skip_queries or skip_report or formats != tuple(FORMAT_FILES)
    if engine == "dask" and local_only:
        raise click.UsageError(
            "--formats, --no-validate, --no-queries and --no-report work with --engine local only "
            "(the dask engine writes N-Triples parts, unvalidated)"
        )
    stdin.check_once(inputs)
    check_export_folder(out_dir, force)
    if register is not None and no_register:
        raise click.UsageError("--register FILE and --no-register: choose one")
    catalogue = Catalogue(dataset, license_, publisher, sparql_endpoint, download_url)
    options = ExportOptions(
        base_iri, input_format, themes, shapes, workers, encoding, register, catalogue
    )
    progress = make_progress(quiet, verbose)
    verbosity = (quiet, verbose)
    if engine == "dask":
        cluster = (scheduler, partitions)
        summary = _export_on_dask(
            list(inputs), out_dir, options, cluster, merge_report, progress, verbosity, started
        )
    else:
        writing = WriteOptions(
            formats,
            not skip_validation,
            not skip_queries,
            not skip_report,
            folder_register=not no_register,
        )
        summary = _export_locally(
            list(inputs), out_dir, options, writing, merge_report, progress, verbosity, started
        )
    if as_json:
        echo_json(summary)
    sys.exit(summary["exit_code"])


def _check_engine_options(
    engine: str,
    scheduler: str | None,
    partitions: int | None,
    shapes: Path | None,
    workers: int | None,
) -> None:
    if engine != "dask":
        for name, value in (("--scheduler", scheduler), ("--partitions", partitions)):
            if value is not None:
                raise click.UsageError(f"{name} works with --engine dask only")
        return
    if shapes is not None:
        raise click.UsageError("--shapes: the dask engine does not validate (--engine local)")
    if scheduler is not None and workers is not None:
        raise click.UsageError(
            "--workers sets the processes of a local cluster; the cluster at --scheduler "
            "has its own workers"
        )


def export_folder(value: str) -> Path:
    """--out, checked before anything is read: a folder of files, so not standard output."""
    if value in ("", "-"):
        raise click.BadParameter(
            "kg export writes a folder of files: name one (standard output cannot hold them)"
        )
    return Path(value)


def graph_formats(value: str) -> tuple[str, ...]:
    """--formats: known names, each once, in kg's order."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(FORMAT_FILES))
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'none given'}: choose from {', '.join(FORMAT_FILES)}"
        )
    return tuple(name for name in FORMAT_FILES if name in names)


def _export_locally(
    inputs: list[Path],
    out_dir: Path,
    options: ExportOptions,
    writing: WriteOptions,
    merge_report: Path | None,
    progress: Progress,
    verbosity: tuple[bool, bool],  # --quiet, --verbose
    started: float,
) -> Summary:
    """A local export, its messages on stderr; its summary (with the exit code) returned."""
    from kg.engines.local import export as run_export

    quiet, verbose = verbosity
    result = run_export(inputs, out_dir, options, progress, writing)
    built, outcome = result.built, result.validation
    if merge_report is not None:
        write_text_atomically(merge_report, (out_dir / "merges.txt").read_text(encoding="utf-8"))
    echo_problems(built.problems, quiet, verbose)
    # Rejected records (2) win over a graph that does not conform (1): fix the input first.
    code = EXIT_DOES_NOT_CONFORM if outcome is not None and not outcome.conforms else EXIT_CONFORMS
    code = EXIT_ERROR if built.errors else code
    if not quiet:
        echo_counts(built.counts, len(built.graph), out_dir)
        echo_merges(built.merges, f"; see {out_dir / 'merges.txt'}")
        if outcome is not None:
            verdict = "conforms" if outcome.conforms else "does not conform"
            click.echo(
                f"validation: {verdict} ({len(outcome.violations)} violations, "
                f"{len(outcome.warnings)} warnings); see {out_dir / 'validation.txt'}",
                err=True,
            )
            if verbose:
                click.echo(result.report, err=True, nl=False)
            else:
                for kind in result.result_kinds:
                    click.echo(f"  {kind.line()}; {kind.where()}", err=True)
        else:
            click.echo("validation: not run (--no-validate)", err=True)
        echo_finished(started)
    triples = len(built.graph)
    problems, merges = built.problems, built.merges
    summary = export_summary(
        out_dir, built.counts, triples, problems, merges, outcome, started, code
    )
    summary["scratch_disk_mb"] = round(result.scratch_bytes / 1e6, 1)
    return summary


def _export_on_dask(
    inputs: list[Path],
    out_dir: Path,
    options: ExportOptions,
    cluster: tuple[str | None, int | None],  # --scheduler, --partitions
    merge_report: Path | None,
    progress: Progress,
    verbosity: tuple[bool, bool],  # --quiet, --verbose
    started: float,
) -> Summary:
    """`kg export --engine dask`: report as the local engine does, less what it does not do."""
    from kg.engines.dask import DEFAULT_PARTITIONS, DaskOptions, export_partitioned
    from kg.resolve.merge_report import render_merge_report

    scheduler, partitions = cluster
    dask = DaskOptions(scheduler, partitions or DEFAULT_PARTITIONS, options.workers)
    quiet, verbose = verbosity
    result = export_partitioned(inputs, out_dir, options, dask, progress)
    if merge_report is not None:
        write_text_atomically(merge_report, render_merge_report(result.merges, result.minter))
    echo_problems(result.problems, quiet, verbose)
    if not quiet:
        counts = result.counts
        click.echo(
            f"{counts.read} records read: {counts.written} written, {counts.rejected} rejected; "
            f"{result.triples} triples written to {out_dir}/ as {len(result.parts)} "
            f"graph-part-*.nt files and {result.description.name}",
            err=True,
        )
        echo_merges(result.merges, f"; see {merge_report}" if merge_report is not None else "")
        click.echo("validation: not run by the dask engine (run kg export locally)", err=True)
        echo_finished(started)
    code = EXIT_ERROR if result.errors else EXIT_CONFORMS
    problems, merges = result.problems, result.merges
    return export_summary(
        out_dir, result.counts, result.triples, problems, merges, None, started, code
    )

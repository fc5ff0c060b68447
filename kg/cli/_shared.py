"""What every command shares: exit codes, the options several take, and how results are printed."""

from __future__ import annotations

import codecs
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.core.problems import Problem, Severity

if TYPE_CHECKING:
    from kg.map.provenance import RecordCounts
    from kg.resolve.merge_report import MergeReport

# As pySHACL's: 0 conforms (warnings allowed), 1 does not conform, 2 input, usage or shapes error.
# 70 (EX_SOFTWARE of sysexits.h) is a bug in kg; 130 (128 + SIGINT) is an interrupted run.
EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_ERROR = 0, 1, 2
EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED = 70, 130

F = TypeVar("F", bound=Callable[..., Any])

existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)
# An input, or '-' for standard input (kg.core.stdin reads it once).
input_file = click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)


def encoding_option(command: F) -> F:
    return click.option(
        "--encoding",
        metavar="NAME",
        callback=_known_encoding,
        help="Encoding of every INPUT (cp1252, latin-1, utf-16 ...; default: UTF-8). Without "
        "it, bytes that are not UTF-8 are an error that names the likely encoding.",
    )(command)


def _known_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {value!r} (for example: utf-8, cp1252, latin-1, utf-16)"
        ) from None


def shapes_option(command: F) -> F:
    return click.option(
        "--shapes",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of SHACL shapes (*.ttl) to use instead of kg's own.",
    )(command)


def quiet_option(command: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(command)


def json_option(command: F) -> F:
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print the run's summary as JSON on standard output (for scripts and CI).",
    )(command)


def echo_counts(counts: RecordCounts, triples: int, out_dir: Path) -> None:
    click.echo(
        f"{counts.read} records read: {counts.written} written, {counts.rejected} rejected; "
        f"{triples} triples written to {out_dir}/",
        err=True,
    )


def echo_problems(problems: Sequence[Problem], quiet: bool) -> None:
    """Every problem on stderr; with --quiet, the errors only."""
    for problem in problems:
        if problem.severity is Severity.ERROR or not quiet:
            click.echo(str(problem), err=True)


def echo_merges(merges: MergeReport, see: str) -> None:
    if merges.merged or merges.refused:
        click.echo(
            f"merged: {len(merges.merged)} works from "
            f"{sum(len(w.members) for w in merges.merged)} records, "
            f"{len(merges.conflicts)} conflicts, {len(merges.refused)} merges refused{see}",
            err=True,
        )


def echo_finished(started: float) -> None:
    elapsed = time.monotonic() - started
    click.echo(f"finished in {elapsed:.1f} s; peak memory {peak_memory_mb():,.0f} MB", err=True)


def peak_memory_mb() -> float:
    """The peak resident memory of kg and of the validation workers it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024  # Linux reports kilobytes


def progress_line() -> Callable[[int], None]:
    """A progress line on stderr: triples sent and the rate so far (the files are streamed, so
    the total is not known until the end)."""
    started = time.monotonic()

    def show(sent: int) -> None:
        rate = sent / max(time.monotonic() - started, 1e-6)
        click.echo(f"\rsent {sent:,} triples ({rate:,.0f} triples/s)", err=True, nl=False)

    return show

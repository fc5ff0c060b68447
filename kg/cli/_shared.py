"""What every command shares: exit codes, the options several take, and how results are printed."""

from __future__ import annotations

import codecs
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.core.problems import Problem, Severity

if TYPE_CHECKING:
    from kg.core.progress import Progress
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


QUIET_HELP = "Print nothing on stderr but errors: no progress line, no summary."
VERBOSE_HELP = "Print more on stderr: each stage as it ends, with its count, time and rate."


def verbosity_options(
    quiet_help: str = QUIET_HELP, verbose_help: str = VERBOSE_HELP
) -> Callable[[F], F]:
    """-q/--quiet and -v/--verbose, the same two flags on every command."""

    def decorate(command: F) -> F:
        command = click.option("--verbose", "-v", is_flag=True, help=verbose_help)(command)
        return click.option("--quiet", "-q", is_flag=True, help=quiet_help)(command)

    return decorate


def check_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("give -q (--quiet) or -v (--verbose), not both")


def make_progress(quiet: bool, verbose: bool) -> Progress:
    """The progress line on a terminal (not with -q), and with -v each stage logged as it ends."""
    from kg.core.progress import Progress

    stream = sys.stderr if sys.stderr.isatty() and not quiet else None
    return Progress(stream, log=sys.stderr if verbose else None)


def run_started() -> float:
    """When this run began, on the ``time.monotonic`` clock: when the kg process started (Linux
    says in /proc), so that "finished in" counts Python's start and kg's imports too; when kg
    runs inside another program (a test's CliRunner), now."""
    now = time.monotonic()
    if Path(sys.argv[0]).name != "kg" and not sys.argv[0].endswith(("kg/__main__.py", "-m")):
        return now
    try:
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
    except (OSError, ValueError, IndexError):
        return now
    return now - min(max(age, 0.0), 3600.0)


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


GROUPED_AFTER = 3  # the same warning more often than this is one line, with its count


def echo_problems(problems: Sequence[Problem], quiet: bool, verbose: bool = False) -> None:
    """The problems on stderr: every error, each on its line; a warning (or merge) said the same
    of more than GROUPED_AFTER records once, with its count and first places, where it first
    occurs (-v: every one; -q: the errors only)."""
    groups: dict[tuple[Severity, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.severity, problem.message), []).append(problem)
    for problem in problems:
        if problem.severity is Severity.ERROR or verbose:
            click.echo(str(problem), err=True)
            continue
        if quiet:
            continue
        same = groups[problem.severity, problem.message]
        if len(same) <= GROUPED_AFTER:
            click.echo(str(problem), err=True)
        elif same[0] is problem:
            click.echo(grouped_line(same), err=True)


def grouped_line(same: Sequence[Problem]) -> str:
    """One line for a warning said of many records: ``warning: MESSAGE (N times: at A, B, C and
    N-3 more; -v lists every one)``."""
    first = ", ".join(_where(problem) for problem in same[:GROUPED_AFTER])
    more = len(same) - GROUPED_AFTER
    head = same[0]
    return (
        f"{head.severity.value}: {head.message} ({len(same):,} times: at {first} and {more:,} "
        "more; -v lists every one)"
    )


def _where(problem: Problem) -> str:
    where = str(problem.location)
    return f"{where} record {problem.record}" if problem.record else where


def echo_merges(merges: MergeReport, see: str) -> None:
    if merges.merged or merges.refused:
        click.echo(
            f"merged: {len(merges.merged)} works from "
            f"{sum(len(w.members) for w in merges.merged)} records, "
            f"{len(merges.conflicts)} conflicts, {len(merges.refused)} merges refused{see}",
            err=True,
        )
    if merges.same_as:  # published IRIs found to be one entity (kg.resolve.register)
        click.echo(
            f"identifier register: {len(merges.same_as)} published IRIs stated owl:sameAs the "
            f"IRI kept for their entity ({merges.new_same_as} found by this export){see}",
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

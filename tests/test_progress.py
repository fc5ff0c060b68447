"""The progress line: stage, count, rate and time left, in place; silent off a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.core.progress import Progress
from tests.conftest import EXAMPLE


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_stage_with_a_total_shows_rate_and_time_left() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock, interval=0.0)
    progress.stage("mapping works", total=1_000)
    clock.now += 2.0
    progress.advance(250)
    assert progress.line() == "mapping works: 250 of 1,000 (125/s, 6 s left)"
    clock.now += 60.0
    assert progress.line() == "mapping works: 250 of 1,000 (4/s, 3 min 6 s left)"
    assert stream.getvalue().split("\r")[1:] == [
        "mapping works: 0 of 1,000",
        "mapping works: 250 of 1,000 (125/s, 6 s left)",
    ]


def test_a_stage_without_a_total_counts_and_a_shorter_line_blanks_the_longer() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock, interval=0.0)
    progress.stage("reading records")
    clock.now += 1.0
    progress.advance(12_345)
    progress.stage("validating")
    last = stream.getvalue().split("\r")[-1]
    assert last.rstrip() == "validating: 0" and len(last) == len(
        "reading records: 12,345 (12,345/s)"
    )
    progress.done()
    assert stream.getvalue().endswith("\r" + " " * len(last) + "\r")


def test_updates_are_throttled() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock, interval=0.2)
    progress.stage("reading records")
    for _ in range(100):
        clock.now += 0.001
        progress.advance()
    assert stream.getvalue().count("\r") == 1  # only the stage's first line: 0.1 s passed
    clock.now += 0.2
    progress.advance()
    assert stream.getvalue().count("\r") == 2


def test_silent_without_a_stream_and_the_export_ends_with_a_summary(tmp_path: Path) -> None:
    silent = Progress(None)
    silent.stage("reading records", 10)
    silent.advance(5)
    silent.done()  # nothing to write to, nothing raised
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr  # not a terminal: no progress line
    assert re.search(r"^finished in \d+\.\d s; peak memory [\d,]+ MB$", result.stderr, re.M)
    quiet = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path), "-q"])
    assert quiet.stderr == ""


def test_verbose_logs_each_stage_as_it_ends_with_count_time_and_rate() -> None:
    log, clock = io.StringIO(), Clock()
    progress = Progress(None, clock=clock, log=log)
    progress.stage("reading records")
    clock.now += 2.0
    progress.advance(500)
    progress.stage("writing", total=1_000)
    clock.now += 4.0
    progress.advance(1_000)
    progress.stage("example queries")
    clock.now += 0.5
    progress.done()
    assert log.getvalue() == (
        "reading records: 500 in 2.0 s (250/s)\n"
        "writing: 1,000 in 4.0 s (250/s)\n"
        "example queries in 0.5 s\n"
    )
    progress.done()  # a second done logs nothing more
    assert log.getvalue().count("\n") == 3


def test_every_stage_of_an_export_counts_with_rate_and_time_left(tmp_path: Path) -> None:
    from kg.engines.local import export
    from kg.map.pipeline import ExportOptions
    from tests.conftest import EXAMPLES

    stream = io.StringIO()
    export(list(EXAMPLES), tmp_path, ExportOptions(workers=1), Progress(stream, interval=0.0))
    lines = stream.getvalue().split("\r")
    for stage in (
        "mapping works",
        "writing graph.ttl, graph.jsonld, graph.nt (triples)",
        "validating: core constraints (triples)",
        "validating: SPARQL constraints",
        "example queries",
    ):
        pattern = re.compile(rf"^{re.escape(stage)}: [\d,]+ of [\d,]+ \([\d,]+/s, [^)]+ left\)")
        assert any(pattern.match(line) for line in lines), (stage, lines)


def test_verbose_export_logs_every_stage_with_its_count(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path), "-v"])
    assert result.exit_code == 0, result.stderr
    logged = {
        line.split(": ")[0] if ": " in line else line.split(" in ")[0]: line
        for line in result.stderr.splitlines()
        if re.search(r" in \d+\.\d s", line)
    }
    for stage in ("reading records", "mapping works", "example queries"):
        assert re.match(rf"{stage}: [1-9][\d,]* in ", logged[stage]), logged
    assert re.match(
        r"writing graph.ttl, graph.jsonld, graph.nt \(triples\): [1-9]",
        logged["writing graph.ttl, graph.jsonld, graph.nt (triples)"],
    )
    assert re.search(
        r"^validating: core constraints \(triples\): [1-9][\d,]* in ", result.stderr, re.M
    )

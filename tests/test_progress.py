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

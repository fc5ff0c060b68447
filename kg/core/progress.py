"""A progress line on a terminal: the stage, how far it is, the rate and the time left.

Silent when there is no stream (not a terminal, or --quiet): a log file gets no carriage returns.
With a ``log`` stream (``-v``), each stage also leaves one line there when it ends: its count,
time and rate, so a log file records how long each stage took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """One line, rewritten in place at most every ``interval`` seconds."""

    def __init__(
        self,
        stream: TextIO | None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.2,
        log: TextIO | None = None,
    ) -> None:
        self.stream = stream
        self.log = log
        self.clock = clock
        self.interval = interval
        self.name = ""
        self.total: int | None = None
        self.count = 0
        self.started = self.shown_at = 0.0
        self.width = 0  # of the last line, to blank what a shorter one leaves behind

    def stage(self, name: str, total: int | None = None) -> None:
        """Start a stage: ``total`` items when known. The stage before it ends."""
        self._log_stage()
        self.name, self.total, self.count = name, total, 0
        self.started = self.clock()
        self._show()

    def advance(self, count: int = 1) -> None:
        self.count += count
        if self.clock() - self.shown_at >= self.interval:
            self._show()

    def done(self) -> None:
        """End the stage, and blank the line, so what is printed next starts clean."""
        self._log_stage()
        self.name = ""
        self._blank()

    def _blank(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def _log_stage(self) -> None:
        """The stage that ends, as one line in the log: ``validating: 1,234 in 2.5 s (494/s)``."""
        if self.log is None or not self.name:
            return
        elapsed = max(self.clock() - self.started, 0.0)
        text = self.name
        if self.count or self.total is not None:
            text += f": {self.count:,}"
        if self.total is not None and self.total != self.count:
            text += f" of {self.total:,}"
        text += f" in {elapsed:.1f} s"
        if self.count and elapsed > 0:
            text += f" ({self.count / elapsed:,.0f}/s)"
        self._blank()
        self.log.write(text + "\n")
        self.log.flush()

    def line(self) -> str:
        """The line as it would be shown now."""
        elapsed = max(self.clock() - self.started, 1e-9)
        text = f"{self.name}: {self.count:,}"
        if self.total is not None:
            text += f" of {self.total:,}"
        if self.count:
            rate = self.count / elapsed
            text += f" ({rate:,.0f}/s"
            if self.total is not None and self.count < self.total:
                text += f", {_duration((self.total - self.count) / rate)} left"
            text += ")"
        return text

    def _show(self) -> None:
        if self.stream is None:
            return
        self.shown_at = self.clock()
        text = self.line()
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))


def _duration(seconds: float) -> str:
    """``42 s``, ``3 min 5 s`` or ``2 h 10 min``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"

"""Sorting more strings than fit in memory: sorted runs on disk, merged with ``heapq.merge``.

An export's triples are gathered as sort keys (kg.map.sorted_graph). They are kept in memory up to
``run_entries`` at a time, then sorted and spilled to a run file; reading them back merges the
runs, and drops duplicates, in one pass. The result is the same whatever the run size: only the
memory and the number of files change.
"""

from __future__ import annotations

import heapq
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

SCRATCH_PREFIX = ".kg-scratch-"
RUN_ENTRIES = 400_000  # about 100 MB of keys in memory; a million records spill ~150 runs
_BLOCK = 4096  # entries pickled together: one pickle call per block keeps reading fast


class ScratchFolder:
    """A folder for temporary files, with the most disk it took at any time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.peak_bytes = 0
        self._count = 0

    def new_file(self, stem: str, suffix: str = "") -> Path:
        self._count += 1
        return self.path / f"{stem}-{self._count:05d}{suffix}"

    def measure(self) -> None:
        """Note the folder's size now (called after each file is written)."""
        self.peak_bytes = max(self.peak_bytes, _size(self.path))


def _size(folder: Path) -> int:
    """Bytes in ``folder`` and the folders in it (a store is a folder of files)."""
    total = 0
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            total += _size(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            total += entry.stat(follow_symlinks=False).st_size
    return total


@contextmanager
def scratch_folder(parent: Path | None = None) -> Iterator[ScratchFolder]:
    """A fresh folder under ``parent`` (default: TMPDIR), removed however the block ends,
    Ctrl-C included; so is ``parent`` if this made it and nothing else was written there."""
    made_parent = parent is not None and not parent.exists()
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=parent))
    try:
        yield ScratchFolder(path)
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if made_parent and parent is not None and not any(parent.iterdir()):
            parent.rmdir()


class SortedRuns:
    """Strings added in any order, read back sorted and each once."""

    def __init__(self, scratch: ScratchFolder, run_entries: int = RUN_ENTRIES) -> None:
        self._scratch = scratch
        self._run_entries = max(1, run_entries)
        self._buffer: list[str] = []
        self._runs: list[Path] = []

    def add(self, entry: str) -> None:
        self._buffer.append(entry)
        if len(self._buffer) >= self._run_entries:
            self._spill()

    def extend(self, entries: Iterable[str]) -> None:
        self._buffer.extend(entries)
        if len(self._buffer) >= self._run_entries:
            self._spill()

    def _spill(self) -> None:
        path = self._scratch.new_file("run")
        with path.open("wb") as stream:
            write_sorted_unique(sorted(self._buffer), stream)
        self._buffer = []
        self._runs.append(path)
        self._scratch.measure()

    def merged(self) -> Iterator[str]:
        """Every entry added, sorted, duplicates dropped; the runs are deleted as read."""
        in_memory = unique(sorted(self._buffer))
        self._buffer = []
        runs, self._runs = self._runs, []
        try:
            yield from unique(heapq.merge(in_memory, *(read_entries(path) for path in runs)))
        finally:
            for path in runs:
                path.unlink(missing_ok=True)


def escape_part(text: str) -> str:
    """A part of an entry whose parts are joined by NUL: NUL (and \\x01, the escape) inside it
    are escaped in a way that keeps the order of strings: \\x00 -> \\x01\\x01, \\x01 -> \\x01\\x02.
    Joined entries then sort as the tuples of their parts would."""
    if "\x00" in text or "\x01" in text:
        return text.replace("\x01", "\x01\x02").replace("\x00", "\x01\x01")
    return text


_ESCAPED = re.compile("\x01(.)", re.DOTALL)


def unescape_part(text: str) -> str:
    if "\x01" in text:
        return _ESCAPED.sub(lambda m: "\x00" if m.group(1) == "\x01" else "\x01", text)
    return text


def unique(entries: Iterable[str]) -> Iterator[str]:
    """Sorted ``entries`` without repeats."""
    previous = None
    for entry in entries:
        if entry != previous:
            yield entry
            previous = entry


def write_sorted_unique(entries: Iterable[str], stream: BinaryIO) -> int:
    """Write sorted ``entries``, each once, as a run file; returns how many were written."""
    block: list[str] = []
    written = 0
    for entry in unique(entries):
        block.append(entry)
        if len(block) == _BLOCK:
            pickle.dump(block, stream, protocol=pickle.HIGHEST_PROTOCOL)
            written += len(block)
            block = []
    if block:
        pickle.dump(block, stream, protocol=pickle.HIGHEST_PROTOCOL)
        written += len(block)
    return written


def read_entries(path: Path) -> Iterator[str]:
    """The entries of a run file, in order (only kg's own scratch files are read this way)."""
    with path.open("rb") as stream:
        while True:
            try:
                block: list[str] = pickle.load(stream)
            except EOFError:
                return
            yield from block

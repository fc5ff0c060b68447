"""Standard input as an input file: ``-`` on the command line, as riot, rdfpipe and csvkit read it.

Standard input can be read once, so its bytes are read on first use and kept for the rest of the
command (the export reads an input twice: its lines, then its checksum for the provenance). The
bytes are kept for the stream they came from: a later command in the same process (a test's
CliRunner) with another standard input reads that one.

Messages name it :data:`LABEL`; the dataset description calls it :data:`PROVENANCE_NAME`, a name
that does not depend on where the export ran, so the output stays deterministic.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from kg.errors import InputError, UsageError

DASH: Final = "-"
LABEL: Final = "<stdin>"  # how messages name it
PROVENANCE_NAME: Final = "stdin"  # how the dataset description names it

# The stream last read, and its bytes. The stream itself is kept (not its id, which a new
# stream could reuse once the old one is gone), so a new standard input is never mistaken for it.
_read: list[tuple[object, bytes]] = []


def is_stdin(path: Path | str) -> bool:
    """Is ``path`` the ``-`` that names standard input?"""
    return str(path) == DASH


def label(path: Path) -> str:
    """The name of ``path`` in messages: as given on the command line, or ``<stdin>``."""
    return LABEL if is_stdin(path) else str(path)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or of standard input for ``-`` (read once, then remembered)."""
    if not is_stdin(path):
        return path.read_bytes()
    stream = sys.stdin
    if _read and _read[0][0] is stream:
        return _read[0][1]
    if stream is None or stream.isatty():
        raise InputError(f"{LABEL}: standard input is a terminal; pipe the input in or name a file")
    buffer = getattr(stream, "buffer", None)
    data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
    _read[:] = [(stream, data)]
    return data


def check_once(paths: Iterable[Path]) -> None:
    """Standard input holds one input: ``-`` named twice is a usage error."""
    if sum(1 for path in paths if is_stdin(path)) > 1:
        raise UsageError("'-' (standard input) is named more than once; it can be read once")

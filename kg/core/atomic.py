"""Atomic file writes: readers of a path see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_text_writer(path: Path) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename.

    UTF-8, LF line ends. If the block raises, the temporary file is removed and ``path`` is
    left as it was. An OSError while writing (a full disk, a quota, an I/O error) names
    ``path``, the file the user asked for, not the temporary file or none at all: ``write`` and
    ``fsync`` say only "No space left on device".
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)
        temporary.replace(path)
    except OSError as error:
        _remove(temporary)
        if _names_another_file(error, path):
            raise
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: Path | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):  # the error being raised says more than this one
            temporary.unlink(missing_ok=True)


def _names_another_file(error: OSError, path: Path) -> bool:
    """Whether ``error`` is about a file other than ``path`` and its temporary file (the block
    may read other files while it writes): such an error already says which."""
    if not isinstance(error.filename, str | bytes):
        return False
    named = Path(os.fsdecode(error.filename))
    ours = named.parent == path.parent and named.name.startswith(f".{path.name}.")
    return not ours and named != path


def write_text_atomically(path: Path, text: str) -> None:
    with atomic_text_writer(path) as stream:
        stream.write(text)

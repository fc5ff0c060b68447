"""Atomic file writes: readers of a path see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
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


SITE_MARK = ".kg-site"  # the file that says a folder is a site kg wrote


@contextlib.contextmanager
def atomic_folder(path: Path, mark: str) -> Iterator[Path]:
    """Fill a temporary folder beside ``path``; on success it takes ``path``'s place.

    For a folder of many files (a site), where a rename per file would cost an fsync each: the
    files are written into the temporary folder, and the folder is renamed into place. An old
    folder at ``path`` is moved aside first and removed afterwards, so a reader sees the old
    folder or the new one (or, between the two renames, none). ``path`` must be absent, empty,
    or a folder holding ``mark`` (one this function wrote before): anything else is someone
    else's folder and is never removed. If the block raises, the temporary folder is removed.
    """
    if path.exists() and not (
        path.is_dir() and (not any(path.iterdir()) or (path / mark).is_file())
    ):
        raise FileExistsError(
            errno.EEXIST,
            "exists and is not a folder kg wrote: give a new or empty folder",
            str(path),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield temporary
        (temporary / mark).write_text("written by kg; kg may replace this folder\n", "utf-8")
        temporary.chmod(0o755)
        aside: Path | None = None
        if path.exists():
            aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            aside.rmdir()
            path.rename(aside)
        temporary.rename(path)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise

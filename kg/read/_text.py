"""Turning an input file's bytes into lines, with errors that name the line."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.core import stdin
from kg.core.encoding import file_kind, guess_encoding
from kg.core.text import code_points, control_characters, remove_control_characters
from kg.errors import InputError


def read_lines(path: Path, label: str, encoding: str | None = None) -> list[str]:
    """Decode ``path`` (``-``: standard input) into lines without line ends or trailing blanks.

    UTF-8 (BOM optional) unless ``encoding`` names another codec (``--encoding``). LF, CRLF and
    CR line ends are all accepted. A PDF (or another file that is not text) is named as such;
    an undecodable byte is an error naming its line and offset and, for UTF-8, the encoding the
    bytes look like (:mod:`kg.core.encoding`); nothing is decoded by guesswork.
    """
    with _open_bytes(path, label) as stream:
        data = stream.read()
    kind = file_kind(data)
    if kind is not None:
        raise InputError(
            f"{label}: is {kind}, not a bibliographic export; export the records from the "
            "database or reference manager as RIS, BibTeX, MEDLINE, CSL-JSON or Crossref JSON"
        )
    codec = "utf-8-sig" if encoding is None or _is_utf8(encoding) else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(_undecodable(data, error, label, encoding)) from None
    # Only CR LF, LF and CR end lines: str.splitlines would also split on U+2028, form feeds
    # and other characters editors do not count, and line numbers would stop matching.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


_CHUNK_BYTES = 1 << 20


def stream_lines(path: Path, label: str, encoding: str | None = None) -> Iterator[str]:
    """The lines :func:`read_lines` gives, decoded a megabyte at a time: a reader that takes
    its lines in order (RIS) holds one record's, not the file's (gigabytes at a million records).

    The same checks, in the same words: a file that is not text fails before any line is given;
    an undecodable byte fails where it is met, with the message :func:`read_lines` gives.
    """
    codec = "utf-8-sig" if encoding is None or _is_utf8(encoding) else encoding
    with _open_bytes(path, label) as stream:
        first = stream.read(_CHUNK_BYTES)
        kind = file_kind(first)
        if kind is not None:
            read_lines(path, label, encoding)  # raises the error naming what the file is
        decoder = codecs.getincrementaldecoder(codec)()
        pending = ""  # text after the last line end read so far
        chunk = first
        while True:
            final = not chunk
            try:
                text = pending + decoder.decode(chunk, final=final)
            except UnicodeDecodeError:
                read_lines(path, label, encoding)  # raises the error naming line and byte
                raise  # pragma: no cover - read_lines raised already
            # A CR ending the chunk may be half of a CR LF: keep it for the next chunk.
            keep_cr = not final and text.endswith("\r")
            if keep_cr:
                text = text[:-1]
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            pending = lines.pop()
            if keep_cr:
                pending += "\r"
            for line in lines:
                yield line.rstrip()
            if final:
                break
            chunk = stream.read(_CHUNK_BYTES)
        if pending:
            yield pending.rstrip()


def _open_bytes(path: Path, label: str) -> BinaryIO:
    if stdin.is_stdin(path):
        return io.BytesIO(stdin.read_bytes(path))
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory, not a file") from None
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror}") from None


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _undecodable(data: bytes, error: UnicodeDecodeError, label: str, encoding: str | None) -> str:
    """The line, offset and byte that do not decode, and what to do about it."""
    line = data[: error.start].decode(error.encoding, errors="replace").count("\n") + 1
    where = f"byte 0x{data[error.start]:02x} at offset {error.start}"
    if encoding is not None and not _is_utf8(encoding):
        return f"{label}:{line}: cannot decode as {encoding} ({where}); is that its encoding?"
    guess = guess_encoding(data)
    if guess is None:
        advice = "name its encoding with --encoding (or save the file as UTF-8)"
    elif guess.codec is None:
        advice = f"it looks like {guess.description}: correct that line, or save it as UTF-8"
    else:
        advice = f"it looks like {guess.description}: try --encoding {guess.codec}"
    return f"{label}:{line}: not UTF-8 text ({where}); {advice}"


def without_control_characters(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """The lines without :data:`~kg.core.text.CONTROL_CHARACTERS`, and for each 0-based line
    index that held some, a warning saying which (for the reader to report with its record
    number)."""
    cleaned: list[str] = []
    removed: dict[int, str] = {}
    for index, line in enumerate(lines):
        found = control_characters(line)
        if found:
            removed[index] = f"removed control characters ({code_points(found)}) from this line"
            line = remove_control_characters(line)
        cleaned.append(line)
    return cleaned, removed

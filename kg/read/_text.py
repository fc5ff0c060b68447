"""Turning an input file's bytes into lines, with errors that name the line."""

from __future__ import annotations

from pathlib import Path

from kg.core.text import code_points, control_characters, remove_control_characters
from kg.errors import InputError

_BOM = b"\xef\xbb\xbf"


def read_lines(path: Path, label: str) -> list[str]:
    """Decode ``path`` as UTF-8 (BOM optional) into lines without line ends or trailing blanks.

    LF, CRLF and CR line ends are all accepted. An undecodable byte is an error naming its line.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory, not a file") from None
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror}") from None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{label}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); save the file as UTF-8 and try again"
        ) from None
    # Only CR LF, LF and CR end lines: str.splitlines would also split on U+2028, form feeds
    # and other characters editors do not count, and line numbers would stop matching.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


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

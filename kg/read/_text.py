"""Turning an input file's bytes into lines, with errors that name the line."""

from __future__ import annotations

import re
from pathlib import Path

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


# C0 controls and DEL, but not tab: no bibliographic text means them, and RDF writers would have
# to escape them (a NUL in a name is an export glitch, not a name).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """The lines with control characters removed, and for each 0-based line index that held
    some, a warning saying which (for the reader to report with its record number)."""
    cleaned: list[str] = []
    removed: dict[int, str] = {}
    for index, line in enumerate(lines):
        found = sorted(set(_CONTROL.findall(line)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            removed[index] = f"removed control characters ({names}) from this line"
            line = _CONTROL.sub("", line)
        cleaned.append(line)
    return cleaned, removed

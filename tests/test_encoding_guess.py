"""The guess kg makes about bytes that are not UTF-8 (kg/core/encoding.py), and standard input
read once (kg/core/stdin.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.core import stdin
from kg.core.encoding import MIXED, file_kind, guess_encoding
from kg.errors import InputError

TEXT = "TY  - JOUR\nAU  - Müller, Jürgen\nTI  - “Peer work” – a review\nER  - \n"


@pytest.mark.parametrize(
    ("data", "description", "codec"),
    [
        (TEXT.encode("cp1252"), "Windows-1252", "cp1252"),
        (
            TEXT.replace("“", '"').replace("”", '"').replace("–", "-").encode("latin-1"),
            "Latin-1 or Windows-1252",
            "cp1252",
        ),
        (TEXT.encode("utf-16"), "UTF-16 (it starts with a byte-order mark)", "utf-16"),
        (
            TEXT.encode("utf-16-le"),
            "UTF-16 without a byte-order mark",
            "utf-16-le",
        ),
        (TEXT.encode("utf-16-be"), "UTF-16 without a byte-order mark", "utf-16-be"),
    ],
)
def test_the_likely_encoding(data: bytes, description: str, codec: str) -> None:
    guess = guess_encoding(data)
    assert guess is not None and (guess.description, guess.codec) == (description, codec)
    assert data.decode(codec).replace("\ufeff", "").startswith("TY  - JOUR")


def test_no_guess_for_bytes_windows_1252_leaves_undefined() -> None:
    assert guess_encoding(b"TI  - caf\x81 \x8d\n") is None


def test_utf_8_beside_other_bytes_is_a_mix() -> None:
    assert guess_encoding("Grün ".encode() + "Grün".encode("latin-1")) is MIXED


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        (b"%PDF-1.7\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive (a .docx, .xlsx or .zip file?)"),
        (b"\x1f\x8b\x08\x00", "a gzip-compressed file (decompress it first)"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"TY  - JOUR\n", None),
    ],
)
def test_files_that_are_not_text(start: bytes, kind: str | None) -> None:
    assert file_kind(start + bytes(20)) == kind


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_standard_input_on_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal())
    with pytest.raises(InputError, match=r"^<stdin>: standard input is a terminal; pipe"):
        stdin.read_bytes(Path("-"))


def test_standard_input_is_read_once_and_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"TY  - JOUR\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stream)
    assert stdin.read_bytes(Path("-")) == b"TY  - JOUR\n"
    assert stdin.read_bytes(Path("-")) == b"TY  - JOUR\n"  # the stream is at its end by now
    assert stdin.label(Path("-")) == "<stdin>" and stdin.label(Path("a.ris")) == "a.ris"

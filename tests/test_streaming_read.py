"""Inputs decoded a megabyte at a time: the same lines as decoding the whole file, and a reader
that streams (RIS) holding one record, not the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.read._text as text_module
from kg.core.records import Record
from kg.errors import InputError
from kg.read import open_input
from kg.read._text import read_lines, stream_lines

_PIECES = st.lists(
    st.sampled_from(["a", "é", "\r", "\n", "\r\n", " ", "TY  - JOUR", "\t", "😀", "\ufeff"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(pieces=_PIECES, bom=st.booleans(), chunk=st.integers(min_value=1, max_value=7))
def test_streamed_lines_equal_whole_file_lines(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[str], bom: bool, chunk: int
) -> None:
    """Line ends split between chunks (CR | LF), multi-byte characters split between chunks
    and a byte-order mark give the lines read_lines gives."""
    path = tmp_path_factory.mktemp("lines") / "input.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(pieces).encode("utf-8"))
    original = text_module._CHUNK_BYTES
    text_module._CHUNK_BYTES = chunk
    try:
        streamed = list(stream_lines(path, "input.txt"))
    finally:
        text_module._CHUNK_BYTES = original
    assert streamed == read_lines(path, "input.txt")


def test_an_undecodable_byte_is_the_whole_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "latin.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - ok\nER  - \n" * 5 + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n")
    monkeypatch.setattr(text_module, "_CHUNK_BYTES", 16)
    with pytest.raises(InputError) as streamed:
        list(stream_lines(path, "latin.ris"))
    with pytest.raises(InputError) as whole:
        read_lines(path, "latin.ris")
    assert str(streamed.value) == str(whole.value)
    assert "latin.ris:17: not UTF-8 text (byte 0xe9 at offset 155)" in str(streamed.value)


def test_ris_records_are_read_before_the_rest_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first records come out before the file's end is decoded: the proof that the reader
    is given lines as they are decoded. (The bad byte at the end still fails the input.)"""
    path = tmp_path / "big.ris"
    record = b"TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
    path.write_bytes(record * 3000 + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n")
    monkeypatch.setattr(text_module, "_CHUNK_BYTES", 4096)
    reader, items = open_input(path)
    assert reader.name == "ris"
    first = next(items)
    assert isinstance(first, Record) and first.title == "A title"
    read_before_error = 1
    with pytest.raises(InputError, match="not UTF-8"):
        for item in items:
            read_before_error += isinstance(item, Record)
    assert 2900 < read_before_error < 3000


def test_a_ris_file_longer_than_the_head_is_told_by_its_head(tmp_path: Path) -> None:
    path = tmp_path / "long.ris"
    path.write_text("TY  - JOUR\nTI  - T\nER  - \n\n" * 1000, encoding="utf-8")
    reader, items = open_input(path)
    assert reader.name == "ris" and sum(isinstance(i, Record) for i in items) == 1000


def test_a_long_json_file_is_still_told_from_all_of_it(tmp_path: Path) -> None:
    """CSL-JSON's sniffer may look past the head: the file is read whole for it."""
    items = ",\n".join(
        f'{{"id": "w{n}", "type": "article-journal", "title": "T",\n'
        ' "author": [{"family": "Doe", "given": "J"}],\n'
        ' "issued": {"date-parts": [[2020]]}}'
        for n in range(1000)
    )
    path = tmp_path / "items.json"
    path.write_text(f"[\n{items}\n]\n", encoding="utf-8")
    reader, read_items = open_input(path)
    assert reader.name == "csl-json"
    assert sum(isinstance(i, Record) for i in read_items) == 1000

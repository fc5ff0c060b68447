"""Junk in, clear problems out: mangled pages never raise anything but InputError, and every
record is either written or reported."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.core.records import Record
from kg.errors import InputError
from kg.map.pipeline import ExportOptions, build_graph
from kg.read import open_input
from tests.conftest import EXAMPLE

LINES = EXAMPLE.read_text(encoding="utf-8").split("\n")
JUNK = ["", "Abstract", "Details", "Keywords", "Purpose", "Findings", "Publication date:",
        "Publication date: 32 Smarch 2020", "Type:", "ISSN: 1755-6229", "ISBN: 978-0",
        "vol. no.", "\x00\x07", "Article", "Book part", "1 – 10 of 10", "9" * 40, "…",
        "Journal, vol. 1 no. 1", "  ", "\u202e\u200b", "é" * 5000]  # fmt: skip


def mangle(rng: random.Random) -> list[str]:
    lines = list(LINES)
    for _ in range(rng.randint(1, 12)):
        action = rng.randrange(5)
        at = rng.randrange(len(lines) + 1)
        if action == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == 1:
            lines.insert(at, rng.choice(JUNK))
        elif action == 2 and lines:
            lines.insert(at, rng.choice(lines))
        elif action == 3 and len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[: max(at, 1)]  # truncated file
    return lines


@pytest.mark.parametrize("seed", range(60))
def test_mangled_pages_fail_cleanly(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    page = tmp_path / "mangled.txt"
    page.write_text("\n".join(mangle(rng)), encoding="utf-8")
    try:
        _, items = open_input(page)
        found = list(items)
    except InputError as error:
        assert str(error).startswith(str(page))
        return
    records = [item for item in found if isinstance(item, Record)]
    problems = [item for item in found if not isinstance(item, Record)]
    for problem in problems:
        assert str(problem).startswith(f"{page}:{problem.location.line}")
    built = build_graph([page], ExportOptions())
    assert built.counts.read == built.counts.written + built.counts.rejected
    assert built.counts.written <= len(records)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xef\xbb\xbf",
        b"\n\n\n",
        b"\xff\xfe\x00A\x00",
        b"Article\nPublication date: 1 May 2013\n",
    ],
)
def test_degenerate_files(tmp_path: Path, data: bytes) -> None:
    page = tmp_path / "odd.txt"
    page.write_bytes(data)
    try:
        built = build_graph([page], ExportOptions(input_format="search-page"))
    except InputError as error:
        assert str(error).startswith(str(page))
    else:
        assert built.counts.read == built.counts.written + built.counts.rejected

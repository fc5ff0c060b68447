"""Every real export under ../shared/real-inputs goes through `kg export` end to end.

The files are other people's exports (see SOURCES.md there), read in place. Each must read with
no traceback, give the record count SOURCES.md states (read = written + rejected), be detected as
its format by content, and end with the exit code its content calls for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.read import detect
from kg.read._text import read_lines
from tests.conftest import real_input

# file, format detected, records (SOURCES.md), rejected, exit code, why that exit code
REAL_FILES = [
    ("ris/scopus-export-asreview-baseline.ris", "ris", 10, 0, 0, "conforms"),
    ("ris/webofscience-export-asreview-baseline.ris", "ris", 10, 0, 0, "conforms"),
    ("ris/zotero-export-asreview-baseline-crlf.ris", "ris", 10, 0, 0, "conforms"),
    ("ris/pubmed-medline-nbib-named-ris.ris", "medline", 50, 0, 0, "MEDLINE under a .ris name"),
    ("bibtex/scopus-bibtex-export-lab-publications.bib", "bibtex", 62, 0, 0, "conforms"),
    # four entries are empty (`@article{__????,}` and the like): rejected, reported, exit 2
    ("bibtex/zotero-2014-bibtex-export-personal-library-messy.bib", "bibtex", 128, 4, 2, "empty"),
    # Zotero lists some authors twice in one list: each is kept once (warned), so it conforms
    ("csl-json/zotero-csl-json-export-personal-publications.json", "csl-json", 13, 0, 0, "dups"),
    ("crossref/works-orcid-filter-fmuro.json", "crossref", 4, 0, 0, "conforms"),
    ("crossref/works-query-rotating-machinery-compact.json", "crossref", 20, 0, 0, "conforms"),
]


@pytest.mark.parametrize(
    ("relative", "fmt", "records", "rejected", "exit_code", "why"),
    REAL_FILES,
    ids=[row[0].split("/")[1] for row in REAL_FILES],
)
def test_real_export_reads_end_to_end(
    tmp_path: Path, relative: str, fmt: str, records: int, rejected: int, exit_code: int, why: str
) -> None:
    path = real_input(relative)
    assert detect(read_lines(path, str(path)), str(path)).name == fmt
    result = CliRunner().invoke(
        main, ["export", str(path), "--out", str(tmp_path), "--workers", "1"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    summary = f"{records} records read: {records - rejected} written, {rejected} rejected"
    assert summary in result.stderr, result.stderr[-2000:]
    assert result.exit_code == exit_code, (why, result.stderr[-2000:])
    for line in result.stderr.splitlines():  # every problem names the file and line
        if ": error: " in line or ": warning: " in line:
            assert line.startswith(f"{path}:"), line


def test_real_zotero_bibtex_rejects_only_its_empty_entries(tmp_path: Path) -> None:
    path = real_input("bibtex/zotero-2014-bibtex-export-personal-library-messy.bib")
    result = CliRunner().invoke(
        main, ["export", str(path), "--out", str(tmp_path), "--workers", "1"]
    )
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 4
    assert all("has no fields" in line for line in errors), errors


def test_real_csl_json_repeated_authors_are_one_author_in_reader_shapes_and_convert(
    tmp_path: Path,
) -> None:
    """47 author entries for 42 people: kept once each, at the first place, everywhere."""
    path = real_input("csl-json/zotero-csl-json-export-personal-publications.json")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.stderr[-2000:]
    repeated = (
        "warning: author list names the same person more than once (kept once, at the first place)"
    )
    assert result.stderr.count(repeated) == 3
    assert f"{path}:13 ([0].author): record 1: {repeated}: Manimozhiyan Arumugam (21, 40)" in (
        result.stderr
    )
    report = (out / "validation.txt").read_text(encoding="utf-8")
    assert "a source that lists one person twice shows here" not in report
    converted = tmp_path / "works.json"
    result = CliRunner().invoke(
        main, ["convert", str(out / "graph.ttl"), "--to", "csl-json", "--out", str(converted)]
    )
    assert result.exit_code == 0, result.output
    works = json.loads(converted.read_text(encoding="utf-8"))
    cell = next(w for w in works if w.get("DOI") == "10.1016/j.cell.2024.10.022")
    assert len(cell["author"]) == 42

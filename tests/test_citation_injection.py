"""Crafted values cannot add fields, entries or records to what `kg convert` writes: each writer's
output is read back by an independent parser (pybtex for BibTeX, rispy for RIS, citeproc-py for
CSL-JSON) and by kg's own reader, and holds the one work with the values as they were."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pybtex.database
import pytest
import rispy
from citeproc.source.json import CiteProcJSON

from kg.cite.bibtex import write_bibtex
from kg.cite.csl_json import write_csl_json
from kg.cite.ris import write_ris
from kg.cite.works import Agent, CitedWork, Journal, one_line
from kg.core.records import PartialDate, Record, WorkKind
from kg.read import bibtex, csl_json, ris
from kg.read._text import read_lines

CRAFTED = [
    'Peer support}, url = "http://evil.example/payload", note = "injected"',
    "Peer support\\}, note = {injected}",
    "Peer support}}}} @misc{evil, title = {x}} @comment{",
    "Peer support {{{{ unclosed",
    "Peer support } and { reversed",
    "Peer support ending in a backslash \\",
    'Peer support", note = "injected',
    "Peer support % a comment } after it",
    "Peer support \\textbraceright{} spelt out",
    "Peer support\nER  - \nTY  - JOUR\nTI  - injected record",
    "Peer support\r\nKW  - injected\u2028AB  - x\x85UR  - y\x1cN1  - z",
    'Peer support"}, {"id": "evil", "title": "injected',
]


def crafted_work(value: str) -> CitedWork:
    """One article with ``value`` in every free-text field (and a benign DOI and date)."""
    return CitedWork(
        iri="https://example.org/kg/work/1",
        kind=WorkKind.ARTICLE,
        title=value,
        authors=(
            Agent(name=f"Ann {value}", given="Ann", family=value),
            Agent(name=value, organization=True),
        ),
        published=PartialDate(2020, 5, 17),
        doi="10.5555/12345",
        abstract=f"{value}\n\n{value}",
        keywords=(value, "peer support"),
        genre=value,
        publisher=value,
        url=f"https://example.org/{value}",
        journal=Journal(name=value, volume=value, issue=value, short_name=value),
        page_start=value,
    )


BENIGN = crafted_work("Plain words")


def read_with_kg(reader: ModuleType, text: str, suffix: str, folder: Path) -> list[Record]:
    path = folder / f"converted{suffix}"
    path.write_text(text, encoding="utf-8")
    items = reader.read(read_lines(path, path.name), path.name)
    return [item for item in items if isinstance(item, Record)]


@pytest.mark.parametrize("value", CRAFTED)
def test_bibtex_fields_cannot_be_ended_early(value: str, tmp_path: Path) -> None:
    text = write_bibtex([crafted_work(value)])
    expected = pybtex.database.parse_string(write_bibtex([BENIGN]), "bibtex")
    parsed = pybtex.database.parse_string(text, "bibtex")
    assert len(parsed.entries) == 1
    (entry,) = parsed.entries.values()
    (benign,) = expected.entries.values()
    assert sorted(entry.fields) == sorted(benign.fields)
    assert len(entry.persons["author"]) == 2
    assert "injected" not in entry.fields.get("note", "")
    (record,) = read_with_kg(bibtex, text, ".bib", tmp_path)
    assert record.title == one_line(value)
    assert list(record.keywords) == [one_line(value), "peer support"]


@pytest.mark.parametrize("value", CRAFTED)
def test_ris_tags_cannot_be_started_inside_a_value(value: str, tmp_path: Path) -> None:
    (record,) = rispy.loads(write_ris([crafted_work(value)]))
    (benign,) = rispy.loads(write_ris([BENIGN]))
    assert sorted(record) == sorted(benign)
    assert record["title"] == one_line(value)
    assert record["keywords"] == [one_line(value), "peer support"]
    assert len(record["authors"]) == 2
    (read,) = read_with_kg(ris, write_ris([crafted_work(value)]), ".ris", tmp_path)
    assert read.title == one_line(value)


@pytest.mark.parametrize("value", CRAFTED)
def test_csl_json_values_stay_values(value: str, tmp_path: Path) -> None:
    text = write_csl_json([crafted_work(value)])
    items = json.loads(text)
    source = CiteProcJSON(items)
    assert list(source) == ["https://example.org/kg/work/1"]
    reference = source["https://example.org/kg/work/1"]
    assert reference["title"] == [one_line(value)]
    benign = CiteProcJSON(json.loads(write_csl_json([BENIGN])))["https://example.org/kg/work/1"]
    assert sorted(reference) == sorted(benign)
    (read,) = read_with_kg(csl_json, text, ".json", tmp_path)
    assert read.title == one_line(value)

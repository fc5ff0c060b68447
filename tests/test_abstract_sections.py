"""Structured abstracts under any heading: the seven Emerald headings and every other one.

A Crossref or CSL-JSON abstract whose JATS section heading was not one of the seven once made
`kg export` die with a traceback; section kinds are now one vocabulary the readers and the mapping
share, and an unknown heading is kept as an ordered section of a general kind with its own label.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.namespaces import KG, SCHEMA
from kg.core.records import SectionKind

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JATS = (
    "<jats:sec><jats:title>Background</jats:title><jats:p>Why it matters.</jats:p></jats:sec>"
    "<jats:sec><jats:title>FINDINGS</jats:title><jats:p>What was found.</jats:p></jats:sec>"
    "<jats:sec><jats:title>Aims</jats:title><jats:p>What it set out to do.</jats:p></jats:sec>"
    "<jats:sec><jats:title>Setting</jats:title><jats:p>Where.</jats:p></jats:sec>"
)


def test_a_heading_names_its_kind_whatever_its_case() -> None:
    assert SectionKind.of("Findings") is SectionKind.FINDINGS
    assert SectionKind.of("  design/METHODOLOGY/approach ") is SectionKind.DESIGN
    assert SectionKind.of("Background") is SectionKind.OTHER
    assert SectionKind.of("") is SectionKind.OTHER


def _crossref_with_jats(tmp_path: Path) -> Path:
    document = json.loads((EXAMPLES / "peer-support-crossref.json").read_text(encoding="utf-8"))
    document["message"]["items"][0]["abstract"] = JATS
    path = tmp_path / "works.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _csl_with_jats(tmp_path: Path) -> Path:
    items = json.loads((EXAMPLES / "peer-support-csl.json").read_text(encoding="utf-8"))
    items[0]["abstract"] = JATS
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


@pytest.mark.parametrize("write_input", [_crossref_with_jats, _csl_with_jats])
def test_sections_under_other_headings_are_kept_in_order(
    tmp_path: Path, write_input: Callable[[Path], Path]
) -> None:
    source = write_input(tmp_path)
    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", str(source), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    store = ox.Store()
    store.load(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    rows = store.query(
        f"""SELECT ?position ?name ?kind ?text WHERE {{
              ?section <{KG.position}> ?position ; <{SCHEMA.name}> ?name ;
                       <{KG.sectionKind}> ?kind ; <{SCHEMA.text}> ?text .
              ?work <{KG.abstractSection}> ?section .
            }} ORDER BY ?position"""
    )
    sections = [
        (int(row["position"].value), row["name"].value, row["kind"].value, row["text"].value)
        for row in rows
    ]
    assert sections == [
        (1, "Background", str(KG.OtherSection), "Why it matters."),
        (2, "FINDINGS", str(KG.Findings), "What was found."),
        (3, "Aims", str(KG.OtherSection), "What it set out to do."),
        (4, "Setting", str(KG.OtherSection), "Where."),
    ]
    assert "does not conform" not in result.output

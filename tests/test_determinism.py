"""Byte-identical output across runs and hash seeds, checked in separate processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.resolve.register import REGISTER_FILE
from tests.conftest import EXAMPLES, FIXED_EPOCH

pytestmark = pytest.mark.slow


def export_digests(out: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    subprocess.run(
        [sys.executable, "-m", "kg", "export", *map(str, EXAMPLES), "--out", str(out), "--quiet"],
        check=True, env=env, cwd=out.parent,
    )  # fmt: skip
    return digests(out)


def digests(folder: Path) -> dict[str, str]:
    """Every file's digest but the identifier register's: SQLite's file format records the
    library's version, and the register is the exporter's memory, not published data (it is
    not committed in output/; docs/model-and-iris.md)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != REGISTER_FILE
    }  # fmt: skip


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    first = export_digests(tmp_path / "a", "0")
    second = export_digests(tmp_path / "b", "4242")
    third = export_digests(tmp_path / "c", "random")
    assert first == second == third
    assert len(first) >= 5 + 2 * 8


def test_committed_output_matches_a_fresh_export(tmp_path: Path) -> None:
    committed = Path(__file__).resolve().parent.parent / "output"
    if not (committed / "graph.ttl").is_file():
        pytest.fail(
            "output/ has no export of the bundled example; regenerate it as "
            "docs/development.md#regenerating-output says"
        )
    fresh = export_digests(tmp_path / "fresh", "1")
    assert fresh == digests(committed)


def test_the_fast_sort_key_orders_as_the_tuple_key() -> None:
    """The graph sorts by one NUL-joined string; it must give the order of the tuple key, and a
    literal holding a NUL (where the two could differ) must fall back to the tuple key."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    from kg.map.graph import ExportGraph, _triple_key, _triple_text_key

    s, p = URIRef("https://x.org/s"), URIRef("https://x.org/p")
    values = [Literal("a"), Literal("a", lang="en"), Literal("a", datatype=XSD.token),
              Literal("ab"), Literal(""), URIRef("https://x.org/a"), BNode("a"), Literal("a b"),
              Literal("1", datatype=XSD.integer), Literal("a", lang="de")]  # fmt: skip
    triples = [(subject, p, v) for subject in (s, BNode("s"), URIRef("https://x.org/r"))
               for v in values]  # fmt: skip
    assert sorted(triples, key=_triple_key) == sorted(triples, key=_triple_text_key)
    tricky = [(s, p, Literal("a")), (s, p, Literal("a\x00b")),
              (s, p, Literal("a", datatype=XSD.token))]  # fmt: skip
    assert ExportGraph(tricky).triples == sorted(tricky, key=_triple_key)
    assert sorted(tricky, key=_triple_text_key) != sorted(tricky, key=_triple_key)

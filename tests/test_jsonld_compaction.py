"""graph.jsonld is what a JSON-LD processor's compaction with kg's context gives (pyld checks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyld import jsonld


def refuse_fetch(url: str, options: object = None) -> Any:
    raise AssertionError(f"no document may be fetched, but {url} was asked for")


def unordered(value: Any) -> Any:
    """JSON-LD sets are unordered; only @list order counts."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else unordered(v)) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((unordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def test_export_equals_pyld_compaction_with_the_shipped_context(example_export: Path) -> None:
    document = json.loads((example_export / "graph.jsonld").read_text(encoding="utf-8"))
    options = {"documentLoader": refuse_fetch}
    expanded = jsonld.expand(document, options)
    compacted = jsonld.compact(expanded, {"@context": document["@context"]}, options)
    ours = {node["@id"]: unordered(node) for node in document["@graph"]}
    theirs = {node["@id"]: unordered(node) for node in compacted["@graph"]}
    assert ours == theirs
    assert any("@list" in json.dumps(node) for node in document["@graph"])

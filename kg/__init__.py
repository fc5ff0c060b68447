"""kg: bibliographic search results to a validated schema.org + BIBO knowledge graph.

As a library (see docs/python-api.md)::

    import kg

    graph = kg.build_graph(["examples/peer-support.ris"])  # an rdflib.Graph
    outcome = kg.validate_graph(graph)  # .conforms, .violations, .warnings
    result = kg.export(["examples/peer-support.ris"], "export/")  # as `kg export` does
    rows = kg.run_query("export/graph.ttl", kg.example_query("first-authors").text)  # pyoxigraph
    kg.load(["export/graph.nt"], store="kg-store")  # a persistent Oxigraph store
    kg.write_site("export/graph.nt", "site/")  # the graph as a static linked-data site

The names are imported when first used, so that ``import kg`` stays cheap for the command line
and for Dask workers, which import single stages. (``kg.validate`` and ``kg.query`` are the
stages' packages; the calls are ``kg.validate_graph`` and ``kg.run_query``.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kg.core.version import __version__

__all__ = [
    "Catalogue",
    "ExportResult",
    "InputWarning",
    "KgError",
    "ValidationOutcome",
    "__version__",
    "build_graph",
    "example_queries",
    "example_query",
    "export",
    "load",
    "open_store",
    "run_query",
    "validate_graph",
    "write_report",
    "write_site",
]

_HOMES = {
    "Catalogue": "kg.map.provenance",
    "ExportResult": "kg.engines.local",
    "InputWarning": "kg.errors",
    "KgError": "kg.errors",
    "ValidationOutcome": "kg.validate.reference",
    "build_graph": "kg.api",
    "example_queries": "kg.query.sparql",
    "example_query": "kg.query.sparql",
    "export": "kg.api",
    "load": "kg.api",
    "open_store": "kg.api",
    "run_query": "kg.api",
    "validate_graph": "kg.api",
    "write_report": "kg.api",
    "write_site": "kg.api",
}

if TYPE_CHECKING:
    from kg.api import (
        build_graph,
        export,
        load,
        open_store,
        run_query,
        validate_graph,
        write_report,
        write_site,
    )
    from kg.engines.local import ExportResult
    from kg.errors import InputWarning, KgError
    from kg.map.provenance import Catalogue
    from kg.query.sparql import example_queries, example_query
    from kg.validate.reference import ValidationOutcome


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # once found, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

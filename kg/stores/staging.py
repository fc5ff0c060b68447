"""Staging graphs: where a load puts its triples before one update moves them into place.

Every staging graph's IRI starts with ``urn:kg:staging:``, then a short hash of the target
graph (so loads into other graphs do not stand in each other's way), then a random UUID:
``urn:kg:staging:3f1c…:9b2e…``. A load that is killed leaves its staging graph behind; the next
load finds it by that prefix (a local store removes it at once, since no other process can
hold the store open; a store over HTTP refuses to load until ``kg load --clean-staging``).
"""

from __future__ import annotations

import hashlib
import uuid

STAGING_PREFIX = "urn:kg:staging:"


def staging_prefix(graph: str) -> str:
    """The start of the IRIs of the staging graphs of loads into ``graph``."""
    key = hashlib.sha256(graph.encode()).hexdigest()[:16]
    return f"{STAGING_PREFIX}{key}:"


def staging_graph(graph: str) -> str:
    """A new staging graph IRI for a load into ``graph``."""
    return f"{staging_prefix(graph)}{uuid.uuid4()}"


def is_staging_graph(iri: str) -> bool:
    return iri.startswith(STAGING_PREFIX)

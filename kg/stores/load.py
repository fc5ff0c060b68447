"""Loading graph files into a triple store the user names, safely and in pieces.

Two protocols:

gsp     SPARQL 1.1 Graph Store HTTP Protocol (``?graph=IRI`` or ``?default``): N-Triples sent
        with PUT (replace) or POST (add). Oxigraph ``/store``, Virtuoso
        ``/sparql-graph-crud-auth``, Fuseki ``/DATASET/data``, GraphDB
        ``/repositories/REPO/rdf-graphs/service``.
update  SPARQL 1.1 Update (``INSERT {…} WHERE {}``), for stores without the Graph Store
        Protocol; Virtuoso takes at most about 1,400 triples in one update, so use
        --chunk-triples 1000 there.

The graph goes, chunk by chunk, into a staging graph of its own; one SPARQL update at the end
then moves it onto the target (``MOVE``, or ``ADD`` and ``DROP`` with --append), so a failure
midway leaves the target as it was (a store may fail even a single PUT with the old graph already
replaced: Virtuoso does). Only when no update endpoint is known does a graph that fits in one
chunk go straight to the target in one PUT. Triples that share a blank node always travel in the
same chunk, because a store reads the blank nodes of each request as new ones.
"""

from __future__ import annotations

import itertools
import json
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.core.graphio import parse_quads
from kg.errors import RemoteStoreError, UsageError
from kg.stores.http import StoreClient, check_endpoint_url, shown_url
from kg.stores.staging import STAGING_PREFIX, staging_graph, staging_prefix

DEFAULT_CHUNK_TRIPLES = 5_000  # well under Virtuoso's 10,000-line limit on one SQL text
DEFAULT_GRAPH = "default"  # --graph default: the store's default graph
CLEANUP_SECONDS = 10.0  # at most, for removing the staging graph of a load that failed
N_TRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"

# SPARQL Update endpoints and the query endpoints beside them, by the end of the path.
_QUERY_BESIDE = (
    ("/update", "/query"),  # Oxigraph, Fuseki
    ("/sparql-auth", "/sparql-auth"),  # Virtuoso (queries and updates, authenticated)
    ("/sparql", "/sparql"),  # Virtuoso without authentication
    ("/statements", ""),  # GraphDB / RDF4J: the repository itself
)

# Graph Store endpoints whose SPARQL Update endpoint sits beside them, by the end of the path.
_UPDATE_BESIDE = (
    ("/store", "/update"),  # Oxigraph
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso without authentication
    ("/data", "/update"),  # Fuseki
    ("/rdf-graphs/service", "/statements"),  # GraphDB / RDF4J
)


PROTOCOLS = ("gsp", "update")  # SPARQL 1.1 Graph Store Protocol, or SPARQL 1.1 Update


@dataclass(frozen=True)
class LoadTarget:
    endpoint: str  # the Graph Store endpoint (gsp) or the SPARQL Update endpoint (update)
    graph: str  # the target graph IRI, or DEFAULT_GRAPH
    protocol: str = "gsp"  # "gsp" or "update"
    update_endpoint: str | None = None  # for the final MOVE; derived from endpoint when None
    append: bool = False
    chunk_triples: int = DEFAULT_CHUNK_TRIPLES
    query_endpoint: str | None = None  # for the checks; derived from the update endpoint when None


@dataclass(frozen=True)
class LoadResult:
    triples: int
    chunks: int
    staged: bool  # whether a staging graph was used


Progress = Callable[[int], None]  # triples sent so far


def load(
    graphs: Sequence[Path],
    target: LoadTarget,
    client: StoreClient,
    progress: Progress | None = None,
) -> LoadResult:
    """Send the triples of ``graphs`` to the store; replace the target graph unless appending."""
    check_endpoint_url(target.endpoint)
    if target.update_endpoint:
        check_endpoint_url(target.update_endpoint)
    if target.graph != DEFAULT_GRAPH:
        _check_graph_iri(target.graph)
    chunks = chunked(ntriples_lines(graphs), target.chunk_triples)
    report = progress or (lambda sent: None)
    first = next(chunks, [])
    second = next(chunks, None)
    more = second is not None
    update_url = target.update_endpoint or update_endpoint_beside(target, required=more)
    if update_url is None:  # one chunk, and no update endpoint known: one request it is
        method = "POST" if target.append else "PUT"
        url = gsp_url(target.endpoint, target.graph)
        again = method == "PUT" or not _has_blank_nodes(first)
        client.request(method, url, "".join(first).encode(), N_TRIPLES, idempotent=again)
        report(len(first))
        return LoadResult(len(first), 1, staged=False)
    query_url = target.query_endpoint or query_endpoint_beside(update_url)
    check_endpoint_url(query_url)
    staging = staging_graph(target.graph)
    earlier = staging_graphs(client, query_url, staging_prefix(target.graph))
    if earlier:
        raise RemoteStoreError(
            f"the store holds {len(earlier)} staging graph(s) of earlier loads into this graph "
            f"(<{earlier[0]}>): one is still running, or was killed and the store may still be "
            "moving its graph into place; once no load is running, `kg load --clean-staging` "
            "removes them"
        )
    sent = count = 0
    try:
        rest = itertools.chain([second], chunks) if second is not None else iter(())
        for chunk in itertools.chain([first], rest):
            _send_chunk(client, target, staging, chunk, first=count == 0)
            sent += len(chunk)
            count += 1
            report(sent)
        staged = count_triples(client, query_url, staging)
        if staged > sent or (sent and not staged):
            raise RemoteStoreError(
                f"the staging graph holds {staged} triples after {sent} were sent: the store "
                "lost or added some; nothing was moved into place"
            )
        before = None if not target.append else _target_count(client, query_url, target)
        # Not retried: a MOVE that took effect before its answer was lost fails when sent again.
        finish = finish_update(staging, target).encode()
        client.request("POST", update_url, finish, SPARQL_UPDATE, idempotent=False)
    except RemoteStoreError as error:
        if _drop_quietly(client, update_url, staging):
            raise
        raise RemoteStoreError(f"{error}; {_left_behind(client, staging)}") from None
    except BaseException:
        _drop_quietly(client, update_url, staging)
        raise
    _check_moved(client, query_url, target, staged, before)
    return LoadResult(staged, count, staged=True)


SPARQL_RESULTS = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def staging_graphs(client: StoreClient, query_url: str, prefix: str = STAGING_PREFIX) -> list[str]:
    """The store's graphs whose IRI starts with ``prefix`` (staging graphs left by loads)."""
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER (STRSTARTS(STR(?g), {json.dumps(prefix)})) }}"
    )
    return sorted(row["g"] for row in _select(client, query_url, query))


def count_triples(client: StoreClient, query_url: str, graph: str) -> int:
    """The number of triples in the named graph ``graph`` (or the default graph)."""
    pattern = "?s ?p ?o" if graph == DEFAULT_GRAPH else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    rows = _select(client, query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    try:
        return int(rows[0]["n"])
    except (IndexError, KeyError, ValueError):
        raise RemoteStoreError(
            f"{shown_url(query_url)}: the store did not answer a count of triples"
        ) from None


def clean_staging(client: StoreClient, query_url: str, update_url: str) -> list[str]:
    """Drop every staging graph kg's loads left in the store; the graphs dropped."""
    check_endpoint_url(query_url)
    check_endpoint_url(update_url)
    found = staging_graphs(client, query_url)
    for graph in found:
        drop = f"DROP SILENT GRAPH <{graph}>".encode()
        client.request("POST", update_url, drop, SPARQL_UPDATE)
    return found


def query_endpoint_beside(update_url: str) -> str:
    """The SPARQL query endpoint of the store whose update endpoint is ``update_url``."""
    path_end = update_url.split("?", 1)[0].rstrip("/")
    for update_end, query_end in _QUERY_BESIDE:
        if path_end.endswith(update_end):
            return path_end[: -len(update_end)] + query_end
    raise RemoteStoreError(
        f"the query endpoint of the store at {shown_url(update_url)} is not known (kg counts the "
        "triples it loaded there): name it with --query-endpoint"
    )


def _select(client: StoreClient, query_url: str, query: str) -> list[dict[str, str]]:
    body = urllib.parse.urlencode({"query": query}).encode()
    answer = client.request("POST", query_url, body, FORM, accept=SPARQL_RESULTS)
    try:
        document = json.loads(answer.body)
        return [
            {name: term["value"] for name, term in row.items()}
            for row in document["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RemoteStoreError(
            f"{shown_url(query_url)}: the store's answer to a query is not SPARQL JSON results"
        ) from None


def _target_count(client: StoreClient, query_url: str, target: LoadTarget) -> int:
    return count_triples(client, query_url, target.graph)


def _check_moved(
    client: StoreClient, query_url: str, target: LoadTarget, staged: int, before: int | None
) -> None:
    """Success only when the target holds what was staged (a killed load's MOVE that the store
    finishes later, or another load, would leave something else there)."""
    if target.graph == DEFAULT_GRAPH:
        return  # some stores read the default graph as the union of all graphs: no exact count
    now = count_triples(client, query_url, target.graph)
    if before is None and now != staged:
        raise RemoteStoreError(
            f"after the final MOVE <{target.graph}> holds {now} triples, not the {staged} "
            "loaded: something else changed it meanwhile (another load, or a killed one's "
            "MOVE the store was still running); load again once no other load is running"
        )
    if before is not None and not max(before, staged) <= now <= before + staged:
        raise RemoteStoreError(
            f"after adding {staged} triples <{target.graph}> holds {now} (it held {before}): "
            "something else changed it meanwhile; check the graph"
        )


_DATASET_TYPE = (
    " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n"
)


def dataset_iri(graphs: Sequence[Path]) -> str:
    """The IRI of the one dataset kg's export describes: the named graph it loads into when the
    user names none (`https://example.org/kg/dataset` for the default base IRI)."""
    found = {
        line.split(" ", 1)[0][1:-1]
        for line in ntriples_lines(graphs)
        if line.endswith(_DATASET_TYPE) and line.startswith("<")
    }
    if len(found) != 1:
        what = "no dcat:Dataset" if not found else f"{len(found)} datasets"
        raise RemoteStoreError(
            f"the graph describes {what}, so the target graph cannot be named after it: "
            "give --graph IRI (or --graph default)"
        )
    return found.pop()


def ntriples_lines(graphs: Iterable[Path]) -> Iterator[str]:
    """Every triple of the files as an N-Triples line; blank nodes are scoped to their file."""
    for number, path in enumerate(graphs, start=1):
        scope = f"f{number}x"
        for quad in parse_quads(path):
            subject, value = quad.subject, quad.object
            if isinstance(subject, ox.BlankNode):
                subject = ox.BlankNode(scope + subject.value)
            if isinstance(value, ox.BlankNode):
                value = ox.BlankNode(scope + value.value)
            yield f"{ox.Triple(subject, quad.predicate, value)} .\n"


def chunked(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    """Chunks of about ``size`` lines, as the lines stream by; lines with blank nodes are held
    back and sent at the end, each cluster of them (sharing blank nodes) in one chunk."""
    if size < 1:
        raise UsageError("--chunk-triples must be at least 1")
    chunk: list[str] = []
    with_blank_nodes: list[str] = []  # few in kg's graphs: the author lists' cells
    for line in lines:
        if _blank_labels(line):
            with_blank_nodes.append(line)
            continue
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    for unit in blank_node_units(with_blank_nodes):
        if chunk and len(chunk) + len(unit) > size:
            yield chunk
            chunk = []
        chunk.extend(unit)
    if chunk:
        yield chunk


def blank_node_units(lines: Sequence[str]) -> list[list[str]]:
    """The lines grouped so that lines sharing a blank node (transitively) are one unit, in the
    order of each unit's first line; a line without blank nodes is a unit of its own."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        parent.setdefault(label, label)
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    labels_of = [_blank_labels(line) for line in lines]
    for labels in labels_of:
        roots = [find(label) for label in labels]
        for root in roots[1:]:
            parent[find(root)] = find(roots[0])
    units: dict[str, list[str]] = {}
    order: list[list[str]] = []
    for line, labels in zip(lines, labels_of, strict=True):
        if not labels:
            order.append([line])
            continue
        root = find(labels[0])
        if root not in units:
            units[root] = []
            order.append(units[root])
        units[root].append(line)
    return order


def _blank_labels(line: str) -> list[str]:
    """Blank node labels of an N-Triples line (subject and object positions only)."""
    labels = []
    if line.startswith("_:"):
        labels.append(line.split(" ", 1)[0])
    # The object is the last token. A literal's last token always holds its closing quote
    # ("x _:y"@en ends in `_:y"@en`); a blank node label never holds a quote.
    last = line.rstrip(" .\n").rsplit(" ", 1)[-1]
    if last.startswith("_:") and '"' not in last:
        labels.append(last)
    return labels


def gsp_url(endpoint: str, graph: str) -> str:
    """The Graph Store URL of one graph: ``?default`` or ``?graph=IRI`` (IRI percent-encoded)."""
    from urllib.parse import quote

    separator = "&" if "?" in endpoint else "?"
    if graph == DEFAULT_GRAPH:
        return f"{endpoint}{separator}default"
    return f"{endpoint}{separator}graph={quote(graph, safe='')}"


def update_endpoint_beside(target: LoadTarget, required: bool = True) -> str | None:
    """The SPARQL Update endpoint of the store whose Graph Store endpoint is ``target``'s.

    Even a graph that fits in one request is staged when the update endpoint is known: a store
    may fail a PUT halfway through with the old graph already gone (Virtuoso does).
    """
    if target.protocol == "update":
        return target.endpoint
    path_end = target.endpoint.split("?", 1)[0].rstrip("/")
    for gsp_end, update_end in _UPDATE_BESIDE:
        if path_end.endswith(gsp_end):
            return path_end[: -len(gsp_end)] + update_end
    if not required:
        return None
    raise RemoteStoreError(
        f"the graph needs more than one chunk, so it is staged and moved into place with a "
        f"SPARQL update, but the update endpoint of {shown_url(target.endpoint)} is not known: "
        "name it with --update-endpoint"
    )


def finish_update(staging: str, target: LoadTarget) -> str:
    """The one update that puts the staged graph in place (and removes the staging graph)."""
    destination = "DEFAULT" if target.graph == DEFAULT_GRAPH else f"<{target.graph}>"
    if target.append:
        return f"ADD <{staging}> TO {destination} ;\nDROP SILENT GRAPH <{staging}>"
    return f"MOVE <{staging}> TO {destination}"


def _send_chunk(
    client: StoreClient, target: LoadTarget, staging: str, chunk: list[str], first: bool
) -> None:
    # Sent twice, a chunk with blank nodes would add them twice (new nodes each request), so only
    # a chunk without them, or one that replaces the staging graph, is retried after a failure.
    again = first or not _has_blank_nodes(chunk)
    if target.protocol == "gsp":
        method = "PUT" if first else "POST"  # PUT clears a staging graph left by a failed run
        body = "".join(chunk).encode()
        client.request(method, gsp_url(target.endpoint, staging), body, N_TRIPLES, idempotent=again)
        return
    # N-Triples terms are SPARQL terms, so the lines go in as they are. INSERT ... WHERE {}
    # rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA.
    update = f"INSERT {{ GRAPH <{staging}> {{\n{''.join(chunk)}}} }} WHERE {{}}"
    if first:
        update = f"DROP SILENT GRAPH <{staging}> ;\n{update}"
    client.request("POST", target.endpoint, update.encode(), SPARQL_UPDATE, idempotent=again)


def _has_blank_nodes(chunk: list[str]) -> bool:
    return any(_blank_labels(line) for line in chunk)


def _drop_quietly(client: StoreClient, update_url: str, staging: str) -> bool:
    """Remove a half-filled staging graph, within ``CLEANUP_SECONDS`` (the load already failed:
    its message must not wait as long again); whether it was removed. A failure here is not
    reported over the first one."""
    quick = client.with_timeout(min(client.timeout, CLEANUP_SECONDS))
    drop = f"DROP SILENT GRAPH <{staging}>".encode()
    try:
        quick.request("POST", update_url, drop, SPARQL_UPDATE, idempotent=False)
    except (RemoteStoreError, OSError):
        return False
    return True


def _left_behind(client: StoreClient, staging: str) -> str:
    seconds = min(client.timeout, CLEANUP_SECONDS)
    return (
        f"the staging graph <{staging}> could not be removed within {seconds:g} s: "
        "`kg load --clean-staging` removes it"
    )


def _check_graph_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UsageError(f"--graph must be an absolute IRI or 'default', not {iri!r}") from None
    if not iri.split(":", 1)[0].isalpha() or any(c in iri for c in '<>"{}|^`\\ '):
        raise UsageError(f"--graph must be an absolute IRI or 'default', not {iri!r}")

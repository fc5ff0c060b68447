"""Reading kg's report and site pages in tests: tables by their data-table name, the summary
numbers, links, embedded JSON-LD, and the triples each page should describe (found here
independently of kg.site, with rdflib)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import rdflib
from rdflib import BNode, URIRef


class Page(HTMLParser):
    """The parts of a page the tests read."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.summary: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self.charts: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._summary: str | None = None
        self._summary_text: list[str] = []
        self._summary_tag = ""
        self._depth = 0
        self._script: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if "href" in found and tag == "a":
            self.hrefs.append(found["href"])
        if "src" in found:
            self.srcs.append(found["src"])
        if tag == "svg" and "data-chart" in found:
            self.charts.append(found["data-chart"])
        if tag == "table" and "data-table" in found:
            self._table = found["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if "data-summary" in found:
            self._summary, self._summary_text = found["data-summary"], []
            self._summary_tag, self._depth = tag, 0
        elif self._summary is not None and tag == self._summary_tag:
            self._depth += 1
        if tag == "script" and found.get("type") == "application/ld+json":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        if self._summary is not None and tag == self._summary_tag:
            if self._depth:
                self._depth -= 1
            else:
                self.summary[self._summary] = " ".join("".join(self._summary_text).split())
                self._summary = None
        if tag == "script" and self._script is not None:
            self.jsonld.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._summary is not None:
            self._summary_text.append(data)
        if self._script is not None:
            self._script.append(data)

    def body(self, name: str) -> list[list[str]]:
        """A table's rows without its header row."""
        return self.tables[name][1:]


def read_page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def number(text: str) -> int:
    return int(text.replace(",", ""))


def refuse_fetch(url: str, options: object = None) -> Any:
    raise AssertionError(f"no document may be fetched, but {url} was asked for")


def jsonld_triples(text: str) -> rdflib.Graph:
    """A JSON-LD document's triples, by pyld (an independent processor), offline."""
    from pyld import jsonld

    document = json.loads(text)
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": refuse_fetch}
    )
    graph = rdflib.Graph()
    graph.parse(data=nquads, format="nt")  # the default graph only: N-Triples
    return graph


def expected_description(graph: rdflib.Graph, iri: str, pages: set[str]) -> rdflib.Graph:
    """The triples a page describes: the resource's, and those of its blank nodes and of the
    IRIs under its own that have no page of their own."""
    out = rdflib.Graph()
    todo: list[URIRef | BNode] = [URIRef(iri)]
    seen: set[URIRef | BNode] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for predicate, value in graph.predicate_objects(subject):
            out.add((subject, predicate, value))
            part = isinstance(value, URIRef) and str(value).startswith(iri + "/")
            if isinstance(value, BNode) or (part and str(value) not in pages):
                todo.append(value)  # type: ignore[arg-type]
    return out

"""The streaming N-Triples floor: a hand-written pure-Python writer over the synthetic records.

It reads the JSON-lines dump (benchmarks/synthetic.py: the records as kg reads them, identities
resolved) and writes, one record at a time, the triples kg's mapping gives those records — works,
authorships, author lists, persons, abstract sections, download counters, periodicals, volumes,
issues, books, keywords and theme links, minted keyword concepts — as N-Triples lines built with
string formatting. Shared nodes (persons, journals, volumes, issues, books, concepts) are written
once, remembered in a set of their IRIs. It leaves out what kg adds about the whole export
(provenance of each record, the dataset's VoID/PROV description, the theme vocabulary's own
statements). Nothing is validated, sorted or checked: this is as fast as Python writes these
triples, the floor kg's map-and-write stage is measured against.

    python -m benchmarks.floor records.jsonl out.nt
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

BASE = "https://example.org/kg/"
SCHEMA = "http://schema.org/"
BIBO = "http://purl.org/ontology/bibo/"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
KG = "https://w3id.org/kg/vocab#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"

A = f"<{RDF}type>"
WORK_CLASSES = {
    "article": (f"<{SCHEMA}ScholarlyArticle>", f"<{BIBO}AcademicArticle>"),
    "chapter": (f"<{SCHEMA}Chapter>", f"<{BIBO}Chapter>"),
}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
SCHEME = f"<{BASE}themes>"


def _literal(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def _integer(number: int) -> str:
    return f'"{number}"^^<{XSD}integer>'


class FloorWriter:
    """Writes the N-Triples of records, one record at a time."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.seen: set[str] = set()  # shared nodes already described
        self.triples = 0

    def write_record(self, record: dict[str, Any]) -> None:
        out: list[str] = []
        add = out.append
        work = f"<{BASE}{record['work']}>"
        number = record["n"]
        for cls in WORK_CLASSES[record["kind"]]:
            add(f"{work} {A} {cls} .\n")
        add(f"{work} <{KG}contentType> {_literal(record['content_type'])} .\n")
        if record["title"]:
            title = _literal(record["title"])
            add(f"{work} <{SCHEMA}name> {title} .\n")
            add(f"{work} <{DCTERMS}title> {title} .\n")
        if record["date"]:
            add(f'{work} <{SCHEMA}datePublished> "{record["date"]}"^^<{XSD}date> .\n')
        if record["genre"]:
            add(f"{work} <{SCHEMA}genre> {_literal(record['genre'])} .\n")
        if record["doi"]:
            add(f"{work} <{BIBO}doi> {_literal(record['doi'])} .\n")
            add(f"{work} <{SCHEMA}sameAs> <https://doi.org/{record['doi']}> .\n")
        authors = record["authors"]
        for position, author in enumerate(authors, start=1):
            person = f"<{BASE}{author['person']}>"
            authorship = f"<{BASE}{record['work']}/author/{position}>"
            add(f"{work} <{SCHEMA}author> {person} .\n")
            add(f"{work} <{KG}authorship> {authorship} .\n")
            add(f"{authorship} {A} <{KG}Authorship> .\n")
            add(f"{authorship} <{KG}person> {person} .\n")
            add(f"{authorship} <{KG}position> {_integer(position)} .\n")
            if person not in self.seen:
                self.seen.add(person)
                name = _literal(author["name"])
                add(f"{person} {A} <{SCHEMA}Person> .\n")
                add(f"{person} {A} <{FOAF}Person> .\n")
                add(f"{person} <{SCHEMA}name> {name} .\n")
                add(f"{person} <{FOAF}name> {name} .\n")
                if author["given"]:
                    add(f"{person} <{SCHEMA}givenName> {_literal(author['given'])} .\n")
                if author["family"]:
                    add(f"{person} <{SCHEMA}familyName> {_literal(author['family'])} .\n")
        if authors:
            add(f"{work} <{BIBO}authorList> _:l{number}x1 .\n")
            last = len(authors)
            for position, author in enumerate(authors, start=1):
                cell = f"_:l{number}x{position}"
                add(f"{cell} <{RDF}first> <{BASE}{author['person']}> .\n")
                rest = f"_:l{number}x{position + 1}" if position < last else f"<{RDF}nil>"
                add(f"{cell} <{RDF}rest> {rest} .\n")
        if record["snippet"]:
            add(f"{work} <{KG}snippet> {_literal(record['snippet'])} .\n")
        if record["abstract"]:
            add(f"{work} <{SCHEMA}abstract> {_literal(record['abstract'])} .\n")
        for position, section in enumerate(record["sections"], start=1):
            node = f"<{BASE}{record['work']}/abstract/{position}>"
            add(f"{work} <{KG}abstractSection> {node} .\n")
            add(f"{node} {A} <{KG}AbstractSection> .\n")
            add(f"{node} <{KG}sectionKind> <{section['kind']}> .\n")
            add(f"{node} <{SCHEMA}name> {_literal(section['heading'])} .\n")
            add(f"{node} <{SCHEMA}text> {_literal(section['text'])} .\n")
            add(f"{node} <{KG}position> {_integer(position)} .\n")
        if record["downloads"] is not None:
            counter = f"<{BASE}{record['work']}/downloads>"
            add(f"{work} <{SCHEMA}interactionStatistic> {counter} .\n")
            add(f"{counter} {A} <{SCHEMA}InteractionCounter> .\n")
            add(f"{counter} <{SCHEMA}interactionType> <{SCHEMA}DownloadAction> .\n")
            add(f"{counter} <{SCHEMA}userInteractionCount> {_integer(record['downloads'])} .\n")
        self._venue(work, record, add)
        for keyword in record["keywords"]:
            add(f"{work} <{SCHEMA}keywords> {_literal(keyword)} .\n")
        for theme in record["themes"]:
            add(f"{work} <{SCHEMA}about> <{BASE}{theme}> .\n")
            add(f"{work} <{DCTERMS}subject> <{BASE}{theme}> .\n")
        for minted in record["keyword_concepts"]:
            concept = f"<{BASE}{minted['concept']}>"
            if concept not in self.seen:
                self.seen.add(concept)
                if SCHEME not in self.seen:
                    self.seen.add(SCHEME)
                    add(f"{SCHEME} {A} <{SKOS}ConceptScheme> .\n")
                    add(f'{SCHEME} <{SKOS}prefLabel> "Themes of this dataset"@en .\n')
                add(f"{concept} {A} <{SKOS}Concept> .\n")
                add(f"{concept} <{SKOS}inScheme> {SCHEME} .\n")
                add(f"{concept} <{SKOS}prefLabel> {_literal(minted['label'])} .\n")
        self.triples += len(out)
        self.stream.write("".join(out))

    def _venue(self, work: str, record: dict[str, Any], add: Any) -> None:
        book = record["book"]
        if book is not None:
            node = f"<{BASE}{book['key']}>"
            add(f"{work} <{SCHEMA}isPartOf> {node} .\n")
            if node not in self.seen:
                self.seen.add(node)
                add(f"{node} {A} <{SCHEMA}Book> .\n")
                add(f"{node} {A} <{BIBO}Book> .\n")
                add(f"{node} <{SCHEMA}name> {_literal(book['name'])} .\n")
                add(f"{node} <{SCHEMA}isbn> {_literal(book['isbn13'])} .\n")
                add(f"{node} <{BIBO}isbn13> {_literal(book['isbn13'])} .\n")
                if book["isbn10"]:
                    add(f"{node} <{BIBO}isbn10> {_literal(book['isbn10'])} .\n")
            return
        journal = record["periodical"]
        if journal is None:
            return
        if record["ahead_of_print"]:
            add(f'{work} <{SCHEMA}creativeWorkStatus> "Ahead of print" .\n')
            add(f"{work} <{BIBO}status> <{KG}aheadOfPrint> .\n")
        container = f"<{BASE}{journal['key']}>"
        if container not in self.seen:
            self.seen.add(container)
            issn = journal["issn"]
            add(f"{container} {A} <{SCHEMA}Periodical> .\n")
            add(f"{container} {A} <{BIBO}Journal> .\n")
            add(f"{container} <{SCHEMA}name> {_literal(journal['name'])} .\n")
            add(f'{container} <{SCHEMA}issn> "{issn}" .\n')
            add(f'{container} <{BIBO}issn> "{issn}" .\n')
            add(f"{container} <{SCHEMA}sameAs> <https://portal.issn.org/resource/ISSN/{issn}> .\n")
        for part, cls, number in (
            ("volume", (f"<{SCHEMA}PublicationVolume>",), f"<{SCHEMA}volumeNumber>"),
            ("issue", (f"<{SCHEMA}PublicationIssue>", f"<{BIBO}Issue>"), f"<{SCHEMA}issueNumber>"),
        ):
            value = record[part]
            if value is None:
                continue
            node = f"<{BASE}{value['key']}>"
            if node not in self.seen:
                self.seen.add(node)
                for one in cls:
                    add(f"{node} {A} {one} .\n")
                add(f"{node} {number} {_literal(value['number'])} .\n")
                add(f"{node} <{SCHEMA}isPartOf> {container} .\n")
            container = node
        add(f"{work} <{SCHEMA}isPartOf> {container} .\n")


def write_floor(lines: Iterable[str], stream: TextIO) -> tuple[int, int, float]:
    """Records, triples written, and the seconds spent decoding JSON (not mapping)."""
    writer = FloorWriter(stream)
    decoding = 0.0
    records = 0
    clock = time.perf_counter
    for line in lines:
        started = clock()
        record = json.loads(line)
        decoding += clock() - started
        writer.write_record(record)
        records += 1
    return records, writer.triples, decoding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=Path, help="JSON-lines dump (benchmarks/synthetic.py)")
    parser.add_argument("out", type=Path, help="N-Triples file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    with (
        args.records.open(encoding="utf-8") as lines,
        args.out.open("w", encoding="utf-8") as stream,
    ):
        records, triples, decoding = write_floor(lines, stream)
    seconds = time.perf_counter() - started
    print(f"{records:,} records, {triples:,} triples in {seconds:.2f} s ({decoding:.2f} s JSON)")


if __name__ == "__main__":
    main()

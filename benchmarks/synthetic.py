"""Deterministic synthetic bibliographic records: search-result pages, RIS, and a JSON-lines dump.

The records look like the real ones (1-5 authors drawn from a pool so people recur, journals with
valid ISSNs, volumes and issues, some ahead of print, some book parts, structured abstracts,
keywords, download counts) so that every stage of kg does its real work on them. One record model
(:func:`synthetic_records`) is rendered three ways:

- :func:`write_page`: the publisher's plain-text search-results page (what kg reads with
  ``--from search-page``); the same bytes this module wrote before it learnt RIS;
- :func:`write_ris`: an RIS export of the same records, plus what RIS carries and a page does not:
  a title, a DOI under Crossref's test prefix 10.5555, and some keywords outside kg's theme
  vocabulary (so keyword concepts are minted); RIS has no structured abstract and no download
  count, so the abstract is one ``AB`` line;
- :func:`write_jsonl`: one JSON object a line, the same records *as kg reads them from that
  format*, with every identity already resolved to the IRI path kg mints (``work/…``,
  ``person/…``, ``periodical/issn-…``, ``theme/…``). This is the input of the streaming N-Triples
  floor and (as CSV tables) of morph-kgc: an RML engine maps structured data, it does not parse a
  search page, resolve people or match themes in text, so those are done here, once, untimed.

Everything streams: no size holds all records in memory.

    python -m benchmarks.synthetic 1000 page.txt
    python -m benchmarks.synthetic 1000 export.ris --format ris --jsonl export.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.core.problems import SourceLocation
from kg.core.records import (
    STRUCTURED_HEADINGS,
    AbstractSection,
    Issn,
    PartialDate,
    Record,
    Venue,
    WorkKind,
)
from kg.core.records import PersonName as KgPersonName
from kg.core.resources import vocab_file
from kg.identifiers import isbn, issn
from kg.map.record import SECTION_KINDS
from kg.map.themes import ThemeVocabulary
from kg.read.names import parse_inverted_name, parse_person_name
from kg.resolve.identity import display_name, person_key
from kg.resolve.mint import DEFAULT_BASE_IRI, Minter

GIVEN = [
    "Ana",
    "Ben",
    "Chloë",
    "Dara",
    "Eoin",
    "Fatima",
    "Gráinne",
    "Hugo",
    "Ines",
    "Jonah",
    "Kofi",
    "Lena",
    "Mateusz",
    "Niamh",
    "Oskar",
    "Priya",
    "Rhys",
    "Siobhán",
    "Tomás",
    "Zoë",
]
FAMILY = [
    "Repton",
    "van der Berg",
    "O'Connell",
    "Ní Bhriain",
    "Álvarez",
    "Kowalczyk-Barrett",
    "Asante",
    "de la Tour",
    "Sørlie",
    "MacAllister",
    "Ellery",
    "Hrytsenko",
    "Idrissi",
    "Teague",
    "Fontaine",
    "Nakamura",
    "Okafor",
    "Lindqvist",
    "Ferreira",
    "Dubois",
]
WORDS = [
    *("peer", "support", "workers", "recovery", "services", "lived", "experience", "supervision"),
    *("training", "stigma", "co-production", "youth", "wellbeing", "employment", "evaluation"),
    *("community", "inpatient", "policy", "organisational", "culture", "qualitative"),
    *("interviews", "outcomes", "practice"),
]
SECTIONS = list(STRUCTURED_HEADINGS)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
KEYWORDS = [
    "Peer support",
    "Recovery",
    "Lived experience",
    "Supervision",
    "Stigma",
    "Workforce development",
    "Mental health services",
    "Training",
    "Co-production",
]
# RIS only: keywords no label of kg's default theme vocabulary matches, so each becomes a concept
# of the dataset's own scheme.
EXTRA_KEYWORDS = [f"Synthetic topic {number}" for number in range(1, 201)]
BOOK_TITLE = "Synthetic Book: Peer Work in Practice"
DOI_PREFIX = "10.5555/synth."  # Crossref's test prefix: no real DOI


@dataclass(frozen=True)
class Journal:
    name: str
    issn: str


@dataclass(frozen=True)
class Person:
    given: str
    family: str

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass(frozen=True)
class SyntheticRecord:
    """One record, before any format: everything each rendering needs."""

    number: int  # 1-based
    chapter: bool  # a book part (1 in 25) rather than a journal article
    authors: tuple[Person, ...]
    day: int
    month: int  # 1-12
    year: int
    sections: tuple[tuple[str, str], ...]  # (heading, text) of the structured abstract
    snippet: str
    downloads: int | None
    journal: Journal | None  # None for a chapter
    ahead_of_print: bool
    volume: str | None
    issue: str | None
    book_isbn: str | None  # a chapter's book
    keywords: tuple[str, ...]
    # What a page does not carry (RIS does):
    title: str
    doi: str
    extra_keywords: tuple[str, ...]

    @property
    def full_abstract(self) -> str:
        return "\n\n".join(f"{heading}: {text}" for heading, text in self.sections)


def _journals(rng: random.Random, count: int) -> list[tuple[str, str]]:
    out = []
    for number in range(count):
        digits = f"{1000000 + rng.randrange(8999999):07d}"
        out.append(
            (
                f"Journal of Synthetic Studies {number + 1}",
                issn.format(digits + issn.calc_check_digit(digits)),
            )
        )
    return out


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthetic_records(count: int, seed: int = 2026) -> Iterator[SyntheticRecord]:
    """``count`` records; the same seed gives the same records.

    The main random stream is drawn in the order the page generator always drew it (so pages are
    byte for byte what they were); what only RIS carries comes from a second stream.
    """
    rng = random.Random(seed)
    extra = random.Random(seed * 7919 + 17)
    journals = [Journal(name, number) for name, number in _journals(rng, max(5, count // 500))]
    people = [Person(g, f) for g in GIVEN for f in FAMILY]
    book_digits = "978183797" + "000"
    book_isbn = isbn.format(book_digits + isbn.calc_check_digit13(book_digits))
    for index in range(count):
        number = index + 1
        chapter = index % 25 == 24
        authors = tuple(rng.sample(people, rng.randint(1, 5)))
        day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2005, 2025)
        sentences = [
            (h, _sentence(rng, rng.randint(12, 30)))
            for h in SECTIONS
            if h in SECTIONS[:3] or rng.random() < 0.4
        ]
        snippet = sentences[0][1][:150] + "…"
        downloads = rng.randint(10, 5000) if rng.random() < 0.3 else None
        journal, ahead, volume, issue = None, False, None, None
        if not chapter:
            journal = rng.choice(journals)
            if rng.random() < 0.05:
                ahead = True
            else:
                volume, issue = str(year - 2000), str(rng.randint(1, 4))
        keywords = tuple(rng.sample(KEYWORDS, rng.randint(0, 4)))
        title = _sentence(extra, extra.randint(5, 12))[:-1]
        extra_keywords = tuple(extra.sample(EXTRA_KEYWORDS, extra.choice((0, 0, 1, 2))))
        yield SyntheticRecord(
            number=number,
            chapter=chapter,
            authors=authors,
            day=day,
            month=MONTHS.index(month) + 1,
            year=year,
            sections=tuple((h, f"{text} (record {number})") for h, text in sentences),
            snippet=snippet,
            downloads=downloads,
            journal=journal,
            ahead_of_print=ahead,
            volume=volume,
            issue=issue,
            book_isbn=book_isbn if chapter else None,
            keywords=keywords,
            title=title,
            doi=f"{DOI_PREFIX}{number}",
            extra_keywords=extra_keywords,
        )


# --- search-results page ----------------------------------------------------------------------


def page_lines(record: SyntheticRecord) -> list[str]:
    """The lines of one record on a search-results page."""
    names = [person.name for person in record.authors]
    author_line = names[0] if len(names) == 1 else (", ".join(names[:-1]) + " and " + names[-1])
    lines = [
        "Book part" if record.chapter else "Article",
        f"Publication date: {record.day} {MONTHS[record.month - 1]} {record.year}",
        "",
        author_line,
        "",
        record.snippet,
        "",
    ]
    if record.downloads is not None:
        lines += [str(record.downloads), ""]
    lines += ["Abstract", ""]
    for heading, text in record.sections:
        lines += [heading, "", text, ""]
    if record.chapter:
        assert record.book_isbn is not None
        lines += ["Details", "", BOOK_TITLE, "Type: Book", f"ISBN: {record.book_isbn}"]
    else:
        assert record.journal is not None
        if record.ahead_of_print:
            venue = f"{record.journal.name}, vol. ahead-of-print no. ahead-of-print"
        else:
            venue = f"{record.journal.name}, vol. {record.volume} no. {record.issue}"
        lines += ["Details", "", venue, "Type: Research Article", f"ISSN: {record.journal.issn}"]
    lines += ["", "Keywords", ""]
    lines += [*record.keywords, ""]
    return lines


def records(count: int, seed: int = 2026) -> Iterator[list[str]]:
    """The page lines of ``count`` records; the same seed gives the same records."""
    for record in synthetic_records(count, seed):
        yield page_lines(record)


def write_page(path: Path, count: int, seed: int = 2026) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f"Search results\n\n1 – {count} of {count}\n")
        for lines in records(count, seed):
            stream.write("\n".join(lines) + "\n")
        stream.write(f"1 – {count} of {count}\n")


# --- RIS ----------------------------------------------------------------------------------------


def ris_lines(record: SyntheticRecord) -> list[str]:
    """One RIS record, as Scopus or Zotero write them (``Family, Given`` authors)."""
    lines = [f"TY  - {'CHAP' if record.chapter else 'JOUR'}"]
    lines += [f"AU  - {person.family}, {person.given}" for person in record.authors]
    lines.append(f"TI  - {record.title}")
    if record.chapter:
        lines += [f"T2  - {BOOK_TITLE}", f"SN  - {record.book_isbn}"]
    else:
        assert record.journal is not None
        lines += [f"T2  - {record.journal.name}", f"SN  - {record.journal.issn}"]
        if record.volume is not None:
            lines += [f"VL  - {record.volume}", f"IS  - {record.issue}"]
    lines.append(f"PY  - {record.year:04d}/{record.month:02d}/{record.day:02d}/")
    lines.append(f"DO  - {record.doi}")
    lines.append(f"M3  - {'Book Chapter' if record.chapter else 'Research Article'}")
    lines.append(f"AB  - {' '.join(f'{h}: {t}' for h, t in record.sections)}")
    lines += [f"KW  - {keyword}" for keyword in (*record.keywords, *record.extra_keywords)]
    lines += ["ER  - ", ""]
    return lines


def write_ris(path: Path, count: int, seed: int = 2026) -> None:
    """``count`` records as one RIS file; the same seed gives the same bytes."""
    with path.open("w", encoding="utf-8") as stream:
        for record in synthetic_records(count, seed):
            stream.write("\n".join(ris_lines(record)) + "\n")


# --- JSON lines: the records as kg reads them, identities resolved ---------------------------


class _Resolver:
    """The IRI paths (under kg's base IRI) and theme links kg gives a record read from a format.

    Uses kg's own rules (slugs, work fingerprints, the theme vocabulary) so that the floor and
    morph-kgc write the IRIs kg writes; the suite's ``--check`` compares the triples.
    """

    def __init__(self) -> None:
        self.base = DEFAULT_BASE_IRI
        self.minter = Minter(DEFAULT_BASE_IRI)
        self.themes = ThemeVocabulary.load(vocab_file("themes.ttl"), self.minter)

    def relative(self, iri: str) -> str:
        assert iri.startswith(self.base), iri
        return iri[len(self.base) :]

    def record(self, record: SyntheticRecord, fmt: str) -> dict[str, Any]:
        ris = fmt == "ris"
        names = [
            parse_inverted_name(f"{p.family}, {p.given}") if ris else parse_person_name(p.name)
            for p in record.authors
        ]
        sections = () if ris else record.sections
        abstract = " ".join(f"{h}: {t}" for h, t in record.sections) if ris else None
        full_abstract = abstract if ris else record.full_abstract
        title = record.title if ris else None
        keywords = (*record.keywords, *record.extra_keywords) if ris else record.keywords
        ahead = record.ahead_of_print and not ris  # RIS has no way to say it
        venue: Venue
        if record.chapter:
            assert record.book_isbn is not None
            venue = Venue(title=BOOK_TITLE, isbns=(record.book_isbn,))
        else:
            assert record.journal is not None
            venue = Venue(
                title=record.journal.name,
                volume=record.volume,
                issue=record.issue,
                issns=(Issn(record.journal.issn),),
                ahead_of_print=ahead,
            )
        kg_record = Record(
            source=_NOWHERE,
            number=record.number,
            kind=WorkKind.CHAPTER if record.chapter else WorkKind.ARTICLE,
            content_type=("CHAP" if record.chapter else "JOUR")
            if ris
            else ("Book part" if record.chapter else "Article"),
            published=PartialDate(record.year, record.month, record.day),
            authors=tuple(KgPersonName(n.written, n.given, n.family) for n in names),
            title=title,
            doi=record.doi if ris else None,
            snippet=None if ris else record.snippet,
            abstract=abstract,
            abstract_sections=tuple(AbstractSection(h, t) for h, t in sections),
            venue=venue,
        )
        work = self.relative(str(self.minter.work(kg_record)))
        out: dict[str, Any] = {
            "n": record.number,
            "work": work,
            "kind": kg_record.kind.value,
            "content_type": kg_record.content_type,
            "title": title,
            "date": kg_record.published.lexical if kg_record.published else None,
            "genre": ("Book Chapter" if ris else "Book") if record.chapter else "Research Article",
            "doi": kg_record.doi,
            "snippet": kg_record.snippet,
            "abstract": full_abstract,
            "sections": [
                {"heading": h, "kind": str(SECTION_KINDS[h]), "text": t} for h, t in sections
            ],
            "downloads": None if ris else record.downloads,
            "authors": [
                {
                    "person": f"person/{person_key(n)}",
                    "name": display_name(n),
                    "given": n.given,
                    "family": n.family,
                }
                for n in names
            ],
            "periodical": None,
            "volume": None,
            "issue": None,
            "ahead_of_print": ahead,
            "book": None,
            "keywords": list(keywords),
        }
        if record.chapter:
            assert record.book_isbn is not None
            isbn13 = isbn.to_isbn13(record.book_isbn)
            out["book"] = {
                "key": f"book/isbn-{isbn13}",
                "name": BOOK_TITLE,
                "isbn13": isbn13,
                "isbn10": isbn.to_isbn10(record.book_isbn),
            }
        else:
            assert record.journal is not None
            periodical = f"periodical/issn-{record.journal.issn}"
            out["periodical"] = {
                "key": periodical,
                "name": record.journal.name,
                "issn": record.journal.issn,
            }
            if record.volume is not None and record.issue is not None:
                volume = f"{periodical}/volume/{record.volume}"
                out["volume"] = {"key": volume, "number": record.volume}
                out["issue"] = {"key": f"{volume}/issue/{record.issue}", "number": record.issue}
        linked: dict[str, None] = {}
        minted: list[dict[str, str]] = []
        for keyword in keywords:
            iri = self.minter.theme(keyword)
            concept = self.themes.concept_for_keyword(keyword, iri)
            if concept is None:
                minted.append({"concept": self.relative(str(iri)), "label": keyword})
                linked[self.relative(str(iri))] = None
            else:
                linked[self.relative(str(concept.iri))] = None
        text = " ".join(filter(None, (title, full_abstract, *keywords)))
        for found in self.themes.concepts_in(text):
            linked[self.relative(str(found.iri))] = None
        out["themes"] = list(linked)
        out["keyword_concepts"] = minted
        return out


_NOWHERE = SourceLocation("synthetic", 1)


def jsonl_records(count: int, seed: int = 2026, fmt: str = "page") -> Iterator[dict[str, Any]]:
    """The records as kg reads them from ``fmt`` ("page" or "ris"), identities resolved."""
    if fmt not in ("page", "ris"):
        raise ValueError(f"unknown format {fmt!r} (page or ris)")
    resolver = _Resolver()
    for record in synthetic_records(count, seed):
        yield resolver.record(record, fmt)


def write_jsonl(path: Path, count: int, seed: int = 2026, fmt: str = "page") -> None:
    with path.open("w", encoding="utf-8") as stream:
        for item in jsonl_records(count, seed, fmt):
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")


def write_input(path: Path, count: int, seed: int = 2026, fmt: str = "page") -> None:
    """The input kg reads: a search-results page or an RIS file."""
    if fmt == "page":
        write_page(path, count, seed)
    elif fmt == "ris":
        write_ris(path, count, seed)
    else:
        raise ValueError(f"unknown format {fmt!r} (page or ris)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--format", choices=("page", "ris"), default="page")
    parser.add_argument("--jsonl", type=Path, help="also write the JSON-lines dump here")
    args = parser.parse_args()
    write_input(args.out, args.count, args.seed, args.format)
    if args.jsonl:
        write_jsonl(args.jsonl, args.count, args.seed, args.format)


if __name__ == "__main__":
    main()

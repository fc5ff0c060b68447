"""Input formats, by name: one reader module per format, detected by content.

A reader turns one file into a stream of :class:`~kg.core.records.Record` and
:class:`~kg.core.problems.Problem` items. Every record in the file is either yielded or reported
as an error problem, so records in = records read + records rejected. :func:`open_input` also
rejects a record holding a value larger than kg writes (:mod:`kg.read._limits`), whatever its
format; text outside records is a warning in every reader (no record is lost with it).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.core import stdin
from kg.core.problems import Problem, Severity
from kg.core.records import Record
from kg.errors import InputError
from kg.read import bibtex, crossref, csl_json, medline, ris, search_page
from kg.read._limits import oversized_value
from kg.read._text import stream_lines
from kg.read.names import without_honorific

ReadItem = Record | Problem


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    sniff: Callable[[list[str]], bool]  # does this text look like our format?
    read: Callable[[list[str], str], Iterator[ReadItem]]  # (lines, file label) -> items
    # How many lines ``sniff`` looks at (None: all of them), so a file is told from its head.
    sniffs_lines: int | None = None
    # ``read`` takes its lines once, in order (any iterable): the file is never held whole.
    streams: bool = False


READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        Reader(
            name="search-page",
            description="a copied publisher search-results page (plain text)",
            sniff=search_page.sniff,
            read=search_page.read,
            sniffs_lines=2000,
        ),
        # Before RIS: PubMed saves MEDLINE files under .ris names, and content decides.
        Reader(
            name="medline",
            description='PubMed MEDLINE / .nbib ("PubMed format"; PMID- …, AU  - …)',
            sniff=medline.sniff,
            read=medline.read,
            sniffs_lines=300,
        ),
        Reader(
            name="ris",
            description="an RIS export (Scopus, Web of Science, Zotero, EndNote, publishers)",
            sniff=ris.sniff,
            read=ris.read,  # takes any iterable of lines
            sniffs_lines=300,
            streams=True,
        ),
        Reader(
            name="bibtex",
            description="a BibTeX or biblatex file (.bib)",
            sniff=bibtex.sniff,
            read=bibtex.read,
            sniffs_lines=300,
        ),
        Reader(
            name="crossref",
            description="Crossref REST API JSON (/works: one work or a work-list)",
            sniff=crossref.sniff,
            read=crossref.read,
        ),
        Reader(
            name="csl-json",
            description="CSL-JSON (Zotero, citation.js, pandoc)",
            sniff=csl_json.sniff,
            read=csl_json.read,
        ),
    )
}


def reader_for(name: str) -> Reader:
    """The reader registered under ``name``."""
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise InputError(f"unknown input format {name!r} (known: {known})") from None


_HEAD_LINES = 2000  # lines read before the format is decided: every bounded sniffer's view


def detect(lines: list[str], label: str, complete: bool = True) -> Reader | None:
    """The one reader whose sniffer recognises ``lines``; None when ``lines`` is only the head
    of the file (not ``complete``) and a sniffer that needs more of it is reached first."""
    for reader in READERS.values():
        if not complete and (reader.sniffs_lines is None or reader.sniffs_lines > len(lines)):
            return None
        if reader.sniff(lines):
            return reader
    known = ", ".join(sorted(READERS))
    raise InputError(f"{label}: cannot tell the input format; name it with --from ({known})")


def open_input(
    path: Path, fmt: str | None = None, encoding: str | None = None
) -> tuple[Reader, Iterator[ReadItem]]:
    """The reader for one input file (named by ``fmt`` or detected by content) and its items.

    ``path`` ``-`` is standard input, named ``<stdin>`` in messages. The file is UTF-8 unless
    ``encoding`` names its codec (``--encoding``). Problems name the file as the user gave it.
    A file with no records in it at all (empty, or not in the format named with --from) is an
    InputError: reading it as nothing would lose it. A reader that streams is given the lines
    as they are decoded; the others, all of them at once.
    """
    label = stdin.label(path)
    stream = stream_lines(path, label, encoding)
    head = list(itertools.islice(stream, _HEAD_LINES))
    blank_head = not any(line.strip() for line in head)
    complete = len(head) < _HEAD_LINES
    reader = None
    if not blank_head:
        reader = reader_for(fmt) if fmt else detect(head, label, complete)
    if reader is None or not reader.streams:
        lines = [*head, *stream]  # the whole file: this reader (or telling the format) needs it
        if blank_head and not any(line.strip() for line in lines):
            raise InputError(f"{label}: the file is empty; there are no records to read")
        reader = reader or (reader_for(fmt) if fmt else detect(lines, label))
        assert reader is not None  # a complete file's format is told, or an error raised
        return reader, _with_records(reader, reader.read(lines, label), label)
    lines_read: Iterable[str] = itertools.chain(head, stream)
    items = reader.read(lines_read, label)  # type: ignore[arg-type]  # a streaming reader's
    return reader, _with_records(reader, items, label)


def _with_records(reader: Reader, items: Iterator[ReadItem], label: str) -> Iterator[ReadItem]:
    """The reader's items, then an InputError if not one of them was a record (read or rejected)."""
    records = 0
    for item in items:
        if isinstance(item, Record) or (
            item.record is not None and item.severity is Severity.ERROR
        ):
            records += 1
        yield _checked_size(item)
    if records == 0:
        raise InputError(
            f"{label}: no record found reading it as {reader.name} ({reader.description}); "
            f"is that its format? (known: {', '.join(sorted(READERS))})"
        )


def _checked_size(item: ReadItem) -> ReadItem:
    """A record with a value too large to write is rejected (see :mod:`kg.read._limits`)."""
    if isinstance(item, Record) and (message := oversized_value(item)) is not None:
        return Problem(item.source, item.number, message)
    return _without_honorifics(item) if isinstance(item, Record) else item


def _without_honorifics(record: Record) -> Record:
    """Titles ("Mr", "Dr") out of every reader's given names, in this one place."""
    authors = tuple(without_honorific(name) for name in record.authors)
    editors = tuple(without_honorific(name) for name in record.editors)
    if authors == record.authors and editors == record.editors:
        return record
    return dataclasses.replace(record, authors=authors, editors=editors)

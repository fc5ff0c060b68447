"""Reader for BibTeX and biblatex files (.bib), with a line number for every entry and field.

Three parts, one module each: :mod:`~kg.read.bibtex.scanner` finds the entries, their fields and
``@string`` macros (with the line of each) in the text; :mod:`~kg.read.bibtex.fields` turns
field values into the values of a :class:`~kg.core.records.Record` (the list of fields read is
there); :mod:`~kg.read.bibtex.names` reads the ``author`` and ``editor`` name lists.

Every entry is one record or one error: an entry that is not closed, or that cannot be read, is
one error naming its line, and reading goes on at the next ``@`` that starts a line. An entry
with no fields at all (Zotero writes ``@techreport{__????-2 }`` for empty items) is rejected. A
citation key used twice keeps both records (warning naming both lines). Lines outside entries
that look like a broken entry are warnings of no record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.core.problems import Problem, SourceLocation
from kg.core.records import Record
from kg.core.text import shorten
from kg.read.bibtex.fields import FieldValues, warning
from kg.read.bibtex.names import read_names
from kg.read.bibtex.scanner import BrokenEntry, Entry, Notice, scan

_ENTRY_LINE = re.compile(r"^\s*@\s*[A-Za-z][\w:-]*\s*[{(]")
_OTHER_FORMAT_LINE = re.compile(r"^(?:[A-Z][A-Z0-9]  - |[A-Z][A-Z0-9 ]{1,3}- )")  # RIS, MEDLINE


def sniff(lines: list[str]) -> bool:
    """BibTeX has a line starting ``@type{`` near the top, and no RIS/MEDLINE tag lines."""
    head = lines[:300]
    first = next((line.strip() for line in head if line.strip()), "")
    if first.startswith(("{", "[")):
        return False  # JSON (CSL-JSON, Crossref) may hold "@" inside strings
    if any(_OTHER_FORMAT_LINE.match(line) for line in head):
        return False
    return any(_ENTRY_LINE.match(line) for line in head)


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records of one .bib file in file order; each unreadable entry is one error problem."""
    number = 0
    keys: dict[str, int] = {}
    try:
        for item in scan("\n".join(lines)):
            if isinstance(item, Notice):
                yield warning(label, item.line, None, item.message)
                continue
            number += 1
            if isinstance(item, BrokenEntry):
                yield Problem(SourceLocation(label, item.line), number, item.message)
                continue
            yield from _read_entry(item, label, number, keys)
    except Exception as error:  # a bug in the scanner must not lose the file silently
        yield Problem(
            SourceLocation(label, 1), None, f"reading stopped after {number} entries: {error!r}"
        )


def _read_entry(
    entry: Entry, label: str, number: int, keys: dict[str, int]
) -> Iterator[Record | Problem]:
    if not entry.fields:
        shown = f"entry {shorten(entry.key)!r}" if entry.key else f"@{shorten(entry.type)} entry"
        message = f"{shown} has no fields (an empty item in the exporting library?)"
        yield Problem(SourceLocation(label, entry.line), number, message)
        return
    try:
        values = FieldValues(entry, label, number)
        record = _record(values)
    except Exception as error:  # never a traceback: the entry is reported, the file goes on
        message = f"could not read this entry ({type(error).__name__}: {error})"
        yield Problem(SourceLocation(label, entry.line), number, message)
        return
    yield record
    for line, message in entry.warnings:
        yield warning(label, line, number, message)
    if entry.key:
        first = keys.setdefault(entry.key.lower(), entry.line)
        if first != entry.line:
            message = (
                f"citation key {shorten(entry.key)!r} is also used by the entry at line {first}; "
                f"both records kept"
            )
            yield warning(label, entry.line, number, message)
    yield from values.warnings


def _record(values: FieldValues) -> Record:
    """The entry's record; its warnings are collected in ``values``, in the order read."""
    entry = values.entry
    content_type = entry.type.lower()
    kind = values.kind(content_type)
    authors, incomplete = read_names(values, "author")
    editors, _ = read_names(values, "editor")
    page_start, page_end, article_number = values.pages()
    values.report_unknown_fields()
    return Record(
        source=SourceLocation(values.label, entry.line),
        number=values.number,
        kind=kind,
        content_type=content_type,
        published=values.published(),
        authors=authors,
        title=values.title(),
        doi=values.verbatim("doi"),
        authors_incomplete=incomplete,
        editors=editors,
        pmid=values.text("pmid", "pubmed_id"),
        url=values.verbatim("url"),
        language=values.text("language", "langid"),
        publisher=values.publisher(kind),
        page_start=page_start,
        page_end=page_end,
        article_number=article_number,
        abstract=values.paragraphs("abstract"),
        venue=values.venue(kind),
        article_type=values.text("type"),
        keywords=values.keywords(),
    )

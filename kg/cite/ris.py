"""Works as RIS, the tagged format Zotero, EndNote, Mendeley and most reference managers import.

Each record is ``TAG  - value`` lines from ``TY`` to ``ER  - `` followed by a blank line. Lines end
with LF (the RIS specification says CRLF; Zotero, EndNote, Mendeley and kg's reader read both, and
LF is what text tools expect). Every value is one line: line breaks in abstracts become spaces.

Tags, in this order:

- ``TY``: JOUR, CHAP, BOOK, CPAPER, THES, RPRT, UNPB (preprint), GEN (other);
- ``AU`` one per author in order, ``Family, Given`` (a corporate author: its name); editors are
  ``A2`` for chapters and conference papers (the RIS specification's "Editor" of CHAP and
  CPAPER) and ``ED`` for every other type;
- ``TI``; ``T2`` the journal, book or proceedings title; ``J2`` the journal's abbreviation;
- ``PY`` the year; ``DA`` ``YYYY/MM/DD/`` (``YYYY/MM//`` for a month) when more than the year is
  known;
- ``VL``, ``IS``, ``SP``, ``EP``, ``C7`` (article number);
- ``SN`` one per ISSN and ISBN; an ISSN's medium as a note, ``2345-6789 (Electronic)``,
  ``3456-7890 (Linking)`` (as Scopus and PubMed write it); a print ISSN is written bare, because
  the graph holds print ISSNs and ISSNs of an unstated medium alike (``bibo:issn``);
- ``DO``; ``AN`` the PMID with ``DB  - PubMed`` (EndNote's way: the accession number in the named
  database);
- ``AB``; ``KW`` one per keyword; ``PB``; ``LA``; ``UR``; ``M3`` the genre ("Research Article");
- ``FU`` one per funder, ``Name [award, award]`` (Web of Science's funding tag, which kg reads).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kg.cite.works import Agent, CitedWork, issn_text, one_line
from kg.core.records import PartialDate, WorkKind

TYPES = {
    WorkKind.ARTICLE: "JOUR",
    WorkKind.CHAPTER: "CHAP",
    WorkKind.BOOK: "BOOK",
    WorkKind.CONFERENCE_PAPER: "CPAPER",
    WorkKind.THESIS: "THES",
    WorkKind.REPORT: "RPRT",
    WorkKind.PREPRINT: "UNPB",
    WorkKind.OTHER: "GEN",
}
_EDITORS_IN_A2 = frozenset({WorkKind.CHAPTER, WorkKind.CONFERENCE_PAPER})


def write_ris(works: Sequence[CitedWork]) -> str:
    """All works as one RIS text (records in the order given)."""
    return "".join(_record(work) for work in works)


def _record(work: CitedWork) -> str:
    lines = [f"{tag}  - {value}" for tag, value in _tags(work) if value]
    return "\n".join([f"TY  - {TYPES[work.kind]}", *lines, "ER  - ", "", ""])


def _tags(work: CitedWork) -> Iterator[tuple[str, str]]:
    for author in work.authors:
        yield "AU", _name(author)
    editor_tag = "A2" if work.kind in _EDITORS_IN_A2 else "ED"
    for editor in work.editors:
        yield editor_tag, _name(editor)
    yield "TI", _text(work.title)
    yield "T2", _text(work.container_title)
    journal = work.journal
    if journal is not None:
        yield "J2", _text(journal.short_name)
    if work.published is not None:
        yield "PY", f"{work.published.year:04d}"
        yield "DA", _date(work.published)
    if journal is not None:
        yield "VL", _text(journal.volume)
        yield "IS", _text(journal.issue)
    yield "SP", _text(work.page_start)
    yield "EP", _text(work.page_end)
    yield "C7", _text(work.article_number)
    issns, isbns = work.standard_numbers
    for issn in issns:
        yield "SN", one_line(issn_text(issn))
    for isbn in isbns:
        yield "SN", one_line(isbn)
    yield "DO", _text(work.doi)
    if work.pmid:
        yield "AN", one_line(work.pmid)
        yield "DB", "PubMed"
    yield "AB", _text(work.abstract)
    for keyword in work.keywords:
        yield "KW", one_line(keyword)
    yield "PB", _text(work.publisher)
    yield "LA", _text(work.language)
    yield "UR", _text(work.url)
    yield "M3", _text(work.genre)
    for funder in work.funders:
        if funder.name:
            awards = f" [{', '.join(funder.awards)}]" if funder.awards else ""
            yield "FU", one_line(funder.name + awards)


def _text(value: str | None) -> str:
    return one_line(value) if value else ""


def _name(agent: Agent) -> str:
    """``Family, Given``; a corporate author, or a name without parts, as written."""
    if agent.organization or not agent.family:
        return one_line(agent.name)
    if not agent.given:
        return one_line(agent.family)
    return one_line(f"{agent.family}, {agent.given}")


def _date(date: PartialDate) -> str:
    """``2014/03/14/`` or ``2014/03//``; nothing for a year alone (``PY`` says it)."""
    if date.month is None:
        return ""
    day = f"{date.day:02d}" if date.day is not None else ""
    return f"{date.year:04d}/{date.month:02d}/{day}/"

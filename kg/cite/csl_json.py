"""Works as CSL-JSON, the item data of citeproc (Zotero, pandoc, citation.js, Mendeley).

A JSON array, indented by 2, UTF-8 (``ensure_ascii=False``), one item per work with its keys in
this fixed order: ``id`` (the work's IRI), ``type`` (article-journal, chapter, book,
paper-conference, thesis, report, ``article`` for a preprint as CSL 1.0.2 and Zotero use it,
``document`` for other), ``title``, ``author`` and ``editor`` (``{"family", "given"}``, or
``{"literal"}`` for a corporate author or a name without parts), ``issued`` (``date-parts`` to the
precision known), ``container-title``, ``container-title-short``, ``volume``, ``issue``, ``page``
(``29-40``), ``number`` (the article number), ``ISSN`` and ``ISBN`` (CSL variables hold one text:
several are joined by ", ", an ISSN's medium as a note, ``2345-6789 (Electronic)``), ``DOI``,
``PMID``, ``URL``, ``language``, ``publisher``, ``abstract`` (paragraphs kept), ``keyword``
(joined by ", ", or by "; " when a keyword holds a comma), ``genre``, ``license`` (one text: the
first licence address when there are several), ``status`` (``ahead of print``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from kg.cite.works import Agent, CitedWork, issn_text, one_line, paragraphs
from kg.core.records import PartialDate, WorkKind

TYPES = {
    WorkKind.ARTICLE: "article-journal",
    WorkKind.CHAPTER: "chapter",
    WorkKind.BOOK: "book",
    WorkKind.CONFERENCE_PAPER: "paper-conference",
    WorkKind.THESIS: "thesis",
    WorkKind.REPORT: "report",
    WorkKind.PREPRINT: "article",
    WorkKind.OTHER: "document",
}


def write_csl_json(works: Sequence[CitedWork]) -> str:
    """All works as one CSL-JSON array (items in the order given), ending with a line break."""
    items = [dict(_item(work)) for work in works]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _item(work: CitedWork) -> Iterator[tuple[str, Any]]:
    yield "id", work.iri
    yield "type", TYPES[work.kind]
    fields: list[tuple[str, Any]] = [
        ("title", _text(work.title)),
        ("author", [_name(agent) for agent in work.authors]),
        ("editor", [_name(agent) for agent in work.editors]),
        ("issued", _date(work.published)),
        ("container-title", _text(work.container_title)),
    ]
    journal = work.journal
    if journal is not None:
        fields += [
            ("container-title-short", _text(journal.short_name)),
            ("volume", _text(journal.volume)),
            ("issue", _text(journal.issue)),
        ]
    issns, isbns = work.standard_numbers
    fields += [
        ("page", _pages(work)),
        ("number", _text(work.article_number)),
        ("ISSN", ", ".join(one_line(issn_text(issn)) for issn in issns)),
        ("ISBN", ", ".join(one_line(isbn) for isbn in isbns)),
        ("DOI", _text(work.doi)),
        ("PMID", _text(work.pmid)),
        ("URL", _text(work.url)),
        ("language", _text(work.language)),
        ("publisher", _text(work.publisher)),
        ("abstract", "\n\n".join(paragraphs(work.abstract or ""))),
        ("keyword", _keywords(work.keywords)),
        ("genre", _text(work.genre)),
        ("license", work.licenses[0] if work.licenses else ""),
        ("status", "ahead of print" if work.ahead_of_print else ""),
    ]
    yield from ((key, value) for key, value in fields if value)


def _text(value: str | None) -> str:
    return one_line(value) if value else ""


def _keywords(keywords: tuple[str, ...]) -> str:
    """Joined by ", ", or by "; " when a keyword holds a comma ("Power, Psychological")."""
    separator = "; " if any("," in keyword for keyword in keywords) else ", "
    return separator.join(one_line(keyword) for keyword in keywords)


def _name(agent: Agent) -> dict[str, str]:
    if agent.organization or not (agent.family or agent.given):
        return {"literal": one_line(agent.name)}
    name = {"family": one_line(agent.family or "")}
    if agent.given:
        name["given"] = one_line(agent.given)
    return {key: value for key, value in name.items() if value}


def _date(date: PartialDate | None) -> dict[str, list[list[int]]] | None:
    if date is None:
        return None
    parts = [date.year, date.month, date.day if date.month is not None else None]
    return {"date-parts": [[part for part in parts if part is not None]]}


def _pages(work: CitedWork) -> str:
    start, end = work.page_start, work.page_end
    if start and end:
        return f"{one_line(start)}-{one_line(end)}"
    return _text(start or end)

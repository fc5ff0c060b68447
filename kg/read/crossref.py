"""Reader for Crossref REST API works: a saved ``/works`` answer (``"message-type": "work-list"``,
records in ``message.items``), a single ``/works/{doi}`` answer (``"message-type": "work"``),
or, as some scripts save them, one bare work object or an array of works.

Each work is a record located at its opening brace and its path (``message.items[3]``, counted
from 0: a compact answer is all on line 1). Fields read:

- ``type`` → ``kind`` (journal-article → ARTICLE; book-chapter, book-section, book-part,
  reference-entry → CHAPTER; book, monograph, edited-book, reference-book → BOOK;
  proceedings-article → CONFERENCE_PAPER; dissertation → THESIS; posted-content → PREPRINT,
  or REPORT/THESIS when its ``subtype`` says working_paper/report/dissertation; report,
  report-component → REPORT; anything else, such as component or dataset → OTHER), and
  ``content_type`` as written.
- ``title[0]`` with ``subtitle[0]`` after ": " (other titles are reported as left out);
  ``container-title[0]`` → venue title (a book's container is its series: reported, not read);
  ``short-container-title[0]`` → short title; ``volume``; ``issue`` (or ``journal-issue.issue``);
  ``ISSN`` with its medium from ``issn-type`` (print/electronic) on the one venue; ``ISBN``
  (and ``isbn-type`` values not in ``ISBN``); ``page`` → first and last page (as CSL-JSON reads
  it: a short end page is expanded); ``article-number`` (Elsevier repeats it as the ``page``;
  then it is only the article number).
- ``DOI``, ``URL``, ``language``, ``publisher`` as written; ``subject`` → keywords.
- ``abstract``: JATS XML (``<jats:p>``, ``<jats:title>``, ``<jats:sec>``, inline markup,
  ``<jats:tex-math>`` kept as its TeX) → text: a leading "Abstract" title dropped, paragraphs
  split by a blank line, titled sections as abstract sections. Titles lose inline markup too.
- ``author`` and ``editor``: read as CSL-JSON reads them
  (:func:`kg.read._json_fields.read_names`): given/family/suffix, ``ORCID`` as written (an
  https://orcid.org/ address), ``name`` (without a family name) → an organisation, a family name
  alone that reads like an organisation's → an organisation; a name listed twice keeps both
  places and is reported. ``sequence`` and affiliations are not read.
- ``funder`` → funders (name, funder DOI 10.13039/…, ``award`` numbers or ``award-info``);
  ``license[].URL`` → licences, each address once.
- ``published``: Crossref's ``issued``, which it defines as the earliest of the print and
  online publication dates (what citations print). When ``issued`` is missing or
  ``[[null]]`` (components, some dissertations), ``published``, ``published-print``,
  ``published-online`` and ``posted`` are tried in turn; without any the record has no date
  and no warning (the record simply gives none). ``created``/``deposited``/``indexed`` are
  Crossref's own bookkeeping dates and ``accepted``/``approved`` are not publication dates.

The many other Crossref fields (``reference``, ``link``, ``relation``, ``event``,
``institution``, counts and scores ...) are not read and not reported; a key that is no Crossref
field is reported as left out. A ``work-list`` page that holds fewer items than
``total-results`` is reported once: the other results are not in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import Funder, Issn, IssnKind, PartialDate, Record, Venue, WorkKind
from kg.core.text import shorten
from kg.errors import InputError, RecordError
from kg.identifiers import issn as issn_id
from kg.read._json import (
    JsonArray,
    JsonObject,
    LongNumber,
    describe,
    index_path,
    json_head,
    looks_like_crossref,
    parse_json,
)
from kg.read._json_fields import (
    Item,
    JsonFields,
    issn_kind,
    read_date,
    read_items,
    read_names,
    split_pages,
)

_KINDS = {
    "journal-article": WorkKind.ARTICLE,
    "book-chapter": WorkKind.CHAPTER,
    "book-section": WorkKind.CHAPTER,
    "book-part": WorkKind.CHAPTER,
    "reference-entry": WorkKind.CHAPTER,
    "book": WorkKind.BOOK,
    "monograph": WorkKind.BOOK,
    "edited-book": WorkKind.BOOK,
    "reference-book": WorkKind.BOOK,
    "proceedings-article": WorkKind.CONFERENCE_PAPER,
    "dissertation": WorkKind.THESIS,
    "posted-content": WorkKind.PREPRINT,
    "report": WorkKind.REPORT,
    "report-component": WorkKind.REPORT,
}
_POSTED_SUBTYPES = {
    "working_paper": WorkKind.REPORT,
    "report": WorkKind.REPORT,
    "dissertation": WorkKind.THESIS,
}
_NOT_AN_OBJECT = "work is {value}, not an object; a Crossref work is an object"
_DATE_KEYS = ("issued", "published", "published-print", "published-online", "posted")

_READ_KEYS = frozenset(
    {"type", "subtype", "title", "subtitle", "container-title", "short-container-title"}
    | {"volume", "issue", "journal-issue", "page", "article-number", "ISSN", "issn-type"}
    | {"ISBN", "isbn-type", "DOI", "URL", "language", "publisher", "subject", "abstract"}
    | {"author", "editor", "funder", "license", *_DATE_KEYS}
)
_KNOWN_KEYS = _READ_KEYS | frozenset(
    {"indexed", "reference-count", "references-count", "is-referenced-by-count", "reference"}
    | {"content-domain", "created", "deposited", "update-policy", "source", "prefix", "member"}
    | {"link", "score", "resource", "alternative-id", "assertion", "special_numbering"}
    | {"event", "group-title", "publisher-location", "institution", "accepted", "approved"}
    | {"archive", "description", "relation", "degree", "original-title", "short-title"}
    | {"published-other", "content-created", "content-updated", "clinical-trial-number"}
    | {"chair", "translator", "update-to", "updated-by", "free-to-read", "part-number"}
    | {"component-number", "edition-number", "aliases", "standards-body", "project"}
    | {"proceedings-subject", "issue-title", "review", "version", "award", "award-start"}
    | {"funding", "investigator", "lead-investigator", "co-lead-investigator", "cr-labs-updates"}
    | {"status", "abstract-language", "language-of-content", "posted-content-type"}
)


def sniff(lines: list[str]) -> bool:
    """Crossref's envelope (``"message-type": "work-list"``), or works with list-valued titles
    (or Crossref's counts and no text title, for an untitled work)."""
    head = json_head(lines)
    return head is not None and looks_like_crossref(head)


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records of one Crossref answer, in file order; a file that is not JSON, or an answer
    that holds no works, is an InputError."""
    document = parse_json(lines, label)
    items, notes = _items(document.root, label)
    yield from read_items(items, document, label, _record, _NOT_AN_OBJECT)
    yield from notes


def _items(root: object, label: str) -> tuple[list[Item], list[Problem]]:
    """Every work with its path and line, and notes about the envelope."""
    if isinstance(root, JsonArray):
        return _array_items(root, ""), []
    if not isinstance(root, JsonObject):
        raise InputError(
            f"{label}: a Crossref answer is a JSON object; this file is {describe(root)}"
        )
    if "message" not in root and "message-type" not in root:
        if "DOI" in root or "type" in root:
            return [("", root.line, root)], []  # one bare work
        raise InputError(f'{label}: no Crossref "message" and no work (no "DOI" or "type")')
    status = root.get("status")
    if status not in (None, "ok"):
        detail = describe(root.get("message"))
        raise InputError(f"{label}: Crossref answered with status {status!r} ({detail}), not works")
    message = root.get("message")
    message_type = root.get("message-type")
    if message_type not in (None, "work", "work-list"):
        raise InputError(
            f"{label}: Crossref message-type {message_type!r} holds no works "
            '(expected "work-list" from /works or "work" from /works/{doi})'
        )
    if not isinstance(message, JsonObject):
        raise InputError(f'{label}: the Crossref "message" is {describe(message)}, not an object')
    items = message.get("items")
    if message_type == "work" or (message_type is None and items is None):
        return [("message", message.line, message)], []
    if not isinstance(items, JsonArray):
        raise InputError(f'{label}: "message.items" is {describe(items)}, not a list of works')
    return _array_items(items, "message.items"), _page_notes(message, items, label)


def _array_items(array: JsonArray, path: str) -> list[Item]:
    return [(index_path(path, i), array.item_lines[i], item) for i, item in enumerate(array)]


def _page_notes(message: JsonObject, items: JsonArray, label: str) -> list[Problem]:
    total = message.get("total-results")
    if not isinstance(total, int) or isinstance(total, bool) or total <= len(items):
        return []
    where = SourceLocation(label, message.key_lines["total-results"], "message.total-results")
    text = (
        f"this answer holds {len(items)} of {total} results (one page of a paged query); "
        f"the other {total - len(items)} are not in this file"
    )
    return [Problem(where, None, text, Severity.WARNING)]


def _record(fields: JsonFields) -> Record:
    content_type = _content_type(fields)
    kind = _kind(fields, content_type)
    for key in fields.obj:
        if key not in _KNOWN_KEYS:
            fields.warn(key, f"key {key!r} is not a Crossref work field; left out")
    page_start, page_end, article_number = _pages(fields)
    abstract, sections = fields.long_text("abstract")
    return Record(
        source=fields.location,
        number=fields.record,
        kind=kind,
        content_type=content_type,
        published=_published(fields),
        authors=read_names(fields, "author", whole_name="name", whole_name_is_organization=True),
        title=_title(fields),
        doi=fields.text("DOI"),
        editors=read_names(fields, "editor", whole_name="name", whole_name_is_organization=True),
        url=fields.text("URL"),
        language=fields.text("language"),
        publisher=fields.text("publisher"),
        page_start=page_start,
        page_end=page_end,
        article_number=article_number,
        funders=_funders(fields),
        licenses=_licenses(fields),
        abstract=abstract,
        abstract_sections=sections,
        venue=_venue(fields, kind),
        keywords=tuple(fields.texts("subject")),
    )


def _content_type(fields: JsonFields) -> str:
    value = fields.obj.get("type")
    if value is None:
        raise RecordError('work has no "type"; every Crossref work has one ("journal-article" ...)')
    if not isinstance(value, str) or isinstance(value, LongNumber) or not value.strip():
        raise RecordError(
            f'"type" is {describe(value)}, not a Crossref type ("journal-article" ...)'
        )
    return value.strip()


def _kind(fields: JsonFields, content_type: str) -> WorkKind:
    if content_type == "posted-content":
        return _POSTED_SUBTYPES.get(fields.text("subtype") or "", WorkKind.PREPRINT)
    return _KINDS.get(content_type, WorkKind.OTHER)


def _title(fields: JsonFields) -> str | None:
    title = fields.first_text("title", markup=True)
    subtitle = fields.first_text("subtitle", markup=True)
    if title and subtitle and subtitle.casefold() not in title.casefold():
        return f"{title}: {subtitle}"
    return title or subtitle


def _pages(fields: JsonFields) -> tuple[str | None, str | None, str | None]:
    start, end = split_pages(fields, "page")
    article_number = fields.text("article-number")
    if article_number is not None and end is None and start == article_number:
        start = None  # Elsevier gives the article number as the page too
    return start, end, article_number


def _published(fields: JsonFields) -> PartialDate | None:
    for key in _DATE_KEYS:
        if _gives_date(fields.obj.get(key)):
            return read_date(fields, key)
    return None


def _gives_date(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, JsonObject):
        parts = value.get("date-parts")
        if parts in ([], [[]], [[None]]) or (parts is None and not value.get("date-time")):
            return False
    return True


def _venue(fields: JsonFields, kind: WorkKind) -> Venue | None:
    title = fields.first_text("container-title", markup=True)
    if kind is WorkKind.BOOK and title is not None:
        fields.warn(
            "container-title",
            f"container title {shorten(title)!r} of a book (its series?) is not read",
        )
        title = None
    issue = fields.text("issue")
    journal_issue = fields.child("journal-issue")
    if issue is None and journal_issue is not None:
        issue = journal_issue.text("issue")
    venue = Venue(
        title=title,
        volume=fields.text("volume"),
        issue=issue,
        issns=_issns(fields),
        isbns=_isbns(fields),
        short_title=fields.first_text("short-container-title", markup=True),
    )
    return None if venue == Venue(title=None) else venue


def _typed_values(fields: JsonFields, key: str) -> list[tuple[str, str | None]]:
    """(value, type) of ``issn-type`` / ``isbn-type`` entries."""
    return [
        (value, entry.text("type"))
        for entry in fields.children(key)
        if (value := entry.text("value")) is not None
    ]


def _issns(fields: JsonFields) -> tuple[Issn, ...]:
    typed = _typed_values(fields, "issn-type")
    kinds = {issn_id.compact(value): issn_kind(kind) for value, kind in typed}
    found = [
        Issn(value, kinds.get(issn_id.compact(value), IssnKind.UNKNOWN))
        for value in fields.texts("ISSN")
    ]
    listed = {issn_id.compact(issn.value) for issn in found}
    found += [
        Issn(value, issn_kind(kind))
        for value, kind in typed
        if issn_id.compact(value) not in listed
    ]
    return tuple(found)


def _isbns(fields: JsonFields) -> tuple[str, ...]:
    found = fields.texts("ISBN")
    listed = {re.sub(r"[^0-9X]", "", value.upper()) for value in found}
    for value, _ in _typed_values(fields, "isbn-type"):
        if re.sub(r"[^0-9X]", "", value.upper()) not in listed:
            found.append(value)
    return tuple(found)


def _funders(fields: JsonFields) -> tuple[Funder, ...]:
    funders = []
    for index, entry in enumerate(fields.children("funder")):
        name, doi = entry.text("name"), entry.text("DOI")
        awards = entry.texts("award")
        if not awards:
            for info in entry.children("award-info"):
                awards += info.texts("award-number")
        if name is None and doi is None:
            entry.warn(None, f"funder[{index}] has neither a name nor a DOI; left out")
            continue
        funders.append(Funder(name, doi, tuple(awards)))
    return tuple(funders)


def _licenses(fields: JsonFields) -> tuple[str, ...]:
    found: list[str] = []
    for entry in fields.children("license"):
        url = entry.text("URL")
        if url is not None and url not in found:
            found.append(url)
    return tuple(found)

"""Reader for CSL-JSON, the citation data of citeproc: Zotero's "Export → CSL JSON", citation.js,
pandoc, Mendeley and others.

The file is an array of items (a single item object is accepted too); each item is a record,
located at its opening brace and its path ``[4]`` (counted from 0). Fields read:

- ``type`` → ``kind`` (article-journal, article-magazine, article-newspaper, review → ARTICLE;
  article → PREPRINT, see below; chapter and dictionary/encyclopedia entries → CHAPTER; book →
  BOOK; paper-conference → CONFERENCE_PAPER; thesis → THESIS; report → REPORT; the non-CSL
  posted-content → PREPRINT; anything else → OTHER), and ``content_type`` as written. A
  ``genre`` naming a preprint or a working paper decides for ``article`` and ``report``.
  CSL 1.0.2 defines ``article`` as "a preprint, working paper, or other article not otherwise
  categorized", and Zotero exports its Preprint items as ``article`` (journal articles are
  ``article-journal``), so ``article`` is read as a preprint.
- ``title``; ``container-title`` → venue title (for a BOOK the venue has no title, only the
  book's ISBNs); ``container-title-short`` or Zotero's ``journalAbbreviation`` → short title;
  ``volume``, ``issue``; ``ISSN`` (one text that may hold several: "0168-8278, 1600-0641", or a
  list); ``ISBN``; ``page`` ("877-888", "D826-D834", "179") → first and last page (a short end
  page, "573-78", expanded by the rule of :mod:`kg.read.pages`).
- ``DOI``, ``PMID``, ``URL``, ``language``, ``publisher`` as written; ``abstract`` (HTML
  fragments such as bioRxiv's figure ``<img>`` removed, lines kept as paragraphs);
  ``keyword`` (one text split on ";" when it holds one, else on ",", or a list); ``license``
  when it is an address.
- ``author`` and ``editor``: family / given / suffix / dropping-particle / non-dropping-particle
  (particles belong to the family name, as in :mod:`kg.read.names`), or ``literal``, a whole name
  in one text: an organisation when it reads like one ("… Study Group of the … Consortium"),
  else a person's name split with :func:`kg.read.names.parse_person_name` (Zotero writes
  ``"literal": "Simon Y. Graeber"``). ``ORCID`` (not a CSL variable, but Crossref's and
  citation.js's CSL-JSON carry it) as written. A name listed twice keeps both places and is
  reported. (The Crossref reader reads names by the same rules:
  :func:`kg.read._json_fields.read_names`.)
- ``issued`` → ``published``: ``date-parts`` whose parts may be texts (``[["2024", 11, 13]]``,
  Zotero), ``raw``/``literal`` ISO dates; a season (month 13-16, 21-24) keeps only the year;
  a date range keeps its start; anything else is reported. ``accessed`` is when the item was
  looked at, not published, and is not read.

The CSL variables not listed (``id``, ``source``, ``accessed``, ``note``, ``PMCID``,
``collection-title``, ``edition``, ``number``, ``event``, other name roles ...) are not read
and not reported; a key that is no CSL variable at all is reported as left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.core.problems import Problem
from kg.core.records import Record, Venue, WorkKind
from kg.core.text import shorten
from kg.errors import InputError, RecordError
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
    JsonFields,
    read_date,
    read_items,
    read_names,
    split_pages,
)

_KINDS = {
    "article-journal": WorkKind.ARTICLE,
    "article-magazine": WorkKind.ARTICLE,
    "article-newspaper": WorkKind.ARTICLE,
    "review": WorkKind.ARTICLE,
    "review-book": WorkKind.ARTICLE,
    "article": WorkKind.PREPRINT,
    "posted-content": WorkKind.PREPRINT,
    "chapter": WorkKind.CHAPTER,
    "entry-dictionary": WorkKind.CHAPTER,
    "entry-encyclopedia": WorkKind.CHAPTER,
    "book": WorkKind.BOOK,
    "paper-conference": WorkKind.CONFERENCE_PAPER,
    "thesis": WorkKind.THESIS,
    "report": WorkKind.REPORT,
}

# Every CSL 1.0.2 variable (and the older or tool-specific ones Zotero and citation.js write):
# the ones not read are known and left out quietly.
_READ_KEYS = frozenset(
    {"type", "title", "container-title", "container-title-short", "journalAbbreviation"}
    | {"volume", "issue", "page", "ISSN", "ISBN", "DOI", "PMID", "URL", "language"}
    | {"publisher", "abstract", "keyword", "license", "author", "editor", "issued", "genre"}
)
_KNOWN_KEYS = _READ_KEYS | frozenset(
    {"id", "citation-key", "citation-label", "citation-number", "categories", "custom"}
    | {"annote", "archive", "archive_collection", "archive_location", "archive-place"}
    | {"authority", "call-number", "chapter-number", "collection-number", "collection-title"}
    | {"dimensions", "division", "edition", "event", "event-title", "event-place"}
    | {"first-reference-note-number", "jurisdiction", "locator", "medium", "note", "number"}
    | {"number-of-pages", "number-of-volumes", "original-publisher", "original-title"}
    | {"original-publisher-place", "page-first", "part-number", "part-title", "PMCID"}
    | {"printing-number", "publisher-place", "references", "reviewed-genre", "reviewed-title"}
    | {"scale", "section", "source", "status", "supplement-number", "title-short", "version"}
    | {"volume-title", "volume-title-short", "year-suffix", "shortTitle", "system_id"}
    | {"accessed", "available-date", "event-date", "original-date", "submitted"}
    | {"chair", "collection-editor", "compiler", "composer", "container-author", "contributor"}
    | {"curator", "director", "editorial-director", "editor-translator", "executive-producer"}
    | {"guest", "host", "illustrator", "interviewer", "narrator", "organizer"}
    | {"original-author", "performer", "producer", "recipient", "reviewed-author"}
    | {"script-writer", "series-creator", "translator", "_graph"}
)

_NOT_AN_OBJECT = "item is {value}, not an object; a CSL item is an object"

_CSL_TYPE = re.compile(r'"type"\s*:\s*"[a-z][a-z_-]*"')
_CSL_KEYS = re.compile(r'"(?:date-parts|family|literal|container-title-short|citation-key)"\s*:')
_CSL_CONTAINER = re.compile(r'"container-title"\s*:\s*"')


def sniff(lines: list[str]) -> bool:
    """A JSON array (or object) of items with a CSL ``type`` and CSL keys such as
    ``date-parts``/``family``, without Crossref's envelope or list-valued titles."""
    head = json_head(lines)
    if head is None or looks_like_crossref(head):
        return False
    return bool(_CSL_TYPE.search(head)) and bool(
        _CSL_KEYS.search(head) or _CSL_CONTAINER.search(head)
    )


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records of one CSL-JSON file, in file order; a file that is not JSON is an InputError."""
    document = parse_json(lines, label)
    items = _items(document.root, label)
    yield from read_items(items, document, label, _record, _NOT_AN_OBJECT)


def _items(root: object, label: str) -> list[tuple[str, int, object]]:
    """(path, line, value) of every item: the array's elements, or the one object."""
    if isinstance(root, JsonArray):
        return [
            (index_path("", index), root.item_lines[index], item) for index, item in enumerate(root)
        ]
    if isinstance(root, JsonObject) and "type" in root:
        return [("", root.line, root)]
    raise InputError(
        f'{label}: CSL-JSON is an array of items (or one item with a "type"); '
        f"this file holds {describe(root)} without one"
    )


def _record(fields: JsonFields) -> Record:
    content_type = _content_type(fields)
    kind = _kind(fields, content_type)
    for key in fields.obj:
        if key not in _KNOWN_KEYS:
            fields.warn(key, f"key {key!r} is not a CSL-JSON variable; left out")
    page_start, page_end = split_pages(fields, "page")
    abstract, sections = fields.long_text("abstract")
    return Record(
        source=fields.location,
        number=fields.record,
        kind=kind,
        content_type=content_type,
        published=read_date(fields, "issued"),
        authors=read_names(fields, "author", whole_name="literal"),
        title=fields.first_text("title", markup=True),
        doi=fields.text("DOI"),
        editors=read_names(fields, "editor", whole_name="literal"),
        pmid=fields.text("PMID"),
        url=fields.text("URL"),
        language=fields.text("language"),
        publisher=fields.text("publisher"),
        page_start=page_start,
        page_end=page_end,
        licenses=_licenses(fields),
        abstract=abstract,
        abstract_sections=sections,
        venue=_venue(fields, kind),
        keywords=_keywords(fields),
    )


def _content_type(fields: JsonFields) -> str:
    value = fields.obj.get("type")
    if value is None:
        raise RecordError('item has no "type"; every CSL item needs one (e.g. "article-journal")')
    if not isinstance(value, str) or isinstance(value, LongNumber) or not value.strip():
        raise RecordError(f'"type" is {describe(value)}, not a CSL type such as "article-journal"')
    return value.strip()


def _kind(fields: JsonFields, content_type: str) -> WorkKind:
    genre = (fields.text("genre") or "").lower()
    if content_type in ("article", "report") and "preprint" in genre:
        return WorkKind.PREPRINT
    if content_type == "article" and "working paper" in genre:
        return WorkKind.REPORT
    return _KINDS.get(content_type, WorkKind.OTHER)


def _venue(fields: JsonFields, kind: WorkKind) -> Venue | None:
    title = fields.first_text("container-title", markup=True)
    if kind is WorkKind.BOOK and title is not None:
        fields.warn("container-title", f"container title {shorten(title)!r} of a book is not read")
        title = None
    short_title = fields.first_text("container-title-short") or fields.first_text(
        "journalAbbreviation"
    )
    venue = Venue(
        title=title,
        volume=fields.text("volume"),
        issue=fields.text("issue"),
        issns=tuple(fields.issns("ISSN")),
        isbns=tuple(fields.isbns("ISBN")),
        short_title=short_title,
    )
    return None if venue == Venue(title=None) else venue


def _keywords(fields: JsonFields) -> tuple[str, ...]:
    found: list[str] = []
    for text in fields.texts("keyword"):
        # "a; b" when a keyword holds a comma ("Power, Psychological"), else "a, b"
        separator = ";" if ";" in text else ","
        found.extend(part.strip() for part in text.split(separator) if part.strip())
    return tuple(found)


def _licenses(fields: JsonFields) -> tuple[str, ...]:
    """Only licence addresses: a licence text ("© 2024 The Authors") names no licence."""
    return tuple(text for text in fields.texts("license") if re.match(r"https?://\S+$", text))

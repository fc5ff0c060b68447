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
  list); ``ISBN``; ``page`` ("877-888", "D826-D834", "179") → first and last page.
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
  reported.
- ``issued`` → ``published``: ``date-parts`` whose parts may be texts (``[["2024", 11, 13]]``,
  Zotero), ``raw``/``literal`` ISO dates; a season (month 13-16, 21-24) keeps only the year;
  a date range keeps its start; anything else is reported. ``accessed`` is when the item was
  looked at, not published, and is not read.

The CSL variables not listed (``id``, ``source``, ``accessed``, ``note``, ``PMCID``,
``collection-title``, ``edition``, ``number``, ``event``, other name roles ...) are not read
and not reported; a key that is no CSL variable at all is reported as left out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from kg.core.problems import Problem
from kg.core.records import PersonName, Record, Venue, WorkKind
from kg.errors import InputError, RecordError
from kg.read._json import (
    JsonArray,
    JsonObject,
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
    split_pages,
)
from kg.read.names import parse_person_name

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

# Words that make a one-piece name an organisation rather than a person.
_ORGANIZATION_WORDS = re.compile(
    r"\b(?:consortium|group|committee|collaboration|network|association|society|institute"
    r"|university|council|organi[sz]ation|foundation|agency|cent(?:er|re)|team|study|project"
    r"|initiative|alliance|ministry|department|office|board|investigators|working|program(?:me)?"
    r"|federation|union|commission|trust|inc|ltd|gmbh|llc|corporation|company|laboratory"
    r"|hospital|school|college|academy|world|national|international)\b",
    re.IGNORECASE,
)


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
        authors=_names(fields, "author"),
        title=fields.first_text("title", markup=True),
        doi=fields.text("DOI"),
        editors=_names(fields, "editor"),
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
    if not isinstance(value, str) or not value.strip():
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
        fields.warn("container-title", f"container title {title!r} of a book is not read")
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


def _names(fields: JsonFields, key: str) -> tuple[PersonName, ...]:
    names = []
    for index, entry in enumerate(fields.children(key)):
        name = _name(entry)
        if name is None:
            entry.warn(None, f"{key}[{index}] has no name (no family, given or literal); left out")
        else:
            names.append(name)
    _report_repeats(fields, key, names)
    return tuple(names)


def _name(entry: JsonFields) -> PersonName | None:
    name = _name_parts(entry)
    orcid = entry.text("ORCID") or entry.text("orcid")  # not CSL, but Crossref's CSL has it
    return dataclasses.replace(name, orcid=orcid) if name and orcid else name


def _name_parts(entry: JsonFields) -> PersonName | None:
    literal = entry.text("literal")
    family_name = entry.text("family")
    if literal is not None and family_name is None:
        if looks_like_organization(literal):
            return PersonName(written=literal, organization=True)
        return parse_person_name(literal)
    given = entry.text("given")
    particles = [entry.text("dropping-particle"), entry.text("non-dropping-particle")]
    family_parts = [part for part in [*particles, family_name] if part]
    family = " ".join(family_parts) if family_parts else None
    suffix = entry.text("suffix")
    if family is None and given is None:
        return None
    written = " ".join(part for part in (given, family) if part)
    if suffix:
        comma = entry.obj.get("comma-suffix") is True
        written += f", {suffix}" if comma else f" {suffix}"
    if given is None and family is not None and looks_like_organization(family):
        return PersonName(written=written, organization=True)
    return PersonName(written=written, given=given, family=family)


def looks_like_organization(name: str) -> bool:
    """Whether a one-piece name names a group ("PREDICT Study Group of the EASL-CLIF
    Consortium", "World Health Organization") rather than a person ("Simon Y. Graeber").

    >>> looks_like_organization("PREDICT Study Group of the EASL-CLIF Consortium")
    True
    >>> looks_like_organization("Simon Y. Graeber")
    False
    """
    return (
        bool(_ORGANIZATION_WORDS.search(name))
        or len(name.split()) > 5
        or any(char.isdigit() for char in name)
    )


def _report_repeats(fields: JsonFields, key: str, names: list[PersonName]) -> None:
    """Names listed more than once in one list are kept in every place, and reported."""
    places: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        places.setdefault(name.written.casefold(), []).append(position)
    repeated = [(names[spots[0] - 1].written, spots) for spots in places.values() if len(spots) > 1]
    if repeated:
        shown = "; ".join(
            f"{written} ({', '.join(str(spot) for spot in spots)})" for written, spots in repeated
        )
        fields.warn(
            key, f"{key} list names the same person more than once (kept as written): {shown}"
        )

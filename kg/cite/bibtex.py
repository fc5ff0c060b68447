"""Works as BibTeX entries, readable by BibTeX, biber/biblatex, Zotero, JabRef and kg's reader.

Entry types: ``@article``, ``@incollection`` (chapter), ``@book``, ``@inproceedings``,
``@phdthesis`` (``@mastersthesis`` when the genre or source type says master), ``@techreport``,
``@unpublished`` (preprint), ``@misc`` (other).

Keys are stable and readable: the first author's (else editor's) family name, the year and the
first title word that is not a small word ("a", "the", "of" ...), folded to ASCII letters and
digits (``osullivanreyes2014supervision``); ``anon`` and ``nd`` stand in for a missing author and
year. Works are keyed in IRI order; a key met again gets ``a``, ``b`` ... (``smith2020peera``).

Fields, in this order: ``author`` and ``editor`` (``Family, Given and …``; a corporate author as
``{{Name}}``, a brace group BibTeX never splits; ``and others`` when the source listed only some
authors), ``title`` (words with capitals after their first letter, such as ``HIV`` or
``McDonald``, braced so styles do not lower-case them), ``journal`` or ``booktitle`` (a chapter's
book, a paper's proceedings), ``shortjournal`` (biblatex), ``year``, ``month`` (the macro,
``mar``), ``date`` (biblatex, only when the day is known: BibTeX has no day field; BibTeX
ignores it, biber uses it and notes that it overrides year and month), ``volume``,
``number``, ``pages`` (``29--40``), ``eid`` (article number), ``publisher`` (``school`` for
theses, ``institution`` for reports), ``issn`` and ``isbn`` (comma separated; an ISSN's medium as a
note, ``2345-6789 (Electronic)``), ``doi``, ``pmid``, ``url``, ``language``, ``keywords`` (comma
separated, or semicolons when a keyword holds a comma), ``abstract`` (paragraphs kept), ``type``
(the genre).

Text is escaped for LaTeX: ``\\ { } & % $ # _ ~ ^`` become ``\\textbackslash{}``, ``\\{``,
``\\}``, ``\\&``, ``\\%``, ``\\$``, ``\\#``, ``\\_``, ``\\textasciitilde{}``,
``\\textasciicircum{}``, and ``--`` becomes ``-{}-`` (LaTeX would print a dash). BibTeX counts
escaped braces too when it looks for the end of a field, so only braces that pair up within the
text are written ``\\{`` and ``\\}``; a lone one is ``\\textbraceleft{}`` or
``\\textbraceright{}``. Every field's braces therefore balance, and no value can end its field
early (and add fields or entries of its own). ``doi`` and ``url`` are not escaped (biblatex
reads them verbatim); their braces are percent-encoded. Non-ASCII text stays UTF-8:
biber/biblatex and BibTeX with ``\\usepackage[utf8]{inputenc}`` (the default since LaTeX 2018)
read it; 8-bit BibTeX sorts it imperfectly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from kg.cite.works import Agent, CitedWork, issn_text, one_line, paragraphs
from kg.core.records import WorkKind

TYPES = {
    WorkKind.ARTICLE: "article",
    WorkKind.CHAPTER: "incollection",
    WorkKind.BOOK: "book",
    WorkKind.CONFERENCE_PAPER: "inproceedings",
    WorkKind.THESIS: "phdthesis",
    WorkKind.REPORT: "techreport",
    WorkKind.PREPRINT: "unpublished",
    WorkKind.OTHER: "misc",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BOOK_PARTS = frozenset({WorkKind.CHAPTER, WorkKind.CONFERENCE_PAPER})
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _ESCAPES))
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "at", "by", "from", "or"}
)
_FOLDED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})
_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)


def write_bibtex(works: Sequence[CitedWork]) -> str:
    """All works as one .bib text (entries in the order given, a blank line between them)."""
    keys = citation_keys(works)
    return "\n".join(_entry(work, key) for work, key in zip(works, keys, strict=True))


def citation_keys(works: Sequence[CitedWork]) -> list[str]:
    """A key for each work, unique in the list: ``family`` + ``year`` + ``word`` (+ a, b ...)."""
    used: set[str] = set()
    keys = []
    for work in works:
        base = _key_base(work)
        key, number = base, 0
        while key in used:
            key = base + _suffix(number)
            number += 1
        used.add(key)
        keys.append(key)
    return keys


def _suffix(number: int) -> str:
    """a ... z, aa, ab ..."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _key_base(work: CitedWork) -> str:
    first = (work.authors or work.editors or (None,))[0]
    name = _ascii_word((first.family or first.name) if first else "") or "anon"
    year = f"{work.published.year:04d}" if work.published else "nd"
    words = (_ascii_word(word) for word in (work.title or "").split())
    word = next((w for w in words if w and w not in _SMALL_WORDS), "")
    return f"{name}{year}{word}"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDED))
    return "".join(c for c in folded if c.isascii() and c.isalnum())


# --- one entry ---------------------------------------------------------------------------------


def _entry(work: CitedWork, key: str) -> str:
    fields = [f"  {name} = {value}" for name, value in _fields(work) if value]
    return f"@{_entry_type(work)}{{{key},\n" + ",\n".join(fields) + "\n}\n"


def _entry_type(work: CitedWork) -> str:
    said = f"{work.genre or ''} {work.content_type or ''}".casefold()
    if work.kind is WorkKind.THESIS and "master" in said:
        return "mastersthesis"
    return TYPES[work.kind]


def _fields(work: CitedWork) -> Iterator[tuple[str, str]]:
    authors = [_name(agent) for agent in work.authors]
    if work.authors_incomplete:
        authors.append("others")
    yield "author", _braced(" and ".join(authors))
    yield "editor", _braced(" and ".join(_name(agent) for agent in work.editors))
    yield "title", _braced(_title(work.title))
    container = "booktitle" if work.kind in _BOOK_PARTS else "journal"
    is_title = container == "booktitle"
    yield (
        container,
        _braced(_title(work.container_title) if is_title else _text(work.container_title)),
    )
    journal = work.journal
    if journal is not None:
        yield "shortjournal", _braced(_text(journal.short_name))
    date = work.published
    if date is not None:
        yield "year", f"{{{date.year:04d}}}"
        if date.month is not None:
            yield "month", MONTHS[date.month - 1]
            if date.day is not None:
                yield "date", f"{{{date.lexical}}}"
    if journal is not None:
        yield "volume", _braced(_text(journal.volume))
        yield "number", _braced(_text(journal.issue))
    yield "pages", _braced(_pages(work))
    yield "eid", _braced(_text(work.article_number))
    publisher = {WorkKind.THESIS: "school", WorkKind.REPORT: "institution"}.get(work.kind)
    yield publisher or "publisher", _braced(_text(work.publisher))
    issns, isbns = work.standard_numbers
    yield "issn", _braced(_text(", ".join(issn_text(issn) for issn in issns)))
    yield "isbn", _braced(_text(", ".join(isbns)))
    yield "doi", _braced(_verbatim(work.doi))
    yield "pmid", _braced(_text(work.pmid))
    yield "url", _braced(_verbatim(work.url))
    yield "language", _braced(_text(work.language))
    separator = "; " if any("," in keyword for keyword in work.keywords) else ", "
    yield "keywords", _braced(_text(separator.join(work.keywords)))
    yield "abstract", _braced(_abstract(work.abstract))
    yield "type", _braced(_text(work.genre))


def _braced(value: str) -> str:
    return f"{{{value}}}" if value else ""


def escape(text: str) -> str:
    r"""Plain text as BibTeX/LaTeX text: specials escaped, ``--`` kept two hyphens.

    BibTeX counts every brace, escaped or not, to find where a field ends, so ``\}`` would end
    it. A brace is written ``\{`` or ``\}`` only as one of a pair that balances within the
    text; any other is ``\textbraceleft{}`` or ``\textbraceright{}``, which hold no lone brace:

    >>> escape("a {b} c")
    'a \\{b\\} c'
    >>> escape("Peer support}, note = {x")
    'Peer support\\textbraceright{}, note = \\textbraceleft{}x'
    """
    paired = _paired_braces(text)

    def escaped(match: re.Match[str]) -> str:
        character = match.group()
        if character in "{}" and match.start() not in paired:
            return r"\textbraceleft{}" if character == "{" else r"\textbraceright{}"
        return _ESCAPES[character]

    return _SPECIAL.sub(escaped, text).replace("--", "-{}-").replace("--", "-{}-")


def _paired_braces(text: str) -> set[int]:
    """The positions of the braces of ``text`` that pair up (an opening brace with the first
    closing brace that balances it)."""
    paired: set[int] = set()
    opened: list[int] = []
    for position, character in enumerate(text):
        if character == "{":
            opened.append(position)
        elif character == "}" and opened:
            paired.update((opened.pop(), position))
    return paired


def _text(value: str | None) -> str:
    return escape(one_line(value)) if value else ""


def _title(value: str | None) -> str:
    """Escaped, with words such as ``HIV`` or ``iPhone`` braced against case changes."""
    if not value:
        return ""
    words = one_line(value).split(" ")
    return " ".join(f"{{{escape(w)}}}" if _has_inner_capital(w) else escape(w) for w in words)


def _has_inner_capital(word: str) -> bool:
    return any(character.isupper() for character in word[1:])


def _abstract(value: str | None) -> str:
    """Paragraphs kept (a blank line between them); a paragraph never starts a line with ``@``."""
    if not value:
        return ""
    kept = [escape(paragraph) for paragraph in paragraphs(value)]
    return "\n\n".join(f"{{}}{part}" if part.startswith("@") else part for part in kept)


def _verbatim(value: str | None) -> str:
    if not value:
        return ""
    return "".join(value.split()).replace("{", "%7B").replace("}", "%7D")


def _pages(work: CitedWork) -> str:
    start, end = work.page_start, work.page_end
    if start and end:
        return f"{_text(start)}--{_text(end)}"
    return _text(start or end)


def _name(agent: Agent) -> str:
    """``Family, Given`` (parts holding ``and`` or a comma braced); ``{{Name}}`` for bodies."""
    if agent.organization:
        return f"{{{{{escape(one_line(agent.name))}}}}}"
    if not agent.family:
        return _part(agent.name)
    family = _part(agent.family)
    if agent.given:
        return f"{family}, {_part(agent.given)}"
    return family + ("," if " " in family else "")  # "Mac Aodha," : one family name


def _part(text: str) -> str:
    escaped = escape(one_line(text))
    return f"{{{escaped}}}" if "," in escaped or _AND.search(escaped) else escaped

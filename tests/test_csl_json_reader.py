"""The CSL-JSON reader (and the JSON parsing it shares with the Crossref reader): a real Zotero
export, every field and quirk on small made-up items, malformed input and random mutations."""

from __future__ import annotations

import doctest
import json
import random
from pathlib import Path
from typing import Any

import pytest

from kg.core.problems import Problem, Severity
from kg.core.records import Issn, IssnKind, PartialDate, Record, WorkKind
from kg.errors import InputError
from kg.read import _json_fields, csl_json
from kg.read._json import parse_json
from kg.read._json_fields import split_isbns, split_issns
from kg.read._markup import markup_blocks
from kg.read._text import read_lines
from tests.conftest import real_input
from tests.json_fuzz import check_never_raises_but_input_error, mutate

ZOTERO = "csl-json/zotero-csl-json-export-personal-publications.json"


def lines_of(text: str) -> list[str]:
    """The lines kg.read._text.read_lines makes of a file holding ``text``."""
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]


def read_text(text: str) -> tuple[list[Record], list[Problem]]:
    found = list(csl_json.read(lines_of(text), "t.json"))
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def read_items(*items: Any) -> tuple[list[Record], list[Problem]]:
    return read_text(json.dumps(list(items), indent=2, ensure_ascii=False))


def one(item: dict[str, Any]) -> tuple[Record, list[Problem]]:
    records, problems = read_items(item)
    assert len(records) == 1
    return records[0], problems


def messages(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems]


ARTICLE: dict[str, Any] = {
    "id": "item-1",
    "type": "article-journal",
    "title": "Peer support in mental health",
    "container-title": "Mental Health Review Journal",
    "container-title-short": "Ment Health Rev J",
    "volume": 9,
    "issue": "1",
    "page": "29–40",
    "ISSN": "1361-9322",
    "DOI": "10.1108/13619320410537892",
    "author": [{"family": "Hopkins", "given": "Liza"}],
    "issued": {"date-parts": [[2014, 3, 14]]},
}


# --- the real Zotero export -----------------------------------------------------------------


@pytest.fixture(scope="module")
def zotero() -> tuple[list[Record], list[Problem]]:
    path = real_input(ZOTERO)
    found = list(csl_json.read(read_lines(path, ZOTERO), ZOTERO))
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def test_zotero_export_every_record_read(zotero: tuple[list[Record], list[Problem]]) -> None:
    records, problems = zotero
    assert len(records) == 13  # SOURCES.md
    assert [r.number for r in records] == list(range(1, 14))
    assert [r.source.path for r in records] == [f"[{i}]" for i in range(13)]
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    # The only warnings: three author lists that name people twice (checked in the file).
    assert [(p.record, p.location.path) for p in problems] == [
        (1, "[0].author"),
        (7, "[6].author"),
        (11, "[10].author"),
    ]
    assert "Peer Bork (34, 39)" in problems[0].message
    assert "Torben Hansen (29, 31, 36)" in problems[1].message


def test_zotero_export_first_record(zotero: tuple[list[Record], list[Problem]]) -> None:
    first = zotero[0][0]
    assert first.source.line == 2
    assert first.kind is WorkKind.ARTICLE and first.content_type == "article-journal"
    assert first.title is not None and first.title.startswith("Fecal microbial load is a major")
    assert first.published == PartialDate(2024, 11, 13)  # ["2024", 11, 13]; accessed is 11-25
    assert first.venue is not None
    assert (first.venue.title, first.venue.short_title) == ("Cell", "Cell")
    assert first.venue.issns == (Issn("0092-8674"),)
    assert first.doi == "10.1016/j.cell.2024.10.022"
    assert len(first.authors) == 42  # 47 entries, 5 of them repeats (kept at the first place)
    assert (first.authors[0].given, first.authors[0].family) == ("Suguru", "Nishijima")
    assert first.authors[7].given == "Helene Bæk"
    assert [a.written for a in first.authors].count("Peer Bork") == 1  # listed twice, kept once


def test_zotero_export_authors_pages_and_identifiers(
    zotero: tuple[list[Record], list[Problem]],
) -> None:
    records = zotero[0]
    second = records[1]
    assert (second.authors[0].given, second.authors[0].family) == ("Marcus M.", "Mücke")
    assert second.authors[1].family == "Hernández-Tejero"
    consortium = second.authors[-1]
    assert consortium.organization and consortium.given is None
    assert (
        consortium.written == "MICROB-PREDICT and PREDICT Study Group of the EASL-CLIF Consortium"
    )
    assert (second.page_start, second.page_end) == ("877", "888")
    assert second.venue is not None and (second.venue.volume, second.venue.issue) == ("59", "7")
    assert second.published == PartialDate(2024)
    assert second.language == "en"
    assert second.licenses == ()  # "© 2024 The Authors. ..." is a statement, not a licence address

    graeber = records[3].authors[1]  # "literal": "Simon Y. Graeber"
    assert (graeber.given, graeber.family, graeber.organization) == ("Simon Y.", "Graeber", False)

    assert records[5].pmid == "31883524"
    assert records[5].venue is not None and records[5].venue.short_title == "Genome Biol"
    assert records[6].venue is not None
    assert records[6].venue.issns == (Issn("0168-8278"), Issn("1600-0641"))  # one ISSN text
    assert records[6].publisher == "Elsevier"
    nar = records[12]
    assert (nar.page_start, nar.page_end) == ("D826", "D834")
    assert nar.venue is not None and nar.venue.issue == "D1"


def test_zotero_export_preprint_and_thesis(zotero: tuple[list[Record], list[Problem]]) -> None:
    records = zotero[0]
    preprint = records[8]  # Zotero writes its Preprint items as CSL "article"
    assert (preprint.kind, preprint.content_type) == (WorkKind.PREPRINT, "article")
    assert preprint.publisher == "bioRxiv" and preprint.venue is None
    assert preprint.published == PartialDate(2025, 9, 23)
    assert preprint.abstract is not None
    assert "<img" not in preprint.abstract and "highwire" not in preprint.abstract
    assert preprint.abstract.split("\n\n")[1].startswith("Results To overcome")
    thesis = records[9]
    assert (thesis.kind, thesis.published) == (WorkKind.THESIS, PartialDate(2025))
    assert thesis.licenses == ("https://creativecommons.org/licenses/by-nc/4.0/deed.de",)
    assert thesis.publisher == "Universität Würzburg" and thesis.language == "eng"


# --- fields and quirks ----------------------------------------------------------------------


def test_article_fields() -> None:
    record, problems = one(ARTICLE)
    assert problems == []
    assert record.source.line == 2 and record.source.path == "[0]"
    assert record.venue is not None
    assert record.venue.title == "Mental Health Review Journal"
    assert record.venue.short_title == "Ment Health Rev J"
    assert (record.venue.volume, record.venue.issue) == ("9", "1")  # a number volume as text
    assert (record.page_start, record.page_end) == ("29", "40")
    assert record.published == PartialDate(2014, 3, 14)


@pytest.mark.parametrize(
    ("csl_type", "kind"),
    [
        ("article-journal", WorkKind.ARTICLE),
        ("article-magazine", WorkKind.ARTICLE),
        ("article", WorkKind.PREPRINT),
        ("chapter", WorkKind.CHAPTER),
        ("book", WorkKind.BOOK),
        ("paper-conference", WorkKind.CONFERENCE_PAPER),
        ("thesis", WorkKind.THESIS),
        ("report", WorkKind.REPORT),
        ("posted-content", WorkKind.PREPRINT),
        ("dataset", WorkKind.OTHER),
        ("webpage", WorkKind.OTHER),
    ],
)
def test_types(csl_type: str, kind: WorkKind) -> None:
    record, _ = one({"type": csl_type, "title": "T"})
    assert (record.kind, record.content_type) == (kind, csl_type)


def test_genre_decides_for_article() -> None:
    working, _ = one({"type": "article", "genre": "Working paper", "title": "T"})
    preprint, _ = one({"type": "report", "genre": "Preprint", "title": "T"})
    assert (working.kind, preprint.kind) == (WorkKind.REPORT, WorkKind.PREPRINT)


def test_single_item_object() -> None:
    records, problems = read_text(json.dumps(ARTICLE))
    assert problems == [] and len(records) == 1
    assert records[0].source.path is None and records[0].source.line == 1


def test_names() -> None:
    record, problems = one(
        {
            "type": "book",
            "author": [
                {"family": "Berg", "given": "Pieter", "non-dropping-particle": "van der"},
                {"family": "King", "given": "Martin Luther", "suffix": "Jr.", "comma-suffix": True},
                {"literal": "World Health Organization"},
                {"family": "Cochrane Collaboration"},
                {"family": "Plato"},
                {},
            ],
            "editor": [
                {
                    "family": "Ní Bhriain",
                    "given": "Siobhán",
                    "ORCID": "http://orcid.org/0000-0002-1825-0097",
                }
            ],
        }
    )
    van, king, who, cochrane, plato = record.authors
    assert (van.given, van.family, van.written) == ("Pieter", "van der Berg", "Pieter van der Berg")
    assert (king.family, king.written) == ("King", "Martin Luther King, Jr.")
    assert who.organization and who.written == "World Health Organization"
    assert cochrane.organization and cochrane.family is None
    assert (plato.family, plato.given, plato.organization) == ("Plato", None, False)
    assert [(e.family, e.orcid) for e in record.editors] == [
        ("Ní Bhriain", "http://orcid.org/0000-0002-1825-0097")  # as Crossref's CSL writes it
    ]
    assert van.orcid is None
    assert [(p.severity, p.location.path, p.location.line) for p in problems] == [
        (Severity.WARNING, "[0].author[5]", 25)  # the "{}" line
    ]
    assert problems[0].message == "author[5] has no name (no family, given or literal); left out"


def test_repeated_author_kept_once_at_the_first_place_and_reported() -> None:
    jane = {"family": "Doe", "given": "Jane"}
    record, problems = one({"type": "book", "author": [jane, {"family": "Roe"}, jane]})
    assert [a.written for a in record.authors] == ["Jane Doe", "Roe"]
    assert messages(problems) == [
        "author list names the same person more than once (kept once, at the first place): "
        "Jane Doe (1, 3)"
    ]


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        ({"date-parts": [["2024", 11, 13]]}, PartialDate(2024, 11, 13)),
        ({"date-parts": [[2016, 4]]}, PartialDate(2016, 4)),
        ({"date-parts": [["2016", "4", "1"]]}, PartialDate(2016, 4, 1)),
        ({"date-parts": [[2016, "Nov"]]}, PartialDate(2016, 11)),
        ({"raw": "2011-05-03"}, PartialDate(2011, 5, 3)),
        ({"literal": "2011"}, PartialDate(2011)),
        ("2019-07", PartialDate(2019, 7)),
        ({"date-parts": [[None]]}, None),
        ({"date-parts": []}, None),
        ({"season": 1}, None),
    ],
)
def test_dates_read_quietly(issued: Any, expected: PartialDate | None) -> None:
    record, problems = one({"type": "book", "issued": issued})
    assert problems == []
    assert record.published == expected


@pytest.mark.parametrize(
    ("issued", "published", "message"),
    [
        (
            {"date-parts": [[2011, 0]]},
            None,
            "date '2011-00' is not a date (month 0 is not a month (1-12)); left out",
        ),
        (
            {"date-parts": [[2023, 2, 29]]},
            None,
            "date '2023-02-29' is not a date (2023-02-29 is not a day of the calendar); left out",
        ),
        (
            {"date-parts": [[2020, 1, 10**30]]},
            None,
            f"date '2020-01-{10**30}' is not a date (day {10**30} is not a day (1-31)); left out",
        ),
        (
            {"raw": "Spring 2011"},
            None,
            "date 'Spring 2011' is not a date this reader can read "
            "(YYYY, YYYY-MM or YYYY-MM-DD); left out",
        ),
        (
            {"date-parts": [[2011, 13]]},
            PartialDate(2011),
            "date '2011-13' names a season (spring); only the year is kept",
        ),
        (
            {"date-parts": [[2010, 5], [2011, 6]]},
            PartialDate(2010, 5),
            "'issued' is a date range; only its start is kept",
        ),
        (
            {"date-parts": [["20x4"]]},
            None,
            "date '20x4' is not a date (\"20x4\" is not a number)",
        ),
        (
            {"date-parts": "2011"},
            None,
            "'issued' date-parts \"2011\" is not a list of [year, month, day]",
        ),
        ([2011], None, "'issued' is a list, not an object; left out"),
    ],
)
def test_unreadable_dates_are_warned_and_left_out(
    issued: Any, published: PartialDate | None, message: str
) -> None:
    record, problems = one({"type": "book", "title": "T", "issued": issued})
    assert record.published == published
    assert messages(problems) == [message]
    assert problems[0].severity is Severity.WARNING and problems[0].record == 1
    assert problems[0].location.path == "[0].issued" and problems[0].location.line == 5


def test_serial_and_book_numbers() -> None:
    record, _ = one({"type": "article-journal", "ISSN": ["2042-8308 (Print)", "2042-8316"]})
    assert record.venue is not None
    assert record.venue.issns == (Issn("2042-8308", IssnKind.PRINT), Issn("2042-8316"))
    assert split_issns("1234-5678; ISSN 2345-6789") == [Issn("1234-5678"), Issn("2345-6789")]
    assert split_isbns("978-1-83797-562-4, 978-1-83797-561-7") == [
        "978-1-83797-562-4",
        "978-1-83797-561-7",
    ]
    assert split_isbns("9781837975624 1837975627") == ["9781837975624", "1837975627"]
    assert split_isbns("978 3 16 148410 0 (hbk)") == ["978 3 16 148410 0"]


def test_chapter_and_book_venues() -> None:
    chapter, problems = one(
        {"type": "chapter", "container-title": "A Handbook", "ISBN": "978-1-83797-562-4"}
    )
    assert problems == []
    assert chapter.venue is not None
    assert (chapter.venue.title, chapter.venue.isbns) == ("A Handbook", ("978-1-83797-562-4",))
    book, problems = one({"type": "book", "container-title": "A Series", "ISBN": "0-306-40615-2"})
    assert book.venue is not None
    assert (book.venue.title, book.venue.isbns) == (None, ("0-306-40615-2",))
    assert messages(problems) == ["container title 'A Series' of a book is not read"]


def test_text_fields() -> None:
    record, problems = one(
        {
            "type": "article-journal",
            "title": '  The <i>E. coli</i> genome:\n a <span class="nocase">new</span> view ',
            # ";" separates when present, so a keyword may hold a comma (as MeSH headings do)
            "keyword": "peer support; Power, Psychological",
            "abstract": "First paragraph.\nSecond paragraph.",
            "PMID": 12345,
            "URL": "https://example.org/a",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "page": "e1234",
        }
    )
    assert problems == []
    assert record.title == "The E. coli genome: a new view"
    assert record.keywords == ("peer support", "Power, Psychological")
    assert record.abstract == "First paragraph.\n\nSecond paragraph."
    assert record.pmid == "12345"
    assert record.licenses == ("https://creativecommons.org/licenses/by/4.0/",)
    assert (record.page_start, record.page_end) == ("e1234", None)


def test_pages_that_are_not_one_range() -> None:
    record, problems = one({"type": "book", "page": "1-5, 7-9"})
    assert (record.page_start, record.page_end) == ("1", "9")
    assert messages(problems) == ["pages '1-5, 7-9' are not one range; kept from '1' to '9'"]


# --- malformed input ------------------------------------------------------------------------


def test_empty_file_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^t\.json: the file is empty"):
        read_text("\n  \n")


def test_truncated_file_names_line_and_column() -> None:
    with pytest.raises(InputError) as caught:
        read_text('[\n  {"type": "book",\n   "title": "A')
    assert str(caught.value) == "t.json:3:13: not valid JSON: Unterminated string starting at"
    with pytest.raises(InputError) as caught:
        read_text('[\n  {"type": "book"')
    assert str(caught.value) == "t.json:2:18: not valid JSON: Expecting ',' delimiter"


def test_trailing_comma_and_extra_data() -> None:
    with pytest.raises(InputError, match=r"^t\.json:3:1: not valid JSON: Expecting value$"):
        read_text('[\n  {"type": "book"},\n]')
    with pytest.raises(InputError, match=r"^t\.json:2:1: not valid JSON: Extra data$"):
        read_text('[{"type": "book"}]\n]')
    with pytest.raises(InputError, match=r"t\.json:1:2: not valid JSON: Expecting property name"):
        read_text("{'type': 'book'}")


def test_deep_nesting_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"^t\.json:1: JSON nested deeper than 100 levels"):
        read_text("[" * 200_000 + "]" * 200_000)


def test_huge_number_is_valid_json_and_kept_as_written() -> None:
    """5000 digits are more than Python converts, but valid JSON: the file is read (it used to
    be refused whole), and a text field keeps the number as written, as it keeps 3 as "3"."""
    records, problems = read_text('[{"type": "book", "volume": ' + "9" * 5000 + "}]")
    assert problems == []
    assert records[0].venue is not None and records[0].venue.volume == "9" * 5000


def test_root_that_holds_no_items() -> None:
    with pytest.raises(InputError, match=r"CSL-JSON is an array of items .* holds a text"):
        read_text('"just text"')
    with pytest.raises(InputError, match="holds an object without one"):
        read_text('{"items": []}')


def test_empty_array_has_no_records() -> None:
    assert read_text("[]") == ([], [])


def test_item_that_is_not_an_object_is_rejected_alone() -> None:
    records, problems = read_text('[\n"a string",\n{"type": "book", "title": "Kept"}\n]')
    assert [(r.number, r.title, r.source.line) for r in records] == [(2, "Kept", 3)]
    assert [(p.severity, p.record, p.location.line, p.location.path) for p in problems] == [
        (Severity.ERROR, 1, 2, "[0]")
    ]
    assert problems[0].message == "item is a text, not an object; a CSL item is an object"


def test_item_without_type_is_rejected() -> None:
    records, problems = read_items({"title": "No type"}, {"type": 7, "title": "Number type"})
    assert records == []
    assert [(p.severity, p.record) for p in problems] == [(Severity.ERROR, 1), (Severity.ERROR, 2)]
    assert problems[0].message.startswith('item has no "type"')
    assert problems[1].message.startswith('"type" is a number, not a CSL type')


def test_duplicate_key_warned_on_its_record_and_line() -> None:
    text = '[\n{"type": "book",\n "title": "First",\n "title": "Second"}\n]'
    records, problems = read_text(text)
    assert records[0].title == "Second"  # the last value, as json.loads keeps it
    assert [(p.severity, p.record, p.location.line, p.location.path) for p in problems] == [
        (Severity.WARNING, 1, 4, "[0].title")
    ]
    assert problems[0].message == "key 'title' appears twice in one object; the last value is used"
    items = [{"type": "book"}] * 10 + [{"type": "book", "author": [{"family": "A"}]}]
    text = json.dumps(items).replace('"family": "A"', '"family": "A", "family": "B"')
    records, problems = read_text(text)
    assert records[10].authors[0].family == "B"
    assert [(p.record, p.location.path) for p in problems] == [(11, "[10].author[0].family")]


def test_control_characters_and_lone_surrogates_removed() -> None:
    record, problems = one({"type": "book", "title": "Bad\u0007 title\ud800", "DOI": "10.1/x\x00"})
    assert (record.title, record.doi) == ("Bad title", "10.1/x")
    assert messages(problems) == [
        "'title' holds control or invalid characters (U+0007, U+D800); removed",
        "'DOI' holds control or invalid characters (U+0000); removed",
    ]


def test_ten_megabyte_abstract() -> None:
    record, problems = one({"type": "book", "abstract": "word " * 2_000_000})
    assert problems == []
    assert record.abstract is not None and len(record.abstract) == 10_000_000 - 1


def test_invalid_check_digits_kept_as_written() -> None:
    record, problems = one({"type": "article-journal", "ISSN": "1755-6229", "DOI": "10.1108/x y"})
    assert problems == []
    assert record.venue is not None and record.venue.issns == (Issn("1755-6229"),)
    assert record.doi == "10.1108/x y"


def test_values_of_the_wrong_type_are_warned_and_left_out() -> None:
    record, problems = one(
        {
            "type": "book",
            "title": {"en": "An object"},
            "volume": True,
            "author": "Smith, J.",
            "editor": [{"family": ["Doe"]}, "Roe"],
            "keyword": ["one", 2, None, ["x"]],
        }
    )
    assert record.title is None and record.venue is None and record.authors == ()
    assert record.keywords == ("one", "2")
    assert messages(problems) == [
        "'author' is a text, not a list of objects; left out",
        "'title' is an object, not a text; left out",
        "editor[1] is a text, not an object; left out",
        "'family' is a list, not a text; left out",
        "editor[0] has no name (no family, given or literal); left out",
        "'volume' is true, not a text; left out",
        "keyword[3] is a list, not a text; left out",
    ]


def test_unknown_key_reported() -> None:
    record, problems = one({"type": "book", "titel": "Typo", "accessed": {"date-parts": [[2020]]}})
    assert record.title is None
    assert messages(problems) == ["key 'titel' is not a CSL-JSON variable; left out"]
    assert problems[0].location.path == "[0].titel"


def test_docstring_examples() -> None:
    """The name rules CSL-JSON shares with Crossref (looks_like_organization) live with the
    other shared JSON field rules."""
    result = doctest.testmod(_json_fields)
    assert result.attempted > 0 and result.failed == 0


# --- the JSON parser shared with the Crossref reader --------------------------------------


def test_parser_keeps_lines_and_matches_json() -> None:
    text = '[\n  {"a": [1, 2.5, true, null],\n   "b":\n     "\\u00e9\\n"},\n  {}\n]'
    document = parse_json(lines_of(text), "t.json")
    assert document.root == json.loads(text)
    assert document.root.item_lines == [2, 5]
    assert document.root[0].key_lines == {"a": 2, "b": 4}
    assert document.root[0]["a"].line == 2


def test_markup_to_text() -> None:
    blocks = markup_blocks("<p>One &amp; <b>two</b></p><p>three<br/>four</p>")
    assert [(b.kind, b.text) for b in blocks] == [("p", "One & two"), ("p", "three four")]


# --- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (json.dumps([ARTICLE], indent=2), True),
        (json.dumps(ARTICLE), True),
        ('{"status":"ok","message-type":"work-list","message":{"items":[]}}', False),
        (
            '[{"type": "journal-article", "title": ["T"], "issued": {"date-parts": [[2020]]}}]',
            False,
        ),
        ("TY  - JOUR\nTI  - A title\nER  - \n", False),
        ("@article{key,\n  title = {A title},\n}\n", False),
        ("PMID- 123\nOWN - NLM\nTI  - A title\n", False),
        ("Article\nPublication date: 15 June 2012\nAbstract\n", False),
        ("[1] Smith J. A title. 2012.", False),
        ('[{"type": "article", "id": "W1", "publication_year": 2020}]', False),  # not CSL keys
        (  # an untitled Crossref work, saved bare: Crossref's counts, no text title
            '[{"type": "component", "reference-count": 0, "issued": {"date-parts": [[null]]}}]',
            False,
        ),
        ('[{"type": "motion_picture", "author": [{"literal": "A"}]}]', True),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert csl_json.sniff(lines_of(text)) is expected


def test_sniff_real_files() -> None:
    zotero = real_input(ZOTERO)
    crossref = real_input("crossref/works-orcid-filter-fmuro.json")
    ris = real_input("ris/scopus-export-asreview-baseline.ris")
    assert csl_json.sniff(read_lines(zotero, "z"))
    assert not csl_json.sniff(read_lines(crossref, "c"))
    assert not csl_json.sniff(read_lines(ris, "r"))


# --- random mutations never raise -----------------------------------------------------------

_ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1.5,
    "",
    " ",
    "x\u0000y",
    [],
    {},
    [[None]],
    [["2011", 0]],
    {"date-parts": "x"},
    {"date-parts": [[]]},
    {"literal": 7},
    [{"literal": None}],
    ["a", {"b": 1}],
    "<jats:p>unclosed <i>markup",
    "1-2-3, 4",
]


def _mutate_structure(value: Any, rng: random.Random) -> Any:
    return mutate(value, rng, _ODD_VALUES)


def _check_never_raises_but_input_error(text: str) -> None:
    check_never_raises_but_input_error(lambda: csl_json.read(lines_of(text), "fuzz.json"))


def test_random_mutations_never_raise() -> None:
    rng = random.Random(20240611)
    base = [ARTICLE, {**ARTICLE, "type": "chapter", "ISBN": "978-1-83797-562-4"}]
    text = json.dumps(base, indent=2)
    for _ in range(300):  # character-level damage: mostly InputError, never anything else
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.4:
                del chars[position]
            elif action < 0.7:
                chars.insert(position, rng.choice('[]{}",:\\ \n\x00é0'))
            else:
                chars[position] = rng.choice('[]{}",:\\ \n0a')
        _check_never_raises_but_input_error("".join(chars))
    for _ in range(600):  # structural damage: valid JSON with odd values anywhere
        mutated = base
        for _ in range(rng.randint(1, 3)):
            mutated = _mutate_structure(mutated, rng)
        _check_never_raises_but_input_error(json.dumps(mutated))


def test_real_file_with_random_structural_damage_never_raises() -> None:
    path = real_input(ZOTERO)
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    rng = random.Random(7)
    for _ in range(100):
        _check_never_raises_but_input_error(json.dumps(_mutate_structure(items, rng)))

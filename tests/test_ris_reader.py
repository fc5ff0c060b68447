"""The RIS reader: real Scopus, Web of Science and Zotero exports, each dialect quirk, bad input."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.core.problems import Problem, Severity
from kg.core.records import Funder, Issn, IssnKind, PartialDate, Record, WorkKind
from kg.read import ris
from kg.read._text import read_lines
from tests.conftest import real_input

Items = tuple[list[Record], list[Problem]]


def split(found: list[Record | Problem]) -> Items:
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def read_path(path: Path) -> Items:
    return split(list(ris.read(read_lines(path, str(path)), str(path))))


@pytest.fixture
def read_ris(tmp_path: Path) -> Callable[[str | bytes], Items]:
    """Write the text as a file and read it the way the CLI does (read_lines, then ris.read)."""

    def read(text: str | bytes) -> Items:
        path = tmp_path / "input.ris"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return split(list(ris.read(read_lines(path, "input.ris"), "input.ris")))

    return read


def only(records: list[Record]) -> Record:
    assert len(records) == 1, records
    return records[0]


def warnings(problems: list[Problem]) -> list[tuple[int | None, int, str]]:
    assert all(p.severity is Severity.WARNING for p in problems), problems
    return [(p.record, p.location.line, p.message) for p in problems]


ARTICLE = """\
TY  - JOUR
AU  - Hopkins, Liza
AU  - Pedwell, Glenda
TI  - Peer support in mental health services
T2  - Mental Health and Social Inclusion
PY  - 2012
VL  - 16
IS  - 2
SP  - 84
EP  - 91
DO  - 10.1108/20428301211232469
SN  - 2042-8308
KW  - Peer support
KW  - Mental health
AB  - Purpose - This paper describes a peer support programme.
PB  - Emerald Group Publishing Limited
Y2  - 2024/05/17
ER  -
"""


def article_with(*lines: str) -> str:
    """A minimal article whose body is the given tag lines."""
    return "TY  - JOUR\n" + "".join(line + "\n" for line in lines) + "ER  - \n"


# --- real exports ----------------------------------------------------------------------------


def test_scopus_export() -> None:
    records, problems = read_path(real_input("ris/scopus-export-asreview-baseline.ris"))
    assert problems == []
    assert [r.number for r in records] == list(range(1, 11))
    assert {(r.kind, r.content_type) for r in records} == {(WorkKind.ARTICLE, "JOUR")}
    first = records[0]
    assert first.source.line == 1  # the BOM is not part of the tag
    assert first.title == (
        "Global latitudinal gradients and the evolution of body size in dinosaurs and mammals"
    )
    assert len(first.authors) == 8
    wilson = first.authors[0]
    assert (wilson.written, wilson.given, wilson.family) == ("Wilson, L.N.", "L.N.", "Wilson")
    assert first.published == PartialDate(2024)
    assert first.doi == "10.1038/s41467-024-46843-2"
    assert first.pmid == "38580657"  # Scopus writes the PubMed ID in C2
    assert first.article_number == "2864"
    assert (first.page_start, first.page_end) == (None, None)
    assert first.venue is not None
    assert first.venue.title == "Nature Communications"
    assert first.venue.short_title == "Nat. Commun."
    assert (first.venue.volume, first.venue.issue) == ("15", "1")
    assert first.venue.issns == (Issn("20411723", IssnKind.UNKNOWN),)  # " (ISSN)" stripped
    assert first.publisher == "Nature Research"
    assert first.language == "English"
    assert first.article_type == "Article"
    assert first.abstract is not None
    assert "For example, Bergmann’s rule predicts" in first.abstract
    # 40 KW lines, repeated index terms ("body size" three times) kept once, case kept.
    assert len(first.keywords) == 33
    assert first.keywords[:3] == ("Animals", "Biological Evolution", "Body Size")
    assert first.keywords.count("body size") == 1
    second = records[1]
    assert second.source.line == 76
    assert (second.page_start, second.page_end) == ("1084", "1092")
    assert second.authors[2].family == "Müller"
    assert records[3].pmid is None  # no C2 in that record
    assert records[6].venue is not None and records[6].venue.issue == "3 March"
    last = records[9]
    assert last.source.line == 466
    assert last.publisher == "Cambridge University Press"
    assert last.venue is not None and last.venue.issns == (Issn("00948373"),)


def test_web_of_science_export() -> None:
    records, problems = read_path(real_input("ris/webofscience-export-asreview-baseline.ris"))
    assert len(records) == 10
    # 'DA  - JUL-DEC' (a range of months, 1911) is the one thing that could not be kept.
    assert warnings(problems) == [
        (7, 244, "DA 'JUL-DEC' is not a date ('JUL-DEC' is not a year, month or day); left out")
    ]
    assert records[6].published == PartialDate(1911)
    first = records[0]
    assert first.published == PartialDate(2010, 9, 22)  # PY 2010 + DA 'SEP 22'
    sampson = first.authors[0]
    assert (sampson.written, sampson.given, sampson.family) == ("Sampson, SD", "SD", "Sampson")
    assert first.abstract is not None
    # Continuation lines (indented by three spaces) are joined with a space.
    assert "remained poorly tested. Methodology/Principal Findings: Here we" in first.abstract
    assert "   " not in first.abstract
    assert first.venue is not None
    assert first.venue.title == "PLOS ONE"
    assert first.venue.short_title == "PLoS One"  # JI (ISO abbreviation) before J9
    assert first.venue.issns == (Issn("1932-6203"),)
    assert (first.venue.volume, first.venue.issue) == ("5", "9")
    assert first.article_number == "e12292"
    assert first.publisher == "PUBLIC LIBRARY SCIENCE"  # WoS writes the publisher in PU
    assert "40AR/39AR AGE" in first.keywords
    assert first.funders[0] == Funder("National Science Foundation", awards=("0745454", "0819953"))
    assert Funder("Division Of Earth Sciences", awards=("0819953",)) in first.funders
    dickens = records[2]
    assert dickens.title == "DICKENS, DINOSAURS, AND DESIGN"
    assert dickens.published == PartialDate(2016, 12)  # DA 'DEC'
    assert dickens.venue is not None
    assert dickens.venue.issns == (Issn("1060-1503"), Issn("1470-1553"))
    assert (dickens.page_start, dickens.page_end) == ("761", "778")
    assert dickens.funders == (Funder("AHRC", awards=("AH/L007010/1",)),)
    assert records[1].abstract is None and records[1].keywords == ()
    feathered = records[9]
    assert feathered.title == (
        "The rise of feathered dinosaurs: Kulindadromeus zabaikalicus, the oldest dinosaur "
        "with 'feather-like' structures"
    )  # <i>…</i> removed
    assert feathered.published == PartialDate(2019, 2, 1)  # DA 'FEB 1'


def test_zotero_export_with_crlf() -> None:
    records, problems = read_path(real_input("ris/zotero-export-asreview-baseline-crlf.ris"))
    assert len(records) == 10
    # Embase put an author's address in IS; it is no issue number.
    assert len(problems) == 1
    assert (problems[0].record, problems[0].location.line) == (10, 302)
    assert problems[0].severity is Severity.WARNING
    assert problems[0].message.startswith("IS '(Boisvert C.) Brigham Young University")
    assert problems[0].message.endswith("is not an issue number; left out")
    first = records[0]
    assert first.title is not None and first.title.startswith("Cellular structure of dinosaur")
    assert [a.written for a in first.authors] == [
        "Yang, Z.",
        "Jiang, B.",
        "Xu, J.",
        "McNamara, M.E.",
    ]
    assert first.published == PartialDate(2024)  # DA '2024///', PY '2024'
    assert first.venue is not None
    assert first.venue.issns == (Issn("2041-1723"),)
    assert first.venue.short_title == "Nat. Commun."
    assert (
        first.url
        == "https://www.embase.com/search/results?subaction=viewrecord&id=L2029880245&from=export"
    )
    assert first.keywords[0] == "article" and len(first.keywords) == 25
    cerny = records[2].authors[2]
    assert (cerny.given, cerny.family) == ("D.", "Černý")
    assert (records[2].page_start, records[2].page_end) == ("307", "356")
    assert records[2].venue is not None
    assert (
        records[2].venue.title
        == "Cladistics : the international journal of the Willi Hennig Society"
    )
    assert (records[1].page_start, records[1].page_end) == ("14316", None)
    assert records[8].venue is not None and records[8].venue.issue == "1 January"
    assert records[9].venue is not None and records[9].venue.issue is None
    assert all(r.pmid is None for r in records)  # DB is Embase/Medline, not Scopus


@pytest.mark.parametrize(
    "name",
    [
        "ris/scopus-export-asreview-baseline.ris",
        "ris/webofscience-export-asreview-baseline.ris",
        "ris/zotero-export-asreview-baseline-crlf.ris",
    ],
)
def test_real_ris_files_sniff_as_ris(name: str) -> None:
    path = real_input(name)
    assert ris.sniff(read_lines(path, name))


def test_medline_file_named_ris_is_not_ris() -> None:
    path = real_input("ris/pubmed-medline-nbib-named-ris.ris")
    assert not ris.sniff(read_lines(path, path.name))


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "PMID- 30922926\nOWN - NLM\nLR  - 20210109\nIS  - 1878-0849 (Electronic)\nTI  - x\n",
        "@article{key,\n  title = {TY  - JOUR}\n}\n",
        '{"message-type": "work-list",\n "TY  - JOUR": 1}\n',
        '[\n  {"id": "x", "type": "article-journal"}\n]\n',
        "Search results\nArticle\nPublication date: 15 June 2012\nAbstract\nText\n",
        "AU  - Smith, J.\nTY  - JOUR\nER  - \n",  # a tag before TY: not a file that starts well
        "",
        "one\ntwo\nthree\nfour\nfive\nsix\nTY  - JOUR\n",
        "  TY  - JOUR\n  ER  -\n",  # indented tags are continuation text to the reader
    ],
)
def test_sniff_rejects_other_formats(text: str) -> None:
    assert not ris.sniff(text.splitlines())


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "\ufeffTY  - JOUR\nER  -\n",
        "Provider: Elsevier\nDatabase: ScienceDirect\nContent: text/plain\n\nTY  - JOUR\nER  - \n",
        "TY - JOUR\nTI - Loosely spaced\nER - \n",
    ],
)
def test_sniff_accepts_ris(text: str) -> None:
    assert ris.sniff(text.splitlines())


# --- fields and dialect quirks --------------------------------------------------------------


def test_publisher_style_article(read_ris: Callable[[str | bytes], Items]) -> None:
    records, problems = read_ris(ARTICLE)
    assert problems == []
    record = only(records)
    assert record.source.line == 1 and record.number == 1
    assert (record.kind, record.content_type) == (WorkKind.ARTICLE, "JOUR")
    assert [(a.given, a.family) for a in record.authors] == [
        ("Liza", "Hopkins"),
        ("Glenda", "Pedwell"),
    ]
    assert record.published == PartialDate(2012)  # Y2 (the access date) is not used
    assert record.venue is not None
    assert record.venue.title == "Mental Health and Social Inclusion"
    assert (record.venue.volume, record.venue.issue) == ("16", "2")
    assert record.venue.issns == (Issn("2042-8308"),)
    assert (record.page_start, record.page_end) == ("84", "91")
    assert record.doi == "10.1108/20428301211232469"
    assert record.keywords == ("Peer support", "Mental health")
    assert record.abstract == "Purpose - This paper describes a peer support programme."
    assert record.publisher == "Emerald Group Publishing Limited"


def test_bom_crlf_and_lf_read_the_same(read_ris: Callable[[str | bytes], Items]) -> None:
    plain = read_ris(ARTICLE)
    windows = read_ris(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    assert windows == plain
    assert ARTICLE.endswith("ER  -\n")
    space_after_er = read_ris(ARTICLE.replace("ER  -\n", "ER  - \n"))
    assert space_after_er == plain


def test_continuation_lines_are_joined_with_a_space(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    text = article_with(
        "TI  - A title written",
        "   over two lines",
        "AB  - First paragraph.",
        "",
        "Second paragraph, not indented.",
    )
    records, problems = read_ris(text)
    assert problems == []
    record = only(records)
    assert record.title == "A title written over two lines"
    assert record.abstract == "First paragraph. Second paragraph, not indented."


@pytest.mark.parametrize(
    ("ty", "sn", "issns", "isbns"),
    [
        ("JOUR", "20411723 (ISSN)", (Issn("20411723"),), ()),
        (
            "JOUR",
            "1234-5678 (Print); 2345-6789 (Online)",
            (Issn("1234-5678", IssnKind.PRINT), Issn("2345-6789", IssnKind.ELECTRONIC)),
            (),
        ),
        ("JOUR", "1234-5678, 2345-6789", (Issn("1234-5678"), Issn("2345-6789")), ()),
        ("JOUR", "eISSN 2345-6789", (Issn("2345-6789", IssnKind.ELECTRONIC),), ()),
        ("JOUR", "0-19-852663-6", (), ("0-19-852663-6",)),  # ten digits: an ISBN
        ("JOUR", "9780198526636 (ISBN)", (), ("9780198526636",)),
        ("CHAP", "1234-5678", (Issn("1234-5678"),), ()),  # a series ISSN keeps its shape
        (
            "CHAP",
            "978-0-19-852663-6 978-0-19-852664-3",
            (),
            ("978-0-19-852663-6", "978-0-19-852664-3"),
        ),
        ("CHAP", "12345", (), ("12345",)),  # a bad number on a chapter: an ISBN as written
        ("JOUR", "1234-5679", (Issn("1234-5679"),), ()),  # wrong check digit: kept as written
    ],
)
def test_sn_holds_issns_and_isbns(
    read_ris: Callable[[str | bytes], Items],
    ty: str,
    sn: str,
    issns: tuple[Issn, ...],
    isbns: tuple[str, ...],
) -> None:
    records, problems = read_ris(f"TY  - {ty}\nT2  - Venue\nSN  - {sn}\nER  - \n")
    assert problems == []
    venue = only(records).venue
    assert venue is not None
    assert (venue.issns, venue.isbns) == (issns, isbns)


def test_sn_text_that_is_no_number_is_reported(read_ris: Callable[[str | bytes], Items]) -> None:
    records, problems = read_ris(article_with("SN  - none given"))
    assert only(records).venue is None
    assert warnings(problems) == [
        (1, 2, "SN text 'none' is not an ISSN or ISBN"),
        (1, 2, "SN text 'given' is not an ISSN or ISBN"),
    ]


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["PY  - 2024"], PartialDate(2024)),
        (["PY  - 2024///"], PartialDate(2024)),
        (["DA  - 2024/05/"], PartialDate(2024, 5)),
        (["DA  - 2024/05/17/"], PartialDate(2024, 5, 17)),
        (["PY  - 2024", "DA  - 2024/05/17"], PartialDate(2024, 5, 17)),
        (["PY  - 2010", "DA  - SEP 22"], PartialDate(2010, 9, 22)),
        (["DA  - SEP", "PY  - 2010"], PartialDate(2010, 9)),
        (["PY  - 2019 Mar 4"], PartialDate(2019, 3, 4)),
        (["PY  - 4 March 2019"], PartialDate(2019, 3, 4)),
        (["DA  - 2019-03-04"], PartialDate(2019, 3, 4)),
        (["Y1  - 2019/03/04/Spring issue"], PartialDate(2019, 3, 4)),
        (["Y2  - 2024/05/17"], None),  # access date, not a publication date
        ([], None),
    ],
)
def test_dates(
    read_ris: Callable[[str | bytes], Items], lines: list[str], date: PartialDate | None
) -> None:
    records, problems = read_ris(article_with(*lines))
    assert problems == []
    assert only(records).published == date


@pytest.mark.parametrize(
    ("lines", "date", "message"),
    [
        (
            ["PY  - 2011/00/"],
            PartialDate(2011),
            "PY '2011/00/' is not a date (month 0 is not a month (1-12)); kept 2011",
        ),
        (
            ["PY  - 2023/02/29/"],
            PartialDate(2023, 2),
            "PY '2023/02/29/' is not a date (2023-02-29 is not a day of the calendar); "
            "kept 2023-02",
        ),
        (
            ["PY  - 2010", "DA  - SEP 31"],
            PartialDate(2010, 9),
            "DA 'SEP 31' is not a date (2010-09-31 is not a day of the calendar); kept 2010-09",
        ),
        (["PY  - 0999"], None, "PY '0999' is not a date (year 999 is out of range (1000-9999))"),
        (
            ["PY  - n.d."],
            None,
            "PY 'n.d.' is not a date ('n.d.' is not a year, month or day); left out",
        ),
        (["DA  - SEP 22"], None, "DA 'SEP 22' gives no year; no date kept"),
        (
            ["PY  - 2019 Spring"],
            PartialDate(2019),
            "PY '2019 Spring': 'Spring' is not a month or day; kept the year only",
        ),
        (
            ["PY  - 2023", "DA  - 2022/11/01"],
            PartialDate(2023),
            "DA '2022/11/01' gives the year 2022, PY gives 2023; kept 2023",
        ),
    ],
)
def test_bad_dates_are_reported_and_the_rest_kept(
    read_ris: Callable[[str | bytes], Items],
    lines: list[str],
    date: PartialDate | None,
    message: str,
) -> None:
    records, problems = read_ris(article_with(*lines))
    assert only(records).published == date
    line = 2 + next(i for i, text in enumerate(lines) if message.startswith(text[:2]))
    assert warnings(problems) == [(1, line, message)]


def test_author_forms(read_ris: Callable[[str | bytes], Items]) -> None:
    text = article_with(
        "AU  - Wilson, L.N.; Gardner, J.D.",
        "AU  - Pieter van der Berg",
        "AU  - World Health Organization",
        "AU  - Centers for Disease Control and Prevention",
        "AU  - Department of Health, UK",
        "AU  - Board, J.",
        "AU  - José María Pérez García",
        "AU  - NASA",
        "AU  - King, Martin Luther, Jr.",
        "AU  - et al.",
    )
    records, problems = read_ris(text)
    assert problems == []
    record = only(records)
    assert [(a.written, a.given, a.family, a.organization) for a in record.authors] == [
        ("Wilson, L.N.", "L.N.", "Wilson", False),
        ("Gardner, J.D.", "J.D.", "Gardner", False),
        ("Pieter van der Berg", "Pieter", "van der Berg", False),
        ("World Health Organization", None, None, True),
        ("Centers for Disease Control and Prevention", None, None, True),
        ("Department of Health, UK", None, None, True),
        ("Board, J.", "J.", "Board", False),
        ("José María Pérez García", "José María Pérez", "García", False),
        ("NASA", None, None, True),
        ("King, Martin Luther, Jr.", "Martin Luther", "King", False),
    ]
    assert record.authors_incomplete


def test_a1_is_read_when_there_is_no_au(read_ris: Callable[[str | bytes], Items]) -> None:
    records, _ = read_ris(article_with("A1  - Smith, Jane", "A1  - Doe, John"))
    assert [a.family for a in only(records).authors] == ["Smith", "Doe"]
    records, _ = read_ris(article_with("AU  - Smith, Jane", "A1  - Smith, Jane"))
    assert [a.family for a in only(records).authors] == ["Smith"]


def test_chapter_book_and_edited_book(read_ris: Callable[[str | bytes], Items]) -> None:
    text = """\
TY  - CHAP
AU  - Smith, Jane
A2  - Editor, Ed
TI  - A chapter
T2  - The Book of Chapters
SN  - 978-1-78743-001-1
SP  - 29-40
PB  - Emerald Publishing Limited
PY  - 2018
ER  -

TY  - BOOK
AU  - Smith, Jane
TI  - A whole book
T2  - A Series Title
SN  - 978-1-78743-001-1
ER  -

TY  - EDBOOK
AU  - Editor, Ed
BT  - An edited book
ER  -
"""
    records, problems = read_ris(text)
    assert problems == []
    chapter, book, edited = records
    assert chapter.kind is WorkKind.CHAPTER
    assert [e.family for e in chapter.editors] == ["Editor"]
    assert chapter.venue is not None
    assert (chapter.venue.title, chapter.venue.isbns) == (
        "The Book of Chapters",
        ("978-1-78743-001-1",),
    )
    assert (chapter.page_start, chapter.page_end) == ("29", "40")
    assert book.kind is WorkKind.BOOK and book.title == "A whole book"
    assert book.venue is not None
    assert (book.venue.title, book.venue.isbns) == (None, ("978-1-78743-001-1",))
    assert book.editors == ()
    assert (edited.kind, edited.title, edited.authors) == (WorkKind.BOOK, "An edited book", ())
    assert [e.family for e in edited.editors] == ["Editor"]


@pytest.mark.parametrize(
    ("ty", "kind"),
    [
        ("JOUR", WorkKind.ARTICLE),
        ("JFULL", WorkKind.ARTICLE),
        ("MGZN", WorkKind.ARTICLE),
        ("NEWS", WorkKind.ARTICLE),
        ("EJOUR", WorkKind.ARTICLE),
        ("INPR", WorkKind.ARTICLE),
        ("CHAP", WorkKind.CHAPTER),
        ("EBOOK", WorkKind.BOOK),
        ("CONF", WorkKind.CONFERENCE_PAPER),
        ("CPAPER", WorkKind.CONFERENCE_PAPER),
        ("THES", WorkKind.THESIS),
        ("RPRT", WorkKind.REPORT),
        ("UNPB", WorkKind.PREPRINT),
        ("jour", WorkKind.ARTICLE),
    ],
)
def test_record_types(read_ris: Callable[[str | bytes], Items], ty: str, kind: WorkKind) -> None:
    records, problems = read_ris(f"TY  - {ty}\nER  - \n")
    assert problems == []
    assert (only(records).kind, only(records).content_type) == (kind, ty)


@pytest.mark.parametrize(
    ("ty", "message"),
    [
        ("GEN", "record type 'GEN' is not one this reader maps; read as OTHER"),
        ("DATA", "record type 'DATA' is not one this reader maps; read as OTHER"),
        ("", "'TY  - ' gives no record type; read as OTHER"),
    ],
)
def test_other_record_types_are_kept_as_other(
    read_ris: Callable[[str | bytes], Items], ty: str, message: str
) -> None:
    records, problems = read_ris(f"TY  - {ty}\nTI  - Something\nER  - \n")
    assert (only(records).kind, only(records).content_type) == (WorkKind.OTHER, ty)
    assert warnings(problems) == [(1, 1, message)]


@pytest.mark.parametrize(
    ("lines", "start", "end", "number"),
    [
        (["SP  - 29-40"], "29", "40", None),
        (["SP  - 29 – 40"], "29", "40", None),
        (["SP  - S12-S15", "EP  - S15"], "S12", "S15", None),
        (["SP  - 1234"], "1234", None, None),
        (["C7  - e0298957"], None, None, "e0298957"),
        (["AR  - 103640"], None, None, "103640"),
    ],
)
def test_pages_and_article_numbers(
    read_ris: Callable[[str | bytes], Items],
    lines: list[str],
    start: str | None,
    end: str | None,
    number: str | None,
) -> None:
    record = only(read_ris(article_with(*lines))[0])
    assert (record.page_start, record.page_end, record.article_number) == (start, end, number)


def test_other_single_fields(read_ris: Callable[[str | bytes], Items]) -> None:
    text = article_with(
        "DO  - https://doi.org/10.1108/JD-01-2020-0001",
        "UR  - https://example.org/first",
        "UR  - https://example.org/second",
        "LA  - eng",
        "JO  - J. Doc.",
        "JF  - Journal of Documentation",
        "KW  - peer support; recovery",
        "KW  - recovery",
        "N2  - The abstract in N2.",
        "M3  - Research Article",
        "DB  - Scopus",
        "C2  - PMC1234567",
        "AD  - An address, which is not mapped",
        "N1  - A note",
    )
    records, problems = read_ris(text)
    assert problems == []
    record = only(records)
    assert record.doi == "https://doi.org/10.1108/JD-01-2020-0001"  # as written
    assert record.url == "https://example.org/first"
    assert record.language == "eng"
    assert record.venue is not None
    assert (record.venue.title, record.venue.short_title) == (
        "Journal of Documentation",
        "J. Doc.",
    )
    assert record.keywords == ("peer support", "recovery")
    assert record.abstract == "The abstract in N2."
    assert record.article_type == "Research Article"
    assert record.pmid is None  # a PMCID in C2 is not a PMID


def test_volume_from_vo_when_there_is_no_vl(read_ris: Callable[[str | bytes], Items]) -> None:
    record = only(read_ris(article_with("T2  - IEEE Access", "VO  - 8"))[0])
    assert record.venue is not None and record.venue.volume == "8"


def test_doi_in_m3_is_used_when_there_is_no_do(read_ris: Callable[[str | bytes], Items]) -> None:
    record = only(read_ris(article_with("M3  - 10.1007/s11192-020-03690-4"))[0])
    assert (record.doi, record.article_type) == ("10.1007/s11192-020-03690-4", None)


def test_header_lines_before_the_first_record_are_furniture(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    records, problems = read_ris("Provider: Elsevier\nDatabase: ScienceDirect\n\n" + ARTICLE)
    assert problems == []
    assert only(records).source.line == 4


# --- malformed input ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n   \n", "\ufeff"])
def test_empty_input_gives_nothing(read_ris: Callable[[str | bytes], Items], text: str) -> None:
    assert read_ris(text) == ([], [])


@pytest.mark.parametrize("ending", ["", "\n", "\n\n  \n"])
def test_truncated_file_keeps_the_last_record_and_warns(
    read_ris: Callable[[str | bytes], Items], ending: str
) -> None:
    text = ARTICLE + "\nTY  - JOUR\nTI  - Cut off\nAB  - The export stopped in the mid" + ending
    records, problems = read_ris(text)
    assert [r.title for r in records] == ["Peer support in mental health services", "Cut off"]
    assert records[1].abstract == "The export stopped in the mid"
    assert warnings(problems) == [
        (2, 22, "no 'ER  -' line before the end of the file; the record was read to the end")
    ]


def test_missing_er_between_records(read_ris: Callable[[str | bytes], Items]) -> None:
    records, problems = read_ris("TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  - \n")
    assert [(r.number, r.title, r.source.line) for r in records] == [(1, "One", 1), (2, "Two", 3)]
    assert warnings(problems) == [
        (1, 3, "no 'ER  -' line before the next 'TY  - ' here; the record was ended at this line")
    ]


def test_record_without_ty_is_rejected_and_the_rest_read(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    text = "AU  - Smith, J.\nTI  - No type\nER  - \n\n" + ARTICLE
    records, problems = read_ris(text)
    assert [r.number for r in records] == [2]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.severity, problem.record, problem.location.line) == (Severity.ERROR, 1, 1)
    assert problem.message.startswith("record has no 'TY  - <type>' line: it starts with 'AU'")


def test_text_outside_records_is_reported(read_ris: Callable[[str | bytes], Items]) -> None:
    text = "Exported from somewhere\n" + ARTICLE + "\nstray words\nER  - \n"
    records, problems = read_ris(text)
    assert len(records) == 1
    assert warnings(problems) == [
        (None, 1, "text outside a record: 'Exported from somewhere'"),
        (None, 21, "text outside a record: 'stray words'"),
        (None, 22, "'ER  -' with no record open (no 'TY  - ' line before it)"),
    ]


def test_duplicate_single_valued_tags_keep_the_first(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    text = article_with(
        "TI  - The first title",
        "TI  - The first title",
        "TI  - A second title",
        "PY  - 2020",
        "PY  - 2021",
    )
    records, problems = read_ris(text)
    record = only(records)
    assert (record.title, record.published) == ("The first title", PartialDate(2020))
    assert warnings(problems) == [
        (1, 4, "a second TI (the first is on line 2); kept the first, left out 'A second title'"),
        (1, 6, "a second PY (the first is on line 5); kept the first, left out '2021'"),
    ]


def test_unknown_tags_are_reported_known_ones_skipped(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    records, problems = read_ris(
        article_with("ZZ  - what", "ZZ  - again", "AD  - Somewhere", "TI  - T")
    )
    assert only(records).title == "T"
    assert warnings(problems) == [(1, 2, "unknown tag 'ZZ' (not an RIS tag); left out")]


def test_irregular_tag_spacing(read_ris: Callable[[str | bytes], Items]) -> None:
    text = "TY - JOUR\nTI - Loose title\nAB  - Text with\nCD-ROM and UK - based lines\nER  -\n"
    records, problems = read_ris(text)
    record = only(records)
    assert (record.content_type, record.title) == ("JOUR", "Loose title")
    assert record.abstract == "Text with CD-ROM and UK - based lines"
    assert warnings(problems) == [
        (
            1,
            1,
            "tag line 'TY - JOUR' is not written 'XX  - value' (two spaces, hyphen, space); "
            "read as a tag, and 1 more like it",
        )
    ]


def test_markup_and_character_references(read_ris: Callable[[str | bytes], Items]) -> None:
    text = article_with(
        "TI  - <i>Homo naledi</i> &amp; CO<sub>2</sub> at &lt;i&gt; sites",
        "T2  - Arts &amp; Humanities",
    )
    records, problems = read_ris(text)
    assert problems == []
    record = only(records)
    assert record.title == "Homo naledi & CO2 at <i> sites"
    assert record.venue is not None and record.venue.title == "Arts & Humanities"


def test_control_characters_are_removed_and_reported(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    records, problems = read_ris(article_with("TI  - Bell\x07 and null\x00 title"))
    assert only(records).title == "Bell and null title"
    assert warnings(problems) == [(1, 2, "removed control characters from TI")]


def test_identifiers_with_bad_check_digits_are_kept_as_written(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    records, problems = read_ris(article_with("SN  - 2042-8309", "DO  - 10.1108/broken doi"))
    assert problems == []
    record = only(records)
    assert record.venue is not None and record.venue.issns == (Issn("2042-8309"),)
    assert record.doi == "10.1108/broken doi"


def test_a_ten_megabyte_field(read_ris: Callable[[str | bytes], Items]) -> None:
    big = "word " * 2_000_000
    started = time.monotonic()
    records, problems = read_ris(article_with("AB  - " + big, "TI  - After the big field"))
    assert time.monotonic() - started < 10
    assert problems == []
    record = only(records)
    assert record.abstract is not None and len(record.abstract) == len(big.strip())
    assert record.title == "After the big field"


def test_records_in_equal_records_read_plus_rejected(
    read_ris: Callable[[str | bytes], Items],
) -> None:
    text = ARTICLE + "AU  - No type\nER  -\n" + ARTICLE + "TY  - GEN\n"
    records, problems = read_ris(text)
    rejected = [p for p in problems if p.severity is Severity.ERROR]
    assert [r.number for r in records] == [1, 3, 4]
    assert [p.record for p in rejected] == [2]


def test_random_mutations_never_raise(read_ris: Callable[[str | bytes], Items]) -> None:
    rng = random.Random(20240517)
    source = ARTICLE + article_with("DA  - SEP 22", "SN  - 1234-5678 (Print)", "FU  - X [1, 2]")
    alphabet = "TYERAUPDSN  -/\n\r\t;,()[]<>&#x0123456789\x00\x07é\ufeff"
    for _ in range(400):
        chars = list(source)
        for _ in range(rng.randint(1, 25)):
            position = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.4:
                chars[position] = rng.choice(alphabet)
            elif action < 0.7:
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        records, problems = read_ris("".join(chars))
        assert all("please report" not in p.message for p in problems)
        numbers = [r.number for r in records] + [
            p.record for p in problems if p.severity is Severity.ERROR
        ]
        assert sorted(n for n in numbers if n is not None) == list(range(1, len(numbers) + 1))


def test_junk_lines_never_raise() -> None:
    rng = random.Random(7)
    for _ in range(200):
        lines = [
            "".join(rng.choice("TYER -AU0123/\t;&<>é") for _ in range(rng.randint(0, 20)))
            for _ in range(rng.randint(0, 30))
        ]
        for item in ris.read(lines, "junk.ris"):
            assert isinstance(item, Record | Problem)

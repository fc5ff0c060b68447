"""The PubMed MEDLINE (.nbib) reader: every mapped tag, MEDLINE's quirks, bad input, real files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.core.problems import Problem, Severity
from kg.core.records import Funder, Issn, IssnKind, Record, WorkKind
from kg.read import medline
from kg.read._text import read_lines
from tests.conftest import real_input

LABEL = "test.nbib"

# Made up for these tests; shaped like PubMed's "PubMed format" export.
BASE = """\
PMID- 12345678
OWN - NLM
STAT- MEDLINE
IS  - 1755-6228 (Electronic)
IS  - 1755-6210 (Print)
IS  - 1755-6210 (Linking)
VI  - 9
IP  - 1
DP  - 2014 Mar 14
TI  - Peer support workers in mental health services: a made-up study of
      supervision.
PG  - 123-9
LID - 10.1234/mhsi.2014.001 [doi]
AB  - This made-up abstract tests the reader.
      It runs over two lines.
FAU - van den Broek, Hendrik
AU  - van den Broek H
AUID- ORCID: 0000-0002-1825-0097
AD  - Somewhere, Nowhere.
CN  - Peer Support Study Group
FAU - O'Sullivan-Reyes, Niamh
AU  - O'Sullivan-Reyes N
LA  - eng
GR  - R01 MH012345/MH/NIMH NIH HHS/United States
PT  - Journal Article
PT  - Research Support, Non-U.S. Gov't
PT  - Randomized Controlled Trial
PL  - England
TA  - Ment Health Soc Incl
JT  - Mental health and social inclusion
MH  - Humans
MH  - *Peer Group
MH  - Mental Health/*psychology/statistics & numerical data
MH  - *Mental Health
OT  - peer support
OT  - Supervision
OT  - humans
AID - S1234-5678(14)00001-2 [pii]
AID - 10.1234/MHSI.2014.001 [doi]
PST - ppublish
SO  - Ment Health Soc Incl. 2014 Mar 14;9(1):123-9.
"""

SECOND = """\
PMID- 23456789
DP  - 2020
TI  - A second made-up record.
AU  - Griffin DK
PT  - Letter
TA  - Made Up J
"""


def lines_of(text: str) -> list[str]:
    """Split text the way kg.read._text.read_lines does."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def parse(text: str) -> tuple[list[Record], list[Problem]]:
    items = list(medline.read(lines_of(text), LABEL))
    return (
        [item for item in items if isinstance(item, Record)],
        [item for item in items if isinstance(item, Problem)],
    )


def one(text: str) -> tuple[Record, list[Problem]]:
    records, problems = parse(text)
    assert len(records) == 1
    return records[0], problems


def with_field(tag_line: str, text: str = BASE) -> str:
    """BASE with ``tag_line`` replacing the line of the same tag (or added before PT)."""
    tag = tag_line[:4]
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(tag):
            lines[index] = tag_line
            return "\n".join(lines) + "\n"
    at = next(i for i, line in enumerate(lines) if line.startswith("PT  -"))
    lines.insert(at, tag_line)
    return "\n".join(lines) + "\n"


def without(tag: str, text: str = BASE) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(tag)) + "\n"


# --- sniffing ----------------------------------------------------------------------------


def test_sniff_recognises_medline() -> None:
    assert medline.sniff(lines_of(BASE))
    assert medline.sniff(lines_of("\n\n" + BASE))
    assert medline.sniff(["\ufeffPMID- 1", "TI  - x"])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "TY  - JOUR\nTI  - An RIS record\nER  - \n",
        "@article{key,\n  title = {A BibTeX entry}\n}\n",
        '[{"id": "x", "type": "article-journal"}]\n',
        '{"status": "ok", "message-type": "work-list"}\n',
        "Search results\n\nArticle\nPublication date: 15 June 2012\n",
        "OWN - NLM\nPMID- 1\n",  # MEDLINE text must start with its PMID line
        "PMID 12345\n",
    ],
)
def test_sniff_rejects_other_formats(text: str) -> None:
    assert not medline.sniff(lines_of(text))


@pytest.mark.parametrize(
    "name",
    [
        "ris/scopus-export-asreview-baseline.ris",
        "ris/webofscience-export-asreview-baseline.ris",
        "ris/zotero-export-asreview-baseline-crlf.ris",
    ],
)
def test_sniff_rejects_real_ris_files(name: str) -> None:
    path = real_input(name)
    assert not medline.sniff(read_lines(path, str(path)))


# --- every mapped field of a well-formed record ------------------------------------------


def test_base_record_fields() -> None:
    record, problems = one(BASE)
    assert problems == []
    assert record.number == 1
    assert record.source.file == LABEL and record.source.line == 1
    assert record.pmid == "12345678"
    assert record.title == (
        "Peer support workers in mental health services: a made-up study of supervision."
    )
    assert record.abstract == "This made-up abstract tests the reader. It runs over two lines."
    assert record.kind is WorkKind.ARTICLE
    assert record.content_type == "Journal Article"
    assert record.article_type == "Randomized Controlled Trial"
    assert record.published is not None and record.published.lexical == "2014-03-14"
    assert record.language == "eng"
    assert record.doi == "10.1234/MHSI.2014.001"  # the AID one, preferred over LID
    assert (record.page_start, record.page_end, record.article_number) == ("123", "129", None)
    assert record.funders == (Funder("NIMH NIH HHS", awards=("R01 MH012345",)),)
    assert record.publisher is None  # PL is a country, not a publisher


def test_base_record_venue() -> None:
    record, _ = one(BASE)
    assert record.venue is not None
    assert record.venue.title == "Mental health and social inclusion"
    assert record.venue.short_title == "Ment Health Soc Incl"
    assert (record.venue.volume, record.venue.issue) == ("9", "1")
    assert record.venue.issns == (
        Issn("1755-6228", IssnKind.ELECTRONIC),
        Issn("1755-6210", IssnKind.PRINT),
        Issn("1755-6210", IssnKind.LINKING),
    )
    assert record.venue.isbns == ()
    assert not record.venue.ahead_of_print


def test_base_record_authors_keep_order_orcid_and_corporate_author() -> None:
    record, _ = one(BASE)
    first, group, last = record.authors
    assert (first.written, first.given, first.family) == (
        "van den Broek, Hendrik",
        "Hendrik",
        "van den Broek",
    )
    assert first.orcid == "0000-0002-1825-0097"
    assert group.written == "Peer Support Study Group" and group.organization
    assert (group.given, group.family, group.orcid) == (None, None, None)
    assert (last.family, last.given, last.orcid) == ("O'Sullivan-Reyes", "Niamh", None)


def test_keywords_drop_qualifiers_and_stars_and_dedupe_in_order() -> None:
    record, _ = one(BASE)
    assert record.keywords == (
        "Humans",
        "Peer Group",
        "Mental Health",
        "peer support",
        "Supervision",
    )


def test_ahead_of_print() -> None:
    record, _ = one(with_field("PST - aheadofprint"))
    assert record.venue is not None and record.venue.ahead_of_print


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("au", "given", "family"),
    [
        ("Griffin DK", "DK", "Griffin"),
        ("van Raaij MJ", "MJ", "van Raaij"),
        ("Wong Kee Song LM", "LM", "Wong Kee Song"),
        ("King ML Jr", "ML", "King"),
        ("O'Connor R", "R", "O'Connor"),
        ("Madonna", None, None),
    ],
)
def test_short_names_without_full_names(au: str, given: str | None, family: str | None) -> None:
    record, problems = one(f"PMID- 1\nAU  - {au}\nPT  - Journal Article\n")
    assert problems == []
    assert [(a.written, a.given, a.family) for a in record.authors] == [(au, given, family)]


def test_full_and_short_names_pair_in_order() -> None:
    text = (
        "PMID- 1\nFAU - Sander, P Martin\nAU  - Sander PM\nAU  - Christian A\n"
        "FAU - Plato\nAU  - Plato P\nPT  - Journal Article\n"
    )
    record, problems = one(text)
    assert problems == []
    assert [(a.written, a.given, a.family) for a in record.authors] == [
        ("Sander, P Martin", "P Martin", "Sander"),
        ("Christian A", "A", "Christian"),  # an AU with no FAU above it is its own author
        ("Plato", "P", "Plato"),  # a full name without a comma takes the short name's parts
    ]


def test_orcid_as_url_kept_as_written_and_other_auid_ignored() -> None:
    text = (
        "PMID- 1\nFAU - Doe, Jane\nAU  - Doe J\nAUID- ISNI: 0000 0001 2345 6789\n"
        "AUID- ORCID: https://orcid.org/0000-0002-1825-0097\nPT  - Journal Article\n"
    )
    record, problems = one(text)
    assert problems == []
    assert record.authors[0].orcid == "https://orcid.org/0000-0002-1825-0097"


def test_orcid_with_bad_check_digit_is_kept_as_written() -> None:
    record, problems = one(with_field("AUID- ORCID: 0000-0002-1825-0098"))
    assert problems == []
    assert record.authors[0].orcid == "0000-0002-1825-0098"


def test_auid_before_any_author_and_second_orcid_are_warnings() -> None:
    text = (
        "PMID- 1\nAUID- ORCID: 0000-0001-0000-0001\nFAU - Doe, Jane\n"
        "AUID- ORCID: 0000-0002-1825-0097\nAUID- ORCID: 0000-0003-0000-0003\n"
        "PT  - Journal Article\n"
    )
    record, problems = one(text)
    assert record.authors[0].orcid == "0000-0002-1825-0097"
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, 1, 2),
        (Severity.WARNING, 1, 5),
    ]
    assert "before any author" in problems[0].message
    assert "second ORCID" in problems[1].message and "0000-0002-1825-0097" in problems[1].message


# --- books and chapters ------------------------------------------------------------------

CHAPTER = """\
PMID- 21249755
STAT- Publisher
PB  - National Center for Biotechnology Information (US)
DP  - 2009
TI  - A made-up syndrome
BTI - Made-up Syndromes
FED - Riegert, Douglas L
ED  - Riegert DL
FAU - Gleeson, Ferga C.
AU  - Gleeson FC
LA  - eng
PT  - Book Chapter
PL  - Bethesda (MD)
ISBN- 978-0-306-40615-7
AID - NBK1826 [bookaccession]
"""


def test_book_chapter() -> None:
    record, problems = one(CHAPTER)
    assert problems == []
    assert record.kind is WorkKind.CHAPTER
    assert record.content_type == "Book Chapter"
    assert record.title == "A made-up syndrome"
    assert record.publisher == "National Center for Biotechnology Information (US)"
    assert record.venue is not None
    assert record.venue.title == "Made-up Syndromes"
    assert record.venue.isbns == ("978-0-306-40615-7",)
    assert [(e.family, e.given) for e in record.editors] == [("Riegert", "Douglas L")]
    assert [(a.family, a.given) for a in record.authors] == [("Gleeson", "Ferga C.")]
    assert record.doi is None  # a Bookshelf accession is not a DOI


def test_whole_book_title_from_bti_and_isbns_in_venue() -> None:
    text = "PMID- 1\nBTI - A Made-up Handbook\nIS  - 9780306406157\nPT  - Book\n"
    record, problems = one(text)
    assert problems == []
    assert record.kind is WorkKind.BOOK
    assert record.title == "A Made-up Handbook"
    assert record.venue is not None
    assert (record.venue.title, record.venue.isbns, record.venue.issns) == (
        None,
        ("9780306406157",),
        (),
    )


@pytest.mark.parametrize(
    ("types", "kind", "content_type", "article_type"),
    [
        (["Journal Article"], WorkKind.ARTICLE, "Journal Article", None),
        (["Historical Article", "Journal Article", "Review"], WorkKind.ARTICLE,
         "Journal Article", "Review"),
        (["Comparative Study", "Journal Article"], WorkKind.ARTICLE, "Journal Article",
         "Comparative Study"),
        (["Journal Article", "Clinical Trial, Phase III", "Research Support, N.I.H., Extramural"],
         WorkKind.ARTICLE, "Journal Article", "Clinical Trial, Phase III"),
        (["Editorial"], WorkKind.ARTICLE, "Editorial", None),
        (["Preprint"], WorkKind.PREPRINT, "Preprint", None),
        (["Journal Article", "Preprint"], WorkKind.PREPRINT, "Preprint", None),
        (["Technical Report"], WorkKind.REPORT, "Technical Report", None),
    ],
)  # fmt: skip
def test_kind_content_type_and_article_type(
    types: list[str], kind: WorkKind, content_type: str, article_type: str | None
) -> None:
    text = "PMID- 1\n" + "".join(f"PT  - {t}\n" for t in types)
    record, problems = one(text)
    assert problems == []
    assert (record.kind, record.content_type, record.article_type) == (
        kind,
        content_type,
        article_type,
    )


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "lexical"),
    [
        ("2024 Mar 4", "2024-03-04"),
        ("2024 Mar", "2024-03"),
        ("2024", "2024"),
        ("2023 Winter", "2023"),
        ("2000 Spring-Summer", "2000"),
        ("2024 Mar-Apr", "2024-03"),
        ("2023 Apr-Jun", "2023-04"),
        ("2023 Dec-2024 Jan", "2023-12"),
        ("2024 Mar 4-10", "2024-03-04"),
        ("2024 Feb 28-Mar 3", "2024-02-28"),
        ("1999-2000", "1999"),
        ("2024 SEP 9", "2024-09-09"),
    ],
)
def test_medline_date_forms(written: str, lexical: str) -> None:
    record, problems = one(with_field(f"DP  - {written}"))
    assert problems == []
    assert record.published is not None and record.published.lexical == lexical


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("2011-00", "MEDLINE writes '2024 Mar 4'"),
        ("2011 00", "month 0 is not a month (1-12)"),
        ("2023 Feb 29", "2023-02-29 is not a day of the calendar"),
        ("2024 Smarch", "'Smarch' is not a month"),
        ("0999 Jan", "year 999 is out of range"),
        ("Mar 2024", "MEDLINE writes"),
        ("2024 Mar 4 5", "MEDLINE writes"),
    ],
)
def test_unreadable_date_keeps_record_without_date(written: str, fragment: str) -> None:
    record, problems = one(with_field(f"DP  - {written}"))
    assert record.published is None
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.severity, problem.record, problem.location.line) == (Severity.WARNING, 1, 9)
    assert f"DP {written!r} is not a date" in problem.message
    assert fragment in problem.message
    assert "kept without a date" in problem.message


def test_no_date_is_not_a_problem() -> None:
    record, problems = one(without("DP  -"))
    assert record.published is None and problems == []


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pg", "expected"),
    [
        ("123-9", ("123", "129", None)),
        ("117-55", ("117", "155", None)),
        ("1499-501", ("1499", "1501", None)),
        ("98-102", ("98", "102", None)),
        ("S12-5", ("S12", "S15", None)),
        ("S12-S15", ("S12", "S15", None)),
        ("iii-iv", ("iii", "iv", None)),
        ("1234", ("1234", None, None)),
        ("e1234", (None, None, "e1234")),
    ],
)
def test_pages(pg: str, expected: tuple[str | None, str | None, str | None]) -> None:
    record, problems = one(with_field(f"PG  - {pg}"))
    assert problems == []
    assert (record.page_start, record.page_end, record.article_number) == expected


def test_single_page_equal_to_bare_locator_is_an_article_number() -> None:
    text = with_field("LID - 809", with_field("PG  - 809"))
    record, _ = one(text)
    assert (record.page_start, record.article_number) == (None, "809")
    assert record.doi == "10.1234/MHSI.2014.001"


def test_bare_locator_without_pages_is_an_article_number() -> None:
    text = without("PG  -", with_field("LID - e80092"))
    record, problems = one(text)
    assert problems == []
    assert (record.page_start, record.article_number) == (None, "e80092")


def test_end_page_before_start_is_kept_as_written_with_warning() -> None:
    record, problems = one(with_field("PG  - 199-5"))
    assert (record.page_start, record.page_end) == ("199", "5")
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, 1, 12)
    ]
    assert "end page '5' is before start page '199'" in problems[0].message


def test_pages_with_several_parts_keep_the_first() -> None:
    record, problems = one(with_field("PG  - 123-9; discussion 130-1"))
    assert (record.page_start, record.page_end) == ("123", "129")
    assert len(problems) == 1 and problems[0].location.line == 12
    assert "only '123-9' is kept" in problems[0].message


# --- identifiers as written --------------------------------------------------------------


def test_doi_from_lid_when_no_aid_and_pii_ignored() -> None:
    record, _ = one(without("AID -"))
    assert record.doi == "10.1234/mhsi.2014.001"
    record, _ = one(without("AID -", without("LID -")))
    assert record.doi is None


def test_issn_with_bad_check_digit_and_unknown_medium_kept_as_written() -> None:
    text = BASE.replace("IS  - 1755-6210 (Print)", "IS  - 1755-6211 (Print)").replace(
        "IS  - 1755-6210 (Linking)", "IS  - 17556210"
    )
    record, problems = one(text)
    assert problems == []
    assert record.venue is not None
    assert record.venue.issns[1:] == (
        Issn("1755-6211", IssnKind.PRINT),
        Issn("17556210", IssnKind.UNKNOWN),
    )


# --- malformed input ---------------------------------------------------------------------


def test_empty_file_and_blank_lines_give_nothing() -> None:
    assert list(medline.read([], LABEL)) == []
    assert list(medline.read(["", "   ", ""], LABEL)) == []


def test_text_before_first_record_is_a_warning() -> None:
    records, problems = parse("Exported from PubMed\nSearch: dinosaurs\n\n" + BASE)
    assert [r.number for r in records] == [1]
    assert records[0].source.line == 4
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, None, 1)
    ]
    assert "before the first record" in problems[0].message
    assert "'Exported from PubMed'" in problems[0].message


def test_record_not_starting_with_pmid_is_rejected() -> None:
    # a blank line inside a record cuts it in two: the second half has no PMID line
    text = BASE.replace("AB  - This", "\nAB  - This") + "\n" + SECOND
    records, problems = parse(text)
    assert [(r.number, r.pmid) for r in records] == [(1, "12345678"), (3, "23456789")]
    assert records[0].abstract is None and records[0].authors == ()
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, 1, 1),  # the first half has no PT line
        (Severity.ERROR, 2, 15),
    ]
    assert "record starts with 'AB', not 'PMID- '" in problems[1].message


def test_ris_file_forced_through_the_reader_gives_warnings_only() -> None:
    records, problems = parse("TY  - JOUR\nTI  - An RIS record\nER  -\n\nTY  - BOOK\nER  -\n")
    assert records == []
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, None, 1),
        (Severity.WARNING, None, 5),
    ]


def test_stray_text_between_records_is_a_warning() -> None:
    records, problems = parse(BASE + "\nthis is not a field\n      nor this\n\n" + SECOND)
    assert [r.number for r in records] == [1, 2]
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, None, 43)
    ]
    assert "between records" in problems[0].message


def test_truncated_file_keeps_what_is_there() -> None:
    cut = BASE.split("FAU - O'Sullivan")[0].rstrip("\n") + "\nAB  - A second abstract cut in"
    record, problems = one(cut)
    assert record.title is not None and record.title.endswith("of supervision.")
    assert [a.written for a in record.authors] == [
        "van den Broek, Hendrik",
        "Peer Support Study Group",
    ]
    assert record.kind is WorkKind.ARTICLE and record.content_type == ""
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, 1, 21),  # the second AB line
        (Severity.WARNING, 1, 1),  # no PT
    ]
    assert "a second AB line, ignored" in problems[0].message and "line 14" in problems[0].message
    assert "no PT (publication type)" in problems[1].message


def test_records_without_blank_line_between_are_two_records() -> None:
    records, problems = parse(BASE + SECOND)
    assert problems == []
    assert [(r.number, r.pmid, r.source.line) for r in records] == [
        (1, "12345678", 1),
        (2, "23456789", 42),
    ]
    second = records[1]
    assert (second.content_type, second.kind) == ("Letter", WorkKind.ARTICLE)
    assert second.venue is not None and second.venue.short_title == "Made Up J"
    assert second.venue.title is None
    assert (second.authors[0].family, second.authors[0].given) == ("Griffin", "DK")


def test_duplicate_title_keeps_the_first() -> None:
    record, problems = one(BASE + "TI  - Another title\n")
    assert record.title is not None and record.title.startswith("Peer support workers")
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.WARNING, 1, 42)
    ]
    assert "a second TI line, ignored (the record keeps the one on line 10)" in problems[0].message


def test_misaligned_tag_line_is_reported_and_skipped() -> None:
    record, problems = one(BASE.replace("VI  - 9", "VI - 9"))
    assert record.venue is not None and record.venue.volume is None
    assert [(p.severity, p.record, p.location.line) for p in problems] == [(Severity.WARNING, 1, 7)]
    assert "cannot read this line, ignored: 'VI - 9'" in problems[0].message


def test_control_characters_are_removed_with_a_warning_and_markup_kept() -> None:
    record, problems = one("PMID- 1\nTI  - Bell\x07 and <i>tab</i>\x0b title\nPT  - Letter\n")
    assert [(p.location.line, p.record, p.message) for p in problems] == [
        (2, 1, "removed control characters (U+0007, U+000B) from this line")
    ]
    assert record.title == "Bell and <i>tab</i> title"


def test_ten_megabyte_abstract() -> None:
    chunk = "word " * 15
    lines = lines_of(BASE)
    at = lines.index("      It runs over two lines.")
    lines[at:at] = ["      " + chunk] * 140_000
    items = list(medline.read(lines, LABEL))
    assert len(items) == 1 and isinstance(items[0], Record)
    assert items[0].abstract is not None and len(items[0].abstract) > 10_000_000
    assert items[0].authors[0].orcid == "0000-0002-1825-0097"


def test_huge_page_numbers_do_not_crash() -> None:
    record, problems = one(with_field("PG  - 1" + "0" * 4999 + "-9"))
    assert record.page_start == "1" + "0" * 4999 and record.page_end == "1" + "0" * 4998 + "9"
    assert problems == []


def test_empty_pmid_is_an_error_and_non_numeric_pmid_a_warning() -> None:
    records, problems = parse("PMID-\nTI  - x\n\nPMID- PMC123\nPT  - Journal Article\n")
    assert [(r.number, r.pmid) for r in records] == [(2, "PMC123")]
    assert [(p.severity, p.record, p.location.line) for p in problems] == [
        (Severity.ERROR, 1, 1),
        (Severity.WARNING, 2, 4),
    ]
    assert "PMID line has no PMID" in problems[0].message
    assert "PMID 'PMC123' is not a number" in problems[1].message


def test_unknown_and_empty_tags_are_ignored_silently() -> None:
    record, problems = one(with_field("XYZ - whatever") + "TI  -\nMH  -\nEDAT- 2019/03/30\n")
    assert problems == []
    assert record.title is not None and record.title.startswith("Peer support")


def test_crlf_and_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "pubmed.nbib"
    path.write_bytes(b"\xef\xbb\xbf" + (BASE + "\n" + SECOND).replace("\n", "\r\n").encode())
    lines = read_lines(path, str(path))
    assert medline.sniff(lines)
    items = list(medline.read(lines, str(path)))
    assert [type(item) for item in items] == [Record, Record]
    first = items[0]
    assert isinstance(first, Record)
    assert first.title is not None and first.title.endswith("study of supervision.")


def test_every_problem_names_its_file_and_line() -> None:
    text = "junk\n\n" + BASE.replace("DP  - 2014 Mar 14", "DP  - 2014 Foo") + "\nAU  - x\n"
    _, problems = parse(text)
    assert [(p.location.line, p.record, p.severity) for p in problems] == [
        (1, None, Severity.WARNING),
        (11, 1, Severity.WARNING),
        (45, 2, Severity.ERROR),
    ]
    assert [str(p).split(": ")[0] for p in problems] == [
        f"{LABEL}:1",
        f"{LABEL}:11",
        f"{LABEL}:45",
    ]


# --- fuzz --------------------------------------------------------------------------------

JUNK = [
    "", "PMID- ", "PMID- 1", "PMID-1", "TI  -", "DP  - 2011-00", "DP  - 2024 Smarch 40",
    "PG  - 9-", "PG  - -", "PG  - 123-45-6", "IS  - (Print)", "AUID- ORCID:", "AUID- ORCID: x",
    "FAU - ,", "AU  - ", "CN  - ", "GR  - /", "GR  - ///", "LID - [doi]", "AID -  [doi]",
    "      continued", "\x00\x07", "\u202e\u200b", "é" * 5000, "MH  - /*/", "BTI - Book",
    "PT  - Book", "PT  - Book Chapter", "ISBN- 12", "PG  - " + "9" * 6000 + "-" + "8" * 10,
]  # fmt: skip


def mangle(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 12)):
        action = rng.randrange(5)
        at = rng.randrange(len(lines) + 1)
        if action == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == 1:
            lines.insert(at, rng.choice(JUNK))
        elif action == 2 and lines:
            lines.insert(at, rng.choice(lines))
        elif action == 3 and len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[:at]  # truncated file
    return lines


@pytest.mark.parametrize("seed", range(200))
def test_mangled_input_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    lines = mangle(rng, lines_of(BASE + "\n" + CHAPTER + "\n" + SECOND))
    items = list(medline.read(lines, LABEL))
    numbers: list[int] = []
    for item in items:
        if isinstance(item, Record):
            numbers.append(item.number)
            assert 1 <= item.source.line <= len(lines)
            continue
        assert isinstance(item, Problem)
        assert "\n" not in item.message
        assert 1 <= item.location.line <= len(lines)
        if item.severity is Severity.ERROR:
            assert item.record is not None
            numbers.append(item.record)
    assert numbers == list(range(1, len(numbers) + 1))  # every record written or rejected


# --- the real PubMed export --------------------------------------------------------------

REAL_MEDLINE = "ris/pubmed-medline-nbib-named-ris.ris"


@pytest.fixture(scope="module")
def real_records() -> list[Record]:
    path = real_input(REAL_MEDLINE)
    lines = read_lines(path, str(path))
    assert medline.sniff(lines)
    items = list(medline.read(lines, str(path)))
    assert [item for item in items if isinstance(item, Problem)] == []
    return [item for item in items if isinstance(item, Record)]


def test_real_file_counts(real_records: list[Record]) -> None:
    assert len(real_records) == 50  # the PMID count in SOURCES.md
    assert [r.number for r in real_records] == list(range(1, 51))
    assert all(r.pmid and r.pmid.isdigit() for r in real_records)
    assert sum(r.kind is WorkKind.ARTICLE for r in real_records) == 50
    assert all(r.published is not None for r in real_records)


def test_real_first_record(real_records: list[Record]) -> None:
    record = real_records[0]
    assert (record.pmid, record.source.line) == ("30922926", 1)
    assert record.title == "Time lapse: A glimpse into prehistoric genomics."
    assert record.abstract is not None
    assert record.abstract.startswith(
        "For the purpose of this review, 'time-lapse' refers to the reconstruction of "
        "ancestral (in this case dinosaur) karyotypes"
    )
    assert (record.content_type, record.article_type) == ("Journal Article", "Review")
    assert record.published is not None and record.published.lexical == "2020-02"
    assert (record.page_start, record.article_number) == (None, "103640")
    assert record.funders == (
        Funder("Biotechnology and Biological Sciences Research Council", awards=("BB/E010652/1",)),
    )
    assert record.venue is not None and record.venue.issns == (
        Issn("1878-0849", IssnKind.ELECTRONIC),
        Issn("1769-7212", IssnKind.PRINT),
        Issn("1769-7212", IssnKind.LINKING),
    )
    assert record.keywords[:8] == (
        "Animals", "Birds", "Chromosome Aberrations", "Chromosomes", "Dinosaurs",
        "Evolution, Molecular", "Gene Ontology", "Genome",
    )  # fmt: skip
    assert record.keywords[-4:] == ("Chromosome", "Comparative", "Dinosaur", "Genome evolution")


def test_real_record_with_orcids(real_records: list[Record]) -> None:
    record = real_records[1]
    assert (record.pmid, record.source.line) == ("37068225", 112)
    assert record.title == "Symbiosis between Cretaceous dinosaurs and feather-feeding beetles."
    assert record.doi == "10.1073/pnas.2217872120"
    assert record.published is not None and record.published.lexical == "2023-04-25"
    assert record.article_number == "e2217872120"
    first = record.authors[0]
    assert (first.written, first.given, first.family, first.orcid) == (
        "Peñalver, Enrique",
        "Enrique",
        "Peñalver",
        "0000-0001-8312-6087",
    )
    grimaldi = record.authors[3]
    assert (grimaldi.family, grimaldi.given, grimaldi.orcid) == ("Grimaldi", "David A", None)
    assert record.authors[-1].family == "Pérez-de la Fuente"
    assert record.authors[-1].orcid == "0000-0002-2830-2639"
    assert len(record.authors) == 11
    assert record.venue is not None
    assert record.venue.short_title == "Proc Natl Acad Sci U S A"
    assert (record.venue.volume, record.venue.issue) == ("120", "17")
    assert record.venue.issns[:2] == (
        Issn("1091-6490", IssnKind.ELECTRONIC),
        Issn("0027-8424", IssnKind.PRINT),
    )
    # "*Dinosaurs/anatomy & histology" -> "Dinosaurs"; OT "amber" and "symbiosis" repeat MH
    assert record.keywords[:3] == ("Animals", "Dinosaurs", "Feathers")
    assert "Amber" in record.keywords and "amber" not in record.keywords
    assert "Symbiosis" in record.keywords and "symbiosis" not in record.keywords
    assert record.keywords[-3:] == ("Cretaceous", "arthropod-dinosaur interaction", "paleoecology")


def test_real_abbreviated_pages_and_date_range(real_records: list[Record]) -> None:
    sauropods = next(r for r in real_records if r.pmid == "21251189")
    assert sauropods.title == "Biology of the sauropod dinosaurs: the evolution of gigantism."
    assert (sauropods.page_start, sauropods.page_end) == ("117", "155")  # PG "117-55"
    assert sauropods.published is not None and sauropods.published.lexical == "2011-02"
    assert sauropods.authors[0].written == "Sander, P Martin"
    editorial = next(r for r in real_records if r.pmid == "37706373")
    assert editorial.published is not None and editorial.published.lexical == "2023-04"
    assert (editorial.content_type, editorial.kind) == ("Editorial", WorkKind.ARTICLE)
    assert (editorial.page_start, editorial.page_end) == ("119", "121")
    assert editorial.doi == "10.4103/aca.aca_17_23"

"""The search-results page reader: every part of a record, page furniture, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.problems import Problem, Severity
from kg.core.records import Record, WorkKind
from kg.errors import InputError
from kg.read import open_input
from tests.conftest import EXAMPLE
from tests.page_builder import PageRecord, page


def read(path: Path) -> tuple[list[Record], list[Problem]]:
    _, items = open_input(path)
    found = list(items)
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def read_text(
    tmp_path: Path, text: str, name: str = "page.txt"
) -> tuple[list[Record], list[Problem]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read(path)


# --- the bundled example -------------------------------------------------------------------


def test_bundled_example_reads_every_record() -> None:
    records, problems = read(EXAMPLE)
    assert problems == []
    assert len(records) == 12
    kinds = [r.kind for r in records]
    assert kinds.count(WorkKind.CHAPTER) == 2
    assert {r.content_type for r in records} == {"Article", "Book part", "Case study"}
    assert [r.number for r in records] == list(range(1, 13))


def test_bundled_example_parts() -> None:
    records, _ = read(EXAMPLE)
    first = records[0]
    assert first.source.line == 4
    assert first.published.lexical == "2014-03-14"
    assert [a.written for a in first.authors] == ["Niamh O'Sullivan-Reyes", "Hendrik van den Broek"]
    assert first.authors[1].family == "van den Broek"
    assert first.downloads == 612
    assert [s.heading for s in first.abstract_sections] == [
        "Purpose",
        "Design/methodology/approach",
        "Findings",
        "Originality/value",
    ]
    assert first.venue is not None
    assert (first.venue.volume, first.venue.issue, first.venue.issn) == ("9", "1", "1755-6228")
    assert first.keywords == ("Peer support", "Supervision", "Workforce development")
    assert first.snippet is not None and first.snippet.endswith("…")


def test_bundled_example_special_records() -> None:
    records, _ = read(EXAMPLE)
    by_line = {r.source.line: r for r in records}
    no_details = [r for r in records if r.venue is None]
    assert len(no_details) == 1 and no_details[0].keywords == ()
    ahead = [r for r in records if r.venue and r.venue.ahead_of_print]
    assert len(ahead) == 2 and all(r.venue and r.venue.volume is None for r in ahead)
    double_issue = [r for r in records if r.venue and r.venue.issue == "2/3"]
    assert len(double_issue) == 1
    chapters = [r for r in records if r.kind is WorkKind.CHAPTER]
    assert {r.venue.isbn for r in chapters if r.venue} == {"978-1-83797-562-4"}
    assert any(r.abstract and not r.abstract_sections for r in chapters)
    assert sum(r.downloads is not None for r in records) == 3
    assert by_line[89].authors[0].written == "Gráinne Mac Aodha"
    assert by_line[89].authors[0].family == "Mac Aodha"


# --- the publisher's sample page (read in place) -------------------------------------------


def test_sample_page_facts(sample_page: Path) -> None:
    records, problems = read(sample_page)
    assert problems == []
    assert len(records) == 10
    assert sum(r.kind is WorkKind.ARTICLE for r in records) == 9
    assert sum(r.kind is WorkKind.CHAPTER for r in records) == 1
    people = {a.written for r in records for a in r.authors}
    assert len(people) == 18
    assert {r.venue.issn for r in records if r.venue and r.venue.issn} == {"1755-6228", "2042-8308"}
    assert {r.venue.isbn for r in records if r.venue and r.venue.isbn} == {"978-1-80382-429-1"}
    assert sum(bool(r.venue and r.venue.ahead_of_print) for r in records) == 2
    assert sorted(r.downloads for r in records if r.downloads is not None) == [499, 540, 1520]
    assert sum(r.venue is None for r in records) == 1
    repper = [r for r in records if r.authors[0].written == "Julie Repper"]
    assert len(repper) == 2 and repper[0].full_abstract != repper[1].full_abstract
    four = next(r for r in records if len(r.authors) == 4)
    assert four.authors[-1].written == "Prunella Howell-Jay"


# --- layout variants -------------------------------------------------------------------------


def test_bom_crlf_and_trailing_spaces_read_the_same(tmp_path: Path) -> None:
    text = page(PageRecord(keywords=["Peer support"]), PageRecord(date="3 February 2023"))
    plain, _ = read_text(tmp_path, text, "plain.txt")
    messy = "\ufeff" + "\r\n".join(line + "  " for line in text.split("\n"))
    (tmp_path / "messy.txt").write_bytes(messy.encode("utf-8"))
    variant, problems = read(tmp_path / "messy.txt")
    assert problems == []
    assert [
        (r.published, r.authors, r.abstract_sections, r.venue, r.keywords) for r in variant
    ] == [(r.published, r.authors, r.abstract_sections, r.venue, r.keywords) for r in plain]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Simon Lawton-Smith", ["Simon Lawton-Smith"]),
        ("Julie Repper and Emma Watson", ["Julie Repper", "Emma Watson"]),
        (
            "A Ní Bhriain, José Álvarez Núñez and Zoë d'Aubigné",
            ["A Ní Bhriain", "José Álvarez Núñez", "Zoë d'Aubigné"],
        ),
        ("Ann Lee, Bo Chan, and Cy Dee", ["Ann Lee", "Bo Chan", "Cy Dee"]),
    ],
)
def test_author_lines(tmp_path: Path, line: str, names: list[str]) -> None:
    records, _ = read_text(tmp_path, page(PageRecord(authors=line)))
    assert [a.written for a in records[0].authors] == names


def test_venue_lines(tmp_path: Path) -> None:
    journal = PageRecord(details=["Mental Health Review, vol. 14 no. 2/3", "ISSN: 2042-8308"])
    ahead = PageRecord(details=["MHSI, vol. ahead-of-print no. ahead-of-print", "ISSN: 2042-8308"])
    book = PageRecord(
        content_type="Book part",
        details=["Trauma: A Book", "Type: Book", "ISBN: 978-1-80382-429-1"],
    )
    records, problems = read_text(tmp_path, page(journal, ahead, book))
    assert problems == []
    venues = [r.venue for r in records]
    assert venues[0] and (venues[0].title, venues[0].volume, venues[0].issue) == (
        "Mental Health Review",
        "14",
        "2/3",
    )
    assert (
        venues[1]
        and venues[1].ahead_of_print
        and venues[1].volume is None
        and venues[1].issue is None
    )
    assert venues[2] and venues[2].is_book and venues[2].title == "Trauma: A Book"
    # "Type: Book" under a chapter names its container: not the chapter's genre
    assert records[2].kind is WorkKind.CHAPTER and records[2].article_type is None


def test_unstructured_abstract_keeps_paragraphs(tmp_path: Path) -> None:
    records, _ = read_text(
        tmp_path, page(PageRecord(abstract="First paragraph.\n\nSecond paragraph."))
    )
    assert records[0].abstract == "First paragraph.\n\nSecond paragraph."
    assert records[0].abstract_sections == ()


def test_structured_abstract_keeps_the_order_given(tmp_path: Path) -> None:
    sections = [("Findings", "F."), ("Purpose", "P."), ("Social implications", "S.")]
    records, _ = read_text(tmp_path, page(PageRecord(sections=sections)))
    assert [(s.heading, s.text) for s in records[0].abstract_sections] == sections


def test_page_furniture_is_not_a_record(tmp_path: Path) -> None:
    records, problems = read_text(
        tmp_path, page(PageRecord()).replace("1 – 1 of 1", "1 – 10 of over 67000")
    )
    assert len(records) == 1 and problems == []


# --- bad input: a clear message naming file, line and record; nothing silently dropped ---------


def test_record_without_date_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    text = page(PageRecord(), PageRecord(date=None), PageRecord())
    records, problems = read_text(tmp_path, text)
    assert len(records) == 2
    assert [(p.record, p.severity) for p in problems] == [(2, Severity.ERROR)]
    assert "no 'Publication date:' line" in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'page.txt'}:")
    line = problems[0].location.line
    assert text.split("\n")[line - 1] == "Article"


@pytest.mark.parametrize("date", ["31 February 2020", "15 Juno 2012", "sometime", "2012-06-15"])
def test_bad_date_is_reported(tmp_path: Path, date: str) -> None:
    records, problems = read_text(tmp_path, page(PageRecord(date=date)))
    assert records == []
    assert len(problems) == 1 and problems[0].record == 1
    assert repr(date) in problems[0].message


def test_line_that_cannot_be_placed_is_reported(tmp_path: Path) -> None:
    bad = PageRecord(
        details=["Journal, vol. 1 no. 1", "ISSN: 1755-6228", "Something else entirely"]
    )
    text = page(bad)
    records, problems = read_text(tmp_path, text)
    assert records == []
    assert "Something else entirely" in problems[0].message
    assert text.split("\n")[problems[0].location.line - 1] == "Something else entirely"


def test_stray_text_before_the_first_record_is_reported(tmp_path: Path) -> None:
    text = "Search results\n\nI am not a record\n" + page(PageRecord(), header=False)
    records, problems = read_text(tmp_path, text)
    assert len(records) == 1
    assert [(p.location.line, p.record) for p in problems] == [(3, None)]


def test_section_without_text_is_reported(tmp_path: Path) -> None:
    record = PageRecord(sections=[("Purpose", "P.")])
    text = page(record).replace("Purpose\n\nP.\n", "Purpose\n\nFindings\n\nP.\n")
    _, problems = read_text(tmp_path, text)
    assert "'Purpose' has no text" in problems[0].message


def test_undecodable_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = page(PageRecord(authors="Zoë Ellery", snippet="A snippet...")).replace("–", "-")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.txt:7: not UTF-8"):
        read(path)


def test_text_in_no_known_format_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the input format"):
        read(path)


def test_records_in_equal_records_read_plus_rejected(tmp_path: Path) -> None:
    records_in = [
        PageRecord(),
        PageRecord(date="30 February 2001"),
        PageRecord(date=None),
        PageRecord(),
    ]
    records, problems = read_text(tmp_path, page(*records_in))
    rejected = {p.record for p in problems if p.record is not None}
    assert len(records) + len(rejected) == len(records_in)


def test_a_lone_prose_line_is_the_snippet_not_authors(tmp_path: Path) -> None:
    editorial = PageRecord(authors=None, snippet="This editorial introduces the issue. It argues")
    named = PageRecord(authors="Julie A. Smith and Tom B. Jones", snippet=None)
    records, _ = read_text(tmp_path, page(editorial, named))
    assert records[0].authors == () and records[0].snippet == editorial.snippet
    assert [a.written for a in records[1].authors] == ["Julie A. Smith", "Tom B. Jones"]


def test_only_line_ends_split_lines(tmp_path: Path) -> None:
    text = page(PageRecord(authors="Ann Lee\u2028and Bo Chan"), PageRecord())
    records, problems = read_text(tmp_path, text)
    assert len(records) == 2 and problems == []
    assert records[1].source.line == text.split("\n").index("Article", 5) + 1

"""Page ranges: one rule (kg.read.pages) in every reader that reads pages, and the shape that warns
when a work's last page is lower than its first."""

from __future__ import annotations

import doctest
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.core.namespaces import SCHEMA
from kg.core.problems import Problem, Severity
from kg.core.records import Record
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.read import bibtex, crossref, csl_json, medline, pages, ris
from kg.read.pages import DASHES, Pages, page_range, split_range
from kg.validate.reference import ValidationOutcome, load_shapes, validate
from kg.validate.scalable import validate_export

Read = tuple[Record, list[Problem]]


def read(items: Iterator[Record | Problem]) -> Read:
    found = list(items)
    records = [item for item in found if isinstance(item, Record)]
    assert len(records) == 1, found
    return records[0], [item for item in found if isinstance(item, Problem)]


def read_bibtex(written: str) -> Read:
    text = f"@article{{k,\n title = {{A title}},\n pages = {{{written}}}\n}}"
    return read(bibtex.read(text.split("\n"), "t.bib"))


def read_ris(written: str) -> Read:
    """``written`` as ``SP``, or ``"573 / 78"`` as ``SP 573`` and ``EP 78``."""
    start, _, end = written.partition(" / ")
    lines = ["TY  - JOUR", "TI  - A title", f"SP  - {start}"]
    lines += [f"EP  - {end}"] if end else []
    return read(ris.read([*lines, "ER  - "], "t.ris"))


def read_medline(written: str) -> Read:
    lines = ["PMID- 1", "TI  - A title", "PT  - Journal Article", f"PG  - {written}"]
    return read(medline.read(lines, "t.nbib"))


def read_csl_json(written: str) -> Read:
    item = {"type": "article-journal", "title": "A title", "page": written}
    return read(csl_json.read(json.dumps([item], indent=1).split("\n"), "t.json"))


def read_crossref(written: str) -> Read:
    work = {"type": "journal-article", "title": ["A title"], "page": written}
    answer = {"status": "ok", "message-type": "work", "message": work}
    return read(crossref.read(json.dumps(answer, indent=1).split("\n"), "w.json"))


READERS: dict[str, Callable[[str], Read]] = {
    "bibtex": read_bibtex,
    "ris": read_ris,
    "medline": read_medline,
    "csl-json": read_csl_json,
    "crossref": read_crossref,
}
WHOLE_PAGES = ["bibtex", "ris", "csl-json", "crossref"]  # MEDLINE shortens end pages by rule


def warnings(problems: list[Problem]) -> list[str]:
    assert all(problem.severity is Severity.WARNING for problem in problems)
    return [problem.message for problem in problems]


# --- the rule ------------------------------------------------------------------------------


def test_the_rule_is_documented_with_examples_that_run() -> None:
    result = doctest.testmod(pages)
    assert result.attempted >= 8 and result.failed == 0


@pytest.mark.parametrize("dash", list(DASHES))
def test_every_dash_splits_a_range(dash: str) -> None:
    assert split_range(f"29{dash}40") == ("29", "40")
    assert split_range(f"29 {dash}{dash} 40") == ("29", "40")


@pytest.mark.parametrize("text", ["e1234", "1-2-3", "1-5, 7-9", "29 40", "-40", "29-", "- -"])
def test_what_is_not_one_range(text: str) -> None:
    assert split_range(text) is None


@pytest.mark.parametrize(
    ("start", "end", "expected_end"),
    [
        ("573", "78", "578"),  # the issue's example
        ("117", "55", "155"),
        ("1499", "501", "1501"),  # the expansion carries over a thousand
        ("1234", "56", "1256"),
        ("0573", "78", "0578"),
        ("98", "102", "102"),  # not shorter: as written
        ("29", "40", "40"),
    ],
)
def test_short_end_pages_with_two_digits_or_more_are_expanded_silently(
    start: str, end: str, expected_end: str
) -> None:
    assert page_range(start, end) == Pages(start, expected_end)


@pytest.mark.parametrize(("start", "end", "expanded"), [("1234", "5", "1235"), ("101", "8", "108")])
def test_a_one_digit_end_is_expanded_as_a_guess(start: str, end: str, expanded: str) -> None:
    found = page_range(start, end)
    assert (found.start, found.end) == (start, expanded)
    assert found.warning is not None and "a guess" in found.warning
    # MEDLINE writes its end pages shortened by rule: there, the same expansion is no guess
    assert page_range(start, end, abbreviated=True) == Pages(start, expanded)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("e145", "e154"),
        ("S12", "S19"),
        ("S12", "5"),
        ("iii", "iv"),
        ("A1", "7"),
        ("12a", "3"),
        ("1234", "e5"),
        ("e62", None),
        ("103640", None),
        ("xii", "3"),
    ],
)
def test_pages_that_are_not_numbers_stay_as_written(start: str, end: str | None) -> None:
    assert page_range(start, end) == Pages(start, end)


def test_only_medline_expands_a_page_with_a_letter_prefix() -> None:
    assert page_range("S12", "5", abbreviated=True) == Pages("S12", "S15")
    assert page_range("S12", "5") == Pages("S12", "5")


@pytest.mark.parametrize(("start", "end"), [("199", "5"), ("573", "72"), ("573", "512")])
def test_an_end_before_the_start_is_kept_as_written_with_a_warning(start: str, end: str) -> None:
    message = f"end page {end!r} is before start page {start!r}; kept as written"
    assert page_range(start, end) == Pages(start, end, message)
    assert page_range(start, end, abbreviated=True) == Pages(start, end, message)


def test_huge_page_numbers_are_compared_without_int() -> None:
    start = "2" + "0" * 5000  # int() refuses strings this long
    assert page_range(start, "1" + "9" * 5000).warning is not None
    assert page_range(start, "3" + "0" * 5000) == Pages(start, "3" + "0" * 5000)
    assert page_range(start, "55") == Pages(start, start[:-2] + "55")
    assert len(page_range(start, "1").warning or "") < 200  # the pages shortened in messages


# --- every reader --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_expands_573_78_to_578(reader: str) -> None:
    record, problems = READERS[reader]("573 / 78" if reader == "ris" else "573-78")
    assert (record.page_start, record.page_end) == ("573", "578")
    assert problems == []


def test_bibtex_and_ris_as_the_issue_wrote_them() -> None:
    for record, problems in (read_bibtex("573--78"), read_ris("573 / 78"), read_ris("573-78")):
        assert (record.page_start, record.page_end, problems) == ("573", "578", [])


@pytest.mark.parametrize("reader", WHOLE_PAGES)
def test_a_one_digit_end_is_a_guess_said_where_the_pages_are(reader: str) -> None:
    record, problems = READERS[reader]("1234 / 5" if reader == "ris" else "1234-5")
    assert (record.page_start, record.page_end) == ("1234", "1235")
    assert warnings(problems) == [
        "end page '5' read as '1235' (start page '1234'), a guess: one digit may be a slip"
    ]
    where = {"bibtex": (3, None), "ris": (4, None), "csl-json": (5, "[0].page")}
    where["crossref"] = (9, "message.page")
    line, path = where[reader]
    assert (problems[0].location.line, problems[0].location.path, problems[0].record) == (
        line,
        path,
        1,
    )


def test_medline_keeps_its_one_digit_ends_without_a_warning() -> None:
    record, problems = read_medline("1234-5")
    assert (record.page_start, record.page_end, problems) == ("1234", "1235", [])


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(("start", "end"), [("199", "5"), ("573", "512")])
def test_every_reader_keeps_an_end_before_the_start_and_warns(
    reader: str, start: str, end: str
) -> None:
    record, problems = READERS[reader](f"{start} / {end}" if reader == "ris" else f"{start}-{end}")
    assert (record.page_start, record.page_end) == (start, end)
    assert warnings(problems) == [
        f"end page {end!r} is before start page {start!r}; kept as written"
    ]


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("S12-S19", "S12", "S19"),
        ("iii-iv", "iii", "iv"),
        ("e145-e154", "e145", "e154"),
        ("A1-7", "A1", "7"),
        ("D826-D834", "D826", "D834"),
    ],
)
def test_every_reader_keeps_pages_that_are_not_numbers(
    reader: str, written: str, start: str, end: str
) -> None:
    record, problems = READERS[reader](written)
    assert (record.page_start, record.page_end, problems) == (start, end, [])


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("dash", list(DASHES))
def test_every_reader_splits_on_the_same_dashes(reader: str, dash: str) -> None:
    record, problems = READERS[reader](f"29 {dash} 40")
    assert (record.page_start, record.page_end, problems) == ("29", "40", [])


def test_ris_end_page_tag_wins_over_the_range_in_the_start_tag() -> None:
    record, problems = read_ris("29-40 / 41")
    assert (record.page_start, record.page_end, problems) == ("29", "41", [])


def test_ris_short_end_page_in_its_own_tag_or_in_the_range() -> None:
    assert read_ris("1499 / 501")[0].page_end == "1501"
    assert read_ris("1499-501")[0].page_end == "1501"


@pytest.mark.parametrize("reader", ["csl-json", "crossref"])
@pytest.mark.parametrize("written", ["- -", ", ,", " - , "])
def test_json_pages_with_no_page_number_are_left_out_not_a_crash(reader: str, written: str) -> None:
    record, problems = READERS[reader](written)
    assert (record.page_start, record.page_end) == (None, None)
    assert warnings(problems) == [f"pages {written.strip()!r} hold no page number; left out"]


def test_json_pages_that_are_not_one_range_get_the_rule_too() -> None:
    record, problems = read_csl_json("573-5, 577-78")
    assert (record.page_start, record.page_end) == ("573", "578")
    assert warnings(problems) == [
        "pages '573-5, 577-78' are not one range; kept from '573' to '578'"
    ]


# --- the shape -----------------------------------------------------------------------------

KGSH = "https://w3id.org/kg/shapes#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def outcome_of(tmp_path: Path, shapes: Graph, *page_fields: str) -> ValidationOutcome:
    entries = [
        f"@article{{k{n}, title = {{Work {n}}}, author = {{Smith, J{n}}}, journal = {{J}},\n"
        f" year = {{{2000 + n}}}, pages = {{{pages}}}}}"
        for n, pages in enumerate(page_fields)
    ]
    path = tmp_path / "pages.bib"
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    graph = build_graph([path], ExportOptions()).graph
    outcome = validate(graph.to_rdflib(), shapes)
    fast = validate_export(graph, shapes, chunk_triples=200)
    assert fast.results == outcome.results  # kg's engine says what pySHACL says
    return outcome


def test_a_last_page_lower_than_the_first_is_a_shape_warning(tmp_path: Path, shapes: Graph) -> None:
    outcome = outcome_of(tmp_path, shapes, "199--5", "29--40", "573--78")
    assert outcome.conforms and outcome.violations == []
    (result,) = outcome.results
    assert (result.severity, result.path, result.value) == ("Warning", SCHEMA.pageEnd, Literal("5"))
    assert result.source_shape == URIRef(KGSH + "WorkPagesShape")
    assert result.source_constraint == URIRef(KGSH + "PageEndBeforePageStart")
    assert result.message == (
        "The last page (5) is lower than the first page (199); "
        "the source may have shortened or mistyped it."
    )


def test_pages_that_are_not_integers_are_not_compared(tmp_path: Path, shapes: Graph) -> None:
    outcome = outcome_of(tmp_path, shapes, "e154--e145", "S19--S12", "iv--iii", "12--12", "7")
    assert outcome.results == ()


def test_the_shape_compares_numbers_of_any_length(tmp_path: Path, shapes: Graph) -> None:
    huge = "9" * 30  # more digits than xsd:integer holds in Oxigraph
    outcome = outcome_of(tmp_path, shapes, f"{huge}--100", "0012--0011", "99--100")
    assert sorted(str(result.value) for result in outcome.results) == ["0011", "100"]


def test_the_shape_needs_both_pages(shapes: Graph) -> None:
    work = URIRef("https://example.org/work")
    graph = ExportGraph([(work, SCHEMA.pageEnd, Literal("5"))])
    assert validate_export(graph, shapes).results == ()

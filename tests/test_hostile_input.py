"""Hostile input (issue #15): no traceback, no hang, time and memory linear in the input.

Each class is generated (hypothesis, or a parametrised generator), not only the case that found
it:

- **non-ASCII digits** ("²", "٣", "６", "𝟗" ...) in every place a reader reads a number;
- **huge numbers** (more digits than a 64-bit integer holds, than Python converts) there too;
- **huge text**: values over the limits of :mod:`kg.read._limits` in every format (the export
  must stay readable by Oxigraph, whose JSON-LD parser reads at most 8 MiB of a string), BibTeX
  ``@string`` macros that expand (doubling chains, deep chains, one long macro used often);
- the **small ones**: stray text outside records (a warning, so that the exit code and the
  summary agree), CSL-JSON and Crossref detection whatever the size of the values before the
  telling keys, and a full disk while writing (the error names the file).

Inputs over 8 MiB run with the slow set (``python -m pytest -m slow tests/test_hostile_input.py``).
"""

from __future__ import annotations

import ast
import dataclasses
import errno
import functools
import json
import os
import re
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.core.atomic
from kg.cli import main
from kg.core.atomic import atomic_text_writer, write_text_atomically
from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import (
    AbstractSection,
    Funder,
    Issn,
    IssnKind,
    PartialDate,
    PersonName,
    Record,
    Venue,
    WorkKind,
)
from kg.core.text import MAX_INTEGER, NumberError, integer_or_none, is_digits, read_integer
from kg.read import detect, open_input
from kg.read._limits import MAX_LONG_TEXT, MAX_VALUE, oversized_value, written_size
from kg.read.bibtex import scanner
from kg.write.terms import quote_string
from tests.conftest import ROOT
from tests.page_builder import PageRecord, page

SETTINGS = settings(
    max_examples=int(os.environ.get("KG_HOSTILE_EXAMPLES", "20")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

Items = tuple[list[Record], list[Problem]]


def read_file(path: Path, fmt: str | None = None) -> Items:
    """Every item of ``path`` as ``kg export`` reads it (detection and size limits included)."""
    _, items = open_input(path, fmt)
    found = list(items)
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def read_text(text: str, name: str, fmt: str | None = None) -> Items:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return read_file(path, fmt)


def rejected(problems: list[Problem]) -> set[int]:
    return {p.record for p in problems if p.severity is Severity.ERROR and p.record is not None}


def check_accounted(records: list[Record], problems: list[Problem], records_in: int) -> None:
    """Records in = records read + records rejected; every message one short line."""
    assert len(records) + len(rejected(problems)) == records_in, problems
    for problem in problems:
        text = str(problem)
        assert "\n" not in text and len(text) < 600, text[:300]


# --- where readers read numbers -------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One place a reader reads a number: a one-record input with ``n`` written there."""

    id: str
    file: str  # the file's name (the format is detected by content)
    build: Callable[[str], str]
    part: str | None = None  # the date part n is: "year", "month", "day"
    json_number: bool = False  # n is written as a bare JSON number (digits only)

    def text(self, n: str) -> str:
        return self.build(n)


def _page(**fields: Any) -> str:
    return page(PageRecord(**fields))


def _ris(*lines: str) -> str:
    return "\n".join(["TY  - JOUR", "TI  - A made-up article", *lines, "ER  - ", ""])


def _bib(*fields: str) -> str:
    return "@article{key,\n  title = {A made-up article},\n  " + ",\n  ".join(fields) + "\n}\n"


def _nbib(*lines: str, pmid: str = "31000001") -> str:
    return "\n".join(
        [f"PMID- {pmid}", "TI  - A made-up article", *lines, "PT  - Journal Article", ""]
    )


def _csl(**members: Any) -> str:
    item = {"type": "article-journal", "title": "A made-up article", "container-title": "J"}
    item |= members
    return json.dumps([item], ensure_ascii=False, indent=2)


def _crossref(raw: str = "", **members: Any) -> str:
    work = {"type": "journal-article", "title": ["A made-up article"], **members}
    text = json.dumps(work, ensure_ascii=False)
    if raw:
        text = text[:-1] + ", " + raw + "}"
    return '{"status": "ok", "message-type": "work-list", "message": {"items": [' + text + "]}}"


def _details(n: str) -> list[str]:
    return [f"Journal of Engines, vol. {n} no. 2", "Type: Research Article", "ISSN: 1755-6228"]


PLACES = [
    Place("page-day", "page.txt", lambda n: _page(date=f"{n} June 2012"), "day"),
    Place("page-year", "page.txt", lambda n: _page(date=f"15 June {n}"), "year"),
    Place("page-downloads", "page.txt", lambda n: _page(downloads=n)),
    Place("page-volume", "page.txt", lambda n: _page(details=_details(n))),
    Place("ris-year", "a.ris", lambda n: _ris(f"PY  - {n}"), "year"),
    Place("ris-slash-month", "a.ris", lambda n: _ris(f"PY  - 2019/{n}/04/"), "month"),
    Place("ris-slash-day", "a.ris", lambda n: _ris("PY  - 2019", f"DA  - 2019/03/{n}/"), "day"),
    Place("ris-worded-day", "a.ris", lambda n: _ris(f"DA  - 2019 Mar {n}"), "day"),
    Place("ris-pages", "a.ris", lambda n: _ris(f"SP  - {n}", "EP  - 78")),
    Place("ris-volume", "a.ris", lambda n: _ris(f"VL  - {n}")),
    Place("ris-scopus-pmid", "a.ris", lambda n: _ris("DB  - Scopus", f"C2  - {n}")),
    Place("bib-year", "a.bib", lambda n: _bib(f"year = {{{n}}}"), "year"),
    Place("bib-year-bare", "a.bib", lambda n: _bib(f"year = {n}"), "year"),
    Place("bib-month", "a.bib", lambda n: _bib("year = {2020}", f"month = {{{n}}}"), "month"),
    Place("bib-month-bare", "a.bib", lambda n: _bib("year = {2020}", f"month = {n}"), "month"),
    Place("bib-day", "a.bib", lambda n: _bib("year = {2020}", f"month = {{{n} jun}}"), "day"),
    Place("bib-date", "a.bib", lambda n: _bib(f"date = {{2020-{n}-01}}"), "month"),
    Place("bib-pages", "a.bib", lambda n: _bib(f"pages = {{{n}--78}}")),
    Place("nbib-pmid", "a.nbib", lambda n: _nbib(pmid=n)),
    Place("nbib-year", "a.nbib", lambda n: _nbib(f"DP  - {n} Mar 4"), "year"),
    Place("nbib-month", "a.nbib", lambda n: _nbib(f"DP  - 2020 {n}"), "month"),
    Place("nbib-day", "a.nbib", lambda n: _nbib(f"DP  - 2020 Mar {n}"), "day"),
    Place("nbib-pages", "a.nbib", lambda n: _nbib(f"PG  - {n}-78")),
    Place("csl-year", "a.json", lambda n: _csl(issued={"date-parts": [[n]]}), "year"),
    Place("csl-month", "a.json", lambda n: _csl(issued={"date-parts": [[2020, n]]}), "month"),
    Place("csl-day", "a.json", lambda n: _csl(issued={"date-parts": [[2020, 1, n]]}), "day"),
    Place("csl-raw", "a.json", lambda n: _csl(issued={"raw": f"{n}-01-01"}), "year"),
    Place("csl-page", "a.json", lambda n: _csl(page=f"{n}-78")),
    Place("csl-volume", "a.json", lambda n: _csl(volume=n)),
    Place(
        "csl-year-number",
        "a.json",
        lambda n: _csl(issued={"date-parts": [[0]]}).replace("[\n          0", f"[{n}"),
        "year",
        json_number=True,
    ),
    Place(
        "csl-day-number",
        "a.json",
        lambda n: _csl(issued={"date-parts": [[2020, 1, 0]]}).replace("1,\n          0", f"1, {n}"),
        "day",
        json_number=True,
    ),
    Place(
        "csl-volume-exponent",
        "a.json",
        lambda n: _csl(volume=0).replace('"volume": 0', f'"volume": 1e{n}'),
        json_number=True,
    ),
    Place(
        "crossref-month", "a.json", lambda n: _crossref(issued={"date-parts": [[2020, n]]}), "month"
    ),
    Place(
        "crossref-day", "a.json", lambda n: _crossref(issued={"date-parts": [[2020, 1, n]]}), "day"
    ),
    Place("crossref-volume", "a.json", lambda n: _crossref(volume=n)),
    Place(
        "crossref-year-number",
        "a.json",
        lambda n: _crossref(f'"issued": {{"date-parts": [[{n}]]}}'),
        "year",
        json_number=True,
    ),
    Place(
        "crossref-volume-number",
        "a.json",
        lambda n: _crossref(f'"volume": {n}'),
        json_number=True,
    ),
]
TEXT_PLACES = [place for place in PLACES if not place.json_number]


@functools.cache
def non_ascii_digits() -> list[str]:
    """Every character str.isdigit() takes for a digit that is not one of 0-9 (superscripts,
    Arabic-Indic, fullwidth, mathematical, circled ...): about 750 of them."""
    return [c for c in map(chr, range(0x110000)) if c.isdigit() and not c.isascii()]


def numbers_with_foreign_digits() -> st.SearchStrategy[str]:
    """Strings of digits, at least one of them not ASCII: "²", "٢٠١٢", "20²4", "１２"."""
    digit = st.sampled_from("0123456789") | st.sampled_from(non_ascii_digits())
    return st.text(alphabet=digit, min_size=1, max_size=6).filter(lambda t: not t.isascii())


def huge_numbers() -> st.SearchStrategy[str]:
    """Digits around every bound a reader meets: 64-bit integers (19-20 digits), the fewest
    digits Python converts (640), its default (4300), and far beyond."""
    lengths = st.sampled_from([19, 20, 21, 639, 640, 641, 4300, 4301, 20_000]) | st.integers(
        1, 5000
    )
    return st.builds(
        lambda length, digit: "1" + digit * (length - 1), lengths, st.sampled_from("09")
    )


def check_number_read(place: Place, n: str, records: list[Record], problems: list[Problem]) -> None:
    """What every place must hold whatever ``n`` is: nothing lost, nothing read from digits
    that are not ASCII or that no 64-bit integer holds."""
    check_accounted(records, problems, 1)
    if not records:
        return
    record = records[0]
    readable = is_digits(n) and integer_or_none(n) is not None
    date = record.published
    if date is not None and not readable:
        if place.part == "year":
            raise AssertionError(f"a year was read from {n[:20]!r}: {date}")
        if place.part == "month":
            assert date.month is None, date
        if place.part == "day":
            assert date.day is None, date
    if place.id == "page-downloads":
        assert record.downloads == (read_integer(n) if readable else None)
        if not readable:
            assert any("download count" in p.message for p in problems), problems
    if place.id == "ris-scopus-pmid":
        assert record.pmid == (n if is_digits(n) else None)


# --- non-ASCII digits -----------------------------------------------------------------------


def test_the_generator_knows_the_digits_that_broke_readers() -> None:
    digits = non_ascii_digits()
    assert {"²", "٣", "６", "𝟗", "①"} <= set(digits)
    assert not any(is_digits(c) for c in digits)
    for digit in digits:
        with pytest.raises(NumberError):
            read_integer(digit)


@pytest.mark.parametrize("place", TEXT_PLACES, ids=lambda place: place.id)
@SETTINGS
@given(n=numbers_with_foreign_digits())
def test_non_ascii_digits_are_never_read_as_numbers(place: Place, n: str) -> None:
    records, problems = read_text(place.text(n), place.file)
    check_number_read(place, n, records, problems)


@pytest.mark.parametrize("month", ["²", "٣", "１２", "12²", "99999999999999999999999"])
def test_a_bibtex_month_that_is_not_a_month_keeps_the_year(month: str) -> None:
    """It used to reject the whole entry ("could not read this entry (ValueError ...)")."""
    records, problems = read_text(_bib("year = {2020}", f"month = {{{month}}}"), "a.bib")
    assert [r.published for r in records] == [PartialDate(2020)]
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "kept the year only" in problems[0].message


@pytest.mark.parametrize("part", ["²", "٣", "２０２０", "-٣"])
@pytest.mark.parametrize("build", [_csl, _crossref], ids=["csl-json", "crossref"])
def test_a_json_date_part_in_other_digits_is_a_warning(
    build: Callable[..., str], part: str
) -> None:
    """A superscript in a CSL-JSON or Crossref date part was a traceback (exit 70)."""
    records, problems = read_text(build(issued={"date-parts": [["2020", part]]}), "a.json")
    assert len(records) == 1 and records[0].published is None
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "is not a date" in problems[0].message


# --- huge numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.id)
@SETTINGS
@given(n=huge_numbers())
def test_huge_numbers_are_read_or_refused_never_a_traceback(place: Place, n: str) -> None:
    records, problems = read_text(place.text(n), place.file)
    check_number_read(place, n, records, problems)


@pytest.mark.parametrize(
    ("count", "kept"),
    [
        ("9,223,372,036,854,775,807", MAX_INTEGER),
        ("9223372036854775808", None),
        ("1" + "0" * 4300, None),  # 4,301 digits: past Python's int-to-string limit
        ("٦١٢", None),
        ("612", 612),
    ],
)
def test_a_download_count_no_store_holds_is_refused_with_a_warning(
    count: str, kept: int | None
) -> None:
    records, problems = read_text(_page(downloads=count), "page.txt")
    assert [r.downloads for r in records] == [kept]
    if kept is None:
        assert [(p.severity, p.record) for p in problems] == [(Severity.WARNING, 1)]
        assert problems[0].message.startswith("download count '")
        assert problems[0].message.endswith("; left out")
    else:
        assert problems == []


# --- end to end -----------------------------------------------------------------------------


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()


def export(path: Path, *args: str) -> Result:
    return runner().invoke(main, ["export", str(path), "--out", str(path.parent / "out"), *args])


SUMMARY = re.compile(r"^(\d+) records read: (\d+) written, (\d+) rejected", re.MULTILINE)


@pytest.mark.parametrize(
    ("name", "text", "exit_code", "message"),
    [
        (
            "superscript.json",
            _csl(issued={"date-parts": [["2020", "²"]]}),
            0,
            "warning: date '2020-²' is not a date (\"²\" is not a month)",
        ),
        (
            "arabic.json",
            _crossref(issued={"date-parts": [["٢٠٢٠"]]}),
            0,
            "warning: date '٢٠٢٠' is not a date (\"٢٠٢٠\" is not a number)",
        ),
        (
            "month.bib",
            _bib("year = {2020}", "month = {²}", "journal = {J}"),
            0,
            "warning: month '²' cannot be read ('²' is not a month); kept the year only",
        ),
        (
            "count.txt",
            _page(downloads="1" + "0" * 4300),
            0,
            "warning: download count '1000000000...' has 4301 digits: more than kg reads",
        ),
    ],
)
def test_the_cases_that_were_tracebacks_end_to_end(
    tmp_path: Path, name: str, text: str, exit_code: int, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = export(path)
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    assert message in result.stderr, result.stderr
    assert SUMMARY.search(result.stderr), result.stderr
    assert result.exit_code == exit_code, result.stderr


# --- numbers are read in one place ----------------------------------------------------------

NUMBER_CHECKED = [
    *sorted((ROOT / "kg" / "read").rglob("*.py")),
    *sorted((ROOT / "kg" / "core").glob("*.py")),
    ROOT / "kg" / "map" / "checks.py",
]
_LETTER = r"[^\W\d_]"  # "a letter" in Python's re: \d here excludes digits, it reads none


def test_numbers_are_read_from_ascii_digits_in_one_helper() -> None:
    """No int(), str.isdigit/isdecimal/isnumeric or \\d outside kg.core.text's helpers: each
    of those takes "²" or "٣" for a digit."""
    found = []
    for path in NUMBER_CHECKED:
        if path == ROOT / "kg" / "core" / "text.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                found += [f"{where}: int()"] if node.func.id == "int" else []
            if isinstance(node, ast.Attribute):
                digits = node.attr in ("isdigit", "isdecimal", "isnumeric")
                found += [f"{where}: .{node.attr}()"] if digits else []
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                pattern = re.search(r"\\[dD]", node.value.replace(_LETTER, ""))
                found += [f"{where}: \\d in {node.value[:40]!r}"] if pattern else []
    assert found == []


# --- huge text: the limits ------------------------------------------------------------------


@SETTINGS
@given(text=st.text())
def test_written_size_is_what_the_writer_writes(text: str) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")  # the writers never see surrogates
    assert written_size(text) == len(quote_string(text).encode("utf-8")) - 2


def full_record() -> Record:
    """A record with every field of every kind of value set, for the completeness test."""
    person = PersonName("Ada Lovelace", "Ada", "Lovelace", "0000-0002-1825-0097", honorific="Dr")
    return Record(
        source=SourceLocation("f", 1, "[0]"),
        number=1,
        kind=WorkKind.ARTICLE,
        content_type="JOUR",
        published=PartialDate(2020, 1, 2),
        authors=(person,),
        title="T",
        doi="10.5555/x",
        authors_incomplete=True,
        editors=(person,),
        pmid="1",
        url="https://example.org/",
        language="en",
        publisher="P",
        page_start="1",
        page_end="2",
        article_number="e1",
        funders=(Funder("F", "10.13039/1", ("A-1",)),),
        licenses=("https://example.org/l",),
        snippet="S",
        downloads=1,
        abstract="A",
        abstract_sections=(AbstractSection("Purpose", "P"),),
        venue=Venue(
            "J", "1", "2", (Issn("1755-6228", IssnKind.PRINT),), ("9781803824291",), True, "J"
        ),
        article_type="Research Article",
        keywords=("k",),
    )


def string_slots(value: object, path: str = "") -> Iterator[tuple[str, Callable[[str], Any]]]:
    """(path, replace) for every text a record holds: ``replace(text)`` is the value with
    that one text replaced."""
    if isinstance(value, str):
        yield path, lambda text: text
    elif isinstance(value, tuple):
        for index, element in enumerate(value):
            for inner, replace in string_slots(element, f"{path}[{index}]"):
                yield inner, functools.partial(_replace_element, value, index, replace)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name == "source":
                continue  # where the record is, written by kg, not a value of the input
            inner_value = getattr(value, field.name)
            for inner, replace in string_slots(inner_value, f"{path}.{field.name}"):
                yield inner, functools.partial(_replace_field, value, field.name, replace)


def _replace_element(value: tuple[Any, ...], index: int, replace: Any, text: str) -> Any:
    return (*value[:index], replace(text), *value[index + 1 :])


def _replace_field(value: Any, name: str, replace: Any, text: str) -> Any:
    return dataclasses.replace(value, **{name: replace(text)})


LONG_TEXTS = {".abstract", ".snippet", ".abstract_sections[0].text"}


def test_the_full_record_sets_every_field() -> None:
    """So that a field added to Record (or to what it holds) is in the completeness test."""

    def unset(value: object, path: str) -> Iterator[str]:
        if value is None or value == ():
            yield path
        elif isinstance(value, tuple):
            for index, element in enumerate(value):
                yield from unset(element, f"{path}[{index}]")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                yield from unset(getattr(value, field.name), f"{path}.{field.name}")

    assert list(unset(full_record(), "")) == []


def test_every_text_of_a_record_is_size_checked() -> None:
    record = full_record()
    assert oversized_value(record) is None
    slots = list(string_slots(record))
    assert len(slots) > 30
    for path, replace in slots:
        limit = MAX_LONG_TEXT if path in LONG_TEXTS else MAX_VALUE
        # a section's text is in the whole abstract too, after its heading: "Purpose: "
        fits = replace("x" * (limit - len("Purpose: ") * path.startswith(".abstract_sections")))
        assert oversized_value(fits) is None, path
        message = oversized_value(replace("x" * (limit + 1)))
        assert message is not None, path
        assert message.endswith("; the record is rejected"), message
    # the escapes count: 32,769 quotes are 65,538 bytes as RDF text
    assert oversized_value(dataclasses.replace(record, title='"' * (MAX_VALUE // 2 + 1)))


@dataclass(frozen=True)
class BigField:
    """One place a value of a given size goes in a one-record input of one format."""

    id: str
    file: str
    build: Callable[[str], str]
    named: str  # how the rejection names the value
    line: int = 1  # where the record starts


BIG_FIELDS = [
    BigField(
        "page-author", "page.txt", lambda v: _page(authors=f"Ada {v}"), "the name of author 1", 4
    ),
    BigField("page-keyword", "page.txt", lambda v: _page(keywords=[v]), "keyword 1", 4),
    BigField("page-volume", "page.txt", lambda v: _page(details=_details(v)), "the volume", 4),
    BigField("ris-title", "a.ris", lambda v: _ris(f"T2  - {v}"), "the venue's title"),
    BigField("ris-doi", "a.ris", lambda v: _ris(f"DO  - 10.5555/{v}"), "the DOI"),
    BigField("bib-keyword", "a.bib", lambda v: _bib(f"keywords = {{a, {v}}}"), "keyword 2"),
    BigField(
        "bib-author", "a.bib", lambda v: _bib(f"author = {{{v}, Ada}}"), "the name of author 1"
    ),
    BigField("nbib-title", "a.nbib", lambda v: _nbib(f"JT  - {v}"), "the venue's title"),
    BigField("csl-title", "a.json", lambda v: _csl(title=v), "the title", 2),
    BigField("csl-url", "a.json", lambda v: _csl(URL=f"https://example.org/{v}"), "the URL", 2),
    BigField("crossref-publisher", "a.json", lambda v: _crossref(publisher=v), "the publisher"),
    BigField("crossref-isbn", "a.json", lambda v: _crossref(ISBN=[v]), "an ISBN"),
]


@pytest.mark.parametrize("field", BIG_FIELDS, ids=lambda field: field.id)
@pytest.mark.parametrize("extra", [-1, 0, 1, 100_000])
def test_a_value_over_64_kib_rejects_its_record(field: BigField, extra: int) -> None:
    """Generated at the limit: one byte under, at, one over and far over (64 KiB here; the
    8 MiB of long texts in the slow set). The value's own text is "x" characters, so the
    readers keep it whole; what surrounds it ("Ada ", "10.5555/") counts too."""
    around = {"page-author": 4, "ris-doi": 8, "bib-author": 5, "csl-url": 20}.get(field.id, 0)
    value = "x" * (MAX_VALUE - around + extra)
    records, problems = read_text(field.build(value), field.file)
    check_accounted(records, problems, 1)
    if extra <= 0:
        assert len(records) == 1, problems
        return
    assert records == []
    [error] = [p for p in problems if p.severity is Severity.ERROR]
    assert (error.record, error.location.line) == (1, field.line)
    assert error.message.startswith(f"{field.named} is "), error.message
    assert f"is {MAX_VALUE + extra:,} bytes as RDF text, more than the 65,536 kg writes" in str(
        error
    )


# --- huge text: BibTeX macros ---------------------------------------------------------------


def macro_chain(length: int, base: str = "x", step: str = "{m} # {m}") -> str:
    """@string m0 = base, m1 = m0 # m0, ... and one entry whose abstract (a long text, so
    that only the macro limits apply) is the last macro, then a second, ordinary entry."""
    lines = [f'@string{{m0 = "{base}"}}']
    for index in range(1, length):
        lines.append(f"@string{{m{index} = {step.format(m=f'm{index - 1}')}}}")
    lines.append(f"@article{{a, title = {{Chained}}, abstract = m{length - 1}, year = 2020}}")
    lines.append("@article{b, title = {An ordinary entry}, year = 2020}")
    return "\n".join(lines) + "\n"


def read_measured(text: str, name: str) -> tuple[Items, float, int]:
    """The items, the seconds the read took, and its peak of traced memory in bytes."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        items = read_text(text, name)
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return items, seconds, peak


@pytest.mark.parametrize("length", [1, 2, 10, 17, 18, 19, 20, 21, 25, 30, 40, 300])
@pytest.mark.parametrize("base", ["x", "x" * 64], ids=["1-char", "64-chars"])
def test_macro_doubling_chains_are_refused_in_linear_time(length: int, base: str) -> None:
    """30 macros doubling a short text expanded to 64 million characters from a 723-byte
    file. Each length is read whole or refused, in bounded time and memory; nothing is cut."""
    text = macro_chain(length, base)
    (records, problems), seconds, peak = read_measured(text, "chain.bib")
    check_accounted(records, problems, 2)
    expanded = len(base) * 2 ** (length - 1)
    titles = {r.number: r.title for r in records}
    assert titles[2] == "An ordinary entry"
    if 1 in titles:
        assert records[0].abstract == base * 2 ** (length - 1)  # whole, never cut short
        assert expanded <= scanner.MAX_EXPANDED_VALUE and length <= scanner.MAX_MACRO_DEPTH
    else:
        [error] = [p for p in problems if p.severity is Severity.ERROR]
        assert error.record == 1 and error.location.line == length + 1
        assert f"macro 'm{length - 1}'" in error.message, error.message
    assert seconds < 5, seconds
    assert peak < 6 * scanner.MAX_EXPANDED_VALUE, peak  # a few copies of the largest value


def test_the_issue_s_chain_of_30_macros() -> None:
    text = macro_chain(30, "ha" * 8)
    assert len(text.encode()) < 1000
    (records, problems), seconds, _ = read_measured(text, "laughs.bib")
    assert [r.number for r in records] == [2]
    [error] = [p for p in problems if p.severity is Severity.ERROR]
    assert str(error).startswith(
        f"{error.location.file}:31: record 1: error: field 'abstract' uses macro 'm29'"
    )
    assert seconds < 2


@pytest.mark.parametrize("length", [1, 19, 20, 21, 22, 50])
def test_macros_nested_deeper_than_20_levels_are_refused(length: int) -> None:
    """m1 = m0 # "y" ...: each level adds one character, so only the depth limits them."""
    (records, problems), _, _ = read_measured(macro_chain(length, "x", '{m} # "y"'), "deep.bib")
    check_accounted(records, problems, 2)
    abstracts = {r.number: r.abstract for r in records}
    if length <= scanner.MAX_MACRO_DEPTH:
        assert abstracts[1] == "x" + "y" * (length - 1)
    else:
        assert 1 not in abstracts
        refused = [p for p in problems if "levels of other macros" in p.message]
        assert refused[0].location.line == scanner.MAX_MACRO_DEPTH + 1  # the 21st @string


@pytest.mark.parametrize("uses", [1, 10, 40])
def test_one_long_macro_used_again_and_again_is_bounded_by_the_file_size(uses: int) -> None:
    """A 1 MiB macro used by many entries: the characters expanded from macros in the file are
    at most 8 MiB plus 10 for each character of the file; the entries past that are rejected
    (each one named), those before are read whole."""
    long = "z" * (1024 * 1024)
    entries = [
        f"@article{{e{i}, title = {{T{i}}}, abstract = big, year = 2020}}" for i in range(uses)
    ]
    text = f'@string{{big = "{long}"}}\n' + "\n".join(entries) + "\n"
    (records, problems), seconds, peak = read_measured(text, "amplified.bib")
    check_accounted(records, problems, uses)
    budget = scanner.MACRO_EXPANSION_FLOOR + scanner.MACRO_AMPLIFICATION * len(text)
    assert all(r.abstract == long for r in records)
    assert len(records) == min(uses, budget // len(long))
    for problem in problems:
        assert "takes the text expanded from macros in this file past" in problem.message
    assert seconds < 10 and peak < budget * 3, (seconds, peak)


# --- stray text outside records -------------------------------------------------------------

# Lines that cannot start or continue a record in any format: no tag, no "@", no "=", no type.
STRAY_LINES = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz éü中٣²,.;:!", min_size=1, max_size=80).filter(
        lambda text: text[:1].isalpha() and text[:1].islower()
    ),
    min_size=1,
    max_size=5,
)


def _with_stray(name: str, before: list[str], after: list[str]) -> str:
    """One format's two-record example with stray lines before the first record and after
    the last."""
    records = {
        "page.txt": page(PageRecord(), PageRecord(date="1 May 2013")),
        "a.ris": _ris("PY  - 2019") + "\n" + _ris("PY  - 2020"),
        "a.nbib": _nbib("DP  - 2019") + "\n" + _nbib("DP  - 2020", pmid="31000002"),
        "a.bib": _bib("year = {2019}") + "\n" + _bib("year = {2020}").replace("{key,", "{key2,"),
    }[name]
    return "\n".join([*before, "", records, "", *after, ""])


STRAY_FORMATS = ["page.txt", "a.ris", "a.nbib", "a.bib"]
# Named, not detected: MEDLINE is recognised by its first line, a PMID line.
FORMAT_OF = {"page.txt": "search-page", "a.ris": "ris", "a.nbib": "medline", "a.bib": "bibtex"}


@pytest.mark.parametrize("name", STRAY_FORMATS)
@SETTINGS
@given(before=STRAY_LINES, after=STRAY_LINES)
def test_stray_text_outside_records_is_a_warning_in_every_format(
    name: str, before: list[str], after: list[str]
) -> None:
    """An error that is no record's made `kg export` exit 2 over "0 rejected": text outside
    records loses no record, so every reader reports it as a warning."""
    records, problems = read_text(_with_stray(name, before, after), name, FORMAT_OF[name])
    check_accounted(records, problems, 2)
    assert len(records) == 2
    for problem in problems:
        assert problem.record is not None or problem.severity is Severity.WARNING, problem


@pytest.mark.parametrize("name", STRAY_FORMATS)
def test_exit_code_and_summary_agree_on_stray_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(_with_stray(name, ["stray words before"], ["stray words after"]), "utf-8")
    result = export(path, "--from", FORMAT_OF[name])
    summary = SUMMARY.search(result.stderr)
    assert summary is not None, result.stderr
    assert summary.groups() == ("2", "2", "0")
    assert result.exit_code in (0, 1), result.stderr  # 2 means records were rejected
    assert ": error: " not in result.stderr, result.stderr


# --- detection --------------------------------------------------------------------------------

SIZES = st.sampled_from([0, 199_999, 200_000, 200_001, 1_000_000, 2_000_000]) | st.integers(
    0, 1_200_000
)


@SETTINGS
@given(size=SIZES, indent=st.sampled_from([None, 2, "\t"]), filler=st.sampled_from('xé \\"'))
def test_csl_json_is_recognised_however_long_the_values_before_its_keys(
    size: int, indent: int | str | None, filler: str
) -> None:
    """A 1 MB abstract ahead of "type" used to push every telling key out of the 200,000
    characters the sniffers read."""
    item = {"abstract": filler * size, "type": "article-journal", "title": "T", "issued": {}}
    item["issued"] = {"date-parts": [[2020]]}
    lines = json.dumps([item], indent=indent, ensure_ascii=False).split("\n")
    assert detect(lines, "t.json").name == "csl-json"


@SETTINGS
@given(size=SIZES, where=st.sampled_from(["string", "number", "spaces", "lines"]))
def test_crossref_is_recognised_however_long_what_comes_before_its_keys(
    size: int, where: str
) -> None:
    filler = {
        "string": '"abstract": "' + "x" * size + '", ',
        "number": '"score": 1' + "0" * size + ", ",
        "spaces": " " * size,
        "lines": "\n" * size,
    }[where]
    text = "[{" + filler + '"type": "journal-article", "title": ["T"], "DOI": "10.5555/x"}]'
    assert detect(text.split("\n"), "t.json").name == "crossref"


def test_sniffing_costs_no_more_than_one_scan_of_a_long_value() -> None:
    item = {"abstract": "x" * 20_000_000, "type": "book", "title": "T", "family": "F"}
    lines = [json.dumps([item])]
    started = time.perf_counter()
    assert detect(lines, "t.json").name == "csl-json"
    assert time.perf_counter() - started < 1


# --- a full disk ----------------------------------------------------------------------------


class _FullDiskStream:
    """A text stream on a full disk: every write fails, as write(2) does with ENOSPC."""

    def __init__(self, stream: TextIO, code: int) -> None:
        self.stream = stream
        self.code = code

    def __enter__(self) -> _FullDiskStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, text: str) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


def _fail(code: int, filename: str | None = None) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise (
            OSError(code, os.strerror(code), filename)
            if filename
            else OSError(code, os.strerror(code))
        )

    return fail


FAILURE_POINTS = ["mkstemp", "write", "fsync", "chmod", "replace"]


def _break(monkeypatch: pytest.MonkeyPatch, point: str, code: int, folder: Path) -> None:
    if point == "mkstemp":  # names the temporary file it could not make
        temporary = str(folder / ".graph.ttl.abc.tmp")
        monkeypatch.setattr(tempfile, "mkstemp", _fail(code, temporary))
    elif point == "write":
        real = os.fdopen
        monkeypatch.setattr(
            kg.core.atomic.os,
            "fdopen",
            lambda *args, **kwargs: _FullDiskStream(real(*args, **kwargs), code),
        )
    elif point == "fsync":
        monkeypatch.setattr(os, "fsync", _fail(code))
    else:
        monkeypatch.setattr(Path, point, _fail(code))


@pytest.mark.parametrize("point", FAILURE_POINTS)
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EACCES])
def test_an_os_error_while_writing_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str, code: int
) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("the old export\n", encoding="utf-8")
    _break(monkeypatch, point, code, tmp_path)
    with pytest.raises(OSError) as raised:
        write_text_atomically(target, "the new export\n")
    monkeypatch.undo()
    assert (raised.value.errno, raised.value.filename) == (code, str(target))
    assert raised.value.strerror == os.strerror(code)
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["graph.ttl"]


def test_an_os_error_about_another_file_keeps_its_name(tmp_path: Path) -> None:
    """The block may read other files while it writes: their errors already name them."""
    other = str(tmp_path / "elsewhere" / "input.ris")
    with pytest.raises(FileNotFoundError) as raised, atomic_text_writer(tmp_path / "graph.ttl"):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), other)
    assert raised.value.filename == other
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.txt"
    path.write_text(_page(), encoding="utf-8")
    monkeypatch.setattr(os, "fsync", _fail(errno.ENOSPC))
    result = export(path)
    assert result.exit_code == 2, result.stderr
    written = re.fullmatch(
        rf"Error: {re.escape(str(tmp_path / 'out'))}/(\S+): No space left on device\n",
        result.stderr,
    )
    assert written is not None, result.stderr


# --- huge text: 8 MiB (the slow set) -------------------------------------------------------

LONG_FIELDS = [
    BigField("page-abstract", "page.txt", lambda v: _page(abstract=v), "the abstract", 4),
    BigField("page-snippet", "page.txt", lambda v: _page(snippet=v), "the snippet", 4),
    BigField("ris-abstract", "a.ris", lambda v: _ris(f"AB  - {v}"), "the abstract"),
    BigField("bib-abstract", "a.bib", lambda v: _bib(f"abstract = {{{v}}}"), "the abstract"),
    BigField("nbib-abstract", "a.nbib", lambda v: _nbib(f"AB  - {v}"), "the abstract"),
    BigField("csl-abstract", "a.json", lambda v: _csl(abstract=v), "the abstract", 2),
    BigField("crossref-abstract", "a.json", lambda v: _crossref(abstract=v), "the abstract"),
]


@pytest.mark.slow
@pytest.mark.parametrize("field", LONG_FIELDS, ids=lambda field: field.id)
@pytest.mark.parametrize("extra", [0, 1])
def test_a_long_text_over_8_mib_rejects_its_record(field: BigField, extra: int) -> None:
    records, problems = read_text(field.build("x" * (MAX_LONG_TEXT + extra)), field.file)
    check_accounted(records, problems, 1)
    if not extra:
        assert len(records) == 1, problems
        return
    [error] = [p for p in problems if p.severity is Severity.ERROR]
    assert (error.record, error.location.line) == (1, field.line)
    assert error.message.startswith(f"{field.named} is {MAX_LONG_TEXT + 1:,} bytes as RDF text")


@pytest.mark.slow
def test_a_structured_abstract_is_measured_whole() -> None:
    """Two sections of 4 MiB each fit one by one, but the abstract holds both."""
    half = "x" * (4 * 1024 * 1024)
    records, problems = read_text(
        _page(sections=[("Purpose", half), ("Findings", half)]), "page.txt"
    )
    assert records == []
    assert problems[0].message.startswith("the abstract (its sections with their headings) is ")


def parses_in_oxigraph(out: Path) -> int:
    """Triples of graph.nt, after checking that Oxigraph parses all three files kg writes."""
    counts = []
    for name, kind in (
        ("graph.ttl", ox.RdfFormat.TURTLE),
        ("graph.nt", ox.RdfFormat.N_TRIPLES),
        ("graph.jsonld", ox.RdfFormat.JSON_LD),
    ):
        with (out / name).open("rb") as stream:
            counts.append(sum(1 for _ in ox.parse(stream, format=kind)))
    assert len(set(counts)) == 1, counts
    return counts[0]


@pytest.mark.slow
def test_a_17_mb_abstract_is_rejected_and_the_export_stays_readable(tmp_path: Path) -> None:
    """The issue's case: the graph was written, then every command died in Oxigraph's parser
    ("Reached the buffer maximal size"); the 10 MB abstracts of test_malformed_inputs too, for
    graph.jsonld."""
    path = tmp_path / "big.ris"
    path.write_text(
        _ris("PY  - 2019", "DO  - 10.5555/fine") + "\n" + _ris("AB  - " + "peer " * 3_400_000),
        encoding="utf-8",
    )
    result = export(path)
    assert result.exit_code == 2, result.stderr
    assert f"{path}:7: record 2: error: the abstract is 16,999,999 bytes as RDF text" in (
        result.stderr
    )
    assert SUMMARY.search(result.stderr).groups() == ("2", "1", "1")  # type: ignore[union-attr]
    assert parses_in_oxigraph(tmp_path / "out") > 0
    for name in ("graph.ttl", "graph.nt", "graph.jsonld"):
        graph = str(tmp_path / "out" / name)
        query = runner().invoke(main, ["query", graph, "--example", "work-sources"])
        assert query.exit_code == 0, query.output


@pytest.mark.slow
def test_the_largest_long_text_kg_writes_parses_in_oxigraph(tmp_path: Path) -> None:
    """The limit holds with the worst escapes: every quote is written as two bytes."""
    value = '"x' * (MAX_LONG_TEXT // 3)
    assert written_size(value) <= MAX_LONG_TEXT
    path = tmp_path / "quotes.ris"
    path.write_text(_ris("PY  - 2019", "AB  - " + value), encoding="utf-8")
    result = export(path)
    assert result.exit_code in (0, 1), result.stderr
    assert parses_in_oxigraph(tmp_path / "out") > 0

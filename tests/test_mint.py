"""The one place that turns identity into IRIs (kg.resolve.mint): what a publisher of the graph
relies on. Every IRI lives under the base; keys are readable and stable; two different records
never share an IRI; the same inputs give the same IRIs whatever the run or PYTHONHASHSEED; and no
name or title, however hostile, makes an IRI a strict parser refuses.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, URIRef

import kg.cli
from kg.core.problems import SourceLocation
from kg.core.records import (
    AbstractSection,
    Issn,
    IssnKind,
    PartialDate,
    PersonName,
    Record,
    Venue,
    WorkKind,
)
from kg.errors import IriError, KgError, UsageError
from kg.map.pipeline import ExportOptions, build_graph
from kg.resolve.identity import resolve
from kg.resolve.merge import SourcedRecord, group_works
from kg.resolve.mint import (
    DEFAULT_BASE_IRI,
    Minter,
    check_iri,
    export_minter,
    work_fingerprint,
)
from kg.resolve.slugs import slug
from tests.conftest import EXAMPLES, ROOT
from tests.page_builder import PageRecord, page

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
BASE = DEFAULT_BASE_IRI
INPUT = URIRef(BASE + "source/test")

# --- an independent strict check: RFC 3987 ipath characters, plus what RDF parsers refuse -------

_ASCII_PATH = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%"
)
_UCSCHAR = [
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0x1FFFD), (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD), (0x40000, 0x4FFFD), (0x50000, 0x5FFFD), (0x60000, 0x6FFFD),
    (0x70000, 0x7FFFD), (0x80000, 0x8FFFD), (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD),
    (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD), (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
]  # fmt: skip
_BIDI_FORMATTING = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def assert_strict_iri(iri: str, base: str = BASE) -> None:
    """``iri`` is under ``base``, its path holds only RFC 3987 path characters (no bidi
    formatting, RFC 3987 4.1), its %-escapes are whole, and Oxigraph parses it in N-Triples."""
    assert iri.startswith(base), iri
    path = iri[len(base) :]
    for char in path:
        code = ord(char)
        allowed = char in _ASCII_PATH or any(low <= code <= high for low, high in _UCSCHAR)
        assert allowed and char not in _BIDI_FORMATTING, f"{char!r} in {iri!r}"
    assert not re.search(r"%(?![0-9A-Fa-f]{2})", path), iri
    ox.NamedNode(iri)
    line = f'<{iri}> <http://schema.org/name> "x" .\n'.encode()
    (quad,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    assert quad.subject.value == iri


# --- records -----------------------------------------------------------------------------------


def record(
    number: int = 1,
    *,
    kind: WorkKind = WorkKind.ARTICLE,
    title: str | None = "A title",
    year: int | None = 2012,
    authors: tuple[PersonName, ...] = (),
    venue: Venue | None = None,
    doi: str | None = None,
    pmid: str | None = None,
    abstract: str | None = None,
    sections: tuple[AbstractSection, ...] = (),
    keywords: tuple[str, ...] = (),
    page_start: str | None = None,
    publisher: str | None = None,
) -> Record:
    return Record(
        source=SourceLocation("test.ris", number),
        number=number,
        kind=kind,
        content_type=kind.value,
        published=PartialDate(year) if year else None,
        authors=authors,
        title=title,
        doi=doi,
        pmid=pmid,
        abstract=abstract,
        abstract_sections=sections,
        venue=venue,
        keywords=keywords,
        page_start=page_start,
        publisher=publisher,
    )


JULIE = PersonName("Repper, Julie", given="Julie", family="Repper")
RACHEL = PersonName("Perkins, Rachel", given="Rachel", family="Perkins")
ISSUE_7_2 = Venue(
    title="The Journal of Mental Health Training, Education and Practice",
    volume="7",
    issue="2",
    issns=(Issn("1755-6228", IssnKind.PRINT),),
)


# --- readable keys under the base -----------------------------------------------------------------


def test_keys_are_readable_and_under_the_base() -> None:
    minter = Minter()
    assert minter.person(JULIE) == URIRef(BASE + "person/julie-repper")
    assert minter.person(PersonName("Julie Repper", "Julie", "Repper")) == minter.person(JULIE)
    holder = PersonName("Repper, Julie", "Julie", "Repper", "https://orcid.org/0000-0002-1825-0097")
    assert minter.person(holder) == URIRef(BASE + "person/orcid-0000-0002-1825-0097")
    periodical = minter.periodical(ISSUE_7_2)
    assert periodical == URIRef(BASE + "periodical/issn-1755-6228")
    assert periodical is not None
    volume = minter.volume(periodical, "7")
    assert volume == URIRef(BASE + "periodical/issn-1755-6228/volume/7")
    assert minter.issue(volume, "2") == URIRef(BASE + "periodical/issn-1755-6228/volume/7/issue/2")
    assert minter.book(Venue(title=None, isbns=("1-80382-429-8",))) == URIRef(
        BASE + "book/isbn-9781803824291"
    )
    assert minter.theme("Peer support") == URIRef(BASE + "theme/peer-support")
    assert minter.organization("Emerald Publishing Limited") == URIRef(
        BASE + "organization/emerald-publishing-limited"
    )
    assert minter.work(record(doi="https://doi.org/10.1108/JMHTEP-09-2011-0012")) == URIRef(
        BASE + "work/doi/10.1108/jmhtep-09-2011-0012"
    )
    without_doi = str(minter.work(record(title="Peer support in practice")))
    assert re.fullmatch(re.escape(BASE) + r"work/[0-9a-f]{12}", without_doi)


def test_a_journal_without_issn_is_keyed_by_its_name() -> None:
    minter = Minter()
    venue = Venue(title="Mental Health Review Journal", volume="16", issue="2")
    assert minter.periodical(venue) == URIRef(BASE + "periodical/mental-health-review-journal")


def test_a_books_own_record_is_the_book_its_chapters_are_in() -> None:
    venue = Venue(title="Lived Experience at Work", isbns=("978-1-83797-562-4",))
    ids, _ = resolve([record(1, kind=WorkKind.BOOK, venue=venue)])
    minter = Minter(identities=ids)
    the_book = minter.work(record(1, kind=WorkKind.BOOK, venue=venue))
    assert the_book == minter.book(venue) == URIRef(BASE + "book/isbn-9781837975624")


def test_parts_of_a_work_are_under_the_work() -> None:
    minter = Minter()
    work = minter.work(record(doi="10.5555/kg-1"))
    assert minter.authorship(work, 3) == URIRef(f"{work}/author/3")
    assert minter.abstract_section(work, 2) == URIRef(f"{work}/abstract/2")
    assert minter.download_counter(work) == URIRef(f"{work}/downloads")
    assert minter.grant(work, 1) == URIRef(f"{work}/funding/1")


@pytest.mark.parametrize(
    "base",
    ["https://data.example.edu/kg/", "http://localhost:8080/graph/", "https://例え.jp/グラフ/"],
)
def test_every_iri_is_minted_under_the_base_given(base: str) -> None:
    minter = Minter(base)
    venue = ISSUE_7_2
    periodical = minter.periodical(venue)
    assert periodical is not None
    iris = [
        minter.person(JULIE),
        minter.organization("WHO"),
        minter.funder("10.13039/501100000780"),
        periodical,
        minter.volume(periodical, "7"),
        minter.book(Venue(title="A book", isbns=("9781803824291",))),
        minter.theme("Recovery"),
        minter.theme_scheme(),
        minter.work(record()),
        minter.work(record(doi="10.5555/x")),
        minter.input_file("ab" * 32, "page.txt"),
        minter.dataset(),
        minter.export_activity(),
        minter.class_partition("http://schema.org/ScholarlyArticle"),
        minter.class_partition("http://example.com/not#a-known-namespace"),
        minter.software("0.1.0+local"),
        *minter.prefixes().values(),
    ]
    for iri in iris:
        assert iri is not None
        assert_strict_iri(str(iri), base)


# --- bad base IRIs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base",
    [
        "",
        "kg/",  # relative
        "/kg/",
        "example.org/kg/",
        "https://example.org/kg",  # no trailing slash: IRIs would run into the last segment
        "https://example.org/kg#",
        "https://example.org/kg/#/",
        "https://example.org/kg/?v=/",
        "https://example.org/k g/",
        "https://example.org/<kg>/",
        'https://example.org/"kg"/',
        "https://example.org/{kg}/",
        "https://example.org/k|g/",
        "https://example.org/k^g/",
        "https://example.org/k`g/",
        "https://example.org/k\\g/",
        "https://example.org/kg%/",
        "https://example.org/kg%zz/",
        "https://example.org/k\tg/",
        "https://example.org/k\x00g/",
        "https://example.org/k\x85g/",
        "https://example.org/k\ue000g/",  # private use: not in an IRI path
        "https://example.org/k\u202eg/",  # RIGHT-TO-LEFT OVERRIDE: RFC 3987 4.1 forbids it
        "https://example.org/k\u200fg/",  # RIGHT-TO-LEFT MARK
    ],
)
def test_a_bad_base_iri_is_refused(base: str) -> None:
    with pytest.raises(IriError) as error:
        Minter(base)
    assert isinstance(error.value, KgError) and isinstance(error.value, UsageError)


def test_the_command_line_refuses_a_bad_base_iri_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        kg.cli.main,
        [
            "export",
            str(EXAMPLES[1]),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--workers",
            "1",
            "--base-iri",
            "https://example.org/k g/",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "https://example.org/k g/" in result.output


@pytest.mark.parametrize(
    "iri",
    ["https://example.org/kg/a b", "https://example.org/kg/<a>", "https://example.org/kg/\x7f"],
)
def test_check_iri_refuses_what_strict_parsers_refuse(iri: str) -> None:
    with pytest.raises(IriError):
        check_iri(iri)


# --- two different records never share an IRI -----------------------------------------------------


def test_the_two_2012_papers_by_the_same_authors_in_one_issue_are_two_works(tmp_path: Path) -> None:
    """The sample's case: same date, authors, journal, volume and issue; only the abstract
    differs (a search page gives no title and no DOI)."""
    first = PageRecord(sections=[("Purpose", "To describe the engine."), ("Findings", "It works.")])
    second = PageRecord(
        sections=[("Purpose", "To describe the engine."), ("Findings", "It weaves patterns.")]
    )
    path = tmp_path / "page.txt"
    path.write_text(page(first, second), encoding="utf-8")
    built = build_graph([path], ExportOptions())
    works = {
        s
        for s, p, o in built.graph
        if str(p).endswith("#type") and str(o) == "http://schema.org/ScholarlyArticle"
    }
    assert len(works) == 2
    for work in works:
        assert_strict_iri(str(work))


def test_two_papers_that_differ_only_in_title_or_abstract_have_two_iris() -> None:
    minter = Minter()
    base = record(authors=(JULIE, RACHEL), venue=ISSUE_7_2, title="Peer support workers")
    other_title = record(authors=(JULIE, RACHEL), venue=ISSUE_7_2, title="Peer support work")
    other_abstract = record(
        authors=(JULIE, RACHEL), venue=ISSUE_7_2, title="Peer support workers", abstract="x"
    )
    assert len({minter.work(base), minter.work(other_title), minter.work(other_abstract)}) == 3


def test_two_records_with_different_pmids_have_two_iris() -> None:
    """Two MEDLINE records ("Correction." by one author in one issue, no abstract, no DOI): their
    PMIDs say they are two works, and the merge keeps them apart; so must their IRIs."""
    first = record(
        1, title="Correction.", authors=(JULIE,), venue=ISSUE_7_2, pmid="99000101", page_start="5"
    )
    second = record(
        2, title="Correction.", authors=(JULIE,), venue=ISSUE_7_2, pmid="99000102", page_start="9"
    )
    works, refused = group_works([SourcedRecord(first, INPUT), SourcedRecord(second, INPUT)])
    assert len(works) == 2 and refused  # the merge says: two works
    minter = export_minter(work.record for work in works)
    assert minter.work(works[0].record) != minter.work(works[1].record)


def test_records_in_two_journals_are_two_works_even_when_a_wrong_issn_comes_first() -> None:
    """Two "Editorial"s by one author in one year, in two journals of one title (the merge
    tells them apart by their valid ISSNs); the sources list a mistyped ISSN first."""
    twin = "Journal of Peer Work"
    first = record(
        1,
        title="Editorial",
        authors=(JULIE,),
        venue=Venue(title=twin, volume="1", issns=(Issn("1755-6229"), Issn("1755-6228"))),
    )
    second = record(
        2,
        title="Editorial",
        authors=(JULIE,),
        venue=Venue(title=twin, volume="1", issns=(Issn("1755-6229"), Issn("2042-8308"))),
    )
    ids, _ = resolve([first, second])

    def journal_by_issn(item: Record) -> str | None:  # as kg.map.pipeline asks the merge
        key = ids.journal(item.venue) if item.venue and not item.venue.is_book else None
        return key if key and key.startswith("issn-") else None

    sourced = [SourcedRecord(first, INPUT), SourcedRecord(second, INPUT)]
    works, _ = group_works(sourced, journal_by_issn)
    assert len(works) == 2  # the merge keeps them apart
    minter = export_minter((work.record for work in works), identities=ids)
    assert minter.periodical(first.venue) != minter.periodical(second.venue)  # type: ignore[arg-type]
    assert minter.work(first) != minter.work(second)


def test_records_the_merge_refuses_to_join_are_not_one_node_by_their_doi() -> None:
    """One DOI, two PMIDs: the merge keeps the records apart and reports it ("their PMIDs
    differ"); the graph must not then make them one node after all."""
    first = record(1, title="Peer support", doi="10.5555/kg-1", pmid="101")
    second = record(2, title="Peer support", doi="10.5555/kg-1", pmid="102")
    works, refused = group_works([SourcedRecord(first, INPUT), SourcedRecord(second, INPUT)])
    assert len(works) == 2 and "PMIDs differ" in refused[0].reason
    minter = export_minter(work.record for work in works)
    assert minter.work(works[0].record) != minter.work(works[1].record)


@pytest.mark.parametrize("part", ["author/1", "abstract/1", "downloads", "funding/1"])
def test_a_work_is_never_the_part_of_another_work(part: str) -> None:
    """A DOI may hold slashes: ``10.5555/kg/author/1`` is a valid DOI of its own, not the first
    authorship of ``10.5555/kg``."""
    minter = Minter()
    work = minter.work(record(1, doi="10.5555/kg"))
    parts = {
        minter.authorship(work, 1),
        minter.abstract_section(work, 1),
        minter.download_counter(work),
        minter.grant(work, 1),
    }
    other = minter.work(record(2, doi=f"10.5555/kg/{part}", title="Another work"))
    assert other not in parts


# Small alphabets, so that records agree in most fields and differ in one.
TITLES = st.sampled_from([None, "Peer support", "peer  SUPPORT", "Peer support workers"])
AUTHOR_LISTS = st.sampled_from([(), (JULIE,), (JULIE, RACHEL), (RACHEL, JULIE)])
VENUES = st.sampled_from(
    [
        None,
        ISSUE_7_2,
        Venue(title=ISSUE_7_2.title, volume="7", issue="3", issns=ISSUE_7_2.issns),
        Venue(title="Another journal", volume="7", issue="2"),
        Venue(title="A book", isbns=("9781803824291",)),
        # a source that lists a wrong ISSN first, then the journal's own
        Venue(title="Twin", volume="1", issns=(Issn("1755-6229"), Issn("1755-6228"))),
        Venue(title="Twin", volume="1", issns=(Issn("1755-6229"), Issn("2042-8308"))),
    ]
)


@st.composite
def records(draw: st.DrawFn, number: int) -> Record:
    return record(
        number,
        kind=draw(st.sampled_from([WorkKind.ARTICLE, WorkKind.CHAPTER])),
        title=draw(TITLES),
        year=draw(st.sampled_from([None, 2012, 2013])),
        authors=draw(AUTHOR_LISTS),
        venue=draw(VENUES),
        doi=draw(st.sampled_from([None, None, "10.5555/a", "10.5555/A", "10.5555/b"])),
        pmid=draw(st.sampled_from([None, None, "101", "102"])),
        abstract=draw(st.sampled_from([None, "Purpose: one.", "Purpose: two."])),
        page_start=draw(st.sampled_from([None, "1", "9"])),
    )


@st.composite
def record_lists(draw: st.DrawFn) -> list[Record]:
    size = draw(st.integers(1, 6))
    return [draw(records(number)) for number in range(1, size + 1)]


@SETTINGS
@given(record_lists())
def test_works_the_merge_keeps_apart_never_share_an_iri(items: list[Record]) -> None:
    ids, _ = resolve(items)

    def journal_by_issn(item: Record) -> str | None:  # as kg.map.pipeline asks the merge
        key = ids.journal(item.venue) if item.venue and not item.venue.is_book else None
        return key if key and key.startswith("issn-") else None

    works, _ = group_works([SourcedRecord(r, INPUT) for r in items], journal_by_issn)
    minter = export_minter((work.record for work in works), identities=ids)
    iris = [minter.work(work.record) for work in works]
    assert len(set(iris)) == len(iris), [w.record for w in works]


@SETTINGS
@given(records(1), records(2))
def test_a_work_without_doi_is_its_fingerprint(first: Record, second: Record) -> None:
    minter = Minter()
    first, second = dataclasses.replace(first, doi=None), dataclasses.replace(second, doi=None)
    same_iri = minter.work(first) == minter.work(second)
    assert same_iri == (work_fingerprint(first) == work_fingerprint(second))


# --- hostile text never makes an IRI a strict parser refuses --------------------------------------

HOSTILE_CHARS = (
    ' <>"{}|\\^`#?%/&=+:;@[]\t\n\r\x00\x01\x1b\x7f\x85\x9f\xa0\xad'
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    "\u2028\u2029\u0301\u0338\ufe0f\u00e9\u00f8\u00df\u0131\u0130\u01c5\u1e9e\ufb01\u2126"
    "\uff1c\uff1e\uff02\uff5b\uff5c\uff3c\uff3e\uff40\u2044\u2215\u29f8\u00b2\u2460"
    "\ue000\uf8ff\ufdd0\ufdef\ufffd\ufffe\uffff\U0001f600\U0001f1ee\U0001f1ea\U000e0001"
    "\U000f0000\U0010fffd\U0010ffff\u05d0\u0627\u0644\u4e2d\u6587\u0915\u094d\u0937"
)
HOSTILE_TEXT = st.text(
    st.one_of(
        st.sampled_from(HOSTILE_CHARS),
        st.characters(exclude_categories=["Cs"]),  # lone surrogates cannot be UTF-8 at all
    ),
    max_size=30,
)


@st.composite
def hostile_records(draw: st.DrawFn) -> Record:
    text = HOSTILE_TEXT
    maybe = st.one_of(st.none(), text)
    authors = tuple(
        PersonName(
            draw(text),
            draw(maybe),
            draw(maybe),
            draw(st.one_of(st.none(), text)),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    venue = Venue(
        title=draw(maybe),
        volume=draw(maybe),
        issue=draw(maybe),
        issns=tuple(Issn(draw(text)) for _ in range(draw(st.integers(0, 2)))),
        isbns=tuple(draw(text) for _ in range(draw(st.integers(0, 2)))),
        short_title=draw(maybe),
    )
    doi = draw(st.one_of(st.none(), text, text.map(lambda suffix: "10.5555/" + suffix)))
    return record(
        kind=draw(st.sampled_from(list(WorkKind))),
        title=draw(maybe),
        authors=authors,
        venue=draw(st.one_of(st.none(), st.just(venue))),
        doi=doi,
        abstract=draw(maybe),
        keywords=tuple(draw(st.lists(text, max_size=3))),
        publisher=draw(maybe),
    )


def minted_iris(minter: Minter, item: Record) -> list[URIRef]:
    """Every IRI the mapping mints for ``item`` (as kg.map.record asks for them)."""
    work = minter.work(item)
    iris = [work, minter.authorship(work, 1), minter.abstract_section(work, 1)]
    iris += [minter.download_counter(work), minter.grant(work, 1)]
    iris += [minter.person(author) for author in item.authors]
    iris += [minter.theme(keyword) for keyword in item.keywords]
    if item.publisher:
        iris.append(minter.organization(item.publisher))
    venue = item.venue
    if venue is not None:
        book = minter.book(venue)
        periodical = minter.periodical(venue)
        for container in (book, periodical):
            if container is None:
                continue
            iris.append(container)
            parent = container
            if venue.volume:
                parent = minter.volume(container, venue.volume)
                iris.append(parent)
            if venue.issue:
                iris.append(minter.issue(parent, venue.issue))
    return iris


@SETTINGS
@given(st.lists(hostile_records(), min_size=1, max_size=4))
def test_hostile_names_and_titles_mint_iris_strict_parsers_accept(items: list[Record]) -> None:
    ids, _ = resolve(items)
    minter = Minter(identities=ids)
    for item in items:
        for iri in minted_iris(minter, item):
            assert_strict_iri(str(iri))


@SETTINGS
@given(st.lists(HOSTILE_TEXT, min_size=2, max_size=2, unique=True))
def test_hostile_dois_mint_one_valid_iri_each(suffixes: list[str]) -> None:
    from kg.identifiers import doi

    minter = Minter()
    dois = ["10.5555/" + suffix for suffix in suffixes]
    iris = [minter.work(record(doi=value)) for value in dois]
    for iri in iris:
        assert_strict_iri(str(iri))
    if all(doi.is_valid(value) for value in dois) and doi.compact(dois[0]) != doi.compact(dois[1]):
        assert iris[0] != iris[1]


@pytest.mark.parametrize(
    "value",
    [
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
        "10.1000/100%#?",
        "10.1000/a%20b",
        "10.1000/{x}|y^z`w\\v",
        "10.1000/ü/€/😀",
        '10.1000/"quoted"',
    ],
)
def test_dois_with_odd_characters_make_strict_iris(value: str) -> None:
    assert_strict_iri(str(Minter().work(record(doi=value))))


def test_every_single_character_in_a_name_makes_a_strict_iri() -> None:
    """Whatever Unicode scalar value a name or keyword holds, what the slug keeps of it is
    allowed in an IRI path: every character that survives is checked, then minted in IRIs."""
    survivors: set[str] = set()
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF:  # lone surrogates cannot be UTF-8 text
            survivors.update(slug(chr(code)))
    assert len(survivors) > 1000
    minter = Minter()
    ordered = sorted(survivors)
    for start in range(0, len(ordered), 500):
        label = " ".join(ordered[start : start + 500])
        assert_strict_iri(str(minter.theme(label)))
        assert_strict_iri(str(minter.person(PersonName(label, given="x", family=label))))
        assert_strict_iri(str(minter.periodical(Venue(title=label))))


def test_control_characters_in_names_are_not_in_iris() -> None:
    minter = Minter()
    name = PersonName("Julie\x00 Rep\u200fper\x1b", given="Julie\x00", family="Rep\u200fper\x1b")
    iri = str(minter.person(name))
    assert_strict_iri(iri)
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in iri)


# --- the same inputs give the same IRIs: across runs and PYTHONHASHSEED ---------------------------

_MINT_SCRIPT = """
import sys
from pathlib import Path
from rdflib import BNode, URIRef
from kg.map.pipeline import ExportOptions, build_graph

built = build_graph([Path(p) for p in sys.argv[1:]], ExportOptions())
names = set()
for triple in built.graph:
    for term in triple:
        if isinstance(term, URIRef) and str(term).startswith("https://example.org/kg/"):
            names.add(str(term))
        elif isinstance(term, BNode):
            names.add("_:" + str(term))
sys.stdout.write("\\n".join(sorted(names)) + "\\n")
"""

HOSTILE_RIS = "\n".join(
    [
        "TY  - JOUR",
        "AU  - Ó Ceallaigh, Tomás",
        "AU  - \u202eevil\u202c, <J.>",
        "AU  - {{World Health Organization}}",
        "AU  - 😀",
        'TI  - Peer "support" {in} <practice> | ^ ` \\',
        'T2  - Jour nal <of> "Odd" {Names}',
        "PY  - 2012",
        "VL  - 7 / 8",
        "IS  - 2<3>",
        "SN  - 1755-6229",
        "KW  - Peer support",
        "KW  - ünïcödé 中文 \u200f",
        "KW  - 😀",
        "ER  - ",
        "",
    ]
)


def _mint_in_subprocess(inputs: list[Path], seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _MINT_SCRIPT, *map(str, inputs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_same_inputs_give_the_same_iris_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    odd = tmp_path / "odd.ris"
    odd.write_text(HOSTILE_RIS, encoding="utf-8")
    inputs = [*EXAMPLES, odd]
    one = _mint_in_subprocess(inputs, "0")
    other = _mint_in_subprocess(inputs, "2718281828")
    assert one == other
    # and the same as this process (its own hash seed), run twice
    for _ in range(2):
        built = build_graph(inputs, ExportOptions())
        here = {
            str(term) if isinstance(term, URIRef) else f"_:{term}"
            for triple in built.graph
            for term in triple
            if (isinstance(term, URIRef) and str(term).startswith(BASE)) or isinstance(term, BNode)
        }
        assert "\n".join(sorted(here)) + "\n" == one
    iris = [line for line in one.splitlines() if not line.startswith("_:")]
    assert len(iris) > 100
    for iri in iris:
        assert_strict_iri(iri)

"""Going back out: graphs kg exported, converted to RIS, BibTeX and CSL-JSON and read back.

Graphs are built by the real pipeline. What each format writes is read back with kg's own
readers and compared, field by field, with the records the graph was built from: every field the
graph holds must come back, except those a format cannot say (listed per format below).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kg.cite import FORMATS, SUFFIXES, convert, read_works
from kg.cite.bibtex import citation_keys, write_bibtex
from kg.cite.csl_json import TYPES as CSL_TYPES
from kg.cite.csl_json import write_csl_json
from kg.cite.ris import write_ris
from kg.cite.works import Agent, CitedWork, Funder, Journal
from kg.core.languages import language_tag
from kg.core.namespaces import PREFIXES
from kg.core.problems import Problem, Severity
from kg.core.records import Issn, IssnKind, PartialDate, Record, WorkKind
from kg.engines.local import GRAPH_FILES, write_graph
from kg.errors import KgError
from kg.identifiers import isbn, issn
from kg.map.pipeline import ExportOptions, build_graph
from kg.read import READERS, Reader, bibtex, csl_json, open_input, ris
from kg.read._text import read_lines
from tests.conftest import EXAMPLE, fixed_epoch

# kg's reader of each format, by the format's name (the names kg/readers registers them by).
READER_MODULES: dict[str, ModuleType] = {"ris": ris, "bibtex": bibtex, "csl-json": csl_json}
# What the graph holds that a format cannot say (or kg's reader of it does not read back).
LOST: dict[str, frozenset[str]] = {
    "ris": frozenset({"authors_incomplete", "pmid"}),  # pmid: AN + DB PubMed, not read back
    "bibtex": frozenset({"funders"}),
    "csl-json": frozenset({"funders", "authors_incomplete", "article_type", "article_number"}),
}
# kg's BibTeX reader reads @unpublished as a preprint only with a preprint server named in it.
LOST_KINDS = {"bibtex": frozenset({WorkKind.PREPRINT})}

JOURNAL_ARTICLE = """\
TY  - JOUR
AU  - Hopkins, Liza
AU  - van der Berg, Pieter
AU  - World Health Organization
TI  - Peer support & HIV: a 50% rise_in {care} -- with ~ and ^ and \\ and $5 #1
T2  - Mental Health and Social Inclusion
J2  - Ment Health Soc Incl
PY  - 2012
DA  - 2012/06/15/
VL  - 16
IS  - 2
SP  - 29
EP  - 40
SN  - 2042-8308 (Print)
SN  - 2042-8316 (Online)
DO  - 10.1108/20428301211255428
AB  - Peer workers were interviewed about their roles.
KW  - Peer support
KW  - Mental health services
KW  - Recovery
PB  - Emerald Group Publishing
LA  - eng
UR  - https://example.org/articles/peer-support?id=42&x=1%20y
M3  - Research Article
FU  - National Institute for Health Research [NIHR-123, NIHR-456]
FU  - Wellcome Trust
ER  -

TY  - CHAP
AU  - Sørlie, Ingrid
A2  - Carter, Tim
A2  - Repper, Julie
TI  - Training peer workers
T2  - Lived Experience at Work
PY  - 2023
DA  - 2023/11//
SP  - 101
EP  - 118
SN  - 978-1-83797-562-4
PB  - Emerald Publishing Limited
ER  -

TY  - BOOK
AU  - Repper, Julie
ED  - Carter, Tim
TI  - Peer Support in Mental Health Care
PY  - 2011
SN  - 9780199592982
PB  - Oxford University Press
ER  -
"""

OTHER_KINDS = """\
TY  - CPAPER
AU  - Ellsworth, Jonah
A2  - Mac Aodha, Gráinne
TI  - Peer-led crisis lines
T2  - Proceedings of the Peer Support Conference 2020
PY  - 2020
SP  - 12
EP  - 15
SN  - 9780306406157
ER  -

TY  - THES
AU  - Asante-Mensah, Kwabena
TI  - Peer work in community mental health
PY  - 2019
PB  - University of Leeds
M3  - Master's thesis
ER  -

TY  - RPRT
AU  - Mental Health Commission
TI  - Peer support workforce report
PY  - 2021/03//
PB  - Mental Health Commission
ER  -
"""


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """kg's citation readers, registered for the test when kg/readers has not registered them."""
    for name, module in READER_MODULES.items():
        if name not in READERS:
            reader = Reader(name, f"{name} (registered by the test)", module.sniff, module.read)
            monkeypatch.setitem(READERS, name, reader)


def export_graph(inputs: list[Path], out: Path, input_format: str | None = None) -> Path:
    """The real pipeline's graph of ``inputs``, written as graph.ttl/.jsonld/.nt in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    built = build_graph(inputs, ExportOptions(input_format=input_format))
    assert not built.errors, built.errors
    write_graph(built.graph, out, {**PREFIXES, **built.minter.prefixes()})
    return out


def read_back(text: str, fmt: str, folder: Path) -> list[Record]:
    """``text`` read by kg's reader of ``fmt``; every problem is a warning at most."""
    path = folder / f"converted{SUFFIXES[fmt]}"
    path.write_text(text, encoding="utf-8")
    items = list(READER_MODULES[fmt].read(read_lines(path, path.name), path.name))
    errors = [i for i in items if isinstance(i, Problem) and i.severity is Severity.ERROR]
    assert not errors, errors
    return [item for item in items if isinstance(item, Record)]


def held(record: Record, lost: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields of a record the graph holds, as the graph holds them (sets where it keeps no
    order, identifiers in their normal form), without those in ``lost``."""
    venue = record.venue
    venue_fields = (venue.title, venue.short_title, venue.volume, venue.issue) if venue else ()
    isbns = sorted({isbn.to_isbn13(i) or i for i in (venue.isbns if venue else ())})
    issns = sorted(
        (issn.format(i.value), IssnKind.UNKNOWN if i.kind is IssnKind.PRINT else i.kind)
        for i in (venue.issns if venue else ())
    )
    fields: dict[str, Any] = {
        "kind": record.kind,
        "title": record.title,
        "authors": [(a.given, a.family, a.organization and a.written) for a in record.authors],
        "authors_incomplete": record.authors_incomplete,
        "editors": sorted((a.given, a.family) for a in record.editors),  # unordered in the graph
        "published": record.published,
        "doi": record.doi,
        "pmid": record.pmid,
        "url": record.url,
        "language": language_tag(record.language) if record.language else None,
        "publisher": record.publisher,
        "pages": (record.page_start, record.page_end),
        "article_number": record.article_number,
        "abstract": " ".join((record.full_abstract or "").split()) or None,
        "article_type": record.article_type,
        "keywords": sorted(record.keywords),
        "funders": [(f.name, f.awards) for f in record.funders],
        "venue": venue_fields if any(venue_fields) else None,
        "issns": [(value, kind.value) for value, kind in issns],
        "isbns": isbns,
    }
    return {name: value for name, value in fields.items() if name not in lost}


def records_of(path: Path, input_format: str | None = None) -> list[Record]:
    _, items = open_input(path, input_format)
    return [item for item in items if isinstance(item, Record)]


def by_key(records: list[Record]) -> dict[tuple[str, ...], Record]:
    """Records by date, author names and the start of the abstract (the example has no titles;
    two of its works share date and authors)."""
    found: dict[tuple[str, ...], Record] = {}
    for record in records:
        date = record.published.lexical if record.published else ""
        abstract = " ".join((record.full_abstract or "").split())[:80]
        key = (date, abstract, *(a.family or a.written for a in record.authors))
        assert key not in found, key
        found[key] = record
    return found


# --- the bundled example ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example search page alone, exported: its works are exactly its records."""
    with fixed_epoch():
        return export_graph([EXAMPLE], tmp_path_factory.mktemp("page-export"))


def held_work(work: CitedWork, lost: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What :func:`held` gives for a record of this work: the fields the graph holds."""
    journal = work.journal
    issns, isbns = work.standard_numbers
    venue = (work.container_title, journal and journal.short_name, journal and journal.volume)
    venue += (journal and journal.issue,)
    fields: dict[str, Any] = {
        "kind": work.kind,
        "title": work.title,
        "authors": [(a.given, a.family, a.organization and a.name) for a in work.authors],
        "authors_incomplete": work.authors_incomplete,
        "editors": sorted((a.given, a.family) for a in work.editors),
        "published": work.published,
        "doi": work.doi,
        "pmid": work.pmid,
        "url": work.url,
        "language": work.language,
        "publisher": work.publisher,
        "pages": (work.page_start, work.page_end),
        "article_number": work.article_number,
        "abstract": " ".join((work.abstract or "").split()) or None,
        "article_type": work.genre,
        "keywords": sorted(work.keywords),
        "funders": [(f.name, f.awards) for f in work.funders if f.name],
        "venue": venue if any(venue) else None,
        "issns": sorted((issn.format(i.value), i.kind.value) for i in issns),
        "isbns": sorted(isbns),
    }
    return {name: value for name, value in fields.items() if name not in lost}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_graph_file_gives_the_same_bytes(example_export: Path, fmt: str) -> None:
    outputs = {convert([example_export / name], fmt) for name in GRAPH_FILES}
    assert len(outputs) == 1
    (text,) = outputs
    assert text == convert([example_export / "graph.ttl"], fmt)  # deterministic
    # Two files of one graph read together are one graph (their author lists too).
    assert text == convert([example_export / "graph.ttl", example_export / "graph.nt"], fmt)
    assert text.endswith("\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_field_of_the_example_graph_survives(
    example_export: Path, fmt: str, tmp_path: Path
) -> None:
    """Each work of the bundled example graph, written and read back by kg's reader of the
    format, has every field the graph gave it (but those the format cannot say)."""
    works = read_works([example_export / "graph.ttl"])
    records = read_back(convert([example_export / "graph.ttl"], fmt), fmt, tmp_path)
    assert len(records) == len(works)
    for work, record in zip(works, records, strict=True):
        lost = LOST[fmt] | ({"kind"} if work.kind in LOST_KINDS.get(fmt, ()) else set())
        if fmt == "csl-json":  # kg's CSL reader splits keywords on commas and semicolons alike
            lost |= {"keywords"}
            assert keyword_parts(record.keywords) == keyword_parts(work.keywords)
        assert held(record, lost) == held_work(work, lost), work.iri


def keyword_parts(keywords: tuple[str, ...]) -> list[str]:
    return sorted({part.strip() for keyword in keywords for part in re.split("[,;]", keyword)})


@pytest.mark.parametrize("fmt", FORMATS)
def test_page_fields_survive(page_export: Path, fmt: str, tmp_path: Path) -> None:
    """Every work of the example page comes back with the fields its source record gave:
    authors in order, date, journal, ISSN, volume, issue, keywords, abstract, genre ..."""
    source = by_key(records_of(EXAMPLE))
    converted = by_key(read_back(convert([page_export / "graph.ttl"], fmt), fmt, tmp_path))
    assert converted.keys() == source.keys()
    for key, record in source.items():
        assert held(converted[key], LOST[fmt]) == held(record, LOST[fmt]), key


def test_page_works_are_read_in_iri_order(page_export: Path) -> None:
    works = read_works([page_export / "graph.nt"])
    assert [w.iri for w in works] == sorted(w.iri for w in works)
    assert len(works) == len(by_key(records_of(EXAMPLE)))
    chapters = [w for w in works if w.kind is WorkKind.CHAPTER]
    assert chapters and all(w.book and w.book.isbns == ("9781837975624",) for w in chapters)
    journals = {w.journal.name for w in works if w.journal}
    assert "Journal of Public Mental Health" in journals


def test_csl_json_is_valid(example_export: Path, page_export: Path) -> None:
    items = json.loads(convert([example_export / "graph.jsonld"], "csl-json"))
    assert isinstance(items, list) and items
    for item in items:
        assert {"id", "type"} <= item.keys() and item["id"].startswith("https://example.org/")
        assert item["type"] in set(CSL_TYPES.values())
        if "issued" in item:
            assert all(isinstance(part, int) for part in item["issued"]["date-parts"][0])
    page_items = json.loads(convert([page_export / "graph.jsonld"], "csl-json"))
    assert any(item.get("status") == "ahead of print" for item in page_items)


# --- RIS → graph → each format -----------------------------------------------------------------


@pytest.fixture
def ris_graph(tmp_path: Path, readers: None) -> tuple[Path, list[Record]]:
    """The made-up RIS records exported by kg; (folder, the records as read)."""
    path = tmp_path / "input.ris"
    path.write_text(JOURNAL_ARTICLE + "\n" + OTHER_KINDS, encoding="utf-8")
    out = export_graph([path], tmp_path / "export", "ris")
    return out, records_of(path, "ris")


@pytest.mark.parametrize("fmt", FORMATS)
def test_ris_to_graph_to_format_keeps_every_field(
    ris_graph: tuple[Path, list[Record]], fmt: str, tmp_path: Path
) -> None:
    out, source = ris_graph
    text = convert([out / "graph.ttl"], fmt)
    converted = {record.title: record for record in read_back(text, fmt, tmp_path)}
    assert converted.keys() == {record.title for record in source}
    for record in source:
        assert held(converted[record.title], LOST[fmt]) == held(record, LOST[fmt]), record.title


@pytest.mark.parametrize("fmt", FORMATS)
def test_converting_a_converted_export_changes_nothing(
    ris_graph: tuple[Path, list[Record]], fmt: str, tmp_path: Path
) -> None:
    """graph → format → kg export → format gives the same text: what a format says, kg reads
    back. CSL-JSON's genre, article number and status are written but not read by kg, and its
    ids change: kg mints a work's IRI from the authors as written ("Given Family" in CSL)."""
    out, _ = ris_graph
    first = convert([out / "graph.nt"], fmt)
    path = tmp_path / f"converted{SUFFIXES[fmt]}"
    path.write_text(first, encoding="utf-8")
    again = convert([export_graph([path], tmp_path / "again", fmt) / "graph.ttl"], fmt)
    if fmt == "csl-json":
        unread = {"id", "genre", "number", "status"}
        first, again = (
            sorted(
                ({k: v for k, v in item.items() if k not in unread} for item in json.loads(text)),
                key=lambda item: str(item["title"]),
            )
            for text in (first, again)
        )
    assert again == first


def test_ris_output_shape(ris_graph: tuple[Path, list[Record]]) -> None:
    out, _ = ris_graph
    text = convert([out / "graph.ttl"], "ris")
    records = text.split("ER  - \n\n")
    assert records[-1] == "" and len(records) == 7
    article = next(r for r in records if "TY  - JOUR" in r).splitlines()
    assert article[:4] == [
        "TY  - JOUR",
        "AU  - Hopkins, Liza",
        "AU  - van der Berg, Pieter",
        "AU  - World Health Organization",
    ]
    assert "SN  - 2042-8308" in article and "SN  - 2042-8316 (Electronic)" in article
    assert "DA  - 2012/06/15/" in article and "PY  - 2012" in article
    assert [line for line in article if line.startswith("KW")] == [
        "KW  - Mental health services",
        "KW  - Peer support",
        "KW  - Recovery",
    ]
    chapter = next(r for r in records if "TY  - CHAP" in r).splitlines()
    editors = [line for line in chapter if line.startswith("A2")]
    assert editors == ["A2  - Carter, Tim", "A2  - Repper, Julie"]
    assert "SN  - 9781837975624" in chapter and "DA  - 2023/11//" in chapter
    assert "\r" not in text


def test_bibtex_output_shape(ris_graph: tuple[Path, list[Record]]) -> None:
    out, _ = ris_graph
    text = convert([out / "graph.ttl"], "bibtex")
    assert "@article{hopkins2012peer," in text
    assert (
        "author = {Hopkins, Liza and van der Berg, Pieter and {{World Health Organization}}}"
        in text
    )
    assert r"title = {Peer support \& {HIV:} a 50\% rise\_in \{care\} -{}- with" in text
    assert "month = jun," in text and "pages = {29--40}," in text
    assert "issn = {2042-8308, 2042-8316 (Electronic)}" in text
    assert "@incollection{sorlie2023training," in text and "@book{repper2011peer," in text
    assert "@inproceedings{" in text and "@mastersthesis{" in text and "@techreport{" in text
    assert "institution = {Mental Health Commission}" in text
    assert "school = {University of Leeds}" in text
    assert text.count("{") == text.count("}")


def test_csl_json_output_shape(ris_graph: tuple[Path, list[Record]]) -> None:
    out, _ = ris_graph
    items = json.loads(convert([out / "graph.ttl"], "csl-json"))
    article = next(item for item in items if item["type"] == "article-journal")
    assert article["id"].startswith("https://example.org/kg/work/")
    assert article["issued"] == {"date-parts": [[2012, 6, 15]]}
    assert article["author"][2] == {"literal": "World Health Organization"}
    assert article["page"] == "29-40" and article["ISSN"] == "2042-8308, 2042-8316 (Electronic)"
    assert article["container-title-short"] == "Ment Health Soc Incl"
    types = sorted(item["type"] for item in items)
    assert types == ["article-journal", "book", "chapter", "paper-conference", "report", "thesis"]


# --- writers on works built by hand --------------------------------------------------------------


def work(**fields: Any) -> CitedWork:
    return CitedWork(**{"iri": "https://example.org/kg/work/1", "kind": WorkKind.ARTICLE, **fields})


@pytest.mark.parametrize(
    ("kind", "ris_type", "bibtex_type", "csl_type"),
    [
        (WorkKind.ARTICLE, "JOUR", "article", "article-journal"),
        (WorkKind.CHAPTER, "CHAP", "incollection", "chapter"),
        (WorkKind.BOOK, "BOOK", "book", "book"),
        (WorkKind.CONFERENCE_PAPER, "CPAPER", "inproceedings", "paper-conference"),
        (WorkKind.THESIS, "THES", "phdthesis", "thesis"),
        (WorkKind.REPORT, "RPRT", "techreport", "report"),
        (WorkKind.PREPRINT, "UNPB", "unpublished", "article"),
        (WorkKind.OTHER, "GEN", "misc", "document"),
    ],
)
def test_each_kind_has_its_type(
    kind: WorkKind, ris_type: str, bibtex_type: str, csl_type: str
) -> None:
    works = [work(kind=kind, title="T")]
    assert write_ris(works).startswith(f"TY  - {ris_type}\n")
    assert write_bibtex(works).startswith(f"@{bibtex_type}{{anonndt,")
    assert json.loads(write_csl_json(works))[0]["type"] == csl_type


def test_bibtex_keys_are_readable_and_unique() -> None:
    smith = Agent("Jörg Smith-Ødegaard", "Jörg", "Smith-Ødegaard")
    same = work(authors=(smith,), published=PartialDate(2020), title="The peer workforce")
    works = [
        same,
        same,
        same,
        work(title="On peers"),
        work(editors=(Agent("WHO", organization=True),)),
    ]
    assert citation_keys(works) == [
        "smithodegaard2020peer",
        "smithodegaard2020peera",
        "smithodegaard2020peerb",
        "anonndpeers",
        "whond",
    ]


def test_bibtex_escapes_round_trip_through_the_bibtex_reader() -> None:
    title = r"50% of {peers} & R_2 cost $5 #1 ~ ^ \ -- see"
    entry = write_bibtex(
        [
            work(
                title=title,
                authors=(
                    Agent("Anderson and Co", organization=True),
                    Agent("Ann Lee", "Ann", "Lee"),
                ),
                authors_incomplete=True,
                url="https://example.org/a_b%20c?q={x}",
                doi="10.1000/a_b",
            )
        ]
    )
    assert entry.count("{") == entry.count("}")
    (record,) = [i for i in bibtex.read(entry.splitlines(), "t.bib") if isinstance(i, Record)]
    assert record.title == title
    assert [(a.given, a.family) for a in record.authors] == [(None, None), ("Ann", "Lee")]
    assert record.authors[0].written == "Anderson and Co"
    assert record.authors[0].organization and record.authors_incomplete
    assert record.url == "https://example.org/a_b%20c?q=%7Bx%7D" and record.doi == "10.1000/a_b"


def test_csl_json_dates_to_the_precision_known() -> None:
    items = json.loads(
        write_csl_json(
            [
                work(published=PartialDate(2020)),
                work(published=PartialDate(2020, 5)),
                work(ahead_of_print=True, journal=Journal("J", volume="3")),
            ]
        )
    )
    assert items[0]["issued"] == {"date-parts": [[2020]]}
    assert items[1]["issued"] == {"date-parts": [[2020, 5]]}
    assert items[2]["status"] == "ahead of print" and items[2]["volume"] == "3"
    assert list(items[2]) == ["id", "type", "container-title", "volume", "status"]


def test_ris_values_are_one_line_each() -> None:
    text = write_ris([work(title="A\ntitle", abstract="One.\n\nTwo.", pmid="123")])
    assert text.splitlines() == [
        "TY  - JOUR",
        "TI  - A title",
        "AN  - 123",
        "DB  - PubMed",
        "AB  - One. Two.",
        "ER  - ",
        "",
    ]


# --- errors ------------------------------------------------------------------------------------


def test_unknown_format_is_one_line_error(example_export: Path) -> None:
    with pytest.raises(KgError, match=r"unknown citation format 'endnote' \(known: ris, bibtex"):
        convert([example_export / "graph.ttl"], "endnote")


def test_graph_without_works_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("<https://example.org/a> <https://example.org/b> 'c' .\n", encoding="utf-8")
    with pytest.raises(KgError, match="no works in the graph"):
        convert([path], "ris")
    with pytest.raises(KgError, match="at least one graph file"):
        convert([], "ris")


def test_unreadable_graph_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(KgError, match=r"broken\.ttl"):
        convert([path], "bibtex")


# --- works read from a graph written by hand -------------------------------------------------

HAND_WRITTEN = """\
@prefix schema: <http://schema.org/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix kg: <https://w3id.org/kg/vocab#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/kg/> .

:work\\/b a schema:ScholarlyArticle, bibo:AcademicArticle ;
    kg:contentType "JOUR" ;
    schema:name "Second" ;
    schema:datePublished "2020-02"^^xsd:gYearMonth ;
    kg:authorship :work\\/b\\/author\\/2, :work\\/b\\/author\\/10 ;
    schema:editor :p\\/zed, :p\\/amy ;
    schema:isPartOf :j\\/v\\/i ;
    bibo:status kg:aheadOfPrint ;
    bibo:locator "e123" ;
    bibo:pmid "31234567" ;
    schema:license <https://creativecommons.org/licenses/by/4.0/> ;
    schema:funder :f ;
    schema:funding :work\\/b\\/funding\\/2, :work\\/b\\/funding\\/10 .
:work\\/b\\/author\\/2 kg:person :p\\/amy ; kg:position 2 .
:work\\/b\\/author\\/10 kg:person :org ; kg:position 10 .
:p\\/amy a schema:Person ; schema:name "Amy Lee" ; schema:givenName "Amy" ;
    schema:familyName "Lee" ; schema:sameAs <https://orcid.org/0000-0002-1825-0097> .
:p\\/zed a schema:Person ; schema:name "Zed Adams" ; schema:givenName "Zed" ;
    schema:familyName "Adams" .
:org a schema:Organization ; schema:name "Peer Network" .
:j\\/v\\/i a schema:PublicationIssue ; schema:issueNumber "4" ; schema:isPartOf :j\\/v .
:j\\/v a schema:PublicationVolume ; schema:volumeNumber "12" ; schema:isPartOf :j .
:j a schema:Periodical ; schema:name "Journal of Peer Work" ;
    schema:alternateName "J Peer Work", "The Journal of Peer Work" ;
    bibo:issn "1234-5679" ; bibo:eissn "2345-6784" ; kg:issnL "1234-5679" ;
    schema:issn "1234-5679", "2345-6784", "3456-7895" .
:f a schema:Organization ; schema:name "Fund" ;
    schema:sameAs <https://doi.org/10.13039/501100000265> .
:work\\/b\\/funding\\/2 schema:funder :f ; schema:identifier "A-2" .
:work\\/b\\/funding\\/10 schema:funder :f ; schema:identifier "A-10" .

:work\\/a a schema:ScholarlyArticle, bibo:Manuscript ; kg:contentType "UNPB" .
:work\\/c a schema:ScholarlyArticle ; kg:contentType "inproceedings" .
:work\\/d a schema:ScholarlyArticle ; schema:isPartOf :proc .
:proc a schema:Book, bibo:Proceedings ; schema:name "Proc" ; schema:isbn "9780306406157" .
:work\\/e a schema:Book ; kg:contentType "BOOK" ; schema:isbn "9780199592982" .
:notawork a schema:Book ; schema:name "A container only" .
"""


def test_works_read_from_a_hand_written_graph(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    works = {w.iri.rsplit("/", 1)[1]: w for w in read_works([path])}
    assert list(works) == ["a", "b", "c", "d", "e"]
    assert [works[k].kind for k in "acde"] == [
        WorkKind.PREPRINT,
        WorkKind.CONFERENCE_PAPER,
        WorkKind.CONFERENCE_PAPER,
        WorkKind.BOOK,
    ]
    assert works["d"].book is not None and works["d"].book.proceedings
    assert works["e"].isbns == ("9780199592982",)
    b = works["b"]
    assert b.authors == (
        Agent("Amy Lee", "Amy", "Lee", "0000-0002-1825-0097"),
        Agent("Peer Network", organization=True),
    )
    assert [e.family for e in b.editors] == ["Adams", "Lee"]
    assert b.published == PartialDate(2020, 2)
    assert b.journal == Journal(
        "Journal of Peer Work",
        "J Peer Work",
        (
            Issn("1234-5679", IssnKind.UNKNOWN),
            Issn("3456-7895", IssnKind.UNKNOWN),
            Issn("2345-6784", IssnKind.ELECTRONIC),
        ),
        volume="12",
        issue="4",
    )
    assert b.ahead_of_print and b.article_number == "e123" and b.pmid == "31234567"
    assert b.licenses == ("https://creativecommons.org/licenses/by/4.0/",)
    assert b.funders == (Funder("Fund", "10.13039/501100000265", ("A-2", "A-10")),)
    ris_text = write_ris([b])
    assert "FU  - Fund [A-2, A-10]" in ris_text and "C7  - e123" in ris_text
    assert "DA  - 2020/02//" in ris_text and "J2  - J Peer Work" in ris_text

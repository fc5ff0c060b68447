"""The Crossref REST reader: two real /works answers, every field and envelope on small made-up
works, JATS abstracts, malformed input and random mutations."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from kg.core.problems import Problem, Severity
from kg.core.records import AbstractSection, Funder, Issn, IssnKind, PartialDate, Record, WorkKind
from kg.errors import InputError
from kg.read import crossref
from kg.read._text import read_lines
from tests.conftest import real_input
from tests.json_fuzz import check_never_raises_but_input_error, mutate

FMURO = "crossref/works-orcid-filter-fmuro.json"
COMPACT = "crossref/works-query-rotating-machinery-compact.json"


def lines_of(text: str) -> list[str]:
    """The lines kg.read._text.read_lines makes of a file holding ``text``."""
    return [line.rstrip() for line in text.split("\n")]


def read_text(text: str) -> tuple[list[Record], list[Problem]]:
    found = list(crossref.read(lines_of(text), "w.json"))
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def work_list(*items: Any, total: int | None = None) -> str:
    message = {"facets": {}, "total-results": total or len(items), "items": list(items)}
    answer = {"status": "ok", "message-type": "work-list", "message": message}
    return json.dumps(answer, indent=2, ensure_ascii=False)


def one(item: dict[str, Any]) -> tuple[Record, list[Problem]]:
    records, problems = read_text(work_list(item))
    assert len(records) == 1
    return records[0], problems


def messages(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems]


WORK: dict[str, Any] = {
    "DOI": "10.1017/s1474748020000250",
    "type": "journal-article",
    "title": ["Enhanced finite triangulated categories"],
    "container-title": ["Journal of the Institute of Mathematics of Jussieu"],
    "short-container-title": ["J. Inst. Math. Jussieu"],
    "ISSN": ["1474-7480", "1475-3030"],
    "issn-type": [
        {"type": "print", "value": "1474-7480"},
        {"type": "electronic", "value": "1475-3030"},
    ],
    "volume": "21",
    "journal-issue": {"issue": "3", "published-print": {"date-parts": [[2022, 5]]}},
    "page": "741-783",
    "author": [
        {
            "ORCID": "http://orcid.org/0000-0001-8457-9889",
            "authenticated-orcid": False,
            "given": "Fernando",
            "family": "Muro",
            "sequence": "first",
            "affiliation": [],
        }
    ],
    "published-print": {"date-parts": [[2022, 5]]},
    "published-online": {"date-parts": [[2020, 6, 18]]},
    "issued": {"date-parts": [[2020, 6, 18]]},
    "reference-count": 12,
}


# --- the real answers -----------------------------------------------------------------------


def read_real(relative: str) -> tuple[list[Record], list[Problem]]:
    path = real_input(relative)
    found = list(crossref.read(read_lines(path, relative), relative))
    return (
        [item for item in found if isinstance(item, Record)],
        [item for item in found if isinstance(item, Problem)],
    )


def test_orcid_filtered_answer() -> None:
    records, problems = read_real(FMURO)
    assert problems == []
    assert len(records) == 4  # total-results 4
    assert [r.source.path for r in records] == [f"message.items[{i}]" for i in range(4)]
    assert [r.source.line for r in records] == [9, 933, 1473, 1859]  # checked with grep
    assert all(r.kind is WorkKind.ARTICLE and r.content_type == "journal-article" for r in records)
    # Every item has this author with the ORCID written as an address.
    for record in records:
        muro = next(a for a in record.authors if a.family == "Muro")
        assert (muro.given, muro.orcid) == ("Fernando", "https://orcid.org/0000-0001-8457-9889")


def test_orcid_filtered_answer_first_work() -> None:
    first = read_real(FMURO)[0][0]
    assert first.title == "Transfinite Adams representability"
    assert [a.written for a in first.authors] == ["Fernando Muro", "Oriol Raventós"]
    assert first.authors[1].orcid is None
    assert first.published == PartialDate(2016, 4)  # [[2016, 4]]: no day
    assert first.venue is not None
    assert (first.venue.title, first.venue.volume) == ("Advances in Mathematics", "292")
    assert first.venue.issns == (Issn("0001-8708", IssnKind.PRINT),)  # Elsevier: print only
    assert (first.page_start, first.page_end) == ("111", "180")
    assert (first.doi, first.publisher, first.language) == (
        "10.1016/j.aim.2016.01.009",
        "Elsevier BV",
        "en",
    )
    assert len(first.funders) == 6
    assert first.funders[0] == Funder(
        "Ministry of Economy and Competitiveness", "10.13039/501100003329", ("MTM2010-15831",)
    )
    assert first.funders[3] == Funder(
        "Andalusian Ministry of Economy, Innovation and Science", None, ("FQM-5713",)
    )
    assert first.licenses == (
        "https://www.elsevier.com/tdm/userlicense/1.0/",
        "https://www.elsevier.com/legal/tdmrep-license",
        "http://www.elsevier.com/open-access/userlicense/1.0/",
    )


def test_orcid_filtered_answer_issn_pair_dates_and_jats() -> None:
    records = read_real(FMURO)[0]
    second = records[1]
    assert second.venue is not None
    assert second.venue.issns == (
        Issn("1474-7480", IssnKind.PRINT),
        Issn("1475-3030", IssnKind.ELECTRONIC),
    )
    assert (second.venue.issue, second.venue.short_title) == ("3", "J. Inst. Math. Jussieu")
    assert second.published == PartialDate(2020, 6, 18)  # issued (online), not print 2022-05
    assert second.abstract == (  # the "<jats:title>Abstract</jats:title>" is dropped
        "We give a necessary and sufficient condition for the existence of an enhancement of a "
        "finite triangulated category. Moreover, we show that enhancements are unique when they "
        "exist, up to Morita equivalence."
    )
    third = records[2]
    assert third.abstract is not None
    assert "(containing $\\mathbb {Q}$ in the symmetric case)" in third.abstract
    assert "png" not in third.abstract and "<" not in third.abstract
    assert third.published == PartialDate(2022, 7, 25)


def test_compact_search_answer() -> None:
    records, problems = read_real(COMPACT)
    assert len(records) == 20
    assert all(r.source.line == 1 for r in records)  # one line: the path tells them apart
    assert records[19].source.path == "message.items[19]"
    kinds = [r.kind for r in records]
    assert (kinds.count(WorkKind.ARTICLE), kinds.count(WorkKind.CONFERENCE_PAPER)) == (11, 4)
    assert (kinds.count(WorkKind.PREPRINT), kinds.count(WorkKind.OTHER)) == (3, 1)
    assert kinds.count(WorkKind.THESIS) == 1
    assert [(p.severity, p.record, p.location.path) for p in problems] == [
        (Severity.WARNING, None, "message.total-results")
    ]
    assert problems[0].message == (
        "this answer holds 20 of 13491885 results (one page of a paged query); "
        "the other 13491865 are not in this file"
    )


def test_compact_search_answer_quirks() -> None:
    records = read_real(COMPACT)[0]
    first = records[0]
    assert first.article_number == "8567148" and first.page_start is None
    assert [e.written for e in first.editors] == ["Sohini Basu Roy"]
    assert first.published == PartialDate(2025, 1)  # issued; published-online is 2025-12-22
    component = records[4]  # no title and "issued": [[null]]
    assert (component.kind, component.content_type) == (WorkKind.OTHER, "component")
    assert (component.title, component.published, component.authors) == (None, None, ())
    elsevier = records[5]  # Elsevier repeats the article number as the page
    assert (elsevier.page_start, elsevier.article_number) == (None, "104106")
    ssrn = records[3]
    assert (ssrn.kind, ssrn.published, ssrn.venue) == (WorkKind.PREPRINT, PartialDate(2025), None)
    proceedings = records[7]
    assert proceedings.venue is not None and proceedings.venue.title == (
        "2020 International Conference on Computer Vision, Image and Deep Learning (CVIDL)"
    )
    assert records[14].title == (  # "\n" inside the title joined
        "A case study on multisensor data fusion for imbalance diagnosis of rotating machinery"
    )
    assert records[14].authors[0].given == "QING (CHARLIE)"
    assert records[15].kind is WorkKind.THESIS and records[15].published is None
    assert records[19].title == "A review for image–text matching from deep learning perspective"
    assert records[18].funders == (
        Funder(
            "Universiti Sains Malaysia Research University",
            "10.13039/501100004595",
            ("RUI 1001/PELECT/8014053",),
        ),
    )


# --- envelopes ------------------------------------------------------------------------------


def test_single_work_answer() -> None:
    answer = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": WORK}
    records, problems = read_text(json.dumps(answer, indent=2))
    assert problems == []
    assert [(r.source.path, r.source.line) for r in records] == [("message", 5)]


def test_bare_work_and_array_of_works() -> None:
    records, problems = read_text(json.dumps(WORK))
    assert problems == [] and records[0].source.path is None
    records, problems = read_text(json.dumps([WORK, WORK], indent=1))
    assert problems == [] and [r.source.path for r in records] == ["[0]", "[1]"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            {"status": "ok", "message-type": "member", "message": {}},
            r"message-type 'member' holds no works",
        ),
        (
            {"status": "failed", "message-type": "validation-failure", "message": []},
            r"Crossref answered with status 'failed' \(a list\), not works",
        ),
        ({"status": "ok", "message-type": "work-list", "message": []}, r"is a list, not an obj"),
        (
            {"status": "ok", "message-type": "work-list", "message": {"items": {}}},
            r'"message.items" is an object, not a list of works',
        ),
        ({"hello": "world"}, r'no Crossref "message" and no work'),
        (42, r"a Crossref answer is a JSON object; this file is a number"),
    ],
)
def test_answers_without_works_are_input_errors(answer: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_text(json.dumps(answer))


# --- fields ---------------------------------------------------------------------------------


def test_work_fields() -> None:
    record, problems = one(WORK)
    assert problems == []
    assert record.venue is not None
    assert record.venue.issue == "3"  # from journal-issue
    assert record.authors[0].orcid == "http://orcid.org/0000-0001-8457-9889"  # as written
    assert record.published == PartialDate(2020, 6, 18)


@pytest.mark.parametrize(
    ("crossref_type", "subtype", "kind"),
    [
        ("journal-article", None, WorkKind.ARTICLE),
        ("book-chapter", None, WorkKind.CHAPTER),
        ("book", None, WorkKind.BOOK),
        ("monograph", None, WorkKind.BOOK),
        ("edited-book", None, WorkKind.BOOK),
        ("proceedings-article", None, WorkKind.CONFERENCE_PAPER),
        ("dissertation", None, WorkKind.THESIS),
        ("posted-content", "preprint", WorkKind.PREPRINT),
        ("posted-content", "working_paper", WorkKind.REPORT),
        ("report", None, WorkKind.REPORT),
        ("component", None, WorkKind.OTHER),
        ("dataset", None, WorkKind.OTHER),
    ],
)
def test_types(crossref_type: str, subtype: str | None, kind: WorkKind) -> None:
    work: dict[str, Any] = {"type": crossref_type, "DOI": "10.1/x"}
    if subtype:
        work["subtype"] = subtype
    record, _ = one(work)
    assert (record.kind, record.content_type) == (kind, crossref_type)


def test_titles_subtitles_and_markup() -> None:
    record, problems = one(
        {
            "type": "journal-article",
            "title": ["The <i>E. coli</i> genome &amp; its H<sub>2</sub>O", "Other title"],
            "subtitle": ["a new view"],
        }
    )
    assert record.title == "The E. coli genome & its H2O: a new view"
    assert messages(problems) == [
        "'title' has 2 values; the first is used, left out: 'Other title'"
    ]
    assert problems[0].location.path == "message.items[0].title"


def test_book_chapter_and_book_venues() -> None:
    chapter, problems = one(
        {
            "type": "book-chapter",
            "container-title": ["A Handbook"],
            "ISBN": ["9781837975624"],
            "isbn-type": [
                {"type": "print", "value": "9781837975624"},
                {"type": "electronic", "value": "9781837975617"},
            ],
        }
    )
    assert problems == []
    assert chapter.venue is not None
    assert chapter.venue.title == "A Handbook"
    assert chapter.venue.isbns == ("9781837975624", "9781837975617")
    book, problems = one({"type": "book", "container-title": ["Lecture Notes"], "ISBN": ["1"]})
    assert book.venue is not None and (book.venue.title, book.venue.isbns) == (None, ("1",))
    assert messages(problems) == [
        "container title 'Lecture Notes' of a book (its series?) is not read"
    ]


def test_issn_type_without_issn_list() -> None:
    record, _ = one(
        {"type": "journal-article", "issn-type": [{"type": "electronic", "value": "2169-3536"}]}
    )
    assert record.venue is not None
    assert record.venue.issns == (Issn("2169-3536", IssnKind.ELECTRONIC),)


def test_dates_fall_back_when_issued_is_empty() -> None:
    record, problems = one(
        {
            "type": "posted-content",
            "issued": {"date-parts": [[None]]},
            "posted": {"date-parts": [[2020, 5, 22]]},
        }
    )
    assert problems == [] and record.published == PartialDate(2020, 5, 22)
    record, problems = one({"type": "other", "issued": {"date-time": "2019-03-04T00:00:00Z"}})
    assert problems == [] and record.published == PartialDate(2019, 3, 4)


def test_people_organisations_funders_licences() -> None:
    record, problems = one(
        {
            "type": "report",
            "author": [
                {"name": "The Lancet Group", "sequence": "first"},
                {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                {"sequence": "additional"},
            ],
            "funder": [
                {"name": "A Council", "award-info": [{"award-number": ["A-1", "A-2"]}]},
                {"award": ["X"]},
            ],
            "license": [{"URL": "http://a.example/l"}, {"URL": "http://a.example/l"}, {}],
            "subject": ["Mechanical Engineering", "Control"],
        }
    )
    lancet, king = record.authors
    assert lancet.organization and lancet.written == "The Lancet Group" and lancet.family is None
    assert (king.given, king.family, king.written) == (
        "Martin Luther",
        "King",
        "Martin Luther King Jr.",
    )
    assert record.funders == (Funder("A Council", None, ("A-1", "A-2")),)
    assert record.licenses == ("http://a.example/l",)
    assert record.keywords == ("Mechanical Engineering", "Control")
    assert [(p.location.path, p.message) for p in problems] == [
        (
            "message.items[0].author[2]",
            "author[2] has no name (no family, given or name); left out",
        ),
        ("message.items[0].funder[1]", "funder[1] has neither a name nor a DOI; left out"),
    ]


# --- JATS abstracts -------------------------------------------------------------------------


def abstract_of(jats: str) -> tuple[str | None, tuple[AbstractSection, ...]]:
    record, problems = one({"type": "journal-article", "abstract": jats})
    assert problems == []
    return record.abstract, record.abstract_sections


def test_jats_paragraphs_and_inline_markup() -> None:
    abstract, sections = abstract_of(
        "<jats:title>Abstract</jats:title><jats:p>One <jats:italic>in\n italic</jats:italic>"
        " &amp; x&lt;y&#8211;z.</jats:p>\n<jats:p>Two<jats:sup>2</jats:sup>.</jats:p>"
    )
    assert abstract == "One in italic & x<y–z.\n\nTwo2."
    assert sections == ()


def test_jats_structured_abstract_becomes_sections() -> None:
    abstract, sections = abstract_of(
        "<jats:sec><jats:title>Purpose</jats:title><jats:p>Why.</jats:p></jats:sec>"
        "<jats:sec><jats:title>Findings</jats:title><jats:p>What.</jats:p>"
        "<jats:p>More.</jats:p></jats:sec>"
    )
    assert abstract is None
    assert sections == (
        AbstractSection("Purpose", "Why."),
        AbstractSection("Findings", "What.\n\nMore."),
    )


def test_jats_alternatives_keep_the_tex() -> None:
    abstract, _ = abstract_of(
        "<jats:p>Over <jats:inline-formula><jats:alternatives>"
        "<mml:math><mml:mi>Q</mml:mi></mml:math><jats:tex-math>$\\mathbb{Q}$</jats:tex-math>"
        "</jats:alternatives></jats:inline-formula> only.</jats:p>"
    )
    assert abstract == "Over $\\mathbb{Q}$ only."  # the TeX, though the MathML comes first
    abstract, _ = abstract_of(
        "<jats:p>Over <jats:alternatives><jats:tex-math>$x^2$</jats:tex-math>"
        '<jats:inline-graphic xlink:href="f.png"/><mml:math><mml:mi>x</mml:mi></mml:math>'
        "</jats:alternatives>.</jats:p>"
    )
    assert abstract == "Over $x^2$."
    abstract, _ = abstract_of("<p>An <alternatives><mml:math>x</mml:math><img/></alternatives>")
    assert abstract == "An x"  # no TeX: the first form with text


def test_jats_not_well_formed_still_gives_text() -> None:
    abstract, _ = abstract_of("<jats:p>Unclosed <jats:bold>bold</jats:p></jats:sec> tail & more")
    assert abstract == "Unclosed bold\n\ntail & more"
    abstract, _ = abstract_of("Plain text with a < b and no tags.")
    assert abstract == "Plain text with a < b and no tags."


def test_entity_declarations_are_not_expanded() -> None:
    abstract, _ = abstract_of(
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><jats:p>&b; &a;</jats:p>'
    )
    assert abstract is not None and abstract.endswith("&b; &a;")  # custom entities stay
    assert "aaaaaaaaaa" not in abstract  # as written: nothing is expanded


# --- malformed input ------------------------------------------------------------------------


def test_truncated_answer_names_line_and_column() -> None:
    text = work_list(WORK)
    cut = text[: text.index('"volume"')]  # ends after a comma and the next line's indent
    with pytest.raises(InputError) as caught:
        read_text(cut)
    line = cut.count("\n") + 1
    expected = "not valid JSON: Expecting property name enclosed in double quotes"
    assert str(caught.value) == f"w.json:{line}:1: {expected}"


def test_mismatched_brackets() -> None:
    with pytest.raises(InputError, match=r"^w\.json:1:14: not valid JSON: Expecting value$"):
        read_text('{"message": [}')
    with pytest.raises(InputError, match=r"^w\.json:2:4: not valid JSON: Expecting ',' delimiter$"):
        read_text('{"message":\n [1}}')


def test_deep_nesting_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="JSON nested deeper than 100 levels"):
        read_text('{"message": ' + '{"a": ' * 5000 + "1" + "}" * 5001)


def test_null_and_untyped_works_are_rejected_alone() -> None:
    records, problems = read_text(work_list(None, {"DOI": "10.1/x"}, WORK))
    assert [r.number for r in records] == [3]
    assert [(p.severity, p.record, p.location.path) for p in problems] == [
        (Severity.ERROR, 1, "message.items[0]"),
        (Severity.ERROR, 2, "message.items[1]"),
    ]
    assert problems[0].message == "work is null, not an object; a Crossref work is an object"
    assert problems[1].message.startswith('work has no "type"')


def test_duplicate_keys_in_work_and_envelope() -> None:
    text = (
        '{"status": "ok", "status": "ok", "message-type": "work-list",\n'
        ' "message": {"items": [\n'
        '  {"type": "journal-article", "DOI": "10.1/a",\n'
        '   "DOI": "10.1/b"}]}}'
    )
    records, problems = read_text(text)
    assert records[0].doi == "10.1/b"
    assert [(p.record, p.location.line, p.location.path) for p in problems] == [
        (1, 4, "message.items[0].DOI"),
        (None, 1, "status"),
    ]
    assert all(p.severity is Severity.WARNING for p in problems)


def test_bad_dates_are_warned() -> None:
    record, problems = one({"type": "journal-article", "issued": {"date-parts": [[2011, 0]]}})
    assert record.published is None
    assert messages(problems) == [
        "date '2011-00' is not a date (month 0 is not a month (1-12)); left out"
    ]
    assert problems[0].location.path == "message.items[0].issued"


def test_control_characters_ten_megabytes_and_bad_check_digits() -> None:
    record, problems = one(
        {
            "type": "journal-article",
            "title": ["Ti\u0001tle"],
            "abstract": "<jats:p>" + "word " * 2_000_000 + "</jats:p>",
            "ISSN": ["1755-6229"],
            "author": [
                {"given": "A", "family": "B", "ORCID": "https://orcid.org/0000-0001-8457-9880"}
            ],
        }
    )
    assert record.title == "Title"
    assert record.abstract is not None and len(record.abstract) == 10_000_000 - 1
    assert record.venue is not None and record.venue.issns == (Issn("1755-6229"),)
    assert record.authors[0].orcid == "https://orcid.org/0000-0001-8457-9880"
    assert messages(problems) == ["'title' holds control or invalid characters (U+0001); removed"]


def test_values_of_the_wrong_type() -> None:
    record, problems = one(
        {"type": "journal-article", "title": "A text title", "author": "Smith", "page": ["1", "2"]}
    )
    assert record.title == "A text title" and record.authors == ()
    assert (record.page_start, record.page_end) == (None, None)
    assert messages(problems) == [
        "'page' is a list, not a text; left out",
        "'author' is a text, not a list of objects; left out",
    ]


def test_unknown_key_is_reported() -> None:
    record, problems = one({"type": "journal-article", "DOI": "10.1/x", "tittle": ["T"]})
    assert record.title is None
    assert messages(problems) == ["key 'tittle' is not a Crossref work field; left out"]


# --- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (work_list(WORK), True),
        (json.dumps(WORK), True),
        (json.dumps([WORK]), True),
        ('{"type": "component", "DOI": "10.1/x", "is-referenced-by-count": 0}', True),
        ('[{"type": "component", "reference-count": 0, "issued": {"date-parts": [[null]]}}]', True),
        ('[{"type": "article-journal", "title": "T", "issued": {"date-parts": [[2020]]}}]', False),
        (  # Crossref's own CSL-JSON (content negotiation): text titles, so CSL
            '{"type": "article-journal", "title": "T", "is-referenced-by-count": 3}',
            False,
        ),
        ('{"status": "ok", "message-type": "member", "message": {}}', False),
        ("TY  - JOUR\nER  - \n", False),
        ("@article{k, title={T}}\n", False),
        ("PMID- 1\nTI  - T\n", False),
        ("Article\nPublication date: 15 June 2012\nAbstract\n", False),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert crossref.sniff(lines_of(text)) is expected


def test_sniff_real_files() -> None:
    for relative in (FMURO, COMPACT):
        assert crossref.sniff(read_lines(real_input(relative), relative))
    zotero = "csl-json/zotero-csl-json-export-personal-publications.json"
    assert not crossref.sniff(read_lines(real_input(zotero), zotero))
    medline = "ris/pubmed-medline-nbib-named-ris.ris"
    assert not crossref.sniff(read_lines(real_input(medline), medline))


# --- random mutations never raise -----------------------------------------------------------

_ODD_VALUES: list[Any] = [
    None,
    False,
    3,
    2.5,
    "",
    "\u0000",
    [],
    {},
    [None],
    [[None]],
    [[2011, 13, 40]],
    {"date-parts": [[None]]},
    {"date-parts": [["x"]]},
    [{"value": None, "type": 1}],
    "<jats:alternatives><jats:p>x",
    ["<i>a", "b"],
    [{"name": []}],
]


def _mutate(value: Any, rng: random.Random) -> Any:
    return mutate(value, rng, _ODD_VALUES)


def _never_raises_but_input_error(text: str) -> None:
    check_never_raises_but_input_error(lambda: crossref.read(lines_of(text), "fuzz.json"))


def test_random_mutations_never_raise() -> None:
    rng = random.Random(11)
    answer = json.loads(work_list(WORK, {**WORK, "type": "book-chapter", "ISBN": ["1"]}))
    text = json.dumps(answer)
    for _ in range(300):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[position]
            else:
                chars.insert(position, rng.choice('[]{}",:\\ \n\x01é0u'))
        _never_raises_but_input_error("".join(chars))
    for _ in range(600):
        mutated = answer
        for _ in range(rng.randint(1, 3)):
            mutated = _mutate(mutated, rng)
        _never_raises_but_input_error(json.dumps(mutated))


def test_real_answer_with_random_damage_never_raises() -> None:
    answer = json.loads(Path(real_input(FMURO)).read_text(encoding="utf-8"))
    rng = random.Random(3)
    for _ in range(100):
        _never_raises_but_input_error(json.dumps(_mutate(answer, rng)))

"""Rules the readers (and the citation writers, and the merge report) share, written once: which
control characters are removed (kg.core.text), how a long value is cut short in a message
(kg.core.text.shorten), and how CSL-JSON and Crossref read a list of names
(kg.read._json_fields.read_names)."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kg.core import text
from kg.core.problems import Problem
from kg.core.records import PersonName, Record
from kg.core.text import CONTROL_CHARACTERS, UNREADABLE_CHARACTERS, shorten
from kg.read import bibtex, crossref, csl_json, medline, ris, search_page
from tests.page_builder import PageRecord, page

KG = Path(__file__).resolve().parents[1] / "kg"


def sources() -> dict[str, str]:
    return {str(p.relative_to(KG.parent)): p.read_text("utf-8") for p in sorted(KG.rglob("*.py"))}


def test_the_text_rules_are_documented_with_examples_that_run() -> None:
    result = doctest.testmod(text)
    assert result.attempted >= 6 and result.failed == 0


# --- control characters --------------------------------------------------------------------


def test_the_control_character_rule_is_written_once() -> None:
    """It was written out in five modules (three readers, the line reader, the citation
    writers), and the JSON readers' wider rule in a sixth."""
    written = {name for name, source in sources().items() if r"\x00-\x08" in source}
    assert written == {"kg/core/text.py"}


def test_what_the_two_rules_remove() -> None:
    assert CONTROL_CHARACTERS.findall("a\x00\x08\t\n\r\x0b\x1f\x7f\x85\ufffe") == [
        "\x00",
        "\x08",
        "\x0b",
        "\x1f",
        "\x7f",
    ]
    assert UNREADABLE_CHARACTERS.findall("a\x00\t\x7f\x85\x9f\ud800\ufffe\uffff\u00e9") == [
        "\x00",
        "\x7f",
        "\x85",
        "\x9f",
        "\ud800",
        "\ufffe",
        "\uffff",
    ]


def test_text_readers_keep_c1_controls_and_json_readers_remove_them() -> None:
    """The documented difference: in a text file a C1 control is a trace of mojibake (kept and,
    in BibTeX, named); JSON escapes can write anything, so its readers remove C1 too."""
    title = "Peer support \u00e2\u0080\u0094 a review"  # an em dash, UTF-8 read as Latin-1
    (record, *problems) = bibtex.read([f"@article{{k, title = {{{title}}}}}"], "t.bib")
    assert isinstance(record, Record) and record.title == title
    assert [p.message for p in problems if isinstance(p, Problem)] == [
        "field 'title' looks like UTF-8 read as Latin-1 ('\u00e2\\x80\\x94' would be "
        "'\u2014'); kept as written"
    ]
    item = json.dumps([{"type": "book", "title": "Caf\u0085 and \u0007bell"}])
    (record, *problems) = csl_json.read([item], "t.json")
    assert isinstance(record, Record) and record.title == "Caf and bell"
    assert [p.message for p in problems if isinstance(p, Problem)] == [
        "'title' holds control or invalid characters (U+0007, U+0085); removed"
    ]


# --- cutting a value short for a message ---------------------------------------------------

# Copies in stages this change did not touch (kg.core.text.shorten is there for them too).
_CUT = re.compile(r"""\[\s*:\s*[\w\s-]*\]\s*\+\s*["'](?:\.\.\.|…)["']|\[:\d+\]!r""")


def test_values_are_cut_short_for_messages_in_one_place() -> None:
    cutting = {name for name, source in sources().items() if _CUT.search(source)}
    assert cutting == {"kg/core/text.py"}


LONG = "Lorem ipsum " * 12  # 144 characters


def messages(items: list[Record | Problem]) -> list[str]:
    return [item.message for item in items if isinstance(item, Problem)]


@pytest.mark.parametrize(
    ("reader", "lines", "template"),
    [
        (ris.read, [LONG, "TY  - JOUR", "ER  - "], "text outside a record: {}"),
        (medline.read, [LONG, "", "PMID- 1", "PT  - Book"], "before the first record"),
        (bibtex.read, [f"title = {{{LONG}}}", "@book{k, title={T}}"], "outside any entry"),
    ],
)
def test_readers_quote_a_long_stray_line_alike(
    reader: Any, lines: list[str], template: str
) -> None:
    found = messages(list(reader(lines, "t")))
    assert len(found) == 1
    quoted = repr(shorten(lines[0].strip()))
    assert quoted in found[0] and template.format(quoted).split(" {}")[0] in found[0]
    assert len(quoted) == 62  # 57 characters, "...", and the quotes


def read_page(record: PageRecord) -> list[str]:
    return messages(list(search_page.read(page(record).split("\n"), "p.txt")))


def test_the_search_page_cuts_every_line_it_cannot_place_the_same_way() -> None:
    """Two of its three messages cut the line at 60 characters without saying so; the third
    quoted it whole."""
    shown = repr(shorten(LONG.strip()))
    assert read_page(PageRecord(downloads=LONG)) == [f"cannot place this line: {shown}"]
    details = ["Journal of Engines, vol. 7 no. 2", "ISSN: 1755-6228", LONG]
    assert read_page(PageRecord(details=details)) == [f"cannot place this line in Details: {shown}"]
    found = read_page(PageRecord(details=None, extra_lines=["Keywords", "", "k", "", LONG]))
    assert found == [f"cannot place this line: {shown}"]


# --- names in CSL-JSON and Crossref --------------------------------------------------------

NAMES: list[dict[str, Any]] = [
    {"given": "Julie", "family": "Repper", "ORCID": "https://orcid.org/0000-0002-1694-233X"},
    {"family": "PREDICT Study Group"},
    {"given": "Tim", "family": "Carter", "suffix": "Jr."},
    {"given": "Julie", "family": "Repper"},
    {"sequence": "additional"},
]


def read_csl_names(names: list[dict[str, Any]]) -> tuple[tuple[PersonName, ...], list[str]]:
    item = {"type": "article-journal", "title": "T", "author": names}
    (record, *problems) = csl_json.read(json.dumps([item]).split("\n"), "t.json")
    assert isinstance(record, Record)
    return record.authors, messages(problems)


def read_crossref_names(names: list[dict[str, Any]]) -> tuple[tuple[PersonName, ...], list[str]]:
    work = {"type": "journal-article", "title": ["T"], "author": names}
    answer = {"status": "ok", "message-type": "work", "message": work}
    (record, *problems) = crossref.read(json.dumps(answer).split("\n"), "w.json")
    assert isinstance(record, Record)
    return record.authors, messages(problems)


def test_crossref_and_csl_json_read_names_by_one_rule() -> None:
    csl = read_csl_names(NAMES)
    assert read_crossref_names(NAMES) == (
        csl[0],
        [message.replace("given or literal", "given or name") for message in csl[1]],
    )
    authors, problems = csl
    assert [a.written for a in authors] == [
        "Julie Repper",
        "PREDICT Study Group",
        "Tim Carter Jr.",
    ]  # the second "Julie Repper" is the same author: kept once, at the first place
    assert authors[1].organization and not authors[0].organization
    assert authors[0].orcid == "https://orcid.org/0000-0002-1694-233X"
    assert problems == [
        "author[4] has no name (no family, given or literal); left out",
        "author list names the same person more than once (kept once, at the first place): "
        "Julie Repper (1, 4)",
    ]


def test_each_format_keeps_its_own_whole_name() -> None:
    """Crossref writes an organisation's name as ``name``; CSL writes any whole name as
    ``literal`` and a person's stays a person's."""
    (organisation,), _ = read_crossref_names([{"name": "Simon Y. Graeber"}])
    assert organisation.organization
    (person,), _ = read_csl_names([{"literal": "Simon Y. Graeber"}])
    assert (person.organization, person.given, person.family) == (False, "Simon Y.", "Graeber")

"""Malformed inputs in every format kg reads, run end to end through `kg export`.

Each case writes one made-up input into tmp_path and checks what a user sees: no traceback, the
exact exit code (0 conforms, 1 does not conform, 2 input errors or rejected records), the message
that names the file, the line (or JSON path) and the record, and records in = written + rejected.
Every line kg prints about the input names the file (and, for problems, the line).

A message fragment may hold "…": anything on the same line in between.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main

MB10 = 10 * 1024 * 1024

# --- search-results page ------------------------------------------------------------------------

PAGE_HEAD = "Search results\n\n1 – 2 of 2\n"  # lines 1-3
PAGE_1 = """Article
Publication date: 4 March 2019

Amara Quill and Tobias Brand

A made-up snippet about peer support…

Abstract

Purpose

To describe a made-up study.

Findings

It found made-up things.

Details

Journal of Invented Studies, vol. 3 no. 1
Type: Research Article
ISSN: 1755-6228

Keywords

Peer support
"""  # lines 4-29; the second record starts on line 30
PAGE_2 = (
    PAGE_1.replace("4 March 2019", "1 May 2020")  # line 31: its date line
    .replace("Amara Quill and Tobias Brand", "Cora Lind")  # line 33: its author line
    .replace("ISSN: 1755-6228", "ISSN: 1746-5729")  # line 51
)
PAGE_FOOT = "1 – 2 of 2\n"


def page(second: str = PAGE_2) -> str:
    return PAGE_HEAD + PAGE_1 + second + PAGE_FOOT


PAGE_CHAPTER = (
    PAGE_2.replace("Article", "Book part")
    .replace("Journal of Invented Studies, vol. 3 no. 1", "A Made-up Book")
    .replace("ISSN: 1746-5729", "ISBN: 978-1-83797-562-5")  # check digit should be 4
)

# --- RIS ----------------------------------------------------------------------------------------

RIS_1 = """TY  - JOUR
AU  - Quill, Amara
TI  - A made-up article on peer support
T2  - Journal of Invented Studies
PY  - 2019
VL  - 3
IS  - 1
SN  - 1755-6228
DO  - 10.5555/mal-0001
ER  -
"""  # lines 1-10, then a blank line
RIS_2 = """TY  - JOUR
AU  - Brand, Tobias
TI  - A second made-up article
T2  - Journal of Invented Studies
PY  - 2020
ER  -
"""  # lines 12-17 after RIS_1


def ris(second: str = RIS_2, first: str = RIS_1) -> str:
    return first + "\n" + second


# --- BibTeX -------------------------------------------------------------------------------------

BIB_1 = """@article{quill2019,
  author = {Quill, Amara and Brand, Tobias},
  title = {A made-up article on peer support},
  journal = {Journal of Invented Studies},
  year = {2019},
  volume = {3},
  issn = {1755-6228},
  doi = {10.5555/mal-0001},
}
"""  # lines 1-9, then a blank line
BIB_2 = """@book{brand2020,
  author = {Brand, Tobias},
  title = {A made-up book},
  publisher = {Invented Press},
  year = {2020},
  isbn = {978-1-83797-562-4},
}
"""  # lines 11-17 after BIB_1


def bib(second: str = BIB_2, first: str = BIB_1) -> str:
    return first + "\n" + second


# --- MEDLINE ------------------------------------------------------------------------------------

NBIB_1 = """PMID- 99100001
DP  - 2019 Mar 4
TI  - A made-up article on peer support in
      community settings.
FAU - Quill, Amara
AU  - Quill A
PT  - Journal Article
JT  - Journal of invented studies
IS  - 1755-6228 (Electronic)
VI  - 3
IP  - 1
AID - 10.5555/mal-0001 [doi]
"""  # lines 1-12, then a blank line
NBIB_2 = """PMID- 99100002
DP  - 2020
TI  - A second made-up article.
FAU - Brand, Tobias
AU  - Brand T
PT  - Journal Article
JT  - Journal of invented studies
"""  # lines 14-20 after NBIB_1


def nbib(second: str = NBIB_2, first: str = NBIB_1) -> str:
    return first + "\n" + second


# --- CSL-JSON -----------------------------------------------------------------------------------

CSL = """[
  {
    "id": "mal-1",
    "type": "article-journal",
    "title": "A made-up article on peer support",
    "container-title": "Journal of Invented Studies",
    "ISSN": "1755-6228",
    "DOI": "10.5555/mal-0001",
    "author": [{"family": "Quill", "given": "Amara"}],
    "issued": {"date-parts": [[2019, 3, 4]]}
  },
  {
    "id": "mal-2",
    "type": "article-journal",
    "title": "A second made-up article",
    "author": [{"family": "Brand", "given": "Tobias"}],
    "issued": {"date-parts": [[2020]]}
  }
]
"""
# A CSL item with neither "date-parts" nor names, which the sniffer does not recognise.
CSL_PLAIN = """[
  {
    "id": "mal-3",
    "type": "article-journal",
    "title": "A made-up article",
    "issued": {"raw": "31 February 2020"}
  }
]
"""

# --- Crossref REST JSON -------------------------------------------------------------------------

CROSSREF = """{
  "status": "ok",
  "message-type": "work-list",
  "message": {
    "total-results": 2,
    "items": [
      {
        "DOI": "10.5555/mal-0001",
        "type": "journal-article",
        "title": ["A made-up article on peer support"],
        "container-title": ["Journal of Invented Studies"],
        "ISSN": ["1755-6228"],
        "author": [{"given": "Amara", "family": "Quill", "sequence": "first"}],
        "issued": {"date-parts": [[2019, 3, 4]]}
      },
      {
        "DOI": "10.5555/mal-0002",
        "type": "journal-article",
        "title": ["A second made-up article"],
        "author": [{"given": "Tobias", "family": "Brand", "sequence": "first"}],
        "issued": {"date-parts": [[2020]]}
      }
    ]
  }
}
"""
CROSSREF_SECOND_TYPE = '"type": "journal-article",\n        "title": ["A second'

# --- generated inputs ---------------------------------------------------------------------------


def big_words() -> str:
    """10 MB of words for one field (made when the test runs, never committed)."""
    return ("peer support " * (MB10 // 13 + 1))[:MB10].strip()


def ris_big() -> str:
    return ris(RIS_2.replace("PY  - 2020", f"PY  - 2020\nAB  - {big_words()}"))


def bib_big() -> str:
    return bib(
        BIB_2.replace("year = {2020},", f"year = {{2020}},\n  abstract = {{{big_words()}}},")
    )


def crossref_big() -> str:
    return CROSSREF.replace(
        "[[2020]]}", f'[[2020]]}},\n        "abstract": "<jats:p>{big_words()}</jats:p>"'
    )


def deep_json_array() -> str:
    return "[" * 5000 + "]" * 5000


# --- the cases ----------------------------------------------------------------------------------

Data = str | bytes | Callable[[], str | bytes]


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # the input's file name
    data: Data
    exit_code: int
    messages: tuple[str, ...]  # "{path}" is the input's path; "…" anything on the same line
    counts: tuple[int, int, int] | None  # records read, written, rejected; None: whole-file error
    args: tuple[str, ...] = ()
    graph_has: tuple[str, ...] = ()  # substrings of graph.nt
    graph_lacks: tuple[str, ...] = ()
    graph_min_bytes: int = 0

    def content(self) -> bytes:
        data = self.data() if callable(self.data) else self.data
        return data.encode("utf-8") if isinstance(data, str) else data


CONTROL_ESCAPES = ("\\u0000", "\\u0007", "\\u001B")
TOO_LONG = "…bytes as RDF text, more than the 8,323,072 kg writes for a long text"
NOT_UTF8 = "name its encoding with --encoding (or save the file as UTF-8)"
LATIN_1 = "it looks like Latin-1 or Windows-1252: try --encoding cp1252"
UTF_16 = "it looks like UTF-16 (it starts with a byte-order mark): try --encoding utf-16"
MIXED = (
    "it looks like UTF-8 mixed with another encoding (text pasted together?): correct that "
    "line, or save it as UTF-8"
)
FORMATS = "bibtex, crossref, csl-json, medline, ris, search-page"

SEARCH_PAGE = [
    Case(
        "search-page-date-31-february",
        "page.txt",
        page(PAGE_2.replace("1 May 2020", "31 February 2020")),
        2,
        ("{path}:31: record 2: error: publication date '31 February 2020' is not a date like",),
        (2, 1, 1),
    ),
    Case(
        "search-page-date-month-00",
        "page.txt",
        page(PAGE_2.replace("1 May 2020", "2011-00")),
        2,
        ("{path}:31: record 2: error: publication date '2011-00' is not a date like",),
        (2, 1, 1),
    ),
    Case(
        "search-page-truncated-mid-record",
        "page.txt",
        PAGE_HEAD + PAGE_1 + PAGE_2[: PAGE_2.index("Abstract") + len("Abstract\n")],
        2,
        ("{path}:37: record 2: error: 'Abstract' is followed by no text",),
        (2, 1, 1),
    ),
    Case(
        "search-page-truncated-mid-date",
        "page.txt",
        PAGE_HEAD + PAGE_1 + "Article\nPublication date: 1 Ma",
        2,
        ("{path}:31: record 2: error: publication date '1 Ma' is not a date like",),
        (2, 1, 1),
    ),
    Case(
        "search-page-truncated-two-digit-year",
        "page.txt",
        PAGE_HEAD + PAGE_1 + "Article\nPublication date: 1 May 20",
        2,
        ("{path}:31: record 2: error: publication date '1 May 20' is not a date like",),
        (2, 1, 1),
        graph_lacks=('"0020-05-01"',),
    ),
    Case(
        "search-page-latin-1",
        "page.txt",
        page().encode("utf-8").replace(b"Cora Lind", "Cora Lönd".encode("latin-1")),
        2,
        ("Error: {path}:33: not UTF-8 text (byte 0xf6 at offset 383); " + MIXED,),
        None,
    ),
    Case(
        "search-page-utf-16-bom",
        "page.txt",
        page().encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
    ),
    Case(
        "search-page-issn-check-digit",
        "page.txt",
        page(PAGE_2.replace("1746-5729", "1746-5728")),
        1,
        (
            "{path}:30: record 2: warning: ISSN '1746-5728' is not valid (ISSN check digit is 8,"
            " expected 9); kept as written",
        ),
        (2, 2, 0),
        graph_has=('"1746-5728"',),
    ),
    Case(
        "search-page-isbn-check-digit",
        "page.txt",
        page(PAGE_CHAPTER),
        1,
        (
            "{path}:30: record 2: warning: ISBN '978-1-83797-562-5' is not valid (ISBN-13 check"
            " digit is 5, expected 4); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "search-page-control-characters",
        "page.txt",
        page(PAGE_2.replace("Cora Lind", "Cora\x00 Lind\x07\x1b")),
        0,
        ("{path}:33: record 2: warning: …control",),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "search-page-markup-kept-as-text",
        "page.txt",
        page(PAGE_2.replace("A made-up snippet", "A <i>made-up</i> &amp; snippet")),
        0,
        (),
        (2, 2, 0),
    ),
    Case(
        "search-page-binary-junk-forced",
        "page.txt",
        bytes(range(256)) * 8,
        2,
        ("Error: {path}:2: not UTF-8 text (byte 0x80 at offset 128); " + NOT_UTF8,),
        None,
        args=("--from", "search-page"),
    ),
    Case(
        "search-page-empty-forced",
        "page.txt",
        b"",
        2,
        ("Error: {path}: …empty",),
        None,
        args=("--from", "search-page"),
    ),
]

RIS = [
    Case(
        "ris-truncated-mid-field",
        "export.ris",
        ris("TY  - JOUR\nAU  - Brand, Tob"),
        0,
        (
            "{path}:13: record 2: warning: no 'ER  -' line before the end of the file; the record"
            " was read to the end",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-truncated-mid-record",
        "export.ris",
        ris(RIS_2[: RIS_2.index("TI  - A second") + len("TI  - A second")]),
        0,
        ("{path}:14: record 2: warning: no 'ER  -' line before the end of the file",),
        (2, 2, 0),
    ),
    Case(
        "ris-without-er",
        "export.ris",
        ris(first=RIS_1.replace("ER  -\n", "")),
        0,
        (
            "{path}:11: record 1: warning: no 'ER  -' line before the next 'TY  - ' here; the"
            " record was ended at this line",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-er-without-record",
        "export.ris",
        ris() + "\nER  -\n",
        0,
        ("{path}:19: warning: 'ER  -' with no record open (no 'TY  - ' line before it)",),
        (2, 2, 0),
    ),
    Case(
        "ris-record-without-ty",
        "export.ris",
        ris(RIS_2.replace("TY  - JOUR\n", "")),
        2,
        ("{path}:12: record 2: error: record has no 'TY  - <type>' line: it starts with 'AU'",),
        (2, 1, 1),
    ),
    Case(
        "ris-py-20x4",
        "export.ris",
        ris(RIS_2.replace("PY  - 2020", "PY  - 20x4")),
        0,
        (
            "{path}:16: record 2: warning: PY '20x4' is not a date ('20x4' is not a year, month"
            " or day); left out",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-py-month-00",
        "export.ris",
        ris(RIS_2.replace("PY  - 2020", "PY  - 2011-00")),
        0,
        (
            "{path}:16: record 2: warning: PY '2011-00' is not a date (month 0 is not a month"
            " (1-12)); kept 2011",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-da-30-february",
        "export.ris",
        ris(RIS_2.replace("PY  - 2020", "PY  - 2020\nDA  - 2020/02/30/")),
        0,
        (
            "{path}:17: record 2: warning: DA '2020/02/30/' is not a date (2020-02-30 is not a"
            " day of the calendar); kept 2020-02",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-latin-1",
        "export.ris",
        ris(RIS_2.replace("Brand", "Bränd")).encode("latin-1"),
        2,
        ("Error: {path}:13: not UTF-8 text (byte 0xe4 at offset 196); " + LATIN_1,),
        None,
    ),
    Case(
        "ris-utf-16-bom-forced",
        "export.ris",
        ris().encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
        args=("--from", "ris"),
    ),
    Case(
        "ris-issn-check-digit",
        "export.ris",
        ris(first=RIS_1.replace("1755-6228", "1755-6229")),
        1,
        (
            "{path}:1: record 1: warning: ISSN '1755-6229' is not valid (ISSN check digit is 9,"
            " expected 8); kept as written",
        ),
        (2, 2, 0),
        graph_has=('"1755-6229"',),
    ),
    Case(
        "ris-isbn-check-digit",
        "export.ris",
        ris(RIS_2.replace("JOUR", "BOOK").replace("PY  - 2020", "SN  - 978-1-83797-562-5")),
        1,
        (
            "{path}:12: record 2: warning: ISBN '978-1-83797-562-5' is not valid (ISBN-13 check"
            " digit is 5, expected 4); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-doi-without-10",
        "export.ris",
        ris(first=RIS_1.replace("DO  - 10.5555/mal-0001", "DO  - 5555/mal-0001")),
        1,
        (
            "{path}:1: record 1: warning: DOI '5555/mal-0001' is not valid (DOI prefix must be"
            " 10. …); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "ris-control-characters",
        "export.ris",
        ris(RIS_2.replace("second made-up", "second\x00 \x07made-up\x1b")),
        0,
        ("{path}:14: record 2: warning: removed control characters from TI",),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "ris-html-markup-in-title",
        "export.ris",
        ris(RIS_2.replace("A second made-up article", "A <i>second</i> &amp; H<sub>2</sub>O")),
        0,
        (),
        (2, 2, 0),
        graph_has=('<http://schema.org/name> "A second & H2O"',),
    ),
    Case(
        "ris-10mb-abstract",
        "export.ris",
        ris_big,
        2,  # it was written, and graph.jsonld was then more than Oxigraph reads (8 MiB)
        ("{path}:12: record 2: error: the abstract is " + TOO_LONG,),
        (2, 1, 1),
        args=("--workers", "1"),
    ),
    Case(
        "ris-forced-on-bibtex",
        "export.bib",
        bib(),
        2,
        ("Error: {path}:",),
        None,
        args=("--from", "ris"),
    ),
]

BIBTEX = [
    Case(
        "bibtex-truncated-mid-field",
        "refs.bib",
        bib(BIB_2[:60]),
        2,
        (
            "{path}:11: record 2: error: entry 'brand2020' is not closed: the file ends inside"
            " field 'title' (opened at line 13)",
        ),
        (2, 1, 1),
    ),
    Case(
        "bibtex-truncated-mid-entry",
        "refs.bib",
        bib(BIB_2[:120]),
        2,
        ("{path}:11: record 2: error: entry 'brand2020' is not closed: the file ends inside it",),
        (2, 1, 1),
    ),
    Case(
        "bibtex-unclosed-before-next-entry",
        "refs.bib",
        bib(first=BIB_1.replace("{A made-up article on peer support}", "{A made-up {article}")),
        2,
        (
            "{path}:1: record 1: error: entry 'quill2019' is not closed (a '}' or ',' is missing)"
            " before the entry at line 11",
        ),
        (2, 1, 1),
    ),
    Case(
        "bibtex-duplicate-keys",
        "refs.bib",
        bib(BIB_2.replace("brand2020", "quill2019")),
        0,
        (
            "{path}:11: record 2: warning: citation key 'quill2019' is also used by the entry at"
            " line 1; both records kept",
        ),
        (2, 2, 0),
    ),
    Case(
        "bibtex-date-month-00",
        "refs.bib",
        bib(BIB_2.replace("year = {2020}", "date = {2011-00}")),
        0,
        (
            "{path}:15: record 2: warning: date '2011-00' is not a date (month 0 is not a month"
            " (1-12)); kept without a date",
        ),
        (2, 2, 0),
    ),
    Case(
        "bibtex-month-0",
        "refs.bib",
        bib(first=BIB_1.replace("year = {2019},", "year = {2011},\n  month = {0},")),
        0,
        (
            "{path}:6: record 1: warning: month '0' cannot be read (month 0 is not a month"
            " (1-12)); kept the year only",
        ),
        (2, 2, 0),
    ),
    Case(
        "bibtex-date-31-february",
        "refs.bib",
        bib(first=BIB_1.replace("year = {2019}", "date = {2020-02-31}")),
        0,
        (
            "{path}:5: record 1: warning: date '2020-02-31' is not a date (2020-02-31 is not a"
            " day of the calendar); kept without a date",
        ),
        (2, 2, 0),
    ),
    Case(
        "bibtex-year-20x4",
        "refs.bib",
        bib(BIB_2.replace("year = {2020}", "year = {20x4}")),
        0,
        ("{path}:15: record 2: warning: year '20x4' is not a year; kept without a date",),
        (2, 2, 0),
    ),
    Case(
        "bibtex-isbn-check-digit",
        "refs.bib",
        bib(BIB_2.replace("978-1-83797-562-4", "978-1-83797-562-5")),
        1,
        (
            "{path}:11: record 2: warning: ISBN '978-1-83797-562-5' is not valid (ISBN-13 check"
            " digit is 5, expected 4); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "bibtex-doi-without-10",
        "refs.bib",
        bib(first=BIB_1.replace("{10.5555/mal-0001}", "{5555/mal-0001}")),
        1,
        ("{path}:1: record 1: warning: DOI '5555/mal-0001' is not valid (…); kept as written",),
        (2, 2, 0),
    ),
    Case(
        "bibtex-latex-commands",
        "refs.bib",
        bib(
            first=BIB_1.replace(
                "A made-up article on peer support",
                r"A \emph{made-up} article on {\"U}ber \textbf{peer} support $\alpha$",
            )
        ),
        0,
        (),
        (2, 2, 0),
        graph_has=('<http://schema.org/name> "A made-up article on Über peer support α"',),
        graph_lacks=("\\\\emph", "textbf"),
    ),
    Case(
        "bibtex-control-characters",
        "refs.bib",
        bib(first=BIB_1.replace("made-up", "made\x00-\x07up\x1b")),
        0,
        (
            "{path}:3: record 1: warning: field 'title' holds control characters (U+0000, U+0007,"
            " U+001B); removed",
        ),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "bibtex-latin-1",
        "refs.bib",
        bib(first=BIB_1.replace("Quill", "Quîll")).encode("latin-1"),
        2,
        ("Error: {path}:2: not UTF-8 text (byte 0xee at offset 34); " + LATIN_1,),
        None,
    ),
    Case(
        "bibtex-utf-16-bom",
        "refs.bib",
        bib().encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
    ),
    Case(
        "bibtex-entry-without-fields",
        "refs.bib",
        bib("@misc{empty2020}\n"),
        2,
        ("{path}:11: record 2: error: entry 'empty2020' has no fields",),
        (2, 1, 1),
    ),
    Case(
        "bibtex-undefined-macro",
        "refs.bib",
        bib(first=BIB_1.replace("{Journal of Invented Studies}", "undefinedmacro")),
        0,
        ("{path}:4: record 1: warning: field 'journal' uses the undefined macro 'undefinedmacro'",),
        (2, 2, 0),
    ),
    Case(
        "bibtex-10mb-abstract",
        "refs.bib",
        bib_big,
        2,  # it was written, and graph.jsonld was then more than Oxigraph reads (8 MiB)
        ("{path}:11: record 2: error: the abstract is " + TOO_LONG,),
        (2, 1, 1),
        args=("--workers", "1"),
    ),
    Case(
        "bibtex-forced-on-ris",
        "export.ris",
        ris(),
        2,
        ("Error: {path}:",),
        None,
        args=("--from", "bibtex"),
    ),
]

MEDLINE = [
    Case(
        "medline-blank-line-inside-record",
        "pubmed.nbib",
        nbib(NBIB_2.replace("FAU - Brand", "\nFAU - Brand")),
        2,
        (
            "{path}:18: record 3: error: record starts with 'FAU', not 'PMID- '; every MEDLINE"
            " record starts with its PMID line (if this continues the record above, remove the"
            " blank line before it)",
            "{path}:14: record 2: warning: record has no PT (publication type) line",
        ),
        (3, 2, 1),
    ),
    Case(
        "medline-record-without-pmid",
        "pubmed.nbib",
        nbib(NBIB_2.replace("PMID- 99100002\n", "")),
        2,
        ("{path}:14: record 2: error: record starts with 'DP', not 'PMID- '",),
        (2, 1, 1),
    ),
    Case(
        "medline-dp-30-february",
        "pubmed.nbib",
        nbib(first=NBIB_1.replace("2019 Mar 4", "2023 Feb 30")),
        0,
        (
            "{path}:2: record 1: warning: DP '2023 Feb 30' is not a date (2023-02-30 is not a day"
            " of the calendar); the record is kept without a date",
        ),
        (2, 2, 0),
    ),
    Case(
        "medline-dp-20x4",
        "pubmed.nbib",
        nbib(NBIB_2.replace("DP  - 2020", "DP  - 20x4")),
        0,
        ("{path}:15: record 2: warning: DP '20x4' is not a date (MEDLINE writes",),
        (2, 2, 0),
    ),
    Case(
        "medline-truncated-mid-field",
        "pubmed.nbib",
        nbib(NBIB_2[:60]),
        1,  # the record has no PT, so no kg:contentType: a violation
        (
            "{path}:17: record 2: warning: cannot read this line, ignored: 'FA' (a MEDLINE field"
            " is a tag padded to 4 characters, then '- ' and the value)",
        ),
        (2, 2, 0),
    ),
    Case(
        "medline-truncated-mid-record",
        "pubmed.nbib",
        nbib("PMID- 99100002\nDP  - 2020\nTI  - A second made-"),
        1,
        ("{path}:14: record 2: warning: record has no PT (publication type) line",),
        (2, 2, 0),
    ),
    Case(
        "medline-latin-1",
        "pubmed.nbib",
        nbib(NBIB_2.replace("Brand", "Bränd")).encode("latin-1"),
        2,
        ("Error: {path}:17: not UTF-8 text (byte 0xe4 at offset 331); " + LATIN_1,),
        None,
    ),
    Case(
        "medline-utf-16-bom",
        "pubmed.nbib",
        nbib().encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
    ),
    Case(
        "medline-issn-check-digit",
        "pubmed.nbib",
        nbib(first=NBIB_1.replace("1755-6228", "1755-6229")),
        1,
        (
            "{path}:1: record 1: warning: ISSN '1755-6229' is not valid (ISSN check digit is 9,"
            " expected 8); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "medline-doi-without-10",
        "pubmed.nbib",
        nbib(first=NBIB_1.replace("AID - 10.5555/mal-0001", "AID - 5555/mal-0001")),
        1,
        ("{path}:1: record 1: warning: DOI '5555/mal-0001' is not valid (…); kept as written",),
        (2, 2, 0),
    ),
    Case(
        "medline-orcid-check-digit",
        "pubmed.nbib",
        nbib(
            first=NBIB_1.replace(
                "AU  - Quill A\n", "AU  - Quill A\nAUID- ORCID: 0000-0002-1825-0098\n"
            )
        ),
        1,
        (
            "{path}:1: record 1: warning: ORCID '0000-0002-1825-0098' is not valid (ORCID iD"
            " check digit is 8, expected 7); kept as written",
        ),
        (2, 2, 0),
        graph_has=("0000-0002-1825-0098",),
    ),
    Case(
        "medline-control-characters",
        "pubmed.nbib",
        nbib(first=NBIB_1.replace("made-up", "made\x00-\x07up\x1b")),
        0,
        ("{path}:3: record 1: warning: …control",),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "medline-markup-in-title",
        "pubmed.nbib",
        nbib(
            first=NBIB_1.replace(
                "A made-up article", "A <i>made-up</i> article &amp; H<sub>2</sub>O"
            )
        ),
        0,
        (),
        (2, 2, 0),
    ),
    Case(
        "medline-empty-forced",
        "pubmed.nbib",
        b"",
        2,
        ("Error: {path}: …empty",),
        None,
        args=("--from", "medline"),
    ),
]

CSL_JSON = [
    Case(
        "csl-json-truncated-mid-string",
        "items.json",
        CSL[: CSL.index('"title": "A second') + 12],
        2,
        ("Error: {path}:15:14: not valid JSON: Unterminated string",),
        None,
    ),
    Case(
        "csl-json-truncated-mid-record",
        "items.json",
        CSL[: CSL.index('"container-title"')],
        2,
        ("Error: {path}:6:1: not valid JSON: Expecting property name enclosed in double quotes",),
        None,
        args=("--from", "csl-json"),
    ),
    Case(
        "csl-json-date-parts-month-0",
        "items.json",
        CSL.replace("[[2019, 3, 4]]", "[[2011, 0]]"),
        0,
        (
            "{path}:10 ([0].issued): record 1: warning: date '2011-00' is not a date (month 0 is"
            " not a month (1-12)); left out",
        ),
        (2, 2, 0),
    ),
    Case(
        "csl-json-date-parts-strings-00",
        "items.json",
        CSL.replace("[[2020]]", '[["2011", "00"]]'),
        0,
        ("{path}:17 ([1].issued): record 2: warning: date '2011-00' is not a date",),
        (2, 2, 0),
    ),
    Case(
        "csl-json-date-parts-30-february",
        "items.json",
        CSL.replace("[[2019, 3, 4]]", "[[2023, 2, 30]]"),
        0,
        (
            "{path}:10 ([0].issued): record 1: warning: date '2023-02-30' is not a date"
            " (2023-02-30 is not a day of the calendar); left out",
        ),
        (2, 2, 0),
    ),
    Case(
        "csl-json-raw-31-february",
        "items.json",
        CSL_PLAIN,
        0,
        (
            "{path}:6 ([0].issued): record 1: warning: date '31 February 2020' is not a date this"
            " reader can read (YYYY, YYYY-MM or YYYY-MM-DD); left out",
        ),
        (1, 1, 0),
        args=("--from", "csl-json"),
    ),
    Case(
        "csl-json-duplicate-keys",
        "items.json",
        CSL.replace(
            '"title": "A second made-up article",',
            '"title": "A second made-up article",\n    "title": "Its other title",',
        ),
        0,
        (
            "{path}:16 ([1].title): record 2: warning: key 'title' appears twice in one object;"
            " the last value is used",
        ),
        (2, 2, 0),
        graph_has=('"Its other title"',),
    ),
    Case(
        "csl-json-deep-nesting",
        "items.json",
        CSL.replace('"id": "mal-2",', '"id": "mal-2",\n    "note": ' + "[" * 150 + "]" * 150 + ","),
        2,
        ("Error: {path}:14: JSON nested deeper than 100 levels; not a bibliographic export",),
        None,
    ),
    Case(
        "csl-json-issn-check-digit",
        "items.json",
        CSL.replace("1755-6228", "1755-6229"),
        1,
        (
            "{path}:2 ([0]): record 1: warning: ISSN '1755-6229' is not valid (ISSN check digit"
            " is 9, expected 8); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "csl-json-doi-without-10",
        "items.json",
        CSL.replace('"DOI": "10.5555/mal-0001"', '"DOI": "5555/mal-0001"'),
        1,
        (
            "{path}:2 ([0]): record 1: warning: DOI '5555/mal-0001' is not valid (…);"
            " kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "csl-json-orcid-check-digit",
        "items.json",
        CSL.replace(
            '"given": "Amara"}',
            '"given": "Amara", "ORCID": "https://orcid.org/0000-0002-1825-0098"}',
        ),
        1,
        (
            "{path}:2 ([0]): record 1: warning: ORCID 'https://orcid.org/0000-0002-1825-0098' is"
            " not valid (ORCID iD check digit is 8, expected 7); kept as written",
        ),
        (2, 2, 0),
        graph_has=("0000-0002-1825-0098",),
    ),
    Case(
        "csl-json-control-characters",
        "items.json",
        CSL.replace("A second made-up", "A second\\u0000 made\\u0007-up\\u001b"),
        0,
        (
            "{path}:15 ([1].title): record 2: warning: 'title' holds control or invalid"
            " characters (U+0000, U+0007, U+001B); removed",
        ),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "csl-json-html-markup-in-title",
        "items.json",
        CSL.replace("A second made-up article", "A <i>second</i> made-up &amp; <sc>article</sc>"),
        0,
        (),
        (2, 2, 0),
        graph_has=('<http://schema.org/name> "A second made-up & article"',),
    ),
    Case(
        "csl-json-latin-1",
        "items.json",
        CSL.replace("Brand", "Bränd").encode("latin-1"),
        2,
        ("Error: {path}:16: not UTF-8 text (byte 0xe4 at offset 445); " + LATIN_1,),
        None,
    ),
    Case(
        "csl-json-utf-16-bom",
        "items.json",
        CSL.encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
    ),
    Case(
        "csl-json-empty-forced",
        "items.json",
        b"",
        2,
        ("Error: {path}: the file is empty; there are no records to read",),
        None,
        args=("--from", "csl-json"),
    ),
    Case(
        "csl-json-item-not-object",
        "items.json",
        CSL.replace('  {\n    "id": "mal-2"', '  42,\n  {\n    "id": "mal-2"'),
        2,
        ("{path}:12 ([1]): record 2: error: item is a number, not an object",),
        (3, 2, 1),
    ),
    Case(
        "csl-json-root-is-a-string",
        "items.json",
        '"just a string"\n',
        2,
        ('Error: {path}: CSL-JSON is an array of items (or one item with a "type")',),
        None,
        args=("--from", "csl-json"),
    ),
]

CROSSREF_JSON = [
    Case(
        "crossref-truncated-mid-record",
        "works.json",
        CROSSREF[: CROSSREF.index('"DOI": "10.5555/mal-0002"') + 5],
        2,
        ("Error: {path}:17:14: not valid JSON: Expecting ':' delimiter",),
        None,
    ),
    Case(
        "crossref-truncated-envelope",
        "works.json",
        CROSSREF[:-10],
        2,
        ("Error: {path}:23:1: not valid JSON: Expecting ',' delimiter",),
        None,
    ),
    Case(
        "crossref-date-parts-month-0",
        "works.json",
        CROSSREF.replace("[[2019, 3, 4]]", "[[2011, 0]]"),
        0,
        (
            "{path}:14 (message.items[0].issued): record 1: warning: date '2011-00' is not a date"
            " (month 0 is not a month (1-12)); left out",
        ),
        (2, 2, 0),
    ),
    Case(
        "crossref-duplicate-key-in-work",
        "works.json",
        CROSSREF.replace(
            CROSSREF_SECOND_TYPE, CROSSREF_SECOND_TYPE.replace('",', '",\n        "type": "book",')
        ),
        0,
        (
            "{path}:19 (message.items[1].type): record 2: warning: key 'type' appears twice in one"
            " object; the last value is used",
        ),
        (2, 2, 0),
    ),
    Case(
        "crossref-duplicate-key-in-envelope",
        "works.json",
        CROSSREF.replace('"status": "ok",', '"status": "ok",\n  "status": "ok",'),
        0,
        (
            "{path}:3 (status): warning: key 'status' appears twice in one object; the last value"
            " is used",
        ),
        (2, 2, 0),
    ),
    Case(
        "crossref-deep-nesting",
        "works.json",
        CROSSREF.replace(
            '"DOI": "10.5555/mal-0002",',
            '"DOI": "10.5555/mal-0002",\n        "relation": '
            + '{"a": ' * 120
            + "1"
            + "}" * 120
            + ",",
        ),
        2,
        ("Error: {path}:18: JSON nested deeper than 100 levels; not a bibliographic export",),
        None,
    ),
    Case(
        "crossref-deep-nesting-forced",
        "works.json",
        deep_json_array,
        2,
        ("Error: {path}:1: JSON nested deeper than 100 levels",),
        None,
        args=("--from", "crossref"),
    ),
    Case(
        "crossref-doi-without-10",
        "works.json",
        CROSSREF.replace('"DOI": "10.5555/mal-0001"', '"DOI": "5555/mal-0001"'),
        1,
        (
            "{path}:7 (message.items[0]): record 1: warning: DOI '5555/mal-0001' is not valid (…);"
            " kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "crossref-isbn-check-digit",
        "works.json",
        CROSSREF.replace(
            CROSSREF_SECOND_TYPE,
            '"type": "book",\n        "ISBN": ["978-1-83797-562-5"],\n        "title": ["A second',
        ),
        1,
        (
            "{path}:16 (message.items[1]): record 2: warning: ISBN '978-1-83797-562-5' is not"
            " valid (ISBN-13 check digit is 5, expected 4); kept as written",
        ),
        (2, 2, 0),
    ),
    Case(
        "crossref-orcid-check-digit",
        "works.json",
        CROSSREF.replace(
            '"family": "Quill",',
            '"family": "Quill", "ORCID": "https://orcid.org/0000-0002-1825-0098",',
        ),
        1,
        (
            "{path}:7 (message.items[0]): record 1: warning: ORCID"
            " 'https://orcid.org/0000-0002-1825-0098' is not valid (…); kept as written",
        ),
        (2, 2, 0),
        graph_has=("0000-0002-1825-0098",),
    ),
    Case(
        "crossref-control-characters",
        "works.json",
        CROSSREF.replace("A second made-up", "A second\\u0000 made\\u0007-up\\u001b"),
        0,
        (
            "{path}:19 (message.items[1].title): record 2: warning: 'title' holds control or"
            " invalid characters (U+0000, U+0007, U+001B); removed",
        ),
        (2, 2, 0),
        graph_lacks=CONTROL_ESCAPES,
    ),
    Case(
        "crossref-jats-markup-in-title",
        "works.json",
        CROSSREF.replace(
            '["A second made-up article"]',
            '["A <jats:italic>second</jats:italic> made-up &amp; H<sub>2</sub>O"]',
        ),
        0,
        (),
        (2, 2, 0),
        graph_has=('<http://schema.org/name> "A second made-up & H2O"',),
    ),
    Case(
        "crossref-latin-1",
        "works.json",
        CROSSREF.replace("Brand", "Bränd").encode("latin-1"),
        2,
        ("Error: {path}:20: not UTF-8 text (byte 0xe4 at offset 645); " + LATIN_1,),
        None,
    ),
    Case(
        "crossref-utf-16-bom",
        "works.json",
        CROSSREF.encode("utf-16"),
        2,
        ("Error: {path}:1: not UTF-8 text (byte 0xff at offset 0); " + UTF_16,),
        None,
    ),
    Case(
        "crossref-error-answer-forced",
        "works.json",
        '{"status": "failed", "message-type": "validation-failure", "message": [{"type": "x"}]}',
        2,
        ("Error: {path}: Crossref answered with status 'failed' (a list), not works",),
        None,
        args=("--from", "crossref"),
    ),
    Case(
        "crossref-work-without-type",
        "works.json",
        CROSSREF.replace(CROSSREF_SECOND_TYPE, '"title": ["A second'),
        2,
        (
            '{path}:16 (message.items[1]): record 2: error: work has no "type"; every Crossref'
            " work has one",
        ),
        (2, 1, 1),
    ),
    Case(
        "crossref-items-not-a-list",
        "works.json",
        '{"status": "ok", "message-type": "work-list", "message": {"items": {"DOI": "10.5555/x"}}}',
        2,
        ('Error: {path}: "message.items" is an object, not a list of works',),
        None,
    ),
    Case(
        "crossref-10mb-abstract",
        "works.json",
        crossref_big,
        2,  # it was written, and graph.jsonld was then more than Oxigraph reads (8 MiB)
        ("{path}:…: record 2: error: the abstract is " + TOO_LONG,),
        (2, 1, 1),
        args=("--workers", "1"),
    ),
]

ANY_FORMAT = [
    Case(
        "detect-not-any-format",
        "letter.txt",
        "Dear colleague,\nhere is the list you asked for.\nBest wishes\n",
        2,
        ("Error: {path}: cannot tell the input format; name it with --from (" + FORMATS + ")",),
        None,
    ),
    Case(
        "detect-empty-file",
        "empty.ris",
        b"",
        2,
        ("Error: {path}: the file is empty; there are no records to read",),
        None,
    ),
    Case(
        "detect-binary-junk",
        "image.png",
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        2,
        ("Error: {path}: is a PNG image, not a bibliographic export; export the records",),
        None,
    ),
]

CASES = [*SEARCH_PAGE, *RIS, *BIBTEX, *MEDLINE, *CSL_JSON, *CROSSREF_JSON, *ANY_FORMAT]

# --- running them -------------------------------------------------------------------------------

_SUMMARY = re.compile(r"^(\d+) records read: (\d+) written, (\d+) rejected; ")
_OTHER_SUMMARY = ("merged: ", "validation: ", "finished in ")
# The validation results by kind, after the validation line: counted, with their first places.
_KIND_SUMMARY = re.compile(r"^  [\d,]+ (?:violation|warning|info)\(s\): .+; (?:first )?at \S")


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart


def fragment_pattern(fragment: str, path: Path) -> re.Pattern[str]:
    parts = fragment.replace("{path}", str(path)).split("…")
    return re.compile(".*".join(re.escape(part) for part in parts))


def check_lines_name_the_file(stderr: str, path: Path) -> None:
    """Every line is a problem naming file and line, a whole-file error, or the summary."""
    problem = re.compile(
        re.escape(str(path)) + r":\d+(?: \([^)]*\))?: (?:record \d+: )?(?:warning|error): \S"
    )
    for line in stderr.splitlines():
        if line.startswith(f"Error: {path}:") or _SUMMARY.match(line):
            continue
        if line.startswith(_OTHER_SUMMARY) or _KIND_SUMMARY.match(line):
            continue
        assert problem.match(line), f"a line that does not name file and line: {line!r}"


# The 10 MB inputs take seconds each: they run with the slow set.
@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if "10mb" in c.id else []) for c in CASES],
)
def test_malformed_input(tmp_path: Path, case: Case) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content())
    out = tmp_path / "out"
    result: Result = runner().invoke(main, ["export", str(path), "--out", str(out), *case.args])
    stderr = result.stderr

    assert "Traceback" not in result.output and "Traceback" not in stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), stderr
    assert result.exit_code == case.exit_code, stderr
    for fragment in case.messages:
        assert fragment_pattern(fragment, path).search(stderr), (fragment, stderr)
    check_lines_name_the_file(stderr, path)

    summary = [m for line in stderr.splitlines() if (m := _SUMMARY.match(line))]
    if case.counts is None:  # a whole-file error: one line, nothing read
        assert not summary, stderr
        assert stderr.startswith(f"Error: {path}:") and stderr.count("\n") == 1, stderr
        return
    assert len(summary) == 1, stderr
    read, written, rejected = (int(n) for n in summary[0].groups())
    assert (read, written, rejected) == case.counts, stderr
    assert read == written + rejected
    rejected_records = set(re.findall(r": record (\d+): error: ", stderr))
    assert len(rejected_records) == rejected, stderr

    graph = (out / "graph.nt").read_text(encoding="utf-8")
    for text in case.graph_has:
        assert text in graph, text
    for text in case.graph_lacks:
        assert text not in graph, text
    assert len(graph.encode("utf-8")) >= case.graph_min_bytes


def test_every_format_has_at_least_five_cases() -> None:
    groups = [SEARCH_PAGE, RIS, BIBTEX, MEDLINE, CSL_JSON, CROSSREF_JSON]
    assert all(len(group) >= 5 for group in groups)
    assert len(CASES) >= 36
    assert len({case.id for case in CASES}) == len(CASES)

"""Every input format fuzzed end to end through the real command line: reader -> resolve -> map ->
write (Turtle, JSON-LD, N-Triples) -> validate.

Each example of examples/ is mangled by hypothesis (lines deleted, duplicated, swapped, truncated;
odd values injected into fields; for the JSON formats random JSON values in random places and
JATS abstracts under any heading), written to a file and exported with ``kg export`` in-process.
Whatever the input, kg answers with exit code 0, 1 or 2 and one-line messages: never an internal
error (70), never a traceback; what it writes parses in a strict parser; and every record read is
either written or reported as rejected.

The slow set runs 1,000 inputs a format through the same stages in-process
(tests/fuzz/in_process.py: build_graph, the writers to memory, validate_graph in one process),
about five times cheaper than an export to files, with the same checks.

Reproducible: hypothesis runs derandomized (a fixed seed per test) and keeps no example database.
"""

from __future__ import annotations

import copy
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.cli
from kg.core.namespaces import SCHEMA
from kg.map.graph import ExportGraph
from kg.map.pipeline import build_graph
from kg.validate import validate_graph
from kg.validate.reference import load_shapes
from tests.conftest import ROOT
from tests.fuzz.in_process import OPTIONS, Pipeline, same_triples_and_records, shapes_compiled_once

EXAMPLES = ROOT / "examples"
# KG_FUZZ_EXAMPLES=1000 KG_FUZZ_RANDOM=1 for a longer hunt with fresh random inputs.
FUZZ = settings(
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "12")),
    deadline=None,
    derandomize=not os.environ.get("KG_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# The slow set, in-process: inputs a format (KG_FUZZ_SLOW_EXAMPLES to change it).
SLOW_EXAMPLES = int(os.environ.get("KG_FUZZ_SLOW_EXAMPLES", "1000"))
COUNTS = re.compile(r"^(\d+) records read: (\d+) written, (\d+) rejected", re.MULTILINE)
# "FILE:LINE[ (json path)]: record N: error: message", one line each on stderr
REJECTED = re.compile(r"^(.*?):\d+(?: \(.*?\))?: record (\d+): error: ", re.MULTILINE)

# --- odd values -----------------------------------------------------------------------------------

ODD_STRINGS = [
    "", " ", "0", "-1", "9" * 40, "NaN", "null", "true", "[]", "{}", "…", "é" * 3000,
    "\x00", "\x07\x1b", "\x7f\x85", "\u202e\u200b", "\u200f\u2066x\u2069", "\ufeff", "\ufffe",
    "\U0001f600\U0001f1ee\U0001f1ea", "\u0301\u0338", "中文标题", "عنوان", "\ue000",
    "<", ">", '"', "{", "}", "|", "\\", "^", "`", "%", "%zz", "#", "?", "&amp;", "&#0;",
    "<jats:p>x</jats:p>", "<jats:sec><jats:title>", "</jats:sec>", "<b>bold", "$\\alpha$",
    "{\\'a}", "\\relax", "@article{", "@string{x = ", "--", "1–10", "e1234", "S12",
    "2012", "2012/13/45", "2012-02-31", "31 Smarch 2020", "0000", "99999", "1900-01-01", "3000",
    "1755-6228", "1755-6229", "0000-0000", "ISSN 1755-6228", "978-0", "9781803824291",
    "978-1-83797-562-4", "1803824298", "10.5555/kg-example-2014-0001", "10.1108/", "10.5555/a b",
    "doi:", "https://doi.org/10.5555/x%2", "0000-0002-1825-0097", "0000-0002-1825-009X",
    "https://orcid.org/", "Anonymous", "et al.", "and others", ",", ", ,", "Repper, J. and",
    "van der", "Jr.", "{{World Health Organization}}", "Abstract", "Purpose", "Findings",
    "Background", "Aims", "Setting", "Details", "Keywords", "Type:", "Type: Viewpoint",
    "Publication date:", "Publication date: 32 Smarch 2020", "Publication date: 1 May 2013",
    "vol. no.", "Journal, vol. 1 no. 1", "Journal, vol. 0 no. 0", "ISSN:", "ISBN: 978-0",
    "Article", "Book part", "1 – 10 of 10", "ER  - ", "TY  - ", "TY  - JOUR", "PMID- ", "PMID- 1",
    "AU  - ", "FAU - ,", "SO  - ", "http://", "file:///etc/passwd", "javascript:alert(1)",
]  # fmt: skip
ODD_VALUES = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),  # any Unicode
    st.text("0123456789-/.:;, ", max_size=12),  # numbers, dates, pages, identifiers
)

HEADINGS = st.one_of(
    st.sampled_from(
        [
            "Background",
            "Aims",
            "Setting",
            "Methods",
            "Results",
            "Conclusions",
            "Objective",
            "Purpose",
            "Design/methodology/approach",
            "Findings",
            "Originality/value",
            "Research limitations/implications",
            "Practical implications",
            "Social implications",
            "Abstract",
            "",
            " ",
            "PURPOSE",
            "findings",
            "Key points",
            "1.",
            "<b>Aims</b>",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=25),
)


@st.composite
def jats_abstracts(draw: st.DrawFn) -> str:
    """A JATS abstract: titled sections under any heading, paragraphs, some markup broken."""
    parts = []
    if draw(st.booleans()):
        parts.append("<jats:title>Abstract</jats:title>")
    for _ in range(draw(st.integers(0, 5))):
        heading, text = draw(HEADINGS), draw(ODD_VALUES)
        if draw(st.integers(0, 9)) == 0:  # a section without its title, or a bare paragraph
            parts.append(f"<jats:sec><jats:p>{text}</jats:p></jats:sec>")
        else:
            parts.append(
                f"<jats:sec><jats:title>{heading}</jats:title><jats:p>{text}</jats:p></jats:sec>"
            )
    if draw(st.booleans()):
        parts.append(f"<jats:p>{draw(ODD_VALUES)}</jats:p>")
    text = "".join(parts)
    if text and draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # cut mid-tag
    return text


# --- line formats ---------------------------------------------------------------------------------

FieldInjector = Callable[[str, str], str | None]  # (line, odd value) -> the line changed, or None


def _tagged(pattern: str) -> FieldInjector:
    tag = re.compile(pattern)

    def inject(line: str, value: str) -> str | None:
        match = tag.match(line)
        return match.group(1) + value if match else None

    return inject


def _bibtex_field(line: str, value: str) -> str | None:
    match = re.match(r"^(\s*\w[\w-]*\s*=\s*)", line)
    if not match:
        return None
    return match.group(1) + "{" + value + "},"


def _any_line(line: str, value: str) -> str | None:
    return value


INJECTORS: dict[str, FieldInjector] = {
    "peer-support-search.txt": _any_line,
    "peer-support.ris": _tagged(r"^([A-Z][A-Z0-9]  - )"),
    "peer-support.nbib": _tagged(r"^([A-Z]{2,4} *- )"),
    "peer-support.bib": _bibtex_field,
}
JATS_LINES = {  # where a line format can carry markup: the abstract field
    "peer-support.ris": "AB  - ",
    "peer-support.nbib": "AB  - ",
}


@st.composite
def mangled_lines(draw: st.DrawFn, name: str) -> str:
    lines = (EXAMPLES / name).read_text(encoding="utf-8").split("\n")
    inject = INJECTORS[name]
    # Hypothesis tries small numbers first: 0 is the commonest mutation, truncation the rarest.
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.integers(0, 7))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action in (0, 1) and lines:  # an odd value in a field
            candidates = [i for i, line in enumerate(lines) if inject(line, "") is not None]
            if candidates:
                index = candidates[(at + len(candidates) // 2) % len(candidates)]
                lines[index] = inject(lines[index], draw(ODD_VALUES)) or lines[index]
        elif action == 2:
            lines.insert(at, draw(ODD_VALUES))
        elif action == 3 and lines:
            lines.insert(draw(st.integers(0, len(lines))), lines[at])
        elif action == 4 and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == 5 and lines:
            del lines[at]
        elif action == 6 and name in JATS_LINES:
            lines.insert(at, JATS_LINES[name] + draw(jats_abstracts()))
        elif action == 7 and lines:  # truncated: whole lines, or in the middle of one
            lines = lines[: len(lines) - at]
            lines[-1] = lines[-1][: len(lines[-1]) - draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines)


# --- JSON formats ---------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        ODD_VALUES,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=6)), children, max_size=3
        ),
    ),
    max_leaves=8,
)
FIELD_NAMES = [
    "type", "title", "subtitle", "container-title", "short-container-title", "volume", "issue",
    "page", "article-number", "DOI", "ISSN", "issn-type", "ISBN", "isbn-type", "URL", "language",
    "publisher", "subject", "keyword", "abstract", "author", "editor", "given", "family", "name",
    "literal", "suffix", "ORCID", "sequence", "issued", "published", "published-print",
    "published-online", "posted", "date-parts", "raw", "literal", "funder", "award", "license",
    "PMID", "id", "items", "message", "message-type", "status", "total-results", "journal-issue",
    "subtype", "number", "collection-title", "event",
]  # fmt: skip


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every object and array in ``value``, the root first."""
    found = []
    if isinstance(value, dict):
        found.append(path)
        for key, child in value.items():
            found += _containers(child, (*path, key))
    elif isinstance(value, list):
        found.append(path)
        for index, child in enumerate(value):
            found += _containers(child, (*path, index))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _works(document: Any) -> list[dict[str, Any]]:
    """The work objects of a Crossref answer or a CSL-JSON array."""
    if isinstance(document, dict):
        message = document.get("message")
        if isinstance(message, dict):
            items = message.get("items")
            if isinstance(items, list):
                return [item for item in items if isinstance(item, dict)]
            return [message]
        return [document]
    if isinstance(document, list):
        return [item for item in document if isinstance(item, dict)]
    return []


@st.composite
def mangled_json(draw: st.DrawFn, name: str) -> str:
    document = copy.deepcopy(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.integers(0, 6))
        paths = _containers(document)
        # deepest first: hypothesis's small numbers should not all replace the whole document
        path = paths[-1 - draw(st.integers(0, len(paths) - 1))] if paths else ()
        target = _at(document, path) if paths else None
        works = _works(document)
        if action == 0 and works:  # a string field of a work gets an odd value
            work = works[draw(st.integers(0, len(works) - 1))]
            strings = sorted(k for k, v in work.items() if isinstance(v, str))
            if strings:
                work[draw(st.sampled_from(strings))] = draw(ODD_VALUES)
        elif action == 1 and isinstance(target, dict) and target:  # a member: any JSON value
            key = draw(st.sampled_from(sorted(target)))
            target[key] = draw(JSON_VALUES)
        elif action == 2 and isinstance(target, dict):  # a known field, anywhere
            target[draw(st.sampled_from(FIELD_NAMES))] = draw(JSON_VALUES)
        elif action == 3 and works:  # a JATS abstract under any headings
            work = works[draw(st.integers(0, len(works) - 1))]
            work["abstract"] = draw(jats_abstracts())
        elif action == 4 and isinstance(target, list) and target:
            index = draw(st.integers(0, len(target) - 1))
            if draw(st.booleans()):
                target.insert(index, copy.deepcopy(target[index]))  # duplicated (a second work)
            else:
                target[index] = draw(JSON_VALUES)
        elif action == 5 and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif action == 6 and path:  # the whole subtree replaced
            parent = _at(document, path[:-1])
            parent[path[-1]] = draw(JSON_VALUES)
    text = json.dumps(
        document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1]))
    )
    if draw(st.integers(0, 11)) == 11:
        text = text[: len(text) - draw(st.integers(1, len(text)))]  # a truncated download
    return text


# --- the check ------------------------------------------------------------------------------------


def export_and_check(tmp_path: Path, name: str, text: str) -> int:
    """``kg export`` answers 0, 1 or 2 without a traceback; what it writes parses strictly;
    records read = written + rejected."""
    return export_all_and_check(tmp_path, {name: text})


def export_all_and_check(tmp_path: Path, inputs: dict[str, str]) -> int:
    """``export_and_check`` for several inputs exported together (file name -> text)."""
    case = tmp_path / f"case-{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    paths = []
    for name, text in inputs.items():
        paths.append(case / name)
        paths[-1].write_text(text, encoding="utf-8")
    out = case / "out"
    result = CliRunner().invoke(
        kg.cli.main, ["export", *map(str, paths), "--out", str(out), "--workers", "1"]
    )
    output = result.output
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}:\n{output}\ninputs:\n{inputs}"
    assert "Traceback" not in output, output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    counts = COUNTS.search(output)
    if result.exit_code in (0, 1):
        assert counts is not None, output
    if counts is None:  # a whole input refused: one line, naming the file
        assert result.exit_code == 2 and output.startswith("Error: "), output
        assert output.count("\n") == 1, output
        return result.exit_code
    read, written, rejected = (int(n) for n in counts.groups())
    assert read == written + rejected, output
    # every record is either in the graph (its provenance node) or reported as rejected
    rejected_records = {(m.group(1), int(m.group(2))) for m in REJECTED.finditer(output)}
    assert len(rejected_records) == rejected, output
    if result.exit_code in (0, 1) or (out / "graph.nt").exists():
        written_records = check_outputs(out)
        assert len(written_records) == written, (sorted(written_records), output)
        if len(paths) == 1:
            numbers = sorted([n for _, n in written_records] + [n for _, n in rejected_records])
            assert numbers == list(range(1, read + 1)), output
    return result.exit_code


def check_outputs(out: Path) -> set[tuple[str, int]]:
    """N-Triples, Turtle and JSON-LD parse in Oxigraph's strict parsers and say the same: the
    same number of triples, the same triples but for the blank nodes of rdf:Lists. Returns the
    records the graph says its works were derived from: (source file IRI, record number)."""
    document = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document, dict) and "@graph" in document
    graphs = {}
    for name, form in (
        ("graph.nt", ox.RdfFormat.N_TRIPLES),
        ("graph.ttl", ox.RdfFormat.TURTLE),
        ("graph.jsonld", ox.RdfFormat.JSON_LD),
    ):
        with (out / name).open("rb") as stream:
            graphs[name] = list(ox.parse(stream, format=form))
    assert graphs["graph.nt"]
    return same_triples_and_records(graphs)


# --- one test a format ----------------------------------------------------------------------------


def test_the_examples_themselves_export_cleanly(tmp_path: Path) -> None:
    """The fuzzing starts from sound inputs: each example alone conforms, and nothing is lost."""
    for example in sorted(EXAMPLES.iterdir()):
        text = example.read_text(encoding="utf-8")
        assert export_and_check(tmp_path, example.name, text) == 0, example


@FUZZ
@given(text=mangled_lines("peer-support-search.txt"))
def test_fuzzed_search_pages(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "page.txt", text)


@FUZZ
@given(text=mangled_lines("peer-support.ris"))
def test_fuzzed_ris(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "export.ris", text)


@FUZZ
@given(text=mangled_lines("peer-support.bib"))
def test_fuzzed_bibtex(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "export.bib", text)


@FUZZ
@given(text=mangled_lines("peer-support.nbib"))
def test_fuzzed_medline(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "export.nbib", text)


@FUZZ
@given(text=mangled_json("peer-support-csl.json"))
def test_fuzzed_csl_json(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "export.json", text)


@FUZZ
@given(text=mangled_json("peer-support-crossref.json"))
def test_fuzzed_crossref(tmp_path: Path, text: str) -> None:
    export_and_check(tmp_path, "crossref.json", text)


@settings(FUZZ, max_examples=max(FUZZ.max_examples * 3 // 5, 1))
@given(
    abstract=jats_abstracts(),
    name=st.sampled_from(["peer-support-crossref.json", "peer-support-csl.json"]),
)
def test_jats_abstracts_under_any_heading(tmp_path: Path, abstract: str, name: str) -> None:
    """The known crash: a JATS section headed "Background" (or anything but the seven Emerald
    headings) in a Crossref or CSL-JSON abstract."""
    document = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    for work in _works(document):
        work["abstract"] = abstract
    export_and_check(tmp_path, name, json.dumps(document))


@pytest.mark.parametrize("heading", ["Background", "Aims", "Setting", "Methods", "Results"])
def test_a_jats_heading_outside_the_emerald_seven(tmp_path: Path, heading: str) -> None:
    document = json.loads((EXAMPLES / "peer-support-crossref.json").read_text(encoding="utf-8"))
    for work in _works(document):
        work["abstract"] = (
            f"<jats:sec><jats:title>{heading}</jats:title><jats:p>Some text.</jats:p></jats:sec>"
            "<jats:sec><jats:title>Findings</jats:title><jats:p>More text.</jats:p></jats:sec>"
        )
    export_and_check(tmp_path, "crossref.json", json.dumps(document))


FORMATS: dict[str, st.SearchStrategy[str]] = {
    "page.txt": mangled_lines("peer-support-search.txt"),
    "export.ris": mangled_lines("peer-support.ris"),
    "export.bib": mangled_lines("peer-support.bib"),
    "export.nbib": mangled_lines("peer-support.nbib"),
    "csl.json": mangled_json("peer-support-csl.json"),
    "crossref.json": mangled_json("peer-support-crossref.json"),
}
ORIGINALS = {
    "page.txt": "peer-support-search.txt",
    "export.ris": "peer-support.ris",
    "export.bib": "peer-support.bib",
    "export.nbib": "peer-support.nbib",
    "csl.json": "peer-support-csl.json",
    "crossref.json": "peer-support-crossref.json",
}


@settings(FUZZ, max_examples=max(FUZZ.max_examples // 3, 1))
@given(data=st.data())
def test_fuzzed_inputs_merged_into_one_graph(tmp_path: Path, data: st.DataObject) -> None:
    """The examples describe some of the same works: mangled copies merged together (journals
    resolved by ISSN, persons by ORCID and name, works by DOI) still export cleanly."""
    inputs = {}
    for name, strategy in FORMATS.items():
        if data.draw(st.booleans(), label=f"mangle {name}"):
            inputs[name] = data.draw(strategy, label=name)
        else:
            inputs[name] = (EXAMPLES / ORIGINALS[name]).read_text(encoding="utf-8")
    export_all_and_check(tmp_path, inputs)


# --- the slow set: the same inputs, the stages in-process ----------------------------------------


@pytest.fixture
def pipeline() -> Iterator[Pipeline]:
    with shapes_compiled_once():
        yield Pipeline()


def test_shapes_compiled_once_validate_as_afresh() -> None:
    """The slow set compiles the shapes once (shapes_compiled_once): validation gives the same
    results as shapes compiled afresh, on each example's graph and on the graph broken (every
    name, publication date and author dropped)."""
    dropped = {str(SCHEMA.name), str(SCHEMA.datePublished), str(SCHEMA.author)}
    graphs = []
    for example in sorted(EXAMPLES.iterdir()):
        graph = build_graph([example], OPTIONS).graph
        graphs += [graph, ExportGraph(t for t in graph if str(t[1]) not in dropped)]
    shapes = load_shapes()
    afresh = [validate_graph(graph, shapes, workers=1) for graph in graphs]
    with shapes_compiled_once():
        for _ in range(2):  # compiled, then reused
            assert [validate_graph(graph, shapes, workers=1) for graph in graphs] == afresh
    violations = sum(len(outcome.violations) for outcome in afresh)
    assert violations  # the broken graphs do not conform


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_fuzzed_in_process(tmp_path: Path, name: str, pipeline: Pipeline) -> None:
    """The fuzzing of the fast set, SLOW_EXAMPLES inputs a format, each through every stage
    in-process (reader -> resolve -> map -> write -> validate): no exception but kg's own
    (KgError, one line), records read = written + rejected, strict parses agree."""
    path = tmp_path / name
    codes: Counter[int | str] = Counter()  # exit codes kg export would give; "refused": a KgError
    started = time.monotonic()

    @settings(FUZZ, max_examples=SLOW_EXAMPLES)
    @given(text=FORMATS[name])
    def run(text: str) -> None:
        path.write_text(text, encoding="utf-8")
        outcome = pipeline.run([path])
        codes["refused" if outcome.refused is not None else outcome.code] += 1

    run()
    cases = sum(codes.values())
    print(f"{name}: {cases} cases in {time.monotonic() - started:.0f} s; {dict(codes)}")
    assert cases >= SLOW_EXAMPLES
    assert codes[0] + codes[1] > 0, codes  # some inputs get through to validation


@pytest.mark.slow
def test_fuzzed_inputs_merged_in_process(tmp_path: Path, pipeline: Pipeline) -> None:
    """Mangled copies of all six examples, or the examples as they are, in one graph."""
    cases = 0

    @settings(FUZZ, max_examples=max(SLOW_EXAMPLES // 5, 1))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        nonlocal cases
        paths = []
        for name, strategy in FORMATS.items():
            paths.append(tmp_path / name)
            if data.draw(st.booleans(), label=f"mangle {name}"):
                text = data.draw(strategy, label=name)
            else:
                text = (EXAMPLES / ORIGINALS[name]).read_text(encoding="utf-8")
            paths[-1].write_text(text, encoding="utf-8")
        pipeline.run(paths)
        cases += 1

    run()
    assert cases >= max(SLOW_EXAMPLES // 5, 1)

"""kg's pipeline in-process, for fuzzing: read -> resolve -> map (``kg.map.pipeline.build_graph``)
-> write (Turtle, JSON-LD and N-Triples to memory) -> validate (``kg.validate.validate_graph``, one
process) -> the validation and merge reports, with the checks every input must pass.

Used by the slow set of ``tests/test_fuzz_end_to_end.py`` and by the atheris harness
``tests/fuzz/fuzz_readers.py``. The command line's own behaviour (exit codes, messages, the export
folder, the example queries) is fuzzed through ``kg export`` by the fast set of that test file.

What every input must give:

- no exception but a :class:`kg.errors.KgError` (a whole input refused), whose message is one line;
- every problem one line; records read = written + rejected; each rejected record reported once;
- Turtle, JSON-LD and N-Triples that Oxigraph's strict parsers read, saying the same triples;
- one provenance node in the graph for every record written; with one input, the record numbers
  written and rejected are 1 … records read, each once;
- a validation outcome, its report and its report graph, and the merge report.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import kg.validate.scalable
from kg.core.namespaces import PREFIXES
from kg.core.problems import Severity
from kg.engines.local import load_context
from kg.errors import KgError
from kg.map.graph import ExportGraph
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.resolve.merge_report import render_merge_report
from kg.validate import validate_graph
from kg.validate.reference import load_shapes, report_prefixes, report_triples
from kg.validate.report import render_report
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.turtle import write_turtle

RECORD_NUMBER = "https://w3id.org/kg/vocab#recordNumber"
SOURCE_FILE = "https://w3id.org/kg/vocab#sourceFile"
OPTIONS = ExportOptions(workers=1)  # validation in this process: no forked workers per case


@dataclass(frozen=True)
class Outcome:
    """What one run came to: the exit code ``kg export`` would give (0 conforms, 1 does not,
    2 records rejected or the input refused), and the counts."""

    code: int
    read: int = 0
    written: int = 0
    rejected: int = 0
    triples: int = 0
    refused: str | None = None  # the KgError's message, when the whole input was refused


class Pipeline:
    """The stages, with kg's shapes and JSON-LD context loaded once."""

    def __init__(self) -> None:
        self.shapes = load_shapes()
        self.context = load_context()

    def run(self, paths: list[Path], input_format: str | None = None) -> Outcome:
        """Every stage on ``paths`` (one export), read as ``input_format`` (a reader's name, as
        ``kg export --from``; None: detected), checked; an AssertionError says what failed."""
        options = replace(OPTIONS, input_format=input_format)
        try:
            built = build_graph(paths, options)
            return self._check(paths, built)
        except KgError as error:
            message = str(error)
            assert message and "\n" not in message, f"{type(error).__name__}: {message!r}"
            return Outcome(code=2, refused=message)

    def _check(self, paths: list[Path], built: BuiltGraph) -> Outcome:
        counts = built.counts
        assert counts.read == counts.written + counts.rejected, counts
        rejected = set()
        for problem in built.problems:
            text = str(problem)
            assert "\n" not in text and "\r" not in text, repr(text)
            if problem.severity is Severity.ERROR and problem.record is not None:
                key = (problem.location.file, problem.record)
                assert key not in rejected, f"record rejected twice: {text}"
                rejected.add(key)
        assert len(rejected) == counts.rejected, (sorted(rejected), counts)

        prefixes = {**PREFIXES, **built.minter.prefixes()}
        written = self._check_written(built.graph, prefixes)
        assert len(written) == counts.written, (sorted(written), counts)
        if len(paths) == 1:
            numbers = sorted([n for _, n in written] + [n for _, n in rejected])
            assert numbers == list(range(1, counts.read + 1)), (numbers, counts)

        outcome = validate_graph(built.graph, self.shapes, workers=1)
        render_report(outcome, built.graph)
        write_turtle(ExportGraph(report_triples(outcome)), io.StringIO(), report_prefixes(prefixes))
        render_merge_report(built.merges, built.minter)
        code = 2 if built.errors else 0 if outcome.conforms else 1
        return Outcome(code, counts.read, counts.written, counts.rejected, len(built.graph))

    def _check_written(self, graph: ExportGraph, prefixes: dict[str, str]) -> set[tuple[str, int]]:
        """The three writers' output parses strictly and says the same; returns the records the
        graph says its works were derived from: (source file IRI, record number)."""
        writers: dict[ox.RdfFormat, Callable[[io.StringIO], None]] = {
            ox.RdfFormat.N_TRIPLES: lambda stream: write_ntriples(graph, stream),
            ox.RdfFormat.TURTLE: lambda stream: write_turtle(graph, stream, prefixes),
            ox.RdfFormat.JSON_LD: lambda stream: write_jsonld(graph, stream, self.context),
        }
        parsed = {}
        for form, write in writers.items():
            stream = io.StringIO()
            write(stream)
            parsed[form] = list(ox.parse(stream.getvalue().encode("utf-8"), format=form))
        nt = parsed[ox.RdfFormat.N_TRIPLES]
        assert nt and len(nt) == len(graph), (len(nt), len(graph))
        return same_triples_and_records(parsed)


def same_triples_and_records(parsed: dict[Any, list[ox.Triple]]) -> set[tuple[str, int]]:
    """Assert that every written form (keyed by its name or format) holds the N-Triples' triples;
    return the (input file, record number) of every record the graph holds."""
    nt = next(triples for form, triples in parsed.items() if form in NT_NAMES)
    for form, triples in parsed.items():
        assert len(triples) == len(nt), form
        assert ground(triples) == ground(nt), form
    numbers = {t.subject: int(t.object.value) for t in nt if t.predicate.value == RECORD_NUMBER}
    files = {t.subject: t.object.value for t in nt if t.predicate.value == SOURCE_FILE}
    return {(files[node], number) for node, number in numbers.items()}


NT_NAMES = (ox.RdfFormat.N_TRIPLES, "graph.nt")


def ground(triples: list[ox.Triple]) -> set[str]:
    """The triples without blank nodes (the writers label the nodes of rdf:Lists each their way)."""
    return {
        str(t)
        for t in triples
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


@contextlib.contextmanager
def shapes_compiled_once() -> Iterator[None]:
    """Within: the validator splits and compiles a shapes graph once, not on every call.

    Compiling kg's shapes takes about 90 ms; checking one fuzzed input, a few. The compiled shapes
    are read-only once made (``CompiledShapes.validate_focus``), so every case still runs every
    check on its own graph. ``tests/test_fuzz_end_to_end.py`` holds the outcomes equal to an
    uncached run. Should the validator's internals be renamed, nothing is cached (slower, same
    results).
    """
    module: Any = kg.validate.scalable
    split, compile_ = getattr(module, "split_shapes", None), getattr(module, "CompiledShapes", None)
    if split is None or compile_ is None:
        yield
        return
    cache: dict[tuple[str, int], tuple[Any, Any]] = {}  # (kind, id) -> (argument kept, result)

    def once(kind: str, make: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def cached(argument: Any) -> Any:
            key = (kind, id(argument))
            if key not in cache or cache[key][0] is not argument:
                cache[key] = (argument, make(argument))
            return cache[key][1]

        return cached

    module.split_shapes, module.CompiledShapes = once("split", split), once("compile", compile_)
    try:
        yield
    finally:
        module.split_shapes, module.CompiledShapes = split, compile_

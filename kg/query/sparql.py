"""SPARQL on Oxigraph (or rdflib): the shipped example queries and the user's own.

User values reach a query only as bindings (SEP-0007 substitutions; rdflib's initBindings), never
pasted into its text. Both engines see the same triples (files are parsed strictly by Oxigraph,
see kg.core.graphio), the same predeclared prefixes and the same bindings, and their answers are
written by the same `format_results`, so `--engine rdflib` prints what the default engine prints.
The rdflib engine itself, with its patches to rdflib's SPARQL, is kg.query.rdflib_engine.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.core.external_sort import SortedRuns, escape_part, scratch_folder, unescape_part
from kg.core.graphio import load_into
from kg.core.namespaces import PREFIXES
from kg.core.resources import queries_dir
from kg.core.text import one_line, shorten
from kg.errors import InputError, QueryError, UsageError

_PARAM = re.compile(r"^#\s*param:\s*(?P<name>\w+)\s*=\s*\"(?P<default>[^\"]*)\"\s*$")
FORMATS = ("table", "csv", "tsv", "json")
ENGINES = ("oxigraph", "rdflib")
# What a query answers: solutions, a boolean, or the triples of a CONSTRUCT/DESCRIBE.
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    description: str  # what it answers: the first comment line
    text: str
    defaults: dict[str, str]  # parameter -> default value


def example_queries() -> list[ExampleQuery]:
    return [_parse_example(path) for path in sorted(queries_dir().glob("*.rq"))]


def example_query(name: str) -> ExampleQuery:
    for query in example_queries():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in example_queries())
    raise QueryError(f"no example query named {name!r} (known: {known})")


def _parse_example(path: Path) -> ExampleQuery:
    text = path.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    description = comments[0].lstrip("# ").strip() if comments else path.stem
    return ExampleQuery(path.stem, description, text, declared_defaults(text))


def open_store(graph_files: Iterable[Path]) -> ox.Store:
    """An in-memory store holding every triple of the files (named graphs are kept, and
    `run_query` reads them as part of the default graph)."""
    store = ox.Store()
    for path in graph_files:
        load_into(store, path)
    return store


Bindings = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def bindings(values: Mapping[str, str]) -> Bindings:
    """``name=value`` pairs as SPARQL bindings: ``<...>`` is an IRI, anything else a string."""
    bound: Bindings = {}
    for name, value in values.items():
        if value.startswith("<") and value.endswith(">"):
            try:
                bound[ox.Variable(name)] = ox.NamedNode(value[1:-1])
            except ValueError:
                raise QueryError(f"--param {name}: {value} is not a valid IRI") from None
        else:
            bound[ox.Variable(name)] = ox.Literal(value)
    return bound


def run_query(
    store: ox.Store, text: str, values: Mapping[str, str] | None = None
) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """The query on the store; its default graph is the union of all the store's graphs (as
    rdflib's engine merges the files' graphs, and a store filled into a named graph answers).

    Oxigraph binds only the variables a SELECT projects. A parameter the query uses but does not
    project (or a CONSTRUCT's) is left unbound when its value is the default the query's own
    ``# param:`` line declares: such a query computes that default itself (the co-author
    examples' ``COALESCE(xsd:integer(?maxAuthors), 100)``). Another value is an error that says
    to use the rdflib engine, which binds any variable.
    """
    substitutions = bindings(values or {})
    while True:
        try:
            return store.query(
                text,
                substitutions=substitutions,
                prefixes=PREFIXES,
                use_default_graph_as_union=True,
            )
        except SyntaxError as error:
            raise QueryError(f"the query does not parse: {one_line(error)}") from None
        except (OSError, ValueError, RuntimeError) as error:
            unbindable = _UNPROJECTED.search(str(error))
            if unbindable is None:
                raise QueryError(f"the query failed: {one_line(error)}") from None
            name = unbindable["name"]
            value = (values or {}).get(name)
            if value is None or value != declared_defaults(text).get(name):
                raise QueryError(
                    f"Oxigraph binds a parameter only where the query's SELECT projects it, "
                    f"and this query does not project ?{name}: bind it with --engine rdflib"
                ) from None
            del substitutions[ox.Variable(name)]


# Oxigraph's refusal to bind a variable the query does not project.
_UNPROJECTED = re.compile(r"does not contains? variable \?(?P<name>\w+) in its SELECT projection")


def declared_defaults(text: str) -> dict[str, str]:
    """The defaults of the query's ``# param: name = "default"`` lines.

    >>> declared_defaults('# param: term = "stigma"')
    {'term': 'stigma'}
    """
    comments = [line for line in text.splitlines() if line.startswith("#")]
    return {m["name"]: m["default"] for m in map(_PARAM.match, comments) if m}


def query_files(
    graph_files: Sequence[Path],
    text: str,
    values: Mapping[str, str] | None = None,
    engine: str = "oxigraph",
) -> Results:
    """The query over the graph files, on an in-memory Oxigraph store or an rdflib graph."""
    if engine == "oxigraph":
        return run_query(open_store(graph_files), text, values)
    if engine == "rdflib":
        # imported here: kg.query.rdflib_engine imports this module (QueryError, bindings)
        from kg.query.rdflib_engine import rdflib_graph, run_rdflib_query

        return run_rdflib_query(rdflib_graph(graph_files), text, values)
    raise QueryError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")


def format_results(results: Results, fmt: str) -> str:
    """SELECT/ASK results as table, SPARQL CSV/TSV or SPARQL results JSON; CONSTRUCT as N-Triples
    (``table``/``tsv``/``csv``/``json`` name the tabular forms only)."""
    buffer = io.BytesIO()
    write_results(results, fmt, buffer)
    return buffer.getvalue().decode("utf-8")


def write_results(results: Results, fmt: str, out: BinaryIO) -> None:
    """:func:`format_results`, written to ``out`` as the results come: memory stays flat
    however many rows a query returns (CONSTRUCT results are sorted on disk)."""
    if isinstance(results, ox.QueryBoolean):
        text = (
            json.dumps({"head": {}, "boolean": bool(results)}) + "\n"
            if fmt == "json"
            else f"{bool(results)}\n"
        )
        out.write(text.encode("utf-8"))
        return
    if isinstance(results, ox.QueryTriples | list):
        _write_triples(results, fmt, out)
        return
    if fmt in ("csv", "tsv", "json"):
        kind = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                "json": ox.QueryResultsFormat.JSON}[fmt]  # fmt: skip
        results.serialize(out, format=kind)
        if fmt == "json":
            out.write(b"\n")
        return
    _write_table(results, out)


def _write_triples(triples: Iterable[ox.Triple], fmt: str, out: BinaryIO) -> None:
    """CONSTRUCT results, each triple once, sorted (on disk, so a large result costs no memory):
    N-Triples, or subject/predicate/object rows in CSV or TSV."""
    with scratch_folder() as scratch:
        runs = SortedRuns(scratch)
        if fmt in ("table", "json"):
            runs.extend(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
            for line in runs.merged():
                out.write(line.encode("utf-8"))
            return
        # One entry a row, its cells joined so that entries sort as the rows' lists would.
        runs.extend(
            "\x00".join(escape_part(_plain(term)) for term in (t.subject, t.predicate, t.object))
            for t in triples
        )
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(["subject", "predicate", "object"])
        for entry in runs.merged():
            writer.writerow([unescape_part(cell) for cell in entry.split("\x00")])
        text.detach()


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term as SPARQL CSV writes it: IRIs and literals by their value alone."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


_TABLE_BLOCK = 1_000  # rows the table's column widths are taken from


def _write_table(results: ox.QuerySolutions, out: BinaryIO) -> None:
    """An aligned table for people. Widths come from the first rows, so that the rest can be
    written as they come; a later, longer cell pushes its row out of line rather than be cut."""
    names = [v.value for v in results.variables]
    rows = ([_cell(solution[name]) for name in names] for solution in results)
    first = list(itertools.islice(rows, _TABLE_BLOCK))
    widths = [max([len(n), *(len(r[i]) for r in first)]) for i, n in enumerate(names)]
    header = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()
    out.write(f"{header}\n{'  '.join('-' * w for w in widths)}\n".encode())
    count = 0
    for row in itertools.chain(first, rows):
        line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        out.write(f"{line}\n".encode())
        count += 1
    out.write(f"({count} row{'s' if count != 1 else ''})\n".encode())


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        text = term.value.replace("\n", " ")
        return shorten(text, 80)
    return str(term)


@dataclass(frozen=True)
class QueryRequest:
    """One query as the command line asks for it: its text and bindings, and where to run it."""

    text: str
    values: dict[str, str]
    graphs: list[Path]
    store: Path | None  # a persistent store (kg load --store) instead of graph files
    engine: str = "oxigraph"

    @classmethod
    def from_arguments(
        cls,
        files: Sequence[Path],
        example_name: str | None,
        text: str | None,
        params: Sequence[str],
        store: Path | None,
        engine: str,
    ) -> QueryRequest:
        """The request of ``kg query FILES [--example|-e] [--param]... [--store]``: FILES are
        graphs plus at most one QUERY.rq; exactly one query is named, one way."""
        query_files_given = [f for f in files if f.suffix.lower() == ".rq"]
        graphs = [f for f in files if f.suffix.lower() != ".rq"]
        if len(query_files_given) + (example_name is not None) + (text is not None) != 1:
            raise UsageError("give exactly one query: --example NAME, a QUERY.rq file, or -e TEXT")
        if store is not None and graphs:
            raise UsageError(
                "with --store, give no graph files: fill the store with "
                f"`kg load GRAPH --store {store}`"
            )
        if store is not None and engine != "oxigraph":
            raise UsageError("--store works with the oxigraph engine only")
        if store is None and not graphs:
            raise UsageError("give at least one graph file to query (or --store DIR)")
        values: dict[str, str] = {}
        if example_name is not None:
            example = example_query(example_name)
            text, values = example.text, dict(example.defaults)
        elif query_files_given:
            text = _read_query_file(query_files_given[0])
        for param in params:
            name, equals, value = param.partition("=")
            if not equals or not name.isidentifier():
                raise UsageError(f"--param wants NAME=VALUE, not {param!r}")
            values[name] = value
        assert text is not None
        return cls(text, values, graphs, store, engine)


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def answer(request: QueryRequest, fmt: str, out: BinaryIO) -> None:
    """The request's results, formatted (``table``, ``csv``, ``tsv`` or ``json``), written to
    ``out`` as they come."""
    if request.store is not None:
        from kg.stores.local import open_filled_store

        store = open_filled_store(request.store)
        write_results(run_query(store, request.text, request.values), fmt, out)
        return
    results = query_files(request.graphs, request.text, request.values, request.engine)
    write_results(results, fmt, out)

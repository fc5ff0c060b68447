"""SPARQL on Oxigraph (or rdflib): the shipped example queries and the user's own.

User values reach a query only as bindings (SEP-0007 substitutions; rdflib's initBindings), never
pasted into its text. Both engines see the same triples (files are parsed strictly by Oxigraph,
see kg.graphio), the same predeclared prefixes and the same bindings, and their answers are
written by the same `format_results`, so `--engine rdflib` prints what the default engine prints.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import re
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import CUSTOM_EVALS, operators, parserutils, prepareQuery
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.plugins.sparql.sparql import FrozenBindings, Query, QueryContext, SPARQLError
from rdflib.query import ResultRow

from kg.graphio import rdf_format, read_triples, to_oxigraph, to_rdflib
from kg.namespaces import PREFIXES
from kg.problems import InputError, KgError
from kg.resources import queries_dir

_PARAM = re.compile(r"^#\s*param:\s*(?P<name>\w+)\s*=\s*\"(?P<default>[^\"]*)\"\s*$")
FORMATS = ("table", "csv", "tsv", "json")
ENGINES = ("oxigraph", "rdflib")
# What a query answers: solutions, a boolean, or the triples of a CONSTRUCT/DESCRIBE.
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class QueryError(KgError):
    """A query that does not parse or cannot run."""


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
    defaults = {m["name"]: m["default"] for m in map(_PARAM.match, comments) if m}
    description = comments[0].lstrip("# ").strip() if comments else path.stem
    return ExampleQuery(path.stem, description, text, defaults)


def open_store(graph_files: Iterable[Path]) -> ox.Store:
    """An in-memory store holding every triple of the files (named graphs are kept, and
    `run_query` reads them as part of the default graph)."""
    store = ox.Store()
    for path in graph_files:
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            store.load(path=str(path), format=fmt)
        except SyntaxError as error:
            raise InputError(f"{path}: {error}") from None
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
    rdflib's engine merges the files' graphs, and a store filled into a named graph answers)."""
    try:
        return store.query(
            text,
            substitutions=bindings(values or {}),
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
    except SyntaxError as error:
        raise QueryError(f"the query does not parse: {_one_line(error)}") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"the query failed: {_one_line(error)}") from None


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
        return run_rdflib_query(rdflib_graph(graph_files), text, values)
    raise QueryError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")


def rdflib_graph(graph_files: Iterable[Path]) -> rdflib.Graph:
    """The files' triples in an rdflib graph: parsed strictly by Oxigraph, then converted."""
    graph = rdflib.Graph()
    for triple in read_triples(graph_files):
        graph.add(triple)
    return graph


def run_rdflib_query(
    graph: rdflib.Graph, text: str, values: Mapping[str, str] | None = None
) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
    """The query by rdflib's SPARQL engine, with kg's prefixes and bindings (initBindings),
    as Oxigraph results so `format_results` writes them."""
    bound = {variable.value: to_rdflib(t) for variable, t in bindings(values or {}).items()}
    try:
        prepared = _with_partial_dates(prepareQuery(text, initNs=PREFIXES))
    except Exception as error:  # pyparsing's ParseException, or rdflib's own errors
        raise QueryError(f"the query does not parse: {_one_line(error)}") from None
    try:
        with _rdflib_order_by():
            # everything is evaluated inside the block: rdflib evaluates lazily
            result = graph.query(prepared, initBindings=bound)
            if result.type == "ASK":
                return ox.parse_query_results(
                    json.dumps({"head": {}, "boolean": bool(result.askAnswer)}),
                    ox.QueryResultsFormat.JSON,
                )
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                assert result.graph is not None
                return [_ox_triple(triple) for triple in result.graph]
            names = [str(name) for name in result.vars or []]
            rows = [
                {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
                for row in result
                if isinstance(row, ResultRow)
            ]
    except Exception as error:  # rdflib raises anything from a query it cannot run
        raise QueryError(f"the query failed (rdflib): {_one_line(error)}") from None
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": rows}})
    results = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    return results


def _ox_triple(triple: tuple[Any, Any, Any]) -> ox.Triple:
    subject, predicate, value = (to_oxigraph(term) for term in triple)
    assert isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode)
    return ox.Triple(subject, predicate, value)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _json_term(term: Any) -> dict[str, str]:
    """An rdflib term as a SPARQL 1.1 Query Results JSON term."""
    if isinstance(term, rdflib.URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, rdflib.BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, rdflib.Literal), term
    if term.language:
        return {"type": "literal", "value": str(term), "xml:lang": term.language}
    if term.datatype is not None:
        return {"type": "literal", "value": str(term), "datatype": str(term.datatype)}
    return {"type": "literal", "value": str(term)}


# rdflib's SPARQL, made to answer as Oxigraph does where the examples need it. Both changes are
# local to kg's queries: ORDER BY through rdflib's own extension point (CUSTOM_EVALS), set only
# while kg runs a query, and YEAR/MONTH on the parsed query itself.


@contextlib.contextmanager
def _rdflib_order_by() -> Iterator[None]:
    """ORDER BY as SPARQL 1.1 says (section 15.1), and as Oxigraph orders literals.

    rdflib 7 fails ("TypeError: '<' not supported between instances of 'NoneType' ...") when an
    ORDER BY expression is an error for some rows (``xsd:integer(?volume)`` where ?volume is
    unbound, in the journal-tree example): such rows come first, as unbound ones. And rdflib puts
    every plain string before every language-tagged one; Oxigraph orders strings by their text.
    """
    key = "kg-order-by"
    CUSTOM_EVALS[key] = _order_by
    try:
        yield
    finally:
        CUSTOM_EVALS.pop(key, None)


def _order_by(ctx: QueryContext, part: CompValue) -> list[FrozenBindings]:
    if part.name != "OrderBy":
        raise NotImplementedError  # rdflib evaluates every other part itself
    rows = list(evalPart(ctx, part.p))
    for condition in reversed(part.expr):  # stable sorts, the last key first
        key = functools.partial(_order_key, condition.expr)
        rows.sort(key=key, reverse=condition.order == "DESC")
    return rows


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {_XSD + name for name in (
    "integer", "decimal", "float", "double", "int", "long", "short", "byte", "unsignedLong",
    "unsignedInt", "unsignedShort", "unsignedByte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger")}  # fmt: skip
_TIMES = {_XSD + name for name in ("date", "dateTime", "gYear", "gYearMonth")}


def _order_key(expression: Any, row: FrozenBindings) -> tuple[Any, ...]:
    """Unbound (or an error) < blank nodes < IRIs < literals; literals: numbers by value, dates
    by their ISO text, strings by their text (whatever their language), anything else by its
    datatype, then text. (Literals of different kinds have no order in SPARQL: here numbers <
    dates < strings < others; Oxigraph's may differ.)"""
    term = parserutils.value(row, expression, variables=True)  # an error is returned, not raised
    if isinstance(term, rdflib.BNode):
        return (1, str(term))
    if isinstance(term, rdflib.URIRef):
        return (2, str(term))
    if not isinstance(term, rdflib.Literal):
        return (0,)
    datatype = str(term.datatype) if term.datatype else None
    if datatype in _NUMBERS and isinstance(term.value, int | float | Decimal):
        return (3, 0, term.value)
    if datatype in _TIMES:
        return (3, 1, str(term))
    if term.language or datatype in (None, _XSD + "string"):
        return (3, 2, str(term))
    return (3, 3, datatype, str(term))


_PARTIAL_DATES = (_XSD + "gYear", _XSD + "gYearMonth")
_PARTIAL_DATE = re.compile(r"^(?P<year>-?\d{4,})(?:-(?P<month>\d\d))?(?:Z|[+-]\d\d:\d\d)?$")


def _with_partial_dates(prepared: Query) -> Query:
    """YEAR and MONTH of xsd:gYear and xsd:gYearMonth values too, as Oxigraph gives them (rdflib
    takes xsd:date and xsd:dateTime only, and kg writes a year or a month when that is all a
    source says: themes-per-year would lose those works)."""

    def visit(node: Any) -> None:
        if isinstance(node, Expr) and node.name in ("Builtin_YEAR", "Builtin_MONTH"):
            node._evalfn = types.MethodType(_partial_date_part, node)

    traverse(prepared.algebra, visitPost=visit)
    return prepared


def _partial_date_part(expression: Expr, ctx: Any) -> rdflib.Literal:
    year = expression.name == "Builtin_YEAR"
    arg = expression.arg
    if isinstance(arg, rdflib.Literal) and str(arg.datatype) in _PARTIAL_DATES:
        match = _PARTIAL_DATE.match(str(arg))
        part = match and match["year" if year else "month"]
        if not part:
            raise SPARQLError(f"no {'year' if year else 'month'} in {arg!r}")
        return rdflib.Literal(int(part))
    builtin = operators.Builtin_YEAR if year else operators.Builtin_MONTH
    result: rdflib.Literal = builtin(expression, ctx)
    return result


def format_results(results: Results, fmt: str) -> str:
    """SELECT/ASK results as table, SPARQL CSV/TSV or SPARQL results JSON; CONSTRUCT as N-Triples
    (``table``/``tsv``/``csv``/``json`` name the tabular forms only)."""
    if isinstance(results, ox.QueryBoolean):
        return (
            json.dumps({"head": {}, "boolean": bool(results)}) + "\n"
            if fmt == "json"
            else f"{bool(results)}\n"
        )
    if isinstance(results, ox.QueryTriples | list):
        return _triples(list(results), fmt)
    if fmt in ("csv", "tsv", "json"):
        kind = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                "json": ox.QueryResultsFormat.JSON}[fmt]  # fmt: skip
        data = results.serialize(format=kind)
        assert data is not None
        return data.decode("utf-8") + ("\n" if fmt == "json" else "")
    return _table(results)


def _triples(triples: list[ox.Triple], fmt: str) -> str:
    """CONSTRUCT results: sorted N-Triples, or subject/predicate/object rows in CSV or TSV."""
    if fmt in ("table", "json"):
        return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples))
    rows = sorted([_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in triples)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
    writer.writerow(["subject", "predicate", "object"])
    writer.writerows(rows)
    return buffer.getvalue()


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term as SPARQL CSV writes it: IRIs and literals by their value alone."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _table(results: ox.QuerySolutions) -> str:
    names = [v.value for v in results.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(), line]
    out += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


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
        return text if len(text) <= 80 else text[:77] + "..."
    return str(term)

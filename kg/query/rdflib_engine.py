"""The rdflib engine of `kg query --engine rdflib`: kg's SPARQL queries run by rdflib, answered
as Oxigraph results.

Its one job is to make rdflib's answers the ones Oxigraph gives, so that `format_results`
(kg.query.sparql) prints the same text for either engine. The files are parsed strictly by
Oxigraph (kg.core.graphio) and converted; the prefixes and bindings are kg.query.sparql's.
rdflib's SPARQL differs from Oxigraph's where the shipped example queries need it to agree, so two
patches are applied, both local to kg's queries: ORDER BY (rdflib 7 fails on an ORDER BY
expression that is an error for some rows, and orders plain strings before language-tagged ones) and
YEAR/MONTH of xsd:gYear and xsd:gYearMonth values (rdflib takes xsd:date and xsd:dateTime only).
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import types
from collections.abc import Iterable, Iterator, Mapping
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

from kg.core.graphio import read_triples, to_oxigraph, to_rdflib
from kg.core.namespaces import PREFIXES
from kg.core.text import one_line
from kg.errors import QueryError
from kg.query.sparql import bindings


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
        raise QueryError(f"the query does not parse: {one_line(error)}") from None
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
        raise QueryError(f"the query failed (rdflib): {one_line(error)}") from None
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": rows}})
    results = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    return results


def _ox_triple(triple: tuple[Any, Any, Any]) -> ox.Triple:
    subject, predicate, value = (to_oxigraph(term) for term in triple)
    assert isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode)
    return ox.Triple(subject, predicate, value)


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

"""kg query writes its rows as they come: a result of any size costs no memory of its own."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.query.sparql import format_results, write_results

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.nt"


class _Solutions:
    """Stands in for pyoxigraph's QuerySolutions in the table writer: rows one by one, and a
    look at what was written while they are still coming."""

    def __init__(self, rows: int, out: io.BytesIO) -> None:
        self.variables = [ox.Variable("n"), ox.Variable("label")]
        self._rows = rows
        self._out = out
        self.written_before_the_end = 0

    def __iter__(self) -> Iterator[dict[str, ox.Literal]]:
        for number in range(self._rows):
            if number == self._rows - 1:
                self.written_before_the_end = self._out.getvalue().count(b"\n")
            yield {"n": ox.Literal(str(number)), "label": ox.Literal("x" * (number % 7))}


def test_a_long_table_is_written_while_the_rows_still_come() -> None:
    out = io.BytesIO()
    solutions = _Solutions(2_500, out)
    write_results(solutions, "table", out)  # type: ignore[arg-type]
    lines = out.getvalue().decode().splitlines()
    assert lines[0].split() == ["n", "label"]
    assert lines[-1] == "(2500 rows)"
    assert len(lines) == 2 + 2_500 + 1
    assert solutions.written_before_the_end > 1_000  # not held back until the last row


def test_construct_results_are_sorted_once_each_with_any_character() -> None:
    store = ox.Store()
    nul = ox.Literal("a\x00b")
    store.add(ox.Quad(ox.NamedNode("http://a.example/2"), ox.NamedNode("http://a.example/p"), nul))
    store.add(ox.Quad(ox.NamedNode("http://a.example/1"), ox.NamedNode("http://a.example/p"), nul))
    query = "CONSTRUCT { ?s ?p ?o . ?s ?p ?o } WHERE { ?s ?p ?o }"
    csv_text = format_results(store.query(query), "csv")
    assert csv_text == (
        "subject,predicate,object\r\n"
        "http://a.example/1,http://a.example/p,a\x00b\r\n"
        "http://a.example/2,http://a.example/p,a\x00b\r\n"
    )
    nt = format_results(store.query(query), "table")
    assert nt.splitlines() == sorted(set(nt.splitlines()))
    assert len(nt.splitlines()) == 2


def test_a_reader_that_goes_away_ends_the_query_quietly(tmp_path: Path) -> None:
    """`kg query … | head -1`: no error message, the exit code of a process ended by SIGPIPE."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "query", str(GRAPH), "--format", "csv",
         "-e", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"s,p,o\r\n"
    process.stdout.close()  # more than a pipe's buffer is still to come
    code = process.wait(timeout=120)
    assert process.stderr.read() == b""
    assert code == 141

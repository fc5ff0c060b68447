"""The `kg` command: exit codes, exact error lines, help with examples, files written."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import EXAMPLE, EXAMPLES
from tests.page_builder import PageRecord, page


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_page(tmp_path: Path, *records: PageRecord) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(page(*records), encoding="utf-8")
    return path


def test_every_command_has_help_with_an_example() -> None:
    assert "Example" in run("--help").output
    for name in main.commands:  # type: ignore[attr-defined]
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, name


def test_export_writes_every_file_and_conforms(tmp_path: Path) -> None:
    result = run("export", *map(str, EXAMPLES), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    names = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")}
    assert {"graph.ttl", "graph.jsonld", "graph.nt", "validation.ttl", "validation.txt"} <= names
    assert "queries/prolific-authors.rq" in names and "queries/prolific-authors.csv" in names
    assert "merges.txt" in names and "report.html" in names
    assert "21 records read: 21 written, 0 rejected" in result.stderr
    assert "merged: 6 works from 12 records, 2 conflicts, 0 merges refused" in result.stderr
    assert "validation: conforms (0 violations, 6 warnings)" in result.stderr
    # the RIS record of the page's first work: merged, and its other date reported
    assert (
        "peer-support.ris:1: record 1: warning: disagrees on the publication date: kept "
        "'2014-03-14' from " in result.stderr
    )
    report = (tmp_path / "out" / "validation.txt").read_text(encoding="utf-8")
    assert (
        "peer-support-search.txt:219  Article, 2014-03-14, O'Sullivan-Reyes & van den Broek"
        in report
    )
    assert "warning: schema:name: The work has no title" in report


def test_export_merge_report_option_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "merges.txt"
    result = run(
        "export", *map(str, EXAMPLES), "--out", str(tmp_path / "out"), "--merge-report", str(report)
    )
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert text == (tmp_path / "out" / "merges.txt").read_text(encoding="utf-8")
    assert "6 works merged from 12 records; 2 conflicts; 0 merges refused" in text
    assert "https://example.org/kg/work/doi/10.5555/kg-example-2017-0004  (same type" in text
    assert "conflict on article type: kept 'Viewpoint'" in text


def test_export_with_rejected_records_exits_2_and_still_writes(tmp_path: Path) -> None:
    path = write_page(tmp_path, PageRecord(), PageRecord(date="31 February 2020"))
    result = run("export", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and ": record 2: error: publication date" in result.stderr
    assert "2 records read: 1 written, 1 rejected" in result.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_one_issn_with_two_journal_names_keeps_the_first_and_the_other_as_alternate(
    tmp_path: Path,
) -> None:
    two_names = [
        PageRecord(details=["Journal A, vol. 1 no. 1", "ISSN: 1755-6228"]),
        PageRecord(date="1 May 2013", details=["Journal B, vol. 1 no. 1", "ISSN: 1755-6228"]),
    ]
    result = run("export", str(write_page(tmp_path, *two_names)), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert 'schema:name "Journal A"' in turtle
    assert 'schema:alternateName "Journal B"' in turtle


def test_export_reports_invalid_identifier_as_warning(tmp_path: Path) -> None:
    bad = PageRecord(details=["Journal A, vol. 1 no. 1", "ISSN: 1755-6229"])
    result = run("export", str(write_page(tmp_path, bad)), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1  # the shapes catch the check digit
    assert "record 1: warning: ISSN '1755-6229' is not valid" in result.stderr
    assert "ISSN 1755-6229 has check digit 9, but its digits give 8" in (
        tmp_path / "out" / "validation.txt"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "missing.txt", "--out", "x"], "does not exist"),
        (
            ["export", "{example}", "--out", "x", "--base-iri", "https://example.org/kg"],
            "must end with '/'",
        ),
        (["query", "{graph}"], "give exactly one query"),
        (["query", "{graph}", "--example", "nope"], "no example query named 'nope'"),
        (["query", "{graph}", "-e", "SELECT WHERE"], "the query does not parse"),
        (
            ["query", "{graph}", "--example", "first-authors", "--param", "x"],
            "--param wants NAME=VALUE",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(
    tmp_path: Path, example_export: Path, args: list[str], message: str
) -> None:
    filled = [a.format(example=EXAMPLE, graph=example_export / "graph.ttl") for a in args]
    result = CliRunner().invoke(main, filled)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(error_lines) == 1


def test_export_of_an_undecodable_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Search results\n\nArticle\nPublication date: 1 May 2013\n\xff\xfe\n")
    result = CliRunner().invoke(main, ["export", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    expected = f"Error: {path}:5: not UTF-8 text (byte 0xff at offset 53); it looks like Latin-1"
    assert result.stderr == expected + " or Windows-1252: try --encoding cp1252\n"


def test_validate_exit_codes(tmp_path: Path, example_export: Path) -> None:
    graph = example_export / "graph.ttl"
    ok = run("validate", str(graph), "--report", str(tmp_path / "report.ttl"))
    assert ok.exit_code == 0 and "Conforms: 0 violation(s), 6 warning(s)" in ok.output
    assert (tmp_path / "report.ttl").read_text(encoding="utf-8").count("sh:ValidationResult") == 6

    broken = tmp_path / "broken.ttl"
    text = graph.read_text(encoding="utf-8").replace(
        '"2014-03-14"^^xsd:date', '"2014-02-30"^^xsd:date'
    )
    broken.write_text(text, encoding="utf-8")
    bad = run("validate", str(broken))
    assert bad.exit_code == 1
    assert "peer-support-search.txt:4" in bad.output
    assert "violation: schema:datePublished = '2014-02-30'" in bad.output

    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> .\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(garbage)]).exit_code == 2

    empty_shapes = tmp_path / "shapes"
    empty_shapes.mkdir()
    no_shapes = CliRunner().invoke(main, ["validate", str(graph), "--shapes", str(empty_shapes)])
    assert no_shapes.exit_code == 2 and "no SHACL shapes" in no_shapes.stderr


def test_validate_reads_jsonld_without_the_network(example_export: Path) -> None:
    assert run("validate", str(example_export / "graph.jsonld")).exit_code == 0


def test_queries_lists_every_example() -> None:
    output = run("queries").output
    for name in ("works-per-journal", "prolific-authors", "coauthor-pairs", "first-authors",
                 "themes-per-year", "ahead-of-print", "most-downloaded", "journal-tree",
                 "findings-mentioning", "coauthor-network"):  # fmt: skip
        assert name in output


def test_query_formats_and_parameters(example_export: Path, tmp_path: Path) -> None:
    graph = str(example_export / "graph.ttl")
    table = run("query", graph, "--example", "most-downloaded")
    assert table.exit_code == 0 and "(3 rows)" in table.output
    as_json = json.loads(
        run(
            "query",
            graph,
            "--example",
            "findings-mentioning",
            "--param",
            "term=stigma",
            "--format",
            "json",
        ).output
    )
    assert as_json["head"]["vars"] == ["term", "work", "date", "findings"]
    assert len(as_json["results"]["bindings"]) == 2
    # a value with quotes and braces is bound, not pasted into the query text
    tricky = run(
        "query",
        graph,
        "--example",
        "findings-mentioning",
        "--param",
        'term=x" } UNION { ?s ?p ?o',
        "--format",
        "csv",
    )
    assert tricky.exit_code == 0 and tricky.stdout_bytes == b"term,work,date,findings\r\n"
    query_file = tmp_path / "count.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?w a schema:Chapter }", encoding="utf-8")
    assert run("query", graph, str(query_file), "--format", "tsv").output == "?n\n2\n"
    csv_out = run(
        "query",
        graph,
        "-e",
        "SELECT ?n WHERE { ?p schema:name ?n ; a schema:Person } ORDER BY ?n LIMIT 1",
        "--format",
        "csv",
    )
    assert csv_out.stdout_bytes.decode("utf-8") == "n\r\nAnne-Sophie de la Tourelle\r\n"


def test_validate_keeps_blank_nodes_of_two_files_apart(tmp_path: Path) -> None:
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text('<https://x.org/a> <https://x.org/p> _:b0 . _:b0 <https://x.org/q> "1" .\n')
    two.write_text('<https://x.org/c> <https://x.org/p> _:b0 . _:b0 <https://x.org/q> "2" .\n')
    from kg.core.graphio import read_triples

    triples = list(read_triples([one, two]))
    blank = {t[0] for t in triples if str(t[1]) == "https://x.org/q"}
    assert len(blank) == 2


def test_a_query_file_that_is_not_utf8(tmp_path: Path, example_export: Path) -> None:
    query = tmp_path / "latin1.rq"
    query.write_bytes('SELECT * WHERE { ?s ?p "é" }'.encode("latin-1"))
    result = CliRunner().invoke(main, ["query", str(example_export / "graph.ttl"), str(query)])
    assert result.exit_code == 2 and result.stderr == f"Error: {query}: not UTF-8 text\n"


def test_export_with_shapes_whose_sparql_does_not_parse(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://x.org/S> a sh:NodeShape ; sh:targetClass <http://schema.org/Person> ;\n"
        '  sh:sparql [ sh:select "SELECT $this WHERE { $this nope:p ?o }" ] .\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["export", str(EXAMPLE), "--out", str(tmp_path / "out"), "--shapes", str(shapes)]
    )
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("Error: the SPARQL constraint")
        and "does not parse" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # found before anything was written

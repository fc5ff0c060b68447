"""Where inputs come from and how their bytes are read: standard input (`-`) for every command
that reads, `--encoding`, and errors that name the likely encoding (or a PDF) when bytes are not
UTF-8."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from tests.conftest import EXAMPLES

RIS = next(path for path in EXAMPLES if path.suffix == ".ris")

# A record as an older EndNote on Windows writes it: Windows-1252, with an umlaut, curly quotes
# and an en dash (0x93, 0x94 and 0x96 in Windows-1252; none of them is UTF-8).
WINDOWS_RIS = (
    "TY  - JOUR\r\n"
    "AU  - Müller, Jürgen\r\n"
    "TI  - “Nothing about us without us” – peer work in Zürich\r\n"
    "T2  - Journal of Peer Work\r\n"
    "PY  - 2001\r\n"
    "ER  - \r\n"
)


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def triples(path: Path) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}


def test_export_reads_standard_input_as_it_reads_the_file(tmp_path: Path) -> None:
    from_file, from_stdin = tmp_path / "file", tmp_path / "stdin"
    assert run("export", str(RIS), "--out", str(from_file), "-q").exit_code == 0
    result = run("export", "-", "--out", str(from_stdin), stdin=RIS.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert "3 records read: 3 written, 0 rejected" in result.stderr
    # the same records; the input file is named "stdin" in the dataset description
    turtle = (from_stdin / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:title "stdin" ;' in turtle and RIS.name not in turtle
    assert len(triples(from_stdin / "graph.nt")) == len(triples(from_file / "graph.nt"))


def test_export_from_standard_input_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = run("export", "-", "--out", str(tmp_path / name), stdin=RIS.read_bytes())
        assert result.exit_code == 0, result.stderr
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "validation.txt", "merges.txt"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_problems_in_standard_input_name_it_with_the_line(tmp_path: Path) -> None:
    data = RIS.read_bytes().replace(b"DA  - 2014/03/12/", b"DA  - 2014/02/31/", 1)
    result = run("export", "-", "--from", "ris", "--out", str(tmp_path / "o"), stdin=data)
    assert result.exit_code == 0, result.stderr
    assert "<stdin>:8: record 1: warning: DA '2014/02/31/' is not a date" in result.stderr


def test_standard_input_can_be_named_once(tmp_path: Path) -> None:
    result = run("export", "-", "-", "--out", str(tmp_path / "o"), stdin=RIS.read_bytes())
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: '-' (standard input) is named more than once; it can be read once\n"
    )


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stdin-export") / "out"
    assert run("export", str(RIS), "--out", str(out), "-q").exit_code == 0
    return out


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld"])
def test_validate_reads_a_graph_from_standard_input(graph: Path, name: str) -> None:
    from_file = run("validate", str(graph / name))
    from_stdin = run("validate", "-", stdin=(graph / name).read_bytes())
    assert from_stdin.exit_code == from_file.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout


@pytest.mark.parametrize("name", ["graph.ttl", "graph.jsonld"])
def test_query_reads_a_graph_from_standard_input(graph: Path, name: str) -> None:
    args = ("--example", "first-authors", "--format", "csv")
    from_file = run("query", str(graph / name), *args)
    from_stdin = run("query", "-", *args, stdin=(graph / name).read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout and from_stdin.stdout.count("\n") > 1


def test_convert_reads_a_graph_from_standard_input(graph: Path) -> None:
    from_file = run("convert", str(graph / "graph.nt"), "--to", "bibtex")
    from_stdin = run("convert", "-", "--to", "bibtex", stdin=(graph / "graph.nt").read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout and "@article{" in from_stdin.stdout


def test_a_syntax_error_on_standard_input_names_it_and_the_line() -> None:
    result = run("validate", "-", stdin=b"<https://e.org/a> <https://e.org/b> .\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: <stdin>: ") and "line 1" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_windows_1252_file_is_refused_naming_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "endnote.ris"
    path.write_bytes(WINDOWS_RIS.encode("cp1252"))
    result = run("export", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}:2: not UTF-8 text (byte 0xfc at offset 19); it looks like "
        "Windows-1252: try --encoding cp1252\n"
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("stdin", [False, True])
def test_encoding_reads_a_windows_1252_file(tmp_path: Path, stdin: bool) -> None:
    path = tmp_path / "endnote.ris"
    path.write_bytes(WINDOWS_RIS.encode("cp1252"))
    out = tmp_path / "out"
    args = ("export", "-" if stdin else str(path), "--encoding", "cp1252", "--out", str(out))
    result = run(*args, stdin=path.read_bytes() if stdin else None)
    assert result.exit_code == 0, result.stderr
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert '"“Nothing about us without us” – peer work in Zürich"' in turtle
    assert '"Jürgen Müller"' in turtle


def test_a_latin_1_file_is_refused_naming_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "wos.ris"
    latin_1 = WINDOWS_RIS.replace("“", '"').replace("”", '"').replace("–", "-")
    path.write_bytes(latin_1.encode("latin-1"))
    result = run("export", str(path), "--out", str(tmp_path / "o"))
    assert result.stderr.endswith("it looks like Latin-1 or Windows-1252: try --encoding cp1252\n")


def test_a_wrong_encoding_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "endnote.ris"
    path.write_bytes(WINDOWS_RIS.encode("cp1252"))
    result = run("export", str(path), "--encoding", "ascii", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}:2: cannot decode as ascii (byte 0xfc at offset 19); is that its encoding?\n"
    )


def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    result = run("export", str(RIS), "--encoding", "klingon", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--encoding': unknown encoding")
    assert result.stderr.count("\n") == 1


def test_a_pdf_is_named_as_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "article.ris"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    for args in ((), ("--encoding", "cp1252"), ("--from", "ris")):
        result = run("export", str(path), *args, "--out", str(tmp_path / "o"))
        assert result.exit_code == 2
        assert result.stderr.startswith(
            f"Error: {path}: is a PDF document, not a bibliographic export; "
        ), result.stderr


def test_utf_8_mixed_with_latin_1_is_not_given_a_one_encoding_advice(tmp_path: Path) -> None:
    path = tmp_path / "pasted.ris"
    path.write_bytes(WINDOWS_RIS.encode("utf-8") + "AU  - Grün\r\n".encode("latin-1"))
    result = run("export", str(path), "--out", str(tmp_path / "o"))
    assert result.stderr.endswith(
        "it looks like UTF-8 mixed with another encoding (text pasted together?): correct that "
        "line, or save it as UTF-8\n"
    )


def test_the_library_reads_an_encoding_too(tmp_path: Path) -> None:
    import kg

    path = tmp_path / "endnote.ris"
    path.write_bytes(WINDOWS_RIS.encode("cp1252"))
    graph = kg.build_graph([path], encoding="cp1252")
    titles = {str(o) for o in graph.objects(None, None) if "Zürich" in str(o)}
    assert titles == {"“Nothing about us without us” – peer work in Zürich"}


@pytest.mark.parametrize(
    "command", [["validate"], ["query", "-e", "ASK {}"], ["convert", "--to", "ris"]]
)
def test_a_graph_in_windows_1252_or_a_pdf_is_named_so(tmp_path: Path, command: list[str]) -> None:
    graph = tmp_path / "graph.nt"
    graph.write_bytes('<https://e.org/a> <https://e.org/b> "Müller" .\n'.encode("cp1252"))
    result = run(command[0], str(graph), *command[1:])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {graph}: Parser error at line 1 ")
    assert result.stderr.endswith(
        "; RDF files are UTF-8 and this looks like Latin-1 or Windows-1252: convert it first "
        "(iconv -f cp1252 -t utf-8)\n"
    )
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    result = run(command[0], "-", *command[1:], stdin=pdf)
    assert result.exit_code == 2
    assert result.stderr == "Error: <stdin>: is a PDF document, not an RDF graph\n"


def test_each_run_reads_its_own_standard_input() -> None:
    import gc

    count = ("query", "-", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    for triples in (1, 2, 3, 2, 1):
        data = "".join(f"<https://e.org/{n}> <https://e.org/p> {n} .\n" for n in range(triples))
        result = run(*count, stdin=data.encode("utf-8"))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.split() == ["n", str(triples)]
        gc.collect()  # the last run's stream is gone: a new one may take its address

"""Habits of the command-line ecosystem kg keeps: one-line usage errors, an export folder that is
not mixed with other files, and a JSON summary for scripts (`--json`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import EXAMPLES

RIS = next(path for path in EXAMPLES if path.suffix == ".ris")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", str(RIS)], "Error: Missing option '--out' / '-o'. (see 'kg export --help')"),
        (["export", "--bogus"], "Error: No such option '--bogus'."),
        (["nosuch"], "Error: No such command 'nosuch'. (see 'kg --help')"),
        (["query", "--format", "xml"], "Error: Invalid value for '--format': 'xml' is not one of"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, _, stderr = run(*args)
    assert code == 2
    assert stderr.startswith(message) and stderr.count("\n") == 1, stderr


@pytest.mark.parametrize("out", ["-", ""])
def test_the_export_folder_is_never_standard_output_or_nothing(tmp_path: Path, out: str) -> None:
    code, _, stderr = run("export", str(RIS), "--out", out)
    assert code == 2
    assert "kg export writes a folder of files" in stderr and stderr.count("\n") == 1
    assert not Path("-").exists()


def test_a_folder_with_other_files_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter-1.docx").write_text("mine", encoding="utf-8")
    code, _, stderr = run("export", str(RIS), "--out", str(out))
    assert code == 2
    assert stderr == (
        f"Error: --out {out} holds files kg did not write (chapter-1.docx); export into a new or "
        "empty folder, or give --force to write beside them\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["chapter-1.docx"]  # nothing written
    code, _, _ = run("export", str(RIS), "--out", str(out), "--force", "-q")
    assert code == 0 and (out / "graph.ttl").is_file() and (out / "chapter-1.docx").is_file()


def test_an_earlier_export_may_be_replaced(tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert run("export", str(RIS), "--out", str(out), "-q")[0] == 0
    (out / ".graph.nt.abc123.tmp").write_text("left by a killed run", encoding="utf-8")
    assert run("export", str(RIS), "-o", str(out), "-q")[0] == 0  # kg's own files, and -o


def test_export_json_summary(tmp_path: Path) -> None:
    out = tmp_path / "export"
    code, stdout, _ = run("export", str(RIS), "--out", str(out), "--json", "-q")
    summary = json.loads(stdout)
    assert code == summary["exit_code"] == 0
    assert summary["records"] == {"read": 3, "written": 3, "rejected": 0}
    assert summary["triples"] == len((out / "graph.nt").read_text(encoding="utf-8").splitlines())
    assert summary["validation"]["conforms"] is True
    assert summary["validation"]["engine"] == "compiled"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert summary["files"] == written and "graph.jsonld" in written
    assert summary["seconds"] > 0 and summary["peak_memory_mb"] > 0


def test_rejected_records_win_over_nonconformance_and_both_are_said(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ris"
    text = RIS.read_text(encoding="utf-8").replace("SN  - ", "SN  - 0000-000", 1)  # a bad ISSN
    broken.write_text(text + "\nTI  - no type line\nER  - \n", encoding="utf-8")
    code, stdout, _ = run("export", str(broken), "--out", str(tmp_path / "out"), "--json", "-q")
    summary = json.loads(stdout)
    assert code == summary["exit_code"] == 2
    assert summary["records"]["rejected"] == 1 and summary["problems"]["error"] == 1
    assert summary["validation"]["conforms"] is False
    kinds = {(k["severity"], k["constraint"]) for k in summary["validation"]["results_by_kind"]}
    assert ("Violation", "PatternConstraintComponent") in kinds  # the ISSN's form


def test_validate_json_summary_replaces_the_report_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "export"
    run("export", str(RIS), "--out", str(out), "-q")
    code, stdout, _ = run("validate", str(out / "graph.ttl"), "--json", "-q")
    summary = json.loads(stdout)
    assert code == 0 and summary["command"] == "validate" and summary["conforms"] is True
    assert summary["violations"] == 0 and summary["engine"] == "compiled"


def test_shell_completion_comes_with_click() -> None:
    """docs/export-and-convert.md#shell-completion: `eval "$(_KG_COMPLETE=bash_source kg)"`."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "_KG_COMPLETE": "bash_source"}
    script = [sys.executable, "-c", "from kg.cli import main; main(prog_name='kg')"]
    source = subprocess.run(script, env=env, capture_output=True, text=True, check=True).stdout
    assert "_kg_completion()" in source and "complete " in source
    env = {**os.environ, "_KG_COMPLETE": "bash_complete", "COMP_WORDS": "kg exp", "COMP_CWORD": "1"}
    completed = subprocess.run(script, env=env, capture_output=True, text=True, check=True)
    assert "plain,export" in completed.stdout.splitlines()


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [("RPRT", "of a report"), ("GEN", "of a work of another kind"), ("THES", "of a thesis")],
)
def test_messages_say_a_kind_with_its_article(tmp_path: Path, kind: str, phrase: str) -> None:
    source = tmp_path / "one.ris"
    source.write_text(
        f"TY  - {kind}\nAU  - Repper, Julie\nTI  - Peer work\nPY  - 2012\n"
        "T2  - Peer Work Papers\nER  - \n",
        encoding="utf-8",
    )
    _, _, stderr = run("export", str(source), "--out", str(tmp_path / "out"))
    assert f"the venue 'Peer Work Papers' {phrase} has no ISSN" in stderr, stderr


def _ris_with_the_same_warning(tmp_path: Path, records: int) -> Path:
    """RIS records that each give the same warning (an impossible day, kept as its month)."""
    path = tmp_path / "same-warning.ris"
    path.write_text(
        "".join(
            f"TY  - JOUR\nAU  - Lovelace, Ada\nTI  - Notes on the engine, part {n}\n"
            "T2  - Journal of Engines\nDA  - 2014/02/31/\nER  - \n"
            for n in range(1, records + 1)
        ),
        encoding="utf-8",
    )
    return path


SAME_WARNING = "warning: DA '2014/02/31/' is not a date (2014-02-31 is not a day of the calendar)"


def test_the_same_warning_on_many_records_is_one_line_with_count_and_first_places(
    tmp_path: Path,
) -> None:
    path = _ris_with_the_same_warning(tmp_path, 40)
    code, _, stderr = run("export", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    lines = [line for line in stderr.splitlines() if SAME_WARNING in line]
    assert lines == [
        f"{SAME_WARNING}; kept 2014-02 (40 times: at {path}:5 record 1, {path}:11 record 2, "
        f"{path}:17 record 3 and 37 more; -v lists every one)"
    ]
    code, _, verbose = run("export", str(path), "--out", str(tmp_path / "out"), "-v")
    every = [line for line in verbose.splitlines() if SAME_WARNING in line]
    assert len(every) == 40 and every[39].startswith(f"{path}:239: record 40: warning: DA")
    code, _, quiet = run("export", str(path), "--out", str(tmp_path / "out"), "-q")
    assert code == 0 and quiet == ""


def test_a_warning_on_a_few_records_is_printed_for_each(tmp_path: Path) -> None:
    path = _ris_with_the_same_warning(tmp_path, 3)
    _, _, stderr = run("export", str(path), "--out", str(tmp_path / "out"))
    assert [line.split(": ", 1)[0] for line in stderr.splitlines() if SAME_WARNING in line] == [
        f"{path}:5",
        f"{path}:11",
        f"{path}:17",
    ]


def test_validation_results_of_one_kind_are_summed_up_once(tmp_path: Path) -> None:
    from tests.page_builder import PageRecord, page

    path = tmp_path / "page.txt"
    path.write_text(page(*(PageRecord(date=f"{n} June 2012") for n in range(1, 21))), "utf-8")
    out = tmp_path / "out"
    code, _, stderr = run("export", str(path), "--out", str(out))
    assert code == 0, stderr
    no_title = "schema:name: The work has no title (schema:name); the source did not give one."
    summary = [line for line in stderr.splitlines() if no_title in line]
    assert len(summary) == 1 and summary[0].startswith(f"  20 warning(s): {no_title} [MinCount]")
    assert summary[0].endswith("; first at page.txt:4, page.txt:29, page.txt:54 and 17 more")
    report = (out / "validation.txt").read_text(encoding="utf-8").splitlines()
    assert report[:5] == [
        "Conforms: 0 violation(s), 20 warning(s), in 20 place(s).",
        "",
        "By kind:",
        f"  20 warning(s): {no_title} [MinCount]",
        "    first at page.txt:4, page.txt:29, page.txt:54 and 17 more",
    ]
    assert sum(line == f"  warning: {no_title} [MinCount]" for line in report) == 20
    _, _, verbose = run("export", str(path), "--out", str(out), "-v")
    assert sum(line == f"  warning: {no_title} [MinCount]" for line in verbose.splitlines()) == 20


@pytest.mark.parametrize(
    ("command", "required"),
    [
        ("export", ["--out", "never-written"]),
        ("validate", []),
        ("query", ["--example", "first-authors"]),
        ("load", ["--store", "never-written"]),
        ("serve", []),
        ("convert", ["--to", "ris"]),
    ],
)
def test_every_command_takes_quiet_and_verbose(command: str, required: list[str]) -> None:
    _, help_text, _ = run(command, "--help")
    assert "-q, --quiet" in help_text and "-v, --verbose" in help_text
    code, _, stderr = run(command, "-q", "-v", str(RIS), *required)
    assert code == 2
    assert stderr.startswith("Error: give -q (--quiet) or -v (--verbose), not both")


def test_convert_query_and_load_say_more_with_verbose_and_nothing_with_quiet(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert run("export", str(RIS), "--out", str(out), "-q")[0] == 0
    graph = str(out / "graph.nt")
    commands = {
        "convert": ["convert", graph, "--to", "ris", "-o", str(tmp_path / "works.ris")],
        "query": ["query", graph, "--example", "first-authors"],
        "load": ["load", graph, "--store", str(tmp_path / "store")],
    }
    for name, args in commands.items():
        code, _, quiet = run(*args, "-q")
        assert code == 0 and quiet == "", (name, quiet)
        code, _, verbose = run(*args, "-v")
        assert code == 0 and re.search(r"^finished in \d+\.\d s", verbose, re.M), (name, verbose)
    _, _, default = run(*commands["convert"])
    assert default == f"3 works written as ris to {tmp_path / 'works.ris'}\n"
    _, _, verbose = run(*commands["convert"], "-v")
    assert re.search(r"^reading works: 3 in \d+\.\d s", verbose, re.M), verbose


def test_a_missing_choice_option_is_one_line_naming_the_choices() -> None:
    code, _, stderr = run("convert", str(RIS))
    assert code == 2
    assert stderr == (
        "Error: Missing option '--to'. Choose from: ris, bibtex, csl-json (see 'kg convert "
        "--help')\n"
    )

"""How the command line ends: one line and an exit code of its own for every kind of failure.

0 conforms, 1 does not conform, 2 input, usage, shapes or store error (pySHACL's codes), 70 a bug in
kg (EX_SOFTWARE), 130 interrupted. A bug must never look like "does not conform" or "bad input".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import IriError, KgError, LocalStoreError, RemoteStoreError, ShapesError, StoreError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "peer-support.ris"


def _break_the_mapping(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("kg.engines.streaming.map_works", broken)


def test_an_unexpected_exception_is_an_internal_error_with_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_the_mapping(monkeypatch, KeyError("Background"))
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 70
    assert result.stderr == (
        "internal error: KeyError: 'Background'; please report it "
        "(run again with kg --debug for the traceback)\n"
    )
    assert "Traceback" not in result.output


def test_debug_prints_the_traceback_of_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_the_mapping(monkeypatch, ZeroDivisionError("division by zero"))
    args = ["--debug", "export", str(EXAMPLE), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert result.stderr.endswith(
        "please report it (run again with kg --debug for the traceback)\n"
    )


def test_an_interrupted_run_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _break_the_mapping(monkeypatch, KeyboardInterrupt())
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"


def test_an_error_of_the_kg_tree_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_the_mapping(monkeypatch, ShapesError("shapes/x.ttl: not Turtle"))
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == "Error: shapes/x.ttl: not Turtle\n"


def test_errors_form_one_tree_and_the_two_stores_are_told_apart() -> None:
    for error in (IriError, ShapesError, LocalStoreError, RemoteStoreError):
        assert issubclass(error, KgError)
    assert issubclass(LocalStoreError, StoreError) and issubclass(RemoteStoreError, StoreError)
    assert not issubclass(LocalStoreError, RemoteStoreError)
    assert not issubclass(IriError, ValueError)  # the CLI need not know ValueErrors one by one

"""The export folder is replaced as a whole: a reader sees the previous export or the new one,
never a mix, whatever stops the run (an error, Ctrl-C, SIGKILL), and no temporary file or
folder outlives the next run."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.engines.local
from benchmarks.synthetic import write_ris
from kg.cli import main
from kg.engines.folder import clean_leftovers, staged_export_folder
from kg.errors import UsageError
from kg.resolve.register import REGISTER_FILE
from tests.conftest import ROOT

RIS = ROOT / "examples" / "peer-support.ris"
BIB = ROOT / "examples" / "peer-support.bib"
EPOCH = {"SOURCE_DATE_EPOCH": "1764028800"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by its relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def beside(folder: Path) -> list[str]:
    """The names in ``folder``'s parent other than the folder itself (what a run left)."""
    return sorted(entry.name for entry in folder.parent.iterdir() if entry != folder)


def export(inputs: list[Path], out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["export", *map(str, inputs), "--out", str(out), "--quiet", *args]
    )
    return result.exit_code, result.stderr


@pytest.fixture
def previous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An export folder holding the export of the bundled RIS file, in a folder of its own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    out = tmp_path / "exports" / "out"
    assert export([RIS], out)[0] in (0, 1)
    return out


def test_a_failing_export_leaves_the_previous_one_whole(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graph files were written when the example queries failed: none of them shows."""
    before = snapshot(previous)

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "queries/x.csv")

    monkeypatch.setattr(kg.engines.local, "write_example_results", full_disk)
    code, stderr = export([BIB], previous)
    assert (code, stderr) == (2, "Error: queries/x.csv: No space left on device\n")
    assert snapshot(previous) == before
    assert beside(previous) == []


def test_ctrl_c_leaves_the_previous_export_whole(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(previous)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.engines.local, "write_example_results", interrupted)
    code, _ = export([BIB], previous)
    assert code == 130
    assert snapshot(previous) == before
    assert beside(previous) == []


def test_nothing_of_the_previous_export_outlives_the_new_one(previous: Path) -> None:
    """Files kg writes that this export does not (a temporary file of a killed write, an
    earlier Dask export's parts, a query no longer shipped) go with the previous export."""
    leftovers = [".graph.nt.abc123.tmp", "graph-part-00003.nt", "queries/retired.rq"]
    for name in leftovers:
        (previous / name).write_text("<urn:x:old> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    fresh = previous.parent / "fresh"
    assert export([BIB], fresh)[0] in (0, 1)
    assert export([BIB], previous)[0] in (0, 1)

    # But for the identifier register, carried on by design: it remembers the IRIs the previous
    # export published too.
    def published(folder: Path) -> int:
        with sqlite3.connect(folder / REGISTER_FILE) as register:
            (count,) = register.execute("SELECT COUNT(*) FROM iri").fetchone()
        return int(count)

    assert published(previous) > published(fresh) > 0
    kept, new = snapshot(previous), snapshot(fresh)
    del kept[REGISTER_FILE], new[REGISTER_FILE]
    assert kept == new


def test_files_kg_did_not_write_are_kept_with_force(previous: Path) -> None:
    (previous / "notes.txt").write_text("mine\n", encoding="utf-8")
    (previous / "drafts").mkdir()
    (previous / "drafts" / "chapter.md").write_text("draft\n", encoding="utf-8")
    (previous / "queries" / "mine.txt").write_text("my query notes\n", encoding="utf-8")
    (previous / "link").symlink_to("notes.txt")
    inode = (previous / "notes.txt").stat().st_ino
    assert export([BIB], previous)[0] == 2  # refused without --force
    assert export([BIB], previous, "--force")[0] in (0, 1)
    assert (previous / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (previous / "notes.txt").stat().st_ino == inode  # the same file, not a copy
    assert (previous / "drafts" / "chapter.md").read_text(encoding="utf-8") == "draft\n"
    assert (previous / "queries" / "mine.txt").read_text(encoding="utf-8") == "my query notes\n"
    assert (previous / "link").readlink() == Path("notes.txt")
    assert (previous / "graph.ttl").is_file()
    assert beside(previous) == []


def test_a_new_folder_gets_the_mode_of_a_plain_mkdir(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with staged_export_folder(tmp_path / "new") as staging:
        (staging / "graph.nt").write_text("", encoding="utf-8")
    assert (tmp_path / "new").stat().st_mode == plain.stat().st_mode
    assert (tmp_path / "new" / "graph.nt").is_file()


def test_a_symbolic_link_to_the_folder_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with staged_export_folder(tmp_path / "link") as staging:
        (staging / "graph.nt").write_text("new\n", encoding="utf-8")
    assert (tmp_path / "link").is_symlink()
    assert (real / "graph.nt").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_the_current_folder_cannot_be_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")
    for folder in (Path(), tmp_path):
        with pytest.raises(UsageError, match="cannot be the current folder or hold it"):
            clean_leftovers(folder)
    code, stderr = export([RIS], Path(), "--force")
    assert code == 2
    assert stderr == (
        "Error: --out .: kg export replaces the folder as a whole, so it cannot be the current "
        "folder or hold it; name another folder\n"
    )
    assert list((tmp_path / "out").iterdir()) == []


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_what_killed_runs_left_is_cleaned_up(previous: Path) -> None:
    before = snapshot(previous)
    pid = dead_pid()
    staging = previous.parent / f".out.kg-staging-{pid}-abc_12"
    staging.mkdir()
    (staging / "graph.ttl").write_text("half\n", encoding="utf-8")
    trash = previous.parent / f".out.kg-trash-{pid}-def_34"
    shutil.copytree(previous, trash)
    unrelated = previous.parent / ".other.kg-staging-1-x"  # another folder's: not ours to judge
    unrelated.mkdir()
    assert clean_leftovers(previous) == [staging, trash]
    assert beside(previous) == [".other.kg-staging-1-x"]
    assert snapshot(previous) == before


def test_a_run_killed_in_the_middle_of_its_swap_gets_the_previous_export_back(
    previous: Path,
) -> None:
    """Killed between its two renames: the previous export set aside, the new one staged."""
    before = snapshot(previous)
    pid = dead_pid()
    previous.rename(previous.parent / f".out.kg-old-{pid}-abc_12")
    staged = previous.parent / f".out.kg-staging-{pid}-abc_12"
    staged.mkdir()
    (staged / "graph.ttl").write_text("new\n", encoding="utf-8")
    clean_leftovers(previous)
    assert snapshot(previous) == before
    assert beside(previous) == []


def test_a_running_export_keeps_its_staging_folder(previous: Path) -> None:
    """A lock held by a live process marks its staging folder as in use."""
    staging = previous.parent / f".out.kg-staging-{os.getpid()}-live_1"
    staging.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(staging)!r}, os.O_RDONLY)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert clean_leftovers(previous) == []
        assert staging.is_dir()
    finally:
        holder.kill()
        holder.wait()
    assert clean_leftovers(previous) == [staging]


# --- SIGKILL at any moment (the slow set) -------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_an_export_killed_at_any_moment_leaves_the_old_or_the_new_one(
    tmp_path: Path, engine: str
) -> None:
    if engine == "dask":
        pytest.importorskip("distributed")
    old_input, new_input = tmp_path / "old.ris", tmp_path / "new.ris"
    write_ris(old_input, 1500, seed=1)
    write_ris(new_input, 1500, seed=2)
    engine_args = ["--engine", engine] if engine == "dask" else []

    def run(inputs: list[Path], out: Path) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "kg", "export", *map(str, inputs), "--out", str(out)]
        return subprocess.Popen(
            [*command, "--quiet", "--workers", "1", *engine_args],
            env={**os.environ, **EPOCH},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def files(folder: Path) -> dict[str, bytes]:
        """The export but its register: carried from the old export into the new by design,
        so the new one's holds more than a fresh export's; it must be whole, though."""
        state = snapshot(folder)
        if state.pop(REGISTER_FILE, None) is not None:
            with sqlite3.connect(folder / REGISTER_FILE) as register:
                assert register.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return state

    references = {}
    for name, source in (("old", old_input), ("new", new_input)):
        started = time.monotonic()
        assert run([source], tmp_path / name).wait() in (0, 1)
        references[name] = files(tmp_path / name)
        duration = time.monotonic() - started
    assert references["old"] != references["new"]
    out = tmp_path / "target" / "out"
    shutil.copytree(tmp_path / "old", out)
    seen = set()
    for step in range(1, 12):
        child = run([new_input], out)
        time.sleep(duration * step / 10)
        child.send_signal(signal.SIGKILL)
        child.wait()
        state = files(out)
        assert state in references.values(), sorted(set(state) ^ set(references["old"]))
        seen.add("new" if state == references["new"] else "old")
        if state == references["new"]:  # start again from the old export
            shutil.rmtree(out)
            shutil.copytree(tmp_path / "old", out)
    assert "old" in seen  # the kills did land before the end
    assert run([new_input], out).wait() in (0, 1)
    assert files(out) == references["new"]
    assert beside(out) == []

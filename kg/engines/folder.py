"""The export folder: the files kg writes there, and no mixing them with files of other origins.

An export writes a fixed set of names (the local engine: the graph in three syntaxes, the
validation report, the merge report, queries/ and report.html; the Dask engine: graph-part-*.nt and
graph-description.nt). A folder that already holds anything else is someone's: kg refuses it
unless told to write beside it (``--force``), so no export is silently mixed with other files.

An export is written into a staging folder beside the export folder and swapped in as a whole
at the end (:func:`staged_export_folder`), so no reader sees half an export or a mix of two.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import UsageError

LOCAL_FILES = frozenset(
    {"graph.ttl", "graph.jsonld", "context.jsonld", "graph.nt", "validation.ttl", "validation.txt",
     "merges.txt", "report.html", "register.sqlite", "dataset.ttl"}
)  # fmt: skip
FORMAT_FILES = {"ttl": "graph.ttl", "jsonld": "graph.jsonld", "nt": "graph.nt"}  # --formats
QUERIES_FOLDER = "queries"  # each example query (.rq) beside its answers (.csv)
DESCRIPTION_FILE = "graph-description.nt"  # the Dask engine's dataset description
PART_FILE = re.compile(r"graph-part-(\d{5})\.nt\Z")  # the Dask engine's partitions
# What kg.core.atomic leaves behind when a run is killed mid-write: ".graph.nt.<random>.tmp".
_LEFT_BY_A_KILLED_WRITE = re.compile(r"\.[\w.-]+\.[\w]+\.tmp\Z")


def part_file(index: int) -> str:
    return f"graph-part-{index:05d}.nt"


def foreign_files(folder: Path) -> list[str]:
    """The names in ``folder`` that no kg export writes (sorted; empty if there is no folder)."""
    if not folder.is_dir():
        return []
    foreign = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if entry.is_dir():
            if name != QUERIES_FOLDER:
                foreign.append(f"{name}/")
            else:
                foreign.extend(
                    f"{name}/{inner.name}" for inner in sorted(entry.iterdir())
                    if inner.suffix not in (".rq", ".csv") and not _kg_leftover(inner.name)
                )  # fmt: skip
        elif not _written_by_kg(name):
            foreign.append(name)
    return foreign


def check_export_folder(folder: Path, force: bool = False) -> None:
    """Raise UsageError unless ``folder`` is new, empty, or holds only what kg writes (or
    ``force``). A file where the folder should be is refused too."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: a file, not a folder")
    foreign = foreign_files(folder)
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise UsageError(
            f"--out {folder} holds files kg did not write ({shown}); export into a new or empty "
            "folder, or give --force to write beside them"
        )


def check_register_outside(folder: Path, register: Path | None) -> None:
    """Raise UsageError when ``--register FILE`` is inside the export folder: the folder is
    replaced as a whole, so a register kept there by name would go with the previous export
    (the default register, register.sqlite in the folder, is carried over instead)."""
    if register is None:
        return
    inside = register.resolve(strict=False)
    if folder.resolve(strict=False) in inside.parents:
        raise UsageError(
            f"--register {register}: keep a shared register outside the export folder, which "
            "each export replaces as a whole (without --register, the export keeps its own "
            "register.sqlite there and carries it over)"
        )


def _written_by_kg(name: str) -> bool:
    return (
        name in LOCAL_FILES
        or name == DESCRIPTION_FILE
        or PART_FILE.match(name) is not None
        or _kg_leftover(name)
    )


def _kg_leftover(name: str) -> bool:
    return _LEFT_BY_A_KILLED_WRITE.match(name) is not None


# Beside the export folder NAME while an export runs: ".NAME.kg-staging-PID-RANDOM" (the new
# export being written), ".NAME.kg-old-PID-RANDOM" (the previous export, for the moment of the
# swap) and ".NAME.kg-trash-PID-RANDOM" (the previous export, being removed).
_SIBLING = re.compile(r"\.(?P<name>.+)\.kg-(?P<kind>staging|old|trash)-(?P<pid>\d+)-\w+\Z")


@contextlib.contextmanager
def staged_export_folder(folder: Path) -> Iterator[Path]:
    """A fresh, empty staging folder beside ``folder`` to write an export into; when the block
    ends without an exception, the staging folder takes the place of ``folder`` as a whole.

    A reader of ``folder`` sees the previous export or the new one, never a mix: the swap is two
    renames (the previous export aside, the staging folder in its place), and a run killed
    between them leaves the previous export aside, whole, for the next run to put back. Files
    of the previous folder that kg did not write (kept there with ``--force``) are carried
    into the new one as hard links (copies where the file system has none); what kg wrote there
    is replaced, so nothing of an earlier export (graph-part files beyond this export's count, a
    merges.txt the Dask engine does not write, a temporary file) outlives it. An exception
    (Ctrl-C included) removes the staging folder and leaves ``folder`` as it was. Staging and
    previous folders left beside ``folder`` by runs that were killed are cleaned up first; a
    run that is still going keeps its own (each run holds a lock on its folders).
    """
    target = _real_folder(folder)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.kg-staging-{os.getpid()}-", dir=parent))
    held = _hold(staging)
    try:
        staging.chmod(_mode_of(target))
        _carry_foreign_files(target, staging)
        yield staging
        _swap_in(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        renamed = _as_in(error, staging, folder)
        if renamed is None:
            raise
        raise renamed from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _release(held)


def _as_in(error: OSError, staging: Path, target: Path) -> OSError | None:
    """``error`` naming the file of the export folder the user named rather than its twin in
    the staging folder (a full disk names the file kg was writing); None if it names no file
    of the staging folder."""
    if not isinstance(error.filename, str | bytes):
        return None
    named = Path(os.fsdecode(error.filename))
    if named != staging and staging not in named.parents:
        return None
    return OSError(error.errno, error.strerror, str(target / named.relative_to(staging)))


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what killed runs left beside ``folder`` (staging folders, a previous export set
    aside); if a run was killed in the middle of its swap, put the previous export back first.
    Returns the paths removed or put back."""
    target = _real_folder(folder)
    if not target.parent.is_dir():
        return []
    leftovers = []
    for entry in sorted(target.parent.iterdir()):
        match = _SIBLING.match(entry.name)
        if match and match.group("name") == target.name and entry.is_dir():
            kind = match.group("kind")
            leftovers.append((kind != "old", entry.name, kind, entry, int(match.group("pid"))))
    cleaned = []
    for _, _, kind, entry, pid in sorted(leftovers):  # the previous export first: it may go back
        held = _hold_if_abandoned(entry, pid)
        if held is None:
            continue  # a run that is still going
        try:
            if kind == "old" and not _exists(target):
                entry.rename(target)  # killed between the two renames of its swap
            else:
                shutil.rmtree(entry, ignore_errors=True)
        finally:
            _release(held)
        cleaned.append(entry)
    return cleaned


def _swap_in(staging: Path, target: Path) -> None:
    suffix = staging.name.rsplit(".kg-staging-", 1)[1]
    aside = target.parent / f".{target.name}.kg-old-{suffix}"
    trash = target.parent / f".{target.name}.kg-trash-{suffix}"
    _fsync_tree(staging)
    with _locked(target.parent):  # one swap at a time beside this folder
        held = _hold(target) if _exists(target) else None  # held aside: no one else removes it
        try:
            if held is not None:
                target.rename(aside)
            try:
                staging.rename(target)
            except BaseException:
                if held is not None:
                    aside.rename(target)
                raise
            _fsync(target.parent)
            if held is not None:
                aside.rename(trash)  # never put back now that the new export is in place
        finally:
            _release(held)
    shutil.rmtree(trash, ignore_errors=True)


def _real_folder(folder: Path) -> Path:
    """``folder`` made absolute, through a symbolic link to a folder (the link stays)."""
    absolute = Path(os.path.normpath(folder.absolute()))
    real = absolute.resolve() if absolute.is_symlink() else absolute
    if real.parent == real:
        raise UsageError(f"--out {folder}: a file system's root cannot be an export folder")
    here = Path.cwd().resolve()
    if here == real.resolve() or real.resolve() in here.parents:
        raise UsageError(
            f"--out {folder}: kg export replaces the folder as a whole, so it cannot be the "
            "current folder or hold it; name another folder"
        )
    return real


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _mode_of(target: Path) -> int:
    if target.is_dir():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _carry_foreign_files(target: Path, staging: Path) -> None:
    for name in foreign_files(target):
        source, destination = target / name.rstrip("/"), staging / name.rstrip("/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, destination, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(source), str(destination))


def _link_or_copy(source: str, destination: str) -> None:
    if Path(source).is_symlink():
        Path(destination).symlink_to(Path(source).readlink())
        return
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination)


def _hold(folder: Path) -> int:
    """A lock on ``folder`` that lasts as long as this process (or until released)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    with contextlib.suppress(OSError):  # a file system without locks: the pid check remains
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor


def _release(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)  # and with it the lock


def _hold_if_abandoned(folder: Path, pid: int) -> int | None:
    """A lock on ``folder`` when the run that made it is gone, else None."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None  # its run holds it
    except OSError:  # no locks here: whether the process is still running decides
        if _running(pid):
            os.close(descriptor)
            return None
    return descriptor


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _fsync_tree(folder: Path) -> None:
    """Every folder of the new export on disk before it takes the old one's place (the files
    were synced as they were written)."""
    for root, _, _ in os.walk(folder):
        _fsync(Path(root))


def _fsync(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

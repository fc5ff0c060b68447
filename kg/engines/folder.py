"""The export folder: the files kg writes there, and no mixing them with files of other origins.

An export writes a fixed set of names (the local engine: the graph in three syntaxes, the
validation report, the merge report, queries/ and report.html; the Dask engine: graph-part-*.nt and
graph-description.nt). A folder that already holds anything else is someone's: kg refuses it
unless told to write beside it (``--force``), so no export is silently mixed with other files.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import UsageError

LOCAL_FILES = frozenset(
    {"graph.ttl", "graph.jsonld", "graph.nt", "validation.ttl", "validation.txt", "merges.txt",
     "report.html"}
)  # fmt: skip
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


def _written_by_kg(name: str) -> bool:
    return (
        name in LOCAL_FILES
        or name == DESCRIPTION_FILE
        or PART_FILE.match(name) is not None
        or _kg_leftover(name)
    )


def _kg_leftover(name: str) -> bool:
    return _LEFT_BY_A_KILLED_WRITE.match(name) is not None

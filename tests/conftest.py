from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import oxigraph_server, virtuoso_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "peer-support-search.txt"  # the page: the reader's own example
# The bundled example, in command-line order (the first input wins a conflict): the page and
# exports of some of the same works in every other format kg reads.
EXAMPLES = (
    EXAMPLE,
    ROOT / "examples" / "peer-support.ris",
    ROOT / "examples" / "peer-support.bib",
    ROOT / "examples" / "peer-support.nbib",
    ROOT / "examples" / "peer-support-csl.json",
    ROOT / "examples" / "peer-support-crossref.json",
)
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "samples" / "emerald-search-peer-support.txt"
FIXED_EPOCH = "1764028800"  # 2025-11-25T00:00:00Z, the bundled example's export time


@pytest.fixture
def sample_page() -> Path:
    """The publisher's sample page: someone else's text, read in place, never copied."""
    if not SAMPLE.is_file():
        pytest.skip(f"the shared sample page is not here ({SAMPLE}); it lives outside the repo")
    return SAMPLE


REAL_INPUTS = SHARED / "real-inputs"


def real_input(relative: str) -> Path:
    """A real export under ../shared/real-inputs (someone else's file, read in place, never
    copied); the test skips with the reason when the shared folder is not beside the project."""
    path = REAL_INPUTS / relative
    if not path.is_file():
        pytest.skip(f"the shared real input is not here ({path}); it lives outside the repo")
    return path


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    yield


@contextlib.contextmanager
def fixed_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for a block, for fixtures wider than one test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        yield


@pytest.fixture(scope="session")
def example_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example exported once for the whole session (read-only for tests)."""
    from kg.engines.local import export
    from kg.map.pipeline import ExportOptions

    out = tmp_path_factory.mktemp("example-export")
    with fixed_epoch():
        export(list(EXAMPLES), out, ExportOptions())
    return out

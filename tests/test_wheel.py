"""The wheel built from the repository ships shapes/, vocab/ and the queries, and works from
any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, FIXED_EPOCH

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (found,) = dist.glob("kg-*.whl")
    return found


def test_wheel_carries_the_shipped_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_shipped/shapes/works.ttl" in names
    assert "kg/_shipped/vocab/kg.ttl" in names
    assert "kg/_shipped/vocab/context.jsonld" in names
    assert "kg/query/examples/prolific-authors.rq" in names
    assert "kg/py.typed" in names
    assert "kg/report/templates/report.html.j2" in names
    assert "kg/report/templates/style.css.j2" in names


def test_installed_wheel_exports_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    # The test environment's packages (rdflib, pySHACL ...) serve the new environment through a
    # .pth file, so no download is needed; the wheel's kg, installed into the new environment's
    # own site-packages, comes first on its path. The checkout is never on it.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = subprocess.run([str(python), "-c", where],
                          check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    borrowed = [p for p in sys.path if p.endswith("site-packages")]
    (Path(site) / "borrowed-test-deps.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = subprocess.run(
        [str(python), "-c", "import kg.core.resources as r; print(r.shapes_dir())"],
        check=True, capture_output=True, text=True, cwd=elsewhere,
    )  # fmt: skip
    assert located.stdout.strip().startswith(str(env_dir))
    result = subprocess.run(
        [str(env_dir / "bin" / "kg"), "export", *map(str, EXAMPLES), "--out", "export"],
        capture_output=True, text=True, cwd=elsewhere,
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "export" / "graph.ttl").is_file()
    assert (elsewhere / "export" / "queries" / "first-authors.csv").is_file()
    # the report, from the wheel's templates: the same bytes as the checkout's
    exported = (elsewhere / "export" / "report.html").read_bytes()
    assert exported == (ROOT / "output" / "report.html").read_bytes()

"""The package's folders are the data flow's stages; a stage imports only the stages below it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [name for layer in contract["layers"] for name in re.split(r"\s*\|\s*", layer)]


def test_every_stage_of_the_package_is_in_the_layering_contract() -> None:
    """A new folder or top-level module cannot escape the contract by not being named in it."""
    package = ROOT / "kg"
    stages = {f"kg.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    stages |= {f"kg.{p.stem}" for p in package.glob("*.py") if not p.stem.startswith("__")}
    assert stages == set(_layers())


def test_no_stage_imports_a_stage_above_it() -> None:
    lint_imports = shutil.which("lint-imports") or str(
        Path(sys.executable).with_name("lint-imports")
    )
    if not Path(lint_imports).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [lint_imports, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout

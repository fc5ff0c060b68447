"""Byte-identical output across runs and hash seeds, checked in separate processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, FIXED_EPOCH

pytestmark = pytest.mark.slow


def export_digests(out: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    subprocess.run(
        [sys.executable, "-m", "kg", "export", *map(str, EXAMPLES), "--out", str(out), "--quiet"],
        check=True, env=env, cwd=out.parent,
    )  # fmt: skip
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*")) if p.is_file()
    }  # fmt: skip


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    first = export_digests(tmp_path / "a", "0")
    second = export_digests(tmp_path / "b", "4242")
    third = export_digests(tmp_path / "c", "random")
    assert first == second == third
    assert len(first) >= 5 + 2 * 8


def test_committed_output_matches_a_fresh_export(tmp_path: Path) -> None:
    committed = Path(__file__).resolve().parent.parent / "output"
    if not (committed / "graph.ttl").is_file():
        pytest.fail(
            "output/ has no export of the bundled example; run the README's regenerate step"
        )
    fresh = export_digests(tmp_path / "fresh", "1")
    on_disk = {
        p.relative_to(committed).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(committed.rglob("*")) if p.is_file()
    }  # fmt: skip
    assert fresh == on_disk

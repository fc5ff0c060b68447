"""Coverage-guided fuzzing of kg's readers with atheris (libFuzzer), run by hand, never by pytest.

The fuzzer's bytes are written to a file and exported in-process as ``kg export --from READER``
would: read -> resolve -> map -> write (Turtle, JSON-LD, N-Triples, parsed back strictly) ->
validate, with the checks of ``tests/fuzz/in_process.py``. A ``KgError`` (a whole input refused)
is expected; any other exception, or a failed check, is a finding.

Usage, from the repository's root (``pip install atheris`` into the virtualenv first)::

    python tests/fuzz/fuzz_readers.py READER [OPTIONS] [libFuzzer flags] [CORPUS_DIR | FILE ...]

    python tests/fuzz/fuzz_readers.py ris -max_total_time=300        # five minutes on RIS
    python tests/fuzz/fuzz_readers.py bibtex -runs=100000 -timeout=20
    python tests/fuzz/fuzz_readers.py ris /tmp/fuzz-findings/ris/ValueError-*.bin    # run again
    python tests/fuzz/fuzz_readers.py ris --minimize /tmp/fuzz-findings/ris/ValueError-1a2b.bin

READER is a name ``kg export --from`` takes (search-page, ris, bibtex, medline, csl-json,
crossref), or ``detect`` for the format detected from the content, as ``kg export`` does.

With no CORPUS_DIR the corpus is ``/tmp/kg-fuzz-corpus/READER/``, seeded from ``examples/`` (the
reader's example whole, and each of its blank-line-separated blocks) and grown by libFuzzer.
A FILE runs that one input and prints what it gives.

Options (before or after the libFuzzer flags, which start with a single dash):

``--findings=DIR``
    where findings go (default ``/tmp/fuzz-findings/READER/``): each distinct crash (exception
    type and the line it came from) once, as ``TYPE-HASH.bin`` with its traceback beside it in
    ``TYPE-HASH.txt``. The fuzzer keeps going after a finding.
``--stop``
    stop at the first finding instead, libFuzzer's way (it writes ``crash-…`` in the current
    folder).
``--minimize FILE``
    shrink a finding to the smallest input that still raises the same exception from the same
    line (lines first, then characters), and write it beside FILE as ``….min.bin``.

libFuzzer prints ``cov:`` (code edges covered) and ``ft:`` (features) as it goes, and at the end
the executions (``Done N runs in S second(s)``). Useful flags: ``-max_total_time=SECONDS``,
``-runs=N``, ``-timeout=SECONDS`` (a slower input is a finding), ``-max_len=BYTES``,
``-print_final_stats=1``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEEDS = {
    "search-page": ["peer-support-search.txt"],
    "ris": ["peer-support.ris"],
    "bibtex": ["peer-support.bib"],
    "medline": ["peer-support.nbib"],
    "csl-json": ["peer-support-csl.json"],
    "crossref": ["peer-support-crossref.json"],
}
SEEDS["detect"] = [name for names in SEEDS.values() for name in names]
USAGE = f"usage: {sys.argv[0]} READER [--findings=DIR] [--stop] [--minimize FILE] [libFuzzer flags]"
USAGE += f" [CORPUS_DIR | FILE ...]\nREADER: {', '.join(SEEDS)}"

os.environ.setdefault("SOURCE_DATE_EPOCH", "1764028800")  # the same graph for the same bytes
sys.path.insert(0, str(ROOT))  # `tests` and `kg` from this checkout


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in SEEDS:
        print(USAGE, file=sys.stderr)
        return 2
    reader, rest = argv[1], argv[2:]
    findings = Path(f"/tmp/fuzz-findings/{reader}")
    stop, minimize = False, None
    passed: list[str] = []
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--findings="):
            findings = Path(arg.split("=", 1)[1])
        elif arg == "--stop":
            stop = True
        elif arg == "--minimize" and rest:
            minimize = Path(rest.pop(0))
        elif arg.startswith("--"):
            print(f"unknown option {arg}\n{USAGE}", file=sys.stderr)
            return 2
        else:
            passed.append(arg)

    import atheris

    # Instrument kg alone (its readers and every stage after them) for coverage; rdflib,
    # pyoxigraph and pySHACL run uninstrumented.
    with atheris.instrument_imports(include=["kg", "tests.fuzz.in_process"]):
        _import_stages()
        from tests.fuzz.in_process import Pipeline, shapes_compiled_once

    path = _input_file()
    pipeline = Pipeline()
    input_format = None if reader == "detect" else reader

    def run(data: bytes) -> None:
        path.write_bytes(data)
        pipeline.run([path], input_format)

    if minimize is not None:
        with shapes_compiled_once():
            return _minimize(minimize, run)

    seen: set[str] = set()

    def test_one_input(data: bytes) -> None:
        if stop:
            run(data)
            return
        try:
            run(data)
        except Exception as error:  # a finding: anything but KgError (caught in Pipeline.run)
            _record(findings, seen, data, error)

    if not any(not arg.startswith("-") for arg in passed):
        passed.append(str(_seeded_corpus(reader)))
    with shapes_compiled_once():
        atheris.Setup([argv[0], *passed], test_one_input)
        atheris.Fuzz()  # libFuzzer exits the process when it is done
    return 0


def _input_file() -> Path:
    """The file each input is written to, one per fuzzing process (libFuzzer's ``-jobs`` runs
    several); libFuzzer ends the process without Python's clean-up, so files of processes gone
    are removed here."""
    folder = Path(tempfile.gettempdir()) / "kg-fuzz-inputs"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("input-*"):
        try:
            os.kill(int(old.name.removeprefix("input-")), 0)
        except (ValueError, ProcessLookupError):
            old.unlink(missing_ok=True)
        except OSError:  # alive, someone else's
            pass
    return folder / f"input-{os.getpid()}"


def _import_stages() -> None:
    """Every module of the stages an export runs, so that atheris instruments them all (some are
    imported inside functions, on first use)."""
    import importlib
    import pkgutil

    import kg

    skip = ("kg.__main__", "kg.cli", "kg.stores", "kg.engines.dask", "kg.cite")
    for module in pkgutil.walk_packages(kg.__path__, "kg."):
        if not module.name.startswith(skip):
            importlib.import_module(module.name)


def _seeded_corpus(reader: str) -> Path:
    corpus = Path(f"/tmp/kg-fuzz-corpus/{reader}")
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for name in SEEDS[reader]:
            data = (EXAMPLES / name).read_bytes()
            seeds = [data]
            if not name.endswith(".json"):
                seeds += [block for block in data.split(b"\n\n") if block.strip()]
            for seed in seeds:
                (corpus / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    return corpus


def _signature(error: BaseException) -> str:
    """The exception's type and the line it was raised from (the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {where}"


def _record(findings: Path, seen: set[str], data: bytes, error: Exception) -> None:
    signature = _signature(error)
    if signature in seen:
        return
    seen.add(signature)
    findings.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(signature.encode()).hexdigest()[:8]
    stem = findings / f"{type(error).__name__}-{digest}"
    text = "".join(traceback.format_exception(error))
    if not stem.with_suffix(".bin").exists() or len(data) < stem.with_suffix(".bin").stat().st_size:
        stem.with_suffix(".bin").write_bytes(data)
        stem.with_suffix(".txt").write_text(f"{signature}\ninput: {data!r}\n\n{text}")
    print(f"\n=== FINDING {signature}: {stem}.bin\n{text}", file=sys.stderr, flush=True)


def _minimize(finding: Path, run: Callable[[bytes], None]) -> int:
    """Delta debugging: drop chunks of lines, then of characters, while the same exception comes
    from the same line."""
    data = finding.read_bytes()

    def failure(candidate: bytes) -> str | None:
        try:
            run(candidate)
        except Exception as error:
            return _signature(error)
        return None

    wanted = failure(data)
    if wanted is None:
        print(f"{finding}: no finding; nothing to minimize", file=sys.stderr)
        return 1
    for split, join in (
        (lambda d: d.split(b"\n"), b"\n".join),
        (lambda d: [bytes([b]) for b in d], b"".join),
    ):
        parts = split(data)
        size = max(len(parts) // 2, 1)
        while size >= 1:
            start, shrunk = 0, False
            while start < len(parts):
                candidate = parts[:start] + parts[start + size :]
                if candidate and failure(join(candidate)) == wanted:
                    parts, shrunk = candidate, True
                else:
                    start += size
            if not shrunk:
                size //= 2
        data = join(parts)
    out = finding.with_suffix(".min.bin")
    out.write_bytes(data)
    print(f"{wanted}\n{len(data)} bytes: {data!r}\nwritten to {out}")
    try:
        run(data)
    except Exception:
        traceback.print_exc()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

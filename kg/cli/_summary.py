"""The summary of a run as JSON (``--json``): what scripts and CI read instead of the messages."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli._shared import peak_memory_mb
from kg.core.problems import Problem

if TYPE_CHECKING:
    from kg.map.provenance import RecordCounts
    from kg.resolve.merge_report import MergeReport
    from kg.validate.reference import ValidationOutcome

Summary = dict[str, Any]


def export_summary(
    out_dir: Path,
    counts: RecordCounts,
    triples: int,
    problems: list[Problem],
    merges: MergeReport,
    outcome: ValidationOutcome | None,
    started: float,
    exit_code: int,
) -> Summary:
    return {
        "command": "export",
        "exit_code": exit_code,
        "records": {"read": counts.read, "written": counts.written, "rejected": counts.rejected},
        "triples": triples,
        "problems": dict(sorted(Counter(p.severity.value for p in problems).items())),
        "merges": {
            "works": len(merges.merged),
            "records": sum(len(work.members) for work in merges.merged),
            "conflicts": sum(len(work.conflicts) for work in merges.merged),
            "refused": len(merges.refused),
        },
        "validation": validation_summary(outcome) if outcome is not None else None,
        "files": sorted(
            p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()
        ),
        "seconds": elapsed(started),
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }


def validation_summary(outcome: ValidationOutcome) -> Summary:
    """Conformance, counts, and the results by severity and constraint component."""
    by_kind = Counter((r.severity, _local_name(str(r.component))) for r in outcome.results)
    return {
        "conforms": outcome.conforms,
        "engine": outcome.engine,
        "violations": len(outcome.violations),
        "warnings": len(outcome.warnings),
        "results_by_kind": [
            {"severity": severity, "constraint": component, "count": count}
            for (severity, component), count in sorted(by_kind.items())
        ],
    }


def elapsed(started: float) -> float:
    return round(time.monotonic() - started, 3)


def echo_json(summary: Summary) -> None:
    click.echo(json.dumps(summary, indent=2, ensure_ascii=False))


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

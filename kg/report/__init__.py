"""The report a person looks at: report.html, one self-contained page about an exported graph.

Everything on it is gathered by SPARQL from the graph on an Oxigraph store (kg.report.data),
drawn as inline SVG (kg.report.charts) and laid out by a Jinja2 template (kg.report.render). The
export adds the two facts the graph does not hold: its validation results and the conflicts of
its merges (ExportFacts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

import pyoxigraph as ox

from kg.core.atomic import write_text_atomically
from kg.core.problems import SourceLocation
from kg.report.data import Validation, gather, validation_of, work_sources, work_titles
from kg.report.render import render_report
from kg.resolve.merge_report import MergeReport
from kg.resolve.mint import Minter
from kg.validate.reference import ValidationOutcome

__all__ = ["ExportFacts", "build_report", "export_facts", "render_report", "write_report"]


@dataclass(frozen=True)
class ExportFacts:
    """What an export knows beyond its graph: the validation outcome, the merge conflicts, and
    where it wrote the example queries' answers (so the report need not ask them again)."""

    validation: ValidationOutcome | None = None
    conflicts: dict[str, list[str]] | None = None  # work IRI -> what its records disagreed on
    answers: Path | None = None  # a folder of <example>.csv (SPARQL CSV)


def export_facts(
    validation: ValidationOutcome | None,
    merges: MergeReport,
    minter: Minter,
    answers: Path | None = None,
) -> ExportFacts:
    conflicts: dict[str, list[str]] = {}
    for work in merges.merged:
        conflicts[str(minter.work(work.record))] = [
            f"{conflict.field}: kept {conflict.kept!r} ({_where(conflict.kept_from)}), "
            f"not {conflict.other!r} ({_where(conflict.other_from)})"
            for conflict in work.conflicts
        ]
    return ExportFacts(validation, conflicts, answers)


def _where(location: SourceLocation) -> str:
    """A record's place by file name, as the graph and merges.txt name inputs."""
    return f"{PurePath(location.file).name}:{location.line}"


def build_report(store: ox.Store, facts: ExportFacts | None = None) -> str:
    """report.html's text for the graph in ``store``."""
    facts = facts or ExportFacts()
    validation: Validation | None = None
    if facts.validation is not None:
        results = [
            (str(r.focus), r.severity, str(r.path or ""), r.message)
            for r in facts.validation.results
        ]
        validation = validation_of(results, work_titles(store), work_sources(store))
    data = gather(store, facts.conflicts, validation, facts.answers)
    return render_report(data)


def write_report(store: ox.Store, facts: ExportFacts | None, path: Path) -> None:
    """Write report.html (atomically) for the graph in ``store``."""
    write_text_atomically(path, build_report(store, facts))

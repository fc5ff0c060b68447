"""What merging decided, for people: every merged work, conflict, refusal and identity decision."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from kg.core.problems import Problem, Severity, SourceLocation
from kg.resolve.duplicates import POSSIBLE_DUPLICATE
from kg.resolve.identity import Resolution
from kg.resolve.merge import Conflict, MergedWork, RefusedMerge
from kg.resolve.mint import Minter
from kg.resolve.register import Published, SameAs


@dataclass(frozen=True)
class MergeReport:
    merged: tuple[MergedWork, ...]  # works of two or more records (only these can conflict)
    refused: tuple[RefusedMerge, ...]
    resolutions: tuple[Resolution, ...]
    same_as: tuple[SameAs, ...] = ()  # published IRIs found to be one entity (the register)
    new_same_as: int = 0  # how many of them this export found

    @classmethod
    def of(
        cls,
        works: Iterable[MergedWork],
        refused: Iterable[RefusedMerge],
        resolutions: Iterable[Resolution],
        published: Published | None = None,
    ) -> MergeReport:
        """Keeps the merged works only: holding every work would keep every record in memory
        long after mapping (about 700 MB at 100k records)."""
        merged = tuple(work for work in works if len(work.members) > 1)
        links = tuple(published.same_as) if published else ()
        found = len(published.new_links) if published else 0
        return cls(merged, tuple(refused), tuple(resolutions), links, found)

    @property
    def conflicts(self) -> list[Conflict]:
        return [conflict for work in self.merged for conflict in work.conflicts]


def merge_problems(work: MergedWork) -> Iterator[Problem]:
    """At each later record of a merged work, what it merged with ("merged: ..."); warnings
    where the records disagree."""
    if len(work.members) < 2:
        return
    first = work.members[0].record
    for member in work.members[1:]:
        record = member.record
        message = f"the same work as the record at {first.source} ({work.reason}); both kept"
        yield Problem(record.source, record.number, message, Severity.MERGED)
    for conflict in work.conflicts:
        numbers = {m.record.source: m.record.number for m in work.members}
        message = (
            f"disagrees on the {conflict.field}: kept {conflict.kept!r} from "
            f"{conflict.kept_from}, not {conflict.other!r}"
        )
        number = numbers.get(conflict.other_from)
        yield Problem(conflict.other_from, number, message, Severity.WARNING)


def _where(location: SourceLocation) -> str:
    """A record's place by file name, as the graph and validation.txt name inputs: the report
    is part of the export and must not depend on where the inputs were read from."""
    named = f"{PurePath(location.file).name}:{location.line}"
    return f"{named} ({location.path})" if location.path else named


def render_merge_report(report: MergeReport, minter: Minter) -> str:
    """The report as plain text: one section per kind of decision, each entry naming records."""
    merged = report.merged
    decided = [r for r in report.resolutions if r.merged]
    possible = [r for r in report.resolutions if r.kind == POSSIBLE_DUPLICATE]
    kept_apart = [r for r in report.resolutions if not r.merged and r.kind != POSSIBLE_DUPLICATE]
    lines = [
        "kg merge report",
        "",
        f"{len(merged)} works merged from "
        f"{sum(len(w.members) for w in merged)} records; "
        f"{len(report.conflicts)} conflicts; {len(report.refused)} merges refused; "
        f"{len(decided)} journals, books and persons resolved; {len(kept_apart)} kept apart; "
        f"{len(possible)} possible duplicate persons.",
        "",
        "Precedence: for each field the first input on the command line wins (then file order);",
        "conflicts name the value kept and the value not kept.",
    ]
    if merged:
        lines += ["", "Works merged", "------------"]
        for work in merged:
            lines.append(f"{minter.work(work.record)}  ({work.reason})")
            for member in work.members:
                title = member.record.title or "(no title)"
                lines.append(
                    f"  {_where(member.record.source)}  record {member.record.number}: {title}"
                )
            for conflict in work.conflicts:
                lines.append(
                    f"  conflict on {conflict.field}: kept {conflict.kept!r} "
                    f"({_where(conflict.kept_from)}), not {conflict.other!r} "
                    f"({_where(conflict.other_from)})"
                )
    if report.refused:
        lines += ["", "Merges refused", "--------------"]
        for refusal in report.refused:
            where = ", ".join(_where(location) for location in refusal.locations)
            lines.append(f"{where}: {refusal.reason}")
    for title, resolutions in (
        ("Journals, books and persons resolved", decided),
        ("Kept apart", kept_apart),
        ("Possible duplicates (persons kept apart; check them)", possible),
    ):
        if resolutions:
            lines += ["", title, "-" * len(title)]
            for resolution in resolutions:
                forms = "; ".join(resolution.forms)
                kind = "person" if resolution.kind == POSSIBLE_DUPLICATE else resolution.kind
                lines.append(f"{kind} {resolution.key}: {forms} ({resolution.reason})")
    if report.same_as:
        title = "Published IRIs found to be one entity (identifier register)"
        lines += ["", title, "-" * len(title)]
        lines.append(
            f"{report.new_same_as} found by this export; each other IRI stays in the graph as "
            "owl:sameAs the kept one."
        )
        for link in report.same_as:
            lines.append(f"{minter.base}{link.other} owl:sameAs {minter.base}{link.kept}")
    return "\n".join(lines) + "\n"

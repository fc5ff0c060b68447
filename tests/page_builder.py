"""Writes search-result pages in the publisher's plain-text layout, for fixtures made in tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageRecord:
    content_type: str = "Article"
    date: str | None = "15 June 2012"
    authors: str | None = "Ada Lovelace and Charles Babbage"
    snippet: str | None = "An analytical engine could weave algebraic patterns…"
    downloads: str | None = None
    sections: list[tuple[str, str]] = field(
        default_factory=lambda: [("Purpose", "To describe the engine."), ("Findings", "It works.")]
    )
    abstract: str | None = None  # an unstructured abstract instead of sections
    details: list[str] | None = field(
        default_factory=lambda: [
            "Journal of Engines, vol. 7 no. 2",
            "Type: Research Article",
            "ISSN: 1755-6228",
        ]
    )
    keywords: list[str] = field(default_factory=list)
    extra_lines: list[str] = field(default_factory=list)  # stray lines after the record

    def lines(self) -> list[str]:
        out = [self.content_type]
        if self.date is not None:
            out.append(f"Publication date: {self.date}")
        out.append("")
        if self.authors is not None:
            out += [self.authors, ""]
        if self.snippet is not None:
            out += [self.snippet, ""]
        if self.downloads is not None:
            out += [self.downloads, ""]
        out += ["Abstract", ""]
        if self.abstract is not None:
            out += [self.abstract, ""]
        for heading, text in self.sections if self.abstract is None else []:
            out += [heading, "", text, ""]
        if self.details is not None:
            out += ["Details", "", *self.details, "", "Keywords", ""]
            if self.keywords:
                out += [*self.keywords, ""]
        out += self.extra_lines
        return out


def page(*records: PageRecord, header: bool = True) -> str:
    """A whole page: header, the records, footer."""
    lines = ["Search results", "", f"1 – {len(records)} of {len(records)}"] if header else []
    for record in records:
        lines += record.lines()
    lines.append(f"1 – {len(records)} of {len(records)}")
    return "\n".join(lines) + "\n"

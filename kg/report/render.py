"""The report page: the gathered data and its charts through the Jinja2 template."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from kg.core.resources import report_templates_dir
from kg.core.version import __version__
from kg.report import charts
from kg.report.data import ReportData

LABELLED = 30  # the network names this many people; the rest on hover


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(report_templates_dir()),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda n: f"{n:,}"
    return env


def render_report(
    data: ReportData,
    link: Callable[[str], str | None] | None = None,
    site_links: list[tuple[str, str]] | None = None,
) -> str:
    """The page as one HTML string. ``link`` turns an IRI into the href of its page, and
    ``site_links`` are the site's index pages (the site's home page is the report); without
    them names are plain text."""
    env = environment()
    kinds = sorted({row.kind for row in data.years})
    by_year: dict[str, dict[str, int]] = {}
    for row in data.years:
        by_year.setdefault(row.year, {})[row.kind] = row.works
    years = {
        "kinds": kinds,
        "rows": [
            (year, [counts.get(kind, 0) for kind in kinds], sum(counts.values()))
            for year, counts in sorted(by_year.items())
        ],
    }
    rendered: dict[str, str] = {}
    if data.years:
        rendered["years"] = charts.years_chart(data.years)
    venues = [
        ("journals", "Journals", "ISSN", data.journals),
        ("books", "Books", "ISBN", data.books),
    ]
    themes = [
        ("themes", "Matched themes", data.themes),
        ("keywords", "Source keywords", data.keywords),
    ]
    colours = {"journals": "#4c78a8", "books": "#72b7b2", "themes": "#54a24b",
               "keywords": "#b279a2"}  # fmt: skip
    for key, title, _, venue_rows in venues:
        if venue_rows.rows:
            items = [(row.name, row.works) for row in venue_rows.rows]
            rendered[key] = charts.bar_chart(key, title, items, "Works", colours[key])
    for key, title, theme_rows in themes:
        if theme_rows.rows:
            items = [(row.label, row.works) for row in theme_rows.rows]
            rendered[key] = charts.bar_chart(key, title, items, "Works", colours[key])
    if data.downloads.rows:
        items = [(row.title, row.downloads) for row in data.downloads.rows]
        rendered["downloads"] = charts.bar_chart(
            "downloads", "Most downloaded works", items, "Downloads", "#f58518"
        )
    if data.network.people:
        rendered["network"] = charts.network_chart(data.network, LABELLED)
    return env.get_template("report.html.j2").render(
        d=data,
        s=data.summary,
        years=years,
        venues=venues,
        themes=themes,
        net=data.network,
        people={p.iri: p.name for p in data.network.people},
        labelled=LABELLED,
        charts=rendered,
        css=env.get_template("style.css.j2").render(),
        version=__version__,
        link=link or (lambda iri: None),
        site_links=site_links or [],
        conflicts_known=data.conflicts_known,
        conflict_count=data.conflict_count,
    )

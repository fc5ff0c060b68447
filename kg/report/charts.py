"""The report's charts: Vega-Lite specifications rendered to inline SVG by vl-convert (Vega's own
renderer in an embedded engine, no browser and no network), the co-author network laid out by
networkx with a fixed seed. Every chart has its numbers as a table beside it (the template)."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from typing import Any

import vl_convert as vlc

from kg.report.data import Network, YearRow

SEED = 14  # the network layout's seed: the same graph draws the same picture
WIDTH = 520
_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
_FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
_CONFIG: dict[str, Any] = {
    "font": _FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": False},
    "legend": {"labelFontSize": 11, "titleFontSize": 12},
    "range": {
        "category": [
            "#4c78a8",
            "#f58518",
            "#54a24b",
            "#e45756",
            "#72b7b2",
            "#b279a2",
            "#9d755d",
            "#bab0ac",
        ]
    },
}


@functools.lru_cache(maxsize=64)
def _svg(spec: str) -> str:
    """Vega-Lite to SVG, remembered: rendering is a pure function of the spec, and the same
    charts are drawn again and again when one process exports the same inputs (tests, notebooks).
    """
    return str(vlc.vegalite_to_svg(json.loads(spec)))


def render(spec: dict[str, Any], name: str, label: str) -> str:
    """A Vega-Lite spec as an inline SVG element: ids made unique to the chart (several SVGs
    share one page), a role and an accessible name."""
    svg = _svg(json.dumps({"$schema": _SCHEMA, "config": _CONFIG, **spec}))
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{name}-{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{name}-{m[1]})", svg)
    attributes = f'role="img" aria-label="{html.escape(label)}" data-chart="{name}" '
    return svg.replace("<svg ", f"<svg {attributes}", 1)


def years_chart(rows: Sequence[YearRow]) -> str:
    values = [{"year": r.year, "kind": r.kind, "works": r.works} for r in rows]
    spec = {
        "width": {"step": 18} if len({r.year for r in rows}) > 20 else WIDTH - 120,
        "height": 200,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "Year"},
            "y": {
                "field": "works",
                "type": "quantitative",
                "title": "Works",
                "stack": "zero",
                "axis": _count_axis(_tallest(rows)),
            },
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": "Kind",
                "sort": "ascending",
            },
            "order": {"field": "kind"},
        },
    }
    return render(spec, "years", "Works per year, by kind")


def bar_chart(
    name: str, label: str, items: Sequence[tuple[str, int]], measure: str, color: str = "#4c78a8"
) -> str:
    """Horizontal bars, largest first, labels shortened to fit."""
    labels: list[str] = []
    for text, _ in items:  # a bar a label: two works may share a title
        label, copy = _shorten(text, 48), 1
        while label in labels:
            copy += 1
            label = f"{_shorten(text, 44)} ({copy})"
        labels.append(label)
    values = [{"rank": i, "label": labels[i], "value": n} for i, (_, n) in enumerate(items)]
    spec = {
        "width": 260,
        "height": {"step": 18},
        "data": {"values": values},
        "mark": {"type": "bar", "color": color},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "title": None,
                "sort": {"field": "rank", "order": "ascending"},
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": measure,
                "axis": _count_axis(max((n for _, n in items), default=0)),
            },
        },
    }
    return render(spec, name, label)


def network_chart(network: Network, labelled: int = 30) -> str:
    """The co-author network: people as circles (larger: more works), links as lines (thicker:
    more works together), the most connected people named; every name on hover (SVG title)."""
    positions = layout(network)
    index = {p.iri: i for i, p in enumerate(network.people)}
    nodes = [
        {"i": index[p.iri], "name": p.name, "works": p.works, "x": positions[p.iri][0],
         "y": positions[p.iri][1], "label": p.name if index[p.iri] < labelled else ""}
        for p in network.people
    ]  # fmt: skip
    links = [
        {"x": positions[a][0], "y": positions[a][1], "x2": positions[b][0], "y2": positions[b][1],
         "works": n}
        for a, b, n in network.edges
    ]  # fmt: skip
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [-1.15, 1.15]}}
    y = {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [-1.12, 1.12]}}
    spec = {
        "width": WIDTH,
        "height": 420,
        "layer": [
            {
                "data": {"values": links},
                "mark": {"type": "rule", "color": "#9aa5b1", "opacity": 0.8},
                "encoding": {
                    "x": x,
                    "y": y,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    "strokeWidth": {
                        "field": "works",
                        "type": "quantitative",
                        "scale": {"range": [1, 4]},
                        "legend": None,
                    },
                },
            },
            {
                "data": {"values": nodes},
                "mark": {
                    "type": "circle",
                    "color": "#4c78a8",
                    "opacity": 1,
                    "stroke": "white",
                    "strokeWidth": 1,
                },
                "encoding": {
                    "x": x,
                    "y": y,
                    "size": {
                        "field": "works",
                        "type": "quantitative",
                        "scale": {"range": [60, 360]},
                        "legend": None,
                    },
                    "order": {"field": "i"},
                },
            },
            {
                "data": {"values": nodes},
                "mark": {"type": "text", "dy": -11, "fontSize": 10, "color": "#1f2933"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}, "order": {"field": "i"}},
            },
        ],
    }
    svg = render(spec, "network", "Co-author network of the most connected people")
    return _titled_symbols(svg, [p.name for p in network.people])


def layout(network: Network) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]²: each group of co-authors (a connected component) laid out by
    networkx's spring layout with a fixed seed in a square cell as large as the group, the cells
    packed in rows, largest first. Rounded, so that the SVG does not depend on the last bits of
    the floating-point sums."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(p.iri for p in network.people)
    graph.add_weighted_edges_from(network.edges)
    groups = sorted(
        (sorted(str(node) for node in component) for component in nx.connected_components(graph)),
        key=lambda members: (-len(members), members[0]),
    )
    cells = [(members, len(members) ** 0.5) for members in groups]
    row_width = max(2.0, 1.15 * sum(side**2 for _, side in cells) ** 0.5)
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, side in cells:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in _component_layout(graph.subgraph(members), members).items():
            placed[node] = (x + side * (0.5 + 0.4 * px), y + side * (0.5 + 0.4 * py))
        x, row_height = x + side, max(row_height, side)
    if not placed:
        return {}
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        node: (round((px - cx) * 2 / span, 3), round((cy - py) * 2 / span, 3))
        for node, (px, py) in placed.items()
    }


def _component_layout(graph: Any, members: list[str]) -> dict[str, tuple[float, float]]:
    """One group's positions in [-1, 1]²: a spring layout (fixed seed) scaled to fill it."""
    import networkx as nx

    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    if len(members) == 2:
        return {members[0]: (-0.8, -0.6), members[1]: (0.8, 0.6)}
    ordered = nx.Graph()
    ordered.add_nodes_from(members)  # insertion order fixes the seeded start positions
    ordered.add_weighted_edges_from(sorted(graph.edges(data="weight")))
    spring = nx.spring_layout(ordered, seed=SEED, iterations=200)
    xs = [float(p[0]) for p in spring.values()]
    ys = [float(p[1]) for p in spring.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        str(node): ((float(p[0]) - cx) * 2 / span, (float(p[1]) - cy) * 2 / span)
        for node, p in spring.items()
    }


def _titled_symbols(svg: str, names: Sequence[str]) -> str:
    """Give each circle of the network (drawn in the people's order) its name as an SVG title,
    which browsers show on hover."""
    match = re.search(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    if match is None:
        return svg
    paths = re.findall(r"<path [^>]*/>", match[1])
    if len(paths) != len(names):
        return svg
    body = "".join(
        path[:-2] + f"><title>{html.escape(name)}</title></path>"
        for path, name in zip(paths, names, strict=True)
    )
    return svg[: match.start(1)] + body + svg[match.end(1) :]


def _count_axis(largest: int) -> dict[str, Any]:
    """An axis of whole numbers: every number up to 10, else Vega's own ticks."""
    if largest <= 10:
        return {"values": list(range(largest + 1)), "format": "d"}
    return {"tickMinStep": 1, "format": ",d"}


def _tallest(rows: Sequence[YearRow]) -> int:
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.year] = totals.get(row.year, 0) + row.works
    return max(totals.values(), default=0)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

"""`kg site`: the graph as a static linked-data site.

One page per work, person, journal, book and theme, at a path that mirrors its IRI under the base
IRI (``<base>person/julie-repper`` -> ``person/julie-repper.html``), beside the same description
as Turtle (``.ttl``) and JSON-LD (``.jsonld``). A page shows the resource's facts, links to its
neighbours (what it names and what names it) and embeds its description as JSON-LD for search
engines. Index pages list each kind; the report (kg.report) is the home page.

A page's description is the resource's own triples, and those of its parts, which have no page
of their own: the blank nodes of its author list, and the IRIs under its own (a work's
``…/author/1`` and ``…/abstract/2``, a journal's volumes and issues).
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.core.atomic import SITE_MARK, atomic_folder
from kg.core.namespaces import PREFIXES
from kg.core.rdf import Triple
from kg.core.resources import vocab_file
from kg.core.version import __version__
from kg.errors import UsageError
from kg.map.graph import ExportGraph
from kg.report import ExportFacts
from kg.report.data import gather, work_titles
from kg.report.render import environment, render_report
from kg.resolve.mint import Minter
from kg.write.jsonld import write_jsonld
from kg.write.turtle import write_turtle

INDEX_PAGE_SIZE = 1000  # entries of one index page
NEIGHBOURS_SHOWN = 200  # incoming links listed on a page (all are counted)

# The kinds of page, in the order a resource of two kinds takes (a book that is a record is a
# work; it is listed among the books too).
KINDS = ("work", "person", "journal", "book", "theme")
_KIND_QUERIES = {
    "work": "?x prov:wasDerivedFrom ?r . ?r a kg:SourceRecord",
    "person": "?x a schema:Person",
    "journal": "?x a schema:Periodical",
    "book": "?x a schema:Book",
    "theme": "?x a skos:Concept",
}
_TITLES = {"work": "Works", "person": "People", "journal": "Journals", "book": "Books",
           "theme": "Themes"}  # fmt: skip
_LABELS = ("http://schema.org/name", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name")  # fmt: skip
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_UNSAFE_SEGMENT = re.compile(r"[\x00-\x1f\\]")


@dataclass(frozen=True)
class SiteSummary:
    pages: dict[str, int]  # kind -> pages
    files: int
    bytes: int


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None  # a page of the site (relative) or an outside IRI
    iri: str | None = None
    note: str = ""  # a literal's datatype or language


class Site:
    """The pages of one graph under one base IRI."""

    def __init__(self, store: ox.Store, base_iri: str) -> None:
        self.store = store
        self.base = Minter(base_iri).base  # checks the base IRI
        self.kinds: dict[str, str] = {}
        self.in_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
        for kind in KINDS:
            query = f"SELECT DISTINCT ?x WHERE {{ {_KIND_QUERIES[kind]} }}"
            for solution in _select(store, query):
                iri = solution
                if iri.startswith(self.base) and len(iri) > len(self.base):
                    self.kinds.setdefault(iri, kind)
                    self.in_kind[kind].append(iri)
        if not self.kinds:
            raise UsageError(
                f"no work, person, journal, book or theme of the graph has an IRI under "
                f"{self.base}: give the --base-iri the export used"
            )
        self.labels = _labels(store)
        for iri, title in work_titles(store).items():  # untitled: "(no title) date, authors"
            self.labels.setdefault(iri, title)
        for members in self.in_kind.values():
            members.sort(key=self.sort_key)
        self.paths = {iri: self.path(iri) for iri in self.kinds}
        self.prefixes = {**PREFIXES, **Minter(self.base).prefixes()}
        context = json.loads(vocab_file("context.jsonld").read_text(encoding="utf-8"))
        self.context: dict[str, object] = context

    def sort_key(self, iri: str) -> tuple[str, str]:
        return (self.labels.get(iri) or iri).casefold(), iri

    def path(self, iri: str) -> str:
        """The page's path in the site, without a suffix: the IRI after the base, its
        percent-escapes decoded (as a web server decodes the request's path)."""
        segments = [unquote(s) for s in iri[len(self.base) :].split("/")]
        if any(s in ("", ".", "..") or "/" in s or _UNSAFE_SEGMENT.search(s) for s in segments):
            raise UsageError(f"<{iri}> has no safe path under {self.base} for its page")
        if any(len(s.encode("utf-8")) > 240 for s in segments):
            raise UsageError(f"<{iri}>: a part of its path is too long for a file name")
        return "/".join(segments)

    def href(self, iri: str, page: str) -> str | None:
        """The link from the page at ``page`` to ``iri``'s page, if it has one."""
        target = self.paths.get(iri)
        if target is None:
            return None
        return _url(posixpath.relpath(target + ".html", posixpath.dirname(page) or "."))

    def owner(self, iri: str) -> str | None:
        """The page a part belongs to (``work/x/author/1`` -> ``work/x``)."""
        candidate = iri
        while "/" in candidate[len(self.base) :]:
            candidate = candidate.rsplit("/", 1)[0]
            if candidate in self.kinds:
                return candidate
        return None

    # --- a page's description ---------------------------------------------------------------

    def description(self, iri: str) -> list[ox.Quad]:
        """The resource's triples, and its parts' (blank nodes, and IRIs under its own that
        have no page of their own)."""
        found: list[ox.Quad] = []
        seen: set[str] = set()
        todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        prefix = iri + "/"
        while todo:
            subject = todo.pop()
            key = str(subject)
            if key in seen:
                continue
            seen.add(key)
            for quad in self.store.quads_for_pattern(subject, None, None):
                found.append(quad)
                value = quad.object
                if isinstance(value, ox.BlankNode) or (
                    isinstance(value, ox.NamedNode)
                    and value.value.startswith(prefix)
                    and value.value not in self.kinds
                ):
                    todo.append(value)
        return found

    def incoming(self, iri: str) -> tuple[list[tuple[list[str], str]], int]:
        """Pages that name this resource (directly, or through one of their parts), each with
        the predicates that do: the first NEIGHBOURS_SHOWN by name, and how many in all."""
        how: dict[str, set[str]] = defaultdict(set)
        node = ox.NamedNode(iri)
        for quad in self.store.quads_for_pattern(None, None, node):
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode) or subject.value == iri:
                continue
            page = subject.value if subject.value in self.kinds else self.owner(subject.value)
            if page is not None and page != iri:
                how[page].add(quad.predicate.value)
        ordered = sorted(how, key=self.sort_key)
        return [(sorted(how[page]), page) for page in ordered[:NEIGHBOURS_SHOWN]], len(ordered)


def _select(store: ox.Store, query: str) -> Iterator[str]:
    from kg.query.sparql import run_query

    results = run_query(store, query)
    assert isinstance(results, ox.QuerySolutions)
    for solution in results:
        term = solution[0]
        if isinstance(term, ox.NamedNode):
            yield term.value


def _labels(store: ox.Store) -> dict[str, str]:
    """Each IRI's name: its first label by _LABELS' order, the least of several."""
    labels: dict[str, tuple[int, str]] = {}
    for rank, predicate in enumerate(_LABELS):
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
            subject, value = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(value, ox.Literal):
                known = labels.get(subject.value)
                if known is None or (rank, value.value) < known:
                    labels[subject.value] = (rank, value.value)
    return {iri: text for iri, (_, text) in labels.items()}


def _url(path: str) -> str:
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def to_rdflib(quads: list[ox.Quad]) -> list[Triple]:
    def term(
        value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> URIRef | BNode | Literal:
        if isinstance(value, ox.NamedNode):
            return URIRef(value.value)
        if isinstance(value, ox.BlankNode):
            return BNode(value.value)
        if isinstance(value, ox.Literal):
            if value.language:
                return Literal(value.value, lang=value.language)
            return Literal(value.value, datatype=URIRef(value.datatype.value))
        raise UsageError(f"an RDF-star triple ({value}) cannot be written on a page")

    return [(term(q.subject), URIRef(q.predicate.value), term(q.object)) for q in quads]  # type: ignore[misc]


# --- writing ----------------------------------------------------------------------------------


def write_site(
    store: ox.Store, out_dir: Path, base_iri: str, facts: ExportFacts | None = None
) -> SiteSummary:
    """The site of the graph in ``store`` in ``out_dir`` (replaced as a whole, see
    kg.core.atomic.atomic_folder)."""
    site = Site(store, base_iri)
    env = environment()
    page_template = env.get_template("site-page.html.j2")
    index_template = env.get_template("site-index.html.j2")
    css = env.get_template("style.css.j2").render()
    files = 0
    size = 0
    with atomic_folder(out_dir, SITE_MARK) as folder:

        def write(relative: str, text: str) -> None:
            nonlocal files, size
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            target.write_bytes(data)
            files += 1
            size += len(data)

        write("site.css", css)  # one style sheet for the pages (the home page has its own)
        indexes = _index_pages(site)
        for iri, path in sorted(site.paths.items(), key=lambda item: item[1]):
            graph = ExportGraph(to_rdflib(site.description(iri)))
            turtle, jsonld = io.StringIO(), io.StringIO()
            write_turtle(graph, turtle, site.prefixes)
            write_jsonld(graph, jsonld, site.context)
            write(path + ".ttl", turtle.getvalue())
            write(path + ".jsonld", jsonld.getvalue())
            write(path + ".html", page_template.render(
                **_page(site, iri, path, graph), version=__version__,
                jsonld=_script_safe(jsonld.getvalue()), root=_root(path),
                indexes=[(title, _url(posixpath.relpath(first, posixpath.dirname(path) or ".")))
                         for title, first in _index_links(indexes)],
            ))  # fmt: skip
        for kind, pages in indexes.items():
            for number, (name, members) in enumerate(pages, start=1):
                write(name, index_template.render(
                    title=_TITLES[kind], kind=kind, number=number, count=len(pages),
                    pages=[(n, _url(posixpath.relpath(p, "index"))) for p, _ in pages
                           for n in [p.rsplit("-", 1)[1].removesuffix(".html")]],
                    entries=[(site.labels.get(iri, iri), site.href(iri, name), iri)
                             for iri in members],
                    total=len(site.in_kind[kind]), version=__version__,
                    indexes=[(title, _url(posixpath.relpath(first, "index")))
                             for title, first in _index_links(indexes)],
                    root="../",
                ))  # fmt: skip
        data = gather(store, conflicts=facts.conflicts if facts else None)
        links = [(title, _url(first)) for title, first in _index_links(indexes)]
        write("index.html", render_report(data, link=lambda iri: site.href(iri, "index.html"),
                                          site_links=links))  # fmt: skip
    counts = {kind: len(site.in_kind[kind]) for kind in KINDS}
    return SiteSummary(counts, files, size)


def _index_pages(site: Site) -> dict[str, list[tuple[str, list[str]]]]:
    """Each kind's index pages: (path, members), INDEX_PAGE_SIZE members a page."""
    pages: dict[str, list[tuple[str, list[str]]]] = {}
    for kind in KINDS:
        members = site.in_kind[kind]
        chunks = [members[i : i + INDEX_PAGE_SIZE] for i in range(0, len(members), INDEX_PAGE_SIZE)]
        pages[kind] = [(f"index/{kind}-{n}.html", chunk) for n, chunk in enumerate(chunks, 1)]
    return pages


def _index_links(indexes: dict[str, list[tuple[str, list[str]]]]) -> list[tuple[str, str]]:
    return [(_TITLES[kind], pages[0][0]) for kind, pages in indexes.items() if pages]


def _root(path: str) -> str:
    depth = path.count("/")
    return "../" * depth if depth else "./"


def _script_safe(text: str) -> str:
    """JSON for a <script> element: '<' escaped, so no string can close the element."""
    return text.replace("<", "\\u003c")


def _page(site: Site, iri: str, path: str, graph: ExportGraph) -> dict[str, object]:
    """What the page template shows of one resource."""

    def show(term: URIRef | BNode | Literal) -> Value:
        if isinstance(term, Literal):
            note = f"@{term.language}" if term.language else ""
            if term.datatype and not str(term.datatype).endswith("#string"):
                note = _compact(site, str(term.datatype))
            return Value(str(term), note=note)
        if isinstance(term, BNode):
            return Value("(list)")
        text = str(term)
        href = site.href(text, path)
        label = site.labels.get(text)
        if text.startswith(iri + "/") and href is None:  # a part, on this page
            return Value(label or text[len(iri) + 1 :], "#" + _url(text[len(iri) + 1 :]), text)
        if href is not None:
            return Value(label or _compact(site, text), href, text)
        if text.startswith(("http://", "https://")) and not text.startswith(site.base):
            return Value(_compact(site, text), text, text)
        return Value(label or _compact(site, text), None, text)

    lists = graph.inline_lists()
    blocks = []
    for description in graph.descriptions():
        subject = description.subject
        if subject in lists.cells:
            continue
        rows = []
        for predicate, values in description.properties:
            shown: list[Value] = []
            for value in values:
                members = lists.members.get(value) if isinstance(value, BNode) else None
                if members is not None:
                    shown.extend(show(member) for member in members)
                else:
                    shown.append(show(value))
            rows.append((_compact(site, str(predicate)), shown))
        name = "" if str(subject) == iri else str(subject)[len(iri) + 1 :]
        blocks.append((name, str(subject), rows))
    blocks.sort(key=lambda block: (block[0] != "", _natural(block[0])))
    incoming, total = site.incoming(iri)
    return {
        "iri": iri,
        "kind": site.kinds[iri],
        "title": site.labels.get(iri, iri),
        "blocks": blocks,
        "incoming": [
            (
                ", ".join(_compact(site, p) for p in predicates),
                Value(site.labels.get(s, s), site.href(s, path), s),
            )
            for predicates, s in incoming
        ],
        "incoming_total": total,
        "name": posixpath.basename(path),
    }


def _natural(text: str) -> list[tuple[int, str]]:
    """``author/10`` after ``author/9``."""
    return [(int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", text)]


def _compact(site: Site, iri: str) -> str:
    if iri == _RDF_TYPE:
        return "a"
    for prefix, namespace in sorted(site.prefixes.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri

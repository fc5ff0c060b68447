"""What the report shows, gathered by SPARQL from the exported graph on an Oxigraph store.

Every list is sorted with a full tie-break (so the page is byte-identical across runs) and capped
(so a graph of 100,000 records still makes a page of a few megabytes): each section says how many
rows it has in all and how many it shows.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import pyoxigraph as ox

from kg.core.namespaces import PREFIXES
from kg.query.sparql import example_queries, run_query

T = TypeVar("T")

# How much of each list the page shows.
TOP_VENUES = 20
TOP_THEMES = 25
TOP_DOWNLOADS = 20
NETWORK_PEOPLE = 60  # the co-author network: the most connected people
NETWORK_MAX_AUTHORS = 100  # works with more authors link nobody (as the co-author examples)
VALIDATION_WORKS = 200
MERGED_WORKS = 200
QUERY_ROWS = 50

# A work's kind, by its schema.org class (DESIGN.md's model), most specific first.
KINDS = (
    ("http://schema.org/Chapter", "Chapter"),
    ("http://schema.org/Thesis", "Thesis"),
    ("http://schema.org/Report", "Report"),
    ("http://schema.org/Book", "Book"),
    ("http://schema.org/ScholarlyArticle", "Article"),
    ("http://schema.org/CreativeWork", "Other"),
)


@dataclass(frozen=True)
class InputRow:
    name: str
    format: str
    records: int


@dataclass(frozen=True)
class Summary:
    title: str
    created: str  # the export's time (SOURCE_DATE_EPOCH when set), or "" when not stated
    triples: int
    records_read: int | None
    records_written: int | None
    records_rejected: int | None
    inputs: tuple[InputRow, ...]
    works: int
    works_by_kind: tuple[tuple[str, int], ...]
    people: int
    journals: int
    books: int
    themes: int


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first rows of a longer list, and how long it is."""

    rows: tuple[T, ...]
    total: int


@dataclass(frozen=True)
class YearRow:
    year: str
    kind: str
    works: int


@dataclass(frozen=True)
class VenueRow:
    iri: str
    name: str
    identifiers: str  # ISSNs or ISBNs, sorted, comma-separated
    works: int


@dataclass(frozen=True)
class ThemeRow:
    label: str
    works: int
    iri: str = ""  # the concept (matched themes); "" for a source keyword


@dataclass(frozen=True)
class DownloadRow:
    iri: str
    title: str
    downloads: int


@dataclass(frozen=True)
class Person:
    iri: str
    name: str
    works: int
    coauthors: int  # distinct co-authors in the whole graph


@dataclass(frozen=True)
class Network:
    people: tuple[Person, ...]  # the shown people, most connected first
    edges: tuple[tuple[str, str, int], ...]  # (iri, iri, shared works) among the shown people
    total_people: int  # people who wrote a work in the graph
    total_links: int  # co-author pairs in the whole graph


@dataclass(frozen=True)
class Problem:
    severity: str
    path: str
    message: str


@dataclass(frozen=True)
class ProblemWork:
    iri: str
    title: str
    sources: tuple[str, ...]  # file:line of each record of the work
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: int
    warnings: int  # warnings and infos
    works: Capped[ProblemWork]


@dataclass(frozen=True)
class MergedWork:
    iri: str
    title: str
    sources: tuple[str, ...]
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class QueryTable:
    name: str
    description: str
    columns: tuple[str, ...]
    rows: Capped[tuple[str, ...]]


@dataclass(frozen=True)
class ReportData:
    summary: Summary
    years: tuple[YearRow, ...]
    journals: Capped[VenueRow]
    books: Capped[VenueRow]
    themes: Capped[ThemeRow]
    keywords: Capped[ThemeRow]
    downloads: Capped[DownloadRow]
    network: Network
    validation: Validation | None
    merges: Capped[MergedWork]
    queries: tuple[QueryTable, ...] = field(default=())
    conflicts_known: bool = False  # the export's merge report was at hand
    conflict_count: int = 0


# --- queries -------------------------------------------------------------------------------------

_WORKS = """
?work prov:wasDerivedFrom ?record . ?record a kg:SourceRecord .
"""


def _rows(store: ox.Store, query: str) -> Iterator[dict[str, str]]:
    """Each solution as variable -> value (IRIs and literals by their value alone)."""
    results = run_query(store, query)
    assert isinstance(results, ox.QuerySolutions)
    names = [variable.value for variable in results.variables]
    for solution in results:
        row = {}
        for name in names:
            term = solution[name]
            row[name] = "" if term is None else term.value
        yield row


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _capped(rows: list[T], limit: int) -> Capped[T]:
    return Capped(tuple(rows[:limit]), len(rows))


def gather(
    store: ox.Store,
    conflicts: dict[str, list[str]] | None = None,
    validation: Validation | None = None,
    answers: Path | None = None,
) -> ReportData:
    """Everything the page shows. ``conflicts`` (work IRI -> what its records disagree on),
    ``validation`` and ``answers`` (the folder of the example queries' answers) come from the
    export when it has them; without ``validation`` the page shows the results of any SHACL
    validation report (validation.ttl) among the store's triples, without ``answers`` the
    example queries are asked of the store."""
    kinds = work_kinds(store)
    given = keywords(store)
    sources = work_sources(store)
    titles = work_titles(store)
    return ReportData(
        summary=summary(store, kinds),
        years=works_per_year(store, kinds),
        journals=_capped(journals(store), TOP_VENUES),
        books=_capped(books(store), TOP_VENUES),
        themes=_capped(themes(store, given), TOP_THEMES),
        keywords=_capped(given, TOP_THEMES),
        downloads=_capped(downloads(store, titles), TOP_DOWNLOADS),
        network=network(store),
        validation=validation or validation_in_store(store, titles, sources),
        merges=merges(sources, titles, conflicts or {}),
        queries=query_tables(store, answers),
        conflicts_known=conflicts is not None,
        conflict_count=sum(len(found) for found in (conflicts or {}).values()),
    )


def work_kinds(store: ox.Store) -> dict[str, str]:
    """Every work (a resource made from a source record) and its kind."""
    ranked = {iri: rank for rank, (iri, _) in enumerate(KINDS)}
    best: dict[str, int] = {}
    query = f"SELECT DISTINCT ?work ?class WHERE {{ {_WORKS} OPTIONAL {{ ?work a ?class }} }}"
    for row in _rows(store, query):
        rank = ranked.get(row["class"], len(KINDS))
        best[row["work"]] = min(rank, best.get(row["work"], len(KINDS)))
    return {work: KINDS[rank][1] if rank < len(KINDS) else "Other" for work, rank in best.items()}


def work_sources(store: ox.Store) -> dict[str, list[str]]:
    """Each work's records as ``file:line``, sorted."""
    query = f"""SELECT ?work ?file ?line WHERE {{ {_WORKS}
        OPTIONAL {{ ?record kg:sourceFile/dcterms:title ?file }}
        OPTIONAL {{ ?record kg:sourceLine ?line }} }}"""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in _rows(store, query):
        found[row["work"]].append((row["file"] or "?", _int(row["line"])))
    return {work: [f"{f}:{n}" if n else f for f, n in sorted(set(places))]
            for work, places in found.items()}  # fmt: skip


def work_titles(store: ox.Store) -> dict[str, str]:
    """Each work's title; for a work without one, "(no title)" with its date and authors, as
    validation.txt names it (a results page often gives no titles)."""
    query = f"""SELECT ?work (MIN(STR(?name)) AS ?title)
        WHERE {{ {_WORKS} ?work schema:name ?name }} GROUP BY ?work"""
    titles = {row["work"]: row["title"] for row in _rows(store, query)}
    untitled: dict[str, tuple[str, dict[int, str]]] = {}
    for row in _rows(store, f"""SELECT ?work ?date ?position ?family ?name WHERE {{ {_WORKS}
            FILTER NOT EXISTS {{ ?work schema:name ?title }}
            OPTIONAL {{ ?work schema:datePublished ?date }}
            OPTIONAL {{ ?work kg:authorship ?a . ?a kg:position ?position ; kg:person ?p .
                       OPTIONAL {{ ?p schema:familyName ?family }}
                       OPTIONAL {{ ?p schema:name ?name }} }} }}"""):  # fmt: skip
        date, authors = untitled.setdefault(row["work"], (row["date"], {}))
        if row["position"]:
            name = row["family"] or row["name"]
            position = _int(row["position"])
            authors[position] = min(authors.get(position, name), name)
    for work, (date, authors) in untitled.items():
        names = [authors[n] for n in sorted(authors)]
        who = " & ".join(names[:3]) + (" et al." if len(names) > 3 else "")
        titles[work] = "(no title) " + ", ".join(part for part in (date, who) if part)
    return titles


def _count(store: ox.Store, pattern: str) -> int:
    rows = list(_rows(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"))
    return _int(rows[0]["n"]) if rows else 0


def summary(store: ox.Store, kinds: dict[str, str]) -> Summary:
    dataset = list(_rows(store, """
        SELECT ?title ?created ?read ?written ?rejected WHERE {
          ?dataset a void:Dataset ; prov:wasGeneratedBy ?activity .
          OPTIONAL { ?dataset dcterms:title ?title }
          OPTIONAL { ?dataset dcterms:created ?created }
          OPTIONAL { ?activity kg:recordsRead ?read }
          OPTIONAL { ?activity kg:recordsWritten ?written }
          OPTIONAL { ?activity kg:recordsRejected ?rejected }
        } ORDER BY ?title ?created LIMIT 1"""))  # fmt: skip
    facts = dataset[0] if dataset else {}
    inputs = tuple(
        InputRow(row["name"], row["format"], _int(row["records"]))
        for row in _rows(store, """
            SELECT ?name ?format (COUNT(DISTINCT ?record) AS ?records) WHERE {
              ?file a kg:InputFile . OPTIONAL { ?file dcterms:title ?name }
              OPTIONAL { ?file kg:inputFormat ?format }
              OPTIONAL { ?record kg:sourceFile ?file }
            } GROUP BY ?file ?name ?format ORDER BY ?name ?format""")
    )  # fmt: skip
    by_kind = Counter(kinds.values())

    def number(name: str) -> int | None:
        return _int(facts[name]) if facts.get(name) else None

    return Summary(
        title=facts.get("title", ""),
        created=facts.get("created", ""),
        triples=len(store),
        records_read=number("read"),
        records_written=number("written"),
        records_rejected=number("rejected"),
        inputs=inputs,
        works=len(kinds),
        works_by_kind=tuple(sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))),
        people=_count(store, "?x a schema:Person"),
        journals=_count(store, "?x a schema:Periodical"),
        books=_count(store, "?x a schema:Book"),
        themes=_count(store, "?x a skos:Concept"),
    )


def works_per_year(store: ox.Store, kinds: dict[str, str]) -> tuple[YearRow, ...]:
    query = f"""SELECT ?work (STR(MIN(?y)) AS ?year) WHERE {{ {_WORKS}
        ?work kg:publicationYear ?y }} GROUP BY ?work"""
    counted = Counter(
        (row["year"], kinds.get(row["work"], "Other"))
        for row in _rows(store, query)
        if len(row["year"]) == 4 and row["year"].isdigit()
    )
    return tuple(YearRow(year, kind, n) for (year, kind), n in sorted(counted.items()))


def journals(store: ox.Store) -> list[VenueRow]:
    return _venues(store, "schema:Periodical", "schema:issn", "schema:isPartOf+")


def books(store: ox.Store) -> list[VenueRow]:
    return _venues(store, "schema:Book", "schema:isbn", "schema:isPartOf")


def _venues(store: ox.Store, kind: str, identifier: str, path: str) -> list[VenueRow]:
    names = {row["v"]: row["name"] for row in _rows(store, f"""
        SELECT ?v (MIN(STR(?n)) AS ?name) WHERE {{ ?v a {kind} OPTIONAL {{ ?v schema:name ?n }} }}
        GROUP BY ?v""")}  # fmt: skip
    ids: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, f"SELECT ?v ?id WHERE {{ ?v a {kind} ; {identifier} ?id }}"):
        ids[row["v"]].add(row["id"])
    counts = {row["v"]: _int(row["n"]) for row in _rows(store, f"""
        SELECT ?v (COUNT(DISTINCT ?work) AS ?n) WHERE {{ ?v a {kind} . {_WORKS}
          ?work {path} ?v }} GROUP BY ?v""")}  # fmt: skip
    rows = [
        VenueRow(v, names.get(v) or "(no name)", ", ".join(sorted(ids[v])), counts.get(v, 0))
        for v in names
    ]
    return sorted(rows, key=lambda r: (-r.works, r.name, r.iri))


def themes(store: ox.Store, keywords: list[ThemeRow]) -> list[ThemeRow]:
    """Concepts of the theme vocabulary linked to works: named by a work's keywords
    (schema:about) or found in its title, abstract or keywords (kg:matchedTheme). Concepts kg
    minted from keywords the vocabulary does not know (every label of theirs is a keyword of the
    sources, and they are in no hierarchy) are left to the keyword list."""
    given = {row.label for row in keywords}
    labels: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, """SELECT ?c ?label WHERE { ?c a skos:Concept ;
            skos:prefLabel|skos:altLabel ?l BIND (STR(?l) AS ?label) }"""):  # fmt: skip
        labels[row["c"]].add(row["label"])
    placed = {row["c"] for row in _rows(store, """SELECT DISTINCT ?c WHERE {
        ?c a skos:Concept ; skos:topConceptOf|skos:broader|skos:narrower ?other }""")}  # fmt: skip
    query = f"""SELECT ?theme (MIN(STR(?pref)) AS ?label) (COUNT(DISTINCT ?work) AS ?n) WHERE {{
        {_WORKS} ?work schema:about|kg:matchedTheme ?theme . ?theme a skos:Concept .
        OPTIONAL {{ ?theme skos:prefLabel ?pref }} }} GROUP BY ?theme"""
    rows = [
        ThemeRow(r["label"] or r["theme"], _int(r["n"]), r["theme"])
        for r in _rows(store, query)
        if r["theme"] in placed or not labels[r["theme"]] <= given
    ]
    return sorted(rows, key=lambda r: (-r.works, r.label, r.iri))


def keywords(store: ox.Store) -> list[ThemeRow]:
    """The keywords as the sources gave them (schema:keywords), by the works that carry them."""
    query = f"""SELECT ?keyword (COUNT(DISTINCT ?work) AS ?n) WHERE {{ {_WORKS}
        ?work schema:keywords ?k BIND (STR(?k) AS ?keyword) }} GROUP BY ?keyword"""
    rows = [ThemeRow(r["keyword"], _int(r["n"])) for r in _rows(store, query)]
    return sorted(rows, key=lambda r: (-r.works, r.label))


def downloads(store: ox.Store, titles: dict[str, str]) -> list[DownloadRow]:
    query = f"""SELECT ?work (MAX(?count) AS ?n) WHERE {{ {_WORKS}
        ?work schema:interactionStatistic ?stat .
        ?stat schema:interactionType schema:DownloadAction ; schema:userInteractionCount ?count
        }} GROUP BY ?work"""
    rows = [
        DownloadRow(r["work"], titles.get(r["work"], "(no title)"), _int(r["n"]))
        for r in _rows(store, query)
    ]
    return sorted(rows, key=lambda r: (-r.downloads, r.title, r.iri))


def network(store: ox.Store, limit: int | None = None) -> Network:
    """The most connected people (by distinct co-authors, then works, then name) and the
    co-author links among them; works with more than NETWORK_MAX_AUTHORS authors link nobody."""
    authors: dict[str, set[str]] = defaultdict(set)
    query = f"""SELECT DISTINCT ?work ?person
        WHERE {{ {_WORKS} ?work schema:author ?person . ?person a schema:Person }}"""
    for row in _rows(store, query):
        authors[row["work"]].add(row["person"])
    names = {row["p"]: row["name"] for row in _rows(store, """
        SELECT ?p (MIN(STR(?n)) AS ?name)
        WHERE { ?p a schema:Person OPTIONAL { ?p schema:name ?n } } GROUP BY ?p""")}  # fmt: skip
    works: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for people in authors.values():
        works.update(people)
        if len(people) <= NETWORK_MAX_AUTHORS:
            ordered = sorted(people)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs[(a, b)] += 1
    coauthors: Counter[str] = Counter()
    for a, b in pairs:
        coauthors[a] += 1
        coauthors[b] += 1
    everyone = [Person(p, names.get(p) or p, works[p], coauthors[p]) for p in works]
    everyone.sort(key=lambda p: (-p.coauthors, -p.works, p.name, p.iri))
    shown = everyone[: NETWORK_PEOPLE if limit is None else limit]
    chosen = {p.iri for p in shown}
    edges = tuple(sorted((a, b, n) for (a, b), n in pairs.items() if a in chosen and b in chosen))
    return Network(tuple(shown), edges, len(everyone), len(pairs))


_SH = "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
_SEVERITIES = {
    "http://www.w3.org/ns/shacl#Violation": "Violation",
    "http://www.w3.org/ns/shacl#Warning": "Warning",
    "http://www.w3.org/ns/shacl#Info": "Info",
}


def validation_in_store(
    store: ox.Store, titles: dict[str, str], sources: dict[str, list[str]]
) -> Validation | None:
    """The results of a SHACL validation report among the store's triples (kg's validation.ttl
    given to `kg report`), or None when there is none."""
    reports = list(_rows(store, _SH + """SELECT ?conforms WHERE { ?r a sh:ValidationReport
        OPTIONAL { ?r sh:conforms ?conforms } } ORDER BY ?conforms"""))  # fmt: skip
    if not reports:
        return None
    results = [
        (r["focus"], _SEVERITIES.get(r["severity"], r["severity"]), r["path"], r["message"])
        for r in _rows(store, _SH + """SELECT ?focus ?severity ?path ?message WHERE {
            ?result a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
            OPTIONAL { ?result sh:resultPath ?path } OPTIONAL { ?result sh:resultMessage ?message }
            }""")
    ]  # fmt: skip
    return validation_of(results, titles, sources)


def validation_of(
    results: list[tuple[str, str, str, str]],
    titles: dict[str, str],
    sources: dict[str, list[str]],
) -> Validation:
    """Results (focus, severity, path, message) grouped by work, violations first."""
    grouped: dict[str, set[Problem]] = defaultdict(set)
    for focus, severity, path, message in results:
        grouped[focus].add(Problem(severity, _short(path), message))
    order = {"Violation": 0, "Warning": 1, "Info": 2}

    def rank(problem: Problem) -> tuple[int, str, str]:
        return order.get(problem.severity, 3), problem.path, problem.message

    works = [
        ProblemWork(
            focus,
            titles.get(focus, focus),
            tuple(sources.get(focus, ())),
            tuple(sorted(problems, key=rank)),
        )
        for focus, problems in grouped.items()
    ]
    works.sort(key=lambda w: (rank(w.problems[0])[0], w.sources or ("~",), w.iri))
    violations = sum(1 for _, severity, _, _ in results if severity == "Violation")
    return Validation(
        conforms=violations == 0,
        violations=violations,
        warnings=len(results) - violations,
        works=_capped(works, VALIDATION_WORKS),
    )


def _short(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items()):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def merges(
    sources: dict[str, list[str]], titles: dict[str, str], conflicts: dict[str, list[str]]
) -> Capped[MergedWork]:
    """Works made of two or more records, with what the records disagreed on (when known)."""
    rows = [
        MergedWork(work, titles.get(work, "(no title)"), tuple(places),
                   tuple(conflicts.get(work, ())))
        for work, places in sources.items()
        if len(places) > 1
    ]  # fmt: skip
    rows.sort(key=lambda m: (-len(m.conflicts), m.sources, m.iri))
    return _capped(rows, MERGED_WORKS)


_GRAPH_FORM = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.MULTILINE | re.IGNORECASE)


def query_tables(store: ox.Store, answers: Path | None = None) -> tuple[QueryTable, ...]:
    """The answers of the example queries that SELECT (the CONSTRUCTs make graphs, not tables):
    read from ``answers`` (an export's queries/ folder of SPARQL CSV answers) when given, else
    asked of the store."""
    tables = []
    for example in example_queries():
        if _GRAPH_FORM.search(example.text):
            continue
        if answers is not None:
            with (answers / f"{example.name}.csv").open(encoding="utf-8", newline="") as stream:
                header, *found = list(csv.reader(stream))
            table = QueryTable(example.name, example.description, tuple(header),
                               _capped([tuple(row) for row in found], QUERY_ROWS))  # fmt: skip
            tables.append(table)
            continue
        results = run_query(store, example.text, example.defaults)
        if not isinstance(results, ox.QuerySolutions):
            continue
        columns = tuple(variable.value for variable in results.variables)
        rows = [
            tuple("" if solution[c] is None else _cell(solution[c]) for c in columns)
            for solution in results
        ]
        tables.append(
            QueryTable(example.name, example.description, columns, _capped(rows, QUERY_ROWS))
        )
    return tuple(tables)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)

"""The one place that turns identity into IRIs: every IRI kg writes is minted here.

The same person, journal, volume, issue, book or theme gets the same IRI from every record and every
input, so merging graphs is the union of their triples. Which written forms name one thing across
inputs (a journal's print and electronic ISSNs, "Teague, R." and "Rosalind Teague") is decided by
:mod:`kg.resolve.identity` before mapping; the minter turns its keys into IRIs. Keys are readable:

=================  ==========================================================================
person             ``person/orcid-0000-0002-1825-0097`` when the ORCID is known, else
                   ``person/julie-repper`` (the name in "Given Family" order, as a slug)
organisation       ``organization/<name slug>``; a funder by its registry DOI
                   ``organization/doi/10.13039/501100000780``
journal            ``periodical/issn-1755-6228`` (its linking, else print, else lowest valid ISSN),
                   else ``periodical/<name slug>``
volume / issue     ``periodical/issn-1755-6228/volume/7`` and ``…/volume/7/issue/2``
book               ``book/isbn-9781803824291`` (lowest valid ISBN, as ISBN-13), else
                   ``book/<title>``; a book's own record is that same node
theme              ``theme/peer-support`` in the scheme ``themes``
work               ``work/doi/10.1108/abc`` when the DOI is known, else ``work/<12 hex>``: a
                   SHA-256 of the record's canonical fingerprint (type, date, authors, venue,
                   volume, issue, title, abstract), so two different records never share one
parts of a work    ``work/<key>/author/1``, ``…/abstract/2``, ``…/downloads``, ``…/funding/1``,
                   ``…/theme-match/1``
provenance         ``source/<sha256 of the file, 16 hex>/record/3``, ``dataset/<name>``,
                   ``dataset/<name>/export``
=================  ==========================================================================

Every IRI is checked with Oxigraph's strict IRI parser and for characters Virtuoso and Jena reject
before it leaves this module.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from urllib.parse import quote

import pyoxigraph
from rdflib import BNode, URIRef

from kg.core.namespaces import PREFIXES
from kg.core.problems import SourceLocation
from kg.core.records import PersonName, Record, Venue, WorkKind
from kg.errors import IriError
from kg.identifiers import doi, isbn, issn
from kg.resolve.identity import Identities, funder_key, organization_key
from kg.resolve.slugs import slug

DEFAULT_BASE_IRI = "https://example.org/kg/"

# Characters no strict RDF parser accepts inside <...>, beyond what the IRI grammar forbids, and
# the bidirectional formatting characters RFC 3987 (section 4.1) forbids in IRIs.
_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SAFE_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# The path ends of a work's parts (authorship, abstract_section, grant, download_counter below).
_PART_OF_A_WORK = re.compile(r"/(?:author|abstract|funding|theme-match)/\d+\Z|/downloads\Z")


def check_iri(iri: str) -> str:
    """Return ``iri`` if strict parsers accept it, else raise :class:`IriError`.

    >>> check_iri("https://example.org/kg/person/julie-repper")
    'https://example.org/kg/person/julie-repper'
    >>> check_iri("https://example.org/kg/a b")
    Traceback (most recent call last):
    ...
    kg.errors.IriError: not a valid IRI (it contains ' '): 'https://example.org/kg/a b'
    """
    bad = _FORBIDDEN.search(iri)
    if bad:
        raise IriError(f"not a valid IRI (it contains {bad.group()!r}): {iri!r}")
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as error:
        raise IriError(f"not a valid absolute IRI ({error}): {iri!r}") from None
    return iri


def short_hash(*parts: str, length: int = 12) -> str:
    """Hex digest of the parts, unambiguous about where one part ends."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def _whitespace_folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


class Minter:
    """Mints every IRI of one export under one base IRI."""

    def __init__(
        self, base_iri: str = DEFAULT_BASE_IRI, identities: Identities | None = None
    ) -> None:
        if not base_iri.endswith("/") or "#" in base_iri or "?" in base_iri:
            # Relative IRIs (the default themes) resolve under such a base as they are minted.
            raise IriError(f"the base IRI must end with '/' and hold no '?' or '#': {base_iri!r}")
        self.base = check_iri(base_iri)
        # Who is who across records (kg.resolve.identity).
        self.identities = identities or Identities()
        # This export's dataset: ``dataset/<name>`` (kg.map.provenance.dataset_name); None:
        # ``dataset``, for a minter that describes no export.
        self.dataset_name: str | None = None
        # Paths the identifier register keeps where they differ from today's (kg.resolve.register)
        self.published: dict[str, str] = {}

    def prefixes(self) -> dict[str, str]:
        """Prefixes for the namespaces minted here, for readable Turtle."""
        kinds = ("work", "person", "periodical", "book", "theme", "source")
        return {kind: check_iri(f"{self.base}{kind}/") for kind in kinds}

    def iri(self, path: str) -> URIRef:
        """``base`` + ``path`` (or the path the identifier register published for it), checked."""
        return URIRef(check_iri(self.base + self.published.get(path, path)))

    def as_published(self, path: str) -> URIRef:
        """``base`` + ``path`` as the identifier register holds it: never another path."""
        return URIRef(check_iri(self.base + path))

    # --- shared entities: the same thing gets the same IRI from any record ----------------

    def person(self, name: PersonName) -> URIRef:
        if name.organization:
            return self.organization(name.written)
        key = self.identities.person(name)
        return self.iri(f"person/{key or 'unnamed-' + short_hash(name.written)}")

    def organization(self, name: str) -> URIRef:
        """A corporate author or a publisher, by its name."""
        return self.iri(f"organization/{organization_key(name) or short_hash(name)}")

    def funder(self, funder_doi: str) -> URIRef:
        """A funder of the Crossref Funder Registry, by its DOI (10.13039/…)."""
        return self.iri(f"organization/{funder_key(funder_doi)}")

    def periodical(self, venue: Venue) -> URIRef | None:
        key = self.identities.journal(venue)
        return self.iri(f"periodical/{key}") if key else None

    def volume(self, periodical: URIRef, volume: str) -> URIRef:
        return URIRef(check_iri(f"{periodical}/volume/{slug(volume) or short_hash(volume)}"))

    def issue(self, parent: URIRef, issue: str) -> URIRef:
        """An issue under its volume, or directly under the journal when there is no volume."""
        return URIRef(check_iri(f"{parent}/issue/{slug(issue) or short_hash(issue)}"))

    def book(self, venue: Venue) -> URIRef | None:
        key = self.identities.book(venue)
        return self.iri(f"book/{key}") if key else None

    def theme(self, label: str) -> URIRef:
        return self.iri(f"theme/{slug(label) or short_hash(label)}")

    def theme_scheme(self) -> URIRef:
        return self.iri("themes")

    # --- works and their parts --------------------------------------------------------------

    def work(self, record: Record) -> URIRef:
        """The work ``record`` is (a merged work's record): its own key, unless resolve gave it
        another to keep it apart from a work with the same key (:func:`keep_works_apart`)."""
        return self.iri(self.identities.works.get(record.source) or self.work_key(record))

    def work_key(self, record: Record) -> str:
        """The path a work has on its own: a book by its ISBN, else the DOI, else a short hash of
        its fingerprint. A DOI that ends as a work's part does (``…/author/1``) is hashed too, or
        the work would be another work's authorship."""
        return self.book_work_key(record) or unresolved_work_key(record)

    def book_work_key(self, record: Record) -> str | None:
        """A book's path by its resolved ISBN; None for any other work (or a book without one)."""
        if record.kind is WorkKind.BOOK and record.venue is not None:
            key = self.identities.book(record.venue)
            if key is not None and key.startswith("isbn-"):  # a book is known by its ISBN
                return f"book/{key}"
        return None

    def authorship(self, work: URIRef, position: int) -> URIRef:
        return URIRef(f"{work}/author/{position}")

    def abstract_section(self, work: URIRef, position: int) -> URIRef:
        return URIRef(f"{work}/abstract/{position}")

    def grant(self, work: URIRef, position: int) -> URIRef:
        return URIRef(f"{work}/funding/{position}")

    def theme_match(self, work: URIRef, position: int) -> URIRef:
        return URIRef(f"{work}/theme-match/{position}")

    def download_counter(self, work: URIRef) -> URIRef:
        return URIRef(f"{work}/downloads")

    def list_cell(self, owner: URIRef, position: int) -> BNode:
        return list_cell(owner, position)

    # --- provenance -------------------------------------------------------------------------

    def input_file(self, sha256: str, name: str) -> URIRef:
        """One input: its bytes and its name (two copies under two names are two inputs)."""
        return self.iri(f"source/{short_hash(name, sha256, length=16)}")

    def source_record(self, input_file: URIRef, number: int) -> URIRef:
        return URIRef(f"{input_file}/record/{number}")

    def dataset(self) -> URIRef:
        return self.iri(self._dataset_path())

    def _dataset_path(self) -> str:
        return "dataset" if self.dataset_name is None else f"dataset/{self.dataset_name}"

    def export_activity(self) -> URIRef:
        return self.iri(f"{self._dataset_path()}/export")

    def class_partition(self, class_iri: str) -> URIRef:
        """``dataset/class/schema-ScholarlyArticle``: the class's prefixed name, readable."""
        for prefix, namespace in PREFIXES.items():
            local = class_iri.removeprefix(namespace)
            if local != class_iri and _SAFE_LOCAL.match(local):
                return self.iri(f"{self._dataset_path()}/class/{prefix}-{local}")
        return self.iri(f"{self._dataset_path()}/class/{short_hash(class_iri, length=12)}")

    def software(self, version: str) -> URIRef:
        return self.iri(f"software/kg-{slug(version)}")


def list_cell(owner: URIRef | BNode, position: int) -> BNode:
    """The cell at ``position`` (from 1) of the list ``owner`` holds: rdf:List cells are the only
    blank nodes, and their labels are stable across runs."""
    return BNode(f"l{short_hash(str(owner), length=16)}x{position}")


def work_fingerprint(record: Record) -> tuple[str, ...]:
    """What makes a record this work and no other; equal fingerprints mean the same work."""
    venue = record.venue or Venue(title=None)
    venue_key = (
        (isbn.to_isbn13(venue.isbn) if venue.isbn and isbn.is_valid(venue.isbn) else None)
        or (issn.format(venue.issn) if venue.issn and issn.is_valid(venue.issn) else None)
        or _whitespace_folded(venue.title or venue.issn or venue.isbn)
    )
    return (
        record.kind.value,
        _whitespace_folded(record.title),
        record.published.lexical if record.published else "",
        "; ".join(_whitespace_folded(a.written) for a in record.authors),
        venue_key,
        _whitespace_folded(venue.volume),
        _whitespace_folded(venue.issue),
        _whitespace_folded(record.full_abstract or record.snippet),
    )


def export_minter(
    works: Iterable[Record], base_iri: str = DEFAULT_BASE_IRI, identities: Identities | None = None
) -> Minter:
    """The minter of one export: resolve's identities, and keys for the works (the merged works'
    records, in input order) that keep each work apart from every other."""
    minter = Minter(base_iri, identities)
    minter.identities.works.update(keep_works_apart(minter, works))
    return minter


def unresolved_work_key(record: Record) -> str:
    """A work's path by what its record alone says (no book identity): the DOI, else a hash."""
    if record.doi and doi.is_valid(record.doi):
        path = "work/doi/" + quote(doi.compact(record.doi), safe="/:;()._-~!$&'*+,=@")
        if not _PART_OF_A_WORK.search(path):
            return path
    return f"work/{short_hash(*work_fingerprint(record))}"


def fuller_work_key(record: Record) -> str:
    """The path of a work that would share its own with an earlier work: a hash of all it says."""
    return f"work/{short_hash(*work_fingerprint(record), *_identifiers(record))}"


def keep_works_apart(minter: Minter, works: Iterable[Record]) -> dict[SourceLocation, str]:
    """Keys for the works that would share an IRI with an earlier one, by the source of each
    work's record (``works``: the merged works' records, in input order).

    Records the merge keeps apart can still give one key: the same title, authors, date and
    venue with PMIDs that differ, or the same DOI with PMIDs that differ. Two works must never
    be one node, so the first keeps its key and each later one is keyed by a hash of all it
    says, identifiers and pages too; works without such a twin keep the IRI they have alone.
    """
    return keep_keys_apart(
        (
            key_digest(minter.work_key(r)),
            functools.partial(fuller_work_key, r),
            functools.partial(_source, r),
        )
        for r in works
    )


def keep_keys_apart(
    works: Iterable[tuple[bytes, Callable[[], str], Callable[[], SourceLocation]]],
) -> dict[SourceLocation, str]:
    """:func:`keep_works_apart` for works given as (digest of the key, fuller key, source): the
    fuller key and the source are asked for only of a work that needs another key."""
    taken: set[bytes] = set()
    overrides: dict[SourceLocation, str] = {}
    for digest, fuller_of, source_of in works:
        if digest in taken:
            fuller = fuller_of()
            key, again = fuller, 2
            while (digest := key_digest(key)) in taken:  # the very same record twice
                key, again = f"{fuller}-{again}", again + 1
            overrides[source_of()] = key
        taken.add(digest)
    return overrides


def key_digest(key: str) -> bytes:
    """A key as 16 bytes: two different keys of a million records never share one (128 bits),
    and a set of them holds a fraction of the keys' room."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def _source(record: Record) -> SourceLocation:
    return record.source


def _identifiers(record: Record) -> tuple[str, ...]:
    venue = record.venue or Venue(title=None)
    issns = ";".join(i.value for i in venue.issns)
    return (record.doi or "", record.pmid or "", record.page_start or "", record.page_end or "",
            record.article_number or "", issns, ";".join(venue.isbns))  # fmt: skip

"""The identifier register: an IRI, once published, stays in the graph: a later export with more
inputs (a DOI, an ORCID, a corrected title learned) keeps it, two published IRIs found to be one
entity are linked with owl:sameAs, and two processes exporting on one register at once leave it
whole. Graphs are read back with Oxigraph's strict parser."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from kg.cli import main
from kg.core.namespaces import OWL
from kg.resolve.mint import DEFAULT_BASE_IRI
from kg.resolve.register import KEY_LOOKUP, KEYS_OF_PATH, REGISTER_FILE, Entity, publish
from tests.conftest import EXAMPLE, EXAMPLES, FIXED_EPOCH, ROOT

FAST = ("--quiet", "--no-report", "--no-queries", "--no-validate", "--formats", "ttl")
SAME_AS = OWL.sameAs


def export(out: Path, *inputs: Path, options: tuple[str, ...] = ()) -> ox.Store:
    arguments = [*map(str, inputs), "--out", str(out), *FAST, *options]
    result = CliRunner().invoke(main, ["export", *arguments], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)  # strict
    return store


def iris(store: ox.Store) -> set[str]:
    """Every IRI minted under the base, but the dataset's own (each export is its own dataset)."""
    found = set()
    for quad in store:
        for term in (quad.subject, quad.object):
            path = term.value.removeprefix(DEFAULT_BASE_IRI)
            minted = isinstance(term, ox.NamedNode) and path != term.value
            if minted and not path.startswith("dataset"):
                found.add(term.value)
    return found


def same_as(store: ox.Store) -> set[tuple[str, str]]:
    predicate = ox.NamedNode(str(SAME_AS))
    quads = store.quads_for_pattern(None, predicate, None)
    return {(q.subject.value, q.object.value) for q in quads}


def work_titled(store: ox.Store, title: str) -> str:
    predicate = ox.NamedNode("http://purl.org/dc/terms/title")
    works = [q.subject.value for q in store.quads_for_pattern(None, predicate, ox.Literal(title))]
    assert len(works) == 1, title
    return str(works[0])


def test_a_later_export_with_more_inputs_keeps_every_published_iri(tmp_path: Path) -> None:
    register = tmp_path / "ids.sqlite"
    alone = iris(export(tmp_path / "a", EXAMPLE, options=("--register", str(register))))
    together = iris(export(tmp_path / "ab", *EXAMPLES, options=("--register", str(register))))
    assert len(alone) > 100
    assert alone - together == set()
    # Without the register, the DOIs, ORCIDs and titles the other inputs add move IRIs.
    moved = alone - iris(export(tmp_path / "ab0", *EXAMPLES, options=("--no-register",)))
    assert len(moved) >= 12 and any("/work/doi/" not in iri for iri in moved)


def test_a_new_register_changes_no_iri(tmp_path: Path) -> None:
    with_register = export(tmp_path / "a", *EXAMPLES)
    without = export(tmp_path / "b", *EXAMPLES, options=("--no-register",))
    assert (tmp_path / "a" / REGISTER_FILE).is_file()
    assert not (tmp_path / "b" / REGISTER_FILE).exists()
    a, b = (tmp_path / "a" / "graph.ttl").read_bytes(), (tmp_path / "b" / "graph.ttl").read_bytes()
    assert a == b and len(with_register) == len(without)


ARTICLE = """TY  - JOUR
AU  - Repper, Julie
AU  - Carter, Tim
TI  - {title}
T2  - The Journal of Mental Health Training, Education and Practice
SN  - 1755-6228
PY  - 2011
VL  - 6
IS  - 2
SP  - 64
EP  - 71
{extra}ER  - {end}
"""


def test_a_corrected_title_and_a_learned_doi_keep_the_works_iri(tmp_path: Path) -> None:
    """The default register, in the export folder, carried from one export to the next."""
    out, ris = tmp_path / "export", tmp_path / "a.ris"
    ris.write_text(ARTICLE.format(title="Peer suport in mental helth services", extra="", end=""))
    first = work_titled(export(out, ris), "Peer suport in mental helth services")
    assert "/work/doi/" not in first
    corrected = "Peer support in mental health services"
    ris.write_text(ARTICLE.format(title=corrected, extra="DO  - 10.5555/kg-register-1\n", end=""))
    assert work_titled(export(out, ris), corrected) == first
    fresh = work_titled(export(tmp_path / "elsewhere", ris), corrected)  # no register there yet
    assert fresh.endswith("/work/doi/10.5555/kg-register-1")


PERSON = "TY  - JOUR\nAU  - {author}\nTI  - {title}\nPY  - 2020\nT2  - Peer Review\nER  - \n"


def test_two_published_iris_found_to_be_one_person_are_linked_never_dropped(
    tmp_path: Path,
) -> None:
    register = ("--register", str(tmp_path / "ids.sqlite"))
    initials, full = tmp_path / "initials.ris", tmp_path / "full.ris"
    initials.write_text(PERSON.format(author="Repper, J.", title="One"))
    full.write_text(PERSON.format(author="Repper, Julie", title="Two"))
    first = iris(export(tmp_path / "1", initials, options=register))
    second = iris(export(tmp_path / "2", full, options=register))
    old, other = f"{DEFAULT_BASE_IRI}person/j-repper", f"{DEFAULT_BASE_IRI}person/julie-repper"
    assert old in first and other in second
    # Together, "Repper, J." is Julie Repper: one person, two published IRIs.
    both = export(tmp_path / "3", initials, full, options=register)
    assert same_as(both) == {(other, old)}
    assert old in iris(both) and other in iris(both)
    authors = {q.object.value for q in both.quads_for_pattern(
        None, ox.NamedNode("http://schema.org/author"), None)}  # fmt: skip
    assert authors == {old}  # the older IRI is kept
    report = (tmp_path / "3" / "merges.txt").read_text()
    assert f"{other} owl:sameAs {old}" in report
    # A later export of the full name alone keeps the kept IRI and says the link again; one
    # that learns her ORCID keeps it too.
    again = export(tmp_path / "4", full, options=register)
    assert same_as(again) == {(other, old)}
    arguments = [str(full), "--out", str(tmp_path / "4"), *register, "--no-report", "--no-queries"]
    said = CliRunner().invoke(main, ["export", *arguments]).output
    assert "identifier register: 1 published IRIs stated owl:sameAs the IRI kept for their " in said
    orcid = tmp_path / "orcid.json"
    orcid.write_text(
        '[{"id": "x", "type": "article-journal", "title": "Two", "issued": {"date-parts": '
        '[[2020]]}, "container-title": "Peer Review", "author": [{"family": "Repper", '
        '"given": "Julie", "ORCID": "https://orcid.org/0000-0002-1825-0097"}]}]'
    )
    learned = export(tmp_path / "5", orcid, options=register)
    assert old in iris(learned)
    assert f"{DEFAULT_BASE_IRI}person/orcid-0000-0002-1825-0097" not in iris(learned)


def test_two_processes_exporting_on_one_register_at_once_leave_it_whole(tmp_path: Path) -> None:
    register = tmp_path / "shared.sqlite"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}

    def start(name: str, *inputs: Path) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "kg", "export", *map(str, inputs), "--out",
                   str(tmp_path / name), "--register", str(register), *FAST]  # fmt: skip
        return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)

    runs = [start("alone", EXAMPLE), start("together", *EXAMPLES), start("again", EXAMPLE)]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr.decode()
    with sqlite3.connect(register) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        paths = [row[0] for row in connection.execute("SELECT path FROM iri")]
    assert len(paths) == len(set(paths)) >= 30  # works, persons, journals, books

    def graph(name: str) -> ox.Store:
        store = ox.Store()
        store.load(path=str(tmp_path / name / "graph.ttl"), format=ox.RdfFormat.TURTLE)
        return store

    alone, again, together = (iris(graph(name)) for name in ("alone", "again", "together"))
    # Whichever ran first, the same entity has one IRI in all three exports.
    assert alone == again
    assert alone - together == set()


def test_a_file_that_is_not_a_register_is_a_one_line_error(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database, just some text that is long enough to have a header\n" * 20)
    arguments = [str(EXAMPLE), "--out", str(tmp_path / "out"), "--register", str(other), *FAST]
    result = CliRunner().invoke(main, ["export", *arguments])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {other}: not a kg identifier register (file is not a database)"
    )
    both = [*arguments, "--no-register"]
    result = CliRunner().invoke(main, ["export", *both])
    assert (
        result.exit_code == 2 and "--register FILE and --no-register: choose one" in result.output
    )


def test_the_register_in_the_folder_is_not_a_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(out, EXAMPLE)
    export(out, EXAMPLE)  # no --force needed: kg wrote register.sqlite
    assert (out / REGISTER_FILE).is_file()


def test_what_a_key_decides_and_what_it_does_not(tmp_path: Path) -> None:
    register, base = tmp_path / "ids.sqlite", DEFAULT_BASE_IRI
    first = publish(register, base, [Entity("work/a", ("doi:10.1/a", "title:t")),
                                     Entity("work/b", ("title:u",))])  # fmt: skip
    assert (first.minted, first.reused, first.paths) == (2, 0, {})
    # The same title, but another DOI: another work, which keeps the IRI it has alone.
    assert (
        publish(register, base, [Entity("work/doi/10.1/z", ("doi:10.1/z", "title:t"))]).paths == {}
    )
    # A key two entities of one export share decides nothing.
    shared = publish(
        register, base, [Entity("work/c", ("title:u",)), Entity("work/d", ("title:u",))]
    )
    assert shared.paths == {} and shared.reused == 0
    # An IRI published for an entity with another DOI is never given to this one; without a
    # DOI, the IRI kg mints is the entity's by kg's own rule (the same fingerprint).
    other = publish(register, base, [Entity("work/a", ("doi:10.1/other", "title:v"))])
    assert set(other.paths) == {"work/a"} and other.paths["work/a"].startswith("work/")
    assert other.paths["work/a"] != "work/a"
    assert publish(register, base, [Entity("work/b", ("title:w",))]).paths == {}
    # The same key finds the same IRI, under this base only.
    assert publish(register, base, [Entity("work/doi/10.1/a", ("doi:10.1/a",))]).paths == {
        "work/doi/10.1/a": "work/a"
    }
    elsewhere = "https://data.example.edu/kg/"
    assert publish(register, elsewhere, [Entity("work/doi/10.1/a", ("doi:10.1/a",))]).paths == {}


def test_the_library_keeps_a_register_as_kg_export_does(tmp_path: Path) -> None:
    import kg

    kg.export([EXAMPLE], tmp_path / "default")
    assert (tmp_path / "default" / REGISTER_FILE).is_file()
    kg.export([EXAMPLE], tmp_path / "none", register=False)
    assert not (tmp_path / "none" / REGISTER_FILE).exists()
    kg.export([EXAMPLE], tmp_path / "shared", register=tmp_path / "ids.sqlite")
    assert (tmp_path / "ids.sqlite").is_file()
    assert not (tmp_path / "shared" / REGISTER_FILE).exists()


def test_a_shared_register_inside_the_export_folder_is_refused(tmp_path: Path) -> None:
    """The folder is replaced as a whole: a register kept there by name would be lost."""
    out = tmp_path / "out"
    export(out, EXAMPLE)
    inside = out / "ids.sqlite"
    arguments = [str(EXAMPLE), "--out", str(out), "--register", str(inside), "--force", *FAST]
    result = CliRunner().invoke(main, ["export", *arguments])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith(f"Error: --register {inside}: keep a shared register outside the export folder")
    )
    assert (out / REGISTER_FILE).is_file() and not inside.exists()


def test_the_registers_lookups_use_an_index_not_a_scan(tmp_path: Path) -> None:
    """Each entity's keys are looked up one by one: a scan of the register for each would make
    a second export of 10,000 records take minutes (it did)."""
    register = tmp_path / "ids.sqlite"
    publish(
        register, DEFAULT_BASE_IRI, [Entity(f"work/{n}", (f"doi:10.1/{n}",)) for n in range(50)]
    )
    with sqlite3.connect(register) as connection:
        for query in (KEYS_OF_PATH, KEY_LOOKUP):
            plan = " ".join(
                row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {query}", ("b", "p"))
            )
            assert "USING" in plan and "INDEX" in plan and "(base=? AND" in plan, plan

"""morph-kgc, the RML engine kg is compared with: its own virtualenv, its input tables, its config.

morph-kgc is not a dependency of kg. The suite creates ``benchmarks/.venv-morph`` on first use
(``python -m venv`` + ``pip install 'morph-kgc==2.10.*'``) and runs morph-kgc there, in a
subprocess, on the mapping in benchmarks/morph/.

Its input is CSV, written here from the JSON-lines dump (benchmarks/synthetic.py): morph-kgc's
CSV reader is pandas' C parser, while its JSON reader loads the whole file with ``json.load`` and
walks it with a pure-Python JSONPath, so CSV is the input it maps fastest. Writing the tables is
not part of morph-kgc's time.

    python -m benchmarks.morph_kgc records.jsonl TABLES_DIR   # tables + config.ini there
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAPPING = HERE / "morph" / "mapping.rml.ttl"
CONFIG_TEMPLATE = HERE / "morph" / "config.ini"
VENV = HERE / ".venv-morph"
REQUIREMENT = "morph-kgc==2.10.*"

SCHEMA = "http://schema.org/"
BIBO = "http://purl.org/ontology/bibo/"
KG = "https://w3id.org/kg/vocab#"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
CLASSES = {
    "article": (SCHEMA + "ScholarlyArticle", BIBO + "AcademicArticle"),
    "chapter": (SCHEMA + "Chapter", BIBO + "Chapter"),
}
TABLES: dict[str, tuple[str, ...]] = {
    "works": (
        *("work", "schema_class", "bibo_class", "content_type", "title", "date", "genre", "doi"),
        *("snippet", "abstract", "container", "status", "status_iri", "first_cell"),
        *("periodical", "journal_name", "issn", "volume", "volume_number", "issue"),
        *("issue_number", "issue_parent", "book", "book_name", "isbn13", "isbn10"),
    ),
    "authors": (
        "work",
        "position",
        "person",
        "name",
        "given",
        "family",
        "cell",
        "next_cell",
        "nil",
    ),
    "sections": ("work", "position", "kind", "heading", "text"),
    "downloads": ("work", "count"),
    "keywords": ("work", "keyword"),
    "themes": ("work", "theme"),
    "concepts": ("concept", "label"),
}


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv(log: Any = sys.stderr) -> Path:
    """The morph-kgc virtualenv's Python, created and filled on first use."""
    interpreter = python()
    if interpreter.exists():
        check = subprocess.run(
            [str(interpreter), "-c", "import morph_kgc"], capture_output=True, text=True
        )
        if check.returncode == 0:
            return interpreter
    print(f"creating {VENV} with {REQUIREMENT} (once)", file=log, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(interpreter), "-m", "pip", "install", "--quiet", REQUIREMENT],
        check=True,
    )
    return interpreter


def version() -> str:
    done = subprocess.run(
        [str(python()), "-c", "import importlib.metadata as m; print(m.version('morph-kgc'))"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "?"


def _empty(value: object) -> str:
    return "" if value is None else str(value)


def write_tables(records: Path, folder: Path) -> int:
    """The CSV tables mapping.rml.ttl reads, from the JSON-lines dump; returns the records."""
    folder.mkdir(parents=True, exist_ok=True)
    streams = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") for name in TABLES
    }
    try:
        writers = {
            name: csv.writer(stream, lineterminator="\n") for name, stream in streams.items()
        }
        for name, columns in TABLES.items():
            writers[name].writerow(columns)
        count = 0
        with records.open(encoding="utf-8") as lines:
            for line in lines:
                _write_record(json.loads(line), writers)
                count += 1
        return count
    finally:
        for stream in streams.values():
            stream.close()


def _write_record(record: dict[str, Any], writers: dict[str, Any]) -> None:
    work, number = record["work"], record["n"]
    journal, volume, issue, book = (
        record["periodical"],
        record["volume"],
        record["issue"],
        record["book"],
    )
    container = (book or issue or volume or journal or {}).get("key")
    authors = record["authors"]
    schema_class, bibo_class = CLASSES[record["kind"]]
    ahead = record["ahead_of_print"]
    writers["works"].writerow(
        [
            work,
            schema_class,
            bibo_class,
            record["content_type"],
            _empty(record["title"]),
            _empty(record["date"]),
            _empty(record["genre"]),
            _empty(record["doi"]),
            _empty(record["snippet"]),
            _empty(record["abstract"]),
            _empty(container),
            "Ahead of print" if ahead else "",
            KG + "aheadOfPrint" if ahead else "",
            f"l{number}x1" if authors else "",
            _empty(journal and journal["key"]),
            _empty(journal and journal["name"]),
            _empty(journal and journal["issn"]),
            _empty(volume and volume["key"]),
            _empty(volume and volume["number"]),
            _empty(issue and issue["key"]),
            _empty(issue and issue["number"]),
            _empty(issue and (volume or journal or {}).get("key")),
            _empty(book and book["key"]),
            _empty(book and book["name"]),
            _empty(book and book["isbn13"]),
            _empty(book and book["isbn10"]),
        ]
    )
    last = len(authors)
    for position, author in enumerate(authors, start=1):
        writers["authors"].writerow(
            [
                work,
                position,
                author["person"],
                author["name"],
                _empty(author["given"]),
                _empty(author["family"]),
                f"l{number}x{position}",
                f"l{number}x{position + 1}" if position < last else "",
                RDF_NIL if position == last else "",
            ]
        )
    for position, section in enumerate(record["sections"], start=1):
        writers["sections"].writerow(
            [work, position, section["kind"], section["heading"], section["text"]]
        )
    if record["downloads"] is not None:
        writers["downloads"].writerow([work, record["downloads"]])
    for keyword in record["keywords"]:
        writers["keywords"].writerow([work, keyword])
    for theme in record["themes"]:
        writers["themes"].writerow([work, theme])
    for minted in record["keyword_concepts"]:
        writers["concepts"].writerow([minted["concept"], minted["label"]])


def write_config(folder: Path, output: Path) -> Path:
    """config.ini in ``folder`` (with the tables), writing N-Triples to ``output``."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("{output}", str(output.resolve())).replace("{mapping}", str(MAPPING))
    config = folder / "config.ini"
    config.write_text(text, encoding="utf-8")
    return config


def command(config: Path) -> list[str]:
    """Run morph-kgc on ``config`` (from the folder that holds the tables)."""
    return [str(python()), "-m", "morph_kgc", str(config.resolve())]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path, help="JSON-lines dump (benchmarks/synthetic.py)")
    parser.add_argument("folder", type=Path, help="where the tables and config.ini go")
    args = parser.parse_args()
    count = write_tables(args.records, args.folder)
    config = write_config(args.folder, args.folder / "morph.nt")
    print(f"{count:,} records as tables in {args.folder}; run: cd {args.folder} && "
          f"{' '.join(command(config))}")  # fmt: skip


if __name__ == "__main__":
    main()

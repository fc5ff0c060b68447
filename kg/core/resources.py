"""Where kg's shipped files are: the only module that builds paths to them.

In a source checkout they are the repository's top-level ``shapes/`` and ``vocab/`` folders; in an
installed wheel they are inside the package (``kg/_shipped/``, see pyproject.toml). The example
SPARQL queries are package data in ``kg/query/examples/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # kg/


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg is installed without its {name}/ folder")


def shapes_dir() -> Path:
    """The folder of SHACL shapes (``*.ttl``), one file per concern."""
    return _shipped("shapes")


def vocab_dir() -> Path:
    return _shipped("vocab")


def vocab_file(name: str) -> Path:
    """A file of ``vocab/``: ``kg.ttl``, ``themes.ttl``, ``context.jsonld``."""
    return vocab_dir() / name


def queries_dir() -> Path:
    """The example SPARQL queries (``*.rq``)."""
    return _PACKAGE / "query" / "examples"


def report_templates_dir() -> Path:
    """The Jinja2 templates of the report and the site (``*.html.j2``)."""
    return _PACKAGE / "report" / "templates"

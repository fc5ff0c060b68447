"""Every error kg raises for a person to act on, in one tree.

The command line turns each into one line on stderr and an exit code (see ``kg.cli``); a program
using kg as a library catches :class:`KgError` to catch them all. Anything else that escapes kg is
a bug in kg, which the command line reports as an internal error with its own exit code.
"""

from __future__ import annotations


class KgError(Exception):
    """An error the user can act on: bad input, bad usage, broken shapes, an unreachable store."""


class InputError(KgError):
    """A whole input cannot be read (missing, undecodable, unknown format, malformed RDF)."""


class RecordError(InputError):
    """One record cannot be read: its reader reports it (file, line, record) and reads on.

    ``at`` says where in the record the problem is, in the reader's own terms (a line index or a
    field index); None when the reader names the record's first line.
    """

    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


class UsageError(KgError):
    """Options or arguments that do not go together, or a value of the wrong form."""


class IriError(UsageError):
    """An IRI that strict parsers would refuse (the base IRI, a graph name)."""


class ShapesError(KgError):
    """SHACL shapes that cannot be read or applied."""


class QueryError(KgError):
    """A SPARQL query that cannot be run: no such example, a syntax error, a bad parameter."""


class StoreError(KgError):
    """A triple store that cannot be used."""


class LocalStoreError(StoreError):
    """A persistent Oxigraph store on disk (``kg load --store``, ``kg query --store``)."""


class RemoteStoreError(StoreError):
    """A triple store over HTTP (``kg load --endpoint``): refused, unreachable, or failing."""


class ServeError(StoreError):
    """The local SPARQL endpoint of ``kg serve`` does not start or stops by itself."""


class InputWarning(UserWarning):
    """A problem with one record, for a program using kg as a library (``kg.api``): the record
    was rejected, or kept as written with a warning. The command line prints these instead."""

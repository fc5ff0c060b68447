"""Exceptions raised by the :mod:`kg.identifiers` modules.

They live in this tiny private module so that the identifier modules can import them without
importing the package ``__init__`` (which in turn imports the identifier modules).  The
classes present themselves as members of :mod:`kg.identifiers`, where they are re-exported,
so tracebacks, doctests and pickles use the public name, e.g.
``kg.identifiers.InvalidChecksum``.
"""

__all__ = ["InvalidChecksum", "InvalidFormat", "InvalidIdentifier", "InvalidLength"]


class InvalidIdentifier(ValueError):  # noqa: N818 - stdnum-style name, fixed by the API
    """The value is not a valid identifier.

    The message says in plain words what is wrong, e.g. ``ISSN check digit is 5, expected 8``.
    Being a :class:`ValueError`, it can be caught by code that knows nothing about this package.
    """


class InvalidFormat(InvalidIdentifier):
    """The value contains characters, or a structure, that the identifier does not allow."""


class InvalidLength(InvalidIdentifier):
    """The value has the wrong number of characters (after compacting)."""


class InvalidChecksum(InvalidIdentifier):
    """The value is well-formed but its check digit does not match the other digits."""


_PUBLIC_MODULE = __name__.rpartition(".")[0]  # "kg.identifiers"
for _cls in (InvalidIdentifier, InvalidFormat, InvalidLength, InvalidChecksum):
    _cls.__module__ = _PUBLIC_MODULE
del _cls

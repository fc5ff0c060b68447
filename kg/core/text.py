"""Error messages as kg prints them: one line each."""

from __future__ import annotations


def one_line(error: Exception) -> str:
    """The error's text on one line (whitespace collapsed), or its type's name if it has none."""
    return " ".join(str(error).split()) or type(error).__name__

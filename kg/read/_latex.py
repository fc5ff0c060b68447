"""LaTeX markup in BibTeX field values to plain Unicode text, with pylatexenc doing the work.

pylatexenc turns accents (``{\\"u}``, ``\\'{e}``), escaped specials (``\\&``, ``\\%``), ligature
dashes (``--``) and case-protection braces (``{GDP}``) into text. On top of its defaults this
module adds the text-mode commands exporters write for characters BibTeX cannot hold
(``{\\textless}p{\\textgreater}`` in Zotero abstracts), reads ``\\url``/``\\href`` as their
text, treats a bare ``%`` or ``&`` as the character itself (BibTeX has no comments or tables inside
values) and turns
ties (``~``) into plain spaces. Values too large or too deeply nested for pylatexenc's recursive
parser are not given to it: their braces and backslashes are dropped instead, and the caller is
told so it can warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pylatexenc import latex2text, latexwalker, macrospec  # type: ignore[import-untyped]

# pylatexenc parses recursively and takes about 7 µs per character: beyond these limits a value
# is cleaned by the simple fallback rather than risk a RecursionError or a minute-long parse.
MAX_CONVERTED_LENGTH = 200_000
MAX_BRACE_DEPTH = 60

_TEXT_COMMANDS = {
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textquotedbl": '"',
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "textdegree": "°",
    "textperiodcentered": "·",
    "textbullet": "•",
}

_UNESCAPED_SPECIAL = re.compile(r"(?<!\\)([%&])")
_MARKUP_CHARACTERS = re.compile(r"[\\{}~$`']|--")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
_ESCAPED_CHARACTERS = frozenset("&%$#_{}")


@dataclass(frozen=True, slots=True)
class Converted:
    """The text of a value, and why markup was dropped rather than converted (None if it was)."""

    text: str
    fallback_reason: str | None = None


def _context_db() -> tuple[macrospec.LatexContextDb, macrospec.LatexContextDb]:
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "kg-bibtex",
        prepend=True,
        macros=[
            *(macrospec.MacroSpec(name, "") for name in _TEXT_COMMANDS),
            macrospec.MacroSpec("url", "{"),
            macrospec.MacroSpec("href", "{{"),
        ],
    )
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category(
        "kg-bibtex",
        prepend=True,
        macros=[
            *(latex2text.MacroTextSpec(name, text) for name, text in _TEXT_COMMANDS.items()),
            latex2text.MacroTextSpec("url", "%(1)s"),
            latex2text.MacroTextSpec("href", "%(2)s"),
        ],
    )
    return walker_db, text_db


_WALKER_DB, _TEXT_DB = _context_db()
_CONVERTER = latex2text.LatexNodes2Text(latex_context=_TEXT_DB, math_mode="text")


def latex_to_text(value: str) -> Converted:
    """``value`` (raw BibTeX field text, braces included) as Unicode text.

    Whitespace is kept as the conversion leaves it; callers collapse it as the field needs.

    >>> latex_to_text(r"Caf{\\'e} \\& {GDP}: 10--15\\% {\\textless}p{\\textgreater}").text
    'Café & GDP: 10–15% <p>'
    >>> latex_to_text("100% sure~now").text
    '100% sure now'
    """
    if not _MARKUP_CHARACTERS.search(value):
        return Converted(value)  # nothing to convert: the common case, and fast for large values
    if len(value) > MAX_CONVERTED_LENGTH:
        return Converted(_strip_markup(value), f"longer than {MAX_CONVERTED_LENGTH} characters")
    if _brace_depth(value) > MAX_BRACE_DEPTH:
        return Converted(_strip_markup(value), f"braces nested deeper than {MAX_BRACE_DEPTH}")
    escaped = _UNESCAPED_SPECIAL.sub(r"\\\1", value)
    try:
        walker = latexwalker.LatexWalker(escaped, latex_context=_WALKER_DB, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        text = _CONVERTER.nodelist_to_text(nodes)
    except (RecursionError, latexwalker.LatexWalkerError, ValueError, IndexError) as error:
        return Converted(_strip_markup(value), f"pylatexenc could not parse it ({error})")
    return Converted(text.replace("\xa0", " "))


def _brace_depth(value: str) -> int:
    depth = deepest = 0
    for character in value:
        if character == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif character == "}":
            depth -= 1
    return deepest


def _strip_markup(value: str) -> str:
    """The fallback: escaped characters kept, other commands and all braces dropped."""

    def keep_escaped(match: re.Match[str]) -> str:
        command = match.group()
        return command[1] if command[1:] in _ESCAPED_CHARACTERS else ""

    return _COMMAND.sub(keep_escaped, value).replace("{", "").replace("}", "").replace("~", " ")

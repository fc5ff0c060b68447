"""JATS and HTML markup (Crossref abstracts, titles with inline tags) turned into clean text:
paragraphs and titles, and an abstract's titled sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kg.core.records import AbstractSection

# --- abstracts and markup -------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_BLOCK_ELEMENTS = frozenset({"p", "title", "sec", "list-item", "li", "div", "abstract"})
_SKIPPED_ELEMENTS = frozenset({"script", "style"})
_LEADING_HEADINGS = frozenset({"abstract", "summary"})
_SPACES = re.compile(r"\s+")


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text) or _ENTITY.search(text))


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "title" or "p"
    text: str


def abstract_from(text: str) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """An abstract as plain text (paragraphs split by a blank line), or as titled sections when
    every paragraph sits under a title (JATS ``<sec><title>``); a leading "Abstract" title is
    dropped."""
    if has_markup(text):
        blocks = markup_blocks(text)
    else:
        blocks = [Block("p", line) for line in text.split("\n")]
    blocks = [Block(b.kind, _SPACES.sub(" ", b.text).strip()) for b in blocks]
    blocks = [b for b in blocks if b.text]
    if blocks and blocks[0].kind == "title" and blocks[0].text.lower() in _LEADING_HEADINGS:
        blocks = blocks[1:]
    if not blocks:
        return None, ()
    sections = _sections(blocks)
    if sections:
        return None, sections
    return "\n\n".join(b.text for b in blocks), ()


def _sections(blocks: list[Block]) -> tuple[AbstractSection, ...]:
    if blocks[0].kind != "title" or len(blocks) < 2:
        return ()
    grouped: list[tuple[str, list[str]]] = []
    for block in blocks:
        if block.kind == "title":
            grouped.append((block.text, []))
        else:
            grouped[-1][1].append(block.text)
    if any(not texts for _, texts in grouped):
        return ()
    return tuple(AbstractSection(heading, "\n\n".join(texts)) for heading, texts in grouped)


def markup_blocks(text: str) -> list[Block]:
    """The paragraphs and titles of JATS or HTML text, with inline markup removed.

    ``<jats:tex-math>`` keeps its TeX; of the forms in ``<alternatives>`` only the TeX is kept
    (not the MathML or the image), or the first form with text when there is no TeX.
    html.parser never fetches or expands anything beyond the standard character references and
    copes with text that is not well-formed, so no XML parser (with its entity expansion) is
    involved.
    """
    parser = _MarkupParser()
    parser.feed(text)
    parser.close()
    return parser.blocks


@dataclass
class _Alternatives:
    """An open ``<alternatives>``: the text of each form, kept until it closes."""

    depth: int  # the element stack depth inside <alternatives>
    forms: list[tuple[str, list[str]]] = field(default_factory=list)

    def choice(self) -> str:
        """The TeX form when there is one, else the first form with text."""
        texts = [(name, "".join(pieces)) for name, pieces in self.forms]
        texts = [(name, text) for name, text in texts if text.strip()]
        tex = [text for name, text in texts if name == "tex-math"]
        return tex[0] if tex else (texts[0][1] if texts else "")


class _MarkupParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.kind: str | None = None  # the open block, None outside any block element
        self.pieces: list[str] = []
        self.stack: list[str] = []
        self.alternatives: list[_Alternatives] = []
        self.skipping = 0

    @staticmethod
    def _local(tag: str) -> str:
        return tag.rsplit(":", 1)[-1].lower()

    def flush(self) -> None:
        text = "".join(self.pieces)
        if text.strip():
            self.blocks.append(Block(self.kind or "p", text))
        self.pieces = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self._local(tag)
        if name == "br":
            self._emit(" ")
            return
        if self.alternatives and len(self.stack) == self.alternatives[-1].depth:
            self.alternatives[-1].forms.append((name, []))
        self.stack.append(name)
        if name in _SKIPPED_ELEMENTS:
            self.skipping += 1
        if name == "alternatives":
            self.alternatives.append(_Alternatives(len(self.stack)))
        elif name in _BLOCK_ELEMENTS and not self.alternatives:
            self.flush()
            self.kind = "title" if name == "title" else "p"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._local(tag) == "br":
            self._emit(" ")
        elif self.alternatives and len(self.stack) == self.alternatives[-1].depth:
            self.alternatives[-1].forms.append((self._local(tag), []))  # an image: no text

    def handle_endtag(self, tag: str) -> None:
        name = self._local(tag)
        if name not in self.stack:
            return  # an end tag without its start: ignored
        while self.stack:
            closed = self.stack.pop()
            if closed in _SKIPPED_ELEMENTS:
                self.skipping -= 1
            if closed == "alternatives" and self.alternatives:
                self._emit(self.alternatives.pop().choice())
            elif closed in _BLOCK_ELEMENTS and not self.alternatives:
                self.flush()
                self.kind = None
            if closed == name:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._emit(data)

    def _emit(self, data: str) -> None:
        if self.alternatives:
            current = self.alternatives[-1]
            if len(self.stack) > current.depth and current.forms:  # not between the forms
                current.forms[-1][1].append(data)
            return
        if self.kind is None and "\n" in data:  # text outside blocks: lines are paragraphs
            *complete, rest = data.split("\n")
            for piece in complete:
                self.pieces.append(piece)
                self.flush()
            self.pieces.append(rest)
            return
        self.pieces.append(data)

    def close(self) -> None:
        super().close()
        while self.alternatives:  # never closed: its text still counts
            self._emit(self.alternatives.pop().choice())
        self.flush()

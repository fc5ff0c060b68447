"""What bytes that are not UTF-8 probably are: a small, honest guess for the error message.

kg never decodes a file in an encoding it guessed: the guess goes into the error, and the user
names the encoding with ``--encoding``. The rules are few and stdlib only:

- a file that starts like a PDF, a ZIP archive (.docx, .xlsx), gzip, PNG or JPEG is named as
  such;
- a byte-order mark, or NULs between ASCII bytes: UTF-16;
- valid UTF-8 characters beside bytes that are not: a mix, which no one encoding reads (the
  bytes that are not UTF-8 must be fixed where they are);
- else, by the bytes that are not UTF-8: any of 0x80-0x9F that Windows-1252 defines (curly
  quotes, dashes, the euro sign): Windows-1252, the encoding of older EndNote and Web of Science
  exports made on Windows; only 0xA0-0xFF: Latin-1, which Windows-1252 extends (cp1252 reads
  it the same), so ``--encoding cp1252`` is the advice for both; any of 0x81, 0x8D, 0x8F,
  0x90, 0x9D (undefined in Windows-1252): no guess.
"""

from __future__ import annotations

from dataclasses import dataclass

_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file?)"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_SAMPLE = 1 << 20  # how much of the file the guess looks at


@dataclass(frozen=True)
class Guess:
    description: str  # "Windows-1252"
    codec: str | None  # what to give --encoding; None when no one encoding reads the file


MIXED = Guess("UTF-8 mixed with another encoding (text pasted together?)", None)


def file_kind(data: bytes) -> str | None:
    """``"a PDF document"`` and the like for a file that is not text at all (its first bytes)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def guess_encoding(data: bytes) -> Guess | None:
    """The likely encoding of ``data``, which is not UTF-8; None when there is no good guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Guess("UTF-16 (it starts with a byte-order mark)", "utf-16")
    sample = data[:_SAMPLE]
    even, odd = sample[0::2], sample[1::2]
    if even and odd:  # ASCII text in UTF-16 is every other byte NUL, and the others not
        even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
        if min(even_nuls, odd_nuls) < 0.1 < 0.9 < max(even_nuls, odd_nuls):
            codec = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
            return Guess("UTF-16 without a byte-order mark", codec)
    text = sample.decode("utf-8", errors="surrogateescape")
    high = {ord(char) - 0xDC00 for char in text if 0xDC80 <= ord(char) <= 0xDCFF}
    if any(0x80 <= ord(char) < 0xDC80 or ord(char) > 0xDCFF for char in text):
        return MIXED  # UTF-8 characters beside bytes that are not: no one encoding reads both
    if high & _CP1252_UNDEFINED:
        return None
    if any(0x80 <= byte <= 0x9F for byte in high):
        return Guess("Windows-1252", "cp1252")
    if high:
        return Guess("Latin-1 or Windows-1252", "cp1252")
    return None

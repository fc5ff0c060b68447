"""Deterministic synthetic search-result pages, in the publisher's plain-text layout.

The records look like the real ones (1-5 authors drawn from a pool so people recur, journals with
valid ISSNs, volumes and issues, some ahead of print, some book parts, structured abstracts,
keywords, download counts) so that every stage of kg does its real work on them.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from kg.identifiers import isbn, issn
from kg.readers.search_page import SECTION_HEADINGS

GIVEN = [
    "Ana",
    "Ben",
    "Chloë",
    "Dara",
    "Eoin",
    "Fatima",
    "Gráinne",
    "Hugo",
    "Ines",
    "Jonah",
    "Kofi",
    "Lena",
    "Mateusz",
    "Niamh",
    "Oskar",
    "Priya",
    "Rhys",
    "Siobhán",
    "Tomás",
    "Zoë",
]
FAMILY = [
    "Repton",
    "van der Berg",
    "O'Connell",
    "Ní Bhriain",
    "Álvarez",
    "Kowalczyk-Barrett",
    "Asante",
    "de la Tour",
    "Sørlie",
    "MacAllister",
    "Ellery",
    "Hrytsenko",
    "Idrissi",
    "Teague",
    "Fontaine",
    "Nakamura",
    "Okafor",
    "Lindqvist",
    "Ferreira",
    "Dubois",
]
WORDS = [
    *("peer", "support", "workers", "recovery", "services", "lived", "experience", "supervision"),
    *("training", "stigma", "co-production", "youth", "wellbeing", "employment", "evaluation"),
    *("community", "inpatient", "policy", "organisational", "culture", "qualitative"),
    *("interviews", "outcomes", "practice"),
]
SECTIONS = list(SECTION_HEADINGS)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
KEYWORDS = [
    "Peer support",
    "Recovery",
    "Lived experience",
    "Supervision",
    "Stigma",
    "Workforce development",
    "Mental health services",
    "Training",
    "Co-production",
]


def _journals(rng: random.Random, count: int) -> list[tuple[str, str]]:
    out = []
    for number in range(count):
        digits = f"{1000000 + rng.randrange(8999999):07d}"
        out.append(
            (
                f"Journal of Synthetic Studies {number + 1}",
                issn.format(digits + issn.calc_check_digit(digits)),
            )
        )
    return out


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def records(count: int, seed: int = 2026) -> Iterator[list[str]]:
    """The lines of ``count`` records; the same seed gives the same records."""
    rng = random.Random(seed)
    journals = _journals(rng, max(5, count // 500))
    people = [f"{g} {f}" for g in GIVEN for f in FAMILY]
    book_digits = "978183797" + "000"
    book_isbn = isbn.format(book_digits + isbn.calc_check_digit13(book_digits))
    for index in range(count):
        chapter = index % 25 == 24
        authors = rng.sample(people, rng.randint(1, 5))
        author_line = (
            authors[0] if len(authors) == 1 else (", ".join(authors[:-1]) + " and " + authors[-1])
        )
        day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2005, 2025)
        sections = [
            (h, _sentence(rng, rng.randint(12, 30)))
            for h in SECTIONS
            if h in SECTIONS[:3] or rng.random() < 0.4
        ]
        lines = [
            "Book part" if chapter else "Article",
            f"Publication date: {day} {month} {year}",
            "",
            author_line,
            "",
            sections[0][1][:150] + "…",
            "",
        ]
        if rng.random() < 0.3:
            lines += [str(rng.randint(10, 5000)), ""]
        lines += ["Abstract", ""]
        for heading, text in sections:
            lines += [heading, "", f"{text} (record {index + 1})", ""]
        if chapter:
            lines += [
                "Details",
                "",
                "Synthetic Book: Peer Work in Practice",
                "Type: Book",
                f"ISBN: {book_isbn}",
            ]
        else:
            name, number = rng.choice(journals)
            if rng.random() < 0.05:
                venue = f"{name}, vol. ahead-of-print no. ahead-of-print"
            else:
                venue = f"{name}, vol. {year - 2000} no. {rng.randint(1, 4)}"
            lines += ["Details", "", venue, "Type: Research Article", f"ISSN: {number}"]
        lines += ["", "Keywords", ""]
        lines += [*rng.sample(KEYWORDS, rng.randint(0, 4)), ""]
        yield lines


def write_page(path: Path, count: int, seed: int = 2026) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f"Search results\n\n1 – {count} of {count}\n")
        for lines in records(count, seed):
            stream.write("\n".join(lines) + "\n")
        stream.write(f"1 – {count} of {count}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    write_page(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()

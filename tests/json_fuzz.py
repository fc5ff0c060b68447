"""Shared by the JSON reader tests: random mutation of JSON values, and the check that a reader
never raises on them (but for the one-line InputError of a file that is not readable JSON)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kg.core.problems import Problem, Severity
from kg.core.records import Record
from kg.errors import InputError


def mutate(value: Any, rng: random.Random, odd_values: Sequence[Any]) -> Any:
    """``value`` with one random member or element replaced by an odd value (or mutated)."""
    if isinstance(value, dict) and value:
        copy = dict(value)
        key = rng.choice(sorted(copy))
        copy[key] = (
            rng.choice(odd_values) if rng.random() < 0.5 else mutate(copy[key], rng, odd_values)
        )
        return copy
    if isinstance(value, list) and value:
        copy_list = list(value)
        index = rng.randrange(len(copy_list))
        copy_list[index] = mutate(copy_list[index], rng, odd_values)
        return copy_list
    return rng.choice(odd_values)


def check_never_raises_but_input_error(read: Callable[[], Iterable[Record | Problem]]) -> None:
    """Reading gives records and problems, each record once (read or rejected), numbered from 1,
    every message on one line; or one InputError for the whole file."""
    try:
        found = list(read())
    except InputError:
        return
    numbers = []
    for item in found:
        assert isinstance(item, Record | Problem)
        if isinstance(item, Record):
            numbers.append(item.number)
        elif item.severity is Severity.ERROR:
            assert item.record is not None
            numbers.append(item.record)
        assert "\n" not in str(item)
    assert numbers == list(range(1, len(numbers) + 1))

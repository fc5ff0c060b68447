"""The examples in docstrings of kg's helper modules run as tests."""

import doctest
from types import ModuleType

import pytest

from kg.core import federation, languages
from kg.map import provenance
from kg.read import dates, names
from kg.resolve import identity, mint, slugs
from kg.stores import prefixes

MODULES = [dates, federation, identity, languages, names, mint, prefixes, provenance, slugs]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.attempted > 0
    assert result.failed == 0

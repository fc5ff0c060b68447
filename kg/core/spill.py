"""Objects set aside on disk: appended once, then read back in order, or one by its index.

The streaming export reads every record once, keeps only what identity needs in memory, and
spills the records themselves here until it maps them (the second pass over the inputs reads
this file, not the inputs again: standard input cannot be read twice, and a file may change).
"""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

Item = TypeVar("Item")


class Spill(Generic[Item]):
    """Pickled objects, one after another in one file, with the offset of each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: BinaryIO = path.open("wb")
        self._offsets = array("q")  # 8 bytes an object
        self._reader: BinaryIO | None = None

    def append(self, item: Item) -> None:
        self._offsets.append(self._writer.tell())
        pickle.dump(item, self._writer, protocol=pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index: int) -> Item:
        self._writer.flush()
        if self._reader is None:
            self._reader = self.path.open("rb")
        self._reader.seek(self._offsets[index])
        item: Item = pickle.load(self._reader)
        return item

    def __iter__(self) -> Iterator[Item]:
        """Every object in the order appended (its own reading position: an index lookup
        meanwhile does not disturb it)."""
        self._writer.flush()
        with self.path.open("rb") as stream:
            for _ in range(len(self._offsets)):
                item: Item = pickle.load(stream)
                yield item

    def close(self) -> None:
        self._writer.close()
        if self._reader is not None:
            self._reader.close()

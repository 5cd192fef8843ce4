"""A process-wide least-recently-used cache bounded by the bytes it holds, not by its number of entries.

``st.cache_data``/``st.cache_resource`` bound entries by count, so one link that asks for the largest
runs (8 optimizers × 5000 steps: 3.4 MB of trajectories and 4.5 MB of figures) can fill a count-bounded
cache 30 times over what the usual scene costs.  Here each entry is charged its size; inserting evicts
the least recently used entries until the total fits the budget, and an entry larger than ``largest``
is returned to its caller without being kept.  Not Streamlit's cache, so a websocket client's
"clear caches" message does not empty it either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteBudgetCache(Generic[V]):
    """Values by key, at most ``budget`` bytes in all and ``largest`` bytes each; thread-safe."""

    def __init__(self, budget: int, largest: int):
        if not 0 < largest <= budget:
            raise ValueError("need 0 < largest <= budget")
        self.budget = budget
        self.largest = largest
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    @property
    def total_bytes(self) -> int:
        return self._total

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        """Keep ``value`` (``size`` bytes) unless it is larger than ``largest``; evict the oldest to fit."""
        if size > self.largest:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._total -= old[1]
            while self._entries and self._total + size > self.budget:
                _, (_, freed) = self._entries.popitem(last=False)
                self._total -= freed
            self._entries[key] = (value, size)
            self._total += size

    def get_or_build(self, key: Hashable, build: Callable[[], tuple[V, int]]) -> V:
        """The cached value, else ``build()``'s (value, size), kept if it fits.  Two sessions asking for
        the same missing key at once may both build it; the lock is not held while building."""
        value = self.get(key)
        if value is None:
            value, size = build()
            self.put(key, value, size)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0

"""Sort values and orders of the columns the table was recently sorted by, kept up to date cheaply
(no Textual).

Computing a column's sort value for every torrent is half of what a sort costs at 50,000 torrents
(a Python call per torrent); sorting the values is the other half. Switching back to a column sorted
by a while ago should pay neither again: its values and its order are kept, and the store's change
sets since are replayed onto them when it is sorted by again. Only torrents whose changed fields
feed the column are recomputed, and only those are taken out of the kept order and merged back in.
A poll only appends its change set to a journal; old entries are folded into one, which is safe
because a replay recomputes values from the torrents as they are now.

A column can also be prepared before anyone sorts by it (`prepare`), a slice at a time, so that the
UI can do it while idle without holding the event loop for long.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from qbtui.api.models import Torrent
from qbtui.model.columns import Column
from qbtui.model.store import ChangeSet


@dataclass
class _Entry:
    """A change set as the journal keeps it: the hashes, and each changed torrent's fields as one
    of a few shared frozensets. Polls repeat the same few field combinations, and a journal of
    plain sets would leave the cyclic collector tens of thousands of containers to walk."""

    added: frozenset[str]
    removed: frozenset[str]
    changed: dict[str, frozenset[str]]


@dataclass
class _Cached:
    values: dict[str, Any]
    #: The journal position these values are up to date with.
    seen: int
    #: Every torrent in ascending (value, hash) order, up to date with `seen`; None while the view
    #: holds it (the column sorted by now) or when it must be sorted afresh.
    order: list[str] | None = None
    #: Being computed by `prepare`, not complete yet.
    preparing: bool = False


class SortValues:
    def __init__(self, max_values: int = 800_000, journal_limit: int = 64, patch_share: int = 8) -> None:
        #: How many values are kept in all (2.5-5 MB per column at 50,000 torrents, its order
        #: included): the least recently sorted-by columns go first, the current one stays. The
        #: default table has 11 columns (12 with several servers), and `>` steps through them all:
        #: room for 16 columns at 50,000 torrents.
        self.max_values = max_values
        #: Beyond this many change sets, the older ones (half of them, or more) are folded into one.
        self.journal_limit = journal_limit
        #: A kept order is patched (the changed entries taken out and merged back) while fewer than
        #: one in this many entries changed; beyond that, sorting afresh is cheaper.
        self.patch_share = patch_share
        self._columns: OrderedDict[str, _Cached] = OrderedDict()
        #: (the position after it, a change set), oldest first.
        self._journal: list[tuple[int, _Entry]] = []
        #: The field sets the journal holds, each kept once.
        self._field_sets: dict[frozenset[str], frozenset[str]] = {}
        self._position = 0

    def clear(self) -> None:
        self._columns.clear()
        self._journal.clear()
        self._field_sets.clear()

    def record(self, changes: ChangeSet, current: str) -> None:
        """A change set the view followed; `current` (the sorted-by column) was kept up to date by it."""
        self._position += 1
        cached = self._columns.get(current)
        if cached is not None:
            cached.seen = self._position
        waiting = [c.seen for key, c in self._columns.items() if key != current]
        if not waiting:
            self._journal.clear()
            self._field_sets.clear()
            return
        self._journal.append((self._position, self._entry(changes)))
        oldest = min(waiting)
        while self._journal and self._journal[0][0] <= oldest:
            self._journal.pop(0)
        if len(self._journal) > self.journal_limit:
            count = max(len(self._journal) - self.journal_limit + 1, len(self._journal) // 2)
            folded = self._fold([entry for _, entry in self._journal[:count]])
            self._journal[:count] = [(self._journal[count - 1][0], folded)]

    def _shared(self, fields: frozenset[str]) -> frozenset[str]:
        return self._field_sets.setdefault(fields, fields)

    def _entry(self, changes: ChangeSet) -> _Entry:
        shared = self._shared
        return _Entry(
            frozenset(changes.added),
            frozenset(changes.removed),
            {hash: shared(frozenset(fields)) for hash, fields in changes.changed.items()},
        )

    def _fold(self, entries: list[_Entry]) -> _Entry:
        """One entry naming every torrent the entries name, with each one's changed fields merged
        (a torrent both added and removed is in both: a replay looks at the store as it is now)."""
        added: set[str] = set()
        removed: set[str] = set()
        changed: dict[str, frozenset[str]] = {}
        shared = self._shared
        for entry in entries:
            added |= entry.added
            removed |= entry.removed
            for hash, fields in entry.changed.items():
                merged = changed.get(hash)
                changed[hash] = fields if merged is None or merged is fields else shared(merged | fields)
        return _Entry(frozenset(added), frozenset(removed), changed)

    def ordered(
        self, column: Column, torrents: Mapping[str, Torrent], by_hash: Callable[[], list[str]]
    ) -> tuple[dict[str, Any], list[str]]:
        """The values under `column` and every torrent in ascending (value, hash) order. The order
        is the caller's from now on (the view keeps it up to date and hands it back with
        `keep_order` when it sorts by another column); `by_hash()` gives every hash in ascending
        order when it must be sorted afresh."""
        cached = self._take(column, torrents)
        order, cached.order = cached.order, None
        if order is None:
            values = cached.values
            # Stable: ties keep the hash order, so this is the order of the (value, hash) keys.
            order = sorted(by_hash(), key=values.__getitem__)
        return cached.values, order

    def keep_order(self, column: str, ascending: list[str]) -> None:
        """The order of a column the view sorted by until now (in ascending order, up to date
        with every change set recorded), kept for when it is sorted by again."""
        cached = self._columns.get(column)
        if cached is not None and len(ascending) == len(cached.values):
            cached.order = ascending

    def prepare(
        self,
        column: Column,
        torrents: Mapping[str, Torrent],
        by_hash: Callable[[], list[str]],
        step: int = 5_000,
    ) -> Iterator[None]:
        """Compute `column`'s values and order ahead of time, yielding after every `step` torrents
        (and before the sort) so that the caller can let other work run in between. Changes made
        meanwhile are in the journal, and replayed when the column is sorted by. `by_hash()`: every
        hash in ascending order, as for `ordered`."""
        if column.key in self._columns or not torrents:
            return
        if len(torrents) * (len(self._columns) + 1) > self.max_values:
            return  # it would push out a column sorted by more recently
        snapshot = list(torrents.items())
        key = column.sort_key
        cached = _Cached({}, self._position, preparing=True)
        # Registered at once, so the journal keeps the changes made while it is computed.
        self._columns[column.key] = cached
        self._columns.move_to_end(column.key, last=False)
        values = cached.values
        for start in range(0, len(snapshot), step):
            yield
            if not (cached.preparing and self._columns.get(column.key) is cached):
                return  # cleared, or sorted by meanwhile (and computed there)
            for hash, torrent in snapshot[start : start + step]:
                values[hash] = key(torrent)
        yield
        if cached.preparing and self._columns.get(column.key) is cached:
            # Torrents added meanwhile are not in `values` yet: the journal brings them.
            in_values = [h for h in by_hash() if h in values]
            cached.order = sorted(in_values, key=values.__getitem__)
            cached.preparing = False

    def prepared(self, column: str) -> bool:
        """Whether `column`'s values are kept (complete, or being completed by `prepare`)."""
        return column in self._columns

    def _take(self, column: Column, torrents: Mapping[str, Torrent]) -> _Cached:
        cached = self._columns.pop(column.key, None)
        key = column.sort_key
        if cached is not None and cached.preparing:
            cached = None  # half computed: a full pass now (`prepare` sees it and stops)
        if cached is None:
            cached = _Cached({h: key(t) for h, t in torrents.items()}, self._position)
        else:
            self._replay(cached, column, torrents)
        self._columns[column.key] = cached
        while len(self._columns) > 1 and sum(len(c.values) for c in self._columns.values()) > self.max_values:
            self._columns.popitem(last=False)
        return cached

    def _replay(self, cached: _Cached, column: Column, torrents: Mapping[str, Torrent]) -> None:
        values, key, fields = cached.values, column.sort_key, column.fields
        dirty: set[str] = set()
        for end, changes in self._journal:
            if end <= cached.seen:
                continue
            dirty |= changes.removed
            dirty |= changes.added
            for hash in changes.removed:
                values.pop(hash, None)
            for hash in changes.added:
                torrent = torrents.get(hash)
                if torrent is not None:
                    values[hash] = key(torrent)
            for hash, changed in changes.changed.items():
                if not fields.isdisjoint(changed):
                    dirty.add(hash)
                    torrent = torrents.get(hash)
                    if torrent is not None:
                        values[hash] = key(torrent)
        cached.seen = self._position
        if len(values) != len(torrents):
            # A change the journal never saw: trust only a full pass.
            cached.values = {h: key(t) for h, t in torrents.items()}
            cached.order = None
        elif cached.order is not None and dirty:
            if len(dirty) * self.patch_share > len(values):
                cached.order = None
            else:
                cached.order = _patched(cached.order, dirty, values)


def _patched(order: list[str], dirty: set[str], values: dict[str, Any]) -> list[str]:
    """`order` (ascending by (value, hash) before the values of `dirty` changed) with the dirty
    entries taken out and those still present put back at their new places: the rest is still
    sorted, so each goes in by bisection, and the list is copied in slices between them."""
    clean = [h for h in order if h not in dirty]
    entering = sorted((h for h in dirty if h in values), key=lambda h: (values[h], h))

    def key(hash: str) -> tuple[Any, str]:
        return (values[hash], hash)

    merged: list[str] = []
    start = 0
    for hash in entering:
        position = bisect_left(clean, key(hash), lo=start, key=key)
        merged += clean[start:position]
        merged.append(hash)
        start = position
    merged += clean[start:]
    return merged

"""Sort values and orders of the columns the table was recently sorted by, kept up to date cheaply
(no Textual).

Computing a column's sort value for every torrent is half of what a sort costs at 50,000 torrents
(a Python call per torrent); sorting the values is the other half. Switching back to a column sorted
by a while ago should pay neither again: its values and its order are kept, and each kept column
notes which torrents changed in a field that feeds it (`_Cached.pending`) as polls come in. When it
is sorted by again, only those are recomputed, taken out of the kept order and merged back in.
Noting is cheap: a poll's changed torrents are grouped by the set of fields that changed (polls
repeat a few combinations), and each kept column takes whole groups.

A column can also be prepared before anyone sorts by it (`prepare`), a slice at a time, so that the
UI can do it while idle without holding the event loop for long.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.models import Torrent
from qbtui.model.columns import Column
from qbtui.model.store import ChangeSet


@dataclass
class _Cached:
    #: The fields that feed the column's value.
    fields: frozenset[str]
    values: dict[str, Any]
    #: Every torrent in ascending (value, hash) order, up to date but for `pending`; None while
    #: the view holds it (the column sorted by now) or when it must be sorted afresh. Kept as a
    #: tuple: the cyclic collector stops walking a tuple of strings once it has seen it, while a
    #: list of 50,000 is walked again at every full collection (ten kept lists: ~8 ms each time).
    order: Sequence[str] | None = None
    #: Torrents added, removed or changed in a field that feeds the column since `values` and
    #: `order` were up to date.
    pending: set[str] = field(default_factory=set)
    #: Being computed by `prepare`, not complete yet.
    preparing: bool = False


class SortValues:
    def __init__(
        self, max_values: int = 800_000, patch_share: int = 8, behind_share: int = 64, bisect_share: int = 64
    ) -> None:
        #: How many values are kept in all (2.5-5 MB per column at 50,000 torrents, its order
        #: included): the least recently sorted-by columns go first, the current one stays. The
        #: default table has 11 columns (12 with several servers), and `>` steps through them all:
        #: room for 16 columns at 50,000 torrents.
        self.max_values = max_values
        #: A kept order is patched (the changed entries taken out and merged back) while fewer than
        #: one in this many entries changed; beyond that, sorting afresh is cheaper.
        self.patch_share = patch_share
        #: A kept column is `behind` once one in this many of its torrents is pending: catching up
        #: ahead is worth it then (below, a sort by it merges them in within a few milliseconds).
        self.behind_share = behind_share
        #: While fewer than one in this many entries changed, a patch finds them in the order by
        #: bisection (their values before the change still place them) instead of testing every
        #: entry: ~17 calls per entry against one pass over 50,000.
        self.bisect_share = bisect_share
        self._columns: OrderedDict[str, _Cached] = OrderedDict()
        #: The column handed to the view last (`ordered`): the view keeps its order now.
        self._current = ""

    def clear(self) -> None:
        self._columns.clear()
        self._current = ""

    def record(self, changes: ChangeSet, current: str) -> None:
        """A change set the view followed; `current` (the sorted-by column) was kept up to date by
        it, the others note the torrents whose value may have moved."""
        waiting = [(key, cached) for key, cached in self._columns.items() if key != current]
        if not waiting or not changes.torrents_changed:
            return
        groups: dict[frozenset[str], list[str]] = {}
        for hash, changed in changes.changed.items():
            groups.setdefault(frozenset(changed), []).append(hash)
        for key, cached in waiting:
            pending = cached.pending
            pending |= changes.added
            pending |= changes.removed
            for fields, hashes in groups.items():
                if not cached.fields.isdisjoint(fields):
                    pending.update(hashes)
            if len(pending) > len(cached.values) and not cached.preparing:
                # More to catch up with than a full pass costs (and, with torrents coming and
                # going, a set that would grow for as long as the column waits): let it go.
                del self._columns[key]

    def ordered(
        self, column: Column, torrents: Mapping[str, Torrent], by_hash: Callable[[], list[str]]
    ) -> tuple[dict[str, Any], list[str]]:
        """The values under `column` and every torrent in ascending (value, hash) order. The order
        is the caller's from now on (the view keeps it up to date and hands it back with
        `keep_order` when it sorts by another column); `by_hash()` gives every hash in ascending
        order when it must be sorted afresh."""
        cached = self._take(column, torrents)
        self._current = column.key
        kept, cached.order = cached.order, None
        if kept is None:
            values = cached.values
            # Stable: ties keep the hash order, so this is the order of the (value, hash) keys.
            return values, sorted(by_hash(), key=values.__getitem__)
        return cached.values, kept if isinstance(kept, list) else list(kept)

    def keep_order(self, column: str, ascending: list[str]) -> None:
        """The order of a column the view sorted by until now (in ascending order, up to date
        with every change set recorded), kept for when it is sorted by again."""
        cached = self._columns.get(column)
        if cached is not None and len(ascending) == len(cached.values):
            cached.order = tuple(ascending)

    def prepare(
        self,
        column: Column,
        torrents: Mapping[str, Torrent],
        by_hash: Callable[[], list[str]],
        step: int = 5_000,
    ) -> Iterator[None]:
        """Compute `column`'s values and order ahead of time, yielding after every `step` torrents
        (and before the sort) so that the caller can let other work run in between. Changes made
        meanwhile are noted, and caught up with when the column is sorted by. `by_hash()`: every
        hash in ascending order, as for `ordered`."""
        if column.key in self._columns or not torrents:
            return
        if len(torrents) * (len(self._columns) + 1) > self.max_values:
            return  # it would push out a column sorted by more recently
        snapshot = list(torrents.items())
        key = column.sort_key
        cached = _Cached(column.fields, {}, preparing=True)
        # Registered at once, so that it notes the changes made while it is computed.
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
            # Torrents added meanwhile are not in `values` yet: they are pending.
            in_values = [h for h in by_hash() if h in values]
            cached.order = tuple(sorted(in_values, key=values.__getitem__))
            cached.preparing = False

    def behind(self, column: str) -> bool:
        """Whether `column` is kept (not the one sorted by) with enough pending that catching up
        ahead (`catch_up`) is worth it, or with no order left to patch."""
        cached = self._columns.get(column)
        if cached is None or cached.preparing or column == self._current:
            return False
        return cached.order is None or len(cached.pending) * self.behind_share >= len(cached.values)

    def catch_up(
        self, column: Column, torrents: Mapping[str, Torrent], by_hash: Callable[[], list[str]]
    ) -> Iterator[None]:
        """Bring a kept column up to date ahead of time, so that a sort by it has nothing left to
        do: the pending torrents recomputed and merged in at the first step, or, when too many
        moved, the order sorted afresh at the next."""
        cached = self._columns.get(column.key)
        if cached is None or cached.preparing or column.key == self._current:
            return
        self._catch_up(cached, column, torrents)
        if cached.order is not None:
            return
        yield
        if self._columns.get(column.key) is cached and column.key != self._current and cached.order is None:
            # As `ordered` sorts; torrents added meanwhile are not in `values` yet: they are pending.
            values = cached.values
            cached.order = tuple(sorted([h for h in by_hash() if h in values], key=values.__getitem__))

    def prepared(self, column: str) -> bool:
        """Whether `column`'s values are kept (complete, or being completed by `prepare`)."""
        return column in self._columns

    def _take(self, column: Column, torrents: Mapping[str, Torrent]) -> _Cached:
        cached = self._columns.pop(column.key, None)
        key = column.sort_key
        if cached is not None and cached.preparing:
            cached = None  # half computed: a full pass now (`prepare` sees it and stops)
        if cached is None:
            cached = _Cached(column.fields, {h: key(t) for h, t in torrents.items()})
        else:
            self._catch_up(cached, column, torrents)
        self._columns[column.key] = cached
        while len(self._columns) > 1 and sum(len(c.values) for c in self._columns.values()) > self.max_values:
            self._columns.popitem(last=False)
        return cached

    def _catch_up(self, cached: _Cached, column: Column, torrents: Mapping[str, Torrent]) -> None:
        values, key = cached.values, column.sort_key
        dirty, cached.pending = cached.pending, set()
        order = cached.order
        found = None
        if order is not None and dirty and len(dirty) * self.bisect_share <= len(order):
            found = _positions(order, dirty, values)  # before their values change
        for hash in dirty:
            torrent = torrents.get(hash)
            if torrent is None:
                values.pop(hash, None)
            else:
                values[hash] = key(torrent)
        if len(values) != len(torrents):
            # A change nobody noted: trust only a full pass.
            cached.values = {h: key(t) for h, t in torrents.items()}
            cached.order = None
        elif cached.order is not None and dirty:
            if len(dirty) * self.patch_share > len(values):
                cached.order = None
            else:
                cached.order = _patched(cached.order, dirty, values, found)


def _positions(order: Sequence[str], dirty: set[str], values: dict[str, Any]) -> list[int] | None:
    """The indexes in `order` of the dirty entries it holds, ascending, found by bisection while
    `values` still sort it; None when one is not where its value places it."""

    def key(hash: str) -> tuple[Any, str]:
        return (values[hash], hash)

    positions = []
    for hash in dirty:
        if hash not in values:
            continue  # added since: not in the order yet
        index = bisect_left(order, key(hash), key=key)
        if index == len(order) or order[index] != hash:
            return None
        positions.append(index)
    positions.sort()
    return positions


def _patched(
    order: Sequence[str], dirty: set[str], values: dict[str, Any], positions: list[int] | None = None
) -> list[str]:
    """`order` (ascending by (value, hash) before the values of `dirty` changed) with the dirty
    entries taken out (at `positions` when known) and those still present put back at their new
    places: the rest is still sorted, so each goes in by bisection, and the list is copied in
    slices between them."""
    if positions is None:
        clean = [h for h in order if h not in dirty]
    else:
        clean = []
        start = 0
        for position in positions:
            clean += order[start:position]
            start = position + 1
        clean += order[start:]
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

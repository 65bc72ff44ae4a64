"""Sort values of the columns the table was recently sorted by, kept up to date cheaply (no Textual).

Computing a column's sort value for every torrent is most of what a sort costs at 50,000 torrents
(a Python call per torrent); sorting the values is the rest. Switching back to a column sorted by a
while ago should not pay the first part again: its values are kept, and the store's change sets
since are replayed onto them when it is sorted by again (only torrents whose changed fields feed the
column are recomputed). A poll only appends its change set to a journal; old entries are folded
into one, which is safe because a replay recomputes values from the torrents as they are now.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qbtui.api.models import Torrent
from qbtui.model.columns import Column
from qbtui.model.store import ChangeSet


@dataclass
class _Cached:
    values: dict[str, Any]
    #: The journal position these values are up to date with.
    seen: int


class SortValues:
    def __init__(self, max_values: int = 600_000, journal_limit: int = 64) -> None:
        #: How many values are kept in all (~5 MB per 50,000): the least recently sorted-by columns
        #: go first, the current one stays. Stepping through the columns with `>` comes back to each
        #: after a dozen others, so a dozen columns at 50,000 torrents.
        self.max_values = max_values
        #: Beyond this many change sets, the older ones (half of them, or more) are folded into one.
        self.journal_limit = journal_limit
        self._columns: OrderedDict[str, _Cached] = OrderedDict()
        #: (the position after it, a change set), oldest first.
        self._journal: list[tuple[int, ChangeSet]] = []
        self._position = 0

    def clear(self) -> None:
        self._columns.clear()
        self._journal.clear()

    def record(self, changes: ChangeSet, current: str) -> None:
        """A change set the view followed; `current` (the sorted-by column) was kept up to date by it."""
        self._position += 1
        cached = self._columns.get(current)
        if cached is not None:
            cached.seen = self._position
        waiting = [c.seen for key, c in self._columns.items() if key != current]
        if not waiting:
            self._journal.clear()
            return
        self._journal.append((self._position, changes))
        oldest = min(waiting)
        while self._journal and self._journal[0][0] <= oldest:
            self._journal.pop(0)
        if len(self._journal) > self.journal_limit:
            count = max(len(self._journal) - self.journal_limit + 1, len(self._journal) // 2)
            folded = _fold([changes for _, changes in self._journal[:count]])
            self._journal[:count] = [(self._journal[count - 1][0], folded)]

    def values(self, column: Column, torrents: Mapping[str, Torrent]) -> dict[str, Any]:
        """Every torrent's sort value under `column`; the dict is kept and updated in place until
        the column is dropped (see `max_values`)."""
        cached = self._columns.pop(column.key, None)
        key = column.sort_key
        if cached is None:
            cached = _Cached({h: key(t) for h, t in torrents.items()}, self._position)
        else:
            self._replay(cached, column, torrents)
        self._columns[column.key] = cached
        while len(self._columns) > 1 and sum(len(c.values) for c in self._columns.values()) > self.max_values:
            self._columns.popitem(last=False)
        return cached.values

    def _replay(self, cached: _Cached, column: Column, torrents: Mapping[str, Torrent]) -> None:
        values, key, fields = cached.values, column.sort_key, column.fields
        for end, changes in self._journal:
            if end <= cached.seen:
                continue
            for hash in changes.removed:
                values.pop(hash, None)
            for hash in changes.added:
                torrent = torrents.get(hash)
                if torrent is not None:
                    values[hash] = key(torrent)
            for hash, changed in changes.changed.items():
                if not fields.isdisjoint(changed):
                    torrent = torrents.get(hash)
                    if torrent is not None:
                        values[hash] = key(torrent)
        cached.seen = self._position
        if len(values) != len(torrents):
            # A change the journal never saw: trust only a full pass.
            cached.values = {h: key(t) for h, t in torrents.items()}


def _fold(entries: list[ChangeSet]) -> ChangeSet:
    """One change set naming every torrent the entries name, with each one's changed fields merged
    (a torrent both added and removed is in both: a replay looks at the store as it is now)."""
    folded = ChangeSet()
    for changes in entries:
        folded.added |= changes.added
        folded.removed |= changes.removed
        for hash, fields in changes.changed.items():
            merged = folded.changed.get(hash)
            if merged is None:
                folded.changed[hash] = set(fields)
            else:
                merged |= fields
    return folded

"""What the torrent table shows: the store filtered, counted and sorted (no Textual here).

The view keeps the ordered list of visible hashes, each torrent's sort key, and the sidebar's
counts, and maintains all three incrementally: a poll costs time in proportion to the torrents it
changed, plus one near-linear re-sort when a changed field is the one the table is sorted by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.models import Torrent, TorrentState
from qbtui.columns import COLUMNS, Column
from qbtui.store import ChangeSet, Store

S = TorrentState
_DOWNLOADING = frozenset(
    {
        S.DOWNLOADING,
        S.META_DL,
        S.FORCED_META_DL,
        S.STALLED_DL,
        S.CHECKING_DL,
        S.PAUSED_DL,
        S.QUEUED_DL,
        S.FORCED_DL,
        S.ALLOCATING,
    }
)
_SEEDING = frozenset({S.UPLOADING, S.STALLED_UP, S.CHECKING_UP, S.QUEUED_UP, S.FORCED_UP})
_STALLED = frozenset({S.STALLED_DL, S.STALLED_UP})
_CHECKING = frozenset({S.CHECKING_DL, S.CHECKING_UP, S.CHECKING_RESUME_DATA, S.QUEUED_FOR_CHECKING})


def _active(t: Torrent) -> bool:
    return t.dl_speed > 0 or t.up_speed > 0


#: Status filters as qBittorrent's own sidebar defines them, in display order.
STATUS_FILTERS: dict[str, Callable[[Torrent], bool]] = {
    "all": lambda t: True,
    "downloading": lambda t: t.state in _DOWNLOADING,
    "seeding": lambda t: t.state in _SEEDING,
    "completed": lambda t: t.state.is_complete,
    "paused": lambda t: t.state.is_paused,
    "active": _active,
    "inactive": lambda t: not _active(t),
    "stalled": lambda t: t.state in _STALLED,
    "checking": lambda t: t.state in _CHECKING,
    "errored": lambda t: t.state.is_errored,
}

#: Raw fields each status filter reads.
_STATUS_FIELDS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    "active": frozenset({"dlspeed", "upspeed"}),
    "inactive": frozenset({"dlspeed", "upspeed"}),
}
_STATE_FIELD = frozenset({"state"})
UNCATEGORIZED = ""
UNTAGGED = ""

#: What one torrent adds to the sidebar counts.
_Contribution = tuple[tuple[str, ...], str, tuple[str, ...]]


@dataclass(slots=True)
class Counts:
    status: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    trackers: Counter[str] = field(default_factory=Counter)


def _contribution(torrent: Torrent) -> _Contribution:
    statuses = tuple(name for name, test in STATUS_FILTERS.items() if test(torrent))
    return statuses, torrent.category, torrent.tags or (UNTAGGED,)


class TorrentView:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.status = "all"
        self.category: str | None = None  # None = any, "" = uncategorized
        self.tag: str | None = None  # None = any, "" = untagged
        self.tracker: str | None = None
        self.name_filter = ""
        self.sort_column = "name"
        self.reverse = False
        self.order: list[str] = []
        self.counts = Counts()
        self._index: dict[str, int] = {}
        self._visible: set[str] = set()
        self._keys: dict[str, tuple[Any, str]] = {}
        self._keyed_column = ""
        self._contributions: dict[str, _Contribution] = {}
        self._tracker_hashes: set[str] = set()

    # -- queries --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.order)

    def index_of(self, hash: str | None) -> int | None:
        return self._index.get(hash) if hash is not None else None

    def torrent_at(self, row: int) -> Torrent | None:
        if 0 <= row < len(self.order):
            return self.store.torrents.get(self.order[row])
        return None

    @property
    def column(self) -> Column:
        return COLUMNS.get(self.sort_column, COLUMNS["name"])

    def matches(self, torrent: Torrent) -> bool:
        if not STATUS_FILTERS.get(self.status, STATUS_FILTERS["all"])(torrent):
            return False
        if self.category is not None and torrent.category != self.category:
            return False
        if self.tag is not None and (self.tag not in torrent.tags if self.tag else bool(torrent.tags)):
            return False
        if self.tracker is not None and torrent.hash not in self._tracker_hashes:
            return False
        return not (self.name_filter and self.name_filter.casefold() not in torrent.name.casefold())

    def _filter_fields(self) -> frozenset[str]:
        fields = set(_STATUS_FIELDS.get(self.status, _STATE_FIELD))
        if self.category is not None:
            fields |= {"category", "label"}
        if self.tag is not None:
            fields.add("tags")
        if self.name_filter:
            fields.add("name")
        return frozenset(fields)

    # -- updates --------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Recount, refilter and re-sort everything (after a full update)."""
        self._contributions = {h: _contribution(t) for h, t in self.store.torrents.items()}
        self._recount()
        self._keyed_column = ""
        self.refilter()

    def refilter(self) -> None:
        """Refilter and re-sort (after the user changed a filter or the sort); counts stay."""
        torrents = self.store.torrents
        self._tracker_hashes = set(self.store.trackers.get(self.tracker or "", ()))
        self._visible = {h for h, t in torrents.items() if self.matches(t)}
        if self._keyed_column != self.sort_column or len(self._keys) != len(torrents):
            key = self.column.sort_key
            self._keys = {h: (key(t), h) for h, t in torrents.items()}
            self._keyed_column = self.sort_column
        self._sort()

    def apply(self, changes: ChangeSet) -> bool:
        """Follow one store change set; returns True when the order or membership changed."""
        if (
            changes.full_update
            or changes.trackers_changed
            or self._keyed_column != self.sort_column
            or len(self._contributions)
            != len(self.store.torrents) - len(changes.added) + len(changes.removed)
        ):
            before = self.order
            self.rebuild()
            return self.order != before
        if not changes.torrents_changed:
            return False
        torrents = self.store.torrents
        key = self.column.sort_key
        sort_fields = self.column.fields
        filter_fields = self._filter_fields()
        resort = False
        for hash in changes.removed:
            self._uncount(hash)
            self._keys.pop(hash, None)
            if hash in self._visible:
                self._visible.discard(hash)
                resort = True
        for hash in self._touched(changes, torrents):
            torrent = torrents[hash]
            fields = changes.changed.get(hash)
            new = fields is None
            self._uncount(hash)
            self._count(hash, _contribution(torrent))
            if new or fields & sort_fields:  # type: ignore[operator]
                old_key = self._keys.get(hash)
                self._keys[hash] = (key(torrent), hash)
                resort |= hash in self._visible and old_key != self._keys[hash]
            refilter = new or bool(fields & filter_fields)  # type: ignore[operator]
            if refilter and self.matches(torrent) != (hash in self._visible):
                self._visible ^= {hash}
                resort = True
        if resort:
            before = self.order
            self._sort()
            return self.order != before
        return False

    @staticmethod
    def _touched(changes: ChangeSet, torrents: dict[str, Torrent]) -> Iterable[str]:
        for hash in (*changes.added, *changes.changed):
            if hash in torrents:
                yield hash

    def _sort(self) -> None:
        visible = self._visible
        # Start from the previous order: Timsort is close to linear on nearly sorted input.
        candidates = [h for h in self.order if h in visible]
        if len(candidates) != len(visible):
            known = set(candidates)
            candidates += [h for h in visible if h not in known]
        candidates.sort(key=self._keys.__getitem__, reverse=self.reverse)
        self.order = candidates
        self._index = {h: i for i, h in enumerate(self.order)}

    # -- counts ---------------------------------------------------------------------------------

    def _recount(self) -> None:
        counts = Counts()
        for statuses, category, tags in self._contributions.values():
            counts.status.update(statuses)
            counts.categories[category] += 1
            counts.tags.update(tags)
        for url, hashes in self.store.trackers.items():
            counts.trackers[url] = len(hashes)
        self.counts = counts

    def _uncount(self, hash: str) -> None:
        old = self._contributions.pop(hash, None)
        if old is None:
            return
        statuses, category, tags = old
        self.counts.status.subtract(statuses)
        self.counts.categories[category] -= 1
        self.counts.tags.subtract(tags)

    def _count(self, hash: str, contribution: _Contribution) -> None:
        self._contributions[hash] = contribution
        statuses, category, tags = contribution
        self.counts.status.update(statuses)
        self.counts.categories[category] += 1
        self.counts.tags.update(tags)

"""What the torrent table shows: the store filtered, counted and sorted (no Textual here).

The view keeps an ordered list of visible hashes. A poll that changes no field the current
sort or filters depend on keeps the order and only asks for those rows to be repainted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from qbtui.api.models import Torrent, TorrentState
from qbtui.columns import COLUMNS
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

#: Raw fields that can move a torrent in or out of a status filter.
_STATUS_FIELDS = frozenset({"state", "dlspeed", "upspeed"})
UNCATEGORIZED = ""
UNTAGGED = ""


@dataclass(slots=True)
class Counts:
    status: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    trackers: Counter[str] = field(default_factory=Counter)


class TorrentView:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.status = "all"
        self.category: str | None = None  # None = any, "" = uncategorized
        self.tag: str | None = None
        self.tracker: str | None = None
        self.name_filter = ""
        self.sort_column = "name"
        self.reverse = False
        self.order: list[str] = []
        self._index: dict[str, int] = {}
        self._tracker_hashes: set[str] = set()
        self.counts = Counts()

    # -- queries --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.order)

    def index_of(self, hash: str) -> int | None:
        return self._index.get(hash)

    def torrent_at(self, row: int) -> Torrent | None:
        if 0 <= row < len(self.order):
            return self.store.torrents.get(self.order[row])
        return None

    def matches(self, torrent: Torrent) -> bool:
        if not STATUS_FILTERS[self.status](torrent):
            return False
        if self.category is not None and torrent.category != self.category:
            return False
        if self.tag is not None and (self.tag not in torrent.tags if self.tag else bool(torrent.tags)):
            return False
        if self.tracker is not None and torrent.hash not in self._tracker_hashes:
            return False
        return not (self.name_filter and self.name_filter.casefold() not in torrent.name.casefold())

    # -- updates --------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Filter and sort everything: O(n log n); on filter/sort changes and structural deltas."""
        column = COLUMNS.get(self.sort_column, COLUMNS["name"])
        self._tracker_hashes = set(self.store.trackers.get(self.tracker or "", ()))
        visible = [t for t in self.store.torrents.values() if self.matches(t)]
        visible.sort(key=lambda t: (column.sort_key(t), t.hash), reverse=self.reverse)
        self.order = [t.hash for t in visible]
        self._index = {h: i for i, h in enumerate(self.order)}
        self._recount()

    def apply(self, changes: ChangeSet) -> bool:
        """Follow one store change set; returns True when the order or membership changed."""
        if not changes.torrents_changed and not changes.trackers_changed:
            return False
        sort_fields = COLUMNS.get(self.sort_column, COLUMNS["name"]).fields
        filter_fields = _STATUS_FIELDS | {"name", "category", "label", "tags"}
        structural = bool(changes.added or changes.removed or changes.full_update or changes.trackers_changed)
        touched: set[str] = set()
        if not structural:
            for fields in changes.changed.values():
                touched |= fields
            structural = bool(touched & (sort_fields | filter_fields))
        if structural:
            before = self.order
            self.rebuild()
            return self.order != before
        return False

    def _recount(self) -> None:
        counts = Counts()
        for torrent in self.store.torrents.values():
            for name, test in STATUS_FILTERS.items():
                if test(torrent):
                    counts.status[name] += 1
            counts.categories[torrent.category] += 1
            for tag in torrent.tags or (UNTAGGED,):
                counts.tags[tag] += 1
        for url, hashes in self.store.trackers.items():
            counts.trackers[url] = len(hashes)
        self.counts = counts

"""What the torrent table shows: the store filtered, counted and sorted (no Textual here).

The view keeps every torrent in sort order (`_all`), the visible ones in the same order (`order`,
the very same list while no filter is active), each torrent's sort key, and the sidebar's counts,
and maintains them incrementally. A poll costs time in proportion to the torrents it changed: a
torrent whose sort key moved is taken out and put back by binary search, and only when a large
share moved is the list re-sorted (two sorted runs, merged once). Changing a filter is one pass
over `_all` with no sort; changing the sort column is the only full sort: a stable sort of the
plain sort values over the hashes in order (so the hash breaks ties without a tuple per torrent),
with the values of the columns sorted by before kept up to date (qbtui.model.sort_values).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import Any, NamedTuple

from qbtui.api.models import Torrent, TorrentState
from qbtui.model.columns import COLUMNS, Column
from qbtui.model.filterlang import Filter
from qbtui.model.sort_values import SortValues
from qbtui.model.store import ChangeSet, Store

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


#: Status filters as qBittorrent's own sidebar defines them, in display order. Each may read only the
#: state and whether the torrent transfers (dl/up speed): `_statuses` remembers results by those two.
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

#: The sidebar's tracker-status entries, in display order. A torrent is in at most one of the first
#: three; the flags (qBittorrent 5.1+, WebAPI 2.11.7) may add error or warning on top.
TRACKERLESS = "trackerless"
TRACKER_WORKING = "working"
TRACKER_NOT_WORKING = "not working"
TRACKER_ERROR = "error"
TRACKER_WARNING = "warning"
TRACKER_STATUSES = (TRACKER_WORKING, TRACKER_NOT_WORKING, TRACKER_ERROR, TRACKER_WARNING, TRACKERLESS)
#: Counted alongside the statuses: torrents whose server tells how many trackers they have (4.3+),
#: and torrents whose server sends the error/warning flags. Without them an entry would always be 0.
KNOWS_TRACKER_COUNT = "?trackers_count"
KNOWS_TRACKER_FLAGS = "?flags"


_TRACKER_FIELDS = ("trackers_count", "has_tracker_error", "has_other_announce_error", "has_tracker_warning")
#: Those of them the model makes attributes of; the rest arrive in `Torrent.extra`.
_MODEL_FIELDS = frozenset(name for name in _TRACKER_FIELDS if name in Torrent.__dataclass_fields__)


def _extra_field(torrent: Torrent, name: str) -> Any:
    """A newer server's field, wherever the model keeps it."""
    return getattr(torrent, name) if name in _MODEL_FIELDS else torrent.extra.get(name)


def tracker_statuses(torrent: Torrent) -> tuple[str, ...]:
    """Which of TRACKER_STATUSES the torrent is in (and the KNOWS_* markers).

    Working: it has a tracker it announces to (`tracker`, every version). Not working: it has
    trackers and none works. Trackerless needs `trackers_count` (4.3+); before that a torrent
    without a working tracker counts as not working, trackers or none.
    """
    extra = torrent.extra
    if not _MODEL_FIELDS:
        if not extra:
            # Servers before 4.3 send none of the fields (and most torrents then have no extra at all).
            return _WORKING_ONLY[bool(torrent.tracker)]
        key: tuple[object, ...] = (
            bool(torrent.tracker),
            extra.get("trackers_count"),
            extra.get("has_tracker_error"),
            extra.get("has_other_announce_error"),
            extra.get("has_tracker_warning"),
        )
    else:
        key = (bool(torrent.tracker), *(_extra_field(torrent, name) for name in _TRACKER_FIELDS))
    try:
        statuses = _TRACKER_MEMO.get(key)
    except TypeError:  # a hostile server's list or object where a flag belongs
        key = tuple(value if isinstance(value, bool | int | None) else None for value in key)
        statuses = _TRACKER_MEMO.get(key)
    if statuses is None:
        if len(_TRACKER_MEMO) > 1024:  # only odd values make it grow: keep it from growing forever
            _TRACKER_MEMO.clear()
        statuses = _TRACKER_MEMO[key] = _tracker_statuses(*key)  # type: ignore[arg-type]
    return statuses


_TRACKER_MEMO: dict[tuple[object, ...], tuple[str, ...]] = {}


def _flag(value: object) -> bool | None:
    """A flag as the server sent it, or None when it sent none (or something that is no flag)."""
    return value if isinstance(value, bool) else None


def _tracker_statuses(
    working: bool, count: object, error: object, other: object, warning: object
) -> tuple[str, ...]:
    # Anything but the types the fields have counts as not sent (hostile or broken servers).
    count = count if isinstance(count, int) and not isinstance(count, bool) else None
    error, other, warning = (_flag(value) for value in (error, other, warning))
    statuses: list[str] = []
    if count is not None:
        statuses.append(KNOWS_TRACKER_COUNT)
    if count == 0:
        statuses.append(TRACKERLESS)
    else:
        statuses.append(TRACKER_WORKING if working else TRACKER_NOT_WORKING)
    if error is not None or warning is not None:
        statuses.append(KNOWS_TRACKER_FLAGS)
    if error is True or other is True:
        statuses.append(TRACKER_ERROR)
    if warning is True:
        statuses.append(TRACKER_WARNING)
    return tuple(statuses)


_WORKING_ONLY = {working: _tracker_statuses(working, None, None, None, None) for working in (False, True)}


#: What one torrent adds to the sidebar counts.
_Contribution = tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]


@dataclass(slots=True)
class Counts:
    status: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    trackers: Counter[str] = field(default_factory=Counter)
    #: By TRACKER_STATUSES (and the KNOWS_* markers).
    tracker_status: Counter[str] = field(default_factory=Counter)


#: Raw fields a torrent's contribution (and so the status, category and tag filters) reads.
_TRACKER_STATUS_FIELDS = frozenset(
    {"tracker", "trackers_count", "has_tracker_error", "has_tracker_warning", "has_other_announce_error"}
)
_CONTRIBUTION_FIELDS = frozenset(
    {"state", "dlspeed", "upspeed", "category", "label", "tags"} | _TRACKER_STATUS_FIELDS
)
_STATUS_MEMO: dict[tuple[TorrentState, bool], tuple[str, ...]] = {}


def _statuses(torrent: Torrent) -> tuple[str, ...]:
    memo_key = (torrent.state, _active(torrent))
    statuses = _STATUS_MEMO.get(memo_key)
    if statuses is None:
        statuses = _STATUS_MEMO[memo_key] = tuple(
            name for name, test in STATUS_FILTERS.items() if test(torrent)
        )
    return statuses


def _contribution(torrent: Torrent) -> _Contribution:
    return _statuses(torrent), torrent.category, torrent.tags or (UNTAGGED,), tracker_statuses(torrent)


#: Raw fields each part of a contribution reads (statuses, category, tags, tracker statuses).
_STATUS_PART = frozenset({"state", "dlspeed", "upspeed"})
_CATEGORY_PART = frozenset({"category", "label"})
_TAGS_PART = frozenset({"tags"})


def _recontribution(torrent: Torrent, old: _Contribution, fields: set[str]) -> _Contribution:
    """`_contribution(torrent)` after `fields` changed, recomputing only the parts they feed: a
    category change of 1,000 torrents need not look at their states and trackers (issue 18)."""
    statuses, category, tags, trackers = old
    if not fields.isdisjoint(_STATUS_PART):
        statuses = _statuses(torrent)
    if not fields.isdisjoint(_CATEGORY_PART):
        category = torrent.category
    if not fields.isdisjoint(_TAGS_PART):
        tags = torrent.tags or (UNTAGGED,)
    if not fields.isdisjoint(_TRACKER_STATUS_FIELDS):
        trackers = tracker_statuses(torrent)
    return statuses, category, tags, trackers


#: What the lists are sorted by: (the sort column's value, the hash), unique per torrent.
Key = tuple[Any, str]
_MISSING = object()


class _Filters(NamedTuple):
    """What decides which torrents are shown (not their order), the name filter aside."""

    status: str
    category: str | None
    tag: str | None
    tracker: str | None
    tracker_status: str | None
    server: str | None
    expression: Filter | None


def _names(hashes: list[str], folded: dict[str, str]) -> list[str]:
    """`folded[h]` for each of `hashes`: one call does the loop (a list comprehension costs about
    twice as much at 50,000)."""
    if len(hashes) < 2:
        return [folded[h] for h in hashes]
    return list(itemgetter(*hashes)(folded))


def _side_by_side(names: list[str]) -> list[str]:
    """Equal copies of `names`, made one after the other. The names themselves were made as
    torrents arrived and lie scattered in memory in any sort order: scanning 50,000 of them for a
    needle costs ~4x more than scanning copies that lie in the order they are scanned."""
    separator = "\x00"
    copies = separator.join(names).split(separator)
    # A name holding the separator would split in two: then the names as they are.
    return copies if len(copies) == len(names) else names


#: Above this share of a list's length, moved entries are re-sorted in one merge instead of one by one.
_MERGE_SHARE = 16
#: Needles whose results are kept (see TorrentView._found).
_FOUND_LIMIT = 32


class TorrentView:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.status = "all"
        self.category: str | None = None  # None = any, "" = uncategorized
        self.tag: str | None = None  # None = any, "" = untagged
        self.tracker: str | None = None
        #: One of TRACKER_STATUSES, or None for any.
        self.tracker_status: str | None = None
        #: Several servers in one table: only this server's torrents (None: every server's).
        self.server: str | None = None
        self.name_filter = ""
        #: A compiled filter-language expression (`/` with field syntax), ANDed with the rest.
        self.expression: Filter | None = None
        self.sort_column = "name"
        self.reverse = False
        #: The visible torrents in display order; the same list object as `_all` when nothing filters.
        self.order: list[str] = []
        self.counts = Counts()
        #: Every torrent, in display order.
        self._all: list[str] = []
        self._visible: set[str] = set()
        #: The sorted-by column's value per torrent (a key is (value, hash)), kept by `_sort_values`.
        self._values: dict[str, Any] = {}
        self._sort_values = SortValues()
        #: Every hash in ascending order (None: to be sorted again), what ties are broken by.
        self._by_hash: list[str] | None = None
        self._keyed_column = ""
        self._sorted_reverse = False
        self._contributions: dict[str, _Contribution] = {}
        #: Case-folded names, for the name filter.
        self._folded: dict[str, str] = {}
        #: The same names in `_all`'s order (None: to be made again), kept in step with it: scanning
        #: a list costs a third of looking 50,000 names up by hash.
        self._names_all: list[str] | None = None
        #: What the name filter found for recent needles (order, visible set, their names; none for
        #: the empty needle), for as long as nothing changed (`_generation`) and the other filters
        #: and the sort are the same (`_found_for`): a backspace goes back to a result typed a
        #: moment ago, the last one to the whole list without making a set of 50,000 again.
        self._found: dict[str, tuple[list[str], set[str], list[str] | None]] = {}
        self._found_for: tuple[object, ...] | None = None
        #: Bumped whenever a change set touched the torrents.
        self._generation = 0
        self._tracker_hashes: set[str] = set()
        #: What `order` was made with: (the filters but the name's, the name filter, the sort).
        self._filter_state: tuple[_Filters, str, tuple[str, bool]] | None = None

    # -- queries --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.order)

    def is_shown(self, hash: str) -> bool:
        """Whether the filters let the torrent through (it is in `order`)."""
        return hash in self._visible

    def in_display_order(self, hashes: set[str] | frozenset[str]) -> list[str]:
        """`hashes` in the order the table sorts them, shown or filtered out."""
        return [h for h in self._all if h in hashes]

    def index_of(self, hash: str | None) -> int | None:
        if hash is None or hash not in self._visible:
            return None
        return self._locate(self.order, hash, self._key(hash))

    def torrent_at(self, row: int) -> Torrent | None:
        if 0 <= row < len(self.order):
            return self.store.torrents.get(self.order[row])
        return None

    def _key(self, hash: str) -> Key:
        return (self._values[hash], hash)

    @property
    def column(self) -> Column:
        return COLUMNS.get(self.sort_column, COLUMNS["name"])

    def matches(self, torrent: Torrent) -> bool:
        """The filters' definition; the view itself tests the same with `_predicate()`."""
        if not STATUS_FILTERS.get(self.status, STATUS_FILTERS["all"])(torrent):
            return False
        if self.category is not None and torrent.category != self.category:
            return False
        if self.tag is not None and (self.tag not in torrent.tags if self.tag else bool(torrent.tags)):
            return False
        if self.tracker is not None and torrent.hash not in self._tracker_hashes:
            return False
        if self.tracker_status is not None and self.tracker_status not in tracker_statuses(torrent):
            return False
        if self.server is not None and torrent.server != self.server:
            return False
        if self.expression is not None and not self.expression.matches(torrent):
            return False
        return not (self.name_filter and self.name_filter.casefold() not in torrent.name.casefold())

    def _predicate(self) -> Callable[[str], bool] | None:
        """`matches` on a hash, from the counts' per-torrent data; None when nothing filters."""
        contributions, folded = self._contributions, self._folded
        tests: list[Callable[[str], bool]] = []
        status = self.status if self.status in STATUS_FILTERS else "all"
        if status != "all":
            tests.append(lambda h: status in contributions[h][0])
        category = self.category
        if category is not None:
            tests.append(lambda h: contributions[h][1] == category)
        tag = self.tag
        if tag is not None:
            # Contributions list untagged torrents under UNTAGGED (""), which no real tag can be.
            tests.append(lambda h: tag in contributions[h][2])
        if self.tracker is not None:
            tests.append(self._tracker_hashes.__contains__)
        tracker_status = self.tracker_status
        if tracker_status is not None:
            tests.append(lambda h: tracker_status in contributions[h][3])
        needle = self.name_filter.casefold()
        if needle:
            tests.append(lambda h: needle in folded[h])
        expression, torrents, server = self.expression, self.store.torrents, self.server
        if server is not None:
            tests.append(lambda h: torrents[h].server == server)
        if expression is not None:
            tests.append(lambda h: expression.matches(torrents[h]))
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda h: all(test(h) for test in tests)

    def prepare_sort(self, column: str) -> Iterator[None]:
        """Compute `column`'s sort ahead (a slice per step; see SortValues.prepare), so that sorting
        by it later only merges in what changed meanwhile. Nothing for the column sorted by now."""
        if column == self._keyed_column or column not in COLUMNS:
            return iter(())
        return self._sort_values.prepare(COLUMNS[column], self.store.torrents, self._hash_order)

    def sort_behind(self, column: str) -> bool:
        """Whether `column` is kept but the polls since moved enough of it that catching up ahead
        (`catch_up_sort`) saves a sort by it real work."""
        return column != self._keyed_column and self._sort_values.behind(column)

    def catch_up_sort(self, column: str) -> Iterator[None]:
        """Bring a kept column's sort up to date ahead (see SortValues.catch_up)."""
        if column == self._keyed_column or column not in COLUMNS:
            return iter(())
        return self._sort_values.catch_up(COLUMNS[column], self.store.torrents, self._hash_order)

    def sort_prepared(self, column: str) -> bool:
        return column == self._keyed_column or self._sort_values.prepared(column)

    def _filter_fields(self) -> frozenset[str]:
        fields = set(_STATUS_FIELDS.get(self.status, _STATE_FIELD))
        if self.category is not None:
            fields |= {"category", "label"}
        if self.tag is not None:
            fields.add("tags")
        if self.tracker_status is not None:
            fields |= _TRACKER_STATUS_FIELDS
        if self.name_filter:
            fields.add("name")
        if self.expression is not None:
            fields |= self.expression.fields
        return frozenset(fields)

    # -- updates --------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Recount, refilter and re-sort everything (after a full update)."""
        torrents = self.store.torrents
        self._contributions = {h: _contribution(t) for h, t in torrents.items()}
        self._folded = {h: t.name.casefold() for h, t in torrents.items()}
        self._names_all = None
        self._generation += 1
        self._recount()
        self._keyed_column = ""
        self._sort_values.clear()
        self._by_hash = None
        self._filter_state = None
        self.refilter()

    def refilter(self) -> None:
        """Refilter (and re-sort if the sort changed) after the user changed either; counts stay."""
        torrents = self.store.torrents
        self._tracker_hashes = set(self.store.trackers.get(self.tracker or "", ()))
        if self._keyed_column != self.sort_column or len(self._values) != len(torrents):
            if self._keyed_column and len(self._values) == len(torrents) == len(self._all):
                # Handed back up to date: sorting by it again only merges in what changed since.
                ascending = self._all[::-1] if self._sorted_reverse else self._all
                self._sort_values.keep_order(self._keyed_column, ascending)
            self._values, ascending = self._sort_values.ordered(self.column, torrents, self._hash_order)
            self._keyed_column = self.sort_column
            # Keys are unique (the hash breaks ties), so descending is exactly ascending reversed.
            self._all = ascending[::-1] if self.reverse else ascending
            self._sorted_reverse = self.reverse
            self._names_all = None
        elif self._sorted_reverse != self.reverse:
            # Keys are unique (the hash breaks ties), so the other direction is exactly the reverse.
            self._all = self._all[::-1]
            self._sorted_reverse = self.reverse
            if self._names_all is not None:
                self._names_all.reverse()
        order = self._reordered()
        if order is None:
            order, self._visible = self._filtered()
        self.order = order

    def _hash_order(self) -> list[str]:
        torrents = self.store.torrents
        if self._by_hash is None or len(self._by_hash) != len(torrents):
            self._by_hash = sorted(torrents)
        return self._by_hash

    def _filter_key(self) -> _Filters:
        status = self.status if self.status in STATUS_FILTERS else "all"
        return _Filters(
            status, self.category, self.tag, self.tracker, self.tracker_status, self.server, self.expression
        )

    def _reordered(self) -> list[str] | None:
        """When only the sort changed since the last refilter: the same torrents in the new order
        (one pass over `_all`, none of the filters run again); else None."""
        previous = self._filter_state
        if previous is None or previous[:2] != (self._filter_key(), self.name_filter.casefold()):
            return None
        self._filter_state = (previous[0], previous[1], (self._keyed_column, self._sorted_reverse))
        if self._predicate() is None:
            return self._all
        visible = self._visible
        return [h for h in self._all if h in visible]

    def _filtered(self) -> tuple[list[str], set[str]]:
        """`_all` through the active filters (one inline pass per filter, no call per torrent), and
        the same as a set.

        Typing into the name filter narrows: a needle that contains the previous one (and nothing
        else changed) only needs to look at the torrents shown now. A needle found a moment ago
        (a backspace) is not looked for again while nothing changed.
        """
        contributions = self._contributions
        others = self._filter_key()
        status, category, tag, tracker, tracker_status, server, expression = others
        needle = self.name_filter.casefold()
        sorting = (self._keyed_column, self._sorted_reverse)
        previous, self._filter_state = self._filter_state, (others, needle, sorting)
        found_for = (others, sorting, self._generation)
        if found_for != self._found_for:
            self._found.clear()
            self._found_for = found_for
        found = self._found.get(needle)
        if found is not None:
            return found[0], found[1]
        items = self._all
        names: list[str] | None = None
        if (
            previous is not None
            and previous[0] == others
            and previous[2] == sorting
            and previous[1]
            and previous[1] in needle
        ):
            shown_names = self._names_of_order(previous[1])
            mask = [needle in name for name in shown_names]
            items, names = list(compress(self.order, mask)), list(compress(shown_names, mask))
        else:
            if needle:
                # The name first: it runs over a plain list of names, the others over its result.
                all_names = self._all_names()
                mask = [needle in name for name in all_names]
                items, names = list(compress(items, mask)), list(compress(all_names, mask))
            if status != "all" or any(x is not None for x in others[1:]):
                names = None  # the filters below narrow `items` further
            if status != "all":
                items = [h for h in items if status in contributions[h][0]]
            if category is not None:
                items = [h for h in items if contributions[h][1] == category]
            if tag is not None:
                # Contributions list untagged torrents under UNTAGGED (""), which no real tag can be.
                items = [h for h in items if tag in contributions[h][2]]
            if tracker is not None:
                hashes = self._tracker_hashes
                items = [h for h in items if h in hashes]
            if tracker_status is not None:
                items = [h for h in items if tracker_status in contributions[h][3]]
            if server is not None:
                torrents = self.store.torrents
                items = [h for h in items if torrents[h].server == server]
            if expression is not None:
                torrents = self.store.torrents
                items = [h for h in items if expression.matches(torrents[h])]
        shown = set(items)
        if needle and names is None:
            names = _names(items, self._folded)
        if len(self._found) >= _FOUND_LIMIT:
            self._found.clear()
        self._found[needle] = (items, shown, names)
        return items, shown

    def _names_of_order(self, needle: str) -> list[str]:
        """The names of `order`, which `needle` found: kept with what it found while nothing
        changed (a longer needle then scans them instead of looking each name up)."""
        found = self._found.get(needle)
        if found is not None and found[0] is self.order and found[2] is not None:
            return found[2]
        return _names(self.order, self._folded)

    def _names_in_step(self, items: list[str]) -> list[str] | None:
        """The kept names when `items` is `_all` and they are in step with it (dropped if not)."""
        names = self._names_all
        if items is not self._all or names is None:
            return None
        if len(names) != len(items):
            self._names_all = None
            return None
        return names

    def warm_name_filter(self) -> None:
        """Gather the names the name filter scans now, before anything is typed."""
        self._all_names()

    def _all_names(self) -> list[str]:
        names = self._names_all
        if names is None or len(names) != len(self._all):
            names = self._names_all = _side_by_side(_names(self._all, self._folded))
        return names

    def apply(self, changes: ChangeSet) -> bool:
        """Follow one store change set; returns True when the order or membership changed."""
        moved = self._apply(changes)
        self._sort_values.record(changes, self._keyed_column)
        return moved

    def _apply(self, changes: ChangeSet) -> bool:
        torrents = self.store.torrents
        if changes.trackers_changed and not changes.full_update and self.tracker is None:
            # Only the trackers' counts read them: a v2 server sends the section whenever a torrent
            # joins a tracker, and at 50,000 torrents re-sorting for it cost ~100 ms a poll.
            self._recount_trackers()
        if (
            changes.full_update
            or (changes.trackers_changed and self.tracker is not None)
            or self._keyed_column != self.sort_column
            or self._sorted_reverse != self.reverse
            or len(self._contributions) != len(torrents) - len(changes.added) + len(changes.removed)
        ):
            before = self.order
            self.rebuild()
            return self.order != before
        if not changes.torrents_changed:
            return False
        self._generation += 1
        key = self.column.sort_key
        sort_fields = self.column.fields
        filter_fields = self._filter_fields()
        predicate = self._predicate()
        filtered = predicate is not None
        values, visible = self._values, self._visible
        out_all: list[tuple[str, Key]] = []  # (hash, key it is sorted under now)
        out_shown: list[tuple[str, Key]] = []
        new_keys: dict[str, Key] = {}
        into_shown: list[str] = []
        self._follow_hashes(changes)
        for hash in changes.removed:
            self._uncount(hash)
            self._folded.pop(hash, None)
            old_value = values.get(hash, _MISSING)
            if old_value is _MISSING:
                continue
            out_all.append((hash, (old_value, hash)))
            if hash in visible:
                visible.discard(hash)
                if filtered:
                    out_shown.append((hash, (old_value, hash)))
        for hash in self._touched(changes, torrents):
            torrent = torrents[hash]
            fields = changes.changed.get(hash)
            old_value = values.get(hash, _MISSING)
            old_key = None if old_value is _MISSING else (old_value, hash)
            fresh = fields is None or old_key is None
            if fresh or not fields.isdisjoint(_CONTRIBUTION_FIELDS):  # type: ignore[union-attr]
                old_contribution = self._contributions.get(hash)
                if fresh or old_contribution is None:
                    contribution = _contribution(torrent)
                else:
                    contribution = _recontribution(torrent, old_contribution, fields)  # type: ignore[arg-type]
                if contribution != old_contribution:
                    self._move_counts(hash, old_contribution, contribution)
            if fresh or "name" in fields:  # type: ignore[operator]
                self._folded[hash] = torrent.name.casefold()
                if not fresh:
                    self._names_all = None  # renamed in place: not in step any more
            new_key = (key(torrent), hash) if fresh or fields & sort_fields else old_key  # type: ignore[operator]
            moved = new_key != old_key
            if moved:
                if old_key is not None:
                    out_all.append((hash, old_key))
                new_keys[hash] = new_key  # type: ignore[assignment]
            was_shown = hash in visible
            shown = (
                predicate is None or predicate(hash)
                if fresh or fields & filter_fields  # type: ignore[operator]
                else was_shown
            )
            if filtered:
                if was_shown and (moved or not shown):
                    out_shown.append((hash, old_key))  # type: ignore[arg-type]
                if shown and (moved or not was_shown):
                    into_shown.append(hash)
            if shown != was_shown:
                if shown:
                    visible.add(hash)
                else:
                    visible.discard(hash)
        if not (out_all or new_keys or out_shown or into_shown):
            return False
        # Take entries out while every key still sorts the lists, then re-key, then put them back.
        all_moves = self._take_out(self._all, out_all)
        shown_moves = self._take_out(self.order, out_shown) if filtered else all_moves
        for hash in changes.removed:
            values.pop(hash, None)
        for hash, (value, _) in new_keys.items():
            values[hash] = value
        all_changed = self._put_back(self._all, list(new_keys), all_moves)
        if not filtered:
            self.order = self._all
            return all_changed
        return self._put_back(self.order, into_shown, shown_moves)

    def _follow_hashes(self, changes: ChangeSet) -> None:
        """Keep `_by_hash` (one insertion or removal each; a large share: sort again when needed)."""
        by_hash = self._by_hash
        if by_hash is None:
            return
        if (len(changes.added) + len(changes.removed)) * _MERGE_SHARE > len(by_hash):
            self._by_hash = None
            return
        for hash in changes.removed:
            index = bisect_left(by_hash, hash)
            if index < len(by_hash) and by_hash[index] == hash:
                del by_hash[index]
        torrents = self.store.torrents
        for hash in changes.added:
            index = bisect_left(by_hash, hash)
            if hash in torrents and (index == len(by_hash) or by_hash[index] != hash):
                by_hash.insert(index, hash)

    @staticmethod
    def _touched(changes: ChangeSet, torrents: dict[str, Torrent]) -> Iterable[str]:
        for hash in (*changes.added, *changes.changed):
            if hash in torrents:
                yield hash

    # -- keeping lists sorted -------------------------------------------------------------------

    def _locate(self, items: list[str], hash: str, key: Key) -> int | None:
        """The index of `hash` in `items`, which is sorted by the current keys."""
        index = self._position(items, key)
        if index < len(items) and items[index] == hash:
            return index
        try:  # not sorted as it should be: still answer correctly
            return items.index(hash)
        except ValueError:
            return None

    def _position(self, items: list[str], key: Key) -> int:
        """Where an entry with `key` belongs in `items` (ascending, or descending when reversed)."""
        if not self.reverse:
            return bisect_left(items, key, key=self._key)
        low, high = 0, len(items)
        values = self._values
        while low < high:
            middle = (low + high) // 2
            other = items[middle]
            if (values[other], other) > key:
                low = middle + 1
            else:
                high = middle
        return low

    def _take_out(self, items: list[str], leaving: list[tuple[str, Key]]) -> _Moves:
        """Remove entries (located by the keys they are sorted under now); remembers where they were.
        Names kept in step with `_all` follow it."""
        moves = _Moves()
        if not leaving:
            return moves
        if len(leaving) * _MERGE_SHARE > len(items):
            if items is self._all:
                self._names_all = None
            moves.merged = True
            gone = {hash for hash, _ in leaving}
            moves.before = list(items)
            items[:] = [h for h in items if h not in gone]
            return moves
        for hash, key in leaving:
            index = self._locate(items, hash, key)
            if index is not None:
                moves.old[hash] = index
        in_step = self._names_in_step(items)
        for index in sorted(moves.old.values(), reverse=True):
            del items[index]
            if in_step is not None:
                del in_step[index]
        return moves

    def _put_back(self, items: list[str], entering: list[str], moves: _Moves) -> bool:
        """Insert entries at their (new) keys' places; returns whether `items` differs from before.
        Names kept in step with `_all` follow it."""
        key = self._key
        if moves.merged or len(entering) * _MERGE_SHARE > len(items) + len(entering):
            if items is self._all:
                self._names_all = None
            before = moves.before if moves.merged else None
            if before is None:
                before = list(items)
                # Put the taken-out entries back where they were, to compare against the old order.
                for hash, index in sorted(moves.old.items(), key=lambda item: item[1]):
                    before.insert(index, hash)
            # Two sorted runs: Timsort merges them in one pass.
            items += sorted(entering, key=key, reverse=self.reverse)
            items.sort(key=key, reverse=self.reverse)
            return items != before
        unchanged = set(moves.old) == set(entering)
        in_step = self._names_in_step(items)
        folded = self._folded
        for hash in entering:
            position = self._position(items, key(hash))
            items.insert(position, hash)
            if in_step is not None:
                in_step.insert(position, folded[hash])
        if unchanged:
            unchanged = all(self._locate(items, h, key(h)) == index for h, index in moves.old.items())
        return not unchanged

    # -- counts ---------------------------------------------------------------------------------

    def _recount(self) -> None:
        counts = Counts()
        for statuses, category, tags, tracker_status in self._contributions.values():
            counts.status.update(statuses)
            counts.categories[category] += 1
            counts.tags.update(tags)
            counts.tracker_status.update(tracker_status)
        self.counts = counts
        self._recount_trackers()

    def _recount_trackers(self) -> None:
        self.counts.trackers = Counter({url: len(hashes) for url, hashes in self.store.trackers.items()})

    def _uncount(self, hash: str) -> None:
        old = self._contributions.pop(hash, None)
        if old is None:
            return
        statuses, category, tags, tracker_status = old
        counts = self.counts
        for name in statuses:
            counts.status[name] -= 1
        counts.categories[category] -= 1
        for tag in tags:
            counts.tags[tag] -= 1
        for name in tracker_status:
            counts.tracker_status[name] -= 1

    def _move_counts(self, hash: str, old: _Contribution | None, new: _Contribution) -> None:
        """Move one torrent's counts from `old` to `new`, touching only the parts that differ
        (plain loops: Counter.subtract/update cost more than the counting itself)."""
        if old is None:
            self._count(hash, new)
            return
        self._contributions[hash] = new
        counts = self.counts
        for index, counter in (
            (0, counts.status),
            (2, counts.tags),
            (3, counts.tracker_status),
        ):
            before, after = old[index], new[index]
            if before is not after and before != after:
                for name in before:
                    counter[name] -= 1
                for name in after:
                    counter[name] += 1
        if old[1] != new[1]:
            counts.categories[old[1]] -= 1
            counts.categories[new[1]] += 1

    def _count(self, hash: str, contribution: _Contribution) -> None:
        self._contributions[hash] = contribution
        statuses, category, tags, tracker_status = contribution
        counts = self.counts
        for name in statuses:
            counts.status[name] += 1
        counts.categories[category] += 1
        for tag in tags:
            counts.tags[tag] += 1
        for name in tracker_status:
            counts.tracker_status[name] += 1


@dataclass(slots=True)
class _Moves:
    """Entries taken out of a sorted list: their old indexes, or the whole old list after a merge."""

    old: dict[str, int] = field(default_factory=dict)
    merged: bool = False
    before: list[str] | None = None

"""Several servers in one table: the torrents of every server's own store, keyed by (server, hash).

Each server keeps its own `Store`, fed by its own poll loop (qbtui.model.fleet_sync) exactly as a
single server's is. `FleetStore` joins them for the table: `torrents` maps `hash@server` (see
`fleet_key`; the same info-hash can be on two servers and is two rows) to the member's own
`Torrent` objects, and `absorb()` turns a member's change set into one in those keys, so the view
(qbtui.model.view) follows a fleet exactly as it follows one server, at the cost of the delta.

The same info-hash on several servers is *related*: each of those torrents carries `copies` (on how
many servers it is), and a change in that count is reported as a change of the pseudo-field
`COPIES_FIELD`, so the Server column and the `copies` filter follow it.

No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qbtui.api.models import Category, ServerState, Torrent
from qbtui.model import columns
from qbtui.model.store import ChangeSet, Store

#: Separates the hash from the server in a fleet key. Server names are config names (letters,
#: digits, `- _ .`) or an address given with --url, and info-hashes are hex: neither holds it.
KEY_SEPARATOR = "@"
#: The pseudo-field a change of `Torrent.copies` is reported as (the Server column reads it).
COPIES_FIELD = columns.COPIES_FIELD


def fleet_key(server: str, hash: str) -> str:
    return f"{hash}{KEY_SEPARATOR}{server}"


def split_key(key: str) -> tuple[str, str]:
    """(server, hash) of a fleet key; ("", key) for a plain hash."""
    hash, separator, server = key.partition(KEY_SEPARATOR)
    return (server, hash) if separator else ("", key)


class FleetStore(Store):
    """The member stores' torrents in one store (see the module's docstring). Fed through
    `absorb()`, never `apply()`: each member's poll loop applies its payloads to its own store."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self.members: dict[str, Store] = {name: Store() for name in names}
        #: info-hash -> the servers that have it, in the order they were seen.
        self.holders: dict[str, tuple[str, ...]] = {}
        #: Members whose data is live: the fleet's speeds are the sum of theirs.
        self.live: set[str] = set()

    def apply(self, payload: Mapping[str, Any]) -> ChangeSet:
        raise TypeError("a fleet store is fed by its members' stores (absorb), not by payloads")

    def preview(self, torrents: Iterable[object]) -> ChangeSet:
        raise TypeError("a fleet store is fed by its members' stores (absorb), not by payloads")

    # -- what the table asks ----------------------------------------------------------------------

    def member_of(self, key: str) -> tuple[str, Store] | None:
        server, _ = split_key(key)
        store = self.members.get(server)
        return (server, store) if store is not None else None

    def related(self, torrent: Torrent) -> list[Torrent]:
        """The same info-hash on the other servers."""
        return [
            self.torrents[fleet_key(server, torrent.hash)]
            for server in self.holders.get(torrent.hash, ())
            if server != torrent.server and fleet_key(server, torrent.hash) in self.torrents
        ]

    def count(self, server: str) -> int:
        store = self.members.get(server)
        return len(store.torrents) if store is not None else 0

    # -- feeding ----------------------------------------------------------------------------------

    def absorb(self, server: str, changes: ChangeSet) -> ChangeSet:
        """Follow one member's change set (its store has applied it already); returns the same in
        fleet keys. A member's full update arrives as the additions, removals and changes it made,
        so the table never rebuilds 50,000 rows because one server reconnected."""
        member = self.members[server]
        out = ChangeSet(rid=self.rid + 1, preview=changes.preview)
        self.rid = out.rid
        for hash in changes.removed:
            self._drop(server, hash, out)
        for hash in changes.added:
            self._put(server, hash, member.torrents.get(hash), None, out)
        for hash, fields in changes.changed.items():
            self._put(server, hash, member.torrents.get(hash), fields, out)
        if changes.categories_changed or changes.full_update:
            out.categories_changed = self._join_categories()
        if changes.tags_changed or changes.full_update:
            out.tags_changed = self._join_tags()
        if changes.trackers_changed or (changes.full_update and member.trackers):
            out.trackers_changed = self._join_trackers()
        if changes.server_state_changed and server in self.live:
            out.server_state_changed = set(changes.server_state_changed)
            self._sum_states()
        return out

    def set_live(self, server: str, live: bool) -> bool:
        """A member's link went up or down: its speeds count in the fleet's only while live.
        Returns whether that changed anything."""
        if (server in self.live) == live:
            return False
        if live:
            self.live.add(server)
        else:
            self.live.discard(server)
        self._sum_states()
        return True

    def clear_member(self, server: str) -> ChangeSet:
        """Empty a member's store and take its torrents out of the table (before its data is
        replaced by another login's, so nothing of the old data can be acted on meanwhile). Its next
        poll starts afresh, with a full update."""
        emptied = self.members[server].apply({"rid": 0, "full_update": True})
        self.live.discard(server)
        out = self.absorb(server, emptied)
        self._sum_states()
        return out

    def _put(
        self, server: str, hash: str, torrent: Torrent | None, fields: set[str] | None, out: ChangeSet
    ) -> None:
        key = fleet_key(server, hash)
        if torrent is None:  # gone again since (a later poll of the member): drop it
            self._drop(server, hash, out)
            return
        torrent.server = server
        holders = self.holders.get(hash)
        torrent.copies = len(holders) if holders and server in holders else torrent.copies
        known = key in self.torrents
        self.torrents[key] = torrent
        if not known:
            out.added.add(key)
            out.removed.discard(key)
            self._hold(server, hash, out)
        elif key not in out.added:
            out.changed.setdefault(key, set()).update(fields if fields is not None else torrent_fields())

    def _drop(self, server: str, hash: str, out: ChangeSet) -> None:
        key = fleet_key(server, hash)
        if self.torrents.pop(key, None) is None:
            return
        if key in out.added:
            out.added.discard(key)
        else:
            out.removed.add(key)
        out.changed.pop(key, None)
        holders = tuple(other for other in self.holders.get(hash, ()) if other != server)
        if holders:
            self.holders[hash] = holders
        else:
            self.holders.pop(hash, None)
        self._recount_copies(hash, holders, out)

    def _hold(self, server: str, hash: str, out: ChangeSet) -> None:
        holders = self.holders.get(hash, ())
        if server not in holders:
            holders = self.holders[hash] = (*holders, server)
        if len(holders) == 1:
            self.torrents[fleet_key(server, hash)].copies = 1
            return
        self._recount_copies(hash, holders, out)

    def _recount_copies(self, hash: str, holders: tuple[str, ...], out: ChangeSet) -> None:
        count = len(holders)
        for other in holders:
            key = fleet_key(other, hash)
            torrent = self.torrents.get(key)
            if torrent is None or torrent.copies == count:
                continue
            torrent.copies = count
            if key not in out.added:
                out.changed.setdefault(key, set()).add(COPIES_FIELD)

    # -- what the servers share -------------------------------------------------------------------

    def _join_categories(self) -> bool:
        joined: dict[str, Category] = {}
        for member in self.members.values():
            for name, category in member.categories.items():
                joined.setdefault(name, category)
        changed = joined != self.categories
        self.categories = joined
        return changed

    def _join_tags(self) -> bool:
        joined = list(dict.fromkeys(tag for member in self.members.values() for tag in member.tags))
        changed = joined != self.tags
        self.tags = joined
        return changed

    def _join_trackers(self) -> bool:
        joined: dict[str, list[str]] = {}
        for server, member in self.members.items():
            for url, hashes in member.trackers.items():
                joined.setdefault(url, []).extend(fleet_key(server, hash) for hash in hashes)
        changed = joined != self.trackers
        self.trackers = joined
        return changed

    def _sum_states(self) -> None:
        """The fleet's transfer: the live servers' speeds and totals summed; a limit only where
        every live server has one (else some server is unlimited)."""
        states = [self.members[name].server_state for name in self.members if name in self.live]
        dl_limits = [s.dl_rate_limit for s in states]
        up_limits = [s.up_rate_limit for s in states]
        self.server_state = ServerState(
            dl_info_speed=sum(s.dl_info_speed for s in states),
            up_info_speed=sum(s.up_info_speed for s in states),
            dl_info_data=sum(s.dl_info_data for s in states),
            up_info_data=sum(s.up_info_data for s in states),
            dl_rate_limit=sum(dl_limits) if states and None not in dl_limits else None,  # type: ignore[arg-type]
            up_rate_limit=sum(up_limits) if states and None not in up_limits else None,  # type: ignore[arg-type]
            dht_nodes=sum(s.dht_nodes for s in states),
            use_alt_speed_limits=any(s.use_alt_speed_limits for s in states) or None,
        )


def torrent_fields() -> set[str]:
    """Every raw field a torrent has (a change whose fields are not known: all of them)."""
    from qbtui.api.models import TORRENT_KEYS

    return set(TORRENT_KEYS) | {COPIES_FIELD}

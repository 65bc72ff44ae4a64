"""The client-side mirror of a server's state, fed by `sync/maindata` payloads of both generations.

`Store.apply(payload)` merges one payload and returns a `ChangeSet` naming exactly what moved,
so the UI redraws only that. A delta costs time in proportion to its size, not to the number
of torrents: only the torrents named in it are touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.coerce import (
    as_int,
    as_str,
)
from qbtui.api.models import (
    TORRENT_COMBINED,
    TORRENT_FIELDS,
    Category,
    ServerState,
    Torrent,
    categories_from_raw,
)


@dataclass(slots=True)
class ChangeSet:
    """What one payload changed. `changed` maps a hash to the raw field names that differ."""

    rid: int = 0
    full_update: bool = False
    #: Torrents from a first page shown before the first full update (see `Store.preview`).
    preview: bool = False
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    changed: dict[str, set[str]] = field(default_factory=dict)
    categories_changed: bool = False
    tags_changed: bool = False
    trackers_changed: bool = False
    server_state_changed: set[str] = field(default_factory=set)

    @property
    def torrents_changed(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def empty(self) -> bool:
        return not (
            self.torrents_changed
            or self.categories_changed
            or self.tags_changed
            or self.trackers_changed
            or self.server_state_changed
        )


class Store:
    """Torrents, categories, tags, trackers and server state as the server last described them."""

    def __init__(self) -> None:
        self.rid = 0
        self.raw: dict[str, dict[str, Any]] = {}
        self.torrents: dict[str, Torrent] = {}
        self.categories: dict[str, Category] = {}
        self.tags: list[str] = []
        #: v2 >= 4.3: tracker URL -> hashes of the torrents that use it.
        self.trackers: dict[str, list[str]] = {}
        self.server_state_raw: dict[str, Any] = {}
        self.server_state = ServerState()
        #: What `maindata` last said of the fields a `refresh` has overwritten since: per hash (""
        #: for the server state) field -> value (_MISSING: it never named the field).
        self._maindata_said: dict[str, dict[str, Any]] = {}

    def apply(self, payload: Mapping[str, Any]) -> ChangeSet:
        if not isinstance(payload, Mapping):
            raise TypeError("a maindata payload must be a JSON object")
        full = bool(payload.get("full_update"))
        changes = ChangeSet(rid=as_int(payload.get("rid"), self.rid) or 0, full_update=full)
        self.rid = changes.rid
        said, self._maindata_said = self._maindata_said, {}
        if full:
            self._replace_torrents(payload.get("torrents"), changes)
        else:
            self._merge_torrents(payload.get("torrents"), changes)
            self._remove_torrents(payload.get("torrents_removed"), changes)
        self._apply_categories(payload, full, changes)
        self._apply_tags(payload, full, changes)
        self._apply_trackers(payload, full, changes)
        self._apply_server_state(payload.get("server_state"), full, changes)
        if said and not full:
            self._restore_unsaid(said, payload, changes)
        return changes

    def refresh(self, torrents: Iterable[object], server_state: Mapping[str, Any] | None = None) -> ChangeSet:
        """Fresher data between two `maindata` polls: rows of `torrents/info` (raw objects with a
        `hash`; unknown torrents are left to the next `maindata`, which brings their category and
        trackers too) and `transfer/info`. `rid` stays: the next delta is still relative to the last
        `maindata`, which leaves out a field that went back to the value it last sent (a speed back
        to 0); `apply` then puts that value back (`_restore_unsaid`)."""
        changes = ChangeSet(rid=self.rid)
        said = self._maindata_said
        for item in torrents:
            if not isinstance(item, Mapping):
                continue
            hash = as_str(item.get("hash")).lower()
            old = self.raw.get(hash)
            if old is not None and (differing := _overwrite(old, item, said.setdefault(hash, {}))):
                changes.changed[hash] = differing
                self.torrents[hash] = refreshed(self.torrents[hash], old, differing)
        if isinstance(server_state, Mapping):
            state = self.server_state_raw
            if differing := _overwrite(state, server_state, said.setdefault("", {})):
                self.server_state = ServerState.from_raw(state)
                changes.server_state_changed = differing
        return changes

    def _restore_unsaid(
        self, said: dict[str, dict[str, Any]], payload: Mapping[str, Any], changes: ChangeSet
    ) -> None:
        """After a delta: a field a `refresh` overwrote that the delta does not name still has the
        value `maindata` last sent (the server only names what differs from that)."""
        named = _torrent_map(payload.get("torrents"))
        for hash, fields in said.items():
            raw = self.raw.get(hash)
            if hash == "" or raw is None or hash in changes.added:
                continue
            if restored := _take_back(raw, fields, named.get(hash, {})):
                changes.changed.setdefault(hash, set()).update(restored)
                self.torrents[hash] = refreshed(self.torrents[hash], raw, restored)
        state = payload.get("server_state")
        if restored := _take_back(
            self.server_state_raw, said.get("", {}), state if isinstance(state, Mapping) else {}
        ):
            self.server_state = ServerState.from_raw(self.server_state_raw)
            changes.server_state_changed = changes.server_state_changed | restored

    def preview(self, torrents: Iterable[object]) -> ChangeSet:
        """Show a first page of torrents (`torrents/info?limit=N`, raw objects with a `hash`) before
        the first full update, which can take seconds at tens of thousands of torrents. Only into
        an empty store; `rid` stays 0, so the next `maindata` is a full update that replaces them."""
        changes = ChangeSet(rid=self.rid, preview=True)
        if self.rid or self.raw:
            return changes
        for item in torrents:
            if not isinstance(item, Mapping):
                continue
            hash = as_str(item.get("hash")).lower()
            if not hash or hash in self.raw:
                continue
            fields = {key: value for key, value in item.items() if key != "hash"}
            self.raw[hash] = fields
            self.torrents[hash] = Torrent.from_raw(fields, hash=hash)
            changes.added.add(hash)
        return changes

    # -- torrents -------------------------------------------------------------------------------

    def _replace_torrents(self, torrents: object, changes: ChangeSet) -> None:
        incoming = _torrent_map(torrents)
        changes.removed = set(self.raw) - set(incoming)
        for hash in changes.removed:
            del self.raw[hash]
            del self.torrents[hash]
        for hash, fields in incoming.items():
            old = self.raw.get(hash)
            if old is None:
                changes.added.add(hash)
            else:
                differing = {k for k in old.keys() | fields.keys() if old.get(k) != fields.get(k)}
                if not differing:
                    continue
                changes.changed[hash] = differing
            self.raw[hash] = dict(fields)
            self.torrents[hash] = Torrent.from_raw(fields, hash=hash)

    def _merge_torrents(self, torrents: object, changes: ChangeSet) -> None:
        if type(torrents) is not dict:
            torrents = _torrent_map(torrents)
        raw, models, changed, added = self.raw, self.torrents, changes.changed, changes.added
        for hash, fields in torrents.items():
            if type(hash) is not str or type(fields) is not dict or not (hash.islower() or hash.isdigit()):
                # Not the plain lower-case hex key and JSON object every server sends: the careful way.
                for key, value in _torrent_map({hash: fields}).items():
                    self._merge_one(key, value, changes)
                continue
            old = raw.get(hash)
            if old is None or hash in added or hash in changed:
                self._merge_one(hash, fields, changes)
                continue
            differing = {k for k, v in fields.items() if old.get(k, _MISSING) != v}
            if not differing:
                continue
            old.update(fields)
            changed[hash] = differing
            # Only the attributes those fields feed are recomputed: a poll's cost follows
            # the fields that moved, not the ~45 attributes of every torrent it names.
            refreshed(models[hash], old, differing)

    def _merge_one(self, hash: str, fields: Mapping[str, Any], changes: ChangeSet) -> None:
        old = self.raw.get(hash)
        if old is None:
            # A torrent we do not know arrives in full.
            self.raw[hash] = dict(fields)
            changes.added.add(hash)
        else:
            differing = {k for k, v in fields.items() if old.get(k, _MISSING) != v}
            if not differing:
                return
            old.update(fields)
            if hash not in changes.added:
                changes.changed.setdefault(hash, set()).update(differing)
                self.torrents[hash] = refreshed(self.torrents[hash], old, differing)
                return
        self.torrents[hash] = Torrent.from_raw(self.raw[hash], hash=hash)

    def _remove_torrents(self, removed: object, changes: ChangeSet) -> None:
        if not isinstance(removed, list):
            return
        for item in removed:
            hash = as_str(item).lower()
            if hash in self.raw:
                del self.raw[hash]
                del self.torrents[hash]
                changes.removed.add(hash)
                changes.added.discard(hash)
                changes.changed.pop(hash, None)

    # -- categories, tags, trackers --------------------------------------------------------------

    def _apply_categories(self, payload: Mapping[str, Any], full: bool, changes: ChangeSet) -> None:
        # API < 10 called them labels.
        raw = payload.get("categories", payload.get("labels"))
        removed = payload.get("categories_removed", payload.get("labels_removed"))
        before = dict(self.categories)
        if full:
            self.categories = categories_from_raw(raw)
        elif isinstance(raw, Mapping):
            # v2 >= 2.1: changed fields of existing categories, full new ones.
            for name, fields in raw.items():
                name = as_str(name)
                if not name:  # "" is "no category", never a category of its own
                    continue
                merged = dict(_category_fields(self.categories.get(name)))
                if isinstance(fields, Mapping):
                    merged.update(fields)
                self.categories[name] = Category.from_raw(name, merged)
        else:
            self.categories.update(categories_from_raw(raw))
        if isinstance(removed, list):
            for name in removed:
                self.categories.pop(as_str(name), None)
        changes.categories_changed = self.categories != before

    def _apply_tags(self, payload: Mapping[str, Any], full: bool, changes: ChangeSet) -> None:
        tags = payload.get("tags")
        removed = payload.get("tags_removed")
        before = list(self.tags)
        if full:
            self.tags = []
        if isinstance(tags, list):
            known = set(self.tags)
            self.tags += [t for t in dict.fromkeys(as_str(tag) for tag in tags) if t and t not in known]
        if isinstance(removed, list):
            gone = {as_str(tag) for tag in removed}
            self.tags = [t for t in self.tags if t not in gone]
        changes.tags_changed = self.tags != before

    def _apply_trackers(self, payload: Mapping[str, Any], full: bool, changes: ChangeSet) -> None:
        trackers = payload.get("trackers")
        removed = payload.get("trackers_removed")
        before = self.trackers
        if full:
            self.trackers = {}
        elif isinstance(trackers, Mapping) or isinstance(removed, list):
            self.trackers = dict(self.trackers)
        if isinstance(trackers, Mapping):
            for url, hashes in trackers.items():
                self.trackers[as_str(url)] = [as_str(h) for h in hashes] if isinstance(hashes, list) else []
        if isinstance(removed, list):
            for url in removed:
                self.trackers.pop(as_str(url), None)
        changes.trackers_changed = self.trackers != before

    # -- server state ---------------------------------------------------------------------------

    def _apply_server_state(self, state: object, full: bool, changes: ChangeSet) -> None:
        if not isinstance(state, Mapping):
            if full and self.server_state_raw:
                changes.server_state_changed = set(self.server_state_raw)
                self.server_state_raw = {}
                self.server_state = ServerState()
            return
        if full:
            differing = {
                k
                for k in self.server_state_raw.keys() | state.keys()
                if self.server_state_raw.get(k) != state.get(k)
            }
            self.server_state_raw = dict(state)
        else:
            differing = {k for k, v in state.items() if self.server_state_raw.get(k, _MISSING) != v}
            self.server_state_raw.update(state)
        if differing:
            self.server_state = ServerState.from_raw(self.server_state_raw)
        changes.server_state_changed = differing


_MISSING = object()


def _overwrite(raw: dict[str, Any], incoming: Mapping[str, Any], said: dict[str, Any]) -> set[str]:
    """Write into `raw` the fields of `incoming` it holds with another value, keeping in `said` what
    `maindata` had said of each. Only fields maindata sends (its full update named them all): one
    it never sends would be taken back after every delta and come again with every refresh."""
    differing = {k for k, v in incoming.items() if k in raw and raw[k] != v}
    for key in differing:
        said.setdefault(key, raw[key])
        raw[key] = incoming[key]
    return differing


def _take_back(raw: dict[str, Any], said: Mapping[str, Any], named: Mapping[str, Any]) -> set[str]:
    """Put back in `raw` what `maindata` last said of the fields a delta did not name."""
    restored = {k for k, v in said.items() if k not in named and raw.get(k, _MISSING) != v}
    for key in restored:
        raw[key] = said[key]
    return restored


def _torrent_map(torrents: object) -> dict[str, Mapping[str, Any]]:
    if not isinstance(torrents, Mapping):
        return {}
    return {as_str(h).lower(): fields for h, fields in torrents.items() if isinstance(fields, Mapping)}


def _category_fields(category: Category | None) -> dict[str, Any]:
    if category is None:
        return {}
    fields: dict[str, Any] = {"name": category.name, "savePath": category.save_path}
    if category.download_path is not None:
        fields["download_path"] = category.download_path
    return fields


# -- recomputing only what changed ------------------------------------------------------------------


def refreshed(torrent: Torrent, raw: Mapping[str, Any], fields: Iterable[str]) -> Torrent:
    """`torrent` updated in place to equal `Torrent.from_raw(raw)` after `fields` of `raw` changed,
    through the same table of fields (qbtui.api.models.TORRENT_FIELDS)."""
    for name in fields:
        field = TORRENT_FIELDS.get(name)
        if field is not None:
            setattr(torrent, field.attribute, field.convert(raw.get(name)))
        elif (combine := TORRENT_COMBINED.get(name)) is not None:
            for attribute, value in combine(raw).items():
                setattr(torrent, attribute, value)
        elif name == "hash":
            continue  # the store keys torrents by hash
        elif name in raw:
            torrent.extra[name] = raw[name]
        else:
            torrent.extra.pop(name, None)
    return torrent

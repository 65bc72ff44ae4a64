"""The rid/delta algorithm of 4.0.4's btjson.cpp (`generateSyncData`, `processMap/Hash/List`), facts §2.1.

The server builds a whole snapshot on every call and diffs it against the last snapshot the client
accepted. Snapshots share the torrents' field dicts: an unchanged torrent is the *same* object in
both snapshots, so a delta costs one identity check per torrent plus work for what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RID_CYCLE = 1_000_000
_MISSING = object()


class Keyed(dict[str, Any]):
    """A keyed collection (QVariantHash: torrents, peers): items diffed one by one, removals listed."""


def diff_keyed(prev: dict[str, Any], cur: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    if not prev:
        return dict(cur), []
    changed: dict[str, Any] = {}
    added = 0
    for key, item in cur.items():
        before = prev.get(key)
        if before is None:
            changed[key] = item
            added += 1
        elif before is not item:
            # Torrent and peer objects are flat: compare field by field without recursion.
            delta = {k: v for k, v in item.items() if before.get(k, _MISSING) != v}
            if delta:
                changed[key] = delta
    # Every key of `cur` that is not new is in `prev`: only look for removals when counts say so.
    gone = len(prev) - (len(cur) - added)
    removed = [key for key in prev if key not in cur] if gone else []
    return changed, removed


def diff_list(prev: list[Any], cur: list[Any]) -> tuple[list[Any], list[Any]]:
    if not prev:
        return list(cur), []
    remaining = list(prev)
    added = []
    for item in cur:
        if item in remaining:
            remaining.remove(item)
        else:
            added.append(item)
    return added, remaining


def diff_map(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in cur.items():
        before = prev.get(key, _MISSING)
        if isinstance(value, Keyed):
            changed, removed = diff_keyed(before if isinstance(before, dict) else {}, value)
            if changed:
                out[key] = changed
            if removed:
                out[f"{key}_removed"] = removed
        elif isinstance(value, dict):
            nested = diff_map(before if isinstance(before, dict) else {}, value)
            if nested:
                out[key] = nested
        elif isinstance(value, list):
            added, gone = diff_list(before if isinstance(before, list) else [], value)
            if added:
                out[key] = added
            if gone:
                out[f"{key}_removed"] = gone
        elif before is _MISSING or before != value:
            out[key] = value
    return out


@dataclass
class SyncState:
    """Per session and per endpoint: the last snapshot sent and the last one the client accepted."""

    last: dict[str, Any] | None = None
    last_rid: int = 0
    accepted: dict[str, Any] | None = None
    accepted_rid: int = 0

    def reply(self, rid: int, data: dict[str, Any]) -> dict[str, Any]:
        """The payload for a request carrying `rid`; `data` becomes the new last-sent snapshot."""
        full = True
        last_rid = 0
        out: dict[str, Any] = {}
        if rid > 0:
            last_rid = self.last_rid
            if last_rid == rid:
                self.accepted, self.accepted_rid = self.last, self.last_rid
            if self.accepted is not None and self.accepted_rid == rid:
                out = diff_map(self.accepted, data)
                full = False
        if full:
            self.accepted, self.accepted_rid = None, 0
            out = dict(data)
            out["full_update"] = True
        last_rid = last_rid % RID_CYCLE + 1
        self.last, self.last_rid = data, last_rid
        out["rid"] = last_rid
        return out

"""Turning sync change sets into the few events worth interrupting the user for: a torrent finished
downloading, or went into error. No Textual here; the UI decides how to show them.

Only transitions seen while watching count: the first sync (and a torrent added already complete)
announces nothing, so a restart of qbtui does not replay the server's history.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from qbtui.model.store import ChangeSet, Store


class EventKind(enum.Enum):
    COMPLETED = "completed"
    ERRORED = "errored"


@dataclass(frozen=True, slots=True)
class TorrentEvent:
    kind: EventKind
    hash: str
    name: str
    detail: str = ""


#: The raw fields `update` looks at: progress, and the state (which also says "error").
_WATCHED = frozenset({"progress", "state"})


class TorrentEvents:
    """Remembers each torrent's (complete, errored) and reports the changes of both."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[bool, bool]] = {}
        self._primed = False

    def update(self, store: Store, changes: ChangeSet) -> list[TorrentEvent]:
        torrents = store.torrents
        if not self._primed or changes.full_update:
            # Everything may differ after a full update; compare what we remember with all of it.
            candidates = set(torrents)
        else:
            # Only a change of progress or state can complete or fail a torrent; most changes in a
            # poll are speeds (at 10,000 torrents: hundreds per poll, a handful of these).
            candidates = {h for h, fields in changes.changed.items() if not fields.isdisjoint(_WATCHED)}
            candidates |= changes.added
        for gone in changes.removed:
            self._seen.pop(gone, None)
        events: list[TorrentEvent] = []
        for key in candidates:
            torrent = torrents.get(key)
            if torrent is None:
                continue
            now = (torrent.progress is not None and torrent.progress >= 1.0, torrent.state.is_errored)
            before = self._seen.get(key)
            self._seen[key] = now
            if not self._primed or before is None:
                continue
            if now[0] and not before[0]:
                events.append(TorrentEvent(EventKind.COMPLETED, key, torrent.name))
            if now[1] and not before[1]:
                detail = "files are missing" if torrent.state.value == "missingFiles" else "error"
                events.append(TorrentEvent(EventKind.ERRORED, key, torrent.name, detail))
        if changes.full_update:
            for key in set(self._seen) - set(torrents):
                del self._seen[key]
        self._primed = True
        return sorted(events, key=lambda e: (e.kind.value, e.name))

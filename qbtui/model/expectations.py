"""What the user's own commands have just set, until a poll shows it.

A command the server accepted is not in the store until a later `maindata` reports it, and
qBittorrent itself refreshes torrent states only every 1.5 s. Without this, two actions within
that window are planned from stale values: `p` twice pauses twice instead of pausing and
resuming, and undoing the second of two category changes skips the first.

An expectation holds while polls newer than the command still show the value from before it.
Once they show anything else (the new value, or what another command or client made of it) the
store is right again; and after `ttl` it is trusted anyway: a command that the server quietly
ignored must not mask the server's own value for long.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar, cast

T = TypeVar("T")

#: Seconds an unconfirmed expectation outlives its command: several poll intervals, plus
#: qBittorrent's own 1.5 s status refresh.
TTL = 10.0

PAUSED = "paused"
CATEGORY = "category"
DOWNLOAD_LIMIT = "dl_limit"
UPLOAD_LIMIT = "up_limit"
#: A torrent's share limits as one value (qbtui.model.share_limits.ShareLimits).
SHARE_LIMITS = "share_limits"


def tag_field(tag: str) -> str:
    """The field of "this torrent has `tag`" (a bool)."""
    return f"tag:{tag}"


@dataclass(frozen=True, slots=True)
class Change:
    """A command moves `field` of torrent `hash` from `old` to `new`."""

    hash: str
    field: str
    old: object
    new: object

    def reversed(self) -> Change:
        return Change(self.hash, self.field, self.new, self.old)


@dataclass(slots=True)
class _Expected:
    value: object
    was: object
    generation: int
    deadline: float


class Expectations:
    def __init__(
        self,
        generation: Callable[[], int] = lambda: 0,
        ttl: float = TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`generation` names the data a value is read from (the store's `rid`): only data newer
        than the command can confirm it."""
        self._generation = generation
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[str, str], _Expected] = {}

    def expect(self, changes: Iterable[Change]) -> None:
        """Commands that the server accepted just now."""
        now = self._clock()
        # Expectations nobody asked about again (a bulk pause of thousands) end here, not never.
        for key in [key for key, entry in self._entries.items() if now > entry.deadline]:
            del self._entries[key]
        generation, deadline = self._generation(), now + self._ttl
        for change in changes:
            self._entries[(change.hash, change.field)] = _Expected(
                change.new, change.old, generation, deadline
            )

    def forget(self, field: str) -> None:
        """A command changed `field` of torrents in a way nobody planned (pause all): the next
        polls are the only source."""
        for key in [key for key in self._entries if key[1] == field]:
            del self._entries[key]

    def value(self, hash: str, field: str, actual: T) -> T:
        """The value to plan from: the expected one while the server still shows the old one."""
        key = (hash, field)
        entry = self._entries.get(key)
        if entry is None:
            return actual
        moved = self._generation() != entry.generation and actual != entry.was
        if moved or self._clock() > entry.deadline:
            del self._entries[key]
            return actual
        return cast(T, entry.value)

    def __len__(self) -> int:
        return len(self._entries)

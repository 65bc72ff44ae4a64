"""Speed history: global and per-torrent download/upload speeds over the last few minutes.

One *sample* per poll. The global speeds go into a fixed ring (`capacity` samples); a poll that
failed (disconnected, refused, connecting) is recorded as a *gap*, never as zero speed. A sample
taken while nobody could see the app (qbtui.model.visibility: the poller then asks every couple
of minutes) is *coarse*: it stands for minutes, not for a second or two, and the graphs say so.

Per-torrent history costs time in proportion to the torrents a poll changed, not to all torrents:
a torrent keeps a small change log of `(tick, download, upload)` triples (one `array('I')`), and a
sample in which its speed did not change simply repeats its last value. A torrent that never moved
has no log at all (its speed is zero throughout), so a 50,000-torrent seedbox with a few hundred
active torrents stores a few hundred logs. Memory is bounded three ways:

- a log keeps only what the window needs (`torrent_capacity` entries, trimmed in amortised O(1));
- at most `max_torrents` logs exist; a newcomer replaces the log that changed least recently if
  that one has been still for a tenth of the window, and otherwise is not tracked for now (when
  thousands move at once, the first thousand keep a useful history). Samples of a torrent that was
  not tracked are unknown (gaps), never zeros;
- a log whose torrent has been idle at zero for the whole window is dropped (losslessly) a few
  per poll.

No Textual here: the UI feeds `feed()` from its sync handler and reads the series to draw them.
"""

from __future__ import annotations

import json
import math
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qbtui.model.store import ChangeSet, Store
from qbtui.model.sync import LinkState, SyncUpdate

#: One poll every 1.5 s (qBittorrent's default refresh): 600 samples are 15 minutes.
DEFAULT_CAPACITY = 600
DEFAULT_TORRENT_CAPACITY = 600
DEFAULT_MAX_TORRENTS = 1000
#: Speeds are stored as unsigned 32-bit numbers: 4 GiB/s is plenty for a graph.
MAX_RATE = 0xFFFF_FFFF
#: Idle logs dropped per poll at most (keeps the cost per poll small and constant).
PRUNE_PER_POLL = 8
#: Version of the file `to_json` writes.
FILE_VERSION = 1

Point = tuple[int, int] | None
"""(download, upload) in bytes/s, or None for a gap (no data: disconnected or not tracked)."""

_SPEED_FIELDS = frozenset({"dlspeed", "upspeed"})


def _rate(value: object) -> int:
    if not isinstance(value, int) or value <= 0:
        return 0
    return min(value, MAX_RATE)


@dataclass(frozen=True, slots=True)
class Stats:
    """Minimum, average and peak of the samples that are not gaps."""

    minimum: int
    average: float
    peak: int
    samples: int

    @classmethod
    def of(cls, values: Iterable[int | None]) -> Stats | None:
        known = [v for v in values if v is not None]
        if not known:
            return None
        return cls(min(known), sum(known) / len(known), max(known), len(known))


class _Log:
    """One torrent's changes: `data` holds (tick, download, upload) triples, oldest first.
    Ticks before `unknown_before` have no data (tracked since then, or trimmed)."""

    __slots__ = ("data", "unknown_before")

    def __init__(self, unknown_before: int) -> None:
        self.data = array("I")
        self.unknown_before = unknown_before

    def last(self) -> tuple[int, int, int]:
        data = self.data
        return data[-3], data[-2], data[-1]


class SpeedHistory:
    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        *,
        torrent_capacity: int = DEFAULT_TORRENT_CAPACITY,
        max_torrents: int = DEFAULT_MAX_TORRENTS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if capacity < 2 or torrent_capacity < 2 or max_torrents < 1:
            raise ValueError("capacities must be at least 2 (max_torrents at least 1)")
        self.capacity = capacity
        self.torrent_capacity = torrent_capacity
        self.max_torrents = max_torrents
        self._clock = clock
        self._times = array("d", bytes(8 * capacity))
        self._down = array("I", bytes(4 * capacity))
        self._up = array("I", bytes(4 * capacity))
        self._gap = bytearray(capacity)
        self._coarse = bytearray(capacity)
        #: Samples recorded so far; sample `t` lives at index `t % capacity`.
        self.tick = 0
        #: The first tick of the newest run of equal samples (same speeds, gap and coarseness):
        #: while the whole window is one run, a graph of it looks the same after every poll.
        self._run_start = 0
        #: Per-torrent logs, least recently changed first.
        self._logs: OrderedDict[str, _Log] = OrderedDict()
        #: Torrents whose log was dropped to stay under `max_torrents`: their past is unknown.
        self._evicted: set[str] = set()
        self.evictions = 0

    # -- recording ------------------------------------------------------------------------------

    def feed(self, update: SyncUpdate, store: Store, *, coarse: bool = False) -> None:
        """The one call the UI makes per sync update; `coarse` while nobody sees the app."""
        if update.changes is not None and update.changes.preview:
            return  # a first page carries no server state: no speed to record, and no gap
        if update.state is LinkState.LIVE and update.changes is not None:
            self.record_changes(store, update.changes, coarse=coarse)
        else:
            self.record_gap()

    def record_changes(self, store: Store, changes: ChangeSet, *, coarse: bool = False) -> None:
        """A live poll: the server's global speeds, and the speeds of the torrents it changed."""
        torrents = store.torrents
        moved: dict[str, tuple[int, int]] = {}
        for hash in changes.added:
            torrent = torrents.get(hash)
            if torrent is not None:
                moved[hash] = (torrent.dl_speed, torrent.up_speed)
        for hash, fields in changes.changed.items():
            if fields & _SPEED_FIELDS:
                torrent = torrents.get(hash)
                if torrent is not None:
                    moved[hash] = (torrent.dl_speed, torrent.up_speed)
        state = store.server_state
        self.record(state.dl_info_speed, state.up_info_speed, moved, changes.removed, coarse=coarse)

    def record(
        self,
        download: int,
        upload: int,
        torrents: Mapping[str, tuple[int, int]] | None = None,
        removed: Iterable[str] = (),
        *,
        at: float | None = None,
        coarse: bool = False,
    ) -> None:
        """One live sample: global speeds, the torrents whose speeds changed, those now gone."""
        tick = self._push(at, _rate(download), _rate(upload), gap=False, coarse=coarse)
        for hash in removed:
            self._logs.pop(hash, None)
            self._evicted.discard(hash)
        for hash, (down, up) in (torrents or {}).items():
            self._torrent(tick, hash, _rate(down), _rate(up))
        self._prune(tick)

    def record_gap(self, *, at: float | None = None) -> None:
        """A poll that brought no data. Nothing before the first live sample is worth a gap."""
        if self.tick == 0:
            return
        self._push(at, 0, 0, gap=True)

    def _push(self, at: float | None, down: int, up: int, *, gap: bool, coarse: bool = False) -> int:
        tick = self.tick
        index = tick % self.capacity
        if tick:
            last = (tick - 1) % self.capacity
            same = (
                self._down[last] == down
                and self._up[last] == up
                and self._gap[last] == gap
                and self._coarse[last] == coarse
            )
            if not same:
                self._run_start = tick
        self._times[index] = self._clock() if at is None else at
        self._down[index] = down
        self._up[index] = up
        self._gap[index] = gap
        self._coarse[index] = coarse
        self.tick = tick + 1
        return tick

    def _torrent(self, tick: int, hash: str, down: int, up: int) -> None:
        log = self._logs.get(hash)
        if log is None:
            evicted = hash in self._evicted
            if not (down or up) and not evicted:
                return  # zero, as it has been all along: nothing to remember
            if len(self._logs) >= self.max_torrents and not self._make_room(tick):
                self._evicted.add(hash)  # not tracked: its graph says "unknown", never a made-up zero
                return
            self._evicted.discard(hash)
            log = self._logs[hash] = _Log(tick if evicted else 0)
        else:
            _, last_down, last_up = log.last()
            if (last_down, last_up) == (down, up):
                return
            self._logs.move_to_end(hash)
        data = log.data
        data.extend((tick, down, up))
        # Trim once a quarter over: amortised O(1) per change. The first entry kept still tells
        # the speed from its tick on; anything older than it is unknown from now on.
        limit = self.torrent_capacity
        if len(data) > 3 * (limit + limit // 4 + 1):
            cut = len(data) - 3 * limit
            del data[:cut]
            log.unknown_before = max(log.unknown_before, data[0])

    def _make_room(self, tick: int) -> bool:
        """Drop the log that changed least recently, if it has been still for a while; when every
        tracked torrent is busy, the newcomer waits (evicting busy logs would keep none useful)."""
        hash, log = next(iter(self._logs.items()))
        if log.last()[0] > tick - max(1, self.capacity // 10):
            return False
        del self._logs[hash]
        self._evicted.add(hash)
        self.evictions += 1
        return True

    def _prune(self, tick: int) -> None:
        """Drop a few logs of torrents idle at zero for the whole window (they read as zero anyway)."""
        start = tick + 1 - self.capacity
        for _ in range(PRUNE_PER_POLL):
            if not self._logs:
                return
            hash, log = next(iter(self._logs.items()))
            last_tick, down, up = log.last()
            if down or up or last_tick >= start or log.unknown_before > start:
                return
            del self._logs[hash]

    def clear(self) -> None:
        """Forget everything (another server)."""
        self.__init__(  # type: ignore[misc]
            self.capacity,
            torrent_capacity=self.torrent_capacity,
            max_torrents=self.max_torrents,
            clock=self._clock,
        )

    # -- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return min(self.tick, self.capacity)

    @property
    def steady(self) -> bool:
        """Whether every sample in the window is the same (speeds, gap, coarseness)."""
        return self._run_start <= self.tick - len(self)

    @property
    def tracked(self) -> int:
        """How many torrents have a log (moved within the window)."""
        return len(self._logs)

    def _ticks(self, count: int | None) -> range:
        size = len(self)
        count = size if count is None else max(0, min(count, size))
        return range(self.tick - count, self.tick)

    def series(self, count: int | None = None) -> list[Point]:
        """The last `count` global samples (all of them by default), oldest first."""
        cap, gap, down, up = self.capacity, self._gap, self._down, self._up
        return [None if gap[t % cap] else (down[t % cap], up[t % cap]) for t in self._ticks(count)]

    def coarse(self, count: int | None = None) -> list[bool]:
        """Which of the last `count` samples are coarse (taken a minute or so apart), oldest first."""
        cap, coarse = self.capacity, self._coarse
        return [bool(coarse[t % cap]) for t in self._ticks(count)]

    def times(self, count: int | None = None) -> list[float]:
        cap = self.capacity
        return [self._times[t % cap] for t in self._ticks(count)]

    def torrent_series(self, hash: str, count: int | None = None) -> list[Point]:
        """One torrent's last `count` samples, aligned with `series(count)`; gaps where the
        connection was down or the torrent's speed is not known."""
        ticks = self._ticks(count)
        log = self._logs.get(hash)
        unknown_before = 0 if log is None else log.unknown_before
        if log is None and hash in self._evicted:
            unknown_before = self.tick
        data = log.data if log is not None else array("I")
        entries = len(data) // 3
        # The first entry at or after the window's start (binary search over the ticks).
        lo, hi = 0, entries
        while lo < hi:
            mid = (lo + hi) // 2
            if data[3 * mid] < ticks.start:
                lo = mid + 1
            else:
                hi = mid
        current = (0, 0) if lo == 0 else (data[3 * lo - 2], data[3 * lo - 1])
        cap, gap = self.capacity, self._gap
        out: list[Point] = []
        i = lo
        for t in ticks:
            while i < entries and data[3 * i] <= t:
                current = (data[3 * i + 1], data[3 * i + 2])
                i += 1
            out.append(None if gap[t % cap] or t < unknown_before else current)
        return out

    # -- persistence ----------------------------------------------------------------------------

    def to_json(self, server: str = "") -> str:
        """The global samples (not the per-torrent logs) as a small JSON document."""
        samples: list[list[Any]] = []
        for when, point, coarse in zip(self.times(), self.series(), self.coarse(), strict=True):
            if point is None:
                samples.append([round(when, 3)])
            else:
                # A fourth element marks a coarse sample (older readers take it for a gap).
                samples.append([round(when, 3), point[0], point[1], *([1] if coarse else [])])
        document = {"version": FILE_VERSION, "server": server, "samples": samples}
        return json.dumps(document, separators=(",", ":"))

    def load_json(self, text: str | bytes, server: str = "") -> bool:
        """Restore the global samples written by `to_json` for the same server, then mark the
        time the app was not running as a gap. Anything malformed is ignored (returns False)."""
        try:
            data = json.loads(text)
        except ValueError:
            return False
        if not isinstance(data, dict) or data.get("version") != FILE_VERSION or data.get("server") != server:
            return False
        samples = data.get("samples")
        if not isinstance(samples, list):
            return False
        loaded = 0
        for sample in samples[-self.capacity :]:
            if not isinstance(sample, list) or not sample:
                continue
            when = sample[0]
            if not isinstance(when, (int, float)) or isinstance(when, bool) or not math.isfinite(when):
                continue
            numbers = sample[1:3]
            if len(sample) in (3, 4) and all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
                coarse = len(sample) == 4 and sample[3] == 1
                self._push(float(when), _rate(sample[1]), _rate(sample[2]), gap=False, coarse=coarse)
            else:
                self._push(float(when), 0, 0, gap=True)
            loaded += 1
        if loaded:
            self.record_gap()  # the app was not running: a gap, not zeros
        return loaded > 0


def bucket(values: Sequence[int | None], columns: int) -> list[int | None]:
    """Squeeze (or keep) `values` into at most `columns` cells: each cell the average of its
    samples that are not gaps, or None when all of them are gaps. Newest values stay rightmost."""
    if columns <= 0:
        return []
    if len(values) <= columns:
        return list(values)
    out: list[int | None] = []
    size = len(values) / columns
    for column in range(columns):
        chunk = [v for v in values[int(column * size) : int((column + 1) * size)] if v is not None]
        out.append(round(sum(chunk) / len(chunk)) if chunk else None)
    return out

"""The state of one simulated torrent: metadata, pieces, files, trackers, peers and counters.

Pieces are kept the way libtorrent reports them (0 missing, 1 downloading, 2 have) but stored
lazily: a torrent that is all-or-nothing needs no per-piece array, which keeps 50,000 torrents cheap.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from qbtui.sim.wire import float32

MAX_ETA = 8_640_000
#: QDateTime().toTime_t() of an invalid date: what 4.0.4 sends for "never".
NEVER = 4_294_967_295
MAX_RATIO = 9999.0
#: libtorrent's default file priority; 4.0.4 reports it unchanged ("normal").
DEFAULT_FILE_PRIORITY = 4
#: Pieces requested at the same time (state 1 in getPieceStates).
IN_FLIGHT = 4
SPEED_SAMPLES = 30

WORKING = "Working"
UPDATING = "Updating..."
NOT_WORKING = "Not working"
NOT_CONTACTED = "Not contacted yet"

UTP = "μTP"

# Log levels of qBittorrent's Logger.
NORMAL, INFO, WARNING, CRITICAL = 1, 2, 4, 8


@dataclass(slots=True)
class SimFile:
    path: str  # relative, "/"-separated, including the root folder of multi-file torrents
    size: int
    offset: int = 0
    priority: int = DEFAULT_FILE_PRIORITY


@dataclass(slots=True)
class SimTracker:
    url: str
    #: "ok" answers, "dead" never does, "flaky" fails now and then.
    behaviour: str = "ok"
    status: str = NOT_CONTACTED
    num_peers: int = 0
    msg: str = ""
    fails: int = 0
    next_announce: int = 0


@dataclass(slots=True)
class SimPeer:
    ip: str
    port: int
    client: str
    seed: bool
    progress: float
    utp: bool = False
    incoming: bool = False
    encryption: str = ""  # "E" all traffic, "e" handshake only, "" none
    source: str = ""  # "X" PeX, "H" DHT, "L" LSD, "" tracker
    weight: float = 1.0
    country_code: str = ""
    country: str = "N/A"
    dl_speed: int = 0
    up_speed: int = 0
    downloaded: int = 0
    uploaded: int = 0
    files: str = ""
    optimistic: bool = False
    snubbed: bool = False

    @property
    def key(self) -> str:
        # 4.0.4 joins ip and port with ':' even for IPv6 (no brackets).
        return f"{self.ip}:{self.port}"


@dataclass(slots=True)
class Metadata:
    name: str
    piece_length: int
    files: list[SimFile]
    #: Real SHA-1s of an uploaded .torrent; None for invented torrents (hashes derived on demand).
    piece_hashes: tuple[str, ...] | None = None
    comment: str = ""
    created_by: str = ""
    creation_date: int | None = None
    private: bool = False
    multi_file: bool = False
    total_size: int = 0
    piece_count: int = 0

    def __post_init__(self) -> None:
        offset = 0
        for item in self.files:
            item.offset = offset
            offset += item.size
        self.total_size = offset
        if self.piece_hashes is not None:
            self.piece_count = len(self.piece_hashes)
        else:
            self.piece_count = max(1, -(-offset // self.piece_length)) if offset else 0

    def piece_size(self, index: int) -> int:
        if index < self.piece_count - 1:
            return self.piece_length
        return self.total_size - self.piece_length * (self.piece_count - 1)

    def piece_hash(self, index: int, salt: str) -> str:
        if self.piece_hashes is not None:
            return self.piece_hashes[index]
        return hashlib.sha1(f"{salt}:{index}".encode()).hexdigest()

    def file_pieces(self, item: SimFile) -> tuple[int, int]:
        first = item.offset // self.piece_length
        last = (item.offset + max(item.size, 1) - 1) // self.piece_length
        return first, min(last, max(self.piece_count - 1, 0))


def piece_length_for(total_size: int) -> int:
    """What torrent creators pick: about 1500 pieces, 16 KiB to 16 MiB, a power of two."""
    length = 16 * 1024
    while length < 16 * 1024 * 1024 and total_size // length > 1500:
        length *= 2
    return length


class SimTorrent:
    """One torrent; the engine changes it and marks it so its API view is rebuilt."""

    __slots__ = (
        "active_base",
        "added_on",
        "auto_tmm",
        "category",
        "check_done",
        "check_total",
        "checking",
        "completion_on",
        "current_tracker",
        "cursor",
        "dl_capacity",
        "dl_limit",
        "dl_rate",
        "dl_samples",
        "dlspeed",
        "dn",
        "done_bytes",
        "downloaded",
        "downloaded_session",
        "error",
        "first_last",
        "forced",
        "hash",
        "have_all",
        "have_bytes",
        "last_activity_at",
        "lively",
        "magnet",
        "meta",
        "metadata_at",
        "missing_files",
        "name",
        "order",
        "partial",
        "pause_after_check",
        "paused",
        "peers",
        "pieces",
        "published_active",
        "queued",
        "running_since",
        "save_path",
        "scrape_leechers",
        "scrape_seeds",
        "seed_before_check",
        "seeding_base",
        "seeding_since",
        "seen_complete",
        "seq_dl",
        "super_seeding",
        "swarm_leechers",
        "swarm_seeds",
        "tags",
        "trackers",
        "ul_capacity",
        "ul_rate",
        "ul_samples",
        "up_limit",
        "uploaded",
        "uploaded_session",
        "upspeed",
        "url_seeds",
        "wake_token",
        "wanted",
        "wanted_bytes",
        "wasted",
    )

    def __init__(
        self,
        info_hash: str,
        name: str,
        added_on: int,
        save_path: str,
        meta: Metadata | None,
        *,
        trackers: list[SimTracker] | None = None,
        url_seeds: list[str] | None = None,
        category: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        self.hash = info_hash
        self.name = name  # qBittorrent's name (rename changes it)
        self.dn = name  # libtorrent's name (what magnet_uri carries)
        self.added_on = added_on
        self.save_path = save_path
        self.category = category
        self.tags = tags
        self.auto_tmm = False
        self.meta = meta
        self.trackers = trackers or []
        self.url_seeds = url_seeds or []
        self.pieces: bytearray | None = None
        self.have_all = False
        self.partial: dict[int, int] = {}
        self.wanted: bytearray | None = None
        self.have_bytes = 0
        self.done_bytes = 0
        self.wanted_bytes = 0
        self.order: list[int] | None = None
        self.cursor = 0
        self.paused = False
        self.forced = False
        self.queued = False
        self.seq_dl = False
        self.first_last = False
        self.super_seeding = False
        self.error: str | None = None
        self.missing_files = False
        self.checking = False
        self.check_done = 0
        self.check_total = 0
        self.pause_after_check = False
        self.seed_before_check = False
        self.metadata_at: int | None = None
        self.downloaded = 0
        self.uploaded = 0
        self.downloaded_session = 0
        self.uploaded_session = 0
        self.wasted = 0
        self.active_base = 0
        self.running_since: int | None = None
        self.seeding_base = 0
        self.seeding_since: int | None = None
        self.published_active = 0
        self.completion_on: int | None = None
        self.seen_complete: int | None = None
        self.last_activity_at: int | None = None
        self.dl_limit = -1
        self.up_limit = -1
        self.dlspeed = 0
        self.upspeed = 0
        # Created on the first transfer: most of 50,000 torrents never need them.
        self.dl_samples: deque[int] | tuple[()] = ()
        self.ul_samples: deque[int] | tuple[()] = ()
        self.swarm_seeds = 0
        self.swarm_leechers = 0
        self.scrape_seeds = -1
        self.scrape_leechers = -1
        self.peers: dict[str, SimPeer] = {}
        self.dl_capacity = 1_000_000
        self.ul_capacity = 200_000
        self.dl_rate = 0.0
        self.ul_rate = 0.0
        self.current_tracker = ""
        self.wake_token = 0
        #: Chance that a quiet seed finds new leechers when it wakes up to announce.
        self.lively = 0.25
        self.magnet: tuple[tuple[str, int, int], str] | None = None
        if meta is not None:
            self.recompute()

    # -- metadata and pieces -------------------------------------------------------------------

    @property
    def has_metadata(self) -> bool:
        return self.meta is not None

    @property
    def files(self) -> list[SimFile]:
        return self.meta.files if self.meta is not None else []

    def set_metadata(self, meta: Metadata) -> None:
        self.meta = meta
        self.pieces = None
        self.have_all = False
        self.partial.clear()
        self.order = None
        self.recompute()

    def piece_state(self, index: int) -> int:
        if self.pieces is not None:
            return self.pieces[index]
        return 2 if self.have_all else 0

    def _materialise(self) -> bytearray:
        if self.pieces is None:
            assert self.meta is not None
            self.pieces = bytearray([2 if self.have_all else 0]) * self.meta.piece_count
        return self.pieces

    def _wanted_mask(self) -> bytearray | None:
        meta = self.meta
        assert meta is not None
        if all(f.priority > 0 for f in meta.files):
            return None
        mask = bytearray(meta.piece_count)
        for item in meta.files:
            if item.priority > 0 and item.size > 0:
                first, last = meta.file_pieces(item)
                mask[first : last + 1] = b"\x01" * (last - first + 1)
        return mask

    def is_wanted(self, index: int) -> bool:
        return self.wanted is None or bool(self.wanted[index])

    def recompute(self) -> None:
        """Rebuild the byte totals after file priorities, a check or a bulk change."""
        meta = self.meta
        if meta is None:
            self.wanted, self.have_bytes, self.done_bytes, self.wanted_bytes = None, 0, 0, 0
            return
        self.wanted = self._wanted_mask()
        for index in [i for i in self.partial if not self.is_wanted(i)]:
            del self.partial[index]
            self._materialise()[index] = 0
        if self.wanted is None:
            self.wanted_bytes = meta.total_size
            if self.pieces is None:
                self.have_bytes = meta.total_size if self.have_all else 0
            else:
                short = meta.piece_length - meta.piece_size(meta.piece_count - 1)
                have = self.pieces.count(2) * meta.piece_length
                self.have_bytes = have - (short if self.pieces[-1] == 2 else 0)
            self.done_bytes = self.have_bytes + sum(self.partial.values())
            self.cursor = 0
            return
        have = done = wanted = 0
        for index in range(meta.piece_count):
            size = meta.piece_size(index)
            state = self.piece_state(index)
            if state == 2:
                have += size
            if self.is_wanted(index):
                wanted += size
                if state == 2:
                    done += size
        self.have_bytes = have
        self.wanted_bytes = wanted
        self.done_bytes = done + sum(self.partial.values())
        self.cursor = 0

    def fill(self, fraction: float, *, in_order: bool = True) -> None:
        """Give the torrent `fraction` of its pieces: in download order, or (cheaper) the first ones."""
        meta = self.meta
        if meta is None:
            return
        if fraction >= 1.0:
            self.pieces, self.have_all = None, True
        elif fraction <= 0.0:
            self.pieces, self.have_all = None, False
        else:
            self.have_all = False
            pieces = self._materialise()
            count = int(len(pieces) * fraction)
            if in_order:
                for index in self._download_order()[:count]:
                    pieces[index] = 2
            else:
                pieces[:count] = b"\x02" * count
        self.partial.clear()
        self.recompute()

    def _download_order(self) -> list[int]:
        if self.order is None:
            meta = self.meta
            assert meta is not None
            order = list(range(meta.piece_count))
            if not self.seq_dl:
                random.Random(self.hash).shuffle(order)
            if self.first_last:
                edges: list[int] = []
                for item in meta.files:
                    if item.size:
                        edges.extend(meta.file_pieces(item))
                edges = list(dict.fromkeys(edges))
                order = edges + [i for i in order if i not in set(edges)]
            self.order = order
            self.cursor = 0
        return self.order

    def reorder(self) -> None:
        self.order = None

    def _next_piece(self) -> int | None:
        order = self._download_order()
        pieces = self._materialise()
        for _ in range(2):  # a second pass picks up pieces that became wanted again
            while self.cursor < len(order):
                index = order[self.cursor]
                self.cursor += 1
                if pieces[index] == 0 and self.is_wanted(index):
                    return index
            self.cursor = 0
        return None

    def download(self, budget: int) -> int:
        """Receive up to `budget` payload bytes into the pieces being downloaded; return what was used."""
        meta = self.meta
        if meta is None or budget <= 0:
            return 0
        used = 0
        pieces = self._materialise()
        while budget > 0:
            while len(self.partial) < IN_FLIGHT:
                index = self._next_piece()
                if index is None:
                    break
                pieces[index] = 1
                self.partial[index] = 0
            if not self.partial:
                break
            index = next(iter(self.partial))
            need = meta.piece_size(index) - self.partial[index]
            take = min(need, budget)
            self.partial[index] += take
            budget -= take
            used += take
            self.done_bytes += take
            if take == need:
                del self.partial[index]
                pieces[index] = 2
                self.have_bytes += meta.piece_size(index)
        complete = self.pieces is not None and 0 not in self.pieces and 1 not in self.pieces
        if complete and self.done_bytes >= self.wanted_bytes:
            self.pieces, self.have_all = None, True
        return used

    def drop_partial(self) -> None:
        """A recheck throws away half-downloaded pieces."""
        if self.partial:
            pieces = self._materialise()
            for index in self.partial:
                pieces[index] = 0
            self.partial.clear()
        self.recompute()

    @property
    def is_seed(self) -> bool:
        """libtorrent's finished or seeding: every wanted piece is here."""
        return self.meta is not None and self.done_bytes >= self.wanted_bytes

    def progress(self) -> float | int:
        if self.checking:
            return float32(self.check_done / self.check_total) if self.check_total else 0
        if not self.wanted_bytes:
            return 0
        if self.done_bytes >= self.wanted_bytes:
            return 1
        return float32(self.done_bytes / self.wanted_bytes)

    def piece_states(self) -> list[int]:
        if self.meta is None:
            return []
        if self.pieces is None:
            return [2 if self.have_all else 0] * self.meta.piece_count
        return list(self.pieces)

    def pieces_have(self) -> int:
        if self.meta is None:
            return 0
        if self.pieces is None:
            return self.meta.piece_count if self.have_all else 0
        return self.pieces.count(2)

    def file_progress(self, item: SimFile) -> float | int:
        """Bytes of the file in complete pieces (libtorrent's piece granularity) over its size."""
        meta = self.meta
        if meta is None or item.size <= 0:
            return 1
        if self.pieces is None:
            return 1 if self.have_all else 0
        first, last = meta.file_pieces(item)
        got = 0
        end = item.offset + item.size
        for index in range(first, last + 1):
            if self.pieces[index] == 2:
                start = index * meta.piece_length
                got += min(end, start + meta.piece_size(index)) - max(item.offset, start)
        if got >= item.size:
            return 1
        return got / item.size if got else 0

    # -- time counters -------------------------------------------------------------------------

    def active_seconds(self, now: int) -> int:
        return self.active_base + (now - self.running_since if self.running_since is not None else 0)

    def seeding_seconds(self, now: int) -> int:
        return self.seeding_base + (now - self.seeding_since if self.seeding_since is not None else 0)

    def set_running(self, running: bool, now: int) -> None:
        if running and self.running_since is None:
            self.running_since = now
        elif not running and self.running_since is not None:
            self.active_base += now - self.running_since
            self.running_since = None
        seeding = running and self.is_seed
        if seeding and self.seeding_since is None:
            self.seeding_since = now
        elif not seeding and self.seeding_since is not None:
            self.seeding_base += now - self.seeding_since
            self.seeding_since = None

    def add_samples(self, dl: int, ul: int) -> None:
        if not isinstance(self.dl_samples, deque) or not isinstance(self.ul_samples, deque):
            self.dl_samples = deque(maxlen=SPEED_SAMPLES)
            self.ul_samples = deque(maxlen=SPEED_SAMPLES)
        self.dl_samples.append(dl)
        self.ul_samples.append(ul)

    def clear_samples(self) -> None:
        self.dl_samples = ()
        self.ul_samples = ()

    def average_speeds(self) -> tuple[int, int]:
        if not self.dl_samples:
            return 0, 0
        count = len(self.dl_samples)
        return sum(self.dl_samples) // count, sum(self.ul_samples) // count

    def real_ratio(self) -> float:
        upload = self.uploaded
        # A seeder that lost its statistics: count what it has rather than what it downloaded.
        download = self.have_bytes if self.downloaded < self.have_bytes * 0.01 else self.downloaded
        if download == 0:
            return 0.0 if upload == 0 else MAX_RATIO
        return min(upload / download, MAX_RATIO)


@dataclass(frozen=True, slots=True)
class LogMessage:
    id: int
    timestamp: int  # milliseconds
    type: int
    message: str


@dataclass(frozen=True, slots=True)
class PeerLogMessage:
    id: int
    timestamp: int
    ip: str
    blocked: bool
    reason: str


@dataclass
class Logger:
    """qBittorrent's Logger: two ring buffers of 20,000 entries with ever-growing ids."""

    capacity: int = 20_000
    messages: deque[LogMessage] = field(default_factory=deque)
    peers: deque[PeerLogMessage] = field(default_factory=deque)
    _next: int = 0
    _next_peer: int = 0

    def add(self, message: str, level: int, timestamp_ms: int) -> None:
        self.messages.append(LogMessage(self._next, timestamp_ms, level, message))
        self._next += 1
        if len(self.messages) > self.capacity:
            self.messages.popleft()

    def add_peer(self, ip: str, blocked: bool, reason: str, timestamp_ms: int) -> None:
        self.peers.append(PeerLogMessage(self._next_peer, timestamp_ms, ip, blocked, reason))
        self._next_peer += 1
        if len(self.peers) > self.capacity:
            self.peers.popleft()

    @staticmethod
    def _after(items: deque, last_known_id: int) -> Iterator:
        if not items:
            return iter(())
        start = max(0, last_known_id + 1 - items[0].id)
        return itertools.islice(items, start, None)

    def since(self, last_known_id: int) -> list[LogMessage]:
        return list(self._after(self.messages, last_known_id))

    def peers_since(self, last_known_id: int) -> list[PeerLogMessage]:
        return list(self._after(self.peers, last_known_id))

"""The simulated qBittorrent session: torrents, queue, categories, limits, statistics and time.

Time moves in whole simulated seconds. `advance_to(now)` runs the steps between the last reading of
the clock and this one; only torrents that are transferring are visited every step (the others
sleep until their next tracker announce), so 50,000 mostly idle torrents stay cheap.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import posixpath
import random
import re
from dataclasses import dataclass
from typing import Any

from qbtui.sim import swarm, versions
from qbtui.sim.config import SimConfig
from qbtui.sim.model import (
    CRITICAL,
    INFO,
    NORMAL,
    WARNING,
    Logger,
    Metadata,
    SimFile,
    SimTorrent,
    SimTracker,
    piece_length_for,
)

#: A longer gap between clock readings is covered in at most this many (longer) steps.
CATCHUP_STEPS = 120
#: Seconds simulated before the first request, so the swarm is already alive.
WARMUP = 30
CHECK_RATE = 160 * 1024 * 1024
REFRESH_INTERVAL = 1500

_CATEGORY = re.compile(r"[^\\/]|[^\\/](?:[^\\/]|/(?=[^/]))*[^\\/]")
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
_B32 = re.compile(r"[A-Za-z2-7]{32}")


def valid_category(name: str) -> bool:
    """Session::isValidCategoryName: empty, or no backslash and single slashes between names."""
    return not name or _CATEGORY.fullmatch(name) is not None


def normalise_path(path: str, default: str) -> str:
    path = path.strip().replace("\\", "/")
    if not path:
        path = default
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)
    return path if path.endswith("/") else path + "/"


def info_hash_of(text: str) -> str | None:
    """A 40-hex or 32-base32 info-hash as lower-case hex, else None."""
    if _HEX40.fullmatch(text):
        return text.lower()
    if _B32.fullmatch(text):
        import base64

        return base64.b32decode(text.upper()).hex()
    return None


@dataclass
class AddOptions:
    save_path: str = ""
    category: str = ""
    skip_checking: bool = False
    paused: bool = False
    root_folder: bool | None = None
    rename: str = ""
    up_limit: int = 0
    dl_limit: int = 0
    sequential: bool = False
    first_last: bool = False


@dataclass
class TransferStats:
    dl_speed: int = 0
    ul_speed: int = 0
    dl_data: int = 0
    ul_data: int = 0
    alltime_dl: int = 0
    alltime_ul: int = 0
    wasted: int = 0
    dht_nodes: int = 0
    peers: int = 0
    read_hits: float = -1.0
    buffers: int = 0
    queued_jobs: int = 0
    average_queue_time: int = 0
    queued_bytes: int = 0


@dataclass
class Pending:
    due: int
    url: str
    options: AddOptions


class Engine:
    def __init__(self, config: SimConfig, start: int) -> None:
        self.config = config
        self.api = config.api_version
        self.started = start
        self.time = start
        self.rng = random.Random(config.seed)
        self.torrents: dict[str, SimTorrent] = {}
        self.queue: list[str] = []
        self.queue_pos: dict[str, int] = {}
        self.categories: set[str] = set()
        self.log = Logger()
        self.stats = TransferStats()
        self.prefs: dict[str, Any] = {}
        self.dl_limit_kib = 0
        self.up_limit_kib = 0
        self.alt_dl_limit_kib = 10
        self.alt_up_limit_kib = 10
        self.alt_enabled = False
        self.global_max_ratio = -1.0
        self.global_max_seeding = -1
        self.max_ratio_action = 0
        self.awake: dict[str, SimTorrent] = {}
        self._sleepers: list[tuple[int, int, str, int]] = []
        self._seq = itertools.count()
        self.pending: list[Pending] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._ticking: set[str] = set()
        self._requeue_needed = False
        self.shutdown_requested = False
        self._last_ms = 0

    # -- time ----------------------------------------------------------------------------------

    def ms(self) -> int:
        # Log timestamps in milliseconds, increasing, without drawing on the swarm's random stream.
        self._last_ms = max(self.time * 1000 + 137, self._last_ms + 3)
        return self._last_ms

    def add_log(self, message: str, level: int = NORMAL) -> None:
        self.log.add(message, level, self.ms())

    def advance_to(self, now: int) -> None:
        gap = now - self.time
        if gap <= 0:
            return
        size = 1 if gap <= CATCHUP_STEPS else -(-gap // CATCHUP_STEPS)
        while self.time < now:
            self.step(min(size, now - self.time))

    def step(self, dt: int) -> None:
        self.time += dt
        now = self.time
        self._run_pending(now)
        self._wake_due(now)
        plans: list[tuple[SimTorrent, float, float]] = []
        for t in list(self.awake.values()):
            plans.append((t, *self._plan(t, now, dt)))
        dl_cap = self.download_limit()
        ul_cap = self.upload_limit()
        dl_want = sum(d for _, d, _ in plans)
        ul_want = sum(u for _, _, u in plans)
        dl_scale = min(1.0, dl_cap / dl_want) if dl_cap > 0 and dl_want > 0 else 1.0
        ul_scale = min(1.0, ul_cap / ul_want) if ul_cap > 0 and ul_want > 0 else 1.0
        dl_total = ul_total = 0
        for t, dl, ul in plans:
            got, sent = self._transfer(t, int(dl * dl_scale), int(ul * ul_scale), now, dt)
            dl_total += got
            ul_total += sent
        self._share_limits(now)
        if self._requeue_needed:
            self.requeue()
        self._update_stats(dl_total, ul_total, dt)
        self._dirty |= self._ticking
        self._random_events(now)

    def _plan(self, t: SimTorrent, now: int, dt: int) -> tuple[float, float]:
        """Everything but moving bytes: checks, metadata, announces, peers; then the wanted rates."""
        changed = False
        if t.checking:
            # Real checks run at disk speed; very large torrents are capped at five minutes.
            t.check_done = min(t.check_total, t.check_done + max(CHECK_RATE, t.check_total // 300) * dt)
            if t.check_done >= t.check_total:
                self._finish_check(t)
            self.mark(t)
            return 0.0, 0.0
        if t.meta is None and t.metadata_at is not None and now >= t.metadata_at:
            self._metadata_arrived(t)
            changed = True
        changed |= swarm.step_trackers(self, t, now)
        changed |= swarm.churn_peers(self, t, now)
        if t.is_seed and self.rng.random() < t.lively * 0.05 and t.swarm_leechers < 40:
            t.swarm_leechers += 1  # someone new wants it
        if changed:
            self.mark(t)
        if t.meta is None:
            return 0.0, 0.0
        return swarm.desired_rates(self, t)

    def _transfer(self, t: SimTorrent, dl: int, ul: int, now: int, dt: int) -> tuple[int, int]:
        was_seed = t.is_seed
        got = t.download(dl * dt) if dl > 0 and not was_seed else 0
        sent = ul * dt if t.have_bytes else 0
        before = (t.dlspeed, t.upspeed)
        t.dlspeed, t.upspeed = got // dt, sent // dt
        t.add_samples(t.dlspeed, t.upspeed)
        if got or sent:
            t.downloaded += got
            t.downloaded_session += got
            t.uploaded += sent
            t.uploaded_session += sent
            t.last_activity_at = now
            self._ticking.discard(t.hash)
            if got and self.rng.random() < 0.005:
                # A block that failed its hash check, or arrived twice.
                t.wasted += 16384
                self.stats.wasted += 16384
            swarm.update_peers(self, t, t.dlspeed, t.upspeed, dt)
            if any(p.seed for p in t.peers.values()):
                # Only a complete copy elsewhere counts: a lone seed keeps "never" (see the samples).
                t.seen_complete = now
            self.mark(t)
        elif before != (0, 0) or t.peers:
            swarm.update_peers(self, t, 0, 0, dt)
            self.mark(t)
        if not was_seed and t.is_seed:
            self._completed(t, now)
        if self._idle(t, now):
            wake = swarm.next_announce(t)
            self._sleep(t, max(now + 1, wake if wake is not None else now + 600))
        return got, sent

    def _idle(self, t: SimTorrent, now: int) -> bool:
        if t.checking or t.meta is None or t.peers or t.running_since is None or now - t.running_since < 6:
            return False
        if any(t.dl_samples) or any(t.ul_samples):
            return False
        if t.is_seed:
            return t.swarm_leechers == 0
        return t.swarm_seeds + t.swarm_leechers == 0 or swarm.targets(self, t, now) == (0, 0)

    # -- sleeping torrents ---------------------------------------------------------------------

    def _sleep(self, t: SimTorrent, until: int) -> None:
        self.awake.pop(t.hash, None)
        t.wake_token += 1
        heapq.heappush(self._sleepers, (until, next(self._seq), t.hash, t.wake_token))

    def _wake(self, t: SimTorrent) -> None:
        t.wake_token += 1
        self.awake[t.hash] = t

    def _wake_due(self, now: int) -> None:
        while self._sleepers and self._sleepers[0][0] <= now:
            _, _, key, token = heapq.heappop(self._sleepers)
            t = self.torrents.get(key)
            if t is not None and t.wake_token == token and t.running_since is not None:
                if t.is_seed and self.rng.random() < t.lively:
                    t.swarm_leechers = self.rng.randrange(1, 4)
                self.awake[key] = t

    # -- running, pausing, queueing ------------------------------------------------------------

    def mark(self, t: SimTorrent, status: bool = True) -> None:
        """The torrent's listed fields may have changed; `status` also republishes time_active."""
        self._dirty.add(t.hash)
        if status:
            t.published_active = t.active_seconds(self.time)

    def mark_all(self) -> None:
        self._dirty.update(self.torrents)

    @property
    def queueing(self) -> bool:
        return bool(self.prefs.get("queueing_enabled", True))

    def _should_run(self, t: SimTorrent) -> bool:
        return not t.paused and not t.queued

    def sync_running(self, t: SimTorrent) -> None:
        now = self.time
        run = self._should_run(t)
        if run and t.running_since is None:
            t.set_running(True, now)
            swarm.start_trackers(t, now)
            self._wake(t)
        elif not run and t.running_since is not None:
            t.set_running(False, now)
            t.peers.clear()
            t.dlspeed = t.upspeed = 0
            t.dl_rate = t.ul_rate = 0.0
            t.clear_samples()
            self.awake.pop(t.hash, None)
            t.wake_token += 1
        else:
            t.set_running(run, now)  # seeding counter follows completion
        self._update_ticking(t)

    def _update_ticking(self, t: SimTorrent) -> None:
        # Never-active running torrents report last_activity = now + 1: their view changes every second.
        if (
            not t.paused
            and not t.checking
            and t.last_activity_at is None
            and self.api >= versions.EXTENDED_TORRENT
        ):
            self._ticking.add(t.hash)
        else:
            self._ticking.discard(t.hash)

    def _set_queue(self, order: list[str]) -> None:
        old = self.queue_pos
        self.queue = order
        self.queue_pos = {key: index + 1 for index, key in enumerate(order)}
        for key in set(old) | set(self.queue_pos):
            if old.get(key) != self.queue_pos.get(key) and key in self.torrents:
                self._dirty.add(key)

    def requeue(self) -> None:
        """libtorrent's auto-manager: who may run within max_active_*; the rest is queued."""
        self._requeue_needed = False
        limits = [
            int(self.prefs.get(k, -1))
            for k in ("max_active_downloads", "max_active_uploads", "max_active_torrents")
        ]
        dl_limit, ul_limit, total_limit = limits
        enabled = self.queueing and any(limit >= 0 for limit in limits)
        active_dl = active_ul = active = 0
        decided: dict[str, bool] = {}

        def candidate(t: SimTorrent) -> bool:
            return not t.paused and not t.forced and not t.checking and t.error is None

        if enabled:
            for key in self.queue:
                t = self.torrents[key]
                if not candidate(t) or t.is_seed:
                    continue
                ok = (dl_limit < 0 or active_dl < dl_limit) and (total_limit < 0 or active < total_limit)
                decided[key] = not ok
                if ok:
                    active_dl += 1
                    active += 1
            for key, t in self.torrents.items():
                if key in decided or not candidate(t) or not t.is_seed:
                    continue
                ok = (ul_limit < 0 or active_ul < ul_limit) and (total_limit < 0 or active < total_limit)
                decided[key] = not ok
                if ok:
                    active_ul += 1
                    active += 1
        for key, t in self.torrents.items():
            queued = decided.get(key, False)
            if t.queued != queued:
                t.queued = queued
                self.sync_running(t)
                self.mark(t)

    def state_of(self, t: SimTorrent) -> str:
        seed = t.is_seed
        if t.paused:
            if t.missing_files:
                return "missingFiles"
            if t.error is not None:
                return "error"
            return "pausedUP" if seed else "pausedDL"
        if t.checking:
            return "checkingUP" if t.seed_before_check else "checkingDL"
        if self.queueing and t.queued:
            return "queuedUP" if seed else "queuedDL"
        if t.meta is None:
            return "metaDL"
        if seed:
            return "forcedUP" if t.forced else ("uploading" if t.upspeed > 0 else "stalledUP")
        return "forcedDL" if t.forced else ("downloading" if t.dlspeed > 0 else "stalledDL")

    def is_forced(self, t: SimTorrent) -> bool:
        return t.forced and not t.paused

    # -- limits ----------------------------------------------------------------------------------

    @staticmethod
    def _kib(limit: int) -> int:
        # Session::setGlobalDownloadSpeedLimit: the setting is stored in KiB, rounded down, at least 1.
        if limit <= 0:
            return 0
        return 1 if limit <= 1024 else limit // 1024

    def download_limit(self) -> int:
        return (self.alt_dl_limit_kib if self.alt_enabled else self.dl_limit_kib) * 1024

    def upload_limit(self) -> int:
        return (self.alt_up_limit_kib if self.alt_enabled else self.up_limit_kib) * 1024

    def set_download_limit(self, limit: int, *, alternative: bool | None = None) -> None:
        if alternative if alternative is not None else self.alt_enabled:
            self.alt_dl_limit_kib = self._kib(limit)
        else:
            self.dl_limit_kib = self._kib(limit)

    def set_upload_limit(self, limit: int, *, alternative: bool | None = None) -> None:
        if alternative if alternative is not None else self.alt_enabled:
            self.alt_up_limit_kib = self._kib(limit)
        else:
            self.up_limit_kib = self._kib(limit)

    # -- lookups -----------------------------------------------------------------------------------

    def find(self, key: str | None) -> SimTorrent | None:
        if not key or len(key) != 40:
            return None
        return self.torrents.get(key.lower())

    def views(self) -> dict[str, dict[str, Any]]:
        """The API view of every torrent (without `hash`); unchanged torrents keep the same dict."""
        if self._dirty:
            from qbtui.sim.answers import torrent_view

            for key in self._dirty:
                t = self.torrents.get(key)
                if t is not None:
                    self._views[key] = torrent_view(self, t)
            self._dirty.clear()
        return self._views

    def category_save_path(self, category: str) -> str:
        base = self.default_save_path
        return base if not category else normalise_path(base + category, base)

    @property
    def default_save_path(self) -> str:
        return str(self.prefs.get("save_path", "/downloads/"))

    # -- torrent commands ------------------------------------------------------------------------

    def pause(self, t: SimTorrent) -> None:
        if t.paused:
            return
        t.paused = True
        t.forced = False
        t.checking = False
        self.sync_running(t)
        self._requeue_needed = True
        self.mark(t)

    def resume(self, t: SimTorrent, forced: bool = False) -> None:
        t.error = None
        t.missing_files = False
        t.forced = forced
        t.paused = False
        self.sync_running(t)
        self._requeue_needed = True
        self.mark(t)

    def recheck(self, t: SimTorrent) -> None:
        if t.meta is None:
            return
        if t.paused:
            t.pause_after_check = True
            self.resume(t, forced=True)
        t.seed_before_check = t.is_seed
        t.checking = True
        t.check_done = 0
        t.check_total = max(1, t.meta.total_size)
        t.peers.clear()
        t.dlspeed = t.upspeed = 0
        self._wake(t)
        self._update_ticking(t)
        self.mark(t)

    def _finish_check(self, t: SimTorrent) -> None:
        was_seed = t.is_seed
        t.checking = False
        t.drop_partial()
        if t.is_seed and not was_seed:
            self._completed(t, self.time)
        elif not t.is_seed and t.hash not in self.queue_pos:
            self._set_queue([*self.queue, t.hash])
        if t.pause_after_check:
            t.pause_after_check = False
            self.pause(t)
        if t.running_since is None:
            self.awake.pop(t.hash, None)
        self._update_ticking(t)
        self._requeue_needed = True

    def _completed(self, t: SimTorrent, now: int) -> None:
        if t.completion_on is None:
            t.completion_on = now
        if t.hash in self.queue_pos:
            self._set_queue([key for key in self.queue if key != t.hash])
        for peer in [p for p in t.peers.values() if p.seed]:
            del t.peers[peer.key]
        t.set_running(t.running_since is not None, now)
        self._requeue_needed = True
        self.mark(t)

    def _metadata_arrived(self, t: SimTorrent) -> None:
        from qbtui.sim.demo_data import invent_metadata

        t.set_metadata(invent_metadata(t.hash, t.dn, self.config.seed))
        t.metadata_at = None
        if t.hash not in self.queue_pos:
            self._set_queue([*self.queue, t.hash])

    def delete(self, t: SimTorrent, with_data: bool) -> None:
        self.torrents.pop(t.hash, None)
        self.awake.pop(t.hash, None)
        t.wake_token += 1
        self._views.pop(t.hash, None)
        self._dirty.discard(t.hash)
        self._ticking.discard(t.hash)
        if t.hash in self.queue_pos:
            self._set_queue([key for key in self.queue if key != t.hash])
        if with_data:
            self.add_log(f"'{t.name}' was removed from the transfer list and hard disk.")
        else:
            self.add_log(f"'{t.name}' was removed from the transfer list.")
        self._requeue_needed = True

    def move_queue(self, hashes: list[str], how: str) -> None:
        """increasePrio / decreasePrio / topPrio / bottomPrio, keeping the marked torrents' order."""
        chosen = [h for h in dict.fromkeys(k.lower() for k in hashes) if h in self.queue_pos]
        if not chosen:
            return
        order = list(self.queue)
        chosen.sort(key=lambda h: self.queue_pos[h], reverse=how in ("decrease", "top"))
        for key in chosen:
            index = order.index(key)
            order.pop(index)
            if how == "increase":
                order.insert(max(0, index - 1), key)
            elif how == "decrease":
                order.insert(min(len(order), index + 1), key)
            elif how == "top":
                order.insert(0, key)
            else:
                order.append(key)
        self._set_queue(order)
        self._requeue_needed = True

    def set_file_priority(self, t: SimTorrent, index: int, priority: int) -> None:
        if t.meta is None or not 0 <= index < len(t.meta.files):
            return
        priority = max(0, min(7, priority))
        item = t.meta.files[index]
        if item.priority == priority:
            return
        was_seed = t.is_seed
        item.priority = priority
        t.recompute()
        t.reorder()
        if was_seed and not t.is_seed:
            if t.hash not in self.queue_pos:
                self._set_queue([*self.queue, t.hash])
            self._requeue_needed = True
        elif not was_seed and t.is_seed:
            self._completed(t, self.time)
        if t.running_since is not None:
            self._wake(t)
        self.mark(t)

    def set_category(self, t: SimTorrent, category: str) -> bool:
        if category == t.category:
            return True
        if category:
            if not valid_category(category):
                return False
            self.add_category(category)
        t.category = category
        if t.auto_tmm:
            t.save_path = self.category_save_path(category)
        self.mark(t)
        return True

    def add_category(self, name: str) -> bool:
        if not name or not valid_category(name) or name in self.categories:
            return False
        self.categories.add(name)
        return True

    def remove_category(self, name: str) -> None:
        if name not in self.categories:
            return
        self.categories.discard(name)
        for t in self.torrents.values():
            if t.category == name:
                t.category = ""
                if t.auto_tmm:
                    t.save_path = self.default_save_path
                self.mark(t)

    def set_location(self, t: SimTorrent, location: str) -> None:
        new = normalise_path(location, self.default_save_path)
        self.add_log(f'WebUI Set location: moving "{t.name}", from "{t.save_path}" to "{location}"')
        t.auto_tmm = False
        t.save_path = new
        self.mark(t)

    def set_auto_tmm(self, t: SimTorrent, enable: bool) -> None:
        if t.auto_tmm == enable:
            return
        t.auto_tmm = enable
        if enable:
            t.save_path = self.category_save_path(t.category)
        self.mark(t)

    def add_trackers(self, t: SimTorrent, urls: list[str]) -> None:
        known = {x.url for x in t.trackers}
        for url in urls:
            if url in known:
                continue
            known.add(url)
            tracker = SimTracker(url, swarm.tracker_behaviour(url))
            if t.running_since is not None:
                tracker.next_announce = self.time + 1
            t.trackers.append(tracker)
            self.add_log(f"Tracker '{url}' was added to torrent '{t.name}'")
        self.mark(t)

    # -- adding ----------------------------------------------------------------------------------

    def add_metadata_torrent(
        self, info_hash: str, meta: Metadata, trackers: list[str], url_seeds: list[str], options: AddOptions
    ) -> bool:
        existing = self.torrents.get(info_hash)
        if existing is not None:
            if meta.private or (existing.meta is not None and existing.meta.private):
                return False
            self.add_trackers(existing, trackers)
            return True
        if options.root_folder is False and meta.multi_file:
            for item in meta.files:
                item.path = item.path.split("/", 1)[-1]
        t = self._new_torrent(info_hash, meta.name, meta, trackers, url_seeds, options)
        if options.skip_checking:
            t.fill(1.0)  # seed mode: the data is assumed to be there
            t.completion_on = self.time
        self.install(t, paused=options.paused)
        return True

    def add_magnet(self, uri: str, options: AddOptions) -> bool:
        from urllib.parse import parse_qsl

        query = uri[len("magnet:?") :] if uri.lower().startswith("magnet:?") else None
        if query is None:
            return False
        pairs = parse_qsl(query, keep_blank_values=True)
        info_hash = None
        for key, value in pairs:
            if key == "xt" and value.lower().startswith("urn:btih:"):
                info_hash = info_hash_of(value[9:])
        if info_hash is None:
            return False
        name = next((v for k, v in pairs if k == "dn" and v), info_hash)
        trackers = list(dict.fromkeys(v for k, v in pairs if k == "tr" and v))
        seeds = [v for k, v in pairs if k == "ws" and v]
        existing = self.torrents.get(info_hash)
        if existing is not None:
            if existing.meta is not None and existing.meta.private:
                return False
            self.add_trackers(existing, trackers)
            return True
        t = self._new_torrent(info_hash, name, None, trackers, seeds, options)
        t.metadata_at = self.time + random.Random(f"{self.config.seed}:{info_hash}:dht").randrange(3, 9)
        self.install(t, paused=options.paused)
        return True

    def add_url(self, url: str, options: AddOptions) -> bool:
        self.add_log(f"Downloading '{url}', please wait...")
        delay = random.Random(f"{self.config.seed}:{url}").randrange(1, 3)
        self.pending.append(Pending(self.time + delay, url, options))
        return True

    def _run_pending(self, now: int) -> None:
        due = [p for p in self.pending if p.due <= now]
        if not due:
            return
        self.pending = [p for p in self.pending if p.due > now]
        from qbtui.sim.demo_data import invent_metadata, name_from_url

        for item in due:
            host = item.url.split("://", 1)[-1].split("/", 1)[0].lower()
            if host.split(":")[0].endswith((".invalid", ".test")):
                self.add_log(
                    f"Couldn't download file at URL '{item.url}', reason: Host {host} not found", WARNING
                )
                continue
            info_hash = hashlib.sha1(item.url.encode()).hexdigest()
            meta = invent_metadata(info_hash, name_from_url(item.url), self.config.seed)
            self.add_metadata_torrent(info_hash, meta, [], [], item.options)

    def _new_torrent(
        self,
        info_hash: str,
        name: str,
        meta: Metadata | None,
        trackers: list[str],
        url_seeds: list[str],
        options: AddOptions,
    ) -> SimTorrent:
        category = options.category if valid_category(options.category) else ""
        if category:
            self.add_category(category)
        save_path = normalise_path(options.save_path, self.default_save_path)
        t = SimTorrent(
            info_hash,
            options.rename or name,
            self.time,
            save_path,
            meta,
            trackers=[SimTracker(url, swarm.tracker_behaviour(url)) for url in dict.fromkeys(trackers)],
            url_seeds=list(dict.fromkeys(url_seeds)),
            category=category,
        )
        t.dn = name
        t.seq_dl = options.sequential
        t.first_last = options.first_last
        t.up_limit = options.up_limit if options.up_limit > 0 else -1
        t.dl_limit = options.dl_limit if options.dl_limit > 0 else -1
        local = random.Random(f"{self.config.seed}:{info_hash}")
        t.swarm_seeds = local.randrange(0, 40)
        t.swarm_leechers = local.randrange(0, 25)
        t.dl_capacity = int(local.uniform(150_000, 6_000_000))
        t.ul_capacity = int(local.uniform(30_000, 900_000))
        t.lively = 0.25
        self.add_log(f"'{t.name}' added to download list.")
        return t

    def install(
        self, t: SimTorrent, *, paused: bool, bulk: bool = False, sleep_until: int | None = None
    ) -> None:
        """Put a new torrent into the session (queued at the bottom when incomplete).

        `bulk` defers the queue bookkeeping to `finish_bulk()`; `sleep_until` starts a running torrent
        asleep (an idle torrent of a large generated set).
        """
        self.torrents[t.hash] = t
        t.paused = paused
        if not t.is_seed:
            if bulk:
                self.queue.append(t.hash)
            else:
                self._set_queue([*self.queue, t.hash])
        self.sync_running(t)
        if sleep_until is not None and t.running_since is not None:
            self._sleep(t, sleep_until)
        self._requeue_needed = True
        self.mark(t)
        if not bulk:
            self.requeue()

    def finish_bulk(self) -> None:
        self.queue_pos = {key: index + 1 for index, key in enumerate(self.queue)}
        # All-time statistics include what earlier sessions moved.
        self.stats.alltime_dl = sum(t.downloaded for t in self.torrents.values())
        self.stats.alltime_ul = sum(t.uploaded for t in self.torrents.values())
        self.requeue()
        self.mark_all()

    # -- per-step bookkeeping ------------------------------------------------------------------------

    def _share_limits(self, now: int) -> None:
        if self.global_max_ratio < 0 and self.global_max_seeding < 0:
            return
        for t in list(self.awake.values()):
            if not t.is_seed or t.forced:
                continue
            over_ratio = 0 <= self.global_max_ratio <= t.real_ratio()
            over_time = 0 <= self.global_max_seeding * 60 <= t.seeding_seconds(now)
            if not (over_ratio or over_time):
                continue
            what = "ratio" if over_ratio else "seeding time"
            if self.max_ratio_action == 1:
                self.add_log(f"'{t.name}' reached the maximum {what} you set. Removed.")
                self.delete(t, with_data=False)
            else:
                self.add_log(f"'{t.name}' reached the maximum {what} you set. Paused.")
                self.pause(t)

    def _update_stats(self, dl: int, ul: int, dt: int) -> None:
        st = self.stats
        rng = self.rng
        st.dl_speed = dl // dt
        st.ul_speed = ul // dt
        st.dl_data += dl
        st.ul_data += ul
        st.alltime_dl += dl
        st.alltime_ul += ul
        st.peers = sum(len(t.peers) for t in self.awake.values())
        if self.prefs.get("dht", True):
            st.dht_nodes = max(40, min(900, st.dht_nodes + rng.randrange(-6, 8))) if st.dht_nodes else 120
        else:
            st.dht_nodes = 0
        busy = dl + ul > 0
        if ul:
            st.read_hits = max(
                0.0, min(0.99, (st.read_hits if st.read_hits >= 0 else 0.3) + rng.uniform(-0.02, 0.02))
            )
        st.buffers = rng.randrange(8, 200) * 16384 if busy else 0
        st.queued_jobs = rng.randrange(0, 4) if busy else 0
        st.average_queue_time = rng.randrange(1, 40) if busy else 0
        st.queued_bytes = st.queued_jobs * 16384

    def _random_events(self, now: int) -> None:
        rng = self.rng
        if self.awake and rng.random() < 0.08:
            ip = swarm._ip(rng)
            if rng.random() < 0.7:
                reason = rng.choice(
                    (
                        "due to IP filter.",
                        "due to port filter.",
                        "because it has a low port.",
                        "due to i2p mixed mode restrictions.",
                    )
                )
                self.log.add_peer(ip, True, reason, self.ms())
            else:
                self.log.add_peer(ip, False, "", self.ms())
        if rng.random() < 0.002:
            port = self.prefs.get("listen_port", 6881)
            message, level = rng.choice(
                (
                    (
                        "UPnP / NAT-PMP: Port mapping successful, message: successfully mapped port "
                        f"using UPnP. external port: TCP/{port}",
                        INFO,
                    ),
                    ("DHT: could not bootstrap from router.bittorrent.com:6881, retrying", WARNING),
                    ("UPnP / NAT-PMP: Port mapping failure, message: no router found", CRITICAL),
                )
            )
            self.add_log(message, level)


def make_metadata(
    name: str,
    files: list[tuple[str, int]],
    *,
    piece_length: int | None = None,
    multi: bool | None = None,
    **extra: Any,
) -> Metadata:
    """Metadata for an invented torrent: `files` are paths relative to the torrent's root folder."""
    multi = len(files) > 1 if multi is None else multi
    total = sum(size for _, size in files)
    entries = [SimFile(f"{name}/{path}" if multi else name, size) for path, size in files]
    return Metadata(name, piece_length or piece_length_for(total), entries, multi_file=multi, **extra)

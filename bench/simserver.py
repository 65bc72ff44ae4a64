"""The simulator in its own process, with churn and request accounting, for end-to-end scenarios.

    python -m bench.simserver --torrents 10000 [--churn-every 1.5 --churn-add 3 --churn-remove 3]

prints one JSON line `{"url": ..., "username": ..., "password": ...}` once it listens, then serves until
killed. Its own CPU never counts against the client: it runs in a process of its own.

Churn: the simulator's engine already moves ~2 % of generated torrents every second (speeds, progress,
ratio, peers; `SimConfig.active_fraction`) and the server state with them; this adds and removes a
few torrents per poll interval on top, as a busy seedbox does.

`GET /__bench/stats` answers request counts and bytes per path since the last `GET /__bench/reset`;
both are answered here, before the simulator sees them, so they never touch its sessions or counts.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from qbtui.sim import SimConfig, SimRequest, SimResponse, Simulator, serve_in_thread

STATS_PATH = "/__bench/stats"
RESET_PATH = "/__bench/reset"


@dataclass
class PathStats:
    requests: int = 0
    wire_bytes: int = 0  # the body as sent (gzipped when the client allowed it)
    server_seconds: float = 0.0


@dataclass
class Accounting:
    since: float = field(default_factory=time.monotonic)
    paths: dict[str, PathStats] = field(default_factory=lambda: defaultdict(PathStats))

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": time.monotonic() - self.since,
            "paths": {path: vars(s) for path, s in sorted(self.paths.items())},
        }


class CountingSimulator(Simulator):
    """A Simulator that counts what it answers, per path, and serves the bench's two side doors."""

    def __init__(self, config: SimConfig) -> None:
        super().__init__(config)
        self.accounting = Accounting()
        self._accounting_lock = threading.Lock()

    def handle(self, request: SimRequest) -> SimResponse:
        path = request.path.split("?", 1)[0]
        if path in (STATS_PATH, RESET_PATH):
            with self._accounting_lock:
                body = json.dumps(self.accounting.as_json()).encode()
                if path == RESET_PATH:
                    self.accounting = Accounting()
            headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
            return SimResponse(200, "OK", headers, body)
        started = time.perf_counter()
        response = super().handle(request)
        elapsed = time.perf_counter() - started
        with self._accounting_lock:
            stats = self.accounting.paths[path]
            stats.requests += 1
            stats.wire_bytes += len(response.body)
            stats.server_seconds += elapsed
        return response


class Churner(threading.Thread):
    """Adds and removes torrents every `every` seconds (the engine moves speeds and progress itself)."""

    def __init__(self, sim: Simulator, every: float, add: int, remove: int, seed: int) -> None:
        super().__init__(name="bench-churn", daemon=True)
        self.sim, self.every, self.add, self.remove = sim, every, add, remove
        self.rng = random.Random(seed)
        self.stopped = threading.Event()
        self._serial = 0

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.tick()

    def tick(self) -> None:
        # Finished torrents are the ones people remove; they hold no queue position, so removing them
        # does not renumber the download queue (which would touch every queued torrent's `priority`).
        torrents = self.sim.torrents
        hashes = [h for h, t in torrents.items() if t.is_seed] or list(torrents)
        for info_hash in self.rng.sample(hashes, min(self.remove, len(hashes))):
            self.sim.remove_torrent(info_hash)
        for _ in range(self.add):
            self._serial += 1
            self.sim.add_torrent(
                f"bench-churn-{self._serial:06d}.iso",
                size=self.rng.randrange(50, 4000) * 1024 * 1024,
                progress=self.rng.choice((0.0, 0.0, 0.5, 1.0)),
                category=self.rng.choice(("", "linux", "bsd")),
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simserver")
    parser.add_argument("--torrents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--churn-every", type=float, default=1.5)
    parser.add_argument("--churn-add", type=int, default=3)
    parser.add_argument("--churn-remove", type=int, default=3)
    parser.add_argument("--active-fraction", type=float, default=0.02, help="torrents transferring")
    args = parser.parse_args(argv)
    config = SimConfig(seed=args.seed, torrent_count=args.torrents, active_fraction=args.active_fraction)
    sim = CountingSimulator(config)
    churner = Churner(sim, args.churn_every, args.churn_add, args.churn_remove, args.seed)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    with serve_in_thread(sim) as server:
        if args.churn_every > 0:
            churner.start()
        print(
            json.dumps({"url": server.url, "username": sim.config.username, "password": sim.config.password})
        )
        sys.stdout.flush()
        done.wait()
        churner.stopped.set()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How a simulator is set up: seed, clock, API version, account and security knobs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEMO_MIXES = ("mixed", "seeding", "downloading")
#: 2026-11-29 04:30:00 UTC, the era of the recorded 4.0.4 samples: a stable default for ManualClock.
DEFAULT_EPOCH = 1795926600.0


class ManualClock:
    """A clock that only moves when told to; pass it as `SimConfig.clock` for exact tests."""

    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._now = float(start)
        # Tests advance it from their thread while a server thread reads it.
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: float) -> None:
        with self._lock:
            self._now = float(when)

    def __repr__(self) -> str:
        return f"ManualClock({self._now!r})"


@dataclass
class SimConfig:
    """Everything that decides a simulator's behaviour; equal configs and clock readings give equal bytes."""

    seed: int = 1
    clock: Callable[[], float] = field(default=time.time)
    #: The legacy API version to impersonate, 2 (qBittorrent 3.2.0) to 17 (4.0.4).
    api_version: int = 17
    username: str = "admin"
    password: str = "adminadmin"
    #: WebUI\LocalHostAuth=false: loopback clients get a fresh session on every request without a cookie.
    bypass_local_auth: bool = False
    #: 25 is the hand-made demo set; more are generated (up to 50,000 for benchmarks).
    torrent_count: int = 25
    #: What the hand-made set looks like: "mixed" (every state), "seeding" (a seedbox: nearly all
    #: complete) or "downloading" (nearly all still downloading). See qbtui.sim.demo_data.
    demo_mix: str = "mixed"
    queueing: bool = True
    max_auth_failures: int = 5
    ban_seconds: int = 3600
    session_timeout: int = 900
    #: WebUI\ServerDomains: `;`-separated wildcards the Host header may match.
    domain_list: str = "*"
    #: Stricter than 4.0.4 on two corners so client bugs surface: any query string on a command,
    #: and any field sent to a command that takes none (pauseAll, ...), are answered 400.
    #: False reproduces 4.0.4 exactly (it ignores both).
    strict_params: bool = True
    #: Share of generated torrents (beyond the demo set) that transfer data: the per-poll churn.
    active_fraction: float = 0.02
    #: The WebUI port reported in preferences and the log (the real listening port is not visible there).
    web_ui_port: int = 8080
    #: Hostile data and answers (qbtui.sim.hostile): markup, escapes and control characters in every
    #: string, wrong types, missing fields, odd numbers, error pages. False changes nothing.
    hostile: bool = False

    def __post_init__(self) -> None:
        if not 2 <= self.api_version <= 17:
            raise ValueError(f"api_version must be 2..17 (legacy WebUI API), not {self.api_version}")
        if not 0 <= self.torrent_count <= 200_000:
            raise ValueError(f"torrent_count must be 0..200000, not {self.torrent_count}")
        if self.demo_mix not in DEMO_MIXES:
            raise ValueError(f"demo_mix must be one of {', '.join(DEMO_MIXES)}, not {self.demo_mix!r}")
        if not 0.0 <= self.active_fraction <= 1.0:
            raise ValueError("active_fraction must be between 0 and 1")

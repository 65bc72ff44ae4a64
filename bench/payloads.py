"""Real maindata payloads from the simulator, recorded in-process on a manual clock (no HTTP).

A recording is one full update followed by deltas one poll interval apart, with the simulator's own
churn (~2 % of torrents move each second, the server state with them) plus a few torrents added and
removed per poll by `bench.simserver.Churner`. Bodies are kept as bytes, so JSON decoding is measured
too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bench.simserver import Churner
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, SimRequest, Simulator

_HOST = [("host", "127.0.0.1:8080")]


@dataclass
class Recording:
    size: int
    full: bytes
    deltas: list[bytes]


class _Client:
    """Just enough of a client to hold a session cookie and ask for maindata."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        body = f"username={sim.config.username}&password={sim.config.password}".encode()
        reply = self._send("POST", "/login", body, [("content-type", "application/x-www-form-urlencoded")])
        cookie = next(value for name, value in reply.headers if name == "set-cookie")
        self.cookie = cookie.split(";", 1)[0]
        self.rid = 0

    def _send(
        self, method: str, path: str, body: bytes = b"", headers: list[tuple[str, str]] | None = None
    ) -> Any:
        headers = [*_HOST, *(headers or []), ("content-length", str(len(body)))]
        if getattr(self, "cookie", None):
            headers.append(("cookie", self.cookie))
        reply = self.sim.handle(SimRequest(method, path, headers, body, "127.0.0.1", "127.0.0.1", 8080))
        if reply.status != 200:
            raise RuntimeError(f"{method} {path}: {reply.status}")
        return reply

    def maindata(self) -> bytes:
        body: bytes = self._send("GET", f"/sync/maindata?rid={self.rid}").body
        self.rid = json.loads(body)["rid"]
        return body


def record(size: int, polls: int, *, seed: int = 6, interval: float = 1.5, churn: int = 3) -> Recording:
    sim = Simulator(SimConfig(seed=seed, torrent_count=size, clock=ManualClock(DEFAULT_EPOCH)))
    client = _Client(sim)
    churner = Churner(sim, interval, churn, churn, seed)
    full = client.maindata()
    deltas = []
    for _ in range(polls):
        sim.advance(interval)
        churner.tick()
        deltas.append(client.maindata())
    return Recording(size, full, deltas)

"""`speed-history.json`: the global speed graph of every server, kept across restarts and switches.

One ring per server, by the address it is reached at (what `SpeedHistory.to_json` writes for one
server), in one file of the state directory: switching to another server and back, or watching a
fleet, keeps each server's own graph. A file of the first format (one ring, one `server`) is read as
that server's ring. Written atomically; the rings of servers not seen for `FORGET_AFTER` days go.
No Textual here.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

from qbtui.model.history import SpeedHistory
from qbtui.util.atomicfile import write_atomic

FILE_NAME = "speed-history.json"
FILE_VERSION = 2
#: Rings of servers not saved for this long are dropped from the file.
FORGET_AFTER = 30 * 86400.0
#: At most this many servers' rings are kept (the most recently saved).
MAX_SERVERS = 64


class SpeedHistoryFile:
    """The rings by server. Without a path (tests, an unwritable state directory) it keeps them in
    memory only, which still carries a server's graph across a switch and back."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._rings: dict[str, dict[str, Any]] | None = None

    def _load_all(self) -> dict[str, dict[str, Any]]:
        if self._rings is None:
            self._rings = _read(self.path) if self.path is not None else {}
        return self._rings

    def load(self, server: str, history: SpeedHistory) -> bool:
        """Put `server`'s saved ring into `history` (which should be empty); False when none."""
        ring = self._load_all().get(server)
        if ring is None:
            return False
        return history.load_json(json.dumps(ring), server)

    def keep(self, server: str, history: SpeedHistory) -> None:
        """Remember `server`'s ring (in memory); `save()` writes every ring kept."""
        if not len(history):
            return
        ring = json.loads(history.to_json(server))
        ring["saved"] = round(time.time(), 3)
        self._load_all()[server] = ring

    def save(self) -> None:
        if self.path is None or self._rings is None:
            return
        now = time.time()
        rings = {
            server: ring
            for server, ring in self._rings.items()
            if now - _saved(ring) < FORGET_AFTER
        }
        newest = sorted(rings, key=lambda server: _saved(rings[server]), reverse=True)[:MAX_SERVERS]
        document = {"version": FILE_VERSION, "servers": {server: rings[server] for server in newest}}
        with contextlib.suppress(OSError):  # a graph is not worth an error on the way out
            write_atomic(self.path, json.dumps(document, separators=(",", ":")))


def _saved(ring: dict[str, Any]) -> float:
    saved = ring.get("saved")
    if isinstance(saved, (int, float)) and not isinstance(saved, bool):
        return float(saved)
    samples = ring.get("samples")
    if isinstance(samples, list) and samples and isinstance(samples[-1], list) and samples[-1]:
        last = samples[-1][0]
        if isinstance(last, (int, float)) and not isinstance(last, bool):
            return float(last)
    return 0.0


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if data.get("version") == 1 and isinstance(data.get("server"), str):
        return {data["server"]: data}  # the first format: one server's ring
    servers = data.get("servers")
    if data.get("version") != FILE_VERSION or not isinstance(servers, dict):
        return {}
    return {
        server: ring
        for server, ring in servers.items()
        if isinstance(server, str) and isinstance(ring, dict)
    }

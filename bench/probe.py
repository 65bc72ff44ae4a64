"""Timing hooks around an unmodified qbtui, installed by the benchmark only (never shipped).

`install()` wraps four seams with thin recorders:

- `HttpSession._send_once`  every request: path, duration, wire and body bytes; the moment a
                            `sync/maindata` answer arrives is where "a poll's data" starts;
- `Store.apply`             whether a payload was a full update and how many torrents it named;
- `TorrentView.apply`       the view has followed the payload: the next frame is the repaint;
- `QbtuiApp.post_display_hook`  Textual calls it after every frame it composed (and, in a real
                            terminal, wrote and flushed); it closes open measurements.

Key latency uses `until(predicate)`: the first frame after which the predicate holds (e.g. "the
cursor is on another torrent") answers the key.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

now = time.perf_counter


@dataclass
class Request:
    started: float
    ended: float
    method: str
    path: str
    status: int
    wire_bytes: int
    body_bytes: int


@dataclass
class Payload:
    at: float
    full_update: bool
    torrents: int
    removed: int


@dataclass
class Probe:
    #: time.time() when the process was launched (set by the launcher), for first paint.
    launch_wall: float | None = None
    #: perf_counter() and time.time() read together, to turn perf_counter stamps into wall time.
    origin: tuple[float, float] = field(default_factory=lambda: (now(), time.time()))
    requests: list[Request] = field(default_factory=list)
    payloads: list[Payload] = field(default_factory=list)
    #: (arrival of a maindata answer, its frame on screen), one per payload that reached the view.
    repaints: list[tuple[float, float]] = field(default_factory=list)
    frames: int = 0
    freeze_gc: bool = False
    first_frame: float | None = None
    first_paint: float | None = None
    _arrived: float | None = None
    _awaiting_frame: float | None = None
    _app: Any = None
    _waiters: list[tuple[Callable[[], bool], asyncio.Future[float]]] = field(default_factory=list)

    def wall(self, stamp: float) -> float:
        return self.origin[1] + (stamp - self.origin[0])

    # -- called by the hooks ---------------------------------------------------------------------

    def request_done(self, request: Request) -> None:
        self.requests.append(request)
        if "sync/maindata" in request.path and request.status == 200:
            self._arrived = request.ended

    def payload_applied(self, payload: Mapping[str, Any]) -> None:
        torrents = payload.get("torrents")
        removed = payload.get("torrents_removed")
        self.payloads.append(
            Payload(
                now(),
                bool(payload.get("full_update")),
                len(torrents) if isinstance(torrents, Mapping) else 0,
                len(removed) if isinstance(removed, list) else 0,
            )
        )

    def view_applied(self) -> None:
        if self._arrived is not None:
            self._awaiting_frame, self._arrived = self._arrived, None

    def frame(self, app: Any) -> None:
        stamp = now()
        self._app = app
        self.frames += 1
        if self.first_frame is None:
            self.first_frame = stamp
        if self.first_paint is None and len(app.view) and app.screen is app.main_screen:
            self.first_paint = stamp
            if self.freeze_gc:
                # The what-if for the lead (BENCH_GC_FREEZE=1): the objects of the first full update
                # leave the cyclic collector's full passes, which otherwise walk them all every few
                # dozen polls (~150 ms at 10,000 torrents, ~1 s at 50,000).
                gc.collect()
                gc.freeze()
        if self._awaiting_frame is not None:
            self.repaints.append((self._awaiting_frame, stamp))
            self._awaiting_frame = None
        if self._waiters:
            still = []
            for predicate, future in self._waiters:
                if future.done():
                    continue
                if predicate():
                    future.set_result(stamp)
                else:
                    still.append((predicate, future))
            self._waiters = still

    # -- used by the scenarios -------------------------------------------------------------------

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> float:
        """The perf_counter() stamp of the first frame after which `predicate()` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return await asyncio.wait_for(future, timeout)

    def repaint_latencies(self, since: float = 0.0) -> list[float]:
        return [frame - arrived for arrived, frame in self.repaints if arrived >= since]

    def summary(self) -> dict[str, Any]:
        return {
            "launch_wall": self.launch_wall,
            "origin": self.origin,
            "frames": self.frames,
            "first_frame": self.first_frame,
            "first_paint": self.first_paint,
            "repaints": self.repaints,
            "requests": [asdict(r) for r in self.requests],
            "payloads": [asdict(p) for p in self.payloads],
        }

    def dump(self, path: Path) -> None:
        # Written aside and renamed: the benchmark polls for the file and must never read half of it.
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(self.summary()))
        partial.replace(path)


PROBE = Probe()
_installed = False


def install() -> Probe:
    """Wrap the seams once per process; returns the process-wide probe."""
    global _installed
    if _installed:
        return PROBE
    from qbtui.api.session import HttpSession
    from qbtui.model.store import Store
    from qbtui.model.view import TorrentView
    from qbtui.ui.app import QbtuiApp

    send_once = HttpSession._send_once

    async def timed_send_once(self: HttpSession, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        started = now()
        response = await send_once(self, method, path, *args, **kwargs)
        PROBE.request_done(
            Request(
                started,
                now(),
                method,
                path.split("?", 1)[0],
                response.status_code,
                response.num_bytes_downloaded,
                len(response.content),
            )
        )
        return response

    store_apply = Store.apply

    def recorded_store_apply(self: Store, payload: Mapping[str, Any]) -> Any:
        PROBE.payload_applied(payload)
        return store_apply(self, payload)

    view_apply = TorrentView.apply

    def recorded_view_apply(self: TorrentView, changes: Any) -> bool:
        result = view_apply(self, changes)
        PROBE.view_applied()
        return result

    display_hook = QbtuiApp.post_display_hook

    def recorded_display_hook(self: QbtuiApp) -> None:
        display_hook(self)
        PROBE.frame(self)

    HttpSession._send_once = timed_send_once  # type: ignore[method-assign]
    Store.apply = recorded_store_apply  # type: ignore[method-assign]
    TorrentView.apply = recorded_view_apply  # type: ignore[method-assign]
    QbtuiApp.post_display_hook = recorded_display_hook  # type: ignore[method-assign]
    _installed = True
    return PROBE


def reset() -> Probe:
    """A fresh probe for the next app in this process (the hooks stay installed)."""
    global PROBE
    PROBE = Probe()
    return PROBE

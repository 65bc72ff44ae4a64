"""The cyclic collector's full collections, moved to moments when nobody is typing.

Python starts a full (oldest-generation) collection when enough objects have survived the younger
ones. Textual's rendering leaves thousands of cached lines behind each repaint, so with a fleet of
50,000 torrents a full collection came every three or four keys and held the loop 16-35 ms: the
key that triggered it waited that long (the fleet bench's slowest keys). Here the interpreter never
starts one by itself while the app runs; the app makes one every `EVERY` seconds instead, once no
key has come for `QUIET` seconds. Young generations are collected as usual, so short-lived cycles
go at once; long-lived ones wait at most a little longer than `EVERY`.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.timer import Timer

#: Between two full collections (Python's own pace at 50,000 torrents was every 1-5 s).
EVERY = 20.0
#: No key for this long: the next keystroke is unlikely to come while it runs.
QUIET = 0.5
#: Put off for this long by keys that never stop: collected anyway.
LATEST = 3 * EVERY
#: A third threshold the interpreter never reaches (the count of young collections since the last
#: full one).
_NEVER = 1_000_000_000


class IdleCollector:
    def __init__(self, app: App[Any], since_input: Callable[[], float]) -> None:
        self.app = app
        #: Seconds since the last key (the app's Visibility keeps that).
        self.since_input = since_input
        self._saved: tuple[int, int, int] | None = None
        self._last_collection = time.monotonic()
        self._timer: Timer | None = None
        self._retrying = False
        #: Full collections made so far (for tests and the curious).
        self.collections = 0

    def start(self) -> None:
        if self._saved is not None:
            return
        young, middle, oldest = gc.get_threshold()
        self._saved = (young, middle, oldest)
        gc.set_threshold(young, middle, _NEVER)
        self._timer = self.app.set_interval(EVERY, self._due, name="idle-collector")

    def stop(self) -> None:
        """The interpreter's own pace again (the app is closing; tests run many apps in one
        process)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def _due(self) -> None:
        if not self._retrying:
            self._collect_when_quiet()

    def _collect_when_quiet(self) -> None:
        self._retrying = False
        now = time.monotonic()
        waited = self.since_input()
        if waited < QUIET and now - self._last_collection < LATEST:
            self._retrying = True
            self.app.set_timer(QUIET - waited, self._collect_when_quiet)
            return
        gc.collect()
        self._last_collection = time.monotonic()
        self.collections += 1

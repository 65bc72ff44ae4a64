"""One long-lived poll loop per widget: poll, render, wait; requests only while the widget is seen.

The same shape as `qbtui.model.sync.Poller`: a single task, so never two requests in flight; `poke()`
starts the next poll at once (after a command, a new torrent, another tab). Each tick first asks
whether the owner is laid out on a screen the user can see; if not it sends nothing and looks
again shortly. Textual's Show event is only a hint (it is skipped when something reads the
layout between a display change and the next reflow), so visibility is checked, not tracked.
`poll` returns how long to wait before the next one, or None for the regular interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from textual.widget import Widget
from textual.worker import Worker

from qbtui.ui.workers import guarded

log = logging.getLogger(__name__)

#: How soon to look again while there is no connection to poll through.
NOT_CONNECTED_RETRY = 1.0
#: How often a hidden owner is checked for having become visible (no request is sent)...
HIDDEN_CHECK = 0.5
#: ...for this long after it was last poked or seen (a Show event may be skipped, see above)...
HIDDEN_GRACE = 5.0
#: ...and then rarely: both panes stay hidden for hours, and every wake-up costs the poll loop's
#: worth of CPU (issue 18). Showing a pane pokes its loop (on_show, show(), the toggles).
HIDDEN_IDLE_CHECK = 30.0


class PollLoop:
    def __init__(
        self,
        owner: Widget,
        poll: Callable[[], Awaitable[float | None]],
        *,
        interval: float,
        group: str,
    ) -> None:
        self._owner = owner
        self._poll = poll
        self.interval = interval
        self._group = group
        self._wake = asyncio.Event()
        #: When the owner was last poked or seen (loop time): hidden checks slow down after a while.
        self._lively = 0.0
        self._worker: Worker[None] | None = None
        self._flight: object | None = None  # the poll in flight, if any
        #: Polls begun and polls finished; they run one at a time, so they differ by at most one.
        self.started = 0
        self.polls = 0

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    @property
    def in_flight(self) -> bool:
        return self._flight is not None

    def can_poll(self) -> bool:
        """Laid out on a screen the user can see (a modal dialog on top still counts)."""
        owner = self._owner
        if not owner.is_attached or not owner.display or not owner.is_on_screen:
            return False
        try:
            return owner.screen.is_current
        except Exception:  # not on a screen yet, or the app is closing
            return False

    def start(self) -> None:
        """(Re)start the loop; a request in flight is cancelled and the next poll starts at once."""
        self._flight = None
        self._worker = self._owner.run_worker(
            guarded(self._owner, f"{self._group} polling", self._run()),
            group=self._group,
            exclusive=True,
            exit_on_error=False,
            name=self._group,
        )

    def cancel_request(self) -> None:
        """Drop a request in flight (the owner was hidden); the loop goes on checking."""
        if self._flight is not None:
            self.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._flight = None

    def poke(self) -> None:
        """Poll now rather than at the next tick."""
        self._wake.set()

    def _hidden_delay(self) -> float:
        now = asyncio.get_running_loop().time()
        return HIDDEN_CHECK if now - self._lively < HIDDEN_GRACE else HIDDEN_IDLE_CHECK

    async def _run(self) -> None:
        self._lively = asyncio.get_running_loop().time()
        while True:
            # Cleared before the poll: a poke that arrives during it triggers the next one.
            if self._wake.is_set():
                self._lively = asyncio.get_running_loop().time()
            self._wake.clear()
            delay: float | None = self._hidden_delay()
            if self.can_poll():
                self._lively = asyncio.get_running_loop().time()
                self.started += 1
                # A cancelled loop's `finally` may run after its replacement began a poll.
                flight = self._flight = object()
                try:
                    delay = await self._poll()
                except Exception:  # the owner reports its own errors; this keeps the loop alive
                    log.exception("poll loop %s: a poll failed", self._group)
                finally:
                    if self._flight is flight:
                        self._flight = None
                self.polls += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval if delay is None else delay)

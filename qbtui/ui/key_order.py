"""Keys in the order they were typed, each to the widget that has the focus once the key before it
is done.

Textual forwards every key to the focused widget as it arrives, and bindings run later, when the key
has bubbled back up to the app; focus moves later still (`Widget.focus()` is a callback, a pushed
screen focuses once it has mounted). When one terminal read holds several keys (fast typing, a paste,
a slow SSH link) all of them reach the old focus: `/deb` opened the filter box and then removed a
torrent. Here the app forwards one key, waits until that key has bubbled through (a marker message
sent right after it follows the same path), lets focus and any new screen settle, and only then
forwards the next.

A form that fills its fields from the server first (speed limits, preferences) has a `keys_ready`
event: keys typed ahead wait for it, so `S` then `2M` edits the loaded limit rather than a field that
is about to be overwritten. Esc typed meanwhile cancels the form and drops the keys typed for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

#: Longest wait for one step of a key's handling before the next key goes anyway (a widget that
#: was removed while handling it never passes the marker on).
STEP_TIMEOUT = 2.0
#: Rounds of "let the screen and the app run their queues" before giving up on focus settling.
SETTLE_ROUNDS = 4
#: Longest wait for a form that fills its fields from the server (its `keys_ready`) before the keys
#: typed ahead for it go anyway.
LOAD_TIMEOUT = 15.0

KeyInput = events.Key | events.Paste


class KeyDone(Message, bubble=True):
    """Posted right after a key to the widget the key went to: it reaches the app after the key."""

    def __init__(self, done: asyncio.Future[None]) -> None:
        super().__init__()
        self.done = done


class KeyOrder:
    """The app's keys, one at a time. `App.on_event` hands every unforwarded key and paste here."""

    def __init__(self, app: App[Any], dispatch: Callable[[KeyInput], Awaitable[None]]) -> None:
        self._app = app
        #: Textual's own handling of a key (priority bindings, then forwarding to the focus).
        self._dispatch = dispatch
        self._waiting: deque[KeyInput] = deque()
        self._busy = False
        self._settling: asyncio.Task[None] | None = None
        #: Set while waiting for a loading form: an Esc typed meanwhile stops the wait.
        self._escape: asyncio.Event | None = None

    @property
    def busy(self) -> bool:
        """A key is still being handled (or its focus change settling); keys wait behind it."""
        return self._busy

    async def receive(self, event: KeyInput) -> None:
        if self._busy:
            if self._escape is not None and _is_escape(event):
                self._waiting.clear()  # what was typed for the form goes with it
                self._escape.set()
            self._waiting.append(event)
            return
        await self._send(event)

    async def _send(self, event: KeyInput) -> None:
        self._busy = True
        app = self._app
        # Where Textual forwards it: keys to the focus, pastes to the screen (which passes them on).
        target: MessagePump = app.screen if isinstance(event, events.Paste) else (app.focused or app.screen)
        await self._dispatch(event)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if not (event.is_forwarded and target.post_message(KeyDone(done))):
            done.set_result(None)  # a priority binding took it (or the target is gone): nothing follows
        self._settling = asyncio.create_task(self._settle(done))

    def reached_app(self, message: KeyDone) -> None:
        if not message.done.done():
            message.done.set_result(None)

    async def _settle(self, done: asyncio.Future[None]) -> None:
        app = self._app
        try:
            await _within(done)
            for _ in range(SETTLE_ROUNDS):
                screen, focused = app.screen, app.focused
                if not screen.is_mounted:
                    await _within(screen._mounted_event.wait())
                # The screen's queue (ScreenResume focuses), then the app's (focus() callbacks).
                await _round_trip(screen)
                await _round_trip(app)
                if app.screen is screen and app.focused is focused:
                    break
            ready = getattr(app.screen, "keys_ready", None)
            if isinstance(ready, asyncio.Event) and not ready.is_set():
                await self._wait_ready(ready)
        finally:
            app.call_later(self._next)

    async def _wait_ready(self, ready: asyncio.Event) -> None:
        escapes = [i for i, event in enumerate(self._waiting) if _is_escape(event)]
        if escapes:
            # Esc typed already: the form is cancelled, and what was typed for it goes too.
            for _ in range(escapes[-1]):
                self._waiting.popleft()
            return
        self._escape = escape = asyncio.Event()
        waits = [asyncio.ensure_future(ready.wait()), asyncio.ensure_future(escape.wait())]
        try:
            await asyncio.wait(waits, timeout=LOAD_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._escape = None
            for wait in waits:
                wait.cancel()
        if ready.is_set():
            # Filling the fields may have moved the focus (to the first field): let it land.
            await _round_trip(self._app)

    async def _next(self) -> None:
        self._settling = None
        if not self._waiting:
            self._busy = False
            return
        await self._send(self._waiting.popleft())

    def close(self) -> None:
        self._waiting.clear()
        if self._settling is not None:
            self._settling.cancel()


def _is_escape(event: KeyInput) -> bool:
    return isinstance(event, events.Key) and event.key == "escape"


async def _round_trip(pump: MessagePump) -> None:
    """Wait until `pump` has handled everything posted to it before now."""
    arrived: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def arrive() -> None:
        if not arrived.done():
            arrived.set_result(None)

    if pump.call_later(arrive):
        await _within(arrived)


async def _within(awaitable: Awaitable[object]) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(awaitable, STEP_TIMEOUT)

"""Textual's Linux driver, minus its input thread's ten wake-ups a second.

Textual 8.2's `LinuxDriver.run_input_thread` waits for terminal input with `select(0.1)`, so that
a lone Esc (the start of an escape sequence that never came) is delivered after its timeout.
Measured on a 2-core machine (issue 18), those wake-ups cost the input thread ~0.8 ms of CPU a
second: 2.1 ms per poll of a 5,000-torrent server, more than the floor client's whole poll. Here
the thread sleeps until input arrives, and waits with a timeout only while the parser holds the
start of a sequence. Quitting wakes it through a pipe of its own.

The loop follows Textual 8.2.8's (pinned exactly in pyproject); `_timeout_time` is the parser's
private deadline for the pending sequence.
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

#: While a sequence is pending, how often to look whether its time is up (Textual's own tick).
PENDING_TICK = 0.1


class QuietLinuxDriver(LinuxDriver):
    _wake_read = -1
    _wake_write = -1

    def start_application_mode(self) -> None:
        self._wake_read, self._wake_write = os.pipe()
        super().start_application_mode()

    def disable_input(self) -> None:
        # The byte stays unread: every select returns at once until the loop sees exit_event,
        # which the driver sets right after this.
        if self._wake_write >= 0:
            with contextlib.suppress(OSError):
                os.write(self._wake_write, b"x")
        super().disable_input()

    def close(self) -> None:
        super().close()
        for fd in (self._wake_read, self._wake_write):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._wake_read = self._wake_write = -1

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        if self._wake_read >= 0:
            selector.register(self._wake_read, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            ours = [(key, mask) for key, mask in events if key.fd == fileno and mask & selectors.EVENT_READ]
            for number, _ in enumerate(ours):
                data = decode(os.read(fileno, 1024 * 4), final=final and number == len(ours) - 1)
                if not data:
                    break  # stdin is a pipe that ended
                for event in feed(data):
                    self.process_message(event)
            for event in tick():
                self.process_message(event)

        def timeout() -> float | None:
            return PENDING_TICK if parser._timeout_time is not None else None

        try:
            while not self.exit_event.is_set():
                process(selector.select(timeout()))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, Exception):
                for _ in feed(""):
                    pass

"""A tmux client attached through a pseudo-terminal of its own, as a user's terminal would run
`tmux attach`: what makes a tmux session attached (and, once gone, detached) for qbtui's quiet mode.
Used by the tests and the bench."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time


class TmuxClient:
    def __init__(self, socket: str, session: str | None = None) -> None:
        self.socket = socket
        self.master, slave = os.openpty()
        target = ["-t", session] if session else []
        self.process = subprocess.Popen(
            ["tmux", "-L", socket, "attach", *target],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": "/tmp"},
        )
        os.close(slave)
        # Drain what tmux draws, or it blocks writing to a full pty.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        try:
            while os.read(self.master, 65536):
                pass
        except OSError:
            pass

    def wait_attached(self, timeout: float = 20.0) -> None:
        self._wait(1, timeout)

    def detach(self, timeout: float = 20.0) -> None:
        """Detach every client of the tmux server (this one), wait until none is left, close."""
        subprocess.run(["tmux", "-L", self.socket, "detach-client", "-a"], check=False, capture_output=True)
        subprocess.run(["tmux", "-L", self.socket, "detach-client"], check=False, capture_output=True)
        self._wait(0, timeout)
        self.close()

    def _wait(self, clients: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while attached_clients(self.socket) != clients:
            if time.monotonic() > deadline:
                raise AssertionError(f"tmux never had {clients} client(s) attached")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


def attached_clients(socket: str) -> int:
    out = subprocess.run(
        ["tmux", "-L", socket, "list-clients"], capture_output=True, text=True, check=False
    ).stdout
    return len(out.splitlines())

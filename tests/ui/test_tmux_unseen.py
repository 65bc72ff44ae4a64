"""Quiet when unseen, for real (issue 18): qbtui in a tmux session polls the simulator at its rate
while a client is attached, rarely once the client detaches, and at once again on attach or a key.
The poll rate is read from the simulator's request count."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve_in_thread
from qbtui.sim.server import ThreadedServer
from tests.support.tmuxclient import TmuxClient
from tests.ui.tmux import Tmux, require_tmux

INTERVAL = 0.5
UNSEEN = 6.0


def requests(server: ThreadedServer) -> int:
    return server._server.requests


def rate(server: ThreadedServer, seconds: float) -> int:
    """Requests the app makes in `seconds`."""
    before = requests(server)
    time.sleep(seconds)
    return requests(server) - before


def wait(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


def test_detached_polls_rarely_and_attach_or_a_key_resumes(tmp_path: Path) -> None:
    require_tmux()
    config = tmp_path / "config.toml"
    config.write_text(f"refresh_interval = {INTERVAL}\nunseen_interval = {UNSEEN}\n")
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH)))
    with serve_in_thread(sim) as server:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "QBTUI_CONFIG": str(config),
            "QBTUI_STATE_DIR": str(tmp_path),
            "SIM_PASSWORD": "adminadmin",
        }
        command = [sys.executable, "-m", "qbtui", "--url", server.url, "--username", "admin"]
        tmux = Tmux([*command, "--password-env", "SIM_PASSWORD"], env)
        client: TmuxClient | None = None
        try:
            tmux.wait_for(r"\d+ torrents")
            # Started detached, never attached: nobody has left, the normal rate.
            assert rate(server, 3.0) >= 4
            client = TmuxClient(tmux.socket)
            client.wait_attached()
            assert rate(server, 3.0) >= 4
            client.detach()
            client = None
            time.sleep(3.0)  # the app looks every 2 s; a poll already under way may still come
            # Detached: one poll per UNSEEN seconds at most (at INTERVAL it would be ~24).
            assert rate(server, 2 * UNSEEN) <= 3
            # Attaching again: a poll at once, then the normal rate.
            client = TmuxClient(tmux.socket)
            client.wait_attached()
            before = requests(server)
            wait(lambda: requests(server) > before, "a poll soon after attaching", timeout=4.0)
            assert rate(server, 3.0) >= 4
            client.detach()
            client = None
            time.sleep(3.0)
            assert rate(server, UNSEEN) <= 2
            # A key (send-keys into the detached session): someone is there.
            tmux.press("j")
            before = requests(server)
            wait(lambda: requests(server) > before, "a poll soon after a key", timeout=3.0)
            assert rate(server, 3.0) >= 4
            tmux.quit()
        finally:
            if client is not None:
                client.close()
            tmux.kill()

"""Driving a program in a real terminal: a private tmux server per test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def require_tmux() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required in CI")
        pytest.skip("tmux is not installed")


#: Keys as xterm sends them, for Tmux.type().
ENTER, TAB, CTRL_U, ESC = "\r", "\t", "\x15", "\x1b"
END = "\x1b[F"


class Tmux:
    """A private tmux server (its own socket) running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (160, 45)) -> None:
        self.socket = f"qbtui-test-{uuid.uuid4().hex[:8]}"
        # The password reaches the app through the tmux server's environment, never its command line.
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "new-session",
                "-d",
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                *command,
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p"], capture_output=True, text=True, check=False
        )
        return done.stdout

    def press(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", *keys], check=True)

    def type(self, text: str) -> None:
        """`text` as the terminal's bytes, in one write, as a fast typist or a paste over SSH sends
        them: control characters as themselves (\r Enter, \t Tab, \x15 ctrl+u), keys such as End
        as their escape sequences (END)."""
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-l", text], check=True)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.screen())
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared; screen:\n{self.screen()}")
            time.sleep(0.3)

    def alive(self) -> bool:
        """Whether the command still runs (the session ends with it)."""
        done = subprocess.run(["tmux", "-L", self.socket, "has-session"], capture_output=True, check=False)
        return done.returncode == 0

    def quit(self, key: str = "q", timeout: float = 10.0) -> None:
        """Press `key` and wait for the command to end; fail if it does not."""
        self.press(key)
        deadline = time.monotonic() + timeout
        while self.alive():
            assert time.monotonic() < deadline, "qbtui did not quit"
            time.sleep(0.2)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False, capture_output=True)

"""qbtui in a real terminal (tmux) against `python -m qbtui.sim --hostile`: names full of escape
sequences change nothing the terminal does. No window title set by an OSC, no bell, no hyperlink, no
cleared or scrolled screen, no line longer than the terminal: the screen is the app's layout, with
markup as literal text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from tests.ui.tmux import Tmux, require_tmux

WIDTH, HEIGHT = 160, 45


class Terminal(Tmux):
    def show(self, format: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "display-message", "-p", format],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    def screen_with_escapes(self) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p", "-e"],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout


@pytest.fixture
def hostile_url() -> Iterator[str]:
    """The hostile simulator as a person runs it: its own process, on real time."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtui.sim", "--hostile", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def assert_terminal_untouched(term: Terminal, what: str) -> None:
    screen = term.screen()
    lines = screen.splitlines()
    assert len(lines) <= HEIGHT, f"{what}: the screen scrolled"
    wide = [line for line in lines if cell_len(line) > WIDTH]
    assert not wide, f"{what}: lines wider than the terminal: {wide}"
    assert "pwned" not in term.show("#{pane_title}"), f"{what}: an OSC set the title"
    assert term.show("#{window_bell_flag}") == "0", f"{what}: the bell rang"
    assert term.show("#{alternate_on}") == "1", f"{what}: the app left the alternate screen"
    escapes = term.screen_with_escapes()
    assert "\x1b]8;;https://evil" not in escapes, f"{what}: a hyperlink from data"
    assert "Quit" in lines[-1], f"{what}: the footer is gone:\n{screen}"


def test_hostile_names_leave_the_terminal_alone(hostile_url: str) -> None:
    require_tmux()
    env = {**os.environ, "QBTUI_PASSWORD": "adminadmin", "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "qbtui", "--url", hostile_url, "--username", "admin"]
    term = Terminal(command, env, size=(WIDTH, HEIGHT))
    try:
        term.wait_for(r"qBittorrent v4\.0\.4 \(API 17\)")
        term.wait_for(r"59 torrents")
        # 59 rows do not fit and the order moves with the speeds, so each name is filtered to.
        for fragment, literal in (
            ("RED ALERT", "[bold red]RED ALERT[/bold red]"),
            ("quit", "[@click=app.quit]quit[/] now"),
            ("var", "[$accent on $error]var[/]"),
            ("ANSI red", "\ufffd[31mANSI red"),
        ):
            term.press("/")
            term.wait_for(r"\^u Clear field")  # the filter is open
            term.type("\x15" + fragment + "\r")
            term.wait_for(r"q Quit")  # the filter has taken the Enter and closed
            term.wait_for(re.escape(literal))
            assert_terminal_untouched(term, f"the list filtered to {fragment!r}")
        term.press("/")
        term.type("\x15\r")
        term.wait_for(r"59 torrents")
        assert_terminal_untouched(term, "the list")
        # The torrent whose name sets the window title: filtered to, then its details and log.
        term.press("/")
        term.press("-l", "pwned")
        term.press("Enter")
        term.wait_for(r"\ufffd\]0;pwned title\ufffdosc title")
        time.sleep(0.5)  # the filter hands the focus back to the list
        term.press("Enter")
        term.wait_for(r"Save path")
        assert_terminal_untouched(term, "details: general")
        for tab in ("trackers", "peers", "HTTP sources", "content", "pieces"):
            term.press("]")
            time.sleep(1.0)
            assert_terminal_untouched(term, f"details: {tab}")
        term.press("L")
        term.wait_for(r"hostile log line")
        assert_terminal_untouched(term, "the log")
        term.quit()
    finally:
        term.kill()

"""`y` copies the magnet link through OSC 52, which reaches tmux's paste buffer (and, from there, the
outer terminal's clipboard) with `set -g set-clipboard on`, as README says; over SSH the same escape
sequence travels to the local terminal."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.ui.tmux import Tmux, require_tmux


def buffers(tmux: Tmux) -> str:
    done = subprocess.run(
        ["tmux", "-L", tmux.socket, "show-buffer"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def test_y_puts_the_magnet_link_in_tmuxs_buffer() -> None:
    require_tmux()
    tmux = Tmux(
        [sys.executable, "-m", "qbtui", "--demo"], {**os.environ, "TERM": "xterm-256color"}, size=(140, 36)
    )
    try:
        subprocess.run(["tmux", "-L", tmux.socket, "set", "-g", "set-clipboard", "on"], check=True)
        tmux.wait_for(r"qBittorrent v4\.0\.4 \(API 17\)")
        tmux.wait_for(r"\d+ torrents")
        tmux.press("y")
        tmux.wait_for("Copied the magnet link")
        copied = buffers(tmux)
        assert copied.startswith("magnet:?xt=urn:btih:") and "&dn=" in copied, copied
        tmux.press("Y")
        tmux.wait_for("Copied the info hash")
        assert len(buffers(tmux)) == 40
        tmux.quit()
    finally:
        tmux.kill()

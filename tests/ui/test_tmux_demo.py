"""`qbtui --demo` in a real terminal: the simulator starts, the screen fills, `q` quits cleanly."""

from __future__ import annotations

import os
import sys

from tests.ui.tmux import Tmux, require_tmux


def test_demo_opens_the_interface_and_quits() -> None:
    require_tmux()
    tmux = Tmux(
        [sys.executable, "-m", "qbtui", "--demo"], {**os.environ, "TERM": "xterm-256color"}, size=(140, 36)
    )
    try:
        tmux.wait_for(r"qBittorrent v4\.0\.4 \(API 17\)")
        tmux.wait_for(r"\[eztv\] Show\.S01E01 720p")  # a name that is also Rich markup, shown as-is
        tmux.quit()
    finally:
        tmux.kill()

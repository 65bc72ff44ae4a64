"""A real terminal with TERM=screen: wide (CJK) and emoji names keep the columns aligned, and a
resize storm from 60x20 to 200x60 and back leaves a working screen."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from rich.cells import cell_len

from tests.ui.tmux import Tmux, require_tmux

SIZE = re.compile(r"\d+(?:\.\d)? [KMGT]?i?B\b")


def size_column(screen: str, name: str) -> int:
    """The terminal column where the (right-aligned) size ends on the row of `name`."""
    line = next(line for line in screen.splitlines() if name in line)
    match = SIZE.search(line, line.index(name) + len(name))
    assert match is not None, line
    return cell_len(line[: match.end()])


def test_wide_names_align_and_a_resize_storm_is_survived() -> None:
    require_tmux()
    command = ["env", "TERM=screen", sys.executable, "-m", "qbtui", "--demo"]
    tmux = Tmux(command, {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}, size=(140, 36))
    try:
        tmux.wait_for(r"東京の夜景 4K 素材集")
        tmux.wait_for(r"Chill Mix 2018")
        time.sleep(1.0)
        screen = tmux.screen()
        columns = {
            name: size_column(screen, name)
            for name in ("東京の夜景 4K 素材集", "Chill Mix 2018", "Sintel (2010) 4K")
        }
        assert len(set(columns.values())) == 1, columns
        for width, height in [(60, 20), (200, 60), (80, 24), (61, 21), (160, 45)] * 6:
            subprocess.run(
                ["tmux", "-L", tmux.socket, "resize-window", "-x", str(width), "-y", str(height)], check=True
            )
            time.sleep(0.05)
        subprocess.run(["tmux", "-L", tmux.socket, "resize-window", "-x", "100", "-y", "30"], check=True)
        time.sleep(1.5)
        assert tmux.alive()
        screen = tmux.screen()
        lines = screen.splitlines()
        assert len(lines) >= 29 and max(cell_len(line) for line in lines) <= 100
        assert "qBittorrent v4.0.4" in screen  # the status bar, redrawn at the new size
        tmux.quit()
    finally:
        tmux.kill()

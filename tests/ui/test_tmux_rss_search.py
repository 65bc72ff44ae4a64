"""End to end in a real terminal against a real qbittorrent-nox (5.3.0, or the first server this
machine has): RSS, a rule's preview and search, typed as a user types them, keys typed ahead."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support.loopsite import LoopSite
from tests.support.noxfix import SERVERS, NoxPool
from tests.support.showcase import showcase
from tests.ui.tmux import ESC, Tmux, require_tmux

pytestmark = pytest.mark.nox


def test_rss_rules_and_search_in_tmux(nox_pool: NoxPool, tmp_path: Path) -> None:
    require_tmux()
    nox = nox_pool.clean(list(SERVERS)[-1])
    with nox.client() as client:
        for name in client.get("/api/v2/rss/items").json():
            client.post("/api/v2/rss/removeItem", data={"path": name}).raise_for_status()
        for name in client.get("/api/v2/rss/rules").json():
            client.post("/api/v2/rss/removeRule", data={"ruleName": name}).raise_for_status()
    with LoopSite() as site:
        showcase(nox, site, tmp_path)
        env = {**os.environ, "QBTUI_PASSWORD": nox.password, "TERM": "xterm-256color"}
        command = [sys.executable, "-m", "qbtui", "--url", nox.url, "--username", nox.username]
        tmux = Tmux(command, env, size=(120, 36))
        try:
            tmux.wait_for(r"qBittorrent v\d[\d.]* \(API 2\.")
            # w (RSS) then w (its rules) in one write: the rules open once the feeds have loaded.
            tmux.type("ww")
            tmux.wait_for(r"Auto-download rules\s+2 rules")
            tmux.wait_for(r"Linux installers")
            tmux.type("\r")  # edit the highlighted rule: its preview
            tmux.wait_for(r"Matching articles: 2 \(2 unread\)")
            tmux.wait_for(r"archlinux-2026\.12\.01-x86_64\.iso")
            tmux.type(ESC)
            tmux.wait_for(r"n new · e edit")
            tmux.type(ESC)
            tmux.wait_for(r"Night shows")
            tmux.wait_for(r"Debian 13\.2 trixie network installer\.")  # a description, HTML read
            assert "<b>" not in tmux.screen()
            tmux.type(ESC)
            tmux.wait_for(r"qBittorrent v\d[\d.]* \(API 2\.")  # the main screen's status line
            tmux.type("E")
            tmux.wait_for(r"plugin enabled")
            tmux.type("debian\r")
            tmux.wait_for(r"“debian” · done · 6 results")
            tmux.wait_for(r"debian-live-13\.2\.0-amd64-kde\.iso")
            assert nox.password not in tmux.screen()
        finally:
            tmux.kill()

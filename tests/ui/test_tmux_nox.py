"""End to end in a real terminal: qbtui in tmux against a real qbittorrent-nox that is downloading.

We see the download progress on screen, press `p`, and the server reports the torrent paused.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time

import pytest

from qbtui.api import ConnectionSettings, TorrentFileUpload, connect
from qbtui.api.models import AddOptions
from tests.ui.tmux import Tmux, require_tmux


@pytest.mark.swarm
def test_watch_a_real_download_and_pause_it_with_a_key(nox_swarm) -> None:  # type: ignore[no-untyped-def]
    require_tmux()
    swarm = nox_swarm
    leecher = swarm.leecher
    settings = ConnectionSettings(url=leecher.url, username=leecher.username, password=leecher.password)

    async def add_slowly() -> None:
        api = await connect(settings)
        try:
            await api.add(
                files=[TorrentFileUpload(swarm.torrent_path.name, swarm.torrent_path.read_bytes())],
                options=AddOptions(save_path=str(leecher.downloads), dl_limit=96 * 1024),
            )
            for _ in range(100):
                if await api.torrents(hashes=[swarm.info_hash]):
                    break
                await asyncio.sleep(0.1)
            await api.add_peers([swarm.info_hash], [swarm.seeder.peer_address])
        finally:
            await api.close()

    asyncio.run(add_slowly())
    env = {**os.environ, "QBTUI_PASSWORD": leecher.password, "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "qbtui", "--url", leecher.url, "--username", leecher.username]
    tmux = Tmux(command, env)
    try:
        tmux.wait_for(re.escape(swarm.meta.name))
        # Progress moves on screen: two different partial percentages.
        first = tmux.wait_for(r"(\d{1,2}\.\d)%").group(1)
        deadline = time.monotonic() + 30
        while (now := tmux.wait_for(r"(\d{1,2}\.\d)%").group(1)) == first:
            assert time.monotonic() < deadline, "progress never moved"
            time.sleep(0.5)
        assert float(now) > float(first)
        tmux.press("p")

        async def paused() -> bool:
            api = await connect(settings)
            try:
                for _ in range(60):
                    (torrent,) = await api.torrents(hashes=[swarm.info_hash])
                    if torrent.state.is_paused:
                        return True
                    await asyncio.sleep(0.25)
                return False
            finally:
                await api.close()

        assert asyncio.run(paused())
        # The State column in the server's words: qBittorrent 5 stops where 4.x pauses.
        tmux.wait_for(r"stopped" if leecher.at_least(5) else r"paused")
        assert leecher.password not in tmux.screen()
    finally:
        tmux.kill()

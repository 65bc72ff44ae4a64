"""A real swarm driven through qbtui's own client: one qbittorrent-nox seeds, the other downloads."""

from __future__ import annotations

import asyncio

import pytest

from qbtui.api import ConnectionSettings, TorrentFileUpload, connect
from qbtui.api.models import AddOptions, TorrentState


@pytest.mark.swarm
async def test_leecher_downloads_the_whole_torrent_through_our_client(nox_swarm) -> None:  # type: ignore[no-untyped-def]
    swarm = nox_swarm
    leecher = swarm.leecher
    api = await connect(
        ConnectionSettings(url=leecher.url, username=leecher.username, password=leecher.password)
    )
    try:
        assert not api.info.is_legacy
        await api.add(
            files=[TorrentFileUpload(swarm.torrent_path.name, swarm.torrent_path.read_bytes())],
            options=AddOptions(save_path=str(leecher.downloads)),
        )
        deadline = asyncio.get_running_loop().time() + 90
        pointed = False
        while True:
            found = await api.torrents(hashes=[swarm.info_hash])
            if found and not pointed:
                # Besides the embedded tracker, point the leecher straight at the seeder.
                await api.add_peers([swarm.info_hash], [swarm.seeder.peer_address])
                pointed = True
            if found and found[0].progress >= 1.0 and found[0].state.is_complete:
                break
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"download did not finish: {found}")
            await asyncio.sleep(0.5)
        (torrent,) = found
        assert torrent.progress == 1.0
        assert torrent.state in (TorrentState.UPLOADING, TorrentState.STALLED_UP, TorrentState.QUEUED_UP)
        assert set(await api.piece_states(swarm.info_hash)) == {2}
        assert swarm.differing_files() == []
    finally:
        await api.close()

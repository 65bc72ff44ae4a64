"""The real client against the hostile simulator over HTTP: every read of every torrent ends in records
or a `qbtui.api.errors` exception, the store stays consistent, and hostile strings arrive intact
(they are data: the UI makes them inert, the API must not mangle them)."""

from __future__ import annotations

import math

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from qbtui.api.models import TorrentState
from qbtui.model.store import Store
from qbtui.sim import Simulator, ThreadedServer
from qbtui.sim.hostile import CORRUPT_NAMES, MAINDATA_FAULT_EVERY, PHANTOM_KEY, STRINGS, hostile_hash


async def open_api(server: ThreadedServer) -> QbtApi:
    return await connect(ConnectionSettings(url=server.url, username="admin", password="adminadmin"))


async def test_every_read_of_every_torrent(hostile_server: ThreadedServer, hostile_sim: Simulator) -> None:
    api = await open_api(hostile_server)
    store = Store()
    faults = 0
    try:
        for _ in range(2 * MAINDATA_FAULT_EVERY):
            hostile_sim.advance(5)
            try:
                store.apply(await api.maindata(store.rid))
            except errors.QbtError:
                faults += 1
        assert faults == 2
        failures: dict[str, int] = {}
        for info_hash in list(store.torrents):
            for read in (
                api.properties,
                api.trackers,
                api.webseeds,
                api.files,
                api.piece_states,
                api.piece_hashes,
                lambda h: api.torrent_peers(h, 0),
            ):
                try:
                    await read(info_hash)
                except errors.QbtError:
                    failures[info_hash] = failures.get(info_hash, 0) + 1
        # The spoilt torrents fail their details reads (HTML, truncated, wrong shape: a list for the
        # properties object reads as "all unknown"), the phantom is unknown to every endpoint.
        assert failures == {
            hostile_hash("corrupt-html"): 7,
            hostile_hash("corrupt-truncated"): 7,
            hostile_hash("corrupt-shape"): 6,
            PHANTOM_KEY.lower(): 7,
        }
        assert len(await api.log()) > len(STRINGS) and len(await api.peer_log()) >= len(STRINGS)
        await api.torrents()
        await api.transfer_info()
    finally:
        await api.close()

    for key, text in STRINGS.items():
        assert store.torrents[hostile_hash(key)].name == text  # intact, surrogate and all
    corrupt = {name: store.torrents[hostile_hash(f"corrupt-{key}")] for key, name in CORRUPT_NAMES.items()}
    assert corrupt["corrupt: missing fields"].name == "" and corrupt["corrupt: missing fields"].size == 0
    assert corrupt["corrupt: wrong types"].state is TorrentState.UNKNOWN
    assert corrupt["corrupt: unknown state"].state_raw == "someFutureState"
    numbers = corrupt["corrupt: huge and negative numbers"]
    assert numbers.size == 0 and numbers.downloaded == 0 and numbers.added_on == 10**15
    assert numbers.ratio is not None and math.isfinite(numbers.ratio)
    assert corrupt["corrupt: NaN and infinity"].progress == 0.0
    assert store.server_state.dl_info_speed == 0 and store.server_state.connection_status

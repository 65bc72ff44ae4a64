"""Every operation of the API service against both generations, for real, over HTTP:
the legacy simulator (qBittorrent 4.0.4, API 17) and a real qbittorrent-nox (WebAPI v2).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from qbtui.api import ALL, ConnectionSettings, QbtApi, TorrentFileUpload, connect, errors
from qbtui.api.models import AddOptions, FilePriority, Torrent, TrackerStatus
from qbtui.util.torrentfile import TorrentBuilder, TorrentMeta, parse
from tests.support.noxfix import nox_for, nox_params


@dataclass
class Backend:
    api: QbtApi
    kind: str  # "legacy" or "v2"
    workdir: Path

    @property
    def legacy(self) -> bool:
        return self.kind == "legacy"


@pytest.fixture(params=["legacy", *nox_params("v2")])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "legacy":
        server = request.getfixturevalue("sim_server")
        settings = ConnectionSettings(url=server.url, username="admin", password="adminadmin")
    else:
        nox = nox_for(request, clean=False)
        settings = ConnectionSettings(url=nox.url, username=nox.username, password=nox.password)
    api = await connect(settings)
    if not api.info.is_legacy:
        await api.delete(ALL, delete_files=True)  # the nox instance is shared by the session
    try:
        yield Backend(api, request.param, tmp_path)
    finally:
        if not api.info.is_legacy:
            await api.delete(ALL, delete_files=True)
        await api.close()


def make_torrent(root: Path, name: str, sizes: dict[str, int]) -> tuple[bytes, TorrentMeta]:
    content = root / name
    for index, (relpath, size) in enumerate(sizes.items()):
        path = content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(hashlib.sha256(f"{name}{index}".encode()).digest() * (size // 32 + 1))
        path.write_bytes(path.read_bytes()[:size])
    data = TorrentBuilder(content, trackers=["http://127.0.0.1:9/announce"], comment="qbtui test").build()
    return data, parse(data)


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.2)


async def torrent(api: QbtApi, hash: str) -> Torrent:
    (found,) = await api.torrents(hashes=[hash])
    return found


async def add_paused(b: Backend, name: str = "qbtui-sample") -> TorrentMeta:
    data, meta = make_torrent(
        b.workdir / "src", name, {"a.txt": 6000, "sub/b.bin": 70000, "sub/c.bin": 12000}
    )
    save = b.workdir / "save"
    save.mkdir(exist_ok=True)
    await b.api.add(
        files=[TorrentFileUpload(f"{name}.torrent", data)],
        options=AddOptions(save_path=str(save), paused=True),
    )

    async def settled() -> bool:
        found = await b.api.torrents(hashes=[meta.info_hash])
        return bool(found) and found[0].state.is_paused

    await wait_for(settled)
    return meta


async def test_server_info(backend: Backend) -> None:
    api = backend.api
    if backend.legacy:
        assert api.info.api_version == (17,) and api.info.app_version == "v4.0.4"
    else:
        assert api.info.api_version >= (2, 8) and api.info.app_version.startswith("v")
    assert await api.app_version() == api.info.app_version
    assert await api.default_save_path()
    state = await api.transfer_info()
    assert state.connection_status in ("connected", "firewalled", "disconnected")


async def test_add_file_and_read_everything_back(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    added = await torrent(api, meta.info_hash)
    assert added.name == meta.name and added.state.is_paused
    assert added.size == meta.total_size
    props = await api.properties(meta.info_hash)
    assert props.piece_size == meta.piece_length and props.pieces_num == meta.piece_count
    assert props.comment == "qbtui test"
    files = await api.files(meta.info_hash)
    assert sorted(f.size for f in files) == sorted(f.size for f in meta.files)
    assert all(f.priority is FilePriority.NORMAL for f in files)
    assert await api.piece_hashes(meta.info_hash) == list(meta.piece_hashes)
    states = await api.piece_states(meta.info_hash)
    assert len(states) == meta.piece_count and set(states) <= {0, 1, 2}
    urls = [t.url for t in await api.trackers(meta.info_hash) if not t.is_pseudo]
    assert urls == ["http://127.0.0.1:9/announce"]
    assert await api.webseeds(meta.info_hash) == []
    with pytest.raises(errors.TorrentNotFound):
        await api.properties("0" * 40)


async def test_add_magnet_and_invalid_file(backend: Backend) -> None:
    api = backend.api
    info_hash = "0123456789abcdef0123456789abcdef01234567"
    await api.add([f"magnet:?xt=urn:btih:{info_hash}&dn=magnet%20test"], options=AddOptions(paused=True))

    async def present() -> bool:
        return bool(await api.torrents(hashes=[info_hash]))

    await wait_for(present)
    with pytest.raises(errors.Rejected):
        await api.add(files=[TorrentFileUpload("bogus.torrent", b"not a torrent")])


async def test_pause_resume_one_and_all(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.resume([meta.info_hash])

    async def running() -> bool:
        return not (await torrent(api, meta.info_hash)).state.is_paused

    await wait_for(running)
    await api.pause(ALL)

    async def all_paused() -> bool:
        return all(t.state.is_paused or t.state.is_errored for t in await api.torrents())

    await wait_for(all_paused)
    await api.resume(ALL)
    await wait_for(running)
    await api.pause([meta.info_hash])

    async def paused() -> bool:
        return (await torrent(api, meta.info_hash)).state.is_paused

    await wait_for(paused)


async def test_recheck_reannounce_and_queue(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.recheck([meta.info_hash])
    if backend.legacy:
        with pytest.raises(errors.NotSupported):
            await api.reannounce([meta.info_hash])
        await api.move_in_queue([meta.info_hash], "bottom")
        await api.move_in_queue([meta.info_hash], "top")
        assert (await torrent(api, meta.info_hash)).queue_position == 1
    else:
        await api.reannounce([meta.info_hash])
        # qbittorrent-nox's queueing is off by default: the server answers 409.
        with pytest.raises(errors.Conflict, match="queueing"):
            await api.move_in_queue([meta.info_hash], "top")


async def test_file_priorities(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.set_file_priority(meta.info_hash, [0, 2], FilePriority.SKIP)
    await api.set_file_priority(meta.info_hash, [1], FilePriority.MAXIMUM)
    priorities = {f.index: f.priority for f in await api.files(meta.info_hash)}
    assert priorities == {0: FilePriority.SKIP, 1: FilePriority.MAXIMUM, 2: FilePriority.SKIP}


async def test_speed_limits(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.set_global_download_limit(3 * 1024 * 1024)
    await api.set_global_upload_limit(512 * 1024)
    assert await api.global_download_limit() == 3 * 1024 * 1024
    assert await api.global_upload_limit() == 512 * 1024
    await api.set_global_download_limit(None)
    await api.set_global_upload_limit(None)
    assert await api.global_download_limit() is None
    await api.set_torrent_download_limit([meta.info_hash], 100 * 1024)
    await api.set_torrent_upload_limit([meta.info_hash], 50 * 1024)
    assert await api.torrent_download_limits([meta.info_hash]) == {meta.info_hash: 100 * 1024}
    assert await api.torrent_upload_limits([meta.info_hash]) == {meta.info_hash: 50 * 1024}
    await api.set_torrent_download_limit([meta.info_hash], None)
    assert await api.torrent_download_limits([meta.info_hash]) == {meta.info_hash: None}
    before = await api.alternative_speed_limits_enabled()
    await api.toggle_alternative_speed_limits()
    assert await api.alternative_speed_limits_enabled() is not before
    await api.toggle_alternative_speed_limits()
    if backend.legacy:
        with pytest.raises(errors.NotSupported):
            await api.set_share_limits([meta.info_hash], 2.0, 60)
    else:
        await api.set_share_limits([meta.info_hash], 2.0, 60)
        assert (await torrent(api, meta.info_hash)).ratio_limit == 2.0


async def test_toggles_and_flags(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    before = await torrent(api, meta.info_hash)
    await api.toggle_sequential([meta.info_hash])
    await api.toggle_first_last_piece([meta.info_hash])
    await api.set_force_start([meta.info_hash], True)
    await api.set_super_seeding([meta.info_hash], False)
    await api.set_auto_management([meta.info_hash], True)

    async def changed() -> bool:
        now = await torrent(api, meta.info_hash)
        return (
            now.seq_dl is not before.seq_dl
            and now.f_l_piece_prio is not before.f_l_piece_prio
            and now.force_start
            and now.auto_tmm
        )

    await wait_for(changed)


async def test_location_and_rename(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    target = backend.workdir / "moved here"
    target.mkdir()
    await api.set_location([meta.info_hash], str(target))
    await api.rename(meta.info_hash, "Renamed [x] torrent")

    async def done() -> bool:
        now = await torrent(api, meta.info_hash)
        return now.name == "Renamed [x] torrent" and now.save_path.rstrip("/") == str(target)

    await wait_for(done)
    with pytest.raises((errors.Rejected, errors.Conflict)):
        await api.rename(meta.info_hash, "")


async def test_categories(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.create_category("linux isos")
    await api.set_category([meta.info_hash], "linux isos")
    assert "linux isos" in await api.categories()
    assert (await torrent(api, meta.info_hash)).category == "linux isos"
    assert [t.hash for t in await api.torrents(category="linux isos")] == [meta.info_hash]
    if backend.legacy:
        with pytest.raises(errors.NotSupported):
            await api.edit_category("linux isos", "/srv")
    else:
        await api.edit_category("linux isos", str(backend.workdir))
        assert (await api.categories())["linux isos"].save_path.rstrip("/") == str(backend.workdir)
    await api.set_category([meta.info_hash], "")
    await api.remove_categories(["linux isos"])
    assert "linux isos" not in await api.categories()


async def test_tags(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    if backend.legacy:
        with pytest.raises(errors.NotSupported):
            await api.tags()
        return
    await api.create_tags(["keep", "seedbox"])
    await api.add_tags([meta.info_hash], ["keep"])
    assert set(await api.tags()) >= {"keep", "seedbox"}
    assert (await torrent(api, meta.info_hash)).tags == ("keep",)
    await api.remove_tags([meta.info_hash], ["keep"])
    await api.delete_tags(["keep", "seedbox"])
    assert not {"keep", "seedbox"} & set(await api.tags())


async def test_trackers_and_peers(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    await api.add_trackers(meta.info_hash, ["http://127.0.0.1:10/announce", "udp://127.0.0.1:11/announce"])
    urls = {t.url for t in await api.trackers(meta.info_hash)}
    assert {"http://127.0.0.1:10/announce", "udp://127.0.0.1:11/announce"} <= urls
    peers = await api.torrent_peers(meta.info_hash, 0)
    assert peers.get("full_update") is True and isinstance(peers.get("rid"), int)
    if backend.legacy:
        with pytest.raises(errors.NotSupported):
            await api.edit_tracker(
                meta.info_hash, "http://127.0.0.1:10/announce", "http://127.0.0.1:12/announce"
            )
        return
    await api.edit_tracker(meta.info_hash, "http://127.0.0.1:10/announce", "http://127.0.0.1:12/announce")
    await api.remove_trackers(meta.info_hash, ["udp://127.0.0.1:11/announce"])
    urls = {t.url for t in await api.trackers(meta.info_hash) if not t.is_pseudo}
    assert "http://127.0.0.1:12/announce" in urls and "udp://127.0.0.1:11/announce" not in urls
    await api.add_peers([meta.info_hash], ["127.0.0.1:6999"])
    await api.ban_peers(["127.0.0.2:6999"])
    assert all(t.status is not TrackerStatus.UNKNOWN for t in await api.trackers(meta.info_hash))


async def test_preferences_round_trip_and_secrets(backend: Backend) -> None:
    api = backend.api
    prefs = await api.preferences()
    assert "save_path" in prefs.values and "dl_limit" in prefs.values
    await api.set_preferences(
        {"max_connec_per_torrent": 77, "dl_limit": 2048 if backend.legacy else 2048 * 1024}
    )
    again = await api.preferences()
    assert again.get("max_connec_per_torrent") == 77
    redacted = again.redacted()
    if backend.legacy:
        assert redacted["web_ui_password"] == "********"  # legacy returns its MD5
    assert "web_ui_password" not in redacted or redacted["web_ui_password"] in ("********", "")
    await api.set_preferences(
        {"dl_limit": prefs.get("dl_limit"), "max_connec_per_torrent": prefs.get("max_connec_per_torrent")}
    )


async def test_logs(backend: Backend) -> None:
    api = backend.api
    entries = await api.log()
    assert entries and entries == sorted(entries, key=lambda e: e.id)
    assert await api.log(last_known_id=entries[-1].id) == []
    only_warnings = await api.log(normal=False, info=False, critical=False)
    assert all(e.level.name == "WARNING" for e in only_warnings)
    assert isinstance(await api.peer_log(), list)


async def test_maindata_full_then_delta(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    first = await api.maindata(0)
    assert first["full_update"] is True and meta.info_hash in first["torrents"]
    assert "server_state" in first
    await api.rename(meta.info_hash, "delta name")
    # 5.x builds deltas from session events, which may land a poll or two later: follow the rids.
    rid, deltas = first["rid"], []
    for _ in range(50):
        second = await api.maindata(rid)
        deltas.append(second)
        assert not second.get("full_update")
        assert second["rid"] != rid
        rid = second["rid"]
        if meta.info_hash in second.get("torrents", {}):
            break
        await asyncio.sleep(0.2)
    changed = second.get("torrents", {}).get(meta.info_hash)
    assert changed is not None and changed.get("name") == "delta name", deltas
    assert "hash" not in changed


async def test_first_page_is_sorted_limited_and_agrees_with_maindata(backend: Backend) -> None:
    """What the app shows while the first full update loads: the server's top N by a raw field,
    with the same fields maindata sends for those torrents."""
    api = backend.api
    metas = [await add_paused(backend, f"qbtui-page-{n}") for n in ("b", "c", "a")]
    page = await api.first_page(sort="size", reverse=True, limit=2)
    full = (await api.maindata(0))["torrents"]
    assert len(page) == 2
    assert [item["size"] for item in page] == sorted((t["size"] for t in full.values()), reverse=True)[:2]
    for item in page:
        fields = full[item["hash"]]
        assert {k: v for k, v in item.items() if k in ("name", "size", "state", "save_path")} == {
            k: v for k, v in fields.items() if k in ("name", "size", "state", "save_path")
        }
    assert {m.info_hash for m in metas} <= set(full)


async def test_a_refresh_between_polls_gets_what_maindata_would_say(backend: Backend) -> None:
    """What the poll loop refreshes between two slow maindata polls: the active torrents, torrents
    by hash (v2 only) and the global transfer info, each with fields maindata sends too."""
    api = backend.api
    meta = await add_paused(backend, "qbtui-refresh")
    full = await api.maindata(0)
    active = await api.active_rows()
    assert all(isinstance(row, dict) and row.get("hash") for row in active)
    assert meta.info_hash not in {row["hash"] for row in active}  # paused is not active
    by_hash = await api.rows_by_hash([meta.info_hash])
    if backend.legacy:
        assert by_hash == []  # no selection by hash before WebAPI v2
    else:
        assert [row["hash"] for row in by_hash] == [meta.info_hash]
        fields = full["torrents"][meta.info_hash]
        assert set(by_hash[0]) - {"hash"} <= set(fields)
        for key in ("name", "size", "state", "save_path", "dlspeed"):
            assert by_hash[0][key] == fields[key]
    transfer = await api.transfer_raw()
    assert {"dl_info_speed", "up_info_speed", "connection_status"} <= set(transfer)
    assert set(transfer) <= set(full["server_state"])


async def test_delete_with_and_without_data(backend: Backend) -> None:
    api = backend.api
    keep = await add_paused(backend, "keep-data")
    drop = await add_paused(backend, "drop-data")
    await api.delete([keep.info_hash], delete_files=False)
    await api.delete([drop.info_hash], delete_files=True)

    async def gone() -> bool:
        remaining = {t.hash for t in await api.torrents()}
        return not {keep.info_hash, drop.info_hash} & remaining

    await wait_for(gone)


async def test_resolve_hash_prefixes(backend: Backend) -> None:
    api = backend.api
    meta = await add_paused(backend)
    assert await api.resolve([meta.info_hash[:10].upper()]) == [meta.info_hash]
    with pytest.raises(errors.TorrentNotFound):
        await api.resolve(["zzzz"])


@pytest.mark.nox
async def test_v2_session_expiry_relogs_in(nox_factory) -> None:  # type: ignore[no-untyped-def]
    nox = nox_factory()
    api = await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))
    try:
        api.session.cookies.clear()  # what a server restart or session timeout looks like to us
        assert isinstance(await api.torrents(), list)
        nox.restart()
        assert isinstance(await api.torrents(), list)
    finally:
        await api.close()


@pytest.mark.nox
async def test_v2_shutdown(nox_factory) -> None:  # type: ignore[no-untyped-def]
    nox = nox_factory()
    api = await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))
    try:
        await api.shutdown()
        await wait_for(lambda: asyncio.to_thread(lambda: not nox.running), timeout=20)
    finally:
        await api.close()


def test_no_password_in_settings_repr() -> None:
    settings = ConnectionSettings(url="http://x", username="u", password=os.urandom(8).hex())
    assert settings.password not in repr(settings)


async def test_legacy_shutdown(sim) -> None:  # type: ignore[no-untyped-def]
    from qbtui.sim import serve

    async with serve(sim) as server:
        api = await connect(ConnectionSettings(url=server.url, username="admin", password="adminadmin"))
        try:
            await api.shutdown()
            await wait_for(lambda: asyncio.sleep(0, result=not server.running), timeout=10)
            with pytest.raises(errors.Unreachable):
                await api.app_version()
        finally:
            await api.close()

"""The torrent creator, server paths and the later per-torrent edits (qbtui.api.creator, .paths,
.torrent_edits) on the real servers: 4.5.2 (WebAPI 2.8.19) has none of the 5.x ones and says why,
5.1.0 (2.11.4) and 5.3.0 (2.16.2) do what their versions allow. A gate set at the wrong version
fails on one of the three."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from qbtui.api import QbtApi, errors
from qbtui.api.creator import FAILED, FINISHED, CreatorParams, CreatorTask
from qbtui.api.paths import DirectoryEntry
from qbtui.util import bencode
from qbtui.util.torrentfile import parse
from tests.api.test_webapi_versions import add_stopped, api_for
from tests.support.noxserver import NoxInstance

pytestmark = pytest.mark.nox


def make_source(root: Path) -> Path:
    source = root / "creator-src"
    (source / "sub").mkdir(parents=True)
    (source / "a.bin").write_bytes(bytes(range(256)) * 200)
    (source / "sub" / "b.txt").write_text("hello from qbtui\n" * 100)
    (source / ".hidden").write_text("a dotfile\n")
    return source


async def finished(api: QbtApi, task_id: str, timeout: float = 30.0) -> CreatorTask:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        task = await api.creator_task(task_id)
        if task.done:
            return task
        if loop.time() > deadline:
            raise AssertionError(f"creator task still {task.status} after {timeout:.0f} s")
        await asyncio.sleep(0.1)


async def test_creator_makes_the_torrent_asked_for(nox_clean: NoxInstance, tmp_path: Path) -> None:
    source = make_source(tmp_path)
    params = CreatorParams(
        source_path=str(source),
        piece_size=16384,
        private=True,
        format="hybrid",
        trackers=[["http://127.0.0.1:9/announce", "http://127.0.0.1:10/a|b"], ["udp://127.0.0.1:11"]],
        url_seeds=["http://127.0.0.1:12/seed path/"],
        comment="made by qbtui",
        source="QBTUI",
        start_seeding=False,
        include_dotfiles=True,
    )
    api = await api_for(nox_clean)
    try:
        if not nox_clean.at_least(5):
            with pytest.raises(errors.NotSupported, match=r"torrent creator needs qBittorrent 5\.0"):
                await api.create_torrent(params)
            with pytest.raises(errors.NotSupported, match=r"this server is qBittorrent v4\.5\.2"):
                await api.creator_tasks()
            return
        if not nox_clean.at_least(5, 2):
            # 5.1 splits the lists on | and takes the rest as it is: a URL with | cannot be sent.
            with pytest.raises(errors.NotSupported, match=r"\| in them needs qBittorrent 5\.2"):
                await api.create_torrent(params)
            params = replace(params, trackers=[[params.trackers[0][0]], ["udp://127.0.0.1:11"]])
            # 5.1 always leaves dotfiles out, and says so before anything is sent.
            with pytest.raises(errors.NotSupported, match="dotfiles"):
                await api.create_torrent(params)
            params = replace(params, include_dotfiles=False)
        task_id = await api.create_torrent(params)
        task = await finished(api, task_id)
        assert task.status == FINISHED, task.error
        assert task.source_path == str(source) and task.private
        data = await api.created_torrent(task_id)
        meta = parse(data)
        root = bencode.decode(data)
        assert isinstance(root, dict)
        tiers = [[url.decode() for url in tier] for tier in root[b"announce-list"]]
        assert tiers == [list(tier) for tier in params.trackers]
        assert meta.web_seeds == ("http://127.0.0.1:12/seed path/",)
        assert meta.comment == "made by qbtui" and root[b"info"].get(b"source") == b"QBTUI"
        assert meta.private and meta.piece_length == 16384
        assert b"meta version" in root[b"info"]  # hybrid: v1 and v2 in one file
        names = sorted(f.path for f in meta.files if "/.pad/" not in f.path)
        expected = ["creator-src/a.bin", "creator-src/sub/b.txt"]
        if nox_clean.at_least(5, 3):
            expected.insert(0, "creator-src/.hidden")
        assert names == expected
        # Not asked to seed: the server did not add it.
        assert not await api.torrents()
        await api.delete_creator_task(task_id)
        with pytest.raises(errors.NotFound, match="no torrent creator task"):
            await api.creator_task(task_id)
    finally:
        await api.close()


async def test_creator_failure_and_seeding(nox_clean: NoxInstance, tmp_path: Path) -> None:
    source = make_source(tmp_path)
    api = await api_for(nox_clean)
    try:
        if not nox_clean.at_least(5):
            for call in (api.creator_task, api.created_torrent, api.delete_creator_task):
                with pytest.raises(errors.NotSupported, match=r"torrent creator needs qBittorrent 5\.0"):
                    await call("any")
            return
        missing = await api.create_torrent(CreatorParams(str(tmp_path / "nothing-here"), start_seeding=False))
        failed = await finished(api, missing)
        assert failed.status == FAILED and failed.error
        with pytest.raises(errors.Conflict):
            await api.created_torrent(missing)
        await api.delete_creator_task(missing)

        seeded = await api.create_torrent(CreatorParams(str(source), format="v1", start_seeding=True))
        task = await finished(api, seeded)
        assert task.status == FINISHED, task.error
        meta = parse(await api.created_torrent(seeded))
        await api.delete_creator_task(seeded)
        torrent = nox_clean.wait_for_torrent(meta.info_hash, lambda t: True, what="the seeded torrent")
        # The server seeds it from the source's parent folder.
        assert Path(torrent["save_path"]) == tmp_path
    finally:
        await api.close()


async def test_server_folders_and_free_space(nox_clean: NoxInstance, tmp_path: Path) -> None:
    make_source(tmp_path)
    api = await api_for(nox_clean)
    try:
        if not nox_clean.at_least(5):
            with pytest.raises(
                errors.NotSupported, match=r"Browsing the server's folders needs qBittorrent 5\.0"
            ):
                await api.directory_content(str(tmp_path))
        else:
            folders = await api.directory_content(str(tmp_path / "creator-src"))
            assert folders == [DirectoryEntry(str(tmp_path / "creator-src" / "sub"), True)]
            everything = await api.directory_content(str(tmp_path / "creator-src"), files=True)
            # Folders first, then files; hidden entries are never listed.
            assert [(e.name, e.is_dir) for e in everything] == [("sub", True), ("a.bin", False)]
            with pytest.raises(errors.NotFound, match="no such folder"):
                await api.directory_content(str(tmp_path / "missing"))
            with pytest.raises(errors.Rejected, match="not an absolute folder path"):
                await api.directory_content("relative/path")
        if nox_clean.at_least(5, 3):
            free = await api.free_space_at(str(tmp_path / "not" / "yet"))
            assert free > 0
        else:
            with pytest.raises(errors.NotSupported, match=r"Free space at any path needs qBittorrent 5\.3"):
                await api.free_space_at(str(tmp_path))
    finally:
        await api.close()


async def test_export_web_seeds_download_path_comment(nox_clean: NoxInstance, tmp_path: Path) -> None:
    info_hash = add_stopped(nox_clean, tmp_path, "qbtui-edits")
    api = await api_for(nox_clean)
    try:
        exported = parse(await api.export_torrent(info_hash))
        assert exported.info_hash == info_hash and exported.name == "qbtui-edits"
        with pytest.raises(errors.TorrentNotFound):
            await api.export_torrent("0" * 40)

        await api.set_download_path([info_hash], str(tmp_path / "incomplete"))
        await until_field(api, info_hash, "download_path", str(tmp_path / "incomplete"))

        # Typed with a space and a |; the server lists seeds decoded for reading.
        seed, shown = "http://127.0.0.1:13/a b|c/", "http://127.0.0.1:13/a b%7Cc/"
        if nox_clean.at_least(5, 1):
            await api.add_web_seeds(info_hash, [seed, "http://127.0.0.1:14/"])
            await until_seeds(api, info_hash, {shown, "http://127.0.0.1:14/"})
            await api.edit_web_seed(info_hash, "http://127.0.0.1:14/", "https://127.0.0.1:15/x%2Fy")
            await api.remove_web_seeds(info_hash, [shown])
            await until_seeds(api, info_hash, {"https://127.0.0.1:15/x%2Fy"})
            with pytest.raises(errors.Rejected, match="scheme"):
                await api.add_web_seeds(info_hash, ["gopher://127.0.0.1/"])
        else:
            with pytest.raises(errors.NotSupported, match=r"web seeds needs qBittorrent 5\.1"):
                await api.add_web_seeds(info_hash, [seed])

        if nox_clean.at_least(5, 2):
            await api.set_comment([info_hash], "a new comment")
            assert (await api.properties(info_hash)).comment == "a new comment"
        else:
            with pytest.raises(errors.NotSupported, match=r"qBittorrent 5\.2"):
                await api.set_comment([info_hash], "a new comment")
    finally:
        await api.close()


async def until_field(api: QbtApi, hash: str, field: str, value: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        (torrent,) = await api.torrents(hashes=[hash])
        if getattr(torrent, field) == value:
            return
        if loop.time() > deadline:
            raise AssertionError(f"{field} is {getattr(torrent, field)!r}, not {value!r}")
        await asyncio.sleep(0.1)


async def until_seeds(api: QbtApi, hash: str, urls: set[str], timeout: float = 10.0) -> None:
    """Web seed changes reach the list a moment later (libtorrent applies them on its thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (found := {seed.url for seed in await api.webseeds(hash)}) != urls:
        if loop.time() > deadline:
            raise AssertionError(f"web seeds {found}, not {urls}")
        await asyncio.sleep(0.1)

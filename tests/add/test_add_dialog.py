"""The Add torrents dialog, driven with Pilot against the legacy simulator and a real qbittorrent-nox."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea

from qbtui.api import QbtApi
from qbtui.api.models import ApiGeneration, ServerInfo
from qbtui.model.store import Store
from qbtui.ui.screens.add_torrents import AddResult, AddTorrentsScreen, Features, magnet_hash, split_links
from qbtui.ui.widgets.path_input import PathInput, complete_path
from qbtui.util.torrentfile import read
from tests.add.harness import AddHarness, connected, make_torrent, until

MAGNET_HEX = "0123456789abcdef0123456789abcdef01234567"
MAGNET_B32 = base64.b32encode(bytes.fromhex("89abcdef0123456789abcdef0123456789abcdef")).decode()


# -- pure helpers ---------------------------------------------------------------------------------


def test_magnet_hash_hex_and_base32() -> None:
    assert magnet_hash(f"magnet:?xt=urn:btih:{MAGNET_HEX.upper()}&dn=x") == MAGNET_HEX
    assert magnet_hash(f"magnet:?dn=x&xt=urn:btih:{MAGNET_B32}") == "89abcdef0123456789abcdef0123456789abcdef"
    assert magnet_hash("magnet:?xt=urn:btih:nothash") is None
    assert magnet_hash("http://example.com/a.torrent") is None


def test_split_links() -> None:
    assert split_links("  a \n\n b\na\n") == ["a", "b"]


def test_features_by_version() -> None:
    legacy12 = Features.of(ServerInfo(ApiGeneration.LEGACY, (12,)))
    assert legacy12.category and not legacy12.paused and not legacy12.root_folder and not legacy12.tags
    legacy17 = Features.of(ServerInfo(ApiGeneration.LEGACY, (17,)))
    assert legacy17.paused and legacy17.skip_checking and legacy17.root_folder
    assert not legacy17.auto_tmm and not legacy17.content_layout and not legacy17.download_path
    v26 = Features.of(ServerInfo(ApiGeneration.V2, (2, 6, 0)))
    assert v26.root_folder and not v26.content_layout and v26.tags and not v26.stopped_wording
    v211 = Features.of(ServerInfo(ApiGeneration.V2, (2, 11, 2)))
    assert v211.content_layout and not v211.root_folder and v211.stopped_wording and v211.download_path


def test_complete_path(tmp_path: Path) -> None:
    (tmp_path / "movies").mkdir()
    (tmp_path / "music.torrent").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")
    text, names = complete_path(f"{tmp_path}/mo", suffix=".torrent")
    assert text == f"{tmp_path}/movies/" and names == ["movies/"]
    text, names = complete_path(f"{tmp_path}/m", suffix=".torrent")
    assert text == f"{tmp_path}/m" and names == ["movies/", "music.torrent"]
    text, names = complete_path(f"{tmp_path}/n", suffix=".torrent")
    assert names == []


# -- driving the dialog ---------------------------------------------------------------------------


def dialog(app: AddHarness) -> AddTorrentsScreen:
    assert app.dialog is not None
    return app.dialog


def error_text(app: AddHarness) -> str:
    return str(dialog(app).query_one("#error", Static).render())


async def type_path(pilot, path: str) -> None:  # type: ignore[no-untyped-def]
    field = dialog(pilot.app).query_one("#file-path", PathInput)
    field.focus()
    field.value = ""
    await pilot.press(*path)
    await pilot.press("enter")
    await pilot.pause()


async def test_torrent_file_is_read_locally_and_listed(sim_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    torrent = make_torrent(tmp_path, "album", files=8, size=1000)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        # Tab completes the partly typed file name, Enter adds it to the list.
        field = dialog(pilot.app).query_one("#file-path", PathInput)
        field.focus()
        await pilot.press(*f"{tmp_path}/alb", "tab")
        assert field.value == str(torrent)
        await pilot.press("enter")
        await pilot.pause()
        assert [c.meta.name for c in dialog(pilot.app).chosen] == ["album"]
        listed = dialog(pilot.app).query_one("#files", OptionList)
        prompt = str(listed.get_option_at_index(0).prompt)
        assert "album" in prompt and "7.8 KiB" in prompt and "part00.bin" in prompt
        assert "… and 3 more" in prompt
        # An invalid file gets a reason, not a server error; the list is unchanged.
        bogus = tmp_path / "bogus.torrent"
        bogus.write_bytes(b"<html>not a torrent</html>")
        await type_path(pilot, str(bogus))
        assert "bogus.torrent: not a .torrent file" in error_text(pilot.app)
        assert len(dialog(pilot.app).chosen) == 1
        # ctrl+d removes the highlighted file.
        listed.focus()
        listed.highlighted = 0
        await pilot.press("ctrl+d")
        assert dialog(pilot.app).chosen == []


async def test_legacy_add_file_and_magnet_with_options(sim_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    torrent = make_torrent(tmp_path, "legacy-sample")
    expected = read(torrent).info_hash
    magnet = f"magnet:?xt=urn:btih:{MAGNET_B32}&dn=from-magnet"
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = dialog(pilot.app)
        # Options the legacy server lacks are not offered.
        assert (
            not screen.query("#tags")
            and not screen.query("#auto-tmm")
            and not screen.query("#content-layout")
        )
        assert (
            screen.query("#root-folder") and str(screen.query_one("#paused", Checkbox).label) == "Add paused"
        )
        screen.query_one("#links", TextArea).text = magnet + "\n"
        await type_path(pilot, str(torrent))
        screen.query_one("#save-path", Input).value = "/downloads/added"
        screen.query_one("#new-category", Input).value = "linux"
        screen.query_one("#dl-limit", Input).value = "800K"
        screen.query_one("#up-limit", Input).value = "1.5M"
        screen.query_one("#paused", Checkbox).value = True
        screen.query_one("#sequential", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
        result = pilot.app.results[0]
        assert result == AddResult([expected, "89abcdef0123456789abcdef0123456789abcdef"])
        await check_added(api, expected, category="linux", save_path="/downloads/added")
        await check_added(api, result.info_hashes[1], category="linux", save_path="/downloads/added")


async def check_added(
    api: QbtApi, info_hash: str, *, category: str, save_path: str, tags: tuple[str, ...] = ()
) -> None:
    torrents = {t.hash: t for t in await api.torrents()}
    assert info_hash in torrents, f"{info_hash} was not added"
    added = torrents[info_hash]
    assert added.category == category
    assert added.save_path.rstrip("/\\") == save_path.rstrip("/\\")
    assert added.seq_dl
    assert "paused" in added.state_raw.lower() or "stopped" in added.state_raw.lower()
    props = await api.properties(info_hash)
    assert props.dl_limit == 800 * 1024
    assert props.up_limit == round(1.5 * 1024 * 1024)
    if tags:
        assert set(tags) <= set(added.tags)


async def test_negative_limit_is_refused_in_the_dialog(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = dialog(pilot.app)
        screen.query_one("#links", TextArea).text = f"magnet:?xt=urn:btih:{MAGNET_HEX}"
        screen.query_one("#dl-limit", Input).value = "-5K"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "download limit '-5K' is negative" in error_text(pilot.app)
        screen.query_one("#dl-limit", Input).value = "fast"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'fast' is not a rate" in error_text(pilot.app)
        assert pilot.app.results == []
        assert MAGNET_HEX not in {t.hash for t in await api.torrents()}


async def test_nothing_to_add_and_escape_cancels(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "nothing to add" in error_text(pilot.app)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.results == [None]


async def test_refused_add_shows_the_servers_reason(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = dialog(pilot.app)
        # A bare path means "a file on the server's disk"; the simulator has none, so it refuses.
        screen.query_one("#links", TextArea).text = "/nowhere/at/all.torrent"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "refused" in error_text(pilot.app), what="the refusal")
        assert "could not add any of the given URLs" in error_text(pilot.app)
        assert pilot.app.results == []
        assert not screen.query_one("#submit").disabled


async def test_category_choice_from_the_store(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    await api.create_category("iso")
    store = Store()
    store.categories = await api.categories()
    async with api, AddHarness(api, store=store).run_test(size=(110, 50)) as pilot:
        screen = dialog(pilot.app)
        select = screen.query_one("#category", Select)
        select.value = "iso"
        screen.query_one("#links", TextArea).text = f"magnet:?xt=urn:btih:{MAGNET_HEX}&dn=iso"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
        torrents = {t.hash: t for t in await api.torrents()}
        assert torrents[MAGNET_HEX].category == "iso"


# -- a real v2 server -----------------------------------------------------------------------------


async def test_v2_add_file_and_magnet_with_options(nox_clean, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    torrent = make_torrent(tmp_path, "v2-sample", files=3, size=20_000)
    expected = read(torrent).info_hash
    save_path = str(nox.downloads / "added")
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = dialog(pilot.app)
        assert screen.query("#tags") and screen.query("#auto-tmm")
        assert bool(screen.query("#content-layout")) == api.info.v2_at_least(2, 7)
        paused_label = "Add stopped" if api.info.v2_at_least(2, 11) else "Add paused"
        assert str(screen.query_one("#paused", Checkbox).label) == paused_label
        screen.query_one("#links", TextArea).text = f"magnet:?xt=urn:btih:{MAGNET_HEX}&dn=v2-magnet\n"
        await type_path(pilot, str(torrent))
        screen.query_one("#save-path", Input).value = save_path
        screen.query_one("#new-category", Input).value = "distros"
        screen.query_one("#tags", Input).value = "one, two"
        screen.query_one("#dl-limit", Input).value = "800K"
        screen.query_one("#up-limit", Input).value = "1.5MiB"
        screen.query_one("#ratio-limit", Input).value = "2.5"
        screen.query_one("#seeding-time-limit", Input).value = "90"
        screen.query_one("#paused", Checkbox).value = True
        screen.query_one("#sequential", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
        result = pilot.app.results[0]
        assert result == AddResult([expected, MAGNET_HEX])

        async def settled() -> bool:
            states = {t.hash: t.state_raw.lower() for t in await api.torrents()}
            return all(
                "paused" in states.get(h, "") or "stopped" in states.get(h, "")
                for h in (expected, MAGNET_HEX)
            )

        for _ in range(150):
            if await settled():
                break
            await pilot.pause(0.1)
        for info_hash in (expected, MAGNET_HEX):
            await check_added(api, info_hash, category="distros", save_path=save_path, tags=("one", "two"))
        added = {t.hash: t for t in await api.torrents()}[expected]
        assert added.ratio_limit == pytest.approx(2.5)
        assert added.extra.get("seeding_time_limit") == 90


async def test_file_browser_shows_directories_and_torrents_only(sim_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qbtui.ui.screens.add_torrents import TorrentFileTree

    torrent = make_torrent(tmp_path, "browsed")
    (tmp_path / "notes.txt").write_text("not offered")
    (tmp_path / ".hidden.torrent").write_bytes(torrent.read_bytes())
    api = await connected(sim_server.url)
    async with api, AddHarness(api, browse_from=tmp_path).run_test(size=(110, 50)) as pilot:
        tree = dialog(pilot.app).query_one("#browser", TorrentFileTree)
        assert not tree.display or not tree.has_class("-shown")
        await pilot.press("ctrl+o")
        assert tree.has_focus and tree.has_class("-shown")
        await until(pilot, lambda: len(tree.root.children) > 0, what="the tree to load")
        names = [str(node.label) for node in tree.root.children]
        assert names == ["content", "browsed.torrent"]
        tree.move_cursor(tree.root.children[1])
        await pilot.press("enter")
        await until(pilot, lambda: len(dialog(pilot.app).chosen) == 1, what="the file to be chosen")
        assert dialog(pilot.app).chosen[0].meta.name == "browsed"
        await pilot.press("ctrl+o")
        assert not tree.has_class("-shown") and dialog(pilot.app).query_one("#file-path").has_focus


async def test_pasted_links_and_ctrl_s_from_the_text_area(sim_server) -> None:  # type: ignore[no-untyped-def]
    from textual import events

    api = await connected(sim_server.url)
    second = "fedcba9876543210fedcba9876543210fedcba98"
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        links = dialog(pilot.app).query_one("#links", TextArea)
        assert links.has_focus
        links.post_message(
            events.Paste(f"magnet:?xt=urn:btih:{MAGNET_HEX}\n\nmagnet:?xt=urn:btih:{second}\n")
        )
        await pilot.pause()
        assert split_links(links.text) == [
            f"magnet:?xt=urn:btih:{MAGNET_HEX}",
            f"magnet:?xt=urn:btih:{second}",
        ]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
        assert pilot.app.results == [AddResult([MAGNET_HEX, second])]
        assert {MAGNET_HEX, second} <= {t.hash for t in await api.torrents()}


async def test_magnet_without_info_hash_is_refused_locally(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        dialog(pilot.app).query_one("#links", TextArea).text = "magnet:?dn=only-a-name"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a valid magnet link" in error_text(pilot.app)
        assert pilot.app.results == []


async def test_tab_on_an_empty_path_moves_focus(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        field = dialog(pilot.app).query_one("#file-path", PathInput)
        field.focus()
        await pilot.press("tab")
        assert not field.has_focus


async def test_old_legacy_server_offers_fewer_options(tmp_path: Path) -> None:
    """API 12 (qBittorrent 3.3.x) has categories but no paused / skip-checking / root-folder fields."""
    from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), api_version=12))
    torrent = make_torrent(tmp_path, "old-server")
    with serve_in_thread(sim) as server:
        api = await connected(server.url)
        async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
            screen = dialog(pilot.app)
            for absent in ("#paused", "#skip-checking", "#root-folder", "#tags", "#auto-tmm"):
                assert not screen.query(absent), absent
            await type_path(pilot, str(torrent))
            screen.query_one("#new-category", Input).value = "old"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
            info_hash = read(torrent).info_hash
            added = {t.hash: t for t in await api.torrents()}[info_hash]
            assert added.category == "old"

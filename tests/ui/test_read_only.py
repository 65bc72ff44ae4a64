"""--read-only: nothing that changes the server is offered, and the API refuses it anyway."""

from __future__ import annotations

import pytest

from qbtui.api.readonly import ReadOnlyRefused
from tests.ui.helpers import make_app, until


async def test_read_only_offers_and_sends_no_change(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path, read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0 and app.main_screen.table.cursor_hash is not None)
        screen = app.main_screen
        target = screen.table.cursor_hash
        state = app.store.torrents[target].state
        for action in ("toggle_pause", "delete(False)", "add", "preferences", "speed_limits", "category"):
            assert screen.check_action(action.split("(")[0], ()) is False, action
        for action in ("filter", "sort", "toggle_details", "toggle_log", "toggle_sidebar"):
            assert screen.check_action(action, ()) is True, action
        await pilot.press("p", "d", "a", "comma")
        await pilot.pause(0.5)
        assert app.screen is screen  # no dialog opened
        assert app.store.torrents[target].state == state
        # The API service itself refuses, whatever the UI forgets.
        assert app.api is not None
        with pytest.raises(ReadOnlyRefused, match="read-only"):
            await app.api.pause([target])
        assert await app.api.torrents()  # reading still works
        # Moving around and looking still work.
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert screen.details_open
        from qbtui.ui.widgets.details.content import ContentTab
        from qbtui.ui.widgets.details.trackers import TrackersTab

        content = screen.query_one(ContentTab)
        assert content.check_action("priority", ()) is False
        assert screen.query_one(TrackersTab).check_action("add", ()) is False


async def test_palette_lists_no_changing_command_in_read_only(sim_server, tmp_path) -> None:
    from qbtui.ui.commands import TorrentCommands

    app = make_app(sim_server.url, state_dir=tmp_path, read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        provider = TorrentCommands(app.screen)
        titles = [title for title, _, _ in provider._commands()]
        assert "View: Filter the list" in titles
        assert not any(t.startswith(("Torrent:", "All torrents:")) for t in titles)
        # Exporting and copying links change nothing: offered read-only too.
        assert "Share: Export the .torrent file" in titles and "Share: Copy the magnet link" in titles
        assert "Server: Preferences" not in titles

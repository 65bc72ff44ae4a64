"""`t` sets share limits on the marked torrents (or the highlighted one), with what the server's
version has; `u` gives each torrent its own old limits back. The legacy API has no share limits:
the key says so and sends nothing."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from qbtui.api import ConnectionSettings, connect
from qbtui.api.models import ShareLimitAction
from qbtui.model.share_limits import GLOBAL, ShareLimits, share_limits_of
from qbtui.ui.screens.share_limits import ShareLimitsDialog
from tests.support.both_servers import Server
from tests.ui.helpers import until

SIZE = (140, 40)


async def limits_on_server(server: Server, hashes: list[str]) -> dict[str, ShareLimits]:
    api = await connect(
        ConnectionSettings(url=server.url, username=server.username, password=server.password)
    )
    try:
        data = await api.session.get("api/v2/torrents/info", {"hashes": "|".join(hashes)})
        return {item["hash"]: share_limits_of(item) for item in data.json()}
    finally:
        await api.close()


async def test_share_limits_set_on_marked_torrents_and_undone(server: Server, tmp_path: Path) -> None:
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.view) >= 4, what="torrents")
        main = app.main_screen
        if server.legacy:
            await pilot.press("t")
            await until(pilot, lambda: bool(app._notifications), what="the reason")
            message = [n.message for n in app._notifications][-1]
            assert "Per-torrent share limits needs qBittorrent 4.1 or later" in message
            assert "qBittorrent v4.0.4" in message and not isinstance(app.screen, ShareLimitsDialog)
            return
        info = app.api.info  # type: ignore[union-attr]
        main.table.move_to_row(0)
        await pilot.press("space", "space")  # mark the first two
        targets = main.table.targets()
        assert len(targets) == 2
        before = await limits_on_server(server, targets)
        assert all(limits.ratio == GLOBAL for limits in before.values())
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ShareLimitsDialog), what="the dialog")
        dialog = app.screen
        assert dialog.query_one("#ratio", Input).value == "global"
        # Keys typed as a user would: ctrl+u empties a field.
        await pilot.press("ctrl+u", *"2.5", "tab", "ctrl+u", *"1h30m")
        five_two = info.v2_at_least(2, 12)
        if five_two:
            dialog.query_one("#action", Select).value = ShareLimitAction.STOP
        assert bool(dialog.query("#inactive")) is info.v2_at_least(2, 9, 2)
        await pilot.press("enter")
        await until(pilot, lambda: len(main.undo) == 1, what="the command answered")
        after = await limits_on_server(server, targets)
        for hash in targets:
            limits = after[hash]
            assert (limits.ratio, limits.seeding_minutes) == (2.5, 90), limits
            if five_two:
                assert limits.action is ShareLimitAction.STOP
        await pilot.press("u")
        await until(pilot, lambda: len(main.undo) == 0, what="undone")
        for _ in range(100):  # the undo's request may still be on its way
            if await limits_on_server(server, targets) == before:
                return
            await pilot.pause(0.1)
        assert await limits_on_server(server, targets) == before

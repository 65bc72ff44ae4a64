"""qBittorrent 5 says Stop/Start/Stopped where 4.x says Pause/Resume/Paused, and so does qbtui, on the
screen the user sees: the toast after `p`, the sidebar's status filter and the State column. The keys
do not change. Against the legacy simulator and the three real servers."""

from __future__ import annotations

import os
from pathlib import Path

from qbtui.ui.widgets.sidebar import Sidebar
from qbtui.ui.widgets.torrent_table import TorrentTable
from tests.support.both_servers import Server, server  # noqa: F401
from tests.ui.helpers import until


async def test_pause_key_speaks_the_servers_words(server: Server, tmp_path: Path) -> None:  # noqa: F811
    app = server.app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.main_screen.query_one(TorrentTable)
        await until(pilot, lambda: len(app.view) > 0 and table.cursor_hash is not None, what="data")
        api = app.api
        assert api is not None
        five = api.info.uses_stop_start
        assert five is (not server.legacy and api.info.app_version >= "v5")
        stopped, started = ("Stopped", "Started") if five else ("Paused", "Resumed")
        hash = table.cursor_hash
        assert hash is not None
        was_paused = app.store.torrents[hash].state.is_paused
        await pilot.press("p")
        word = started if was_paused else stopped
        await until(
            pilot, lambda: any(n.message.startswith(word) for n in app._notifications), what=f"{word} toast"
        )
        other = ("Paused", "Resumed") if five else ("Stopped", "Started")
        assert not any(n.message.startswith(other) for n in app._notifications)
        # The sidebar names the filter in the same words; the State column follows the server's state.
        sidebar = app.main_screen.query_one(Sidebar)

        def labels() -> list[str]:
            prompts = [str(option.prompt) for option in sidebar._options]
            return [prompt.split()[0] for prompt in prompts if prompt.strip()]

        await until(pilot, lambda: stopped in labels(), what=f"{stopped} in the sidebar")
        assert ("Paused" if five else "Stopped") not in labels()
        paused_rows = [t for t in app.store.torrents.values() if t.state.is_paused]
        assert paused_rows, "nothing stopped to look at"
        assert all(t.state_label.startswith("stopped" if five else "paused") for t in paused_rows)
        # The footer, the help and the palette name the key in the same words.
        from qbtui.ui.widgets.key_footer import shown_keys

        footer = {entry[2] for entry in shown_keys(app.main_screen)}
        assert ("Stop/Start" if five else "Pause/Resume") in footer
        assert ("Pause/Resume" if five else "Stop/Start") not in footer
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen is not app.main_screen, what="help")
        from rich.console import Console

        console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        for static in app.screen.query("Static"):
            console.print(static.content)
        help_text = console.export_text()
        assert ("Stop all" if five else "Pause all") in help_text
        assert ("Pause all" if five else "Stop all") not in help_text

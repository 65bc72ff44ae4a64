"""qBittorrent 5 says Stop/Start/Stopped where 4.x says Pause/Resume/Paused, and so does qbtui, on the
screen the user sees: the toast after `p`, the sidebar's status filter and the State column. The keys
do not change. Against the legacy simulator and the three real servers."""

from __future__ import annotations

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

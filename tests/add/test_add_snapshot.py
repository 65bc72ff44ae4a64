"""What the Add torrents dialog looks like against the legacy simulator, with a file chosen.

snap_compare only works in plain `def` tests; the app connects to the simulator when mounted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from qbtui.ui.widgets.server_path import FreeSpace
from tests.add.harness import AddHarness, make_torrent, until


def test_add_dialog_legacy_110x50(
    snap_compare, sim_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    make_torrent(tmp_path, "debian-12.5.0-amd64-netinst.iso", files=7, size=3000)
    monkeypatch.chdir(tmp_path)
    app = AddHarness(
        url=sim_server.url,
        links="magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=example\n",
        files=["debian-12.5.0-amd64-netinst.iso.torrent"],
    )
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        # The placeholders name the server's default paths once its preferences are in.
        await until(pilot, lambda: app.dialog is not None and app.dialog.defaults_loaded, what="the dialog")
        # The line under the save path comes 0.4 s after the path settles (FREE_SPACE_DELAY).
        await until(pilot, lambda: all(line.said for line in app.screen.query(FreeSpace)), what="free space")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(110, 50))

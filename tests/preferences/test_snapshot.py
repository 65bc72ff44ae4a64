"""One snapshot of the preferences screen against the legacy simulator (qBittorrent 4.0.4).

A plain `def` test: snap_compare runs the app on its own loop; the simulator runs in a thread.
"""

from __future__ import annotations

from textual.pilot import Pilot

from qbtui.ui.screens.preferences import PreferencesScreen
from tests.preferences.harness import PrefsHarness, loaded, show_tab, type_into


def test_preferences_screen(snap_compare, sim_server) -> None:  # type: ignore[no-untyped-def]
    app = PrefsHarness(sim_server.url)
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        screen = await loaded(pilot)
        assert isinstance(screen, PreferencesScreen)
        await type_into(pilot, screen, "web_ui_port", "70000")
        await show_tab(pilot, screen, "web_ui_port")
        screen.set_focus(None)  # no blinking cursor in the shot
        await pilot.pause()

    assert snap_compare(app, terminal_size=(130, 40), run_before=run_before)

"""Long cells in the details tables end with an ellipsis and Enter shows the row whole; the General
tab shows the name whole and what the toggles (o, F, Z, M, f) set."""

from __future__ import annotations

from textual.widgets import Static

from qbtui.sim import Simulator, ThreadedServer
from qbtui.ui.widgets.details import GeneralTab, TrackersTab
from qbtui.ui.widgets.details.general import GeneralView
from qbtui.ui.widgets.details.tables import RowDialog, share
from tests.details.harness import details_app, until
from tests.details.test_panel_sim import hash_of, lines_of, settings_for, settled


def test_flexible_columns_share_the_room_left_to_right() -> None:
    assert share([40, 30], 100) == [40, 60]  # all they need; the last takes the rest
    assert share([40, 30], 50) == [40, 10]  # the first (a row's identity) first, 10 kept for the next
    assert share([60, 30], 50) == [40, 10]
    assert share([5], 3) == [3]


async def test_a_cut_tracker_url_ends_with_an_ellipsis_and_enter_shows_it_whole(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    hash = hash_of(sim, "FreeBSD-11.2")  # three public trackers with long host names
    app = details_app(settings_for(sim_server), hash, tab="trackers")
    async with app.run_test(size=(60, 24)) as pilot:
        await app.ready.wait()
        tab = app.query_one(TrackersTab)
        await settled(pilot, tab)
        table = tab.table
        urls = [t.url for t in sim.torrents[hash].trackers]
        longest = max(urls, key=len)
        await until(pilot, lambda: table.is_cut(longest), what="a cut URL")
        rows = lines_of(table)
        assert any("…" in row for row in rows[1:]), rows
        assert not any(longest in row for row in rows)
        table.focus()
        table.move_cursor(row=urls.index(longest))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RowDialog), what="the whole row")
        # Folded over two lines in a 60-column terminal, but every character there.
        shown = "".join("".join(lines_of(app.screen.query_one("#row-fields", Static))).split())
        assert f"URL:{longest}Status:" in shown
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, RowDialog), what="the dialog closed")


async def test_general_shows_the_name_whole_and_the_toggled_options(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    hash = hash_of(sim, "[eztv] Show.S01E02")  # sequential and first/last pieces on in the demo
    app = details_app(settings_for(sim_server), hash, tab="general")
    async with app.run_test(size=(40, 60)) as pilot:
        await app.ready.wait()
        tab = app.query_one(GeneralTab)
        await settled(pilot, tab)
        view = tab.query_one(GeneralView)
        text = "\n".join(lines_of(view))
        name = sim.torrents[hash].name
        # Wrapped in a 40-column panel, but all of it there.
        assert name.replace(" ", "") in text.replace(" ", "").replace("\n", "")
        flat = " ".join(text.split())
        assert "Sequential download: on" in flat and "First/last pieces: on" in flat
        assert "Super seeding: off" in flat and "Force start: off" in flat
        assert "Automatic management: off" in flat

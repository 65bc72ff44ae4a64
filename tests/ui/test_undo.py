"""u undoes the last reversible bulk action against the simulator: pause, then category."""

from __future__ import annotations

from qbtui.ui.screens.dialogs import PickOne
from tests.ui.helpers import make_app, until


def undoable(app) -> int:  # type: ignore[no-untyped-def]
    """How many commands `u` can undo. A command goes on the stack once its own answer is handled;
    the store can show its effect from a poll before that, so `u` pressed then has nothing to undo."""
    return len(app.undo)


async def test_pause_and_category_are_undone(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        table = app.main_screen.table
        running = next(h for h in app.view.order if not app.store.torrents[h].state.is_paused)
        table.move_to_row(app.view.index_of(running))
        await pilot.pause()
        torrents = app.store.torrents
        await pilot.press("p")
        await until(pilot, lambda: torrents[running].state.is_paused, what="paused")
        await until(pilot, lambda: undoable(app) == 1, what="the pause on the undo stack")
        await pilot.press("u")
        await until(pilot, lambda: not app.store.torrents[running].state.is_paused, what="resumed by undo")
        before = app.store.torrents[running].category
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, PickOne), what="category picker")
        app.screen.dismiss("books" if before != "books" else "music")
        await until(pilot, lambda: app.store.torrents[running].category != before, what="category set")
        await until(pilot, lambda: undoable(app) == 1, what="the category on the undo stack")
        await pilot.press("H")
        await pilot.pause()
        assert any(n.title == "Undo history" and "category" in n.message for n in app._notifications)
        await pilot.press("u")
        await until(pilot, lambda: app.store.torrents[running].category == before, what="category restored")
        await pilot.press("u")
        await until(
            pilot, lambda: any(n.message == "Nothing to undo" for n in app._notifications), what="empty"
        )

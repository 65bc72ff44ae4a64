"""The name-filter box (FilterInput): each keystroke filters the table before the next frame, the
box scrolls to keep a long text's end and the cursor in sight, and a view switch fills it quietly."""

from __future__ import annotations

from textual.widgets import Input

from qbtui.ui.widgets.filter_input import FilterInput
from tests.hostile.screen import screen_text
from tests.ui.helpers import make_app, until


async def test_a_keystroke_filters_at_once_and_a_long_text_scrolls(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="first data")
        total = len(app.view)
        name = app.store.torrents[app.view.order[0]].name
        await pilot.press("slash")
        box = app.main_screen.query_one("#name-filter", Input)
        assert isinstance(box, FilterInput) and box.has_focus
        # The view follows the key itself, not a message that reaches the screen later.
        await pilot.press(*name[:4])
        assert app.view.name_filter == name[:4] and 0 < len(app.view) <= total
        await pilot.press(*["backspace"] * 4)
        assert app.view.name_filter == "" and len(app.view) == total

        box.insert_text_at_cursor("q" * 150)  # as a paste does
        await pilot.press(*"ENDMARK")
        text = "q" * 150 + "ENDMARK"
        await pilot.pause()
        assert app.view.name_filter == text and len(app.view) == 0
        # Wider than the box: it has scrolled to the end, where the cursor is.
        assert box.scroll_offset.x > 0
        assert "ENDMARK" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert box.scroll_offset.x == 0 and "ENDMARK" not in screen_text(app)
        await pilot.press("escape")
        assert app.view.name_filter == "" and len(app.view) == total


async def test_opening_the_box_gathers_the_names_before_the_first_letter(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="first data")
        await pilot.press("greater_than_sign")  # another sort: the names kept in step are gone
        await until(pilot, lambda: app.view._names_all is None, what="the names dropped by the sort")
        await pilot.press("slash")
        await until(pilot, lambda: app.view._names_all is not None, what="the names gathered")
        assert app.view._names_all == [app.view._folded[h] for h in app.view._all]

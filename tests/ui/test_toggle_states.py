"""What o, F, Z, M and f switch shows in optional table columns and in the General tab (issue 14)."""

from __future__ import annotations

from qbtui.model.columns import COLUMNS, DEFAULT_COLUMNS
from qbtui.ui.widgets.details import DetailsPanel, GeneralTab
from qbtui.ui.widgets.details.general import GeneralView
from tests.ui.helpers import make_app, until

TOGGLE_COLUMNS = ("sequential", "first_last", "super_seeding", "auto_tmm", "force_start")


def test_toggle_columns_exist_off_by_default() -> None:
    assert set(TOGGLE_COLUMNS) <= COLUMNS.keys()
    assert not set(TOGGLE_COLUMNS) & set(DEFAULT_COLUMNS)


async def test_o_shows_in_the_sequential_column_and_the_general_tab(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    app.ui_state.columns = ["name", "sequential", "first_last", "force_start"]
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.main_screen.table
        await until(pilot, lambda: len(app.view) > 0 and table.cursor_hash is not None, what="data")
        hash = next(h for h, t in app.store.torrents.items() if not t.seq_dl and t.name.startswith("debian"))
        table.move_to_hash(hash)
        await pilot.press("enter")
        panel = app.main_screen.query_one(DetailsPanel)
        general = panel.query_one(GeneralTab)
        await until(pilot, lambda: general.loaded and general.hash == hash, what="the General tab")

        def general_text() -> str:
            view = general.query_one(GeneralView)
            return " ".join(" ".join(view.render_line(y).text for y in range(view.size.height)).split())

        assert "Sequential download: off" in general_text()
        assert [c.column.key for c in table.placed][:2] == ["name", "sequential"]
        await pilot.press("o")
        await until(pilot, lambda: app.store.torrents[hash].seq_dl, timeout=15, what="sequential on")
        row = table.render_line(app.view.index_of(hash) + 1 - int(table.scroll_y)).text
        assert "✓" in row
        await until(
            pilot,
            lambda: "Sequential download: on" in general_text(),
            timeout=15,
            what="the General tab showing it",
        )

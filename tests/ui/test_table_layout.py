"""The torrent table's layout in the running app: role, widths from content, pins, the cut name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from qbtui.model.columns import DOWNLOADING, SEEDING
from qbtui.ui.app import QbtuiApp
from qbtui.ui.text import safe
from qbtui.ui.widgets.torrent_table import TorrentTable
from tests.ui.helpers import make_app, until


def _sim_url(mix: str) -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0), demo_mix=mix))
    with run_in_thread(sim) as url:
        yield url


@pytest.fixture
def seeding_url() -> Iterator[str]:
    yield from _sim_url("seeding")


@pytest.fixture
def downloading_url() -> Iterator[str]:
    yield from _sim_url("downloading")


def shown(table: TorrentTable) -> list[str]:
    return [cell.column.key for cell in table.placed]


async def loaded(app: QbtuiApp, pilot) -> TorrentTable:  # type: ignore[no-untyped-def]
    table = app.main_screen.table
    await until(pilot, lambda: len(app.view) > 0 and table.cursor_hash is not None, what="first data")
    await until(pilot, lambda: bool(table.placed), what="a laid-out table")
    return table


async def test_a_seeding_server_at_80x24_shows_up_and_ratio(seeding_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeding_url, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(app, pilot)
        await until(pilot, lambda: table.role == SEEDING, what="the seeding role")
        await pilot.pause()
        assert {"name", "up", "ratio", "down"} <= set(shown(table))
        assert "peers" not in shown(table)


@pytest.mark.parametrize("mix", ["seeding", "downloading"])
async def test_100x30_with_the_sidebar_shows_down_up_eta_and_ratio(mix, tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    url = request.getfixturevalue(f"{mix}_url")
    app = make_app(url, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await loaded(app, pilot)
        assert app.main_screen.sidebar_shown
        await until(
            pilot, lambda: table.role == (SEEDING if mix == "seeding" else DOWNLOADING), what="the role"
        )
        await pilot.pause()
        assert {"down", "up", "eta", "ratio"} <= set(shown(table))


async def test_columns_are_as_wide_as_the_cells_on_screen(seeding_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeding_url, state_dir=tmp_path)
    async with app.run_test(size=(200, 40)) as pilot:
        table = await loaded(app, pilot)
        await pilot.pause()
        widths = {cell.column.key: cell.width for cell in table.placed}
        rows = [app.store.torrents[h] for h in app.view.order[: table.size.height - 1]]
        from qbtui.model.columns import COLUMNS

        for key in ("state", "up", "ratio", "seeds"):
            column = COLUMNS[key]
            widest = max([cell_len(column.text(t)) for t in rows] + [len(column.title)])
            assert widths[key] == widest, key


async def test_the_highlighted_cut_name_is_in_the_status_line(downloading_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(downloading_url, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await loaded(app, pilot)
        name_width = next(cell.width for cell in table.placed if cell.column.key == "name")
        long = next(h for h in app.view.order if cell_len(app.store.torrents[h].name) > name_width)
        short = next(h for h in app.view.order if cell_len(app.store.torrents[h].name) < name_width)
        table.move_to_hash(long)
        full = safe(app.store.torrents[long].name)
        status = app.main_screen.status
        await until(pilot, lambda: full in status.compose_text().plain, what="the full name in the status")
        table.move_to_hash(short)
        await until(pilot, lambda: full not in status.compose_text().plain, what="the name gone again")
        assert status.cursor_name == ""


async def test_a_pinned_column_stays_on_a_narrow_terminal_and_is_remembered(seeding_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qbtui.ui.screens.columns import ColumnsDialog

    app = make_app(seeding_url, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(app, pilot)
        await pilot.pause()
        assert "peers" not in shown(table)
        await pilot.press("O")
        await until(pilot, lambda: isinstance(app.screen, ColumnsDialog), what="the column chooser")
        order = list(table.columns)
        await pilot.press(*["down"] * order.index("peers"), "p", "enter")
        await until(pilot, lambda: "peers" in shown(table), what="the pinned column on screen")
        assert table.pinned == {"peers"}
    again = make_app(seeding_url, state_dir=tmp_path)
    assert again.ui_state.pinned == ["peers"]

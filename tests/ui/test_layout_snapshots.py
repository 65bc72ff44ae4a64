"""The torrent table at the terminal sizes people use, on a seeding box and on a downloading one.

Each shot is the main screen of a deterministic simulator (seeded, clock frozen) whose hand-made
torrents are nearly all complete (`demo_mix="seeding"`) or nearly all unfinished ("downloading").
Below 100 columns the sidebar hides itself; from 100 on it takes 30 columns of the width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.helpers import until
from tests.ui.test_snapshots import frozen_now, loaded, snapshot_app  # noqa: F401 (frozen_now: a fixture)

#: Dates render relative to "today": every shot pins it.
pytestmark = pytest.mark.usefixtures("frozen_now")

SIZES = [(80, 24), (100, 30), (120, 40), (160, 45)]


@pytest.fixture(params=["seeding", "downloading"])
def mix_url(request: pytest.FixtureRequest) -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0), demo_mix=request.param))
    with run_in_thread(sim) as url:
        yield url


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_table_at_size(snap_compare, mix_url, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(mix_url, tmp_path), run_before=loaded, terminal_size=size)


@pytest.fixture
def demo_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    with run_in_thread(sim) as url:
        yield url


def test_help_columns_line_up_80x24(snap_compare, demo_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from qbtui.ui.screens.help import HelpScreen

        await loaded(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")
        await pilot.pause()

    assert snap_compare(snapshot_app(demo_url, tmp_path), run_before=run_before, terminal_size=(80, 24))


def test_column_chooser_hint_whole_80x24(snap_compare, demo_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from qbtui.ui.screens.columns import ColumnsDialog

        await loaded(pilot)
        await pilot.press("O")
        await until(pilot, lambda: isinstance(pilot.app.screen, ColumnsDialog), what="the chooser")
        await pilot.press("down", "down", "down", "down", "down", "down", "down", "p")  # pin Up
        await pilot.pause()

    assert snap_compare(snapshot_app(demo_url, tmp_path), run_before=run_before, terminal_size=(80, 24))

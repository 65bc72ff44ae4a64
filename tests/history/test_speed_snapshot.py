"""What the large speed history view looks like: deterministic samples (a ramp, a dip, a gap where
the connection was lost), drawn with qbtui-dark."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from qbtui.model.history import SpeedHistory
from qbtui.ui.app import QbtuiApp
from qbtui.ui.screens.speed_history import SpeedHistoryScreen
from tests.ui.helpers import make_app, until

START = 1795926600.0


@pytest.fixture
def sim_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(START)))
    with run_in_thread(sim) as url:
        yield url


def fill(history: SpeedHistory) -> None:
    history.clear()
    for n in range(300):
        when = START + 1.5 * n
        if 180 <= n < 200:
            history.record_gap(at=when)
            continue
        download = int(4_000_000 * (0.55 + 0.45 * math.sin(n / 23)) * min(1.0, n / 60))
        upload = int(600_000 + 400_000 * math.cos(n / 11))
        history.record(download, upload, at=when)


def test_speed_history_view(snap_compare, sim_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_url, interval=3600, state_dir=tmp_path)
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, QbtuiApp)
        await until(pilot, lambda: len(pilot.app.view) > 0, what="data")
        fill(pilot.app.history)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeedHistoryScreen), what="the view")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 36))

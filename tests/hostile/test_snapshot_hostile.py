"""The main screen full of hostile data, as a picture: markup as literal text, escape sequences and
invisible characters replaced by U+FFFD, columns aligned, wrong values shown as unknown.

A plain `def` test (snap_compare runs its own event loop); the simulator's clock is frozen and the app
polls once (interval one hour), so the picture is exact.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from qbtui.ui.app import QbtuiApp
from tests.ui.helpers import make_app, until


@pytest.fixture
def hostile_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0), hostile=True))
    with run_in_thread(sim) as url:
        yield url


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    import qbtui.util.format

    monkeypatch.setattr(qbtui.util.format.time, "time", lambda: 1795926600.0)


def test_main_screen_with_hostile_data(snap_compare, hostile_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    app = make_app(hostile_url, interval=3600, state_dir=tmp_path)
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, QbtuiApp)
        main = pilot.app.main_screen
        await until(
            pilot, lambda: len(pilot.app.view) >= 59 and main.table.cursor_hash is not None, what="data"
        )
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(160, 45))

"""What a saved view looks like once chosen: its key and name in the status line, its filter in the
filter box, its sort and columns in the table (deterministic simulator, clock frozen).

snap_compare only works in plain `def` tests (see tests/ui/test_snapshots.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from qbtui.settings.saved_views import SavedView
from qbtui.ui.app import QbtuiApp
from tests.ui.helpers import make_app, until

NOW = 1795926600.0
VIEW = SavedView(
    "linux-seeding",
    key=1,
    filter="category:linux ratio>0.5",
    sort="ratio",
    reverse=True,
    columns=("name", "size", "state", "up", "ratio", "category"),
)


@pytest.fixture
def sim_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(NOW)))
    with run_in_thread(sim) as url:
        yield url


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    import qbtui.util.format

    monkeypatch.setattr(qbtui.util.format.time, "time", lambda: NOW)


def test_a_saved_view_active(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_url, interval=3600, state_dir=tmp_path, views=[VIEW])
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, QbtuiApp)
        table = pilot.app.main_screen.table
        await until(pilot, lambda: len(pilot.app.view) > 0 and table.cursor_hash is not None, what="data")
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 36))

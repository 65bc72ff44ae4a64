"""Issue 18: a poll that changes nothing on screen redraws nothing. The simulator's clock stands
still, so every poll after the first brings an empty delta; across those polls no widget asks to
be refreshed and the screen composes no frame (before, the speed strip repainted at every poll)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widget import Widget

from qbtui.sim import SimConfig, Simulator, run_in_thread
from qbtui.sim.config import ManualClock
from qbtui.ui.widgets.speed_graph import SpeedStrip
from tests.ui.helpers import make_app, until

IDLE_POLLS = 8


@pytest.fixture
def still_sim() -> Iterator[tuple[str, ManualClock]]:
    clock = ManualClock()
    with run_in_thread(Simulator(SimConfig(seed=5, torrent_count=40, clock=clock))) as url:
        yield url, clock


class Counting:
    """Counts widget refreshes (by widget class) and the frames the main screen composes."""

    def __init__(self, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.refreshed: Counter[str] = Counter()
        self.frames = 0
        original_refresh = Widget.refresh
        screen = app.main_screen
        compose = screen._compositor_refresh

        def counting_refresh(widget: Widget, *args: Any, **kwargs: Any) -> Any:
            self.refreshed[type(widget).__name__] += 1
            return original_refresh(widget, *args, **kwargs)

        def counting_compose() -> None:
            self.frames += 1
            compose()

        monkeypatch.setattr(screen, "_compositor_refresh", counting_compose)
        monkeypatch.setattr(Widget, "refresh", counting_refresh)


async def _settled(app: Any, pilot: Any) -> None:
    strip = app.main_screen.query_one(SpeedStrip)
    await until(pilot, lambda: len(app.view) == 40, what="the torrents")
    # Until the strip holds more samples than it has cells, each poll draws one more cell:
    # that is a change on screen. From then on the line stays the same.
    await until(pilot, lambda: len(app.history) > strip.size.width + 2, what="a full strip")
    await pilot.pause(0.2)


async def test_idle_polls_redraw_nothing(
    still_sim: tuple[str, ManualClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(still_sim[0], interval=0.05)
    async with app.run_test(size=(120, 30)) as pilot:
        await _settled(app, pilot)
        counting = Counting(app, monkeypatch)
        start = app.poller.polls
        await until(pilot, lambda: app.poller.polls >= start + IDLE_POLLS, what=f"{IDLE_POLLS} idle polls")
        await pilot.pause(0.1)
        assert dict(counting.refreshed) == {}
        assert counting.frames == 0


async def test_a_poll_that_moves_the_numbers_redraws(
    still_sim: tuple[str, ManualClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other half: the same app repaints when the server's numbers move."""
    url, clock = still_sim
    app = make_app(url, interval=0.05)
    async with app.run_test(size=(120, 30)) as pilot:
        await _settled(app, pilot)
        counting = Counting(app, monkeypatch)
        clock.advance(30)
        await until(pilot, lambda: counting.frames > 0, what="a frame after the clock moved")
        assert counting.refreshed

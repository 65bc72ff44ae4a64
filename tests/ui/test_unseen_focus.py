"""The terminal's focus reports drive the quiet mode (issue 18): focus out, nobody sees the app and
the poller rests `unseen_interval`; focus in or a key, the normal rate at once."""

from __future__ import annotations

from pathlib import Path

from textual import events

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve_in_thread
from tests.ui.helpers import make_app, until


async def test_focus_out_quiets_the_poller_and_focus_in_or_a_key_resumes(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH)))
    with serve_in_thread(sim) as server:
        app = make_app(server.url, interval=0.2, state_dir=tmp_path, unseen_interval=30.0)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, what="data")
            app.post_message(events.AppBlur())
            await until(pilot, lambda: app.poller.unseen, what="quiet after focus out")
            polls = app.poller.polls
            await pilot.pause(1.0)
            assert app.poller.polls <= polls + 1  # at 0.2 s it would be ~5
            app.post_message(events.AppFocus())
            await until(pilot, lambda: app.poller.polls >= polls + 3, what="the normal rate after focus in")
            assert not app.poller.unseen
            # The poll after the long rest stands for it in the speed history: one coarse sample.
            assert app.history.coarse().count(True) == 1
            app.post_message(events.AppBlur())
            await until(pilot, lambda: app.poller.unseen, what="quiet again")
            await pilot.press("j")
            await until(pilot, lambda: not app.poller.unseen, what="a key resumes")


async def test_never_quiet_with_unseen_interval_zero(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH)))
    with serve_in_thread(sim) as server:
        app = make_app(server.url, interval=0.2, state_dir=tmp_path, unseen_interval=0)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, what="data")
            app.post_message(events.AppBlur())
            polls = app.poller.polls
            await until(pilot, lambda: app.poller.polls >= polls + 3, what="polls go on")

"""A move left halfway is offered again when its servers are next shown as one table: "go on"
finishes it from its file (nothing added twice: the item was already on the target), "forget"
removes the file and touches nothing. Simulators: the job file stands for the closed qbtui."""

from __future__ import annotations

from pathlib import Path

from qbtui.model.transfer import ADDED, job_path, plan_transfer, save_job, unfinished_jobs
from qbtui.ui.screens.dialogs import PickOne
from tests.fleet.conftest import two_server_app
from tests.ui.helpers import until

UP_STATES = ("uploading", "stalledUP", "queuedUP", "forcedUP")


def _seeding_on(server) -> list[str]:  # type: ignore[no-untyped-def]
    return [h for h in server.sim.torrents if server.sim.state_of(h) in UP_STATES]


async def _left_halfway(sim_server, sim_factory, tmp_path: Path):  # type: ignore[no-untyped-def]
    other = sim_factory(torrent_count=40)
    seeding = [h for h in _seeding_on(other) if h in sim_server.sim.torrents]
    assert seeding, "no torrent seeds on beta that alpha has"
    info_hash = seeding[0]
    job = plan_transfer([(info_hash, "x", "alpha", "/d", "")], "beta", {}, remove_source=True)
    job.items[0].step = ADDED  # qbtui was closed once beta had it
    save_job(tmp_path, job)
    app = two_server_app(sim_server, other, tmp_path)
    return app, job, info_hash


async def test_going_on_with_a_move_left_halfway(sim_server, sim_factory, tmp_path) -> None:
    app, job, info_hash = await _left_halfway(sim_server, sim_factory, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickOne), timeout=20, what="the question")
        await pilot.press("enter")  # go on
        await until(pilot, lambda: info_hash not in sim_server.sim.torrents, timeout=20, what="removed")
        await until(pilot, lambda: not job_path(tmp_path, job).exists(), what="the job file gone")
        toast = [n.message for n in app._notifications if "Moving 1 torrent to beta" in n.message]
        assert toast and "1 done" in toast[-1]


async def test_forgetting_a_move_left_halfway(sim_server, sim_factory, tmp_path) -> None:
    app, job, info_hash = await _left_halfway(sim_server, sim_factory, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickOne), timeout=20, what="the question")
        await pilot.press("down", "down", "enter")  # forget
        await until(pilot, lambda: not job_path(tmp_path, job).exists(), what="the job file gone")
        await pilot.pause(1.0)
        assert info_hash in sim_server.sim.torrents and unfinished_jobs(tmp_path) == []


async def test_a_source_that_cannot_export_is_said_before_any_question(
    sim_server, sim_factory, tmp_path
) -> None:
    """The simulators speak 4.0.4's API, which has no export: ctrl+t says so and asks nothing."""
    other = sim_factory(torrent_count=40)
    app = two_server_app(sim_server, other, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == 65, timeout=20, what="both servers' torrents")
        table = app.main_screen.table
        complete = next(
            t for t in app.fleet.store.torrents.values() if t.progress >= 1 and t.server == "beta"
        )
        assert table.move_to_hash(complete.key)
        await pilot.press("ctrl+t")
        said = lambda: [n.message for n in app._notifications if "beta cannot export" in n.message]  # noqa: E731
        await until(pilot, lambda: bool(said()), what="the reason")
        assert "4.5" in said()[-1] and app.screen is app.main_screen
        assert not list((tmp_path / "transfers").glob("*.json"))

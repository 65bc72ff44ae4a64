"""The fleet in the TUI against simulators: one table of every server's torrents."""

from __future__ import annotations

from qbtui.model.fleet import fleet_key
from tests.fleet.conftest import fleet_of_two, two_server_app
from tests.ui.helpers import until


async def test_two_servers_in_one_table(sim_server, sim_factory, tmp_path) -> None:
    other = sim_factory(torrent_count=40)
    async with fleet_of_two(sim_server, other, tmp_path) as (app, _pilot):
        fleet = app.fleet
        assert fleet is not None
        # The demo set's 25 are on both simulators: the same hashes, two rows each, related.
        same = [t for t in fleet.store.torrents.values() if t.copies == 2]
        assert len(same) == 50
        assert {t.server for t in fleet.store.torrents.values()} == {"alpha", "beta"}
        table = app.main_screen.table
        assert "server" in [c.column.key for c in table.placed]
        status = app.main_screen.status.compose_text().plain
        assert "alpha●" in status and "beta●" in status
        t = same[0]
        assert fleet_key(t.server, t.hash) in app.view.order


def _running_on_both(sim_a, sim_b) -> str:  # type: ignore[no-untyped-def]
    """A hash that runs (not paused, not in error) on both simulators."""
    for info_hash in sim_a.sim.torrents:
        states = [server.sim.state_of(info_hash) for server in (sim_a, sim_b)]
        if all(not s.startswith(("paused", "error", "missing")) for s in states):
            return info_hash
    raise AssertionError("no torrent runs on both")


async def test_a_key_acts_on_the_highlighted_rows_server_only(sim_server, sim_factory, tmp_path) -> None:
    """The same info-hash on two servers is two rows: `p` on one pauses it there and nowhere else;
    marking both pauses both, one request per server, and `u` resumes each on its own server."""
    other = sim_factory(torrent_count=40)
    shared = _running_on_both(sim_server, other)
    async with fleet_of_two(sim_server, other, tmp_path) as (app, pilot):
        table = app.main_screen.table
        assert table.move_to_hash(fleet_key("beta", shared))
        await pilot.press("p")
        await until(pilot, lambda: other.sim.state_of(shared).startswith("paused"), what="paused on beta")
        await pilot.pause(0.5)
        assert not sim_server.sim.state_of(shared).startswith("paused")
        # Both rows marked: one pause per server, then one undo per server.
        await pilot.press("u")
        await until(pilot, lambda: not other.sim.state_of(shared).startswith("paused"), what="undone on beta")
        table.marked |= {fleet_key("alpha", shared), fleet_key("beta", shared)}
        await pilot.press("p")
        await until(
            pilot,
            lambda: all(s.sim.state_of(shared).startswith("paused") for s in (sim_server, other)),
            what="paused on both",
        )
        toast = [n.message for n in app._notifications if "alpha 1" in n.message]
        assert toast and "beta 1" in toast[-1]
        await pilot.press("u")
        await until(
            pilot,
            lambda: not any(s.sim.state_of(shared).startswith("paused") for s in (sim_server, other)),
            what="resumed on both",
        )


async def test_dialogs_are_for_the_highlighted_rows_server_and_stay_so(
    sim_server, sim_factory, tmp_path
) -> None:
    """Preferences open for the highlighted row's server and name it; if that row leaves the table
    while the form is open (the cursor lands on another server's row), the form stays with its
    server. Closed, the next row's server is the one again."""
    from qbtui.ui.screens.preferences import PreferencesScreen

    other = sim_factory(torrent_count=40)
    async with fleet_of_two(sim_server, other, tmp_path) as (app, pilot):
        fleet = app.fleet
        assert fleet is not None
        table = app.main_screen.table
        # A torrent only beta has, sorted next to alpha's rows.
        only_beta = next(t for t in fleet.store.torrents.values() if t.server == "beta" and t.copies == 1)
        assert table.move_to_hash(only_beta.key)
        await until(pilot, lambda: fleet.focus == "beta", what="beta focused")
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, PreferencesScreen), what="preferences")
        screen = app.screen
        await until(pilot, lambda: "beta" in str(screen.query_one("#prefs-title").render()), what="title")
        assert app.api is fleet.api("beta") and app.settings is not None
        assert app.settings.base_url.rstrip("/") == other.url.rstrip("/")
        other.sim.remove_torrent(only_beta.hash)
        await until(pilot, lambda: only_beta.key not in app.view.order, what="the row gone")
        table.move_to_row(0)  # and the cursor on an alpha row
        await pilot.pause(0.3)
        assert fleet.focus == "beta" and app.api is fleet.api("beta")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main_screen, what="closed")
        cursor_server = fleet.server_of(table.cursor_hash)
        await until(pilot, lambda: fleet.focus == cursor_server, what="focus follows the cursor again")


async def test_each_servers_full_list_is_moved_out_of_the_collectors_way(
    sim_server, sim_factory, tmp_path, monkeypatch
) -> None:
    """gc.freeze() once per member's full update (the single-server screen does it once): without
    it the collector walks 50,000 torrents' objects again and again (bench: cursor p95 172 -> 37 ms)."""
    import gc

    import qbtui.ui.screens.fleet_host as fleet_host

    frozen: list[int] = []
    monkeypatch.setattr(fleet_host.gc, "freeze", lambda: frozen.append(len(app.view)))
    other = sim_factory(torrent_count=40)
    # The app before it runs: the freeze above reads its view.
    app = two_server_app(sim_server, other, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == 65, timeout=20, what="both servers' torrents")
        await until(pilot, lambda: len(frozen) == 2, what="one freeze per server")
        assert frozen[-1] == 65  # the second came once both lists were in
        await pilot.pause(1.0)  # deltas freeze nothing more
        assert len(frozen) == 2
    assert gc.isenabled()


async def test_the_log_and_statistics_name_the_server_they_are_from(
    sim_server, sim_factory, tmp_path
) -> None:
    """The log is the highlighted row's server's: its header says which, and follows the cursor."""
    from textual.widgets import Static

    other = sim_factory(torrent_count=40)
    async with fleet_of_two(sim_server, other, tmp_path) as (app, pilot):
        table = app.main_screen.table
        some = next(iter(sim_server.sim.torrents))

        def header() -> str:
            return str(app.main_screen.query_one("#log-header", Static).render())

        assert table.move_to_hash(fleet_key("alpha", some))
        await pilot.press("L")
        await until(pilot, lambda: header().startswith("Log · alpha"), what="alpha's log")
        assert table.move_to_hash(fleet_key("beta", some))
        await until(pilot, lambda: header().startswith("Log · beta"), what="beta's log")
        # So do the statistics (the highlighted row's server's figures).
        await pilot.press("I")
        await until(pilot, lambda: app.screen is not app.main_screen, what="statistics")
        assert str(app.screen.query_one(".title", Static).render()) == "Statistics · beta"


async def test_nobody_looking_quiets_every_server_of_the_fleet(sim_server, sim_factory, tmp_path) -> None:
    """Quiet when unseen (issue 18) covers each server's own poll loop, not only the single one."""
    from textual import events

    other = sim_factory(torrent_count=40)
    async with fleet_of_two(sim_server, other, tmp_path, interval=0.2, unseen_interval=30.0) as (app, pilot):
        fleet = app.fleet
        assert fleet is not None
        pollers = fleet.sync.pollers.values()
        app.post_message(events.AppBlur())
        await until(pilot, lambda: all(p.unseen for p in pollers), what="every server quiet")
        polls = {id(p): p.polls for p in pollers}
        await pilot.pause(1.0)
        assert all(p.polls <= polls[id(p)] + 1 for p in pollers)  # at 0.2 s each would be ~5
        app.post_message(events.AppFocus())
        await until(
            pilot, lambda: all(p.polls >= polls[id(p)] + 3 for p in pollers), what="every server at its rate"
        )


async def test_the_cursor_crossing_servers_of_one_wording_leaves_the_footer_alone(
    sim_server, sim_factory, tmp_path
) -> None:
    """Refreshing the bindings rebuilds the footer; both simulators say Pause/Resume, so moving
    between their rows must not (it cost ~50 ms a keystroke at 50,000 rows)."""
    other = sim_factory(torrent_count=40)
    async with fleet_of_two(sim_server, other, tmp_path) as (app, pilot):
        fleet = app.fleet
        assert fleet is not None
        screen = app.main_screen
        for _ in range(4):  # the first server change gives the footer its words
            await pilot.press("down")
        refreshed = 0
        original = screen.refresh_bindings

        def counting() -> None:
            nonlocal refreshed
            refreshed += 1
            original()

        screen.refresh_bindings = counting  # type: ignore[method-assign]
        servers = set()
        for _ in range(30):
            await pilot.press("down")
            servers.add(fleet.focus)
        await pilot.pause()
        assert servers == {"alpha", "beta"}, "the cursor crossed servers"
        assert refreshed == 0

"""The fleet in the TUI against simulators: one table of every server's torrents."""

from __future__ import annotations

from qbtui.model.fleet import fleet_key
from tests.fleet.conftest import sim_config
from tests.ui.helpers import make_app, until


async def test_two_servers_in_one_table(sim_server, sim_factory, tmp_path) -> None:
    other = sim_factory(torrent_count=40)
    servers = {"alpha": sim_config("alpha", sim_server), "beta": sim_config("beta", other)}
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="alpha", fleet="all")
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == 65, timeout=20, what="both servers' torrents")
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

"""A fleet of real servers in one table: qbittorrent-nox 4.5.2, 5.1.0 and 5.3.0 beside the legacy
simulator (4.0.4's API), each with its own session and dialect; the same torrent on two of them is
related; the filter's server field picks one; one key acts on rows of three servers at once, and
export (x) fetches each .torrent from its own server and share limits (t) go to each server (the
legacy one, without them, named and left out)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from qbtui.model.fleet import fleet_key
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordSource
from qbtui.ui.screens.local_save import LocalPathPrompt
from qbtui.ui.screens.share_limits import ShareLimitsDialog
from qbtui.util.torrentfile import parse
from tests.fleet.conftest import sim_config
from tests.support.noxserver import NoxInstance, make_sample_torrent
from tests.ui.helpers import make_app, until

pytestmark = [pytest.mark.nox, pytest.mark.xdist_group("fleet-nox")]

REAL = {"v452": "4.5.2", "v510": "5.1.0", "v530": "5.3.0"}


def _config(name: str, nox: NoxInstance) -> ServerConfig:
    return ServerConfig(name, nox.url, nox.username, PasswordSource(plain=nox.password))


def _paused(nox: NoxInstance, info_hash: str) -> bool:
    found = nox.torrent(info_hash)
    return found is not None and found["state"] in ("pausedUP", "stoppedUP", "pausedDL", "stoppedDL")


async def test_real_servers_and_the_legacy_simulator_in_one_table(
    nox_pool, sim_server, tmp_path: Path
) -> None:
    noxes = {name: nox_pool.clean(version) for name, version in REAL.items()}
    data = tmp_path / "data"
    own: dict[str, str] = {}
    for number, (name, nox) in enumerate(noxes.items()):
        torrent, _ = make_sample_torrent(data, f"fleet-{name}", 100_000 + number, seed=number)
        own[name] = parse(torrent.read_bytes()).info_hash
        nox.add_torrent_file(torrent, savepath=str(data), skip_checking="true")
    shared, _ = make_sample_torrent(data, "fleet-shared", 150_000, seed=9)
    shared_hash = parse(shared.read_bytes()).info_hash
    for name in ("v452", "v530"):
        noxes[name].add_torrent_file(shared, savepath=str(data), skip_checking="true")
    servers = {name: _config(name, nox) for name, nox in noxes.items()}
    servers["legacy"] = sim_config("legacy", sim_server)
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="legacy", fleet="all")
    simulated = len(sim_server.sim.torrents)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == simulated + 5, timeout=40, what="every server's torrents")
        fleet = app.fleet
        assert fleet is not None
        assert {t.server for t in fleet.store.torrents.values()} == {*REAL, "legacy"}
        assert fleet.api("legacy").info.is_legacy and fleet.api("v530").info.v2_at_least(2, 11)
        status = app.main_screen.status.compose_text().plain
        assert all(f"{name}●" in status for name in (*REAL, "legacy")), status
        # The same info-hash on two real servers: two rows, each knowing of the other.
        copies = [fleet.store.torrents[fleet_key(name, shared_hash)].copies for name in ("v452", "v530")]
        assert copies == [2, 2]
        await pilot.press("slash", *"server:v510", "enter")
        await until(pilot, lambda: list(app.view.order) == [fleet_key("v510", own["v510"])], what="one row")
        await pilot.press("escape")
        await until(pilot, lambda: len(app.view) == simulated + 5, what="the filter cleared")
        # One key on rows of three servers: one request each, each server pauses its own.
        table = app.main_screen.table
        table.marked |= {fleet_key(name, info_hash) for name, info_hash in own.items()}
        await pilot.press("p")
        await until(
            pilot, lambda: all(_paused(noxes[n], h) for n, h in own.items()), timeout=20, what="paused on all"
        )
        assert not _paused(noxes["v452"], shared_hash)
        # x on rows of two servers: each .torrent comes from its own server.
        table.marked.clear()
        table.marked |= {fleet_key(name, own[name]) for name in ("v510", "v530")}
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, LocalPathPrompt), what="the folder prompt")
        folder = tmp_path / "exported"
        folder.mkdir()
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await until(pilot, lambda: len(list(folder.glob("*.torrent"))) == 2, timeout=20, what="two files")
        hashes = {parse(path.read_bytes()).info_hash for path in folder.glob("*.torrent")}
        assert hashes == {own["v510"], own["v530"]}
        # t on rows of two real servers and the legacy one: the legacy torrent is left out and its
        # server named; each real server gets its own request, and u undoes each on its own server.
        legacy_key = next(key for key in app.view.order if key.endswith("@legacy"))
        table.marked.clear()
        table.marked |= {fleet_key("v452", own["v452"]), fleet_key("v530", own["v530"]), legacy_key}
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ShareLimitsDialog), what="the share limits")
        said = [n.message for n in app._notifications if n.message.startswith("legacy:")]
        assert said and "left out" in said[-1]
        await pilot.press("ctrl+u", *"2.5", "enter")

        def ratios() -> list[float]:
            return [noxes[name].torrent(own[name])["ratio_limit"] for name in ("v452", "v530")]

        await until(pilot, lambda: ratios() == [2.5, 2.5], timeout=20, what="the ratio on both")
        await pilot.press("u")
        await until(pilot, lambda: ratios() == [-2, -2], timeout=20, what="undone on both")

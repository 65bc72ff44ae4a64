"""Both server generations for Pilot tests: the legacy simulator (qBittorrent 4.0.4) and a real
qbittorrent-nox (WebAPI v2) with four paused torrents. Use with `from tests.support.both_servers
import Server, server  # noqa: F401` (the fixture must be a name in the test module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qbtui.ui.app import QbtuiApp
from tests.support.noxfix import nox_for, nox_params
from tests.ui.helpers import make_app

#: qBittorrent 5 renamed paused* to stopped*.
STOPPED = ("pausedDL", "pausedUP", "stoppedDL", "stoppedUP")


@dataclass
class Server:
    url: str
    username: str
    password: str
    legacy: bool

    def app(self, tmp_path: Path) -> QbtuiApp:
        return make_app(self.url, username=self.username, password=self.password, state_dir=tmp_path)


@pytest.fixture(params=["legacy", *nox_params("v2")])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    if request.param == "legacy":
        sim = request.getfixturevalue("sim_server")
        return Server(sim.url, "admin", "adminadmin", legacy=True)
    from tests.support.noxserver import make_sample_torrent

    nox = nox_for(request)
    source = tmp_path_factory.mktemp("torrents")
    for index, name in enumerate(
        ("[eztv] Show.S01E01 720p", "Alpha linux iso", "Beta (2008)", "Delta files")
    ):
        torrent, _ = make_sample_torrent(
            source, name, {"a.bin": 20000 + index, "sub/b.txt": 3000}, seed=index
        )
        nox.add_torrent_file(torrent, paused="true", savepath=str(source))
    for torrent in nox.torrents():
        nox.wait_for_torrent(torrent["hash"], lambda t: t["state"] in STOPPED)
    return Server(nox.url, nox.username, nox.password, legacy=False)

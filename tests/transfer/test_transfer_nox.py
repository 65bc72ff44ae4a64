"""A torrent moved between two real servers in the TUI (ctrl+t), the data on one disk both see:
4.5.2 exports it, 5.3.0 adds it through the path maps and seeds it, 4.5.2 lets it go (its files
kept); then back again, checked by 4.5.2 this time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qbtui.model.fleet import fleet_key
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordSource
from qbtui.util.torrentfile import parse
from tests.support.noxfix import NoxRuntimes
from tests.support.noxserver import SEEDING_STATES, NoxInstance, make_sample_torrent
from tests.ui.helpers import make_app, until

pytestmark = [pytest.mark.nox, pytest.mark.xdist_group("transfer-nox")]


@pytest.fixture
def pair(nox_runtimes: NoxRuntimes, tmp_path: Path) -> Iterator[tuple[NoxInstance, NoxInstance]]:
    old = NoxInstance(nox_runtimes.get("4.5.2"), tmp_path / "old")
    new = NoxInstance(nox_runtimes.get("5.3.0"), tmp_path / "new")
    with old.start(), new.start():
        yield old, new


def _config(name: str, nox: NoxInstance, path_map: tuple[tuple[str, str], ...]) -> ServerConfig:
    return ServerConfig(name, nox.url, nox.username, PasswordSource(plain=nox.password), path_map=path_map)


async def _answer(pilot, *questions: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Each question's keys once its dialog is on top (a new one each time, never the last one)."""
    app = pilot.app
    previous = app.main_screen
    for keys in questions:
        await until(pilot, lambda p=previous: app.screen is not p and app.screen is not app.main_screen)
        previous = app.screen
        await pilot.press(*keys)


def _seeding(nox: NoxInstance, info_hash: str) -> bool:
    found = nox.torrent(info_hash)
    return found is not None and found["progress"] == 1 and found["state"] in SEEDING_STATES


async def test_a_move_between_real_servers_ends_seeding_on_the_target(pair, tmp_path: Path) -> None:
    old, new = pair
    # One disk, seen as pool/ by the 4.5.2 server and through a link (mnt/) by the 5.3.0 one: the
    # path maps say both are the same shared place.
    pool = tmp_path / "pool"
    torrent, root = make_sample_torrent(pool, "fleet-move", {"a.bin": 300_000, "d/b.bin": 200_000})
    (tmp_path / "mnt").symlink_to(pool)
    info_hash = parse(torrent.read_bytes()).info_hash
    old.add_torrent_file(torrent, savepath=str(pool), skip_checking="true")
    old.wait_for_torrent(info_hash, lambda t: t["progress"] == 1, what="seeding on 4.5.2")
    servers = {
        "old": _config("old", old, ((str(pool), "/shared"),)),
        "new": _config("new", new, ((str(tmp_path / "mnt"), "/shared"),)),
    }
    app = make_app(old.url, state_dir=tmp_path, servers=servers, server_name="old", fleet="all")
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.main_screen.table
        await until(
            pilot, lambda: table.move_to_hash(fleet_key("old", info_hash)), timeout=30, what="the row"
        )
        # ctrl+t, the one other server, move (keep the files), trust the data (seedMode on 5.3).
        await pilot.press("ctrl+t")
        await _answer(pilot, ("enter",), ("enter",), ("down", "enter"), ("enter",))
        await until(pilot, lambda: _seeding(new, info_hash), timeout=60, what="seeding on 5.3.0")
        await until(pilot, lambda: old.torrent(info_hash) is None, timeout=30, what="removed from 4.5.2")
        assert new.torrent(info_hash)["save_path"].rstrip("/") == str(tmp_path / "mnt")
        assert (root / "a.bin").stat().st_size == 300_000, "the source removed the files"
        await until(
            pilot, lambda: not list((tmp_path / "transfers").glob("*.json")), what="the job file gone"
        )

        # Back to 4.5.2, which checks the data this time (reads it all before it seeds).
        await until(
            pilot, lambda: table.move_to_hash(fleet_key("new", info_hash)), timeout=30, what="new row"
        )
        await pilot.press("ctrl+t")
        await _answer(pilot, ("enter",), ("enter",), ("enter",), ("enter",))
        await until(pilot, lambda: _seeding(old, info_hash), timeout=60, what="seeding on 4.5.2 again")
        await until(pilot, lambda: new.torrent(info_hash) is None, timeout=30, what="removed from 5.3.0")
        assert old.torrent(info_hash)["save_path"].rstrip("/") == str(pool)
        toast = [n.message for n in app._notifications if "Moving 1 torrent to old" in n.message]
        assert toast and "1 done" in toast[-1]

"""Fixtures of the fleet tests: simulators beside the `sim_server` one."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordSource
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread
from qbtui.ui.app import QbtuiApp
from tests.ui.helpers import make_app, until

SimFactory = Callable[..., ThreadedServer]


@pytest.fixture
def sim_factory() -> Iterator[SimFactory]:
    """`sim_factory(torrent_count=40, seed=3, ...)`: another simulator served on loopback."""
    servers: list[ThreadedServer] = []
    contexts = []

    def start(**options: object) -> ThreadedServer:
        options.setdefault("seed", 11 + len(servers))
        config = SimConfig(clock=ManualClock(DEFAULT_EPOCH), **options)  # type: ignore[arg-type]
        context = serve_in_thread(Simulator(config))
        server = context.__enter__()
        contexts.append(context)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for context in reversed(contexts):
            context.__exit__(None, None, None)


def sim_config(name: str, server: ThreadedServer, **options: object) -> ServerConfig:
    return ServerConfig(name, server.url, "admin", PasswordSource(plain="adminadmin"), **options)  # type: ignore[arg-type]


def two_server_app(alpha: ThreadedServer, beta: ThreadedServer, state_dir: Path, **options: Any) -> QbtuiApp:
    """The app showing `alpha` and `beta` as one fleet (alpha its first server)."""
    servers = {"alpha": sim_config("alpha", alpha), "beta": sim_config("beta", beta)}
    return make_app(
        alpha.url, state_dir=state_dir, servers=servers, server_name="alpha", fleet="all", **options
    )


@contextlib.asynccontextmanager
async def fleet_of_two(
    alpha: ThreadedServer, beta: ThreadedServer, state_dir: Path, **options: Any
) -> AsyncIterator[tuple[QbtuiApp, Any]]:
    """`two_server_app` running at 160x45, once every torrent of both servers is in the table;
    yields the app and its pilot."""
    app = two_server_app(alpha, beta, state_dir, **options)
    total = len(alpha.sim.torrents) + len(beta.sim.torrents)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == total, timeout=20, what="both servers' torrents")
        yield app, pilot

"""pytest fixtures for tests against real qbittorrent-nox servers (harness: tests/support/noxserver.py).

- `nox_binary`   session: path to qbittorrent-nox; skips locally when missing, fails under CI=true.
- `nox`          session: one shared running instance (login required; see NoxInstance.client()).
                 Tests must leave it running; anything that stops, kills or reconfigures a server
                 belongs on `nox_factory`.
- `nox_clean`    function: the shared instance, running and emptied (torrents, categories, tags).
- `nox_factory`  function: `nox_factory(tracker=True, https=True, ...)` starts extra instances
                 (keywords of NoxOptions, plus start=False); all are stopped at teardown.
- `nox_swarm`    function: a NoxSwarm, a seeder already seeding a ~1.5 MB multi-file sample through
                 its embedded tracker, and an empty leecher.
- `nginx_binary` session: path to nginx (tests/support/nginx.py); skips locally when missing, fails
                 under CI=true, like `nox_binary`.
- `nginx_factory` function: `nginx_factory(routes, host=...)` starts private nginx reverse proxies
                 (NginxProxy); all are stopped at teardown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.nginx import NGINX_BINARY_ENV, NginxProxy, Route, find_nginx_binary
from tests.support.noxserver import (
    NOX_BINARY_ENV,
    NoxInstance,
    NoxOptions,
    NoxSwarm,
    find_nox_binary,
    start_swarm,
)


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def nox_binary() -> Path:
    override = os.environ.get(NOX_BINARY_ENV)
    if override and not Path(override).is_file():
        pytest.fail(f"{NOX_BINARY_ENV}={override} is not a file", pytrace=False)
    binary = find_nox_binary()
    if binary is None:
        message = "qbittorrent-nox not found (apt-get install qbittorrent-nox, or set QBTUI_NOX_BINARY)"
        # CI installs the binary itself; a missing one there is a broken machine, not an optional test.
        if _running_in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def nox(nox_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoxInstance]:
    with NoxInstance(nox_binary, tmp_path_factory.mktemp("nox-shared")) as instance:
        yield instance


@pytest.fixture
def nox_clean(nox: NoxInstance) -> NoxInstance:
    # A test that broke the rule above should not cascade into every later test.
    if not nox.running:
        nox.restart()
    nox.reset()
    return nox


class NoxFactory:
    """Starts instances under one directory and remembers them so teardown can stop them all."""

    def __init__(self, binary: Path, base: Path) -> None:
        self.binary = binary
        self.base = base
        self.instances: list[NoxInstance] = []

    def __call__(self, *, start: bool = True, **options: Any) -> NoxInstance:
        instance = NoxInstance(self.binary, self.base / f"nox{len(self.instances)}", NoxOptions(**options))
        self.instances.append(instance)
        return instance.start() if start else instance

    def stop_all(self) -> None:
        for instance in reversed(self.instances):
            instance.stop()


@pytest.fixture
def nox_factory(nox_binary: Path, tmp_path: Path) -> Iterator[NoxFactory]:
    factory = NoxFactory(nox_binary, tmp_path)
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture
def nox_swarm(nox_binary: Path, tmp_path: Path) -> Iterator[NoxSwarm]:
    swarm = start_swarm(nox_binary, tmp_path / "swarm")
    try:
        yield swarm
    finally:
        swarm.stop()


@pytest.fixture(scope="session")
def nginx_binary() -> Path:
    override = os.environ.get(NGINX_BINARY_ENV)
    if override and not Path(override).is_file():
        pytest.fail(f"{NGINX_BINARY_ENV}={override} is not a file", pytrace=False)
    binary = find_nginx_binary()
    if binary is None:
        message = "nginx not found (apt-get install nginx, or set QBTUI_NGINX_BINARY)"
        if _running_in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


class NginxFactory:
    def __init__(self, binary: Path, base: Path) -> None:
        self.binary = binary
        self.base = base
        self.proxies: list[NginxProxy] = []

    def __call__(self, routes: list[Route], host: str = "127.0.0.2", port: int | None = None) -> NginxProxy:
        proxy = NginxProxy(self.binary, self.base / f"nginx{len(self.proxies)}", routes, host=host, port=port)
        self.proxies.append(proxy)
        return proxy.start()

    def stop_all(self) -> None:
        for proxy in reversed(self.proxies):
            proxy.stop()


@pytest.fixture
def nginx_factory(nginx_binary: Path, tmp_path: Path) -> Iterator[NginxFactory]:
    factory = NginxFactory(nginx_binary, tmp_path)
    try:
        yield factory
    finally:
        factory.stop_all()

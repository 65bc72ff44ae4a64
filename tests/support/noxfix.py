"""pytest fixtures for tests against real qbittorrent-nox servers (harness: tests/support/noxserver.py).

Every test that uses one of these runs once per server in SERVERS: the host's qbittorrent-nox
(Debian 12's 4.5.2) and the ones Debian ships today, run from root filesystems that
tests/support/rootfs.py builds once per machine (trixie's 5.1.0, sid's 5.3.0). The ids say which:
`test_x[5.3.0]`. A server that cannot be had skips its tests locally and fails them under CI=true.

- `nox_server`   session, parametrised: which server ("4.5.2", "5.1.0", "5.3.0").
- `nox_binary`   session: how to start that server (a host path or a ChrootRuntime).
- `nox`          session: one shared running instance (login required; see NoxInstance.client()).
                 Tests must leave it running; anything that stops, kills or reconfigures a server
                 belongs on `nox_factory`.
- `nox_clean`    function: the shared instance, running and emptied (torrents, categories, tags).
- `nox_factory`  function: `nox_factory(tracker=True, https=True, ...)` starts extra instances
                 (keywords of NoxOptions, plus start=False); all are stopped at teardown.
- `nox_swarm`    function: a NoxSwarm, a seeder already seeding a ~1.5 MB multi-file sample through
                 its embedded tracker, and an empty leecher.
- `nox_pool`     session: the shared instances, one per server, started on first use.
- `nox_params(name)` / `nox_for(request)`: for fixtures that choose between the simulator and a real
                 server by their own param, e.g. `params=["legacy", *nox_params("v2")]`: the param
                 compares equal to `name`, and `nox_for(request)` gives the clean shared instance.
- `nginx_binary` session: path to nginx (tests/support/nginx.py); skips locally when missing, fails
                 under CI=true, like `nox_binary`.
- `nginx_factory` function: `nginx_factory(routes, host=...)` starts private nginx reverse proxies
                 (NginxProxy); all are stopped at teardown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

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
from tests.support.rootfs import DISTROS, ChrootRuntime, RootfsError, ensure_rootfs

#: The real servers, by test id: None is the host's own qbittorrent-nox, else a Debian distribution.
SERVERS: dict[str, str | None] = {"4.5.2": None, "5.1.0": "trixie", "5.3.0": "sid"}

Runtime = Path | ChrootRuntime


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _unavailable(message: str) -> NoReturn:
    # CI installs or builds every server itself; a missing one there is a broken machine, not an
    # optional test.
    if _running_in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class NoxRuntimes:
    """Finds (and builds, once) each server's runtime; remembers failures so each is reported once."""

    def __init__(self) -> None:
        self._found: dict[str, Runtime | str] = {}

    def get(self, server: str) -> Runtime:
        if server not in self._found:
            self._found[server] = self._find(server)
        found = self._found[server]
        if isinstance(found, str):
            _unavailable(found)
        return found

    def _find(self, server: str) -> Runtime | str:
        distro = SERVERS[server]
        if distro is None:
            override = os.environ.get(NOX_BINARY_ENV)
            if override and not Path(override).is_file():
                return f"{NOX_BINARY_ENV}={override} is not a file"
            binary = find_nox_binary()
            if binary is None:
                return "qbittorrent-nox not found (apt-get install qbittorrent-nox, or set QBTUI_NOX_BINARY)"
            return binary
        try:
            rootfs = ensure_rootfs(DISTROS[distro])
        except RootfsError as exc:
            return f"qbittorrent-nox {server} ({distro} root filesystem) cannot be had: {exc}"
        return ChrootRuntime(rootfs)


class NoxPool:
    """One shared instance per server, started on first use and stopped at the end of the session."""

    def __init__(self, runtimes: NoxRuntimes, base: Path) -> None:
        self.runtimes = runtimes
        self.base = base
        self.instances: dict[str, NoxInstance] = {}

    def shared(self, server: str) -> NoxInstance:
        if server not in self.instances:
            runtime = self.runtimes.get(server)
            self.instances[server] = NoxInstance(runtime, self.base / f"nox-shared-{server}").start()
        return self.instances[server]

    def clean(self, server: str) -> NoxInstance:
        instance = self.shared(server)
        # A test that stopped the shared instance should not cascade into every later test.
        if not instance.running:
            instance.restart()
        instance.reset()
        return instance

    def stop_all(self) -> None:
        for instance in self.instances.values():
            instance.stop()


class NoxParam(str):
    """A fixture param that compares equal to its name ("v2", "nox") and says which server it means."""

    server: str

    def __new__(cls, name: str, server: str) -> NoxParam:
        param = super().__new__(cls, name)
        param.server = server
        return param


def nox_params(name: str = "v2") -> list[Any]:
    """One pytest param per real server for a fixture that also has non-nox params; ids `name-server`."""
    return [
        pytest.param(NoxParam(name, server), marks=pytest.mark.nox, id=f"{name}-{server}")
        for server in SERVERS
    ]


def nox_for(request: pytest.FixtureRequest, clean: bool = True) -> NoxInstance:
    """The shared instance of the server a `nox_params` param names (emptied unless clean=False)."""
    param = request.param
    assert isinstance(param, NoxParam), f"{param!r} is not one of nox_params()"
    pool: NoxPool = request.getfixturevalue("nox_pool")
    return pool.clean(param.server) if clean else pool.shared(param.server)


@pytest.fixture(scope="session")
def nox_runtimes() -> NoxRuntimes:
    return NoxRuntimes()


@pytest.fixture(
    scope="session", params=[pytest.param(server, marks=pytest.mark.nox) for server in SERVERS]
)
def nox_server(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def nox_binary(nox_server: str, nox_runtimes: NoxRuntimes) -> Runtime:
    return nox_runtimes.get(nox_server)


@pytest.fixture(scope="session")
def nox_pool(nox_runtimes: NoxRuntimes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoxPool]:
    pool = NoxPool(nox_runtimes, tmp_path_factory.mktemp("nox-pool"))
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture(scope="session")
def nox(nox_server: str, nox_pool: NoxPool) -> NoxInstance:
    return nox_pool.shared(nox_server)


@pytest.fixture
def nox_clean(nox_server: str, nox_pool: NoxPool) -> NoxInstance:
    return nox_pool.clean(nox_server)


class NoxFactory:
    """Starts instances under one directory and remembers them so teardown can stop them all."""

    def __init__(self, binary: Runtime, base: Path) -> None:
        self.binary = binary
        self.base = base
        self.instances: list[NoxInstance] = []

    def __call__(self, *, start: bool = True, **options: Any) -> NoxInstance:
        instance = NoxInstance(
            self.binary, self.base / f"nox{len(self.instances)}", NoxOptions(**options)
        )
        self.instances.append(instance)
        return instance.start() if start else instance

    def stop_all(self) -> None:
        for instance in reversed(self.instances):
            instance.stop()


@pytest.fixture
def nox_factory(nox_binary: Runtime, tmp_path: Path) -> Iterator[NoxFactory]:
    factory = NoxFactory(nox_binary, tmp_path)
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture
def nox_swarm(nox_binary: Runtime, tmp_path: Path) -> Iterator[NoxSwarm]:
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

    def __call__(
        self, routes: list[Route], host: str = "127.0.0.2", port: int | None = None
    ) -> NginxProxy:
        proxy = NginxProxy(
            self.binary, self.base / f"nginx{len(self.proxies)}", routes, host=host, port=port
        )
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

"""HTTP keep-alive where the server allows it, a fresh connection per request where it does not.

A counting TCP forwarder sits between qbtui and the server and records every byte, so these tests
see the real TCP connections and the real request headers:

- qBittorrent 4.5.2 (WebAPI v2) keeps connections alive: once the version probe has shown a v2
  server, the login and every later request share one connection (no new TCP or TLS handshake per
  poll);
- the legacy simulator, like 4.0.4, closes the socket after each reply without saying so: qbtui asks
  for `Connection: close` on every request, so it never tries to reuse a socket the server is
  closing, and nothing fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from qbtui.api import ConnectionSettings, connect
from qbtui.api.models import ApiGeneration
from qbtui.sim import SimConfig, Simulator, serve_in_thread
from tests.support.noxserver import NoxInstance
from tests.support.tcpproxy import TcpProxy


def forwarder_to(port: int) -> TcpProxy:
    """On 127.0.0.2 with the server's own port number, so that qBittorrent's Host check passes."""
    return TcpProxy(port, listen_host="127.0.0.2", listen_port=port)


@pytest.fixture
def sim_forwarder() -> Iterator[TcpProxy]:
    with serve_in_thread(Simulator(SimConfig(seed=7))) as server, forwarder_to(server.port) as forwarder:
        yield forwarder


def asks_to_close(head: str) -> bool:
    return any(line.lower() == "connection: close" for line in head.split("\r\n"))


async def session_of_requests(settings: ConnectionSettings, polls: int) -> ApiGeneration:
    api = await connect(settings)
    try:
        rid = 0
        for _ in range(polls):
            rid = int((await api.maindata(rid)).get("rid", rid))
        await api.set_global_download_limit(None)  # a command (POST), unlimited as it was
        await api.logout()
        return api.info.generation
    finally:
        await api.close()


@pytest.mark.nox
def test_v2_requests_share_one_connection(nox_clean: NoxInstance) -> None:
    with forwarder_to(nox_clean.webui_port) as forwarder:
        settings = ConnectionSettings(
            url=forwarder.url(), username=nox_clean.username, password=nox_clean.password
        )
        assert asyncio.run(session_of_requests(settings, polls=5)) is ApiGeneration.V2
        requests = forwarder.requests
        heads = forwarder.request_heads()
        connections = [conn.requests for conn in forwarder.connections if conn.requests]

    # probe, login, probe, app/version, 5 x maindata, a command, logout
    assert len(requests) == 11, requests
    assert len(connections) == 2, connections
    # Only the first probe (the generation is not known yet) asks for a close.
    assert connections[0] == [("GET", "/api/v2/app/webapiVersion")]
    assert asks_to_close(heads[0])
    assert not any(asks_to_close(head) for head in heads[1:]), heads[1]
    assert connections[1][0] == ("POST", "/api/v2/auth/login")


def test_legacy_requests_each_get_a_fresh_connection(sim_forwarder: TcpProxy) -> None:
    settings = ConnectionSettings(url=sim_forwarder.url(), username="admin", password="adminadmin")
    assert asyncio.run(session_of_requests(settings, polls=5)) is ApiGeneration.LEGACY
    connections = [conn.requests for conn in sim_forwarder.connections]
    heads = sim_forwarder.request_heads()

    # probe (404), version/api, api_min, qbittorrent, login, 5 x maindata, a command, logout
    assert len(heads) == 12, connections
    assert all(len(requests) == 1 for requests in connections), connections
    assert all(asks_to_close(head) for head in heads), [h for h in heads if not asks_to_close(h)]


@pytest.mark.nox
def test_keep_alive_over_https_saves_handshakes(nox_factory) -> None:  # type: ignore[no-untyped-def]
    """Over TLS a fresh connection would cost a handshake per poll; v2 reuses one."""
    nox = nox_factory(https=True)
    with forwarder_to(nox.webui_port) as forwarder:
        settings = ConnectionSettings(
            # The certificate names 127.0.0.1, not the forwarder's address: keep-alive is the point here.
            url=forwarder.url("https"),
            username=nox.username,
            password=nox.password,
            verify=False,
        )
        assert asyncio.run(session_of_requests(settings, polls=5)) is ApiGeneration.V2
        used = [conn for conn in forwarder.connections if conn.sent]
    assert len(used) == 2, len(used)

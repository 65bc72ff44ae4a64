"""The real HTTP server: asyncio streams, one request per connection, 4.0.4's HTTP-layer errors."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import httpx
import pytest

from qbtui.sim import ThreadedServer, run_in_thread, serve
from tests.sim.helpers import new_sim

LOGIN = b"username=admin&password=adminadmin"


def exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes (then half-close), read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_one_request_per_connection(sim_server: ThreadedServer) -> None:
    raw = exchange(sim_server.port, b"GET /version/api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and body == b"17"  # and then EOF: closed
    assert b"connection:" not in head.lower()  # 4.0.4 closes without saying so
    with socket.create_connection(("127.0.0.1", sim_server.port), timeout=5) as conn:
        conn.sendall(b"GET /version/api HTTP/1.1\r\n\r\nGET /version/api HTTP/1.1\r\n\r\n")  # pipelined
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    assert data.count(b"HTTP/1.1 200 OK") == 1


def test_http_layer_errors(sim_server: ThreadedServer) -> None:
    port = sim_server.port
    chunked = exchange(
        port, b"POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    assert chunked.startswith(b"HTTP/1.1 411 Length Required\r\n")
    for bad in (
        b"get /version/api HTTP/1.1\r\n\r\n",
        b"GET /version/api\r\n\r\n",
        b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        b"POST /login HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
    ):
        reply = exchange(port, bad)
        assert reply.startswith(b"HTTP/1.1 400 Bad Request\r\n"), bad
        assert b"x-frame-options" not in reply  # before the web application
    folded = exchange(port, b"GET /version/api HTTP/1.1\r\nX-Long: a\r\n b\r\n\r\n")
    assert folded.endswith(b"\r\n\r\n17")
    assert exchange(port, b"GET /version/api HTTP/1.1\r\n") == b""  # the client gave up: just close
    body = exchange(
        port,
        b"POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(LOGIN), LOGIN),
    )
    assert body.endswith(b"\r\n\r\nOk.") and b"set-cookie: SID=" in body


async def test_serve_in_the_running_loop() -> None:
    sim = new_sim()
    async with serve(sim) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=server.url) as http:
            assert (await http.get("/version/api")).text == "17"
            assert (
                await http.post(
                    "/login", content=LOGIN, headers={"Content-Type": "application/x-www-form-urlencoded"}
                )
            ).text == "Ok."
            torrents = await http.get("/query/torrents")  # httpx asks for gzip and undoes it
            assert torrents.headers["content-encoding"] == "gzip" and len(torrents.json()) == 25
            for _ in range(20):  # pooled connections never trip over the server's closes
                assert (await http.get("/version/api_min")).text == "15"


async def test_shutdown_stops_the_server_and_it_can_restart() -> None:
    sim = new_sim(bypass_local_auth=True)
    async with serve(sim) as server:
        port = server.port
        async with httpx.AsyncClient(base_url=server.url) as http:
            assert (await http.get("/command/shutdown")).status_code == 200
            await asyncio.sleep(0.3)
            assert not server.running
            with pytest.raises(httpx.ConnectError):
                await http.get("/version/api")
    # The same simulator on the same port again, its state kept.
    async with serve(sim, port=port) as again, httpx.AsyncClient(base_url=again.url) as http:
        assert (await http.get("/version/api")).text == "17"


def test_run_in_thread_yields_a_url() -> None:
    sim = new_sim(torrent_count=3)
    with run_in_thread(sim) as url, httpx.Client(base_url=url) as http:
        assert (
            http.post(
                "/login", content=LOGIN, headers={"Content-Type": "application/x-www-form-urlencoded"}
            ).text
            == "Ok."
        )
        assert len(http.get("/query/torrents").json()) == 3
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/version/api")


def test_fixture_url(sim_thread_url: str, sim_server: ThreadedServer) -> None:
    assert sim_thread_url == sim_server.url
    assert httpx.get(f"{sim_thread_url}/version/qbittorrent").text == "v4.0.4"


def test_python_dash_m() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "qbtui.sim",
            "--port",
            "0",
            "--api-version",
            "16",
            "--torrents",
            "4",
            "--seed",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/version/api").text == "16"
        cookie = httpx.post(
            f"{url}/login", content=LOGIN, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ).cookies["SID"]
        assert httpx.get(f"{url}/command/shutdown", cookies={"SID": cookie}).status_code == 200
        assert process.wait(timeout=10) == 0  # shutdown ends the process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.poll() == 0

"""Misbehaving network paths on loopback, for fault tests: a listener that accepts and never
answers, and a forwarding proxy that holds every request for a while before passing it on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable


@contextlib.asynccontextmanager
async def stalling_server() -> AsyncIterator[str]:
    """Accepts connections and reads forever, never sending a byte: a hung server or a black hole."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        with contextlib.suppress(ConnectionError):
            while await reader.read(65536):
                pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def delaying_proxy(upstream_port: int, delay: Callable[[], float]) -> AsyncIterator[str]:
    """Forwards each connection to 127.0.0.1:`upstream_port`, holding every request chunk for
    `delay()` seconds: a slow server (or a slow link) that still answers correctly.

    It listens on 127.0.0.2 with the upstream's own port, so the Host header qBittorrent checks
    still names its port (a different port would be refused, as by a real server)."""
    tasks: set[asyncio.Task[None]] = set()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, hold: bool) -> None:
        try:
            while data := await reader.read(65536):
                if hold:
                    await asyncio.sleep(delay())
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def forward(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        except OSError:
            client_writer.close()
            return
        for task in (
            asyncio.create_task(pipe(client_reader, up_writer, hold=True)),
            asyncio.create_task(pipe(up_reader, client_writer, hold=False)),
        ):
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(forward, "127.0.0.2", upstream_port)
    try:
        yield f"http://127.0.0.2:{upstream_port}"
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()

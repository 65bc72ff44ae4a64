"""A real HTTP/1.1 server for a Simulator, on asyncio streams: one request per connection, like 4.0.4.

The connection is closed after every reply (4.0.4 has no keep-alive). Requests it cannot read get
400, chunked bodies 411; both come from the HTTP layer, without the WebUI's security headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
from collections.abc import AsyncIterator, Iterator

from qbtui.sim.forms import qt_int
from qbtui.sim.simulator import Simulator
from qbtui.sim.wire import MAX_BODY, SimRequest, bare_response

MAX_HEADER = 64 * 1024
READ_TIMEOUT = 30.0
_REQUEST_LINE = re.compile(r"([A-Z]+)\s+(\S+)\s+HTTP/\d\.\d")


class SimServer:
    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim = sim
        self.host = host
        self.port = port
        self._server: asyncio.base_events.Server | None = None
        self._stopping: asyncio.Task[None] | None = None
        self.requests = 0

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()

    @property
    def running(self) -> bool:
        return self._server is not None

    async def wait_stopped(self) -> None:
        while self._server is not None:
            await asyncio.sleep(0.05)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            reply = await asyncio.wait_for(self._read_and_handle(reader, writer), READ_TIMEOUT)
            if reply is not None:
                # 4.0.4 sends no "Connection: close" but closes at once. Cork the socket so the reply
                # and the FIN leave together: a pooling client then always sees the close before it
                # could reuse the connection (a C++ server wins that race; Python threads may not).
                _cork(writer, True)
                writer.write(reply)
                if writer.can_write_eof():
                    writer.write_eof()
                _cork(writer, False)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            # Timeouts, resets, and a client gone before the reply (ENOTCONN from write_eof).
            pass
        finally:
            # A connection still open when its test's loop closed is finalised outside that loop.
            with contextlib.suppress(RuntimeError):
                writer.close()
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                await writer.wait_closed()

    async def _read_and_handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            return self._bare(400)
        except asyncio.IncompleteReadError:
            return None  # the client went away before finishing its request
        if len(head) > MAX_HEADER:
            return self._bare(400)
        parsed = _parse_head(head)
        if parsed is None:
            return self._bare(400)
        method, target, headers = parsed
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._bare(411)
        length = qt_int(headers.get("content-length"), bits=64)
        if length > MAX_BODY:
            return self._bare(400)
        body = await reader.readexactly(length) if length > 0 else b""
        local = writer.get_extra_info("sockname") or ("127.0.0.1", self.port)
        peer = writer.get_extra_info("peername") or ("127.0.0.1", 0)
        request = SimRequest(
            method, target, list(headers.items()), body, str(peer[0]), str(local[0]), int(local[1])
        )
        self.requests += 1
        response = self.sim.handle(request)
        if response.shutdown and self._stopping is None:
            self._stopping = asyncio.get_running_loop().create_task(self._stop_soon())
        return response.to_bytes()

    async def _stop_soon(self) -> None:
        await asyncio.sleep(0.1)  # 4.0.4 quits 100 ms after answering command/shutdown
        await self.stop()

    def _bare(self, status: int) -> bytes:
        return bare_response(status, self.sim.config.clock()).to_bytes()


def _cork(writer: asyncio.StreamWriter, on: bool) -> None:
    sock = writer.get_extra_info("socket")
    option = getattr(socket, "TCP_CORK", None)
    if sock is None or option is None:
        return
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, option, 1 if on else 0)


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]] | None:
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError:
        return None
    lines: list[str] = []
    for line in text.split("\r\n"):
        if not line:
            continue
        if line[0] in " \t":
            if not lines:
                return None
            lines[-1] += " " + line.strip()  # obsolete header folding
        else:
            lines.append(line)
    if not lines:
        return None
    match = _REQUEST_LINE.fullmatch(lines[0].strip())
    if not match:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            return None
        # Header values are UTF-8 on the wire in practice; Qt reads them that way too.
        headers[name.strip().lower()] = value.strip().encode("latin-1").decode("utf-8", errors="replace")
    return match.group(1), match.group(2), headers


@contextlib.asynccontextmanager
async def serve(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[SimServer]:
    """`async with serve(sim) as server:` — a running server at `server.url` until the block ends."""
    server = SimServer(sim, host, port)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class ThreadedServer:
    """A SimServer running on its own event loop in a background thread."""

    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim = sim
        self._server = SimServer(sim, host, port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def host(self) -> str:
        return self._server.host

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def running(self) -> bool:
        return self._server.running

    def start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._server.start())
            except BaseException as exc:  # handed to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            self._loop = loop
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._server.stop())
                loop.close()

        self._thread = threading.Thread(target=main, name="qbtui-sim", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]

    def stop(self) -> None:
        """Stop serving and end the thread (idempotent)."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=10)


@contextlib.contextmanager
def serve_in_thread(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[ThreadedServer]:
    """Serve from a background thread with its own event loop; yields the running ThreadedServer."""
    server = ThreadedServer(sim, host, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def run_in_thread(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve from a background thread with its own event loop; yields the URL."""
    with serve_in_thread(sim, host, port) as server:
        yield server.url

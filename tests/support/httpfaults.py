"""An HTTP/1.1 proxy on loopback that answers chosen requests itself, for fault tests in front of a
real qbittorrent-nox: a 502 page from a "reverse proxy", a 403 as if the session were gone.

    async with HttpFaultProxy(nox.webui_port) as proxy:
        proxy.fail("/api/v2/auth/login", 502, times=1)
        ... the app talks to proxy.url ...
        proxy.answered  # [(method, path, status)] of every request, faulted or passed on

It listens on 127.0.0.2 with the upstream's own port, so the Host header qBittorrent checks still
names its port. Requests and replies are passed on byte for byte (one upstream connection per client
connection, keep-alive as the client asks); qBittorrent always sends Content-Length.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
REASONS = {403: "Forbidden", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Rule:
    path: str  # a request whose path starts with this
    status: int
    times: int  # how many more requests to answer so
    body: bytes
    content_type: str


@dataclass
class HttpFaultProxy:
    upstream_port: int
    rules: list[Rule] = field(default_factory=list)
    answered: list[tuple[str, str, int]] = field(default_factory=list)
    _server: asyncio.AbstractServer | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.2:{self.upstream_port}"

    def fail(self, path: str, status: int, times: int = 1, body: bytes | None = None) -> None:
        """Answer the next `times` requests for `path…` with `status` (502: an nginx error page)."""
        if body is None:
            body = GATEWAY_PAGE if status >= 500 else REASONS.get(status, "").encode()
        kind = "text/html" if body.lstrip().startswith(b"<") else "text/plain; charset=UTF-8"
        self.rules.append(Rule(path, status, times, body, kind))

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for _, p, s in self.answered if p.startswith(path) and status in (None, s))

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.2", self.upstream_port)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    def _fault_for(self, path: str) -> Rule | None:
        for rule in self.rules:
            if rule.times > 0 and path.startswith(rule.path):
                rule.times -= 1
                return rule
        return None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                request = await _read_message(reader)
                if request is None:
                    return
                head, _ = request
                method, path = head.split(b" ", 2)[:2]
                rule = self._fault_for(path.decode())
                if rule is not None:
                    reply = (
                        f"HTTP/1.1 {rule.status} {REASONS.get(rule.status, 'Error')}\r\n"
                        f"Content-Type: {rule.content_type}\r\nContent-Length: {len(rule.body)}\r\n\r\n"
                    ).encode() + rule.body
                    status = rule.status
                else:
                    if upstream is None:
                        upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
                    upstream[1].write(head + request[1])
                    await upstream[1].drain()
                    response = await _read_message(upstream[0])
                    if response is None:
                        return
                    reply = response[0] + response[1]
                    status = int(response[0].split(b" ", 2)[1])
                self.answered.append((method.decode(), path.decode(), status))
                writer.write(reply)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            for w in (writer, upstream[1] if upstream else None):
                if w is not None:
                    with contextlib.suppress(Exception):
                        w.close()


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    """(head with its blank line, body) of one HTTP message, or None at the end of the stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head, body

"""Offer one file over HTTP on loopback for a short while: how a file on this computer reaches a
server that can only download URLs (qBittorrent's installPlugin).

The URL holds a random token (`http://127.0.0.1:PORT/TOKEN/NAME`), so no other local process can
guess it; only GET of exactly that path gets the bytes, anything else a 404. The listener closes
when the `async with` block ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from types import TracebackType
from urllib.parse import quote


class FileOffer:
    def __init__(self, data: bytes, name: str, host: str = "127.0.0.1") -> None:
        self._data = data
        self._name = name
        self._host = host
        self._token = secrets.token_urlsafe(16)
        self._server: asyncio.Server | None = None
        self.port = 0
        #: How many times the file was served.
        self.fetched = 0

    @property
    def path(self) -> str:
        return f"/{self._token}/{quote(self._name)}"

    @property
    def url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}{self.path}"

    async def __aenter__(self) -> FileOffer:
        self._server = await asyncio.start_server(self._serve, self._host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            method, target, *_ = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            if method in ("GET", "HEAD") and target == self.path:
                head = (
                    "HTTP/1.1 200 OK\r\nContent-Type: text/x-python\r\n"
                    f"Content-Length: {len(self._data)}\r\nConnection: close\r\n\r\n"
                )
                writer.write(head.encode() + (self._data if method == "GET" else b""))
                self.fetched += method == "GET"
            else:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

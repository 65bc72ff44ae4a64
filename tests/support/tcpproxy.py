"""A counting, recording TCP forwarder for tests: what the client really sent, on how many connections.

`TcpProxy(target_port)` listens on a free loopback port and copies bytes both ways to the target.
It keeps every byte of every connection, so a test can count TCP connections (keep-alive), read the
request headers the client sent (`Connection: close`, Referer, Cookie) and the cookie the server set.
A half-close is passed on in each direction, so a server that closes after its reply (legacy
qBittorrent) looks the same to the client as without the proxy.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

_SET_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+)=([^;\r\n]*)", re.IGNORECASE | re.MULTILINE)


def split_requests(data: bytes) -> list[tuple[str, bytes]]:
    """(header block, body) of each HTTP/1.1 request in a client byte stream (Content-Length bodies)."""
    found = []
    position = 0
    while position < len(data):
        end = data.find(b"\r\n\r\n", position)
        if end < 0:
            break
        head = data[position:end].decode("latin-1")
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body_start = end + 4
        found.append((head, data[body_start : body_start + length]))
        position = body_start + length
    return found


@dataclass
class ProxiedConnection:
    """One client connection: the bytes each side sent."""

    sent: bytearray = field(default_factory=bytearray)  # client -> server
    received: bytearray = field(default_factory=bytearray)  # server -> client

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, target) of every request the client sent on this connection."""
        lines = [head.split("\r\n", 1)[0].split(" ") for head in self.request_heads()]
        return [(line[0], line[1]) for line in lines if len(line) == 3]

    def request_heads(self) -> list[str]:
        """The header block of every request, as text (bodies left out)."""
        return [head for head, _body in split_requests(bytes(self.sent))]


class TcpProxy:
    """Forwards `listen_host:listen_port` (default: a free port) to `target_host:target_port`.

    qBittorrent's Host check wants its own port in `Host`: listening on another loopback address
    with the server's port number (`TcpProxy(port, listen_host="127.0.0.2", listen_port=port)`)
    passes it (the name matches the default server domains `*`), a different port does not.
    """

    def __init__(
        self,
        target_port: int,
        target_host: str = "127.0.0.1",
        listen_host: str = "127.0.0.1",
        listen_port: int = 0,
    ) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((listen_host, listen_port))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self.connections: list[ProxiedConnection] = []
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, name="tcpproxy-accept", daemon=True)
        self._acceptor.start()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://{self.address}"

    # -- what went through

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            return [request for conn in self.connections for request in conn.requests]

    def request_heads(self) -> list[str]:
        with self._lock:
            return [head for conn in self.connections for head in conn.request_heads()]

    def cookies_set(self) -> dict[str, str]:
        """Every cookie the server set (name -> last value), expired ones included."""
        with self._lock:
            found: dict[str, str] = {}
            for conn in self.connections:
                for name, value in _SET_COOKIE.findall(bytes(conn.received)):
                    found[name.decode()] = value.decode()
            return found

    def session_cookie_values(self) -> set[str]:
        """The non-empty session cookie values the server handed out."""
        with self._lock:
            values = set()
            for conn in self.connections:
                for _name, value in _SET_COOKIE.findall(bytes(conn.received)):
                    if value:
                        values.add(value.decode())
            return values

    def reset(self) -> None:
        with self._lock:
            self.connections.clear()

    # -- machinery

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            record = ProxiedConnection()
            with self._lock:
                self.connections.append(record)
                self._sockets += [client, upstream]
            pumps = [
                threading.Thread(target=self._pump, args=(client, upstream, record.sent), daemon=True),
                threading.Thread(target=self._pump, args=(upstream, client, record.received), daemon=True),
            ]
            for pump in pumps:
                pump.start()
            self._threads += pumps

    def _pump(self, source: socket.socket, sink: socket.socket, log: bytearray) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self._lock:
                    log += data
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self._threads:
            thread.join(5)
        self._acceptor.join(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

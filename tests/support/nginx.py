"""A private nginx reverse proxy for tests: its own prefix, config, pid, logs and a free loopback port.

nginx runs in the foreground as a single process (`daemon off; master_process off;`), so it never
switches user, never touches /var/lib/nginx, /run or /var/log, and the harness stops it by pid.
Each location is one `Route`: a path prefix mapped to an upstream, with the headers the proxy sets
(`proxy_set_header Host ...`, `X-Forwarded-Host ...`), which is what qBittorrent's Host and CSRF
checks look at. The access log names nginx's connection serial number (`$connection`), so a test
can count the client's TCP connections.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.support.noxserver import find_binary

NGINX_BINARY_ENV = "QBTUI_NGINX_BINARY"
DEFAULT_NGINX_BINARY = Path("/usr/sbin/nginx")

_LIVE: set[subprocess.Popen[bytes]] = set()


@atexit.register
def _kill_leftovers() -> None:
    for process in list(_LIVE):
        if process.poll() is None:
            process.kill()
            process.wait(10)


class NginxError(RuntimeError):
    """nginx could not be started; the message has its error log."""


def find_nginx_binary() -> Path | None:
    """$QBTUI_NGINX_BINARY, then PATH, then Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    return find_binary("nginx", NGINX_BINARY_ENV, DEFAULT_NGINX_BINARY)


@dataclass(frozen=True)
class Route:
    """`location <prefix> { proxy_pass <upstream>; proxy_set_header ... }`.

    `upstream` ends with "/" so that nginx replaces the prefix: `/qbt/api/v2/x` -> `/api/v2/x`.
    `headers` maps a request header to an nginx value; by default nginx sends
    `Host: $proxy_host` (the upstream's host:port) and passes Referer, Origin and Cookie unchanged.
    """

    prefix: str
    upstream: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def render(self) -> str:
        lines = [f"        location {self.prefix} {{", f"            proxy_pass {self.upstream};"]
        lines += [f"            proxy_set_header {name} {value};" for name, value in self.headers.items()]
        lines += ["            proxy_http_version 1.1;", '            proxy_set_header Connection "";']
        lines.append("        }")
        return "\n".join(lines)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class NginxProxy:
    """One nginx process serving `routes` on `host:port` (a free port unless given; a port below 1024
    needs root)."""

    def __init__(
        self,
        binary: str | os.PathLike[str],
        directory: str | os.PathLike[str],
        routes: Sequence[Route],
        host: str = "127.0.0.2",
        port: int | None = None,
    ) -> None:
        self.binary = Path(binary)
        self.directory = Path(directory).resolve()
        self.routes = list(routes)
        self.host = host
        self.fixed_port = port
        self.port = port or 0
        self.conf_path = self.directory / "nginx.conf"
        self.access_log = self.directory / "access.log"
        self.error_log = self.directory / "error.log"
        self.pid_path = self.directory / "nginx.pid"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def render_config(self) -> str:
        d = self.directory
        temp = d / "temp"
        routes = "\n".join(route.render() for route in self.routes)
        return f"""\
daemon off;
master_process off;
worker_processes 1;
pid {d / "nginx.pid"};
error_log {self.error_log} info;
events {{ worker_connections 256; }}
http {{
    log_format qbtui '$connection $connection_requests "$request" $status '
                     'host="$http_host" referer="$http_referer" origin="$http_origin" '
                     'xfh="$http_x_forwarded_host"';
    access_log {self.access_log} qbtui;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    keepalive_timeout 60s;
    client_max_body_size 64m;
    server {{
        listen {self.host}:{self.port};
        server_name qbt.proxy.test;
{routes}
    }}
}}
"""

    def start(self, timeout: float = 15.0) -> Self:
        if self.running:
            return self
        (self.directory / "temp").mkdir(parents=True, exist_ok=True)
        attempts = 1 if self.fixed_port else 3
        for attempt in range(attempts):
            self.port = self.fixed_port or _free_port(self.host)
            self.conf_path.write_text(self.render_config())
            with self.error_log.open("ab") as log:
                self._process = subprocess.Popen(
                    [
                        str(self.binary),
                        "-p",
                        str(self.directory),
                        "-c",
                        str(self.conf_path),
                        "-e",
                        str(self.error_log),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.directory,
                    start_new_session=True,
                )
            _LIVE.add(self._process)
            try:
                self._wait_ready(timeout)
                return self
            except NginxError:
                self.stop()
                if "Address already in use" not in self.error_text() or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self._process is not None
        while True:
            if self._process.poll() is not None:
                raise NginxError(f"nginx exited with status {self._process.returncode}:\n{self.error_text()}")
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), timeout=1):
                return
            if time.monotonic() > deadline:
                raise NginxError(
                    f"nginx not listening on {self.url} after {timeout:.0f} s:\n{self.error_text()}"
                )
            time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: finish requests, flush the logs
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        _LIVE.discard(process)

    def error_text(self) -> str:
        with contextlib.suppress(FileNotFoundError):
            return self.error_log.read_text(errors="replace")
        return ""

    def access_lines(self) -> list[str]:
        with contextlib.suppress(FileNotFoundError):
            return self.access_log.read_text(errors="replace").splitlines()
        return []

    def connections_used(self, prefix: str = "") -> dict[int, int]:
        """nginx connection serial -> number of logged requests on it (requests under `prefix` only)."""
        counts: dict[int, int] = {}
        for line in self.access_lines():
            serial, _requests, rest = line.split(" ", 2)
            if prefix and f" {prefix}" not in rest.split('"', 2)[1]:
                continue
            counts[int(serial)] = counts.get(int(serial), 0) + 1
        return counts

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

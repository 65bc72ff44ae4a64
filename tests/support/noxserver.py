"""Real qbittorrent-nox instances on loopback (4.5.2 on the host, 5.x from Debian root filesystems:
tests/support/rootfs.py), for tests that must talk to the genuine server.

Each instance gets a throwaway profile, its own free ports and a random WebUI password that is stored
only as a PBKDF2 hash in the config file (never on a command line, never the built-in default).
Everything here uses raw httpx on purpose: the project's own API client is what these servers test.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import os
import random
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, Self

import httpx

from qbtui.util.torrentfile import TorrentBuilder, TorrentMeta, parse
from tests.support.rootfs import ChrootRuntime

NOX_BINARY_ENV = "QBTUI_NOX_BINARY"
DEFAULT_NOX_BINARY = Path("/usr/bin/qbittorrent-nox")
LOOPBACK = "127.0.0.1"

# Torrent states in which a torrent holds all its data and is serving it (5.0 renamed pausedUP).
SEEDING_STATES = frozenset({"uploading", "stalledUP", "queuedUP", "forcedUP", "pausedUP", "stoppedUP"})
#: States of a stopped torrent: 4.x says paused, 5.0 renamed them.
STOPPED_STATES = frozenset({"pausedDL", "pausedUP", "stoppedDL", "stoppedUP"})

ConfigValue = bool | int | str
ConfigSections = Mapping[str, Mapping[str, ConfigValue]]


# Processes started and not yet stopped, killed at interpreter exit: they run in their own session
# (start_new_session), so an aborted test run would otherwise leave daemons behind.
_LIVE_PROCESSES: set[subprocess.Popen[bytes]] = set()


@atexit.register
def _kill_leftovers() -> None:
    for process in list(_LIVE_PROCESSES):
        if process.poll() is None:
            process.kill()
            process.wait(10)


class NoxError(RuntimeError):
    """A qbittorrent-nox instance could not be started, stopped or driven; the message has the log tail."""


class PortCollision(NoxError):
    """Another process took one of the instance's ports between choosing it and nox binding it."""


def find_binary(name: str, override_env: str, debian_path: Path) -> Path | None:
    """$override_env, then PATH, then Debian's location (/usr/sbin is not on every user's PATH)."""
    override = os.environ.get(override_env)
    if override:
        return Path(override) if Path(override).is_file() else None
    found = shutil.which(name)
    if found:
        return Path(found)
    return debian_path if debian_path.is_file() else None


def find_nox_binary() -> Path | None:
    """The qbittorrent-nox to test against: $QBTUI_NOX_BINARY, then PATH, then the Debian location."""
    return find_binary("qbittorrent-nox", NOX_BINARY_ENV, DEFAULT_NOX_BINARY)


_HOST_VERSIONS: dict[Path, str] = {}


def host_binary_version(binary: Path) -> str:
    """`qbittorrent-nox --version` of a host binary ("qBittorrent v4.5.2" -> "4.5.2"), asked once."""
    if binary not in _HOST_VERSIONS:
        result = subprocess.run(
            [str(binary), "--version"], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
        words = result.stdout.split()
        _HOST_VERSIONS[binary] = words[-1].lstrip("v") if words else "0"
    return _HOST_VERSIONS[binary]


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def pbkdf2_password_hash(password: str, salt: bytes | None = None) -> str:
    """`base64(salt):base64(key)` as 4.2+ stores `WebUI\\Password_PBKDF2` (src/base/utils/password.cpp)."""
    salt = os.urandom(16) if salt is None else salt
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 64)
    return f"{base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()}"


# --------------------------------------------------------------------------------------------- ports


def free_ports(count: int) -> list[int]:
    """Ports the kernel just handed out for 127.0.0.1; all sockets are held together so they differ."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((LOOPBACK, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]


def port_is_free(port: int) -> bool:
    """Whether something still listens on `port` on any address.

    SO_REUSEADDR mirrors what Qt and libtorrent set, so lingering TIME_WAIT connections from our own
    HTTP clients do not count as busy; only a live listener does.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def _owns_listener(pid: int, port: int) -> bool | None:
    """Whether process `pid` holds a TCP socket listening on `port`; None where /proc cannot tell."""
    inodes: set[str] = set()
    try:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(FileNotFoundError), open(table) as handle:
                next(handle)
                for row in handle:
                    fields = row.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A = LISTEN
                        inodes.add(fields[9])
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except (OSError, StopIteration, IndexError, ValueError):
        return None
    links = set()
    for fd in fds:
        with contextlib.suppress(OSError):  # closed since the listing
            links.add(os.readlink(fd))
    return any(f"socket:[{inode}]" in links for inode in inodes)


def wait_for_ports_free(ports: list[int], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while busy := [port for port in ports if not port_is_free(port)]:
        if time.monotonic() > deadline:
            raise NoxError(f"ports still in use after {timeout:.0f} s: {busy}")
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------- config


_INI_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:-")


def _ini_value(value: ConfigValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # QSettings splits unquoted values at commas (string lists) and treats a leading "@" as a type tag,
    # so anything but the plainest text is quoted; @ByteArray(...) must stay quoted but unescaped.
    if value.startswith("@ByteArray(") or value.startswith("@Variant("):
        return f'"{value}"'
    if value and set(value) <= _INI_SAFE:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_config(sections: ConfigSections) -> str:
    """A qBittorrent.conf (QSettings INI) text; keys use `\\` for sub-groups, e.g. `WebUI\\Port`."""
    lines: list[str] = []
    for section, entries in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key}={_ini_value(value)}" for key, value in entries.items()]
        lines.append("")
    return "\n".join(lines)


def make_self_signed_cert(directory: Path, common_name: str = LOOPBACK) -> tuple[Path, Path]:
    """A throwaway RSA certificate with an IP SAN for 127.0.0.1, so `verify=<cert>` passes hostname checks."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise NoxError("HTTPS instances need the openssl CLI (apt-get install openssl)")
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "webui-cert.pem", directory / "webui-key.pem"
    args = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "7"]
    args += ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={common_name}"]
    args += ["-addext", f"subjectAltName=IP:{LOOPBACK},DNS:localhost"]
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NoxError(f"openssl could not create a certificate:\n{result.stderr}")
    key.chmod(0o600)
    return cert, key


# --------------------------------------------------------------------------------------------- instance


@dataclass(frozen=True, kw_only=True)
class NoxOptions:
    """Knobs for one instance. Defaults are 4.5.2's own, except banning, which is off (0) so that
    tests probing wrong passwords cannot lock out the rest of the suite."""

    username: str = "qbtui"
    local_host_auth: bool = True  # True: loopback must log in too, like a real remote server
    csrf_protection: bool = True
    host_header_validation: bool = True
    max_auth_fail_count: int = 0  # 0 = never ban
    ban_duration: int = 3600  # seconds
    session_timeout: int = 3600  # seconds
    queueing: bool = False
    tracker: bool = False  # the embedded tracker, at `tracker_url`
    https: bool = False  # self-signed certificate at `cert_path`
    # Merged last, for switches the harness has no named option for: {"Preferences": {"WebUI\\X": 1}}.
    extra_config: ConfigSections = field(default_factory=dict)


class NoxInstance:
    """One qbittorrent-nox process with its own profile and ports; a context manager that stops it."""

    def __init__(
        self,
        binary: str | os.PathLike[str] | ChrootRuntime,
        profile: str | os.PathLike[str],
        options: NoxOptions | None = None,
    ) -> None:
        #: A host binary, or a qbittorrent-nox inside a Debian root filesystem (tests/support/rootfs.py).
        self.runtime = binary if isinstance(binary, ChrootRuntime) else None
        self.binary = Path("qbittorrent-nox") if isinstance(binary, ChrootRuntime) else Path(binary)
        self.profile = Path(profile).resolve()
        self.options = options or NoxOptions()
        self.username = self.options.username
        # URL-safe so it survives any form encoding; the server only ever sees its PBKDF2 hash on disk.
        self.password = secrets.token_urlsafe(18)
        self.webui_port = self.torrent_port = 0
        self.tracker_port: int | None = None
        self._assign_ports()
        self.downloads = self.profile / "downloads"
        self.config_path = self.profile / "qBittorrent" / "config" / "qBittorrent.conf"
        self.console_log_path = self.profile / "nox-console.log"
        self.app_log_path = self.profile / "qBittorrent" / "data" / "logs" / "qbittorrent.log"
        self.cert_path: Path | None = None
        self.key_path: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_marks: dict[Path, int] = {}

    def _assign_ports(self) -> None:
        self.webui_port, self.torrent_port, tracker_port = free_ports(3)
        self.tracker_port = tracker_port if self.options.tracker else None

    @property
    def version(self) -> str:
        """The server's version, e.g. "5.3.0" (without the leading v)."""
        return self.runtime.version if self.runtime else host_binary_version(self.binary)

    def at_least(self, *version: int) -> bool:
        return version_tuple(self.version) >= version

    def raw_form(self, form: dict[str, str]) -> dict[str, str]:
        """Raw `torrents/add` fields in this server's words: tests write 4.5.2's (`paused`,
        `skip_checking`); 5.0 renamed `paused` to `stopped`, 5.3 (WebAPI 2.16) `skip_checking` to
        `seedMode`."""
        form = dict(form)
        if self.at_least(5) and "paused" in form:
            form["stopped"] = form.pop("paused")
        if self.at_least(5, 3) and "skip_checking" in form:
            form["seedMode"] = form.pop("skip_checking")
        return form

    def describe_binary(self) -> str:
        return self.runtime.describe() if self.runtime else str(self.binary)

    def __repr__(self) -> str:
        state = f"pid={self.pid}" if self.running else "stopped"
        return f"<NoxInstance {self.url} {state} profile={self.profile}>"

    # -- addresses

    @property
    def url(self) -> str:
        scheme = "https" if self.options.https else "http"
        return f"{scheme}://{LOOPBACK}:{self.webui_port}"

    @property
    def tracker_url(self) -> str | None:
        return None if self.tracker_port is None else f"http://{LOOPBACK}:{self.tracker_port}/announce"

    @property
    def peer_address(self) -> str:
        """What other instances pass to `torrents/addPeers` to reach this one."""
        return f"{LOOPBACK}:{self.torrent_port}"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """The httpx `verify=` that trusts this instance's self-signed certificate (True for plain HTTP)."""
        # A context rather than the path: httpx 0.28 deprecates verify=<str>.
        return ssl.create_default_context(cafile=self.cert_path) if self.cert_path else True

    # -- process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def config_sections(self) -> dict[str, dict[str, ConfigValue]]:
        opts = self.options
        prefs: dict[str, ConfigValue] = {
            "WebUI\\Username": self.username,
            "WebUI\\Password_PBKDF2": f"@ByteArray({pbkdf2_password_hash(self.password)})",
            "WebUI\\Port": self.webui_port,
            "WebUI\\Address": LOOPBACK,
            "WebUI\\UseUPnP": False,
            "WebUI\\LocalHostAuth": opts.local_host_auth,
            "WebUI\\CSRFProtection": opts.csrf_protection,
            "WebUI\\HostHeaderValidation": opts.host_header_validation,
            "WebUI\\MaxAuthenticationFailCount": opts.max_auth_fail_count,
            "WebUI\\BanDuration": opts.ban_duration,
            "WebUI\\SessionTimeout": opts.session_timeout,
            # Both default to true and would send the instance to the internet (GeoIP download, rDNS).
            "Connection\\ResolvePeerCountries": False,
            "Connection\\ResolvePeerHostNames": False,
        }
        if self.tracker_port is not None:
            prefs["Advanced\\trackerPort"] = self.tracker_port
            prefs["Advanced\\trackerPortForwarding"] = False
        if opts.https:
            assert self.cert_path and self.key_path
            prefs["WebUI\\HTTPS\\Enabled"] = True
            prefs["WebUI\\HTTPS\\CertificatePath"] = str(self.cert_path)
            prefs["WebUI\\HTTPS\\KeyPath"] = str(self.key_path)
        bittorrent: dict[str, ConfigValue] = {
            "Session\\Port": self.torrent_port,
            # libtorrent listens on loopback only: the harness must never be reachable from outside.
            "Session\\InterfaceAddress": LOOPBACK,
            "Session\\DHTEnabled": False,
            "Session\\LSDEnabled": False,
            "Session\\PeXEnabled": False,
            "Session\\QueueingSystemEnabled": opts.queueing,
            "Session\\DefaultSavePath": str(self.downloads),
            "Session\\AddExtensionToIncompleteFiles": False,
            # Every instance is 127.0.0.1, and trackers hand each peer its own address back; with one
            # connection per IP (the default) libtorrent keeps only one 127.0.0.1 entry, often itself,
            # and a swarm never connects.
            "Session\\MultiConnectionsPerIp": True,
            # Shutdown waits this long (s) for "stopped" announces; the default 5 s slows every stop().
            "Session\\StopTrackerTimeout": 1,
            "TrackerEnabled": opts.tracker,
        }
        sections: dict[str, dict[str, ConfigValue]] = {
            "LegalNotice": {"Accepted": True},
            "Preferences": prefs,
            "BitTorrent": bittorrent,
            "Network": {"PortForwardingEnabled": False},
        }
        for section, entries in opts.extra_config.items():
            sections.setdefault(section, {}).update(entries)
        return sections

    def _write_config(self) -> None:
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        self.downloads.mkdir(parents=True, exist_ok=True)
        if self.options.https and self.cert_path is None:
            self.cert_path, self.key_path = make_self_signed_cert(self.profile / "tls")
        self.config_path.write_text(render_config(self.config_sections()), encoding="utf-8")
        self.config_path.chmod(0o600)

    def _environment(self) -> dict[str, str]:
        # A clean slate instead of os.environ: no tokens leak into the child and no proxy variables or
        # user config (XDG dirs) can change how it behaves.
        home = self.profile / "home"
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        # Its own temp dir: qBittorrent empties <temp>/.qBittorrent when it exits, which took the
        # .torrent a running creator task of another server had written there (HTTP 409 "File open
        # error" on torrentcreator/torrentFile while a parallel test stopped its server).
        env["TMPDIR"] = str(self.profile / "tmp")
        return env

    def start(self, timeout: float = 30.0) -> Self:
        """Launch and wait until the WebUI answers; a no-op while running.

        The config is written on the first start only: nox rewrites it itself, and a restart must see
        what the previous run left. A profile therefore belongs to one NoxInstance object (the
        password exists only in its memory). If a first start loses a port race to another process,
        it retries on fresh ports; later starts must keep their ports and fail instead.
        """
        if self.running:
            return self
        fresh = not self.config_path.exists()
        attempts_left = 3 if fresh else 1
        while True:
            attempts_left -= 1
            if fresh:
                self._write_config()
            self._launch()
            try:
                self._wait_ready(timeout)
                return self
            except PortCollision:
                self.kill()
                if not attempts_left:
                    raise
                self._assign_ports()
            except BaseException:
                self.kill()
                raise

    def _launch(self) -> None:
        (self.profile / "home").mkdir(parents=True, exist_ok=True)
        (self.profile / "tmp").mkdir(exist_ok=True)
        # Readiness looks only at what this run logs, not at failures of earlier runs of the profile.
        self._log_marks = {
            path: path.stat().st_size if path.exists() else 0
            for path in (self.console_log_path, self.app_log_path)
        }
        with self.console_log_path.open("ab") as log:
            banner = f"\n===== harness: starting {self.describe_binary()} at {time.ctime()} =====\n"
            log.write(banner.encode())
            log.flush()
            args = [f"--profile={self.profile}", f"--webui-port={self.webui_port}"]
            self._process = subprocess.Popen(
                self.runtime.command(args) if self.runtime else [str(self.binary), *args],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._environment(),
                cwd=self.profile,
                start_new_session=True,  # a Ctrl-C in the test terminal must not hit nox first
            )
        _LIVE_PROCESSES.add(self._process)

    def _log_since_launch(self) -> str:
        parts = []
        for path, mark in self._log_marks.items():
            with contextlib.suppress(FileNotFoundError), path.open("rb") as handle:
                handle.seek(mark)
                parts.append(handle.read().decode("utf-8", errors="replace"))
        return "\n".join(parts)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = f"{self.url}/api/v2/app/webapiVersion"
        with httpx.Client(verify=False, trust_env=False, timeout=2.0) as client:
            while True:
                assert self._process is not None
                exited = self._process.poll() is not None
                log = self._log_since_launch()
                for line in log.splitlines():
                    # 4.5.2 exits (status 1) when the WebUI cannot bind, but only logs libtorrent failures.
                    if "Unable to bind" in line or "Failed to listen" in line:
                        raise PortCollision(f"{line.strip()}\n{self.log_tail()}")
                if exited:
                    raise NoxError(
                        f"qbittorrent-nox exited with status {self._process.returncode} during startup\n"
                        + self.log_tail()
                    )
                if self.options.https and "HTTPS setup failed" in log:
                    raise NoxError("qbittorrent-nox fell back to plain HTTP\n" + self.log_tail())
                with contextlib.suppress(httpx.TransportError):
                    answered = client.get(probe).status_code in (200, 403)
                    # Whoever won a port race answers HTTP too; only our own listener counts.
                    if answered and _owns_listener(self._process.pid, self.webui_port) is not False:
                        return
                if time.monotonic() > deadline:
                    raise NoxError(f"WebUI at {self.url} not ready after {timeout:.0f} s\n" + self.log_tail())
                time.sleep(0.1)

    def stop(self, timeout: float = 20.0) -> None:
        """Graceful shutdown (SIGTERM, so resume data is saved), escalating to SIGKILL."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        _LIVE_PROCESSES.discard(process)

    def kill(self) -> None:
        """Crash it: no shutdown, no resume data, as after a power cut."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.kill()
        process.wait(10)
        _LIVE_PROCESSES.discard(process)

    def restart(self, timeout: float = 30.0) -> Self:
        """Stop and start again with the same profile, ports and password."""
        self.stop()
        ports = [self.webui_port, self.torrent_port] + ([self.tracker_port] if self.tracker_port else [])
        wait_for_ports_free(ports)
        return self.start(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- logs

    def log_text(self) -> str:
        """Console output of every run, then qBittorrent's own log file."""
        parts = []
        for path in (self.console_log_path, self.app_log_path):
            with contextlib.suppress(FileNotFoundError):
                parts.append(f"--- {path.name} ---\n" + path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    # -- raw HTTP helpers (httpx only; the project's client is under test elsewhere)

    @contextlib.contextmanager
    def client(self, *, login: bool = True, timeout: float = 10.0, **kwargs: Any) -> Iterator[httpx.Client]:
        """An httpx client on this instance's base URL that trusts its certificate; logged in by default.

        Proxy variables are ignored (trust_env=False): CI machines may set one for PyPI, and it must
        never see loopback traffic.
        """
        kwargs.setdefault("verify", self.verify)
        with httpx.Client(base_url=self.url, trust_env=False, timeout=timeout, **kwargs) as client:
            if login:
                self.login(client)
            yield client

    def login(self, client: httpx.Client) -> None:
        reply = client.post("/api/v2/auth/login", data={"username": self.username, "password": self.password})
        # 5.2 answers 204 with no body.
        if (reply.status_code, reply.text) not in ((200, "Ok."), (204, "")):
            raise NoxError(f"login to {self.url} failed: {reply.status_code} {reply.text!r}")

    def add_torrent_file(self, torrent: Path, **form: str) -> None:
        """POST torrents/add with the file as multipart, plus form fields (savepath, skip_checking, …)
        in 4.5.2's words (see raw_form)."""
        with self.client() as client:
            reply = client.post(
                "/api/v2/torrents/add",
                data=self.raw_form(form),
                files={"torrents": (torrent.name, torrent.read_bytes(), "application/x-bittorrent")},
            )
        # 5.2+ (WebAPI 2.14) answers a JSON object with the added ids instead of "Ok.".
        if reply.status_code != 200 or (reply.text != "Ok." and _added_count(reply) != 1):
            raise NoxError(f"torrents/add on {self.url} failed: {reply.status_code} {reply.text!r}")

    def torrents(self, **params: str) -> list[dict[str, Any]]:
        with self.client() as client:
            reply = client.get("/api/v2/torrents/info", params=params)
            reply.raise_for_status()
            result: list[dict[str, Any]] = reply.json()
            return result

    def torrent(self, info_hash: str) -> dict[str, Any] | None:
        found = self.torrents(hashes=info_hash)
        return found[0] if found else None

    def wait_for_torrent(
        self,
        info_hash: str,
        until: Callable[[dict[str, Any]], bool],
        timeout: float = 30.0,
        what: str = "condition",
    ) -> dict[str, Any]:
        """Poll torrents/info until `until(torrent)` holds; fail with the last seen state and the log."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] | None = None
        with self.client() as client:
            while True:
                reply = client.get("/api/v2/torrents/info", params={"hashes": info_hash})
                reply.raise_for_status()
                found = reply.json()
                last = found[0] if found else None
                if last is not None and until(last):
                    return last
                if time.monotonic() > deadline:
                    summary = {k: last.get(k) for k in ("state", "progress", "num_seeds")} if last else None
                    raise NoxError(
                        f"{what} not reached for {info_hash} on {self.url} within {timeout:.0f} s; "
                        f"last seen {summary}\n{self.log_tail()}"
                    )
                time.sleep(0.2)

    def trackers(self, info_hash: str) -> list[dict[str, Any]]:
        """The real trackers of a torrent (without the DHT/PeX/LSD pseudo-rows)."""
        with self.client() as client:
            reply = client.get("/api/v2/torrents/trackers", params={"hash": info_hash})
            reply.raise_for_status()
            return [row for row in reply.json() if not str(row["url"]).startswith("** [")]

    def wait_for_tracker_working(
        self, info_hash: str, timeout: float = 60.0, *, a_counted_seed_will_do: bool = False
    ) -> dict[str, Any]:
        """Until a tracker of the torrent reports status 2 (working), i.e. the announce went through
        (or, with `a_counted_seed_will_do`, until the tracker has answered counting a seed: 5.1.0
        was seen staying "updating" for 60 s while its row said 1 seed, 1 peer).

        An announce can hang on a busy machine (5.3 was seen "updating" for 20 s): every 5 s without
        an answer the torrent is reannounced."""
        deadline = time.monotonic() + timeout
        nudge = time.monotonic() + 5
        while True:
            rows = self.trackers(info_hash)
            for row in rows:
                if row["status"] == 2 or (a_counted_seed_will_do and row.get("num_seeds", -1) >= 1):
                    return row
            if time.monotonic() > deadline:
                raise NoxError(
                    f"no working tracker for {info_hash} after {timeout:.0f} s: {rows}\n{self.log_tail()}"
                )
            if time.monotonic() > nudge:
                nudge = time.monotonic() + 5
                with self.client() as client:
                    client.post("/api/v2/torrents/reannounce", data={"hashes": info_hash})
            time.sleep(0.2)

    def delete_all_torrents(self, delete_files: bool = True, timeout: float = 15.0) -> None:
        with self.client() as client:
            hashes = [t["hash"] for t in client.get("/api/v2/torrents/info").json()]
            if not hashes:
                return
            client.post(
                "/api/v2/torrents/delete",
                data={"hashes": "|".join(hashes), "deleteFiles": "true" if delete_files else "false"},
            ).raise_for_status()
            # Removal is asynchronous inside libtorrent; callers expect an empty list afterwards.
            deadline = time.monotonic() + timeout
            while client.get("/api/v2/torrents/info").json():
                if time.monotonic() > deadline:
                    raise NoxError(f"torrents still listed {timeout:.0f} s after torrents/delete")
                time.sleep(0.1)

    def reset(self) -> None:
        """Back to an empty client: no torrents (files deleted), no categories, no tags."""
        self.delete_all_torrents()
        with self.client() as client:
            categories = list(client.get("/api/v2/torrents/categories").json())
            if categories:
                client.post(
                    "/api/v2/torrents/removeCategories", data={"categories": "\n".join(categories)}
                ).raise_for_status()
            tags = client.get("/api/v2/torrents/tags").json()
            if tags:
                client.post("/api/v2/torrents/deleteTags", data={"tags": ",".join(tags)}).raise_for_status()


def _added_count(reply: httpx.Response) -> int | None:
    try:
        answer = reply.json()
    except ValueError:
        return None
    return answer.get("success_count") if isinstance(answer, dict) else None


def start_instance(
    binary: str | os.PathLike[str] | ChrootRuntime, profile: str | os.PathLike[str], **options: Any
) -> NoxInstance:
    """Convenience: `start_instance(binary, tmp, tracker=True)` builds NoxOptions from keywords."""
    return NoxInstance(binary, profile, NoxOptions(**options)).start()


# --------------------------------------------------------------------------------------------- torrents


# Odd sizes so that pieces straddle file boundaries and the last piece is short.
SWARM_FILES: dict[str, int] = {
    "alpha.bin": 600_001,
    "docs/readme.txt": 150_000,
    "docs/nested/beta.bin": 749_999,
}


def _sample_bytes(seed: int, relpath: str, size: int) -> bytes:
    return random.Random(f"qbtui-sample/{seed}/{relpath}").randbytes(size)


def make_sample_torrent(
    directory: str | os.PathLike[str],
    name: str,
    files: Mapping[str, int] | int | None = None,
    tracker_url: str | None = None,
    piece_length: int = 16384,
    seed: int = 0,
    torrent_dir: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path]:
    """Write deterministic content under `directory/name` and a .torrent for it.

    `files` maps "/"-separated relative paths to sizes (a multi-file torrent) or is a single size
    (a single-file torrent whose file is `directory/name`); None means SWARM_FILES. The same
    arguments always give the same bytes and the same info-hash. The .torrent goes to
    `torrent_dir` (default: `directory`) as `<name>.torrent`. Returns (torrent path, content root).
    """
    directory = Path(directory)
    root = directory / name
    if root.exists():
        raise FileExistsError(f"{root} already exists; the torrent would not match the requested files")
    if files is None:
        files = SWARM_FILES
    if isinstance(files, int):
        directory.mkdir(parents=True, exist_ok=True)
        root.write_bytes(_sample_bytes(seed, name, files))
    else:
        if not files:
            raise ValueError("a multi-file torrent needs at least one file")
        for relpath, size in files.items():
            parts = PurePosixPath(relpath).parts
            if not parts or PurePosixPath(relpath).is_absolute() or ".." in parts:
                raise ValueError(f"not a safe relative path: {relpath!r}")
            target = root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_sample_bytes(seed, relpath, size))
    builder = TorrentBuilder(root, piece_length=piece_length, trackers=[tracker_url] if tracker_url else [])
    out_dir = Path(torrent_dir) if torrent_dir is not None else directory
    out_dir.mkdir(parents=True, exist_ok=True)
    torrent_path = out_dir / f"{name}.torrent"
    torrent_path.write_bytes(builder.build())
    return torrent_path, root


# --------------------------------------------------------------------------------------------- swarm


@dataclass
class NoxSwarm:
    """A seeder (with the embedded tracker, already seeding the sample) and an empty leecher."""

    seeder: NoxInstance
    leecher: NoxInstance
    torrent_path: Path  # outside both profiles
    content_root: Path  # the seeder's copy, inside seeder.downloads
    meta: TorrentMeta

    @property
    def info_hash(self) -> str:
        return self.meta.info_hash

    def differing_files(self) -> list[str]:
        """Torrent paths whose bytes on the leecher are missing or differ from the seeder's; [] when equal."""
        bad = []
        for entry in self.meta.files:
            mine, theirs = self.leecher.downloads / entry.path, self.seeder.downloads / entry.path
            if not mine.is_file() or mine.read_bytes() != theirs.read_bytes():
                bad.append(entry.path)
        return bad

    def stop(self) -> None:
        self.leecher.stop()
        self.seeder.stop()


def start_swarm(
    binary: str | os.PathLike[str] | ChrootRuntime,
    base: str | os.PathLike[str],
    files: Mapping[str, int] | int | None = None,
    name: str = "qbtui-swarm-sample",
    seed: int = 0,
) -> NoxSwarm:
    """Start a seeder and a leecher under `base`; the seeder is seeding and announced when this returns.

    The leecher gets nothing: tests decide how it finds the seeder (the tracker in the .torrent, or
    torrents/addPeers with `seeder.peer_address`).
    """
    base = Path(base)
    seeder = NoxInstance(binary, base / "seeder", NoxOptions(tracker=True)).start()
    try:
        leecher = NoxInstance(binary, base / "leecher").start()
    except BaseException:
        seeder.stop()
        raise
    try:
        torrent_path, root = make_sample_torrent(
            seeder.downloads, name, files, tracker_url=seeder.tracker_url, seed=seed, torrent_dir=base
        )
        meta = parse(torrent_path.read_bytes())
        # skip_checking: the content was just written, so the seeder starts complete without hashing.
        seeder.add_torrent_file(torrent_path, savepath=str(seeder.downloads), skip_checking="true")
        seeder.wait_for_torrent(
            meta.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING_STATES, what="seeding"
        )
        # Only once the seeder has announced can a leecher's first announce return it.
        # The seeder's own tracker counting it is what the leecher needs to find it.
        seeder.wait_for_tracker_working(meta.info_hash, a_counted_seed_will_do=True)
    except BaseException:
        leecher.stop()
        seeder.stop()
        raise
    return NoxSwarm(seeder, leecher, torrent_path, root, meta)

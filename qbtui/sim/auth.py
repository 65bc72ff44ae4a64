"""Sessions, failed-login bans, CSRF and Host checks of 4.0.4's AbstractWebApplication (facts §1.4, §1.5)."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import random
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from qbtui.sim.sync import SyncState

COOKIE_NAME = "SID"
BAN_TEXT = "Your IP address has been banned after too many failed authentication attempts."
#: Inactive sessions are dropped by a timer that fires every minute, not at the exact second.
PURGE_PERIOD = 60


def md5_hex(password: str) -> str:
    return hashlib.md5(password.encode("utf-8")).hexdigest()


@dataclass
class WebSession:
    sid: str
    last_seen: int
    maindata: SyncState = field(default_factory=SyncState)
    peers: SyncState = field(default_factory=SyncState)


class SessionStore:
    def __init__(self, seed: int, started: int, timeout: int) -> None:
        # A stream of its own: logging in does not change how the torrents evolve.
        self._rng = random.Random(f"{seed}:sid")
        self._sessions: dict[str, WebSession] = {}
        self._started = started
        self._last_purge = started
        self.timeout = timeout

    def __len__(self) -> int:
        return len(self._sessions)

    def _new_sid(self) -> str:
        while True:
            sid = base64.b64encode(self._rng.randbytes(24)).decode("ascii")
            if sid not in self._sessions:
                return sid

    def purge(self, now: int) -> None:
        """Run the purge timer ticks that fell due; only the latest one can remove anything new."""
        tick = self._started + (now - self._started) // PURGE_PERIOD * PURGE_PERIOD
        if tick <= self._last_purge:
            return
        self._last_purge = tick
        for sid in [sid for sid, s in self._sessions.items() if tick - s.last_seen > self.timeout]:
            del self._sessions[sid]

    def find(self, sid: str | None, now: int) -> WebSession | None:
        if not sid:
            return None
        session = self._sessions.get(sid)
        if session is not None:
            session.last_seen = now
        return session

    def start(self, now: int) -> WebSession:
        session = WebSession(self._new_sid(), now)
        self._sessions[session.sid] = session
        return session

    def end(self, session: WebSession) -> bool:
        return self._sessions.pop(session.sid, None) is not None


class BanList:
    """Failed logins per IP: the counter only resets when a ban expires, never on a good login."""

    def __init__(self, max_failures: int, ban_seconds: int) -> None:
        self.max_failures = max_failures
        self.ban_seconds = ban_seconds
        self._failures: dict[str, int] = {}
        self._until: dict[str, int] = {}

    def _expire(self, ip: str, now: int) -> None:
        until = self._until.get(ip)
        if until is not None and now >= until:
            del self._until[ip]
            self._failures.pop(ip, None)

    def is_banned(self, ip: str, now: int) -> bool:
        if self.max_failures <= 0:
            return False
        self._expire(ip, now)
        return self._failures.get(ip, 0) >= self.max_failures

    def failures(self, ip: str) -> int:
        return self._failures.get(ip, 0)

    def record_failure(self, ip: str, now: int) -> None:
        count = self._failures.get(ip, 0) + 1
        self._failures[ip] = count
        if count == self.max_failures:
            self._until[ip] = now + self.ban_seconds


def canonical_ip(ip: str) -> str:
    """IPv4-mapped IPv6 addresses count as their IPv4 address."""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def is_loopback(ip: str) -> bool:
    return canonical_ip(ip) in ("127.0.0.1", "::1")


def in_subnets(ip: str, subnets: str) -> bool:
    try:
        address = ipaddress.ip_address(canonical_ip(ip))
    except ValueError:
        return False
    for entry in re.split(r"[,;\n]", subnets):
        entry = entry.strip()
        if not entry:
            continue
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _host_port(url: str) -> tuple[str, int]:
    """QUrl host() and port(): lower-case host without brackets, -1 without an explicit port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "", -1
    return (parts.hostname or ""), (-1 if port is None else port)


def _url_from_host_header(value: str) -> str:
    return value if "://" in value else f"http://{value}"


def cross_site_warning(headers: dict[str, str], client_ip: str) -> str | None:
    """The log warning for a request whose Origin or Referer names another host:port, else None."""
    target = headers.get("x-forwarded-host", headers.get("host", ""))
    origin = headers.get("origin", "")
    referer = headers.get("referer", "")
    if not origin and not referer:
        return None  # API clients send neither, on purpose
    expected = _host_port(_url_from_host_header(target))
    if origin:
        if _host_port(origin) == expected:
            return None
        return (
            f"WebUI: Origin header & Target origin mismatch! Source IP: '{client_ip}'. "
            f"Origin header: '{origin}'. Target origin: '{target}'"
        )
    if _host_port(referer) == expected:
        return None
    return (
        f"WebUI: Referer header & Target origin mismatch! Source IP: '{client_ip}'. "
        f"Referer header: '{referer}'. Target origin: '{target}'"
    )


def _wildcard(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            out.append("[" + pattern[i + 1 : end].replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.IGNORECASE)


def host_header_valid(host_header: str, local_host: str, local_port: int, domain_list: str) -> bool:
    host, port = _host_port(_url_from_host_header(host_header))
    if port != -1 and port != local_port:
        return False
    try:
        if ipaddress.ip_address(canonical_ip(host)) == ipaddress.ip_address(canonical_ip(local_host)):
            return True
    except ValueError:
        pass
    # QString::contains(QRegExp): the wildcard may match anywhere in the host, not just all of it.
    return any(_wildcard(domain).search(host) for domain in domain_list.split(";") if domain)

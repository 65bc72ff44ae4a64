"""Requests and responses as bytes, the way qBittorrent 4.0.4's HTTP layer writes them.

Response headers are lower-case and sorted (Qt keeps them in a QMap), the status line is always
HTTP/1.1, and JSON is written like QJsonDocument: keys sorted, UTF-8 unescaped, integral
numbers without a decimal point.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    411: "Length Required",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}

TEXT = "text/plain; charset=UTF-8"
HTML = "text/html; charset=UTF-8"

SECURITY_HEADERS = (
    (
        "content-security-policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "script-src 'self' 'unsafe-inline'; object-src 'none';",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "SAMEORIGIN"),
    ("x-xss-protection", "1; mode=block"),
)

#: Bodies above this size are gzipped when the client allows it.
GZIP_MIN = 1024
#: RequestParser's maxContentLength.
MAX_BODY = 10_000_000

HeaderInput = Mapping[str, str] | Iterable[tuple[str, str]]


def _lower_headers(headers: HeaderInput) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    # Later duplicates win, as in 4.0.4's QStringMap.
    return {name.strip().lower(): value.strip() for name, value in items}


@dataclass
class SimRequest:
    """One HTTP request as the server saw it; `path` is the raw request target (path and query string)."""

    method: str = "GET"
    path: str = "/"
    headers: HeaderInput = ()
    body: bytes = b""
    client_ip: str = "127.0.0.1"
    local_host: str = "127.0.0.1"
    local_port: int = 8080

    def __post_init__(self) -> None:
        self.headers = _lower_headers(self.headers)

    def header(self, name: str) -> str | None:
        assert isinstance(self.headers, dict)
        return self.headers.get(name.lower())


@dataclass
class SimResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    #: The server should stop ~100 ms after sending this (command/shutdown).
    shutdown: bool = False

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def content(self) -> bytes:
        """The body, un-gzipped."""
        if self.header("content-encoding") == "gzip":
            return zlib.decompress(self.body, 31)
        return self.body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.content)

    def to_bytes(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


def http_date(when: float) -> str:
    return formatdate(int(when), usegmt=True)


def cookie_date(when: float) -> str:
    """QNetworkCookie's expiry format: `Sat, 28-Nov-2026 04:30:26 GMT`."""
    day, rest = formatdate(int(when), usegmt=True).split(", ", 1)
    dd, mon, yyyy, hms, _ = rest.split(" ")
    return f"{day}, {dd}-{mon}-{yyyy} {hms} GMT"


def qt_float(value: float) -> float | int:
    """What a QVariant double prints as: integral values have no decimal point."""
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    return value


def float32(value: float) -> float | int:
    """libtorrent reports progress as a C float; qBittorrent widens it to double."""
    return qt_float(struct.unpack("f", struct.pack("f", value))[0])


def to_json(value: Any) -> bytes:
    # Values are normalised with qt_float where they are built, so the C encoder can be used as is.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (a hostile name): written as a \u escape, which JSON allows.
        return "".join(
            f"\\u{ord(char):04x}" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text
        ).encode("utf-8")


def accepts_gzip(header: str | None) -> bool:
    """4.0.4's Connection::acceptsGzipEncoding: `gzip` or `*`, a q-value above 0 if given."""
    if not header:
        return False
    codings = [c for c in header.replace(" ", "").replace("\t", "").split(",") if c]

    def available(encoding: str) -> bool:
        for coding in codings:
            if not coding.startswith(encoding):
                continue
            if coding == encoding:
                return True
            try:
                return float(coding[len(encoding) + 3 :]) > 0.0
            except ValueError:
                return False
        return False

    return available("gzip") or available("*")


def gzip_bytes(data: bytes) -> bytes:
    # zlib's gzip wrapper writes no timestamp: the same body always compresses to the same bytes.
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def bare_response(status: int, when: float) -> SimResponse:
    """A reply from the HTTP parser itself, before the web application (no security headers)."""
    return SimResponse(
        status, REASONS.get(status, "Error"), [("content-length", "0"), ("date", http_date(when))]
    )

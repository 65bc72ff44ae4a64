"""Byte sizes and transfer rates in human units, both ways.

qBittorrent speaks bytes and bytes/s; people write `2.5M` or `800 KiB/s`. Bare letters and the
`…iB` forms are powers of 1024 (what qBittorrent's own UI shows); `kB`, `MB`, `GB` are the SI
powers of 1000, matching what `humanize` prints without `binary=True`.
"""

from __future__ import annotations

import math
import re

import humanize

#: qBittorrent stores limits in a signed 32-bit int.
MAX_RATE = 2**31 - 1

#: Words (and numbers) that mean "no limit"; the API encodes it as 0 (or -1 on reading).
UNLIMITED_WORDS = frozenset({"0", "-1", "inf", "infinity", "∞", "none", "unlimited", "no", "off"})

_MULTIPLIERS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "ki": 1024,
    "kib": 1024,
    "kb": 1000,
    "m": 1024**2,
    "mi": 1024**2,
    "mib": 1024**2,
    "mb": 1000**2,
    "g": 1024**3,
    "gi": 1024**3,
    "gib": 1024**3,
    "gb": 1000**3,
}

_RATE = re.compile(r"^(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>[a-z]*?)\s*(?:/s)?$")

RATE_HELP = (
    "bytes/s; accepts units like 800K, 2.5M, 1.5MiB/s (K/M/G and KiB/MiB/GiB are 1024-based, "
    "kB/MB/GB 1000-based) and 0, inf, ∞ or none for unlimited"
)


def parse_rate(text: str) -> int | None:
    """Parse a rate in bytes/s; None means unlimited. Raises ValueError with a usable message."""
    cleaned = text.strip()
    if cleaned.lower() in UNLIMITED_WORDS:
        return None
    if cleaned.startswith("-"):
        raise ValueError(f"{cleaned!r} is negative; use 0 or ∞ for no limit")
    match = _RATE.match(cleaned.lower())
    if match is None or match["unit"] not in _MULTIPLIERS:
        raise ValueError(
            f"{text!r} is not a rate: use e.g. 800K, 2.5M, 1.5MiB, 1048576, or inf for unlimited"
        )
    number = float(match["number"])
    if number == 0:
        return None
    value = round(number * _MULTIPLIERS[match["unit"]])
    if value < 1:
        raise ValueError(f"{text!r} is less than 1 byte/s; use 0 or inf for unlimited")
    if value > MAX_RATE:
        raise ValueError(f"{text!r} is more than qBittorrent's maximum of {MAX_RATE} bytes/s")
    return value


def format_size(size: int | None) -> str:
    """`1.5 MiB`; plain bytes below 1 KiB (humanize would say "1023 Bytes")."""
    if size is None:
        return "?"
    if abs(size) < 1024:
        return f"{size} B"
    return humanize.naturalsize(size, binary=True)


def format_rate(bytes_per_s: int | float | None) -> str:
    """`2.5 MiB/s`; None (an unlimited limit) is `∞`."""
    if bytes_per_s is None or (isinstance(bytes_per_s, float) and math.isinf(bytes_per_s)):
        return "∞"
    return f"{format_size(int(bytes_per_s))}/s"

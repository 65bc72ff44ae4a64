"""Lenient conversions of JSON values from the server.

A server may send a string where an int belongs, null, or garbage; models never crash on it.
Each helper returns the given default when the value cannot be read as the wanted type.
"""

from __future__ import annotations

import math
from typing import overload

#: Times at or below zero, and 4294967295 (an invalid QDateTime as uint in 4.0.4), mean "never".
_NEVER_TIMES = frozenset({-1, 0, 4294967295, 0xFFFFFFFFFFFFFFFF})
#: qBittorrent reports an infinite ETA as 8640000 s (100 days).
INFINITE_ETA = 8640000
#: Integers beyond +-2**64 (qBittorrent's are 64-bit; 2**64 - 1 is a "never" sentinel) are unknown.
_INT_LIMIT = 2**64


@overload
def as_int(value: object, default: int = 0) -> int: ...
@overload
def as_int(value: object, default: None) -> int | None: ...
def as_int(value: object, default: int | None = 0) -> int | None:
    number = _int(value)
    # qBittorrent's numbers are 64-bit: anything beyond cannot be real and breaks float formatting.
    if number is None or not -_INT_LIMIT <= number <= _INT_LIMIT:
        return default
    return number


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 64:
            return None
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if math.isfinite(number) else None
    return None


def as_float(value: object, default: float | None = 0.0) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int with hundreds of digits
            return default
        return number if math.isfinite(number) else default
    if isinstance(value, str):
        try:
            number = float(value.strip()) if len(value) <= 64 else math.nan
        except ValueError:
            return default
        return number if math.isfinite(number) else default
    return default


def as_str(value: object, default: str = "") -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, dict | list):
        return default
    try:
        return str(value)
    except ValueError:  # an int too long to print (Python's int-to-str digit limit)
        return default


def as_bool(value: object, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off", ""):
            return False
    return default


def as_time(value: object) -> int | None:
    """A Unix timestamp in seconds, or None for the "never"/"unknown" sentinels."""
    if type(value) is int and 0 < value < 4294967295:  # the common case, first
        return value
    seconds = as_int(value, None)
    if seconds is None or seconds in _NEVER_TIMES or seconds < 0:
        return None
    return seconds


def as_eta(value: object) -> int | None:
    """ETA in seconds, or None when infinite or unknown."""
    if type(value) is int and 0 <= value < INFINITE_ETA:  # the common case, first
        return value
    seconds = as_int(value, None)
    if seconds is None or seconds < 0 or seconds >= INFINITE_ETA:
        return None
    return seconds


def as_limit(value: object) -> int | None:
    """A speed limit in bytes/s, or None when unlimited (0 or negative)."""
    if type(value) is int and value <= _INT_LIMIT:  # the common case, first
        return value if value > 0 else None
    limit = as_int(value, None)
    if limit is None or limit <= 0:
        return None
    return limit


def as_amount(value: object) -> int:
    """Bytes, bytes/s or a count that cannot be negative: 0 when negative or unreadable."""
    # The common case first (a plain non-negative int): this runs for every changed field of a poll.
    if type(value) is int and 0 <= value <= _INT_LIMIT:
        return value
    return max(as_int(value, 0), 0)


def as_count(value: object) -> int | None:
    """A count where -1 means unknown."""
    if type(value) is int and 0 <= value <= _INT_LIMIT:
        return value
    count = as_int(value, None)
    if count is None or count < 0:
        return None
    return count

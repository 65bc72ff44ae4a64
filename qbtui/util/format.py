"""Human-readable sizes, speeds, durations and dates (pure functions, shared by the TUI and CLI)."""

from __future__ import annotations

import math
import time
from datetime import datetime

from qbtui.util.units import format_rate, format_size

NEVER = "never"
INFINITY = "∞"


def size(value: int | None) -> str:
    return format_size(value)


def speed(value: int | None) -> str:
    if not value:
        return "0 B/s" if value == 0 else ""
    return format_rate(value)


def limit(value: int | None) -> str:
    """A speed limit; None means unlimited."""
    return INFINITY if value is None else speed(value)


def percent(fraction: float | None) -> str:
    if fraction is None:
        return "?"
    if fraction >= 1.0:
        return "100%"
    # Never round an unfinished torrent up to 100%.
    return f"{math.floor(fraction * 1000) / 10:.1f}%"


def ratio(value: float | None) -> str:
    # The models map a ratio above qBittorrent's 9999 cap to None.
    return INFINITY if value is None else f"{value:.2f}"


def duration(seconds: int | float | None) -> str:
    """`1d 4h`, `3m 20s`, `∞` for unknown/infinite: the two largest units are enough to read."""
    if seconds is None or seconds < 0:
        return INFINITY
    seconds = int(seconds)
    parts: list[str] = []
    for unit, length in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= length or (unit == "s" and not parts):
            parts.append(f"{seconds // length}{unit}")
            seconds %= length
    return " ".join(parts[:2])


def timestamp(value: int | float | None, now: float | None = None, *, seconds: bool = False) -> str:
    """Local date and time ("never" for None); in the TUI the time alone for today."""
    if value is None:
        return NEVER
    try:
        moment = datetime.fromtimestamp(value)
    except (OverflowError, OSError, ValueError):
        return "?"
    if seconds:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    return moment.strftime("%H:%M") if moment.date() == today else moment.strftime("%Y-%m-%d %H:%M")


def count_pair(connected: int, swarm: int | None) -> str:
    """Connected peers and, in brackets, the swarm's size as the tracker reported it."""
    return f"{connected} ({swarm})" if swarm is not None else str(connected)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 torrent`, `3 torrents`, `0 torrents` (`nouns` for irregular plurals)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"

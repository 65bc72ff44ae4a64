"""Human-readable sizes, speeds, durations and dates (pure functions, shared by the TUI and CLI)."""

from __future__ import annotations

import time
from datetime import datetime

import humanize

NEVER = "never"
INFINITY = "∞"


def size(value: int | None) -> str:
    if value is None:
        return "?"
    if value < 1024:
        return f"{value} B"
    return humanize.naturalsize(value, binary=True, format="%.1f")


def speed(value: int | None) -> str:
    if not value:
        return "0 B/s" if value == 0 else ""
    return f"{size(value)}/s"


def limit(value: int | None) -> str:
    """A speed limit; None means unlimited."""
    return INFINITY if value is None else speed(value)


def percent(progress: float) -> str:
    if progress >= 1.0:
        return "100%"
    return f"{progress * 100:.1f}%"


def ratio(value: float | None) -> str:
    if value is None:
        return INFINITY
    return f"{value:.2f}"


def duration(seconds: int | None) -> str:
    """Compact duration: 45s, 12m, 3h 05m, 2d 4h; None is infinite."""
    if seconds is None:
        return INFINITY
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s" if minutes < 10 else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    if days < 365:
        return f"{days}d {hours}h"
    return f"{days // 365}y {days % 365}d"


def timestamp(value: int | None, now: float | None = None) -> str:
    """Local date and time; the time alone for today; "never" for None."""
    if value is None:
        return NEVER
    moment = datetime.fromtimestamp(value)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    if moment.date() == today:
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def count_pair(connected: int, swarm: int | None) -> str:
    """Connected peers and, in brackets, the swarm's size as the tracker reported it."""
    return f"{connected} ({swarm})" if swarm is not None else str(connected)

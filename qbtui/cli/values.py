"""Parsers for command-line values; each raises ValueError with a message fit for `qbtui: error:`."""

from __future__ import annotations

import json
import re
from typing import Any

from qbtui.api.models import FilePriority
from qbtui.util.units import parse_rate

#: Plenty for any real torrent, small enough that `0-999999999` cannot exhaust memory.
MAX_ID_SPAN = 1_000_000

URL_SCHEMES = ("magnet:", "http://", "https://", "bc://bt/")

#: The share-limit values qBittorrent gives special meaning to.
SHARE_LIMIT_WORDS = {"global": -2, "default": -2, "none": -1, "unlimited": -1, "inf": -1, "∞": -1}


def parse_ids(text: str) -> list[int]:
    """`0,2,5-9` -> [0, 2, 5, 6, 7, 8, 9], sorted and without duplicates."""
    ids: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if match is None:
            raise ValueError(f"bad file id {part!r} in {text!r}: use ids like 0,2,5-9")
        first = int(match[1])
        last = int(match[2]) if match[2] is not None else first
        if last < first:
            raise ValueError(f"bad range {part!r}: the end is before the start")
        if last - first >= MAX_ID_SPAN:
            raise ValueError(f"range {part!r} is too large")
        ids.update(range(first, last + 1))
    return sorted(ids)


def parse_file_ids(text: str) -> list[int] | None:
    """File ids for `file-prio`: a list like `0,2,5-9`, or None for `all`."""
    return None if text.strip().lower() == "all" else parse_ids(text)


def parse_switch(text: str) -> bool:
    key = text.strip().lower()
    if key in ("on", "true", "yes", "1", "enable", "enabled"):
        return True
    if key in ("off", "false", "no", "0", "disable", "disabled"):
        return False
    raise ValueError(f"expected on or off, not {text!r}")


def parse_assignment(text: str) -> tuple[str, Any]:
    """`KEY=VALUE`; the value is JSON when it parses as JSON (numbers, true, [..]), else a string."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"expected KEY=VALUE, not {text!r}")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def parse_rate_arg(text: str) -> int | None:
    return parse_rate(text)


def parse_priority(text: str) -> FilePriority:
    return FilePriority.parse(text)


def parse_share_ratio(text: str) -> float:
    """A ratio, or `global` (-2, follow the global setting) or `none` (-1, no limit)."""
    key = text.strip().lower()
    if key in SHARE_LIMIT_WORDS:
        return float(SHARE_LIMIT_WORDS[key])
    try:
        value = float(key)
    except ValueError:
        raise ValueError(f"expected a ratio like 1.5, or global or none, not {text!r}") from None
    if value < 0 or value != value or value == float("inf"):
        raise ValueError(f"a ratio limit must be 0 or more, not {text!r}")
    return value


def parse_share_minutes(text: str) -> int:
    """Whole minutes, or `global` (-2) or `none` (-1)."""
    key = text.strip().lower()
    if key in SHARE_LIMIT_WORDS:
        return SHARE_LIMIT_WORDS[key]
    if not key.isdigit():
        raise ValueError(f"expected minutes like 1440, or global or none, not {text!r}")
    return int(key)


def parse_tier(text: str) -> int:
    """A tracker tier: 0 to 255, as qBittorrent 5.2+ accepts."""
    if not text.strip().isdigit() or not 0 <= int(text) <= 255:
        raise ValueError(f"expected a tier from 0 to 255, not {text!r}")
    return int(text)


def parse_timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"expected seconds like 10 or 2.5, not {text!r}") from None
    if not 0 < value < 86400:
        raise ValueError(f"the timeout must be more than 0 seconds, not {text!r}")
    return value


def parse_referer(text: str) -> str:
    key = text.strip()
    if key.lower() in ("none", "match"):
        return key.lower()
    if not key.lower().startswith(("http://", "https://")):
        raise ValueError(f"expected none, match or a URL like http://host:port, not {text!r}")
    return key


def parse_count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"expected a whole number, not {text!r}")
    return int(text)


def parse_offset(text: str) -> int:
    # qBittorrent counts a negative offset from the end.
    if not re.fullmatch(r"-?\d+", text.strip()):
        raise ValueError(f"expected a whole number, not {text!r}")
    return int(text)


def split_list(text: str) -> list[str]:
    """`a, b,,c` -> ["a", "b", "c"]."""
    return [item.strip() for item in text.split(",") if item.strip()]


def is_url(source: str) -> bool:
    return source.lower().startswith(URL_SCHEMES)

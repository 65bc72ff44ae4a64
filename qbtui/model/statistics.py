"""The server's statistics, as qBittorrent's own Statistics window groups them, read from maindata's
`server_state` (the only place the server gives them). No Textual here.

Several of these come as strings: the ratio ("1.23", "-" while nothing was transferred) and the cache
percentages. A key the server does not send (an older version, a delta that left it out before the
first full update) shows as "—".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbtui.api.coerce import as_float, as_int, as_str
from qbtui.util import format as fmt

MISSING = "—"

#: The WebUI's words for `connection_status`, and how much each needs the user's attention.
CONNECTION = {
    "connected": ("connected", "ok"),
    "firewalled": ("firewalled", "warning"),
    "disconnected": ("disconnected", "error"),
}


def connection(status: str) -> tuple[str, str]:
    """(word, level) for the port's status: level is ok, warning, error, or unknown."""
    return CONNECTION.get(status.strip().lower(), (status.strip().lower() or "unknown", "unknown"))


def _size(raw: Mapping[str, Any], key: str) -> str:
    value = as_int(raw.get(key), None)
    return MISSING if value is None or value < 0 else fmt.size(value)


def _count(raw: Mapping[str, Any], key: str, unit: str = "") -> str:
    value = as_int(raw.get(key), None)
    return MISSING if value is None or value < 0 else f"{value:,}{unit}"


def _percent(raw: Mapping[str, Any], key: str) -> str:
    value = as_float(raw.get(key), None)
    return MISSING if value is None else f"{value:g}%"


def _ratio(raw: Mapping[str, Any]) -> str:
    """The server says "-" until something was both downloaded and uploaded."""
    value = as_float(as_str(raw.get("global_ratio")).strip() or None, None)
    return MISSING if value is None else f"{value:.2f}"


Section = tuple[str, list[tuple[str, str]]]


def statistics(raw: Mapping[str, Any]) -> list[Section]:
    """The sections and their (label, value) rows."""
    user = [
        ("All-time upload", _size(raw, "alltime_ul")),
        ("All-time download", _size(raw, "alltime_dl")),
        ("All-time share ratio", _ratio(raw)),
        ("Session waste", _size(raw, "total_wasted_session")),
        ("Connected peers", _count(raw, "total_peer_connections")),
    ]
    cache = [
        ("Read cache hits", _percent(raw, "read_cache_hits")),
        ("Total buffer size", _size(raw, "total_buffers_size")),
    ]
    performance = [
        ("Write cache overload", _percent(raw, "write_cache_overload")),
        ("Read cache overload", _percent(raw, "read_cache_overload")),
        ("Queued I/O jobs", _count(raw, "queued_io_jobs")),
        ("Average time in queue", _count(raw, "average_time_queue", " ms")),
        ("Total queued size", _size(raw, "total_queued_size")),
    ]
    if "queued_tracker_announces" in raw:  # 5.3 (WebAPI 2.16)
        performance.append(("Queued tracker announces", _count(raw, "queued_tracker_announces")))
    if "request_latency" in raw:
        performance.append(("Disk request latency", _count(raw, "request_latency", " ms")))
    word, _ = connection(as_str(raw.get("connection_status")))
    session = [
        ("Connection", word),
        ("Downloaded this session", _size(raw, "dl_info_data")),
        ("Uploaded this session", _size(raw, "up_info_data")),
        ("DHT nodes", _count(raw, "dht_nodes")),
        ("Free space (default save path)", _size(raw, "free_space_on_disk")),
    ]
    for key, label in (
        ("last_external_address_v4", "External IPv4"),
        ("last_external_address_v6", "External IPv6"),
    ):
        if key in raw:  # 5.1+
            session.append((label, as_str(raw.get(key)) or MISSING))
    return [
        ("User statistics", user),
        ("Cache statistics", cache),
        ("Performance statistics", performance),
        ("This session", session),
    ]

"""The preferences schema: every key of the spec's preferences table (plus the 4.0.4 extras), grouped
like qBittorrent's options dialog, with validation and change detection. Pure: no Textual.

Units: the spec says the speed limits (`dl_limit`, `up_limit`, `alt_dl_limit`, `alt_up_limit`) are KiB/s,
which is true of qBittorrent 3.2.x only: from 3.3.0 (4.0.4 as recorded, where `alt_dl_limit: 10240`
is the 10 KiB/s default, and every v2 server) they are **bytes/s**. The legacy API service converts
for 3.2.x servers, so here values are always bytes/s, shown and typed in human units
(`800K`, `2.5M`, `∞`); 0 or a negative number means unlimited, and unlimited is sent as 0.

Passwords are write-only: never prefilled, an empty field means "unchanged". `web_ui_password` is
returned as an MD5 by legacy servers (and not at all by v2) and is sent as plaintext.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.models import SECRET_PREFERENCES
from qbtui.util.units import format_rate, parse_rate

GROUPS = ("Downloads", "Connection", "Speed", "BitTorrent", "Web UI", "Advanced", "Other")

#: Changing any of these changes how the client must connect.
CONNECTION_KEYS = frozenset({"web_ui_port", "web_ui_address", "web_ui_username", "web_ui_password"})

#: Keys a server accepts but never returns (v2 omits the WebUI password), shown beside the key
#: that proves the server has them.
WRITE_ONLY = {"web_ui_password": "web_ui_username"}

KINDS = (
    "bool", "int", "float", "rate", "choice", "text", "path", "password", "secret", "list", "scan_dirs",
    "json",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Pref:
    key: str
    label: str
    kind: str
    group: str
    unit: str = ""
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[tuple[int, str], ...] = ()
    #: How a "list" preference joins its entries on the wire (the form shows one per line).
    separator: str = "\n"


@dataclass(frozen=True, slots=True)
class Invalid:
    """A refused input, with the reason to show."""

    reason: str


PORT = {"min": 1, "max": 65535, "unit": ""}
SCHEDULER_DAYS = (
    (0, "Every day"),
    (1, "Every weekday"),
    (2, "Every weekend"),
    (3, "Every Monday"),
    (4, "Every Tuesday"),
    (5, "Every Wednesday"),
    (6, "Every Thursday"),
    (7, "Every Friday"),
    (8, "Every Saturday"),
    (9, "Every Sunday"),
)
ENCRYPTION = ((0, "Prefer encryption"), (1, "Force encryption on"), (2, "Force encryption off"))
PROXY_TYPE = (
    (-1, "Proxy disabled"),
    (0, "No proxy"),  # what 4.0.4 and v2 servers actually return for "none"
    (1, "HTTP without authentication"),
    (2, "SOCKS5 without authentication"),
    (3, "HTTP with authentication"),
    (4, "SOCKS5 with authentication"),
    (5, "SOCKS4 without authentication"),
)
DYNDNS_SERVICE = ((0, "DynDNS"), (1, "NO-IP"))
MAX_RATIO_ACT = ((0, "Pause torrent"), (1, "Remove torrent"))
BITTORRENT_PROTOCOL = ((0, "TCP and μTP"), (1, "TCP"), (2, "μTP"))


def _p(key: str, label: str, kind: str, group: str, **kw: Any) -> Pref:
    return Pref(key, label, kind, group, **kw)


_D, _C, _S, _B, _W, _A = "Downloads", "Connection", "Speed", "BitTorrent", "Web UI", "Advanced"
_NOLIMIT = "-1 for no limit"
_BIG = {"min": -1, "max": 2**31 - 1, "help": _NOLIMIT}

SCHEMA: tuple[Pref, ...] = (
    # Downloads
    _p("save_path", "Default save path", "path", _D),
    _p("temp_path_enabled", "Keep incomplete torrents in another folder", "bool", _D),
    _p("temp_path", "Folder for incomplete torrents", "path", _D),
    _p("preallocate_all", "Pre-allocate disk space for all files", "bool", _D),
    _p("incomplete_files_ext", "Append .!qB to incomplete files", "bool", _D),
    _p(
        "scan_dirs",
        "Watched folders",
        "scan_dirs",
        _D,
        help="one per line: PATH = watch | default | /custom/save/path (where to download)",
    ),
    _p("export_dir_enabled", "Copy .torrent files to a folder", "bool", _D),
    _p("export_dir", "Copy .torrent files to", "path", _D),
    _p("export_dir_fin", "Copy .torrent files of finished torrents to", "path", _D),
    _p("mail_notification_enabled", "E-mail notification when a download finishes", "bool", _D),
    _p("mail_notification_email", "Notification e-mail address", "text", _D),
    _p("mail_notification_smtp", "SMTP server", "text", _D),
    _p("mail_notification_ssl_enabled", "SMTP server requires SSL", "bool", _D),
    _p("mail_notification_auth_enabled", "SMTP server requires authentication", "bool", _D),
    _p("mail_notification_username", "SMTP username", "text", _D),
    _p("mail_notification_password", "SMTP password", "password", _D),
    _p("autorun_enabled", "Run an external program when a torrent finishes", "bool", _D),
    _p("autorun_program", "Program to run", "text", _D, help="%f: torrent path, %n: torrent name"),
    # Connection
    _p("listen_port", "Port for incoming connections", "int", _C, min=1, max=65535),
    _p("upnp", "Use UPnP / NAT-PMP port forwarding", "bool", _C),
    _p("random_port", "Use a random port on each start", "bool", _C),
    _p("bittorrent_protocol", "Peer connection protocol", "choice", _C, choices=BITTORRENT_PROTOCOL),
    _p("max_connec", "Global maximum connections", "int", _C, **_BIG),
    _p("max_connec_per_torrent", "Maximum connections per torrent", "int", _C, **_BIG),
    _p("max_uploads", "Global maximum upload slots", "int", _C, **_BIG),
    _p("max_uploads_per_torrent", "Upload slots per torrent", "int", _C, **_BIG),
    _p("proxy_type", "Proxy type", "choice", _C, choices=PROXY_TYPE),
    _p("proxy_ip", "Proxy host", "text", _C),
    _p("proxy_port", "Proxy port", "int", _C, min=1, max=65535),
    _p("proxy_peer_connections", "Use the proxy for peer connections", "bool", _C),
    _p("force_proxy", "Disable connections the proxy does not support", "bool", _C),
    _p("proxy_auth_enabled", "Proxy requires authentication", "bool", _C),
    _p("proxy_username", "Proxy username", "text", _C),
    _p("proxy_password", "Proxy password", "password", _C),
    _p("ip_filter_enabled", "Use an IP filter", "bool", _C),
    _p("ip_filter_path", "IP filter file (.dat, .p2p, .p2b)", "path", _C),
    _p("ip_filter_trackers", "Apply the IP filter to trackers", "bool", _C),
    _p("banned_IPs", "Manually banned IP addresses", "list", _C, help="one per line"),
    # Speed
    _p("dl_limit", "Global download limit", "rate", _S, unit="/s"),
    _p("up_limit", "Global upload limit", "rate", _S, unit="/s"),
    _p("alt_dl_limit", "Alternative download limit", "rate", _S, unit="/s"),
    _p("alt_up_limit", "Alternative upload limit", "rate", _S, unit="/s"),
    _p("enable_utp", "Enable μTP", "bool", _S),
    _p("limit_utp_rate", "Apply rate limits to μTP", "bool", _S),
    _p("limit_tcp_overhead", "Apply rate limits to transport overhead", "bool", _S),
    _p("scheduler_enabled", "Schedule the alternative limits", "bool", _S),
    _p("schedule_from_hour", "Schedule from (hour)", "int", _S, min=0, max=23, unit="h"),
    _p("schedule_from_min", "Schedule from (minute)", "int", _S, min=0, max=59, unit="min"),
    _p("schedule_to_hour", "Schedule to (hour)", "int", _S, min=0, max=23, unit="h"),
    _p("schedule_to_min", "Schedule to (minute)", "int", _S, min=0, max=59, unit="min"),
    _p("scheduler_days", "Schedule days", "choice", _S, choices=SCHEDULER_DAYS),
    # BitTorrent
    _p("dht", "Enable DHT", "bool", _B),
    _p("dhtSameAsBT", "DHT uses the same port as BitTorrent", "bool", _B),
    _p("dht_port", "DHT port", "int", _B, min=1, max=65535),
    _p("pex", "Enable peer exchange (PeX)", "bool", _B),
    _p("lsd", "Enable local peer discovery", "bool", _B),
    _p("encryption", "Encryption mode", "choice", _B, choices=ENCRYPTION),
    _p("anonymous_mode", "Anonymous mode", "bool", _B),
    _p("queueing_enabled", "Torrent queueing", "bool", _B),
    _p("max_active_downloads", "Maximum active downloads", "int", _B, **_BIG),
    _p("max_active_uploads", "Maximum active uploads", "int", _B, **_BIG),
    _p("max_active_torrents", "Maximum active torrents", "int", _B, **_BIG),
    _p("dont_count_slow_torrents", "Do not count slow torrents in these limits", "bool", _B),
    _p("max_ratio_enabled", "Stop seeding at a ratio", "bool", _B),
    _p("max_ratio", "Ratio limit", "float", _B, min=-1, max=9998, help=_NOLIMIT),
    _p("max_seeding_time_enabled", "Stop seeding after a time", "bool", _B),
    _p("max_seeding_time", "Seeding time limit", "int", _B, min=-1, max=525600, unit="min", help=_NOLIMIT),
    _p("max_ratio_act", "Then", "choice", _B, choices=MAX_RATIO_ACT),
    _p("add_trackers_enabled", "Automatically add these trackers to new downloads", "bool", _B),
    _p("add_trackers", "Trackers to add", "list", _B, help="one URL per line"),
    # Web UI
    _p("locale", "Language", "text", _W, help="e.g. en, en_GB, ru_RU"),
    _p("web_ui_address", "Web UI IP address", "text", _W, help="* for any"),
    _p("web_ui_port", "Web UI port", "int", _W, min=1, max=65535),
    _p("web_ui_upnp", "Use UPnP for the Web UI port", "bool", _W),
    _p("web_ui_username", "Web UI username", "text", _W),
    _p("web_ui_password", "Web UI password", "password", _W, help="leave empty to keep; never shown"),
    # 5.2+: read-only here (the server makes keys), shown only as set or not.
    _p("web_ui_api_key", "Web UI API key", "secret", _W, help="X (server actions) creates, rotates, deletes"),
    _p("web_ui_domain_list", "Server domains", "text", _W, help="separated by ;"),
    _p("web_ui_csrf_protection_enabled", "CSRF protection", "bool", _W),
    _p("web_ui_clickjacking_protection_enabled", "Clickjacking protection", "bool", _W),
    _p("bypass_local_auth", "Bypass authentication for localhost", "bool", _W),
    _p("bypass_auth_subnet_whitelist_enabled", "Bypass authentication for these subnets", "bool", _W),
    # The spec says comma-separated; 4.0.4 splits on commas only, v2 on commas and newlines.
    _p("bypass_auth_subnet_whitelist", "Subnet whitelist", "list", _W, help="one per line", separator=","),
    _p("use_https", "Use HTTPS", "bool", _W),
    _p("ssl_cert", "HTTPS certificate (contents)", "text", _W),
    _p("ssl_key", "HTTPS key (contents)", "password", _W),
    _p("dyndns_enabled", "Update my dynamic domain name", "bool", _W),
    _p("dyndns_service", "Dynamic DNS service", "choice", _W, choices=DYNDNS_SERVICE),
    _p("dyndns_domain", "Domain name", "text", _W),
    _p("dyndns_username", "DNS username", "text", _W),
    _p("dyndns_password", "DNS password", "password", _W),
    # Advanced (v2 servers; legacy ones have none of these)
    _p("current_network_interface", "Network interface", "text", _A, help="empty for any"),
    _p("current_interface_address", "Optional IP address to bind to", "text", _A, help="empty for all"),
    _p("announce_ip", "IP address reported to trackers", "text", _A),
    _p("async_io_threads", "Asynchronous I/O threads", "int", _A, min=1, max=1024),
    _p("file_pool_size", "File pool size", "int", _A, min=1, max=2**31 - 1),
    _p(
        "checking_memory_use",
        "Outstanding memory when checking torrents",
        "int",
        _A,
        min=1,
        max=1024,
        unit="MiB",
    ),
    _p("disk_cache", "Disk cache", "int", _A, min=-1, max=2**31 - 1, unit="MiB", help="-1 for automatic"),
    _p("disk_cache_ttl", "Disk cache expiry interval", "int", _A, min=1, max=2**31 - 1, unit="s"),
    _p("enable_os_cache", "Enable OS cache", "bool", _A),
    _p("save_resume_data_interval", "Save resume data interval", "int", _A, min=0, max=2**31 - 1, unit="min"),
    _p("outgoing_ports_min", "Outgoing ports (min)", "int", _A, min=0, max=65535, help="0 for any"),
    _p("outgoing_ports_max", "Outgoing ports (max)", "int", _A, min=0, max=65535, help="0 for any"),
    _p("recheck_completed_torrents", "Recheck torrents on completion", "bool", _A),
    _p("resolve_peer_countries", "Resolve peer countries", "bool", _A),
    _p("announce_to_all_trackers", "Always announce to all trackers in a tier", "bool", _A),
    _p("announce_to_all_tiers", "Always announce to all tiers", "bool", _A),
    _p("enable_embedded_tracker", "Enable embedded tracker", "bool", _A),
    _p("embedded_tracker_port", "Embedded tracker port", "int", _A, min=1, max=65535),
    _p(
        "upload_slots_behavior",
        "Upload slots behavior",
        "choice",
        _A,
        choices=((0, "Fixed slots"), (1, "Upload rate based")),
    ),
    _p(
        "upload_choking_algorithm",
        "Upload choking algorithm",
        "choice",
        _A,
        choices=((0, "Round-robin"), (1, "Fastest upload"), (2, "Anti-leech")),
    ),
)

BY_KEY: dict[str, Pref] = {pref.key: pref for pref in SCHEMA}
#: Keys edited through another key's control.
COMPANION_KEYS = frozenset({"download_in_scan_dirs"})


def generic(key: str, value: Any) -> Pref:
    """A control for a key the schema lacks, chosen by the value's JSON type."""
    label = key.replace("_", " ")
    if isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, int):
        kind = "int"
    elif isinstance(value, float):
        kind = "float"
    elif isinstance(value, str) or value is None:
        kind = "password" if "password" in key or key in SECRET_PREFERENCES else "text"
    else:
        kind = "json"
    return Pref(key, label, kind, "Other")


#: 5.0 sends proxy_type by name instead of number.
PROXY_TYPE_NAMES = ("None", "HTTP", "SOCKS5", "SOCKS4")


def adapted(pref: Pref, value: Any) -> Pref:
    """The control for this server's value: a choice the server spells as a name (qBittorrent 5's
    proxy_type "None"/"HTTP"/...) is typed as text, so the form neither shows nor sends a number."""
    if pref.kind == "choice" and isinstance(value, str):
        names = ", ".join(PROXY_TYPE_NAMES) if pref.key == "proxy_type" else ""
        return Pref(pref.key, pref.label, "text", pref.group, help=f"one of {names}" if names else pref.help)
    return pref


def pref_for(key: str, value: Any = None) -> Pref:
    pref = BY_KEY.get(key)
    return adapted(pref, value) if pref is not None else generic(key, value)


def layout(values: dict[str, Any]) -> dict[str, list[Pref]]:
    """The groups to show for these server values: schema keys the server has, then the rest in Other."""
    groups: dict[str, list[Pref]] = {name: [] for name in GROUPS}
    for pref in SCHEMA:
        if pref.key in values or WRITE_ONLY.get(pref.key, "") in values:
            groups[pref.group].append(adapted(pref, values.get(pref.key)))
    for key in sorted(values):
        if key not in BY_KEY and key not in COMPANION_KEYS:
            groups["Other"].append(generic(key, values[key]))
    return {name: prefs for name, prefs in groups.items() if prefs}


# ----------------------------------------------------------------------------------------------- text


def scan_dirs_entries(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, target) pairs from either form; target is `watch`, `default` or a custom path."""
    raw = values.get("scan_dirs")
    if isinstance(raw, dict):
        out = []
        for path, target in raw.items():
            if target == 0 or target is None:
                out.append((path, "watch"))
            elif target == 1:
                out.append((path, "default"))
            else:
                out.append((path, str(target)))
        return out
    if isinstance(raw, str):
        raw = [part for part in raw.split(",") if part]
    flags = values.get("download_in_scan_dirs") or []
    if isinstance(flags, str):
        flags = [part.strip().lower() == "true" for part in flags.split(",")]
    if not isinstance(raw, list):
        return []
    return [(str(p), "watch" if (i < len(flags) and flags[i]) else "default") for i, p in enumerate(raw)]


def to_text(pref: Pref, values: dict[str, Any]) -> str:
    """What the form shows for a text-like control. Passwords are never prefilled."""
    value = values.get(pref.key)
    if pref.kind == "password":
        return ""
    if pref.kind == "secret":
        return "set (never shown)" if value else "not set"
    if pref.kind == "rate":
        return format_rate(None if not isinstance(value, (int, float)) or value <= 0 else value)
    if pref.kind == "scan_dirs":
        return "\n".join(f"{path} = {target}" for path, target in scan_dirs_entries(values))
    if pref.kind == "list":
        if value is None:
            return ""
        text = str(value)
        return "\n".join(part.strip() for part in text.replace(";", "\n").replace(",", "\n").splitlines())
    if pref.kind == "json":
        return json.dumps(value)
    if pref.kind == "float" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _number(pref: Pref, text: str, kind: type) -> Any:
    cleaned = text.strip()
    if not cleaned:
        return Invalid(f"{pref.label}: enter a number")
    try:
        value = kind(cleaned)
    except ValueError:
        return Invalid(f"{pref.label}: {cleaned!r} is not a{'n integer' if kind is int else ' number'}")
    if kind is float and not math.isfinite(value):
        return Invalid(f"{pref.label}: {cleaned!r} is not a finite number")
    if pref.min is not None and value < pref.min:
        extra = f" ({pref.help})" if pref.help else ""
        return Invalid(f"{pref.label}: {cleaned} is below the minimum of {pref.min:g}{extra}")
    if pref.max is not None and value > pref.max:
        return Invalid(f"{pref.label}: {cleaned} is above the maximum of {pref.max:g}")
    return value


def validate(key: str, text: str | bool, original: Any = None) -> Any:
    """The value to send for this input, or an `Invalid` with the reason.

    `original` is the server's value (for keys outside the schema, to pick a control)."""
    pref = pref_for(key, original)
    if pref.kind == "bool":
        if isinstance(text, bool):
            return text
        lowered = str(text).strip().lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        return Invalid(f"{pref.label}: {text!r} is not on or off")
    text = str(text)
    if pref.key == "proxy_type" and pref.kind == "text" and text.strip() not in PROXY_TYPE_NAMES:
        return Invalid(f"{pref.label}: use one of {', '.join(PROXY_TYPE_NAMES)}")
    if pref.kind == "int":
        return _number(pref, text, int)
    if pref.kind == "float":
        return _number(pref, text, float)
    if pref.kind == "rate":
        cleaned = text.strip()
        if cleaned.startswith("-"):
            return Invalid(f"{pref.label}: a limit cannot be negative; use 0 or ∞ for unlimited")
        try:
            rate = parse_rate(cleaned)
        except ValueError as error:
            return Invalid(f"{pref.label}: {error}")
        return 0 if rate is None else rate
    if pref.kind == "choice":
        try:
            number = int(text.strip())
        except ValueError:
            return Invalid(f"{pref.label}: {text!r} is not one of the choices")
        if number not in dict(pref.choices) and number != original:
            return Invalid(f"{pref.label}: {number} is not one of the choices")
        return number
    if pref.kind == "json":
        try:
            return json.loads(text)
        except ValueError as error:
            return Invalid(f"{pref.label}: not valid JSON ({error})")
    if pref.kind == "list":
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return pref.separator.join(lines)
    if pref.kind == "scan_dirs":
        entries = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            path, _, target = line.partition(" = ")
            path, target = path.strip(), (target.strip() or "watch")
            if not path:
                return Invalid(f"{pref.label}: line {number} has no folder")
            entries.append((path, target))
        return entries
    return text


def scan_dirs_changes(original: dict[str, Any], entries: list[tuple[str, str]]) -> dict[str, Any]:
    """`scan_dirs` (+ `download_in_scan_dirs` in the list form) for these entries, in the server's form."""
    if isinstance(original.get("scan_dirs"), dict) or "download_in_scan_dirs" not in original:
        codes = {"watch": 0, "default": 1}
        return {"scan_dirs": {path: codes.get(target, target) for path, target in entries}}
    return {
        "scan_dirs": [path for path, _ in entries],
        "download_in_scan_dirs": [target == "watch" for _, target in entries],
    }


def _same(pref: Pref, before: Any, after: Any) -> bool:
    if pref.kind == "rate":
        return (before if isinstance(before, (int, float)) and before > 0 else 0) == after
    if pref.kind == "float" and isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return math.isclose(before, after)
    if pref.kind == "list":
        return to_text(pref, {pref.key: before}) == to_text(pref, {pref.key: after})
    return before == after


def changed(original: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
    """Only the keys whose edited value (already validated) differs from the server's.

    Passwords count as changed only when typed (non-empty). `scan_dirs` takes a list of (path, target)."""
    out: dict[str, Any] = {}
    for key, value in edited.items():
        pref = pref_for(key, original.get(key))
        if pref.kind == "secret":
            continue  # read-only: the server has its own endpoints for it
        if pref.kind == "password":
            if value:
                out[key] = value
            continue
        if pref.kind == "scan_dirs":
            if [tuple(e) for e in value] != scan_dirs_entries(original):
                out.update(scan_dirs_changes(original, value))
            continue
        if key in original and _same(pref, original.get(key), value):
            continue
        if key not in original and pref.kind != "json":
            continue
        out[key] = value
    return out


@dataclass(slots=True)
class Form:
    """Values being edited; what the screen keeps (kept here so it is testable without Textual)."""

    original: dict[str, Any]
    edited: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def set(self, key: str, text: str | bool) -> str | None:
        value = validate(key, text, self.original.get(key))
        if isinstance(value, Invalid):
            self.errors[key] = value.reason
            self.edited.pop(key, None)
            return value.reason
        self.errors.pop(key, None)
        self.edited[key] = value
        return None

    def changes(self) -> dict[str, Any]:
        return changed(self.original, self.edited)

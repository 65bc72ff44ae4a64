"""query/preferences and command/setPreferences of 4.0.4 (prefjson.cpp), keys as in the recorded sample."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from qbtui.sim.auth import md5_hex
from qbtui.sim.engine import normalise_path

if TYPE_CHECKING:
    from qbtui.sim.engine import Engine

#: Stored as they are: the sample's values, with a demo machine's paths and a living swarm (DHT on).
PLAIN_DEFAULTS: dict[str, Any] = {
    "add_trackers": "",
    "add_trackers_enabled": False,
    "anonymous_mode": False,
    "autorun_enabled": False,
    "autorun_program": "",
    "banned_IPs": "",
    "bittorrent_protocol": 0,
    "bypass_auth_subnet_whitelist": "",
    "bypass_auth_subnet_whitelist_enabled": False,
    "bypass_local_auth": False,
    "dht": True,
    "dont_count_slow_torrents": False,
    "dyndns_domain": "changeme.dyndns.org",
    "dyndns_enabled": False,
    "dyndns_password": "",
    "dyndns_service": 0,
    "dyndns_username": "",
    "encryption": 0,
    "export_dir": "",
    "export_dir_fin": "",
    "force_proxy": True,
    "incomplete_files_ext": False,
    "ip_filter_enabled": False,
    "ip_filter_path": "",
    "ip_filter_trackers": False,
    "limit_tcp_overhead": False,
    "limit_utp_rate": True,
    "listen_port": 6881,
    "locale": "en",
    "lsd": True,
    "mail_notification_auth_enabled": False,
    "mail_notification_email": "",
    "mail_notification_enabled": False,
    "mail_notification_password": "",
    "mail_notification_smtp": "smtp.changeme.com",
    "mail_notification_ssl_enabled": False,
    "mail_notification_username": "",
    "max_active_downloads": 5,
    "max_active_torrents": 14,
    "max_active_uploads": 10,
    "max_connec": 500,
    "max_connec_per_torrent": 100,
    "max_uploads": -1,
    "max_uploads_per_torrent": -1,
    "pex": True,
    "preallocate_all": False,
    "proxy_auth_enabled": False,
    "proxy_ip": "0.0.0.0",
    "proxy_password": "",
    "proxy_peer_connections": False,
    "proxy_port": 8080,
    "proxy_type": 0,
    "proxy_username": "",
    "queueing_enabled": True,
    "random_port": False,
    "save_path": "/srv/qbt/downloads/",
    "scan_dirs": {},
    "schedule_from_hour": 8,
    "schedule_from_min": 0,
    "schedule_to_hour": 20,
    "schedule_to_min": 0,
    "scheduler_days": 0,
    "scheduler_enabled": False,
    "ssl_cert": "",
    "ssl_key": "",
    "temp_path": "/srv/qbt/downloads/temp/",
    "temp_path_enabled": False,
    "upnp": False,
    "use_https": False,
    "web_ui_address": "*",
    "web_ui_domain_list": "*",
    "web_ui_port": 8080,
    "web_ui_upnp": False,
    "web_ui_username": "admin",
}

#: Keys the spec marks as arriving later than API 2.
SINCE = {
    "max_ratio_enabled": 3,
    "max_ratio": 3,
    "max_ratio_act": 3,
    "random_port": 3,
    "max_uploads": 3,
    "force_proxy": 3,
    "ip_filter_trackers": 3,
    "web_ui_upnp": 4,
}

_PATHS = ("save_path", "temp_path")


def _rate_unit(eng: Engine) -> int:
    """Bytes per unit of the speed-limit preferences: KiB/s up to 3.2.x (API 5, as the spec says),
    bytes/s from 3.3.0's BitTorrent::Session on (the 4.0.4 recording: alt_dl_limit 10240)."""
    return 1024 if eng.api < 6 else 1


def preferences(eng: Engine, password_md5: str) -> dict[str, Any]:
    data = dict(eng.prefs)
    unit = _rate_unit(eng)
    data.update(
        dl_limit=eng.dl_limit_kib * 1024 // unit,
        up_limit=eng.up_limit_kib * 1024 // unit,
        alt_dl_limit=eng.alt_dl_limit_kib * 1024 // unit,
        alt_up_limit=eng.alt_up_limit_kib * 1024 // unit,
        max_ratio_enabled=eng.global_max_ratio >= 0,
        max_ratio=eng.global_max_ratio if eng.global_max_ratio >= 0 else -1,
        max_ratio_act=eng.max_ratio_action,
        max_seeding_time_enabled=eng.global_max_seeding >= 0,
        max_seeding_time=eng.global_max_seeding,
        web_ui_password=password_md5,
    )
    data.pop("refresh_interval", None)
    for key, since in SINCE.items():
        if eng.api < since:
            data.pop(key, None)
    if isinstance(data["max_ratio"], float) and data["max_ratio"] == int(data["max_ratio"]):
        data["max_ratio"] = int(data["max_ratio"])
    return data


def _to_bool(value: Any) -> bool:
    """QVariant::toBool."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false")
    if isinstance(value, bool | int | float):
        return bool(value)
    return False


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return 0
    return 0


def _to_float(value: Any) -> float:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value if not isinstance(value, float) or not value.is_integer() else int(value))
    return ""


class Account:
    """The WebUI user: the password is only kept as its MD5, as 4.0.4 stores it."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password_md5 = md5_hex(password)

    def set_password(self, value: str) -> None:
        # Preferences::setWebUiPassword: sending the stored hash back changes nothing.
        if value != self.password_md5:
            self.password_md5 = md5_hex(value)

    def check(self, username: str, password: str) -> bool:
        return username == self.username and md5_hex(password) == self.password_md5


def apply(eng: Engine, account: Account, text: str) -> None:
    """Apply the known keys of a setPreferences `json` value; anything unparsable is ignored."""
    try:
        changes = json.loads(text)
    except ValueError:
        return
    if not isinstance(changes, dict):
        return
    requeue = False
    for key, value in changes.items():
        if key == "web_ui_password":
            account.set_password(_to_str(value))
        elif key == "web_ui_username":
            account.username = _to_str(value)
            eng.prefs[key] = account.username
        elif key in ("dl_limit", "up_limit", "alt_dl_limit", "alt_up_limit"):
            setter = eng.set_download_limit if key.endswith("dl_limit") else eng.set_upload_limit
            setter(_to_int(value) * _rate_unit(eng), alternative=key.startswith("alt_"))
        elif key == "max_ratio_enabled":
            eng.global_max_ratio = max(-1.0, _to_float(changes.get("max_ratio"))) if _to_bool(value) else -1.0
            eng.mark_all()
        elif key == "max_seeding_time_enabled":
            eng.global_max_seeding = (
                max(-1, _to_int(changes.get("max_seeding_time"))) if _to_bool(value) else -1
            )
            eng.mark_all()
        elif key == "max_ratio_act":
            eng.max_ratio_action = _to_int(value)
        elif key in _PATHS:
            eng.prefs[key] = normalise_path(_to_str(value), str(eng.prefs[key]))
            if key == "save_path":
                # Torrents under automatic management follow the default save path.
                for t in eng.torrents.values():
                    if t.auto_tmm:
                        t.save_path = eng.category_save_path(t.category)
                        eng.mark(t)
        elif key == "scan_dirs":
            if isinstance(value, dict):
                eng.prefs[key] = {str(k): v for k, v in value.items() if isinstance(v, int | str)}
        elif key in PLAIN_DEFAULTS:
            default = PLAIN_DEFAULTS[key]
            if isinstance(default, bool):
                eng.prefs[key] = _to_bool(value)
            elif isinstance(default, int):
                eng.prefs[key] = _to_int(value)
            else:
                eng.prefs[key] = _to_str(value)
            if key in (
                "queueing_enabled",
                "max_active_downloads",
                "max_active_uploads",
                "max_active_torrents",
            ):
                requeue = True
    if requeue:
        eng.requeue()
        eng.mark_all()

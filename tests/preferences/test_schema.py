"""The pure preferences schema: coverage of the spec table, validation, change detection, scan_dirs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qbtui.model.preferences import (
    BY_KEY,
    GROUPS,
    Form,
    Invalid,
    changed,
    generic,
    layout,
    scan_dirs_entries,
    to_text,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC = Path("/work/shared/spec/legacy-webui-api.md")
SAMPLE = ROOT / "tests/data/legacy-4.0.4-samples/query_preferences.txt"


def sample() -> dict:
    raw = SAMPLE.read_text()
    return json.loads(raw[raw.index("{") :])


def spec_keys() -> set[str]:
    text = SPEC.read_text() if SPEC.exists() else ""
    section = text[text.index("### Get qBittorrent preferences") :] if text else ""
    section = section[: section.index("Possible values of")] if section else ""
    return set(re.findall(r"^`([A-Za-z_]+)`", section, re.M))


def test_every_spec_key_is_in_the_schema() -> None:
    keys = spec_keys()
    if SPEC.exists():
        assert len(keys) > 80
    missing = keys - BY_KEY.keys() - {"download_in_scan_dirs"}
    assert not missing


def test_every_404_key_is_in_the_schema_and_groups() -> None:
    values = sample()
    groups = layout(values)
    assert "Other" not in groups
    assert list(groups) == [g for g in GROUPS if g in groups]
    assert {"Downloads", "Connection", "Speed", "BitTorrent", "Web UI"} <= groups.keys()
    shown = {pref.key for prefs in groups.values() for pref in prefs}
    assert shown == set(values)


def test_enums() -> None:
    assert dict(BY_KEY["scheduler_days"].choices)[1] == "Every weekday"
    assert dict(BY_KEY["encryption"].choices)[1] == "Force encryption on"
    assert dict(BY_KEY["proxy_type"].choices)[-1] == "Proxy disabled"
    assert dict(BY_KEY["proxy_type"].choices)[5].startswith("SOCKS4")
    assert set(dict(BY_KEY["dyndns_service"].choices)) == {0, 1}
    assert dict(BY_KEY["max_ratio_act"].choices) == {0: "Pause torrent", 1: "Remove torrent"}
    assert isinstance(validate("encryption", "3"), Invalid)
    assert validate("proxy_type", "-1") == -1


def test_ports_and_ranges() -> None:
    bad = validate("web_ui_port", "70000")
    assert isinstance(bad, Invalid) and "65535" in bad.reason
    assert isinstance(validate("listen_port", "0"), Invalid)
    assert validate("listen_port", "65535") == 65535
    assert isinstance(validate("listen_port", "80x"), Invalid)
    assert isinstance(validate("schedule_from_hour", "24"), Invalid)
    assert validate("max_active_downloads", "-1") == -1
    assert isinstance(validate("max_active_downloads", "-2"), Invalid)
    assert validate("max_ratio", "1.5") == 1.5
    assert isinstance(validate("max_ratio", "nan"), Invalid)


def test_rates_are_bytes_per_second_in_human_units() -> None:
    values = sample()
    assert to_text(BY_KEY["alt_dl_limit"], values) == "10.0 KiB/s"
    assert to_text(BY_KEY["dl_limit"], values) == "∞"
    assert validate("dl_limit", "2.5M") == int(2.5 * 1024 * 1024)
    assert validate("dl_limit", "∞") == 0 and validate("dl_limit", "0") == 0
    negative = validate("up_limit", "-5K")
    assert isinstance(negative, Invalid) and "negative" in negative.reason
    assert isinstance(validate("up_limit", "fast"), Invalid)
    # the shown text round-trips to the same value, so nothing is "changed" by showing it
    assert changed(values, {"alt_dl_limit": validate("alt_dl_limit", "10.0 KiB/s")}) == {}
    assert changed({"dl_limit": -1}, {"dl_limit": 0}) == {}


@given(st.integers(min_value=1024, max_value=2**30))
def test_rate_round_trip_is_close(rate: int) -> None:
    text = to_text(BY_KEY["dl_limit"], {"dl_limit": rate})
    value = validate("dl_limit", text)
    assert isinstance(value, int) and abs(value - rate) <= rate * 0.06


@given(st.integers())
def test_ports_accept_exactly_1_to_65535(port: int) -> None:
    value = validate("web_ui_port", str(port))
    assert (value == port) if 1 <= port <= 65535 else isinstance(value, Invalid)


def test_changed_only_changed_keys() -> None:
    values = sample()
    edited = {
        "dht": False,  # unchanged
        "pex": True,
        "listen_port": 28881,  # unchanged
        "max_active_torrents": 7,
        "save_path": "/srv/qbt/downloads/",
    }
    assert changed(values, edited) == {"pex": True, "max_active_torrents": 7}


def test_passwords_are_write_only() -> None:
    values = sample()
    pref = BY_KEY["web_ui_password"]
    assert values["web_ui_password"]  # the MD5
    assert to_text(pref, values) == ""
    assert changed(values, {"web_ui_password": ""}) == {}
    assert changed(values, {"web_ui_password": "s3cret"}) == {"web_ui_password": "s3cret"}
    assert to_text(BY_KEY["proxy_password"], {"proxy_password": "visible?"}) == ""


def test_scan_dirs_object_form() -> None:
    values = {"scan_dirs": {"/w/a": 0, "/w/b": 1, "/w/c": "/dl/c"}}
    assert scan_dirs_entries(values) == [("/w/a", "watch"), ("/w/b", "default"), ("/w/c", "/dl/c")]
    text = to_text(BY_KEY["scan_dirs"], values)
    assert changed(values, {"scan_dirs": validate("scan_dirs", text)}) == {}
    edited = validate("scan_dirs", text + "\n/w/d = default\n")
    assert changed(values, {"scan_dirs": edited}) == {
        "scan_dirs": {"/w/a": 0, "/w/b": 1, "/w/c": "/dl/c", "/w/d": 1}
    }
    assert changed({"scan_dirs": {}}, {"scan_dirs": validate("scan_dirs", "/x")}) == {"scan_dirs": {"/x": 0}}


def test_scan_dirs_list_form_with_flags() -> None:
    values = {"scan_dirs": ["D:/Browser Downloads"], "download_in_scan_dirs": [False]}
    assert scan_dirs_entries(values) == [("D:/Browser Downloads", "default")]
    edited = validate("scan_dirs", "D:/Browser Downloads = watch\nE:/more = default")
    assert changed(values, {"scan_dirs": edited}) == {
        "scan_dirs": ["D:/Browser Downloads", "E:/more"],
        "download_in_scan_dirs": [True, False],
    }
    assert "download_in_scan_dirs" not in {p.key for ps in layout(values).values() for p in ps}


def test_unknown_keys_get_generic_controls_in_other() -> None:
    values = {
        "dht": True,
        "brand_new_flag": True,
        "some_count": 3,
        "a_ratio": 0.5,
        "label": "x",
        "blob": [1, 2],
    }
    groups = layout(values)
    kinds = {p.key: p.kind for p in groups["Other"]}
    assert kinds == {
        "a_ratio": "float",
        "blob": "json",
        "brand_new_flag": "bool",
        "label": "text",
        "some_count": "int",
    }
    assert generic("smtp_password", "x").kind == "password"
    assert generic("web_ui_https_key_path", "/k.pem").kind == "password"  # SECRET_PREFERENCES
    assert validate("some_count", "4", 3) == 4
    assert isinstance(validate("some_count", "four", 3), Invalid)
    assert validate("brand_new_flag", False, True) is False
    assert validate("blob", "[3]", [1, 2]) == [3]


def test_form_keeps_errors_and_changes() -> None:
    form = Form(sample())
    assert form.set("web_ui_port", "70000") is not None
    assert "web_ui_port" in form.errors and form.changes() == {}
    assert form.set("web_ui_port", "28090") is None
    assert form.set("dl_limit", "1M") is None
    assert form.changes() == {"web_ui_port": 28090, "dl_limit": 1048576}


def test_server_values_outside_the_enum_are_kept() -> None:
    assert validate("proxy_type", "0", 0) == 0  # 4.0.4 returns 0 for "no proxy"
    assert validate("scheduler_days", "12", 12) == 12  # whatever the server has is not refused
    assert isinstance(validate("scheduler_days", "12", 0), Invalid)


def test_v2_offers_the_webui_password_it_never_returns() -> None:
    from qbtui.model.preferences import layout

    v2_values = {"web_ui_username": "admin", "web_ui_port": 8080}
    keys = [pref.key for prefs in layout(v2_values).values() for pref in prefs]
    assert "web_ui_password" in keys
    assert "web_ui_password" not in [p.key for ps in layout({"dht": True}).values() for p in ps]

"""Saved WebUI preferences retarget the next login instead of locking the app out."""

from __future__ import annotations

from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget, settings_after_preferences

BEFORE = {"web_ui_port": 8080, "web_ui_address": "*", "web_ui_username": "admin"}


def settings(url: str = "http://127.0.0.1:8080") -> ConnectionSettings:
    return ConnectionSettings(url=url, username="admin", password="old-secret")


def test_direct_connection_follows_port_username_and_password() -> None:
    result = settings_after_preferences(
        settings(),
        BEFORE,
        {"web_ui_port": 9090, "web_ui_username": "alice", "web_ui_password": "n3w"},
    )
    assert result.settings.base_url == "http://127.0.0.1:9090/"
    assert result.settings.username == "alice"
    assert result.settings.password == "n3w"
    assert result.changes == ("port 9090", "username alice", "the new password")
    assert "n3w" not in repr(result)


def test_a_reverse_proxy_url_keeps_its_port_and_path() -> None:
    proxied = settings("https://seedbox.example/qbt/")
    result = settings_after_preferences(proxied, BEFORE, {"web_ui_port": 9090})
    assert result.settings.base_url == "https://seedbox.example/qbt/"
    assert result.changes == ()


def test_bind_address_moves_an_ip_url_but_not_a_wildcard_or_hostname() -> None:
    moved = settings_after_preferences(settings(), BEFORE, {"web_ui_address": "127.0.0.2"})
    assert moved.settings.base_url == "http://127.0.0.2:8080/"
    for wildcard in ("*", "", "0.0.0.0", "::"):
        same = settings_after_preferences(settings(), BEFORE, {"web_ui_address": wildcard})
        assert same.settings.base_url == "http://127.0.0.1:8080/"
    named = settings_after_preferences(
        settings("http://localhost:8080"), BEFORE, {"web_ui_address": "127.0.0.1"}
    )
    assert named.settings.base_url == "http://localhost:8080/"


def test_ipv6_and_an_empty_password_change() -> None:
    v6 = settings_after_preferences(
        settings("http://[::1]:8080/"), BEFORE, {"web_ui_port": 8081, "web_ui_password": ""}
    )
    assert v6.settings.base_url == "http://[::1]:8081/"
    assert v6.settings.password == "old-secret"  # an empty field means "unchanged" in the form


def test_target_keeps_the_new_settings_for_every_later_login() -> None:
    target = ServerTarget(settings())
    target.follow_preferences(BEFORE, {"web_ui_port": 9191})
    target.follow_preferences({**BEFORE, "web_ui_port": 9191}, {"web_ui_username": "bob"})
    assert target.settings.base_url == "http://127.0.0.1:9191/"
    assert target.settings.username == "bob"
    assert len(target.history) == 2

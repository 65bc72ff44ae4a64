"""API keys in the config: the same sources as passwords (env, command, keyring, plain), one at a
time, read into the connection settings and written back by server_section()."""

from __future__ import annotations

import pytest

from qbtui.settings.config import ConfigError, parse_config, server_section


def test_api_key_sources_are_read_like_passwords(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "key"
    script.write_text("#!/bin/sh\necho qbt_fromcommand0123456789abcdef\n")
    script.chmod(0o700)
    config = parse_config(
        f"""
[servers.env]
url = "http://a:8080"
api_key_env = "MY_QBT_KEY"

[servers.cmd]
url = "http://b:8080"
api_key_command = "{script}"

[servers.ring]
url = "http://c:8080"
api_key_keyring = true
"""
    )
    env = config.servers["env"].settings({"MY_QBT_KEY": "qbt_fromenv"})
    assert env.api_key == "qbt_fromenv" and env.username is None and repr(env.api_key) == "'<redacted>'"
    assert config.servers["cmd"].settings({}).api_key == "qbt_fromcommand0123456789abcdef"
    assert config.servers["ring"].api_key.keyring == "ring.api_key"
    for name in ("env", "cmd", "ring"):
        again = parse_config(server_section(config.servers[name])).servers[name]
        assert again.api_key == config.servers[name].api_key


def test_two_api_key_sources_are_refused() -> None:
    with pytest.raises(ConfigError, match="api_key_env and api_key_command: choose one"):
        parse_config('[servers.x]\nurl = "http://x"\napi_key_env = "A"\napi_key_command = "b"\n')

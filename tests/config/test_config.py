"""The TOML config: valid files, broken ones named by line, permissions, password sources, saving."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from qbtui.settings.config import (
    Config,
    ConfigError,
    ServerConfig,
    config_path,
    load_config,
    parse_config,
    save_server,
)
from qbtui.settings.passwords import PasswordError, PasswordSource

FULL = """\
# my servers
default_server = "seedbox"
refresh_interval = 2
theme = "qbtui-light"
bell = true

[servers.seedbox]
url = "https://seedbox.example/qbt/"
username = "admin"
password_command = "pass show qbt"
verify = "~/ca.pem"

[servers.home]
url = "http://127.0.0.1:8080"
password_env = "HOME_QBT"
timeout = 5

[keymap]
"torrent.delete" = "x"

[view]
columns = ["name", "size"]
sort = "down"
reverse = true
"""


def test_a_full_config_loads() -> None:
    config = parse_config(FULL)
    assert config.default_server == "seedbox" and config.refresh_interval == 2.0
    assert config.theme == "qbtui-light" and config.bell is True
    seedbox = config.server()
    assert seedbox is not None and seedbox.name == "seedbox"
    assert seedbox.password == PasswordSource(command="pass show qbt")
    assert seedbox.verify == os.path.expanduser("~/ca.pem")
    home = config.servers["home"]
    assert home.password.env == "HOME_QBT" and home.timeout == 5.0 and home.username is None
    assert config.keymap == {"torrent.delete": "x"}
    assert config.columns == ["name", "size"] and config.sort == "down" and config.reverse is True
    assert config.warnings == []


@pytest.mark.parametrize(
    ("key", "default", "valid", "too_low"),
    [("active_interval", 2.0, 3, 0.1), ("unseen_interval", 120.0, 300, 1)],
)
def test_intervals_have_defaults_and_zero_means_never(
    key: str, default: float, valid: float, too_low: float
) -> None:
    assert getattr(parse_config(""), key) == default
    assert getattr(parse_config(f"{key} = {valid}\n"), key) == valid
    assert getattr(parse_config(f"{key} = 0\n"), key) == 0.0
    with pytest.raises(ConfigError, match=f"{key} must be 0"):
        parse_config(f"{key} = {too_low}\n")


def test_no_file_is_an_empty_config(tmp_path: Path) -> None:
    config = load_config(tmp_path / "missing.toml")
    assert config.servers == {} and config.server() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[servers.a]\nurl = "http://x"\nusername = admin\n', "line 3, column 12: Invalid value"),
        (
            '[servers.a]\nurl = "http://x"\ntimeout = "soon"\n',
            "line 3: servers.a.timeout must be a number, not str",
        ),
        ("refresh_interval = true\n", "line 1: refresh_interval must be a number, not bool"),
        ('[servers.a]\nusername = "x"\n', "line 1: [servers.a] needs a url"),
        ('default_server = "nope"\n[servers.a]\nurl = "http://x"\n', "line 1: default_server 'nope' is not"),
        (
            '[servers.a]\nurl = "http://x"\npassword = "p"\npassword_env = "E"\n',
            "line 4: [servers.a] has password and password_env: choose one",
        ),
        ('[keymap]\n"torrent.delete" = 3\n', "line 2: keymap 'torrent.delete': give the keys as a string"),
        ('[view]\ncolumns = "name"\n', "line 2: view.columns must be a list"),
        ('[servers.a]\nurl = "http://x"\nverify = 3\n', "line 3: verify must be true, false"),
    ],
)
def test_broken_files_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_unknown_keys_are_warnings_with_lines() -> None:
    config = parse_config('colour = "red"\n[servers.a]\nurl = "http://x"\nuser = "typo"\n')
    assert config.warnings == [
        "config line 1: unknown setting 'colour' (ignored)",
        "config line 4: unknown setting 'user' in [servers.a] (ignored)",
    ]


def test_plain_password_in_a_readable_file_warns(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[servers.a]\nurl = "http://x"\npassword = "hunter2"\n')
    path.chmod(0o644)
    config = load_config(path)
    assert len(config.warnings) == 1 and "chmod 600" in config.warnings[0]
    assert "hunter2" not in config.warnings[0]
    path.chmod(0o600)
    assert load_config(path).warnings == []


def test_config_path_follows_the_environment(tmp_path: Path) -> None:
    assert config_path({"QBTUI_CONFIG": str(tmp_path / "c.toml")}) == tmp_path / "c.toml"
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "qbtui" / "config.toml"


def test_password_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    assert PasswordSource(env="QBT_X").read({"QBT_X": "from-env"}) == "from-env"
    with pytest.raises(PasswordError, match="QBT_X is not set"):
        PasswordSource(env="QBT_X").read({})
    command = f"{sys.executable} -c \"print('from-command'); print('second line')\""
    assert PasswordSource(command=command).read() == "from-command"
    with pytest.raises(PasswordError, match="failed with exit status 3") as caught:
        PasswordSource(command=f"{sys.executable} -c \"print('s3cret'); raise SystemExit(3)\"").read()
    assert "s3cret" not in str(caught.value)
    assert PasswordSource(plain="p").read() == "p" and PasswordSource().read() is None
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    with pytest.raises(PasswordError, match="pip install keyring"):
        PasswordSource(keyring="home").read()


def test_saving_a_server_keeps_the_users_text_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "qbtui" / "config.toml"
    path.parent.mkdir()
    path.write_text(FULL)
    path.chmod(0o644)
    server = ServerConfig("box2", "http://10.1.2.3:8080", "me", PasswordSource(env="BOX2_PW"))
    save_server(path, server, make_default=True)
    text = path.read_text()
    assert text.startswith("# my servers\n")  # comments survive
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = load_config(path)
    assert config.default_server == "box2" and set(config.servers) == {"seedbox", "home", "box2"}
    assert config.servers["box2"] == server
    # Saving again replaces the section instead of duplicating it.
    save_server(path, ServerConfig("box2", "http://10.1.2.3:9090", "me"))
    config = load_config(path)
    assert (
        config.servers["box2"].url == "http://10.1.2.3:9090"
        and config.servers["box2"].password == PasswordSource()
    )


def test_saving_refuses_to_touch_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("this is = = not toml\n")
    with pytest.raises(ConfigError, match="line 1"):
        save_server(path, ServerConfig("a", "http://x"))
    assert path.read_text() == "this is = = not toml\n"


def test_hostile_strings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    weird = 'pa"ss\\word\n\t\x1b[31m ünï [bold]'
    save_server(path, ServerConfig("w", 'http://h/"x"', 'ü"ser', PasswordSource(plain=weird)))
    loaded = load_config(path).servers["w"]
    assert loaded.password.plain == weird and loaded.username == 'ü"ser' and loaded.url == 'http://h/"x"'


def test_a_server_name_with_a_dot_stays_one_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_server(path, ServerConfig("nas.home", "http://10.0.0.2:8080", "me"), make_default=True)
    save_server(path, ServerConfig("my-box", "http://10.0.0.3:8080", "\x7fme"))
    config = load_config(path)
    assert set(config.servers) == {"nas.home", "my-box"} and config.server() is not None
    assert config.server().name == "nas.home" and config.servers["my-box"].username == "\x7fme"  # type: ignore[union-attr]
    save_server(path, ServerConfig("nas.home", "http://10.0.0.9:8080", "me"))  # replaces, not adds
    assert load_config(path).servers["nas.home"].url == "http://10.0.0.9:8080"
    assert path.read_text().count("nas.home") == 2  # its table and default_server


def test_server_lookup() -> None:
    assert Config().server() is None
    one = parse_config('[servers.only]\nurl = "http://x"\n')
    assert one.server() is not None and one.server("only") is not None and one.server("other") is None


def test_view_columns_and_sort_are_checked_against_the_table() -> None:
    config = parse_config('[view]\ncolumns = ["name", "bogus", "size"]\nsort = "nope"\n')
    assert config.columns == ["name", "size"] and config.sort is None
    assert config.warnings == [
        "config line 2: view.columns: no column 'bogus' (ignored)",
        "config line 3: view.sort: no column 'nope' (ignored)",
    ]

"""The user's TOML configuration: named servers, the default one, refresh interval, theme, keymap
and the table's columns and sort. No Textual here.

    default_server = "seedbox"
    refresh_interval = 2.0          # seconds; default: the server's own refresh interval
    unseen_interval = 120           # seconds between polls while nobody can see the app; 0: never
    active_interval = 2.0           # the active torrents' refresh while a slow full poll rests; 0: never
    theme = "qbtui-dark"
    bell = false                    # ring the terminal bell on completions and errors

    [servers.seedbox]
    url = "https://seedbox.example/qbt/"
    username = "admin"
    password_command = "pass show qbt"   # or password_env = "QBT_PASSWORD", password_keyring = true
    # api_key_command = "pass show qbt-key"  # qBittorrent 5.2+: an API key instead of a login
    #                                        # (or api_key_env, api_key_keyring = true)
    verify = true                        # false, or the path of a CA file / self-signed certificate

    [keymap]
    "torrent.delete" = "x"

    [view]
    columns = ["name", "size", "progress", "state"]
    sort = "down"
    reverse = true

    [views.seeding-slow]            # a saved view (qbtui.settings.saved_views); every key is optional
    key = 1                         # the number key that switches to it
    filter = "state:seeding up<10K" # name words or a filter-language expression
    sort = "ratio"
    reverse = true
    columns = ["name", "ratio", "up"]
    status = "seeding"              # the sidebar: status, category, tag, tracker ("" = none)

A broken file is reported with its line, never as a traceback; saving a server or a view appends its
section to the file as it is (comments survive), atomically and private (0600). A view that cannot
work (unknown column, a filter with a mistake) is a warning: the rest of the file still loads.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qbtui.api import ConnectionSettings
from qbtui.model.columns import COLUMNS
from qbtui.model.sync import ACTIVE_INTERVAL
from qbtui.model.view import STATUS_FILTERS
from qbtui.model.visibility import UNSEEN_INTERVAL
from qbtui.settings.passwords import PasswordSource
from qbtui.settings.saved_views import (
    KEYS,
    SavedView,
    filter_problem,
    name_problem,
    table_name,
    toml_string,
    view_section,
)
from qbtui.util.atomicfile import write_atomic

CONFIG_ENV = "QBTUI_CONFIG"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_SERVER_KEYS = {
    "url",
    "username",
    "password",
    "password_env",
    "password_command",
    "password_keyring",
    "api_key",
    "api_key_env",
    "api_key_command",
    "api_key_keyring",
    "verify",
    "referer",
    "timeout",
    "path_map",
}
_TOP_KEYS = {
    "default_server", "refresh_interval", "unseen_interval", "active_interval", "theme", "bell",
    "servers", "groups", "keymap", "view", "views",
}  # fmt: skip
#: `--server all` (and a saved view's servers) means every configured server: no group may take it.
ALL_SERVERS = "all"
_VIEW_KEYS = {"columns", "sort", "reverse"}
_SAVED_VIEW_KEYS = {"key", "filter", "sort", "reverse", "columns", "status", "category", "tag", "tracker"}


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and, where known, the line."""


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """$QBTUI_CONFIG, else $XDG_CONFIG_HOME/qbtui/config.toml, else ~/.config/qbtui/config.toml."""
    environ = os.environ if environ is None else environ
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV]).expanduser()
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "qbtui" / "config.toml"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    name: str
    url: str
    username: str | None = None
    password: PasswordSource = field(default_factory=PasswordSource)
    verify: bool | str = True
    referer: str = "none"
    timeout: float = 15.0
    #: qBittorrent 5.2+: an API key, read like the password (its keyring entry is NAME.api_key).
    api_key: PasswordSource = field(default_factory=PasswordSource)
    #: Where this server's paths are in the namespace its fleet shares: (server path, shared path),
    #: e.g. ("/downloads", "/srv/pool/a"); moving a torrent to another server maps its save path
    #: through both servers' maps (qbtui.model.paths).
    path_map: tuple[tuple[str, str], ...] = ()

    def settings(
        self, environ: Mapping[str, str] | None = None, *, interactive: bool = True
    ) -> ConnectionSettings:
        """Connection settings with the password read from its source (may raise PasswordError)."""
        return ConnectionSettings(
            url=self.url,
            username=self.username,
            password=self.password.read(environ, interactive=interactive),
            api_key=self.api_key.read(environ, interactive=interactive),
            verify=self.verify,
            referer=self.referer,
            timeout=self.timeout,
        )


@dataclass(slots=True)
class Config:
    path: Path | None = None
    servers: dict[str, ServerConfig] = field(default_factory=dict)
    #: [groups.NAME] servers = [...]: servers shown together in one table (`--server NAME`).
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default_server: str | None = None
    refresh_interval: float | None = None
    #: The poll interval while nobody can see the app (qbtui.model.visibility); 0: never quiet.
    unseen_interval: float = UNSEEN_INTERVAL
    #: How often the active torrents are refreshed while a slow server's maindata rests
    #: (qbtui.model.sync); 0: never.
    active_interval: float = ACTIVE_INTERVAL
    theme: str | None = None
    bell: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    columns: list[str] | None = None
    sort: str | None = None
    reverse: bool | None = None
    #: [views.NAME] tables, in file order.
    views: dict[str, SavedView] = field(default_factory=dict)
    #: The warnings about views (also in `warnings`): the TUI shows these, since it is where they bite.
    view_warnings: list[str] = field(default_factory=list)
    #: Things worth telling the user that do not stop the app (unknown keys, readable passwords).
    warnings: list[str] = field(default_factory=list)

    def server(self, name: str | None = None) -> ServerConfig | None:
        """The named server, else the default one, else the only one."""
        if name is not None:
            return self.servers.get(name)
        if self.default_server is not None:
            return self.servers.get(self.default_server)
        if len(self.servers) == 1:
            return next(iter(self.servers.values()))
        return None

    def fleet(self, name: str | None) -> tuple[str, ...] | None:
        """The servers `--server NAME` shows together: a group's, or every server for "all" (unless
        a server has that name); None when NAME is a single server or nothing."""
        if name is None or name in self.servers:
            return None
        if name == ALL_SERVERS:
            return tuple(self.servers)
        return self.groups.get(name)


# ------------------------------------------------------------------------------------------ loading


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The config at `path` (default: `config_path()`); an empty Config when there is no file."""
    path = config_path(environ) if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    config = parse_config(text, path)
    _warn_about_readable_passwords(config, path)
    return config


def parse_config(text: str, path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: {_toml_message(exc)}") from None
    lines = _Lines(text, where)
    config = Config(path=path)
    for key in sorted(set(data) - _TOP_KEYS):
        config.warnings.append(lines.at(None, key, f"unknown setting {key!r} (ignored)"))
    config.default_server = _optional(data, "default_server", str, lines, None)
    config.theme = _optional(data, "theme", str, lines, None)
    config.bell = bool(_optional(data, "bell", bool, lines, None) or False)
    config.refresh_interval = _seconds(data, "refresh_interval", (0.2, 3600), lines, never=False)
    unseen = _seconds(data, "unseen_interval", (5, 86400), lines, never=True)
    if unseen is not None:
        config.unseen_interval = unseen
    active = _seconds(data, "active_interval", (0.5, 3600), lines, never=True)
    if active is not None:
        config.active_interval = active
    servers = _optional(data, "servers", dict, lines, None) or {}
    for name, table in servers.items():
        config.servers[name] = _server(name, table, lines, config.warnings)
    groups = _optional(data, "groups", dict, lines, None) or {}
    for name, table in groups.items():
        config.groups[name] = _group(name, table, config.servers, lines)
    if config.default_server is not None and config.default_server not in config.servers:
        raise ConfigError(
            lines.at(
                None, "default_server", f"default_server {config.default_server!r} is not a [servers.*] entry"
            )
        )
    keymap = _optional(data, "keymap", dict, lines, None) or {}
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                lines.at("keymap", binding_id, f"keymap {binding_id!r}: give the keys as a string")
            )
        config.keymap[binding_id] = keys.strip()
    view = _optional(data, "view", dict, lines, None) or {}
    for key in sorted(set(view) - _VIEW_KEYS):
        config.warnings.append(lines.at("view", key, f"unknown setting view.{key} (ignored)"))
    columns = view.get("columns")
    if columns is not None:
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise ConfigError(lines.at("view", "columns", "view.columns must be a list of column names"))
        config.columns = list(columns)
    for column in config.columns or []:
        if column not in COLUMNS:
            problem = f"view.columns: no column {column!r} (ignored)"
            config.warnings.append(lines.at("view", "columns", problem))
    if config.columns is not None:
        config.columns = [c for c in config.columns if c in COLUMNS] or None
    config.sort = _optional(view, "sort", str, lines, "view")
    if config.sort is not None and config.sort not in COLUMNS:
        config.warnings.append(lines.at("view", "sort", f"view.sort: no column {config.sort!r} (ignored)"))
        config.sort = None
    config.reverse = _optional(view, "reverse", bool, lines, "view")
    views = _optional(data, "views", dict, lines, None) or {}
    for name, table in views.items():
        saved = _saved_view(name, table, lines, config.view_warnings)
        holder = next(
            (v for v in config.views.values() if saved.key is not None and v.key == saved.key), None
        )
        if holder is not None:
            problem = f"views.{name}: key {saved.key} is already views.{holder.name}'s (this view gets none)"
            config.view_warnings.append(lines.at(f"views.{name}", "key", problem))
            saved = replace(saved, key=None)
        config.views[name] = saved
    config.warnings.extend(config.view_warnings)
    return config


def _saved_view(name: str, table: Any, lines: _Lines, warnings: list[str]) -> SavedView:
    """One [views.NAME] table. Wrong types are errors, as everywhere in the file; what only makes the
    view less useful (an unknown column, a filter with a mistake) is a warning."""
    section = f"views.{name}"
    if not isinstance(table, dict):
        raise ConfigError(lines.at("views", name, f"[{section}] must be a table"))
    problem = name_problem(name)
    if problem:
        raise ConfigError(lines.at(section, None, f"view name {name!r}: {problem}"))
    for key in sorted(set(table) - _SAVED_VIEW_KEYS):
        warnings.append(lines.at(section, key, f"unknown setting {key!r} in [{section}] (ignored)"))
    key = _optional(table, "key", int, lines, section)
    if key is not None and key not in KEYS:
        raise ConfigError(lines.at(section, "key", f"{section}.key must be a number from 1 to 9"))
    text = _optional(table, "filter", str, lines, section) or ""
    columns = table.get("columns")
    if columns is not None:
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise ConfigError(
                lines.at(section, "columns", f"{section}.columns must be a list of column names")
            )
        for column in columns:
            if column not in COLUMNS:
                warnings.append(
                    lines.at(section, "columns", f"{section}.columns: no column {column!r} (ignored)")
                )
        columns = [c for c in columns if c in COLUMNS] or None
    sort = _optional(table, "sort", str, lines, section)
    if sort is not None and sort not in COLUMNS:
        warnings.append(lines.at(section, "sort", f"{section}.sort: no column {sort!r} (ignored)"))
        sort = None
    status = _optional(table, "status", str, lines, section)
    if status is not None and status not in STATUS_FILTERS:
        known = ", ".join(STATUS_FILTERS)
        warnings.append(
            lines.at(section, "status", f"{section}.status: no status {status!r} ({known}; ignored)")
        )
        status = None
    problem = filter_problem(text)
    if problem:
        problem = f"{section}.filter: {problem}"
        warnings.append(lines.at(section, "filter", problem + " (the view cannot be used until it is fixed)"))
    return SavedView(
        name=name,
        key=key,
        filter=text,
        sort=sort,
        reverse=_optional(table, "reverse", bool, lines, section),
        columns=tuple(columns) if columns else None,
        status=None if status == "all" else status,
        category=_optional(table, "category", str, lines, section),
        tag=_optional(table, "tag", str, lines, section),
        tracker=_optional(table, "tracker", str, lines, section),
        problem=problem,
    )


def _group(name: str, table: Any, servers: Mapping[str, ServerConfig], lines: _Lines) -> tuple[str, ...]:
    section = f"groups.{name}"
    if not isinstance(table, dict):
        raise ConfigError(lines.at(None, "groups", f"[{section}] must be a table"))
    if not _NAME.match(name):
        raise ConfigError(lines.at(section, None, f"group name {name!r}: use letters, digits, - _ ."))
    if name == ALL_SERVERS:
        raise ConfigError(lines.at(section, None, f"[{section}]: {ALL_SERVERS!r} already means every server"))
    if name in servers:
        raise ConfigError(lines.at(section, None, f"[{section}]: a server has that name too"))
    members = table.get("servers")
    if not isinstance(members, list) or not members or not all(isinstance(m, str) for m in members):
        raise ConfigError(lines.at(section, "servers", f"{section}.servers must be a list of server names"))
    unknown = [member for member in members if member not in servers]
    if unknown:
        raise ConfigError(
            lines.at(section, "servers", f"{section}.servers: {unknown[0]!r} is not a [servers.*] entry")
        )
    for key in sorted(set(table) - {"servers"}):
        raise ConfigError(lines.at(section, key, f"unknown setting {key!r} in [{section}]"))
    return tuple(dict.fromkeys(members))


def _path_map(section: str, value: Any, lines: _Lines) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in value.items()
    ):
        raise ConfigError(
            lines.at(
                section,
                "path_map",
                f'{section}.path_map must be a table of paths, e.g. {{ "/downloads" = "/srv/pool/a" }}',
            )
        )
    return tuple((k.strip(), v.strip()) for k, v in value.items())


def _server(name: str, table: Any, lines: _Lines, warnings: list[str]) -> ServerConfig:
    section = f"servers.{name}"
    if not isinstance(table, dict):
        raise ConfigError(lines.at(None, "servers", f"[{section}] must be a table"))
    if not _NAME.match(name):
        raise ConfigError(lines.at(section, None, f"server name {name!r}: use letters, digits, - _ ."))
    for key in sorted(set(table) - _SERVER_KEYS):
        warnings.append(lines.at(section, key, f"unknown setting {key!r} in [{section}] (ignored)"))
    url = _optional(table, "url", str, lines, section)
    if not url:
        raise ConfigError(lines.at(section, None, f"[{section}] needs a url"))
    sources = [
        key for key in ("password", "password_env", "password_command", "password_keyring") if key in table
    ]
    if len(sources) > 1:
        raise ConfigError(
            lines.at(section, sources[1], f"[{section}] has {' and '.join(sources)}: choose one")
        )
    keyring = _optional(table, "password_keyring", bool, lines, section)
    password = PasswordSource(
        env=_optional(table, "password_env", str, lines, section),
        command=_optional(table, "password_command", str, lines, section),
        keyring=name if keyring else None,
        plain=_optional(table, "password", str, lines, section),
    )
    key_names = ("api_key", "api_key_env", "api_key_command", "api_key_keyring")
    key_sources = [key for key in key_names if key in table]
    if len(key_sources) > 1:
        raise ConfigError(
            lines.at(section, key_sources[1], f"[{section}] has {' and '.join(key_sources)}: choose one")
        )
    api_key = PasswordSource(
        env=_optional(table, "api_key_env", str, lines, section),
        command=_optional(table, "api_key_command", str, lines, section),
        keyring=f"{name}.api_key" if _optional(table, "api_key_keyring", bool, lines, section) else None,
        plain=_optional(table, "api_key", str, lines, section),
    )
    verify = table.get("verify", True)
    if not isinstance(verify, (bool, str)):
        raise ConfigError(lines.at(section, "verify", "verify must be true, false or the path of a CA file"))
    timeout = _optional(table, "timeout", (int, float), lines, section)
    if timeout is not None and not 0.5 <= float(timeout) <= 600:
        raise ConfigError(lines.at(section, "timeout", "timeout must be 0.5 to 600 seconds"))
    return ServerConfig(
        name=name,
        url=url,
        username=_optional(table, "username", str, lines, section),
        password=password,
        api_key=api_key,
        verify=os.path.expanduser(verify) if isinstance(verify, str) else verify,
        referer=_optional(table, "referer", str, lines, section) or "none",
        timeout=float(timeout) if timeout is not None else 15.0,
        path_map=_path_map(section, table.get("path_map"), lines),
    )


def _seconds(
    data: Mapping[str, Any], key: str, bounds: tuple[float, float], lines: _Lines, *, never: bool
) -> float | None:
    """A number of seconds within `bounds` (or 0, meaning never, where `never`); None if unset."""
    value = _optional(data, key, (int, float), lines, None)
    if value is None:
        return None
    low, high = bounds
    if not ((never and value == 0) or low <= float(value) <= high):
        zero = "0 (never) or " if never else ""
        raise ConfigError(lines.at(None, key, f"{key} must be {zero}{low:g} to {high:g} seconds"))
    return float(value)


def _optional(table: Mapping[str, Any], key: str, kind: Any, lines: _Lines, section: str | None) -> Any:
    value = table.get(key)
    if value is None:
        return None
    kinds = _tuple(kind)
    # bool is an int in Python; a number setting must not accept `true`.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(dict.fromkeys(_KIND_NAMES.get(t, t.__name__) for t in kinds))
        name = f"{section}.{key}" if section else key
        raise ConfigError(lines.at(section, key, f"{name} must be {expected}, not {type(value).__name__}"))
    return value


_KIND_NAMES = {str: "a string", bool: "true or false", int: "a number", float: "a number", dict: "a table"}


def _tuple(kind: Any) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib says "... (at line 7, column 3)": lead with the line, the way editors do."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        return f"line {match[1]}, column {match[2]}: {message[: match.start()].strip()}"
    return message


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_HEADER = re.compile(rf"^\[\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]")


def _table_header(line: str) -> str:
    """The dotted name of a `[table]` header line, unquoted and without a trailing comment:
    `[views."big files"]  # mine` is `views.big files`."""
    match = _HEADER.match(line.strip())
    if match is None:
        return line.strip().strip("[] ").replace('"', "")
    parts = re.findall(_KEY_PART, match[1])
    return ".".join(_unquote(part) for part in parts)


def _unquote(part: str) -> str:
    if part.startswith('"'):
        try:
            return str(json.loads(part))
        except ValueError:
            return part.strip('"')
    return part.strip("'")


class _Lines:
    """Finds the line of a key so that semantic errors name it, as TOML syntax errors do."""

    def __init__(self, text: str, where: str) -> None:
        self.lines = text.splitlines()
        self.where = where

    def at(self, section: str | None, key: str | None, message: str) -> str:
        number = self._find(section, key)
        return f"{self.where} line {number}: {message}" if number else f"{self.where}: {message}"

    def _find(self, section: str | None, key: str | None) -> int | None:
        current: str | None = None
        header_line: int | None = None
        for number, raw in enumerate(self.lines, 1):
            line = raw.strip()
            if line.startswith("["):
                current = _table_header(line)
                if current == section:
                    header_line = number
                continue
            if key is not None and current == section and re.match(rf'^"?{re.escape(key)}"?\s*=', line):
                return number
        return header_line


def _warn_about_readable_passwords(config: Config, path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return
    for server in config.servers.values():
        if server.password.plain is not None or server.api_key.plain is not None:
            config.warnings.append(
                f"{path}: [servers.{server.name}] has a plain-text password or API key and the file is "
                f"readable by others (mode {stat.S_IMODE(mode):o}); run chmod 600 {path}, or use "
                "password_command, password_env or password_keyring"
            )


# ------------------------------------------------------------------------------------------- saving


def server_section(server: ServerConfig) -> str:
    """The TOML text of one [servers.NAME] table. JSON string escapes are valid TOML basic strings."""
    out = [f"[{table_name(server.name, 'servers')}]", f"url = {toml_string(server.url)}"]
    if server.username is not None:
        out.append(f"username = {toml_string(server.username)}")
    source = server.password
    if source.env:
        out.append(f"password_env = {toml_string(source.env)}")
    elif source.command:
        out.append(f"password_command = {toml_string(source.command)}")
    elif source.keyring:
        out.append("password_keyring = true")
    elif source.plain is not None:
        out.append(f"password = {toml_string(source.plain)}")
    key = server.api_key
    if key.env:
        out.append(f"api_key_env = {toml_string(key.env)}")
    elif key.command:
        out.append(f"api_key_command = {toml_string(key.command)}")
    elif key.keyring:
        out.append("api_key_keyring = true")
    elif key.plain is not None:
        out.append(f"api_key = {toml_string(key.plain)}")
    if server.verify is not True:
        out.append(f"verify = {json.dumps(server.verify)}")
    if server.referer != "none":
        out.append(f"referer = {toml_string(server.referer)}")
    if server.timeout != 15.0:
        out.append(f"timeout = {server.timeout:g}")
    if server.path_map:
        pairs = ", ".join(f"{toml_string(k)} = {toml_string(v)}" for k, v in server.path_map)
        out.append(f"path_map = {{ {pairs} }}")
    return "\n".join(out) + "\n"


def _read_for_edit(path: Path) -> tuple[str, Config]:
    """The file's text (a fresh one if missing) and what it says; ConfigError for a broken file, so
    that nothing is written over the user's text blindly."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = "# qbtui configuration: see README.md\n"
    return text, parse_config(text, path)


def save_server(path: Path, server: ServerConfig, *, make_default: bool = False) -> None:
    """Add (or replace) one server in the file, keeping everything else as the user wrote it.

    Refuses to touch a file that does not parse: the user's text is never overwritten blindly."""
    text, existing = _read_for_edit(path)
    if server.name in existing.servers:
        text = _drop_section(text, f"servers.{server.name}")
    if make_default:
        text = _set_top_level(text, "default_server", toml_string(server.name))
    text = text.rstrip("\n") + "\n\n" + server_section(server)
    parse_config(text, path)  # what we write must load back
    write_atomic(path, text)


def save_view(path: Path, view: SavedView) -> Config:
    """Add (or replace) one saved view in the file, keeping everything else as the user wrote it; a
    view that held the same key loses it. Returns the config as now written.

    Refuses to touch a file that does not parse, and to write one that would not load back."""
    text, existing = _read_for_edit(path)
    if view.name in existing.views:
        text = _drop_section(text, f"views.{view.name}")
    for other in existing.views.values():
        if view.key is not None and other.key == view.key and other.name != view.name:
            text = _drop_key(text, f"views.{other.name}", "key")
    text = text.rstrip("\n") + "\n\n" + view_section(view)
    return _write_checked(path, text)


def delete_view(path: Path, name: str) -> Config:
    """Take one saved view out of the file; returns the config as now written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file, so no view {name!r} in it") from None
    existing = parse_config(text, path)
    if name not in existing.views:
        raise ConfigError(f"{path}: no [{table_name(name)}] in it")
    return _write_checked(path, _drop_section(text, f"views.{name}"))


def _write_checked(path: Path, text: str) -> Config:
    config = parse_config(text, path)  # what we write must load back
    write_atomic(path, text)
    return config


def _drop_key(text: str, section: str, key: str) -> str:
    """`text` without the `key = …` line of one table (the rest of it, comments too, stays)."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = _table_header(stripped) == section
        elif inside and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
            continue
        out.append(line)
    return "".join(out)


def _drop_section(text: str, section: str) -> str:
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = _table_header(stripped) == section
        if not skipping:
            out.append(line)
    return "".join(out)


def _set_top_level(text: str, key: str, value: str) -> str:
    lines = text.splitlines(keepends=True)
    first_table = next((i for i, line in enumerate(lines) if line.strip().startswith("[")), len(lines))
    for index in range(first_table):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[index]):
            lines[index] = f"{key} = {value}\n"
            return "".join(lines)
    lines.insert(first_table, f"{key} = {value}\n")
    return "".join(lines)

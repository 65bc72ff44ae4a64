"""Theme files (TOML) → Textual themes: the four shipped with the package (`themes/`) and the
user's own in `<config dir>/themes/`. Every colour qbtui draws with comes from a theme variable
(`torrent-*` for states, `piece-*` for the piece bar, `graph-*` for the speed graphs); a theme that
leaves one out inherits it from qbtui-dark. A broken file is reported (once, by the caller) and skipped.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "qbtui-dark"
#: Where the shipped themes live: inside the package (package data), which in a checkout is the link
#: qbtui/themes to the repository's top-level themes/ folder. Not next to the source: an installed
#: wheel has no repository around it.
SHIPPED_DIR = Path(str(resources.files("qbtui") / "themes"))

#: The variables qbtui's own widgets use, with qbtui-dark's values (used where a theme omits one).
QBTUI_VARIABLES: dict[str, str] = {
    "torrent-downloading": "#5fafff",
    "torrent-seeding": "#5fd787",
    "torrent-stalled": "#87af87",
    "torrent-paused": "#9e9e9e",
    "torrent-queued": "#d7af5f",
    "torrent-checking": "#d787ff",
    "torrent-error": "#ff5f5f",
    "piece-have": "#5fd787",
    "piece-partial": "#87af87",
    "piece-downloading": "#d7af5f",
    "piece-missing": "#444444",
    "graph-download": "#5fafff",
    "graph-upload": "#5fd787",
    "graph-gap": "#5f5f5f",
}
_COLOURS: tuple[str, ...] = ("primary", "secondary", "accent", "warning", "error", "success")
_COLOURS += ("foreground", "background", "surface", "panel", "boost")
_KEYS = {"name", "dark", "ansi", "luminosity_spread", "text_alpha", "variables", *_COLOURS}


class ThemeFileError(Exception):
    """A theme file that cannot be used; the message names the file."""


@dataclass(slots=True)
class LoadedThemes:
    themes: dict[str, Theme] = field(default_factory=dict)
    #: One line per file that was skipped, for the user to read once.
    problems: list[str] = field(default_factory=list)


def _colour(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(f"{where} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(f"{where}: {value!r} is not a colour") from None
    return value


def theme_from_toml(text: str, source: str) -> Theme:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"{source}: {exc}") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ThemeFileError(f"{source}: unknown key {unknown[0]!r}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"{source}: needs a name")
    if "primary" not in data:
        raise ThemeFileError(f"{source}: needs a primary colour")
    colours = {key: _colour(data[key], f"{source}: {key}") for key in _COLOURS if key in data}
    raw_variables = data.get("variables", {})
    if not isinstance(raw_variables, dict):
        raise ThemeFileError(f"{source}: [variables] must be a table")
    variables = dict(QBTUI_VARIABLES)
    for key, value in raw_variables.items():
        if key.endswith("text-style"):
            variables[key] = str(value)
        else:
            variables[key] = _colour(value, f"{source}: variables.{key}")
    for flag in ("dark", "ansi"):
        if flag in data and not isinstance(data[flag], bool):
            raise ThemeFileError(f"{source}: {flag} must be true or false")
    numbers: dict[str, float] = {}
    for key in ("luminosity_spread", "text_alpha"):
        if key in data:
            value = data[key]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise ThemeFileError(f"{source}: {key} must be a number from 0 to 1")
            numbers[key] = float(value)
    options: dict[str, Any] = {**colours, **numbers}  # checked above, key by key
    return Theme(
        name=name.strip(),
        dark=data.get("dark", True),
        ansi=data.get("ansi", False),
        variables=variables,
        **options,
    )


def load_theme_dirs(*directories: Path | None) -> LoadedThemes:
    """Every `*.toml` in the directories, later ones overriding earlier ones of the same name."""
    loaded = LoadedThemes()
    for directory in directories:
        if directory is None or not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = theme_from_toml(path.read_text(encoding="utf-8"), str(path))
            except (OSError, UnicodeDecodeError) as exc:
                loaded.problems.append(f"{path}: cannot read it ({exc})")
                continue
            except ThemeFileError as exc:
                loaded.problems.append(str(exc))
                continue
            loaded.themes[theme.name] = theme
    return loaded


def use_shipped_themes(app: App[Any], wanted: str | None = None, user_dir: Path | None = None) -> list[str]:
    """Register the shipped (and user) themes on `app` and switch to `wanted` or the default.
    Returns the problems found, for the caller to show once."""
    loaded = load_theme_dirs(SHIPPED_DIR, user_dir)
    for theme in loaded.themes.values():
        app.register_theme(theme)
    problems = list(loaded.problems)
    name = wanted or DEFAULT_THEME
    if name not in app.available_themes:
        problems.append(f"theme {name!r} not found; using {DEFAULT_THEME}")
        name = DEFAULT_THEME if DEFAULT_THEME in app.available_themes else "textual-dark"
    app.theme = name
    return problems

"""Start the TUI for one server (and the others the config names)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget
from qbtui.model.sync import ACTIVE_INTERVAL
from qbtui.model.visibility import UNSEEN_INTERVAL
from qbtui.settings.config import ServerConfig
from qbtui.settings.saved_views import SavedView
from qbtui.settings.ui_state import UiState


@dataclass(slots=True)
class TuiOptions:
    """What the command line and the config file decide about the interface."""

    read_only: bool = False
    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    bell: bool = False
    interval: float | None = None
    #: Seconds between polls while nobody can see the app (0: never quiet).
    unseen_interval: float = UNSEEN_INTERVAL
    #: Seconds between refreshes of the active torrents while a slow server's maindata rests (0: never).
    active_interval: float = ACTIVE_INTERVAL
    servers: Mapping[str, ServerConfig] = field(default_factory=dict)
    server_name: str | None = None
    config_path: Path | None = None
    user_theme_dir: Path | None = None
    first_run: bool = False
    #: The config's [view]: columns and sort at every start (changes in the app last until exit).
    columns: list[str] | None = None
    sort: str | None = None
    reverse: bool | None = None
    #: The config's [views.NAME], and what was wrong with them (shown once the interface is up).
    views: Sequence[SavedView] = ()
    view_warnings: Sequence[str] = ()
    #: [groups.NAME] of the config, and the fleet to show at start (`--server all`, `--server GROUP`).
    groups: Mapping[str, Sequence[str]] = field(default_factory=dict)
    fleet: str | None = None


def run_tui(settings: ConnectionSettings, options: TuiOptions | None = None) -> None:
    from qbtui.ui.app import QbtuiApp

    options = options or TuiOptions()
    ui_state = UiState.load()
    if options.columns:
        ui_state.columns = list(options.columns)
    if options.sort:
        ui_state.sort_column = options.sort
    if options.reverse is not None:
        ui_state.sort_reverse = options.reverse
    QbtuiApp(
        ServerTarget(settings, read_only=options.read_only),
        interval=options.interval,
        unseen_interval=options.unseen_interval,
        active_interval=options.active_interval,
        ui_state=ui_state,
        theme=options.theme,
        keymap=options.keymap,
        bell=options.bell,
        servers=options.servers,
        server_name=options.server_name,
        config_path=options.config_path,
        user_theme_dir=options.user_theme_dir,
        first_run=options.first_run,
        views=options.views,
        view_warnings=options.view_warnings,
        groups=options.groups,
        fleet=options.fleet,
    ).run()

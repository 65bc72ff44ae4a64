"""Driving the TUI in tests: an app wired to a server URL, and waiting for conditions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget
from qbtui.settings.ui_state import UiState
from qbtui.ui.app import QbtuiApp
from tests.support.waiting import until


def make_app(
    url: str,
    *,
    interval: float = 0.2,
    username: str = "admin",
    password: str = "adminadmin",
    state_dir: Path | None = None,
    read_only: bool = False,
    **app_options: Any,
) -> QbtuiApp:
    settings = ConnectionSettings(url=url, username=username, password=password, timeout=5)

    ui_state = UiState()
    if state_dir is not None:
        ui_state = UiState.load(state_dir / "ui-state.json")
    return QbtuiApp(
        ServerTarget(settings, read_only=read_only), interval=interval, ui_state=ui_state, **app_options
    )


async def connection_screen(
    pilot: Pilot[None], timeout: float = 10.0, what: str = "connection screen"
) -> Any:
    """Wait until the connection screen is up with its widgets mounted, and return it."""
    from qbtui.ui.screens.connection import ConnectionScreen

    app = pilot.app
    await until(
        pilot,
        lambda: isinstance(app.screen, ConnectionScreen) and bool(app.screen.query("#connection-problem")),
        timeout=timeout,
        what=what,
    )
    return app.screen


def palette_highlight(app: Any) -> str:
    """The text of the command palette's highlighted entry ("" while it has none or is not open)."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return ""
    commands = screen.query_one(CommandList)
    if commands.highlighted is None or commands.option_count == 0:
        return ""
    return str(commands.get_option_at_index(commands.highlighted).prompt)


async def palette_offers(pilot: Pilot[None], title: str, timeout: float = 15.0) -> None:
    """Wait until the command palette's search (a worker) has put `title` on its highlighted row,
    so that Enter runs that command rather than whatever was there before the results arrived."""
    await until(
        pilot, lambda: title in palette_highlight(pilot.app), timeout=timeout, what=f"palette: {title}"
    )

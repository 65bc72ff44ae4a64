"""Start the TUI for one server."""

from __future__ import annotations

from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget


def run_tui(settings: ConnectionSettings) -> None:
    from qbtui.ui.app import QbtuiApp

    QbtuiApp(ServerTarget(settings)).run()

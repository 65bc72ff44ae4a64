"""Start the TUI for one server."""

from __future__ import annotations

from qbtui.api import ConnectionSettings, QbtApi, connect


def run_tui(settings: ConnectionSettings) -> None:
    from qbtui.ui.app import QbtuiApp

    async def connector() -> QbtApi:
        return await connect(settings)

    QbtuiApp(connector).run()

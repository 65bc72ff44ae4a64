"""What screens and widgets use of the app they run in, typed: one way to reach the API service, the
store, the undo stack and the rest, instead of looking attributes up on `self.app` by name.

`QbtuiApp` provides all of it (checked by mypy: `app.py` returns itself as `Services`). The tests'
one-screen harness apps provide the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.text import Text
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from qbtui.api import ConnectionSettings, QbtApi
    from qbtui.model.history import SpeedHistory
    from qbtui.model.store import Store
    from qbtui.model.undo import UndoStack
    from qbtui.model.wording import Wording
    from qbtui.settings.saved_views import SavedViews


class Services(Protocol):
    @property
    def api(self) -> QbtApi | None:
        """The logged-in API service of the server on screen (None while not connected)."""

    @property
    def store(self) -> Store:
        """The server's torrents, categories, tags and state as the poll loop last saw them."""

    @property
    def undo(self) -> UndoStack | None:
        """The one undo stack (`u`, `H`); None where nothing is undoable (a harness)."""

    @property
    def history(self) -> SpeedHistory | None: ...

    @property
    def saved_views(self) -> SavedViews | None: ...

    @property
    def read_only(self) -> bool:
        """--read-only: nothing that changes the server is offered."""

    @property
    def words(self) -> Wording:
        """Pause/resume, or stop/start on qBittorrent 5."""

    @property
    def settings(self) -> ConnectionSettings | None: ...

    @property
    def fleet_server(self) -> str | None:
        """With several servers in one table: the one the api, store and settings above are of
        (the highlighted row's, kept while a dialog is open). None with one server."""

    def poke(self) -> None:
        """Poll now (after a command, so its effect shows at once)."""

    def stop_polling(self) -> bool:
        """Stop the poll loop and forget the session (after logging out); False where there is none."""

    def reconnect(
        self,
        *,
        before: Mapping[str, Any] | None = None,
        changed: Mapping[str, Any] | None = None,
        settings: ConnectionSettings | None = None,
    ) -> None: ...


def services(node: MessagePump) -> Services:
    """The services of the app `node` runs in."""
    return cast(Services, node.app)


def server_title(node: MessagePump, title: str) -> Text:
    """A dialog's title; with several servers in one table, followed by the server it is for."""
    text = Text(title)
    server = services(node).fleet_server
    if server:
        text.append(" · ", style="dim")
        text.append(server, style="bold reverse")
    return text

"""What every detail tab shares: a note line, the torrent it shows, and commands sent upward."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from qbtui.api import QbtApi
from qbtui.api.models import ServerInfo
from qbtui.ui.readonly import changes_the_server
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.support import needs_v2

#: A command a tab asks the panel to send: it gets the API and the torrent's hash.
Command = Callable[[QbtApi, str], Awaitable[object]]
NoteKind = Literal["info", "loading", "error", "unsupported"]


class Note(Static):
    """One line above a tab's content: loading, an error, or why the tab cannot work here."""

    DEFAULT_CSS = """
    Note { height: auto; padding: 0 1; display: none; color: $text-muted; }
    Note.-visible { display: block; }
    Note.-error { color: $error; }
    Note.-unsupported { color: $warning; }
    """

    message: str = ""
    kind: NoteKind = "info"

    def say(self, text: str | None, kind: NoteKind = "info") -> None:
        self.message, self.kind = text or "", kind
        self.set_class(bool(text), "-visible")
        self.set_class(kind == "error", "-error")
        self.set_class(kind == "unsupported", "-unsupported")
        self.update(Text(safe(text or "")))  # error messages can quote the server's answer


class DetailTab(Vertical):
    """One tab of the details panel.

    The panel owns the poll loop: it calls `fetch()` (I/O, in its worker) and then `show_data()`
    (UI, only if the torrent is still the one shown). A tab never sends requests on its own; its
    commands travel up as `CommandRequested` so the panel can run them, report, and refresh.
    """

    TITLE: ClassVar[str] = ""
    PANE_ID: ClassVar[str] = ""
    #: Actions only WebAPI v2 servers have: action -> (first WebAPI version, "<What> needs").
    #: Their keys are hidden elsewhere; a hidden `explain` binding on the same key says why, so the
    #: key never falls through to a screen binding that happens to share it.
    V2_ACTIONS: ClassVar[dict[str, tuple[tuple[int, ...], str]]] = {}

    DEFAULT_CSS = """
    DetailTab { height: 1fr; }
    DetailTab.-unavailable .body { display: none; }
    """

    @dataclass
    class CommandRequested(Message):
        tab: DetailTab
        command: Command
        done: str

    @dataclass
    class RefreshWanted(Message):
        """The tab wants its data now (it needs more of it, e.g. piece hashes)."""

        tab: DetailTab

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hash: str | None = None
        self.info: ServerInfo | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Note(classes="note")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def note(self) -> Note:
        return self.query_one(Note)

    # -- called by the panel --------------------------------------------------------------------

    def unsupported(self, info: ServerInfo) -> str | None:
        """Why this server cannot fill the tab, or None when it can."""
        return None

    async def fetch(self, api: QbtApi, hash: str) -> Any:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def set_torrent(self, hash: str | None) -> None:
        """A different torrent: forget what was shown."""
        self.hash = hash
        self.loaded = False
        self.clear()
        self.set_class(False, "-unavailable")
        self.note.say(
            "No torrent selected" if hash is None else "Loading…", "info" if hash is None else "loading"
        )

    def set_info(self, info: ServerInfo | None) -> None:
        """A (re)connected server: its version decides which keys apply."""
        if info is not self.info:
            self.info = info
            self.refresh_bindings()

    def clear(self) -> None:
        """Drop the data of the previous torrent."""

    def show_unsupported(self, reason: str) -> None:
        self.add_class("-unavailable")
        self.note.say(reason, "unsupported")

    def show_error(self, message: str) -> None:
        """Keep whatever was shown (it is marked as stale by the note) and say what went wrong."""
        self.note.say(message, "error")

    def data_shown(self) -> None:
        """Bookkeeping after `show_data`: the note goes, the content shows."""
        self.loaded = True
        self.set_class(False, "-unavailable")
        self.note.say(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if services(self).read_only and changes_the_server(self, action):
            return False
        if action in self.V2_ACTIONS:
            return self.info is not None and self.info.v2_at_least(*self.V2_ACTIONS[action][0])
        return True

    def action_explain(self, action: str) -> None:
        version, what = self.V2_ACTIONS[action]
        if self.info is None:
            reason = "Not connected to qBittorrent"
        else:
            reason = needs_v2(self.info, version, what) or f"{what} a newer server"
        self.notify(reason, severity="warning", markup=False)

    # -- for subclasses -------------------------------------------------------------------------

    def request(self, command: Command, done: str) -> None:
        if self.hash is None:
            self.notify("No torrent selected", severity="warning")
            return
        self.post_message(self.CommandRequested(self, command, done))

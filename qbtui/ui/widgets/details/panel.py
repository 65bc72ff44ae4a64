"""The details panel: tabs about the highlighted torrent, polled slowly, only while visible."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from qbtui.api import QbtApi, errors
from qbtui.api.models import Torrent
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.content import ContentTab
from qbtui.ui.widgets.details.general import GeneralTab, TorrentGetter
from qbtui.ui.widgets.details.peers import PeersTab
from qbtui.ui.widgets.details.pieces_tab import PiecesTab
from qbtui.ui.widgets.details.polling import NOT_CONNECTED_RETRY, PollLoop
from qbtui.ui.widgets.details.speed_tab import SpeedTab
from qbtui.ui.widgets.details.trackers import TrackersTab
from qbtui.ui.widgets.details.webseeds import HttpSourcesTab
from qbtui.ui.workers import background

ApiGetter = Callable[[], QbtApi | None]

# libtorrent applies some edits after the call returns; a second look shortly after catches them.
FOLLOW_UP_LOOK = 0.75  # seconds
DEFAULT_INTERVAL = 3.0

log = logging.getLogger(__name__)


class DetailsPanel(Vertical):
    """General, trackers, peers, HTTP sources, content, pieces and speed history of one torrent.

    `show(hash)` picks the torrent. One loop polls the active tab for that torrent every
    `interval` seconds while the panel is on screen; showing another torrent, switching tabs or
    finishing a command polls at once. A tab whose endpoint the server lacks says so.
    """

    DEFAULT_CSS = """
    DetailsPanel { height: 1fr; background: $surface; }
    DetailsPanel > TabbedContent { height: 1fr; }
    DetailsPanel TabPane { height: 1fr; padding: 0; }
    DetailsPanel ContentSwitcher { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "next_tab(1)", "Next tab", show=False, id="details.next-tab"),
        Binding("left_square_bracket", "next_tab(-1)", "Previous tab", show=False, id="details.prev-tab"),
        # Reaches the panel only when nothing focused uses it: from the tab strip, go into the tab.
        Binding("down", "focus_content", "Into the tab", show=False, id="details.focus-content"),
    ]

    @dataclass
    class TorrentEdited(Message):
        """A command from the panel changed this torrent on the server (poll the list now)."""

        panel: DetailsPanel
        hash: str

        @property
        def control(self) -> DetailsPanel:
            return self.panel

    def __init__(
        self,
        api_getter: ApiGetter,
        *,
        interval: float = DEFAULT_INTERVAL,
        torrent_getter: TorrentGetter | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._api_getter = api_getter
        self._torrent_getter = torrent_getter or self._torrent_from_store
        self.hash: str | None = None
        self._api: QbtApi | None = None
        self.poll_loop = PollLoop(self, self._poll_active, interval=interval, group="details-poll")

    def compose(self) -> ComposeResult:
        tabs: list[DetailTab] = [
            GeneralTab(self._torrent_getter),
            TrackersTab(),
            PeersTab(),
            HttpSourcesTab(),
            ContentTab(),
            PiecesTab(),
            SpeedTab(),
        ]
        with TabbedContent():
            for tab in tabs:
                with TabPane(tab.TITLE, id=tab.PANE_ID):
                    yield tab

    def _torrent_from_store(self, hash: str) -> Torrent | None:
        return services(self).store.torrents.get(hash)

    # -- what the screen calls ------------------------------------------------------------------

    @property
    def tabs(self) -> list[DetailTab]:
        return list(self.query(DetailTab))

    @property
    def active_tab(self) -> DetailTab | None:
        pane = self.query_one(TabbedContent).active_pane
        return pane.query_one(DetailTab) if pane is not None else None

    def show(self, hash: str | None) -> None:
        """Show this torrent (None: nothing highlighted); fetches the active tab at once."""
        if hash == self.hash:
            self.refresh_now()
            return
        self.hash = hash
        for tab in self.tabs:
            tab.set_torrent(hash)
        if self.is_mounted:
            # Restarting cancels a request still in flight for the previous torrent.
            self.poll_loop.start()

    def refresh_now(self) -> None:
        self.poll_loop.poke()

    def select_tab(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id

    def action_next_tab(self, step: int) -> None:
        ids = [tab.PANE_ID for tab in self.tabs]
        current = self.query_one(TabbedContent).active
        index = ids.index(current) if current in ids else 0
        self.select_tab(ids[(index + step) % len(ids)])

    def action_focus_content(self) -> None:
        tab = self.active_tab
        if tab is None:
            return
        for widget in tab.query("*"):
            if widget.focusable:
                widget.focus()
                return

    # -- visibility -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.poll_loop.start()

    def on_show(self, event: events.Show) -> None:
        self.poll_loop.poke()

    def on_hide(self, event: events.Hide) -> None:
        self.poll_loop.cancel_request()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.poll_loop.poke()

    @on(DetailTab.RefreshWanted)
    def _refresh_wanted(self, event: DetailTab.RefreshWanted) -> None:
        event.stop()
        self.poll_loop.poke()

    # -- polling --------------------------------------------------------------------------------

    async def _poll_active(self) -> float | None:
        tab, hash = self.active_tab, self.hash
        if tab is None or hash is None:
            return None
        api = self._api_getter()
        if api is not self._api:
            self._api = api
            for each in self.tabs:
                each.set_info(api.info if api is not None else None)
        if api is None:
            tab.show_error("Not connected to qBittorrent")
            return NOT_CONNECTED_RETRY
        reason = tab.unsupported(api.info)
        if reason:
            tab.show_unsupported(reason)
            return None
        try:
            data = await tab.fetch(api, hash)
        except errors.NotSupported as exc:
            tab.show_unsupported(str(exc))
            return None
        except errors.TorrentNotFound:
            tab.show_error("This torrent is no longer on the server")
            return None
        except errors.QbtError as exc:
            tab.show_error(f"Could not load {tab.TITLE.lower()}: {exc}")
            return None
        except Exception as exc:  # a bug or a malformed answer: say so, keep polling
            log.exception("details: fetching %s failed", tab.TITLE)
            tab.show_error(f"Could not load {tab.TITLE.lower()}: {exc!r}")
            return None
        if hash != self.hash or tab is not self.active_tab:
            return None  # the user moved on while the answer was on its way
        try:
            tab.show_data(data)
        except Exception as exc:  # a malformed answer must not take the panel down
            log.exception("details: showing %s failed", tab.TITLE)
            tab.show_error(f"Could not show {tab.TITLE.lower()}: {exc!r}")
        return None

    # -- commands -------------------------------------------------------------------------------

    @on(DetailTab.CommandRequested)
    def _command_requested(self, event: DetailTab.CommandRequested) -> None:
        event.stop()
        if self.hash is not None:
            self._run_command(event, self.hash)

    @background(group="details-commands")
    async def _run_command(self, request: DetailTab.CommandRequested, hash: str) -> None:
        api = self._api_getter()
        if api is None:
            self.notify("Not connected to qBittorrent", severity="error")
            return
        try:
            await request.command(api, hash)
        except errors.QbtError as exc:
            # Both can quote the server (its reason, a file or tracker name): inert, not just unmarked.
            self.notify(safe(str(exc)), title="Refused", severity="error", timeout=8, markup=False)
        else:
            self.notify(safe(request.done), timeout=3, markup=False)
            self.post_message(self.TorrentEdited(self, hash))
        finally:
            self.poll_loop.poke()
            self.set_timer(FOLLOW_UP_LOOK, self.poll_loop.poke)

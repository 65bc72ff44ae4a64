"""What the parts of the main screen share (qbtui/ui/screens/main.py puts them together): the
app, the table, the status line and the sidebar, and the hooks one part calls in another."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from qbtui.ui.text import safe, safe_lines

if TYPE_CHECKING:
    from qbtui.ui.app import QbtuiApp
    from qbtui.ui.fleet_mode import FleetMode
    from qbtui.ui.sort_preparation import SortPreparation
    from qbtui.ui.widgets.sidebar import Sidebar
    from qbtui.ui.widgets.status_bar import StatusBar
    from qbtui.ui.widgets.torrent_table import TorrentTable


class MainParts(Screen[None]):
    #: Sorts by the other columns computed while idle (made when the screen mounts).
    sort_preparation: SortPreparation

    @property
    def qbt(self) -> QbtuiApp:
        """The app this screen belongs to (the composition root: it has the view and the poller)."""
        return cast("QbtuiApp", self.app)

    @property
    def table(self) -> TorrentTable:
        raise NotImplementedError

    @property
    def status(self) -> StatusBar:
        raise NotImplementedError

    @property
    def sidebar(self) -> Sidebar:
        raise NotImplementedError

    def toast(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float = 4
    ) -> None:
        """A notification whose text is data (torrent names, server reasons): never markup, and no
        escape sequence or control character reaches the terminal. Line breaks are kept."""
        self.notify(safe_lines(message), title=safe(title), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    # Hooks: each part defines its own, the others call them.

    def _relist(self) -> None:
        """Filter and sort the table again (FilterBar)."""
        raise NotImplementedError

    def _use_filter(self, text: str) -> bool:
        """Apply the filter box's text; False when it has a mistake (FilterBar)."""
        raise NotImplementedError

    @property
    def details_open(self) -> bool:
        raise NotImplementedError

    def action_toggle_details(self) -> None:
        raise NotImplementedError

    def _label_view(self) -> None:
        """The saved view's name in the status line (SavedViewsHost)."""
        raise NotImplementedError

    def _refresh_counts(self) -> None:
        raise NotImplementedError

    def _refresh_sidebar(self) -> None:
        raise NotImplementedError

    def _ring(self) -> None:
        raise NotImplementedError

    def _resume_transfers(self, fleet: FleetMode) -> None:
        """Offer to go on with moves between servers left halfway (TransferActions)."""
        raise NotImplementedError

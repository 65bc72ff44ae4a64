"""`?`: every key binding, grouped by where it applies, as the current keymap has it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.widgets.details import binding_groups as details_groups
from qbtui.ui.widgets.log_pane import LogPane
from qbtui.ui.widgets.torrent_table import TorrentTable


def binding_groups() -> list[tuple[str, list[Binding]]]:
    from qbtui.ui.app import QbtuiApp
    from qbtui.ui.screens.main import MainScreen
    from qbtui.ui.screens.views import ViewsScreen

    def bindings(owner: type) -> list[Binding]:
        return [b for b in owner.BINDINGS if isinstance(b, Binding)]

    return [
        ("Torrent list", bindings(TorrentTable)),
        ("Torrents and view", bindings(MainScreen)),
        *details_groups(),
        ("Log pane", bindings(LogPane)),
        ("Saved views list (v)", bindings(ViewsScreen)),
        ("Application", bindings(QbtuiApp)),
    ]


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: 90%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        keymap = self.app._keymap  # the user's remapped keys, by binding id
        with VerticalScroll():
            for title, bindings in binding_groups():
                table = Table(title=title, title_justify="left", expand=True, box=None, padding=(0, 1))
                table.add_column("Key", style="bold", width=16)
                table.add_column("Action")
                table.add_column("Id", style="dim")
                for binding in bindings:
                    keys = keymap.get(binding.id or "", binding.key)
                    shown = ", ".join(self.app.get_key_display(Binding(k, "")) for k in keys.split(","))
                    table.add_row(
                        Text(shown), Text(binding.description or binding.action), Text(binding.id or "")
                    )
                yield Static(table)
            yield Static(
                Text("Esc closes. Every action is also in the command palette (ctrl+p).", style="dim")
            )

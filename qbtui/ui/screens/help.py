"""`?`: every key binding, grouped by where it applies, as the current keymap has it."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from qbtui.model.wording import reword
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import services


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: 90%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        #: The bindings to list (qbtui.ui.bindings.binding_groups), by where they apply.
        self.groups = groups

    def _said(self, description: str) -> str:
        """In the server's words: Stop/Start on qBittorrent 5."""
        return reword(description, services(self).words)

    def compose(self) -> ComposeResult:
        keymap = self.app._keymap  # the user's remapped keys, by binding id
        groups = [
            (
                title,
                [(self._keys(keymap, b), self._said(b.description or b.action), b.id or "") for b in group],
            )
            for title, group in self.groups
        ]
        rows = [row for _, group in groups for row in group]
        # One set of column widths for every section, so keys, actions and ids line up down the page.
        key_width = max(cell_len(keys) for keys, _, _ in rows)
        action_width = max(cell_len(action) for _, action, _ in rows)
        with VerticalScroll():
            for title, group in groups:
                table = Table(title=title, title_justify="left", expand=True, box=None, padding=(0, 1))
                table.add_column("Key", style="bold", width=key_width, no_wrap=True)
                table.add_column("Action", width=action_width, no_wrap=True, overflow="ellipsis")
                table.add_column("Id", style="dim", ratio=1, no_wrap=True, overflow="ellipsis")
                for keys, action, binding_id in group:
                    table.add_row(Text(keys), Text(action), Text(binding_id))
                yield Static(table)
            yield Static(
                Text("Esc closes. Every action is also in the command palette (ctrl+p).", style="dim")
            )

    def _keys(self, keymap: Mapping[str, str], binding: Binding) -> str:
        keys = keymap.get(binding.id or "", binding.key)
        return ", ".join(self.app.get_key_display(Binding(k, "")) for k in keys.split(","))

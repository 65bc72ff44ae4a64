"""What every form screen promises: nothing typed is lost on the way out, and keys typed ahead
wait until its fields hold what they will be edited from."""

from __future__ import annotations

import asyncio
from typing import ClassVar, TypeVar

from textual.screen import Screen

ResultType = TypeVar("ResultType")


class GuardedScreen(Screen[ResultType]):
    """- `unsaved_edits()` says what leaving now would lose; Esc (`close_asking`) and quitting the
      app (`QbtuiApp.action_quit`) ask first when it says anything.
    - a screen that fills its fields from the server sets `READY_AT_ONCE = False` and calls
      `ready()` once they are filled: `qbtui.ui.key_order` holds keys typed ahead until then.
    """

    READY_AT_ONCE: ClassVar[bool] = True
    _keys_ready: asyncio.Event | None = None

    @property
    def keys_ready(self) -> asyncio.Event:
        if self._keys_ready is None:
            self._keys_ready = asyncio.Event()
            if self.READY_AT_ONCE:
                self._keys_ready.set()
        return self._keys_ready

    def ready(self) -> None:
        self.keys_ready.set()

    def unsaved_edits(self) -> str | None:
        """What closing now would lose, in a sentence; None when nothing would be."""
        return None

    def close_asking(self, result: ResultType | None = None) -> None:
        """Dismiss with `result`, after asking when unsaved edits would be lost."""
        from qbtui.ui.screens.dialogs import ConfirmDialog

        lost = self.unsaved_edits()
        if lost is None:
            self.dismiss(result)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(result)

        self.app.push_screen(ConfirmDialog("Discard your edits?", lost, "Discard", danger=True), answered)

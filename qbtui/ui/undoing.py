"""The one undo stack, reached from screens and widgets other than the main screen.

The app owns the stack (`services(node).undo`; on the torrent list `u` undoes the newest and `H` lists
them). Dialogs and the details panel push onto it through here, so every reversible action lands in
one history; an app without one (the tests' harnesses) simply has no undo.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from qbtui.model.expectations import Expectations
from qbtui.model.undo import Undoable, UndoStack
from qbtui.ui.services import services

#: What a done message says when the action went on the stack but the user is in a dialog, where
#: `u` means nothing: it works once they are back on the torrent list.
HINT_FROM_DIALOG = " (u on the torrent list undoes)"
HINT = " (u undoes)"


def undo_stack(app: App[Any]) -> UndoStack | None:
    return services(app).undo


def expectations(app: App[Any]) -> Expectations | None:
    """What recent commands set that no poll has shown yet (None without a main screen)."""
    stack = undo_stack(app)
    return stack.expected if stack is not None else None


def can_undo(app: App[Any]) -> bool:
    return undo_stack(app) is not None


def remember(app: App[Any], item: Undoable | None) -> bool:
    """Push `item` (planned before its command, pushed once the command worked); True when it went
    on the stack, so the caller can say that `u` undoes it."""
    stack = undo_stack(app)
    if stack is None or item is None:
        return False
    stack.push(item)
    return True

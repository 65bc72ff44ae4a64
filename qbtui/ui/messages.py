"""Messages between the poller and the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from qbtui.model.sync import SyncUpdate


@dataclass
class SyncApplied(Message):
    """The poller tried once: new data (already in the store), or a changed link state.

    Never coalesced: each carries the change set of one payload, and the view needs them all.
    """

    update: SyncUpdate

"""Messages between the poller and the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from qbtui.model.fleet_sync import FleetUpdate
from qbtui.model.sync import SyncUpdate


@dataclass
class SyncApplied(Message):
    """The poller tried once: new data (already in the store), or a changed link state.

    Never coalesced: each carries the change set of one payload, and the view needs them all.
    """

    update: SyncUpdate


@dataclass
class FleetSynced(Message):
    """One server of a fleet polled once (its data already in its store and in the fleet's).

    Never coalesced, like SyncApplied: each carries one payload's change set."""

    update: FleetUpdate

"""Peers: the incremental peers sync of one torrent, with its own `rid`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.console import JustifyMethod
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from qbtui.api import QbtApi
from qbtui.api.coerce import as_int, as_str
from qbtui.api.models import Peer, ServerInfo
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.prompts import LinesPrompt
from qbtui.ui.widgets.details.support import needs_legacy
from qbtui.ui.widgets.details.tables import KeyedTable
from qbtui.util import format as fmt


@dataclass(slots=True)
class PeerChanges:
    full_update: bool = False
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


class PeerSync:
    """The peers of one torrent as `sync/torrent_peers` payloads describe them (no Textual).

    The same rules as maindata: `full_update` replaces everything, otherwise a known peer sends
    only its changed fields and vanished ones are listed in `peers_removed`. Send back `rid`.
    """

    def __init__(self) -> None:
        self.rid = 0
        self.raw: dict[str, dict[str, Any]] = {}
        self.peers: dict[str, Peer] = {}
        self.show_flags = False

    def reset(self) -> None:
        self.rid = 0
        self.raw.clear()
        self.peers.clear()
        self.show_flags = False

    def apply(self, payload: Mapping[str, Any]) -> PeerChanges:
        changes = PeerChanges(full_update=bool(payload.get("full_update")))
        if changes.full_update:
            changes.removed = set(self.raw)
            self.raw.clear()
            self.peers.clear()
        removed = payload.get("peers_removed")
        if isinstance(removed, list):
            for item in removed:
                key = as_str(item)
                if self.raw.pop(key, None) is not None:
                    del self.peers[key]
                    changes.removed.add(key)
        peers = payload.get("peers")
        if isinstance(peers, Mapping):
            for key, fields in peers.items():
                if not isinstance(fields, Mapping):
                    continue
                merged = self.raw.setdefault(key, {})
                merged.update(fields)
                self.peers[key] = Peer.from_raw(key, merged)
                changes.changed.add(key)
                changes.removed.discard(key)
        if "show_flags" in payload:
            self.show_flags = bool(payload["show_flags"])
        self.rid = as_int(payload.get("rid"), self.rid) or 0
        return changes


_COLUMNS = [
    ("address", "Address", None),
    ("client", "Client", None),
    ("progress", "Done", 6),
    ("down", "Down", 11),
    ("up", "Up", 11),
    ("downloaded", "Downloaded", 10),
    ("uploaded", "Uploaded", 10),
    ("connection", "Conn.", 5),
    ("flags", "Flags", 10),
    ("relevance", "Relev.", 6),
]
_COUNTRY = ("country", "Country", 18)
#: What servers send when country resolution is off or failed.
_NO_COUNTRY = frozenset({"", "N/A"})


def country_of(peer: Peer) -> str:
    """`DE Germany`: the code (no flag emoji, which terminals draw at different widths) and the name,
    where the server resolved them (its "resolve peer countries" option)."""
    code = peer.country_code.upper() if peer.country_code not in _NO_COUNTRY else ""
    name = peer.country if peer.country not in _NO_COUNTRY else ""
    return " ".join(part for part in (code, name) if part)


def peer_row(peer: Peer, with_country: bool) -> list[Text]:
    right: JustifyMethod = "right"
    row = [
        Text(safe(peer.key)),
        Text(safe(peer.client)),
        Text(fmt.percent(peer.progress), justify=right),
        Text(fmt.speed(peer.dl_speed), justify=right),
        Text(fmt.speed(peer.up_speed), justify=right),
        Text(fmt.size(peer.downloaded), justify=right),
        Text(fmt.size(peer.uploaded), justify=right),
        Text(safe(peer.connection)),
        Text(safe(peer.flags)),
        # How much of what this peer has the local side lacks: what qBittorrent's Relevance shows.
        Text(fmt.percent(peer.relevance), justify=right),
    ]
    if with_country:
        row.append(Text(safe(country_of(peer))))
    return row


def looks_like_peer(text: str) -> bool:
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and 0 < int(port) < 65536


class PeersTab(DetailTab):
    TITLE = "Peers"
    PANE_ID = "peers"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add peers", id="details.peers-add"),
        Binding("x", "ban", "Ban peer", id="details.peers-ban"),
        Binding("a", "explain('add')", show=False, id="details.peers-add-explain"),
        Binding("x", "explain('ban')", show=False, id="details.peers-ban-explain"),
    ]
    V2_ACTIONS = {
        "add": ((2, 3), "Adding peers needs"),
        "ban": ((2, 3), "Banning peers needs"),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.peer_sync = PeerSync()

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(classes="body")

    @property
    def table(self) -> KeyedTable:
        return self.query_one(KeyedTable)

    def unsupported(self, info: ServerInfo) -> str | None:
        return needs_legacy(info, 7, "The peer list needs")

    async def fetch(self, api: QbtApi, hash: str) -> Mapping[str, Any]:
        return await api.torrent_peers(hash, self.peer_sync.rid)

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.peer_sync.apply(data)
        peers = self.peer_sync.peers
        # Servers send show_flags with "N/A" everywhere when resolution is off: show real ones only.
        with_country = any(country_of(peer) for peer in peers.values())
        self.table.set_columns([*_COLUMNS, _COUNTRY] if with_country else _COLUMNS)
        self.table.sync({key: peer_row(peer, with_country) for key, peer in peers.items()})
        self.data_shown()
        if not peers:
            self.note.say("No peers connected", "info")

    def clear(self) -> None:
        self.peer_sync.reset()
        self.table.reset()

    def set_info(self, info: ServerInfo | None) -> None:
        if info is not self.info:
            # Another server (or a new session): its rid means nothing to this one.
            self.peer_sync.reset()
        super().set_info(info)

    # -- commands -------------------------------------------------------------------------------

    def action_add(self) -> None:
        def chosen(peers: list[str] | None) -> None:
            if peers:
                count = len(peers)
                self.request(
                    lambda api, h: api.add_peers([h], peers), f"Added {count} peer{'s' if count != 1 else ''}"
                )

        def validate(peers: list[str]) -> str | None:
            bad = [peer for peer in peers if not looks_like_peer(peer)]
            return f"Not host:port: {bad[0]}" if bad else None

        self.app.push_screen(
            LinesPrompt("Add peers", hint="host:port, one per line ([::1]:6881 for IPv6)", validate=validate),
            chosen,
        )

    def action_ban(self) -> None:
        key = self.table.cursor_key
        peer = self.peer_sync.peers.get(key) if key else None
        if peer is None:
            self.notify("No peer highlighted", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.request(lambda api, h: api.ban_peers([peer.key]), f"Banned {peer.key}")

        body = Text(
            "qBittorrent will refuse this peer on every torrent until you lift the ban in its "
            "preferences (IP filtering):\n\n  "
        )
        body.append(safe(peer.key), style="bold")
        if peer.client:
            body.append(f"  {safe(peer.client)}")
        self.app.push_screen(ConfirmDialog("Ban this peer?", body, "Ban", danger=True), confirmed)

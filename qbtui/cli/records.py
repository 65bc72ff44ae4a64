"""Readable renderings of API records, one function per kind of result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qbtui.api.models import (
    Category,
    LogEntry,
    Peer,
    PeerLogEntry,
    ServerInfo,
    ServerState,
    Torrent,
    TorrentFile,
    TorrentProperties,
    Tracker,
    WebSeed,
)
from qbtui.cli import format as fmt
from qbtui.cli.format import Column

SHORT_HASH = 8


@dataclass(frozen=True, slots=True)
class TorrentColumn:
    column: Column
    value: Callable[[Torrent], str]


def _name_column() -> Column:
    return Column("NAME", flex=True)


#: Columns `list --columns` can pick, in the order `--columns help` shows them.
TORRENT_COLUMNS: dict[str, TorrentColumn] = {
    "hash": TorrentColumn(Column("HASH"), lambda t: t.hash[:SHORT_HASH]),
    "fullhash": TorrentColumn(Column("HASH"), lambda t: t.hash),
    "name": TorrentColumn(_name_column(), lambda t: t.name),
    "size": TorrentColumn(Column("SIZE", right=True), lambda t: fmt.format_size(t.size)),
    "progress": TorrentColumn(Column("DONE", right=True), lambda t: fmt.percent(t.progress)),
    "state": TorrentColumn(Column("STATE"), lambda t: t.state_label),
    "down": TorrentColumn(Column("DOWN", right=True), lambda t: fmt.format_rate(t.dl_speed)),
    "up": TorrentColumn(Column("UP", right=True), lambda t: fmt.format_rate(t.up_speed)),
    "ratio": TorrentColumn(Column("RATIO", right=True), lambda t: fmt.ratio(t.ratio)),
    "eta": TorrentColumn(Column("ETA", right=True), lambda t: fmt.duration(t.eta)),
    "category": TorrentColumn(Column("CATEGORY"), lambda t: t.category),
    "tags": TorrentColumn(Column("TAGS"), lambda t: ",".join(t.tags)),
    "seeds": TorrentColumn(Column("SEEDS", right=True), lambda t: _connected(t.num_seeds, t.num_complete)),
    "peers": TorrentColumn(Column("PEERS", right=True), lambda t: _connected(t.num_leechs, t.num_incomplete)),
    "queue": TorrentColumn(
        Column("#", right=True), lambda t: fmt.optional(t.queue_position) if t.queue_position else "*"
    ),
    "added": TorrentColumn(Column("ADDED"), lambda t: fmt.timestamp(t.added_on)),
    "completed": TorrentColumn(Column("COMPLETED"), lambda t: fmt.timestamp(t.completion_on)),
    "downloaded": TorrentColumn(Column("DOWNLOADED", right=True), lambda t: fmt.format_size(t.downloaded)),
    "uploaded": TorrentColumn(Column("UPLOADED", right=True), lambda t: fmt.format_size(t.uploaded)),
    "dl-limit": TorrentColumn(Column("DL LIMIT", right=True), lambda t: fmt.limit(t.dl_limit)),
    "up-limit": TorrentColumn(Column("UP LIMIT", right=True), lambda t: fmt.limit(t.up_limit)),
    "path": TorrentColumn(Column("SAVE PATH"), lambda t: t.save_path),
    "tracker": TorrentColumn(Column("TRACKER"), lambda t: t.tracker),
    # With --server all or a group (first, then, unless --columns places it).
    "server": TorrentColumn(Column("SERVER"), lambda t: t.server),
}

DEFAULT_TORRENT_COLUMNS = (
    "hash",
    "name",
    "size",
    "progress",
    "state",
    "down",
    "up",
    "ratio",
    "eta",
    "category",
)


def _connected(connected: int, swarm: int | None) -> str:
    return f"{connected} ({swarm})" if swarm is not None else str(connected)


def torrents(items: Sequence[Torrent], columns: Sequence[str], width: int | None) -> str:
    if not items:
        return "no torrents"
    chosen = [TORRENT_COLUMNS[name] for name in columns]
    rows = [[c.value(t) for c in chosen] for t in items]
    return fmt.table([c.column for c in chosen], rows, width)


def server_info(info: ServerInfo) -> str:
    return fmt.pairs(
        [
            ("qBittorrent", info.app_version or "unknown"),
            ("API version", info.api_text),
            ("API generation", info.generation.value),
            ("API minimum", fmt.optional(info.api_min) if info.is_legacy else "n/a"),
        ]
    )


def properties(torrent: Torrent | None, props: TorrentProperties) -> str:
    head: list[tuple[str, object]] = []
    if torrent is not None:
        head = [
            ("name", torrent.name),
            ("hash", torrent.hash),
            ("state", torrent.state_label),
            ("progress", fmt.percent(torrent.progress)),
            ("category", torrent.category or "-"),
            ("tags", ", ".join(torrent.tags) or "-"),
        ]
    pieces = (
        f"{props.pieces_have} of {props.pieces_num} × {fmt.format_size(props.piece_size)}"
        if props.pieces_num is not None
        else "?"
    )
    return fmt.pairs(
        [
            *head,
            ("save path", props.save_path),
            ("total size", fmt.format_size(props.total_size)),
            ("pieces", pieces),
            (
                "downloaded",
                f"{fmt.format_size(props.total_downloaded)} "
                f"({fmt.format_size(props.total_downloaded_session)} this session)",
            ),
            (
                "uploaded",
                f"{fmt.format_size(props.total_uploaded)} "
                f"({fmt.format_size(props.total_uploaded_session)} this session)",
            ),
            ("wasted", fmt.format_size(props.total_wasted)),
            ("share ratio", fmt.ratio(props.share_ratio)),
            (
                "down speed",
                f"{fmt.format_rate(props.dl_speed or 0)} (avg {fmt.format_rate(props.dl_speed_avg or 0)})",
            ),
            (
                "up speed",
                f"{fmt.format_rate(props.up_speed or 0)} (avg {fmt.format_rate(props.up_speed_avg or 0)})",
            ),
            ("down limit", fmt.limit(props.dl_limit)),
            ("up limit", fmt.limit(props.up_limit)),
            ("eta", fmt.duration(props.eta)),
            ("seeds", f"{fmt.optional(props.seeds)} ({fmt.optional(props.seeds_total)} in swarm)"),
            ("peers", f"{fmt.optional(props.peers)} ({fmt.optional(props.peers_total)} in swarm)"),
            (
                "connections",
                f"{fmt.optional(props.nb_connections)} (limit {fmt.optional(props.nb_connections_limit)})",
            ),
            ("time active", fmt.duration(props.time_elapsed)),
            ("seeding time", fmt.duration(props.seeding_time)),
            ("next announce", fmt.duration(props.reannounce)),
            ("added", fmt.timestamp(props.addition_date)),
            ("completed", fmt.timestamp(props.completion_date)),
            ("last seen complete", fmt.timestamp(props.last_seen)),
            ("created", fmt.timestamp(props.creation_date)),
            ("created by", props.created_by or "-"),
            ("comment", props.comment or "-"),
        ]
    )


def trackers(items: Sequence[Tracker], width: int | None) -> str:
    if not items:
        return "no trackers"
    columns = [
        Column("TIER", right=True),
        Column("STATUS"),
        Column("PEERS", right=True),
        Column("SEEDS", right=True),
        Column("LEECHES", right=True),
        Column("URL", flex=True),
        Column("MESSAGE", flex=True),
    ]
    rows = [
        [
            fmt.optional(t.tier) if not t.is_pseudo else "",
            t.status.value,
            fmt.optional(t.num_peers),
            fmt.optional(t.num_seeds),
            fmt.optional(t.num_leeches),
            t.url,
            t.msg,
        ]
        for t in items
    ]
    return fmt.table(columns, rows, width)


def webseeds(items: Sequence[WebSeed]) -> str:
    return "\n".join(fmt.clean(seed.url) for seed in items) if items else "no web seeds"


def files(items: Sequence[TorrentFile], width: int | None) -> str:
    if not items:
        return "no files (the torrent may still be fetching its metadata)"
    columns = [
        Column("ID", right=True),
        Column("SIZE", right=True),
        Column("DONE", right=True),
        Column("PRIORITY"),
        Column("NAME", flex=True),
    ]
    rows = [
        [str(f.index), fmt.format_size(f.size), fmt.percent(f.progress), f.priority.name.lower(), f.name]
        for f in items
    ]
    return fmt.table(columns, rows, width)


def piece_summary(summary: dict[str, int], piece_hashes: Sequence[str] | None) -> str:
    text = fmt.pairs(list(summary.items()))
    if piece_hashes is not None:
        text += "\n\n" + "\n".join(f"{index}\t{value}" for index, value in enumerate(piece_hashes))
    return text


def peers(items: Sequence[Peer], width: int | None) -> str:
    if not items:
        return "no peers"
    columns = [
        Column("ADDRESS"),
        Column("CLIENT", flex=True),
        Column("DONE", right=True),
        Column("DOWN", right=True),
        Column("UP", right=True),
        Column("FLAGS"),
        Column("COUNTRY"),
    ]
    rows = [
        [
            p.key,
            p.client,
            fmt.percent(p.progress),
            fmt.format_rate(p.dl_speed),
            fmt.format_rate(p.up_speed),
            p.flags,
            p.country_code or p.country,
        ]
        for p in items
    ]
    return fmt.table(columns, rows, width)


def transfer(state: ServerState) -> str:
    return fmt.pairs(
        [
            ("connection", state.connection_status),
            (
                "download",
                f"{fmt.format_rate(state.dl_info_speed)} "
                f"({fmt.format_size(state.dl_info_data)} this session)",
            ),
            (
                "upload",
                f"{fmt.format_rate(state.up_info_speed)} "
                f"({fmt.format_size(state.up_info_data)} this session)",
            ),
            ("download limit", fmt.limit(state.dl_rate_limit)),
            ("upload limit", fmt.limit(state.up_rate_limit)),
            ("alternative limits", fmt.yes_no(state.use_alt_speed_limits)),
            ("DHT nodes", state.dht_nodes),
        ]
    )


def log_entries(items: Sequence[LogEntry]) -> str:
    return "\n".join(
        f"{entry.id:>5}  {fmt.timestamp(entry.timestamp)}  "
        f"{entry.level.name.lower():<8}  {fmt.clean(entry.message)}"
        for entry in items
    )


def peer_log_entries(items: Sequence[PeerLogEntry]) -> str:
    return "\n".join(
        f"{entry.id:>5}  {fmt.timestamp(entry.timestamp)}  {fmt.clean(entry.ip):<39}  "
        f"{'blocked' if entry.blocked else 'banned '}  {fmt.clean(entry.reason)}".rstrip()
        for entry in items
    )


def categories(items: Sequence[Category], width: int | None) -> str:
    if not items:
        return "no categories"
    return fmt.table(
        [Column("NAME"), Column("SAVE PATH", flex=True)],
        [[c.name, c.save_path or "(default)"] for c in items],
        width,
    )


def torrent_limits(rows: Sequence[tuple[Torrent, int | None, int | None]], width: int | None) -> str:
    return fmt.table(
        [
            Column("HASH"),
            Column("DOWN LIMIT", right=True),
            Column("UP LIMIT", right=True),
            Column("NAME", flex=True),
        ],
        [[t.hash[:SHORT_HASH], fmt.limit(down), fmt.limit(up), t.name] for t, down, up in rows],
        width,
    )

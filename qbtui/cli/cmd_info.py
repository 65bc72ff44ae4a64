"""Commands that only read: versions, torrent lists and details, transfer info, logs."""

from __future__ import annotations

from argparse import Namespace
from collections import Counter
from typing import Any

from qbtui.api import QbtApi
from qbtui.api.models import LogLevel, PieceState
from qbtui.api.models import Peer as PeerModel
from qbtui.cli import records
from qbtui.cli.output import Output
from qbtui.cli.targets import resolve_one


async def version(api: QbtApi, args: Namespace, out: Output) -> None:
    info = api.info
    data = {
        "app_version": info.app_version,
        "api_version": info.api_text,
        "generation": info.generation.value,
        "api_min": info.api_min,
    }
    out.emit(data, lambda: records.server_info(info))


async def list_torrents(api: QbtApi, args: Namespace, out: Output) -> None:
    hashes = list(dict.fromkeys(await api.resolve(args.refs))) if args.refs else None
    items = await api.torrents(
        filter=args.filter,
        category=args.category,
        tag=args.tag,
        sort=args.sort,
        reverse=args.reverse,
        limit=args.limit,
        offset=args.offset,
        hashes=hashes,
    )
    out.emit(items, lambda: records.torrents(items, args.columns, out.width))


async def show(api: QbtApi, args: Namespace, out: Output) -> None:
    hash = await resolve_one(api, args.ref)
    props = await api.properties(hash)
    matches = await api.torrents(hashes=[hash])
    torrent = matches[0] if matches else None
    data = {"hash": hash, "name": torrent.name if torrent else None, "properties": props}
    out.emit(data, lambda: records.properties(torrent, props))


async def trackers(api: QbtApi, args: Namespace, out: Output) -> None:
    items = await api.trackers(await resolve_one(api, args.ref))
    out.emit(items, lambda: records.trackers(items, out.width))


async def webseeds(api: QbtApi, args: Namespace, out: Output) -> None:
    items = await api.webseeds(await resolve_one(api, args.ref))
    out.emit(items, lambda: records.webseeds(items))


async def files(api: QbtApi, args: Namespace, out: Output) -> None:
    items = await api.files(await resolve_one(api, args.ref))
    out.emit(items, lambda: records.files(items, out.width))


async def pieces(api: QbtApi, args: Namespace, out: Output) -> None:
    hash = await resolve_one(api, args.ref)
    states = await api.piece_states(hash)
    counts = Counter(states)
    summary = {
        "pieces": len(states),
        "have": counts[PieceState.HAVE],
        "downloading": counts[PieceState.DOWNLOADING],
        "missing": counts[PieceState.MISSING],
    }
    piece_hashes = await api.piece_hashes(hash) if args.hashes else None
    data: dict[str, object] = {"hash": hash, **summary, "states": states}
    if piece_hashes is not None:
        data["piece_hashes"] = piece_hashes
    out.emit(data, lambda: records.piece_summary(summary, piece_hashes))


async def peers(api: QbtApi, args: Namespace, out: Output) -> None:
    raw = await api.torrent_peers(await resolve_one(api, args.ref))
    listed = raw.get("peers")
    table: dict[str, Any] = listed if isinstance(listed, dict) else {}
    items = [PeerModel.from_raw(key, value) for key, value in sorted(table.items())]
    out.emit(items, lambda: records.peers(items, out.width))


async def transfer(api: QbtApi, args: Namespace, out: Output) -> None:
    state = await api.transfer_info()
    if state.use_alt_speed_limits is None:
        # v2's transfer/info leaves this out; it has its own endpoint.
        state.use_alt_speed_limits = await api.alternative_speed_limits_enabled()
    out.emit(state, lambda: records.transfer(state))


async def log(api: QbtApi, args: Namespace, out: Output) -> None:
    levels = set(args.level or [level.name.lower() for level in LogLevel])
    entries = await api.log(
        args.last_id,
        normal="normal" in levels,
        info="info" in levels,
        warning="warning" in levels,
        critical="critical" in levels,
    )
    out.emit(entries, lambda: records.log_entries(entries))


async def peer_log(api: QbtApi, args: Namespace, out: Output) -> None:
    entries = await api.peer_log(args.last_id)
    out.emit(entries, lambda: records.peer_log_entries(entries))


async def sync(api: QbtApi, args: Namespace, out: Output) -> None:
    # The raw sync payload is protocol data; it prints as JSON in both modes.
    data = await api.maindata(args.rid)
    out.write(records.fmt.dumps(data))


async def default_save_path(api: QbtApi, args: Namespace, out: Output) -> None:
    path = await api.default_save_path()
    out.emit({"default_save_path": path}, lambda: records.fmt.clean(path))

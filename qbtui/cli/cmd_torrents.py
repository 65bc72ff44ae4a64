"""Commands that change torrents: adding, pausing, deleting, moving, renaming, toggles."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from qbtui.api import QbtApi, TorrentFileUpload
from qbtui.api.adding import outcome
from qbtui.api.base import QueueMove
from qbtui.api.models import AddOptions
from qbtui.cli import values
from qbtui.cli.errors import CliError, UsageError
from qbtui.cli.output import Output
from qbtui.cli.targets import confirm, plural, select, single
from qbtui.model.wording import wording
from qbtui.util import torrentfile

QUEUE_MOVES: dict[str, QueueMove] = {"up": "increase", "down": "decrease", "top": "top", "bottom": "bottom"}


# --------------------------------------------------------------------------------------------- adding


def read_torrent_files(paths: list[str]) -> tuple[list[TorrentFileUpload], list[dict[str, object]]]:
    """Read and check every .torrent locally, so a bad file fails before anything is uploaded."""
    uploads: list[TorrentFileUpload] = []
    described: list[dict[str, object]] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            meta = torrentfile.parse(data)
        except torrentfile.InvalidTorrentFile as exc:
            raise UsageError(f"{path}: {exc}") from None
        uploads.append(TorrentFileUpload(Path(path).name, data))
        described.append({"file": path, "name": meta.name, "hash": meta.info_hash, "size": meta.total_size})
    return uploads, described


def add_options(args: Namespace) -> AddOptions:
    return AddOptions(
        save_path=args.save_path,
        download_path=args.download_path,
        cookie=args.cookie,
        category=args.category,
        tags=tuple(args.tags or ()),
        skip_checking=args.skip_check,
        paused=args.paused,
        root_folder=args.root_folder,
        content_layout=args.content_layout,
        rename=args.rename,
        up_limit=args.up_limit,
        dl_limit=args.dl_limit,
        sequential=args.sequential,
        first_last_piece=args.first_last,
        auto_tmm=args.auto_tmm,
        ratio_limit=args.ratio_limit,
        seeding_time_limit=args.seeding_time_limit,
    )


async def add(api: QbtApi, args: Namespace, out: Output) -> None:
    urls = [source for source in args.sources if values.is_url(source)]
    uploads, described = read_torrent_files([s for s in args.sources if not values.is_url(s)])
    result = await api.add(urls, uploads, add_options(args))
    parts = []
    if urls:
        parts.append(plural(len(urls), "link"))
    if uploads:
        parts.append(plural(len(uploads), "torrent file"))
    if not result.counted:
        out.done(f"added {' and '.join(parts)}", urls=urls, files=described)
        return
    report = outcome(result, urls, uploads)
    details = {"added": list(result.added_ids), "pending": result.pending, "failed": report.failed_sources}
    if report.failed_sources or result.failed:
        # Some were refused: say which, and exit non-zero like any partial failure.
        out.done(report.message, urls=urls, files=described, **details)
        raise CliError(f"not added: {', '.join(report.failed_sources) or plural(result.failed, 'source')}")
    out.done(report.message, urls=urls, files=described, **details)


# --------------------------------------------------------------------------------------------- bulk commands


async def pause(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.pause(selection.hashes)
    out.done(f"{wording(api.info).paused.lower()} {selection.describe()}")


async def resume(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.resume(selection.hashes)
    out.done(f"{wording(api.info).resumed.lower()} {selection.describe()}")


def delete_needs_confirmation(args: Namespace) -> bool:
    return bool(args.with_data or args.all)


async def delete(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    if delete_needs_confirmation(args) and not args.yes:
        torrents = selection.torrents or await api.torrents()
        if not torrents:
            out.done("no torrents to delete")
            return
        question = _delete_question(len(torrents), selection.is_all, args.with_data)
        confirm(question, [t.name for t in torrents], args.yes)
    await api.delete(selection.hashes, delete_files=args.with_data)
    data = " and its data" if len(selection.torrents) == 1 else " and their data"
    out.done(f"deleted {selection.describe()}{data if args.with_data else ''}")


def _delete_question(count: int, everything: bool, with_data: bool) -> str:
    data = "and its downloaded data" if count == 1 else "and their downloaded data"
    scope = "ALL " if everything and count > 1 else ""
    return (
        f"Delete {scope}{plural(count, 'torrent')} {data if with_data else '(keeping the downloaded data)'}?"
    )


async def recheck(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.recheck(selection.hashes)
    out.done(f"rechecking {selection.describe()}")


async def reannounce(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.reannounce(selection.hashes)
    out.done(f"reannounced {selection.describe()}")


async def queue(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.move_in_queue(selection.hashes, QUEUE_MOVES[args.move])
    out.done(f"moved {selection.describe()} {args.move} in the queue")


async def location(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_location(selection.hashes, args.path)
    out.done(f"moving {selection.describe()} to {args.path}")


async def sequential(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.toggle_sequential(selection.hashes)
    out.done(f"toggled sequential download of {selection.describe()}")


async def first_last(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.toggle_first_last_piece(selection.hashes)
    out.done(f"toggled first/last piece priority of {selection.describe()}")


async def force_start(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_force_start(selection.hashes, args.state)
    out.done(f"force start {_on_off(args.state)} for {selection.describe()}")


async def super_seeding(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_super_seeding(selection.hashes, args.state)
    out.done(f"super seeding {_on_off(args.state)} for {selection.describe()}")


async def auto_tmm(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_auto_management(selection.hashes, args.state)
    out.done(f"automatic torrent management {_on_off(args.state)} for {selection.describe()}")


async def share_limits(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_share_limits(
        selection.hashes, args.ratio, args.seeding_time, args.inactive_seeding_time, action=args.action
    )
    out.done(f"set share limits of {selection.describe()}")


async def set_comment(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_comment(selection.hashes, args.text)
    out.done(f"set the comment of {selection.describe()}")


async def add_peers(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.add_peers(selection.hashes, args.peers)
    out.done(f"added {plural(len(args.peers), 'peer')} to {selection.describe()}")


def _on_off(state: bool) -> str:
    return "on" if state else "off"


# --------------------------------------------------------------------------------------------- one torrent


async def rename(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    if not args.name.strip():
        raise UsageError("the new name is empty")
    await api.rename(torrent.hash, args.name)
    out.done(f"renamed {torrent.hash[:8]} to {args.name}")


async def rename_file(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    await api.rename_file(torrent.hash, args.old, args.new)
    out.done(f"renamed file {args.old} to {args.new}")


async def rename_folder(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    await api.rename_folder(torrent.hash, args.old, args.new)
    out.done(f"renamed folder {args.old} to {args.new}")


async def add_trackers(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    await api.add_trackers(torrent.hash, args.urls)
    out.done(f"added {plural(len(args.urls), 'tracker')} to {torrent.hash[:8]}")


async def edit_tracker(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    if args.new_url is None and args.tier is None:
        raise UsageError("give a new URL, --tier, or both")
    await api.edit_tracker(torrent.hash, args.old_url, args.new_url, tier=args.tier)
    what = "replaced tracker" if args.new_url is not None else "moved tracker"
    tier = f" to tier {args.tier}" if args.tier is not None else ""
    out.done(f"{what} {args.old_url} of {torrent.hash[:8]}{tier}")


async def remove_trackers(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    await api.remove_trackers(torrent.hash, args.urls)
    out.done(f"removed {plural(len(args.urls), 'tracker')} from {torrent.hash[:8]}")


async def file_priority(api: QbtApi, args: Namespace, out: Output) -> None:
    torrent = await single(api, args.ref)
    count = len(await api.files(torrent.hash))
    ids: list[int] = list(range(count)) if args.ids is None else args.ids
    too_big = [i for i in ids if i >= count]
    if too_big and count:
        raise CliError(
            f"file id {too_big[0]} does not exist: "
            f"the torrent has {plural(count, 'file')} (ids 0-{count - 1})"
        )
    if not count:
        raise CliError("the torrent has no files yet (metadata not downloaded)")
    await api.set_file_priority(torrent.hash, ids, args.priority)
    out.done(f"set {plural(len(ids), 'file')} to {args.priority.name.lower()} priority", files=ids)

"""Commands over several servers at once: `qbtui --server all list`, `qbtui --server GROUP status`.

Every server is asked at the same time, one request each (`status` keeps one session per server
between runs, like the single-server `status`); a server that does not answer is named on stderr
and the command still reports the others (exit status 1, a partial failure). Torrents carry their
server: a SERVER column, and `"server"` in `--json`.
"""

from __future__ import annotations

import asyncio
from argparse import Namespace
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from qbtui.api.models import TORRENT_FIELDS, Torrent
from qbtui.cli import records
from qbtui.cli.cmd_status import DEFAULT_FORMAT, check_format, count_active, session_file
from qbtui.cli.connection import configured_settings
from qbtui.cli.errors import CliError
from qbtui.cli.output import Output
from qbtui.settings.config import Config
from qbtui.util.units import format_rate

T = TypeVar("T")

#: `status` over a fleet: the single server's line, and how many servers answered.
FLEET_FORMAT = "↓ {down} ↑ {up} ⚑ {active} active {servers}"


class PartlyAnswered(CliError):
    """Some servers of the fleet did not answer: the others' results were printed (exit 1)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    server: str
    value: T | None = None
    error: str = ""


def fleet_settings(config: Config, members: Sequence[str], args: Namespace) -> dict[str, ConnectionSettings]:
    """Each member's connection settings (passwords read now, in order); --insecure / --ca-file
    apply to all of them."""
    return {name: configured_settings(config.servers[name], args) for name in members}


async def ask_all(
    settings: dict[str, ConnectionSettings],
    ask: Callable[[str, QbtApi], Awaitable[T]],
    *,
    saved_sessions: bool = False,
) -> list[Answer[T]]:
    """`ask(server, api)` on every server at once, each logged in (or through its saved session)."""

    async def one(name: str) -> Answer[T]:
        try:
            if saved_sessions:
                from qbtui.api.saved_session import connect_saved, save

                path = session_file(name)
                api = await connect_saved(settings[name], path)
                try:
                    value = await ask(name, api)
                    save(api, path)
                finally:
                    await api.close()
            else:
                api = await connect(settings[name])
                try:
                    value = await ask(name, api)
                finally:
                    await _close(api)
        except errors.QbtError as exc:
            return Answer(name, error=str(exc))
        return Answer(name, value)

    return list(await asyncio.gather(*(one(name) for name in settings)))


async def _close(api: QbtApi) -> None:
    try:
        if api.session.settings.username is not None:
            await api.logout()
    except errors.QbtError:
        pass
    finally:
        await api.close()


def _report_failures(answers: Sequence[Answer[Any]], out: Output) -> None:
    failed = [answer for answer in answers if answer.error]
    if not failed:
        return
    if len(failed) == len(answers):
        raise errors.ConnectionProblem("; ".join(f"{a.server}: {a.error}" for a in failed))
    raise PartlyAnswered("; ".join(f"{a.server}: {a.error}" for a in failed))


# -------------------------------------------------------------------------------------------- list


async def fleet_list(settings: dict[str, ConnectionSettings], args: Namespace, out: Output) -> None:
    async def ask(name: str, api: QbtApi) -> list[Torrent]:
        hashes = None
        if args.refs:
            try:
                hashes = list(dict.fromkeys(await api.resolve(args.refs)))
            except errors.TorrentNotFound:
                return []  # not on this server
        items = await api.torrents(
            filter=args.filter, category=args.category, tag=args.tag, sort=args.sort, reverse=args.reverse,
            hashes=hashes,
        )  # fmt: skip
        for torrent in items:
            torrent.server = name
        return items

    answers = await ask_all(settings, ask)
    items = merged([answer.value or [] for answer in answers], args.sort, args.reverse)
    if args.offset:
        items = items[args.offset :]  # negative: from the end, as the server counts it
    if args.limit is not None:
        items = items[: args.limit]
    columns = list(args.columns)
    if "server" not in columns:
        columns.insert(0, "server")
    out.emit(items, lambda: records.torrents(items, columns, out.width))
    _report_failures(answers, out)


def merged(lists: Sequence[list[Torrent]], sort: str | None, reverse: bool) -> list[Torrent]:
    """The servers' lists as one: by the sort field each server sorted by (its raw name), else in
    server order."""
    items = [torrent for found in lists for torrent in found]
    field = TORRENT_FIELDS.get(sort) if sort else None
    if field is None:
        return items
    attribute = field.attribute

    def key(torrent: Torrent) -> tuple[bool, Any]:
        value = getattr(torrent, attribute, None)
        return (value is None, value if value is not None else 0)

    try:
        return sorted(items, key=key, reverse=reverse)
    except TypeError:  # values of mixed types (a hostile server): keep the servers' own orders
        return items


# ------------------------------------------------------------------------------------------ status


async def fleet_status(settings: dict[str, ConnectionSettings], args: Namespace, out: Output) -> None:
    """The fleet's line: speeds and counts summed over the servers that answered, and how many did
    (`{servers}`: "3/3 servers", or "2/3 servers (nas down)")."""
    if args.format == DEFAULT_FORMAT:
        args.format = FLEET_FORMAT
    check_format(args.format)
    wants_errored = args.json or "{errored}" in args.format

    async def ask(name: str, api: QbtApi) -> dict[str, int]:
        return await count_active(api, errored=wants_errored)

    answers = await ask_all(settings, ask, saved_sessions=True)
    totals = {"down_bytes": 0, "up_bytes": 0, "active": 0, "downloading": 0, "seeding": 0, "errored": 0}
    for answer in answers:
        for key, value in (answer.value or {}).items():
            totals[key] = totals.get(key, 0) + value
    failed = [answer.server for answer in answers if answer.error]
    answered = len(answers) - len(failed)
    servers = f"{answered}/{len(answers)} servers"
    if failed:
        servers += f" ({', '.join(failed)} down)"
    values: dict[str, Any] = {
        "down": format_rate(totals["down_bytes"]),
        "up": format_rate(totals["up_bytes"]),
        **totals,
        "servers": servers,
    }
    per_server: dict[str, Any] = {a.server: a.value or {"error": a.error} for a in answers}
    data = {**values, "per_server": per_server}
    out.emit(data, lambda: args.format.format(**values))
    if len(failed) == len(answers):
        _report_failures(answers, out)

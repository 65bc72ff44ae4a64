"""The command line: `qbtui [connection options] COMMAND [args]`, built with argparse.

Each subcommand stores its implementation as `run` (an async function of api, args, output);
destructive ones also store `confirm`, telling whether these arguments need a confirmation.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from qbtui import __version__
from qbtui.api.base import BASIC_FILTERS, EXTRA_V2_FILTERS, FILTER_ALIASES
from qbtui.api.models import LogLevel, ShareLimitAction
from qbtui.cli import cmd_fleet, cmd_info, cmd_server, cmd_status, cmd_torrents, values
from qbtui.cli.errors import UsageError
from qbtui.cli.records import DEFAULT_TORRENT_COLUMNS, TORRENT_COLUMNS
from qbtui.util.units import RATE_HELP

T = TypeVar("T")

DESCRIPTION = """\
A terminal client for qBittorrent (3.2.0 - 4.0.4 legacy WebUI API and WebAPI v2).
Without a COMMAND, qbtui opens the full-screen interface; with one, it runs it and exits.
Torrents are named by full info-hash or by any unique prefix of it (see `qbtui list`)."""

EPILOG = """\
environment:
  QBTUI_URL        server URL (instead of --url)
  QBTUI_USERNAME   login name (instead of --username)
  QBTUI_PASSWORD   password (there is no --password flag: it would show up in `ps`)
  QBTUI_API_KEY    API key (qBittorrent 5.2+): sent instead of a login

exit status:
  0    success
  1    the server refused or failed the request (also: unsupported by this server version,
       unknown torrent, partial failure of a bulk command)
  2    usage error: bad arguments or units, an unreadable .torrent, a failing --password-cmd,
       or a destructive action that was not confirmed
  3    cannot connect or log in (unreachable, TLS, timeout, wrong password, CSRF/Host check, ban)
  130  interrupted (Ctrl-C)

With --json every command prints one JSON document on stdout; commands that return nothing
print {"ok": true, ...}. Errors always go to stderr as a single "qbtui: error: ..." line.
Run `qbtui COMMAND --help` for the options of each command."""

FILTERS = sorted({*BASIC_FILTERS, *EXTRA_V2_FILTERS, *FILTER_ALIASES})
LOG_LEVELS = [level.name.lower() for level in LogLevel]
REF_HELP = "torrent: full hash or unique hash prefix"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (raised, so main() owns the exit code)."""

    def error(self, message: str) -> NoReturn:
        # argparse would list every command here; one short line is easier to read.
        unknown = re.match(r"argument (?:COMMAND|ACTION): invalid choice: '(.*)' \(choose from", message)
        if unknown:
            message = f"unknown command {unknown[1]!r}"
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def typed(parse: Callable[[str], T], name: str) -> Callable[[str], T]:
    """Wrap a value parser so argparse shows its ValueError message instead of a generic one."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert


RATE = typed(values.parse_rate_arg, "rate")
SWITCH = typed(values.parse_switch, "on/off")
COUNT = typed(values.parse_count, "number")


def _columns(text: str) -> list[str]:
    names = values.split_list(text)
    unknown = [name for name in names if name not in TORRENT_COLUMNS]
    if unknown or not names:
        raise ValueError(
            f"unknown column {unknown[0] if unknown else text!r}: choose from {', '.join(TORRENT_COLUMNS)}"
        )
    return names


def _levels(text: str) -> list[str]:
    names = [name.lower() for name in values.split_list(text)]
    unknown = [name for name in names if name not in LOG_LEVELS]
    if unknown or not names:
        raise ValueError(
            f"unknown log level {unknown[0] if unknown else text!r}: use {', '.join(LOG_LEVELS)}"
        )
    return names


def _peer(text: str) -> str:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected HOST:PORT (IPv6 as [addr]:port), not {text!r}")
    return text


def _nonempty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


# --------------------------------------------------------------------------------------------- building


def build_parser() -> Parser:
    parser = Parser(
        prog="qbtui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    _connection_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=Parser)
    json_parent = Parser(add_help=False)
    json_parent.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable JSON output"
    )
    builder = _Builder(commands, json_parent)
    _info_commands(builder)
    _torrent_commands(builder)
    _server_commands(builder)
    return parser


def _connection_options(parser: Parser) -> None:
    parser.add_argument("--version", action="version", version=f"qbtui {__version__}")
    group = parser.add_argument_group("connection")
    group.add_argument("--url", help="server URL (default: $QBTUI_URL or http://localhost:8080)")
    group.add_argument(
        "--username", help="login name (default: $QBTUI_USERNAME; admin when a password is given)"
    )
    secret = group.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-env", metavar="VAR", help="read the password from environment variable VAR"
    )
    secret.add_argument(
        "--password-cmd",
        metavar="CMD",
        help="run CMD (no shell) and use the first line it prints as the password, e.g. 'pass show qbt'",
    )
    key = group.add_mutually_exclusive_group()
    key.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="read an API key (qBittorrent 5.2+) from environment variable VAR instead of logging in",
    )
    key.add_argument(
        "--api-key-cmd",
        metavar="CMD",
        help="run CMD (no shell) and use the first line it prints as the API key",
    )
    tls = group.add_mutually_exclusive_group()
    tls.add_argument("--insecure", action="store_true", help="do not verify the server's TLS certificate")
    tls.add_argument("--ca-file", metavar="PATH", help="trust this CA bundle or self-signed certificate")
    group.add_argument(
        "--referer",
        type=typed(values.parse_referer, "referer"),
        default="none",
        metavar="none|match|URL",
        help="Referer header to send: none (default, passes qBittorrent's CSRF check), "
        "match (the URL's own origin) or an explicit URL",
    )
    group.add_argument(
        "--timeout",
        type=typed(values.parse_timeout, "seconds"),
        default=15.0,
        metavar="SECONDS",
        help="network timeout (default: 15)",
    )
    parser.add_argument(
        "--debug-log",
        metavar="PATH",
        help="append every request and response to PATH (created 0600; passwords and session "
        "cookies are redacted), for bug reports; works with the full-screen interface too",
    )
    config = parser.add_argument_group("configuration and interface")
    config.add_argument(
        "--config",
        metavar="PATH",
        help="the TOML config file (default: $QBTUI_CONFIG or ~/.config/qbtui/config.toml)",
    )
    config.add_argument(
        "--server",
        metavar="NAME",
        help="the [servers.NAME] entry of the config to use; `all` (every server) or a [groups.NAME]: "
        "several servers in one table",
    )
    config.add_argument(
        "--theme", metavar="NAME", help="qbtui-dark, qbtui-light, qbtui-high-contrast, qbtui-16 or your own"
    )
    config.add_argument(
        "--read-only", action="store_true", help="look, never change: for monitors on shared screens"
    )
    config.add_argument(
        "--serve", action="store_true", help="serve the interface to a browser (needs qbtui[web])"
    )
    config.add_argument(
        "--host", default="127.0.0.1", help="--serve: address to listen on (default: 127.0.0.1)"
    )
    config.add_argument("--port", type=int, default=8008, help="--serve: port (default: 8008)")
    parser.add_argument("--json", action="store_true", help="machine-readable JSON output for every command")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a built-in simulated qBittorrent 4.0.4 and use it instead of --url",
    )


class _Builder:
    """Adds subcommands with the shared bits: --json, the implementation, help text."""

    def __init__(self, commands: Any, json_parent: Parser) -> None:
        self.commands = commands
        self.json_parent = json_parent

    def add(
        self, name: str, run: Callable[..., Any], help: str, *, parent: Any = None, **kwargs: Any
    ) -> Parser:
        group = parent if parent is not None else self.commands
        parser: Parser = group.add_parser(
            name,
            help=help,
            description=help[:1].upper() + help[1:] + ".",
            parents=[self.json_parent],
            **kwargs,
        )
        parser.set_defaults(run=run, confirm=None)
        return parser

    def group(self, name: str, help: str) -> Any:
        parser = self.commands.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")
        return parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)


def _refs(parser: Parser, *, all_help: str = "every torrent") -> None:
    parser.add_argument("refs", nargs="*", metavar="REF", help=f"{REF_HELP} (several allowed)")
    parser.add_argument("--all", action="store_true", help=all_help)


def _ref(parser: Parser) -> None:
    parser.add_argument("ref", metavar="REF", help=REF_HELP)


def _yes(parser: Parser) -> None:
    parser.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


# --------------------------------------------------------------------------------------------- reading


def _info_commands(b: _Builder) -> None:
    b.add("version", cmd_info.version, "show the qBittorrent and API versions", aliases=["info"])

    p = b.add("list", cmd_info.list_torrents, "list torrents", aliases=["ls"])
    p.set_defaults(fleet_run=cmd_fleet.fleet_list)
    p.add_argument("refs", nargs="*", metavar="REF", help="only these torrents (hash or unique prefix)")
    p.add_argument("--filter", choices=FILTERS, metavar="FILTER", help=f"one of: {', '.join(FILTERS)}")
    p.add_argument("--category", help='only this category ("" for torrents without one)')
    p.add_argument("--tag", help="only this tag (qBittorrent 4.4+)")
    p.add_argument(
        "--sort", metavar="FIELD", help="server-side sort key, e.g. name, size, progress, ratio, added_on"
    )
    p.add_argument("--reverse", action="store_true", help="reverse the sort order")
    p.add_argument("--limit", type=COUNT, metavar="N", help="at most N torrents")
    p.add_argument(
        "--offset",
        type=typed(values.parse_offset, "offset"),
        metavar="N",
        help="skip N (negative: from the end)",
    )
    p.add_argument(
        "--columns",
        type=typed(_columns, "columns"),
        default=list(DEFAULT_TORRENT_COLUMNS),
        metavar="A,B,...",
        help=f"table columns, from: {', '.join(TORRENT_COLUMNS)} "
        f"(default: {','.join(DEFAULT_TORRENT_COLUMNS)})",
    )

    for name, run, help, aliases in (
        ("show", cmd_info.show, "show the general properties of a torrent", ["properties"]),
        ("trackers", cmd_info.trackers, "list the trackers of a torrent", []),
        ("webseeds", cmd_info.webseeds, "list the web seeds of a torrent", []),
        ("files", cmd_info.files, "list the files of a torrent with their ids and priorities", []),
        ("peers", cmd_info.peers, "list the connected peers of a torrent", []),
    ):
        _ref(b.add(name, run, help, aliases=aliases))

    p = b.add("pieces", cmd_info.pieces, "summarise the piece states of a torrent")
    _ref(p)
    p.add_argument("--hashes", action="store_true", help="also print every piece hash")

    b.add("transfer", cmd_info.transfer, "show global transfer information")

    p = b.add("status", cmd_status.status, "one line for tmux status-right or a shell prompt")
    p.add_argument(
        "--format",
        default=cmd_status.DEFAULT_FORMAT,
        metavar="TEMPLATE",
        help="the line, with fields in braces: " + ", ".join("{" + name + "}" for name in cmd_status.FIELDS),
    )
    # Run every few seconds: keep one session between runs instead of a login each time.
    p.set_defaults(saved_session=True, logout=False, fleet_run=cmd_fleet.fleet_status)

    p = b.add("log", cmd_info.log, "show the main log")
    p.add_argument(
        "--last-id",
        type=typed(values.parse_offset, "id"),
        default=-1,
        metavar="N",
        help="only entries after id N",
    )
    p.add_argument(
        "--level",
        type=typed(_levels, "levels"),
        metavar="L,L",
        help=f"only these levels: {', '.join(LOG_LEVELS)}",
    )
    p = b.add("peerlog", cmd_info.peer_log, "show the peer log (blocked and banned IPs)")
    p.add_argument(
        "--last-id",
        type=typed(values.parse_offset, "id"),
        default=-1,
        metavar="N",
        help="only entries after id N",
    )

    p = b.add("sync", cmd_info.sync, "print the raw sync/maindata payload (JSON)")
    p.add_argument(
        "--rid", type=COUNT, default=0, metavar="N", help="response id of a previous answer (default 0)"
    )

    b.add("default-save-path", cmd_info.default_save_path, "show the default save path")


# --------------------------------------------------------------------------------------------- torrents


def _torrent_commands(b: _Builder) -> None:
    _add_command(b)

    # qBittorrent 5 calls these stop and start; both names work with every server.
    _refs(b.add("pause", cmd_torrents.pause, "pause (qBittorrent 5: stop) torrents", aliases=["stop"]))
    _refs(b.add("resume", cmd_torrents.resume, "resume (qBittorrent 5: start) torrents", aliases=["start"]))
    for name, run, help in (
        ("recheck", cmd_torrents.recheck, "recheck the data of torrents"),
        ("reannounce", cmd_torrents.reannounce, "reannounce torrents to their trackers"),
        ("sequential", cmd_torrents.sequential, "toggle sequential download"),
        ("first-last", cmd_torrents.first_last, "toggle first/last piece priority"),
    ):
        _refs(b.add(name, run, help))

    p = b.add(
        "delete",
        cmd_torrents.delete,
        "delete torrents (asks first with --with-data or --all)",
        aliases=["rm"],
    )
    _refs(p)
    p.add_argument("--with-data", action="store_true", help="also delete the downloaded files")
    _yes(p)
    p.set_defaults(confirm=cmd_torrents.delete_needs_confirmation, confirm_action="delete torrents")

    p = b.add("queue", cmd_torrents.queue, "move torrents in the download queue")
    p.add_argument("move", choices=list(cmd_torrents.QUEUE_MOVES), help="up, down, top or bottom")
    _refs(p)

    for name, run, help in (
        ("force-start", cmd_torrents.force_start, "turn force start on or off"),
        ("super-seeding", cmd_torrents.super_seeding, "turn super seeding on or off"),
        ("auto-tmm", cmd_torrents.auto_tmm, "turn automatic torrent management on or off"),
    ):
        p = b.add(name, run, help)
        _refs(p)
        p.add_argument("state", type=SWITCH, metavar="on|off")

    p = b.add("location", cmd_torrents.location, "move torrents' data to another directory (on the server)")
    _refs(p)
    p.add_argument("path", metavar="PATH", type=typed(_nonempty, "path"), help="directory on the server")

    p = b.add("rename", cmd_torrents.rename, "rename a torrent")
    _ref(p)
    p.add_argument("name", metavar="NAME")

    for name, run, what in (
        ("rename-file", cmd_torrents.rename_file, "file"),
        ("rename-folder", cmd_torrents.rename_folder, "folder"),
    ):
        p = b.add(name, run, f"rename a {what} inside a torrent (paths as `qbtui files` shows them)")
        _ref(p)
        p.add_argument("old", metavar="OLD_PATH")
        p.add_argument("new", metavar="NEW_PATH")

    p = b.add("file-prio", cmd_torrents.file_priority, "set the priority of files in a torrent")
    _ref(p)
    p.add_argument(
        "ids", type=typed(values.parse_file_ids, "ids"), metavar="IDS", help="file ids like 0,2,5-9, or all"
    )
    p.add_argument(
        "priority",
        type=typed(values.parse_priority, "priority"),
        metavar="PRIORITY",
        help="skip, normal, high or max",
    )

    p = b.add("share-limits", cmd_torrents.share_limits, "set ratio and seeding-time limits of torrents")
    _refs(p)
    p.add_argument(
        "--ratio",
        required=True,
        type=typed(values.parse_share_ratio, "ratio"),
        help="ratio like 2.0, global or none",
    )
    p.add_argument(
        "--seeding-time",
        required=True,
        type=typed(values.parse_share_minutes, "minutes"),
        metavar="MINUTES",
        help="minutes, global or none",
    )
    p.add_argument(
        "--inactive-seeding-time",
        type=typed(values.parse_share_minutes, "minutes"),
        default=-2,
        metavar="MINUTES",
        help="minutes, global (default) or none (qBittorrent 4.6+)",
    )
    p.add_argument(
        "--action",
        type=typed(ShareLimitAction.parse, "action"),
        metavar="ACTION",
        help="what happens at the limit: Default (the server's setting), Stop, Remove, "
        "RemoveWithContent or EnableSuperSeeding (qBittorrent 5.2+)",
    )

    p = b.add("comment", cmd_torrents.set_comment, "set the comment of torrents (qBittorrent 5.2+)")
    _refs(p)
    p.add_argument("--text", required=True, help="the new comment (empty to clear it)")

    p = b.add("add-trackers", cmd_torrents.add_trackers, "add tracker URLs to a torrent")
    _ref(p)
    p.add_argument("urls", nargs="+", metavar="URL")
    p = b.add("edit-tracker", cmd_torrents.edit_tracker, "replace a tracker URL of a torrent, or its tier")
    _ref(p)
    p.add_argument("old_url", metavar="OLD_URL")
    p.add_argument("new_url", metavar="NEW_URL", nargs="?", help="the new URL (omit to change the tier only)")
    p.add_argument(
        "--tier", type=typed(values.parse_tier, "tier"), metavar="N", help="0-255 (qBittorrent 5.2+)"
    )
    p = b.add("remove-trackers", cmd_torrents.remove_trackers, "remove tracker URLs from a torrent")
    _ref(p)
    p.add_argument("urls", nargs="+", metavar="URL")

    p = b.add("add-peers", cmd_torrents.add_peers, "connect torrents to peers")
    _refs(p)
    p.add_argument(
        "--peer",
        dest="peers",
        action="extend",
        nargs="+",
        required=True,
        type=typed(_peer, "peer"),
        metavar="HOST:PORT",
        help="peer address (repeatable)",
    )


def _add_command(b: _Builder) -> None:
    p = b.add("add", cmd_torrents.add, "add torrents from URLs, magnet links or local .torrent files")
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="magnet link, http(s) URL or path to a .torrent file"
    )
    p.add_argument("--save-path", metavar="PATH", help="download directory (on the server)")
    p.add_argument(
        "--download-path", metavar="PATH", help="directory for incomplete downloads (qBittorrent 4.4+)"
    )
    p.add_argument("--cookie", help="cookie sent when the server downloads a URL")
    p.add_argument("--category")
    p.add_argument(
        "--tags", type=values.split_list, metavar="A,B", help="comma-separated tags (qBittorrent 4.2+)"
    )
    p.add_argument("--skip-check", action="store_const", const=True, help="skip hash checking")
    p.add_argument("--paused", action=argparse.BooleanOptionalAction, help="add paused (or not)")
    p.add_argument(
        "--root-folder",
        action=argparse.BooleanOptionalAction,
        help="create (or not) the torrent's top folder",
    )
    p.add_argument(
        "--content-layout", choices=["Original", "Subfolder", "NoSubfolder"], help="qBittorrent 4.3.2+"
    )
    p.add_argument("--rename", metavar="NAME", help="name for the torrent")
    p.add_argument("--up-limit", type=RATE, metavar="RATE", help=f"upload limit, {RATE_HELP}")
    p.add_argument("--dl-limit", type=RATE, metavar="RATE", help=f"download limit, {RATE_HELP}")
    p.add_argument("--sequential", action=argparse.BooleanOptionalAction, help="download in order")
    p.add_argument("--first-last", action=argparse.BooleanOptionalAction, help="first and last pieces first")
    p.add_argument("--auto-tmm", action=argparse.BooleanOptionalAction, help="automatic torrent management")
    p.add_argument(
        "--ratio-limit",
        type=typed(values.parse_share_ratio, "ratio"),
        metavar="RATIO",
        help="ratio, global or none",
    )
    p.add_argument(
        "--seeding-time-limit",
        type=typed(values.parse_share_minutes, "minutes"),
        metavar="MINUTES",
        help="minutes, global or none",
    )


# --------------------------------------------------------------------------------------------- server


def _server_commands(b: _Builder) -> None:
    prefs = b.group("prefs", "read or change preferences")
    p = b.add("get", cmd_server.prefs_get, "show preferences (secrets are redacted)", parent=prefs)
    p.add_argument("keys", nargs="*", metavar="KEY", help="only these keys (one key: print just its value)")
    p.add_argument(
        "--show-secrets",
        action="store_true",
        help="show secrets the server sends (e.g. web_ui_api_key) instead of ********",
    )
    p = b.add("set", cmd_server.prefs_set, "change preferences", parent=prefs)
    p.add_argument(
        "assignments",
        nargs="+",
        type=typed(values.parse_assignment, "KEY=VALUE"),
        metavar="KEY=VALUE",
        help='VALUE is JSON when it parses as JSON (42, true, [1,2], "text"), else taken as a string',
    )

    limit = b.group("limit", "show or set speed limits (bytes/s)")
    p = b.add("global", cmd_server.limit_global, "show or set the global speed limits", parent=limit)
    _rate_options(p)
    p = b.add("torrent", cmd_server.limit_torrent, "show or set per-torrent speed limits", parent=limit)
    _refs(p)
    _rate_options(p)

    p = b.add("alt-speed", cmd_server.alt_speed, "show, toggle or set the alternative speed limits")
    p.add_argument("action", nargs="?", default="get", choices=["get", "toggle", "on", "off"])

    category = b.group("category", "manage categories")
    b.add("list", cmd_server.category_list, "list categories", parent=category, aliases=["ls"])
    p = b.add("set", cmd_server.category_set, "set the category of torrents", parent=category)
    _refs(p)
    p.add_argument("name", metavar="NAME", help='category ("" for none)')
    p = b.add("add", cmd_server.category_add, "create a category", parent=category, aliases=["create"])
    p.add_argument("name", metavar="NAME", type=typed(_nonempty, "name"))
    p.add_argument("--save-path", metavar="PATH", help="save path for its torrents (qBittorrent 4.1.3+)")
    p = b.add("edit", cmd_server.category_edit, "change the save path of a category", parent=category)
    p.add_argument("name", metavar="NAME")
    p.add_argument("save_path", metavar="SAVE_PATH", help='new save path ("" for the default)')
    p = b.add("remove", cmd_server.category_remove, "delete categories", parent=category, aliases=["rm"])
    p.add_argument("names", nargs="+", metavar="NAME")

    tags = b.group("tags", "manage tags (qBittorrent 4.2+)")
    b.add("list", cmd_server.tags_list, "list tags", parent=tags, aliases=["ls"])
    p = b.add("create", cmd_server.tags_create, "create tags", parent=tags)
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = b.add("delete", cmd_server.tags_delete, "delete tags", parent=tags)
    p.add_argument("tags", nargs="+", metavar="TAG")
    for name, run, help in (
        ("add", cmd_server.tags_add, "tag torrents"),
        ("remove", cmd_server.tags_remove, "remove tags from torrents"),
    ):
        p = b.add(name, run, help, parent=tags)
        _refs(p)
        p.add_argument(
            "tags", type=typed(_tag_list, "tags"), metavar="TAG[,TAG]", help="comma-separated tags"
        )

    p = b.add("ban-peers", cmd_server.ban_peers, "ban peers by address")
    p.add_argument("peers", nargs="+", type=typed(_peer, "peer"), metavar="HOST:PORT")

    p = b.add("shutdown", cmd_server.shutdown, "shut the qBittorrent server down (asks first)")
    _yes(p)
    # No logout afterwards: the server is going away.
    p.set_defaults(confirm=lambda args: True, confirm_action="shut the server down", logout=False)


def _tag_list(text: str) -> list[str]:
    tags = values.split_list(text)
    if not tags:
        raise ValueError("no tags given")
    return tags


def _rate_options(parser: Parser) -> None:
    parser.add_argument(
        "--down", type=RATE, default=argparse.SUPPRESS, metavar="RATE", help=f"download limit, {RATE_HELP}"
    )
    parser.add_argument(
        "--up", type=RATE, default=argparse.SUPPRESS, metavar="RATE", help=f"upload limit, {RATE_HELP}"
    )

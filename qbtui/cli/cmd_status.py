"""`qbtui status`: one line for tmux's status-right or a shell prompt.

    set -g status-right '#(qbtui status)'      # ↓ 12.3 MiB/s ↑ 1.1 MiB/s ⚑ 3 active

One request per run (the active torrents; a second one only when the format shows {errored}), over a
session kept between runs (see qbtui.api.saved_session), and no Textual import: it has to be cheap
every few seconds.
"""

from __future__ import annotations

import string
from argparse import Namespace
from pathlib import Path

from qbtui.api import QbtApi
from qbtui.cli.errors import UsageError
from qbtui.cli.output import Output
from qbtui.util.units import format_rate

DEFAULT_FORMAT = "↓ {down} ↑ {up} ⚑ {active} active"
FIELDS = {
    "down": "download speed, human (12.3 MiB/s)",
    "up": "upload speed, human",
    "down_bytes": "download speed in bytes/s",
    "up_bytes": "upload speed in bytes/s",
    "active": "torrents transferring data",
    "downloading": "active torrents still downloading",
    "seeding": "active torrents seeding",
    "errored": "torrents in error or missing their files (as the sidebar's Errored counts them)",
    "servers": "with --server all or a group: how many servers answered (2/3 servers (nas down))",
}


def check_format(template: str) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise UsageError(f"--format: {exc}") from None
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        raise UsageError(f"--format: unknown field {{{unknown[0]}}}; known: {', '.join(FIELDS)}")


async def status(api: QbtApi, args: Namespace, out: Output) -> None:
    counts = await count_active(api, errored=_wants(args, "errored"))
    values = {"down": format_rate(counts["down_bytes"]), "up": format_rate(counts["up_bytes"]), **counts}
    out.emit(values, lambda: args.format.format(**values, servers="1/1 servers"))


async def count_active(api: QbtApi, *, errored: bool) -> dict[str, int]:
    """Speeds and counts of the active torrents: one request (two with `errored`)."""
    active = await api.torrents(filter="active")
    # A torrent in error moves no data, so the active list never holds one: ask for them apart.
    in_error = len(await api.torrents(filter="errored")) if errored else 0
    return {
        "down_bytes": sum(t.dl_speed or 0 for t in active),
        "up_bytes": sum(t.up_speed or 0 for t in active),
        "active": len(active),
        "downloading": sum(1 for t in active if not t.state.is_complete),
        "seeding": sum(1 for t in active if t.state.is_complete),
        "errored": in_error,
    }


def _wants(args: Namespace, field: str) -> bool:
    if getattr(args, "json", False):
        return True
    return any(name == field for _, name, _, _ in string.Formatter().parse(args.format))


def session_file(server: str | None = None) -> Path:
    """Beside the UI state: private to the user, not a config file. Several servers at once (a
    fleet): one file per server, by its config name."""
    from qbtui.settings.ui_state import state_path

    name = f"status-session-{server}.json" if server else "status-session.json"
    return state_path().with_name(name)

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
    active = await api.torrents(filter="active")
    # A torrent in error moves no data, so the active list never holds one: ask for them apart.
    errored = len(await api.torrents(filter="errored")) if _wants(args, "errored") else 0
    down = sum(t.dl_speed or 0 for t in active)
    up = sum(t.up_speed or 0 for t in active)
    values = {
        "down": format_rate(down),
        "up": format_rate(up),
        "down_bytes": down,
        "up_bytes": up,
        "active": len(active),
        "downloading": sum(1 for t in active if not t.state.is_complete),
        "seeding": sum(1 for t in active if t.state.is_complete),
        "errored": errored,
    }
    out.emit(values, lambda: args.format.format(**values))


def _wants(args: Namespace, field: str) -> bool:
    if getattr(args, "json", False):
        return True
    return any(name == field for _, name, _, _ in string.Formatter().parse(args.format))


def session_file() -> Path:
    """Beside the UI state: private to the user, not a config file."""
    from qbtui.settings.ui_state import state_path

    return state_path().with_name("status-session.json")

"""Which torrents a command acts on, and asking before destructive actions."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from qbtui.api import ALL, Hashes, QbtApi, errors
from qbtui.api.models import Torrent
from qbtui.cli.errors import UsageError
from qbtui.cli.format import clean

#: How many torrent names a confirmation prompt lists before "... and N more".
PROMPT_NAMES = 10


@dataclass(slots=True)
class Selection:
    """The torrents named on the command line: explicit ones (known to exist) or ALL."""

    hashes: Hashes
    torrents: list[Torrent] = field(default_factory=list)

    @property
    def is_all(self) -> bool:
        return self.hashes == ALL

    def describe(self) -> str:
        if self.is_all:
            return "all torrents"
        return plural(len(self.torrents), "torrent")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


async def resolve_one(api: QbtApi, ref: str) -> str:
    """A full hash for one reference; reading endpoints report an unknown hash themselves."""
    return (await api.resolve([ref]))[0]


def check_selection(refs: list[str], all_torrents: bool) -> None:
    """Usage errors about REF.../--all, raised before connecting."""
    if all_torrents and refs:
        raise UsageError("give torrent hashes or --all, not both")
    if not all_torrents and not refs:
        raise UsageError("name at least one torrent (full hash or a unique prefix), or use --all")


async def select(api: QbtApi, refs: list[str], all_torrents: bool) -> Selection:
    """Resolve hash references (full or unique prefix) and check that every torrent exists.

    `QbtApi.resolve` trusts a full 40-character hash, and most commands ignore unknown hashes
    silently, so the CLI looks them up: a typo must not pass for success.
    """
    check_selection(refs, all_torrents)
    if all_torrents:
        return Selection(ALL)
    hashes = list(dict.fromkeys(await api.resolve(refs)))
    found = {t.hash: t for t in await api.torrents(hashes=hashes)}
    missing = [h for h in hashes if h not in found]
    if missing:
        raise errors.TorrentNotFound(f"no torrent with hash {missing[0]}")
    return Selection(hashes, [found[h] for h in hashes])


async def single(api: QbtApi, ref: str) -> Torrent:
    """One existing torrent, for commands whose endpoints take a single hash."""
    return (await select(api, [ref], False)).torrents[0]


def ensure_can_confirm(assume_yes: bool, action: str, stdin: TextIO | None = None) -> None:
    """Refuse up front (exit 2) when nobody can be asked: before any connection is made."""
    stdin = stdin if stdin is not None else sys.stdin
    if not assume_yes and not _is_tty(stdin):
        raise UsageError(f"refusing to {action} without --yes (stdin is not a terminal to ask on)")


def confirm(
    question: str,
    names: list[str],
    assume_yes: bool,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Ask on the terminal; anything but y/yes aborts with exit 2 and nothing done."""
    if assume_yes:
        return
    stdin = stdin if stdin is not None else sys.stdin
    stderr = stderr if stderr is not None else sys.stderr
    ensure_can_confirm(assume_yes, question.rstrip("?").lower(), stdin)
    lines = [question]
    lines += [f"  {clean(name)}" for name in names[:PROMPT_NAMES]]
    if len(names) > PROMPT_NAMES:
        lines.append(f"  … and {len(names) - PROMPT_NAMES} more")
    stderr.write("\n".join(lines) + "\n[y/N] ")
    stderr.flush()
    answer = stdin.readline()
    if answer.strip().lower() not in ("y", "yes"):
        if not answer:
            stderr.write("\n")
        raise UsageError("not confirmed; nothing was changed")


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False

"""Whether anyone can see the app (issue 18): nobody looks at a detached tmux or screen session, nor
at a terminal that reported focus out, and polling qBittorrent for them only costs its CPU.

Three signs, each cheap:

- tmux and GNU screen mark their socket executable by its owner while a client is attached (that is
  how `tmux ls` and `screen -ls` tell attached from detached): one `stat` every couple of seconds.
  tmux's bit is per tmux server (any attached session sets it), screen's per session.
- The terminal's focus reports (DEC mode 1004, which Textual turns on): the UI passes them in.
- Input (a key, the mouse): someone is there, whatever the other signs say, for a while.

A multiplexer that has never been seen attached since the app started does not count as detached:
a session started detached (`tmux new -d`, scripts, tests) keeps the normal rate until someone has
attached and left again.

No Textual here: the UI feeds focus and input, and asks `seen`.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: The poll interval while nobody looks (seconds; the config's `unseen_interval`, 0 = never quiet).
UNSEEN_INTERVAL = 120.0
#: How often the UI looks at the multiplexers' sockets (a `stat` each).
LOOK_EVERY = 2.0
#: After a key or a click, someone is there for this long, detached or not (`tmux send-keys`).
INPUT_GRACE = 30.0


@dataclass(slots=True)
class Multiplexer:
    """A terminal multiplexer session the app runs in, known by its socket."""

    name: str  # "tmux" or "screen"
    socket: Path
    #: Seen attached at least once since the app started.
    was_attached: bool = False

    def attached(self) -> bool | None:
        """Whether a client is attached (None: the socket is gone or unreadable)."""
        try:
            mode = os.stat(self.socket).st_mode
        except OSError:
            return None
        return bool(mode & stat.S_IXUSR)


def find_multiplexers(environ: Mapping[str, str]) -> list[Multiplexer]:
    """The tmux and screen sessions around the app, from the variables they set for their panes."""
    found: list[Multiplexer] = []
    tmux = environ.get("TMUX", "")
    # TMUX is "socket path,server pid,session index".
    socket = tmux.split(",", 1)[0]
    if socket:
        found.append(Multiplexer("tmux", Path(socket)))
    session = environ.get("STY", "")
    if session and "/" not in session:
        directory = _screen_dir(environ)
        if directory is not None:
            found.append(Multiplexer("screen", directory / session))
    return found


def _screen_dir(environ: Mapping[str, str]) -> Path | None:
    """GNU screen's socket directory: $SCREENDIR, else the first of the usual places that exists."""
    if environ.get("SCREENDIR"):
        return Path(environ["SCREENDIR"])
    user = environ.get("USER") or environ.get("LOGNAME")
    if not user:
        return None
    for base in ("/run/screen", "/var/run/screen", "/tmp/screens", "/tmp/uscreens"):
        candidate = Path(base) / f"S-{user}"
        if candidate.is_dir():
            return candidate
    return None


@dataclass(slots=True)
class Visibility:
    multiplexers: list[Multiplexer] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    grace: float = INPUT_GRACE
    #: The terminal's last focus report (True until it reports focus out).
    focused: bool = True
    _detached: bool = False
    _last_input: float | None = None

    def look(self) -> None:
        """Ask the multiplexers again (a `stat` each)."""
        detached = False
        for mux in self.multiplexers:
            attached = mux.attached()
            if attached:
                mux.was_attached = True
            elif attached is False and mux.was_attached:
                detached = True
        self._detached = detached

    def saw_input(self) -> None:
        self._last_input = self.clock()

    def since_input(self) -> float:
        """Seconds since the last key, paste or mouse event (infinite before the first)."""
        return float("inf") if self._last_input is None else self.clock() - self._last_input

    @property
    def detached(self) -> bool:
        return self._detached

    @property
    def seen(self) -> bool:
        if self._last_input is not None and self.clock() - self._last_input < self.grace:
            return True
        return self.focused and not self._detached

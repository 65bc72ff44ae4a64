"""The words for pausing a torrent, by server: qBittorrent 5.0 (WebAPI 2.11) renamed pause/resume to
stop/start, so on 5.x servers the UI and CLI say Stop/Start/Stopped, as qBittorrent itself does, and
Pause/Resume/Paused on older ones. The keys and command names do not change. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass

from qbtui.api.models import ServerInfo


@dataclass(frozen=True, slots=True)
class Wording:
    pause: str
    resume: str
    paused: str
    resumed: str
    toggle: str


PAUSE_WORDS = Wording("Pause", "Resume", "Paused", "Resumed", "Pause/Resume")
STOP_WORDS = Wording("Stop", "Start", "Stopped", "Started", "Stop/Start")


def wording(info: ServerInfo | None) -> Wording:
    return STOP_WORDS if info is not None and info.uses_stop_start else PAUSE_WORDS


def status_label(name: str, info: ServerInfo | None) -> str:
    """A sidebar status filter's label: `paused` reads Stopped on 5.x servers."""
    if name == "paused":
        return wording(info).paused
    if name == "resumed" and info is not None and info.uses_stop_start:
        return "Running"
    return name.title()


def reword(text: str, words: Wording) -> str:
    """A key's description in the server's words ("Pause/Resume" reads "Stop/Start" on 5.x)."""
    if words is PAUSE_WORDS:
        return text
    for old, new in (("Pause", words.pause), ("Resume", words.resume)):
        text = text.replace(old, new).replace(old.lower(), new.lower())
    return text

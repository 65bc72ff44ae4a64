"""qBittorrent 5.0 renamed pause/resume to stop/start (WebAPI 2.11): the UI says what the server says."""

from __future__ import annotations

from dataclasses import dataclass

from qbtui.api.models import ServerInfo


@dataclass(frozen=True, slots=True)
class Wording:
    pause: str
    resume: str
    paused: str
    resumed: str


PAUSE_RESUME = Wording("pause", "resume", "paused", "resumed")
STOP_START = Wording("stop", "start", "stopped", "started")


def wording(info: ServerInfo | None) -> Wording:
    return STOP_START if info is not None and info.uses_stop_start else PAUSE_RESUME

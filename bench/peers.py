"""Other clients the benchmark runs beside qbtui, each in a virtualenv of its own (never qbtui's).

qbittorrentui (a urwid TUI for qBittorrent) is the peer of issue 18: the same real server, the same
windows, its CPU per poll beside ours. It is installed from PyPI with every package pinned (its own
requirements are loose: qbittorrent-api unpinned), so each run measures the same program. The
virtualenv lives in the user's cache (`$QBTUI_BENCH_CACHE`, default ~/.cache/qbtui-bench), is made
on first use (~20 s) and kept; it is not a project dependency and not in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

QBITTORRENTUI_VERSION = "0.3.11"
#: What `pip install qbittorrentui==0.3.11` resolved to when the peer was added (2026-11-30).
QBITTORRENTUI_PINS = (
    f"qbittorrentui=={QBITTORRENTUI_VERSION}",
    "qbittorrent-api==2026.10.1",
    "urwid==3.0.3",
    "urwid_readline==0.15.1",
    "urwid_utils==0.1.2",
    "panwid==0.3.5",
    "blinker==1.9.0",
    "raccoon==3.3.1",
    "orderedattrdict==1.6.0",
    "tabulate==0.10.0",
    "platformdirs==4.14.9",
    "requests==2.34.2",
    "urllib3==2.8.0",
    "wcwidth==0.9.5",
    "six==1.17.0",
    "packaging==26.4",
)


def cache_dir() -> Path:
    return Path(os.environ.get("QBTUI_BENCH_CACHE") or Path.home() / ".cache" / "qbtui-bench")


def qbittorrentui_python() -> Path:
    """The interpreter of a virtualenv holding the pinned qbittorrentui (made when missing)."""
    venv = cache_dir() / f"qbittorrentui-{QBITTORRENTUI_VERSION}"
    python = venv / "bin" / "python"
    marker = venv / "pins.txt"
    wanted = "\n".join(QBITTORRENTUI_PINS)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *QBITTORRENTUI_PINS],
        check=True,
    )
    marker.write_text(wanted)
    return python


def qbittorrentui_config(path: Path, url: str, username: str, password: str, interval: int) -> None:
    """Its ini file (it takes no password from the environment): private, in the run's temp dir."""
    host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
    text = (
        "[bench]\n"
        f"HOST = {host}\nPORT = {port}\nUSERNAME = {username}\nPASSWORD = {password}\n"
        f"DAEMON_LOOP_INTERVAL = {interval}\nCONNECT_AUTOMATICALLY = 1\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)

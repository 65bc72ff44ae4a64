"""`--demo`: a simulated qBittorrent 4.0.4 in a background thread, for trying qbtui without a server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qbtui.api import ConnectionSettings

#: The simulator's account, qBittorrent's historical defaults.
DEMO_USERNAME = "admin"
DEMO_PASSWORD = "adminadmin"


@contextmanager
def demo_server() -> Iterator[str]:
    """Start a fresh simulator; yields its URL and stops it on exit."""
    # Imported here so that ordinary CLI runs never load the simulator.
    from qbtui.sim import SimConfig, Simulator, run_in_thread

    simulator = Simulator(SimConfig())
    with run_in_thread(simulator) as url:
        yield url


def demo_settings(url: str, base: ConnectionSettings) -> ConnectionSettings:
    """Connection settings for the simulator, keeping the user's Referer policy and timeout."""
    return ConnectionSettings(
        url=url,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        referer=base.referer,
        timeout=base.timeout,
    )

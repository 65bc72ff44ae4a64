"""pytest fixtures for the legacy simulator (qbtui.sim): deterministic config, in-process, served.

- `sim_config`      a seeded SimConfig on a ManualClock at DEFAULT_EPOCH (time stands still unless advanced)
- `sim`             a Simulator built from `sim_config`
- `sim_server`      the simulator served over real HTTP on loopback from a background thread
                    (`.url`, `.port`, `.sim`, `.stop()`); a plain fixture, so async tests and
                    `request.getfixturevalue` inside async fixtures can both use it
- `sim_thread_url`  the simulator served from a background thread (for subprocess tests); yields the URL
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread


@pytest.fixture
def sim_config() -> SimConfig:
    return SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH))


@pytest.fixture
def sim(sim_config: SimConfig) -> Simulator:
    return Simulator(sim_config)


@pytest.fixture
def sim_server(sim: Simulator) -> Iterator[ThreadedServer]:
    with serve_in_thread(sim) as server:
        yield server


@pytest.fixture
def sim_thread_url(sim_server: ThreadedServer) -> str:
    return sim_server.url

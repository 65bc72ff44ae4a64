"""Fixtures: the simulator in hostile mode, in-process and served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread


@pytest.fixture
def hostile_sim() -> Simulator:
    return Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), hostile=True))


@pytest.fixture
def hostile_server(hostile_sim: Simulator) -> Iterator[ThreadedServer]:
    with serve_in_thread(hostile_sim) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "toasts: show toasts (notifications) in a Pilot test")

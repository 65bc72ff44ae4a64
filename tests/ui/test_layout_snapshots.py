"""The torrent table at the terminal sizes people use, on a seeding box and on a downloading one.

Each shot is the main screen of a deterministic simulator (seeded, clock frozen) whose hand-made
torrents are nearly all complete (`demo_mix="seeding"`) or nearly all unfinished ("downloading").
Below 100 columns the sidebar hides itself; from 100 on it takes 30 columns of the width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.test_snapshots import frozen_now, loaded, snapshot_app  # noqa: F401 (frozen_now: a fixture)

SIZES = [(80, 24), (100, 30), (120, 40), (160, 45)]


@pytest.fixture(params=["seeding", "downloading"])
def mix_url(request: pytest.FixtureRequest) -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0), demo_mix=request.param))
    with run_in_thread(sim) as url:
        yield url


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_table_at_size(snap_compare, mix_url, tmp_path, frozen_now, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(mix_url, tmp_path), run_before=loaded, terminal_size=size)

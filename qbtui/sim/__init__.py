"""A simulated qBittorrent 4.0.4 speaking the legacy WebUI API: the `--demo` server and the tests' double.

    sim = Simulator(SimConfig(seed=7, clock=ManualClock()))
    response = sim.handle(SimRequest("GET", "/version/api"))      # no I/O
    async with serve(sim) as server: ...                           # real HTTP on loopback
    with run_in_thread(sim) as url: ...                            # real HTTP from a thread
    with serve_in_thread(sim) as server: ...                       # the same, with .url/.port/.stop()
    Simulator(SimConfig(hostile=True))                             # hostile data and answers (sim.hostile)

Nothing here imports Textual.
"""

from qbtui.sim.config import DEFAULT_EPOCH, ManualClock, SimConfig
from qbtui.sim.model import SimTorrent
from qbtui.sim.server import SimServer, ThreadedServer, run_in_thread, serve, serve_in_thread
from qbtui.sim.simulator import Simulator
from qbtui.sim.wire import SimRequest, SimResponse

__all__ = [
    "DEFAULT_EPOCH",
    "ManualClock",
    "SimConfig",
    "SimRequest",
    "SimResponse",
    "SimServer",
    "SimTorrent",
    "Simulator",
    "ThreadedServer",
    "run_in_thread",
    "serve",
    "serve_in_thread",
]

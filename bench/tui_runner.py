"""`python -m bench.tui_runner TRACE -- QBTUI-ARGS...`: the real `qbtui` command, with the probe.

The benchmark starts this inside tmux instead of `python -m qbtui`: the same CLI path and app, plus
`bench.probe`'s hooks. When the app exits (the benchmark sends `q`) the probe's records go to TRACE
as JSON. BENCH_LAUNCH_WALL (time.time() when the launcher spawned us) anchors first paint.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] != "--":
        print("usage: python -m bench.tui_runner TRACE -- QBTUI-ARGS...", file=sys.stderr)
        return 2
    trace, qbtui_args = Path(argv[0]), argv[2:]
    from bench import probe

    recorder = probe.install()
    launched = os.environ.get("BENCH_LAUNCH_WALL")
    recorder.launch_wall = float(launched) if launched else None
    recorder.freeze_gc = os.environ.get("BENCH_GC_FREEZE") == "1"
    from qbtui.cli import main as qbtui_main

    try:
        return qbtui_main(qbtui_args)
    finally:
        recorder.dump(trace)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""`qbtui status` as tmux runs it: a fresh process each time, against a busy server.

tmux's `#(qbtui status)` starts the command anew every `status-interval` seconds, so what counts is
the whole process: interpreter start, imports, reading the saved session, one request, one line out.
Each run here is the real console script (`qbtui`, the one `pip install` puts on PATH) in a child
process with its own config and state directories; the first run logs in and saves the session
(reported apart as `status_first_run_ms`), the next `runs` reuse it, as tmux would.

Per run: wall time from spawn to exit (Popen → wait4), the child's own user + system CPU from
wait4's rusage, and the requests it made: counted by the simulator's accounting
(`/__bench/stats`, reset before each run) or, on qbittorrent-nox, from one extra run's `--debug-log`.
Not its memory: wait4's peak RSS counts the benchmark's own pages from before the child's exec
(hundreds of MB after the 50,000-torrent scenarios), so it says nothing about `qbtui status`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import PASSWORD_ENV, ROOT, Server, SimProcess
from bench.results import Metric, Run
from bench.stats import median, p95

#: One exchange in `--debug-log`: `qbtui.http DEBUG GET http://host/path?query | headers…`.
_REQUEST_LINE = re.compile(r" qbtui\.http DEBUG (?:GET|POST) \S+?//[^/\s]+(/[^?\s|]*)")


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    output: str


@dataclass
class Series:
    first: Sample
    samples: list[Sample] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)  # per run
    paths: Counter[str] = field(default_factory=Counter)  # over every counted run


def _command() -> list[str]:
    """The console script next to this interpreter (what tmux finds on PATH), else `-m qbtui`."""
    script = Path(sys.executable).with_name("qbtui")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qbtui"]


class StatusRunner:
    """Runs `qbtui status` against one server with a private config, state dir and saved session."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.workdir = Path(tempfile.mkdtemp(prefix="qbtui-bench-status-"))
        self.env = dict(
            os.environ,
            **{
                PASSWORD_ENV: server.password,
                # Neither the user's config nor their saved status session: a throwaway of each.
                "QBTUI_CONFIG": str(self.workdir / "config.toml"),
                "QBTUI_STATE_DIR": str(self.workdir / "state"),
            },
        )
        self.env.pop("QBTUI_PASSWORD", None)

    def run(self, *extra: str) -> Sample:
        args = [
            *_command(), "--url", self.server.url, "--username", self.server.username,
            "--password-env", PASSWORD_ENV, *extra, "status",
        ]  # fmt: skip
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            process = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors
            )
            assert process.stdout is not None
            output = process.stdout.read()
            # wait4, not wait(): the rusage of this child alone (RUSAGE_CHILDREN would add every
            # child the suite ever reaped, simulators included).
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            process.stdout.close()
            if process.returncode != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()
                raise RuntimeError(f"qbtui status exited {process.returncode}: {message}")
        return Sample(wall, usage.ru_utime + usage.ru_stime, output.decode().strip())

    def requests_from_debug_log(self) -> Counter[str]:
        """One more run with `--debug-log`: which paths it requested (not timed: the log costs time)."""
        log = self.workdir / "debug.log"
        log.unlink(missing_ok=True)
        self.run("--debug-log", str(log))
        return Counter(match[1] for match in _REQUEST_LINE.finditer(log.read_text()))

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def run(out: Run, size: int, *, runs: int) -> None:
    """Against the simulator (~2 % of the torrents active, churning) in its own process."""
    simulator = SimProcess(size)
    with simulator as server:
        runner = StatusRunner(server)
        try:
            series = Series(runner.run())
            for _ in range(runs):
                simulator.stats(reset=True)
                series.samples.append(runner.run())
                paths = simulator.stats()["paths"]
                counted = Counter({path: stats["requests"] for path, stats in paths.items()})
                series.requests.append(sum(counted.values()))
                series.paths.update(counted)
        finally:
            runner.close()
    _metrics(out, "status", size, series)


def run_on_nox(out: Run, size: int, *, runs: int) -> None:
    """Against a real qbittorrent-nox holding `size` stopped torrents (the nox scenario's server)."""
    from bench.scenarios.nox import nox_server

    with nox_server(size) as server:
        runner = StatusRunner(server)
        try:
            series = Series(runner.run())
            series.samples = [runner.run() for _ in range(runs)]
            paths = runner.requests_from_debug_log()
            series.requests = [sum(paths.values())]
            series.paths = paths
        finally:
            runner.close()
    _metrics(out, "status-nox", size, series)


def _metrics(out: Run, scenario: str, size: int, series: Series) -> None:
    walls = [s.wall_s * 1000 for s in series.samples]
    cpus = [s.cpu_s * 1000 for s in series.samples]
    n = f"n={len(walls)}"
    shown = f"{n}; prints {series.samples[-1].output!r}" if series.samples else n
    out.add(Metric(scenario, "status_ms", size, median(walls), "ms", samples=walls, note=shown))
    out.add(Metric(scenario, "status_p95_ms", size, p95(walls), "ms", stat="p95", samples=walls, note=n))
    out.add(Metric(scenario, "status_cpu_ms", size, median(cpus), "ms", samples=cpus, note=n))
    out.add(
        Metric(
            scenario,
            "status_requests",
            size,
            max(series.requests),
            "",
            stat="max",
            samples=[float(r) for r in series.requests],
            note=", ".join(f"{p} ×{c}" for p, c in sorted(series.paths.items())),
        )
    )
    out.add(
        Metric(
            scenario,
            "status_first_run_ms",
            size,
            series.first.wall_s * 1000,
            "ms",
            stat="once",
            note="logs in, detects the API, saves the session",
        )
    )

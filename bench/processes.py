"""Child processes of a run: the simulator server, the floor client and the app inside tmux.

Every process started here is stopped here, by its own pid (tmux by its private socket).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import procfs

ROOT = Path(__file__).resolve().parent.parent
PASSWORD_ENV = "BENCH_QBT_PASSWORD"


def _python() -> str:
    return sys.executable


def _stop(process: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


@dataclass
class Server:
    """Where a client connects: URL, credentials and which API generation it speaks."""

    url: str
    username: str
    password: str
    api: str  # "legacy" or "v2"
    pid: int | None = None


class SimProcess:
    """`python -m bench.simserver` in a child process."""

    def __init__(
        self,
        torrents: int,
        *,
        churn_every: float = 1.5,
        churn: int = 3,
        seed: int = 6,
        active_fraction: float = 0.02,
    ) -> None:
        self.args = [
            _python(), "-m", "bench.simserver", "--torrents", str(torrents), "--seed", str(seed),
            "--churn-every", str(churn_every), "--churn-add", str(churn), "--churn-remove", str(churn),
            "--active-fraction", str(active_fraction),
        ]  # fmt: skip
        self.process: subprocess.Popen[str] | None = None
        self.server: Server | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            _stop(self.process)
            raise RuntimeError("the simulator process exited before listening")
        info = json.loads(line)
        self.server = Server(info["url"], info["username"], info["password"], "legacy", self.process.pid)
        return self.server

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            _stop(self.process)

    def stats(self, reset: bool = False) -> dict[str, Any]:
        assert self.server is not None
        path = "/__bench/reset" if reset else "/__bench/stats"
        reply = httpx.get(self.server.url + path, timeout=60, trust_env=False)
        reply.raise_for_status()
        result: dict[str, Any] = reply.json()
        return result


@contextlib.contextmanager
def floor_client(server: Server, interval: float) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ, **{PASSWORD_ENV: server.password})
    args = [
        _python(), "-m", "bench.floor", "--url", server.url, "--username", server.username,
        "--password-env", PASSWORD_ENV, "--api", server.api, "--interval", str(interval),
    ]  # fmt: skip
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    try:
        yield process
    finally:
        _stop(process)


_COUNT = re.compile(r"(\d[\d,]*)(?:/[\d,]+)? torrents")


class TmuxApp:
    """qbtui (through bench.tui_runner) in a detached tmux session on a private tmux server."""

    def __init__(
        self,
        server: Server,
        *,
        width: int = 160,
        height: int = 45,
        extra_env: dict[str, str] | None = None,
        module: str | None = None,
        argv: list[str] | None = None,
    ) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.server = server
        self.socket = f"qbtui-bench-{os.getpid()}-{secrets.token_hex(3)}"
        self.size = (width, height)
        self.workdir = Path(tempfile.mkdtemp(prefix="qbtui-bench-"))
        self.trace_path = self.workdir / "trace.json"
        self.pid: int | None = None
        self.launched_wall = 0.0
        self.extra_env = extra_env or {}
        #: Another program to run instead of qbtui (`python -m MODULE`, same arguments, no trace).
        self.module = module
        #: Another program altogether (its whole command line; no qbtui arguments, no trace).
        self.argv = argv

    def tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False, timeout=30
        )
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def start(self) -> None:
        qbtui_args = [
            "--url", self.server.url, "--username", self.server.username, "--password-env", PASSWORD_ENV,
        ]  # fmt: skip
        program = (
            ["-m", self.module, *qbtui_args, "--api", self.server.api]
            if self.module
            else ["-m", "bench.tui_runner", str(self.trace_path), "--", *qbtui_args]
        )
        command = " ".join(["exec", *(map(shlex.quote, self.argv) if self.argv else [_python(), *program])])
        self.launched_wall = time.time()
        env = dict(
            os.environ,
            **{
                PASSWORD_ENV: self.server.password,
                "BENCH_LAUNCH_WALL": repr(self.launched_wall),
                # The app's remembered columns/sort go to a throwaway directory, not the user's.
                "QBTUI_STATE_DIR": str(self.workdir),
                "TERM": "xterm-256color",
                **self.extra_env,
            },
        )
        width, height = self.size
        subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench",
             "-x", str(width), "-y", str(height), "-c", str(ROOT), command],
            env=env, check=True, timeout=30,
        )  # fmt: skip
        self.pid = int(self.tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "bench", check=False)

    def wait_for_torrents(self, timeout: float = 120.0, every: float = 0.05) -> float:
        """Poll the pane until the status bar counts torrents; the wall time it first did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            match = _COUNT.search(text)
            if match and int(match.group(1).replace(",", "")) > 0:
                return time.time()
            if self.pid is not None and not procfs.alive(self.pid):
                raise RuntimeError(f"qbtui exited in tmux:\n{text}")
            time.sleep(every)
        raise RuntimeError(f"no torrents on screen after {timeout:.0f} s:\n{self.screen()}")

    def send_keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "bench", *keys)

    def quit(self, timeout: float = 20.0) -> dict[str, Any]:
        """Press q, wait for the app to exit, and return its probe trace."""
        self.send_keys("q")
        deadline = time.monotonic() + timeout
        while not self.trace_path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not self.trace_path.exists():
            raise RuntimeError(f"qbtui did not exit on q:\n{self.screen()}")
        result: dict[str, Any] = json.loads(self.trace_path.read_text())
        return result

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> TmuxApp:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

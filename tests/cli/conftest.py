"""Fixtures for CLI tests: an in-process runner over a mocked API, and the two kinds of real server."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import qbtui.cli
from qbtui.cli import main
from tests.cli.helpers import FakeServer, run_qbtui
from tests.support.noxfix import nox_for, nox_params


@dataclass
class Result:
    code: int
    out: str
    err: str


class FakeTty(io.StringIO):
    """A stdin that claims to be a terminal, with the user's answers queued up."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    server = FakeServer()
    monkeypatch.setattr(qbtui.cli, "connect", server.connect)
    return server


@pytest.fixture
def cli(
    fake: FakeServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """`cli("list", "--all", stdin="y\\n")`: run main() in-process; stdin is a TTY only when given."""
    for name in ("QBTUI_URL", "QBTUI_USERNAME", "QBTUI_PASSWORD"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
        monkeypatch.setattr("sys.stdin", FakeTty(stdin) if stdin is not None else io.StringIO(""))
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


# --------------------------------------------------------------------------------------------- real servers


@dataclass
class Server:
    """A running server and how to reach it; `run()` invokes the CLI as a subprocess against it."""

    kind: str  # "sim" (legacy simulator) or "nox" (qbittorrent-nox 4.5.2)
    url: str
    username: str
    password: str

    def run(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
        return run_qbtui(
            "--url",
            self.url,
            "--username",
            self.username,
            *args,
            env={"QBTUI_PASSWORD": self.password, **(env or {})},
            input=input,
        )

    def json(self, *args: str) -> Any:
        import json

        result = self.run("--json", *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(params=["sim", *nox_params("nox")])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    if request.param == "sim":
        url = request.getfixturevalue("sim_thread_url")
        yield Server("sim", url, "admin", "adminadmin")
    else:
        nox = nox_for(request)
        yield Server("nox", nox.url, nox.username, nox.password)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    assert result.stderr == ""
    return result

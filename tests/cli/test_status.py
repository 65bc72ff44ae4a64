"""`qbtui status`: one line, one request per run over a session kept between runs (no login each
time), a --format template, and no Textual import."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.noxfix import nox_for, nox_params

ROOT = Path(__file__).resolve().parents[2]


def status(
    url: str, user: str, password: str, state: Path, *after: str, log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QBTUI_PASSWORD": password, "QBTUI_STATE_DIR": str(state)}
    before = ["--debug-log", str(log)] if log else []
    return subprocess.run(
        [sys.executable, "-m", "qbtui", "--url", url, "--username", user, *before, "status", *after],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture(params=["legacy", *nox_params("v2")])
def server(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    if request.param == "legacy":
        return request.getfixturevalue("sim_thread_url"), "admin", "adminadmin"
    nox = nox_for(request)
    return nox.url, nox.username, nox.password


def test_one_line_and_one_request_after_the_first_run(server: tuple[str, str, str], tmp_path: Path) -> None:
    url, user, password = server
    state = tmp_path / "state"
    first_log = tmp_path / "first.log"
    first = status(url, user, password, state, log=first_log)
    assert first.returncode == 0, first.stderr
    assert any("login" in line for line in first_log.read_text().splitlines())
    line = first.stdout
    assert line.count("\n") == 1 and line.startswith("↓ ") and " active" in line
    session = state / "status-session.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert password not in session.read_text()
    log = tmp_path / "debug.log"
    second = status(url, user, password, state, log=log)
    assert second.returncode == 0, second.stderr
    sent = [line for line in log.read_text().splitlines() if "login" in line]
    assert sent == [], "the second run logged in again"
    custom = status(url, user, password, state, "--format", "{active}/{down_bytes}")
    assert custom.returncode == 0 and custom.stdout.strip().split("/")[0].isdigit()
    bad = status(url, user, password, state, "--format", "{nope}")
    assert bad.returncode == 2 and "unknown field {nope}" in bad.stderr


def test_an_expired_saved_session_logs_in_once_and_carries_on(sim_thread_url: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "status-session.json").write_text("{not json")
    assert status(sim_thread_url, "admin", "adminadmin", state).returncode == 0
    data = (state / "status-session.json").read_text()
    stale = data.replace('"SID": "', '"SID": "stale')
    (state / "status-session.json").write_text(stale)
    again = status(sim_thread_url, "admin", "adminadmin", state)
    assert again.returncode == 0 and "active" in again.stdout


def test_status_does_not_import_textual() -> None:
    code = "import sys, qbtui.cli.cmd_status, qbtui.api.saved_session; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"

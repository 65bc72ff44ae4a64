"""The config file from the command line: servers by name, broken files named by line, --serve,
and the first-run connection screen that saves a working server (0600)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
from textual.widgets import Button, Checkbox, Input

from qbtui.settings.config import load_config
from qbtui.ui.screens.connection import ConnectionScreen
from tests.ui.helpers import connection_screen, make_app, until

ROOT = Path(__file__).resolve().parents[2]


def qbtui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qbtui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_a_named_server_from_the_config(sim_thread_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[servers.demo]\nurl = "{sim_thread_url}"\nusername = "admin"\npassword_env = "DEMO_PW"\n'
        '[servers.other]\nurl = "http://127.0.0.1:9"\n'
    )
    done = qbtui("--config", str(config), "--server", "demo", "version", env={"DEMO_PW": "adminadmin"})
    assert done.returncode == 0, done.stderr
    assert "4.0.4" in done.stdout
    missing = qbtui("--config", str(config), "--server", "nope", "version")
    assert (
        missing.returncode == 2 and "no [servers.nope]" in missing.stderr and "demo, other" in missing.stderr
    )
    unset = qbtui("--config", str(config), "--server", "demo", "version", env={"DEMO_PW": ""})
    assert unset.returncode in (0, 1, 3)  # an empty password is still a password: the server decides


def test_a_broken_config_names_the_line_and_is_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[servers.a]\nurl = "http://x"\ntimeout = "soon"\n')
    done = qbtui("--config", str(config), "version")
    assert done.returncode == 2
    assert "line 3" in done.stderr and "timeout must be a number" in done.stderr
    assert "Traceback" not in done.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_binds_loopback_warns_and_serves_the_page(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtui", "--demo", "--serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2, trust_env=False)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "--serve never answered"
                time.sleep(0.3)
        assert page.status_code == 200 and "qbtui" in page.text
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert b"adminadmin" not in cmdline
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert "loopback only" in stderr and "no login of its own" in stderr


async def test_the_first_poll_may_answer_before_the_connection_screen_is_composed(tmp_path: Path) -> None:
    """The first run's connection screen is pushed while the first poll is on its way; a fast server
    reported "connected" into a screen without children yet (NoMatches ended the app, CI dry run)."""
    from qbtui.api import ConnectionSettings

    settings = ConnectionSettings(url="http://127.0.0.1:9/", username="admin")
    screen = ConnectionScreen("Connecting…", settings, refused=False, first_run=True)
    screen.connected("http://127.0.0.1:9/")  # before compose: must not raise
    screen.show_problem("Still nothing", refused=False)
    screen.connected("http://127.0.0.1:9/")
    app = make_app("http://127.0.0.1:9/", state_dir=tmp_path)
    async with app.run_test(size=(120, 44)) as pilot:
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.problem_text().startswith("Connected to http://127.0.0.1:9/")
        assert not screen.query_one("#connection-problem").has_class("error")


async def test_first_run_connects_then_saves_the_server_privately(sim_server, tmp_path: Path) -> None:
    config = tmp_path / "qbtui" / "config.toml"
    app = make_app(sim_server.url, state_dir=tmp_path, config_path=config, first_run=True)
    async with app.run_test(size=(120, 44)) as pilot:
        await connection_screen(pilot, what="first-run screen")
        screen = app.screen
        assert isinstance(screen, ConnectionScreen) and screen.first_run
        await until(pilot, lambda: len(app.view) > 0, what="connected behind the screen")
        await until(pilot, lambda: "Connected to" in screen.problem, what="connected note")
        assert app.screen is screen  # it stays, so the user can save
        screen.query_one("#connection-name", Input).value = "home"
        screen.query_one("#connection-store-password", Checkbox).value = True
        screen.query_one("#connection-save", Button).press()
        await until(pilot, lambda: config.exists(), what="saved")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    saved = load_config(config)
    assert saved.default_server == "home"
    server = saved.servers["home"]
    assert server.url == sim_server.url and server.username == "admin"
    assert server.password.plain == "adminadmin"

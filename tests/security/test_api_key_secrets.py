"""The API key (qBittorrent 5.2+) appears nowhere: not on screen (main, preferences, server actions,
the new-key dialog until the user asks to see it), not in a crash report, not in the debug log, not
in any process's command line. Against the real 5.3.0 server, the one with API keys."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbtui.api import ConnectionSettings, connect
from qbtui.ui.screens.api_key import NewApiKeyScreen
from qbtui.ui.screens.server_actions import ServerActionsScreen
from tests.cli.helpers import clean_environ
from tests.security.evidence import Evidence, cmdline, process_tree, spellings
from tests.support.noxfix import NoxPool
from tests.support.noxserver import NoxInstance

pytestmark = pytest.mark.nox


@pytest.fixture
def nox53(nox_pool: NoxPool) -> Iterator[NoxInstance]:
    nox = nox_pool.clean("5.3.0")
    yield nox
    asyncio.run(_delete_key(nox))


async def _password_api(nox: NoxInstance):  # type: ignore[no-untyped-def]
    return await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))


async def _make_key(nox: NoxInstance) -> str:
    api = await _password_api(nox)
    try:
        return str(await api.rotate_api_key())
    finally:
        await api.close()


async def _delete_key(nox: NoxInstance) -> None:
    api = await _password_api(nox)
    try:
        await api.delete_api_key()
    finally:
        await api.close()


def key_spellings(key: str) -> dict[str, set[str]]:
    return {"API key": spellings(key, key[4:])}


def test_tui_with_a_key_shows_and_leaves_it_nowhere(
    nox53: NoxInstance, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from textual.widgets import Input, TabbedContent

    from qbtui.api.target import ServerTarget
    from qbtui.settings.ui_state import UiState
    from qbtui.ui.app import QbtuiApp
    from qbtui.ui.screens.preferences import control_id
    from tests.ui.helpers import until

    key = asyncio.run(_make_key(nox53))
    evidence = Evidence()
    rotated: list[str] = []

    async def run() -> None:
        settings = ConnectionSettings(url=nox53.url, api_key=key, timeout=5)
        app = QbtuiApp(ServerTarget(settings), interval=0.3, ui_state=UiState())
        async with app.run_test(size=(140, 40)) as pilot:
            await until(pilot, lambda: app.poller.polls >= 2, timeout=20, what="two polls with the key")
            evidence.add("main screen", app.export_screenshot())
            await pilot.press("comma")
            field = "#" + control_id("web_ui_api_key")
            await until(pilot, lambda: bool(app.screen.query(field)), timeout=15, what="preferences")
            assert app.screen.query_one(field, Input).value == "set (never shown)"
            app.screen.query_one(TabbedContent).active = "tab-web_ui"
            await until(pilot, lambda: "Web UI API key" in app.export_screenshot().replace("&#160;", " "))
            shot = app.export_screenshot()
            assert "set (never shown)" in shot.replace("&#160;", " ")
            evidence.add("preferences screen", shot)
            await pilot.press("escape")
            await pilot.pause(0.3)
            app.push_screen(ServerActionsScreen())
            await until(
                pilot, lambda: "qbtui uses it" in app.export_screenshot().replace("&#160;", " "), what="facts"
            )
            evidence.add("server actions", app.export_screenshot())
            # Rotate: qbtui follows the new key, and the dialog hides it until asked.
            await pilot.press("A")
            await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog", what="confirm")
            app.screen.query_one("#confirm").press()  # type: ignore[attr-defined]
            await until(pilot, lambda: isinstance(app.screen, NewApiKeyScreen), what="the new key")
            dialog = app.screen
            assert isinstance(dialog, NewApiKeyScreen)
            rotated.append(dialog._key)
            await pilot.pause(0.3)
            evidence.add("new key dialog (hidden)", app.export_screenshot())
            target = tmp_path / "saved" / "key"
            dialog.query_one("#path").value = str(target)  # type: ignore[attr-defined]
            dialog.query_one("#save").press()  # type: ignore[attr-defined]
            await until(pilot, lambda: target.exists(), what="saved")
            assert target.read_text().strip() == rotated[0] and target.stat().st_mode & 0o777 == 0o600
            dialog.query_one("#done").press()  # type: ignore[attr-defined]
            await pilot.press("escape")
            polls = app.poller.polls
            await until(pilot, lambda: app.poller.polls >= polls + 2, timeout=20, what="polls, new key")

            def crash() -> None:
                raise RuntimeError("a bug in a widget")

            app.call_later(crash)
            await pilot.pause(0.5)

    with pytest.raises(RuntimeError, match="a bug in a widget"):
        asyncio.run(run())
    report = capsys.readouterr()
    assert "a bug in a widget" in report.err + report.out
    evidence.add("crash report", report.err + report.out)
    assert rotated and rotated[0] != key
    secrets = key_spellings(key) | {"rotated key": spellings(rotated[0], rotated[0][4:])}
    evidence.assert_clean(secrets)


def test_tui_in_a_terminal_with_api_key_cmd(nox53: NoxInstance, tmp_path: Path) -> None:
    from tests.ui.tmux import Tmux, require_tmux

    require_tmux()
    key = asyncio.run(_make_key(nox53))
    script = tmp_path / "print-key"
    script.write_text(f"#!/bin/sh\necho '{key}'\n")
    script.chmod(0o700)
    log = tmp_path / "tui-debug.log"
    command = [
        sys.executable, "-m", "qbtui", "--url", nox53.url,
        "--api-key-cmd", str(script), "--debug-log", str(log),
    ]  # fmt: skip
    env = {**clean_environ(), "TERM": "xterm-256color", "QBTUI_STATE_DIR": str(tmp_path / "state")}
    evidence = Evidence()
    tmux = Tmux(command, env, size=(140, 40))
    try:
        pane = subprocess.run(
            ["tmux", "-L", tmux.socket, "list-panes", "-F", "#{pane_pid}"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        tmux.wait_for(r"qBittorrent v5\.3")
        time.sleep(1.0)
        evidence.add("terminal screen", tmux.screen())
        for pid in process_tree(int(pane[0])):
            evidence.add(f"/proc/{pid}/cmdline", cmdline(pid) or "")
            with contextlib.suppress(OSError):
                evidence.add(f"/proc/{pid}/environ", Path(f"/proc/{pid}/environ").read_bytes())
        tmux.press("q")
        deadline = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        tmux.kill()
    assert os.stat(log).st_mode & 0o777 == 0o600
    logged = log.read_text()
    assert "sync/maindata" in logged and "auth/login" not in logged
    evidence.add_file("TUI debug log", log)
    evidence.assert_clean(key_spellings(key))

"""The password and the session cookie appear nowhere: no log, screenshot, crash report, process
argument list or error message.

A real qbittorrent-nox gets a distinctive password (spaces, `&=+%/#`, non-ASCII, a random core).
qbtui reaches it through a recording TCP forwarder, which sees the `Set-Cookie` answers, so the
tests know every session id the server handed out. Then the API, the CLI (with `--password-cmd`
and `--debug-log`), the TUI under Pilot (screenshots, a crash) and the TUI in tmux (screen, debug
log, every process's command line) are driven through good and failing paths, everything they
produced is collected, and every spelling of both secrets is searched for in all of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from qbtui.cli import main
from tests.cli.helpers import REPO, clean_environ
from tests.security.evidence import Evidence, cmdline, process_tree, spellings
from tests.support.noxserver import NoxInstance
from tests.support.tcpproxy import TcpProxy

# One worker runs the module in order: the tests share one server, and the later ones search their
# output for the session cookies the earlier ones made (a module started on a fresh worker has none).
pytestmark = [pytest.mark.nox, pytest.mark.xdist_group("secrets-nox")]

CORE = secrets.token_hex(8)
PASSWORD = f"Pw {CORE} äö&=+%/#"
WRONG_CORE = secrets.token_hex(8)
WRONG_PASSWORD = f"Wrong {WRONG_CORE}&x"


@dataclass
class Target:
    nox: NoxInstance
    forwarder: TcpProxy

    @property
    def url(self) -> str:
        return self.forwarder.url()

    def settings(self, **changes: object) -> ConnectionSettings:
        base = ConnectionSettings(url=self.url, username=self.nox.username, password=PASSWORD, timeout=5)
        return replace(base, **changes)  # type: ignore[arg-type]

    def secrets(self, *extra_sids: str) -> dict[str, set[str]]:
        found = {
            "password": spellings(PASSWORD, CORE),
            "wrong password": spellings(WRONG_PASSWORD, WRONG_CORE),
        }
        sids = self.forwarder.session_cookie_values() | {sid for sid in extra_sids if sid}
        assert sids, "no session cookie was seen: the search would prove nothing"
        for number, sid in enumerate(sorted(sids)):
            found[f"session cookie #{number}"] = spellings(sid)
        return found


@pytest.fixture(scope="module")
def target(nox_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    instance = NoxInstance(nox_binary, tmp_path_factory.mktemp("nox-secrets"))
    instance.password = PASSWORD  # before the first start: the config holds its PBKDF2 hash
    with instance:
        # Same port number on another loopback address: qBittorrent's Host check passes.
        port = instance.webui_port
        with TcpProxy(port, listen_host="127.0.0.2", listen_port=port) as forwarder:
            yield Target(instance, forwarder)


# --------------------------------------------------------------------------------------------- API


@pytest.fixture
def dropping_server() -> Iterator[str]:
    """Says "v2, log in" to the probe, then drops the connection when the login form arrives: the
    failure surfaces inside the frames that hold the login form."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    request = conn.recv(65536)
                except OSError:
                    continue
                if request.startswith(b"GET"):
                    conn.sendall(
                        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\nConnection: close\r\n\r\nForbidden"
                    )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


async def failure(attempt: Callable[[], Awaitable[object]], what: str = "") -> errors.QbtError:
    try:
        await attempt()
    except errors.QbtError as exc:
        return exc
    raise AssertionError(f"expected a QbtError: {what}")


async def connected(settings: ConnectionSettings) -> QbtApi:
    return await connect(settings)


def test_api_reprs_and_every_error(target: Target, dropping_server: str) -> None:
    evidence = Evidence()

    async def scenario() -> set[str]:
        settings = target.settings()
        evidence.add("repr(settings)", repr(settings))
        evidence.add("str(settings)", str(settings))
        evidence.add("repr(settings.password)", repr(settings.password))
        api = await connect(settings)
        try:
            sids = {cookie.value or "" for cookie in api.session.cookies.jar}
            for name, value in (("api", api), ("session", api.session), ("info", api.info)):
                evidence.add(f"repr({name})", repr(value))
            evidence.add("maindata", repr(await api.maindata(0)))
            evidence.add("preferences", repr(await api.preferences()))

            cases: dict[str, Callable[[], Awaitable[object]]] = {
                "wrong password": lambda: connected(replace(settings, password=WRONG_PASSWORD)),
                "no credentials": lambda: connected(replace(settings, username=None, password=None)),
                "wrong Referer (401)": lambda: connected(replace(settings, referer="http://evil.example:1/")),
                "unknown hash (404)": lambda: api.properties("0" * 40),
                "unknown category (409)": lambda: api.edit_category("no-such-category", "/tmp"),
                "missing field (400)": lambda: api.session.post("api/v2/torrents/createCategory", {}),
                "dropped during login": lambda: connected(replace(settings, url=dropping_server)),
                "unreachable": lambda: connected(replace(settings, url="http://127.0.0.1:9")),
            }
            for name, attempt in cases.items():
                evidence.add_error(name, await failure(attempt, name))

            # A session the server forgot (403) with no re-login left: "rejected our session".
            other = await connect(settings)
            sids |= {cookie.value or "" for cookie in other.session.cookies.jar}
            await other.logout()
            evidence.add_error("expired session (403)", await failure(lambda: other.maindata(0)))
            await other.close()
        finally:
            await api.close()
        return sids

    sids = asyncio.run(scenario())
    kinds = " ".join(where for where, _ in evidence.items)
    for expected in ("BadCredentials", "CsrfRejected", "NotFound", "Conflict", "Rejected", "Unreachable"):
        assert expected in " ".join(text for _, text in evidence.items), f"{expected} never raised: {kinds}"
    evidence.assert_clean(target.secrets(*sids))


# --------------------------------------------------------------------------------------------- CLI


def password_script(directory: Path, delay: float) -> Path:
    """A password manager stand-in that waits a moment, so its command line can be read while it runs."""
    script = directory / "fake-pass"
    script.write_text(f"#!/bin/sh\nsleep {delay}\nprintf '%s\\n' '{PASSWORD}'\n")
    script.chmod(0o700)
    return script


def watch_processes(process: subprocess.Popen[str], seen: dict[int, str]) -> None:
    """Record the command line of `process` and every descendant until it exits."""
    while process.poll() is None:
        for pid in process_tree(process.pid):
            line = cmdline(pid)
            if line:
                seen.setdefault(pid, line)
        time.sleep(0.02)


def run_cli(
    args: list[str], env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[int, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtui", *args],
        env=clean_environ(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    seen: dict[int, str] = {}
    watcher = threading.Thread(target=watch_processes, args=(process, seen))
    watcher.start()
    out, err = process.communicate(timeout=60)
    watcher.join()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), seen


def test_cli_output_debug_log_and_process_arguments(target: Target, tmp_path: Path) -> None:
    evidence = Evidence()
    script = password_script(tmp_path, delay=0.5)
    log = tmp_path / "debug.log"
    base = ["--url", target.url, "--username", target.nox.username]
    runs = {
        "list (--password-cmd, --debug-log)": (
            [*base, "--password-cmd", str(script), "--debug-log", str(log), "list"],
            None,
        ),
        "category add/remove (--password-env)": (
            [*base, "--password-env", "MY_PW", "--debug-log", str(log), "category", "add", "secret-test"],
            {"MY_PW": PASSWORD},
        ),
        "prefs get (QBTUI_PASSWORD)": ([*base, "--json", "prefs", "get"], {"QBTUI_PASSWORD": PASSWORD}),
        "wrong password": (
            [*base, "--password-env", "MY_PW", "--debug-log", str(log), "list"],
            {"MY_PW": WRONG_PASSWORD},
        ),
        "wrong referer": (
            [*base, "--referer", "http://evil.example:1/", "--debug-log", str(log), "list"],
            {"QBTUI_PASSWORD": PASSWORD},
        ),
        "unknown torrent": ([*base, "show", "00ff"], {"QBTUI_PASSWORD": PASSWORD}),
    }
    all_commands: list[str] = []
    for name, (args, env) in runs.items():
        result, seen = run_cli(args, env)
        evidence.add(f"{name}: stdout", result.stdout)
        evidence.add(f"{name}: stderr", result.stderr)
        for pid, line in seen.items():
            evidence.add(f"{name}: /proc/{pid}/cmdline", line)
        all_commands += seen.values()
        if name.startswith("wrong"):
            assert result.returncode == 3, result.stderr
        elif name != "unknown torrent":
            assert result.returncode == 0, result.stderr
    # The password manager really ran as a child and was seen.
    assert any(str(script) in line for line in all_commands), all_commands
    assert log.stat().st_mode & 0o777 == 0o600
    text = log.read_text()
    assert "auth/login" in text and "password=<redacted>" in text
    # The cookie is SID, or QBT_SID_<port> from 5.2 on.
    assert "SID=<redacted>" in text or f"SID_{target.nox.webui_port}=<redacted>" in text
    evidence.add_file("debug log", log)
    evidence.add("server log", target.nox.log_text())
    with target.nox.client() as raw:
        raw.post("/api/v2/torrents/removeCategories", data={"categories": "secret-test"})
    evidence.assert_clean(target.secrets())


def test_cli_in_process_error_messages(target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    """main() itself (as a library caller would run it): the one-line errors on stderr."""
    evidence = Evidence()
    code = main(["--url", target.url, "--username", target.nox.username, "--password-env", "PW_X", "list"])
    assert code == 2  # PW_X is not set
    evidence.add("unset variable", capsys.readouterr().err)
    evidence.assert_clean(target.secrets())


# --------------------------------------------------------------------------------------------- TUI


def test_tui_screenshots_and_crash_report(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.ui.helpers import make_app, until

    evidence = Evidence()

    async def live_app() -> set[str]:
        app = make_app(target.url, username=target.nox.username, password=PASSWORD, interval=0.3)
        async with app.run_test(size=(140, 40)) as pilot:
            await until(pilot, lambda: app.poller.polls >= 2, timeout=20, what="two polls")
            evidence.add("main screen", app.export_screenshot())
            await pilot.press("question_mark")
            await pilot.pause(0.3)
            evidence.add("help screen", app.export_screenshot())
            await pilot.press("escape")
            await pilot.press("comma")
            await pilot.pause(1.0)
            evidence.add("preferences screen", app.export_screenshot())
            api = app.api
            assert api is not None
            sids = {cookie.value or "" for cookie in api.session.cookies.jar}

            def crash() -> None:
                raise RuntimeError("a bug in a widget")

            app.call_later(crash)
            await pilot.pause(0.5)
        return sids

    with pytest.raises(RuntimeError, match="a bug in a widget"):
        asyncio.run(live_app())
    # Textual prints its crash report (the app's `_fatal_error`) on stderr when the app ends.
    report = capsys.readouterr()
    assert "a bug in a widget" in report.err + report.out, "no crash report was printed"
    evidence.add("crash report (stderr)", report.err)
    evidence.add("crash report (stdout)", report.out)

    async def refused_app() -> None:
        app = make_app(target.url, username=target.nox.username, password=WRONG_PASSWORD, interval=0.3)
        async with app.run_test(size=(140, 40)) as pilot:
            await until(
                pilot,
                lambda: "wrong username or password" in app.export_screenshot().replace("&#160;", " "),
                timeout=20,
                what="the refusal on screen",
            )
            evidence.add("refused login screen", app.export_screenshot())

    asyncio.run(refused_app())
    evidence.assert_clean(target.secrets())


def test_tui_in_a_terminal_with_password_cmd_and_debug_log(target: Target, tmp_path: Path) -> None:
    import os

    from tests.ui.tmux import Tmux, require_tmux

    require_tmux()
    evidence = Evidence()
    script = password_script(tmp_path, delay=1.5)
    log = tmp_path / "tui-debug.log"
    command = [
        sys.executable, "-m", "qbtui",
        "--url", target.url, "--username", target.nox.username,
        "--password-cmd", str(script), "--debug-log", str(log),
    ]  # fmt: skip
    env = {**clean_environ(), "TERM": "xterm-256color", "QBTUI_STATE_DIR": str(tmp_path / "state")}
    tmux = Tmux(command, env, size=(140, 40))
    seen: dict[int, str] = {}
    try:
        pane = subprocess.run(
            ["tmux", "-L", tmux.socket, "list-panes", "-F", "#{pane_pid}"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        root = int(pane[0])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and f"qBittorrent v{target.nox.version}" not in tmux.screen():
            for pid in process_tree(root):
                line = cmdline(pid)
                if line:
                    seen.setdefault(pid, line)
            time.sleep(0.02)
        tmux.wait_for(re.escape(f"qBittorrent v{target.nox.version}"))
        time.sleep(1.0)
        evidence.add("terminal screen", tmux.screen())
        for pid in process_tree(root):
            evidence.add(f"/proc/{pid}/cmdline (running)", cmdline(pid) or "")
            with contextlib.suppress(OSError):
                evidence.add(f"/proc/{pid}/environ", Path(f"/proc/{pid}/environ").read_bytes())
        tmux.press("q")
        deadline = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        tmux.kill()
    assert any(str(script) in line for line in seen.values()), seen
    for pid, line in seen.items():
        evidence.add(f"/proc/{pid}/cmdline", line)
    assert log.exists() and os.stat(log).st_mode & 0o777 == 0o600
    assert "sync/maindata" in log.read_text()
    evidence.add_file("TUI debug log", log)
    evidence.assert_clean(target.secrets())

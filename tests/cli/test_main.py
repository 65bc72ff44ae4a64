"""The process contract: exit codes, one-line errors, confirmations, and where the password comes from."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qbtui.cli
from qbtui.api import PartialFailure, errors
from qbtui.api.models import ApiGeneration, ServerInfo
from tests.cli.conftest import Result
from tests.cli.helpers import HASH_A, REPO, FakeServer


def _raise(exc: BaseException) -> Callable[..., Any]:
    async def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


# --------------------------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.Unreachable("cannot connect to qBittorrent at http://x: refused"), 3),
        (errors.RequestTimeout("qBittorrent at http://x did not answer within 15 s"), 3),
        (errors.TLSFailure("TLS certificate of https://x is not trusted"), 3),
        (errors.BadCredentials("qBittorrent at http://x rejected username 'admin'"), 3),
        (errors.CsrfRejected("rejected the request (HTTP 401, CSRF/Host check)"), 3),
        (errors.Banned("has banned this IP address"), 3),
        (errors.NotSupported("reannouncing is not supported by qBittorrent v4.0.4 (API 17)"), 1),
        (errors.Rejected("the server refused: Bad Request (HTTP 400)"), 1),
        (errors.Conflict("torrent queueing is disabled on the server"), 1),
        (errors.BadResponse("expected JSON"), 1),
        (PartialFailure("pause", {HASH_A: errors.Rejected("no")}, 2), 1),
    ],
)
def test_api_errors_map_to_exit_codes(
    cli: Callable[..., Result], fake: FakeServer, error: errors.QbtError, code: int
) -> None:
    fake.method("pause").side_effect = error
    result = cli("pause", "aa")
    assert result.code == code
    assert result.out == ""
    assert result.err == f"qbtui: error: {error}\n"


def test_connection_failure_exits_3(cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qbtui.cli, "connect", _raise(errors.Unreachable("cannot connect to qBittorrent")))
    result = cli("list")
    assert (result.code, result.out, result.err) == (3, "", "qbtui: error: cannot connect to qBittorrent\n")


def test_multi_line_messages_are_flattened(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("pause").side_effect = errors.Rejected("first\nsecond\r\nthird")
    assert cli("pause", "aa").err == "qbtui: error: first second third\n"


def test_unexpected_exception_is_one_line(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("pause").side_effect = RuntimeError("boom")
    result = cli("pause", "aa")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "RuntimeError: boom" in result.err
    assert "Traceback" not in result.err


def test_keyboard_interrupt_is_quiet(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("pause").side_effect = KeyboardInterrupt
    assert cli("pause", "aa") == Result(130, "", "")


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["list", "--limit", "x"],
        ["list", "--columns", "name,nope"],
        ["list", "--filter", "sleeping"],
        ["limit", "global", "--down", "fast"],
        ["limit", "torrent", "aa", "--up", "-3"],
        ["add"],
        ["add", "m", "--up-limit", "2.5X"],
        ["pause"],
        ["pause", "aa", "--all"],
        ["file-prio", "aa", "1-x", "high"],
        ["file-prio", "aa", "1", "urgent"],
        ["force-start", "aa", "maybe"],
        ["prefs"],
        ["prefs", "set", "novalue"],
        ["share-limits", "aa", "--ratio", "2"],
        ["add-peers", "aa", "--peer", "nohost"],
        ["ban-peers", "1.2.3.4"],
        ["log", "--level", "loud"],
        ["--timeout", "0", "list"],
        ["--referer", "evil.example", "list"],
        ["--insecure", "--ca-file", "x", "list"],
        ["--password-env", "A", "--password-cmd", "b", "list"],
        ["--url", "http://admin:pw@host:8080", "list"],
        ["--url", "ftp://host", "list"],
        ["category", "add", ""],
        ["tags", "add", "aa", ","],
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2_in_one_line(
    cli: Callable[..., Result], fake: FakeServer, argv: list[str]
) -> None:
    result = cli(*argv)
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("qbtui: error: ") and result.err.count("\n") == 1, result.err
    assert fake.connected_with is None  # refused before touching the network


def test_help_and_version_exit_0(cli: Callable[..., Result]) -> None:
    result = cli("--help")
    assert result.code == 0 and "exit status" in result.out and "QBTUI_PASSWORD" in result.out
    assert cli("limit", "global", "--help").out.count("bytes/s") >= 2
    assert cli("--version").out.startswith("qbtui ")


def test_no_command_without_a_terminal_refuses_to_draw(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli()
    assert result.code == 2
    assert "needs a terminal" in result.err and result.err.count("\n") == 1
    assert fake.connected_with is None


def test_run_tui_is_the_replaceable_entry(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(qbtui.cli, "run_tui", lambda settings, args, config=None: seen.append(settings) or 7)
    assert cli("--url", "http://h:1", env={"QBTUI_PASSWORD": "pw"}).code == 7
    assert seen[0].url == "http://h:1" and seen[0].password == "pw"


# --------------------------------------------------------------------------------------------- confirmation


@pytest.mark.parametrize(
    "argv",
    [["delete", "aa", "--with-data"], ["delete", "--all"], ["rm", "--all", "--with-data"], ["shutdown"]],
)
def test_destructive_actions_refuse_without_a_terminal(
    cli: Callable[..., Result], fake: FakeServer, argv: list[str]
) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert "--yes" in result.err and result.err.count("\n") == 1
    assert fake.connected_with is None
    fake.method("delete").assert_not_awaited()
    fake.method("shutdown").assert_not_awaited()


def test_delete_with_data_asks_and_lists_names(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("delete", "aa", "cd", "--with-data", stdin="y\n")
    assert result.code == 0, result.err
    assert "Delete 2 torrents and their downloaded data?" in result.err
    assert "Alpha Linux ISO" in result.err and "ガンマ" in result.err
    fake.method("delete").assert_awaited_once_with([HASH_A, "cd" * 20], delete_files=True)
    assert result.out == "deleted 2 torrents and their data\n"


@pytest.mark.parametrize("answer", ["n\n", "\n", "", "nope\n"])
def test_delete_declined_changes_nothing(cli: Callable[..., Result], fake: FakeServer, answer: str) -> None:
    result = cli("delete", "--all", stdin=answer)
    assert result.code == 2
    assert "Delete ALL 3 torrents (keeping the downloaded data)?" in result.err
    assert result.err.rstrip().endswith("qbtui: error: not confirmed; nothing was changed")
    fake.method("delete").assert_not_awaited()


def test_delete_prompt_shows_names_safely(cli: Callable[..., Result]) -> None:
    result = cli("delete", "ab", "--with-data", stdin="no\n")
    assert "\x1b" not in result.err and "Beta \\x1b[31mred" in result.err


def test_plain_delete_does_not_ask(cli: Callable[..., Result], fake: FakeServer) -> None:
    assert cli("delete", "aa").code == 0
    fake.method("delete").assert_awaited_once()


def test_shutdown_asks_then_skips_logout(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("shutdown", stdin="yes\n", env={"QBTUI_PASSWORD": "pw"})
    assert result.code == 0 and "Shut down qBittorrent v4.5.2" in result.err
    fake.method("shutdown").assert_awaited_once()
    fake.method("logout").assert_not_awaited()


def test_logout_after_each_command(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli("list", env={"QBTUI_PASSWORD": "pw"})
    fake.method("logout").assert_awaited_once()
    fake.method("close").assert_awaited_once()


def test_logout_failure_does_not_hide_success(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("logout").side_effect = errors.Unreachable("gone")
    assert cli("list", env={"QBTUI_PASSWORD": "pw"}).code == 0


# --------------------------------------------------------------------------------------------- settings


def test_settings_from_options(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli(
        "--url", "https://qbt.example:8443/qbt", "--username", "me", "--ca-file", "/ca.pem",
        "--referer", "match", "--timeout", "2.5", "--password-env", "MY_PW", "list",
        env={"MY_PW": "from-env-var"},
    )  # fmt: skip
    settings = fake.connected_with
    assert settings is not None
    assert (settings.url, settings.username, settings.password) == (
        "https://qbt.example:8443/qbt",
        "me",
        "from-env-var",
    )
    assert (settings.verify, settings.referer, settings.timeout) == ("/ca.pem", "match", 2.5)


def test_settings_from_environment(cli: Callable[..., Result], fake: FakeServer) -> None:
    env = {"QBTUI_URL": "http://env:1", "QBTUI_USERNAME": "envuser", "QBTUI_PASSWORD": "envpw"}
    cli("--insecure", "list", env=env)
    settings = fake.connected_with
    assert settings is not None
    assert (settings.url, settings.username, settings.password, settings.verify) == (
        "http://env:1",
        "envuser",
        "envpw",
        False,
    )
    assert (settings.referer, settings.timeout) == ("none", 15.0)


def test_defaults_without_anything(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli("list")
    settings = fake.connected_with
    assert settings is not None
    assert (settings.url, settings.username, settings.password) == ("http://localhost:8080", None, None)


def test_password_without_username_logs_in_as_admin(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli("list", env={"QBTUI_PASSWORD": "pw"})
    assert fake.connected_with is not None and fake.connected_with.username == "admin"


def test_password_env_flag_beats_qbtui_password(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli("--password-env", "OTHER", "list", env={"QBTUI_PASSWORD": "plain", "OTHER": "chosen"})
    assert fake.connected_with is not None and fake.connected_with.password == "chosen"


def test_password_env_unset_is_a_usage_error(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("--password-env", "QBTUI_TEST_SURELY_UNSET", "list")
    assert result.code == 2 and "QBTUI_TEST_SURELY_UNSET is not set" in result.err
    assert fake.connected_with is None


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "getpw"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_password_cmd_first_line(cli: Callable[..., Result], fake: FakeServer, tmp_path: Path) -> None:
    script = _script(tmp_path, "printf 'pa ss word\\nsecond line\\n'")
    result = cli("--password-cmd", f"{script} --some 'arg with space'", "list")
    assert result.code == 0, result.err
    assert fake.connected_with is not None and fake.connected_with.password == "pa ss word"


def test_password_cmd_receives_no_password_in_its_arguments(
    cli: Callable[..., Result], fake: FakeServer, tmp_path: Path
) -> None:
    record = tmp_path / "argv.txt"
    script = _script(tmp_path, f'echo "$@" > {record}; echo topsecret')
    cli("--password-cmd", f"{script} vault/qbt", "list", env={"QBTUI_PASSWORD": "other"})
    assert record.read_text().strip() == "vault/qbt"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [("echo leaked-secret; exit 3", "exit status 3"), ("true", "printed no password")],
)
def test_password_cmd_failures_do_not_leak_output(
    cli: Callable[..., Result], fake: FakeServer, tmp_path: Path, body: str, fragment: str
) -> None:
    result = cli("--password-cmd", str(_script(tmp_path, body)), "list")
    assert result.code == 2 and fragment in result.err
    assert "leaked-secret" not in result.err + result.out
    assert fake.connected_with is None


def test_password_cmd_missing_program(cli: Callable[..., Result]) -> None:
    result = cli("--password-cmd", "/nonexistent/qbtui-getpw", "list")
    assert result.code == 2 and "cannot run /nonexistent/qbtui-getpw" in result.err


def test_password_never_printed(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("pause").side_effect = errors.BadCredentials("rejected username 'admin'")
    result = cli("--json", "pause", "aa", env={"QBTUI_PASSWORD": "hunter2-secret"})
    assert "hunter2-secret" not in result.out + result.err
    assert "hunter2-secret" not in repr(fake.connected_with)


def test_legacy_version_json(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.api.info = ServerInfo(ApiGeneration.LEGACY, (17,), "v4.0.4", 2)
    data = json.loads(cli("--json", "version").out)
    assert data == {"app_version": "v4.0.4", "api_version": "17", "generation": "legacy", "api_min": 2}
    assert "API minimum:    2" in cli("version").out


# --------------------------------------------------------------------------------------------- --demo


class _FakeSimModule:
    """Stands in for qbtui.sim: records the simulator's life around the command."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def SimConfig(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    def Simulator(self, config: Any) -> str:
        self.events.append("created")
        return "sim"

    def run_in_thread(self, sim: str) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def running() -> Any:
            self.events.append("started")
            yield "http://127.0.0.1:48123"
            self.events.append("stopped")

        return running()


@pytest.fixture
def fake_sim(monkeypatch: pytest.MonkeyPatch) -> _FakeSimModule:
    module = _FakeSimModule()
    monkeypatch.setitem(sys.modules, "qbtui.sim", module)
    return module


def test_demo_command_uses_the_simulator(
    cli: Callable[..., Result], fake: FakeServer, fake_sim: _FakeSimModule
) -> None:
    result = cli("--demo", "list", env={"QBTUI_PASSWORD": "mine", "QBTUI_URL": "http://elsewhere:1"})
    assert result.code == 0, result.err
    settings = fake.connected_with
    assert settings is not None
    assert (settings.url, settings.username, settings.password) == (
        "http://127.0.0.1:48123",
        "admin",
        "adminadmin",
    )
    assert fake_sim.events == ["created", "started", "stopped"]


def test_demo_without_command_keeps_the_simulator_up_for_the_tui(
    cli: Callable[..., Result], fake_sim: _FakeSimModule, monkeypatch: pytest.MonkeyPatch
) -> None:
    def tui(settings: Any, args: Any, config: Any = None) -> int:
        fake_sim.events.append(f"tui {settings.url}")
        return 0

    monkeypatch.setattr(qbtui.cli, "run_tui", tui)
    assert cli("--demo").code == 0
    assert fake_sim.events == ["created", "started", "tui http://127.0.0.1:48123", "stopped"]


def test_demo_refuses_connection_options(cli: Callable[..., Result], fake_sim: _FakeSimModule) -> None:
    result = cli("--demo", "--url", "http://x:1", "list")
    assert result.code == 2 and "--demo" in result.err
    assert fake_sim.events == []


def test_the_simulator_is_not_imported_without_demo() -> None:
    import subprocess

    code = "import sys; from qbtui.cli import main; main(['--version']); print('qbtui.sim' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    assert out.splitlines()[-1] == "False"


def test_refused_connection_is_not_retried(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    async def refused(settings: Any) -> Any:
        attempts.append(1)
        raise errors.Unreachable("cannot connect to qBittorrent at http://x: refused")

    monkeypatch.setattr(qbtui.cli, "connect", refused)
    assert cli("list").code == 3
    assert len(attempts) == 1

"""`--debug-log PATH`: opt-in, a line per request and per response, the file private (0600), and
the password, the session cookie, Cookie/Set-Cookie values, login form bodies and secret
preferences redacted.

The CLI runs in-process against the legacy simulator (with a distinctive password) through a
recording TCP forwarder, which knows every session id the server handed out.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbtui.api.session import (
    REDACTED,
    describe_form,
    redact_cookie_header,
    redact_set_cookie,
    scrub,
)
from qbtui.cli import main
from qbtui.cli.debuglog import LOGGERS, RedactingFilter
from qbtui.sim import SimConfig, Simulator, serve_in_thread
from tests.security.evidence import Evidence, spellings
from tests.support.tcpproxy import TcpProxy

CORE = secrets.token_hex(8)
PASSWORD = f"Pw {CORE} &=+%/"
MAIL_SECRET = f"mail-{secrets.token_hex(6)}"


@pytest.fixture
def forwarder() -> Iterator[TcpProxy]:
    sim = Simulator(SimConfig(seed=7, password=PASSWORD))
    # Same port number on another loopback address: the simulator's Host check passes.
    with (
        serve_in_thread(sim) as server,
        TcpProxy(server.port, "127.0.0.1", "127.0.0.2", server.port) as proxy,
    ):
        yield proxy


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], forwarder: TcpProxy):  # type: ignore[no-untyped-def]
    for name in ("QBTUI_URL", "QBTUI_USERNAME", "QBTUI_PASSWORD", "QBTUI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MY_PW", PASSWORD)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--url", forwarder.url(), "--username", "admin", "--password-env", "MY_PW", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def secrets_of(forwarder: TcpProxy) -> dict[str, set[str]]:
    found = {"password": spellings(PASSWORD, CORE), "mail password": spellings(MAIL_SECRET)}
    sids = forwarder.session_cookie_values()
    assert sids, "the server set no cookie: the search would prove nothing"
    found.update({f"SID {value}": spellings(value) for value in sids})
    return found


def test_requests_and_responses_are_logged_with_secrets_redacted(
    cli, forwarder: TcpProxy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "debug.log"
    assert cli("--debug-log", str(log), "list")[0] == 0
    assert cli("--debug-log", str(log), "prefs", "set", f"mail_notification_password={MAIL_SECRET}")[0] == 0
    code, _out, err = cli("--debug-log", str(log), "--referer", "http://evil.example:1/", "list")
    assert code == 3 and "401" in err

    text = log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600
    # What a bug report needs: each request with its method and URL, each answer with its status.
    assert "GET http://127.0.0.2:" in text and "/version/api" in text and "-> 200 OK" in text
    assert "POST " in text and "/login | form[username=admin, password=<redacted>]" in text
    assert "set-cookie: SID=<redacted>; HttpOnly; path=/" in text
    assert "cookie: SID=<redacted>" in text
    assert "connection: close" in text  # the legacy server gets a fresh connection per request
    assert f'"mail_notification_password": "{REDACTED}"' in text
    assert "-> 401 Unauthorized" in text and "error (exit 3)" in text
    assert "connect_tcp.started" in text  # httpcore's connection events: keep-alive is visible

    evidence = Evidence()
    evidence.add_file("debug log", log)
    evidence.assert_clean(secrets_of(forwarder))


def test_the_file_is_private_even_if_it_existed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "debug.log"
    log.write_text("an earlier line\n")
    log.chmod(0o644)
    assert cli("--debug-log", str(log), "version")[0] == 0
    assert log.stat().st_mode & 0o777 == 0o600
    text = log.read_text()
    assert text.startswith("an earlier line\n") and "version/qbittorrent" in text  # appended


def test_an_unwritable_path_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--debug-log", str(tmp_path / "missing" / "debug.log"), "version")
    assert code == 2 and out == ""
    assert err.startswith("qbtui: error: --debug-log: cannot write") and err.count("\n") == 1


def test_off_by_default_and_quiet_afterwards(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Without the option nothing is logged anywhere; after a run with it, the loggers are back to
    quiet (no handler, no DEBUG level: no log lines formatted for nobody)."""
    code, out, err = cli("version")
    assert code == 0 and err == "" and "v4.0.4" in out
    assert cli("--debug-log", str(tmp_path / "d.log"), "version")[0] == 0
    for name in LOGGERS:
        logger = logging.getLogger(name)
        assert not logger.handlers and logger.propagate
        assert not logger.isEnabledFor(logging.DEBUG)


# --------------------------------------------------------------------------------------------- pieces


def test_form_and_cookie_redaction() -> None:
    assert describe_form({"username": "me", "password": "s3cret"}) == f"username=me, password={REDACTED}"
    assert REDACTED in describe_form({"urls": "magnet:?x", "cookie": "uid=1; pass=2"})
    prefs = json.dumps({"web_ui_password": "a", "proxy_password": "b", "save_path": "/srv"})
    shown = describe_form({"json": prefs})
    assert "/srv" in shown and '"a"' not in shown and '"b"' not in shown
    assert describe_form({"json": "{not json"}) == f"json={REDACTED}"
    assert redact_cookie_header("SID=abc; other=def") == f"SID={REDACTED}; other={REDACTED}"
    assert redact_set_cookie("SID=abc; HttpOnly; path=/") == f"SID={REDACTED}; HttpOnly; path=/"
    assert redact_set_cookie("SID=; expires=Thu, 01 Jan 1970") == "SID=; expires=Thu, 01 Jan 1970"
    assert scrub("x p%40ss%20w y p@ss w", ["p@ss w"]) == f"x {REDACTED} y {REDACTED}"


def test_the_filter_scrubs_records_from_anyone() -> None:
    """A line some other code logs (a library, a future qbtui module) is scrubbed on the way out."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    redactor = RedactingFilter()
    redactor.add_secret("hunter2-secret")
    handler.addFilter(redactor)
    logger = logging.getLogger("qbtui.test-redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("form %s", "username=a&password=hunter3")
        logger.debug("headers [(b'Set-Cookie', b'SID=abc123; HttpOnly'), (b'Cookie', b'QBT_SID_8080=zz9')]")
        logger.debug("Cookie: a=1; b=2")
        logger.debug("typed %s", "hunter2-secret")
        try:
            raise ValueError("hunter2-secret in an exception")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    text = stream.getvalue()
    for secret in ("hunter3", "abc123", "zz9", "a=1", "b=2", "hunter2-secret"):
        assert secret not in text, text
    assert "Traceback" not in text and "ValueError" in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_permission_denied_is_reported(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _out, err = cli("--debug-log", str(locked / "d.log"), "version")
    assert code == 2 and "Permission denied" in err

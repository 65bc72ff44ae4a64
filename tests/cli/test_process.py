"""`python -m qbtui` as a real process, with no qBittorrent needed: failures, timeouts, `ps`, pipes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import REPO, assert_one_error_line, clean_environ, run_qbtui

PASSWORD = "pw-visible-nowhere-7Qx"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts TCP connections and never answers: a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_module_and_help() -> None:
    result = run_qbtui("--help")
    assert result.returncode == 0
    assert "usage: qbtui" in result.stdout and "exit status" in result.stdout


def test_unreachable_host_exits_3_in_one_line() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = run_qbtui("--url", url, "list", env={"QBTUI_PASSWORD": PASSWORD})
    assert result.returncode == 3
    assert result.stdout == ""
    assert_one_error_line(result, "cannot connect", url)
    assert PASSWORD not in result.stderr


def test_unresolvable_host_exits_3() -> None:
    result = run_qbtui("--url", "http://qbtui-test.invalid:8080", "--timeout", "5", "version")
    assert result.returncode == 3
    assert_one_error_line(result, "qbtui-test.invalid")


def test_hung_server_times_out_with_exit_3(silent_server: str) -> None:
    started = time.monotonic()
    result = run_qbtui("--url", silent_server, "--timeout", "1", "list")
    assert result.returncode == 3
    assert_one_error_line(result, "did not answer within 1 s")
    assert time.monotonic() - started < 20


def test_password_is_not_in_the_process_arguments(silent_server: str, tmp_path: Path) -> None:
    """What `ps` shows: the command line of qbtui and of anything it spawns, while it runs."""
    script = tmp_path / "getpw"
    script.write_text(f"#!/bin/sh\necho {PASSWORD}\n")
    script.chmod(0o700)
    for options, env in (
        ([], {"QBTUI_PASSWORD": PASSWORD}),
        (["--password-env", "MY_PASSWORD"], {"MY_PASSWORD": PASSWORD}),
        (["--password-cmd", str(script)], {}),
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "qbtui", "--url", silent_server, "--timeout", "3", *options, "list"],
            env=clean_environ(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        try:
            time.sleep(1.0)  # connected and waiting for the hung server by now
            assert PASSWORD not in Path(f"/proc/{process.pid}/cmdline").read_bytes().decode()
            for child in _children(process.pid):
                assert PASSWORD not in Path(f"/proc/{child}/cmdline").read_bytes().decode()
        finally:
            out, err = process.communicate(timeout=30)
        assert PASSWORD not in out + err
        assert process.returncode == 3


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_usage_error_is_one_line_exit_2() -> None:
    result = run_qbtui("limit", "global", "--down", "lots")
    assert result.returncode == 2
    assert_one_error_line(result, "--down", "'lots' is not a rate")


def test_destructive_without_terminal_refuses_before_connecting() -> None:
    # Nothing listens on the closed port: a refusal must come before any connection attempt.
    url = f"http://127.0.0.1:{_closed_port()}"
    result = run_qbtui("--url", url, "delete", "--all", "--with-data")
    assert result.returncode == 2
    assert_one_error_line(result, "refusing to delete", "--yes")


def test_broken_pipe_is_quiet(silent_server: str) -> None:
    """`qbtui --help | head -1`: the reader leaves early; no traceback, no BrokenPipeError noise."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtui", "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environ(),
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # nobody reads
    err = process.stderr.read().decode()
    process.wait(timeout=30)
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_not_a_qbittorrent_server(tmp_path: Path) -> None:
    """Something else answering on the port: a clear one-line error, exit 1 or 3, never a traceback."""
    result = version_against(200, "OK", b"<html>hello</html>")
    assert result.returncode in (1, 3)
    assert_one_error_line(result, "does not look like qBittorrent")


@pytest.mark.skipif(not os.access("/proc/self/cmdline", os.R_OK), reason="needs /proc")
def test_console_script_entry_point() -> None:
    from qbtui.cli import main

    assert main(["--version"]) == 0


def test_server_text_in_an_error_cannot_drive_the_terminal() -> None:
    """An error page with escape sequences (set the title, clear the screen) is quoted inertly in the
    one-line error: a hostile or broken server cannot write control sequences to the user's terminal."""
    body = "\x1b]0;pwned\x07\x1b[2J<h1>Bad\u202egateway</h1>\r\nmore".encode()
    result = version_against(500, "Oops\x1b[31m", body)
    assert result.returncode == 1
    line = assert_one_error_line(result, "HTTP 500", "Bad")
    assert not any(ch in line for ch in "\x1b\x07\r\u202e"), repr(line)


def version_against(status: int, reason: str, body: bytes) -> subprocess.CompletedProcess[str]:
    """`qbtui version` against a web server that answers every GET with this status and body."""
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status, reason)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        return run_qbtui("--url", f"http://127.0.0.1:{httpd.server_port}", "version")
    finally:
        httpd.shutdown()
        httpd.server_close()

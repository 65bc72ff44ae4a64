"""`--debug-log PATH`: an opt-in log of every request and response, for bug reports.

The lines come from the `qbtui` loggers (the HTTP session writes them, already redacted) and from
httpcore's connection logger (TCP connects, TLS handshakes, closes: how connections are reused).
The file is created 0600 (an existing one is narrowed to 0600) and appended to. A filter on the
handler scrubs every line once more: the password, cookie values after `SID=` / `QBT_SID_<port>=`
or in `Cookie:` / `Set-Cookie:` headers, and `password=` fields, whoever logged them. Nothing is
written to the terminal, so the full-screen interface can log too.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from qbtui import __version__
from qbtui.api.session import REDACTED, redact_cookie_header, redact_set_cookie, scrub
from qbtui.cli.errors import UsageError

#: Loggers whose records go to the file. httpcore.http11 is left out on purpose: it logs the raw
#: response headers (Set-Cookie with the session id).
LOGGERS = ("qbtui", "httpcore.connection")
FORMAT = "%(asctime)s.%(msecs)03d %(name)s %(levelname)s %(message)s"

_COOKIE_PAIR = re.compile(r"\b((?:QBT_)?SID(?:_\d+)?)=(?!<redacted>)[^;\s,&|'\"]+")
_COOKIE_HEADER = re.compile(r"(?i)\b(set-)?(cookie:\s*)([^\r\n|]+)")
_PASSWORD_FIELD = re.compile(r"(?i)(password['\"]?\s*[:=]\s*['\"]?)(?!<redacted>)[^&\s,'\"|}]+")
#: An API key in a header line or a preference (`Bearer qbt_…`, `"web_ui_api_key": "qbt_…"`), and
#: any qBittorrent-shaped key (qbt_ and 32 characters) wherever it appears.
_BEARER = re.compile(r"(?i)(bearer\s+)(?!<redacted>)[^\s,'\"|]+")
_API_KEY_FIELD = re.compile(r"(?i)(api_?key['\"]?\s*[:=]\s*['\"]?)(?!<redacted>)[^&\s,'\"|}]+")
_API_KEY_SHAPE = re.compile(r"\bqbt_[A-Za-z0-9]{16,}")


def _cookie_header(match: re.Match[str]) -> str:
    value = redact_set_cookie(match[3]) if match[1] else redact_cookie_header(match[3])
    return f"{match[1] or ''}{match[2]}{value}"


def redact(text: str, secrets: list[str]) -> str:
    text = scrub(text, secrets)
    text = _COOKIE_HEADER.sub(_cookie_header, text)
    text = _COOKIE_PAIR.sub(lambda m: f"{m[1]}={REDACTED}", text)
    text = _BEARER.sub(lambda m: f"{m[1]}{REDACTED}", text)
    text = _API_KEY_FIELD.sub(lambda m: f"{m[1]}{REDACTED}", text)
    text = _API_KEY_SHAPE.sub(REDACTED, text)
    return _PASSWORD_FIELD.sub(lambda m: f"{m[1]}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Formats each record's message and removes known secrets and secret-shaped fields from it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: list[str] = []

    def add_secret(self, secret: str | None) -> None:
        if secret:
            self.secrets.append(str(secret))

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            # A traceback is formatted later, outside this filter: keep only its one-line summary.
            exc = record.exc_info[1]
            record.msg += f" ({type(exc).__name__}: {redact(str(exc), self.secrets)})"
            record.exc_info = None
            record.exc_text = None
        return True


class DebugLog:
    def __init__(self, path: Path, handler: logging.Handler, redactor: RedactingFilter) -> None:
        self.path = path
        self.handler = handler
        self.redactor = redactor
        self._saved: dict[str, tuple[int, bool]] = {}

    def add_secret(self, secret: str | None) -> None:
        self.redactor.add_secret(secret)

    def attach(self) -> None:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            self._saved[name] = (logger.level, logger.propagate)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self.handler)
            # Never to the root logger: its handlers (or Python's last-resort one) write to stderr.
            logger.propagate = False

    def close(self) -> None:
        """Detach and close the file; the loggers are as they were before (quiet, cheap)."""
        for name, (level, propagate) in self._saved.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self.handler)
            logger.setLevel(level)
            logger.propagate = propagate
        self._saved.clear()
        self.handler.close()


def open_private(path: Path) -> int:
    """A file descriptor for appending to `path`, which is (made) readable by its owner only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # O_CREAT's mode applies only to a new file
    except OSError:
        os.close(fd)
        raise
    return fd


def enable(path: str | os.PathLike[str]) -> DebugLog:
    target = Path(path).expanduser()
    try:
        fd = open_private(target)
    except OSError as exc:
        raise UsageError(f"--debug-log: cannot write {target}: {exc.strerror or exc}") from None
    stream = os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT, "%Y-%m-%d %H:%M:%S"))
    redactor = RedactingFilter()
    handler.addFilter(redactor)
    handler.setLevel(logging.DEBUG)
    debug_log = DebugLog(target, handler, redactor)
    debug_log.attach()
    logging.getLogger("qbtui").debug("qbtui %s: debug log opened (secrets are redacted)", __version__)
    return debug_log

"""`qbtui --serve`: the same app in a browser, through textual-serve (the optional `web` extra).

textual-serve has no authentication of its own: whoever reaches the port controls the qBittorrent
behind it. So it binds to loopback unless told otherwise, and says so loudly either way. Each
browser tab runs `python -m qbtui` as a child process; the password reaches the children through
their environment (QBTUI_PASSWORD), never their command line.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from collections.abc import MutableMapping, Sequence

from qbtui.api import ConnectionSettings

PASSWORD_ENV = "QBTUI_PASSWORD"
API_KEY_ENV = "QBTUI_API_KEY"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8008


class WebUnavailable(Exception):
    """textual-serve is not installed."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warning_for(host: str, port: int) -> str:
    where = f"http://{host}:{port}"
    if is_loopback(host):
        return (
            f"Serving qbtui at {where} (loopback only). The web page has no login of its own: anyone "
            "with a shell on this machine can open it. Reach it from elsewhere through an SSH tunnel "
            "or an authenticating reverse proxy."
        )
    return (
        f"WARNING: serving qbtui at {where} on a non-loopback address WITHOUT ANY AUTHENTICATION: "
        "anyone who can reach this port controls your qBittorrent. Put an authenticating reverse "
        "proxy in front, or bind to 127.0.0.1."
    )


def child_command(child_args: Sequence[str]) -> str:
    """The command textual-serve runs per browser session (no secrets in it)."""
    return shlex.join([sys.executable, "-m", "qbtui", *child_args])


def child_environment(settings: ConnectionSettings, environ: MutableMapping[str, str]) -> None:
    """Hand the resolved password to the children the only safe way: their environment."""
    if settings.password is not None:
        environ[PASSWORD_ENV] = settings.password
    if settings.api_key:
        environ[API_KEY_ENV] = settings.api_key


def serve_web(settings: ConnectionSettings, child_args: Sequence[str], host: str, port: int) -> None:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise WebUnavailable(
            "--serve needs textual-serve: python3 -m pip install 'qbtui[web]' (or textual-serve)"
        ) from None
    print(warning_for(host, port), file=sys.stderr)
    child_environment(settings, os.environ)
    Server(child_command(child_args), host=host, port=port, title="qbtui").serve()

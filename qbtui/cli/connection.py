"""Turning connection options and the environment into `ConnectionSettings`.

The password never travels on a command line: it comes from an environment variable or from the
stdout of a command the user names (a password manager), and is never printed or logged.
"""

from __future__ import annotations

from argparse import Namespace
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from qbtui.api import ConnectionSettings
from qbtui.cli.errors import UsageError
from qbtui.settings import passwords
from qbtui.settings.config import ServerConfig

DEFAULT_URL = "http://localhost:8080"
#: qBittorrent's default account name, assumed when a password is given without a username.
DEFAULT_USERNAME = "admin"
URL_ENV = "QBTUI_URL"
USERNAME_ENV = "QBTUI_USERNAME"
PASSWORD_ENV = "QBTUI_PASSWORD"
API_KEY_ENV = "QBTUI_API_KEY"


def build_settings(args: Namespace, environ: Mapping[str, str]) -> ConnectionSettings:
    url = args.url or environ.get(URL_ENV) or DEFAULT_URL
    check_url(url)
    password = read_password(args, environ)
    api_key = read_api_key(args, environ)
    username = args.username or environ.get(USERNAME_ENV) or None
    if username is None and password is not None and api_key is None:
        username = DEFAULT_USERNAME
    verify: bool | str = True
    if args.insecure:
        verify = False
    elif args.ca_file:
        verify = args.ca_file
    return ConnectionSettings(
        url=url,
        username=username,
        password=password,
        api_key=api_key,
        verify=verify,
        referer=args.referer,
        timeout=args.timeout,
    )


def configured_settings(server: ServerConfig, args: Namespace) -> ConnectionSettings:
    """A configured server's settings (its password read now); --insecure / --ca-file override."""
    try:
        settings = server.settings()
    except passwords.PasswordError as exc:
        raise UsageError(f"[servers.{server.name}]: {exc}") from None
    if args.insecure:
        return replace(settings, verify=False)
    if args.ca_file:
        return replace(settings, verify=args.ca_file)
    return settings


def check_url(url: str) -> None:
    """Refuse credentials inside the URL: they would show up in `ps` and in every error message."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        _ = parts.port
    except ValueError as exc:
        raise UsageError(f"invalid --url {url!r}: {exc}") from None
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            "do not put credentials in --url; "
            "use --username and --password-env, --password-cmd or QBTUI_PASSWORD"
        )
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"invalid --url {url!r}: use http:// or https://")


def read_password(args: Namespace, environ: Mapping[str, str]) -> str | None:
    if args.password_env:
        if args.password_env not in environ:
            raise UsageError(f"--password-env: the environment variable {args.password_env} is not set")
        return environ[args.password_env]
    if args.password_cmd:
        return run_password_command(args.password_cmd)
    return environ.get(PASSWORD_ENV)


def read_api_key(args: Namespace, environ: Mapping[str, str]) -> str | None:
    """An API key (qBittorrent 5.2+): like the password, never from the command line itself."""
    if getattr(args, "api_key_env", None):
        if args.api_key_env not in environ:
            raise UsageError(f"--api-key-env: the environment variable {args.api_key_env} is not set")
        return environ[args.api_key_env].strip() or None
    if getattr(args, "api_key_cmd", None):
        try:
            return passwords.run_password_command(args.api_key_cmd).strip()
        except passwords.PasswordError as exc:
            raise UsageError(f"--api-key-cmd: {exc}") from None
    return environ.get(API_KEY_ENV, "").strip() or None


def run_password_command(command: str) -> str:
    """The first line the command prints; its stderr and stdin stay on the terminal for prompts."""
    try:
        return passwords.run_password_command(command)
    except passwords.PasswordError as exc:
        raise UsageError(f"--password-cmd: {exc}") from None

"""The `qbtui` command: the TUI without a COMMAND, a scriptable client with one.

`main()` owns the process contract: exit codes 0/1/2/3/130 and every failure reported as a
single `qbtui: error: ...` line on stderr, never a traceback (set QBTUI_DEBUG=1 to see one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from argparse import Namespace
from collections.abc import Sequence
from pathlib import Path

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.api.errors import QbtError
from qbtui.api.session import printable
from qbtui.cli import debuglog
from qbtui.cli.connection import URL_ENV, build_settings, configured_settings
from qbtui.cli.errors import CliError, UsageError
from qbtui.cli.output import Output
from qbtui.cli.parser import build_parser
from qbtui.cli.targets import check_selection, ensure_can_confirm
from qbtui.settings.config import Config, ConfigError, config_path, load_config

__all__ = ["main", "run_tui"]

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except (CliError, QbtError) as exc:
        report(str(exc))
        return exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if os.environ.get("QBTUI_DEBUG"):
            raise
        report(f"unexpected {type(exc).__name__}: {exc} (set QBTUI_DEBUG=1 for a traceback)")
        return 1


def report(message: str) -> None:
    line = printable(message)  # one line, and no escape sequence from a server reaches the terminal
    sys.stderr.write(f"qbtui: error: {line}\n")
    sys.stderr.flush()


def _main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if "all" in vars(args):
        check_selection(args.refs, args.all)
    if args.command is not None and args.confirm is not None and args.confirm(args):
        # Refuse before connecting (or asking a password manager) when nobody can confirm.
        ensure_can_confirm(args.yes, args.confirm_action)
    debug_log = debuglog.enable(args.debug_log) if args.debug_log else None
    try:
        if args.demo:
            return _run_demo(args, debug_log)
        config = _load_config(args)
        settings = _settings(args, config)
        if debug_log is not None:
            debug_log.add_secret(settings.password)
            debug_log.add_secret(settings.api_key)
            _log_settings(settings)
        return _dispatch(settings, args, config)
    except (CliError, QbtError) as exc:
        if debug_log is not None:
            logging.getLogger("qbtui").debug("error (exit %d): %s", exc.exit_code, exc)
        raise
    finally:
        if debug_log is not None:
            debug_log.close()


def _log_settings(settings: ConnectionSettings) -> None:
    if isinstance(settings.verify, str):
        verify = f"with CA file {settings.verify}"
    else:
        verify = "on (system CAs)" if settings.verify else "off (--insecure)"
    logging.getLogger("qbtui").debug(
        "connecting to %s as %r, password %s, API key %s, TLS verification %s, referer %s, timeout %g s",
        settings.base_url,
        settings.username,
        "given" if settings.password else "none",
        "given" if settings.api_key else "none",
        verify,
        settings.referer,
        settings.timeout,
    )


def _run_demo(args: Namespace, debug_log: debuglog.DebugLog | None) -> int:
    from qbtui.cli.demo import demo_server, demo_settings

    if args.url or args.password_env or args.password_cmd or args.api_key_env or args.api_key_cmd:
        raise UsageError("--demo uses its own server and login; drop --url and the password options")
    base = ConnectionSettings(referer=args.referer, timeout=args.timeout)
    with demo_server() as url:
        settings = demo_settings(url, base)
        if debug_log is not None:
            debug_log.add_secret(settings.password)
            _log_settings(settings)
        return _dispatch(settings, args)


def _load_config(args: Namespace) -> Config:
    path = Path(args.config).expanduser() if args.config else config_path()
    try:
        config = load_config(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    for warning in config.warnings:
        report(f"warning: {warning}")
    return config


def _settings(args: Namespace, config: Config) -> ConnectionSettings:
    """--url / QBTUI_URL win; else the config's --server NAME, default or only server; else localhost.
    A fleet (`--server all` or a group) starts from its first server's settings."""
    members = config.fleet(args.server)
    args.fleet = None
    if members:
        args.fleet = args.server
        args.server = members[0]
    if args.server is not None and args.server not in config.servers:
        known = ", ".join([*sorted(config.servers), *sorted(config.groups)]) or "none"
        raise UsageError(
            f"--server {args.server}: no [servers.{args.server}] in {config.path} (known: {known})"
        )
    explicit = args.url or os.environ.get(URL_ENV)
    server = None if explicit and args.server is None else config.server(args.server)
    if server is None:
        return build_settings(args, os.environ)
    settings = configured_settings(server, args)
    args.server = server.name
    return settings


def _dispatch(settings: ConnectionSettings, args: Namespace, config: Config | None = None) -> int:
    if args.serve:
        return _serve(settings, args)
    if args.command is None:
        return run_tui(settings, args, config)
    if getattr(args, "fleet", None) is not None and config is not None:
        return _run_fleet(config, args)
    asyncio.run(execute(settings, args, Output(json_mode=args.json)))
    return 0


def _run_fleet(config: Config, args: Namespace) -> int:
    """A command over several servers (`--server all`, `--server GROUP`): list and status."""
    from qbtui.cli.cmd_fleet import fleet_settings

    run = getattr(args, "fleet_run", None)
    if run is None:
        raise UsageError(
            f"{args.command} works on one server: give --server NAME (a fleet, --server {args.fleet}, "
            "works with list and status)"
        )
    members = config.fleet(args.fleet) or ()
    settings = fleet_settings(config, members, args)
    asyncio.run(run(settings, args, Output(json_mode=args.json)))
    return 0


def run_tui(settings: ConnectionSettings, args: Namespace, config: Config | None = None) -> int:
    """Open the full-screen interface on `settings`."""
    # A full-screen app on a pipe would draw into it forever; textual-serve sets its own driver.
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and "TEXTUAL_DRIVER" not in os.environ:
        raise UsageError("the interface needs a terminal; give a COMMAND to use qbtui from scripts")
    from qbtui.ui.run import TuiOptions
    from qbtui.ui.run import run_tui as run_app  # Textual loads only for the TUI, never for commands.

    config = config or Config()
    path = config.path
    first_run = (
        path is not None
        and not path.exists()
        and not args.demo
        and not args.url
        and URL_ENV not in os.environ
    )
    run_app(
        settings,
        TuiOptions(
            read_only=args.read_only,
            theme=args.theme or config.theme,
            keymap=config.keymap,
            bell=config.bell,
            interval=config.refresh_interval,
            unseen_interval=config.unseen_interval,
            active_interval=config.active_interval,
            servers=config.servers,
            server_name=args.server,
            config_path=None if args.demo else path,
            user_theme_dir=path.parent / "themes" if path is not None else None,
            first_run=first_run,
            columns=config.columns,
            sort=config.sort,
            reverse=config.reverse,
            views=list(config.views.values()),
            view_warnings=config.view_warnings,
            groups=config.groups,
            fleet=getattr(args, "fleet", None),
        ),
    )
    return 0


def _serve(settings: ConnectionSettings, args: Namespace) -> int:
    """--serve: each browser tab runs this same command line, minus --serve and the secrets."""
    from qbtui.cli.web import WebUnavailable, serve_web

    child = [arg for arg in sys.argv[1:] if arg not in ("--serve",)]
    child = _without_options(
        child, ("--password-cmd", "--password-env", "--api-key-cmd", "--api-key-env", "--host", "--port")
    )
    if args.demo:
        child = [arg for arg in child if arg != "--demo"] + [
            "--url",
            settings.url,
            "--username",
            settings.username or "",
        ]
    try:
        serve_web(settings, child, args.host, args.port)
    except WebUnavailable as exc:
        raise UsageError(str(exc)) from None
    return 0


def _without_options(argv: list[str], options: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in options:
            skip = True
            continue
        if arg.startswith(tuple(f"{option}=" for option in options)):
            continue
        out.append(arg)
    return out


async def execute(settings: ConnectionSettings, args: Namespace, out: Output) -> None:
    """Connect, log in, run one command, log out (or keep the session for the next run)."""
    if getattr(args, "saved_session", False):
        from qbtui.api.saved_session import connect_saved, save
        from qbtui.cli.cmd_status import check_format, session_file

        check_format(args.format)
        path = session_file()
        api = await connect_saved(settings, path)
        try:
            await args.run(api, args, out)
            save(api, path)
        finally:
            await api.close()
        return
    api = await connect(settings)
    try:
        await args.run(api, args, out)
    finally:
        await _close(api, logout=getattr(args, "logout", True))


async def _close(api: QbtApi, logout: bool) -> None:
    try:
        # Each CLI run would otherwise leave a session behind on the server until it expires.
        if logout and api.session.settings.username is not None:
            await api.logout()
    except QbtError:
        pass
    finally:
        await api.close()


def _silence_stdout() -> None:
    # The reader went away (`qbtui list | head`): keep Python's exit-time flush from complaining.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

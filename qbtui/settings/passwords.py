"""Where a server's password comes from: an environment variable, the stdout of a command the user
names (a password manager such as `pass show qbt`), the system keyring, or, discouraged, the config
file itself. Never from a command line we spawn, and never printed: errors name the source only.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

#: The keyring service name entries are stored under (`keyring set qbtui <server name>`).
KEYRING_SERVICE = "qbtui"


class PasswordError(Exception):
    """A password source that could not give a password; the message never contains one."""


@dataclass(frozen=True, slots=True)
class PasswordSource:
    """At most one of these is set; none means "no password" (a server with auth bypass)."""

    env: str | None = None
    command: str | None = None
    #: The keyring entry's user name (the server's name in the config), under KEYRING_SERVICE.
    keyring: str | None = None
    plain: str | None = None

    def describe(self) -> str:
        if self.env:
            return f"the environment variable {self.env}"
        if self.command:
            return f"the command {self.command!r}"
        if self.keyring:
            return f"the system keyring ({KEYRING_SERVICE}/{self.keyring})"
        if self.plain is not None:
            return "the config file"
        return "nowhere (no password)"

    def read(self, environ: Mapping[str, str] | None = None, *, interactive: bool = True) -> str | None:
        """The password. `interactive=False` (inside the running TUI) keeps a command away from the
        terminal: no stdin to prompt on, stderr discarded."""
        environ = os.environ if environ is None else environ
        if self.env:
            if self.env not in environ:
                raise PasswordError(f"the environment variable {self.env} is not set")
            return environ[self.env]
        if self.command:
            return run_password_command(self.command, interactive=interactive)
        if self.keyring:
            return read_keyring(self.keyring)
        return self.plain


def run_password_command(command: str, *, interactive: bool = True) -> str:
    """The first line the command prints. Its stderr and stdin stay on the terminal (for a
    passphrase prompt); it runs without a shell, and only its exit status is ever reported."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise PasswordError(f"cannot parse the password command: {exc}") from None
    if not argv:
        raise PasswordError("the password command is empty")
    try:
        # Interactive (the TUI's start, before the screen): a passphrase prompt may ask on the terminal.
        quiet = None if interactive else subprocess.DEVNULL
        result = subprocess.run(
            argv,
            stdin=quiet,
            stdout=subprocess.PIPE,
            stderr=quiet,
            check=False,
            timeout=None if interactive else 30,
        )
    except OSError as exc:
        raise PasswordError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise PasswordError(f"{argv[0]} did not finish within 30 s") from None
    if result.returncode != 0:
        raise PasswordError(f"{argv[0]} failed with exit status {result.returncode}")
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    if not lines or not lines[0]:
        raise PasswordError(f"{argv[0]} printed no password")
    return lines[0]


def read_keyring(name: str) -> str:
    """The password stored with `keyring set qbtui NAME`. keyring is optional: it is only imported
    here, for users who chose it."""
    try:
        import keyring
    except ImportError:
        raise PasswordError(
            "password_keyring needs the keyring package: pip install keyring (or use password_env or "
            "password_command)"
        ) from None
    try:
        password = keyring.get_password(KEYRING_SERVICE, name)
    except Exception as exc:  # backends raise their own types (no D-Bus, locked, ...)
        raise PasswordError(f"the system keyring failed: {type(exc).__name__}") from None
    if password is None:
        raise PasswordError(f"no password in the system keyring for {KEYRING_SERVICE}/{name}")
    return str(password)

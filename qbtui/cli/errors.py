"""Errors the CLI raises itself (the API layer's `QbtError`s carry their own exit codes)."""

from __future__ import annotations


class CliError(Exception):
    """A failure to report as one `qbtui: error:` line."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(CliError):
    """The command line asks for something impossible, or a destructive action was not confirmed."""

    exit_code = 2

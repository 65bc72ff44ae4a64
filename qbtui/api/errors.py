"""Errors the API client raises: one small hierarchy, each message something a user can act on.

Messages never contain a password or a session cookie.
"""

from __future__ import annotations


class QbtError(Exception):
    """Base of every error the client raises."""

    #: Exit code the CLI uses for this kind of error.
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConnectionProblem(QbtError):
    """Could not talk to the server at all (the CLI exits 3)."""

    exit_code = 3


class Unreachable(ConnectionProblem):
    """Nothing answers at the URL (refused, DNS failure, reset)."""


class TLSFailure(ConnectionProblem):
    """The TLS handshake failed, typically an untrusted or mismatched certificate."""


class RequestTimeout(ConnectionProblem):
    """The server accepted the connection but did not answer in time."""


class SessionRejected(ConnectionProblem):
    """The server answered 403 to a session that had just logged in successfully: not a refusal of
    our credentials (those would have failed the login), so it is retried like a lost connection."""


class AuthProblem(QbtError):
    """The server would not let us in (the CLI exits 3)."""

    exit_code = 3


class BadCredentials(AuthProblem):
    """Wrong username or password, or a login is needed and none was given."""


class PasswordMissing(BadCredentials):
    """The server wants a login and there is no password to give: nothing was sent (an empty login
    would count towards a ban)."""


class Banned(AuthProblem):
    """The server has banned this IP after too many failed logins."""


class CsrfRejected(AuthProblem):
    """HTTP 401: the server's Origin/Referer (CSRF) or Host header check failed."""


class NotSupported(QbtError):
    """The server's qBittorrent/API version does not have this operation or option."""


class BadResponse(QbtError):
    """The server answered with something we cannot understand (HTML, truncated JSON, ...)."""


class Conflict(QbtError):
    """HTTP 409 (v2) or the legacy 403 equivalent, e.g. torrent queueing is disabled."""


class NotFound(QbtError):
    """HTTP 404: unknown torrent hash (v2) or unknown endpoint."""


class Rejected(QbtError):
    """The server refused the request: 400, 415, 500 or an explicit `Fails.`."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TorrentNotFound(QbtError):
    """A torrent reference (hash or prefix) matched nothing, or more than one torrent."""

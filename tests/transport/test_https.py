"""HTTPS against a real qbittorrent-nox with a self-signed certificate.

Verification is on by default and fails with one clear sentence (what is wrong, which option fixes
it), never an ssl traceback; `--insecure` and `--ca-file` each accept the certificate, in the API
and in the CLI. Related mistakes get their own explanation: a certificate for another name, an
https:// URL on a plain-HTTP server, an http:// URL on an HTTPS server, an unusable CA file.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from qbtui.api.models import ApiGeneration
from tests.cli.helpers import assert_one_error_line, run_qbtui
from tests.support.noxserver import NoxInstance, NoxOptions
from tests.support.tcpproxy import TcpProxy

pytestmark = pytest.mark.nox


@pytest.fixture(scope="module")
def https_nox(nox_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoxInstance]:
    with NoxInstance(nox_binary, tmp_path_factory.mktemp("nox-https"), NoxOptions(https=True)) as instance:
        assert instance.url.startswith("https://") and instance.cert_path is not None
        yield instance


def settings_for(instance: NoxInstance, **overrides: object) -> ConnectionSettings:
    values: dict[str, object] = {
        "url": instance.url,
        "username": instance.username,
        "password": instance.password,
        "timeout": 10.0,
    }
    values.update(overrides)
    return ConnectionSettings(**values)  # type: ignore[arg-type]


def connect_error(settings: ConnectionSettings) -> errors.QbtError:
    async def attempt() -> None:
        api = await connect(settings)
        await api.close()

    with pytest.raises(errors.QbtError) as caught:
        asyncio.run(attempt())
    return caught.value


def assert_clear(error: errors.QbtError, *fragments: str) -> str:
    """One sentence with the fragments, no OpenSSL noise, and nothing chained to print as a traceback."""
    text = str(error)
    for fragment in fragments:
        assert fragment.lower() in text.lower(), text
    for noise in ("_ssl.c", "[SSL:", "Traceback", "\n", "httpx", "httpcore"):
        assert noise not in text, text
    assert error.__suppress_context__ and error.__cause__ is None
    printed = "".join(traceback.format_exception(error))
    assert "SSLError" not in printed and "SSLCertVerificationError" not in printed
    return text


def test_verification_is_on_by_default_and_fails_clearly(https_nox: NoxInstance) -> None:
    error = connect_error(settings_for(https_nox))
    assert isinstance(error, errors.TLSFailure) and error.exit_code == 3
    assert_clear(error, "not trusted", "self-signed certificate", "--ca-file", "--insecure", https_nox.url)


@pytest.mark.parametrize("how", ["insecure", "ca-file"])
def test_insecure_or_the_certificate_as_ca_file_connects(https_nox: NoxInstance, how: str) -> None:
    verify = False if how == "insecure" else str(https_nox.cert_path)

    async def use() -> tuple[ApiGeneration, dict[str, object]]:
        api: QbtApi = await connect(settings_for(https_nox, verify=verify))
        try:
            return api.info.generation, await api.maindata(0)
        finally:
            await api.close()

    generation, payload = asyncio.run(use())
    assert generation is ApiGeneration.V2
    assert "server_state" in payload


def test_cli_verifies_by_default_and_accepts_insecure_or_ca_file(https_nox: NoxInstance) -> None:
    env = {"QBTUI_PASSWORD": https_nox.password}
    base = ["--url", https_nox.url, "--username", https_nox.username]

    refused = run_qbtui(*base, "list", env=env)
    assert refused.returncode == 3
    assert refused.stdout == ""
    line = assert_one_error_line(refused, "not trusted", "self-signed", "--ca-file", "--insecure")
    assert "_ssl.c" not in line and "[SSL:" not in line

    for option in (["--insecure"], ["--ca-file", str(https_nox.cert_path)]):
        accepted = run_qbtui(*base, *option, "--json", "version", env=env)
        assert accepted.returncode == 0, accepted.stderr
        assert accepted.stderr == ""
        assert f"v{https_nox.version}" in accepted.stdout


def test_certificate_for_another_address_is_named(https_nox: NoxInstance) -> None:
    """The same server reached as 127.0.0.2 (a TCP forwarder): the certificate lists 127.0.0.1 only."""
    with TcpProxy(https_nox.webui_port, listen_host="127.0.0.2") as forwarder:
        url = forwarder.url("https")
        error = connect_error(settings_for(https_nox, url=url, verify=str(https_nox.cert_path)))
        assert isinstance(error, errors.TLSFailure)
        assert_clear(error, "not valid for 127.0.0.2", "mismatch", "--insecure")
        assert "--ca-file" not in str(error)  # trusting the certificate would not help


def test_https_url_on_a_plain_http_server(nox: NoxInstance) -> None:
    """qBittorrent waits for an HTTP request line and never answers the TLS hello: a clear timeout."""
    plain = nox.url.replace("http://", "https://")
    error = connect_error(settings_for(nox, url=plain, timeout=2.0))
    assert isinstance(error, errors.TLSFailure)
    assert_clear(error, "TLS handshake", "http:// URL")


def test_http_url_on_an_https_server(https_nox: NoxInstance) -> None:
    plain = https_nox.url.replace("https://", "http://")
    error = connect_error(settings_for(https_nox, url=plain))
    assert isinstance(error, errors.Unreachable)
    assert_clear(error, "dropped the connection", "https:// URL")


def test_unusable_ca_file(https_nox: NoxInstance, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    error = connect_error(settings_for(https_nox, verify=str(missing)))
    assert isinstance(error, errors.TLSFailure)
    assert_clear(error, "cannot read CA file", str(missing), "No such file")

    garbage = tmp_path / "garbage.pem"
    garbage.write_text("this is not a certificate\n")
    error = connect_error(settings_for(https_nox, verify=str(garbage)))
    assert_clear(error, "no usable PEM certificate", str(garbage))

    result = run_qbtui("--url", https_nox.url, "--ca-file", str(missing), "version")
    assert result.returncode == 3
    assert_one_error_line(result, "cannot read CA file")

"""qbtui behind nginx (Debian's package) with a path prefix and a different Host, against a real
qbittorrent-nox 4.5.2 with its CSRF protection and Host header validation on (their defaults).

The client connects to `http://127.0.0.2:<nginx port>/<prefix>/`; nox listens on 127.0.0.1:<port>.
qBittorrent answers 401 when (a) the Referer/Origin names another host:port than X-Forwarded-Host
(else Host), or (b) Host names neither its address nor a server domain, or another port than its
own. Each nginx location below is one common proxy setup:

| prefix       | what nginx sends upstream                  | referer none | match | upstream URL |
|--------------|--------------------------------------------|--------------|-------|--------------|
| /qbt/        | Host: 127.0.0.1:<nox port> (nginx default) | passes       | 401   | passes       |
| /fwd/        | default Host + X-Forwarded-Host: client's  | passes       | passes| 401          |
| /hostname/   | Host: 127.0.0.2 ($host: name, no port)     | passes       | 401   | 401          |
| /passhost/   | Host: 127.0.0.2:<nginx port> ($http_host)  | 401          | 401   | 401          |

So the default (`--referer none`) works behind every proxy whose Host passes the Host check, and
`/passhost/` needs a change on the server side (Host header validation off) or in the proxy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from tests.cli.helpers import assert_one_error_line, run_qbtui
from tests.support.nginx import NginxProxy, Route
from tests.support.noxfix import NginxFactory, NoxFactory
from tests.support.noxserver import ConfigValue, NoxInstance, NoxOptions

pytestmark = pytest.mark.nox


def routes_to(nox: NoxInstance) -> list[Route]:
    upstream = f"http://127.0.0.1:{nox.webui_port}/"
    return [
        Route("/qbt/", upstream),
        Route("/fwd/", upstream, {"X-Forwarded-Host": "$http_host"}),
        Route("/hostname/", upstream, {"Host": "$host"}),
        Route("/passhost/", upstream, {"Host": "$http_host"}),
    ]


@dataclass
class Proxied:
    nox: NoxInstance
    nginx: NginxProxy

    def url(self, prefix: str) -> str:
        return f"{self.nginx.url}{prefix}"

    @property
    def upstream_origin(self) -> str:
        return f"http://127.0.0.1:{self.nox.webui_port}/"

    def settings(self, prefix: str, referer: str = "none") -> ConnectionSettings:
        return ConnectionSettings(
            url=self.url(prefix),
            username=self.nox.username,
            password=self.nox.password,
            referer=referer,
            timeout=10,
        )


@pytest.fixture(scope="module")
def proxied(
    nox_binary: Path, nginx_binary: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Proxied]:
    # qBittorrent 5.3 heeds X-Forwarded-Host only with reverse proxy support on (earlier versions
    # always did): on, as README tells users behind a proxy to set it.
    reverse_proxy: dict[str, ConfigValue] = {
        "WebUI\\ReverseProxySupportEnabled": True,
        "WebUI\\TrustedReverseProxiesList": "127.0.0.1",
    }
    options = NoxOptions(extra_config={"Preferences": reverse_proxy})
    with NoxInstance(nox_binary, tmp_path_factory.mktemp("nox-proxied"), options) as nox:
        nginx = NginxProxy(nginx_binary, tmp_path_factory.mktemp("nginx"), routes_to(nox))
        with nginx:
            yield Proxied(nox, nginx)


def exercise(settings: ConnectionSettings, category: str) -> list[str]:
    """Login, maindata and a command through the proxy; returns the categories the server reports."""

    async def run() -> list[str]:
        api: QbtApi = await connect(settings)
        try:
            payload = await api.maindata(0)
            # 5.x leaves out "torrents" when there are none.
            assert "server_state" in payload and isinstance(payload.get("torrents", {}), dict)
            await api.create_category(category)
            names = sorted(await api.categories())
            await api.remove_categories([category])
            return names
        finally:
            await api.close()

    return asyncio.run(run())


def refused(settings: ConnectionSettings) -> errors.QbtError:
    with pytest.raises(errors.QbtError) as caught:
        exercise(settings, "never")
    return caught.value


@pytest.mark.parametrize(
    ("prefix", "referer"),
    [
        ("/qbt/", "none"),
        ("/qbt/", "upstream"),
        ("/fwd/", "none"),
        ("/fwd/", "match"),
        ("/hostname/", "none"),
    ],
)
def test_login_maindata_and_a_command_work_through_the_proxy(
    proxied: Proxied, prefix: str, referer: str
) -> None:
    policy = proxied.upstream_origin if referer == "upstream" else referer
    category = f"via-proxy-{prefix.strip('/')}-{referer}"
    assert category in exercise(proxied.settings(prefix, policy), category)
    # It really went through nginx, under the prefix, with the client's Host.
    lines = [
        line for line in proxied.nginx.access_lines() if f"{prefix}api/v2/torrents/createCategory" in line
    ]
    assert lines and f'host="127.0.0.2:{proxied.nginx.port}"' in lines[-1]
    assert " 200 " in lines[-1]


def test_match_referer_behind_a_host_rewriting_proxy_is_explained(proxied: Proxied) -> None:
    error = refused(proxied.settings("/qbt/", "match"))
    assert isinstance(error, errors.CsrfRejected)
    text = str(error)
    for fragment in (
        "HTTP 401",
        f"http://127.0.0.2:{proxied.nginx.port}/",
        "--referer none",
        "X-Forwarded-Host",
    ):
        assert fragment in text, text
    # The login was never sent: the version probe already got 401, so no failed login was counted.
    assert not [line for line in proxied.nginx.access_lines() if "auth/login" in line and " 401 " in line]


def test_upstream_referer_with_forwarded_host_is_explained(proxied: Proxied) -> None:
    error = refused(proxied.settings("/fwd/", proxied.upstream_origin))
    assert isinstance(error, errors.CsrfRejected)
    assert proxied.upstream_origin in str(error) and "--referer none" in str(error)


def test_proxy_passing_the_clients_host_with_its_port_fails_host_validation_and_is_explained(
    proxied: Proxied,
) -> None:
    for policy in ("none", "match"):
        error = refused(proxied.settings("/passhost/", policy))
        assert isinstance(error, errors.CsrfRejected)
    error = refused(proxied.settings("/passhost/"))
    text = str(error)
    for fragment in ("HTTP 401", "Host header", "$http_host", "Host header validation"):
        assert fragment in text, text


def test_cli_through_the_proxy(proxied: Proxied) -> None:
    env = {"QBTUI_PASSWORD": proxied.nox.password}
    base = ["--url", proxied.url("/qbt/"), "--username", proxied.nox.username]
    listed = run_qbtui(*base, "--json", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip().startswith("[")
    added = run_qbtui(*base, "category", "add", "cli-via-proxy", env=env)
    assert added.returncode == 0, added.stderr
    with proxied.nox.client() as raw:
        assert "cli-via-proxy" in raw.get("/api/v2/torrents/categories").json()
        raw.post("/api/v2/torrents/removeCategories", data={"categories": "cli-via-proxy"})

    mismatch = run_qbtui(*base, "--referer", "match", "list", env=env)
    assert mismatch.returncode == 3
    assert_one_error_line(mismatch, "401", "--referer none", "X-Forwarded-Host")


def test_keep_alive_through_the_proxy(proxied: Proxied) -> None:
    """Everything after the first probe shares one client connection (nginx's `$connection`)."""
    before = len(proxied.nginx.access_lines())

    async def run() -> None:
        api = await connect(proxied.settings("/qbt/"))
        try:
            for rid in range(4):
                await api.maindata(rid)
            await api.transfer_info()
        finally:
            await api.close()

    asyncio.run(run())
    lines = proxied.nginx.access_lines()[before:]
    assert len(lines) >= 8, lines
    serials = [int(line.split(" ", 1)[0]) for line in lines]
    # The probe asks for a close (the generation is unknown until it answers); then one connection.
    assert len(set(serials)) == 2, lines
    assert len(set(serials[1:])) == 1, lines


def test_https_url_on_the_plain_proxy_is_explained(proxied: Proxied) -> None:
    """nginx answers a TLS hello on a plain port with an HTTP 400: OpenSSL sees no TLS at all."""
    settings = proxied.settings("/qbt/")
    settings.url = settings.url.replace("http://", "https://")
    error = refused(settings)
    assert isinstance(error, errors.TLSFailure)
    assert "does not speak TLS" in str(error) and "http:// URL" in str(error)


def test_qbittorrent_compares_referer_ports_literally(proxied: Proxied) -> None:
    """Why `--referer match` leaves a default port out: to qBittorrent (QUrl) `host` has port -1 and
    `http://host:80/` port 80, so an explicit default port in the Referer fails its CSRF check."""
    nox = proxied.nox
    with httpx.Client(base_url=nox.url, trust_env=False, timeout=10) as raw:
        probe = "/api/v2/app/webapiVersion"
        assert (
            raw.get(probe, headers={"Host": "127.0.0.1", "Referer": "http://127.0.0.1/"}).status_code == 403
        )
        assert (
            raw.get(probe, headers={"Host": "127.0.0.1", "Referer": "http://127.0.0.1:80/"}).status_code
            == 401
        )
    assert ConnectionSettings(url="http://127.0.0.2:80/qbt/").origin() == "http://127.0.0.2"
    assert ConnectionSettings(url="https://nas.example/qbt").origin() == "https://nas.example"
    assert ConnectionSettings(url="http://[::1]:8080").origin() == "http://[::1]:8080"


def test_match_referer_on_a_default_port(proxied: Proxied, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--referer match` on `http://qbt.test/fwd/` (port 80, so Host is `qbt.test`) must send
    `http://qbt.test/`, not `http://qbt.test:80/`. Port 80 cannot be bound here, so the request
    reaches nginx as an HTTP forward proxy (`HTTP_PROXY`, which httpx honours): nginx still sees
    Host `qbt.test` and forwards it as X-Forwarded-Host."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxied.nginx.url)
    settings = ConnectionSettings(
        url="http://qbt.test/fwd/",
        username=proxied.nox.username,
        password=proxied.nox.password,
        referer="match",
        timeout=10,
    )
    assert "default-port" in exercise(settings, "default-port")
    assert any('host="qbt.test" referer="http://qbt.test/"' in line for line in proxied.nginx.access_lines())


def test_turning_off_host_header_validation_fixes_a_proxy_passing_its_host(
    nox_factory: NoxFactory, nginx_factory: NginxFactory
) -> None:
    """The remedy README gives for `/passhost/`-style proxies, on a server configured that way."""
    nox = nox_factory(host_header_validation=False)
    nginx = nginx_factory(routes_to(nox))
    settings = ConnectionSettings(
        url=f"{nginx.url}/passhost/", username=nox.username, password=nox.password, timeout=10
    )
    assert "no-host-check" in exercise(settings, "no-host-check")

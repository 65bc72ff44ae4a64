"""Sessions, logins, bans, auth bypass, and the CSRF and Host checks (facts §1.4, §1.5)."""

from __future__ import annotations

import re

import httpx

from qbtui.sim import SimRequest
from tests.sim.helpers import client, login, new_sim, post


def test_login_sets_a_session_cookie_and_protects_the_rest() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    assert http.get("/query/torrents").status_code == 403
    assert http.get("/sync/maindata").status_code == 403
    assert post(http, "/command/pauseAll").status_code == 403
    sid = login(http)
    assert len(sid) == 32 and http.get("/query/torrents").json() == []


def test_login_with_a_live_session_does_not_check_credentials() -> None:
    http = client(new_sim(torrent_count=0))
    login(http)
    reply = post(http, "/login", "username=who&password=ever")
    assert reply.text == "Ok." and "set-cookie" not in reply.headers


def test_credentials_come_from_the_body_only() -> None:
    http = client(new_sim(torrent_count=0))
    assert http.post("/login?username=admin&password=adminadmin").text == "Fails."
    assert post(http, "/login", "USERNAME=admin&PASSWORD=adminadmin").text == "Ok."  # keys lower-cased


def test_password_with_spaces_and_plus() -> None:
    sim = new_sim(torrent_count=0, password="a b+c")
    assert post(client(sim), "/login", "username=admin&password=a+b+c").text == "Fails."
    assert post(client(sim), "/login", "username=admin&password=a%20b+c").text == "Ok."


def test_logout_expires_the_cookie() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    sid = login(http)
    reply = http.post("/logout")
    assert reply.status_code == 200 and reply.content == b""
    assert re.fullmatch(
        r"SID=; expires=\w{3}, \d\d-\w{3}-\d{4} \d\d:\d\d:\d\d GMT; path=/", reply.headers["set-cookie"]
    )
    assert "Sat, 28-Nov-2026 04:30:00 GMT" in reply.headers["set-cookie"]  # a day before the clock
    stale = client(sim)
    stale.cookies.set("SID", sid)
    assert stale.get("/query/torrents").status_code == 403
    assert "set-cookie" not in client(sim).post("/logout").headers  # nothing to end


def test_sessions_expire_after_fifteen_idle_minutes() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    login(http)
    sim.advance(899)
    assert http.get("/query/torrents").status_code == 200  # refreshed
    sim.advance(899)
    assert http.get("/query/torrents").status_code == 200
    sim.advance(961)  # the purge timer runs every minute: gone by then
    assert http.get("/query/torrents").status_code == 403


def test_five_failures_ban_every_request_for_an_hour() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    good = client(sim)
    login(good)
    for attempt in range(4):
        assert post(http, "/login", f"username=admin&password=no{attempt}").text == "Fails."
    assert post(http, "/login", "username=admin&password=adminadmin").text == "Ok."  # not reset by this
    http.cookies.clear()
    assert post(http, "/login", "username=admin&password=no5").text == "Fails."
    for client_ in (http, good):  # same IP: the ban covers the logged-in client too
        reply = client_.get("/version/api")
        assert reply.status_code == 403 and "banned" in reply.text
    assert post(http, "/login", "username=admin&password=adminadmin").status_code == 403
    assert client(sim, client_ip="10.1.1.1").get("/version/api").status_code == 200  # other IPs are fine
    sim.advance(3599)
    assert http.get("/version/api").status_code == 403
    sim.advance(1)
    assert http.get("/version/api").text == "17"
    assert post(http, "/login", "username=admin&password=again").text == "Fails."  # counter starts over
    assert http.get("/version/api").status_code == 200


def test_ban_is_configurable() -> None:
    sim = new_sim(torrent_count=0, max_auth_failures=2, ban_seconds=10)
    http = client(sim)
    for _ in range(2):
        post(http, "/login", "username=x&password=y")
    assert http.get("/version/api").status_code == 403
    sim.advance(10)
    assert http.get("/version/api").status_code == 200


def test_auth_bypass_for_loopback() -> None:
    sim = new_sim(torrent_count=0, bypass_local_auth=True)
    http = client(sim)
    first = http.get("/query/torrents")
    assert first.status_code == 200 and first.headers["set-cookie"].startswith("SID=")
    second = client(sim).get("/query/torrents")
    assert second.headers["set-cookie"] != first.headers["set-cookie"]  # a new session each time
    assert "set-cookie" not in http.get("/query/torrents").headers  # kept cookie: same session
    assert client(sim, client_ip="192.0.2.9").get("/query/torrents").status_code == 403
    assert client(sim, client_ip="::ffff:127.0.0.1").get("/query/torrents").status_code == 200


def test_auth_bypass_for_a_whitelisted_subnet() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    login(http)
    body = 'json={"bypass_auth_subnet_whitelist_enabled":true,"bypass_auth_subnet_whitelist":"192.0.2.0/24"}'
    assert post(http, "/command/setPreferences", body).status_code == 200
    assert client(sim, client_ip="192.0.2.9").get("/query/torrents").status_code == 200
    assert client(sim, client_ip="198.51.100.1").get("/query/torrents").status_code == 403


def test_cross_site_requests_are_401_and_logged() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    login(http)
    for headers in (
        {"Referer": "http://127.0.0.1:9999/"},
        {"Referer": "http://localhost:8080/"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999", "Referer": "http://127.0.0.1:8080/"},  # Origin decides
    ):
        reply = http.get("/query/torrents", headers=headers)
        assert (reply.status_code, reply.content) == (401, b""), headers
        assert reply.headers["x-frame-options"] == "SAMEORIGIN"
    for headers in (
        {"Referer": "http://127.0.0.1:8080/"},
        {"Referer": "https://127.0.0.1:8080/some/page"},  # the scheme is not compared
        {"Origin": "http://127.0.0.1:8080"},
        {"Origin": "http://proxy.example:443", "X-Forwarded-Host": "proxy.example:443"},
    ):
        assert http.get("/query/torrents", headers=headers).status_code == 200, headers
    warnings = [e["message"] for e in http.get("/query/getLog?normal=false&info=false").json()]
    assert any("Referer header & Target origin mismatch! Source IP: '127.0.0.1'" in m for m in warnings)
    assert any("Origin header & Target origin mismatch!" in m for m in warnings)


def test_csrf_runs_before_the_ban() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    for _ in range(5):
        post(http, "/login", "username=x&password=y")
    assert http.get("/version/api", headers={"Referer": "http://elsewhere:1/"}).status_code == 401


def test_host_header_validation() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    assert http.get("/version/api", headers={"Host": "127.0.0.1:8081"}).status_code == 401  # port-forwarded
    assert (
        http.get("/version/api", headers={"Host": "anything.example"}).status_code == 200
    )  # domain list "*"
    assert http.get("/version/api", headers={"Host": "127.0.0.1"}).status_code == 200  # no port: fine
    reply = sim.handle(SimRequest("GET", "/version/api"))  # no Host at all
    assert reply.status == 200
    strict = new_sim(torrent_count=0, domain_list="*.example.org;qbt.lan")
    http = client(strict)
    assert http.get("/version/api", headers={"Host": "seedbox.example.org:8080"}).status_code == 200
    assert http.get("/version/api", headers={"Host": "qbt.lan"}).status_code == 200
    assert (
        http.get("/version/api", headers={"Host": "127.0.0.1:8080"}).status_code == 200
    )  # the local address
    assert http.get("/version/api", headers={"Host": "other.net"}).status_code == 401
    # QString::contains(QRegExp): the wildcard may match inside the host.
    assert http.get("/version/api", headers={"Host": "qbt.lan.evil.net"}).status_code == 200


def test_sids_are_deterministic_per_seed() -> None:
    def sids(seed: int) -> list[str]:
        sim = new_sim(torrent_count=0, seed=seed)
        return [login(client(sim)) for _ in range(3)]

    assert sids(1) == sids(1) and sids(1) != sids(2)
    assert all(re.fullmatch(r"[A-Za-z0-9+/]{32}", sid) for sid in sids(1))


def test_cookie_parsing() -> None:
    sim = new_sim(torrent_count=0)
    sid = login(client(sim))
    for header in (f"SID={sid}", f"a=b; SID={sid}", f'SID="{sid}"; other=1', f"SID=stale; SID={sid}"):
        reply = sim.handle(SimRequest("GET", "/query/torrents", {"Cookie": header, "Host": "127.0.0.1:8080"}))
        assert reply.status == 200, header
    reply = sim.handle(SimRequest("GET", "/query/torrents", {"Cookie": f"XSID={sid}"}))
    assert reply.status == 403


def test_a_client_with_httpx_cookie_jar_just_works() -> None:
    sim = new_sim(torrent_count=0)
    with httpx.Client(transport=client(sim)._transport, base_url="http://127.0.0.1:8080") as http:
        assert post(http, "/login", "username=admin&password=adminadmin").text == "Ok."
        assert http.get("/query/transferInfo").status_code == 200

"""Error answers read as one short line: a proxy's HTML error page by its title, and an answer that
is not the JSON promised says what was wrong with it (issue 14)."""

from __future__ import annotations

import httpx
import pytest

from qbtui.api import ConnectionSettings, errors
from qbtui.api.session import HttpSession


def session(handler) -> HttpSession:  # type: ignore[no-untyped-def]
    return HttpSession(ConnectionSettings(url="http://qbt.test/"), httpx.MockTransport(handler))


NGINX_500 = (
    "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body></html>"
)


async def test_an_html_error_page_is_named_by_its_title() -> None:
    http = session(lambda request: httpx.Response(500, text=NGINX_500, headers={"content-type": "text/html"}))
    with pytest.raises(errors.Rejected) as caught:
        await http.get("api/v2/torrents/info")
    assert str(caught.value) == "the server refused: 500 Internal Server Error (HTTP 500)"
    await http.aclose()


async def test_a_gateway_error_is_a_passing_outage() -> None:
    page = NGINX_500.replace("500 Internal Server Error", "502 Bad Gateway")
    http = session(lambda request: httpx.Response(502, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(errors.Unreachable) as caught:
        await http.get("api/v2/sync/maindata")
    assert "HTTP 502 (502 Bad Gateway)" in str(caught.value) and "<" not in str(caught.value)
    await http.aclose()


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        ('{"rid": 1, "torrents": {', "application/json", "broken JSON (Expecting property name"),
        ("<html><title>Login</title></html>", "text/html; charset=UTF-8", "expected JSON, got text/html"),
        ("Forbidden", "text/plain", "expected JSON, got text/plain (9 bytes): 'Forbidden'"),
    ],
)
async def test_a_bad_json_answer_says_what_was_wrong(body: str, kind: str, expected: str) -> None:
    http = session(lambda request: httpx.Response(200, text=body, headers={"content-type": kind}))
    response = await http.get("api/v2/sync/maindata")
    with pytest.raises(errors.BadResponse) as caught:
        HttpSession.json(response, "sync/maindata?rid=0")
    message = str(caught.value)
    assert message.startswith("sync/maindata: ") and expected in message, message
    assert "got application/json" not in message
    await http.aclose()

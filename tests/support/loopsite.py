"""A small HTTP site on loopback for the real servers to fetch from: RSS feeds, .torrent files and
search plugins, never the internet.

`LoopSite` serves whatever its `routes` say (path -> content type and bytes, changeable while it
runs) from a thread, and counts requests per path. `rss_feed()` writes an RSS 2.0 document, and
`engine_source()` a qBittorrent search plugin (nova3) whose results depend on what is searched.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from xml.sax.saxutils import escape, quoteattr

LOOPBACK = "127.0.0.1"


class LoopSite:
    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                site.hits[path] += 1
                found = site.routes.get(path)
                if found is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                kind, body = found
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((LOOPBACK, port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def serve(self, path: str, body: bytes | str, kind: str = "application/octet-stream") -> str:
        """Serve `body` at `path`; returns its full URL."""
        self.routes[path] = (kind, body.encode() if isinstance(body, str) else body)
        return self.url + path

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------- RSS


@dataclass(frozen=True)
class Item:
    title: str
    guid: str
    #: Unix seconds.
    published: float
    description: str = ""
    #: An enclosure with type application/x-bittorrent (qBittorrent's torrentURL), or None.
    enclosure: str | None = None
    link: str = ""


def rss_feed(title: str, items: list[Item]) -> str:
    entries = []
    for item in items:
        parts = [
            f"<title>{escape(item.title)}</title>",
            f"<guid>{escape(item.guid)}</guid>",
            f"<pubDate>{format_datetime(datetime.fromtimestamp(item.published, UTC))}</pubDate>",
        ]
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.description:
            parts.append(f"<description>{escape(item.description)}</description>")
        if item.enclosure:
            parts.append(
                f'<enclosure url={quoteattr(item.enclosure)} length="1000" type="application/x-bittorrent"/>'
            )
        entries.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>{escape(title)}</description>" + "".join(entries) + "</channel></rss>"
    )


# --------------------------------------------------------------------------------------------- search


def engine_source(
    name: str,
    site_url: str,
    version: str = "1.00",
    results: int = 5,
    catalog: list[tuple[str, str, int, int]] | None = None,
) -> str:
    """A search plugin (the class, file and plugin name are all `name`).

    With a `catalog` of (name, size, seeds, leechers), a search prints the entries whose name holds
    every searched word (case-insensitively), with magnet links. Otherwise:

    Searching for WORDS prints `results` results named "WORDS result N" (N = 0, 1, ...) with sizes
    N+1 MiB, N*3 % 7 seeds and N leechers, links to magnet links, except that result 0 links to
    SITE/t/WORDS-0.torrent. Category "tv" gets only the first two. A search for a pattern starting
    with "slow" prints two results, then waits until SITE/release answers 200 (at most 60 s) before
    printing the rest: a search that is still running.
    """
    return f'''# VERSION: {version}
# AUTHORS: qbtui tests
import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request

from novaprinter import prettyPrinter


class {name}(object):
    url = "{site_url}"
    name = "qbtui test engine {name}"
    supported_categories = {{"all": "0", "tv": "1", "software": "2"}}

    def _released(self):
        try:
            with urllib.request.urlopen(self.url + "/release", timeout=2) as answer:
                return answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    catalog = {catalog!r}

    def search(self, what, cat="all"):
        words = urllib.parse.unquote(what)
        if self.catalog is not None:
            wanted = words.lower().split()
            for n, (title, size, seeds, leech) in enumerate(self.catalog):
                if all(word in title.lower() for word in wanted):
                    digest = hashlib.sha1(title.encode()).hexdigest()
                    prettyPrinter({{
                        "link": "magnet:?xt=urn:btih:%s&dn=%s" % (digest, urllib.parse.quote(title)),
                        "name": title, "size": size, "seeds": seeds, "leech": leech,
                        "engine_url": self.url, "desc_link": self.url + "/d/%d" % n,
                        "pub_date": 1796000000 - n * 86400,
                    }})
            return
        count = 2 if cat == "tv" else {results}
        for n in range(count):
            if n == 2 and words.startswith("slow"):
                deadline = time.time() + 60
                while not self._released() and time.time() < deadline:
                    time.sleep(0.2)
            digest = hashlib.sha1(("%s/%d" % (words, n)).encode()).hexdigest()
            link = "magnet:?xt=urn:btih:%s&dn=%s" % (digest, urllib.parse.quote(words))
            if n == 0:
                link = self.url + "/t/" + urllib.parse.quote(words.replace(" ", "_")) + "-0.torrent"
            prettyPrinter({{
                "link": link,
                "name": "%s result %d" % (words, n),
                "size": "%d MB" % (n + 1),
                "seeds": (n * 3) % 7,
                "leech": n,
                "engine_url": self.url,
                "desc_link": self.url + "/d/%d" % n,
                "pub_date": 1700000000 + n,
            }})
'''

"""A loopback web server that misbehaves on purpose, for the crawler's fault tests.

The simulated web (``simweb``) is a well-behaved site with a few polite traps; a crawler left
running for a year also meets servers that never answer, cut the connection, speak no HTTP,
trickle a byte a second, send ten megabytes, redirect forever or inflate to a gigabyte. Each
behaviour lives at a fixed path, whatever the host, so a test registry can point any outlet at
it through ``--connect-to ::127.0.0.1:PORT``. Sockets are handled by hand because most of these
answers are things an HTTP library refuses to produce.

Paths (all on any host; feeds build absolute links from the request's ``Host``):

- ``/guasto/hang``: reads the request, never answers.
- ``/guasto/reset``: half an answer, then a TCP reset (``SO_LINGER`` 0).
- ``/guasto/garbage``: random bytes that are not HTTP, then close.
- ``/guasto/drip``: a valid header, then one body byte per second.
- ``/guasto/loop-a`` and ``/guasto/loop-b``: redirect to each other forever.
- ``/enorme/length`` and ``/enorme/chunked``: a 10 MiB page, announced or chunked.
- ``/enorme/bomb``: ``Content-Encoding: gzip``, 1 MiB on the wire, 1 GiB inflated.
- ``/enorme/sitemap.xml.gz``: the same bomb as a gzipped sitemap file (no content coding).
- ``/feeds/guasti.xml``, ``/feeds/enormi.xml``: RSS feeds listing the pages above.
- ``/articoli/N.html`` (1 <= N <= ``articles``): a tiny valid article; a few name the topic.
- ``/feeds/articoli.xml``: RSS feed listing every ``/articoli/N.html``.
"""

from __future__ import annotations

import contextlib
import functools
import random
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from xml.sax.saxutils import escape

BIG_PAGE_BYTES = 10 * 1024 * 1024
BOMB_INFLATED_BYTES = 1 << 30
MANY_ARTICLES = 5000
MENTION_EVERY = 500
"""Every this-many-th article names the topic (10 of 5,000)."""

HANG = "/guasto/hang"
RESET = "/guasto/reset"
GARBAGE = "/guasto/garbage"
DRIP = "/guasto/drip"
LOOP = "/guasto/loop-a"
BIG_WITH_LENGTH = "/enorme/length"
BIG_CHUNKED = "/enorme/chunked"
GZIP_BOMB = "/enorme/bomb"
SITEMAP_BOMB = "/enorme/sitemap.xml.gz"
BROKEN_FEED = "/feeds/guasti.xml"
HUGE_FEED = "/feeds/enormi.xml"
ARTICLES_FEED = "/feeds/articoli.xml"

BROKEN_PAGES = (HANG, RESET, GARBAGE, DRIP, LOOP)
HUGE_PAGES = (BIG_WITH_LENGTH, BIG_CHUNKED, GZIP_BOMB)

_CHUNK = 64 * 1024
_IO_TIMEOUT_SECONDS = 30.0
_HEAD_LIMIT = 64 * 1024
_PUBLISHED = "2023-10-17"


@dataclass(frozen=True)
class Hit:
    """One request the server read, so tests can count fetches per path."""

    host: str
    path: str


def article_path(number: int) -> str:
    return f"/articoli/{number}.html"


def mentions_in(number: int) -> int:
    """How many times article ``number`` names LgNet2: 1 to 3 for every ``MENTION_EVERY``-th."""
    return 1 + (number // MENTION_EVERY) % 3 if number % MENTION_EVERY == 0 else 0


def planted_mentions(articles: int) -> dict[str, int]:
    """Path -> how many times that article names LgNet2, for the articles that do."""
    return {article_path(n): mentions_in(n) for n in range(1, articles + 1) if mentions_in(n)}


@functools.cache
def gzip_bomb() -> bytes:
    """About 1 MiB of gzip that inflates to ``BOMB_INFLATED_BYTES`` of spaces.

    Built without holding the inflated data: one fully flushed deflate block of 1 MiB of
    spaces depends on nothing before it, so the stream is that block repeated, then an empty
    final block and the gzip trailer (CRC-32 and length of the inflated data).
    """
    chunk = b" " * (1 << 20)
    blocks = BOMB_INFLATED_BYTES // len(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final_empty_block = b"\x03\x00"
    trailer = struct.pack("<II", crc, BOMB_INFLATED_BYTES & 0xFFFFFFFF)
    return header + block * blocks + final_empty_block + trailer


def article_html(number: int, host: str) -> str:
    """A short but complete article; the planted ones name the topic their planted number of
    times, the others name nothing."""
    topic = " ".join(
        "Il progetto LgNet2 sostiene gli sportelli per i cittadini stranieri."
        for _ in range(mentions_in(number))
    )
    return f"""<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8">
<title>Notizia numero {number} dal quartiere</title>
<link rel="canonical" href="http://{host}{article_path(number)}">
<meta property="article:published_time" content="{_PUBLISHED}T09:00:00+02:00">
</head><body><article>
<h1>Notizia numero {number} dal quartiere</h1>
<p>Il consiglio di quartiere si è riunito martedì sera per discutere della manutenzione dei
giardini pubblici e degli orari della biblioteca civica, numero {number} dell'anno.</p>
<p>I residenti hanno chiesto più panchine e una fontanella nuova vicino al campo da bocce.
{topic}</p>
</article></body></html>
"""


def rss(host: str, paths: list[str]) -> str:
    """An RSS 2.0 feed with one entry per path, linked on ``host``."""
    items = "".join(
        f"<item><title>Voce {escape(p)}</title><link>http://{host}{escape(p)}</link>"
        f"<pubDate>Tue, 17 Oct 2023 09:00:00 +0200</pubDate></item>\n"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{host}</title><link>http://{host}/</link><description>prove</description>\n"
        f"{items}</channel></rss>\n"
    )


class FaultServer:
    """The misbehaving server on 127.0.0.1, one thread per connection; a context manager.

    ``articles`` is how many ``/articoli/N.html`` pages exist (and ``/feeds/articoli.xml``
    lists); ``hits`` records every request read, in order.
    """

    def __init__(self, articles: int = 0) -> None:
        self.articles = articles
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()

    @property
    def connect_to(self) -> str:
        """The ``--connect-to`` rule sending every connection here."""
        return f"::127.0.0.1:{self.port}"

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for hit in self.hits if hit.path == path)

    def __enter__(self) -> FaultServer:
        acceptor = threading.Thread(target=self._accept, name="faults-accept", daemon=True)
        acceptor.start()
        self._threads.append(acceptor)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            with self._lock:
                self._open.add(connection)
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        """One request per connection: misbehaving servers rarely keep connections alive."""
        try:
            connection.settimeout(_IO_TIMEOUT_SECONDS)
            request = _read_head(connection)
            if request is None:
                return
            host, path = request
            with self._lock:
                self.hits.append(Hit(host, path))
            self._answer(connection, host, path)
        except OSError:
            pass  # the crawler gave up on us: exactly what these pages are for
        finally:
            with self._lock:
                self._open.discard(connection)
            with contextlib.suppress(OSError):
                connection.close()

    def _answer(self, connection: socket.socket, host: str, path: str) -> None:
        if path == HANG:
            self._wait_for_close(connection)
        elif path == RESET:
            _send_head(connection, 200, "text/html; charset=utf-8", length=100_000)
            connection.sendall(b"<html><body><p>" + b"interrotto " * 100)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif path == GARBAGE:
            noise = random.Random(6).randbytes(4096)
            connection.sendall(b"\x00\xffSPAZZATURA" + noise)
        elif path == DRIP:
            _send_head(connection, 200, "text/html; charset=utf-8", length=10_000)
            while not self._stopping.wait(1.0):
                connection.sendall(b" ")
        elif path in ("/guasto/loop-a", "/guasto/loop-b"):
            other = "/guasto/loop-b" if path.endswith("a") else "/guasto/loop-a"
            _send_head(connection, 302, "text/html", length=0, location=f"http://{host}{other}")
        elif path == BIG_WITH_LENGTH:
            _send_head(connection, 200, "text/html; charset=utf-8", length=BIG_PAGE_BYTES)
            for chunk in _filler(BIG_PAGE_BYTES):
                connection.sendall(chunk)
        elif path == BIG_CHUNKED:
            _send_head(connection, 200, "text/html; charset=utf-8", chunked=True)
            for chunk in _filler(BIG_PAGE_BYTES):
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
        elif path == GZIP_BOMB:
            bomb = gzip_bomb()
            _send_head(connection, 200, "text/html", length=len(bomb), encoding="gzip")
            connection.sendall(bomb)
        elif path == SITEMAP_BOMB:
            bomb = gzip_bomb()
            _send_head(connection, 200, "application/x-gzip", length=len(bomb))
            connection.sendall(bomb)
        elif path == BROKEN_FEED:
            _send_page(connection, rss(host, list(BROKEN_PAGES)), "application/rss+xml")
        elif path == HUGE_FEED:
            _send_page(connection, rss(host, list(HUGE_PAGES)), "application/rss+xml")
        elif path == ARTICLES_FEED:
            paths = [article_path(n) for n in range(1, self.articles + 1)]
            _send_page(connection, rss(host, paths), "application/rss+xml")
        elif (number := _article_number(path)) is not None and number <= self.articles:
            _send_page(connection, article_html(number, host), "text/html; charset=utf-8")
        else:
            _send_page(connection, "<html><body>Pagina non trovata</body></html>", status=404)

    def _wait_for_close(self, connection: socket.socket) -> None:
        """Hold the connection without a byte of answer until the client or the test quits."""
        connection.settimeout(0.2)
        while not self._stopping.is_set():
            try:
                if not connection.recv(1024):
                    return
            except TimeoutError:
                continue


def _read_head(connection: socket.socket) -> tuple[str, str] | None:
    """(host, path) of the request, or None when the client closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > _HEAD_LIMIT:
            return None
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if lines[0].count(" ") >= 2 else "/"
    host = next(
        (v.strip() for k, _, v in (x.partition(":") for x in lines[1:]) if k.lower() == "host"),
        "",
    )
    return host.split(":")[0], path


def _send_head(
    connection: socket.socket,
    status: int,
    content_type: str,
    *,
    length: int | None = None,
    chunked: bool = False,
    encoding: str | None = None,
    location: str | None = None,
) -> None:
    reasons = {200: "OK", 302: "Found", 404: "Not Found"}
    headers = [
        f"HTTP/1.1 {status} {reasons[status]}",
        f"Date: {formatdate(usegmt=True)}",
        f"Content-Type: {content_type}",
        "Connection: close",
    ]
    if length is not None:
        headers.append(f"Content-Length: {length}")
    if chunked:
        headers.append("Transfer-Encoding: chunked")
    if encoding:
        headers.append(f"Content-Encoding: {encoding}")
    if location:
        headers.append(f"Location: {location}")
    connection.sendall(("\r\n".join(headers) + "\r\n\r\n").encode("latin-1"))


def _send_page(
    connection: socket.socket, text: str, content_type: str = "text/html", status: int = 200
) -> None:
    body = text.encode("utf-8")
    _send_head(connection, status, content_type, length=len(body))
    connection.sendall(body)


def _filler(total: int) -> Iterator[bytes]:
    """``total`` bytes of a plausible HTML page, produced a chunk at a time."""
    paragraph = b"<p>Testo di riempimento per una pagina enorme, ripetuto fino alla fine.</p>\n"
    chunk = (paragraph * (_CHUNK // len(paragraph) + 1))[:_CHUNK]
    sent = 0
    while sent < total:
        piece = chunk[: min(_CHUNK, total - sent)]
        sent += len(piece)
        yield piece


def _article_number(path: str) -> int | None:
    name = path.removeprefix("/articoli/").removesuffix(".html")
    if path.startswith("/articoli/") and name.isdigit():
        return int(name)
    return None

"""A local web of many outlets behind one loopback port.

Crawls are tested against real outlet URLs (``https://www.cronacatorino.test/...``) sent to this
server with curl-style ``--connect-to ::127.0.0.1:PORT``: the Host header picks the outlet, and
the first byte of a connection picks the protocol (0x16 opens a TLS handshake, anything else is
plain HTTP), so HTTP and HTTPS share the port the way a mirror behind one address would.

Pages are either stored (``add``) or produced on request (``add_site``), so a generated web of
hundreds of thousands of pages costs no memory. Each page can misbehave on purpose: fail with
503 a few times, redirect, or answer conditional requests with 304.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import trustme

logger = logging.getLogger(__name__)

SiteHandler = Callable[[str], "Page | None"]
"""Given a path with its query string, the page to serve there, or None for 404."""

_GZIP_MIN_BYTES = 1024
_IO_TIMEOUT_SECONDS = 30.0


@dataclass
class Page:
    """One answer of the web; the defaults are a plain, cacheable HTML page."""

    body: bytes | str
    """Served as is when bytes; a str is encoded with the charset of ``content_type``."""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    """Extra response headers; a ``Last-Modified`` here replaces the default one."""
    fail_first: int = 0
    """Answer 503 with ``Retry-After: 1`` this many times before serving the page."""
    redirect_to: str | None = None
    """Answer 301 with this absolute URL as ``Location``."""
    conditional: bool = True
    """Send ``ETag`` and ``Last-Modified`` and answer 304 to a matching conditional request."""

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return self.body.encode(_charset(self.content_type))


@dataclass(frozen=True)
class Hit:
    """One request the web answered, kept so tests can count fetches and read what was sent."""

    host: str
    path: str
    """As requested, query string included."""
    method: str
    status: int
    headers: dict[str, str]
    """The request headers."""
    at: float = 0.0
    """``time.monotonic()`` when the request arrived (before it was answered), to check the
    crawler's pacing."""
    answered: float = 0.0
    """``time.monotonic()`` when its answer was ready: with ``at``, how long the request was
    under way, to count a crawler's requests to one host at a time."""


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Web:
    """Many hosts served by Host header, HTTP and HTTPS on the same loopback port.

    Hosts are known from the pages added; the TLS certificate (from a throwaway trustme CA, in
    ``ca``) names every one of them and is reissued when hosts are added after ``start``.
    ``port`` is 0 until ``start`` binds a free one.
    """

    def __init__(self) -> None:
        self.port = 0
        self.hits: list[Hit] = []
        self.latency = 0.0
        """Seconds every answer waits before it is sent: a slow web, for tests that need a
        crawl to last (two workers sharing one)."""
        self.server_names: list[str | None] = []
        """The SNI of every TLS handshake, in order (None when the client sent none)."""
        self.ca = trustme.CA()
        self._pages: dict[str, dict[str, tuple[Page, str]]] = {}
        self._sites: dict[str, tuple[SiteHandler, str]] = {}
        self._failures_served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self._tls_hosts: frozenset[str] = frozenset()
        self._host_contexts: dict[str, ssl.SSLContext] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- content ---------------------------------------------------------------------------

    def add(self, url: str, page: Page) -> None:
        """Serve ``page`` at ``url`` (any scheme); adding again replaces it."""
        host, target = _split(url)
        with self._lock:
            self._pages.setdefault(host, {})[target] = (page, _http_date())
            self._failures_served.pop((host, target), None)

    def add_site(self, host: str, handler: SiteHandler) -> None:
        """Serve ``host``'s pages that were not added one by one from ``handler``."""
        with self._lock:
            self._sites[_bare(host)] = (handler, _http_date())

    def remove(self, url: str) -> None:
        host, target = _split(url)
        with self._lock:
            self._pages.get(host, {}).pop(target, None)

    def hosts(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._pages) | frozenset(self._sites)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._server is not None:
            return
        self._tls_context()
        server = _Server(("127.0.0.1", 0), _Handler, self)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"simweb:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Web:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addressing and bookkeeping -------------------------------------------------------

    @property
    def connect_to(self) -> str:
        """The curl ``--connect-to`` rule that sends every host to this server."""
        return f"::127.0.0.1:{self.port}"

    def base(self, host: str, scheme: str = "https") -> str:
        return f"{scheme}://{host}"

    def fetch_count(self, url: str, status: int | None = 200) -> int:
        """How many times ``url`` (host, path and query) was answered, with ``status`` if given."""
        host, target = _split(url)
        with self._lock:
            return sum(
                1
                for hit in self.hits
                if hit.host == host
                and hit.path == target
                and (status is None or hit.status == status)
            )

    # -- serving ---------------------------------------------------------------------------

    def _tls_context(self) -> ssl.SSLContext:
        """The certificate naming every host, for a client that sends no SNI; a handshake that
        names a known host is switched to that host's own certificate (``_by_server_name``)."""
        hosts = self.hosts()
        with self._lock:
            if self._tls is None or hosts != self._tls_hosts:
                names = sorted(hosts | {"localhost"})
                context = self._context_for(*names, "127.0.0.1")
                context.sni_callback = self._by_server_name
                self._tls, self._tls_hosts = context, hosts
            return self._tls

    def _context_for(self, *names: str) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*names).configure_cert(context)
        return context

    def _by_server_name(
        self, connection: ssl.SSLObject, name: str | None, _context: ssl.SSLContext
    ) -> None:
        """Keep the TLS server name of each handshake (a mirror must see the real host's) and
        answer with a certificate of that host alone, as a real site does: a client checks
        the names of the certificate it gets on every connection, and one naming the hundreds
        of hosts of a generated web made that check most of a benchmark crawl's CPU."""
        with self._lock:
            self.server_names.append(name)
            if name is None or _bare(name) not in self._tls_hosts:
                return
            context = self._host_contexts.get(name)
        if context is None:
            context = self._context_for(name)
            with self._lock:
                context = self._host_contexts.setdefault(name, context)
        connection.context = context

    def _answer(self, handler: _Handler, *, send_body: bool) -> None:
        arrived = time.monotonic()  # before any work of ours: what a site's log would stamp
        if self.latency:
            time.sleep(self.latency)
        host, target = _request_target(handler)
        request_headers = dict(handler.headers.items())
        answer = self._respond(host, target, request_headers)
        body = answer.body
        headers = list(answer.headers)
        if (
            body
            and "gzip" in request_headers.get("Accept-Encoding", "")
            and (len(body) >= _GZIP_MIN_BYTES and answer.status == 200)
        ):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        with self._lock:
            self.hits.append(
                Hit(
                    host,
                    target,
                    handler.command,
                    answer.status,
                    request_headers,
                    arrived,
                    time.monotonic(),
                )
            )
        handler.send_response(answer.status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if send_body:
            handler.wfile.write(body)

    def _respond(self, host: str, target: str, request_headers: dict[str, str]) -> _Answer:
        found = self._route(host, target)
        if found is None:
            return _Answer(404, [("Content-Type", "text/html; charset=utf-8")], _NOT_FOUND)
        page, route, added = found
        if self._should_fail(host, route, page.fail_first):
            return _Answer(
                503,
                [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "1")],
                _UNAVAILABLE,
            )
        if page.redirect_to is not None:
            return _Answer(
                301,
                [("Location", page.redirect_to), ("Content-Type", "text/html; charset=utf-8")],
                _MOVED,
            )
        body = page.encoded()
        extra = {k: v for k, v in page.headers.items() if k.lower() != "last-modified"}
        headers = [("Content-Type", page.content_type), *extra.items()]
        if page.conditional and page.status == 200:
            etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
            last_modified = _header(page.headers, "Last-Modified") or added
            headers += [("ETag", etag), ("Last-Modified", last_modified)]
            if _not_modified(request_headers, etag, last_modified):
                return _Answer(304, headers[1:], b"")
        return _Answer(page.status, headers, body)

    def _route(self, host: str, target: str) -> tuple[Page, str, str] | None:
        """Exact path and query first, then the path alone (tracking parameters), else None."""
        path = target.split("?", 1)[0]
        candidates = [target] if path == target else [target, path]
        with self._lock:
            pages = self._pages.get(host, {})
            site = self._sites.get(host)
        for candidate in candidates:
            if candidate in pages:
                page, added = pages[candidate]
                return page, candidate, added
        if site is not None:
            handler, added = site
            for candidate in candidates:
                page = handler(candidate)
                if page is not None:
                    return page, candidate, added
        return None

    def _should_fail(self, host: str, route: str, fail_first: int) -> bool:
        if fail_first <= 0:
            return False
        with self._lock:
            served = self._failures_served.get((host, route), 0)
            if served >= fail_first:
                return False
            self._failures_served[(host, route)] = served + 1
            return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "simweb"
    timeout = _IO_TIMEOUT_SECONDS
    disable_nagle_algorithm = True
    """Headers and body go out in separate writes; Nagle would hold the body for an ACK."""
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self.server.web._answer(self, send_body=True)

    def do_HEAD(self) -> None:
        self.server.web._answer(self, send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a crawl of thousands of pages must not flood the test output."""


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Threaded server that sniffs each connection for TLS before handing it to HTTP."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], handler: type[_Handler], web: Web) -> None:
        self.web = web
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._closing = False
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        connection: socket.socket = request
        self._track(connection)
        try:
            connection.settimeout(_IO_TIMEOUT_SECONDS)
            first = connection.recv(1, socket.MSG_PEEK)
            if not first:
                return
            if first == b"\x16":
                plain = connection
                connection = self.web._tls_context().wrap_socket(plain, server_side=True)
                self._untrack(plain)
                self._track(connection)
            self.RequestHandlerClass(connection, client_address, self)
        except (OSError, ssl.SSLError) as exc:
            logger.debug("simweb connection from %s ended: %s", client_address, exc)
        finally:
            self._untrack(connection)
            if connection is not request:
                connection.close()

    def _track(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.add(connection)
            closing = self._closing
        if closing:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def _untrack(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(connection)

    def close_connections(self) -> None:
        """Wake keep-alive connections idling in a read so their threads end now."""
        with self._open_lock:
            self._closing = True
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("simweb error serving %s", client_address, exc_info=True)


_NOT_FOUND = b"<!doctype html><title>404</title><h1>Pagina non trovata</h1>"
_UNAVAILABLE = b"<!doctype html><title>503</title><h1>Servizio temporaneamente non disponibile</h1>"
_MOVED = b"<!doctype html><title>301</title><h1>Spostato</h1>"


def _bare(host: str) -> str:
    return host.lower().rstrip(".")


def _split(url: str) -> tuple[str, str]:
    """(host, path?query) of an absolute URL, the key pages are stored and counted under."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return _bare(parts.hostname or ""), target


def _request_target(handler: _Handler) -> tuple[str, str]:
    raw = handler.path
    if raw.startswith(("http://", "https://")):
        return _split(raw)
    host = handler.headers.get("Host", "")
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    else:
        host = host.rsplit(":", 1)[0] if ":" in host else host
    return _bare(host), raw or "/"


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _http_date() -> str:
    return formatdate(time.time(), usegmt=True)


def _not_modified(request_headers: dict[str, str], etag: str, last_modified: str) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    lowered = {k.lower(): v for k, v in request_headers.items()}
    if "if-none-match" in lowered:
        tags = {t.strip().removeprefix("W/") for t in lowered["if-none-match"].split(",")}
        return "*" in tags or etag in tags
    since = lowered.get("if-modified-since")
    if not since:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False

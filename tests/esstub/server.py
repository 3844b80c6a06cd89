"""The stub's HTTP side: a threaded loopback server that answers like an Elasticsearch node.

It records every request for the tests, and misbehaves on purpose the way a real cluster does:
refuses connections while "down" (data kept, same port when it comes back), answers the next
requests with an error status, answers them late (past a client's timeout), requires an API
key, refuses chosen documents in ``_bulk`` (``reject_documents``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.esstub import writes
from tests.esstub.api import Api, Call
from tests.esstub.errors import ESError, bad_request
from tests.esstub.state import Cluster, Rejecter, StubIndex

logger = logging.getLogger(__name__)

_VENDOR_JSON = "application/vnd.elasticsearch+json;compatible-with=8"
_INJECTED_TYPES = {429: "es_rejected_execution_exception", 503: "unavailable_shards_exception"}
_AUTH_CHALLENGES = ('Basic realm="security", charset="UTF-8"', "ApiKey")


@dataclass(frozen=True)
class Recorded:
    """One request as the stub received it."""

    method: str
    path: str
    """As sent, percent-encoding kept, without the query string."""
    params: dict[str, str]
    headers: dict[str, str]
    """Names lower-cased."""
    json: Any
    """The parsed body, or None (no body, not JSON, or NDJSON)."""
    ndjson: list[Any] | None
    """The parsed lines of a ``_bulk`` body, else None."""


class ESStub:
    """A local Elasticsearch 8.19 node for tests, spoken to by the official client."""

    def __init__(self, *, api_key: str | None = None) -> None:
        self.api_key = api_key
        """Required in ``Authorization: ApiKey ...`` (as given, or base64 of ``id:key``)."""
        self.requests: list[Recorded] = []
        self.port = 0
        self._cluster = Cluster()
        self._api = Api(self._cluster)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._failures: list[int] = []
        self._stalls: list[float] = []
        self._lock = threading.Lock()

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server(("127.0.0.1", self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"esstub-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def go_down(self) -> None:
        """Refuse connections, open ones included, until ``come_back``; the data stays."""
        self.stop()

    def come_back(self) -> None:
        """Listen again on the same port."""
        self.start()

    def __enter__(self) -> ESStub:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- state and misbehaviour --------------------------------------------------------

    @property
    def indices(self) -> dict[str, StubIndex]:
        return self._cluster.indices

    @property
    def templates(self) -> dict[str, dict[str, Any]]:
        return self._cluster.templates

    @property
    def reject_documents(self) -> Rejecter | None:
        return self._cluster.reject_documents

    @reject_documents.setter
    def reject_documents(self, rejecter: Rejecter | None) -> None:
        self._cluster.reject_documents = rejecter

    def fail_next(self, n: int, status: int = 503) -> None:
        """Answer the next ``n`` requests with ``status`` and an ES error body."""
        with self._lock:
            self._failures.extend([status] * n)

    def stall_next(self, n: int, seconds: float) -> None:
        """Answer the next ``n`` requests only after ``seconds`` (then as usual), as an
        overloaded node does: a client with a shorter timeout gives up first."""
        with self._lock:
            self._stalls.extend([seconds] * n)

    def requests_to(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # --- answering ---------------------------------------------------------------------

    def answer(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        """(status, JSON body or None) for one request."""
        split = urlsplit(target)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        is_bulk = split.path.endswith("/_bulk")
        try:
            if headers.get("content-encoding"):
                raise bad_request("compressed bodies (not implemented by the ES stub)")
            parsed, lines = _parse_body(body, is_bulk=is_bulk)
        except ESError as error:
            self._record(method, split.path, params, headers, None, None)
            return error.status, error.body()
        self._record(method, split.path, params, headers, parsed, lines)
        with self._lock:
            stall = self._stalls.pop(0) if self._stalls else None
            injected = self._failures.pop(0) if self._failures else None
        if stall is not None:
            time.sleep(stall)
        if injected is not None:
            failure = ESError(
                injected,
                _INJECTED_TYPES.get(injected, "stub_injected_failure"),
                f"failure injected by the ES stub (status {injected})",
            )
            return injected, failure.body()
        denied = self._authenticate(headers, split.path)
        if denied is not None:
            return 401, denied.body()
        try:
            reply = self._api.handle(Call(method, split.path, params, parsed, lines, {}))
        except ESError as error:
            return error.status, error.body()
        return reply.status, reply.body

    def _record(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        headers: dict[str, str],
        parsed: Any,
        lines: list[Any] | None,
    ) -> None:
        with self._lock:
            self.requests.append(Recorded(method, path, params, headers, parsed, lines))

    def _authenticate(self, headers: dict[str, str], path: str) -> ESError | None:
        if self.api_key is None:
            return None
        given = headers.get("authorization", "")
        scheme, _, credentials = given.partition(" ")
        encoded = base64.b64encode(self.api_key.encode()).decode()
        if scheme == "ApiKey" and credentials in (self.api_key, encoded):
            return None
        reason = (
            f"missing authentication credentials for REST request [{path}]"
            if not given
            else "unable to authenticate with provided credentials and anonymous access is not "
            f"allowed for this request [{path}]"
        )
        return ESError(
            401, "security_exception", reason, header={"WWW-Authenticate": list(_AUTH_CHALLENGES)}
        )


def _parse_body(body: bytes, *, is_bulk: bool) -> tuple[Any, list[Any] | None]:
    """(JSON, None), or (None, NDJSON lines) for ``_bulk``; a malformed body is ES's 400."""
    if not body:
        return None, None
    if is_bulk:
        return None, writes.parse_lines(body)
    try:
        return json.loads(body), None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ESError(400, "x_content_parse_exception", f"[1:1] {error}") from None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], stub: ESStub) -> None:
        self.stub = stub
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Drop kept-alive connections too, so a "down" node really answers nothing."""
        with self.connections_lock:
            open_sockets = list(self.connections)
        for connection in open_sockets:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("ES stub connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body leave in two writes; with Nagle each answer would wait ~40 ms."""
    server: _Server

    def _handle(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload = self.server.stub.answer(self.command, self.path, headers, body)
        self._send(status, payload, headers)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def _send(self, status: int, payload: Any, request_headers: dict[str, str]) -> None:
        vendor = "vnd.elasticsearch" in request_headers.get("accept", "")
        data = b"" if payload is None or self.command == "HEAD" else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", _VENDOR_JSON if vendor else "application/json")
        if status == 401:
            for challenge in _AUTH_CHALLENGES:
                self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("ES stub request: %s", format % args)

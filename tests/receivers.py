"""Loopback receivers for alert channels: an SMTP server and a JSON webhook.

Alerts are tested through the real protocols (Apprise speaking SMTP and HTTP), against
servers that record what arrives and can be made to fail: the SMTP server can be stopped and
started again on the same port ("mail server down, then up"), the webhook can answer 500.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import ssl
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SMTPReceiver:
    """An SMTP server on 127.0.0.1 keeping every message it accepts in ``messages``.

    With ``tls`` (a server ``ssl.SSLContext``) it offers STARTTLS and requires it; with
    ``login`` it also requires that user and password (AUTH over TLS only, as real relays do).
    """

    def __init__(
        self, *, tls: ssl.SSLContext | None = None, login: tuple[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self._tls = tls
        self._login = login
        self._controller: Controller | None = None

    def start(self) -> SMTPReceiver:
        """Listen (again) on the same port; aiosmtpd controllers cannot be restarted."""
        options: dict[str, Any] = {}
        if self._tls is not None:
            options.update(tls_context=self._tls, require_starttls=True)
        if self._login is not None:
            options.update(authenticator=self._authenticate, auth_required=True)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(
        self, to: str = "redazione@example.org", *, scheme: str = "mailto", **extra: str
    ) -> str:
        """An Apprise URL delivering to this server, without TLS unless ``scheme`` asks."""
        query = {"smtp": "127.0.0.1", "port": str(self.port), "from": "rassegna@example.org"}
        query.update(to=to, **extra)
        credentials = ":".join(self._login) + "@" if self._login else ""
        return f"{scheme}://{credentials}example.org?{urlencode(query)}"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and (
                data.login.decode(),
                data.password.decode(),
            )
            == self._login
        )
        return AuthResult(success=ok)

    def __enter__(self) -> SMTPReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 keeping every JSON body posted to it in ``payloads``.

    ``status`` is the code it answers; set it to 500 to play a broken endpoint.
    """

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.status < 300:
                    receiver.payloads.append(json.loads(body))
                    receiver.headers.append(dict(self.headers))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reports what matters."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    def start(self) -> WebhookReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""``rassegna extract``: one page through extraction and enrichment, shown field by field.

For a press officer asking "why is this article (not) in the rassegna?": the record shows
the title, date and byline as read, where the date came from, the mentions with their
context, and whether the page counted as an article at all.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.connect_to import ConnectTo, resolve
from crawler.errors import FetchError
from crawler.settings import USER_AGENT
from enrichment.enrich import enrich, is_article
from enrichment.extract import extract_page
from enrichment.registry import Outlet, Registry

MAX_BYTES = 8 * 1024 * 1024
MAX_REDIRECTS = 10


class _RedirectedHTTPS(http.client.HTTPSConnection):
    """HTTPS to another address while the TLS server name stays the URL's host."""

    def __init__(self, host: str, port: int, target: tuple[str, int]) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # mirrors use self-signed certificates
        super().__init__(host, port, timeout=30, context=context)
        self._target = target
        self._context = context

    def connect(self) -> None:
        raw = socket.create_connection(self._target, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _fetch(url: str, rules: tuple[ConnectTo, ...]) -> tuple[bytes, str, str | None]:
    """GET an http(s) URL, following redirects, honouring ``--connect-to`` rules."""
    for _ in range(MAX_REDIRECTS):
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = resolve(rules, host, port)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = _RedirectedHTTPS(host, port, target)
        else:
            connection = http.client.HTTPConnection(*target, timeout=30)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                path,
                headers={"Host": parts.netloc, "User-Agent": USER_AGENT, "Accept": "text/html,*/*"},
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status >= 400:
                raise FetchError(url, f"HTTP {response.status}")
            body = response.read(MAX_BYTES)
            charset = response.headers.get_content_charset()
            return body, url, charset
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(url, f"cannot fetch: {exc}") from exc
        finally:
            connection.close()
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def extract_record(
    page: str, url: str | None, registry: Registry, rules: tuple[ConnectTo, ...] = ()
) -> dict[str, Any]:
    if page.startswith(("http://", "https://")):
        body, final_url, charset = _fetch(page, rules)
    else:
        path = Path(page)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise FetchError(str(page), f"cannot read: {exc.strerror or exc}") from exc
        final_url, charset = url or path.resolve().as_uri(), None
    extracted = extract_page(body, final_url, encoding=charset)
    outlet = registry.outlet_for_url(final_url)
    known = outlet is not None
    if outlet is None:
        outlet = Outlet(
            name=final_url.split("/")[2] if "://" in final_url else page, category="portali"
        )
    article = enrich(extracted, outlet, registry.topic)
    record = asdict(article)
    record.update(
        {
            "category": article.category if known else None,
            "outlet_in_registry": known,
            "is_article": is_article(extracted),
            "in_rassegna": known and is_article(extracted) and article.mentions > 0,
            "date_source": extracted.date_source,
            "canonical_url": extracted.canonical_url,
            "attribution": extracted.attribution,
        }
    )
    return record

"""One page fetched outside a crawl, with the crawl's manners: ``rassegna extract`` and
``rassegna add``.

For a press officer asking "why is this article (not) in the rassegna?" (``extract``), or
adding one the crawl cannot find (``add``), a page is fetched with http.client as the crawl
would fetch it: the project's User-Agent, robots.txt obeyed (``add``), ``--connect-to``
honoured, the crawl's timeout and size limit. A network failure is one line naming the URL.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.robotstxt import ProtegoRobotParser

from crawler.connect_to import ConnectTo, resolve
from crawler.errors import FetchError
from crawler.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT
from enrichment.enrich import enrich, is_article
from enrichment.extract import extract_page
from enrichment.registry import Outlet, Registry

MAX_REDIRECTS = 10


@dataclass(frozen=True)
class FetchedBody:
    status: int
    body: bytes
    url: str
    """The address the body came from, after redirects."""
    charset: str | None


class _RedirectedHTTPS(http.client.HTTPSConnection):
    """HTTPS to another address while the TLS server name stays the URL's host."""

    def __init__(self, host: str, port: int, target: tuple[str, int]) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # as Scrapy's default; mirrors are self-signed
        super().__init__(host, port, timeout=DOWNLOAD_TIMEOUT, context=context)
        self._target = target
        self._context = context

    def connect(self) -> None:
        raw = socket.create_connection(self._target, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _reason(exc: Exception) -> str:
    """A network failure in a few words a press officer can act on."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {DOWNLOAD_TIMEOUT}s"
    if isinstance(exc, socket.gaierror):
        return "host not found (DNS)"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    return f"cannot fetch: {exc}"


def get(url: str, rules: Sequence[ConnectTo]) -> FetchedBody:
    """GET an http(s) URL, following redirects, honouring ``--connect-to`` rules; any status.

    Raises ``FetchError`` (one line naming the URL) on a network failure, a body larger than
    the crawl's ``DOWNLOAD_MAXSIZE``, or a loop of redirects.
    """
    for _ in range(MAX_REDIRECTS):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(url, "the port is not a number") from None
        host = parts.hostname
        target = resolve(tuple(rules), host, port)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = _RedirectedHTTPS(host, port, target)
        else:
            connection = http.client.HTTPConnection(*target, timeout=DOWNLOAD_TIMEOUT)
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
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            if len(body) > DOWNLOAD_MAXSIZE:
                raise FetchError(url, f"larger than {DOWNLOAD_MAXSIZE // (1024 * 1024)} MB")
            return FetchedBody(response.status, body, url, response.headers.get_content_charset())
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(url, _reason(exc)) from exc
        finally:
            connection.close()
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def fetch(url: str, rules: Sequence[ConnectTo]) -> FetchedBody:
    """``get``, refusing an HTTP error status as a ``FetchError``."""
    answer = get(url, rules)
    if answer.status >= 400:
        raise FetchError(answer.url, f"HTTP {answer.status}")
    return answer


def robots_allow(url: str, rules: Sequence[ConnectTo]) -> bool:
    """Whether the site's robots.txt lets our User-Agent fetch ``url``, read as the crawl
    reads it (Scrapy's Protego parser); a robots.txt that answers an error allows all."""
    parts = urlsplit(url)
    answer = get(urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", "")), rules)
    if answer.status >= 400:
        return True
    return bool(ProtegoRobotParser(answer.body, None).allowed(url, USER_AGENT))


def extract_record(
    page: str, url: str | None, registry: Registry, rules: tuple[ConnectTo, ...] = ()
) -> dict[str, Any]:
    if page.startswith(("http://", "https://")):
        answer = fetch(page, rules)
        body, final_url, charset = answer.body, answer.url, answer.charset
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

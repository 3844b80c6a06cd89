"""Fetching for the registry check, politely: one request at a time per host, a pause between
two requests to the same host, each URL fetched once per check.

Every request goes through ``crawler.one_page.get`` (the crawl's User-Agent, ``--connect-to``,
timeout and size limit), so the check sees what the crawl would see. robots.txt is read once
per site, both to obey it and because discovery looks for sitemaps in it. Threads checking
different outlets share one ``PoliteFetcher``: two outlets on one host still take turns.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from scrapy.robotstxt import ProtegoRobotParser

from crawler.connect_to import ConnectTo
from crawler.errors import FetchError
from crawler.one_page import FetchedBody, get
from crawler.settings import DOWNLOAD_TIMEOUT, USER_AGENT

DELAY_SECONDS = 0.5
"""Default pause between two requests to the same host: a check of a few dozen paths per
site must not look like an attack to a small newspaper's server."""


class PoliteFetcher:
    def __init__(self, rules: Sequence[ConnectTo], delay: float = DELAY_SECONDS) -> None:
        self._rules = tuple(rules)
        self._delay = delay
        self._guard = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._answers: dict[str, FetchedBody | FetchError] = {}
        self._robots: dict[str, ProtegoRobotParser | None] = {}

    def get(self, url: str) -> FetchedBody:
        """The answer at ``url``, whatever its status; ``FetchError`` when the site did not
        answer. A URL asked twice (an entry point that discovery also tries) is fetched once."""
        host = (urlsplit(url).hostname or "").lower()
        # One site, one pace: ``www.x`` and ``x`` share the pause, since a redirect from one
        # form to the other reaches the second within the same ``get``.
        host = host.removeprefix("www.")
        with self._guard:
            lock = self._hosts.setdefault(host, threading.Lock())
        with lock:
            if url not in self._answers:
                wait = self._last.get(host, 0.0) + self._delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    self._answers[url] = get(url, self._rules)
                except FetchError as exc:
                    self._answers[url] = exc
                finally:
                    self._last[host] = time.monotonic()
            answer = self._answers[url]
        if isinstance(answer, FetchError):
            raise answer
        return answer

    def robots_txt(self, url: str) -> str | None:
        """The text of the robots.txt of ``url``'s site; None when it has none or no answer."""
        try:
            answer = self.get(_robots_url(url))
        except FetchError:
            return None
        if answer.status >= 400:
            return None
        return answer.body.decode(answer.charset or "utf-8", errors="replace")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url``, read as the crawl reads it
        (Protego); no robots.txt, or none reachable, allows all."""
        site = _robots_url(url)
        if site not in self._robots:
            text = self.robots_txt(url)
            parser = ProtegoRobotParser(text.encode(), None) if text is not None else None
            with self._guard:
                self._robots[site] = parser
        parser = self._robots[site]
        return parser is None or bool(parser.allowed(url, USER_AGENT))


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def reason_of(exc: FetchError) -> str:
    """A network failure in Italian, for the report (``one_page`` words it in English)."""
    cause = exc.__cause__
    if isinstance(cause, ConnectionRefusedError):
        return "connessione rifiutata: il server non risponde"
    if isinstance(cause, TimeoutError):
        return f"nessuna risposta entro {DOWNLOAD_TIMEOUT} s"
    if isinstance(cause, socket.gaierror):
        return "host inesistente (DNS)"
    if isinstance(cause, ssl.SSLError):
        return f"connessione TLS non riuscita ({cause.reason or cause})"
    if isinstance(cause, OSError):
        return f"rete: {cause.strerror or cause}"
    return f"non raggiungibile: {str(exc).rpartition(': ')[2]}"

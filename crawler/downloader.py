"""A download handler that honours ``--connect-to`` rules.

Scrapy resolves and connects to the URL's own host. To crawl a mirror we only change where
the TCP connection goes: the request line, the Host header and the TLS server name (SNI) stay
those of the original URL, so the mirror sees exactly what the real site would. Installed for
http and https only when rules are configured (setting ``CONNECT_TO``: a tuple of
``crawler.connect_to.ConnectTo``).

Scrapy has no public hook for the connection endpoint; this builds on its HTTP/1.1 handler's
agent, which is why ``pyproject.toml`` pins the Scrapy minor version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _ScrapyAgent,
)
from scrapy.exceptions import NotConfigured
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.endpoints import HostnameEndpoint, wrapClientTLS
from twisted.web.client import URI, Agent, _StandardEndpointFactory

from crawler.connect_to import ConnectTo, resolve

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class _RedirectingEndpointFactory(_StandardEndpointFactory):  # type: ignore[misc]
    def __init__(self, base: Any, rules: tuple[ConnectTo, ...]) -> None:
        super().__init__(
            base._reactor, base._policyForHTTPS, base._connectTimeout, base._bindAddress
        )
        self._rules = rules

    def endpointForURI(self, uri: URI) -> Any:
        host, port = resolve(self._rules, uri.host.decode("idna"), uri.port)
        kwargs: dict[str, Any] = {"bindAddress": self._bindAddress}
        if self._connectTimeout is not None:
            kwargs["timeout"] = self._connectTimeout
        endpoint = HostnameEndpoint(self._reactor, host.encode("idna"), port, **kwargs)
        if uri.scheme == b"http":
            return endpoint
        # The TLS client is created for the ORIGINAL host: SNI stays the real name.
        creator = self._policyForHTTPS.creatorForNetloc(uri.host, uri.port)
        return wrapClientTLS(creator, endpoint)  # type: ignore[arg-type]


class _ConnectToAgent(_ScrapyAgent):
    def __init__(self, *, rules: tuple[ConnectTo, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rules = rules

    def _get_agent(self, request: Request, timeout: float) -> Agent:
        agent = super()._get_agent(request, timeout)
        if not request.meta.get("proxy"):
            agent._endpointFactory = _RedirectingEndpointFactory(
                agent._endpointFactory, self._rules
            )
        return agent


class ConnectToDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 downloads whose connections follow the ``CONNECT_TO`` rules."""

    def __init__(self, crawler: Crawler) -> None:
        rules = crawler.settings.get("CONNECT_TO") or ()
        if not rules:
            raise NotConfigured("no --connect-to rules")
        super().__init__(crawler)
        self._rules: tuple[ConnectTo, ...] = tuple(rules)

    async def download_request(self, request: Request) -> Response:
        agent = _ConnectToAgent(
            rules=self._rules,
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        with wrap_twisted_exceptions():
            return await maybe_deferred_to_future(agent.download_request(request))

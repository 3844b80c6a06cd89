"""``--connect-to`` as a name resolver, so it takes no private Scrapy or Twisted API.

To crawl a mirror only the TCP connection may move: the request line, the Host header, the TLS
server name (SNI) and every stored URL stay those of the original URL, so the mirror sees what
the real site would (its self-signed certificate is fine: Scrapy does not verify certificates
unless ``DOWNLOAD_VERIFY_CERTIFICATES`` says so). Scrapy's HTTP/1.1 agent connects through
Twisted's ``HostnameEndpoint``, which asks the reactor's name resolver (``IHostnameResolver``)
for the URL's host and port and connects to the address *and port* it is handed, while TLS and
HTTP keep the URL's host. So ``ConnectToResolver`` answers a ``(host, port)`` that a rule
matches with the rule's target (curl's semantics, see ``crawler.connect_to``) and passes every
other name to the resolver it replaced, which is Scrapy's caching one.

``ConnectToAddon`` puts it on the reactor for the length of a crawl (``connect_to_settings`` in
``crawler.settings`` registers it with the rules, setting ``CONNECT_TO``). It is an add-on, per
crawl, rather than Scrapy's ``TWISTED_DNS_RESOLVER`` (``DNS_RESOLVER`` before 2.19), because that
one is built from the *process* settings when the reactor starts: the rules of a
``scrapy crawl outlets -a connect_to=...`` only reach the crawler's settings
(``crawler.standalone``), too late for it.

The reactor has one resolver, so while a crawl with rules runs every connection of the process
made through ``HostnameEndpoint`` follows them; Scrapy reaches an HTTP proxy that way too, so a
rule that matches a proxy's host and port (``::HOST2:PORT2`` matches all) moves that connection:
crawl a mirror without a proxy. Lookups without a port (``reactor.resolve``, ``connectTCP`` with
a host name, as for a tunnel through an HTTPS proxy) are no connection the rules can move, and
pass through.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution
from zope.interface import implementer

from crawler.connect_to import ConnectTo, resolve

if TYPE_CHECKING:
    from typing import Protocol, Self

    from scrapy.crawler import Crawler

    # Twisted's zope interfaces, as protocols that mypy checks without the zope plugin.

    class HostResolution(Protocol):  # IHostResolution
        @property
        def name(self) -> str: ...

        def cancel(self) -> None: ...

    class ResolutionReceiver(Protocol):  # IResolutionReceiver
        def resolutionBegan(self, resolutionInProgress: HostResolution) -> None: ...

        def addressResolved(self, address: object) -> None: ...  # an IAddress

        def resolutionComplete(self) -> None: ...

    class HostnameResolver(Protocol):  # IHostnameResolver
        def resolveHostName(
            self,
            resolutionReceiver: ResolutionReceiver,
            hostName: str,
            portNumber: int = 0,
            addressTypes: Sequence[type[IAddress]] | None = None,
            transportSemantics: str = "TCP",
        ) -> HostResolution: ...

    class Reactor(Protocol):  # IReactorCore and IReactorPluggableNameResolver
        @property
        def nameResolver(self) -> HostnameResolver: ...

        def installNameResolver(self, resolver: HostnameResolver) -> HostnameResolver: ...

        def callWhenRunning(self, callable: Callable[..., Any], *args: object) -> object: ...


logger = logging.getLogger(__name__)


@implementer(IHostResolution)
@dataclass(frozen=True)
class _Resolved:
    """A resolution that completed before it was returned: there is nothing to cancel."""

    name: str

    def cancel(self) -> None:
        """Nothing to stop: the address has been handed over already."""


@implementer(IHostnameResolver)
class ConnectToResolver:
    """Resolves a ``(host, port)`` a rule matches to the rule's target, others by ``fallback``."""

    def __init__(self, rules: Sequence[ConnectTo], fallback: HostnameResolver) -> None:
        self.rules = tuple(rules)
        self.fallback = fallback

    def resolveHostName(
        self,
        resolutionReceiver: ResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> HostResolution:
        host, port = resolve(self.rules, hostName, portNumber) if portNumber else (hostName, 0)
        if (host, port) != (hostName, portNumber):
            logger.debug("connect-to: %s:%d goes to %s:%d", hostName, portNumber, host, port)
            address = _ip_address(host, port)
            if address is not None:
                # An IP literal needs no lookup, and the fallback may know IPv4 only.
                return _hand_over(resolutionReceiver, host, address, addressTypes)
        return self.fallback.resolveHostName(
            resolutionReceiver, host, port, addressTypes, transportSemantics
        )


def _ip_address(host: str, port: int) -> IPv4Address | IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if ip.version == 4:
        return IPv4Address("TCP", host, port)
    return IPv6Address("TCP", host, port)


def _hand_over(
    receiver: ResolutionReceiver,
    host: str,
    address: IPv4Address | IPv6Address,
    types: Sequence[type[IAddress]] | None,
) -> HostResolution:
    resolution = _Resolved(host)
    receiver.resolutionBegan(resolution)
    if types is None or type(address) in types:
        receiver.addressResolved(address)
    receiver.resolutionComplete()
    return resolution


class ConnectToAddon:
    """Scrapy add-on: while the crawl runs, the reactor resolves names by its ``CONNECT_TO``."""

    def __init__(self, rules: Sequence[ConnectTo]) -> None:
        self.rules = tuple(rules)
        self.resolver: ConnectToResolver | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        rules = crawler.settings.get("CONNECT_TO") or ()
        if not rules:
            raise NotConfigured
        addon = cls(rules)
        crawler.signals.connect(addon.engine_started, signal=signals.engine_started)
        crawler.signals.connect(addon.engine_stopped, signal=signals.engine_stopped)
        return addon

    def engine_started(self) -> None:
        reactor = _reactor()
        # Scrapy installs its resolver as it starts the reactor, which can come after the engine
        # starts (reactors other than asyncio's); ours goes on top of it, once it is there.
        reactor.callWhenRunning(self.install, reactor)

    def install(self, reactor: Reactor) -> None:
        self.resolver = ConnectToResolver(self.rules, reactor.nameResolver)
        reactor.installNameResolver(self.resolver)
        logger.info("connections follow --connect-to %s", " ".join(map(str, self.rules)))

    def engine_stopped(self) -> None:
        reactor = _reactor()
        if self.resolver is not None and reactor.nameResolver is self.resolver:
            reactor.installNameResolver(self.resolver.fallback)


def _reactor() -> Reactor:
    # Imported late: Scrapy installs the reactor its settings name after add-ons load.
    from twisted.internet import reactor

    return cast("Reactor", reactor)

"""HTTP(S) downloads spaced by each host's robots.txt ``Crawl-delay``, at the moment they go.

Scrapy parses robots.txt for ``Disallow`` but ignores ``Crawl-delay``, and AutoThrottle would
overwrite any slot delay we set. Spacing requests before they reach the downloader (where a
middleware sees them) was not enough: the download slot then held each one for its own,
randomised delay, 0.5 to 1.5 times AutoThrottle's, so two requests released a delay apart
could leave closer together (a measured 0.63 s against a 1 s Crawl-delay). The download
handler is the last step before the connection, so the gap is kept here: one request at a
time per delayed host, the next leaving a delay after the previous one's answer. A site asking
for a delay gets a polite visitor, not a parallel one.

Scrapy makes one handler per scheme: a host served over both HTTP and HTTPS would get a turn
on each, which no site in a registry does.

In a distributed crawl every request, to any host, takes its turn in Redis instead
(``crawler.distributed.slots``): the host's concurrency, AutoThrottle's spacing and the
Crawl-delay then hold across all the workers of the run, as if one crawler sent them.

Settings: ``CRAWL_DELAY_MAX`` (seconds, default 30) caps what a robots.txt may ask for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

    from crawler.distributed.slots import SharedHostSlots

logger = logging.getLogger(__name__)


class CrawlDelayDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._user_agent: str = (
            crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings["USER_AGENT"]
        )
        self._max_delay = crawler.settings.getfloat("CRAWL_DELAY_MAX", 30.0)
        self._delays: dict[str, float] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        self._free_at: dict[str, float] = {}
        self._stats = crawler.stats
        self._shared = _shared_slots(crawler)
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)

    def _robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(self._user_agent)
        if delay:
            netloc = urlparse_cached(request).netloc
            self._delays[netloc] = min(float(delay), self._max_delay)
            logger.info("robots.txt of %s asks for Crawl-delay %ss", netloc, delay)

    async def download_request(self, request: Request) -> Response:
        netloc = urlparse_cached(request).netloc
        delay = self._delays.get(netloc)
        if request.meta.get("dont_obey_robotstxt"):
            delay = None
        if self._shared is not None:
            return await self._download_in_turn(self._shared, request, netloc, delay or 0.0)
        if not delay:
            return await super().download_request(request)
        # One request at a time to a host that asks for a delay, each leaving a delay after
        # the previous one ended: the site then sees its requests arrive at least that far
        # apart, whatever a connection's set-up adds to one of them.
        async with self._turns.setdefault(netloc, asyncio.Lock()):
            start = self._free_at.get(netloc, 0.0)
            if start > time.monotonic():
                assert self._stats is not None
                self._stats.inc_value("politeness/waits")
            # The event loop may wake a timer a clock tick early: never leave before the start.
            while (remaining := start - time.monotonic()) > 0:
                await asyncio.sleep(remaining)
            try:
                return await super().download_request(request)
            finally:
                self._free_at[netloc] = time.monotonic() + delay

    async def _download_in_turn(
        self, shared: SharedHostSlots, request: Request, netloc: str, delay: float
    ) -> Response:
        """The request in one of the run's turns for its host: one at a time when the host
        asks for a Crawl-delay, else as many as this worker's slot allows the whole run."""
        engine = self._crawler.engine
        assert engine is not None
        assert self._stats is not None
        slot = engine.downloader.slots.get(engine.downloader.get_slot_key(request))
        concurrency = 1 if delay else slot.concurrency if slot else 1
        spacing = slot.delay if slot else 0.0
        async with shared.turn(
            netloc, concurrency=concurrency, spacing=spacing, pause=delay
        ) as waited:
            if waited:
                self._stats.inc_value("politeness/waits")
            return await super().download_request(request)

    async def close(self) -> None:
        await super().close()
        if self._shared is not None:
            await self._shared.close()


def _shared_slots(crawler: Crawler) -> SharedHostSlots | None:
    """The run's Redis turns in a distributed crawl, else None."""
    run = crawler.settings.get("RASSEGNA_DISTRIBUTED")
    if run is None:
        return None
    from crawler.distributed.in_flight import worker_id
    from crawler.distributed.slots import SharedHostSlots

    return SharedHostSlots(
        run,
        worker_id(),
        # A dead worker's turn ends by itself once no download of it could still be going.
        lease=crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + 5,
        ttl=crawler.settings.getint("DISTRIBUTED_RUN_TTL", 7 * 24 * 3600),
    )

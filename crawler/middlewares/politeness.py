"""Wait before sending: robots.txt ``Crawl-delay`` and retry deadlines.

Scrapy parses robots.txt for ``Disallow`` but ignores ``Crawl-delay``; AutoThrottle would
overwrite any slot delay we set. So requests to a host whose robots.txt asks for a delay are
spaced here, before they reach the downloader, and a retried request waits until the
deadline its retry set (``request.meta["not_before"]``, a ``time.monotonic()`` value).

Settings: ``CRAWL_DELAY_MAX`` (seconds, default 30) caps what a robots.txt may ask for.
Must sit after ``RobotsTxtMiddleware`` (which parses the file) in the chain.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class PolitenessMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self._user_agent: str = (
            crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings["USER_AGENT"]
        )
        self._max_delay = crawler.settings.getfloat("CRAWL_DELAY_MAX", 30.0)
        self._delays: dict[str, float] = {}
        self._next_slot: dict[str, float] = {}
        self._stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware._robots_parsed, signal=signals.robots_parsed)
        return middleware

    def _robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(self._user_agent)
        if delay:
            netloc = urlparse_cached(request).netloc
            self._delays[netloc] = min(float(delay), self._max_delay)
            logger.info("robots.txt of %s asks for Crawl-delay %ss", netloc, delay)

    async def process_request(self, request: Request) -> None:
        now = time.monotonic()
        start = max(now, float(request.meta.get("not_before", 0.0)))
        netloc = urlparse_cached(request).netloc
        delay = self._delays.get(netloc)
        if delay and not request.meta.get("dont_obey_robotstxt"):
            start = max(start, self._next_slot.get(netloc, 0.0))
            self._next_slot[netloc] = start + delay
        if start > now:
            assert self._stats is not None
            self._stats.inc_value("politeness/waits")
            await asyncio.sleep(start - now)

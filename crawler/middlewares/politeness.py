"""Wait before sending a retried request until the deadline its retry set.

``crawler.middlewares.retry`` backs off by putting ``request.meta["not_before"]`` (a
``time.monotonic()`` value) on the new request; this middleware holds it until then. A
robots.txt ``Crawl-delay`` is kept by the download handler (``crawler.download_handler``),
where the request actually leaves.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class PolitenessMiddleware:
    def __init__(self, stats: StatsCollector | None) -> None:
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        return cls(crawler.stats)

    async def process_request(self, request: Request) -> None:
        wait = float(request.meta.get("not_before", 0.0)) - time.monotonic()
        if wait > 0:
            assert self._stats is not None
            self._stats.inc_value("politeness/waits")
            await asyncio.sleep(wait)

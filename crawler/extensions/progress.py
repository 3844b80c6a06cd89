"""Live counters during a crawl, handed to a callback the command line renders.

Package code does not print: the extension samples Scrapy's stats every
``PROGRESS_INTERVAL`` seconds and passes them to the crawl context's ``progress`` callable,
which the CLI draws on stderr. Without a callback the extension switches itself off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.context import CrawlContext, ProgressCallback

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class CrawlProgress:
    def __init__(self, crawler: Crawler, callback: ProgressCallback, interval: float) -> None:
        self._crawler = crawler
        self._callback = callback
        self._interval = interval
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        callback = CrawlContext.of(crawler).progress
        if callback is None:
            raise NotConfigured  # a crawl without a console (scrapy crawl): nothing to say
        extension = cls(crawler, callback, crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(extension._opened, signal=signals.spider_opened)
        crawler.signals.connect(extension._closed, signal=signals.spider_closed)
        return extension

    def _tick(self, done: bool = False) -> None:
        assert self._crawler.stats is not None
        self._callback(self._crawler.stats.get_stats(), done)

    def _opened(self) -> None:
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self._interval, now=False)

    def _closed(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._tick(done=True)

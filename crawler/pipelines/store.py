"""Writes each article to the store and records the pages it came from as done.

The item is written first, then the crawl state: if the process dies in between, the page
is fetched again next time and the upsert by canonical URL changes nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.state import DONE, NOT_ARTICLE

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from crawler.pipelines.extract import ProcessedPage
    from crawler.state import CrawlState
    from search.store import Store

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self._store: Store = context.store
        self._state: CrawlState = context.state
        self._failures: FailureLog = context.failures
        self._stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, CrawlContext.of(crawler))

    def process_item(self, item: ProcessedPage) -> ProcessedPage:
        assert self._stats is not None
        now = self._failures.now()
        article = item.article
        if article is None:
            self._state.record(item.page.seen_urls, NOT_ARTICLE, now=now)
            return item
        result = self._store.upsert(article, now=now)
        self._state.record([*item.page.seen_urls, article.url], DONE, now=now, item_url=article.url)
        if result.created:
            self._stats.inc_value("store/new")
            if article.mentions:
                self._stats.inc_value("store/new_mentions")
                logger.info("new mention: %s (%s)", article.title, article.url)
        elif result.changed:
            self._stats.inc_value("store/updated")
        return item

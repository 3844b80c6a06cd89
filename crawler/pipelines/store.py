"""Writes each article to the store and records the pages it came from as done.

Items are written in batches of the store's ``batch_size`` (fifty for SQLite, one transaction
each; hundreds for Elasticsearch's bulk API), or whatever has waited ``FLUSH_SECONDS``, so a
slow, polite crawl still shows its items at once; only then is the crawl state recorded: if
the process dies in between, the pages are fetched again next time and the upsert by canonical
URL changes nothing.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.state import FAILED, NOT_ARTICLE
from search.errors import StoreError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from crawler.items import ProcessedPage
    from crawler.state import StateStore
    from search.store import Store

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 2.0
"""The longest an item waits for its batch to fill before it is written."""


class StorePipeline:
    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self._store: Store = context.store
        self._state: StateStore = context.state
        self._failures: FailureLog = context.failures
        self._stats = crawler.stats
        self._crawler = crawler
        self._context = context
        self._pending: list[ProcessedPage] = []
        self._pending_since = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, CrawlContext.of(crawler))

    def process_item(self, item: ProcessedPage) -> ProcessedPage:
        if self._context.fatal is not None:
            return item  # the crawl is stopping: the page is fetched again next time
        try:
            if item.error is not None:
                self._state.record(
                    item.page.seen_urls, FAILED, now=self._failures.now(), error=item.error
                )
                return item
            if item.article is None:
                self._state.record(item.page.seen_urls, NOT_ARTICLE, now=self._failures.now())
                return item
            if not self._pending:
                self._pending_since = time.monotonic()
            self._pending.append(item)
            if (
                len(self._pending) >= self._store.batch_size
                or time.monotonic() - self._pending_since >= FLUSH_SECONDS
            ):
                self._flush()
        except StoreError as exc:
            self._context.stop(self._crawler, exc)
        return item

    def close_spider(self) -> None:
        if self._context.fatal is not None:
            return
        try:
            self._flush()
        except StoreError as exc:
            self._context.fatal = exc

    def _flush(self) -> None:
        """Write the pending items, then mark their pages done (never the other way round)."""
        assert self._stats is not None
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        now = self._failures.now()
        articles = [item.article for item in batch if item.article is not None]
        results = self._store.upsert_many(articles, now=now)
        done: list[tuple[list[str], str]] = []
        for item, article, result in zip(batch, articles, results, strict=True):
            if result.rejected:
                self._failures.add(
                    article.url,
                    f"rejected by the store: {result.rejected}",
                    outlet=item.page.outlet,
                )
                continue
            done.append(([*item.page.seen_urls, article.url], article.url))
            if result.queued:
                self._stats.inc_value("store/queued")
            elif result.created:
                self._stats.inc_value("store/new")
                self._stats.inc_value(f"outlet/{item.page.outlet}/new")
                if article.mentions:
                    self._stats.inc_value("store/new_mentions")
                    logger.info("new mention: %s (%s)", article.title, article.url)
            elif result.changed:
                self._stats.inc_value("store/updated")
        self._state.record_items(done, now=now)

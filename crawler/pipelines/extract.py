"""Extraction and enrichment in a process pool, off the reactor thread.

trafilatura costs 20-40 ms of CPU per real page; run in a Scrapy callback it would stall every
download. Pages go to a pool of worker processes (setting ``EXTRACT_WORKERS``, default: one
per core) and the pipeline awaits the result, so fetching and extraction overlap and both
cores stay busy. Scrapy's ``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` (bytes of responses being
processed) bounds how many pages wait for a worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from crawler.context import CrawlContext
from crawler.discovery.new_outlets import as_new_outlet, new_outlet_for
from crawler.extraction_pool import extraction_pool
from crawler.items import FetchedPage, ProcessedPage
from enrichment.enrich import PageOutcome, read_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from enrichment.registry import Registry

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self._registry: Registry = context.registry
        self._failures: FailureLog = context.failures
        self._workers = crawler.settings.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        self._stats = crawler.stats
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler, CrawlContext.of(crawler))

    def open_spider(self) -> None:
        self._pool = extraction_pool(self._workers)

    def close_spider(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    async def _read(self, work: tuple[Any, ...]) -> PageOutcome:
        """``read_page`` in a worker. A worker that dies (killed, out of memory) breaks the
        whole pool and would fail every later page of the crawl: the pool is started again
        once, by the first page that finds it broken, and the page tried again."""
        assert self._pool is not None
        pool = self._pool
        try:
            return await asyncio.wrap_future(pool.submit(read_page, *work))
        except BrokenProcessPool:
            if self._pool is pool:
                logger.warning("an extraction worker died: starting the workers again")
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = extraction_pool(self._workers)
            return await asyncio.wrap_future(self._pool.submit(read_page, *work))

    async def process_item(self, item: FetchedPage) -> ProcessedPage:
        assert self._pool is not None
        assert self._stats is not None
        outlet = (
            new_outlet_for(self._registry, item.final_url)
            if item.new_outlet
            else self._registry.outlet(item.outlet)
        )
        assert outlet is not None  # the spider made a new outlet's page from the same call
        work = (
            item.body,
            item.final_url,
            item.encoding,
            outlet,
            self._registry.topic,
            item.hint_date,
            item.hint_title,
            item.hint_summary,
        )
        try:
            outcome = await self._read(work)
        except Exception as exc:  # a page that breaks the extractor must not stop the crawl
            logger.exception("extraction failed for %s", item.final_url)
            error = f"extraction failed: {exc!r}"
            self._failures.add(item.final_url, error, outlet=item.outlet)
            self._stats.inc_value("extract/failed")
            return ProcessedPage(page=item, article=None, error=error)
        article = outcome.article
        if article is not None and item.new_outlet:
            article = as_new_outlet(article, outlet)
        if article is not None and article.walled and item.final_url != item.url:
            # A wall that redirected to its own consent address: the item is the article the
            # entry point named, not the wall's URL.
            article = replace(article, url=item.url, fetched_url=item.final_url)
        if outcome.wall is not None:
            self._walled(item, outcome)
        self._stats.inc_value("extract/articles" if article else "extract/not_articles")
        return ProcessedPage(page=item, article=article)

    def _walled(self, item: FetchedPage, outcome: PageOutcome) -> None:
        """Count a wall for the crawl summary (``outlet/<name>/walled``); one no entry point
        gave a headline for is not kept, and the operator is told why."""
        assert self._stats is not None
        self._stats.inc_value(f"walls/{outcome.wall}")
        self._stats.inc_value(f"outlet/{item.outlet}/walled")
        if outcome.article is None:
            self._failures.add(
                item.final_url,
                f"{outcome.wall} wall and no headline from the entry point: not kept",
                outlet=item.outlet,
                counted=False,
            )

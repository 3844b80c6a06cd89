"""Extraction and enrichment in a process pool, off the reactor thread.

trafilatura costs 20-40 ms of CPU per real page; run in a Scrapy callback it would stall every
download. Pages go to a pool of worker processes (setting ``EXTRACT_WORKERS``, default: one
per core) and the pipeline awaits the result, so fetching and extraction overlap and both
cores stay busy. Scrapy's ``CONCURRENT_ITEMS`` bounds how many pages wait for a worker.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.items import FetchedPage, ProcessedPage
from enrichment.enrich import process_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from enrichment.registry import Registry

logger = logging.getLogger(__name__)


def _warm_up() -> None:
    """Import the heavy modules once per worker, before the first page arrives."""
    import trafilatura  # noqa: F401

    from enrichment.language import detect_language

    detect_language("Avvio del processo di estrazione delle pagine.")


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
        self._pool = ProcessPoolExecutor(
            self._workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
        )

    def close_spider(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: FetchedPage) -> ProcessedPage:
        assert self._pool is not None
        assert self._stats is not None
        outlet = self._registry.outlet(item.outlet)
        future = self._pool.submit(
            process_page,
            item.body,
            item.final_url,
            item.encoding,
            outlet,
            self._registry.topic,
            item.hint_date,
        )
        try:
            article = await asyncio.wrap_future(future)
        except Exception as exc:  # a page that breaks the extractor must not stop the crawl
            logger.exception("extraction failed for %s", item.final_url)
            self._failures.add(item.final_url, f"extraction failed: {exc!r}", outlet=item.outlet)
            article = None
        self._stats.inc_value("extract/articles" if article else "extract/not_articles")
        return ProcessedPage(page=item, article=article)

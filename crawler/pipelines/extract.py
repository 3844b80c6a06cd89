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
from dataclasses import replace
from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.discovery.new_outlets import as_new_outlet, new_outlet_for
from crawler.items import FetchedPage, ProcessedPage
from enrichment.enrich import PageOutcome, read_page

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
        outlet = (
            new_outlet_for(self._registry, item.final_url)
            if item.new_outlet
            else self._registry.outlet(item.outlet)
        )
        assert outlet is not None  # the spider made a new outlet's page from the same call
        future = self._pool.submit(
            read_page,
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
            outcome = await asyncio.wrap_future(future)
        except Exception as exc:  # a page that breaks the extractor must not stop the crawl
            logger.exception("extraction failed for %s", item.final_url)
            self._failures.add(item.final_url, f"extraction failed: {exc!r}", outlet=item.outlet)
            outcome = PageOutcome(None)
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

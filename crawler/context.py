"""The live objects of one crawl, shared by its Scrapy components.

Spider, middlewares, pipelines and extensions get the registry, the store, the crawl state and
the failure log from the ``RASSEGNA_CONTEXT`` setting rather than from module globals. Scrapy
deep-copies settings when it freezes them; the context returns itself from ``__deepcopy__`` so
every component shares the same store connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from enrichment.errors import RassegnaError

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[dict[str, Any], bool], None]
"""Called with the current stats and whether the crawl has ended (see
``crawler.extensions.progress``)."""

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from crawler.state import StateStore
    from enrichment.registry import Registry
    from search.store import Store


@dataclass(eq=False)
class CrawlContext:
    registry: Registry
    store: Store
    state: StateStore
    failures: FailureLog
    data_dir: Path
    progress: ProgressCallback | None = None
    owned: bool = False
    """The context opened the store and the crawl state itself (a crawl started by
    ``scrapy crawl`` or Scrapyd) and closes them when the spider closes."""

    fatal: RassegnaError | None = None
    """The first error that makes going on pointless (the store cannot be written): the crawl
    stops and ``run_crawl`` raises it, so the command ends with one line, not 0 errors."""

    def stop(self, crawler: Crawler, error: RassegnaError) -> None:
        """Record ``error`` and close the spider (reason ``store_error``), once."""
        if self.fatal is not None:
            return
        self.fatal = error
        logger.error("%s: the crawl stops", error)
        assert crawler.engine is not None
        deferred_from_coro(crawler.engine.close_spider_async(reason="store_error"))

    def close(self) -> None:
        self.state.close()
        self.store.close()

    def __deepcopy__(self, memo: dict[int, Any]) -> CrawlContext:
        return self

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        """The crawl's context; components switch themselves off in a crawl without one."""
        context = crawler.settings.get("RASSEGNA_CONTEXT")
        if not isinstance(context, cls):
            raise NotConfigured("not a rassegna crawl (no RASSEGNA_CONTEXT)")
        return context

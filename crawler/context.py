"""The live objects of one crawl, shared by its Scrapy components.

Spider, middlewares, pipelines and extensions get the registry, the store, the crawl state and
the failure log from the ``RASSEGNA_CONTEXT`` setting rather than from module globals. Scrapy
deep-copies settings when it freezes them; the context returns itself from ``__deepcopy__`` so
every component shares the same store connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from crawler.progress import ProgressCallback
    from crawler.registry import Registry
    from crawler.state import CrawlState
    from search.store import Store


@dataclass(eq=False)
class CrawlContext:
    registry: Registry
    store: Store
    state: CrawlState
    failures: FailureLog
    data_dir: Path
    progress: ProgressCallback | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> CrawlContext:
        return self

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        """The crawl's context; components switch themselves off in a crawl without one."""
        context = crawler.settings.get("RASSEGNA_CONTEXT")
        if not isinstance(context, cls):
            raise NotConfigured("not a rassegna crawl (no RASSEGNA_CONTEXT)")
        return context

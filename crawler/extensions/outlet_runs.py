"""Each outlet's last crawl, written to the crawl state when the spider closes; and the end of
a crawl that opened its own store and state (``crawler.standalone``).

``rassegna status`` reads these rows (started, finished, result, articles, new items, errors,
last error, how many of the outlet's entry points were requested and how many failed, when
its entry points last listed a new article), to flag an outlet whose entry points all fail or
that has listed nothing new for days. Written by an extension rather than by the code that
starts the crawl, so a crawl started with ``scrapy crawl`` or by Scrapyd records them as
``rassegna crawl`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.context import CrawlContext
from crawler.state import OutletRun

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog
    from enrichment.registry import Registry


class OutletRuns:
    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self._crawler = crawler
        self._context = context
        self._started = context.failures.now()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutletRuns:
        extension = cls(crawler, CrawlContext.of(crawler))
        crawler.signals.connect(extension._closed, signal=signals.spider_closed)
        if extension._context.owned:
            # After every spider_closed handler (the validators are saved in one).
            crawler.signals.connect(extension._context.close, signal=signals.engine_stopped)
        return extension

    def _closed(self, reason: str) -> None:
        assert self._crawler.stats is not None
        stats = self._crawler.stats.get_stats()
        context = self._context
        context.state.record_outlet_runs(
            outlet_runs(context.registry, stats, context.failures, self._started, reason)
        )


def outlet_runs(
    registry: Registry, stats: dict[str, Any], failures: FailureLog, started: str, reason: str
) -> list[OutletRun]:
    runs = []
    query = registry.topic.query
    for outlet in registry.outlets:
        errors = failures.by_outlet.get(outlet.name, 0)
        entries = {url for _, url in outlet.entry_points(query)}
        failed = {f.url for f in failures.failures if f.outlet == outlet.name and f.counted}
        articles = int(stats.get(f"outlet/{outlet.name}/articles_fetched", 0))
        finished = failures.now()
        last = next(
            (
                f.reason
                for f in reversed(failures.failures)
                if f.outlet == outlet.name and f.counted
            ),
            None,
        )
        result = reason if reason != "finished" else ("errors" if errors else "ok")
        runs.append(
            OutletRun(
                outlet=outlet.name,
                started=started,
                finished=finished,
                result=result,
                articles=articles,
                new_items=int(stats.get(f"outlet/{outlet.name}/new", 0)),
                errors=errors,
                last_error=last,
                entry_points=len(entries),
                entry_points_failed=len(entries & failed),
                last_new=finished if articles else started,
            )
        )
    return runs

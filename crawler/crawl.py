"""One crawl of the registry, to completion: the function behind ``rassegna crawl``.

Builds the Scrapy settings, runs the spider in a ``CrawlerProcess`` and returns a summary the
command line prints. Twisted's reactor cannot be restarted, so this runs once per process.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.crawler import CrawlerProcess

from crawler.connect_to import ConnectTo
from crawler.context import CrawlContext
from crawler.failures import Failure, FailureLog
from crawler.progress import ProgressCallback
from crawler.registry import Registry
from crawler.settings import crawl_settings
from crawler.spiders.outlets import OutletSpider
from crawler.state import CrawlState, OutletRun
from search.store import Store

if TYPE_CHECKING:
    from crawler.distributed import DistributedRun


@dataclass
class CrawlSummary:
    outlets: int
    entry_points: int
    not_modified: int
    pages_fetched: int
    articles: int
    new_items: int
    new_mentions: int
    updated_items: int
    queued_items: int
    """Items waiting in the Elasticsearch outbox because the cluster could not be reached."""
    errors: int
    robots_forbidden: int
    seconds: float
    finish_reason: str
    failures: list[Failure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "failures"}
        data["failures"] = [f.__dict__ for f in self.failures]
        return data


def _outlet_runs(
    registry: Registry, stats: dict[str, Any], failures: FailureLog, started: str
) -> list[OutletRun]:
    reason = str(stats.get("finish_reason", "?"))
    runs = []
    for outlet in registry.outlets:
        errors = failures.by_outlet.get(outlet.name, 0)
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
                finished=failures.now(),
                result=result,
                articles=int(stats.get(f"outlet/{outlet.name}/articles_fetched", 0)),
                new_items=int(stats.get(f"outlet/{outlet.name}/new", 0)),
                errors=errors,
                last_error=last,
            )
        )
    return runs


def state_path(data_dir: Path) -> Path:
    return data_dir / "crawl-state.sqlite"


def run_crawl(
    registry: Registry,
    store: Store,
    data_dir: Path,
    *,
    connect_to: Sequence[ConnectTo] = (),
    overrides: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    distributed: DistributedRun | None = None,
) -> CrawlSummary:
    """Crawl to completion; with ``distributed``, as one worker of that shared run."""
    state = CrawlState(state_path(data_dir))
    failures = FailureLog()
    context = CrawlContext(registry, store, state, failures, data_dir, progress)
    settings = crawl_settings(overrides or {}, tuple(connect_to), context, distributed)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(OutletSpider)
    started = time.monotonic()
    started_at = failures.now()
    process.crawl(crawler)
    try:
        process.start()
        if context.fatal is not None:
            raise context.fatal
        assert crawler.stats is not None
        stats = crawler.stats.get_stats()
        state.record_outlet_runs(_outlet_runs(registry, stats, failures, started_at))
    finally:
        state.close()
    return CrawlSummary(
        outlets=len(registry.outlets),
        entry_points=sum(int(v) for k, v in stats.items() if k.startswith("entry/")),
        not_modified=int(stats.get("entry/not_modified", 0)),
        pages_fetched=int(stats.get("downloader/response_count", 0)),
        articles=int(stats.get("extract/articles", 0)),
        new_items=int(stats.get("store/new", 0)),
        new_mentions=int(stats.get("store/new_mentions", 0)),
        updated_items=int(stats.get("store/updated", 0)),
        queued_items=int(stats.get("store/queued", 0)),
        errors=failures.count,
        robots_forbidden=int(stats.get("robots/forbidden", 0)),
        seconds=round(time.monotonic() - started, 2),
        finish_reason=str(stats.get("finish_reason", "?")),
        failures=list(failures.failures),
    )

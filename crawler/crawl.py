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
from scrapy.settings import Settings

from crawler.connect_to import ConnectTo
from crawler.context import CrawlContext, ProgressCallback
from crawler.errors import UsageError
from crawler.failures import Failure, FailureLog
from crawler.settings import connect_to_settings
from crawler.spiders.outlets import OutletSpider
from crawler.state import CrawlState, StateStore
from enrichment.registry import Registry
from search.files.data_dir import DataDir
from search.store import Store

if TYPE_CHECKING:
    from crawler.distributed.run import DistributedRun


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
    walled: dict[str, int] = field(default_factory=dict)
    """Pages each outlet served as a consent, cookie, pay or login wall instead of the
    article (stored with their entry point's headline and summary, or not kept)."""

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "failures"}
        data["failures"] = [f.__dict__ for f in self.failures]
        return data


def crawl_settings(
    overrides: dict[str, Any],
    connect_to: tuple[ConnectTo, ...],
    context: CrawlContext,
    distributed: DistributedRun | None = None,
) -> Settings:
    """Settings for one crawl: the project's (``crawler.settings``), ``--connect-to``, the
    run's context, the shared queue of a distributed crawl, and overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    extra: dict[str, Any] = {**connect_to_settings(connect_to), "RASSEGNA_CONTEXT": context}
    if distributed is not None:
        from crawler.distributed.run import distributed_settings

        extra.update(distributed_settings(distributed, settings.getdict("EXTENSIONS")))
    settings.setdict({**extra, **overrides}, priority="cmdline")
    return settings


def _open_state(
    data_dir: Path, distributed: DistributedRun | None, shared_state: str | None
) -> StateStore:
    """The data dir's crawl state, or the run's in Redis; a distributed worker's also keeps
    its file of requests in flight up to date."""
    if shared_state is None:
        state: StateStore = CrawlState(DataDir(data_dir).crawl_state)
    elif distributed is None:
        raise UsageError("--shared-state needs --distributed: the state lives in its Redis")
    else:
        from crawler.distributed.state import RedisCrawlState

        state = RedisCrawlState.open(distributed, shared_state)
    if distributed is None:
        return state
    from crawler.distributed.in_flight import FinishingState

    return FinishingState(state, distributed.in_flight())


def run_crawl(
    registry: Registry,
    store: Store,
    data_dir: Path,
    *,
    connect_to: Sequence[ConnectTo] = (),
    overrides: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    distributed: DistributedRun | None = None,
    shared_state: str | None = None,
) -> CrawlSummary:
    """Crawl to completion; with ``distributed``, as one worker of that shared run, and with
    ``shared_state`` keeping the crawl state under that name in the run's Redis rather than
    in ``data_dir``, for workers on several machines."""
    state = _open_state(data_dir, distributed, shared_state)
    failures = FailureLog()
    context = CrawlContext(registry, store, state, failures, data_dir, progress)
    settings = crawl_settings(overrides or {}, tuple(connect_to), context, distributed)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(OutletSpider)
    started = time.monotonic()
    process.crawl(crawler)
    try:
        process.start()
        if context.fatal is not None:
            raise context.fatal
        assert crawler.stats is not None
        stats = crawler.stats.get_stats()
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
        walled=walled_by_outlet(stats),
    )


def walled_by_outlet(stats: dict[str, Any]) -> dict[str, int]:
    """The ``outlet/<name>/walled`` counters of ``crawler.pipelines.extract``, by outlet."""
    prefix, suffix = "outlet/", "/walled"
    return {
        key[len(prefix) : -len(suffix)]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and key.endswith(suffix)
    }

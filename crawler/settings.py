"""Scrapy settings for a crawl of the registry: politeness first, then throughput.

An identifying User-Agent, robots.txt obeyed (with its Crawl-delay, see
``crawler.middlewares.politeness``), AutoThrottle, a per-domain concurrency cap, retries with
backoff, timeouts and a maximum page size. Anything here can be overridden from the command
line with ``rassegna crawl --set NAME=VALUE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler import __version__

if TYPE_CHECKING:
    from crawler.context import CrawlContext
    from crawler.distributed import DistributedRun

USER_AGENT = (
    f"rassegna/{__version__} (media monitoring for public-sector press offices; "
    "+https://github.com/lgnet2/rassegna)"
)

BASE_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "rassegna",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "CONCURRENT_ITEMS": 50,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
    "DNS_TIMEOUT": 15,
    "REDIRECT_MAX_TIMES": 10,
    "RETRY_TIMES": 3,
    "RETRY_HTTP_CODES": [408, 429, 500, 502, 503, 504, 522, 524],
    "RETRY_BACKOFF_BASE": 1.0,
    "RETRY_BACKOFF_MAX": 60.0,
    "CRAWL_DELAY_MAX": 30.0,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    "LOG_LEVEL": "WARNING",
    "LOG_INSTALL_ROOT_HANDLER": False,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "crawler.middlewares.redirect.LoopAwareRedirectMiddleware": 600,
        "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
        "crawler.middlewares.politeness.PolitenessMiddleware": 110,
        "crawler.middlewares.conditional.ConditionalRequestsMiddleware": 120,
    },
    "ITEM_PIPELINES": {
        "crawler.pipelines.archive.ArchivePipeline": 50,
        "crawler.pipelines.extract.ExtractPipeline": 100,
        "crawler.pipelines.store.StorePipeline": 200,
    },
    "EXTENSIONS": {"crawler.progress.CrawlProgress": 500},
}


def crawl_settings(
    overrides: dict[str, Any],
    connect_to: tuple[Any, ...],
    context: CrawlContext,
    distributed: DistributedRun | None = None,
) -> dict[str, Any]:
    """Settings for one crawl: the base, ``--connect-to``, the run's context, the shared queue
    of a distributed crawl, and overrides."""
    settings = dict(BASE_SETTINGS)
    if connect_to:
        handler = "crawler.downloader.ConnectToDownloadHandler"
        settings["DOWNLOAD_HANDLERS"] = {"http": handler, "https": handler}
        settings["CONNECT_TO"] = connect_to
    settings["RASSEGNA_CONTEXT"] = context
    if distributed is not None:
        from crawler.distributed import distributed_settings

        settings.update(distributed_settings(distributed, settings["EXTENSIONS"]))
    settings.update(overrides)
    return settings

"""The Scrapy project's settings: politeness first, then throughput.

``scrapy.cfg`` names this module, so ``scrapy crawl``, ``scrapy shell``, ``scrapy fetch`` and
Scrapyd use it; ``rassegna crawl`` starts from it too (see ``crawler.crawl``). An identifying
User-Agent, robots.txt obeyed (with its Crawl-delay, see ``crawler.middlewares.politeness``),
AutoThrottle, a per-domain concurrency cap, retries with backoff, timeouts and a maximum page
size. Anything here can be overridden with ``rassegna crawl --set NAME=VALUE`` or
``scrapy crawl -s NAME=VALUE``.

Settings of our own: ``RASSEGNA_DATA_DIR`` (where a crawl started by Scrapy's tools keeps its
store and state), ``CRAWL_DELAY_MAX``, ``RETRY_BACKOFF_BASE``/``_MAX``, ``EXTRACT_WORKERS``,
``PROGRESS_INTERVAL``.
"""

from __future__ import annotations

from typing import Any

from crawler import __version__

BOT_NAME = "rassegna"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = (
    f"rassegna/{__version__} (media monitoring for public-sector press offices; "
    "+https://github.com/lgnet2/rassegna)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_ITEMS = 2
"""Items of ONE response processed at once. An article page gives one item, a feed only
requests; Scrapy starts this many asyncio tasks for every response, so 50 (the old value)
cost a quarter of the crawl process's CPU for nothing. Pages waiting for an extraction
worker are bounded across responses by ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``."""
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_SLOTS = {
    # GDELT asks for one request every 5 seconds (crawler.discovery.gdelt), exactly.
    "gdelt": {"concurrency": 1, "delay": 5.0, "jitter": 0.0},
}
DNS_TIMEOUT = 15
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
CRAWL_DELAY_MAX = 30.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
WARN_ON_GENERATOR_RETURN_VALUE = False
"""Scrapy reads a callback's source with ``ast`` to warn about generators that return a value;
for callbacks it cannot cache that costs a parse per response (about 5% of the crawl process's
CPU), for a warning our spiders, checked by ruff and the tests, never need."""
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
LOG_LEVEL = "WARNING"
LOG_INSTALL_ROOT_HANDLER = False
DOWNLOAD_HANDLERS = {
    "http": "crawler.download_handler.CrawlDelayDownloadHandler",
    "https": "crawler.download_handler.CrawlDelayDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.LoopAwareRedirectMiddleware": 600,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.politeness.PolitenessMiddleware": 110,
    "crawler.middlewares.conditional.ConditionalRequestsMiddleware": 120,
}
ITEM_PIPELINES = {
    "crawler.pipelines.archive.ArchivePipeline": 50,
    "crawler.pipelines.extract.ExtractPipeline": 100,
    "crawler.pipelines.store.StorePipeline": 200,
}
EXTENSIONS = {
    "crawler.extensions.progress.CrawlProgress": 500,
    "crawler.extensions.outlet_runs.OutletRuns": 600,
}


def connect_to_settings(connect_to: tuple[Any, ...]) -> dict[str, Any]:
    """The settings that send a crawl's connections where ``--connect-to`` says."""
    if not connect_to:
        return {}
    return {"ADDONS": {"crawler.resolver.ConnectToAddon": 0}, "CONNECT_TO": connect_to}

"""Distributed crawl mode: several crawler processes, on one machine or many, share one crawl.

Built on scrapy-redis: its scheduler keeps the request queue in a Redis sorted set (by
priority) and its duplicate filter keeps the fingerprint of every request ever queued in a
Redis set, so a page queued by one worker is never queued, hence never fetched, by another.
The keys are named by the run id (``rassegna:<run-id>:requests``, ``...:dupefilter``): every
worker started with the same run id joins the same crawl, a new run id starts a clean one.

- Entry points (feeds, sitemaps, listings, searches) bypass the duplicate filter in a
  single-process crawl so that every crawl re-fetches them; here they go through the shared
  filter, so each is fetched once per run by whichever worker pops it first
  (``OutletSpider.refetch_entry_points``).
- ``SCHEDULER_PERSIST``: a worker leaves the queue and the filter in Redis when it stops, so a
  worker that dies mid-run leaves its queued requests to the others (or to a worker started
  again with the same run id). The requests it had already taken are filed under it
  (``crawler.distributed.in_flight``): once its heartbeat in the run's ``alive`` hash is
  ``DISTRIBUTED_BUSY_TTL`` seconds old, another worker queues again those whose page the
  crawl state does not hold as done.
- Every request waits for a turn of its host shared by the run (``crawler.distributed.slots``),
  so the workers together keep one crawler's politeness.
- With ``--shared-state`` the crawl state lives in the same Redis
  (``crawler.distributed.state``), for workers on machines that share no data dir.
- A worker whose queue is empty and which has nothing in flight stays while another worker of
  its run is busy (that one may still queue the links of a feed), and finishes once none is.
  Busy workers say so every ``DISTRIBUTED_HEARTBEAT`` seconds in a Redis hash, with a deadline
  of ``DISTRIBUTED_BUSY_TTL`` seconds on Redis's clock, so a worker that died is not waited for
  after that.
- Every key of a run expires ``DISTRIBUTED_RUN_TTL`` seconds (default a week) after its last
  worker stopped, so old runs do not fill Redis.
- The queue takes turns between hosts within a priority (``crawler.distributed.queue``), as
  Scrapy's own ``DownloaderAwarePriorityQueue`` does for a single process.
- Queued requests are JSON (``crawler.distributed.codec``), not scrapy-redis's default pickle.

scrapy-redis 0.9 predates Scrapy 2.13 and calls APIs that Scrapy now deprecates; those
warnings, and only those, are silenced when this module configures a crawl (see
``_SCRAPY_REDIS_DEPRECATIONS``).
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning
from twisted.internet import task

from crawler.context import CrawlContext
from crawler.distributed.in_flight import InFlight, filers_key, worker_id
from crawler.distributed.queue import turns_key
from crawler.errors import DistributedError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

REDIS_URL_ENV = "RASSEGNA_REDIS_URL"
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

_SCRAPY_REDIS_DEPRECATIONS = (
    # Scheduler.enqueue_request and next_request count with stats.inc_value(..., spider=)
    r"Passing a 'spider' argument to StatsCollector\.inc_value\(\) is deprecated",
    # Scheduler.open says "Resuming crawl" with spider.log() when the queue is not empty
    r"Spider\.log\(\) is deprecated",
)
"""Messages (regular expressions) of the deprecation warnings scrapy-redis triggers."""


@dataclass(frozen=True)
class DistributedRun:
    """Where the shared queue lives and which crawl it belongs to."""

    redis_url: str
    run_id: str

    def __post_init__(self) -> None:
        if not _RUN_ID.fullmatch(self.run_id):
            raise DistributedError(
                f"--run-id {self.run_id!r}: use 1 to 64 letters, digits, '.', '_' or '-'"
            )
        if urlsplit(self.redis_url).scheme not in {"redis", "rediss", "unix"}:
            raise DistributedError(
                f"{self.safe_url!r} is not a Redis URL (redis://[:password@]host:port/db)"
            )

    @classmethod
    def from_args(
        cls, url: str | None, run_id: str | None, env: Mapping[str, str] = os.environ
    ) -> DistributedRun:
        """The run ``rassegna crawl --distributed [URL] --run-id ID`` asks for.

        ``url`` is None without ``--distributed``, empty when the flag has no value: the URL
        then comes from ``RASSEGNA_REDIS_URL``, which keeps a password out of ``ps``.
        """
        if url is None:
            raise DistributedError("--run-id needs --distributed")
        url = url or env.get(REDIS_URL_ENV, "")
        if not url:
            raise DistributedError(f"--distributed needs a Redis URL (or {REDIS_URL_ENV})")
        if not run_id:
            raise DistributedError(
                "--distributed needs --run-id: the name every worker of this crawl shares"
            )
        return cls(url, run_id)

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages and logs."""
        parts = urlsplit(self.redis_url)
        if parts.password is None:
            return self.redis_url
        netloc = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))

    def key(self, name: str) -> str:
        return f"rassegna:{self.run_id}:{name}"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(
            self.redis_url, socket_connect_timeout=10, socket_timeout=30, decode_responses=True
        )

    def in_flight(self) -> InFlight:
        """This worker's file of the requests it takes from the run's queue."""
        return InFlight(self.client(), self.key("requests"), worker_id())

    def check(self) -> None:
        """Fail with a one-line message now rather than with a traceback inside Scrapy."""
        server = self.client()
        try:
            server.ping()
        except redis.RedisError as exc:
            raise DistributedError(f"cannot reach Redis at {self.safe_url}: {exc}") from exc
        finally:
            server.close()


def distributed_settings(run: DistributedRun, extensions: Mapping[str, int]) -> dict[str, Any]:
    """The Scrapy settings that make a crawl one worker of ``run``."""
    _silence_scrapy_redis_deprecations()
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.HostTurnsQueue",
        "SCHEDULER_QUEUE_KEY": run.key("requests"),
        "SCHEDULER_DUPEFILTER_KEY": run.key("dupefilter"),
        "SCHEDULER_SERIALIZER": "crawler.distributed.codec",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "REDIS_URL": run.redis_url,
        "RASSEGNA_DISTRIBUTED": run,
        "DISTRIBUTED_HEARTBEAT": 1.0,
        "DISTRIBUTED_BUSY_TTL": 30,
        "DISTRIBUTED_RUN_TTL": 7 * 24 * 3600,
        "EXTENSIONS": {**extensions, "crawler.distributed.run.SharedRun": 510},
    }


def _silence_scrapy_redis_deprecations() -> None:
    for message in _SCRAPY_REDIS_DEPRECATIONS:
        warnings.filterwarnings("ignore", message=message, category=ScrapyDeprecationWarning)


class SharedRun:
    """One worker's part in the run's bookkeeping: busy or not, and the keys' expiry."""

    def __init__(self, crawler: Crawler, run: DistributedRun, server: redis.Redis) -> None:
        self._crawler = crawler
        self._run = run
        self._server = server
        self._worker = worker_id()
        self._busy_key = run.key("busy")
        self._alive_key = run.key("alive")
        self._in_flight = InFlight(server, run.key("requests"), self._worker)
        self._keys = [
            run.key("requests"),
            turns_key(run.key("requests")),
            run.key("dupefilter"),
            self._busy_key,
            self._alive_key,
            filers_key(run.key("requests")),
        ]
        self._interval = crawler.settings.getfloat("DISTRIBUTED_HEARTBEAT", 1.0)
        self._busy_ttl = crawler.settings.getint("DISTRIBUTED_BUSY_TTL", 30)
        self._run_ttl = crawler.settings.getint("DISTRIBUTED_RUN_TTL", 7 * 24 * 3600)
        self._beat = task.LoopingCall(self._heartbeat)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRun:
        run = crawler.settings.get("RASSEGNA_DISTRIBUTED")
        if not isinstance(run, DistributedRun):
            raise NotConfigured("not a distributed crawl")
        extension = cls(crawler, run, run.client())
        crawler.signals.connect(extension._opened, signal=signals.spider_opened)
        crawler.signals.connect(extension._idle, signal=signals.spider_idle)
        crawler.signals.connect(extension._closed, signal=signals.spider_closed)
        return extension

    def _opened(self) -> None:
        self._mark_alive()
        self._mark_busy()
        logger.info("worker %s joined run %s", self._worker, self._run.run_id)
        self._beat.start(self._interval, now=False)

    def _heartbeat(self) -> None:
        try:
            self._mark_alive()
            if self._work_in_hand():
                self._mark_busy()
            self._recover()
        except redis.RedisError as exc:
            logger.warning("run %s: cannot reach Redis: %s", self._run.run_id, exc)

    def _mark_alive(self) -> None:
        now = int(self._server.time()[0])
        self._server.hset(self._alive_key, self._worker, now + self._busy_ttl)

    def _recover(self) -> int:
        """Queue again what workers that stopped answering had taken; how many requests."""
        now = int(self._server.time()[0])
        deadlines = self._server.hgetall(self._alive_key)
        state = CrawlContext.of(self._crawler).state
        queued = 0
        for worker in self._in_flight.workers_with_files():
            if worker == self._worker or int(deadlines.get(worker, 0)) > now:
                continue
            back, done = self._in_flight.requeue(worker, state.is_done)
            self._server.hdel(self._alive_key, worker)
            if back or done:
                logger.warning(
                    "run %s: worker %s stopped answering; %d of its requests queued again,"
                    " %d already done",
                    self._run.run_id,
                    worker,
                    back,
                    done,
                )
            queued += back
        return queued

    def _work_in_hand(self) -> bool:
        """Requests downloading or responses being parsed, which may queue more requests.

        Not the engine's ``spider_is_idle``, which also counts the shared queue: a worker
        waiting for others is not busy just because they queued something.
        """
        engine = self._crawler.engine
        assert engine is not None
        assert engine.scraper.slot is not None
        return bool(engine.downloader.active) or not engine.scraper.slot.is_idle()

    def _mark_busy(self) -> None:
        now = int(self._server.time()[0])
        pipe = self._server.pipeline()
        pipe.hset(self._busy_key, self._worker, now + self._busy_ttl)
        for key in self._keys:
            pipe.expire(key, self._run_ttl)
        pipe.execute()

    def _idle(self) -> None:
        """Queue empty, nothing in flight: stay while another worker may still queue work,
        or while a dead one's requests are being queued again."""
        self._server.hdel(self._busy_key, self._worker)
        if self._recover():
            raise DontCloseSpider
        now = int(self._server.time()[0])
        busy = [
            str(worker)
            for worker, deadline in self._server.hgetall(self._busy_key).items()
            if int(deadline) > now
        ]
        if busy:
            logger.debug("queue empty, waiting for %s", ", ".join(busy))
            raise DontCloseSpider

    def _closed(self, reason: str) -> None:
        if self._beat.running:
            self._beat.stop()
        try:
            self._server.hdel(self._busy_key, self._worker)
            self._server.hdel(self._alive_key, self._worker)
            self._in_flight.clear()
            for key in self._keys:
                self._server.expire(key, self._run_ttl)
        except redis.RedisError as exc:
            logger.warning("run %s: cannot reach Redis: %s", self._run.run_id, exc)
        finally:
            self._server.close()
        logger.info("worker %s left run %s (%s)", self._worker, self._run.run_id, reason)

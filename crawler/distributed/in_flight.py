"""The requests a worker took from the run's queue and has not finished, kept in Redis.

scrapy-redis removes a request from the shared queue when a worker takes it, so the requests
a killed worker held (taken, downloading, parsed but not stored) were lost to the run: the
duplicate filter kept every other worker from queueing them again. Here taking a request also
files it under the worker, in one Lua script (``HostTurnsQueue.pop``), and a page leaves that
file when the crawl state records its outcome (stored, not an article, gone, failed). When a
worker stops answering (its heartbeat deadline passes), another worker of the run claims its
file, atomically so that only one does, and queues again every request whose page the crawl
state does not hold as done.

A request with no page outcome (a feed, a sitemap, a listing) stays filed until its worker
stops normally; after a crash it is fetched once more, which is what a feed needs anyway.

Keys: ``<queue key>:in-flight:<worker>`` (a hash: URL -> [score, request]) and
``<queue key>:in-flight`` (the set of workers holding one), expiring with the run's other keys.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import redis

if TYPE_CHECKING:
    from crawler.state import OutletRun, StateStore

logger = logging.getLogger(__name__)

IN_FLIGHT = ":in-flight:"

POP = """
local taken = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #taken == 0 then return false end
redis.call('ZREM', KEYS[1], taken[1])
local url = cjson.decode(taken[1])['url']
redis.call('HSET', KEYS[2], url, cjson.encode({taken[2], taken[1]}))
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[1])
return taken[1]
"""
"""KEYS: the queue, this worker's file, the set of workers with files. ARGV: the keys' TTL in
seconds, this worker's name. Returns the request taken, or nil when the queue is empty."""

_CLAIM = """
local filed = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return filed
"""


def worker_id() -> str:
    """This process's name in a run's shared keys: unique across the machines of a run."""
    return f"{socket.gethostname()}:{os.getpid()}"


def in_flight_key(queue_key: str, worker: str) -> str:
    return f"{queue_key}{IN_FLIGHT}{worker}"


def filers_key(queue_key: str) -> str:
    """The set of the workers holding a file: whom to look at for a dead one, without a scan
    of the whole database."""
    return f"{queue_key}{IN_FLIGHT.rstrip(':')}"


class InFlight:
    """This worker's file of taken requests, and the recovery of a dead worker's."""

    def __init__(self, server: redis.Redis, queue_key: str, worker: str) -> None:
        self._server = server
        self._queue_key = queue_key
        self._worker = worker
        self.key = in_flight_key(queue_key, worker)
        self._filers = filers_key(queue_key)
        self._claim = server.register_script(_CLAIM)

    def finished(self, urls: Iterable[str]) -> None:
        """Pages whose outcome is recorded: a crash of this worker no longer concerns them."""
        found = list(dict.fromkeys(urls))
        if found:
            self._server.hdel(self.key, *found)

    def clear(self) -> None:
        """This worker stopped normally: whatever it took, it finished or gave up on."""
        self._server.delete(self.key)
        self._server.srem(self._filers, self._worker)

    def close(self) -> None:
        self._server.close()

    def workers_with_files(self) -> list[str]:
        """The workers of the run holding requests, this one included."""
        return sorted(str(worker) for worker in self._server.smembers(self._filers))

    def requeue(self, worker: str, done: Callable[[str], bool]) -> tuple[int, int]:
        """Queue again the requests of dead ``worker``'s file whose page is not ``done``;
        (queued again, dropped as done). A file another worker claimed first gives (0, 0)."""
        key = in_flight_key(self._queue_key, worker)
        filed = self._claim(keys=[key, self._filers], args=[worker])
        back: dict[str, float] = {}
        dropped = 0
        for url, entry in zip(filed[::2], filed[1::2], strict=True):
            score, request = json.loads(entry)
            if done(str(url)):
                dropped += 1
            else:
                back[request] = float(score)
        if back:
            self._server.zadd(self._queue_key, back)
        return len(back), dropped


class FinishingState:
    """The crawl state of a worker of a run: recording a page's outcome also takes the page
    out of the worker's file of requests in flight."""

    def __init__(self, state: StateStore, in_flight: InFlight) -> None:
        self._state = state
        self._in_flight = in_flight

    def record(
        self,
        urls: Iterable[str],
        outcome: str,
        *,
        now: str,
        item_url: str | None = None,
        error: str | None = None,
    ) -> None:
        urls = list(urls)
        self._state.record(urls, outcome, now=now, item_url=item_url, error=error)
        self._finished(urls)

    def record_items(self, pages: Iterable[tuple[Iterable[str], str]], *, now: str) -> None:
        pages = [(list(urls), item_url) for urls, item_url in pages]
        self._state.record_items(pages, now=now)
        self._finished(url for urls, _ in pages for url in urls)

    def _finished(self, urls: Iterable[str]) -> None:
        try:
            self._in_flight.finished(urls)
        except redis.RedisError as exc:
            # Recorded all the same: the page stays filed until this worker stops, and only a
            # crash before then would fetch it once more.
            logger.warning("cannot update the requests in flight in Redis: %s", exc)

    def is_done(self, url: str) -> bool:
        return self._state.is_done(url)

    def failed_pages(self, max_attempts: int) -> list[str]:
        return self._state.failed_pages(max_attempts)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self._state.validators(url)

    def save_validators(self, found: dict[str, tuple[str | None, str | None]], *, now: str) -> None:
        self._state.save_validators(found, now=now)

    def record_outlet_runs(self, runs: list[OutletRun]) -> None:
        self._state.record_outlet_runs(runs)

    def outlet_runs(self) -> dict[str, OutletRun]:
        return self._state.outlet_runs()

    def close(self) -> None:
        self._state.close()
        self._in_flight.close()

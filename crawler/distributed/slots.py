"""Per-host turns shared by every worker of a distributed crawl, kept in Redis.

Each worker's Scrapy keeps its own download slot per host (concurrency, AutoThrottle's delay)
and its own Crawl-delay turns, so N workers of a run would visit a site N times as fast as one
crawler. Here every request to a host first takes a turn in Redis, where two small Lua scripts
keep, per host, the time before which no request may leave (``next``) and the requests under
way (a sorted set of leases). A script runs atomically, and reads Redis's clock, so workers on
machines whose clocks differ still agree.

- Taking a turn waits until ``next`` has passed and fewer than the host's concurrency are under
  way; it then moves ``next`` by the spacing the taker's AutoThrottle asks between two starts.
- Giving it back may push ``next`` later: a robots.txt Crawl-delay counts from the end of a
  request, as on one machine (``crawler.download_handler``).
- A lease ends by itself after ``lease`` seconds, so a worker that dies holding turns blocks the
  host for at most that long.

Keys: ``rassegna:<run-id>:host:<netloc>`` (a hash) and ``...:host:<netloc>:leases``, expiring
with the run's other keys.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import redis
import redis.asyncio

if TYPE_CHECKING:
    from crawler.distributed.run import DistributedRun

logger = logging.getLogger(__name__)

_NOW_MS = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
"""

_TAKE = (
    _NOW_MS
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local free = tonumber(redis.call('HGET', KEYS[1], 'next')) or 0
if free > now then return free - now end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
local spacing = tonumber(ARGV[4])
if spacing > 0 then redis.call('HSET', KEYS[1], 'next', now + spacing) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 0
"""
)
"""KEYS: host hash, leases. ARGV: token, concurrency, lease ms, spacing ms, key TTL s.
Returns 0 (taken), the milliseconds until ``next``, or -1 (all the host's turns are out)."""

_GIVE_BACK = (
    _NOW_MS
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
local pause = tonumber(ARGV[2])
if pause > 0 then
    local free = tonumber(redis.call('HGET', KEYS[1], 'next')) or 0
    if now + pause > free then redis.call('HSET', KEYS[1], 'next', now + pause) end
    redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return 0
"""
)
"""KEYS: host hash, leases. ARGV: token, pause ms, key TTL s."""

BUSY_POLL = 0.02
"""Seconds between two tries while every turn of a host is out: the turns come back when
another worker's request ends, which no script can wait for."""


class SharedHostSlots:
    def __init__(self, run: DistributedRun, worker: str, *, lease: float, ttl: int) -> None:
        self._run = run
        self._worker = worker
        self._lease_ms = int(lease * 1000)
        self._ttl = ttl
        self._tokens = itertools.count()
        self._client: redis.asyncio.Redis | None = None

    def _server(self) -> redis.asyncio.Redis:
        # Made on first use: an asyncio client belongs to the event loop it first runs in,
        # which is the crawl's, not the one (if any) running when Scrapy builds its handlers.
        if self._client is None:
            self._client = redis.asyncio.Redis.from_url(
                self._run.redis_url, socket_connect_timeout=10, socket_timeout=30
            )
            self._take = self._client.register_script(_TAKE)
            self._give_back = self._client.register_script(_GIVE_BACK)
        return self._client

    @asynccontextmanager
    async def turn(
        self, netloc: str, *, concurrency: int, spacing: float, pause: float
    ) -> AsyncIterator[bool]:
        """Hold one of ``netloc``'s turns for the block; yields whether the turn had to wait.

        ``spacing``: seconds between two starts (AutoThrottle's or ``DOWNLOAD_DELAY``);
        ``pause``: seconds after the block ends before the next start (a Crawl-delay)."""
        self._server()
        keys = [self._run.key(f"host:{netloc}"), self._run.key(f"host:{netloc}:leases")]
        token = f"{self._worker}:{next(self._tokens)}"
        waited = False
        while True:
            answer = int(
                await self._take(
                    keys,
                    [token, max(concurrency, 1), self._lease_ms, int(spacing * 1000), self._ttl],
                )
            )
            if answer == 0:
                break
            waited = True
            await asyncio.sleep(BUSY_POLL if answer < 0 else answer / 1000)
        try:
            yield waited
        finally:
            try:
                await self._give_back(keys, [token, int(pause * 1000), self._ttl])
            except redis.RedisError as exc:
                # The lease ends by itself: the host waits at most that long for this turn.
                logger.warning(
                    "run %s: cannot give back a turn of %s: %s", self._run.run_id, netloc, exc
                )

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

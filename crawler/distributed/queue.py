"""The shared request queue of a distributed crawl: by priority, then taking turns by host.

scrapy-redis's ``PriorityQueue`` is a Redis sorted set scored by priority alone; requests of
equal priority then come out in the byte order of their encoding, which starts with the URL,
so a worker would take dozens of requests to one host at a time and wait on that host's
politeness limits while every other host idles. A single-process crawl avoids this with
Scrapy's ``DownloaderAwarePriorityQueue``, which scrapy-redis ignores. Here each host's
requests are numbered as they are queued (a counter per host in a Redis hash) and the number
breaks ties: the first request of every host, then the second of every host, and so on.

Taking a request also files it under the taking worker (``crawler.distributed.in_flight``),
so that a worker killed mid-run loses none of the requests it held.

Setting: ``SCHEDULER_QUEUE_CLASS = "crawler.distributed.queue.HostTurnsQueue"``; the counters live
under the queue's key with ``:turns`` appended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.queue import PriorityQueue

from crawler.distributed.in_flight import POP, filers_key, in_flight_key, worker_id

if TYPE_CHECKING:
    from scrapy import Request

_TURNS_PER_PRIORITY = 10**9
"""More requests than one host will ever queue in a run: a turn never crosses a priority."""


def turns_key(queue_key: str) -> str:
    return f"{queue_key}:turns"


class HostTurnsQueue(PriorityQueue):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.turns_key = turns_key(self.key)
        self._worker = worker_id()
        self.in_flight_key = in_flight_key(self.key, self._worker)
        self._filers_key = filers_key(self.key)
        self._pop = self.server.register_script(POP)
        self._ttl = self.spider.crawler.settings.getint("DISTRIBUTED_RUN_TTL", 7 * 24 * 3600)

    def push(self, request: Request) -> None:
        host = urlparse_cached(request).netloc
        turn = self.server.hincrby(self.turns_key, host, 1)
        score = -request.priority * _TURNS_PER_PRIORITY + turn
        self.server.zadd(self.key, {self._encode_request(request): score})

    def pop(self, timeout: int = 0) -> Request | None:
        taken = self._pop(
            keys=[self.key, self.in_flight_key, self._filers_key], args=[self._ttl, self._worker]
        )
        return self._decode_request(taken) if taken else None

    def clear(self) -> None:
        super().clear()
        self.server.delete(self.turns_key, self.in_flight_key, self._filers_key)

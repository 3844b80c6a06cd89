"""The crawl state in Redis, for crawler workers on several machines that share one archive.

``crawler.state.CrawlState`` keeps what the crawler has done in a SQLite file of the crawling
machine; workers on other machines cannot see it, so each would fetch again the articles the
others already stored and keep its own validators and retry counts. ``RedisCrawlState`` gives
the same answers to the same calls (``crawler.state.StateStore``) from keys every worker
reaches. Unlike a run's queue, the keys never expire: the state is what lasts between runs.

Keys, under ``rassegna:state:<namespace>:`` (one namespace per archive, ``default`` unless told):

- ``pages``: a hash, page URL -> JSON ``{"outcome", "item_url", "fetched_at", "error",
  "attempts"}``; one hash rather than a key per page so that every key a script touches is
  declared to Redis.
- ``failed``: a sorted set of the pages whose outcome is ``FAILED``, all with score 0, member
  ``<fetched_at>\\0<url>``. Members of equal score sort byte by byte, as SQLite's ``ORDER BY
  fetched_at`` compares the ISO strings, so ``failed_pages`` reads them in the SQLite order
  without looking at the other pages, and any ``now`` string sorts as it would there.
- ``entries``: a hash, entry point URL -> JSON ``{"etag", "last_modified", "fetched_at"}``.
- ``runs``: a hash, outlet -> JSON of its ``OutletRun`` (fields by name, so a field added to
  ``OutletRun`` later takes its default when an older record is read).

Every change that reads before it writes (attempts, a done page staying done, ``last_new``)
is one Lua script, so two workers recording the same page at once both count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from typing import TYPE_CHECKING

import redis

from crawler.errors import DistributedError
from crawler.state import _FINAL, DONE, FAILED, OutletRun
from search.errors import StoreError

if TYPE_CHECKING:
    from crawler.distributed.run import DistributedRun
    from crawler.state import CrawlState, StateStore

_NAMESPACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_RUN_FIELDS = frozenset(field.name for field in fields(OutletRun))

_RECORD = r"""
-- KEYS: pages, failed. ARGV[1] DONE, ARGV[2] FAILED, then one JSON row per page:
-- [url, outcome, item_url, fetched_at, error], applied in order as SQLite's upsert would.
local done, failed = ARGV[1], ARGV[2]
for i = 3, #ARGV do
    local row = cjson.decode(ARGV[i])
    local url, outcome, fetched_at = row[1], row[2], row[4]
    local attempts = 1
    local keep = false
    local old = redis.call('HGET', KEYS[1], url)
    if old then
        local page = cjson.decode(old)
        if page.outcome == done then
            keep = true
        else
            attempts = page.attempts + 1
            if page.outcome == failed then
                redis.call('ZREM', KEYS[2], page.fetched_at .. '\0' .. url)
            end
        end
    end
    if not keep then
        redis.call('HSET', KEYS[1], url, cjson.encode({
            outcome = outcome, item_url = row[3], fetched_at = fetched_at,
            error = row[5], attempts = attempts}))
        if outcome == failed then
            redis.call('ZADD', KEYS[2], 0, fetched_at .. '\0' .. url)
        end
    end
end
"""
"""A page's latest outcome; a page that gave an item stays done whatever comes after."""

_FAILED_PAGES = r"""
-- KEYS: pages, failed. ARGV[1] max attempts, ARGV[2] FAILED.
local limit = tonumber(ARGV[1])
local urls = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    local url = string.sub(member, string.find(member, '\0', 1, true) + 1)
    local page = redis.call('HGET', KEYS[1], url)
    if page then
        page = cjson.decode(page)
        if page.outcome == ARGV[2] and page.attempts < limit then
            table.insert(urls, url)
        end
    end
end
return urls
"""
"""Read in one script so that no worker's change falls between the set and the pages."""

_RECORD_RUNS = r"""
-- KEYS: runs. ARGV: one JSON OutletRun per outlet, applied in order.
for i = 1, #ARGV do
    local run = cjson.decode(ARGV[i])
    local old = redis.call('HGET', KEYS[1], run.outlet)
    if old and not (run.articles > 0) then
        local before = cjson.decode(old)
        if before.last_new == nil or before.last_new == cjson.null then
            run.last_new = before.started
        else
            run.last_new = before.last_new
        end
    end
    redis.call('HSET', KEYS[1], run.outlet, cjson.encode(run))
end
"""
"""SQLite's ``last_new = CASE WHEN excluded.articles > 0 THEN excluded.last_new ELSE
coalesce(outlet_runs.last_new, outlet_runs.started) END``, on a replaced run only."""


class RedisCrawlState:
    """``CrawlState``'s methods and answers, kept in Redis under ``namespace``.

    ``client`` must decode responses (``DistributedRun.client()`` does); it is closed by
    ``close``.
    """

    def __init__(self, client: redis.Redis, namespace: str) -> None:
        if not _NAMESPACE.fullmatch(namespace):
            raise DistributedError(
                f"crawl state namespace {namespace!r}: use 1 to 64 letters, digits, '.', '_' or '-'"
            )
        self.namespace = namespace
        self._client = client
        prefix = f"rassegna:state:{namespace}"
        self.pages_key = f"{prefix}:pages"
        self.entries_key = f"{prefix}:entries"
        self.runs_key = f"{prefix}:runs"
        self.failed_key = f"{prefix}:failed"
        self._record = client.register_script(_RECORD)
        self._failed_pages = client.register_script(_FAILED_PAGES)
        self._record_runs = client.register_script(_RECORD_RUNS)

    @classmethod
    def open(cls, run: DistributedRun, namespace: str = "default") -> RedisCrawlState:
        """The state next to ``run``'s queue; the client connects at the first call."""
        return cls(run.client(), namespace)

    @property
    def describe(self) -> str:
        """Where the state lives, without credentials: what a message names, as a file's path."""
        return f"{_server(self._client)} rassegna:state:{self.namespace}"

    @contextmanager
    def _redis(self) -> Iterator[None]:
        """A Redis failure as the ``StoreError`` a SQLite failure would be, on one line."""
        try:
            yield
        except redis.RedisError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            password = self._client.connection_pool.connection_kwargs.get("password")
            if password:
                reason = reason.replace(str(password), "***")
            raise StoreError(self.describe, f"cannot record the crawl state: {reason}") from exc

    def is_done(self, url: str) -> bool:
        """Whether this page needs no new fetch (stored, not an article, or gone)."""
        with self._redis():
            page = self._client.hget(self.pages_key, url)
        return page is not None and json.loads(str(page))["outcome"] in _FINAL

    def record(
        self,
        urls: Iterable[str],
        outcome: str,
        *,
        now: str,
        item_url: str | None = None,
        error: str | None = None,
    ) -> None:
        self._write([(url, outcome, item_url, now, error) for url in dict.fromkeys(urls)])

    def record_items(self, pages: Iterable[tuple[Iterable[str], str]], *, now: str) -> None:
        """``record(urls, DONE, item_url=...)`` for a batch of stored items, in one script:
        the store pipeline writes items in batches, and so their pages."""
        self._write(
            [
                (url, DONE, item_url, now, None)
                for urls, item_url in pages
                for url in dict.fromkeys(urls)
            ]
        )

    def _write(self, rows: list[tuple[str, str, str | None, str, str | None]]) -> None:
        if not rows:
            return
        args = [DONE, FAILED, *(json.dumps(row, ensure_ascii=False) for row in rows)]
        with self._redis():
            self._record(keys=[self.pages_key, self.failed_key], args=args)

    def failed_pages(self, max_attempts: int) -> list[str]:
        """Article pages whose last fetch failed, to be tried again (up to ``max_attempts``)."""
        with self._redis():
            urls = self._failed_pages(
                keys=[self.pages_key, self.failed_key], args=[max_attempts, FAILED]
            )
        return [str(url) for url in urls]

    def validators(self, url: str) -> tuple[str | None, str | None]:
        with self._redis():
            entry = self._client.hget(self.entries_key, url)
        if entry is None:
            return (None, None)
        found = json.loads(str(entry))
        return (found["etag"], found["last_modified"])

    def save_validators(self, found: dict[str, tuple[str | None, str | None]], *, now: str) -> None:
        if not found:
            return
        entries = {
            url: json.dumps(
                {"etag": etag, "last_modified": modified, "fetched_at": now}, ensure_ascii=False
            )
            for url, (etag, modified) in found.items()
        }
        with self._redis():
            self._client.hset(self.entries_key, mapping=entries)  # type: ignore[arg-type]

    def record_outlet_runs(self, runs: list[OutletRun]) -> None:
        """Replace each outlet's last run; ``last_new`` moves only when the run fetched new
        articles, so a quiet outlet keeps the date of its last new one."""
        if not runs:
            return
        args = [json.dumps(asdict(run), ensure_ascii=False) for run in runs]
        with self._redis():
            self._record_runs(keys=[self.runs_key], args=args)

    def outlet_runs(self) -> dict[str, OutletRun]:
        with self._redis():
            stored = self._client.hgetall(self.runs_key)
        runs = {}
        for outlet, record in stored.items():
            values = json.loads(record)
            runs[str(outlet)] = OutletRun(**{k: v for k, v in values.items() if k in _RUN_FIELDS})
        return runs

    def close(self) -> None:
        with self._redis():
            self._client.close()


def _server(client: redis.Redis) -> str:
    """The server's URL as ``redis.Redis.from_url`` took it, minus user and password."""
    pool = client.connection_pool
    kwargs = pool.connection_kwargs
    db = kwargs.get("db", 0)
    if "path" in kwargs:
        return f"unix://{kwargs['path']}?db={db}"
    scheme = "rediss" if issubclass(pool.connection_class, redis.SSLConnection) else "redis"
    host = str(kwargs.get("host", "localhost"))
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{kwargs.get('port', 6379)}/{db}"


if TYPE_CHECKING:
    _SQLITE: type[StateStore] = CrawlState
    _REDIS: type[StateStore] = RedisCrawlState

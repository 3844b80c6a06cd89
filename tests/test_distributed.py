"""Distributed crawl mode: workers that share one crawl through Redis fetch no page twice.

The end-to-end tests start Debian's ``redis-server`` on a free loopback port (no data saved)
and the simulated web, then run two ``rassegna crawl --distributed`` processes on the same
data dir at the same time, as an operator would on one machine. The unit tests check the
request encoding, the run's settings and the shared queue without a crawl.
"""

from __future__ import annotations

import json
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import scrapy
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.utils.test import get_crawler
from scrapy_redis.scheduler import Scheduler

from crawler.distributed import codec
from crawler.distributed.in_flight import worker_id
from crawler.distributed.queue import HostTurnsQueue
from crawler.distributed.run import DistributedRun, distributed_settings
from crawler.errors import DistributedError
from simweb.content import build_web, expected, sources_path
from simweb.server import Web
from tests.conftest import run_cli
from tests.distributed_workers import Finished, finish, worker
from tests.receivers import free_port

# Each worker holds few requests at a time, so the other always finds some in the queue.
SHARED = ("--set", "CONCURRENT_REQUESTS=8")
FIELDS = ("url", "outlet", "category", "title", "date", "journalist", "city", "language")
RUN = "two-workers"


@pytest.fixture
def server(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def pages(hits: list[Any]) -> list[tuple[str, str]]:
    """Pages served, robots.txt aside: each worker reads the rules of each host itself."""
    return [(h.host, h.path) for h in hits if h.status == 200 and h.path != "/robots.txt"]


@dataclass
class SharedCrawl:
    web: Web
    data_dir: Path
    workers: list[Finished]
    snapshot: dict[str, Any]
    hits: int


@pytest.fixture(scope="module")
def shared(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedCrawl]:
    data_dir = tmp_path_factory.mktemp("shared-data")
    with build_web() as web:
        # Slow answers make the crawl outlast a worker's start-up (seconds on a loaded
        # machine): otherwise the first worker up may drain the shared queue alone.
        web.latency = 0.25
        started = [worker(web, data_dir, redis_url, RUN, *SHARED) for _ in range(2)]
        workers = [finish(process) for process in started]
        snapshot = json.loads(
            run_cli(
                "snapshot", "--format", "json", "--sources", sources_path(), data_dir=data_dir
            ).stdout
        )
        yield SharedCrawl(web, data_dir, workers, snapshot, len(web.hits))


# --- two workers, one crawl -------------------------------------------------------------------


@pytest.mark.slow
def test_two_workers_fetch_no_page_twice(shared: SharedCrawl) -> None:
    served = Counter(pages(shared.web.hits[: shared.hits]))
    assert served
    assert [page for page, count in served.items() if count > 1] == []


@pytest.mark.slow
def test_both_workers_fetched_a_share_of_the_articles(shared: SharedCrawl) -> None:
    articles = [w.summary["articles"] for w in shared.workers]
    assert all(count > 0 for count in articles), articles
    assert all(w.summary["finish_reason"] == "finished" for w in shared.workers)
    new_items = sum(w.summary["new_items"] for w in shared.workers)
    assert new_items == sum(articles)


@pytest.mark.slow
def test_the_shared_store_holds_exactly_the_planted_mentions(shared: SharedCrawl) -> None:
    want = sorted(tuple(m[f] for f in FIELDS) for m in expected()["mentions"])
    got = sorted(tuple(i[f] for f in FIELDS) for i in shared.snapshot["items"])
    assert got == want
    urls = [i["url"] for i in shared.snapshot["items"]]
    assert len(urls) == len(set(urls))


@pytest.mark.slow
def test_scrapy_redis_deprecation_warnings_are_silenced(shared: SharedCrawl) -> None:
    for finished in shared.workers:
        assert "ScrapyDeprecationWarning" not in finished.stderr


@pytest.mark.slow
def test_the_run_leaves_only_its_own_keys_all_expiring(
    shared: SharedCrawl, server: redis.Redis
) -> None:
    keys = {key.decode() for key in server.scan_iter(f"rassegna:{RUN}:*")}
    assert f"rassegna:{RUN}:dupefilter" in keys
    assert f"rassegna:{RUN}:requests" not in keys, "the queue is drained"
    assert f"rassegna:{RUN}:busy" not in keys, "no worker says it is busy"
    for key in keys:
        assert 0 < server.ttl(key) <= 7 * 24 * 3600, key


@pytest.mark.slow
def test_a_worker_joining_a_finished_run_fetches_nothing(
    shared: SharedCrawl, redis_url: str, tmp_path: Path
) -> None:
    before = len(shared.web.hits)
    late = finish(worker(shared.web, tmp_path, redis_url, RUN))
    assert late.summary["pages_fetched"] == 0
    assert len(shared.web.hits) == before


@pytest.mark.slow
def test_a_new_run_id_starts_clean_and_fetches_no_stored_article_again(
    shared: SharedCrawl, redis_url: str
) -> None:
    before = len(shared.web.hits)
    again = finish(worker(shared.web, shared.data_dir, redis_url, "next-run"))
    assert again.summary["entry_points"] > 0
    assert again.summary["articles"] == 0
    articles = {m["url"] for m in expected()["mentions"]}
    refetched = [h for h in shared.web.hits[before:] if f"https://{h.host}{h.path}" in articles]
    assert refetched == []


# --- the shared queue, in process -------------------------------------------------------------


class _Spider(scrapy.Spider):
    name = "t"


def _scheduler(run: DistributedRun) -> Scheduler:
    settings = distributed_settings(run, {})
    del settings["EXTENSIONS"]  # the scheduler alone, without the run's bookkeeping
    crawler = get_crawler(_Spider, settings)
    crawler.spider = crawler._create_spider()  # type: ignore[attr-defined]
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def test_a_request_queued_by_one_worker_is_taken_by_another_and_never_queued_again(
    redis_url: str, server: redis.Redis
) -> None:
    run = DistributedRun(redis_url, "in-process")
    first, second = _scheduler(run), _scheduler(run)
    feed = scrapy.Request("https://a.test/feed/", meta={"entry": True}, priority=10)
    assert first.enqueue_request(feed)
    assert not second.enqueue_request(feed.replace())
    taken = second.next_request()
    assert taken is not None
    assert (taken.url, taken.meta["entry"], taken.priority) == (feed.url, True, 10)
    assert first.next_request() is None
    for scheduler in (first, second):
        scheduler.server.close()
    server.delete(*server.keys("rassegna:in-process:*"))


def test_the_queue_takes_turns_between_hosts_within_a_priority(
    redis_url: str, server: redis.Redis
) -> None:
    spider = _Spider.from_crawler(get_crawler(_Spider))
    queue = HostTurnsQueue(server, spider, "rassegna:turns-test:requests", codec)
    for url in (
        "https://a.test/1",
        "https://a.test/2",
        "https://a.test/3",
        "https://b.test/1",
        "https://b.test/2",
    ):
        queue.push(scrapy.Request(url))
    queue.push(scrapy.Request("https://c.test/feed/", priority=10))
    popped = []
    while (request := queue.pop()) is not None:
        popped.append(request.url)
    assert popped == [
        "https://c.test/feed/",
        "https://a.test/1",
        "https://b.test/1",
        "https://a.test/2",
        "https://b.test/2",
        "https://a.test/3",
    ]
    # Every request taken is filed under this worker until its page is done.
    assert sorted(server.hkeys(queue.in_flight_key)) == sorted(u.encode() for u in popped)
    assert server.smembers(f"{queue.key}:in-flight") == {worker_id().encode()}
    queue.clear()
    assert server.keys("rassegna:turns-test:*") == []


# --- request encoding -------------------------------------------------------------------------


def test_a_queued_request_round_trips_through_json() -> None:
    request = scrapy.Request(
        "https://a.test/articolo/",
        headers={"If-None-Match": '"abc"'},
        body=b"\x00\xff",
        meta={"outlet": "A", "redirect_urls": ["http://a.test/x"], "hint_date": None},
        priority=-1,
        dont_filter=True,
    )
    data = codec.dumps(request.to_dict())
    assert json.loads(data)["body"] == {"$b": "\x00ÿ"}
    assert codec.loads(data) == request.to_dict()


def test_a_retry_deadline_travels_as_wall_clock_time() -> None:
    deadline = time.monotonic() + 30
    data = codec.dumps(scrapy.Request("https://a.test/", meta={"not_before": deadline}).to_dict())
    encoded = json.loads(data)["meta"]
    assert "not_before" not in encoded
    assert abs(encoded["not_before_epoch"] - (time.time() + 30)) < 1
    assert abs(codec.loads(data)["meta"]["not_before"] - deadline) < 1


def test_a_dict_that_looks_like_an_encoded_value_survives() -> None:
    meta = {"$b": "not bytes", "other": 1}
    assert codec.loads(codec.dumps({"meta": meta})) == {"meta": meta}
    assert codec.loads(codec.dumps({"meta": {"$d": []}})) == {"meta": {"$d": []}}


def test_a_value_json_cannot_carry_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot queue a request holding a set"):
        codec.dumps({"meta": {"seen": {1, 2}}})


# --- settings and arguments -------------------------------------------------------------------


def test_the_run_id_names_every_shared_key() -> None:
    settings = distributed_settings(DistributedRun("redis://r:6379/0", "2024-05-01"), {"x.Ext": 1})
    assert settings["SCHEDULER"] == "scrapy_redis.scheduler.Scheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["SCHEDULER_QUEUE_KEY"] == "rassegna:2024-05-01:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == "rassegna:2024-05-01:dupefilter"
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["SCHEDULER_SERIALIZER"] == "crawler.distributed.codec"
    assert settings["EXTENSIONS"] == {"x.Ext": 1, "crawler.distributed.run.SharedRun": 510}


def test_only_the_known_scrapy_redis_deprecations_are_silenced() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        distributed_settings(DistributedRun("redis://r:6379/0", "w"), {})
        warnings.warn("Spider.log() is deprecated", ScrapyDeprecationWarning, stacklevel=1)
        with pytest.raises(ScrapyDeprecationWarning):
            warnings.warn("Something else is deprecated", ScrapyDeprecationWarning, stacklevel=1)


@pytest.mark.parametrize(
    ("url", "run_id", "env", "message"),
    [
        (None, "x", {}, "--run-id needs --distributed"),
        ("", "x", {}, "needs a Redis URL (or RASSEGNA_REDIS_URL)"),
        ("redis://r:6379/0", None, {}, "--distributed needs --run-id"),
        ("redis://r:6379/0", "a b", {}, "--run-id 'a b'"),
        ("http://r:6379/0", "x", {}, "'http://r:6379/0' is not a Redis URL"),
        ("", "x", {"RASSEGNA_REDIS_URL": "redis://:pw@r/0"}, None),
    ],
)
def test_distributed_arguments_are_checked(
    url: str | None, run_id: str | None, env: dict[str, str], message: str | None
) -> None:
    if message is None:
        assert DistributedRun.from_args(url, run_id, env).redis_url == "redis://:pw@r/0"
        return
    with pytest.raises(DistributedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DistributedRun.from_args(url, run_id, env)


def test_the_password_never_appears_in_messages() -> None:
    run = DistributedRun("redis://:s3cret@10.0.0.5:6379/0", "x")
    assert run.safe_url == "redis://:***@10.0.0.5:6379/0"
    assert DistributedRun("redis://10.0.0.5/0", "x").safe_url == "redis://10.0.0.5/0"


def test_an_unreachable_redis_is_a_one_line_error_without_the_password(tmp_path: Path) -> None:
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    result = run_cli("crawl", "--distributed", url, "--run-id", "x", data_dir=tmp_path, check=False)
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith("rassegna crawl: cannot reach Redis at redis://:***@127.0.0.1:")
    assert "s3cret" not in message

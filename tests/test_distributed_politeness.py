"""Two workers of one distributed run are, to each site, one polite crawler.

Two ``rassegna crawl --distributed`` processes share a run on a small generated web served
with some latency: one site's robots.txt asks for ``Crawl-delay: 1``, the other asks nothing
and gets as many requests at a time as ``CONCURRENT_REQUESTS_PER_DOMAIN`` allows one crawler.
Each worker sends its own User-Agent, so the site's log tells whose requests it saw.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

from crawler.distributed.run import DistributedRun
from crawler.distributed.slots import SharedHostSlots
from simweb import cms
from simweb.generate import generate_web
from simweb.server import Hit, Page
from tests.distributed_workers import finish, worker
from tests.redis_server import redis_server

PER_HOST = 2
WORKERS = ("rassegna-test-one", "rassegna-test-two")
RUN = "polite"


@dataclass
class PoliteRun:
    delayed: list[Hit]
    """Requests to the site asking for a Crawl-delay, robots.txt aside, in arrival order."""
    open_site: list[Hit]
    """Requests to the other site, robots.txt aside."""
    redis_url: str


@pytest.fixture(scope="module")
def polite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoliteRun]:
    folder = tmp_path_factory.mktemp("polite")
    web, registry = generate_web(outlets=2, articles_per_outlet=10, seed=7)
    hosts = sorted({host for host in registry.split() if host.endswith(".test")})
    delayed_host, open_host = hosts
    web.add(
        f"https://{delayed_host}/robots.txt",
        Page(cms.robots("User-agent: *", "Crawl-delay: 1"), "text/plain"),
    )
    sources = folder / "sources.yaml"
    sources.write_text(registry, encoding="utf-8")
    with redis_server(folder) as url, web:
        web.latency = 0.6
        started = [
            worker(
                web,
                folder / "data",
                url,
                RUN,
                "--set",
                f"USER_AGENT={agent}",
                "--set",
                f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_HOST}",
                # Each worker holds few requests at a time, so both find some in the queue.
                "--set",
                "CONCURRENT_REQUESTS=3",
                # No AutoThrottle spacing: each worker alone would keep PER_HOST requests under
                # way, so only the shared turns keep the two at PER_HOST together.
                "--set",
                "AUTOTHROTTLE_ENABLED=False",
                sources=sources,
            )
            for agent in WORKERS
        ]
        for process in started:
            finish(process, timeout=120)
        hits = [h for h in web.hits if h.path != "/robots.txt"]
        yield PoliteRun(
            [h for h in hits if h.host == delayed_host],
            [h for h in hits if h.host == open_host],
            url,
        )


def _agents(hits: list[Hit]) -> set[str]:
    return {h.headers.get("User-Agent", "") for h in hits}


@pytest.mark.slow
def test_both_workers_crawled_both_sites(polite: PoliteRun) -> None:
    assert _agents(polite.delayed) == set(WORKERS)
    assert _agents(polite.open_site) == set(WORKERS)


@pytest.mark.slow
def test_no_two_requests_of_the_run_come_closer_than_the_crawl_delay(polite: PoliteRun) -> None:
    arrivals = sorted(h.at for h in polite.delayed)
    assert len(arrivals) >= 6
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 1.0, gaps


@pytest.mark.slow
def test_the_run_keeps_one_crawlers_concurrency_per_host(polite: PoliteRun) -> None:
    events = sorted(
        [(h.at, 1) for h in polite.open_site] + [(h.answered, -1) for h in polite.open_site]
    )
    under_way = list(itertools.accumulate(change for _, change in events))
    assert max(under_way) <= PER_HOST, under_way


@pytest.mark.slow
def test_no_page_is_fetched_twice_across_the_workers(polite: PoliteRun) -> None:
    served = Counter((h.host, h.path) for h in polite.delayed + polite.open_site)
    assert [page for page, count in served.items() if count > 1] == []


@pytest.mark.slow
def test_the_turns_leave_only_expiring_keys(polite: PoliteRun) -> None:
    client = redis.Redis.from_url(polite.redis_url, decode_responses=True)
    try:
        keys = list(client.scan_iter(f"rassegna:{RUN}:host:*"))
        assert keys
        assert all(client.ttl(key) > 0 for key in keys), keys
        leases = [key for key in keys if key.endswith(":leases")]
        assert all(client.zcard(key) == 0 for key in leases), "every turn was given back"
    finally:
        client.close()


# --- the turns, in process --------------------------------------------------------------------


def _slots(url: str, run_id: str, worker: str, lease: float = 5.0) -> SharedHostSlots:
    return SharedHostSlots(DistributedRun(url, run_id), worker, lease=lease, ttl=60)


def test_a_turn_waits_for_the_pause_another_worker_left(redis_url: str) -> None:
    async def two_turns() -> None:
        first, second = _slots(redis_url, "pause", "a"), _slots(redis_url, "pause", "b")
        try:
            async with first.turn("site.test", concurrency=1, spacing=0, pause=0.4) as waited:
                assert waited is False
            given_back = time.monotonic()
            async with second.turn("site.test", concurrency=1, spacing=0, pause=0) as waited:
                assert waited is True
                assert time.monotonic() - given_back >= 0.39
        finally:
            await first.close()
            await second.close()

    asyncio.run(two_turns())


def test_spacing_holds_between_the_starts_of_two_workers(redis_url: str) -> None:
    async def two_starts() -> float:
        first, second = _slots(redis_url, "spacing", "a"), _slots(redis_url, "spacing", "b")
        try:
            async with first.turn("site.test", concurrency=4, spacing=0.3, pause=0):
                started = time.monotonic()
                async with second.turn("site.test", concurrency=4, spacing=0.3, pause=0):
                    return time.monotonic() - started
        finally:
            await first.close()
            await second.close()

    assert asyncio.run(two_starts()) >= 0.29


def test_a_dead_workers_turn_ends_with_its_lease(redis_url: str) -> None:
    async def after_a_lost_turn() -> None:
        dead = _slots(redis_url, "lease", "dead", lease=0.5)
        alive = _slots(redis_url, "lease", "b")
        try:
            held = dead.turn("site.test", concurrency=1, spacing=0, pause=0)
            await held.__aenter__()  # never given back, as by a worker that was killed
            taken = time.monotonic()
            async with alive.turn("site.test", concurrency=1, spacing=0, pause=0) as waited:
                assert waited is True
                assert 0.4 <= time.monotonic() - taken < 2.0
        finally:
            await dead.close()
            await alive.close()

    asyncio.run(after_a_lost_turn())

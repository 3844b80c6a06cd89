"""The crawl state shared through Redis answers as the SQLite one does.

The behavioural tests run on both ``CrawlState`` (a SQLite file) and ``RedisCrawlState`` (a
fresh namespace of a throw-away ``redis-server``), so the two are shown to agree; the others
check what only Redis has: workers on two clients, namespaces, keys that never expire, an
unreachable server, and a failed-page index that does not read every page.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from crawler.distributed.run import DistributedRun
from crawler.distributed.state import RedisCrawlState
from crawler.state import DONE, FAILED, GONE, NOT_ARTICLE, CrawlState, OutletRun, StateStore
from search.errors import StoreError
from tests.receivers import free_port

T1 = "2026-12-03T14:00:00+00:00"
T2 = "2026-12-03T15:00:00+00:00"
T3 = "2026-12-03T16:00:00+00:00"
T4 = "2026-12-04T09:30:00+00:00"


@pytest.fixture
def server(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def fresh_namespace() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def open_redis(redis_url: str, namespace: str) -> RedisCrawlState:
    return RedisCrawlState.open(DistributedRun(redis_url, "tests"), namespace)


@pytest.fixture(params=["sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    store: StateStore
    if request.param == "sqlite":
        store = CrawlState(tmp_path / "s.sqlite")
    else:
        store = open_redis(request.getfixturevalue("redis_url"), fresh_namespace())
    yield store
    store.close()


def run(outlet: str, started: str, articles: int, last_new: str | None) -> OutletRun:
    return OutletRun(
        outlet=outlet,
        started=started,
        finished=started,
        result="ok",
        articles=articles,
        new_items=articles,
        errors=0,
        last_error=None,
        entry_points=2,
        entry_points_failed=0,
        last_new=last_new,
    )


# -- both implementations ----------------------------------------------------------------------


def test_unknown_pages_are_not_done(state: StateStore) -> None:
    assert not state.is_done("https://a.it/1")
    assert state.failed_pages(5) == []


@pytest.mark.parametrize("outcome", [DONE, NOT_ARTICLE, GONE])
def test_final_outcomes_are_done(state: StateStore, outcome: str) -> None:
    state.record(["https://a.it/1"], outcome, now=T1)
    assert state.is_done("https://a.it/1")


def test_failed_page_is_not_done(state: StateStore) -> None:
    state.record(["https://a.it/1"], FAILED, now=T1, error="timeout")
    assert not state.is_done("https://a.it/1")
    assert state.failed_pages(5) == ["https://a.it/1"]


def test_done_pages_stay_done(state: StateStore) -> None:
    url = "https://a.it/1"
    state.record([url], DONE, now=T1, item_url=url)
    state.record([url], FAILED, now=T2, error="timeout")
    state.record([url], GONE, now=T3)
    assert state.is_done(url)
    assert state.failed_pages(100) == []
    # A page that was not an article can still become one (it is replaced, not kept).
    state.record(["https://a.it/2"], NOT_ARTICLE, now=T1)
    state.record(["https://a.it/2"], FAILED, now=T2)
    assert not state.is_done("https://a.it/2")


def test_attempts_count_every_outcome_but_done(state: StateStore) -> None:
    url = "https://a.it/1"
    state.record([url], FAILED, now=T1, error="500")
    assert state.failed_pages(1) == []  # one attempt: not below a limit of one
    assert state.failed_pages(2) == [url]
    state.record([url], NOT_ARTICLE, now=T2)
    state.record([url], FAILED, now=T3, error="500")
    assert state.failed_pages(3) == []
    assert state.failed_pages(4) == [url]


def test_failed_pages_by_fetch_time(state: StateStore) -> None:
    state.record(["https://a.it/late"], FAILED, now=T3)
    state.record(["https://a.it/early"], FAILED, now=T1)
    state.record(["https://a.it/middle"], FAILED, now=T2)
    assert state.failed_pages(5) == [
        "https://a.it/early",
        "https://a.it/middle",
        "https://a.it/late",
    ]
    state.record(["https://a.it/early"], FAILED, now=T4)  # failed again: now the latest
    assert state.failed_pages(5) == [
        "https://a.it/middle",
        "https://a.it/late",
        "https://a.it/early",
    ]
    assert state.failed_pages(2) == ["https://a.it/middle", "https://a.it/late"]
    state.record(["https://a.it/middle"], GONE, now=T4)  # no longer failed
    assert state.failed_pages(5) == ["https://a.it/late", "https://a.it/early"]


def test_urls_are_recorded_once_per_call(state: StateStore) -> None:
    url = "https://a.it/1"
    state.record([url, url, "https://a.it/2", url], FAILED, now=T1)
    assert state.failed_pages(2) == ["https://a.it/1", "https://a.it/2"]
    state.record_items([([url, url], url)], now=T2)
    assert state.is_done(url)


def test_record_items_batch(state: StateStore) -> None:
    state.record(["https://a.it/c"], FAILED, now=T1)
    state.record_items(
        [
            (["https://a.it/a", "https://a.it/a?amp=1"], "https://a.it/a"),
            (["https://a.it/c"], "https://a.it/c"),
        ],
        now=T2,
    )
    for url in ("https://a.it/a", "https://a.it/a?amp=1", "https://a.it/c"):
        assert state.is_done(url)
    assert state.failed_pages(5) == []
    state.record_items([], now=T3)
    state.record([], FAILED, now=T3)


def test_non_ascii_urls(state: StateStore) -> None:
    urls = ["https://città.it/perché", "https://a.it/€/😀", 'https://a.it/"q"\\']
    for url, now in zip(urls, (T3, T1, T2), strict=True):
        state.record([url], FAILED, now=now, error="errore «grave»")
    assert state.failed_pages(5) == [urls[1], urls[2], urls[0]]
    state.record_items([([urls[0]], urls[0])], now=T2)
    assert state.is_done(urls[0])
    state.save_validators({urls[1]: ('W/"è"', None)}, now=T1)
    assert state.validators(urls[1]) == ('W/"è"', None)


def test_validators_round_trip(state: StateStore) -> None:
    assert state.validators("https://a.it/feed") == (None, None)
    state.save_validators(
        {
            "https://a.it/feed": ('"abc"', "Wed, 03 Dec 2026 14:00:00 GMT"),
            "https://a.it/sitemap.xml": (None, "Tue, 02 Dec 2026 10:00:00 GMT"),
            "https://a.it/none": (None, None),
        },
        now=T1,
    )
    assert state.validators("https://a.it/feed") == ('"abc"', "Wed, 03 Dec 2026 14:00:00 GMT")
    assert state.validators("https://a.it/sitemap.xml") == (None, "Tue, 02 Dec 2026 10:00:00 GMT")
    assert state.validators("https://a.it/none") == (None, None)
    state.save_validators({"https://a.it/feed": ('"def"', None)}, now=T2)
    assert state.validators("https://a.it/feed") == ('"def"', None)
    state.save_validators({}, now=T3)


def test_outlet_runs_last_new(state: StateStore) -> None:
    assert state.outlet_runs() == {}
    first = run("Gazzetta", T1, 0, None)
    state.record_outlet_runs([first, run("Eco", T1, 0, "given")])
    # A first run is stored as given, even with nothing new.
    assert state.outlet_runs() == {"Gazzetta": first, "Eco": run("Eco", T1, 0, "given")}

    # Nothing new: last_new falls back to the previous run's start while none was recorded.
    state.record_outlet_runs([run("Gazzetta", T2, 0, T2)])
    assert state.outlet_runs()["Gazzetta"] == run("Gazzetta", T2, 0, T1)

    # New articles: last_new is the run's own.
    state.record_outlet_runs([run("Gazzetta", T3, 4, T3)])
    assert state.outlet_runs()["Gazzetta"] == run("Gazzetta", T3, 4, T3)

    # Quiet again: the date of the last new article is kept, every other field replaced.
    quiet = replace(run("Gazzetta", T4, 0, None), result="errors", errors=2, last_error="boom")
    state.record_outlet_runs([quiet])
    assert state.outlet_runs()["Gazzetta"] == replace(quiet, last_new=T3)
    assert state.outlet_runs()["Eco"] == run("Eco", T1, 0, "given")
    state.record_outlet_runs([])


def test_same_outlet_twice_in_one_call(state: StateStore) -> None:
    state.record_outlet_runs([run("Eco", T1, 2, T1), run("Eco", T2, 0, None)])
    assert state.outlet_runs() == {"Eco": run("Eco", T2, 0, T1)}


def test_random_history_agrees(tmp_path: Path, redis_url: str) -> None:
    """The same long sequence of calls gives the same answers from both.

    Each failure is recorded at its own time: pages failed at the same time come in an order
    SQLite does not define (Redis gives them by URL)."""
    sqlite = CrawlState(tmp_path / "s.sqlite")
    shared = open_redis(redis_url, fresh_namespace())
    rng = random.Random(20261203)
    urls = [f"https://a.it/{n}" for n in range(60)]
    outcomes = [DONE, NOT_ARTICLE, GONE, FAILED, FAILED, FAILED]
    compared = 0
    try:
        for step in range(400):
            now = f"2026-12-03T14:{step // 60:02d}:{step % 60:02d}+00:00"
            one = [rng.choice(urls)] * rng.randint(1, 2)
            batch = [(rng.sample(urls, rng.randint(1, 2)), rng.choice(urls)) for _ in range(2)]
            action, outcome = rng.random(), rng.choice(outcomes)
            articles = rng.choice([0, 0, 3])
            for store in (sqlite, shared):
                if action < 0.8:
                    store.record(one, outcome, now=now, error="e")
                elif action < 0.9:
                    store.record_items(batch, now=now)
                else:
                    store.record_outlet_runs([run("Eco", now, articles, now)])
            assert [sqlite.is_done(u) for u in urls] == [shared.is_done(u) for u in urls]
            for limit in (1, 2, 3, 5):
                assert sqlite.failed_pages(limit) == shared.failed_pages(limit)
            assert sqlite.outlet_runs() == shared.outlet_runs()
            compared += len(sqlite.failed_pages(100)) > 1
        assert compared > 100  # the history did leave failed pages to put in order
    finally:
        sqlite.close()
        shared.close()


# -- Redis only --------------------------------------------------------------------------------


def test_describe_names_server_and_namespace_without_password(redis_url: str) -> None:
    port = redis_url.rsplit(":", 1)[1].split("/")[0]
    state = RedisCrawlState.open(DistributedRun(f"redis://:s3cret@127.0.0.1:{port}/3", "run"))
    assert state.describe == f"redis://127.0.0.1:{port}/3 rassegna:state:default"
    state.close()


def test_bad_namespace(server: redis.Redis) -> None:
    from crawler.errors import DistributedError

    with pytest.raises(DistributedError, match="namespace"):
        RedisCrawlState(server, "a b")
    with pytest.raises(DistributedError, match="namespace"):
        RedisCrawlState(server, "")


def test_two_machines_share_the_state(redis_url: str) -> None:
    namespace = fresh_namespace()
    one = RedisCrawlState(DistributedRun(redis_url, "run").client(), namespace)
    two = RedisCrawlState(DistributedRun(redis_url, "run").client(), namespace)
    try:
        one.record_items([(["https://a.it/1"], "https://a.it/1")], now=T1)
        one.record(["https://a.it/2"], FAILED, now=T1)
        one.save_validators({"https://a.it/feed": ('"e"', None)}, now=T1)
        one.record_outlet_runs([run("Eco", T1, 1, T1)])
        assert two.is_done("https://a.it/1")
        assert two.failed_pages(5) == ["https://a.it/2"]
        assert two.validators("https://a.it/feed") == ('"e"', None)
        assert two.outlet_runs() == {"Eco": run("Eco", T1, 1, T1)}
        two.record(["https://a.it/2"], FAILED, now=T2)  # the second attempt, elsewhere
        assert one.failed_pages(2) == []
        assert one.failed_pages(3) == ["https://a.it/2"]
    finally:
        one.close()
        two.close()


def test_concurrent_records_all_count(redis_url: str) -> None:
    """Two workers failing on the same page at once: every attempt is counted."""
    namespace = fresh_namespace()
    workers = [open_redis(redis_url, namespace) for _ in range(2)]
    rounds = 100

    def fail(state: RedisCrawlState) -> None:
        for n in range(rounds):
            state.record(["https://a.it/1"], FAILED, now=f"{T1}.{n:03d}")

    threads = [threading.Thread(target=fail, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert workers[0].failed_pages(2 * rounds) == []
        assert workers[0].failed_pages(2 * rounds + 1) == ["https://a.it/1"]
    finally:
        for w in workers:
            w.close()


def test_namespaces_are_separate(redis_url: str) -> None:
    first = open_redis(redis_url, fresh_namespace())
    second = open_redis(redis_url, fresh_namespace())
    try:
        first.record(["https://a.it/1"], FAILED, now=T1)
        first.record_items([(["https://a.it/2"], "https://a.it/2")], now=T1)
        first.save_validators({"https://a.it/feed": ('"e"', None)}, now=T1)
        first.record_outlet_runs([run("Eco", T1, 1, T1)])
        assert second.failed_pages(5) == []
        assert not second.is_done("https://a.it/2")
        assert second.validators("https://a.it/feed") == (None, None)
        assert second.outlet_runs() == {}
    finally:
        first.close()
        second.close()


def test_key_layout_and_no_expiry(redis_url: str, server: redis.Redis) -> None:
    namespace = fresh_namespace()
    state = open_redis(redis_url, namespace)
    try:
        state.record(["https://a.it/1"], FAILED, now=T1)
        state.record_items([(["https://a.it/2"], "https://a.it/2")], now=T1)
        state.save_validators({"https://a.it/feed": ('"e"', None)}, now=T1)
        state.record_outlet_runs([run("Eco", T1, 1, T1)])
    finally:
        state.close()
    prefix = f"rassegna:state:{namespace}"
    keys = {f"{prefix}:{name}" for name in ("pages", "entries", "runs", "failed")}
    assert set(server.scan_iter(f"{prefix}:*")) == keys
    for key in keys:
        assert server.ttl(key) == -1  # exists, and never expires
    assert server.type(f"{prefix}:failed") == "zset"
    assert server.zrange(f"{prefix}:failed", 0, -1, withscores=True) == [
        (f"{T1}\0https://a.it/1", 0.0)
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.is_done("https://a.it/1"),
        lambda s: s.record(["https://a.it/1"], FAILED, now=T1),
        lambda s: s.record_items([(["https://a.it/1"], "https://a.it/1")], now=T1),
        lambda s: s.failed_pages(5),
        lambda s: s.validators("https://a.it/feed"),
        lambda s: s.save_validators({"https://a.it/feed": ('"e"', None)}, now=T1),
        lambda s: s.record_outlet_runs([run("Eco", T1, 1, T1)]),
        lambda s: s.outlet_runs(),
    ],
    ids=[
        "is_done",
        "record",
        "record_items",
        "failed_pages",
        "validators",
        "save_validators",
        "record_outlet_runs",
        "outlet_runs",
    ],
)
def test_unreachable_redis_is_a_store_error(call: Callable[[RedisCrawlState], object]) -> None:
    port = free_port()  # nothing listens there
    state = RedisCrawlState.open(DistributedRun(f"redis://:s3cret@127.0.0.1:{port}/0", "run"))
    try:
        with pytest.raises(StoreError) as caught:
            call(state)
    finally:
        state.close()
    message = str(caught.value)
    assert "\n" not in message
    assert "s3cret" not in message
    assert message.startswith(f"redis://127.0.0.1:{port}/0 rassegna:state:default: ")
    assert "cannot record the crawl state: " in message


def test_failed_pages_reads_only_the_failed(redis_url: str, server: redis.Redis) -> None:
    namespace = fresh_namespace()
    state = open_redis(redis_url, namespace)
    try:
        state.record_items(
            [([f"https://a.it/{n}"], f"https://a.it/{n}") for n in range(4997)], now=T1
        )
        state.record(["https://b.it/3"], FAILED, now=T3)
        state.record(["https://b.it/1"], FAILED, now=T1)
        state.record(["https://b.it/2"], FAILED, now=T2)
        assert server.hlen(f"rassegna:state:{namespace}:pages") == 5000
        assert server.zcard(f"rassegna:state:{namespace}:failed") == 3
        assert state.failed_pages(5) == ["https://b.it/1", "https://b.it/2", "https://b.it/3"]
    finally:
        state.close()

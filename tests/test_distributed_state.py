"""Workers on several machines share the crawl state in Redis, and a killed worker loses nothing.

Each worker here has its own data dir, as a worker on another machine would: its own store
and no crawl-state file of the others. ``--shared-state`` keeps the state in the run's Redis,
so what one worker stored no other fetches again, in this run or the next; and a worker killed
mid-run leaves its taken requests to the others.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from crawler.distributed.in_flight import InFlight, filers_key
from simweb.content import build_web, expected, sources_path
from simweb.server import Hit, Web
from tests.conftest import run_cli
from tests.distributed_workers import Finished, finish, worker

MACHINES = ("machine-a", "machine-b")
SHARED = ("--set", "CONCURRENT_REQUESTS=4")


def _agent(name: str) -> tuple[str, str]:
    return ("--set", f"USER_AGENT=rassegna-{name}")


def _articles(hits: list[Hit]) -> list[str]:
    """The mentions among the pages served (a 503 the site answers once is retried)."""
    urls = {m["url"] for m in expected()["mentions"]}
    served = [f"https://{h.host}{h.path}" for h in hits if h.status == 200]
    return [url for url in served if url in urls]


def _stored(data_dir: Path) -> list[str]:
    """URLs of the rassegna items in ``data_dir``'s store (none when it has no store)."""
    if not (data_dir / "rassegna.sqlite").exists():
        return []
    snapshot = run_cli(
        "snapshot", "--format", "json", "--sources", sources_path(), data_dir=data_dir
    ).stdout
    return [item["url"] for item in json.loads(snapshot)["items"]]


@dataclass
class TwoMachines:
    web: Web
    folder: Path
    workers: list[Finished]
    hits: list[Hit]


@pytest.fixture(scope="module")
def two_machines(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoMachines]:
    folder = tmp_path_factory.mktemp("machines")
    with build_web() as web:
        web.latency = 0.25
        started = [
            worker(
                web, folder / name, redis_url, "shared-1", "--shared-state", *SHARED, *_agent(name)
            )
            for name in MACHINES
        ]
        workers = [finish(process) for process in started]
        yield TwoMachines(web, folder, workers, list(web.hits))


@pytest.mark.slow
def test_each_machine_stores_its_share_and_together_they_hold_every_mention(
    two_machines: TwoMachines,
) -> None:
    stores = [_stored(two_machines.folder / name) for name in MACHINES]
    assert all(stores), "both machines stored some of the mentions"
    assert sorted(stores[0] + stores[1]) == sorted(m["url"] for m in expected()["mentions"])


@pytest.mark.slow
def test_no_article_is_fetched_twice_across_the_machines(two_machines: TwoMachines) -> None:
    served = Counter(_articles(two_machines.hits))
    assert [url for url, count in served.items() if count > 1] == []


@pytest.mark.slow
def test_the_state_lives_in_redis_not_in_the_data_dirs(two_machines: TwoMachines) -> None:
    for name in MACHINES:
        assert not (two_machines.folder / name / "crawl-state.sqlite").exists()


@pytest.mark.slow
def test_status_reads_the_last_runs_from_the_shared_state(
    two_machines: TwoMachines, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASSEGNA_REDIS_URL", redis_url)
    data_dir = two_machines.folder / "machine-a"
    shared = run_cli(
        "status", "--json", "--shared-state", "--sources", sources_path(), data_dir=data_dir
    )
    runs = [row["last_run"] for row in json.loads(shared.stdout)["outlets"] if row["crawled"]]
    assert runs
    assert all(run is not None for run in runs), "every crawled outlet has its last run"
    monkeypatch.delenv("RASSEGNA_REDIS_URL")
    unset = run_cli("status", "--shared-state", data_dir=data_dir, check=False)
    assert unset.returncode == 2
    assert unset.stderr.strip().count("\n") == 0
    assert "RASSEGNA_REDIS_URL" in unset.stderr


@pytest.mark.slow
def test_a_third_machine_in_the_next_run_fetches_no_stored_article_again(
    two_machines: TwoMachines, redis_url: str
) -> None:
    before = len(two_machines.web.hits)
    third = finish(
        worker(
            two_machines.web,
            two_machines.folder / "machine-c",
            redis_url,
            "shared-2",
            "--shared-state",
            *SHARED,
        )
    )
    assert third.summary["entry_points"] > 0
    assert third.summary["articles"] == 0
    assert _articles(two_machines.web.hits[before:]) == []


def _crash_worker(web: Web, redis_url: str, folder: Path, name: str) -> subprocess.Popen[str]:
    """A worker of run "crash" that gives up waiting for a silent one after 3 s."""
    return worker(
        web,
        folder / name,
        redis_url,
        "crash",
        "--shared-state",
        "crash",
        *SHARED,
        *_agent(name),
        "--set",
        "DISTRIBUTED_BUSY_TTL=3",
    )


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(redis_url: str, tmp_path: Path) -> None:
    victim_agent = "rassegna-victim"
    with build_web() as web:
        web.latency = 0.4
        # The victim starts first and is killed once it has fetched two articles: it then
        # holds taken requests that only the recovery gives back to the run.
        victim = _crash_worker(web, redis_url, tmp_path, "victim")
        deadline = time.monotonic() + 60
        while (
            len(_articles([h for h in web.hits if h.headers.get("User-Agent") == victim_agent])) < 2
        ):
            assert time.monotonic() < deadline, "the victim fetched no article"
            assert victim.poll() is None, "the victim finished before it could be killed"
            time.sleep(0.05)
        survivor = _crash_worker(web, redis_url, tmp_path, "survivor")
        time.sleep(1.0)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        for pipe in (victim.stdout, victim.stderr):
            assert pipe is not None
            pipe.close()
        survived = finish(survivor, timeout=120)
    stored = set(_stored(tmp_path / "victim")) | set(_stored(tmp_path / "survivor"))
    assert stored == {m["url"] for m in expected()["mentions"]}
    assert "stopped answering" in survived.stderr


def test_a_dead_workers_file_is_claimed_once_and_its_done_pages_dropped(redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url, decode_responses=True)
    queue = "rassegna:claim:requests"
    dead = InFlight(server, queue, "gone:1")
    server.hset(
        dead.key,
        mapping={
            "https://a.test/1": json.dumps(["5", "request one"]),
            "https://a.test/2": json.dumps(["6", "request two"]),
        },
    )
    mine = InFlight(server, queue, "here:2")
    server.sadd(filers_key(queue), "gone:1")
    assert mine.workers_with_files() == ["gone:1"]
    assert mine.requeue("gone:1", lambda url: url.endswith("/2")) == (1, 1)
    assert server.zrange(queue, 0, -1, withscores=True) == [("request one", 5.0)]
    assert mine.workers_with_files() == []
    assert mine.requeue("gone:1", lambda url: False) == (0, 0), "claimed only once"
    server.delete(queue)
    server.close()

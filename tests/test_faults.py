"""Fault tests: the real CLI against servers that misbehave, a store that cannot be written,
and a crawl killed in the middle.

The Elasticsearch outbox surviving a restart is tested in ``tests/test_es_backend.py``
(``test_unreachable_cluster_queues_items_that_survive_a_restart_and_arrive_once``).

Every server is ``tests.faults.FaultServer`` on loopback, reached through ``--connect-to``.
Timeouts and retries are shortened so a hanging server costs seconds, not minutes; the size
limit is left at its default so the test checks what users get. Peak memory is read with
``wait4`` on the crawl process, which reports the largest resident set of that process and of
every descendant it waited for (the extraction workers), and nothing else.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.faults import (
    ARTICLES_FEED,
    BIG_CHUNKED,
    BIG_WITH_LENGTH,
    BROKEN_FEED,
    DRIP,
    GARBAGE,
    GZIP_BOMB,
    HANG,
    HUGE_FEED,
    LOOP,
    MANY_ARTICLES,
    RESET,
    SITEMAP_BOMB,
    FaultServer,
    article_path,
    planted_mentions,
)

pytestmark = pytest.mark.slow

TIMEOUT_SECONDS = 3
SETTINGS = (
    *("--set", f"DOWNLOAD_TIMEOUT={TIMEOUT_SECONDS}"),
    *("--set", "RETRY_TIMES=1"),
    *("--set", "RETRY_BACKOFF_BASE=0.1"),
    *("--set", "AUTOTHROTTLE_START_DELAY=0.05"),
    *("--set", "ROBOTSTXT_OBEY=false"),
)
MEMORY_CEILING_BYTES = 512 * 1024 * 1024
"""A normal crawl of these webs peaks near 130 MiB; an inflated bomb would pass 1 GiB."""
HEALTHY_ARTICLES = 3
KILL_AFTER_STORED = 1000
MIN_PAGES_PER_SECOND = 25
"""Floor for the 5,000-article crawl; about 100 pages/s on two cores."""


@dataclass
class Finished:
    """A finished ``rassegna`` process: what it printed and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_bytes: int

    @property
    def summary(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def reasons(self) -> dict[str, str]:
        return {f["url"]: f["reason"] for f in self.summary["failures"]}


def rassegna(
    *args: str, data_dir: Path, file_size_limit: int | None = None, timeout: float = 120
) -> Finished:
    """Run the CLI in its own process group and reap it with ``wait4`` for its peak RSS.

    ``file_size_limit`` sets ``RLIMIT_FSIZE`` in the child before it starts: a write past that
    offset fails with EFBIG (Python ignores SIGXFSZ), which is how a full disk looks to a
    process, and works for root and non-root alike.
    """
    command = [sys.executable, "-m", "crawler.app.cli", *args]
    if file_size_limit is not None:
        command = [sys.executable, "-c", _LIMITED, str(file_size_limit), *args]
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), PYTHONHASHSEED="0")
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("RASSEGNA_CONNECT_TO", None)
    logs = data_dir.parent / f"{data_dir.name}-logs"
    logs.mkdir(exist_ok=True)
    with (logs / "stdout").open("w+") as out, (logs / "stderr").open("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True
        )
        status, usage = _reap(process, started + timeout)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Finished(
            returncode=os.waitstatus_to_exitcode(status),
            stdout=out.read(),
            stderr=err.read(),
            seconds=seconds,
            peak_rss_bytes=usage.ru_maxrss * 1024,
        )


_LIMITED = (
    "import os, resource, sys\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'crawler.app.cli', *sys.argv[2:]])\n"
)


def _reap(process: subprocess.Popen[bytes], deadline: float) -> tuple[int, Any]:
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return status, usage
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"{process.args} still running at its deadline")
        time.sleep(0.05)


def crawl(
    server: FaultServer,
    sources: Path,
    data_dir: Path,
    *extra: str,
    file_size_limit: int | None = None,
    timeout: float = 120,
) -> Finished:
    return rassegna(
        "crawl",
        "--sources",
        str(sources),
        "--connect-to",
        server.connect_to,
        "--json",
        *SETTINGS,
        *extra,
        data_dir=data_dir,
        file_size_limit=file_size_limit,
        timeout=timeout,
    )


def write_registry(folder: Path, outlets: dict[str, dict[str, list[str]]]) -> Path:
    """A contract-1 registry: outlet name -> {"urls": [...], "feeds": [...], ...}."""
    data = {
        "topic": {"name": "LgNet2", "query": "lgnet2"},
        "outlets": [
            {"name": name, "category": "quotidiani", **entry} for name, entry in outlets.items()
        ],
    }
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def healthy_outlet() -> dict[str, list[str]]:
    return {"urls": ["www.sano.test"], "feeds": [f"http://www.sano.test{ARTICLES_FEED}"]}


def healthy_urls(count: int = HEALTHY_ARTICLES) -> set[str]:
    return {f"http://www.sano.test{article_path(n)}" for n in range(1, count + 1)}


def open_existing(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """A connection that never creates the file (a plain connect would, and hide its absence)."""
    return contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=5))


def stored_urls(data_dir: Path) -> list[str]:
    with open_existing(data_dir / "rassegna.sqlite") as db:
        return [row[0] for row in db.execute("SELECT url FROM items")]


def stored_count(data_dir: Path) -> int:
    try:
        with open_existing(data_dir / "rassegna.sqlite") as db:
            return int(db.execute("SELECT count(*) FROM items").fetchone()[0])
    except sqlite3.Error:
        return 0


def integrity(path: Path) -> str:
    with open_existing(path) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def is_readable(reason: str) -> bool:
    """A reason an operator can act on: one short printable line, not a repr of raw bytes or
    of Twisted's failure objects."""
    return (
        0 < len(reason) <= 300
        and reason.isprintable()
        and "\\x" not in reason
        and "twisted.python.failure" not in reason
    )


# --- servers that hang, reset, talk garbage, trickle or redirect forever ---------------------


@dataclass
class Crawled:
    finished: Finished
    data_dir: Path
    server: FaultServer


@pytest.fixture(scope="module")
def broken_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("broken")
    sources = write_registry(
        folder,
        {
            "Guasto": {
                "urls": ["www.guasto.test"],
                "feeds": [f"http://www.guasto.test{BROKEN_FEED}"],
            },
            "Muto": {"urls": ["www.muto.test"], "feeds": [f"http://www.muto.test{GARBAGE}"]},
            "Sano": healthy_outlet(),
        },
    )
    with FaultServer(articles=HEALTHY_ARTICLES) as server:
        yield Crawled(crawl(server, sources, folder / "data"), folder / "data", server)


def test_broken_servers_do_not_fail_the_crawl(broken_crawl: Crawled) -> None:
    finished = broken_crawl.finished
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert finished.summary["finish_reason"] == "finished"


def test_a_broken_server_costs_at_most_timeout_times_attempts(broken_crawl: Crawled) -> None:
    attempts = 2  # RETRY_TIMES=1
    fetches = {path: broken_crawl.server.count(path) for path in (HANG, DRIP, RESET, GARBAGE)}
    assert fetches == {HANG: attempts, DRIP: attempts, RESET: attempts, GARBAGE: 2 * attempts}
    summary = broken_crawl.finished.summary
    assert summary["seconds"] < TIMEOUT_SECONDS * attempts + 10, summary


def test_other_outlets_articles_are_stored_despite_broken_servers(broken_crawl: Crawled) -> None:
    assert set(stored_urls(broken_crawl.data_dir)) == healthy_urls()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"http://www.guasto.test{HANG}", id="hang"),
        pytest.param(f"http://www.guasto.test{DRIP}", id="slow-drip"),
        pytest.param(f"http://www.guasto.test{RESET}", id="reset"),
        pytest.param(f"http://www.guasto.test{GARBAGE}", id="garbage"),
        pytest.param(f"http://www.muto.test{GARBAGE}", id="garbage-feed"),
        pytest.param(
            f"http://www.guasto.test{LOOP}",
            id="redirect-loop",
        ),
    ],
)
def test_each_broken_page_is_a_failure_with_its_url(broken_crawl: Crawled, url: str) -> None:
    assert url in broken_crawl.finished.reasons(), broken_crawl.finished.reasons()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        pytest.param(f"http://www.guasto.test{HANG}", ("longer than 3",), id="hang"),
        pytest.param(f"http://www.guasto.test{DRIP}", ("longer than 3",), id="slow-drip"),
        pytest.param(f"http://www.guasto.test{RESET}", (), id="reset"),
        pytest.param(f"http://www.guasto.test{GARBAGE}", (), id="garbage"),
        pytest.param(f"http://www.muto.test{GARBAGE}", (), id="garbage-feed"),
    ],
)
def test_each_broken_page_has_a_readable_reason(
    broken_crawl: Crawled, url: str, words: tuple[str, ...]
) -> None:
    reason = broken_crawl.finished.reasons()[url]
    assert is_readable(reason), reason
    assert all(word in reason.lower() for word in words), reason


# --- pages too large: announced, chunked, gzip bombs --------------------------------------------


@pytest.fixture(scope="module")
def huge_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("huge")
    sources = write_registry(
        folder,
        {
            "Enorme": {
                "urls": ["www.enorme.test"],
                "feeds": [f"http://www.enorme.test{HUGE_FEED}"],
            },
            "Sano": healthy_outlet(),
        },
    )
    with FaultServer(articles=HEALTHY_ARTICLES) as server:
        yield Crawled(crawl(server, sources, folder / "data"), folder / "data", server)


def test_huge_pages_and_a_gzip_bomb_keep_the_crawl_small_and_alive(huge_crawl: Crawled) -> None:
    finished = huge_crawl.finished
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert finished.peak_rss_bytes < MEMORY_CEILING_BYTES, finished.peak_rss_bytes
    assert set(stored_urls(huge_crawl.data_dir)) == healthy_urls()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(BIG_WITH_LENGTH, id="10MB-content-length"),
        pytest.param(BIG_CHUNKED, id="10MB-chunked"),
        pytest.param(GZIP_BOMB, id="gzip-bomb"),
    ],
)
def test_each_oversized_page_is_a_failure_with_a_readable_reason(
    huge_crawl: Crawled, path: str
) -> None:
    reasons = huge_crawl.finished.reasons()
    url = f"http://www.enorme.test{path}"
    assert url in reasons, reasons
    assert is_readable(reasons[url]), reasons[url]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(BIG_WITH_LENGTH, id="10MB-content-length"),
        pytest.param(
            BIG_CHUNKED,
            id="10MB-chunked",
        ),
        pytest.param(GZIP_BOMB, id="gzip-bomb"),
    ],
)
def test_each_oversized_page_is_refused_by_the_size_limit(huge_crawl: Crawled, path: str) -> None:
    reason = huge_crawl.finished.reasons()[f"http://www.enorme.test{path}"].lower()
    assert "max size" in reason or "maxsize" in reason, reason


def test_a_gzipped_sitemap_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    sources = write_registry(
        tmp_path,
        {
            "Enorme": {
                "urls": ["www.enorme.test"],
                "sitemaps": [f"http://www.enorme.test{SITEMAP_BOMB}"],
            }
        },
    )
    with FaultServer() as server:
        finished = crawl(server, sources, tmp_path / "data")
    assert finished.returncode == 0, finished.stderr
    reasons = finished.reasons()
    url = f"http://www.enorme.test{SITEMAP_BOMB}"
    assert url in reasons, reasons
    assert "size" in reasons[url].lower() or "large" in reasons[url].lower(), reasons[url]
    assert finished.peak_rss_bytes < MEMORY_CEILING_BYTES, finished.peak_rss_bytes


# --- 5,000 articles in one feed, and a crawl killed in the middle of them ------------------------


@dataclass
class KilledAndRestarted:
    server: FaultServer
    data_dir: Path
    stored_at_kill: set[str]
    hits_at_kill: int
    restarted: Finished


@pytest.fixture(scope="module")
def killed_and_restarted(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[KilledAndRestarted]:
    """Crawl a feed of 5,000 articles, SIGKILL the crawler (and its extraction workers) once a
    fifth are stored, then crawl again to completion."""
    folder = tmp_path_factory.mktemp("many")
    data_dir = folder / "data"
    sources = write_registry(folder, {"Sano": healthy_outlet()})
    with FaultServer(articles=MANY_ARTICLES) as server:
        command = [
            sys.executable,
            "-m",
            "crawler.app.cli",
            "crawl",
            "--sources",
            str(sources),
            "--connect-to",
            server.connect_to,
            "--data-dir",
            str(data_dir),
            *SETTINGS,
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and stored_count(data_dir) < KILL_AFTER_STORED:
            if process.poll() is not None:
                break
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        hits_at_kill = len(server.hits)
        stored_at_kill = set(stored_urls(data_dir))
        restarted = crawl(server, sources, data_dir, timeout=300)
        yield KilledAndRestarted(server, data_dir, stored_at_kill, hits_at_kill, restarted)


def expected_articles() -> set[str]:
    return {f"http://www.sano.test{article_path(n)}" for n in range(1, MANY_ARTICLES + 1)}


def test_the_crawl_was_killed_in_the_middle(killed_and_restarted: KilledAndRestarted) -> None:
    assert KILL_AFTER_STORED <= len(killed_and_restarted.stored_at_kill) < MANY_ARTICLES


def test_a_killed_crawl_leaves_both_databases_intact(
    killed_and_restarted: KilledAndRestarted,
) -> None:
    data_dir = killed_and_restarted.data_dir
    assert integrity(data_dir / "rassegna.sqlite") == "ok"
    assert integrity(data_dir / "crawl-state.sqlite") == "ok"


def test_killed_then_restarted_crawl_stores_every_article_exactly_once(
    killed_and_restarted: KilledAndRestarted,
) -> None:
    restarted = killed_and_restarted.restarted
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.summary["errors"] == 0, restarted.summary["failures"]
    urls = stored_urls(killed_and_restarted.data_dir)
    assert len(urls) == MANY_ARTICLES
    assert set(urls) == expected_articles()


def test_a_feed_of_5000_entries_is_fetched_once_per_article_in_bounded_time(
    killed_and_restarted: KilledAndRestarted,
) -> None:
    """The restarted crawl reads the whole feed: it fetches each article not yet stored once,
    and none that the killed crawl stored."""
    run = killed_and_restarted
    hits = run.server.hits
    before = Counter(h.path for h in hits[: run.hits_at_kill] if h.path.startswith("/articoli/"))
    after = Counter(h.path for h in hits[run.hits_at_kill :] if h.path.startswith("/articoli/"))
    assert max(before.values()) == 1
    assert max(after.values()) == 1
    stored_before = {url.removeprefix("http://www.sano.test") for url in run.stored_at_kill}
    assert set(after) == {article_path(n) for n in range(1, MANY_ARTICLES + 1)} - stored_before
    summary = run.restarted.summary
    assert summary["new_items"] == MANY_ARTICLES - len(run.stored_at_kill)
    assert summary["pages_fetched"] / summary["seconds"] >= MIN_PAGES_PER_SECOND, summary


def test_mentions_among_5000_articles_are_counted_right(
    killed_and_restarted: KilledAndRestarted,
) -> None:
    database = killed_and_restarted.data_dir / "rassegna.sqlite"
    with contextlib.closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT url, mentions FROM items WHERE mentions > 0").fetchall()
    found = {url.removeprefix("http://www.sano.test"): count for url, count in rows}
    assert found == planted_mentions(MANY_ARTICLES)


# --- a store that cannot be written: read-only, full -------------------------------------------

SEEDED_ARTICLES = 20
MORE_ARTICLES = 120


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data dir after one crawl of 20 articles, and its registry: copied by each test."""
    folder = tmp_path_factory.mktemp("seeded")
    sources = write_registry(folder, {"Sano": healthy_outlet()})
    with FaultServer(articles=SEEDED_ARTICLES) as server:
        finished = crawl(server, sources, folder / "data")
    assert finished.returncode == 0, finished.stderr
    return folder / "data", sources


@pytest.fixture
def data_dir(seeded: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(seeded[0], target)
    return target


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable even for root.

    chmod does not stop root, so as root the ext2/3/4 immutable flag is used (``chattr +i``,
    needs CAP_LINUX_IMMUTABLE); a non-root user gets plain permissions. Where neither works
    the test is skipped rather than passing without checking anything.
    """
    targets = [p for path in paths for p in (path, *sorted(path.rglob("*")))]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in targets}
        for p in targets:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    done = subprocess.run([chattr, "+i", *map(str, targets)], capture_output=True, check=False)
    try:
        if done.returncode != 0:
            pytest.skip(f"chattr +i refused here: {done.stderr.decode().strip()}")
        yield
    finally:
        subprocess.run([chattr, "-i", *map(str, targets)], capture_output=True, check=False)


def assert_one_line_error_naming(finished: Finished, name: str) -> None:
    assert finished.returncode == 2, (finished.returncode, finished.stdout, finished.stderr)
    assert "Traceback" not in finished.stderr, finished.stderr
    lines = finished.stderr.strip().splitlines()
    assert lines, "no error message"
    assert lines[-1].startswith("rassegna "), lines[-1]
    assert name in lines[-1], lines[-1]


def write_import_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["url", "outlet", "category", "audience", "date", "title", "journalist", "text"]
        )
        for n in range(1, rows + 1):
            text = f"Comunicato {n} del comune sul progetto LgNet2 e sugli sportelli. " * 20
            writer.writerow(
                [
                    f"https://www.comune.test/comunicati/{n}",
                    "Sano",
                    "quotidiani",
                    "",
                    "2023-10-18",
                    f"Comunicato stampa {n}",
                    "",
                    text,
                ]
            )
    return path


@pytest.mark.parametrize("what", ["folder", "database"])
def test_a_read_only_store_stops_the_crawl_with_one_line_and_no_damage(
    seeded: tuple[Path, Path], data_dir: Path, what: str
) -> None:
    database = data_dir / "rassegna.sqlite"
    locked = (data_dir,) if what == "folder" else (database,)
    with FaultServer(articles=SEEDED_ARTICLES + 5) as server, read_only(*locked):
        finished = crawl(server, seeded[1], data_dir)
    assert_one_line_error_naming(finished, str(database))
    assert integrity(database) == "ok"
    assert stored_count(data_dir) == SEEDED_ARTICLES


def test_a_read_only_store_stops_an_import_with_one_line_and_no_damage(
    seeded: tuple[Path, Path], data_dir: Path, tmp_path: Path
) -> None:
    rows = write_import_csv(tmp_path / "comunicati.csv", 3)
    database = data_dir / "rassegna.sqlite"
    with read_only(data_dir):
        finished = rassegna("import", str(rows), "--sources", str(seeded[1]), data_dir=data_dir)
    assert_one_line_error_naming(finished, str(database))
    assert integrity(database) == "ok"
    assert stored_count(data_dir) == SEEDED_ARTICLES


def full_disk_limit(data_dir: Path) -> int:
    """Room for the files as they are and a few dozen more pages: then EFBIG, as on a full disk."""
    return max(p.stat().st_size for p in data_dir.rglob("*") if p.is_file()) + 128 * 1024


def test_a_full_disk_during_a_crawl_damages_nothing_and_loses_no_article(
    seeded: tuple[Path, Path], data_dir: Path
) -> None:
    """Pages that could not be stored are not marked done: the next crawl stores them."""
    with FaultServer(articles=MORE_ARTICLES) as server:
        crawl(server, seeded[1], data_dir, file_size_limit=full_disk_limit(data_dir))
        assert integrity(data_dir / "rassegna.sqlite") == "ok"
        assert integrity(data_dir / "crawl-state.sqlite") == "ok"
        assert SEEDED_ARTICLES <= stored_count(data_dir) < MORE_ARTICLES, "the disk never filled"
        again = crawl(server, seeded[1], data_dir)
    assert again.returncode == 0, again.stderr
    urls = stored_urls(data_dir)
    assert sorted(urls) == sorted(healthy_urls(MORE_ARTICLES))


@pytest.mark.parametrize("archive", ["warc-on", "warc-off"])
def test_a_full_disk_stops_the_crawl_with_one_line_naming_the_file(
    seeded: tuple[Path, Path], data_dir: Path, archive: str
) -> None:
    extra = () if archive == "warc-on" else ("--set", "WARC_ENABLED=false")
    with FaultServer(articles=MORE_ARTICLES) as server:
        finished = crawl(
            server, seeded[1], data_dir, *extra, file_size_limit=full_disk_limit(data_dir)
        )
    assert_one_line_error_naming(finished, str(data_dir))


def test_a_full_disk_stops_an_import_with_one_line_and_no_damage(
    seeded: tuple[Path, Path], data_dir: Path, tmp_path: Path
) -> None:
    rows = write_import_csv(tmp_path / "comunicati.csv", 200)
    database = data_dir / "rassegna.sqlite"
    finished = rassegna(
        "import",
        str(rows),
        "--sources",
        str(seeded[1]),
        data_dir=data_dir,
        file_size_limit=full_disk_limit(data_dir),
    )
    assert_one_line_error_naming(finished, str(database))
    assert integrity(database) == "ok"
    assert SEEDED_ARTICLES <= stored_count(data_dir) < SEEDED_ARTICLES + 200

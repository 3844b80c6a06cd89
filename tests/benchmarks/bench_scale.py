"""Benchmark: rassegna at the scale of every Italian online outlet (issue 14).

Italy has about 1,500 online news outlets; the product must hold thousands. With a generated
registry of OUTLETS outlets (``simweb.generate``, ARTICLES article pages each, every outlet
with a feed and a sitemap) this measures, printing a Markdown table:

- loading the registry (YAML parse and validation, ``enrichment.registry.load_registry``);
- a full ``rassegna crawl`` of the generated web: pages/s, CPU, wall, peak resident memory;
- a recrawl of the unchanged web (conditional requests only): wall and CPU seconds, and that
  CPU as a share of an hour of one core (what an hourly cycle would cost);
- with a store of ITEMS items (written straight through ``SQLiteStore.upsert_many``, with the
  generated articles' own titles, texts, dates and outlets, into a data dir of its own that
  also gets the crawl's state): ``rassegna status`` (its compact default, ``--all`` and
  ``--json``) and the desk's heaviest pages (the list of uscite waiting for review, the add
  page with its Testata field, archive searches), served by ``rassegna serve`` on loopback;
  each timed ``REPEATS`` times, median.

    python tests/benchmarks/bench_scale.py                        # 5,000 outlets, 100k items
    python tests/benchmarks/bench_scale.py --outlets 500 --items 10000
    python tests/benchmarks/bench_scale.py --no-crawl --keep /tmp/scale   # store and desk only
    python tests/benchmarks/bench_scale.py --no-crawl --reuse-store --keep /tmp/scale  # again
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_web  # noqa: E402
from bench_crawl import markdown_table  # noqa: E402
from procwatch import machine_busy_seconds  # noqa: E402
from rassegna_run import ROOT, CrawlRun, run_crawl  # noqa: E402

from enrichment.records import Article  # noqa: E402
from enrichment.registry import load_registry  # noqa: E402
from search.backends.sqlite import SQLiteStore  # noqa: E402
from search.files.data_dir import DataDir  # noqa: E402
from simweb import generate  # noqa: E402

logger = logging.getLogger("bench")

REPEATS = 3
BATCH = 1_000
"""Items per ``upsert_many`` transaction when filling the store."""
SLOW_SECONDS = 0.5
"""A desk page or command slower than this at full size is flagged in the table."""
CLI = [sys.executable, "-m", "crawler.app.cli"]

DESK_PAGES = {
    "review list (/rivedi)": "/rivedi",
    "review list, last page": "/rivedi?pagina=9999",
    "add page (/aggiungi)": "/aggiungi",
    "outlet suggestions": "/testate/suggerimenti?q=giornale",
    "archive: common words": "/cerca?q=consiglio+comunale",
    "archive: topic, mentions only": "/cerca?q=lgnet2&menzioni=1",
    "archive: city filter, no text": "/cerca?citta=Milano",
    "archive: outlet + date range": "/cerca?testata={outlet}&dal=2023-10-01&al=2023-12-31",
    "archive: words, page 10": "/cerca?q=sindaco&pagina=10",
}


def main() -> None:
    args = _arguments()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    rows: list[tuple[str, str]] = [("machine", _machine())]
    rows.append(("size", f"{args.outlets} outlets x {args.articles} articles; {args.items} items"))
    busy_start, wall_start = machine_busy_seconds(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        logger.info("work and logs in %s", work)
        web, registry_text, outlets = bench_web.benchmark_web(args.outlets, args.articles)
        registry = work / "sources.yaml"
        registry.write_text(registry_text, encoding="utf-8")
        load = _median(lambda: load_registry(registry))
        size_kb = registry.stat().st_size / 1024
        rows.append(
            (
                "registry load (parse + validation)",
                f"{load:.2f} s for {len(outlets)} outlets ({size_kb:,.0f} KB of YAML)",
            )
        )
        crawl_dir = work / "crawl"
        if args.crawl:
            with web:
                logger.info("full crawl of %d outlets x %d", args.outlets, args.articles)
                first = run_crawl(registry, crawl_dir, web, work)
                logger.info("recrawl of the unchanged web")
                again = run_crawl(registry, crawl_dir, web, work, name="recrawl")
            rows += _crawl_rows(first, again)
        store_dir = work / "store"
        if args.reuse_store and DataDir(store_dir).items.exists():
            logger.info("reusing the store in %s", store_dir)
            started = time.perf_counter()
            SQLiteStore(DataDir(store_dir).items).close()  # adds the schema's new indexes
            opened = time.perf_counter() - started
            rows.append(("store reused (first open, new indexes built)", f"{opened:.2f} s"))
        else:
            logger.info("filling a store of %d items", args.items)
            seconds = _fill_store(store_dir, args.outlets, args.items)
            rows.append(("store fill (upsert_many)", f"{args.items / seconds:,.0f} items/s"))
        if (crawl_dir / DataDir(crawl_dir).crawl_state.name).exists():
            _copy_sqlite(DataDir(crawl_dir).crawl_state, DataDir(store_dir).crawl_state)
        startup = _median(
            lambda: subprocess.run([*CLI, "--help"], cwd=ROOT, check=True, capture_output=True)
        )
        for options in ((), ("--all",), ("--json",)):
            status = _median(partial(_run_status, store_dir, registry, *options))
            command = " ".join(("rassegna status", *options))
            rows.append(
                (
                    f"`{command}` ({args.items} items, {args.outlets} outlets)",
                    f"{_seconds(status)} (of which {startup:.2f} s is the CLI starting: `--help`)",
                )
            )
        outlet = outlets[0].name.replace(" ", "+")
        with _desk(store_dir, registry, work) as get:
            for name, path in DESK_PAGES.items():
                path = path.format(outlet=outlet)
                timed, size = _median_get(get, path)
                rows.append((f"desk: {name}", f"{_seconds(timed)} ({size / 1024:,.0f} KB)"))
    wall = time.perf_counter() - wall_start
    others = (machine_busy_seconds() - busy_start) / (wall * (os.cpu_count() or 1))
    rows.append(("machine busy over the run (all processes, this one included)", f"{others:.0%}"))
    sys.stdout.write(markdown_table(rows))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--outlets", type=int, default=5000, help="outlets (default 5000)")
    parser.add_argument(
        "--articles", type=int, default=2, help="article pages per outlet (default 2)"
    )
    parser.add_argument(
        "--items", type=int, default=100_000, help="items in the store (default 100000)"
    )
    parser.add_argument(
        "--no-crawl", dest="crawl", action="store_false", help="skip the crawl and the recrawl"
    )
    parser.add_argument(
        "--reuse-store",
        action="store_true",
        help="with --keep: time the kept store again instead of refilling it",
    )
    parser.add_argument("--keep", type=Path, help="keep logs and data in this folder")
    return parser.parse_args()


def _crawl_rows(first: CrawlRun, again: CrawlRun) -> list[tuple[str, str]]:
    full, redo = first.usage, again.usage
    return [
        (
            "full crawl",
            f"{first.pages} pages ({first.articles} articles) in {full.wall:.0f} s: "
            f"{first.pages / full.wall:.0f} pages/s, {first.articles / full.wall:.0f} "
            f"articles/s; CPU {full.cpu:.0f} s ({full.cpu / max(first.articles, 1) * 1000:.1f} "
            f"ms/article); peak RSS {full.peak_tree_mb:.0f} MB tree, "
            f"{full.peak_process_mb:.0f} MB largest process; web server CPU "
            f"{first.server_cpu:.0f} s",
        ),
        (
            "unchanged recrawl",
            f"{again.requests} requests, {again.pages} pages fetched, {again.articles} articles "
            f"in {redo.wall:.0f} s wall, CPU {redo.cpu:.0f} s = {redo.cpu / 3600:.1%} of an hour "
            f"of one core; peak RSS {redo.peak_tree_mb:.0f} MB tree",
        ),
        (
            "other work on the cores during the crawls",
            ", ".join(
                f"{name} {_others(run):.0%}" for name, run in (("crawl", first), ("recrawl", again))
            ),
        ),
    ]


def _others(run: CrawlRun) -> float:
    usage = run.usage
    return max(0.0, usage.machine_busy - usage.cpu - run.server_cpu) / (
        usage.wall * (os.cpu_count() or 1)
    )


def synthetic_items(outlets: int, items: int, seed: int = 1) -> Iterator[Article]:
    """``items`` articles as a crawl stores them, from the generated web's own stories: the
    registry's outlets, their cities and categories, 3-6 KB of Italian text, dates over 74
    days, about 2% mentioning the topic (with a snippet)."""
    per_outlet = -(-items // outlets)
    made = 0
    for article in range(per_outlet):
        for index in range(outlets):
            if made == items:
                return
            spec = generate._outlet(index, seed)
            story = generate._story(spec, article, per_outlet, seed)
            text = "\n\n".join(story.paragraphs)
            mention = generate._mentions(index, article, seed)
            yield Article(
                url=spec.site.url(story.path),
                outlet=spec.name,
                category=spec.category,
                title=story.title,
                date=story.published[:10],
                date_raw=story.published,
                journalist=story.author,
                author_raw=story.byline,
                text=text,
                language="it",
                mentions=text.count("LgNet2") if mention else 0,
                snippets=(_snippet(text),) if mention else (),
                city=spec.city,
                site_name=spec.name,
            )
            made += 1


def _snippet(text: str) -> str:
    at = text.find("LgNet2")
    return text[max(0, at - 120) : at + 120]


def _fill_store(data_dir: Path, outlets: int, items: int) -> float:
    """Seconds to write ``items`` synthetic items, ``BATCH`` per transaction."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = DataDir(data_dir).items
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)  # a kept folder's store from an earlier run
    store = SQLiteStore(path)
    now = "2023-12-15T08:00:00+00:00"
    started = time.perf_counter()
    batch: list[Article] = []
    try:
        for article in synthetic_items(outlets, items):
            batch.append(article)
            if len(batch) == BATCH:
                store.upsert_many(batch, now=now)
                batch = []
        store.upsert_many(batch, now=now)
        return time.perf_counter() - started
    finally:
        store.close()


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (its WAL included), through the backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _run_status(data_dir: Path, registry: Path, *options: str) -> None:
    command = [*CLI, "status", "--data-dir", str(data_dir), "--sources", str(registry), *options]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


class _desk:
    """``rassegna serve`` over ``data_dir`` in a child process; ``get(path)`` -> body bytes."""

    def __init__(self, data_dir: Path, registry: Path, logs: Path) -> None:
        self._command = [*CLI, "serve", "--data-dir", str(data_dir), "--sources", str(registry)]
        self._log = logs / "serve.log"
        self.port = _free_port()

    def __enter__(self) -> Callable[[str], bytes]:
        command = [*self._command, "--host", "127.0.0.1", "--port", str(self.port)]
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/favicon.ico")
                return self.get
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self._process.kill()
                    raise RuntimeError(f"rassegna serve did not start: see {self._log}") from None
                time.sleep(0.2)

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status >= 400:
                raise RuntimeError(f"GET {path}: HTTP {response.status}")
            return body
        finally:
            connection.close()

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _median(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _median_get(get: Callable[[str], bytes], path: str) -> tuple[float, int]:
    sizes: list[int] = []
    seconds = _median(lambda: sizes.append(len(get(path))))
    logger.info("GET %s: %.3f s", path, seconds)
    return seconds, sizes[-1]


def _seconds(value: float) -> str:
    return f"{value:.3f} s" + (" **slow**" if value > SLOW_SECONDS else "")


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    return f"{os.cpu_count()} cores, {model}, Python {sys.version.split()[0]}"


if __name__ == "__main__":
    main()

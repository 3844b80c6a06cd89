"""The crawl's extraction workers: forked ready to read, and started again when one dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.extraction_pool import PARENT_CHECK, extraction_pool
from crawler.pipelines.extract import ExtractPipeline
from enrichment.registry import parse_registry
from tests.conftest import ROOT

REGISTRY = parse_registry(
    {
        "topic": {"name": "LgNet2", "query": "lgnet2"},
        "outlets": [{"name": "Cronache di Prova", "category": "portali", "urls": ["prova.test"]}],
    }
)
PAGE = (
    "<html lang='it'><head><title>Bari entra nella rete LgNet2</title></head><body>"
    "<article><h1>Bari entra nella rete LgNet2</h1>"
    + "<p>Il Comune apre uno sportello per le persone che arrivano in città e cercano casa, "
    "lavoro e un corso di lingua: lo annuncia l'assessora durante la conferenza.</p>"
    * 4
    + "<p>La rete LgNet2 unisce sedici città italiane.</p></article></body></html>"
).encode()


def _pipeline() -> ExtractPipeline:
    # Only what ``_read`` uses: the crawl's other parts play no role in a worker's death.
    pipeline = ExtractPipeline.__new__(ExtractPipeline)
    pipeline._workers = 1
    pipeline._pool = extraction_pool(1)
    return pipeline


def _work() -> tuple[object, ...]:
    outlet = REGISTRY.outlets[0]
    url = "https://prova.test/2023/11/24/bari-rete/"
    return (PAGE, url, "utf-8", outlet, REGISTRY.topic, None, None, None)


def test_a_dead_worker_is_replaced_and_the_page_still_read() -> None:
    pipeline = _pipeline()
    try:
        assert pipeline._pool is not None
        first = pipeline._pool
        worker = first.submit(os.getpid).result(timeout=60)
        os.kill(worker, signal.SIGKILL)
        outcome = asyncio.run(pipeline._read(_work()))
        assert outcome.article is not None
        assert outcome.article.mentions >= 1
        assert pipeline._pool is not first  # a new pool, the broken one shut down
    finally:
        assert pipeline._pool is not None
        pipeline._pool.shutdown(wait=True)


def test_workers_start_with_the_extraction_already_imported() -> None:
    # ``eval`` is a builtin: sending it imports nothing in the worker, so what the worker
    # has loaded, it had from the forkserver before any page arrived.
    probe = "[name for name in NAMES if name in __import__('sys').modules]"
    names = ["trafilatura", "enrichment.enrich", "py3langid"]
    pool = extraction_pool(1)
    try:
        loaded = pool.submit(eval, probe, {"NAMES": names}).result(timeout=60)
    finally:
        pool.shutdown(wait=True)
    assert loaded == names


_KILLED_CRAWL = """
import os, signal
from crawler.extraction_pool import extraction_pool
if __name__ == "__main__":
    pool = extraction_pool(2)
    print(" ".join(str(pool.submit(os.getpid).result()) for _ in range(4)), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A worker that ended stays a zombie until the forkserver, its parent, reaps it.
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_workers_of_a_killed_crawl_end_by_themselves(tmp_path: Path) -> None:
    script = tmp_path / "killed_crawl.py"
    script.write_text(_KILLED_CRAWL, encoding="utf-8")
    crawl = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert crawl.returncode == -signal.SIGKILL
    workers = {int(pid) for pid in crawl.stdout.split()}
    assert workers
    deadline = time.monotonic() + 10 * PARENT_CHECK
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived their crawl"
        time.sleep(0.1)

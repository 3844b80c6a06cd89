"""The crawl's extraction workers: forked ready to read, and started again when one dies."""

from __future__ import annotations

import asyncio
import os
import signal

from crawler.extraction_pool import extraction_pool
from crawler.pipelines.extract import ExtractPipeline
from enrichment.registry import parse_registry

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

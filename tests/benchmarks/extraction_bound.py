"""The same pages through an extractor alone, on every core at once: the bound for a crawl.

One ``time_extraction`` process per core, each with its own shard of the pages, released
together once all have loaded; the bound is the pages over the wall time of the slowest.
Measured rather than computed from one core's figure, so it includes whatever the cores
share (caches, memory bandwidth, the second hyperthread).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from procwatch import machine_busy_seconds

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ExtractionRun:
    pages: int
    articles: int
    cpu: float
    """Seconds of CPU over all shards, timed loops only (imports excluded)."""
    wall: float
    machine_busy: float
    """CPU seconds of the whole machine over the timed loops (see ``procwatch.Usage``)."""

    @property
    def ms_per_page(self) -> float:
        return self.cpu / self.pages * 1000

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall


def run_extraction(
    extractor: str,
    shards: list[Path],
    *,
    python: str = sys.executable,
    registry: Path | None = None,
) -> ExtractionRun:
    """Run ``extractor`` over all ``shards`` in parallel, one process per shard."""
    extra = [str(registry)] if registry else []
    workers = [
        subprocess.Popen(
            [python, str(HERE / "time_extraction.py"), extractor, str(shard), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for shard in shards
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError(f"{extractor} worker failed to start")
        busy = machine_busy_seconds()
        started = time.perf_counter()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, _ = worker.communicate()
            results.append(json.loads(out))
        wall = time.perf_counter() - started
        busy = machine_busy_seconds() - busy
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    return ExtractionRun(
        pages=sum(r["pages"] for r in results),
        articles=sum(r["articles"] for r in results),
        cpu=sum(r["cpu"] for r in results),
        wall=wall,
        machine_busy=busy,
    )

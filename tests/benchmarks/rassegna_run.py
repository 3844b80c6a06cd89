"""One ``rassegna crawl`` of the benchmark web, as a user runs it, measured from outside.

The crawl runs in a child process (Twisted's reactor runs once per process) with the
command line a user would type plus ``--connect-to`` to reach the loopback web. AutoThrottle
is off and the per-domain cap raised to 8 because on loopback there is no server to be
polite to: the benchmark measures the crawler, not its politeness delays.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from procwatch import Usage, run_measured

from simweb.server import Web

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ("AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


@dataclass(frozen=True)
class CrawlRun:
    usage: Usage
    summary: dict[str, object]
    """``rassegna crawl --json``'s summary."""
    requests: int
    """Requests the web answered during the crawl."""
    server_cpu: float
    """CPU seconds of the web's server (this process) meanwhile: it shares the cores."""

    @property
    def pages(self) -> int:
        return int(self.summary["pages_fetched"])  # type: ignore[call-overload]

    @property
    def articles(self) -> int:
        return int(self.summary["articles"])  # type: ignore[call-overload]


def crawl_command(
    registry: Path, data_dir: Path, web: Web, settings: Sequence[str] = OVERRIDES
) -> list[str]:
    command = [sys.executable, "-m", "crawler.app.cli", "crawl", "--sources", str(registry)]
    command += ["--connect-to", web.connect_to, "--data-dir", str(data_dir), "--json"]
    for setting in settings:
        command += ["--set", setting]
    return command


def run_crawl(
    registry: Path,
    data_dir: Path,
    web: Web,
    logs: Path,
    *,
    name: str | None = None,
    settings: Sequence[str] = OVERRIDES,
    wrapper: Sequence[str] = (),
) -> CrawlRun:
    """Crawl to completion, logs named after ``name`` (default: the data dir's name).

    ``settings`` are the ``--set NAME=VALUE`` overrides; ``wrapper`` prefixes the command (a
    profiler).
    """
    name = name or data_dir.name
    served = len(web.hits)
    cpu = time.process_time()
    usage = run_measured(
        [*wrapper, *crawl_command(registry, data_dir, web, settings)],
        log=logs / f"{name}.json",
        errors=logs / f"{name}.log",
        cwd=ROOT,
    )
    server_cpu = time.process_time() - cpu
    if usage.returncode != 0:
        raise RuntimeError(f"rassegna crawl failed ({usage.returncode}): see {logs}/{name}.log")
    output = (logs / f"{name}.json").read_text(encoding="utf-8")
    # Under a profiler, its own messages come before the summary on stdout.
    summary, _ = json.JSONDecoder().raw_decode(output[output.index("{") :])
    return CrawlRun(usage, summary, len(web.hits) - served, server_cpu)

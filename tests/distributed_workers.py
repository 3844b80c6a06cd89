"""Crawl workers of a distributed run, as separate processes on the simulated web.

Each worker is a ``rassegna crawl --distributed`` process on its own data dir or a shared one,
started with the quick politeness settings of ``FAST`` and finished by ``finish``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from simweb.content import sources_path
from simweb.server import Web
from tests.conftest import ROOT

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")


def worker(
    web: Web,
    data_dir: Path,
    redis_url: str,
    run_id: str,
    *extra: str,
    sources: str | Path | None = None,
) -> subprocess.Popen[str]:
    """A ``rassegna crawl --distributed`` process of run ``run_id`` on ``web`` (by default
    the simulated web's registry), started and not waited for."""
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), PYTHONHASHSEED="0")
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("RASSEGNA_CONNECT_TO", None)
    env["RASSEGNA_REDIS_URL"] = redis_url
    command = [
        sys.executable,
        "-m",
        "crawler.app.cli",
        "crawl",
        "--sources",
        str(sources or sources_path()),
        "--connect-to",
        web.connect_to,
        "--json",
        "--distributed",
        "--run-id",
        run_id,
        *FAST,
        *extra,
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )


@dataclass
class Finished:
    summary: dict[str, Any]
    stderr: str


def finish(process: subprocess.Popen[str], timeout: float = 60) -> Finished:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"a worker did not finish in {timeout}s:\n{err[-3000:]}")
    assert process.returncode == 0, err[-3000:]
    return Finished(json.loads(out), err)

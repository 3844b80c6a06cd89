"""A crawl in its own process, as ``rassegna run`` starts them.

A crash or a hang of one crawl must not take the service down: each runs ``rassegna crawl
--json`` in a child process of its own session, is killed (with its extraction workers, the
whole process group) when it outlives its timeout, and reports its JSON summary. The children
running now are kept, so that a SIGTERM to the service reaches them as Scrapy's graceful stop.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any

_children_lock = threading.Lock()
_children: set[subprocess.Popen[str]] = set()


def run_crawl(
    arguments: Sequence[str], *, env: Mapping[str, str], timeout: float
) -> dict[str, Any]:
    """``rassegna crawl --json ARGUMENTS``: its summary, or ``{"error": ...}`` when it died or
    hung."""
    command = [sys.executable, "-m", "crawler.app.cli", "crawl", "--json", *arguments]
    process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        start_new_session=True,
    )
    with _children_lock:
        _children.add(process)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"error": f"crawl killed after {timeout:.0f}s"}
    finally:
        with _children_lock:
            _children.discard(process)
    if process.returncode != 0:
        last = (err.strip().splitlines() or ["no output"])[-1]
        return {"error": f"crawl exited {process.returncode}: {last}"}
    try:
        summary: dict[str, Any] = json.loads(out)
    except ValueError:
        return {"error": "crawl printed no summary"}
    return summary


def stop_crawls() -> None:
    """Ask every running crawl to stop (SIGTERM: pages in flight finish, nothing is lost)."""
    with _children_lock:
        for child in _children:
            child.send_signal(signal.SIGTERM)

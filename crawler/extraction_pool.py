"""The process pool that extracts and enriches pages, for the crawl and for ``reprocess``.

Workers are forked from a forkserver that has imported trafilatura and our extraction and
loaded the language model once (``crawler.extraction_worker``): each spawned worker used to
import all of it again, seconds of CPU per worker at every crawl. The forkserver is a fresh
process, so forking from it is safe while the crawl process runs threads (Twisted's pool, the
store's writers), which plain ``fork`` is not.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import ProcessPoolExecutor

_PRELOAD = ["crawler.extraction_worker"]


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes ready to run ``enrichment.enrich`` on pages.

    The workers are started now rather than at the pages that would need them: a process
    started mid-crawl can fail for reasons that have nothing to do with the page (a full disk,
    the process limit), and the page would then be lost to an error of the machine's.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_watch_crawl, initargs=(os.getpid(),)
    )
    for _ in range(workers):
        pool.submit(_started)
    return pool


def _started() -> None:
    """Nothing: submitting it makes the pool start a worker."""


PARENT_CHECK = 1.0
"""Seconds between two looks of a worker at the process it works for, where the system
cannot tell it when that process ends (no ``pidfd_open``)."""


def _watch_crawl(crawl: int) -> None:
    """Make this worker end when the process that made the pool is gone.

    A crawl that ends normally shuts its pool down; one that is killed (the OOM killer, a
    SIGKILL, a distributed worker's machine losing it) cannot, and its workers, children of
    the forkserver rather than of the crawl, would wait for pages for ever. A process file
    descriptor turns readable when the crawl ends, even while it waits, a zombie, for its
    parent to collect it, which a check by pid would take for alive.
    """
    try:
        ended = os.pidfd_open(crawl)
    except (AttributeError, OSError):
        ended = None

    def watch() -> None:
        if ended is not None:
            select.select([ended], [], [])
            os._exit(0)
        while True:
            time.sleep(PARENT_CHECK)
            try:
                os.kill(crawl, 0)
            except OSError:  # gone, or the pid now belongs to another user's process
                os._exit(0)

    threading.Thread(target=watch, name="watch-crawl", daemon=True).start()

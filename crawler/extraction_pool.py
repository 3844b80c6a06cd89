"""The process pool that extracts and enriches pages, for the crawl and for ``reprocess``.

Workers are forked from a forkserver that has imported trafilatura and our extraction and
loaded the language model once (``crawler.extraction_worker``): each spawned worker used to
import all of it again, seconds of CPU per worker at every crawl. The forkserver is a fresh
process, so forking from it is safe while the crawl process runs threads (Twisted's pool, the
store's writers), which plain ``fork`` is not.
"""

from __future__ import annotations

import multiprocessing
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
    pool = ProcessPoolExecutor(workers, mp_context=context)
    for _ in range(workers):
        pool.submit(_started)
    return pool


def _started() -> None:
    """Nothing: submitting it makes the pool start a worker."""

"""A crawl started by Scrapy's own tools (``scrapy crawl outlets``, Scrapyd) gets what
``rassegna crawl`` gives its crawl: the registry, the store, the crawl state and the
``--connect-to`` rules.

``rassegna crawl`` builds these objects itself and hands them over in the ``RASSEGNA_CONTEXT``
setting. Scrapy's tools know only spider arguments and settings, so the spider calls
``prepare`` when it is created, before Scrapy freezes the settings and builds the other
components. Arguments (contract 8): ``-a sources=FILE``, ``-a connect_to="H1:P1:H2:P2 ..."``,
``-s RASSEGNA_DATA_DIR=DIR``; each falls back on the environment variable the command line
reads (``RASSEGNA_SOURCES``, ``RASSEGNA_CONNECT_TO``, ``RASSEGNA_DATA_DIR``), and
``ELASTICSEARCH_URL`` chooses the Elasticsearch store as it does for ``rassegna crawl``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.connect_to import rules_from_env
from crawler.context import CrawlContext
from crawler.failures import FailureLog
from crawler.settings import connect_to_settings
from crawler.sources import bundled_sources, load_sources
from crawler.state import CrawlState
from search.backends.choose import open_store
from search.es.config import ESConfig
from search.files.data_dir import DataDir

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from enrichment.registry import Registry

DEFAULT_DATA_DIR = "rassegna-data"


def prepare(crawler: Crawler, *, sources: str | None, connect_to: str | None) -> None:
    """Open the crawl's store and state and put its context and rules into the settings."""
    settings = crawler.settings
    data_dir = Path(
        settings.get("RASSEGNA_DATA_DIR") or os.environ.get("RASSEGNA_DATA_DIR") or DEFAULT_DATA_DIR
    )
    registry = _registry(sources or os.environ.get("RASSEGNA_SOURCES") or None)
    rules = rules_from_env(connect_to.split() if connect_to else [])
    store = open_store(data_dir, ESConfig.from_env(), writing=True)
    try:
        state = CrawlState(DataDir(data_dir).crawl_state)
    except BaseException:
        store.close()
        raise
    context = CrawlContext(registry, store, state, FailureLog(), data_dir, owned=True)
    settings.set("RASSEGNA_CONTEXT", context, priority="spider")
    for name, value in connect_to_settings(rules).items():
        settings.set(name, value, priority="spider")


def _registry(sources: str | None) -> Registry:
    """The registry the crawl names, else the bundled one. In the zipped egg that Scrapyd runs,
    ``crawler/sources.yaml`` and the logos it names (``assets/``) are no files that ``open``
    can read: they are copied to a temporary folder, removed when the process ends."""
    if sources or bundled_sources().is_file():
        return load_sources(sources)
    package = resources.files("crawler")
    folder = Path(tempfile.mkdtemp(prefix="rassegna-registry-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "assets").mkdir()
    for entry in package.joinpath("assets").iterdir():
        if entry.is_file():
            (folder / "assets" / entry.name).write_bytes(entry.read_bytes())
    (folder / "sources.yaml").write_bytes(package.joinpath("sources.yaml").read_bytes())
    return load_sources(folder / "sources.yaml")

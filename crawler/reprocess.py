"""``rassegna reprocess``: extract and enrich again every archived page, without fetching.

After an extractor upgrade, a registry change (an outlet's category, a topic spelling) or a
fix of the enrichment, the archive in ``<data-dir>/warc/`` is read in crawl order and every
page goes through extraction and enrichment again; the store's upsert updates the items whose
record changed and keeps their first-seen time. Runs on every core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.extraction_pool import extraction_pool
from enrichment.enrich import process_page
from enrichment.records import Article
from enrichment.registry import Outlet, Registry, Topic
from search.files.data_dir import DataDir
from search.store import Store

BATCH = 200
"""Pages read, processed and stored at a time."""


@dataclass
class ReprocessResult:
    records: int = 0
    articles: int = 0
    changed: int = 0
    unattributed: int = 0
    """Pages of outlets no longer in the registry: left as they are."""


def _pages(
    folder: Path, registry: Registry
) -> Iterator[tuple[bytes, str, str | None, Outlet | None]]:
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                outlet = registry.outlet_for_url(url)
                content_type = record.http_headers.get_header("Content-Type") or ""
                charset = content_type.lower().partition("charset=")[2].split(";")[0].strip()
                yield record.content_stream().read(), url, charset or None, outlet


def _one(args: tuple[bytes, str, str | None, Outlet, Topic]) -> Article | None:
    return process_page(*args)


def reprocess(data_dir: Path, registry: Registry, store: Store, *, now: str) -> ReprocessResult:
    """Pages are read and processed a batch at a time: memory stays flat in the archive size."""
    result = ReprocessResult()
    pages = _pages(DataDir(data_dir).archive, registry)
    with extraction_pool(os.cpu_count() or 1) as pool:
        while batch := list(islice(pages, BATCH)):
            result.records += len(batch)
            work = [
                (body, url, charset, outlet, registry.topic)
                for body, url, charset, outlet in batch
                if outlet is not None
            ]
            result.unattributed += len(batch) - len(work)
            articles = [a for a in pool.map(_one, work, chunksize=8) if a is not None]
            result.articles += len(articles)
            outcomes = store.upsert_many(articles, now=now)
            result.changed += sum(1 for o in outcomes if o.changed)
    return result

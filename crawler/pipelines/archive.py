"""Every fetched article page kept as a WARC record, for evidence and re-extraction.

The press office keeps proof of what was published, and an item can be extracted again after
an extractor upgrade (``rassegna reprocess``) without fetching it again — pages change or
vanish. One gzip-compressed WARC file per crawl in ``<data-dir>/warc/`` (setting
``WARC_ENABLED``, default true), written before extraction so a page that breaks the extractor
is archived too. The body is the one the crawler read (after HTTP content decoding).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.context import CrawlContext
from crawler.spiders.outlets import FetchedPage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


def warc_dir(data_dir: Path) -> Path:
    return data_dir / "warc"


class ArchivePipeline:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC archiving disabled")
        return cls(warc_dir(CrawlContext.of(crawler).data_dir))

    def open_spider(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self._file = (self._folder / f"rassegna-{stamp}.warc.gz").open("ab")
        self._writer = WARCWriter(self._file, gzip=True)

    def close_spider(self) -> None:
        if self._file is not None:
            self._file.close()

    def process_item(self, item: FetchedPage) -> FetchedPage:
        assert self._writer is not None
        assert self._file is not None
        headers = [(k, v) for k, v in item.headers if k.lower() not in _DROPPED]
        headers.append(("Content-Length", str(len(item.body))))
        status = f"{item.status} {HTTPStatus(item.status).phrase}"
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            item.final_url, "response", payload=io.BytesIO(item.body), http_headers=http
        )
        self._writer.write_record(record)
        self._file.flush()
        return item

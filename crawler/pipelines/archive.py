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
from crawler.errors import ArchiveError
from crawler.items import FetchedPage
from search.files.data_dir import DataDir

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


class ArchivePipeline:
    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self._crawler = crawler
        self._context = context
        self._folder = DataDir(context.data_dir).archive
        self._path: Path | None = None
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC archiving disabled")
        return cls(crawler, CrawlContext.of(crawler))

    def open_spider(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self._path = self._folder / f"rassegna-{stamp}.warc.gz"
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            self._file = self._path.open("ab")
        except OSError as exc:
            raise ArchiveError(
                str(self._path), f"cannot write the archive: {exc.strerror}"
            ) from exc
        self._writer = WARCWriter(self._file, gzip=True)

    def close_spider(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                logger.error("%s: cannot close the archive: %s", self._path, exc.strerror)

    def process_item(self, item: FetchedPage) -> FetchedPage:
        """Archive the page; a write failure (disk full) stops the crawl with one message."""
        assert self._writer is not None
        assert self._file is not None
        if self._context.fatal is not None:
            return item
        headers = [(k, v) for k, v in item.headers if k.lower() not in _DROPPED]
        headers.append(("Content-Length", str(len(item.body))))
        status = f"{item.status} {HTTPStatus(item.status).phrase}"
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            item.final_url, "response", payload=io.BytesIO(item.body), http_headers=http
        )
        try:
            self._writer.write_record(record)
            self._file.flush()
        except OSError as exc:
            self._context.stop(
                self._crawler,
                ArchiveError(str(self._path), f"cannot write the archive: {exc.strerror or exc}"),
            )
        finally:
            record.raw_stream.close()  # warcio buffers the payload in a temporary file
        return item

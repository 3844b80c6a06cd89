"""Conditional requests for entry points: ``If-None-Match`` / ``If-Modified-Since``.

A feed, sitemap, listing or search page that has not changed since the last finished crawl
answers 304 and costs nothing more. Validators found in this crawl are saved only when the
crawl finishes (reason ``finished``): an interrupted crawl must not hide a feed's new
articles behind a 304 next time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

from crawler.context import CrawlContext

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.failures import FailureLog
    from crawler.state import StateStore


class ConditionalRequestsMiddleware:
    def __init__(self, state: StateStore, failures: FailureLog) -> None:
        self._state = state
        self._failures = failures
        self._found: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestsMiddleware:
        context = CrawlContext.of(crawler)
        middleware = cls(context.state, context.failures)
        crawler.signals.connect(middleware._closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if not request.meta.get("entry") or "redirect_urls" in request.meta:
            return
        etag, modified = self._state.validators(request.url)
        if etag:
            request.headers.setdefault(b"If-None-Match", etag)
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("entry") and response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                original = request.meta.get("redirect_urls", [request.url])[0]
                self._found[original] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response

    def _closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished" and self._found:
            self._state.save_validators(self._found, now=self._failures.now())

"""Retry deadlines and backoff, driven directly with Scrapy's test crawler."""

from __future__ import annotations

import asyncio
import time

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.middlewares.politeness import PolitenessMiddleware
from crawler.middlewares.retry import BackoffRetryMiddleware, retry_after


def _crawler() -> object:
    settings = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    return get_crawler(settings_dict=settings)


def test_a_retried_request_waits_for_its_deadline_and_others_do_not() -> None:
    # The robots.txt Crawl-delay is kept where requests leave, by the download handler: the
    # crawl of the simulated web checks it (test_crawl_simweb).
    crawler = _crawler()
    middleware = PolitenessMiddleware.from_crawler(crawler)  # type: ignore[arg-type]
    crawler.stats.open_spider()  # type: ignore[attr-defined]

    async def send(request: Request) -> float:
        await middleware.process_request(request)
        return time.monotonic()

    async def run() -> list[float]:
        start = time.monotonic()
        later = Request("https://lento.test/a", meta={"not_before": start + 0.3})
        times = await asyncio.gather(send(later), send(Request("https://lento.test/b")))
        return [t - start for t in times]

    retried, fresh = asyncio.run(run())
    assert 0.3 <= retried < 0.6
    assert fresh < 0.1
    assert crawler.stats.get_value("politeness/waits") == 1  # type: ignore[attr-defined]


def test_503_with_retry_after_is_retried_after_the_servers_delay() -> None:
    crawler = _crawler()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)  # type: ignore[arg-type]
    crawler.spider = crawler._create_spider("t")  # type: ignore[attr-defined]
    request = Request("https://x.test/pagina")
    response = Response(request.url, status=503, headers={"Retry-After": "7"}, request=request)
    before = time.monotonic()
    retry = middleware.process_response(request, response)
    assert isinstance(retry, Request)
    assert retry.meta["retry_times"] == 1
    assert 6.9 < retry.meta["not_before"] - before < 7.5


def test_backoff_doubles_without_retry_after_and_is_capped() -> None:
    crawler = _crawler()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)  # type: ignore[arg-type]
    crawler.spider = crawler._create_spider("t")  # type: ignore[attr-defined]
    request = Request("https://x.test/p", meta={"max_retry_times": 10})
    delays = []
    for _ in range(8):
        before = time.monotonic()
        response = Response(request.url, status=429, request=request)
        request = middleware.process_response(request, response)
        assert isinstance(request, Request)
        delays.append(round(request.meta["not_before"] - before))
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60]


def test_retry_after_as_http_date_and_garbage() -> None:
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    response = Response("https://x.test/", status=503, headers={"Retry-After": future})
    delay = retry_after(response)
    assert delay is not None
    assert 25 < delay <= 30
    assert retry_after(Response("https://x.test/", headers={"Retry-After": "domani"})) is None

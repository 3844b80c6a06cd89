"""Politeness and retry middlewares, driven directly with Scrapy's test crawler."""

from __future__ import annotations

import asyncio
import time

from scrapy import Request, signals
from scrapy.http import Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.middlewares.politeness import PolitenessMiddleware
from crawler.middlewares.retry import BackoffRetryMiddleware, retry_after


def _crawler() -> object:
    settings = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    return get_crawler(settings_dict=settings)


def test_crawl_delay_from_robots_spaces_requests_to_that_host_only() -> None:
    crawler = _crawler()
    middleware = PolitenessMiddleware.from_crawler(crawler)  # type: ignore[arg-type]
    crawler.stats.open_spider()  # type: ignore[attr-defined]
    parser = ProtegoRobotParser(b"User-agent: *\nCrawl-delay: 0.3\n", None)
    crawler.signals.send_catch_log(  # type: ignore[attr-defined]
        signal=signals.robots_parsed,
        robotparser=parser,
        request=Request("https://lento.test/articolo"),
    )

    async def send(url: str) -> float:
        await middleware.process_request(Request(url))
        return time.monotonic()

    async def run() -> list[float]:
        start = time.monotonic()
        times = await asyncio.gather(
            send("https://lento.test/a"),
            send("https://lento.test/b"),
            send("https://lento.test/c"),
            send("https://veloce.test/d"),
        )
        return [t - start for t in times]

    a, b, c, other = asyncio.run(run())
    assert a < 0.1
    assert other < 0.1
    assert 0.25 < b < 0.5
    assert 0.55 < c < 0.8


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

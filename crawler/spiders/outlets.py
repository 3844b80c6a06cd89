"""The spider: from the registry's entry points to the article pages of watched outlets.

Entry points (feeds, sitemaps, listing pages, site searches) are fetched every crawl, with
validators so an unchanged one costs a 304. The article links they give are canonicalised,
attributed to an outlet by the registry (links to unwatched sites are dropped), and fetched
only if this machine has never finished them before. The spider does no extraction: it hands
the fetched page to the pipelines, which run extraction off the reactor thread.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.context import CrawlContext
from crawler.discovery.new_outlets import new_outlet_for
from crawler.items import FetchedPage
from crawler.spiders.discovery_requests import KIND as DISCOVERED
from crawler.spiders.discovery_requests import DiscoveryRequests
from crawler.spiders.feeds import links_from_feed
from crawler.spiders.links import Link
from crawler.spiders.listings import links_from_listing
from crawler.spiders.reasons import describe
from crawler.spiders.search import NotSearchResults, links_from_search
from crawler.spiders.sitemaps import links_from_sitemap
from crawler.state import FAILED, GONE, StateStore
from enrichment.registry import Outlet, Registry
from enrichment.urls import canonical_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.failures import FailureLog

logger = logging.getLogger(__name__)

_MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_ATTEMPTS = 5
"""Crawls in which a failing article page is tried again before it is given up."""


class OutletSpider(scrapy.Spider):
    name = "outlets"
    refetch_entry_points = True
    """Entry points bypass the duplicate filter, so every crawl fetches them again; a
    distributed crawl (``crawler.distributed.run``) fetches each once per run across its workers."""

    def __init__(self, *, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.registry: Registry = context.registry
        self.state: StateStore = context.state
        self.failures: FailureLog = context.failures

    @classmethod
    def from_crawler(
        cls,
        crawler: Crawler,
        *args: Any,
        sources: str | None = None,
        connect_to: str | None = None,
        **kwargs: Any,
    ) -> OutletSpider:
        if crawler.settings.get("RASSEGNA_CONTEXT") is None:
            from crawler.standalone import prepare  # started by scrapy crawl or Scrapyd

            prepare(crawler, sources=sources, connect_to=connect_to)
        spider = super().from_crawler(crawler, *args, context=CrawlContext.of(crawler), **kwargs)
        assert isinstance(spider, cls)
        spider.refetch_entry_points = crawler.settings.get("RASSEGNA_DISTRIBUTED") is None
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for outlet in self.registry.outlets:
            for kind, url in outlet.entry_points(self.registry.topic.query):
                yield self._entry_request(url, kind, outlet)
        assert self.crawler.stats is not None
        discovery = DiscoveryRequests(
            self.registry, self.failures, self.crawler.stats, self._article_request
        )
        for search in discovery.start():
            yield search
        for url in self.state.failed_pages(MAX_ATTEMPTS):
            request = self._article_request(Link(url), "retry")
            if request is not None:
                yield request

    def _entry_request(self, url: str, kind: str, outlet: Outlet) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_entry,
            errback=self.failed,
            priority=10,
            dont_filter=self.refetch_entry_points,
            meta={
                "kind": kind,
                "outlet": outlet.name,
                "entry": True,
                "handle_httpstatus_list": [304],
            },
        )

    def parse_entry(self, response: Response) -> Iterator[scrapy.Request]:
        assert self.crawler.stats is not None
        kind = response.meta["kind"]
        if response.status == 304:
            self.crawler.stats.inc_value("entry/not_modified")
            return
        self.crawler.stats.inc_value(f"entry/{kind}")
        outlet = self.registry.outlet(response.meta["outlet"])
        try:
            links = list(self._links(response, kind, outlet))
        except NotSearchResults as exc:
            self.failures.add(response.url, str(exc), outlet=outlet.name)
            return
        for link in links:
            request = self._article_request(link, kind)
            if request is not None:
                yield request

    def _links(
        self, response: Response, kind: str, outlet: Outlet
    ) -> Iterator[Link | scrapy.Request]:
        if kind == "feed":
            found = links_from_feed(response.body, response.url)
            if not found.is_feed:
                self.failures.add(response.url, "not an RSS or Atom feed", outlet=outlet.name)
            if found.bad_entries:
                self.failures.add(
                    response.url,
                    f"{found.bad_entries} feed entries without a link",
                    outlet=outlet.name,
                    counted=False,
                )
            yield from found.links
        elif kind == "sitemap":
            body = response.body
            if body[:2] == b"\x1f\x8b":
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                body = inflater.decompress(body, _MAX_SITEMAP_BYTES)
                if inflater.unconsumed_tail:  # a decompression bomb, or a huge sitemap
                    self.failures.add(
                        response.url,
                        "gzipped sitemap larger than "
                        f"{_MAX_SITEMAP_BYTES // 2**20} MiB once inflated",
                        outlet=outlet.name,
                    )
                    return
            sitemap = links_from_sitemap(body)
            if not sitemap.is_sitemap:
                self.failures.add(response.url, "not an XML sitemap", outlet=outlet.name)
            for child in sitemap.sitemaps:
                yield self._entry_request(response.urljoin(child), "sitemap", outlet)
            yield from sitemap.articles
        elif kind == "listing":
            if not isinstance(response, HtmlResponse):
                self.failures.add(response.url, "listing page is not HTML", outlet=outlet.name)
                return
            yield from links_from_listing(response)
        else:
            yield from links_from_search(response)

    def _article_request(self, link: Link | scrapy.Request, kind: str) -> scrapy.Request | None:
        assert self.crawler.stats is not None
        if isinstance(link, scrapy.Request):
            return link
        url = canonical_url(link.url)
        outlet, _ = self._outlet_for(url, discovered=kind == DISCOVERED)
        if outlet is None:
            self.crawler.stats.inc_value("links/unwatched")
            return None
        if kind != "retry" and self.state.is_done(url):
            self.crawler.stats.inc_value("links/already_done")
            return None
        self.crawler.stats.inc_value(f"links/from_{kind}")
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.failed,
            meta={
                "outlet": outlet.name,
                "discovered": kind == DISCOVERED,
                "hint_date": link.date,
                "hint_title": link.title,
                "hint_summary": link.summary,
                "handle_httpstatus_list": [404, 410],
            },
        )

    def _outlet_for(self, url: str, *, discovered: bool) -> tuple[Outlet | None, bool]:
        """The registry's outlet of ``url``, or for a page discovery found off the registry a
        stand-in named by its host (``crawler.discovery.new_outlets``); and whether it is one."""
        outlet = self.registry.outlet_for_url(url)
        if outlet is None and discovered:
            return new_outlet_for(self.registry, url), True
        return outlet, False

    def parse_article(self, response: Response) -> Iterator[FetchedPage]:
        assert self.crawler.stats is not None
        requested = [canonical_url(u) for u in response.meta.get("redirect_urls", [])]
        requested.append(canonical_url(response.request.url if response.request else response.url))
        final = canonical_url(response.url)
        if response.status in (404, 410):
            self.state.record(requested, GONE, now=self.failures.now(), error=str(response.status))
            self.crawler.stats.inc_value("article/gone")
            return
        outlet, new_outlet = self._outlet_for(
            final, discovered=response.meta.get("discovered", False)
        )
        if outlet is None:
            self.crawler.stats.inc_value("links/redirected_away")
            return
        self.crawler.stats.inc_value(f"outlet/{outlet.name}/articles_fetched")
        if not isinstance(response, TextResponse):
            self.failures.add(response.url, "not an HTML page", outlet=outlet.name)
            return
        declared = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        charset = declared.lower().partition("charset=")[2].split(";")[0].strip(" \"'") or None
        yield FetchedPage(
            url=requested[0],
            final_url=final,
            outlet=outlet.name,
            body=response.body,
            encoding=charset,
            hint_date=response.meta.get("hint_date"),
            hint_title=response.meta.get("hint_title"),
            hint_summary=response.meta.get("hint_summary"),
            new_outlet=new_outlet,
            seen_urls=list(dict.fromkeys([*requested, final])),
            status=response.status,
            headers=[
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, values in response.headers.items()
                for v in values
            ],
        )

    def failed(self, failure: Failure) -> None:
        assert self.crawler.stats is not None
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "ignored"
            if "robots.txt" in reason:
                self.crawler.stats.inc_value("robots/forbidden")
                logger.info("%s: forbidden by robots.txt, not fetched", request.url)
                return
        else:
            reason = describe(
                failure.value, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            )
        linked = request.meta.get("redirect_urls", [request.url])[0]  # what the operator knows
        self.failures.add(linked, reason, outlet=request.meta.get("outlet"))
        if not request.meta.get("entry"):
            self.state.record(
                [canonical_url(linked)], FAILED, now=self.failures.now(), error=reason
            )

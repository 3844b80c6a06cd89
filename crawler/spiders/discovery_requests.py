"""Discovery in the spider: the sources' searches, and the lookups of Google News results.

After the registry's entry points, the spider asks each source the registry's ``discovery``
section names for the topic's spellings, one request per source (``crawler.discovery``).
A result whose article URL is known goes the way of any article link (canonical URL,
attribution, the crawl state, the duplicate filter), except that a page on a site the
registry does not list is fetched too, as a new outlet. A Google News result starts a
``Lookup`` on its publisher's site (``crawler.discovery.publisher``); the aggregators' own
pages are never fetched as articles.

A source that answers 429, nothing or garbage costs one warning line in the failure log; the
crawl goes on. The lookups keep their state in this process, so a distributed crawl does not
run discovery (see ``crawler.app.commands.crawl``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.discovery import SOURCES, gdelt, google_news
from crawler.discovery.publisher import MAX_FOLLOWED, Lookup
from crawler.discovery.results import NotResults, spellings
from crawler.spiders.feeds import links_from_feed
from crawler.spiders.links import Link
from crawler.spiders.search import NotSearchResults, links_from_search
from crawler.spiders.sitemaps import links_from_sitemap

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

    from crawler.failures import FailureLog
    from enrichment.registry import Registry

logger = logging.getLogger(__name__)

KIND = "discovery"
"""The ``kind`` of the article links discovery hands the spider (stats ``links/from_discovery``)."""
ArticleRequest = Callable[[Link, str], "scrapy.Request | None"]
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_FEED_LINKS = (
    "//link[contains(@rel, 'alternate')][contains(@type, 'rss') or contains(@type, 'atom')]/@href"
)


class DiscoveryRequests:
    def __init__(
        self,
        registry: Registry,
        failures: FailureLog,
        stats: StatsCollector,
        article_request: ArticleRequest,
    ) -> None:
        self._registry = registry
        self._failures = failures
        self._stats = stats
        self._article_request = article_request
        self._lookups: dict[str, Lookup] = {}

    def start(self) -> Iterator[scrapy.Request]:
        """One search per source; nothing when the registry has no ``discovery`` section."""
        settings = self._registry.discovery
        if settings is None:
            return
        terms = spellings(self._registry.topic)
        for name in settings.sources:
            meta: dict[str, object] = {
                "source": name,
                "outlet": name,
                "dont_retry": True,
                "handle_httpstatus_list": [429],
            }
            if name == gdelt.NAME:  # one request per 5 s, a delay AutoThrottle must not shorten
                meta.update(download_slot=gdelt.SLOT, autothrottle_dont_adjust_delay=True)
            yield scrapy.Request(
                SOURCES[name].search_url(terms),
                callback=self.parse_source,
                errback=self.source_failed,
                priority=5,
                dont_filter=True,
                meta=meta,
            )

    def parse_source(self, response: Response) -> Iterator[scrapy.Request]:
        name = response.meta["source"]
        if response.status == 429:
            self._no_results(response.url, name, "HTTP 429 (too many requests)")
            return
        try:
            found = SOURCES[name].parse(response.body)
        except NotResults as exc:
            self._no_results(response.url, name, str(exc))
            return
        self._stats.inc_value(f"discovery/{name}/results", len(found.links) + len(found.unresolved))
        for reason, count in found.dropped.items():
            self._stats.inc_value(f"discovery/dropped/{reason}", count)
            logger.info("%s: %s results dropped (%s)", response.url, count, reason)
        for link in found.links:
            request = self._article_request(link, KIND)
            if request is not None:
                yield request
        started = []
        for result in found.unresolved:
            fresh = Lookup.of(result.site, self._registry.topic.query)
            lookup = self._lookups.setdefault(fresh.site, fresh)
            if lookup is fresh:
                started.append(lookup)
            lookup.add(result)
        for lookup in started:
            for url, kind in lookup.start():
                yield self._lookup_request(lookup, url, kind)

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        value = failure.value
        response = getattr(value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else str(value) or "failed"
        self._no_results(request.url, request.meta["source"], reason)

    def _no_results(self, url: str, source: str, reason: str) -> None:
        self._stats.inc_value(f"discovery/{source}/unanswered")
        self._failures.add(url, f"{source}: {reason}; no results from it this crawl", outlet=source)

    # -- Google News results, looked up on the publisher's site ----------------------------

    def _lookup_request(self, lookup: Lookup, url: str, kind: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_lookup,
            errback=self.lookup_failed,
            priority=5,
            dont_filter=True,  # the lookup counts its answers; a filtered request never answers
            meta={"lookup": lookup.site, "kind": kind, "outlet": google_news.NAME},
        )

    def parse_lookup(self, response: Response) -> Iterator[scrapy.Request]:
        lookup = self._lookups[response.meta["lookup"]]
        links, followed = self._read(response, response.meta["kind"], lookup)
        for link in lookup.match(links):
            self._stats.inc_value("discovery/google_news/resolved")
            request = self._article_request(link, KIND)
            if request is not None:
                yield request
        for url, kind in followed:
            yield self._lookup_request(lookup, url, kind)
        yield from self._advance(lookup)

    def lookup_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request  # type: ignore[attr-defined]
        logger.debug("lookup %s: %s", request.url, failure.value)
        yield from self._advance(self._lookups[request.meta["lookup"]])

    def _advance(self, lookup: Lookup) -> Iterator[scrapy.Request]:
        for url, kind in lookup.answered():
            yield self._lookup_request(lookup, url, kind)
        if lookup.finished and lookup.pending:
            self._stats.inc_value("discovery/google_news/unresolved", len(lookup.pending))
            for result in lookup.pending:
                logger.info("google_news: %r not found on %s", result.headline, lookup.site)
            lookup.pending.clear()

    def _read(
        self, response: Response, kind: str, lookup: Lookup
    ) -> tuple[list[Link], list[tuple[str, str]]]:
        """The article links of one answer, and the feeds or sitemaps it points to (already
        asked of the lookup, to be requested)."""
        if kind == "home":
            if not isinstance(response, TextResponse):
                return [], []
            hrefs = response.xpath(_FEED_LINKS).getall()[:MAX_FOLLOWED]
            lookup.feeds_found = lookup.feeds_found or bool(hrefs)
            return [], _ask(lookup, [response.urljoin(h.strip()) for h in hrefs], "feed")
        if kind == "robots":
            text = response.body.decode("utf-8", "replace")
            sitemaps = list(sitemap_urls_from_robots(text, base_url=response.url))[:MAX_FOLLOWED]
            lookup.sitemaps_found = lookup.sitemaps_found or bool(sitemaps)
            return [], _ask(lookup, sitemaps, "sitemap")
        if kind == "feed":
            return links_from_feed(response.body, response.url).links, []
        if kind == "sitemap":
            body = response.body
            try:
                if body[:2] == b"\x1f\x8b":
                    body = gunzip(body, max_size=_MAX_SITEMAP_BYTES)
            except (OSError, ValueError):  # a broken archive, or one too large once inflated
                return [], []
            sitemap = links_from_sitemap(body)
            lookup.sitemaps_found = lookup.sitemaps_found or sitemap.is_sitemap
            children = sorted(sitemap.sitemaps, key=lambda url: "news" not in url.lower())
            urls = [response.urljoin(c) for c in children[:MAX_FOLLOWED]]
            return sitemap.articles, _ask(lookup, urls, "sitemap")
        try:
            return links_from_search(response), []
        except NotSearchResults:
            return [], []


def _ask(lookup: Lookup, urls: list[str], kind: str) -> list[tuple[str, str]]:
    return [asked for url in urls if (asked := lookup.ask(url, kind)) is not None]

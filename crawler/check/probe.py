"""One entry point tried as the crawl would use it: fetched, parsed by the crawl's own
parsers (``crawler.spiders``), its article links counted.

A feed must parse as RSS or Atom, a sitemap as a sitemap or sitemap index (the children of an
index are read, up to ``MAX_CHILD_SITEMAPS``, to count articles), a listing must be HTML and a
search must answer a result page or WordPress JSON. An empty feed or a search with no result
still works: the outlet may simply have nothing about the topic yet; a listing page with no
article link does not (its links are drawn by JavaScript, or the section is gone).
"""

from __future__ import annotations

import zlib

from scrapy.http import HtmlResponse, TextResponse

from crawler.check.fetcher import PoliteFetcher, reason_of
from crawler.check.results import EntryCheck
from crawler.errors import FetchError
from crawler.one_page import FetchedBody
from crawler.spiders.feeds import links_from_feed
from crawler.spiders.listings import links_from_listing
from crawler.spiders.search import NotSearchResults, links_from_search
from crawler.spiders.sitemaps import links_from_sitemap

MAX_CHILD_SITEMAPS = 5
"""Child sitemaps of an index read to count articles; a big site has hundreds."""
_MAX_INFLATED = 50 * 1024 * 1024
_STATUS_WORDS = {
    401: "richiede un accesso",
    403: "accesso negato",
    404: "pagina non trovata",
    410: "rimossa",
    429: "troppe richieste",
    500: "errore del server",
    502: "errore del server",
    503: "servizio non disponibile",
}


def probe(kind: str, url: str, fetcher: PoliteFetcher, entry: str | None = None) -> EntryCheck:
    """How the entry point ``url`` of ``kind`` answers; ``entry`` is its registry value
    (a search template) when that is not ``url``."""
    entry = entry or url

    def failed(reason: str, status: int | None = None) -> EntryCheck:
        return EntryCheck(kind, url, entry, status, ok=False, articles=None, reason=reason)

    if not fetcher.allowed(url):
        return failed("vietato da robots.txt al nostro User-Agent")
    try:
        answer = fetcher.get(url)
    except FetchError as exc:
        return failed(reason_of(exc))
    if answer.status >= 400:
        words = _STATUS_WORDS.get(answer.status, "errore")
        return failed(f"HTTP {answer.status}, {words}", answer.status)
    try:
        articles = _articles(kind, answer, fetcher)
    except ValueError as exc:
        return failed(str(exc), answer.status)
    return EntryCheck(
        kind,
        url,
        entry,
        answer.status,
        ok=True,
        articles=articles,
        final_url=answer.url if answer.url != url else None,
    )


def _articles(kind: str, answer: FetchedBody, fetcher: PoliteFetcher) -> int:
    """Article links in the answer; ``ValueError`` (in Italian) when it is not of ``kind``."""
    if kind == "feed":
        found = links_from_feed(answer.body, answer.url)
        if not found.is_feed:
            raise ValueError("risponde, ma non è un feed RSS o Atom")
        return len(found.links)
    if kind == "sitemap":
        return _sitemap_articles(answer, fetcher)
    if kind == "listing":
        if not _looks_html(answer.body):
            raise ValueError("risponde, ma non è una pagina HTML")
        listed = len(links_from_listing(_html(answer)))
        if listed == 0:  # a news site's listing always lists something: the crawl gets nothing
            drawn = b"<script" in answer.body.lower()
            raise ValueError(
                "risponde, ma non elenca articoli"
                + (" (li aggiunge forse JavaScript, che il crawl non esegue)" if drawn else "")
            )
        return listed
    try:
        response = _html(answer) if _looks_html(answer.body) else _text(answer)
        return len(links_from_search(response))
    except NotSearchResults:
        raise ValueError("risponde, ma non con una pagina di risultati o JSON") from None


def _sitemap_articles(answer: FetchedBody, fetcher: PoliteFetcher) -> int:
    sitemap = links_from_sitemap(_inflated(answer.body))
    if not sitemap.is_sitemap:
        raise ValueError("risponde, ma non è una sitemap XML")
    total = len(sitemap.articles)
    for child in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            body = fetcher.get(child)
        except FetchError:
            continue
        if body.status < 400:
            total += len(links_from_sitemap(_inflated(body.body)).articles)
    return total


def _inflated(body: bytes) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz``) inflated, within the crawl's limit."""
    if body[:2] != b"\x1f\x8b":
        return body
    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, _MAX_INFLATED)


def _looks_html(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<html" in head or b"<!doctype html" in head


def _html(answer: FetchedBody) -> HtmlResponse:
    return HtmlResponse(answer.url, body=answer.body, encoding=answer.charset)


def _text(answer: FetchedBody) -> TextResponse:
    return TextResponse(answer.url, body=answer.body, encoding=answer.charset)

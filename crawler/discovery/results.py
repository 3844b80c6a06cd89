"""What a discovery source answers, once parsed: result links, and the ones dropped with why.

Every source module (``google_news``, ``bing_news``, ``gdelt``) turns one answer into a
``Found``. A result is kept only when it can lead to the original article on the publisher's
own site: an address that is not http(s), or one on the aggregator itself, is dropped and
counted under its reason, so the crawl summary shows what was refused rather than losing it.
An answer that is not a result list at all (an empty body, an HTML error page, garbage) raises
``NotResults``: the crawl logs one line for that source and goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import feedparser

from crawler.spiders.links import Link
from enrichment.registry import Topic

AGGREGATOR_HOSTS = ("google.com", "bing.com", "gdeltproject.org")
"""Hosts (with their subdomains: ``news.google.com``, ``consent.google.com``) whose pages are
never an article of their own: interstitials, click trackers, consent pages. A result or a
redirect that ends on one is dropped, as is any ``consent.`` host."""


class Source(Protocol):
    """What each source module offers (``crawler.discovery.SOURCES``)."""

    NAME: str

    def search_url(self, terms: Sequence[str]) -> str:
        """The search for all ``terms`` (the topic's spellings) in one request."""

    def parse(self, body: bytes) -> Found:
        """The results of one answer; raises ``NotResults`` when it is not a result list."""


class NotResults(ValueError):
    """The answer of a discovery source is not a result list (empty, HTML, garbage)."""


@dataclass(frozen=True)
class Unresolved:
    """A Google News result: its link is an opaque token, so the original must be found on
    the publisher's own site by its headline (see ``crawler.discovery.publisher``)."""

    headline: str
    """The title less its " - Publisher" suffix."""
    site: str
    """The publisher's home page as ``<source url>`` gives it."""
    date: str | None = None


@dataclass
class Found:
    """One answer of one source, parsed."""

    links: list[Link] = field(default_factory=list)
    """Results whose article URL is known (Bing's ``url`` parameter, GDELT's ``url``)."""
    unresolved: list[Unresolved] = field(default_factory=list)
    """Results to look up on the publisher's site (Google News)."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Refused results by reason (``not_http``, ``aggregator``, ``no_url``)."""

    def keep(self, link: Link) -> None:
        """Keep ``link`` if it may lead to an article, else count why not."""
        reason = refusal(link.url)
        if reason:
            self.dropped[reason] += 1
        else:
            self.links.append(link)


def refusal(url: str) -> str | None:
    """Why a result URL cannot be an article of a publisher, or None when it can."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not_http"
    if is_aggregator(parts.hostname):
        return "aggregator"
    return None


def is_aggregator(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host.startswith("consent."):
        return True
    return any(host == known or host.endswith("." + known) for known in AGGREGATOR_HOSTS)


def spellings(topic: Topic) -> list[str]:
    """The terms a search is made of: the topic's query, then its name and variants when they
    are really different spellings (case does not count: every source folds it).

    Sources combine them into one ``OR`` query, so adding a spelling adds no request.
    """
    terms: dict[str, str] = {}
    for term in (topic.query, topic.name, *topic.variants):
        cleaned = " ".join(term.split())
        if cleaned:
            terms.setdefault(cleaned.casefold(), cleaned)
    return list(terms.values())


def or_query(terms: Sequence[str]) -> str:
    """``a OR "b c"``: multi-word spellings as phrases, as Google, Bing and GDELT read them."""
    return " OR ".join(f'"{t}"' if " " in t else t for t in terms)


def rss_entries(body: bytes) -> list[Any]:
    """The items of an aggregator's RSS answer (Google News, Bing News); ``NotResults`` for an
    empty body or anything that is not RSS (an HTML error or consent page, garbage)."""
    if not body.strip():
        raise NotResults("empty answer")
    parsed = feedparser.parse(body)
    if not parsed.get("version", "").startswith("rss"):
        raise NotResults("not an RSS feed")
    return list(parsed.entries)

"""Bing News RSS search: ``https://www.bing.com/news/search?q=...&format=rss``.

An RSS 2.0 channel whose items carry a ``<description>`` snippet, a ``<pubDate>`` and the
publisher's name in ``<News:Source>``. The ``<link>`` is Bing's click tracker,
``http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=...&url=https%3a%2f%2f...&c=...``:
the article's address is its ``url`` parameter, so the tracker is never requested.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import parse_qs, quote_plus, urlsplit

from w3lib.html import remove_tags, replace_entities

from crawler.discovery.results import Found, is_aggregator, or_query, rss_entries
from crawler.spiders.links import Link

NAME = "bing_news"
ENDPOINT = "https://www.bing.com/news/search?q={query}&format=rss"


def search_url(terms: Sequence[str]) -> str:
    return ENDPOINT.format(query=quote_plus(or_query(terms)))


def parse(body: bytes) -> Found:
    found = Found()
    for entry in rss_entries(body):
        url = article_url(str(entry.get("link") or ""))
        if url is None:
            found.dropped["no_url"] += 1
            continue
        published = entry.get("published_parsed")
        summary = " ".join(replace_entities(remove_tags(entry.get("summary") or "")).split())
        found.keep(
            Link(
                url=url,
                title=" ".join(str(entry.get("title") or "").split()) or None,
                date=time.strftime("%Y-%m-%d", published) if published else None,
                summary=summary or None,
            )
        )
    return found


def article_url(link: str) -> str | None:
    """The article behind a Bing link: the tracker's ``url`` parameter, or the link itself when
    it already points elsewhere; None for a Bing address without one."""
    parts = urlsplit(link.strip())
    if not parts.hostname:
        return None
    if not is_aggregator(parts.hostname):
        return link.strip()
    target = parse_qs(parts.query).get("url")
    return target[0].strip() if target and target[0].strip() else None

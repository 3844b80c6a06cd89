"""Google News RSS search: ``https://news.google.com/rss/search?q=...&hl=it&gl=IT&ceid=IT:it``.

An RSS 2.0 channel of about 100 items. Each item's ``<link>`` is an opaque
``https://news.google.com/rss/articles/CBMi...?oc=5`` token: it does not redirect to the
article, it cannot be decoded offline, and from Europe it leads to a consent page. What an item
does say plainly is its headline (``<title>`` as "Headline - Publisher") and the publisher's
home page (``<source url="https://publisher.example">Publisher</source>``), so each result is
handed on as ``Unresolved`` and found on the publisher's own site by its headline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import quote_plus

from crawler.discovery.results import Found, Unresolved, or_query, refusal, rss_entries

NAME = "google_news"
ENDPOINT = "https://news.google.com/rss/search?q={query}&hl=it&gl=IT&ceid=IT:it"


def search_url(terms: Sequence[str]) -> str:
    return ENDPOINT.format(query=quote_plus(or_query(terms)))


def parse(body: bytes) -> Found:
    found = Found()
    for entry in rss_entries(body):
        source = entry.get("source") or {}
        site = str(source.get("href") or "")
        title = str(entry.get("title") or "")
        if not site or not title:
            found.dropped["no_source"] += 1
            continue
        reason = refusal(site)
        if reason:
            found.dropped[reason] += 1
            continue
        published = entry.get("published_parsed")
        found.unresolved.append(
            Unresolved(
                headline=headline(title, str(source.get("title") or "")),
                site=site,
                date=time.strftime("%Y-%m-%d", published) if published else None,
            )
        )
    return found


def headline(title: str, publisher: str) -> str:
    """The title without the " - Publisher" Google appends (the publisher's own name when the
    item gives it, else whatever follows the last " - ")."""
    title = " ".join(title.split())
    if publisher and title.endswith(" - " + publisher):
        return title[: -len(publisher) - 3].strip()
    head, separator, _ = title.rpartition(" - ")
    return head.strip() if separator and head.strip() else title

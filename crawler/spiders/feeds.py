"""Article links from RSS 2.0 and Atom feeds.

feedparser reads both formats and survives malformed documents; an entry without a usable
link is skipped and counted, the rest of the feed still counts. Each link carries the entry's
headline, date and description as plain text: when the page turns out to be a consent or pay
wall, they are all the item has (contract 7).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import feedparser
from lxml import etree
from lxml.html import fragment_fromstring

from crawler.spiders.links import Link

logger = logging.getLogger(__name__)

MAX_SUMMARY_CHARS = 1000
"""A description longer than this is a whole article pasted in the feed; its start is the
teaser."""


@dataclass(frozen=True)
class FeedLinks:
    links: list[Link]
    bad_entries: int
    """Entries that had no usable link."""
    is_feed: bool
    """False when the document is not a feed at all (an HTML error page, say)."""


def links_from_feed(body: bytes, url: str) -> FeedLinks:
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and not parsed.get("feed"):
        return FeedLinks([], 0, is_feed=False)
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        return FeedLinks([], 0, is_feed=False)
    links: list[Link] = []
    bad = 0
    for entry in parsed.entries:
        link = entry.get("link") or _alternate(entry)
        if not link or not link.startswith(("http://", "https://")):
            bad += 1
            logger.debug("feed %s: entry %r has no usable link", url, entry.get("title", "?"))
            continue
        links.append(
            Link(
                url=link,
                title=entry.get("title") or None,
                date=_entry_date(entry),
                summary=_summary(entry),
            )
        )
    return FeedLinks(links, bad, is_feed=True)


def _alternate(entry: feedparser.FeedParserDict) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def _summary(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's description as plain text on one line, cut at a word when long.

    feedparser gives it sanitised but still HTML (``<p>``, entities) unless the feed declared
    plain text; the HTML is parsed, never pattern-stripped, so "&lt;b&gt;" stays the text
    "<b>" (the renderers escape it) and no markup survives as text.
    """
    raw = entry.get("summary") or ""
    if (entry.get("summary_detail") or {}).get("type") != "text/plain" and raw.strip():
        try:
            raw = fragment_fromstring(raw, create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            return None
    text = " ".join(raw.split())
    if len(text) > MAX_SUMMARY_CHARS:
        text = text[:MAX_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return text or None

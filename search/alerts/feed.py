"""The Atom feed of the latest mentions (``<data-dir>/mentions.atom``): alerts for feed readers.

A feed reader, an intranet page or another tool can follow the mentions without an email
account or a webhook. The file changes only when the data do: every date in it comes from
the items (never the clock), so two writes of the same items are byte-identical and a
reader polling with ``If-Modified-Since`` or a file watcher sees no false news.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from enrichment.vocabulary import CATEGORIES, italian_date
from search.files.atomic import write_atomically
from search.store import StoredItem

FEED_SIZE = 100

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters sometimes left in crawled text)."""


def write_mentions_feed(
    items: Sequence[StoredItem], path: Path, *, topic: str, updated: str
) -> None:
    """Write the latest ``FEED_SIZE`` mentions, newest first (by ``first_seen``), atomically.

    ``updated`` is the feed's own date: the last change of the data (not the clock).
    Items without a topic mention are left out. Each entry's id is the item's URL.
    """
    mentions = [i for i in items if i.article.mentions > 0]
    mentions.sort(key=lambda i: (i.first_seen, i.article.url), reverse=True)
    feed = FeedGenerator()
    feed.id(uuid.uuid5(uuid.NAMESPACE_URL, f"rassegna:mentions:{topic}").urn)
    feed.title(f"{topic}: ultime uscite")
    feed.subtitle(f"Le uscite che citano {topic}, dalla più recente")
    feed.author({"name": f"Rassegna stampa {topic}"})
    feed.language("it")
    feed.generator("rassegna")
    feed.updated(_moment(updated))
    for item in mentions[:FEED_SIZE]:
        a = item.article
        entry = feed.add_entry(order="append")
        entry.id(a.url)
        entry.title(_xml(a.title) or "(senza titolo)")
        entry.link(href=a.url)
        entry.published(_moment(item.first_seen))
        entry.updated(_moment(item.changed_at))
        if a.journalist:
            entry.author({"name": _xml(a.journalist)})
        entry.category(term=a.category, label=CATEGORIES.get(a.category, a.category))
        entry.summary(_xml(_summary(item)))
    write_atomically(path, feed.atom_str(pretty=True))


def _summary(item: StoredItem) -> str:
    a = item.article
    facts = [a.outlet]
    if a.date:
        facts.append(italian_date(a.date))
    if a.city:
        facts.append(a.city)
    lines = [" — ".join(facts), *(f"«{s}»" for s in a.snippets)]
    return "\n".join(lines)


def _moment(stamp: str) -> datetime:
    """An aware datetime from an ISO date or timestamp (UTC when it names no zone)."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _xml(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")

"""The Atom feed of the latest mentions (``<data-dir>/mentions.atom``): alerts for feed readers.

A feed reader, an intranet page or another tool can follow the mentions without an email
account or a webhook. The file changes only when the data do: every date in it comes from
the items (never the clock), so two writes of the same items are byte-identical and a
reader polling with ``If-Modified-Since`` or a file watcher sees no false news.

``rassegna run`` writes the file (``write_mentions_feed``); the desk serves the same feed
computed when it is asked for (``current_feed``), so a decision taken on the desk (an item
excluded, a title corrected, an item restored) is in the feed the desk offers at once, and in
the file from the service's next alerts step on.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from enrichment.vocabulary import CATEGORIES, italian_date
from search.desk.decisions import Decision, apply_all
from search.files.atomic import write_atomically
from search.store import StoredItem

FEED_SIZE = 100

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters sometimes left in crawled text)."""


def write_mentions_feed(
    items: Iterable[StoredItem],
    decisions: Mapping[str, Decision],
    path: Path,
    *,
    topic: str,
    default_updated: str,
) -> None:
    """Write ``current_feed`` atomically: the latest ``FEED_SIZE`` mentions, newest first (by
    ``first_seen``). The feed's own date is the last change of the data (never the clock), so
    two writes of the same items are byte-identical. Each entry's id is the item's URL."""
    write_atomically(
        path, current_feed(items, decisions, topic=topic, default_updated=default_updated)
    )


def current_feed(
    items: Iterable[StoredItem],
    decisions: Mapping[str, Decision],
    *,
    topic: str,
    default_updated: str,
) -> bytes:
    """The feed the service's alerts step would write now from the rassegna's ``items`` (as
    stored) and the office's ``decisions``: the mentions not excluded, as corrected, dated by
    the latest change among them (``default_updated`` when there is none).

    A corrected entry is dated by its correction when that is later than the crawl's last
    change: feed readers keep an entry by id and show it again only when <updated> moves."""
    mentions = [
        _dated_by_correction(item, decisions.get(item.article.url))
        for item in apply_all([i for i in items if i.article.mentions > 0], decisions)
    ]
    updated = max((i.changed_at for i in mentions), default=default_updated)
    return mentions_feed(mentions, topic=topic, updated=updated)


def _dated_by_correction(item: StoredItem, decision: Decision | None) -> StoredItem:
    if decision is None or not decision.corrections or not decision.changed_at:
        return item
    if _moment(decision.changed_at) <= _moment(item.changed_at):
        return item
    return replace(item, changed_at=decision.changed_at)


def mentions_feed(items: Sequence[StoredItem], *, topic: str, updated: str) -> bytes:
    """The Atom document ``write_mentions_feed`` writes."""
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
    body: bytes = feed.atom_str(pretty=True)
    return body


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

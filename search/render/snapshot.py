"""The rassegna as data (contract 4): counts per category, totals and the uscite.

Built from any store, so every renderer and every backend produce the same figures. ``updated``
is the day of the latest change to the items included, in Italian time, never the time the
snapshot was written: two snapshots of unchanged data are identical byte for byte.

The press office's decisions (``search.desk``) are applied here, when the uscite are selected:
an excluded item is in no list and no count, a corrected field shows its corrected value (and
is what the city, category and date filters see), and a highlighted item carries
``"highlight": true``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from enrichment.vocabulary import CATEGORIES, ROME
from search.desk.decisions import NO_DECISIONS, Decision, apply_all, highlighted
from search.store import Store, StoredItem

_ORDER = {key: i for i, key in enumerate(CATEGORIES)}


def select_items(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
    category: str | None = None,
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> list[StoredItem]:
    """The uscite in scope, decisions applied, in the rassegna's order: category, date,
    outlet, title."""
    redated = any("date" in d.corrections for d in decisions.values())
    # A corrected date may move an item into or out of the period: then filter here.
    found = store.rassegna_items() if redated else store.rassegna_items(since=since, until=until)
    stored = [
        s
        for s in apply_all(found, decisions)
        if (city is None or (s.article.city or "").casefold() == city.casefold())
        and (category is None or s.article.category == category)
        and (not redated or _within(s.article.date, since, until))
    ]
    stored.sort(
        key=lambda s: (
            _ORDER.get(s.article.category, 99),
            s.article.date or "",
            s.article.outlet,
            s.article.title,
            s.article.url,
        )
    )
    return stored


def _within(day: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    return day is not None and (since or day) <= day <= (until or day)


def build_snapshot(
    store: Store,
    topic: str,
    *,
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
    category: str | None = None,
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> dict[str, Any]:
    stored = select_items(
        store, since=since, until=until, city=city, category=category, decisions=decisions
    )
    return snapshot_of(stored, topic, decisions)


def snapshot_of(
    stored: list[StoredItem], topic: str, decisions: Mapping[str, Decision] = NO_DECISIONS
) -> dict[str, Any]:
    """Contract 4 for items already selected (decisions applied) and ordered by
    ``select_items``; ``decisions`` mark the highlighted ones."""
    chosen = highlighted(decisions)
    categories: list[dict[str, Any]] = []
    for key, label in CATEGORIES.items():
        members = [s.article for s in stored if s.article.category == key]
        audiences = [a.audience for a in members if a.audience is not None]
        categories.append(
            {
                "id": key,
                "label": label,
                "uscite": len(members),
                "audience": sum(audiences) if audiences else None,
            }
        )
    totals = [int(c["audience"]) for c in categories if c["audience"] is not None]
    return {
        "topic": topic,
        "updated": _updated(stored),
        "total": {"uscite": len(stored), "audience": sum(totals) if totals else None},
        "categories": categories,
        "items": [_item(s, s.article.url in chosen) for s in stored],
    }


def _updated(stored: list[StoredItem]) -> str | None:
    if not stored:
        return None
    latest = max(s.changed_at for s in stored)
    return datetime.fromisoformat(latest).astimezone(ROME).date().isoformat()


def _item(stored: StoredItem, highlight: bool) -> dict[str, Any]:
    a = stored.article
    item: dict[str, Any] = {
        "category": a.category,
        "outlet": a.outlet,
        "audience": a.audience,
        "title": a.title,
        "date": a.date,
        "journalist": a.journalist,
        "url": a.url,
        "city": a.city,
        "language": a.language,
        "mentions": a.mentions,
        "source": a.source,
    }
    if highlight:
        item["highlight"] = True
    if a.walled:  # contract 7: the text is the feed's, the page was a wall
        item["walled"] = True
    if a.new_outlet:  # contract 7: a site outside the registry, waiting to be classified
        item["new_outlet"] = True
    return item


def to_json(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"

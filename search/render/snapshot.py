"""The rassegna as data (contract 4): counts per category, totals and the uscite.

Built from any store, so every renderer and every backend produce the same figures. ``updated``
is the day of the latest change to the items included, in Italian time, never the time the
snapshot was written: two snapshots of unchanged data are identical byte for byte.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from enrichment.vocabulary import CATEGORIES, ROME
from search.store import Store, StoredItem

_ORDER = {key: i for i, key in enumerate(CATEGORIES)}


def select_items(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
    category: str | None = None,
) -> list[StoredItem]:
    """The uscite in scope, in the rassegna's order: category, date, outlet, title."""
    stored = [
        s
        for s in store.rassegna_items(since=since, until=until)
        if (city is None or (s.article.city or "").casefold() == city.casefold())
        and (category is None or s.article.category == category)
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


def build_snapshot(
    store: Store,
    topic: str,
    *,
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    stored = select_items(store, since=since, until=until, city=city, category=category)
    return snapshot_of(stored, topic)


def snapshot_of(stored: list[StoredItem], topic: str) -> dict[str, Any]:
    """Contract 4 for items already selected and ordered by ``select_items``."""
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
        "items": [_item(s) for s in stored],
    }


def _updated(stored: list[StoredItem]) -> str | None:
    if not stored:
        return None
    latest = max(s.changed_at for s in stored)
    return datetime.fromisoformat(latest).astimezone(ROME).date().isoformat()


def _item(stored: StoredItem) -> dict[str, Any]:
    a = stored.article
    return {
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


def to_json(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"

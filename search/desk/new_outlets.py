"""Outlets found by discovery that the registry does not list yet, and their classification.

Discovery stores an article from an unknown site as a ``new_outlet`` item: labelled with the
site's own name, in the default category, with no audience (contract 7). It waits in the desk
until the office decides what the outlet is. Classifying it adds the outlet to the registry
file (so every later crawl attributes its pages, with the category and audience the office
gave) and brings the items already stored in line at once, each change in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from enrichment.registry import Registry
from enrichment.vocabulary import CATEGORIES
from search.desk.decisions import Desk
from search.errors import DecisionError
from search.files.registry_file import add_outlet
from search.store import Store, StoredItem


@dataclass(frozen=True)
class NewOutlet:
    """One unknown site and the uscite found on it."""

    host: str
    """The site's host without ``www.``: what the registry's ``urls`` will attribute."""
    label: str
    """The site's own name, as its items are labelled meanwhile."""
    items: tuple[StoredItem, ...]


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def new_outlets(store: Store) -> list[NewOutlet]:
    """The unknown sites with uscite, the one with most first."""
    found: dict[str, list[StoredItem]] = {}
    for stored in store.rassegna_items():
        if stored.article.new_outlet:
            found.setdefault(host_of(stored.article.url), []).append(stored)
    outlets = [
        NewOutlet(host, items[0].article.outlet, tuple(sorted(items, key=lambda s: s.article.url)))
        for host, items in found.items()
    ]
    return sorted(outlets, key=lambda o: (-len(o.items), o.host))


def classify(
    store: Store,
    desk: Desk,
    registry: Registry,
    host: str,
    *,
    name: str,
    category: str,
    audience: int | None,
    actor: str,
) -> tuple[Registry, int]:
    """Add the site ``host`` to the registry as outlet ``name``; the registry as it now reads
    and how many stored items were brought in line.

    Raises ``DecisionError`` for a bad value or a host with no new-outlet item, and
    ``RegistryError`` when the registry file refuses the outlet; nothing is changed then.
    """
    name = " ".join(name.split())
    if not name:
        raise DecisionError("outlet", "", "cannot be empty")
    if category not in CATEGORIES:
        raise DecisionError("category", category, f"not one of {', '.join(CATEGORIES)}")
    if audience is not None and audience < 0:
        raise DecisionError("audience", str(audience), "must be a whole number, 0 or more")
    waiting = next((o for o in new_outlets(store) if o.host == host_of(f"https://{host}/")), None)
    if waiting is None:
        raise DecisionError("host", host, "no item of a new outlet on this site")
    entry: dict[str, object] = {"name": name, "category": category, "urls": [waiting.host]}
    if audience is not None:
        entry["audience"] = audience
    day = datetime.now(UTC).date().isoformat()
    updated = add_outlet(
        Path(registry.path),
        entry,
        comment=f"Found by discovery; classified by {actor} on {day}.",
    )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for stored in waiting.items:
        article = replace(
            stored.article, outlet=name, category=category, audience=audience, new_outlet=False
        )
        store.upsert(article, now=now)
        desk.log_classified(article.url, actor=actor, before=stored.article.outlet, after=name)
    return updated, len(waiting.items)

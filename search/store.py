"""The store interface: what every backend (embedded SQLite, Elasticsearch) provides.

One contract, several implementations; the contract tests run against each. Items are keyed
by their canonical URL; writing the same item twice changes nothing, and the first time an
item was seen is kept for ever (alerts and the rassegna's history rely on it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from enrichment.records import Article


@dataclass(frozen=True, kw_only=True)
class StoredItem:
    """An article as kept by a store, with the store's own bookkeeping."""

    article: Article
    first_seen: str
    """UTC ISO timestamp of the first time the item was stored."""
    changed_at: str
    """UTC ISO timestamp of the last change to the item's content."""


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    text: str = ""
    """Words (all must match, Italian stems), ``"exact phrase"``, ``-excluded``, ``OR``."""
    city: str | None = None
    category: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    mentions_only: bool = False
    limit: int = 50


@dataclass(frozen=True)
class UpsertResult:
    created: bool
    """The URL was not in the store before."""
    changed: bool
    """The stored content changed (always true when created)."""
    queued: bool = False
    """The backend could not be reached: the item waits in the durable outbox."""
    rejected: str | None = None
    """The backend refused the item (the reason); it is kept in the outbox for inspection."""


class Store(ABC):
    """A collection of items, searchable, from which the rassegna is built."""

    batch_size: int = 1
    """How many items writers should hand to ``upsert_many`` at once."""

    @abstractmethod
    def upsert(self, article: Article, *, now: str) -> UpsertResult:
        """Insert or update the item keyed by ``article.url``.

        ``now`` (UTC ISO) becomes ``first_seen`` for a new item and ``changed_at`` when the
        content changes. An item imported by hand is never overwritten by a crawl.
        Raises ``StoreError`` when the backend cannot write.
        """

    def upsert_many(self, articles: Sequence[Article], *, now: str) -> list[UpsertResult]:
        """``upsert`` for several items, in order; backends override it to write in bulk."""
        return [self.upsert(article, now=now) for article in articles]

    @abstractmethod
    def get(self, url: str) -> StoredItem | None:
        """The item stored under this canonical URL."""

    @abstractmethod
    def search(self, query: SearchQuery) -> list[StoredItem]:
        """Items matching the query, best match first, then newest."""

    @abstractmethod
    def rassegna_items(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[StoredItem]:
        """The uscite: items mentioning the topic, and every imported item, in the date range."""

    @abstractmethod
    def count(self) -> int:
        """How many items are stored."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend's resources; safe to call twice."""

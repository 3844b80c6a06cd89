"""The store interface: what every backend (embedded SQLite, Elasticsearch) provides.

One contract, several implementations; ``tests/test_store_contract.py`` runs one suite against
each (SQLite, Elasticsearch through the test stub, and a live cluster when one is configured).
Items are keyed by their canonical URL; writing the same item twice changes nothing, and the
first time an item was seen is kept for ever (alerts and the rassegna's history rely on it).

Errors: a method that cannot do its work raises ``StoreError``, one line naming the store and
the reason (a damaged or unwritable file, credentials refused, a cluster that cannot be reached
or was never set up), never the driver's own exception; ``QueryError`` is a search the user must
rephrase. Opening a store (``search.backends.choose.open_store``) fails with ``StoreError`` too.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
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
    """Words (all must match, Italian stems), ``"exact phrase"``, ``-excluded``, and ``OR``
    between two terms (``a b OR c`` is a, and b or c). Any other character is plain text, never
    an operator; a text with no word at all does not filter."""
    city: str | None = None
    """This field's whole value, case ignored, like ``category``, ``outlet`` and ``language``."""
    category: str | None = None
    outlet: str | None = None
    since: str | None = None
    """ISO date ``YYYY-MM-DD``, inclusive, like ``until``; either leaves out undated items."""
    until: str | None = None
    language: str | None = None
    mentions_only: bool = False
    """Only items that name the topic (``mentions > 0``)."""
    limit: int = 50
    """At most this many items (Elasticsearch pages no further than 10,000)."""


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
        """Insert or update the item keyed by ``article.url``, and say what happened.

        ``now`` (UTC ISO timestamp) becomes ``first_seen`` for a new item, kept for ever after,
        and ``changed_at`` whenever the content changes. The content is every field but
        ``fetched_url``: the same content again, even fetched from another address, changes
        nothing (``changed`` false, the stored item untouched). An imported item (``source``
        ``"import"``) is never overwritten by a crawled one; a later import replaces it.

        A backend with an outbox (Elasticsearch) does not fail when its cluster cannot be
        reached, times out or answers with a server error: the item waits in the durable outbox
        (``queued``) and is delivered before any later write; an item the cluster refuses is
        kept there with the reason (``rejected``). Neither raises.

        Raises ``StoreError`` when the item can be neither written nor queued: the SQLite file
        cannot be written (read-only, disk full, damaged), the cluster refuses the request as a
        whole (credentials, no index: ``rassegna es-setup`` was not run), or the outbox cannot
        be written.
        """

    def upsert_many(self, articles: Sequence[Article], *, now: str) -> list[UpsertResult]:
        """``upsert`` for several items: one result per article, in their order; a URL given
        twice is one item. Give each URL once per batch: Elasticsearch decides every item of a
        batch against what was stored before the batch. Backends override it to write in bulk.

        Raises ``StoreError`` as ``upsert`` does; items of the batch may be stored already.
        """
        return [self.upsert(article, now=now) for article in articles]

    @abstractmethod
    def get(self, url: str) -> StoredItem | None:
        """The item stored under this canonical URL, None if there is none; every write made
        before is seen (Elasticsearch's document reads are real-time).

        Raises ``StoreError`` when the backend cannot be read.
        """

    @abstractmethod
    def search(self, query: SearchQuery) -> list[StoredItem]:
        """Items matching every part of the query (see ``SearchQuery``): best match first,
        then newest; without text, newest first. At most ``query.limit`` items.

        SQLite sees every write at once. Elasticsearch searches see the writes its last refresh
        made visible: its refresh interval (5 s), ``ElasticsearchStore.refresh()``, or the
        ``close`` of a store that wrote; ``count`` and ``rassegna_items`` refresh first.

        Raises ``QueryError`` when the text has only excluded terms (``-roma``), before reading
        anything; ``StoreError`` when the backend cannot be read or refuses the search (a limit
        above 10,000 on Elasticsearch).
        """

    @abstractmethod
    def rassegna_items(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[StoredItem]:
        """The uscite: every item that names the topic (``mentions > 0``) and every imported
        item, each once, in no particular order (callers sort); ``since``/``until`` are
        inclusive ISO dates, and either leaves out undated items. Every write made before is
        seen.

        Lazy: the iteration raises ``StoreError`` when the backend cannot be read.
        """

    @abstractmethod
    def count(self) -> int:
        """How many items are stored, every write made before included.

        Raises ``StoreError`` when the backend cannot be read.
        """

    def publish_decisions(self, urls: Iterable[str] | None = None) -> int:
        """Carry the desk's decisions (all, or those on ``urls``) into the stored documents,
        for readers that do not go through this program: Kibana and the ES API read the
        Elasticsearch index directly. How many documents were written.

        The embedded store has no such reader (every caller applies the decisions when it
        shows an item), so it writes nothing. Never raises: the desk keeps every decision, and
        one the backend could not take is sent by a later call.
        """
        return 0

    @abstractmethod
    def close(self) -> None:
        """Release the backend's resources; safe to call twice, and the store is not used after.

        Never raises: Elasticsearch first makes this store's writes visible to searches and only
        logs a warning when the cluster is gone.
        """

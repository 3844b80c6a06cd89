"""A durable outbox for items the Elasticsearch cluster has not taken yet.

When the cluster cannot be reached, a crawl must still finish and lose nothing: items are
written here (``<data-dir>/es-outbox.sqlite``) and sent before any newer write once the cluster
answers again. An item the cluster refuses (mapping conflict, too large) stays here marked
``rejected`` with the reason, for an operator to inspect, instead of being dropped silently.
Keyed by URL: queueing the same item twice keeps one entry, with the earliest time it was seen.

The desk's decisions have a ledger here too (``decisions_sent``): the version of each decision
the cluster holds, so what it does not hold yet (taken while it was down, or on an item it
did not have) is sent at the next chance, and nothing twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from enrichment.records import Article
from search.errors import StoreError
from search.files.sqlite import open_sqlite

PENDING = "pending"
REJECTED = "rejected"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    url TEXT PRIMARY KEY,
    article TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS decisions_sent (
    url TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class OutboxEntry:
    article: Article
    seen_at: str
    """When the item was first handed to the store: its ``first_seen`` once delivered."""
    status: str
    error: str | None


class Outbox:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_sqlite(self.path, _SCHEMA, "the outbox")

    def put(self, articles: list[Article], *, now: str) -> None:
        """Queue items for delivery (durably, before returning)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO outbox (url, article, seen_at, status) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET article = excluded.article,"
                " status = excluded.status, error = NULL",
                [(a.url, _dump(a), now, PENDING) for a in articles],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StoreError(str(self.path), f"cannot queue items: {exc}") from exc

    def reject(self, url: str, error: str) -> None:
        self._db.execute(
            "UPDATE outbox SET status = ?, error = ?, attempts = attempts + 1 WHERE url = ?",
            (REJECTED, error, url),
        )

    def remove(self, urls: list[str]) -> None:
        self._db.executemany("DELETE FROM outbox WHERE url = ?", [(u,) for u in urls])

    def pending(self, limit: int) -> list[OutboxEntry]:
        """The oldest pending entries first, so delivery keeps the order of the crawl."""
        rows = self._db.execute(
            "SELECT article, seen_at, status, error FROM outbox WHERE status = ? "
            "ORDER BY seen_at, rowid LIMIT ?",
            (PENDING, limit),
        )
        return [_entry(row) for row in rows]

    def rejected(self) -> Iterator[OutboxEntry]:
        rows = self._db.execute(
            "SELECT article, seen_at, status, error FROM outbox WHERE status = ? ORDER BY url",
            (REJECTED,),
        )
        for row in rows:
            yield _entry(row)

    def count(self, status: str = PENDING) -> int:
        row = self._db.execute("SELECT count(*) FROM outbox WHERE status = ?", (status,))
        return int(row.fetchone()[0])

    def decisions_sent(self) -> dict[str, int]:
        """URL -> the version of its decision that the cluster holds."""
        return dict(self._db.execute("SELECT url, version FROM decisions_sent"))

    def record_decisions(self, sent: dict[str, int]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._db.executemany(
            "INSERT OR REPLACE INTO decisions_sent (url, version) VALUES (?, ?)", sent.items()
        )
        self._db.execute("COMMIT")

    def forget_decisions(self) -> None:
        """After a new, empty index: every decision must be sent again."""
        self._db.execute("DELETE FROM decisions_sent")

    def close(self) -> None:
        self._db.close()


def _dump(article: Article) -> str:
    return json.dumps(asdict(article), ensure_ascii=False, sort_keys=True)


def _entry(row: tuple[str, str, str, str | None]) -> OutboxEntry:
    data = json.loads(row[0])
    data["snippets"] = tuple(data["snippets"])
    data["tags"] = tuple(data["tags"])
    return OutboxEntry(Article(**data), row[1], row[2], row[3])

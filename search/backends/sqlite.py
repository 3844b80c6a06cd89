"""The embedded store: one SQLite file with an FTS5 index of Italian stems.

The default when no Elasticsearch cluster is configured, so a single machine runs the whole
product. WAL mode lets ``rassegna search`` read while a crawl writes; each batch of upserts
is one transaction, so an interrupted crawl leaves every item it reported as stored.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from enrichment.records import Article
from search.backends.fts import fts_expression, stem_text
from search.errors import StoreError
from search.files.sqlite import open_sqlite
from search.store import SearchQuery, Store, StoredItem, UpsertResult

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1

_ARTICLE_FIELDS = [f.name for f in fields(Article)]
_JSON_FIELDS = {"snippets", "tags", "extra"}
_FLAG_FIELDS = {"walled", "new_outlet"}
"""Booleans, stored as 0/1; added after the first release, so older files get the column."""
_CONTENT_FIELDS = [f for f in _ARTICLE_FIELDS if f not in {"fetched_url"}]

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    {", ".join(f'"{name}"' for name in _ARTICLE_FIELDS)},
    first_seen TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    UNIQUE (url)
);
CREATE INDEX IF NOT EXISTS items_date ON items (date);
CREATE INDEX IF NOT EXISTS items_rassegna ON items (mentions, source);
CREATE INDEX IF NOT EXISTS items_review ON items (date, outlet, url)
    WHERE mentions > 0 OR source IN ('import', 'manual');
CREATE INDEX IF NOT EXISTS items_outlet ON items (outlet COLLATE NOCASE, date);
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
PRAGMA user_version = {SCHEMA_VERSION};
"""


class SQLiteStore(Store):
    """Items in ``<data-dir>/rassegna.sqlite``."""

    batch_size = 50
    """Items a crawl hands over at once, written in one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_sqlite(self.path, _SCHEMA, "the store")
        self._db.row_factory = sqlite3.Row
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A store written before a field existed gets its column, with the field's default, so
        an upgrade keeps every item (``CREATE TABLE IF NOT EXISTS`` leaves old tables alone)."""
        present = {row["name"] for row in self._db.execute("PRAGMA table_info(items)")}
        try:
            for name in _ARTICLE_FIELDS:
                if name not in present:
                    default = "0" if name in _FLAG_FIELDS else "NULL"
                    self._db.execute(f'ALTER TABLE items ADD COLUMN "{name}" DEFAULT {default}')
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot add the column {name!r}: {exc}") from exc

    def upsert(self, article: Article, *, now: str) -> UpsertResult:
        return self.upsert_many([article], now=now)[0]

    def upsert_many(self, articles: Sequence[Article], *, now: str) -> list[UpsertResult]:
        """One transaction for the whole batch: a commit per item was a tenth of the store's
        cost in a crawl. An item later in the batch sees the earlier ones."""
        results: list[UpsertResult] = []
        if not articles:
            return results
        url = articles[0].url
        try:
            with self._transaction():
                for article in articles:
                    url = article.url
                    results.append(self._write(article, now))
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot store {url}: {exc}") from exc
        return results

    def _write(self, article: Article, now: str) -> UpsertResult:
        row = _to_row(article)
        old = self._db.execute("SELECT * FROM items WHERE url = ?", (article.url,)).fetchone()
        if old is None:
            cursor = self._db.execute(
                f"INSERT INTO items ({_columns(row)}, first_seen, changed_at) "
                f"VALUES ({', '.join('?' * len(row))}, ?, ?)",
                (*row.values(), now, now),
            )
            self._index(cursor.lastrowid, article)
            return UpsertResult(created=True, changed=True)
        if old["source"] in ("import", "manual") and article.source == "crawl":
            return UpsertResult(created=False, changed=False)
        if all(old[name] == row[name] for name in _CONTENT_FIELDS):
            return UpsertResult(created=False, changed=False)
        assignments = ", ".join(f'"{name}" = ?' for name in row)
        self._db.execute(
            f"UPDATE items SET {assignments}, changed_at = ? WHERE id = ?",
            (*row.values(), now, old["id"]),
        )
        self._db.execute("DELETE FROM items_fts WHERE rowid = ?", (old["id"],))
        self._index(old["id"], article)
        return UpsertResult(created=False, changed=True)

    def _index(self, rowid: int | None, article: Article) -> None:
        self._db.execute(
            "INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)",
            (
                rowid,
                stem_text(article.title, article.language),
                stem_text(f"{article.outlet} {article.text}", article.language),
            ),
        )

    def get(self, url: str) -> StoredItem | None:
        try:
            row = self._db.execute("SELECT * FROM items WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot read {url}: {exc}") from exc
        return _from_row(row) if row else None

    def search(self, query: SearchQuery) -> list[StoredItem]:
        where, params = _filters(query)
        expression = fts_expression(query.text) if query.text else None
        if expression:
            sql = (
                "SELECT items.* FROM items_fts JOIN items ON items.id = items_fts.rowid "
                f"WHERE items_fts MATCH ? {''.join(' AND ' + w for w in where)} "
                "ORDER BY bm25(items_fts, 3.0, 1.0), items.date DESC LIMIT ?"
            )
            params = [expression, *params, query.limit]
        else:
            sql = (
                f"SELECT * FROM items {'WHERE ' + ' AND '.join(where) if where else ''} "
                "ORDER BY date DESC, id DESC LIMIT ?"
            )
            params = [*params, query.limit]
        try:
            rows = self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"search failed: {exc}") from exc
        return [_from_row(r) for r in rows]

    def rassegna_items(
        self, *, since: str | None = None, until: str | None = None
    ) -> Iterator[StoredItem]:
        where = ["(mentions > 0 OR source IN ('import', 'manual'))"]
        params: list[Any] = []
        if since:
            where.append("date >= ?")
            params.append(since)
        if until:
            where.append("date <= ?")
            params.append(until)
        sql = f"SELECT * FROM items WHERE {' AND '.join(where)} ORDER BY date, outlet, url"
        try:
            for row in self._db.execute(sql, params):
                yield _from_row(row)
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot read the uscite: {exc}") from exc

    def count(self) -> int:
        try:
            return int(self._db.execute("SELECT count(*) FROM items").fetchone()[0])
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot count the items: {exc}") from exc

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (autocommit connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _columns(row: dict[str, Any]) -> str:
    return ", ".join(f'"{name}"' for name in row)


def _to_row(article: Article) -> dict[str, Any]:
    row = asdict(article)
    for name in _JSON_FIELDS:
        row[name] = json.dumps(row[name], ensure_ascii=False, sort_keys=True)
    return row


def _from_row(row: sqlite3.Row) -> StoredItem:
    values = {name: row[name] for name in _ARTICLE_FIELDS}
    values["snippets"] = tuple(json.loads(values["snippets"]))
    values["tags"] = tuple(json.loads(values["tags"]))
    values["extra"] = json.loads(values["extra"])
    for name in _FLAG_FIELDS:
        values[name] = bool(values[name])
    return StoredItem(
        article=Article(**values), first_seen=row["first_seen"], changed_at=row["changed_at"]
    )


def _filters(query: SearchQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("city", query.city),
        ("category", query.category),
        ("outlet", query.outlet),
        ("language", query.language),
    ):
        if value:
            where.append(f'items."{column}" = ? COLLATE NOCASE')
            params.append(value)
    if query.since:
        where.append("items.date >= ?")
        params.append(query.since)
    if query.until:
        where.append("items.date <= ?")
        params.append(query.until)
    if query.mentions_only:
        where.append("items.mentions > 0")
    return where, params

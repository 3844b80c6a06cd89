"""What the crawler has already done, kept between runs in ``<data-dir>/crawl-state.sqlite``.

An article page fetched once is never fetched again (its item is in the store); entry points
(feeds, sitemaps, listings, searches) are re-fetched with their validators so an unchanged
site answers 304. Validators are saved only when a crawl finishes: if a crawl is interrupted
after reading a feed but before fetching its articles, the next crawl must see the feed as new.
Kept apart from the item store because it belongs to the crawling machine, not to the archive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Protocol

from search.errors import StoreError
from search.files.sqlite import open_sqlite

DONE = "item"
NOT_ARTICLE = "not-article"
GONE = "gone"
FAILED = "error"
_FINAL = (DONE, NOT_ARTICLE, GONE)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    outcome TEXT NOT NULL,
    item_url TEXT,
    fetched_at TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS entries (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outlet_runs (
    outlet TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    result TEXT NOT NULL,
    articles INTEGER NOT NULL,
    new_items INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    last_error TEXT,
    entry_points INTEGER NOT NULL DEFAULT 0,
    entry_points_failed INTEGER NOT NULL DEFAULT 0,
    last_new TEXT
);
"""
_ADDED_RUN_COLUMNS = {
    "entry_points": "INTEGER NOT NULL DEFAULT 0",
    "entry_points_failed": "INTEGER NOT NULL DEFAULT 0",
    "last_new": "TEXT",
}
"""Columns of ``outlet_runs`` newer than some crawl-state files: added when such a file opens."""


@dataclass(frozen=True)
class OutletRun:
    """The last crawl of one outlet, for ``rassegna status``."""

    outlet: str
    started: str
    finished: str
    result: str
    """``ok``, ``errors`` (some pages failed) or the crawl's finish reason when it stopped early."""
    articles: int
    new_items: int
    errors: int
    last_error: str | None
    entry_points: int = 0
    """The registry's entry points of the outlet this crawl requested."""
    entry_points_failed: int = 0
    """Those that failed (no answer, an HTTP error, not a feed or sitemap...)."""
    last_new: str | None = None
    """When a crawl last fetched an article its entry points listed for the first time; the
    first crawl's start while none has. Kept across crawls that find nothing new."""


class StateStore(Protocol):
    """The crawl state as the crawler uses it, wherever it is kept: ``CrawlState`` in a SQLite
    file of one machine, ``crawler.distributed.state.RedisCrawlState`` in Redis for workers on
    several machines. Both give the same answers to the same calls."""

    def is_done(self, url: str) -> bool: ...

    def record(
        self,
        urls: Iterable[str],
        outcome: str,
        *,
        now: str,
        item_url: str | None = None,
        error: str | None = None,
    ) -> None: ...

    def record_items(self, pages: Iterable[tuple[Iterable[str], str]], *, now: str) -> None: ...

    def failed_pages(self, max_attempts: int) -> list[str]: ...

    def validators(self, url: str) -> tuple[str | None, str | None]: ...

    def save_validators(
        self, found: dict[str, tuple[str | None, str | None]], *, now: str
    ) -> None: ...

    def record_outlet_runs(self, runs: list[OutletRun]) -> None: ...

    def outlet_runs(self) -> dict[str, OutletRun]: ...

    def close(self) -> None: ...


_RECORD = (
    "INSERT INTO pages (url, outcome, item_url, fetched_at, error) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET outcome = excluded.outcome,"
    " item_url = excluded.item_url, fetched_at = excluded.fetched_at,"
    " error = excluded.error, attempts = pages.attempts + 1"
    " WHERE pages.outcome != 'item'"
)
"""A page's latest outcome; a page that gave an item stays done whatever comes after."""


class CrawlState:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_sqlite(self.path, _SCHEMA, "the crawl state")
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        have = {row[1] for row in self._db.execute("PRAGMA table_info(outlet_runs)")}
        for name, declaration in _ADDED_RUN_COLUMNS.items():
            if name in have:
                continue
            try:
                self._db.execute(f"ALTER TABLE outlet_runs ADD COLUMN {name} {declaration}")
            except sqlite3.OperationalError as exc:
                if "duplicate column" not in str(exc):  # another process added it first
                    raise StoreError(
                        str(self.path), f"cannot update the crawl state: {exc}"
                    ) from exc

    def is_done(self, url: str) -> bool:
        """Whether this page needs no new fetch (stored, not an article, or gone)."""
        row = self._db.execute("SELECT outcome FROM pages WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] in _FINAL

    def record(
        self,
        urls: Iterable[str],
        outcome: str,
        *,
        now: str,
        item_url: str | None = None,
        error: str | None = None,
    ) -> None:
        self._write(_RECORD, [(u, outcome, item_url, now, error) for u in dict.fromkeys(urls)])

    def record_items(self, pages: Iterable[tuple[Iterable[str], str]], *, now: str) -> None:
        """``record(urls, DONE, item_url=...)`` for a batch of stored items, in one
        transaction: the store pipeline writes items in batches, and so their pages."""
        self._write(
            _RECORD,
            [
                (url, DONE, item_url, now, None)
                for urls, item_url in pages
                for url in dict.fromkeys(urls)
            ],
        )

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        """One transaction; a failure (disk full, read-only) is a ``StoreError`` naming the file."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StoreError(str(self.path), f"cannot record the crawl state: {exc}") from exc

    def failed_pages(self, max_attempts: int) -> list[str]:
        """Article pages whose last fetch failed, to be tried again (up to ``max_attempts``)."""
        rows = self._db.execute(
            "SELECT url FROM pages WHERE outcome = ? AND attempts < ? ORDER BY fetched_at",
            (FAILED, max_attempts),
        )
        return [row[0] for row in rows]

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._db.execute(
            "SELECT etag, last_modified FROM entries WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, found: dict[str, tuple[str | None, str | None]], *, now: str) -> None:
        self._write(
            "INSERT INTO entries (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
            [(url, etag, modified, now) for url, (etag, modified) in found.items()],
        )

    def record_outlet_runs(self, runs: list[OutletRun]) -> None:
        """Replace each outlet's last run; ``last_new`` moves only when the run fetched new
        articles, so a quiet outlet keeps the date of its last new one."""
        self._write(
            "INSERT INTO outlet_runs (outlet, started, finished, result, articles, new_items,"
            " errors, last_error, entry_points, entry_points_failed, last_new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (outlet) DO UPDATE SET"
            " started = excluded.started, finished = excluded.finished,"
            " result = excluded.result, articles = excluded.articles,"
            " new_items = excluded.new_items, errors = excluded.errors,"
            " last_error = excluded.last_error, entry_points = excluded.entry_points,"
            " entry_points_failed = excluded.entry_points_failed, last_new = CASE"
            " WHEN excluded.articles > 0 THEN excluded.last_new"
            " ELSE coalesce(outlet_runs.last_new, outlet_runs.started) END",
            [astuple(run) for run in runs],
        )

    def outlet_runs(self) -> dict[str, OutletRun]:
        rows = self._db.execute(
            "SELECT outlet, started, finished, result, articles, new_items, errors, last_error,"
            " entry_points, entry_points_failed, last_new FROM outlet_runs"
        )
        return {row[0]: OutletRun(*row) for row in rows}

    def close(self) -> None:
        self._db.close()

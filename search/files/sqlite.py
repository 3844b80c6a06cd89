"""Opening the project's SQLite files the same way everywhere.

Every file (items, crawl state, outbox, alert ledger) is opened in autocommit mode with a WAL
journal, so readers never block the writer and each explicit transaction is durable when it
commits; a file that cannot be opened or is not a database is a one-line ``StoreError``
naming it, and is never overwritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.errors import StoreError

BUSY_SECONDS = 30.0
"""How long a statement waits for another connection's lock before failing."""


def open_sqlite(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """Connect to ``path`` (created with ``schema`` if new); ``what`` names it in errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The busy timeout applies from the first statement: another process (a second worker,
        # the service beside a crawl) may hold the write lock while this one switches to WAL
        # or checks the schema, and on a loaded machine that can last seconds.
        db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(schema)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(str(path), f"cannot open {what}: {exc}") from exc
    return db


@contextmanager
def write_transaction(db: sqlite3.Connection, path: Path, what: str) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction on an autocommit connection, rolled back on any
    error; a database error becomes a ``StoreError`` naming ``path`` and ``what`` failed."""
    try:
        db.execute("BEGIN IMMEDIATE")
        yield
        db.execute("COMMIT")
    except BaseException as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(str(path), f"{what}: {exc}") from exc
        raise

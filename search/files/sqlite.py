"""Opening the project's SQLite files the same way everywhere.

Every file (items, crawl state, outbox, alert ledger) is opened in autocommit mode with a WAL
journal, so readers never block the writer and each explicit transaction is durable when it
commits; a file that cannot be opened or is not a database is a one-line ``StoreError``
naming it, and is never overwritten.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from search.errors import StoreError


def open_sqlite(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """Connect to ``path`` (created with ``schema`` if new); ``what`` names it in errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA busy_timeout = 10000")
        db.executescript(schema)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(str(path), f"cannot open {what}: {exc}") from exc
    return db

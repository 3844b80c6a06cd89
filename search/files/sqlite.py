"""Opening the project's SQLite files the same way everywhere.

Every file (items, crawl state, outbox, alert ledger) is opened in autocommit mode with a WAL
journal, so readers never block the writer and each explicit transaction is durable when it
commits; a file that cannot be opened or is not a database is a one-line ``StoreError``
naming it, and is never overwritten.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.errors import StoreError

BUSY_SECONDS = 30.0
"""How long a statement waits for another connection's lock before failing."""

_RETRY_PAUSE = 0.05
"""Seconds between two tries at opening a file that another process is creating."""


def open_sqlite(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """Connect to ``path`` (created with ``schema`` if new); ``what`` names it in errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(str(path), f"cannot open {what}: {exc}") from exc
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            return _connect(path, schema)
        except sqlite3.OperationalError as exc:
            # Two processes creating the same new file (two workers starting together) can
            # meet while it is still in rollback-journal mode: SQLite then answers "locked" at
            # once instead of waiting, to avoid a deadlock, so the opening is tried again.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise StoreError(str(path), f"cannot open {what}: {exc}") from exc
            time.sleep(_RETRY_PAUSE)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(str(path), f"cannot open {what}: {exc}") from exc


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    # The busy timeout applies from the first statement: another process (a second worker,
    # the service beside a crawl) may hold the write lock while this one switches to WAL or
    # checks the schema, and on a loaded machine that can last seconds.
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(schema)
    except BaseException:
        db.close()
        raise
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

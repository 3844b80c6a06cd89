"""The book of editions (``<data-dir>/editions.sqlite``) and the ledger of their deliveries.

An edition is a numbered issue of the rassegna for a period. It walks ``draft -> approved ->
sent``: a draft is only a period and a title; approval freezes its documents (in
``<data-dir>/editions/<N>/``, see ``search.editions.freeze``) and its figures; sending delivers
them. Numbers are never reused.

Deliveries are kept like alerts (``search.alerts.ledger``): one row per edition, round and
recipient, walking ``pending -> attempting -> sent | failed``. The state is committed as
``attempting`` before the message leaves, so a crash between sending and recording leaves
``attempting`` behind; ``recover`` turns it into ``uncertain``, which is never sent again
automatically (a missed copy can be sent on purpose, a repeated one cannot be taken back). A
``send --again`` opens a new round, in which everyone is pending again.

The recipients' Apprise URLs are kept here with their secrets (the file belongs in the
private data folder); everything shown carries only the masked ``name``. ``locked`` serialises
the commands that change editions (approve, send), across processes and threads, so that
``recover`` never mistakes another sender's message in flight for a crash.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from search.errors import EditionError
from search.files.data_dir import DataDir
from search.files.sqlite import open_sqlite, write_transaction

DRAFT = "draft"
APPROVED = "approved"
SENT = "sent"

PENDING = "pending"
ATTEMPTING = "attempting"
DELIVERED = "sent"
FAILED = "failed"
UNCERTAIN = "uncertain"
DELIVERY_STATES = (PENDING, ATTEMPTING, DELIVERED, FAILED, UNCERTAIN)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS editions (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT,
    sent_at TEXT,
    sent_by TEXT,
    uscite INTEGER NOT NULL DEFAULT 0,
    audience INTEGER,
    formats TEXT NOT NULL DEFAULT '',
    note TEXT,
    announced_at TEXT
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    edition INTEGER NOT NULL REFERENCES editions (number),
    round INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    error TEXT,
    UNIQUE (edition, round, recipient)
);
"""
_EDITION = (
    "SELECT number, title, since, until, state, created_at, created_by, approved_at,"
    " approved_by, sent_at, sent_by, uscite, audience, formats, note, announced_at FROM editions"
)
_DELIVERY = (
    "SELECT id, edition, round, recipient, name, state, attempts, sent_at, error FROM deliveries"
)


@dataclass(frozen=True)
class Edition:
    number: int
    title: str
    """What the office called it; may be empty."""
    since: str
    """First day included (ISO date), like ``until``, the last one."""
    until: str
    state: str
    """``draft``, ``approved`` or ``sent``."""
    created_at: str
    """UTC ISO timestamps, like every ``*_at``."""
    created_by: str
    approved_at: str | None = None
    approved_by: str | None = None
    sent_at: str | None = None
    """The last time a send completed (``--again`` moves it)."""
    sent_by: str | None = None
    uscite: int = 0
    """Counts of the frozen document (of the period as it is now, for a draft)."""
    audience: int | None = None
    formats: tuple[str, ...] = ()
    """The formats frozen at approval (no ``pdf`` when Chromium was missing)."""
    note: str | None = None
    """Why a format is missing, in words for the office."""
    announced_at: str | None = None
    """When the editors were told this draft waits for approval (``rassegna run``)."""

    @property
    def label(self) -> str:
        """ "Edizione n. 3" or "Edizione n. 3 — Settimana del Press Tour"."""
        return f"Edizione n. {self.number}" + (f" — {self.title}" if self.title else "")


@dataclass(frozen=True)
class Delivery:
    id: int
    edition: int
    round: int
    """1 for the first send; each ``--again`` opens the next."""
    url: str = field(repr=False)
    """The recipient's Apprise URL, secrets included: never show it."""
    name: str
    """The recipient as shown: the URL with its secrets masked."""
    state: str
    attempts: int = 0
    sent_at: str | None = None
    error: str | None = None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EditionStore:
    """The editions and their deliveries; ``folder`` holds the frozen files and the lock."""

    def __init__(self, path: Path, folder: Path) -> None:
        self.path = Path(path)
        self.folder = Path(folder)
        self._db = open_sqlite(self.path, _SCHEMA, "the editions")

    # -- editions ------------------------------------------------------------------------------

    def create(
        self,
        *,
        since: str,
        until: str,
        title: str,
        actor: str,
        uscite: int,
        audience: int | None,
        now: str | None = None,
    ) -> Edition:
        with self._writing("cannot create the edition"):
            cursor = self._db.execute(
                "INSERT INTO editions (title, since, until, state, created_at, created_by,"
                " uscite, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (title, since, until, DRAFT, now or utc_now(), actor, uscite, audience),
            )
        return self.get(int(cursor.lastrowid or 0))

    def get(self, number: int) -> Edition:
        """The edition; ``EditionError`` naming the number when there is none."""
        row = self._db.execute(f"{_EDITION} WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise EditionError(f"no edition number {number} (see rassegna edition list)")
        return _edition(row)

    def editions(self) -> list[Edition]:
        """Every edition, newest first."""
        rows = self._db.execute(f"{_EDITION} ORDER BY number DESC").fetchall()
        return [_edition(row) for row in rows]

    def last_until(self) -> str | None:
        """The last day any edition covers, for the next scheduled one to start after it."""
        row = self._db.execute("SELECT max(until) FROM editions").fetchone()
        return row[0] if row else None

    def approve(
        self,
        number: int,
        *,
        actor: str,
        uscite: int,
        audience: int | None,
        formats: Sequence[str],
        note: str | None,
        now: str | None = None,
    ) -> Edition:
        """Record the approval of a draft (its files are already frozen)."""
        with self._writing("cannot record the approval"):
            cursor = self._db.execute(
                "UPDATE editions SET state = ?, approved_at = ?, approved_by = ?, uscite = ?,"
                " audience = ?, formats = ?, note = ? WHERE number = ? AND state = ?",
                (
                    APPROVED,
                    now or utc_now(),
                    actor,
                    uscite,
                    audience,
                    " ".join(formats),
                    note,
                    number,
                    DRAFT,
                ),
            )
        if cursor.rowcount != 1:
            raise EditionError(f"edition {number} is no longer a draft")
        return self.get(number)

    def mark_sent(self, number: int, *, actor: str, now: str | None = None) -> Edition:
        with self._writing("cannot record the send"):
            self._db.execute(
                "UPDATE editions SET state = ?, sent_at = ?, sent_by = ? WHERE number = ?",
                (SENT, now or utc_now(), actor, number),
            )
        return self.get(number)

    def set_announced(self, number: int, when: str | None) -> None:
        """Record (or, with ``None``, forget) that the editors were told about a draft."""
        with self._writing("cannot record the notice"):
            self._db.execute(
                "UPDATE editions SET announced_at = ? WHERE number = ?", (when, number)
            )

    # -- deliveries ----------------------------------------------------------------------------

    def queue(self, number: int, recipients: Sequence[tuple[str, str]], *, again: bool) -> int:
        """Add the recipients, (URL, masked name) pairs, to the edition's current round (a
        new one with ``again``, or when it has none yet); the round."""
        with self._writing("cannot queue the deliveries"):
            (last,) = self._db.execute(
                "SELECT coalesce(max(round), 0) FROM deliveries WHERE edition = ?", (number,)
            ).fetchone()
            current = last + 1 if again or last == 0 else last
            self._db.executemany(
                "INSERT OR IGNORE INTO deliveries (edition, round, recipient, name, state)"
                " VALUES (?, ?, ?, ?, ?)",
                [(number, current, url, name, PENDING) for url, name in recipients],
            )
        return int(current)

    def deliveries(self, number: int, round: int | None = None) -> list[Delivery]:
        """The deliveries of one round of the edition (the latest when not given)."""
        if round is None:
            (round,) = self._db.execute(
                "SELECT coalesce(max(round), 0) FROM deliveries WHERE edition = ?", (number,)
            ).fetchone()
        rows = self._db.execute(
            f"{_DELIVERY} WHERE edition = ? AND round = ? ORDER BY id", (number, round)
        ).fetchall()
        return [_delivery(row) for row in rows]

    def mark_attempting(self, delivery: Delivery) -> None:
        """Record that the message is about to leave (committed before it does)."""
        self._set(delivery, "state = ?, attempts = attempts + 1", ATTEMPTING)

    def mark_delivered(self, delivery: Delivery, *, now: str | None = None) -> None:
        self._set(delivery, "state = ?, sent_at = ?, error = NULL", DELIVERED, now or utc_now())

    def mark_failed(self, delivery: Delivery, error: str) -> None:
        self._set(delivery, "state = ?, error = ?", FAILED, error)

    def recover(self) -> list[Delivery]:
        """After a crash: deliveries caught mid-send become ``uncertain``, never resent."""
        with self._writing("cannot recover interrupted deliveries"):
            rows = self._db.execute(f"{_DELIVERY} WHERE state = ?", (ATTEMPTING,)).fetchall()
            self._db.execute(
                "UPDATE deliveries SET state = ? WHERE state = ?", (UNCERTAIN, ATTEMPTING)
            )
        return [_delivery(row) for row in rows]

    def counts(self, number: int) -> dict[str, int]:
        """How many deliveries of the latest round are in each state (zeros included)."""
        counts = dict.fromkeys(DELIVERY_STATES, 0)
        for delivery in self.deliveries(number):
            counts[delivery.state] += 1
        return counts

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the editions' lock: one approve or send at a time (the others wait)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        """Release the database; safe to call twice."""
        self._db.close()

    def __enter__(self) -> EditionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _set(self, delivery: Delivery, assignments: str, *values: Any) -> None:
        with self._writing("cannot record a delivery"):
            self._db.execute(
                f"UPDATE deliveries SET {assignments} WHERE id = ?",  # noqa: S608 - ours
                (*values, delivery.id),
            )

    def _writing(self, what: str) -> AbstractContextManager[None]:
        return write_transaction(self._db, self.path, what)


def _edition(row: tuple[Any, ...]) -> Edition:
    return Edition(
        number=row[0],
        title=row[1],
        since=row[2],
        until=row[3],
        state=row[4],
        created_at=row[5],
        created_by=row[6],
        approved_at=row[7],
        approved_by=row[8],
        sent_at=row[9],
        sent_by=row[10],
        uscite=row[11],
        audience=row[12],
        formats=tuple(row[13].split()),
        note=row[14],
        announced_at=row[15],
    )


def _delivery(row: tuple[Any, ...]) -> Delivery:
    return Delivery(
        id=row[0],
        edition=row[1],
        round=row[2],
        url=row[3],
        name=row[4],
        state=row[5],
        attempts=row[6],
        sent_at=row[7],
        error=row[8],
    )


def open_editions(data_dir: Path) -> EditionStore:
    """The editions of a data dir (``DataDir.editions``, files in ``DataDir.edition_files``)."""
    files = DataDir(data_dir)
    return EditionStore(files.editions, files.edition_files)

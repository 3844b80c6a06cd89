"""The desk's accounts: who may read, decide and manage users, and how hard it is to guess.

Contract 5: once one account exists every desk page needs a session, so the accounts file is
the switch between the loopback-only viewer and a desk that can face a network. Passwords are
kept only as argon2id hashes (argon2-cffi, its recommended parameters). Failed logins are
counted server-side, per account and per client address, and each key is locked for a window
that doubles with every failure past the first few: a guesser gets a handful of tries a
minute, while a typo costs a person a second or two at most.

The same file keeps the secret that signs the desk's session cookies (unless
``RASSEGNA_SECRET_KEY`` is set), generated once, so sessions survive a restart; the file is
made readable by its owner only (0600), since it holds both.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from search.errors import SearchError
from search.files.sqlite import open_sqlite

ROLES = ("reader", "editor", "admin")
"""Least to most: reader reads everything, editor also decides and adds, admin manages users."""
ROLE_LABELS = {"reader": "lettura", "editor": "redazione", "admin": "amministrazione"}
MIN_PASSWORD = 10
FREE_FAILURES = 3
"""Failures allowed before the first lockout."""
MAX_LOCK_SECONDS = 900

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    hash TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    locked_until TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class AccountError(SearchError, ValueError):
    """A name, role or password that cannot be used (the message says which, in Italian)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    generation: int
    """Bumped when the password or role changes, so older sessions stop being valid."""

    @property
    def can_write(self) -> bool:
        return self.role in ("editor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


class Accounts:
    """The accounts file (``DataDir(root).accounts``); one connection, one thread."""

    def __init__(self, path: Path) -> None:
        # Made owner-only before SQLite opens it: its -wal and -shm files copy its mode.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.chmod(0o600)
        self._db = open_sqlite(path, _SCHEMA, "the accounts file")
        self._hasher = PasswordHasher()

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        row = self._db.execute("SELECT count(*) FROM accounts").fetchone()
        return int(row[0])

    def get(self, name: str) -> Account | None:
        row = self._db.execute(
            "SELECT name, role, generation FROM accounts WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else Account(row[0], row[1], int(row[2]))

    def all(self) -> list[Account]:
        rows = self._db.execute("SELECT name, role, generation FROM accounts ORDER BY name")
        return [Account(r[0], r[1], int(r[2])) for r in rows]

    def save(self, name: str, role: str, password: str) -> bool:
        """Create the account or give it this role and password; True when it was created."""
        name = check_name(name)
        check_role(role)
        check_password(password)
        digest, now = self._hasher.hash(password), _now()
        created = self.get(name) is None
        self._db.execute(
            "INSERT INTO accounts (name, role, hash, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET role = excluded.role,"
            " hash = excluded.hash, generation = generation + 1, updated_at = excluded.updated_at",
            (name, role, digest, now, now),
        )
        return created

    def set_role(self, name: str, role: str) -> None:
        check_role(role)
        self._update(name, "role = ?", role)

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        self._update(name, "hash = ?", self._hasher.hash(password))

    def _update(self, name: str, assignment: str, value: str) -> None:
        changed = self._db.execute(
            f"UPDATE accounts SET {assignment}, generation = generation + 1,"  # noqa: S608
            " updated_at = ? WHERE name = ?",
            (value, _now(), name),
        ).rowcount
        if not changed:
            raise AccountError(f"nessun utente «{name}»")

    def verify(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password; None otherwise (unknown name too,
        after the same work, so timing does not tell which names exist)."""
        row = self._db.execute("SELECT hash FROM accounts WHERE name = ?", (name,)).fetchone()
        digest = row[0] if row is not None else _DUMMY.get(self._hasher)
        try:
            self._hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self._hasher.check_needs_rehash(digest):
            self._db.execute(
                "UPDATE accounts SET hash = ? WHERE name = ?", (self._hasher.hash(password), name)
            )
        return self.get(name)

    # --- slowing down guessers ----------------------------------------------------------

    def locked_for(self, keys: list[str]) -> int:
        """Seconds until every key may try again (0: now)."""
        now, wait = datetime.now(UTC), 0.0
        for key in keys:
            row = self._db.execute(
                "SELECT locked_until FROM failures WHERE key = ?", (key,)
            ).fetchone()
            if row is not None:
                wait = max(wait, (datetime.fromisoformat(row[0]) - now).total_seconds())
        return int(wait + 0.999) if wait > 0 else 0

    def failed(self, keys: list[str]) -> None:
        """One more failure for each key; past ``FREE_FAILURES`` the key is locked for 2, 4,
        8 … seconds, at most ``MAX_LOCK_SECONDS``."""
        now = datetime.now(UTC)
        for key in keys:
            row = self._db.execute("SELECT count FROM failures WHERE key = ?", (key,)).fetchone()
            count = (int(row[0]) if row else 0) + 1
            extra = count - FREE_FAILURES
            lock = min(2**extra, MAX_LOCK_SECONDS) if extra > 0 else 0
            until = (now + timedelta(seconds=lock)).isoformat()
            self._db.execute(
                "INSERT INTO failures (key, count, locked_until) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET count = excluded.count,"
                " locked_until = excluded.locked_until",
                (key, count, until),
            )

    def succeeded(self, keys: list[str]) -> None:
        self._db.executemany("DELETE FROM failures WHERE key = ?", [(k,) for k in keys])

    # --- the session secret -------------------------------------------------------------

    def secret_key(self) -> str:
        """The secret signing session cookies: made on first use, then always the same."""
        self._db.execute(
            "INSERT OR IGNORE INTO secrets (name, value) VALUES ('session', ?)",
            (secrets.token_urlsafe(48),),
        )
        row = self._db.execute("SELECT value FROM secrets WHERE name = 'session'").fetchone()
        return str(row[0])


class _Dummy:
    """A hash of nothing, to verify against when the name is unknown (made once)."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def get(self, hasher: PasswordHasher) -> str:
        if self._hash is None:
            self._hash = hasher.hash(secrets.token_urlsafe(16))
        return self._hash


_DUMMY = _Dummy()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() or not c.isprintable() for c in name):
        raise AccountError(f"nome utente non valido: {name!r} (niente spazi, al più 64 caratteri)")
    return name


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"ruolo sconosciuto: {role!r} (uno di {', '.join(ROLES)})")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"la password deve avere almeno {MIN_PASSWORD} caratteri")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

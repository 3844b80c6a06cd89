"""The press office's decisions about single uscite, and the log of who took them.

A crawl or an import rewrites an item whenever its page changes, so a correction written into
the item itself would be lost at the next crawl. Decisions are therefore kept in their own
SQLite file (``<data-dir>/desk.sqlite``), keyed by the item's canonical URL, and applied when
an item is shown (``apply``, ``apply_all``).

Every change is one transaction that bumps the item's ``version`` and writes its audit rows
(who, when, which field, the value before and after), so the log never disagrees with the
state. A change that changes nothing (excluding an excluded item, approving twice) writes
nothing. ``expected_version`` gives optimistic locking to the web desk: a decision taken on a
page that is out of date fails with ``ConflictError`` instead of silently undoing another
editor's work.

Connections are opened per operation: the desk is used from the command line and from the
threads of the web server, and reading decisions from a data dir that has none creates no file.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from enrichment.urls import canonical_url
from enrichment.vocabulary import CATEGORIES
from search.errors import ConflictError, DecisionError, StoreError
from search.files.sqlite import open_sqlite
from search.store import StoredItem

logger = logging.getLogger(__name__)

EDITABLE = ("title", "journalist", "date", "outlet", "category", "audience", "city")
CLEARABLE = ("journalist", "city", "audience")
"""Fields a correction may empty: an editorial byline, no city, an audience not certified."""

Value = str | int | None

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    url TEXT PRIMARY KEY,
    excluded INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    corrections TEXT NOT NULL DEFAULT '{}',
    highlight INTEGER NOT NULL DEFAULT 0,
    reviewed INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT,
    changed_by TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    url TEXT NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_url ON audit (url, id);
"""
_SELECT = (
    "SELECT url, excluded, reason, corrections, highlight, reviewed, version, changed_at,"
    " changed_by"
    " FROM decisions"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Decision:
    """Everything the office decided about one item (by canonical URL)."""

    url: str
    excluded: bool = False
    reason: str | None = None
    """Why the item was excluded."""
    corrections: Mapping[str, Value] = field(default_factory=dict)
    """Field -> corrected value; None empties the field (``--journalist ""``)."""
    highlight: bool = False
    """Chosen for "In evidenza"."""
    reviewed: bool = False
    """Looked at and approved: no longer pending."""
    version: int = 0
    """Bumped by every change, for optimistic locking."""
    changed_at: str | None = None
    """UTC ISO timestamp of the latest change (None before the first)."""


@dataclass(frozen=True)
class AuditEntry:
    at: str
    """UTC ISO timestamp."""
    actor: str
    url: str
    action: str
    """exclude, restore, edit, highlight, unhighlight, approve or add."""
    field: str | None
    before: str | None
    after: str | None


NO_DECISIONS: Mapping[str, Decision] = MappingProxyType({})
"""The default of the functions that take decisions: nothing decided."""

Change = tuple[str, str | None, Value, Value]
"""(action, field, before, after) of one audit row."""


class Desk:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def decision(self, url: str) -> Decision | None:
        key = canonical_url(url)
        with self._reading() as db:
            row = db.execute(_SELECT + " WHERE url = ?", (key,)).fetchone()
        return _decision(row) if row else None

    def decisions(self) -> dict[str, Decision]:
        """Every decision, by canonical URL (empty when the desk was never used)."""
        with self._reading() as db:
            rows = db.execute(_SELECT).fetchall()
        return {row[0]: _decision(row) for row in rows}

    def exclude(
        self, url: str, *, reason: str, actor: str, expected_version: int | None = None
    ) -> Decision:
        """Take the item out of the rassegna and every count; a new reason replaces the old."""
        why = _text("reason", reason)

        def change(d: Decision) -> tuple[Decision, list[Change]]:
            if d.excluded and d.reason == why:
                return d, []
            before = d.reason if d.excluded else None
            return replace(d, excluded=True, reason=why), [("exclude", "excluded", before, why)]

        return self._change(url, actor, expected_version, change)

    def restore(self, url: str, *, actor: str, expected_version: int | None = None) -> Decision:
        def change(d: Decision) -> tuple[Decision, list[Change]]:
            if not d.excluded:
                return d, []
            return replace(d, excluded=False, reason=None), [
                ("restore", "excluded", d.reason, None)
            ]

        return self._change(url, actor, expected_version, change)

    def edit(
        self,
        url: str,
        changes: Mapping[str, Value],
        *,
        actor: str,
        expected_version: int | None = None,
        current: Mapping[str, Value] | None = None,
    ) -> Decision:
        """Correct fields; every value is checked before anything is stored.

        ``current`` (optional) is what the item shows now: the log's "before" for a field not
        corrected yet, and a value equal to it is no change.
        """
        clean = {name: _clean(name, value) for name, value in changes.items()}
        shown = dict(current or {})

        def change(d: Decision) -> tuple[Decision, list[Change]]:
            corrections = dict(d.corrections)
            log: list[Change] = []
            for name, value in clean.items():
                before = corrections[name] if name in corrections else shown.get(name)
                if (name in corrections or name in shown) and before == value:
                    continue
                corrections[name] = value
                log.append(("edit", name, before, value))
            return replace(d, corrections=corrections), log

        return self._change(url, actor, expected_version, change)

    def highlight(
        self, url: str, on: bool = True, *, actor: str, expected_version: int | None = None
    ) -> Decision:
        def change(d: Decision) -> tuple[Decision, list[Change]]:
            if d.highlight == on:
                return d, []
            action = "highlight" if on else "unhighlight"
            return replace(d, highlight=on), [(action, "highlight", _flag(d.highlight), _flag(on))]

        return self._change(url, actor, expected_version, change)

    def approve(self, url: str, *, actor: str, expected_version: int | None = None) -> Decision:
        def change(d: Decision) -> tuple[Decision, list[Change]]:
            if d.reviewed:
                return d, []
            return replace(d, reviewed=True), [("approve", "reviewed", "false", "true")]

        return self._change(url, actor, expected_version, change)

    def log_add(self, url: str, *, actor: str) -> None:
        """Log that ``actor`` added the item by hand (``rassegna add``, the web desk)."""
        with self._writing() as db:
            _audit(db, actor, canonical_url(url), [("add", None, None, None)])

    def log_classified(self, url: str, *, actor: str, before: str, after: str) -> None:
        """Log that ``actor`` put the item's site in the registry as outlet ``after`` (it was
        labelled ``before``, the site's own name, while the outlet was new)."""
        with self._writing() as db:
            _audit(db, actor, canonical_url(url), [("classify", "outlet", before, after)])

    def audit(self, *, url: str | None = None, limit: int = 200) -> list[AuditEntry]:
        """The log, newest first; only one item's when ``url`` is given."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT at, actor, url, action, field, before, after FROM audit"
                " WHERE ? IS NULL OR url = ? ORDER BY id DESC LIMIT ?",
                (url and canonical_url(url), url and canonical_url(url), limit),
            ).fetchall()
        return [AuditEntry(*row) for row in rows]

    def close(self) -> None:
        """Nothing to release: each operation opens and closes its own connection."""

    def _change(
        self,
        url: str,
        actor: str,
        expected_version: int | None,
        change: Callable[[Decision], tuple[Decision, list[Change]]],
    ) -> Decision:
        key = canonical_url(url)
        who = _text("actor", actor)
        with self._writing() as db:
            row = db.execute(_SELECT + " WHERE url = ?", (key,)).fetchone()
            now = _decision(row) if row else Decision(url=key)
            if expected_version is not None and expected_version != now.version:
                raise ConflictError(key, actor=row[-1] if row else None, version=now.version)
            after, log = change(now)
            if not log:
                return now
            stamp = _now()
            after = replace(after, version=now.version + 1, changed_at=stamp)
            db.execute(
                "INSERT OR REPLACE INTO decisions (url, excluded, reason, corrections, highlight,"
                " reviewed, version, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    int(after.excluded),
                    after.reason,
                    json.dumps(dict(after.corrections), ensure_ascii=False, sort_keys=True),
                    int(after.highlight),
                    int(after.reviewed),
                    after.version,
                    stamp,
                    who,
                ),
            )
            _audit(db, who, key, log, at=stamp)
        logger.info("Desk: %s %s by %s", ", ".join(c[0] for c in log), key, who)
        return after

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            empty = sqlite3.connect(":memory:")
            empty.executescript(_SCHEMA)
            try:
                yield empty
            finally:
                empty.close()
            return
        db = open_sqlite(self.path, _SCHEMA, "the desk")
        try:
            yield db
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot read the desk: {exc}") from exc
        finally:
            db.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        db = open_sqlite(self.path, _SCHEMA, "the desk")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), f"cannot write the desk: {exc}") from exc
        finally:
            db.close()


def corrected(item: StoredItem, decision: Decision | None) -> StoredItem:
    """The item with its corrected fields, whether excluded or not (for the desk's lists)."""
    if decision is None or not decision.corrections:
        return item
    fields: dict[str, Any] = dict(decision.corrections)
    return replace(item, article=replace(item.article, **fields))


def apply(item: StoredItem, decision: Decision | None) -> StoredItem | None:
    """None when the item is excluded; otherwise the item as corrected."""
    if decision is not None and decision.excluded:
        return None
    return corrected(item, decision)


def apply_all(items: Iterable[StoredItem], decisions: Mapping[str, Decision]) -> list[StoredItem]:
    """The items not excluded, corrected, in their order."""
    shown = (apply(item, decisions.get(item.article.url)) for item in items)
    return [item for item in shown if item is not None]


def highlighted(decisions: Mapping[str, Decision]) -> frozenset[str]:
    """The URLs chosen for "In evidenza" (an excluded item is never one)."""
    return frozenset(url for url, d in decisions.items() if d.highlight and not d.excluded)


def _decision(row: tuple[Any, ...]) -> Decision:
    return Decision(
        url=row[0],
        excluded=bool(row[1]),
        reason=row[2],
        corrections=json.loads(row[3]),
        highlight=bool(row[4]),
        reviewed=bool(row[5]),
        version=int(row[6]),
        changed_at=row[7],
    )


def _audit(
    db: sqlite3.Connection, actor: str, url: str, log: list[Change], *, at: str | None = None
) -> None:
    stamp = at or _now()
    db.executemany(
        "INSERT INTO audit (at, actor, url, action, field, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(stamp, actor, url, a, f, _str(b), _str(v)) for a, f, b, v in log],
    )


def _clean(name: str, value: Value) -> Value:
    """A correction as stored, or ``DecisionError`` naming the field and the value."""
    if name not in EDITABLE:
        raise DecisionError(
            name, value, f"not a field that can be corrected ({', '.join(EDITABLE)})"
        )
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if name in CLEARABLE:
            return None
        raise DecisionError(name, value, "cannot be empty")
    if name == "audience":
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.isdigit():
            number = int(value)
        if number is None or number < 0:
            raise DecisionError(name, value, "must be a whole number, 0 or more")
        return number
    if not isinstance(value, str):
        raise DecisionError(name, value, "must be text")
    if name == "date":
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise DecisionError(name, value, "not a date like 2023-10-19") from None
    if name == "category" and value not in CATEGORIES:
        raise DecisionError(name, value, f"not a category ({', '.join(CATEGORIES)})")
    return value


def _text(name: str, value: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise DecisionError(name, value, "cannot be empty")
    return cleaned


def _flag(on: bool) -> str:
    return "true" if on else "false"


def _str(value: Value) -> str | None:
    return None if value is None else str(value)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""The alert ledger (``<data-dir>/alerts.sqlite``): which mentions were alerted, where, and how.

Each item with a topic mention is alerted once, the first time it is handed over: its URL is
recorded for ever, whatever happens to the message. The ledger keeps one alert per article
per channel and walks it through ``pending -> attempting -> sent | failed``; a failed alert is
retried after 1, 2, 4... minutes (at most an hour apart).

The state is committed as ``attempting`` before a message leaves. A crash between sending and
recording therefore leaves ``attempting`` behind, and ``recover`` turns it into ``uncertain``
instead of sending again: the issue asks that a message is never repeated, and a missed alert
is still visible (``stats``, the warning in the log, the Atom feed) while a repeated one
cannot be taken back.

The channels' URLs are kept here too (secrets included: the file belongs in the private data
folder), so that a retry after a restart reaches the same place. A channel missing from the
latest ``enqueue`` is no longer configured: its alerts wait and are not sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from enrichment.records import Article
from enrichment.vocabulary import ROME
from search.alerts.channels import Channel
from search.files.sqlite import open_sqlite, write_transaction
from search.store import StoredItem
from search.syndication import group_copies

logger = logging.getLogger(__name__)

PENDING = "pending"
ATTEMPTING = "attempting"
SENT = "sent"
FAILED = "failed"
UNCERTAIN = "uncertain"
STATES = (PENDING, ATTEMPTING, SENT, FAILED, UNCERTAIN)

DIGESTS = ("hourly", "daily")
MAX_BACKOFF = timedelta(hours=1)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS enqueued (
    url TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS channels (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL REFERENCES channels (id),
    main_url TEXT NOT NULL,
    items TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_at TEXT,
    sent_at TEXT,
    error TEXT,
    UNIQUE (channel, main_url)
);
CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, created_at);
"""

_COLUMNS = "a.id, a.channel, c.url, c.name, a.items, a.created_at, a.state, a.retry_at"


@dataclass(frozen=True)
class Alert:
    """One message to send: an article (with its copies) or a digest of several."""

    id: str
    """Stable key of the message, the same on every retry: receivers may dedupe on it."""
    channel: Channel
    items: tuple[StoredItem, ...]
    """First the main item, then its copies on other outlets (or the digest's members)."""
    kind: Literal["item", "digest"] = "item"


class AlertLedger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = open_sqlite(self.path, _SCHEMA, "the alert ledger")

    def enqueue(self, items: Sequence[StoredItem], channels: Sequence[Channel], *, now: str) -> int:
        """Record the mentions never seen before and queue their alerts; how many were new.

        Copies of one article among the new items become one alert listing them all. The
        given channels become the configured ones: alerts for any other channel are held.
        """
        at = _stamp(now)
        with self._writing("cannot queue alerts"):
            self._configure(channels)
            fresh: dict[str, StoredItem] = {}
            for item in items:
                url = item.article.url
                if item.article.mentions > 0 and url not in fresh and not self._enqueued(url):
                    fresh[url] = item
            self._db.executemany(
                "INSERT INTO enqueued (url, at) VALUES (?, ?)", [(url, at) for url in fresh]
            )
            rows = [
                (
                    _alert_id(c, group[0]),
                    _channel_id(c),
                    group[0].article.url,
                    _dump(group),
                    at,
                    PENDING,
                )
                for group in group_copies(list(fresh.values()))
                for c in channels
            ]
            self._db.executemany(
                "INSERT INTO alerts (id, channel, main_url, items, created_at, state)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(fresh)

    def due(self, *, now: str, digest: str | None = None) -> list[Alert]:
        """What to send now: pending alerts and failed ones whose retry time has come.

        With ``digest`` (``hourly`` or ``daily``), a channel's alerts go out as one message
        once the hour (or the Italian day) of the oldest of them has ended.
        """
        if digest is not None and digest not in DIGESTS:
            raise ValueError(f"unknown digest period {digest!r} (use one of {DIGESTS})")
        moment = _parse(now)
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM alerts a JOIN channels c ON c.id = a.channel"  # noqa: S608
            " WHERE c.active AND a.state IN (?, ?) ORDER BY a.created_at, a.rowid",
            (PENDING, FAILED),
        ).fetchall()
        ready = [r for r in rows if r[6] == PENDING or _parse(r[7]) <= moment]
        alerts = [_alert(r) for r in ready]
        if digest is None:
            return alerts
        by_channel: dict[str, list[tuple[Alert, str]]] = {}
        for alert, row in zip(alerts, ready, strict=True):
            by_channel.setdefault(row[1], []).append((alert, row[5]))
        digests = []
        for members in by_channel.values():
            oldest = min(created for _, created in members)
            if moment >= _period_end(_parse(oldest), digest):
                digests.append(_digest([alert for alert, _ in members]))
        return digests

    def mark_attempting(self, alert: Alert) -> None:
        """Record that the message is about to leave (committed before it does)."""
        with self._writing("cannot record an attempt"):
            self._db.executemany(
                "UPDATE alerts SET state = ?, attempts = attempts + 1 WHERE id = ?",
                [(ATTEMPTING, i) for i in self._ids(alert)],
            )

    def mark_sent(self, alert: Alert, *, now: str) -> None:
        with self._writing("cannot record a delivery"):
            self._db.executemany(
                "UPDATE alerts SET state = ?, sent_at = ?, retry_at = NULL, error = NULL"
                " WHERE id = ?",
                [(SENT, _stamp(now), i) for i in self._ids(alert)],
            )

    def mark_failed(self, alert: Alert, *, now: str, error: str) -> None:
        """Record a failed delivery and when to try again (1, 2, 4... minutes, at most 1 h)."""
        moment = _parse(now)
        with self._writing("cannot record a failure"):
            for alert_id in self._ids(alert):
                (attempts,) = self._db.execute(
                    "SELECT attempts FROM alerts WHERE id = ?", (alert_id,)
                ).fetchone()
                wait = min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)
                self._db.execute(
                    "UPDATE alerts SET state = ?, retry_at = ?, error = ? WHERE id = ?",
                    (FAILED, _stamp(moment + wait), error, alert_id),
                )

    def recover(self) -> int:
        """After a crash: alerts caught mid-send become ``uncertain``, never sent again."""
        with self._writing("cannot recover interrupted alerts"):
            rows = self._db.execute(
                "SELECT a.id, a.main_url, c.name FROM alerts a JOIN channels c"
                " ON c.id = a.channel WHERE a.state = ?",
                (ATTEMPTING,),
            ).fetchall()
            for alert_id, url, channel in rows:
                logger.warning(
                    "Alert %s for %s to %s was being sent when the service stopped: "
                    "it may or may not have arrived, and is not sent again",
                    alert_id,
                    url,
                    channel,
                )
            self._db.execute("UPDATE alerts SET state = ? WHERE state = ?", (UNCERTAIN, ATTEMPTING))
        return len(rows)

    def stats(self) -> dict[str, int]:
        """How many alerts are in each state (every state present, zero included)."""
        counts = dict.fromkeys(STATES, 0)
        for state, count in self._db.execute("SELECT state, count(*) FROM alerts GROUP BY state"):
            counts[state] = count
        return counts

    def close(self) -> None:
        """Release the database; safe to call twice."""
        self._db.close()

    def _configure(self, channels: Sequence[Channel]) -> None:
        self._db.execute("UPDATE channels SET active = 0")
        self._db.executemany(
            "INSERT INTO channels (id, url, name, active) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = 1",
            [(_channel_id(c), c.url, c.name) for c in channels],
        )

    def _enqueued(self, url: str) -> bool:
        row = self._db.execute("SELECT 1 FROM enqueued WHERE url = ?", (url,)).fetchone()
        return row is not None

    def _ids(self, alert: Alert) -> list[str]:
        """The ledger rows an alert stands for: itself, or each member of a digest."""
        if alert.kind == "item":
            return [alert.id]
        urls = [item.article.url for item in alert.items]
        marks = ", ".join("?" * len(urls))
        rows = self._db.execute(
            f"SELECT id FROM alerts WHERE channel = ? AND main_url IN ({marks})",  # noqa: S608
            (_channel_id(alert.channel), *urls),
        )
        return [row[0] for row in rows]

    def _writing(self, what: str) -> AbstractContextManager[None]:
        return write_transaction(self._db, self.path, what)


def _channel_id(channel: Channel) -> str:
    return hashlib.sha256(channel.url.encode()).hexdigest()[:16]


def _alert_id(channel: Channel, main: StoredItem) -> str:
    seed = f"{_channel_id(channel)}\n{main.article.url}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _digest(members: list[Alert]) -> Alert:
    seed = "\n".join(sorted(m.id for m in members))
    return Alert(
        id="digest-" + hashlib.sha256(seed.encode()).hexdigest()[:25],
        channel=members[0].channel,
        items=tuple(item for m in members for item in m.items),
        kind="digest",
    )


def _alert(row: tuple[Any, ...]) -> Alert:
    return Alert(id=row[0], channel=Channel(url=row[2], name=row[3]), items=_load(row[4]))


def _period_end(start: datetime, digest: str) -> datetime:
    if digest == "hourly":
        return start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    local = start.astimezone(ROME)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), ROME)
    return midnight.astimezone(UTC)


def _parse(stamp: str) -> datetime:
    """A UTC moment from an ISO timestamp; one without a zone is taken as UTC."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _stamp(moment: str | datetime) -> str:
    """The one form the ledger stores, so that stored times compare as text too."""
    parsed = _parse(moment) if isinstance(moment, str) else moment.astimezone(UTC)
    return parsed.isoformat(timespec="seconds")


_ARTICLE_FIELDS = frozenset(f.name for f in fields(Article))


def _dump(items: Sequence[StoredItem]) -> str:
    return json.dumps(
        [
            {"article": asdict(i.article), "first_seen": i.first_seen, "changed_at": i.changed_at}
            for i in items
        ],
        ensure_ascii=False,
        sort_keys=True,
    )


def _load(text: str) -> tuple[StoredItem, ...]:
    """Items as stored; fields an older or newer ``Article`` lacks are left to their default."""
    items = []
    for data in json.loads(text):
        article = {k: v for k, v in data["article"].items() if k in _ARTICLE_FIELDS}
        article["snippets"] = tuple(article.get("snippets", ()))
        article["tags"] = tuple(article.get("tags", ()))
        items.append(
            StoredItem(
                article=Article(**article),
                first_seen=data["first_seen"],
                changed_at=data["changed_at"],
            )
        )
    return tuple(items)

"""Draft editions on a schedule (``rassegna run``): prepared and announced, never sent.

With ``every: daily`` or ``weekly`` (registry ``editions:``, env ``RASSEGNA_EDITION_EVERY``)
the service prepares a draft each day, covering the day before, or each Monday, covering the
week before; a draft always starts the day after the last edition ends, so no day is left out
after a pause. A period without uscite makes no draft (the next one covers it too). The
editors are told once per draft, on the alert channels, that it waits for their approval.

Approving and sending stay with the office: nothing here approves or sends an edition.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from enrichment.vocabulary import italian_date, italian_number
from search.alerts.channels import Channel, try_send
from search.editions.freeze import new_edition
from search.editions.store import DRAFT, Edition, open_editions, utc_now
from search.errors import EditionError
from search.store import Store

logger = logging.getLogger(__name__)

SCHEDULES = ("daily", "weekly")
SERVICE_ACTOR = "rassegna run"
"""Who creates the scheduled drafts; only theirs are announced (an editor's own draft needs
no notice)."""


def draft_period(every: str, today: date, last_until: str | None) -> tuple[str, str] | None:
    """(since, until) of the next scheduled draft, or None when there is nothing new."""
    until = today - timedelta(days=1)
    if last_until:
        since = date.fromisoformat(last_until) + timedelta(days=1)
    else:
        since = until - timedelta(days=0 if every == "daily" else 6)
    if since > until:
        return None
    return since.isoformat(), until.isoformat()


def prepare_draft(data_dir: Path, store: Store, every: str, *, today: date) -> Edition | None:
    """The draft of the period since the last edition, or None (nothing new, no uscite)."""
    if every not in SCHEDULES:
        raise ValueError(f"unknown schedule {every!r} (use one of {SCHEDULES})")
    with open_editions(data_dir) as book:
        period = draft_period(every, today, book.last_until())
    if period is None:
        return None
    since, until = period
    try:
        return new_edition(data_dir, store, since=since, until=until, actor=SERVICE_ACTOR)
    except EditionError as exc:
        logger.info("No draft edition from %s to %s: %s", since, until, exc)
        return None


def announce_drafts(data_dir: Path, channels: Sequence[Channel], *, topic: str) -> int:
    """Tell the editors about each scheduled draft not announced yet; how many were.

    The notice is recorded before it leaves, so a crash never repeats it; when no channel
    took it, the record is undone and the next run tries again.
    """
    if not channels:
        return 0
    told = 0
    with open_editions(data_dir) as book:
        waiting = [
            e
            for e in book.editions()
            if e.state == DRAFT and e.announced_at is None and e.created_by == SERVICE_ACTOR
        ]
        for edition in reversed(waiting):
            book.set_announced(edition.number, utc_now())
            subject, text = notice(edition, topic)
            key = f"bozza-edizione-{edition.number}"
            results = [try_send(c, subject, text, key=key) for c in channels]
            if all(r is not None for r in results):
                book.set_announced(edition.number, None)
                continue
            told += 1
    return told


def notice(edition: Edition, topic: str) -> tuple[str, str]:
    """Subject and text telling the editors that a draft waits for approval."""
    period = f"dal {italian_date(edition.since)} al {italian_date(edition.until)}"
    subject = f"{topic}: {edition.label} pronta, attende l'approvazione"
    text = (
        f"È pronta la bozza della rassegna {topic}, {edition.label}.\n\n"
        f"Periodo: {period}\n"
        f"Numero uscite: {edition.uscite}\n"
        f"Audience totale: {italian_number(edition.audience) or 'n.d.'}\n\n"
        "Non viene inviata a nessuno finché la redazione non la approva: rivederla sul desk "
        f"(Da rivedere), poi approvarla (rassegna edition approve {edition.number}) e inviarla "
        f"(rassegna edition send {edition.number}).\n"
    )
    return subject, text


def edition_step(
    data_dir: Path,
    store: Store,
    every: str,
    channels: Sequence[Channel],
    *,
    topic: str,
    today: date,
) -> dict[str, Any]:
    """One scheduled run: prepare the draft, announce the drafts waiting; what it did."""
    draft = prepare_draft(data_dir, store, every, today=today)
    return {
        "draft": draft.number if draft else None,
        "announced": announce_drafts(data_dir, channels, topic=topic),
    }

"""Alerts: each item with a topic mention is announced once, the first time it is stored.

The flow, driven by ``rassegna run`` after every crawl:

1. ``channels.parse_channels`` checks the configured Apprise URLs (at start);
2. ``ledger.AlertLedger.recover`` settles alerts a crash left mid-send (at start);
3. ``ledger.AlertLedger.enqueue`` records the mentions never seen before, one alert per
   article (copies on other outlets folded in) per channel;
4. ``deliver`` sends what is due, each message worded by ``compose.compose``;
5. ``feed.write_mentions_feed`` refreshes the Atom feed of the latest mentions.

The press office's decisions (``search.desk``) apply to every step: callers hand over the
items with ``apply_all`` done, and ``deliver`` applies them again to the alerts queued
before the decision, so an item excluded meanwhile is not sent (its alert waits, and goes out
if the item is restored; in a digest it is left out of the message) and a corrected title is
the one the message shows.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from search.alerts.channels import try_send
from search.alerts.compose import compose
from search.alerts.ledger import AlertLedger
from search.desk.decisions import NO_DECISIONS, Decision, apply_all

logger = logging.getLogger(__name__)


def deliver(
    ledger: AlertLedger,
    *,
    now: str,
    topic: str,
    digest: str | None = None,
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> dict[str, int]:
    """Send every alert due now, decisions applied; counts of ``sent`` and ``failed`` messages.

    Each attempt is committed before the message leaves (see ``ledger``). A channel that
    fails is retried later and does not hold back the others. An alert whose items are all
    excluded is held, neither sent nor failed.
    """
    counts = {"sent": 0, "failed": 0}
    for due in ledger.due(now=now, digest=digest):
        shown = apply_all(due.items, decisions)
        if not shown:
            logger.info("Alert %s held: its items are excluded from the rassegna", due.id)
            continue
        # The ledger's rows are those of the alert as queued: a digest member left out of
        # the message because it was excluded is settled with the digest, never sent later.
        subject, text, page = compose(replace(due, items=tuple(shown)), topic)
        ledger.mark_attempting(due)
        error = try_send(due.channel, subject, text, body_html=page, key=due.id)
        if error is None:
            ledger.mark_sent(due, now=now)
            counts["sent"] += 1
        else:
            ledger.mark_failed(due, now=now, error=error)
            counts["failed"] += 1
    if counts["sent"] or counts["failed"]:
        logger.info("Alerts: %(sent)d sent, %(failed)d failed", counts)
    return counts

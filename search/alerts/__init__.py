"""Alerts: each item with a topic mention is announced once, the first time it is stored.

The flow, driven by ``rassegna run`` after every crawl:

1. ``channels.parse_channels`` checks the configured Apprise URLs (at start);
2. ``ledger.AlertLedger.recover`` settles alerts a crash left mid-send (at start);
3. ``ledger.AlertLedger.enqueue`` records the mentions never seen before, one alert per
   article (copies on other outlets folded in) per channel;
4. ``deliver`` sends what is due, each message worded by ``compose.compose``;
5. ``feed.write_mentions_feed`` refreshes the Atom feed of the latest mentions.
"""

from __future__ import annotations

import logging

from search.alerts.channels import try_send
from search.alerts.compose import compose
from search.alerts.ledger import AlertLedger

logger = logging.getLogger(__name__)


def deliver(
    ledger: AlertLedger, *, now: str, topic: str, digest: str | None = None
) -> dict[str, int]:
    """Send every alert due now; counts of ``sent`` and ``failed`` messages.

    Each attempt is committed before the message leaves (see ``ledger``). A channel that
    fails is retried later and does not hold back the others.
    """
    counts = {"sent": 0, "failed": 0}
    for alert in ledger.due(now=now, digest=digest):
        subject, text, page = compose(alert, topic)
        ledger.mark_attempting(alert)
        error = try_send(alert.channel, subject, text, body_html=page, key=alert.id)
        if error is None:
            ledger.mark_sent(alert, now=now)
            counts["sent"] += 1
        else:
            ledger.mark_failed(alert, now=now, error=error)
            counts["failed"] += 1
    if counts["sent"] or counts["failed"]:
        logger.info("Alerts: %(sent)d sent, %(failed)d failed", counts)
    return counts

"""The errors of one crawl: logged with their URL and reason, counted in the summary.

A failed page never stops the crawl; the summary at the end tells the operator what went
wrong where, and the spider records failed article pages in the crawl state so they are
tried again next time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

MAX_KEPT = 200


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str
    outlet: str | None
    counted: bool = True
    """False for a partial problem of a page that still worked (a bad feed entry)."""


@dataclass
class FailureLog:
    clock: Callable[[], str] = utc_now
    failures: list[Failure] = field(default_factory=list)
    count: int = 0
    by_outlet: Counter[str] = field(default_factory=Counter)

    def now(self) -> str:
        return self.clock()

    def add(
        self, url: str, reason: str, *, outlet: str | None = None, counted: bool = True
    ) -> None:
        """Log a failure; ``counted=False`` for a partial problem of a page that still worked."""
        logger.warning("%s: %s", url, reason)
        if counted:
            self.count += 1
            self.by_outlet[outlet or "?"] += 1
        if len(self.failures) < MAX_KEPT:
            self.failures.append(Failure(url, reason, outlet, counted))

"""Every file of the data dir, named once.

The data dir (``--data-dir``, env ``RASSEGNA_DATA_DIR``) holds the embedded store, the crawl
state, the Elasticsearch outbox, the scheduler's jobs, the alert ledger, the WARC archive, the
dated snapshots and the numbered editions. Backups, the Docker volume and ``rassegna status``
all rely on these names, so they are spelled here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FEED_NAME = "mentions.atom"
"""The Atom feed of new mentions; ``rassegna serve`` also serves it under this name."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def items(self) -> Path:
        """The embedded store (SQLite with its full-text index)."""
        return self.root / "rassegna.sqlite"

    @property
    def es_outbox(self) -> Path:
        """Items waiting for an Elasticsearch cluster that could not be reached."""
        return self.root / "es-outbox.sqlite"

    @property
    def crawl_state(self) -> Path:
        """Pages fetched, their validators, pages to retry, and each outlet's last run."""
        return self.root / "crawl-state.sqlite"

    @property
    def jobs(self) -> Path:
        """APScheduler's job store of ``rassegna run``."""
        return self.root / "jobs.sqlite"

    @property
    def alerts(self) -> Path:
        """The ledger of alerts sent, pending and uncertain."""
        return self.root / "alerts.sqlite"

    @property
    def desk(self) -> Path:
        """The press office's decisions (exclusions, corrections, highlights) and their log,
        kept apart from crawled data so no crawl, import or reprocess undoes them."""
        return self.root / "desk.sqlite"

    @property
    def feed(self) -> Path:
        return self.root / FEED_NAME

    @property
    def archive(self) -> Path:
        """The WARC files of every fetched page, for ``rassegna reprocess``."""
        return self.root / "warc"

    @property
    def snapshots(self) -> Path:
        """The dated snapshots of the rassegna and the stable ``latest``."""
        return self.root / "snapshots"

    @property
    def accounts(self) -> Path:
        """The desk's accounts (argon2 hashes), login failures and the session secret; 0600."""
        return self.root / "accounts.sqlite"

    @property
    def editions(self) -> Path:
        """The editions (number, period, state, who approved and sent them) and the ledger of
        their deliveries, one per edition and recipient."""
        return self.root / "editions.sqlite"

    @property
    def edition_files(self) -> Path:
        """The frozen documents of the approved editions: ``<N>/rassegna.<ext>``."""
        return self.root / "editions"

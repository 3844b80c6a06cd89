"""Exceptions of the crawler package (Scrapy project and application); each builds its own
one-line message."""

from __future__ import annotations

from enrichment.errors import RassegnaError


class CrawlerError(RassegnaError):
    """Base of the errors of the crawl and of the command line."""


class ConnectToError(CrawlerError, ValueError):
    """A ``--connect-to`` rule that is not ``HOST1:PORT1:HOST2:PORT2``."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(f"--connect-to {rule!r}: {reason}")


class ArchiveError(CrawlerError, OSError):
    """The WARC archive of fetched pages cannot be written (a full disk, a read-only folder)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


class FetchError(CrawlerError):
    """One page that could not be fetched or read, named by its URL or file."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")


class UsageError(CrawlerError, ValueError):
    """A command line that cannot be run as written."""


class DistributedError(CrawlerError):
    """A distributed crawl that cannot start: no Redis URL, a bad run id, Redis unreachable."""


class ImportFileError(CrawlerError):
    """The file as a whole cannot be imported (unreadable, not UTF-8, wrong header)."""

"""Exceptions of the search package."""

from __future__ import annotations

from crawler.errors import RassegnaError


class StoreError(RassegnaError, OSError):
    """The store cannot be opened or written (disk full, read-only, corrupt file...)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")


class QueryError(RassegnaError, ValueError):
    """A search query that cannot be run (e.g. only excluded terms)."""

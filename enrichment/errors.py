"""Exceptions of the enrichment package, and the root every package's errors share.

``RassegnaError`` lives here, at the bottom of the stack, because every layer raises errors
that the command line turns into one line; each package derives its own base from it.
"""

from __future__ import annotations


class RassegnaError(Exception):
    """Base of every error the command line turns into a one-line message."""


class EnrichmentError(RassegnaError):
    """Base of the errors of the shared vocabulary, extraction and enrichment."""


class RegistryError(EnrichmentError, ValueError):
    """A registry file that cannot be used: names the file, the outlet and the field."""

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        index: int | None = None,
        name: str | None = None,
        field: str | None = None,
    ) -> None:
        where = path
        if index is not None:
            where += f": outlet #{index}"
            if name:
                where += f" ({name!r})"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason}")

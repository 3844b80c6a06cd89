"""Exceptions of the crawler package; each builds its own one-line message."""

from __future__ import annotations


class RassegnaError(Exception):
    """Base of every error the command line turns into a one-line message."""


class RegistryError(RassegnaError, ValueError):
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


class ConnectToError(RassegnaError, ValueError):
    """A ``--connect-to`` rule that is not ``HOST1:PORT1:HOST2:PORT2``."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(f"--connect-to {rule!r}: {reason}")

"""Exceptions of the search package: store, Elasticsearch, document, alerts and web desk.

Each takes the place it concerns (a file, a setting, a URL) and a reason, and builds the
one-line message the command line prints.
"""

from __future__ import annotations

from enrichment.errors import RassegnaError


class SearchError(RassegnaError):
    """Base of the errors of the search package."""


class _Located(SearchError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")


class StoreError(_Located, OSError):
    """The store cannot be opened or written (disk full, read-only, corrupt file...)."""


class QueryError(SearchError, ValueError):
    """A search query that cannot be run (e.g. only excluded terms)."""


class ESConfigError(_Located, ValueError):
    """An Elasticsearch setting that cannot be used (not a URL, half a credential, no CA file)."""


class KibanaError(_Located):
    """Kibana refused or could not take the saved objects."""


class OutputError(_Located, OSError):
    """A document or snapshot file that cannot be written."""


class RenderError(SearchError, RuntimeError):
    """A format that cannot be produced here (a missing tool, a tool that failed or hung).

    The message says what to do next, since the reader is the press office, not a developer.
    """


class ServeError(SearchError, OSError):
    """The web desk cannot listen on the address asked for."""


class ChannelError(SearchError, ValueError):
    """An alert channel URL that cannot be used: names the channel (without secrets)."""

    def __init__(self, name: str, reason: str, *, position: int | None = None) -> None:
        where = f"alert channel #{position} ({name})" if position else f"alert channel {name}"
        super().__init__(f"{where}: {reason}")


class DecisionError(SearchError, ValueError):
    """An editorial decision with a value that cannot be stored: names the field and value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        super().__init__(f"{field} {value!r}: {reason}")


class ConflictError(SearchError):
    """A decision taken on a stale version of an item: someone changed it meanwhile."""

    def __init__(self, url: str, *, actor: str | None, version: int) -> None:
        self.version = version
        super().__init__(
            f"{url}: changed meanwhile by {actor or 'someone else'} (now version {version})"
        )


class EditionError(SearchError, ValueError):
    """An edition command that cannot be carried out as asked: an unknown number, a draft to
    send, an approved edition to approve again, an empty or reversed period. Nothing changed."""


class DeliveryError(SearchError, RuntimeError):
    """An edition that could not reach a recipient, even after the retries: names it (without
    secrets) and the reason; the recipients not reached wait for the next send."""

"""Elasticsearch's error shape, so the official client raises the same exception classes.

The client maps the HTTP status to an exception class and reads ``error.type`` and
``error.reason`` from the body; tests assert on both, so every failure the stub reports
goes through this one shape.
"""

from __future__ import annotations

from typing import Any


class ESError(Exception):
    """A failure Elasticsearch would report: HTTP status, error type and reason."""

    def __init__(
        self,
        status: int,
        error_type: str,
        reason: str,
        *,
        root_cause: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {error_type}: {reason}")
        self.status = status
        self.error_type = error_type
        self.reason = reason
        self.root_cause = root_cause
        self.extra = extra
        self.index: str | None = None
        """The concrete index a failed document write was going to (a bulk item's _index)."""

    def cause(self) -> dict[str, Any]:
        """The inner ``error`` object, also used as a bulk item's ``error``."""
        return {"type": self.error_type, "reason": self.reason, **self.extra}

    def body(self) -> dict[str, Any]:
        cause = self.cause()
        root = self.root_cause or cause
        return {"error": {"root_cause": [root], **cause}, "status": self.status}


def index_not_found(name: str) -> ESError:
    resource: dict[str, Any] = {"resource.type": "index_or_alias", "resource.id": name}
    return ESError(
        404,
        "index_not_found_exception",
        f"no such index [{name}]",
        **resource,
        index_uuid="_na_",
        index=name,
    )


def bad_request(reason: str, error_type: str = "illegal_argument_exception") -> ESError:
    return ESError(400, error_type, reason)


def unsupported(what: str) -> ESError:
    """Something Elasticsearch has and the stub leaves out: a loud 400, never a silent pass."""
    return bad_request(f"{what} (not implemented by the ES stub)")


def parsing(reason: str) -> ESError:
    return ESError(400, "parsing_exception", reason)


def search_failure(reason: str, error_type: str = "query_shard_exception") -> ESError:
    """A query that fails on every shard: ES wraps the shard error in a phase failure."""
    return ESError(
        400,
        "search_phase_execution_exception",
        "all shards failed",
        root_cause={"type": error_type, "reason": reason},
        phase="query",
        grouped=True,
        caused_by={"type": error_type, "reason": reason},
    )


def only(options: dict[str, Any], allowed: set[str], where: str) -> None:
    """Refuse the options of ``where`` (a query, a body, a request) the stub does not read."""
    for name in options:
        if name not in allowed:
            raise unsupported(f"[{name}] of {where}")

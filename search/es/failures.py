"""Elasticsearch failures as the one-line errors the command line prints.

Credentials, a server that is not Elasticsearch, an HTTP error and an unreachable cluster each
get a message that says what happened; the URL shown never includes user information.
"""

from __future__ import annotations

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    UnsupportedProductError,
)

from search.errors import StoreError


def store_error(where: str, exc: Exception) -> StoreError:
    if isinstance(exc, AuthenticationException | AuthorizationException):
        return StoreError(
            where,
            f"credentials refused (HTTP {exc.meta.status}); check "
            "ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD",
        )
    if isinstance(exc, UnsupportedProductError):
        return StoreError(where, "the server is not Elasticsearch")
    if isinstance(exc, ApiError):
        return StoreError(where, f"HTTP {exc.meta.status} {exc.error}: {reason_of(exc)}")
    message = getattr(exc, "message", None) or str(exc)
    return StoreError(where, f"unreachable: {message}")


def reason_of(exc: ApiError) -> str:
    """The ``reason`` Elasticsearch gave in its error body."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("reason", ""))
    return str(error or exc.message)

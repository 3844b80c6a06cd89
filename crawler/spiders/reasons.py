"""Why a request failed, in one readable line for the crawl summary and the crawl state.

Scrapy's download errors carry Twisted reprs with raw bytes, or no message at all (a page cut
at the size limit); an operator needs "larger than the maximum page size", not that.
"""

from __future__ import annotations

import re

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)

MAX_CHARS = 200
_UNPRINTABLE = re.compile(r"(\\x[0-9a-f]{2}|[^\x20-\x7e\u00a0-\uffff])+", re.IGNORECASE)


def _clean(text: str) -> str:
    text = " ".join(_UNPRINTABLE.sub("…", text).split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def describe(error: BaseException, *, max_size: int) -> str:
    if isinstance(error, DownloadCancelledError) and not str(error):
        return f"larger than the download max size ({max_size} bytes)"
    if isinstance(error, ResponseDataLossError):
        return "connection closed before the whole response arrived"
    if isinstance(error, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(error, CannotResolveHostError):
        return _clean(f"host not found: {error}")
    if isinstance(error, DownloadTimeoutError):
        return _clean(f"timeout: {error}")
    if isinstance(error, DownloadFailedError):
        causes = getattr(error.__cause__, "reasons", None) or []
        first = getattr(causes[0], "value", None) if causes else None
        detail = f" ({type(first).__name__}: {first})" if first is not None else ""
        return _clean(f"not a valid HTTP response{detail}")
    return _clean(f"{type(error).__name__}: {error}".strip(" :"))

"""Retries with exponential backoff that honour ``Retry-After``.

Scrapy's own retry middleware re-queues a failed request at once; a site that answers 503 or
429 is asking us to slow down. This one sets a deadline before the retry is sent (enforced by
``PolitenessMiddleware``): the server's ``Retry-After`` (seconds or HTTP date) when given,
else ``RETRY_BACKOFF_BASE * 2**attempt`` seconds, never more than ``RETRY_BACKOFF_MAX``.
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.settings import BaseSettings


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._set_deadline(result, retry_after(response))
        return result

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._set_deadline(result, None)
        return result

    def _set_deadline(self, retry: Request, server_delay: float | None) -> None:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = server_delay if server_delay is not None else self.backoff_base * 2 ** (attempt - 1)
        retry.meta["not_before"] = time.monotonic() + min(delay, self.backoff_max)


def retry_after(response: Response) -> float | None:
    """Seconds the server asked us to wait, from ``Retry-After`` (delta or HTTP date)."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())

"""Redirects that come back to an address already visited are reported as loops.

Scrapy drops the repeated request in its duplicate filter without a word, so a page caught in
``/a -> /b -> /a`` would vanish from the crawl summary. Here the loop fails the request with a
reason the summary and the crawl state keep.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        visited = {*request.meta.get("redirect_urls", []), request.url}
        if redirected.url in visited:
            raise IgnoreRequest(f"redirect loop: {redirected.url} already visited")
        return super()._redirect(redirected, request, reason)

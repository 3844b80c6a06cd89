from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.redirect import LoopAwareRedirectMiddleware


def test_a_redirect_back_to_a_visited_address_is_a_loop_with_a_reason() -> None:
    middleware = LoopAwareRedirectMiddleware.from_crawler(get_crawler())
    first = Request("https://x.test/a")
    to_b = middleware.process_response(
        first, Response(first.url, status=301, headers={"Location": "/b"}, request=first)
    )
    assert isinstance(to_b, Request)
    assert to_b.url == "https://x.test/b"
    with pytest.raises(IgnoreRequest, match=r"redirect loop: https://x\.test/a already visited"):
        middleware.process_response(
            to_b, Response(to_b.url, status=301, headers={"Location": "/a"}, request=to_b)
        )

"""Article links from site search: HTML result pages and WordPress REST JSON.

``/wp-json/wp/v2/posts?search=...`` answers a JSON list of posts, each with its ``link``,
``title.rendered`` and ``date``; any other answer is treated as an HTML result page.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.http import HtmlResponse, Response, TextResponse
from w3lib.html import remove_tags, replace_entities

from crawler.spiders.links import Link
from crawler.spiders.listings import links_from_listing


class NotSearchResults(ValueError):
    """The answer is neither JSON posts nor an HTML page."""


def links_from_search(response: Response) -> list[Link]:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    head = response.body.lstrip()[:1]
    if "json" in content_type or head in (b"[", b"{"):
        return links_from_wp_json(response.body)
    if isinstance(response, HtmlResponse):
        return links_from_listing(response)
    if isinstance(response, TextResponse) and b"<html" in response.body[:2048].lower():
        return links_from_listing(
            HtmlResponse(response.url, body=response.body, encoding=response.encoding)
        )
    raise NotSearchResults(f"{response.url}: not a search result page ({content_type or '?'})")


def links_from_wp_json(body: bytes) -> list[Link]:
    try:
        posts: Any = json.loads(body)
    except ValueError as exc:
        raise NotSearchResults(f"invalid JSON: {exc}") from exc
    if isinstance(posts, dict):
        posts = posts.get("posts") or posts.get("results") or []
    if not isinstance(posts, list):
        raise NotSearchResults("JSON is not a list of posts")
    links = []
    for post in posts:
        if not isinstance(post, dict) or not isinstance(post.get("link"), str):
            continue
        title = post.get("title")
        if isinstance(title, dict):
            title = title.get("rendered")
        date = post.get("date")
        links.append(
            Link(
                url=post["link"],
                title=replace_entities(remove_tags(title)).strip()
                if isinstance(title, str)
                else None,
                date=date[:10] if isinstance(date, str) else None,
            )
        )
    return links

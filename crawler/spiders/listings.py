"""Article links from HTML pages: section listings and site-search result pages.

A listing page's links are followed only when they look like single articles of a watched
outlet; the page's navigation, tags and pagination are left alone.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse
from w3lib.html import strip_html5_whitespace

from crawler.spiders.links import Link, looks_like_article


def links_from_listing(response: HtmlResponse) -> list[Link]:
    found: dict[str, Link] = {}
    own = response.url.split("#")[0]
    for anchor in response.css("a[href]"):
        href = strip_html5_whitespace(anchor.attrib.get("href", ""))
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = response.urljoin(href).split("#")[0]
        if url == own or url in found or not looks_like_article(url):
            continue
        text = " ".join(anchor.css("::text").getall()).strip()
        found[url] = Link(url=url, title=" ".join(text.split()) or None)
    return list(found.values())

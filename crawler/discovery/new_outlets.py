"""Pages discovery found on sites the registry does not list: how they are named and filed.

Such a page is fetched and extracted like any other, under a stand-in outlet named by its
host in the registry's ``discovery.default_category``, so the same extraction and mention
rules apply. Once read, the item takes the site's own name (``og:site_name``, else the host),
no audience and ``new_outlet: true``, and waits in the desk until the office classifies the
outlet (contract 7). An item that does not name the topic is not kept at all: an unknown
site's other articles have no place in the store.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from crawler.discovery.results import is_aggregator
from enrichment.records import Article
from enrichment.registry import Outlet, Registry


def new_outlet_for(registry: Registry, url: str) -> Outlet | None:
    """The stand-in outlet of a discovered page off the registry; None when discovery is off
    or the page is an aggregator's own (an interstitial, a consent page)."""
    host = (urlsplit(url).hostname or "").lower()
    if registry.discovery is None or not host or is_aggregator(host):
        return None
    return Outlet(name=host, category=registry.discovery.default_category)


def as_new_outlet(article: Article, outlet: Outlet) -> Article | None:
    """The item as the store keeps it, or None when the page does not name the topic."""
    if not article.mentions:
        return None
    name = " ".join((article.site_name or "").split()) or outlet.name
    return replace(article, outlet=name, category=outlet.category, audience=None, new_outlet=True)

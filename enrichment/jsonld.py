"""The article as the publisher describes it in JSON-LD (schema.org).

Yoast and most news CMSs put a ``@graph`` of nodes in the page, with the author and the
publisher as references (``{"@id": ...}``) to other nodes; a few write a list of separate
objects or one bare object. JSON-LD is the publisher's explicit statement of headline, date
and author, so it outranks anything guessed from the visible page.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = (
    frozenset(
        {
            "NewsArticle",
            "Article",
            "BlogPosting",
            "ReportageNewsArticle",
            "AnalysisNewsArticle",
            "OpinionNewsArticle",
            "BackgroundNewsArticle",
            "LiveBlogPosting",
            "TechArticle",
            "Report",
        }
    ),
    frozenset({"VideoObject", "Clip", "AudioObject"}),
    frozenset({"WebPage", "ItemPage"}),
)
"""Node types that describe the page's item, best first: a video page has no Article node,
and a WebPage node is the last resort for a date."""
_COLLECTION_TYPES = frozenset({"CollectionPage", "SearchResultsPage", "ProfilePage"})
"""Node types of pages that list items rather than hold one."""


@dataclass(frozen=True)
class JsonLdArticle:
    """What the JSON-LD says about the article, values as written."""

    headline: str | None = None
    date_published: str | None = None
    author: str | None = None
    publisher: str | None = None
    description: str | None = None
    body: str | None = None
    collection: bool = False
    """The page calls itself a listing (section, tag, search, author page), not an item."""


def read_jsonld(root: HtmlElement) -> JsonLdArticle:
    """Return the article facts from every JSON-LD block on the page."""
    nodes = [node for block in _blocks(root) for node in _nodes(block)]
    if not nodes:
        return JsonLdArticle()
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    ranked = [[node for node in nodes if _types(node) & types] for types in _ARTICLE_TYPES]
    collection = not (ranked[0] or ranked[1]) and any(
        _types(node) & _COLLECTION_TYPES for node in nodes
    )
    items = [node for group in ranked for node in group]
    if not items:
        return JsonLdArticle(collection=collection)

    def first(*keys: str) -> Any:
        for node in items:
            for key in keys:
                value = node.get(key)
                if value:
                    return value
        return None

    main = ranked[0] or ranked[1]
    main_node = main[0] if main else {}
    return JsonLdArticle(
        headline=_text(main_node.get("headline") or main_node.get("name")),
        date_published=_text(first("datePublished", "uploadDate", "dateCreated")),
        author=_names(first("author", "creator"), by_id),
        publisher=_names(first("publisher"), by_id),
        description=_text(main_node.get("description")),
        body=_text(main_node.get("articleBody")),
        collection=collection,
    )


def _blocks(root: HtmlElement) -> Iterator[Any]:
    """Yield the parsed content of each ``ld+json`` script, skipping broken ones."""
    for script in root.xpath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"):
        source = (script.text or "").strip()
        if not source:
            continue
        try:
            yield json.loads(source, strict=False)
        except ValueError:
            logger.debug("unreadable JSON-LD block skipped")


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Yield the top-level nodes of a block: the object, list members, ``@graph`` members."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _nodes(graph)


def _types(node: dict[str, Any]) -> frozenset[str]:
    """Return a node's ``@type`` values without a schema.org prefix."""
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return frozenset(item.rsplit("/", 1)[-1] for item in values if isinstance(item, str))


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    """Return the name(s) of a person or organisation value, following ``@id`` references."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, dict):
            resolved = item if item.get("name") else by_id.get(str(item.get("@id")), item)
            name = _text(resolved.get("name"))
        else:
            name = _text(item)
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _text(value: Any) -> str | None:
    """Return a trimmed string for a scalar value, ``None`` for anything else or empty."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(html.unescape(str(value)).split())
        return text or None
    return None

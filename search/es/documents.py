"""An item as an Elasticsearch document, and back.

The document holds what Kibana needs beside the item's fields: the category's label, the
city's coordinates for the map, German text in its own fields for the German analyzer, the
content hash that tells a changed page from an unchanged one, and the office's decisions
(``search.es.decisions``). Reading a document back gives the item as crawled, as the embedded
store gives it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from typing import Any

from enrichment.cities import CITY_COORDINATES
from enrichment.records import Article
from enrichment.vocabulary import CATEGORIES
from search.es.decisions import crawled_source, shown
from search.store import StoredItem

_ARTICLE_FIELDS = [f.name for f in fields(Article)]
_FLAGS = ("walled", "new_outlet")
"""Booleans added after schema 1 went out: absent from older documents, false by default."""


def document_id(url: str) -> str:
    """The document id: the canonical URL's SHA-256, so any URL length fits and ids are stable."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def content_hash(article: Article) -> str:
    """What makes two versions of an item different (the fetched address does not)."""
    data = asdict(article)
    data.pop("fetched_url")
    for flag in _FLAGS:  # unset, they leave the hash of an item stored before they existed
        if not data[flag]:
            data.pop(flag)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def to_document(
    article: Article, *, first_seen: str, changed_at: str, desk: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The document of a crawled item, with the decision ``desk`` (a document's ``desk``
    object) applied when there is one."""
    document = asdict(article)
    document["snippets"] = list(article.snippets)
    document["tags"] = list(article.tags)
    document["category_label"] = CATEGORIES.get(article.category, article.category)
    if article.city in CITY_COORDINATES:
        lat, lon = CITY_COORDINATES[article.city]
        document["city_location"] = {"lat": lat, "lon": lon}
    if article.language == "de":
        document["title_de"] = article.title
        document["text_de"] = article.text
    document["content_hash"] = content_hash(article)
    document["first_seen"] = first_seen
    document["changed_at"] = changed_at
    return shown(document, desk)


def from_document(document: dict[str, Any]) -> StoredItem:
    source = crawled_source(document)
    values: dict[str, Any] = {name: source.get(name) for name in _ARTICLE_FIELDS}
    values["snippets"] = tuple(values["snippets"] or ())
    values["tags"] = tuple(values["tags"] or ())
    values["extra"] = values["extra"] or {}
    for flag in _FLAGS:
        values[flag] = bool(values[flag])
    return StoredItem(
        article=Article(**values), first_seen=source["first_seen"], changed_at=source["changed_at"]
    )

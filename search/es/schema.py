"""The Elasticsearch index, declared in code: template, versioned indices, aliases.

Items live in concrete indices ``rassegna-items-v<N>`` created from the index template
``rassegna-items``; readers use the alias ``rassegna-items`` and writers the alias
``rassegna-items-write``. A mapping change is a new version: create ``v<N+1>``, reindex, swap
both aliases in one atomic ``_aliases`` call, with no moment when searches find nothing.

Text fields use the built-in ``italian`` analyzer; German items (Bolzano/Bozen) are also
indexed in ``title_de``/``text_de`` with the ``german`` one. The raw HTML is never indexed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.es import decisions

SCHEMA_VERSION = 2
"""2: the ``desk`` object (the office's decisions, ``search.es.decisions``)."""
DEFAULT_PREFIX = "rassegna-items"


@dataclass(frozen=True)
class IndexNames:
    """Names derived from one prefix (env ``RASSEGNA_ES_PREFIX``), so several installations or
    a live test suite can share a cluster without touching each other's data."""

    prefix: str = DEFAULT_PREFIX

    @property
    def read_alias(self) -> str:
        return self.prefix

    @property
    def write_alias(self) -> str:
        return f"{self.prefix}-write"

    @property
    def template(self) -> str:
        return self.prefix

    def index(self, version: int = SCHEMA_VERSION) -> str:
        return f"{self.prefix}-v{version}"

    def version_of(self, index: str) -> int | None:
        head, _, number = index.rpartition("-v")
        return int(number) if head == self.prefix and number.isdigit() else None


def _text(analyzer: str, *, keyword: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": analyzer}
    if keyword:
        field["fields"] = {"keyword": {"type": "keyword", "ignore_above": 512}}
    return field


MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "url": {"type": "keyword"},
        "outlet": _text("standard", keyword=True),
        "category": {"type": "keyword"},
        "category_label": {"type": "keyword"},
        "audience": {"type": "long"},
        "title": _text("italian", keyword=True),
        "title_de": _text("german"),
        "text": _text("italian"),
        "text_de": _text("german"),
        "date": {"type": "date", "format": "strict_date"},
        "date_raw": {"type": "keyword", "index": False},
        "journalist": _text("standard", keyword=True),
        "author_raw": {"type": "keyword", "index": False},
        "language": {"type": "keyword"},
        "mentions": {"type": "integer"},
        "snippets": {"type": "keyword", "index": False},
        "city": {"type": "keyword"},
        "city_location": {"type": "geo_point"},
        "tags": {"type": "keyword"},
        "source": {"type": "keyword"},
        "site_name": {"type": "keyword"},
        "fetched_url": {"type": "keyword", "index": False},
        "extra": {"type": "object", "enabled": False},
        "walled": {"type": "boolean"},
        "new_outlet": {"type": "boolean"},
        "first_seen": {"type": "date"},
        "changed_at": {"type": "date"},
        "content_hash": {"type": "keyword"},
        "desk": decisions.MAPPING,
    },
}

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "refresh_interval": "5s",
}


def index_template(names: IndexNames) -> dict[str, Any]:
    """Body of ``PUT _index_template/<prefix>``."""
    return {
        "index_patterns": [f"{names.prefix}-v*"],
        "priority": 200,
        "template": {"settings": SETTINGS, "mappings": MAPPINGS},
        "_meta": {"description": "rassegna stampa items", "schema_version": SCHEMA_VERSION},
    }

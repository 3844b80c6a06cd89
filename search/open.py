"""Choosing the store: the embedded SQLite file unless an Elasticsearch URL is configured."""

from __future__ import annotations

from pathlib import Path

from search.backends.sqlite import SQLiteStore
from search.errors import StoreError
from search.store import Store


def store_path(data_dir: Path) -> Path:
    return data_dir / "rassegna.sqlite"


def open_store(data_dir: Path, es_url: str | None = None) -> Store:
    if es_url:
        raise StoreError(
            "ELASTICSEARCH_URL",
            "the Elasticsearch backend is not part of this version yet; unset ELASTICSEARCH_URL "
            "(and --es-url) to use the embedded store",
        )
    return SQLiteStore(store_path(data_dir))

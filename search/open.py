"""Choosing the store: the embedded SQLite file unless Elasticsearch is configured."""

from __future__ import annotations

from pathlib import Path

from search.backends.sqlite import SQLiteStore
from search.es_config import ESConfig
from search.store import Store


def store_path(data_dir: Path) -> Path:
    return data_dir / "rassegna.sqlite"


def outbox_path(data_dir: Path) -> Path:
    return data_dir / "es-outbox.sqlite"


def open_store(data_dir: Path, es: ESConfig | None = None, *, writing: bool = False) -> Store:
    """The configured store, checked: a reader needs a reachable cluster, a writer does not
    (its items wait in the outbox)."""
    if es is None:
        return SQLiteStore(store_path(data_dir))
    from search.backends.elasticsearch import ElasticsearchStore
    from search.outbox import Outbox

    store = ElasticsearchStore(es.client(), es.names, Outbox(outbox_path(data_dir)), es.where)
    try:
        store.check(writing=writing)
    except BaseException:
        store.close()
        raise
    return store

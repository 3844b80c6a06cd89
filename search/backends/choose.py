"""Choosing the store: the embedded SQLite file unless Elasticsearch is configured."""

from __future__ import annotations

from pathlib import Path

from search.backends.sqlite import SQLiteStore
from search.es.config import ESConfig
from search.files.data_dir import DataDir
from search.store import Store


def open_store(data_dir: Path, es: ESConfig | None = None, *, writing: bool = False) -> Store:
    """The configured store, checked: a reader needs a reachable cluster, a writer does not
    (its items wait in the outbox)."""
    if es is None:
        return SQLiteStore(DataDir(data_dir).items)
    from search.backends.elasticsearch import ElasticsearchStore
    from search.desk.decisions import Desk
    from search.es.outbox import Outbox

    files = DataDir(data_dir)
    store = ElasticsearchStore(
        es.client(), es.names, Outbox(files.es_outbox), es.where, Desk(files.desk)
    )
    try:
        store.check(writing=writing)
    except BaseException:
        store.close()
        raise
    return store

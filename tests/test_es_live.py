"""Live suite: the Elasticsearch store against a real cluster.

Runs only when ``ELASTICSEARCH_URL`` is set (see deploy/README.md to start the compose stack);
skipped otherwise, and the test summary says so. Uses its own index prefix and removes it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from enrichment.records import Article
from search.backends.elasticsearch import ElasticsearchStore
from search.backends.sqlite import SQLiteStore
from search.es_config import ESConfig
from search.es_setup import setup_indices
from search.open import outbox_path
from search.outbox import Outbox
from search.snapshot import build_snapshot, to_json
from search.store import SearchQuery

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="no live cluster: set ELASTICSEARCH_URL to run the live suite",
    ),
]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ElasticsearchStore]:
    config = ESConfig.from_env(prefix=f"rassegna-test-{uuid.uuid4().hex[:8]}")
    assert config is not None
    client = config.client()
    setup_indices(client, config.names)
    store = ElasticsearchStore(
        config.client(), config.names, Outbox(outbox_path(tmp_path)), config.where
    )
    yield store
    store.close()
    client.indices.delete(index=f"{config.prefix}-v*")
    client.indices.delete_index_template(name=config.names.template)
    client.close()


def test_live_italian_search_and_snapshot_parity(live: ElasticsearchStore, tmp_path: Path) -> None:
    base = Article(
        url="https://live.test/migranti-sassari-rete",
        outlet="Prova",
        category="quotidiani",
        title="I migranti di Sassari nella rete",
        date="2023-11-22",
        text="Le unità di strada accolgono il migrante.",
        language="it",
        mentions=1,
        city="Sassari",
    )
    german = replace(
        base,
        url="https://live.test/bozen-netzwerk",
        title="Bozen im Netzwerk",
        text="Die Stadt Bozen nimmt am Netzwerk teil.",
        language="de",
        city="Bolzano",
    )
    sqlite = SQLiteStore(tmp_path / "s.sqlite")
    for store in (live, sqlite):
        store.upsert_many([base, german], now="2023-11-22T10:00:00+00:00")
    live.refresh()
    assert [s.article.url for s in live.search(SearchQuery(text="migrante"))] == [base.url]
    assert [s.article.url for s in live.search(SearchQuery(text="Netzwerke"))] == [german.url]
    assert to_json(build_snapshot(live, "LgNet2")) == to_json(build_snapshot(sqlite, "LgNet2"))
    sqlite.close()

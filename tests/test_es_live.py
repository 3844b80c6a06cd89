"""Live suite: what only a real Elasticsearch cluster can tell, i.e. that it takes our schema.

Runs only when ``ELASTICSEARCH_URL`` is set (see deploy/README.md to start the compose stack);
skipped otherwise, and the test summary says so. The store's behaviour on the live cluster is
checked by ``test_store_contract.py`` (its ``elasticsearch-live`` runs). Uses its own index
prefix and removes it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from search.es.config import ESConfig
from search.es.schema import MAPPINGS, IndexNames
from search.es.setup import setup_indices

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="no live cluster: set ELASTICSEARCH_URL to run the live suite",
    ),
]


@pytest.fixture
def live() -> Iterator[tuple[Elasticsearch, IndexNames]]:
    config = ESConfig.from_env(prefix=f"rassegna-test-{uuid.uuid4().hex[:8]}")
    assert config is not None
    client = config.client()
    yield client, config.names
    cleanup = client.options(ignore_status=404)
    cleanup.indices.delete(index=config.names.index())  # by name: ES 8 refuses wildcards here
    cleanup.indices.delete_index_template(name=config.names.template)
    client.close()


def test_the_live_cluster_takes_the_schema_as_declared(
    live: tuple[Elasticsearch, IndexNames],
) -> None:
    client, names = live
    assert any("created" in line for line in setup_indices(client, names))
    assert any("already on" in line for line in setup_indices(client, names))
    index = names.index()
    mappings = client.indices.get_mapping(index=index)[index]["mappings"]
    assert mappings["dynamic"] == "strict"

    def types(properties: dict[str, dict[str, str]]) -> dict[str, str]:
        return {name: field.get("type", "object") for name, field in properties.items()}

    assert types(mappings["properties"]) == types(MAPPINGS["properties"])
    assert set(client.indices.get_alias(name=names.read_alias)) == {index}
    writers = client.indices.get_alias(name=names.write_alias)
    assert writers[index]["aliases"][names.write_alias]["is_write_index"] is True

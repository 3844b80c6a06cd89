"""The Elasticsearch store against a local stub that speaks Elasticsearch's wire format.

The official client talks to ``tests.esstub``; the tests assert the exact requests it sends
(template, index, aliases, bulk NDJSON, search bodies) and that what comes back equals what the
embedded store gives for the same data.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.imports import COLUMNS, import_csv
from crawler.registry import load_registry
from enrichment.records import Article
from search.backends.elasticsearch import (
    ElasticsearchStore,
    document_id,
    rassegna_query,
    search_body,
)
from search.backends.sqlite import SQLiteStore
from search.errors import StoreError
from search.es_config import ESConfig
from search.es_schema import IndexNames, index_template
from search.es_setup import setup_indices
from search.open import open_store, outbox_path
from search.outbox import Outbox
from search.snapshot import build_snapshot, to_json
from search.store import SearchQuery
from tests.esstub import ESStub

NAMES = IndexNames()
NOW = "2023-11-23T10:00:00+00:00"
LATER = "2023-11-25T08:00:00+00:00"


@pytest.fixture
def stub() -> Iterator[ESStub]:
    with ESStub() as server:
        yield server


@pytest.fixture
def config(stub: ESStub) -> ESConfig:
    return ESConfig(url=stub.url)


@pytest.fixture
def es_store(stub: ESStub, config: ESConfig, tmp_path: Path) -> Iterator[ElasticsearchStore]:
    client = config.client()
    setup_indices(client, NAMES)
    store = ElasticsearchStore(client, NAMES, Outbox(outbox_path(tmp_path)), config.where)
    yield store
    store.close()


def article(**changes: object) -> Article:
    base = Article(
        url="https://www.esempio.test/2023/11/23/sassari-unita-di-strada/",
        outlet="Esempio",
        category="quotidiani",
        audience=1200,
        title="Sassari, unità di strada per i migranti",
        date="2023-11-23",
        text="Il Comune di Sassari aderisce alla rete LgNet2 con le unità di strada.",
        language="it",
        mentions=1,
        city="Sassari",
        snippets=("rete LgNet2 con",),
        tags=("presa in carico",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_setup_writes_the_template_the_index_and_both_aliases(
    stub: ESStub, config: ESConfig
) -> None:
    done = setup_indices(config.client(), NAMES)
    template = stub.requests_to("PUT", "/_index_template/rassegna-items")
    assert len(template) == 1
    assert template[0].json == index_template(NAMES)
    assert [r.path for r in stub.requests_to("PUT", "/rassegna-items-v1")] == ["/rassegna-items-v1"]
    aliases = stub.requests_to("POST", "/_aliases")
    assert aliases[0].json == {
        "actions": [
            {"add": {"index": "rassegna-items-v1", "alias": "rassegna-items"}},
            {
                "add": {
                    "index": "rassegna-items-v1",
                    "alias": "rassegna-items-write",
                    "is_write_index": True,
                }
            },
        ]
    }
    assert any("created" in line for line in done)


def test_setup_twice_changes_nothing_the_second_time(stub: ESStub, config: ESConfig) -> None:
    client = config.client()
    setup_indices(client, NAMES)
    before = len(stub.requests)
    again = setup_indices(client, NAMES)
    later = stub.requests[before:]
    assert not [r for r in later if r.method == "PUT" and r.path == "/rassegna-items-v1"]
    assert not [r for r in later if r.path == "/_aliases"]
    assert any("already on" in line for line in again)


def test_setup_migrates_an_older_index_by_reindex_and_atomic_alias_swap(
    stub: ESStub, config: ESConfig
) -> None:
    client = config.client()
    client.indices.create(
        index="rassegna-items-v0",
        aliases={"rassegna-items": {}, "rassegna-items-write": {"is_write_index": True}},
    )
    client.index(index="rassegna-items-v0", id="a", document={"url": "https://x.test/a"})
    setup_indices(client, NAMES)
    assert stub.requests_to("POST", "/_reindex")[0].json == {
        "source": {"index": "rassegna-items-v0"},
        "dest": {"index": "rassegna-items-v1"},
        "conflicts": "proceed",
    }
    swap = stub.requests_to("POST", "/_aliases")[-1].json["actions"]
    assert {"remove": {"index": "rassegna-items-v0", "alias": "rassegna-items"}} in swap
    assert {"remove": {"index": "rassegna-items-v0", "alias": "rassegna-items-write"}} in swap
    assert client.get(index="rassegna-items", id="a")["_source"]["url"] == "https://x.test/a"


def test_new_items_are_bulk_created_with_their_first_seen(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    results = es_store.upsert_many(
        [article(), article(url="https://x.test/altro-pezzo-qui", city="Genova", language="de")],
        now=NOW,
    )
    assert [(r.created, r.changed) for r in results] == [(True, True), (True, True)]
    bulk = stub.requests_to("PUT", "/_bulk") + stub.requests_to("POST", "/_bulk")
    lines = bulk[-1].ndjson
    assert lines[0] == {
        "create": {"_index": "rassegna-items-write", "_id": document_id(article().url)}
    }
    document = lines[1]
    assert document["first_seen"] == document["changed_at"] == NOW
    assert document["category_label"] == "Quotidiani e quotidiani online"
    assert document["city_location"] == {
        "lat": pytest.approx(40.7, abs=0.1),
        "lon": pytest.approx(8.56, abs=0.1),
    }
    assert "title_de" not in document
    assert lines[3]["title_de"] == lines[3]["title"]


def test_a_changed_item_keeps_first_seen_and_uses_concurrency_control(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    same = es_store.upsert(article(), now=LATER)
    assert (same.created, same.changed) == (False, False)
    changed = es_store.upsert(article(title="Sassari, nuove unità di strada"), now=LATER)
    assert (changed.created, changed.changed) == (False, True)
    action = stub.requests_to("PUT", "/_bulk")[-1].ndjson[0]["index"]
    assert {"if_seq_no", "if_primary_term"} <= set(action)
    stored = es_store.get(article().url)
    assert stored is not None
    assert (stored.first_seen, stored.changed_at) == (NOW, LATER)
    assert stored.article.title == "Sassari, nuove unità di strada"


def test_a_crawl_never_overwrites_an_imported_item(es_store: ElasticsearchStore) -> None:
    es_store.upsert(article(source="import", title="Titolo dell'ufficio stampa"), now=NOW)
    assert not es_store.upsert(article(title="Titolo del sito"), now=LATER).changed
    stored = es_store.get(article().url)
    assert stored is not None
    assert stored.article.title == "Titolo dell'ufficio stampa"


def test_search_sends_simple_query_string_and_filters(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    query = SearchQuery(
        text='"unità di strada" -Genova',
        city="sassari",
        since="2023-11-01",
        mentions_only=True,
        limit=5,
    )
    found = es_store.search(query)
    assert [s.article.url for s in found] == [article().url]
    body = stub.requests_to("POST", "/rassegna-items/_search")[-1].json
    assert body == search_body(query)
    assert body["query"]["bool"]["must"] == [
        {
            "simple_query_string": {
                "query": '"unità di strada" -Genova',
                "fields": ["title^3", "text", "title_de^3", "text_de", "outlet"],
                "default_operator": "and",
            }
        }
    ]
    assert {"term": {"city": {"value": "sassari", "case_insensitive": True}}} in (
        body["query"]["bool"]["filter"]
    )


def test_rassegna_reads_page_through_search_after(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    items = [
        article(url=f"https://x.test/pezzo-numero-{i:04d}", mentions=i % 2) for i in range(1100)
    ]
    es_store.upsert_many(items[:200], now=NOW)
    for start in range(200, 1100, 200):
        es_store.upsert_many(items[start : start + 200], now=NOW)
    urls = [s.article.url for s in es_store.rassegna_items()]
    assert len(urls) == 550 == len(set(urls))
    searches = [r.json for r in stub.requests_to("POST", "/rassegna-items/_search")]
    assert len(searches) == 2
    assert searches[0]["query"] == rassegna_query(None, None)
    assert "search_after" not in searches[0]
    assert searches[1]["search_after"] == [max(urls[:500])]


def reference_csv(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    "url": row["url"] or f"https://rassegna.test/voce/{row['n']}",
                    "outlet": row["outlet"],
                    "category": row["category"],
                    "audience": row["audience"],
                    "date": row["date"],
                    "title": row["title"],
                    "journalist": row["journalist"],
                    "text": f"Tappa di {row['city']} della rete LgNet2 per l'inclusione.",
                }
            )
    return path


def test_snapshot_from_elasticsearch_equals_the_embedded_one_byte_for_byte(
    tmp_path: Path, es_store: ElasticsearchStore, reference_rows: list[dict[str, str]]
) -> None:
    registry = load_registry()
    path = reference_csv(reference_rows, tmp_path / "reference.csv")
    sqlite = SQLiteStore(tmp_path / "embedded.sqlite")
    crawled = [
        article(url=f"https://x.test/articolo-senza-menzione-{i}", mentions=0) for i in range(5)
    ] + [article()]
    for store in (sqlite, es_store):
        import_csv(path, store, registry, now=NOW)
        store.upsert_many(crawled, now=LATER)
    assert es_store.count() == sqlite.count() == 66
    embedded = to_json(build_snapshot(sqlite, "LgNet2"))
    assert to_json(build_snapshot(es_store, "LgNet2")) == embedded
    assert '"uscite": 61' in embedded
    for since, until in (("2023-11-01", None), (None, "2023-10-31")):
        assert build_snapshot(es_store, "LgNet2", since=since, until=until) == build_snapshot(
            sqlite, "LgNet2", since=since, until=until
        )
    sqlite.close()


def test_unreachable_cluster_queues_items_that_survive_a_restart_and_arrive_once(
    stub: ESStub, config: ESConfig, tmp_path: Path
) -> None:
    setup_indices(config.client(), NAMES)
    stub.go_down()
    store = open_store(tmp_path, config, writing=True)
    results = store.upsert_many(
        [article(), article(url="https://x.test/secondo-pezzo-qui")], now=NOW
    )
    assert all(r.queued for r in results)
    store.close()
    assert Outbox(outbox_path(tmp_path)).count() == 2
    stub.come_back()
    store = open_store(tmp_path, config, writing=True)  # delivers the outbox on open
    assert Outbox(outbox_path(tmp_path)).count() == 0
    assert store.count() == 2
    stored = store.get(article().url)
    assert stored is not None
    assert stored.first_seen == NOW
    store.upsert_many([article()], now=LATER)
    assert store.count() == 2
    store.close()


def test_rejected_documents_are_reported_and_kept_for_inspection(
    stub: ESStub, es_store: ElasticsearchStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stub.reject_documents = lambda doc: (
        (400, "mapper_parsing_exception", "failed to parse field [date]")
        if "rifiutato" in doc.get("title", "")
        else None
    )
    bad = article(url="https://x.test/pezzo-rifiutato-qui", title="Pezzo rifiutato")
    with caplog.at_level(logging.WARNING):
        results = es_store.upsert_many([article(), bad], now=NOW)
    assert results[0].created
    assert results[1].rejected == "mapper_parsing_exception: failed to parse field [date]"
    assert bad.url in caplog.text
    kept = list(Outbox(outbox_path(tmp_path)).rejected())
    assert [(e.article.url, e.error) for e in kept] == [(bad.url, results[1].rejected)]
    assert es_store.get(bad.url) is None


def test_reads_fail_with_one_line_when_the_cluster_is_down(
    stub: ESStub, config: ESConfig, tmp_path: Path
) -> None:
    setup_indices(config.client(), NAMES)
    stub.go_down()
    with pytest.raises(StoreError, match="unreachable"):
        open_store(tmp_path, config, writing=False)


def test_missing_setup_says_to_run_es_setup(config: ESConfig, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="rassegna es-setup"):
        open_store(tmp_path, config, writing=True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ELASTICSEARCH_URL": "ftp://es.example"}, "not an http(s) URL"),
        ({"ELASTICSEARCH_URL": "http://es.example:99999"}, "not a URL"),
        (
            {"ELASTICSEARCH_URL": "https://es.example", "ELASTICSEARCH_CA_CERTS": "/nessuno.pem"},
            "no such file",
        ),
        (
            {"ELASTICSEARCH_URL": "https://es.example", "ELASTICSEARCH_USERNAME": "elastic"},
            "set both",
        ),
    ],
)
def test_bad_configuration_is_refused_clearly(env: dict[str, str], message: str) -> None:
    with pytest.raises(StoreError, match=re.escape(message)):
        ESConfig.from_env(env)


def test_secrets_never_appear_in_messages() -> None:
    config = ESConfig.from_env(
        {
            "ELASTICSEARCH_URL": "https://elastic:s3greto@es.example:9200",
            "ELASTICSEARCH_API_KEY": "Y2hpYXZlLXNlZ3JldGE=",
        }
    )
    assert config is not None
    assert "s3greto" not in repr(config)
    assert "s3greto" not in config.where
    assert "Y2hpYXZl" not in repr(config)
    assert ESConfig.from_env({}) is None


def test_wrong_credentials_are_a_clear_error(tmp_path: Path) -> None:
    with ESStub(api_key="chiave-giusta") as stub:
        config = ESConfig(url=stub.url, api_key="chiave-sbagliata")
        with pytest.raises(StoreError, match="credentials refused"):
            open_store(tmp_path, config, writing=True)

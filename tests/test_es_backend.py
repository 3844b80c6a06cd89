"""What only the Elasticsearch store does, against a local stub that speaks ES's wire format.

What every store does is in ``test_store_contract.py``, which runs against this backend too.
Here: the requests it sends (template, index, aliases, bulk NDJSON, search bodies), the schema
migration, optimistic concurrency, when its writes become searchable, the outbox for an
unreachable cluster, refused documents, what it raises when the cluster fails, and its
configuration and credentials.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from enrichment.records import Article
from search.backends.choose import open_store
from search.backends.elasticsearch import ElasticsearchStore
from search.errors import ESConfigError, QueryError, StoreError
from search.es.config import ESConfig
from search.es.documents import document_id
from search.es.outbox import Outbox
from search.es.queries import rassegna_query, search_body, simple_query
from search.es.schema import IndexNames, index_template
from search.es.setup import setup_indices
from search.files.data_dir import DataDir
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
    store = ElasticsearchStore(client, NAMES, Outbox(DataDir(tmp_path).es_outbox), config.where)
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
    assert [r.path for r in stub.requests_to("PUT", "/rassegna-items-v2")] == ["/rassegna-items-v2"]
    aliases = stub.requests_to("POST", "/_aliases")
    assert aliases[0].json == {
        "actions": [
            {"add": {"index": "rassegna-items-v2", "alias": "rassegna-items"}},
            {
                "add": {
                    "index": "rassegna-items-v2",
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
    assert not [r for r in later if r.method == "PUT" and r.path == "/rassegna-items-v2"]
    assert not [r for r in later if r.path == "/_aliases"]
    assert any("already on" in line for line in again)


def test_setup_migrates_an_older_index_by_reindex_and_atomic_alias_swap(
    stub: ESStub, config: ESConfig
) -> None:
    client = config.client()
    client.indices.create(
        index="rassegna-items-v1",
        mappings={"dynamic": "strict", "properties": {"url": {"type": "keyword"}}},
        aliases={"rassegna-items": {}, "rassegna-items-write": {"is_write_index": True}},
    )
    client.bulk(
        operations=[
            {"index": {"_index": "rassegna-items-v1", "_id": "a"}},
            {"url": "https://x.test/a"},
        ]
    )
    client.indices.refresh(index="rassegna-items-v1")  # _reindex copies what searches see
    setup_indices(client, NAMES)
    assert stub.requests_to("POST", "/_reindex")[0].json == {
        "source": {"index": "rassegna-items-v1"},
        "dest": {"index": "rassegna-items-v2"},
        "conflicts": "proceed",
    }
    swap = stub.requests_to("POST", "/_aliases")[-1].json["actions"]
    assert {"remove": {"index": "rassegna-items-v1", "alias": "rassegna-items"}} in swap
    assert {"remove": {"index": "rassegna-items-v1", "alias": "rassegna-items-write"}} in swap
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
    assert lines is not None
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


def test_a_changed_item_is_written_with_concurrency_control(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    stored = stub.indices["rassegna-items-v2"].docs[document_id(article().url)]
    bulks = len(stub.requests_to("PUT", "/_bulk"))
    es_store.upsert(article(), now=LATER)
    assert len(stub.requests_to("PUT", "/_bulk")) == bulks  # unchanged: nothing is written
    es_store.upsert(article(title="Sassari, nuove unità di strada"), now=LATER)
    lines = stub.requests_to("PUT", "/_bulk")[-1].ndjson
    assert lines is not None
    action = lines[0]["index"]
    assert (action["if_seq_no"], action["if_primary_term"]) == (
        stored._seq_no,
        stored._primary_term,
    )


def test_version_conflicts_are_reread_and_then_left_in_the_outbox(
    stub: ESStub, es_store: ElasticsearchStore, tmp_path: Path
) -> None:
    es_store.upsert(article(), now=NOW)
    conflicts = iter([True, False])
    stub.reject_documents = lambda doc: (
        (409, "version_conflict_engine_exception", "[x]: version conflict")
        if next(conflicts, True)
        else None
    )
    mgets = len(stub.requests_to("POST", "/rassegna-items-write/_mget"))
    retried = es_store.upsert(article(title="Sassari, nuove unità"), now=LATER)
    assert (retried.created, retried.changed, retried.queued) == (False, True, False)
    assert len(stub.requests_to("POST", "/rassegna-items-write/_mget")) == mgets + 2
    stuck = es_store.upsert(article(title="Sassari, unità sempre in conflitto"), now=LATER)
    assert stuck.queued
    assert [e.article.title for e in Outbox(DataDir(tmp_path).es_outbox).pending(10)] == [
        "Sassari, unità sempre in conflitto"
    ]


def test_search_sends_simple_query_string_and_filters(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    es_store.refresh()
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
                "query": '"unità di strada" -"Genova"',
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


def test_user_text_becomes_quoted_simple_query_syntax() -> None:
    assert simple_query("roma inclusione OR mercato") == '"roma" ("inclusione" | "mercato")'
    assert simple_query('a OR "b c" OR d -e -"f g"') == '("a" | "b c" | "d") -"e" -"f g"'
    assert simple_query("bilan* a|b +c ~d (e)") == '"bilan*" "a|b" "+c" "~d" " e "'
    assert simple_query('x\\y NEAR( "q"r') == '"x y" "NEAR " "q" "r"'
    assert simple_query("OR a OR") == '"a"'
    assert simple_query("*  (((") is None
    with pytest.raises(QueryError):
        simple_query("-roma")


def test_writes_are_searchable_after_a_refresh_and_count_refreshes(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    assert es_store.get(article().url) is not None  # document reads are real-time
    assert es_store.search(SearchQuery(text="Sassari")) == []
    assert es_store.count() == 1
    assert stub.requests_to("POST", "/rassegna-items/_refresh")
    assert [s.article.url for s in es_store.search(SearchQuery(text="Sassari"))] == [article().url]


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
    assert Outbox(DataDir(tmp_path).es_outbox).count() == 2
    stub.come_back()
    store = open_store(tmp_path, config, writing=True)  # delivers the outbox on open
    assert Outbox(DataDir(tmp_path).es_outbox).count() == 0
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
    kept = list(Outbox(DataDir(tmp_path).es_outbox).rejected())
    assert [(e.article.url, e.error) for e in kept] == [(bad.url, results[1].rejected)]
    assert es_store.get(bad.url) is None


def impatient_store(stub: ESStub, tmp_path: Path, name: str) -> ElasticsearchStore:
    """A store whose client gives up after 0.3 s, without retrying."""
    client = Elasticsearch(stub.url, request_timeout=0.3, max_retries=0)
    return ElasticsearchStore(client, NAMES, Outbox(tmp_path / f"{name}.sqlite"), stub.url)


@pytest.mark.parametrize("fault", ["server error", "timeout"])
def test_a_failing_or_slow_cluster_queues_writes(
    stub: ESStub, config: ESConfig, tmp_path: Path, fault: str
) -> None:
    setup_indices(config.client(), NAMES)
    store = impatient_store(stub, tmp_path, "outbox")
    if fault == "timeout":
        stub.stall_next(1, 1.0)
    else:
        stub.fail_next(1, 500)
    assert store.upsert(article(), now=NOW).queued
    later = store.upsert(article(url="https://x.test/poi-nessun-tentativo"), now=NOW)
    assert later.queued  # the rest of the run does not wait on the cluster again
    store.close()
    assert Outbox(tmp_path / "outbox.sqlite").count() == 2


def test_a_failing_or_slow_cluster_fails_reads_with_one_line(
    stub: ESStub, config: ESConfig, tmp_path: Path
) -> None:
    setup_indices(config.client(), NAMES)
    store = impatient_store(stub, tmp_path, "reads")
    stub.fail_next(1, 500)
    with pytest.raises(StoreError, match="HTTP 500 stub_injected_failure"):
        store.search(SearchQuery(text="Sassari"))
    stub.stall_next(1, 1.0)
    with pytest.raises(StoreError, match="unreachable"):
        store.get(article().url)
    stub.fail_next(1, 503)
    with pytest.raises(StoreError, match="HTTP 503 unavailable_shards_exception"):
        list(store.rassegna_items())
    stub.stall_next(1, 1.0)
    with pytest.raises(StoreError, match="unreachable"):
        store.count()
    store.close()


def test_a_refused_request_is_a_store_error_not_a_queued_item(
    stub: ESStub, es_store: ElasticsearchStore, tmp_path: Path
) -> None:
    stub.fail_next(1, 403)
    with pytest.raises(StoreError, match="credentials refused"):
        es_store.upsert(article(), now=NOW)
    assert Outbox(DataDir(tmp_path).es_outbox).count() == 0
    with pytest.raises(StoreError, match="HTTP 400 search_phase_execution_exception"):
        es_store.search(SearchQuery(limit=20_000))  # ES pages no further than 10,000


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
    with pytest.raises(ESConfigError, match=re.escape(message)):
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


def test_an_index_gone_under_a_running_store_is_an_error_not_a_new_index(
    stub: ESStub, es_store: ElasticsearchStore
) -> None:
    es_store.upsert(article(), now=NOW)
    del stub.indices["rassegna-items-v2"]  # as if deleted by hand while the crawler runs
    with pytest.raises(StoreError, match=r"no such index \[rassegna-items-write\].*es-setup"):
        es_store.upsert(article(title="Sassari, nuove unità"), now=LATER)
    with pytest.raises(StoreError, match="es-setup"):
        es_store.get(article().url)

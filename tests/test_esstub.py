"""The Elasticsearch stub, driven by the official client exactly as the ES backend drives it.

If these pass, a test that fails against the stub points at the backend, not at the stub's
wire format or its reading of ES semantics. The stub has only what the backend uses; the last
tests check that anything else is refused loudly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import (
    ApiError,
    AuthenticationException,
    BadRequestError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
    helpers,
)
from elasticsearch import ConnectionError as ESConnectionError

from tests.esstub import ESStub

INDEX = "items-v1"
READ, WRITE = "items", "items-write"
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "url": {"type": "keyword"},
        "title": {
            "type": "text",
            "analyzer": "italian",
            "fields": {"keyword": {"type": "keyword", "ignore_above": 512}},
        },
        "text": {"type": "text", "analyzer": "italian"},
        "outlet": {
            "type": "text",
            "analyzer": "standard",
            "fields": {"keyword": {"type": "keyword"}},
        },
        "city": {"type": "keyword"},
        "tags": {"type": "keyword"},
        "audience": {"type": "long"},
        "date": {"type": "date", "format": "strict_date"},
        "first_seen": {"type": "date"},
        "extra": {"type": "object", "enabled": False},
        "where": {"type": "geo_point"},
    },
}
ARTICLES: list[dict[str, Any]] = [
    {
        "url": "https://a.test/1",
        "title": "Il sindaco incontra i comuni della provincia",
        "text": "Accordo sui migranti firmato in prefettura",
        "outlet": "Cronaca Torino",
        "city": "torino",
        "tags": ["politica", "migranti"],
        "audience": 1200,
        "date": "2023-12-11",
        "first_seen": "2023-12-11T08:30:00Z",
    },
    {
        "url": "https://a.test/2",
        "title": "Nuova pista ciclabile in città",
        "text": "Il comune annuncia lavori per la mobilità sostenibile",
        "outlet": "Gazzetta di Bari",
        "city": "bari",
        "tags": ["mobilità"],
        "audience": 300,
        "date": "2023-12-13",
        "first_seen": "2023-12-13T22:10:00+01:00",
    },
    {
        "url": "https://a.test/3",
        "title": "Migrante soccorso al porto",
        "text": "Intervento della guardia costiera nella notte",
        "outlet": "Cronaca Torino",
        "city": "bari",
        "tags": ["migranti", "cronaca"],
        "audience": 800,
        "date": "2023-12-14",
        "first_seen": "2023-12-14T06:00:00Z",
    },
    {
        "url": "https://a.test/4",
        "title": "Bilancio comunale approvato",
        "text": "Il consiglio vota il bilancio della città",
        "outlet": "Eco di Lecce",
        "city": "lecce",
        "tags": [],
        "first_seen": "2023-12-18T10:00:00Z",
    },
]


@pytest.fixture
def stub() -> Iterator[ESStub]:
    with ESStub() as server:
        yield server


@pytest.fixture
def es(stub: ESStub) -> Iterator[Elasticsearch]:
    with Elasticsearch(stub.url, max_retries=0) as client:
        yield client


@pytest.fixture
def loaded(es: Elasticsearch) -> Elasticsearch:
    """The items index behind a read and a write alias, holding ARTICLES (ids 1-4), refreshed."""
    es.indices.create(
        index=INDEX,
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings=MAPPINGS,
        aliases={READ: {}, WRITE: {"is_write_index": True}},
    )
    actions = [
        {"_index": WRITE, "_id": str(n), "_source": doc} for n, doc in enumerate(ARTICLES, 1)
    ]
    assert helpers.bulk(es, actions) == (4, [])
    es.indices.refresh(index=READ)
    return es


def ids(response: Any) -> list[str]:
    return [hit["_id"] for hit in response["hits"]["hits"]]


def search_ids(es: Elasticsearch, query: dict[str, Any], **options: Any) -> list[str]:
    return ids(es.search(index=READ, query=query, sort=["url"], **options))


def bulk_items(answer: Any) -> list[tuple[str, dict[str, Any]]]:
    return [next(iter(item.items())) for item in answer["items"]]


# --- cluster, templates, indices -----------------------------------------------------------


def test_info_answers_as_elasticsearch_8_19_with_the_product_header(
    stub: ESStub, es: Elasticsearch
) -> None:
    info = es.info()

    assert info["version"]["number"] == "8.19.0"
    assert info["tagline"] == "You Know, for Search"
    assert info.meta.headers["x-elastic-product"] == "Elasticsearch"
    assert info.meta.headers["content-type"].startswith("application/vnd.elasticsearch+json")
    assert stub.requests_to("GET", "/")[0].headers["accept"].startswith("application/vnd")


def test_index_created_from_the_highest_priority_matching_template(
    stub: ESStub, es: Elasticsearch
) -> None:
    es.indices.put_index_template(
        name="low",
        index_patterns=["items-*"],
        priority=1,
        template={"settings": {"number_of_replicas": 2}},
    )
    es.indices.put_index_template(
        name="items",
        index_patterns=["items-v*"],
        priority=200,
        template={
            "settings": {"number_of_replicas": 0, "refresh_interval": "5s"},
            "mappings": MAPPINGS,
        },
        meta={"schema_version": 1},
    )

    es.indices.create(index=INDEX)
    es.indices.create(index="items-old")

    assert set(stub.templates) == {"low", "items"}
    assert (stub.indices[INDEX].mappings, stub.indices[INDEX].replicas) == (MAPPINGS, 0)
    assert (stub.indices["items-old"].mappings, stub.indices["items-old"].replicas) == ({}, 2)
    answer = es.bulk(operations=[{"create": {"_index": INDEX, "_id": "1"}}, {"url": "u"}])
    assert answer["items"][0]["create"]["_shards"] == {"total": 1, "successful": 1, "failed": 0}


def test_creating_an_existing_index_fails_and_head_reports_existence(es: Elasticsearch) -> None:
    es.indices.create(index=INDEX, mappings=MAPPINGS, aliases={READ: {}})

    with pytest.raises(BadRequestError) as raised:
        es.indices.create(index=INDEX)
    assert raised.value.error == "resource_already_exists_exception"
    with pytest.raises(BadRequestError, match="already exists as alias"):
        es.indices.create(index=READ)
    assert es.indices.exists(index=INDEX)
    assert es.indices.exists(index=READ)  # an alias exists too
    assert not es.indices.exists(index="nothing-here")
    assert es.indices.refresh(index=READ)["_shards"] == {"total": 2, "successful": 1, "failed": 0}


# --- aliases -------------------------------------------------------------------------------


def test_alias_swap_is_atomic_and_moves_writes_to_the_new_index(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    loaded.indices.create(index="items-v2", mappings=MAPPINGS)

    with pytest.raises(NotFoundError) as missing:
        loaded.indices.update_aliases(
            actions=[
                {"add": {"index": "items-v2", "alias": READ}},
                {"remove": {"index": INDEX, "alias": "no-such-alias"}},
            ]
        )
    assert missing.value.error == "aliases_not_found_exception"
    assert READ not in stub.indices["items-v2"].aliases

    loaded.indices.update_aliases(
        actions=[
            {"remove": {"index": INDEX, "alias": READ}},
            {"add": {"index": "items-v2", "alias": READ}},
            {"add": {"index": INDEX, "alias": WRITE, "is_write_index": False}},
            {"add": {"index": "items-v2", "alias": WRITE, "is_write_index": True}},
        ]
    )
    loaded.bulk(operations=[{"index": {"_index": WRITE, "_id": "new"}}, {"url": "u"}])

    assert "new" in stub.indices["items-v2"].docs
    assert stub.indices["items-v2"].aliases == {READ: {}, WRITE: {"is_write_index": True}}
    assert stub.indices[INDEX].aliases == {WRITE: {"is_write_index": False}}
    assert set(loaded.indices.get_alias(name=WRITE)) == {INDEX, "items-v2"}
    assert loaded.indices.get_alias(name=READ).body == {"items-v2": {"aliases": {READ: {}}}}
    assert loaded.indices.exists_alias(name=READ)
    assert not loaded.indices.exists_alias(name="missing")
    with pytest.raises(NotFoundError):
        loaded.indices.get_alias(name="missing")


def test_two_write_indices_for_one_alias_are_refused(loaded: Elasticsearch) -> None:
    loaded.indices.create(index="items-v2", mappings=MAPPINGS)

    with pytest.raises(ApiError, match="more than one write index"):
        loaded.indices.update_aliases(
            actions=[{"add": {"index": "items-v2", "alias": WRITE, "is_write_index": True}}]
        )


def test_a_write_to_an_alias_without_a_write_index_is_refused(loaded: Elasticsearch) -> None:
    loaded.indices.create(index="items-v2", mappings=MAPPINGS, aliases={READ: {}})

    answer = loaded.bulk(operations=[{"index": {"_index": READ, "_id": "x"}}, {"url": "x"}])

    assert (
        "no write index is defined for alias [items]"
        in answer["items"][0]["index"]["error"]["reason"]
    )


# --- writes --------------------------------------------------------------------------------


def test_bulk_answers_each_action_like_elasticsearch(stub: ESStub, loaded: Elasticsearch) -> None:
    seq_no = stub.indices[INDEX].docs["2"]._seq_no
    changed = {**ARTICLES[1], "audience": 301}
    operations: list[dict[str, Any]] = [
        {"create": {"_index": WRITE, "_id": "1"}}, {"url": "dup"},
        {"index": {"_index": WRITE, "_id": "2", "if_seq_no": seq_no, "if_primary_term": 1}},
        changed,
        {"index": {"_index": WRITE, "_id": "3", "if_seq_no": seq_no, "if_primary_term": 1}},
        {"url": "x"},
        {"create": {"_index": WRITE, "_id": "5"}}, {"url": "u5"},
        {"index": {"_index": WRITE, "_id": "4"}}, {"url": "https://a.test/4"},
    ]  # fmt: skip

    answer = loaded.bulk(operations=operations)

    items = bulk_items(answer)
    assert answer["errors"] is True
    assert [(action, item.get("result"), item["status"]) for action, item in items] == [
        ("create", None, 409),
        ("index", "updated", 200),
        ("index", None, 409),
        ("create", "created", 201),
        ("index", "updated", 200),
    ]
    assert items[0][1]["error"]["type"] == "version_conflict_engine_exception"
    assert "document already exists (current version [1])" in items[0][1]["error"]["reason"]
    assert items[0][1]["_index"] == INDEX
    updated = items[1][1]
    assert (updated["_index"], updated["_id"], updated["_version"]) == (INDEX, "2", 2)
    assert updated["_seq_no"] > seq_no
    assert updated["_primary_term"] == 1
    assert updated["_shards"] == {"total": 1, "successful": 1, "failed": 0}
    assert stub.indices[INDEX].docs["2"]._source == changed
    assert stub.indices[INDEX].docs["4"]._source == {"url": "https://a.test/4"}


def test_helpers_bulk_sends_ndjson_with_put_and_collects_errors(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    actions = [
        {"_op_type": "create", "_index": WRITE, "_id": "1", "_source": {"url": "dup"}},
        {"_op_type": "index", "_index": WRITE, "_id": "9", "_source": {"url": "nine"}},
    ]

    ok, errors = helpers.bulk(loaded, actions, raise_on_error=False)

    assert isinstance(errors, list)
    request = stub.requests_to("PUT", "/_bulk")[-1]
    assert request.headers["content-type"].startswith("application/vnd.elasticsearch+x-ndjson")
    assert request.ndjson == [
        {"create": {"_index": WRITE, "_id": "1"}},
        {"url": "dup"},
        {"index": {"_index": WRITE, "_id": "9"}},
        {"url": "nine"},
    ]
    assert ok == 1
    assert [e["create"]["status"] for e in errors] == [409]


def test_optimistic_concurrency_with_seq_no_and_primary_term(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    current = loaded.get(index=READ, id="1")

    def write(doc_id: str, seq_no: int, document: dict[str, Any]) -> dict[str, Any]:
        operation = {"_index": WRITE, "_id": doc_id, "if_seq_no": seq_no, "if_primary_term": 1}
        return bulk_items(loaded.bulk(operations=[{"index": operation}, document]))[0][1]

    written = write("1", current["_seq_no"], {**current["_source"], "audience": 5})
    assert (written["result"], written["_version"]) == ("updated", 2)
    stale = write("1", current["_seq_no"], current["_source"])
    assert stale["status"] == 409
    assert "current document has seqNo" in stale["error"]["reason"]
    assert "no document was found" in write("77", 0, {})["error"]["reason"]
    assert stub.indices[INDEX].docs["1"]._source["audience"] == 5
    with pytest.raises(BadRequestError, match="ifSeqNo is set, but primary term is"):
        loaded.bulk(operations=[{"index": {"_index": WRITE, "_id": "1", "if_seq_no": 0}}, {}])


def test_strict_mapping_and_field_types_reject_bad_documents(loaded: Elasticsearch) -> None:
    actions = [
        {"_index": WRITE, "_id": "a", "_source": {"url": "a", "unknown": 1}},
        {"_index": WRITE, "_id": "b", "_source": {"url": "b", "audience": "many"}},
        {"_index": WRITE, "_id": "c", "_source": {"url": "c", "date": "2023-12-14T10:00:00Z"}},
        {"_index": WRITE, "_id": "d", "_source": {"url": "d", "extra": {"anything": [1, "x"]}}},
        {"_index": WRITE, "_id": "e", "_source": {"url": "e", "where": {"lat": 45, "lon": 7}}},
        {"_index": WRITE, "_id": "f", "_source": {"url": "f", "first_seen": "ieri"}},
    ]

    _, errors = helpers.bulk(loaded, actions, raise_on_error=False)

    assert isinstance(errors, list)
    kinds = {e["index"]["_id"]: e["index"]["error"]["type"] for e in errors}
    assert kinds == {
        "a": "strict_dynamic_mapping_exception",
        "b": "mapper_parsing_exception",
        "c": "mapper_parsing_exception",
        "f": "mapper_parsing_exception",
    }
    assert all(e["index"]["status"] == 400 and e["index"]["_index"] == INDEX for e in errors)


def test_reject_documents_fails_chosen_items_only(stub: ESStub, loaded: Elasticsearch) -> None:
    stub.reject_documents = lambda doc: (
        (413, "document_too_large", "too big") if doc.get("url") == "big" else None
    )

    _, errors = helpers.bulk(
        loaded,
        [{"_index": WRITE, "_id": n, "_source": {"url": n}} for n in ("small", "big")],
        raise_on_error=False,
    )

    assert isinstance(errors, list)
    assert [e["index"]["_id"] for e in errors] == ["big"]
    assert errors[0]["index"]["status"] == 413
    assert errors[0]["index"]["error"] == {"type": "document_too_large", "reason": "too big"}
    assert "small" in stub.indices[INDEX].docs
    assert "big" not in stub.indices[INDEX].docs


def test_get_and_mget_documents(loaded: Elasticsearch) -> None:
    got = loaded.get(index=READ, id="2")
    assert (got["found"], got["_index"], got["_version"], got["_primary_term"]) == (
        True,
        INDEX,
        1,
        1,
    )
    assert got["_source"] == ARTICLES[1]
    with pytest.raises(NotFoundError) as no_doc:
        loaded.get(index=READ, id="nope")
    assert no_doc.value.body == {"_index": INDEX, "_id": "nope", "found": False}
    with pytest.raises(NotFoundError) as no_index:
        loaded.get(index="gone", id="1")
    assert no_index.value.error == "index_not_found_exception"

    docs = loaded.mget(index=WRITE, ids=["1", "nope"], source_includes=["url", "city"])["docs"]
    assert [(d["_id"], d["found"]) for d in docs] == [("1", True), ("nope", False)]
    assert docs[0]["_source"] == {"url": "https://a.test/1", "city": "torino"}
    assert isinstance(docs[0]["_seq_no"], int)
    gone = loaded.mget(index="gone", ids=["1"])["docs"]  # per document, not the request
    assert gone[0]["error"]["type"] == "index_not_found_exception"


def test_document_ids_with_slashes_round_trip(loaded: Elasticsearch) -> None:
    doc_id = "https://www.cronaca.test/2023/12/14/articolo?id=7"

    loaded.bulk(operations=[{"index": {"_index": WRITE, "_id": doc_id}}, {"url": doc_id}])

    assert loaded.get(index=READ, id=doc_id)["_source"]["url"] == doc_id


def test_searches_see_writes_after_a_refresh_document_reads_at_once(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    loaded.bulk(operations=[{"index": {"_index": WRITE, "_id": "5"}}, {"url": "https://a.test/5"}])

    assert loaded.get(index=READ, id="5")["found"]
    assert loaded.count(index=READ)["count"] == 4
    assert search_ids(loaded, {"term": {"url": "https://a.test/5"}}) == []
    loaded.indices.refresh(index=READ)
    assert loaded.count(index=READ)["count"] == 5
    assert search_ids(loaded, {"term": {"url": "https://a.test/5"}}) == ["5"]


# --- search --------------------------------------------------------------------------------


def test_bool_term_and_range_queries(loaded: Elasticsearch) -> None:
    assert search_ids(loaded, {"term": {"city": "bari"}}) == ["2", "3"]
    assert search_ids(loaded, {"term": {"city": {"value": "BARI"}}}) == []
    assert search_ids(loaded, {"term": {"city": {"value": "BARI", "case_insensitive": True}}}) == [
        "2",
        "3",
    ]
    assert search_ids(loaded, {"term": {"tags": "cronaca"}}) == ["3"]
    assert search_ids(loaded, {"term": {"audience": "300"}}) == ["2"]
    assert search_ids(loaded, {"range": {"date": {"gte": "2023-12-13", "lt": "2023-12-18"}}}) == [
        "2",
        "3",
    ]
    assert search_ids(loaded, {"range": {"date": {"lte": "2023-12-13"}}}) == ["1", "2"]
    assert search_ids(loaded, {"range": {"audience": {"gt": 300}}}) == ["1", "3"]
    # an instant, whatever its offset: 22:10+01:00 is 21:10Z
    assert search_ids(loaded, {"range": {"first_seen": {"gt": "2023-12-13T21:30:00Z"}}}) == [
        "3",
        "4",
    ]
    assert search_ids(loaded, {"range": {"first_seen": {"lte": "2023-12-13"}}}) == ["1", "2"]
    assert search_ids(
        loaded,
        {
            "bool": {
                "filter": [{"term": {"city": "bari"}}],
                "should": [{"term": {"tags": "cronaca"}}, {"term": {"tags": "mobilità"}}],
                "minimum_should_match": 1,
            }
        },
    ) == ["2", "3"]
    assert search_ids(loaded, {"bool": {"must_not": [{"term": {"city": "bari"}}]}}) == ["1", "4"]
    assert search_ids(loaded, {"bool": {"should": [{"term": {"city": "lecce"}}]}}) == ["4"]
    assert search_ids(loaded, {"term": {"title": "Migrante"}}) == []
    assert search_ids(loaded, {"term": {"title": "migrant"}}) == ["3"]
    assert search_ids(loaded, {"term": {"title.keyword": "Migrante soccorso al porto"}}) == ["3"]
    assert search_ids(loaded, {"term": {"no_such_field": "x"}}) == []


def test_simple_query_string_follows_es_operators_and_stems_italian(
    loaded: Elasticsearch,
) -> None:
    def sqs(text: str, operator: str = "and", fields: list[str] | None = None) -> list[str]:
        query = {
            "simple_query_string": {
                "query": text,
                "fields": fields or ["title^3", "text"],
                "default_operator": operator,
            }
        }
        return search_ids(loaded, query)

    assert sqs('"migranti"') == ["1", "3"]  # "Migrante" in 3 shares the stem
    assert sqs('"comune"') == ["1", "2"]  # "comuni", "comune"; not "comunale"
    assert sqs('"CITTA"') == ["2", "4"]  # case and accents folded
    assert sqs('"pista ciclabile"') == ["2"]
    assert sqs('"ciclabile pista"') == []
    assert sqs('"migranti" -"porto"') == ["1"]
    assert sqs('"migranti" -"al porto"') == ["1"]
    assert sqs('"bilancio" -"porto"', "or") == ["1", "2", "4"]  # OR NOT: all without "porto"
    assert sqs('"porto" | "bilancio"') == ["3", "4"]
    assert sqs('"sindaco" "bilancio" | "porto"') == ["3"]  # left to right: (s AND b) OR p
    assert sqs('"sindaco" ("bilancio" | "porto")') == []
    assert sqs('"sindaco" ("prefettura" | "porto")') == ["1"]
    assert sqs('"sindaco" "prefettura"') == ["1"]
    assert sqs('"sindaco" "bilancio"') == []
    assert sqs('"sindaco" "bilancio"', "or") == ["1", "4"]
    assert sqs('("sindaco" | "porto") "migranti"') == ["1", "3"]
    assert sqs('"bilan* ("') == []  # inside quotes, operator characters are text
    assert sqs('"*" "porto"') == ["3"]  # a phrase that analyzes to nothing disappears
    assert sqs('"torino"', fields=["outlet"]) == ["1", "3"]
    assert sqs('"torino"', fields=["missing", "outlet"]) == ["1", "3"]


def test_scores_order_hits_by_boosted_fields(loaded: Elasticsearch) -> None:
    def scores(text: str) -> list[tuple[str, float]]:
        query = {"simple_query_string": {"query": text, "fields": ["title^3", "text"]}}
        return [
            (h["_id"], h["_score"]) for h in loaded.search(index=READ, query=query)["hits"]["hits"]
        ]

    assert scores('"bilancio"') == [("4", 4.0)]  # in the title (3) and in the text (1)
    assert scores('"città" | "bilancio"') == [("4", 5.0), ("2", 3.0)]
    assert scores('"comune" | "notte"') == [("1", 3.0), ("2", 1.0), ("3", 1.0)]  # ties: index order
    response = loaded.search(
        index=READ,
        query={"simple_query_string": {"query": '"bilancio"', "fields": ["title^3", "text"]}},
    )
    assert response["hits"]["max_score"] == 4.0


def test_sort_size_and_search_after_page_through_everything(loaded: Elasticsearch) -> None:
    sort: list[Any] = [{"date": {"order": "desc"}}, {"url": "asc"}]

    first = loaded.search(index=READ, sort=sort, size=2)
    assert ids(first) == ["3", "2"]
    assert first["hits"]["total"] == {"value": 4, "relation": "eq"}
    assert first["hits"]["hits"][0]["_score"] is None
    assert first["hits"]["max_score"] is None
    assert first["hits"]["hits"][0]["sort"] == [1702512000000, "https://a.test/3"]
    second = loaded.search(
        index=READ, sort=sort, size=2, search_after=first["hits"]["hits"][-1]["sort"]
    )
    assert ids(second) == ["1", "4"]
    assert second["hits"]["hits"][-1]["sort"][0] == -(2**63)  # missing, last
    ascending = loaded.search(index=READ, sort=[{"date": {"order": "asc"}}], size=10)
    assert ids(ascending) == ["1", "2", "3", "4"]
    assert ascending["hits"]["hits"][-1]["sort"] == [2**63 - 1]
    by_url = loaded.search(index=READ, sort=[{"url": {"order": "desc"}}], size=1)
    assert by_url["hits"]["hits"][0]["sort"] == ["https://a.test/4"]
    scored = loaded.search(
        index=READ,
        query={"simple_query_string": {"query": '"migranti"', "fields": ["title^3", "text"]}},
        sort=["_score", {"date": {"order": "desc"}}],
    )
    assert [hit["sort"] for hit in scored["hits"]["hits"]] == [
        [3.0, 1702512000000],
        [1.0, 1702252800000],
    ]
    assert loaded.count(index=READ, query={"term": {"city": "bari"}})["count"] == 2
    with pytest.raises(BadRequestError, match="search_phase_execution_exception") as text:
        loaded.search(index=READ, sort=["title"])
    assert "Fielddata is disabled" in str(text.value.info)
    with pytest.raises(BadRequestError) as window:
        loaded.search(index=READ, size=10_001)
    assert "Result window is too large" in str(window.value.info)


def test_search_on_a_missing_index_is_not_found(es: Elasticsearch) -> None:
    with pytest.raises(NotFoundError) as raised:
        es.search(index="absent")

    assert raised.value.error == "index_not_found_exception"


def test_reindex_copies_refreshed_documents_into_a_template_created_index(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    loaded.indices.put_index_template(
        name="items", index_patterns=["items-v*"], template={"mappings": MAPPINGS}
    )
    loaded.bulk(operations=[{"index": {"_index": WRITE, "_id": "9"}}, {"url": "not refreshed"}])
    loaded.indices.create(index="items-v2")

    answer = loaded.reindex(
        source={"index": READ},
        dest={"index": "items-v2"},
        conflicts="proceed",
        refresh=True,
        wait_for_completion=True,
    )

    assert (answer["total"], answer["created"], answer["failures"]) == (4, 4, [])
    assert sorted(stub.indices["items-v2"].docs) == ["1", "2", "3", "4"]
    assert stub.indices["items-v2"].mappings == MAPPINGS
    assert loaded.count(index="items-v2")["count"] == 4  # refresh=true: searchable at once


# --- misbehaviour and auth -----------------------------------------------------------------


def test_a_down_node_refuses_connections_and_comes_back_with_its_data(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    port = stub.port

    stub.go_down()
    with pytest.raises(ESConnectionError):
        loaded.count(index=READ)
    stub.come_back()

    assert stub.port == port
    assert loaded.count(index=READ)["count"] == 4


def test_injected_503_is_retried_by_the_client_when_asked(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    stub.fail_next(2)
    with Elasticsearch(stub.url, max_retries=3, retry_on_status=(503,)) as patient:
        assert patient.count(index=READ)["count"] == 4
    assert len(stub.requests_to("POST", "/items/_count")) == 3

    stub.fail_next(1, 429)
    with pytest.raises(ApiError) as raised:
        loaded.count(index=READ)
    assert raised.value.status_code == 429
    assert raised.value.body["error"]["type"] == "es_rejected_execution_exception"


def test_a_stalled_answer_times_the_client_out(stub: ESStub, loaded: Elasticsearch) -> None:
    stub.stall_next(1, 0.5)
    started = time.monotonic()
    with (
        Elasticsearch(stub.url, request_timeout=0.1, max_retries=0) as impatient,
        pytest.raises(ConnectionTimeout),
    ):
        impatient.count(index=READ)
    assert time.monotonic() - started < 0.4
    assert loaded.count(index=READ)["count"] == 4  # the next answer is on time


def test_api_key_is_required_when_configured() -> None:
    with ESStub(api_key="c2VjcmV0OmtleQ==") as stub:
        with (
            Elasticsearch(stub.url, max_retries=0) as anonymous,
            pytest.raises(AuthenticationException) as raised,
        ):
            anonymous.info()
        assert raised.value.error == "security_exception"
        assert raised.value.meta.headers["www-authenticate"]
        with Elasticsearch(stub.url, api_key=("secret", "key")) as client:
            assert client.info()["tagline"] == "You Know, for Search"
        assert stub.requests[-1].headers["authorization"] == "ApiKey c2VjcmV0OmtleQ=="


def test_recorded_requests_keep_path_params_and_json(stub: ESStub, loaded: Elasticsearch) -> None:
    loaded.mget(index=READ, ids=["1"], source_includes=["url"])
    loaded.search(index=READ, query={"match_all": {}}, size=1)

    mget = stub.requests_to("POST", f"/{READ}/_mget")[-1]
    assert (mget.params, mget.json) == ({"_source_includes": "url"}, {"ids": ["1"]})
    recorded = stub.requests_to("POST", f"/{READ}/_search")[-1]
    assert recorded.json == {"query": {"match_all": {}}, "size": 1}
    assert json.loads(json.dumps(recorded.json)) == recorded.json


# --- what the backend never asks for is refused --------------------------------------------


def test_unimplemented_endpoint_is_a_bad_request_naming_the_path(es: Elasticsearch) -> None:
    with pytest.raises(BadRequestError, match="_ingest/pipeline/p"):
        es.ingest.get_pipeline(id="p")
    with pytest.raises(BadRequestError, match=r"\[/items-v1\] and method \[DELETE\]"):
        es.indices.delete(index=INDEX)


def test_unknown_query_is_a_parsing_error(loaded: Elasticsearch) -> None:
    with pytest.raises(BadRequestError) as raised:
        loaded.search(index=READ, query={"fuzzy_thing": {"title": "x"}})

    assert raised.value.error == "parsing_exception"


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda es: es.search(index=READ, aggs={"a": {"terms": {"field": "city"}}}), "[aggs]"),
        (lambda es: es.search(index=READ, from_=2), "[from]"),
        (lambda es: es.search(index=READ, query={"match": {"title": "x"}}), "unknown query"),
        (
            lambda es: es.search(index=READ, query={"term": {"city": {"value": "x", "boost": 2}}}),
            "[boost]",
        ),
        (
            lambda es: es.search(
                index=READ, query={"simple_query_string": {"query": "bilan*", "fields": ["title"]}}
            ),
            "unquoted",
        ),
        (
            lambda es: es.search(
                index=READ, query={"simple_query_string": {"query": '"a b"~2', "fields": ["title"]}}
            ),
            "slop",
        ),
        (lambda es: es.search(index="items-*"), "multi-target"),
        (lambda es: es.search(index=READ, request_cache=False), "[request_cache]"),
        (
            lambda es: es.search(index=READ, sort=[{"url": {"order": "asc", "missing": "_first"}}]),
            "[missing]",
        ),
        (
            lambda es: es.count(index=READ, query={"range": {"date": {"gte": "now-1d"}}}),
            "date math",
        ),
        (
            lambda es: es.bulk(operations=[{"delete": {"_index": WRITE, "_id": "1"}}, {}]),
            "[delete]",
        ),
        (
            lambda es: es.bulk(operations=[{"index": {"_index": WRITE}}, {"url": "x"}]),
            "without _id",
        ),
        (lambda es: es.bulk(operations=[{"index": {"_index": "new", "_id": "1"}}, {}]), "creating"),
    ],
)
def test_features_the_backend_does_not_use_are_refused_loudly(
    loaded: Elasticsearch, call: Any, what: str
) -> None:
    try:
        answer = call(loaded)
    except BadRequestError as error:
        message = str(error.info)
    else:  # a bulk refuses per item
        message = json.dumps(answer.body)
    assert what in message
    assert "not implemented by the ES stub" in message

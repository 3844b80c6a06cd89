"""The Elasticsearch stub, driven by the official client exactly as the ES backend drives it.

If these pass, a contract test that fails against the stub points at the backend, not at the
stub's wire format or its reading of ES semantics.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import (
    ApiError,
    AuthenticationException,
    BadRequestError,
    ConflictError,
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
    },
}
ARTICLES = [
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
        "first_seen": "2023-12-13T22:10:00Z",
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
        "date": "2023-12-18",
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
    """The items index behind a read and a write alias, holding ARTICLES (ids 1-4)."""
    es.indices.create(
        index=INDEX,
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings=MAPPINGS,
        aliases={READ: {}, WRITE: {"is_write_index": True}},
    )
    actions = [
        {"_index": WRITE, "_id": str(n), "_source": doc} for n, doc in enumerate(ARTICLES, 1)
    ]
    assert helpers.bulk(es, actions, refresh="wait_for") == (4, [])
    return es


def ids(response: Any) -> list[str]:
    return [hit["_id"] for hit in response["hits"]["hits"]]


def search_ids(es: Elasticsearch, query: dict[str, Any], **options: Any) -> list[str]:
    return ids(es.search(index=READ, query=query, sort=["url"], **options))


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
    )

    es.indices.create(index=INDEX)

    created = stub.indices[INDEX]
    assert created.settings["index"]["number_of_replicas"] == "0"
    assert created.settings["index"]["refresh_interval"] == "5s"
    assert created.mappings == MAPPINGS
    assert es.indices.get_mapping(index=INDEX)[INDEX]["mappings"] == MAPPINGS
    assert es.indices.exists_index_template(name="items")
    got = es.indices.get_index_template(name="items")["index_templates"][0]
    assert got["index_template"]["template"]["settings"] == {
        "index": {"number_of_replicas": "0", "refresh_interval": "5s"}
    }
    es.indices.delete_index_template(name="low")
    assert not es.indices.exists_index_template(name="low")
    assert set(stub.templates) == {"items"}


def test_templates_with_same_priority_and_overlapping_patterns_are_refused(
    es: Elasticsearch,
) -> None:
    es.indices.put_index_template(name="a", index_patterns=["items-*"])

    with pytest.raises(BadRequestError, match="same priority"):
        es.indices.put_index_template(name="b", index_patterns=["items-v*"])


def test_creating_an_existing_index_fails_and_head_reports_existence(es: Elasticsearch) -> None:
    es.indices.create(index=INDEX, mappings=MAPPINGS)

    with pytest.raises(BadRequestError) as raised:
        es.indices.create(index=INDEX)
    assert raised.value.error == "resource_already_exists_exception"
    assert es.indices.exists(index=INDEX)
    assert not es.indices.exists(index="nothing-here")
    es.indices.delete(index=INDEX)
    assert not es.indices.exists(index=INDEX)
    assert es.indices.refresh(index="*")["_shards"]["failed"] == 0


# --- aliases -------------------------------------------------------------------------------


def test_alias_swap_is_atomic_and_moves_writes_to_the_new_index(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    loaded.indices.create(index="items-v2", mappings=MAPPINGS)

    with pytest.raises(NotFoundError):
        loaded.indices.update_aliases(
            actions=[
                {"add": {"index": "items-v2", "alias": READ}},
                {"remove": {"index": INDEX, "alias": "no-such-alias"}},
            ]
        )
    assert READ not in stub.indices["items-v2"].aliases

    loaded.indices.update_aliases(
        actions=[
            {"remove": {"index": INDEX, "alias": READ}},
            {"add": {"index": "items-v2", "alias": READ}},
            {"add": {"index": INDEX, "alias": WRITE, "is_write_index": False}},
            {"add": {"index": "items-v2", "alias": WRITE, "is_write_index": True}},
        ]
    )
    loaded.index(index=WRITE, id="new", document={"url": "https://a.test/new"})

    assert "new" in stub.indices["items-v2"].docs
    assert stub.indices["items-v2"].aliases == {READ: {}, WRITE: {"is_write_index": True}}
    assert set(loaded.indices.get_alias(name=WRITE)) == {INDEX, "items-v2"}
    assert loaded.indices.get_alias(index=INDEX)[INDEX]["aliases"] == {
        WRITE: {"is_write_index": False}
    }
    assert loaded.indices.exists_alias(name=READ)
    with pytest.raises(NotFoundError):
        loaded.indices.get_alias(name="missing")


def test_two_write_indices_for_one_alias_are_refused(loaded: Elasticsearch) -> None:
    loaded.indices.create(index="items-v2", mappings=MAPPINGS)

    with pytest.raises(ApiError, match="more than one write index"):
        loaded.indices.update_aliases(
            actions=[{"add": {"index": "items-v2", "alias": WRITE, "is_write_index": True}}]
        )


# --- writes --------------------------------------------------------------------------------


def test_bulk_answers_each_action_like_elasticsearch(stub: ESStub, loaded: Elasticsearch) -> None:
    seq_no = stub.indices[INDEX].docs["2"]._seq_no
    operations = [
        {"create": {"_index": WRITE, "_id": "1"}}, {"url": "dup"},
        {"update": {"_index": WRITE, "_id": "2"}}, {"doc": {"city": "bari"}},
        {"update": {"_index": WRITE, "_id": "2"}}, {"doc": {"audience": 301}},
        {"update": {"_index": WRITE, "_id": "9"}}, {"doc": {"url": "u9"}, "doc_as_upsert": True},
        {"update": {"_index": WRITE, "_id": "10"}}, {"doc": {"url": "u10"}},
        {"index": {"_index": WRITE, "_id": "3", "if_seq_no": seq_no, "if_primary_term": 1}},
        {"url": "x"},
        {"delete": {"_index": WRITE, "_id": "4"}},
        {"delete": {"_index": WRITE, "_id": "404"}},
        {"index": {"_index": WRITE}}, {"url": "no-id"},
    ]  # fmt: skip

    answer = loaded.bulk(operations=operations)

    items = [next(iter(item.items())) for item in answer["items"]]
    assert answer["errors"] is True
    assert [(action, item.get("result"), item["status"]) for action, item in items] == [
        ("create", None, 409),
        ("update", "noop", 200),
        ("update", "updated", 200),
        ("update", "created", 201),
        ("update", None, 404),
        ("index", None, 409),
        ("delete", "deleted", 200),
        ("delete", "not_found", 404),
        ("index", "created", 201),
    ]
    assert items[0][1]["error"]["type"] == "version_conflict_engine_exception"
    assert items[4][1]["error"]["type"] == "document_missing_exception"
    assert items[1][1]["_shards"] == {"total": 0, "successful": 0, "failed": 0}
    updated = items[2][1]
    assert (updated["_index"], updated["_id"], updated["_version"]) == (INDEX, "2", 2)
    assert updated["_seq_no"] > seq_no
    assert updated["_primary_term"] == 1
    assert len(items[8][1]["_id"]) == 20
    assert stub.indices[INDEX].docs["2"]._source["audience"] == 301
    assert "4" not in stub.indices[INDEX].docs


def test_helpers_bulk_sends_ndjson_with_put_and_collects_errors(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    actions = [
        {"_op_type": "create", "_index": WRITE, "_id": "1", "_source": {"url": "dup"}},
        {"_op_type": "update", "_index": WRITE, "_id": "2", "doc": {"audience": 1}},
        {"_op_type": "delete", "_index": WRITE, "_id": "3"},
    ]

    ok, errors = helpers.bulk(loaded, actions, raise_on_error=False)

    request = stub.requests_to("PUT", "/_bulk")[-1]
    assert request.headers["content-type"].startswith("application/vnd.elasticsearch+x-ndjson")
    assert request.ndjson == [
        {"create": {"_index": WRITE, "_id": "1"}},
        {"url": "dup"},
        {"update": {"_index": WRITE, "_id": "2"}},
        {"doc": {"audience": 1}},
        {"delete": {"_index": WRITE, "_id": "3"}},
    ]
    assert ok == 2
    assert [e["create"]["status"] for e in errors] == [409]


def test_optimistic_concurrency_with_seq_no_and_primary_term(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    current = loaded.get(index=READ, id="1")

    written = loaded.index(
        index=WRITE,
        id="1",
        document={**current["_source"], "audience": 5},
        if_seq_no=current["_seq_no"],
        if_primary_term=current["_primary_term"],
    )

    assert written["result"] == "updated"
    assert written["_version"] == 2
    with pytest.raises(ConflictError) as stale:
        loaded.index(
            index=WRITE,
            id="1",
            document=current["_source"],
            if_seq_no=current["_seq_no"],
            if_primary_term=1,
        )
    assert "current document has seqNo" in str(stale.value.info)
    with pytest.raises(ConflictError, match="no document was found"):
        loaded.index(index=WRITE, id="77", document={}, if_seq_no=0, if_primary_term=1)
    assert stub.indices[INDEX].docs["1"]._source["audience"] == 5


def test_strict_mapping_and_field_types_reject_bad_documents(loaded: Elasticsearch) -> None:
    actions = [
        {"_index": WRITE, "_id": "a", "_source": {"url": "a", "unknown": 1}},
        {"_index": WRITE, "_id": "b", "_source": {"url": "b", "audience": "many"}},
        {"_index": WRITE, "_id": "c", "_source": {"url": "c", "date": "2023-12-14T10:00:00Z"}},
        {"_index": WRITE, "_id": "d", "_source": {"url": "d", "extra": {"anything": [1, "x"]}}},
    ]

    _, errors = helpers.bulk(loaded, actions, raise_on_error=False)

    kinds = {e["index"]["_id"]: e["index"]["error"]["type"] for e in errors}
    assert kinds == {
        "a": "strict_dynamic_mapping_exception",
        "b": "mapper_parsing_exception",
        "c": "mapper_parsing_exception",
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

    assert [e["index"]["_id"] for e in errors] == ["big"]
    assert errors[0]["index"]["status"] == 413
    assert errors[0]["index"]["error"] == {"type": "document_too_large", "reason": "too big"}
    assert "small" in stub.indices[INDEX].docs
    assert "big" not in stub.indices[INDEX].docs


def test_get_mget_exists_and_delete_documents(loaded: Elasticsearch) -> None:
    got = loaded.get(index=READ, id="2", source_includes=["url", "city"])
    assert got["found"]
    assert got["_source"] == {"url": "https://a.test/2", "city": "bari"}
    assert loaded.exists(index=READ, id="2")
    assert not loaded.exists(index=READ, id="nope")
    with pytest.raises(NotFoundError):
        loaded.get(index=READ, id="nope")

    docs = loaded.mget(index=READ, ids=["1", "nope"])["docs"]
    assert [(d["_id"], d["found"]) for d in docs] == [("1", True), ("nope", False)]
    by_docs = loaded.mget(docs=[{"_index": INDEX, "_id": "3"}, {"_index": "gone", "_id": "1"}])
    assert by_docs["docs"][0]["_source"]["city"] == "bari"
    assert by_docs["docs"][1]["error"]["type"] == "index_not_found_exception"

    assert loaded.delete(index=WRITE, id="3")["result"] == "deleted"
    with pytest.raises(NotFoundError):
        loaded.delete(index=WRITE, id="3")


def test_document_ids_with_slashes_round_trip(loaded: Elasticsearch) -> None:
    doc_id = "https://www.cronaca.test/2023/12/14/articolo?id=7"

    loaded.index(index=WRITE, id=doc_id, document={"url": doc_id})

    assert loaded.get(index=READ, id=doc_id)["_source"]["url"] == doc_id


# --- search --------------------------------------------------------------------------------


def test_bool_term_terms_range_and_exists_queries(loaded: Elasticsearch) -> None:
    assert search_ids(loaded, {"term": {"city": "bari"}}) == ["2", "3"]
    assert search_ids(loaded, {"terms": {"tags": ["cronaca", "politica"]}}) == ["1", "3"]
    assert search_ids(loaded, {"range": {"date": {"gte": "2023-12-13", "lt": "2023-12-18"}}}) == [
        "2",
        "3",
    ]
    assert search_ids(loaded, {"range": {"audience": {"gt": 300}}}) == ["1", "3"]
    assert search_ids(loaded, {"range": {"first_seen": {"lte": "2023-12-13"}}}) == ["1", "2"]
    assert search_ids(loaded, {"bool": {"must_not": {"exists": {"field": "audience"}}}}) == ["4"]
    assert search_ids(loaded, {"exists": {"field": "tags"}}) == ["1", "2", "3"]
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
    assert search_ids(loaded, {"bool": {"should": [{"ids": {"values": ["4", "1"]}}]}}) == ["1", "4"]
    assert search_ids(loaded, {"term": {"title": "Migrante"}}) == []
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

    assert sqs("migranti") == ["1", "3"]  # "Migrante" in 3 shares the stem
    assert sqs("comune") == ["1", "2"]  # "comuni", "comune"; not "comunale"
    assert sqs("CITTA") == ["2", "4"]  # case and accents folded
    assert sqs('"pista ciclabile"') == ["2"]
    assert sqs('"ciclabile pista"') == []
    assert sqs("migranti -porto") == ["1"]
    assert sqs("bilancio -porto", "or") == ["1", "2", "4"]  # OR NOT: all without "porto"
    assert sqs("porto | bilancio") == ["3", "4"]
    assert sqs("sindaco prefettura") == ["1"]
    assert sqs("sindaco bilancio") == []
    assert sqs("sindaco bilancio", "or") == ["1", "4"]
    assert sqs("bilan*") == ["4"]
    assert sqs("(sindaco | porto) +migranti") == ["1", "3"]
    assert sqs("torino", fields=["outlet"]) == ["1", "3"]
    assert sqs("Cronaca Torino", fields=["outlet.keyword"]) == []  # each word vs the whole value


def test_scores_order_hits_by_boosted_fields(loaded: Elasticsearch) -> None:
    response = loaded.search(
        index=READ,
        query={"simple_query_string": {"query": "bilancio", "fields": ["title^3", "text"]}},
    )
    assert response["hits"]["hits"][0]["_score"] == 4.0
    assert response["hits"]["max_score"] == 4.0

    response = loaded.search(
        index=READ,
        query={"match": {"text": {"query": "comune città notte", "operator": "or"}}},
    )
    assert ids(response)[:1] == ["2"]
    assert set(ids(response)) == {"2", "3", "4"}


def test_sort_size_from_and_search_after_page_through_everything(
    loaded: Elasticsearch,
) -> None:
    sort = [{"audience": {"order": "desc"}}, {"url": "asc"}]

    first = loaded.search(index=READ, sort=sort, size=2, track_total_hits=True)
    assert ids(first) == ["1", "3"]
    assert first["hits"]["total"] == {"value": 4, "relation": "eq"}
    assert first["hits"]["hits"][0]["_score"] is None
    assert first["hits"]["hits"][0]["sort"] == [1200, "https://a.test/1"]
    after = first["hits"]["hits"][-1]["sort"]
    second = loaded.search(index=READ, sort=sort, size=2, search_after=after)
    assert ids(second) == ["2", "4"]
    assert second["hits"]["hits"][-1]["sort"][0] == -(2**63)  # missing, last
    assert ids(loaded.search(index=READ, sort=sort, size=2, from_=1)) == ["3", "2"]
    by_date = loaded.search(index=READ, sort=[{"date": "desc"}], size=1)
    assert by_date["hits"]["hits"][0]["sort"] == [1702857600000]
    assert ids(loaded.search(index=READ, sort=["_doc"], size=10)) == ["1", "2", "3", "4"]
    with pytest.raises(BadRequestError, match="Fielddata is disabled"):
        loaded.search(index=READ, sort=["title"])


def test_source_filtering_and_total_hits_tracking(loaded: Elasticsearch) -> None:
    response = loaded.search(index=READ, source_includes=["url", "city"], size=1, sort=["url"])
    assert response["hits"]["hits"][0]["_source"] == {"url": "https://a.test/1", "city": "torino"}
    assert loaded.search(index=READ, source=False)["hits"]["hits"][0].get("_source") is None
    assert "total" not in loaded.search(index=READ, track_total_hits=False)["hits"]
    assert loaded.search(index=READ, track_total_hits=2)["hits"]["total"] == {
        "value": 2,
        "relation": "gte",
    }
    assert loaded.count(index=READ, query={"term": {"city": "bari"}})["count"] == 2


def test_aggregations_terms_metrics_and_weekly_histogram(loaded: Elasticsearch) -> None:
    response = loaded.search(
        index=READ,
        size=0,
        aggs={
            "cities": {
                "terms": {"field": "city", "size": 2},
                "aggs": {"reach": {"sum": {"field": "audience"}}},
            },
            "weeks": {"date_histogram": {"field": "date", "calendar_interval": "week"}},
            "days": {"date_histogram": {"field": "first_seen", "calendar_interval": "day"}},
            "avg": {"avg": {"field": "audience"}},
            "max": {"max": {"field": "date"}},
            "outlets": {"cardinality": {"field": "outlet.keyword"}},
            "counted": {"value_count": {"field": "tags"}},
        },
    )

    aggs = response["aggregations"]
    assert response["hits"]["hits"] == []
    cities = aggs["cities"]
    assert [(b["key"], b["doc_count"], b["reach"]["value"]) for b in cities["buckets"]] == [
        ("bari", 2, 1100.0),
        ("lecce", 1, 0.0),
    ]
    assert cities["sum_other_doc_count"] == 1
    assert [(b["key_as_string"], b["doc_count"]) for b in aggs["weeks"]["buckets"]] == [
        ("2023-12-11", 3),
        ("2023-12-18", 1),
    ]
    days = aggs["days"]["buckets"]
    assert days[0]["key_as_string"] == "2023-12-11T00:00:00.000Z"
    assert len(days) == 8  # empty days between are filled in
    assert aggs["avg"]["value"] == pytest.approx(766.666, rel=1e-3)
    assert aggs["max"]["value_as_string"] == "2023-12-18"
    assert aggs["outlets"]["value"] == 3
    assert aggs["counted"]["value"] == 5


def test_scan_reads_every_document_through_scroll(stub: ESStub, loaded: Elasticsearch) -> None:
    found = list(helpers.scan(loaded, index=READ, size=3, query={"query": {"match_all": {}}}))

    assert sorted(hit["_id"] for hit in found) == ["1", "2", "3", "4"]
    assert stub.requests_to("DELETE", "/_search/scroll")


def test_point_in_time_keeps_its_view_while_documents_change(loaded: Elasticsearch) -> None:
    pit = loaded.open_point_in_time(index=READ, keep_alive="1m")["id"]
    loaded.delete(index=WRITE, id="1")

    page = loaded.search(pit={"id": pit, "keep_alive": "1m"}, sort=[{"url": "asc"}], size=3)
    rest = loaded.search(
        pit={"id": pit},
        sort=[{"url": "asc"}],
        size=3,
        search_after=page["hits"]["hits"][-1]["sort"],
    )

    assert ids(page) + ids(rest) == ["1", "2", "3", "4"]
    assert len(page["hits"]["hits"][0]["sort"]) == 2  # the implicit _shard_doc tiebreaker
    assert loaded.close_point_in_time(id=pit)["succeeded"]


def test_unknown_query_is_a_parsing_error(loaded: Elasticsearch) -> None:
    with pytest.raises(BadRequestError) as raised:
        loaded.search(index=READ, query={"fuzzy_thing": {"title": "x"}})

    assert raised.value.error == "parsing_exception"


def test_search_on_a_missing_index_is_not_found(es: Elasticsearch) -> None:
    with pytest.raises(NotFoundError) as raised:
        es.search(index="absent")

    assert raised.value.error == "index_not_found_exception"


# --- reindex and by-query ------------------------------------------------------------------


def test_reindex_copies_documents_into_a_template_created_index(
    stub: ESStub, loaded: Elasticsearch
) -> None:
    loaded.indices.put_index_template(
        name="items", index_patterns=["items-v*"], template={"mappings": MAPPINGS}
    )

    answer = loaded.reindex(
        source={"index": READ, "query": {"term": {"city": "bari"}}}, dest={"index": "items-v2"}
    )

    assert answer["created"] == 2
    assert answer["total"] == 2
    assert answer["failures"] == []
    assert sorted(stub.indices["items-v2"].docs) == ["2", "3"]
    assert stub.indices["items-v2"].mappings == MAPPINGS


def test_delete_by_query_removes_matching_documents(stub: ESStub, loaded: Elasticsearch) -> None:
    answer = loaded.delete_by_query(index=READ, query={"term": {"city": "bari"}})

    assert answer["deleted"] == 2
    assert sorted(stub.indices[INDEX].docs) == ["1", "4"]


# --- misbehaviour, auth, compression -------------------------------------------------------


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

    stub.fail_next(1)
    with pytest.raises(ApiError) as raised:
        loaded.count(index=READ)
    assert raised.value.status_code == 503
    assert raised.value.body["error"]["type"] == "unavailable_shards_exception"


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


def test_compressed_request_bodies_are_read(stub: ESStub) -> None:
    with Elasticsearch(stub.url, http_compress=True) as client:
        client.indices.create(index=INDEX, mappings=MAPPINGS)
        helpers.bulk(client, [{"_index": INDEX, "_id": "1", "_source": {"url": "u"}}])
        assert (
            client.search(index=INDEX, query={"term": {"url": "u"}})["hits"]["total"]["value"] == 1
        )

    bulk_request = stub.requests_to("PUT", "/_bulk")[0]
    assert bulk_request.headers["content-encoding"] == "gzip"
    assert bulk_request.ndjson == [{"index": {"_index": INDEX, "_id": "1"}}, {"url": "u"}]


def test_unimplemented_endpoint_is_a_bad_request_naming_the_path(es: Elasticsearch) -> None:
    with pytest.raises(BadRequestError, match="_ingest/pipeline/p"):
        es.ingest.get_pipeline(id="p")


def test_recorded_requests_keep_path_params_and_json(stub: ESStub, loaded: Elasticsearch) -> None:
    loaded.search(index=READ, query={"match_all": {}}, size=1, request_cache=False)

    recorded = stub.requests_to("POST", f"/{READ}/_search")[-1]
    assert recorded.params == {"request_cache": "false"}
    assert recorded.json == {"query": {"match_all": {}}, "size": 1}
    assert json.loads(recorded.body) == recorded.json

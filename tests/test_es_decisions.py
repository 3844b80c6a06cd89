"""The desk's decisions in the Elasticsearch index, against the local ES stub: Kibana reads the
index directly, so it must see the rassegna as the office sends it, and no crawl, re-index,
outage or new index may lose a decision."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search.backends.choose import open_store
from search.backends.elasticsearch import ElasticsearchStore
from search.desk.decisions import Desk
from search.es.config import ESConfig
from search.es.documents import document_id
from search.es.schema import IndexNames
from search.es.setup import setup_indices
from search.files.data_dir import DataDir
from tests.conftest import ARTICLE_URL, ROOT, article, run_cli, write_csv
from tests.esstub import ESStub

NAMES = IndexNames()
NOW = "2023-11-23T10:00:00+00:00"
LATER = "2023-11-24T10:00:00+00:00"
OTHER_URL = "https://www.esempio.test/2023/11/24/bologna-sportello-unico/"


@pytest.fixture
def stub() -> Iterator[ESStub]:
    with ESStub() as server:
        setup_indices(ESConfig(url=server.url).client(), NAMES)
        yield server


def opened(stub: ESStub, data_dir: Path) -> ElasticsearchStore:
    store = open_store(data_dir, ESConfig(url=stub.url), writing=True)
    assert isinstance(store, ElasticsearchStore)
    return store


def stored_doc(stub: ESStub, url: str = ARTICLE_URL) -> dict[str, Any]:
    (index,) = stub.indices.values()
    source: dict[str, Any] = index.docs[document_id(url)]._source
    return source


def searched(stub: ESStub, query: dict[str, Any]) -> set[str]:
    client = ESConfig(url=stub.url).client()
    client.indices.refresh(index=NAMES.read_alias)
    hits = client.search(index=NAMES.read_alias, query=query)["hits"]["hits"]
    return {hit["_source"]["url"] for hit in hits}


def test_a_document_shows_the_decision_and_the_store_still_returns_the_crawled_item(
    stub: ESStub, tmp_path: Path
) -> None:
    store = opened(stub, tmp_path)
    store.upsert_many([article(), article(url=OTHER_URL, city="Bologna")], now=NOW)
    desk = Desk(DataDir(tmp_path).desk)
    desk.edit(
        ARTICLE_URL,
        {"title": "Roma nella rete per l'inclusione", "category": "portali", "city": "Milano"},
        actor="redazione",
    )
    desk.highlight(ARTICLE_URL, True, actor="redazione")
    desk.exclude(OTHER_URL, reason="doppione di un'agenzia", actor="redazione")
    assert store.publish_decisions([ARTICLE_URL, OTHER_URL]) == 2

    doc = stored_doc(stub)
    assert doc["title"] == "Roma nella rete per l'inclusione"
    assert doc["category"] == "portali"
    assert doc["category_label"] != "Quotidiani e quotidiani online"
    assert doc["city"] == "Milano"
    assert doc["city_location"]["lat"] == pytest.approx(45.46, abs=0.1)
    assert doc["desk"]["highlight"] is True
    assert doc["desk"]["excluded"] is False
    assert doc["desk"]["corrected"] == ["category", "city", "title"]
    assert doc["desk"]["original"]["title"] == article().title
    other = stored_doc(stub, OTHER_URL)
    assert other["desk"]["excluded"] is True
    assert other["desk"]["reason"] == "doppione di un'agenzia"

    # What a Kibana filter on the decision finds, through a real search.
    assert searched(stub, {"term": {"desk.excluded": True}}) == {OTHER_URL}
    assert searched(stub, {"term": {"desk.highlight": True}}) == {ARTICLE_URL}

    # The store API gives the item as crawled, as the embedded store does: callers apply the
    # desk's decisions themselves, once.
    item = store.get(ARTICLE_URL)
    assert item is not None
    assert item.article == article()
    assert store.publish_decisions() == 0  # nothing new: nothing is written again
    store.close()


def test_a_recrawl_an_import_and_a_restore_keep_the_index_in_step_with_the_desk(
    stub: ESStub, tmp_path: Path
) -> None:
    store = opened(stub, tmp_path)
    store.upsert(article(), now=NOW)
    desk = Desk(DataDir(tmp_path).desk)
    desk.edit(ARTICLE_URL, {"journalist": "Anna Verdi"}, actor="redazione")
    desk.exclude(ARTICLE_URL, reason="fuori tema", actor="redazione")
    store.publish_decisions([ARTICLE_URL])

    changed = article(text=article().text + " Il Comune apre un secondo sportello.")
    assert store.upsert(changed, now=LATER).changed
    doc = stored_doc(stub)
    assert doc["text"] == changed.text  # the new crawl...
    assert doc["journalist"] == "Anna Verdi"  # ...with the correction still in place
    assert doc["desk"]["excluded"] is True
    assert doc["desk"]["original"] == {"journalist": None}
    assert store.get(ARTICLE_URL).article == changed  # type: ignore[union-attr]

    desk.restore(ARTICLE_URL, actor="redazione")
    store.publish_decisions([ARTICLE_URL])
    assert stored_doc(stub)["desk"]["excluded"] is False
    store.close()


def test_a_decision_the_cluster_missed_reaches_it_at_the_next_crawl(
    stub: ESStub, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = opened(stub, tmp_path)
    store.upsert(article(), now=NOW)
    Desk(DataDir(tmp_path).desk).exclude(ARTICLE_URL, reason="fuori tema", actor="redazione")
    stub.go_down()
    with caplog.at_level(logging.WARNING):
        assert store.publish_decisions([ARTICLE_URL]) == 0
    assert "kept in the desk" in caplog.text
    store.close()
    stub.come_back()
    assert "desk" not in stored_doc(stub)

    later = opened(stub, tmp_path)  # a crawl opens the store for writing
    assert stored_doc(stub)["desk"]["excluded"] is True
    later.close()


def test_a_reindex_copies_the_decisions_and_a_new_empty_index_gets_them_again(
    stub: ESStub, tmp_path: Path
) -> None:
    store = opened(stub, tmp_path)
    store.upsert(article(), now=NOW)
    Desk(DataDir(tmp_path).desk).highlight(ARTICLE_URL, True, actor="redazione")
    store.publish_decisions()
    store.close()
    client = ESConfig(url=stub.url).client()
    client.indices.refresh(index=NAMES.read_alias)
    client.indices.create(index="rassegna-items-v9")  # the template gives it the mapping
    client.reindex(
        source={"index": NAMES.index()}, dest={"index": "rassegna-items-v9"}, refresh=True
    )
    copied = stub.indices["rassegna-items-v9"].docs[document_id(ARTICLE_URL)]._source
    assert copied["desk"] == stored_doc_in(stub, NAMES.index())["desk"]

    # The cluster is lost and set up again from scratch; the items come back from a crawl,
    # the decisions from the desk.
    stub.indices.clear()
    es = run_cli("es-setup", "--es-url", stub.url, data_dir=tmp_path)
    assert "0 desk decisions written" in es.stdout  # nothing to write them into yet
    fresh = opened(stub, tmp_path)
    fresh.upsert(article(), now=LATER)
    fresh.close()  # the end of a crawl
    assert stored_doc(stub)["desk"]["highlight"] is True


def stored_doc_in(stub: ESStub, index: str, url: str = ARTICLE_URL) -> dict[str, Any]:
    source: dict[str, Any] = stub.indices[index].docs[document_id(url)]._source
    return source


def test_es_setup_migrates_an_index_without_decisions_and_writes_them(
    stub: ESStub, tmp_path: Path
) -> None:
    """An archive indexed before the desk existed (schema 1) keeps its items and gains the
    decisions the office took meanwhile."""
    store = opened(stub, tmp_path)
    store.upsert(article(), now=NOW)
    store.close()
    old = stored_doc(stub)
    stub.indices.clear()
    client = ESConfig(url=stub.url).client()
    stub.templates.clear()
    mappings = index_mappings_without_desk()
    client.indices.create(
        index="rassegna-items-v1",
        mappings=mappings,
        aliases={NAMES.read_alias: {}, NAMES.write_alias: {"is_write_index": True}},
    )
    client.bulk(
        operations=[
            {"index": {"_index": "rassegna-items-v1", "_id": document_id(ARTICLE_URL)}},
            old,
        ]
    )
    client.indices.refresh(index="rassegna-items-v1")
    Desk(DataDir(tmp_path).desk).exclude(ARTICLE_URL, reason="doppione", actor="redazione")

    es = run_cli("es-setup", "--es-url", stub.url, data_dir=tmp_path)
    assert "1 documents copied" in es.stdout
    assert "1 desk decisions written" in es.stdout
    migrated = stored_doc_in(stub, NAMES.index())
    assert migrated["desk"]["excluded"] is True
    assert migrated["title"] == article().title


def index_mappings_without_desk() -> dict[str, Any]:
    from search.es.schema import MAPPINGS

    return {
        **MAPPINGS,
        "properties": {k: v for k, v in MAPPINGS["properties"].items() if k != "desk"},
    }


def test_the_review_command_writes_its_decision_into_the_index(
    stub: ESStub, tmp_path: Path
) -> None:
    csv = write_csv(
        tmp_path / "uscite.csv",
        [
            {
                "url": ARTICLE_URL,
                "outlet": "Esempio",
                "category": "quotidiani",
                "title": "Roma apre gli sportelli della rete",
                "date": "2023-11-23",
            }
        ],
    )
    options = ("--es-url", stub.url)
    run_cli("import", str(csv), *options, data_dir=tmp_path)
    run_cli(
        "review", "exclude", ARTICLE_URL, "--reason", "non pertinente", *options, data_dir=tmp_path
    )
    assert stored_doc(stub)["desk"]["excluded"] is True
    listed = run_cli("search", "sportelli", "--json", *options, data_dir=tmp_path)
    assert ARTICLE_URL not in listed.stdout  # search applies the decision too
    assert searched(stub, {"term": {"url": ARTICLE_URL}}) == {ARTICLE_URL}  # still archived


def test_kibana_objects_leave_out_what_the_office_excluded() -> None:
    objects = [
        json.loads(line)
        for line in (ROOT / "search" / "es" / "kibana.ndjson").read_text("utf-8").splitlines()
    ]

    def query(object_id: str) -> str:
        saved = next(o for o in objects if o["id"] == object_id)
        source = json.loads(saved["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        return str(source["query"]["query"])

    assert "not desk.excluded : true" in query("rassegna-menzioni-lgnet2")
    assert '"manual"' in query("rassegna-menzioni-lgnet2")
    assert "not desk.excluded : true" in query("rassegna-dashboard-lgnet2")
    assert query("rassegna-escluse") == "desk.excluded : true"


def test_the_stub_refuses_a_decision_field_the_mapping_lacks(stub: ESStub) -> None:
    """The mapping is strict inside ``desk`` too, as the real one is."""
    client = ESConfig(url=stub.url).client()
    answer = client.bulk(
        operations=[
            {"index": {"_index": NAMES.write_alias, "_id": "x"}},
            {"url": "u", "desk": {"colour": "red"}},
        ]
    )
    error = answer["items"][0]["index"]["error"]
    assert error["type"] == "strict_dynamic_mapping_exception"
    assert "[desk]" in error["reason"]

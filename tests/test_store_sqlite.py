"""The embedded store: idempotent upserts, first-seen kept, Italian full-text search."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from enrichment.records import Article
from search.backends.sqlite import SQLiteStore
from search.errors import QueryError, StoreError
from search.query import fts_expression
from search.store import SearchQuery


def article(**changes: object) -> Article:
    base = Article(
        url="https://www.esempio.test/2023/11/23/roma-rete-comuni/",
        outlet="Esempio",
        category="quotidiani",
        title="Roma entra nella rete dei comuni per l'inclusione",
        date="2023-11-23",
        text="I migranti accolti dal Comune trovano sportelli e alloggi. "
        "Il progetto LgNet2 coinvolge sedici città.",
        language="it",
        mentions=1,
        city="Roma",
        snippets=("il progetto LgNet2 coinvolge",),
        tags=("housing",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_upsert_twice_is_one_item_and_keeps_first_seen(store: SQLiteStore) -> None:
    first = store.upsert(article(), now="2023-11-23T10:00:00+00:00")
    again = store.upsert(article(), now="2023-11-24T10:00:00+00:00")
    assert (first.created, again.created, again.changed) == (True, False, False)
    assert store.count() == 1
    stored = store.get(article().url)
    assert stored is not None
    assert stored.first_seen == "2023-11-23T10:00:00+00:00"
    assert stored.changed_at == "2023-11-23T10:00:00+00:00"
    assert stored.article == article()


def test_a_changed_item_is_updated_and_reindexed(store: SQLiteStore) -> None:
    store.upsert(article(), now="2023-11-23T10:00:00+00:00")
    result = store.upsert(
        article(title="Roma, nuove unità di strada"), now="2023-11-25T08:00:00+00:00"
    )
    assert result.changed
    assert not result.created
    stored = store.get(article().url)
    assert stored is not None
    assert stored.first_seen.startswith("2023-11-23")
    assert stored.changed_at.startswith("2023-11-25")
    assert [s.article.title for s in store.search(SearchQuery(text="unità strada"))] == [
        "Roma, nuove unità di strada"
    ]
    assert store.search(SearchQuery(text="inclusione entra")) == []


def test_a_crawl_never_overwrites_an_imported_item(store: SQLiteStore) -> None:
    store.upsert(article(source="import", title="Titolo scelto dall'ufficio stampa"), now="t1")
    result = store.upsert(article(title="Titolo del sito"), now="t2")
    assert not result.changed
    stored = store.get(article().url)
    assert stored is not None
    assert stored.article.title == "Titolo scelto dall'ufficio stampa"


def test_search_uses_italian_stems(store: SQLiteStore) -> None:
    store.upsert(article(), now="t")
    for query in ("migrante", "comune", "alloggio", "città", "lgnet2", '"progetto lgnet2"'):
        assert len(store.search(SearchQuery(text=query))) == 1, query
    assert store.search(SearchQuery(text='"lgnet2 progetto"')) == []


def test_search_filters_and_operators(store: SQLiteStore) -> None:
    store.upsert(article(), now="t")
    store.upsert(
        article(
            url="https://www.esempio.test/2023/10/torino/",
            city="Torino",
            date="2023-10-18",
            mentions=0,
            title="Torino, mercato coperto",
        ),
        now="t",
    )
    assert len(store.search(SearchQuery(text="comune"))) == 2
    assert [s.article.city for s in store.search(SearchQuery(text="comune", city="torino"))] == [
        "Torino"
    ]
    assert len(store.search(SearchQuery(text="comune", since="2023-11-01"))) == 1
    assert len(store.search(SearchQuery(text="comune", until="2023-10-31"))) == 1
    assert len(store.search(SearchQuery(text="comune -mercato"))) == 1
    assert len(store.search(SearchQuery(text="mercato OR inclusione"))) == 2
    assert len(store.search(SearchQuery(mentions_only=True))) == 1


@pytest.mark.parametrize("query", ['"', "a:b", "NEAR(", "title:x OR", "*", "(((", "AND"])
def test_hostile_query_text_never_breaks_the_search(store: SQLiteStore, query: str) -> None:
    store.upsert(article(), now="t")
    assert isinstance(store.search(SearchQuery(text=query)), list)


def test_only_excluded_terms_is_a_clear_error() -> None:
    with pytest.raises(QueryError):
        fts_expression("-roma")
    assert fts_expression("   ") is None


def test_rassegna_items_are_mentions_and_imports_in_range(store: SQLiteStore) -> None:
    store.upsert(article(), now="t")
    store.upsert(article(url="https://x.test/a-b-c", mentions=0), now="t")
    store.upsert(
        article(url="https://x.test/social-1", mentions=0, source="import", date="2023-12-01"),
        now="t",
    )
    urls = [s.article.url for s in store.rassegna_items()]
    assert urls == [article().url, "https://x.test/social-1"]
    assert [s.article.url for s in store.rassegna_items(since="2023-11-30")] == [
        "https://x.test/social-1"
    ]


def test_an_unwritable_store_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(blocker / "rassegna.sqlite")


def test_a_corrupt_file_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "rassegna.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        SQLiteStore(path)
    assert path.read_bytes().startswith(b"this is not a database")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("select 1 from sqlite_master").fetchall()

"""The store contract (``search.store``): one suite, run against every backend.

Each test runs on the embedded SQLite store, on the Elasticsearch store talking to the local
stub (``tests.esstub``), and on a live cluster when ``ELASTICSEARCH_URL`` is set (marker
``elasticsearch``; its own index prefix, removed afterwards). What only one backend does is in
``test_store_sqlite.py`` and ``test_es_backend.py``.

Elasticsearch searches see writes once the index is refreshed (``Store.search``); the tests call
``searchable`` between writing and searching, as a reader in another process would find them
after the writer's close. ``count`` and ``rassegna_items`` must see every write on their own.
"""

from __future__ import annotations

import csv
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from crawler.imports import COLUMNS, import_csv
from crawler.sources import load_sources
from enrichment.records import Article
from search.backends.elasticsearch import ElasticsearchStore
from search.backends.sqlite import SQLiteStore
from search.errors import QueryError, StoreError
from search.es.config import ESConfig
from search.es.outbox import Outbox
from search.es.setup import setup_indices
from search.files.data_dir import DataDir
from search.render.snapshot import build_snapshot, to_json
from search.store import SearchQuery, Store, StoredItem
from tests.conftest import ARTICLE_URL, article
from tests.esstub import ESStub

NOW = "2023-11-23T10:00:00+00:00"
LATER = "2023-11-25T08:00:00+00:00"
TORINO = "https://www.esempio.test/2023/10/torino/"


@dataclass
class Backend:
    """One store under test, and how to take away what it stands on."""

    store: Store
    break_it: Callable[[], None] | None
    """Make the backend unusable (SQLite: its tables gone; Elasticsearch: the node down); None
    for a live cluster, which the suite does not break."""
    queues: bool
    """A write that cannot be made waits in an outbox instead of raising."""


LIVE = pytest.param(
    "elasticsearch-live",
    marks=[
        pytest.mark.elasticsearch,
        pytest.mark.skipif(
            not os.environ.get("ELASTICSEARCH_URL"),
            reason="no live cluster: set ELASTICSEARCH_URL to run the contract suite on it",
        ),
    ],
)


@pytest.fixture(params=["sqlite", "elasticsearch-stub", LIVE])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        path = tmp_path / "rassegna.sqlite"
        sqlite = SQLiteStore(path)
        yield Backend(sqlite, lambda: _drop_tables(path), queues=False)
        sqlite.close()
    elif request.param == "elasticsearch-stub":
        with ESStub() as stub:
            config = ESConfig(url=stub.url)
            setup_indices(config.client(), config.names)
            outbox = Outbox(DataDir(tmp_path).es_outbox)
            es = ElasticsearchStore(config.client(), config.names, outbox, config.where)
            yield Backend(es, stub.go_down, queues=True)
            es.close()
    else:
        with _live_store(tmp_path) as live:
            yield Backend(live, None, queues=True)


@pytest.fixture
def store(backend: Backend) -> Store:
    """The store of ``backend`` (this module's own, in place of conftest's SQLite one)."""
    return backend.store


@contextmanager
def _live_store(tmp_path: Path) -> Iterator[ElasticsearchStore]:
    config = ESConfig.from_env(prefix=f"rassegna-test-{uuid.uuid4().hex[:8]}")
    assert config is not None
    admin = config.client()
    setup_indices(admin, config.names)
    outbox = Outbox(DataDir(tmp_path).es_outbox)
    live = ElasticsearchStore(config.client(), config.names, outbox, config.where)
    try:
        yield live
    finally:
        live.close()
        cleanup = admin.options(ignore_status=404)
        cleanup.indices.delete(index=config.names.index())  # by name: wildcards are refused
        cleanup.indices.delete_index_template(name=config.names.template)
        admin.close()


def _drop_tables(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.executescript("DROP TABLE items_fts; DROP TABLE items;")


def searchable(store: Store) -> None:
    """Make the writes so far visible to searches (Elasticsearch refreshes on its schedule)."""
    if isinstance(store, ElasticsearchStore):
        store.refresh()


def torino(**changes: object) -> Article:
    defaults = {"url": TORINO, "city": "Torino", "date": "2023-10-18", "mentions": 0}
    return article(**{**defaults, "title": "Torino, mercato coperto", **changes})


def urls(items: list[StoredItem]) -> list[str]:
    return [s.article.url for s in items]


def found(store: Store, **query: object) -> list[str]:
    return urls(store.search(SearchQuery(**query)))  # type: ignore[arg-type]


# --- writes and reads ------------------------------------------------------------------


def test_upsert_twice_is_one_item_and_keeps_first_seen(store: Store) -> None:
    first = store.upsert(article(), now=NOW)
    again = store.upsert(article(), now=LATER)
    assert (first.created, first.changed, again.created, again.changed) == (
        True,
        True,
        False,
        False,
    )
    assert [(r.queued, r.rejected) for r in (first, again)] == [(False, None), (False, None)]
    assert store.count() == 1
    assert store.get(ARTICLE_URL) == StoredItem(article=article(), first_seen=NOW, changed_at=NOW)


def test_every_field_comes_back_as_written(store: Store) -> None:
    full = article(
        audience=119974,
        date_raw="23 novembre 2023",
        journalist="A. Gipponi",
        author_raw="di Anna Gipponi",
        snippets=("il progetto LgNet2 coinvolge", "rete dei comuni"),
        tags=("housing", "impegno civico"),
        site_name="Esempio Quotidiano",
        fetched_url="https://m.esempio.test/2023/11/23/roma-rete-comuni/",
        extra={"date_source": "meta", "attribution": "https://www.esempio.test/"},
    )
    bare = Article(url="https://x.test/solo-il-minimo", outlet="X", category="social")
    store.upsert_many([full, bare], now=NOW)
    assert store.get(full.url) == StoredItem(article=full, first_seen=NOW, changed_at=NOW)
    assert store.get(bare.url) == StoredItem(article=bare, first_seen=NOW, changed_at=NOW)
    assert list(store.rassegna_items()) == [store.get(full.url)]
    searchable(store)
    assert store.search(SearchQuery(text="inclusione")) == [store.get(full.url)]


def test_an_unknown_url_is_none(store: Store) -> None:
    store.upsert(article(), now=NOW)
    assert store.get("https://www.esempio.test/mai-vista/") is None


def test_a_changed_item_is_updated_and_reindexed(store: Store) -> None:
    store.upsert(article(), now=NOW)
    result = store.upsert(article(title="Roma, nuove unità di strada"), now=LATER)
    assert (result.created, result.changed) == (False, True)
    stored = store.get(ARTICLE_URL)
    assert stored is not None
    assert (stored.first_seen, stored.changed_at) == (NOW, LATER)
    assert stored.article == article(title="Roma, nuove unità di strada")
    assert store.count() == 1
    searchable(store)
    assert [s.article.title for s in store.search(SearchQuery(text="unità strada"))] == [
        "Roma, nuove unità di strada"
    ]
    assert store.search(SearchQuery(text="inclusione entra")) == []


def test_another_fetched_address_alone_is_no_change(store: Store) -> None:
    store.upsert(article(fetched_url="https://m.esempio.test/roma/"), now=NOW)
    result = store.upsert(article(fetched_url="https://amp.esempio.test/roma/"), now=LATER)
    assert (result.created, result.changed) == (False, False)
    assert store.get(ARTICLE_URL) == StoredItem(
        article=article(fetched_url="https://m.esempio.test/roma/"), first_seen=NOW, changed_at=NOW
    )


def test_a_crawl_never_overwrites_an_imported_item_but_an_import_does(store: Store) -> None:
    store.upsert(article(source="import", title="Titolo scelto dall'ufficio stampa"), now=NOW)
    result = store.upsert(article(title="Titolo del sito"), now=LATER)
    assert (result.created, result.changed) == (False, False)
    stored = store.get(ARTICLE_URL)
    assert stored is not None
    assert stored.article.title == "Titolo scelto dall'ufficio stampa"
    assert store.upsert(article(source="import", title="Titolo corretto"), now=LATER).changed
    assert store.get(ARTICLE_URL) == StoredItem(
        article=article(source="import", title="Titolo corretto"), first_seen=NOW, changed_at=LATER
    )
    store.upsert(torino(), now=NOW)
    assert store.upsert(torino(source="import", title="Torino, dal CSV"), now=LATER).changed
    imported = store.get(TORINO)
    assert imported is not None
    assert (imported.article.source, imported.article.title) == ("import", "Torino, dal CSV")


def test_upsert_many_answers_in_order_and_a_repeated_url_is_one_item(store: Store) -> None:
    store.upsert(article(), now=NOW)
    results = store.upsert_many(
        [torino(), article(), torino(), article(title="Roma, la rete cresce")], now=LATER
    )
    assert [(r.created, r.changed) for r in results] == [
        (True, True),
        (False, False),
        (False, False),
        (False, True),
    ]
    assert store.count() == 2
    stored = store.get(TORINO)
    assert stored is not None
    assert (stored.first_seen, stored.changed_at) == (LATER, LATER)


def test_count_and_rassegna_items_see_every_write_at_once(store: Store) -> None:
    store.upsert(article(), now=NOW)
    assert store.count() == 1
    store.upsert_many([torino(), torino(url="https://x.test/terzo-pezzo", mentions=2)], now=NOW)
    assert store.count() == 3
    assert sorted(s.article.url for s in store.rassegna_items()) == sorted(
        [ARTICLE_URL, "https://x.test/terzo-pezzo"]
    )


# --- search ------------------------------------------------------------------------------


def test_search_uses_italian_stems(store: Store) -> None:
    store.upsert(article(), now=NOW)
    searchable(store)
    for query in ("migrante", "comune", "alloggio", "città", "lgnet2", '"progetto lgnet2"'):
        assert len(store.search(SearchQuery(text=query))) == 1, query
    assert store.search(SearchQuery(text='"lgnet2 progetto"')) == []


def test_german_items_are_found_by_their_german_stems_and_snapshot_alike(
    store: Store, tmp_path: Path
) -> None:
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
    reference = SQLiteStore(tmp_path / "reference.sqlite")
    for each in (store, reference):
        each.upsert_many([base, german], now="2023-11-22T10:00:00+00:00")
    searchable(store)
    assert found(store, text="migrante") == [base.url]
    assert found(store, text="Netzwerke") == [german.url]
    assert to_json(build_snapshot(store, "LgNet2")) == to_json(build_snapshot(reference, "LgNet2"))
    reference.close()


def test_search_filters_and_operators(store: Store) -> None:
    store.upsert(article(), now=NOW)
    store.upsert(torino(), now=NOW)
    searchable(store)
    assert len(store.search(SearchQuery(text="comune"))) == 2
    assert [s.article.city for s in store.search(SearchQuery(text="comune", city="torino"))] == [
        "Torino"
    ]
    assert len(store.search(SearchQuery(text="comune", since="2023-11-01"))) == 1
    assert len(store.search(SearchQuery(text="comune", until="2023-10-31"))) == 1
    assert len(store.search(SearchQuery(text="comune -mercato"))) == 1
    assert len(store.search(SearchQuery(text="mercato OR inclusione"))) == 2
    assert len(store.search(SearchQuery(mentions_only=True))) == 1


def test_filters_match_the_whole_value_ignoring_case(store: Store) -> None:
    bolzano = article(
        url="https://x.test/bozen",
        city="Bolzano",
        language="de",
        title="Bozen im Netzwerk",
        text="Die Stadt nimmt teil.",
    )
    radio = torino(outlet="Rete Sette", category="radio_tv")
    store.upsert_many([article(), radio, bolzano], now=NOW)
    searchable(store)
    assert found(store, city="ROMA") == [ARTICLE_URL]
    assert found(store, city="Rom") == []
    assert sorted(found(store, category="QUOTIDIANI")) == sorted([ARTICLE_URL, bolzano.url])
    assert found(store, category="radio_tv") == [TORINO]
    assert sorted(found(store, outlet="esempio")) == sorted([ARTICLE_URL, bolzano.url])
    assert found(store, outlet="rete sette") == [TORINO]
    assert found(store, outlet="Rete") == []
    assert found(store, language="DE") == [bolzano.url]
    assert found(
        store,
        text="comune",
        city="roma",
        category="quotidiani",
        outlet="ESEMPIO",
        language="it",
        since="2023-11-23",
        until="2023-11-23",
        mentions_only=True,
    ) == [ARTICLE_URL]


def test_date_bounds_are_inclusive_and_leave_out_undated_items(store: Store) -> None:
    first = article(url="https://x.test/primo-novembre", date="2023-11-01")
    last = article(url="https://x.test/trenta-novembre", date="2023-11-30")
    undated = article(url="https://x.test/senza-data", date=None)
    store.upsert_many([first, last, undated], now=NOW)
    searchable(store)
    assert sorted(found(store, since="2023-11-01", until="2023-11-30")) == sorted(
        [first.url, last.url]
    )
    assert found(store, since="2023-11-30") == [last.url]
    assert found(store, until="2023-11-01") == [first.url]
    assert found(store, since="2023-12-01") == []
    assert len(found(store)) == 3
    window = store.rassegna_items(since="2023-11-01", until="2023-11-30")
    assert sorted(s.article.url for s in window) == sorted([first.url, last.url])
    assert [s.article.url for s in store.rassegna_items(since="2023-11-30")] == [last.url]
    assert [s.article.url for s in store.rassegna_items(until="2023-11-01")] == [first.url]
    assert len(list(store.rassegna_items())) == 3


def test_or_joins_only_the_two_terms_around_it(store: Store) -> None:
    store.upsert_many([article(), torino()], now=NOW)
    searchable(store)
    assert found(store, text="roma inclusione OR mercato") == [ARTICLE_URL]
    assert found(store, text="torino OR roma mercato") == [TORINO]
    assert found(store, text="roma OR torino -mercato") == [ARTICLE_URL]
    assert sorted(found(store, text="mercato OR inclusione OR nessuno")) == sorted(
        [ARTICLE_URL, TORINO]
    )
    assert sorted(found(store, text="OR comune OR")) == sorted([ARTICLE_URL, TORINO])


def test_phrases_and_exclusions(store: Store) -> None:
    store.upsert_many([article(), torino()], now=NOW)
    searchable(store)
    assert sorted(found(store, text='"progetto lgnet2"')) == sorted([ARTICLE_URL, TORINO])
    assert found(store, text='"lgnet2 progetto"') == []
    assert found(store, text="-mercato comune") == [ARTICLE_URL]
    assert found(store, text='comune -"mercato coperto"') == [ARTICLE_URL]
    assert sorted(found(store, text='comune -"coperto mercato"')) == sorted([ARTICLE_URL, TORINO])
    assert found(store, text='"mercato coperto" -roma') == [TORINO]


@pytest.mark.parametrize("text", ["-roma", '-roma -"mercato coperto"', "-roma OR -torino"])
def test_only_excluded_terms_is_a_query_error(store: Store, text: str) -> None:
    store.upsert(article(), now=NOW)
    with pytest.raises(QueryError):
        store.search(SearchQuery(text=text))


def test_operator_characters_typed_by_users_are_plain_text(store: Store) -> None:
    store.upsert_many([article(), torino()], now=NOW)
    searchable(store)
    assert found(store, text="roma|torino") == []  # one phrase "roma torino", not roma OR torino
    assert found(store, text="+torino") == [TORINO]
    assert found(store, text="(torino)") == [TORINO]
    assert found(store, text="inclus*") == []  # no prefix search: the word's own stem
    assert found(store, text="torino~2") == []  # no fuzzy search: the phrase "torino 2"
    everything = sorted([ARTICLE_URL, TORINO])
    for text in ('"', "*", "(((", " OR ", "-"):
        assert sorted(found(store, text=text)) == everything, text  # no word: no text filter
    for text in ("a:b", "NEAR(", "title:x OR", "AND", '"unbalanced', "roma)"):
        assert isinstance(store.search(SearchQuery(text=text)), list), text


def test_without_text_newest_first_undated_last_at_most_limit(store: Store) -> None:
    dates = ["2023-11-01", "2023-11-30", None, "2023-11-15"]
    store.upsert_many(
        [article(url=f"https://x.test/pezzo-{i}", date=d) for i, d in enumerate(dates)], now=NOW
    )
    searchable(store)
    assert found(store) == [
        "https://x.test/pezzo-1",
        "https://x.test/pezzo-3",
        "https://x.test/pezzo-0",
        "https://x.test/pezzo-2",
    ]
    assert found(store, limit=2) == ["https://x.test/pezzo-1", "https://x.test/pezzo-3"]
    assert found(store, text="migranti", limit=1) == ["https://x.test/pezzo-1"]


def test_a_match_in_the_title_ranks_first(store: Store) -> None:
    in_title = article(
        url="https://x.test/nel-titolo",
        title="Sportello per i migranti",
        text="Apre in centro.",
        date="2023-11-01",
    )
    in_text = article(
        url="https://x.test/nel-testo",
        title="Apre lo sportello",
        text="Un servizio per i migranti della città.",
        date="2023-11-30",
    )
    store.upsert_many([in_text, in_title], now=NOW)
    searchable(store)
    assert found(store, text="migranti") == [in_title.url, in_text.url]


# --- the rassegna ------------------------------------------------------------------------


def test_rassegna_items_are_mentions_and_imports_in_range(store: Store) -> None:
    store.upsert(article(), now=NOW)
    store.upsert(article(url="https://x.test/a-b-c", mentions=0), now=NOW)
    store.upsert(
        article(url="https://x.test/social-1", mentions=0, source="import", date="2023-12-01"),
        now=NOW,
    )
    assert sorted(s.article.url for s in store.rassegna_items()) == sorted(
        [ARTICLE_URL, "https://x.test/social-1"]
    )
    assert [s.article.url for s in store.rassegna_items(since="2023-11-30")] == [
        "https://x.test/social-1"
    ]
    assert [s.article.url for s in store.rassegna_items(until="2023-11-30")] == [ARTICLE_URL]


def test_updated_is_the_day_in_rome_of_the_latest_change(store: Store) -> None:
    def updated() -> str | None:
        return build_snapshot(store, "LgNet2")["updated"]

    assert updated() is None
    second = torino(mentions=1)
    store.upsert(article(), now="2023-11-23T10:00:00+00:00")
    store.upsert(second, now="2023-11-24T23:30:00+00:00")  # 00:30 on the 25th in Rome
    assert updated() == "2023-11-25"
    store.upsert_many(
        [article(), replace(second, fetched_url="https://m.esempio.test/torino/")],
        now="2023-12-01T10:00:00+00:00",
    )
    assert updated() == "2023-11-25"  # nothing changed
    store.upsert(article(title="Roma, la rete cresce"), now="2023-12-02T08:00:00+00:00")
    assert updated() == "2023-12-02"
    store.upsert(
        article(url="https://x.test/non-una-uscita", mentions=0), now="2023-12-05T10:00:00+00:00"
    )
    assert updated() == "2023-12-02"


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


def test_the_reference_rassegna_has_the_same_snapshot_byte_for_byte(
    store: Store, tmp_path: Path, reference_rows: list[dict[str, str]]
) -> None:
    registry = load_sources()
    path = reference_csv(reference_rows, tmp_path / "reference.csv")
    embedded = SQLiteStore(tmp_path / "embedded.sqlite")
    crawled = [
        article(url=f"https://x.test/articolo-senza-menzione-{i}", mentions=0) for i in range(5)
    ] + [article()]
    for each in (embedded, store):
        import_csv(path, each, registry, now=NOW)
        each.upsert_many(crawled, now=LATER)
    assert store.count() == embedded.count() == 66
    expected = to_json(build_snapshot(embedded, "LgNet2"))
    assert to_json(build_snapshot(store, "LgNet2")) == expected
    assert '"uscite": 61' in expected
    for since, until in (("2023-11-01", None), (None, "2023-10-31")):
        assert build_snapshot(store, "LgNet2", since=since, until=until) == build_snapshot(
            embedded, "LgNet2", since=since, until=until
        )
    embedded.close()


# --- closing and failures ----------------------------------------------------------------


def test_close_is_safe_twice_and_quiet(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    store.upsert(article(), now=NOW)
    with caplog.at_level(logging.WARNING):
        store.close()
        store.close()
    assert caplog.records == []


def test_a_backend_that_cannot_be_read_raises_store_error(backend: Backend) -> None:
    if backend.break_it is None:
        pytest.skip("the suite does not break a live cluster")
    store = backend.store
    store.upsert(article(), now=NOW)
    backend.break_it()
    with pytest.raises(QueryError):  # checked before anything is read
        store.search(SearchQuery(text="-roma"))
    with pytest.raises(StoreError):
        store.get(ARTICLE_URL)
    with pytest.raises(StoreError):
        store.search(SearchQuery(text="roma"))
    with pytest.raises(StoreError):
        list(store.rassegna_items())
    with pytest.raises(StoreError):
        store.count()


def test_a_write_that_cannot_be_made_raises_or_waits_in_the_outbox(backend: Backend) -> None:
    if backend.break_it is None:
        pytest.skip("the suite does not break a live cluster")
    store = backend.store
    store.upsert(article(), now=NOW)
    backend.break_it()
    if backend.queues:
        assert store.upsert(torino(), now=LATER).queued
        assert [r.queued for r in store.upsert_many([article(title="x"), torino()], now=LATER)] == [
            True,
            True,
        ]
    else:
        with pytest.raises(StoreError):
            store.upsert(torino(), now=LATER)
        with pytest.raises(StoreError):
            store.upsert_many([article(title="x")], now=LATER)

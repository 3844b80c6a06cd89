"""What only the embedded store does: FTS5 expressions, the uscite's order, its file.

What every store does (idempotent upserts, first-seen kept, Italian full-text search, filters,
the rassegna) is in ``test_store_contract.py``, which runs against this backend too.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from search.backends.fts import fts_expression
from search.backends.sqlite import SQLiteStore
from search.errors import QueryError, StoreError
from search.store import SearchQuery
from tests.conftest import article

NOW = "2023-11-23T10:00:00+00:00"


@pytest.mark.parametrize("query", ['"', "a:b", "NEAR(", "title:x OR", "*", "(((", "AND"])
def test_hostile_query_text_never_breaks_the_search(store: SQLiteStore, query: str) -> None:
    store.upsert(article(), now=NOW)
    assert isinstance(store.search(SearchQuery(text=query)), list)


def test_only_excluded_terms_is_a_clear_error() -> None:
    with pytest.raises(QueryError):
        fts_expression("-roma")
    assert fts_expression("   ") is None


def test_every_term_is_quoted_into_the_fts5_expression() -> None:
    assert fts_expression('roma inclusione OR mercato -"mercato coperto"') == (
        '("rom" AND ("inclusion" OR "merc")) NOT "merc copert"'
    )
    assert fts_expression("a OR b OR c") == '(("a" OR "b") OR "c")'
    assert fts_expression('a:b NEAR( "x" AND') == '"a b" AND "near" AND "x" AND "and"'


def test_the_uscite_come_by_date_then_outlet(store: SQLiteStore) -> None:
    store.upsert(
        article(url="https://x.test/social-1", source="import", date="2023-12-01"), now=NOW
    )
    store.upsert(article(outlet="Zeta"), now=NOW)
    store.upsert(article(url="https://x.test/b", outlet="Alfa"), now=NOW)
    assert [s.article.url for s in store.rassegna_items()] == [
        "https://x.test/b",
        article().url,
        "https://x.test/social-1",
    ]


def test_an_unwritable_store_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(blocker / "rassegna.sqlite")


def test_workers_creating_the_same_new_store_together_all_open_it(tmp_path: Path) -> None:
    # Two workers of a distributed run start at once on an empty data folder: while the new
    # file is still in rollback-journal mode SQLite refuses one of them at once ("locked")
    # rather than letting it wait; before the opening was retried, 2 rounds in 60 failed.
    failures: list[str] = []
    for round_ in range(40):
        path = tmp_path / f"r{round_}" / "rassegna.sqlite"
        barrier = threading.Barrier(4)

        def open_it(path: Path = path, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                SQLiteStore(path).close()
            except StoreError as exc:
                failures.append(str(exc))

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_a_corrupt_file_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "rassegna.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        SQLiteStore(path)
    assert path.read_bytes().startswith(b"this is not a database")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("select 1 from sqlite_master").fetchall()


def test_a_store_from_before_the_wall_and_new_outlet_flags_keeps_its_items(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rassegna.sqlite"
    store = SQLiteStore(path)
    store.upsert(article(url="https://www.esempio.test/vecchio"), now="2023-10-01T08:00:00")
    store.close()
    db = sqlite3.connect(path)  # the file as the previous release wrote it: no flag columns
    db.execute("ALTER TABLE items DROP COLUMN walled")
    db.execute("ALTER TABLE items DROP COLUMN new_outlet")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    old = store.get("https://www.esempio.test/vecchio")
    assert old is not None
    assert (old.article.walled, old.article.new_outlet) == (False, False)
    walled = article(url="https://www.esempio.test/muro", walled=True, new_outlet=True)
    store.upsert(walled, now="2023-10-02T08:00:00")
    again = store.get("https://www.esempio.test/muro")
    assert store.count() == 2
    store.close()
    assert again is not None
    assert (again.article.walled, again.article.new_outlet) == (True, True)

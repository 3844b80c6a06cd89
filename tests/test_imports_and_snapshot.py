"""CSV import (contract 2) and the snapshot JSON (contract 4), on the reference's own facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.errors import ImportFileError
from crawler.imports import COLUMNS, import_csv
from crawler.sources import load_sources
from search.backends.sqlite import SQLiteStore
from search.render.snapshot import build_snapshot, to_json
from tests.conftest import reference_as_import, write_csv

REGISTRY = load_sources()


def test_reference_figures_reproduced_from_its_rows(
    tmp_path: Path, store: SQLiteStore, reference_rows: list[dict[str, str]]
) -> None:
    path = write_csv(tmp_path / "reference.csv", reference_as_import(reference_rows))
    result = import_csv(path, store, REGISTRY, now="2023-12-14T09:00:00+00:00")
    assert (result.created, result.errors) == (60, [])
    snapshot = build_snapshot(store, "LgNet2")
    assert snapshot["updated"] == "2023-12-14"
    assert snapshot["total"] == {"uscite": 60, "audience": 2671802}
    by_id = {c["id"]: (c["uscite"], c["audience"]) for c in snapshot["categories"]}
    assert by_id == {
        "agenzie": (10, None),
        "quotidiani": (20, 1641811),
        "periodici": (1, None),
        "specializzati": (0, None),
        "radio_tv": (1, 33000),
        "social": (13, 401735),
        "portali": (15, 595256),
    }
    assert [c["label"] for c in snapshot["categories"]][:2] == [
        "Agenzie",
        "Quotidiani e quotidiani online",
    ]
    journalists = {i["title"][:30]: i["journalist"] for i in snapshot["items"] if i["journalist"]}
    assert "A. Gipponi" in journalists.values()
    assert "G. Di Meo" in journalists.values()
    assert all(i["source"] == "import" for i in snapshot["items"])


def test_importing_twice_changes_nothing(
    tmp_path: Path, store: SQLiteStore, reference_rows: list[dict[str, str]]
) -> None:
    path = write_csv(tmp_path / "r.csv", reference_as_import(reference_rows[:5]))
    import_csv(path, store, REGISTRY, now="2023-12-14T09:00:00+00:00")
    before = to_json(build_snapshot(store, "LgNet2"))
    again = import_csv(path, store, REGISTRY, now="2024-01-02T09:00:00+00:00")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert to_json(build_snapshot(store, "LgNet2")) == before


def test_malformed_rows_are_reported_by_line_and_the_rest_kept(
    tmp_path: Path, store: SQLiteStore
) -> None:
    good = {
        "url": "https://www.facebook.com/x/posts/1",
        "outlet": "Facebook – Trieste Cafè",
        "category": "social",
        "audience": "119974",
        "date": "2023-12-01",
        "title": "Trieste nella rete LgNet2",
        "journalist": "",
        "text": "",
    }
    rows = [
        good,
        {**good, "url": "not a url"},
        {**good, "url": "https://x.test/2", "category": "blog"},
        {**good, "url": "https://x.test/3", "date": "1 dicembre"},
        {**good, "url": "https://x.test/4", "audience": "tanti"},
        {**good, "url": "https://x.test/5", "title": ""},
        {**good, "url": "https://x.test/6", "category": "Social Network", "audience": ""},
    ]
    path = write_csv(tmp_path / "m.csv", rows)
    result = import_csv(path, store, REGISTRY, now="2023-12-02T00:00:00+00:00")
    assert result.created == 2
    assert [e.split(": ", 1)[0] for e in result.errors] == [f"{path}:{n}" for n in (3, 4, 5, 6, 7)]
    assert "url" in result.errors[0]
    assert "category" in result.errors[1]
    assert "date" in result.errors[2]
    assert "audience" in result.errors[3]
    stored = store.get("https://x.test/6")
    assert stored is not None
    assert stored.article.category == "social"
    assert stored.article.audience == 119974  # empty audience taken from the registry


def test_a_file_with_the_wrong_header_is_refused_whole(tmp_path: Path, store: SQLiteStore) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("link,testata\nhttps://x.test/1,X\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"bad\.csv: header lacks url"):
        import_csv(path, store, REGISTRY, now="t")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(COLUMNS).encode() + b"\nhttps://x.test/1,Citt\x81\xe0")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        import_csv(latin, store, REGISTRY, now="t")
    assert store.count() == 0


def test_snapshot_json_shape_and_stability(tmp_path: Path, store: SQLiteStore) -> None:
    path = write_csv(
        tmp_path / "one.csv",
        [
            {
                "url": "https://www.ansa.it/x/roma-rete",
                "outlet": "ANSA - General News",
                "category": "agenzie",
                "audience": "",
                "date": "2023-11-23",
                "title": "Roma fra Comuni rete LgNet2",
                "journalist": "Redazione",
                "text": "(ANSA) - ROMA, 23 NOV - Il Comune di Roma aderisce alla rete LgNet2.",
            }
        ],
    )
    import_csv(path, store, REGISTRY, now="2023-11-23T23:30:00+00:00")
    snapshot = build_snapshot(store, "LgNet2")
    assert snapshot["updated"] == "2023-11-24"  # Italian day of the change
    assert len(snapshot["categories"]) == 7
    assert snapshot["items"] == [
        {
            "category": "agenzie",
            "outlet": "ANSA - General News",
            "audience": None,
            "title": "Roma fra Comuni rete LgNet2",
            "date": "2023-11-23",
            "journalist": None,
            "url": "https://www.ansa.it/x/roma-rete",
            "city": "Roma",
            "language": "it",
            "mentions": 2,
            "source": "import",
        }
    ]
    assert json.loads(to_json(snapshot)) == snapshot
    assert to_json(build_snapshot(store, "LgNet2")) == to_json(snapshot)


def test_imported_row_of_a_registry_outlet_takes_its_home_city_as_the_crawl_does(
    tmp_path: Path, store: SQLiteStore
) -> None:
    row = {
        "url": "https://www.torinoggi.it/2023/10/20/leggi-notizia/sportello-lgnet2",
        "outlet": "Torinoggi.it",
        "category": "quotidiani",
        "audience": "",
        "date": "2023-10-20",
        "title": "Apre lo sportello LgNet2 per i nuovi residenti",
        "journalist": "",
        "text": "Lo sportello del progetto LgNet2 accoglie da lunedì chi arriva in città.",
    }
    import_csv(write_csv(tmp_path / "one.csv", [row]), store, REGISTRY, now="2023-12-14T09:00:00Z")
    (item,) = build_snapshot(store, "LgNet2")["items"]
    assert (item["city"], item["audience"]) == ("Torino", REGISTRY.outlet("Torinoggi.it").audience)

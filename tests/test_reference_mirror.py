"""Acceptance: the reference rassegna reproduced by crawling a mirror of its web coverage.

The mirror (``tests/mirror``) serves the real outlets' hostnames and article URLs with synthetic
headlines, texts and decoys; the real command line crawls it through ``--connect-to``, imports
the rows that cannot be crawled, and writes the snapshot, which must hold the reference's 60
uscite and nothing else. The reference is read at run time from ``tests/fixtures/reference``.
"""

from __future__ import annotations

import csv
import http.client
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from enrichment.registry import Registry, load_registry
from simweb.server import Web
from tests.conftest import run_cli
from tests.mirror.catalog import STORIES
from tests.mirror.reference import ReferenceRow
from tests.mirror.web import build_mirror

MIRROR = Path(__file__).resolve().parent / "mirror"
SOURCES = MIRROR / "sources.yaml"
IMPORTS = MIRROR / "imports.csv"

Key = tuple[str, str, str, str, str | None]
"""(outlet, category, title, date, journalist): how an uscita is matched to the reference."""


@pytest.fixture(scope="module")
def mirror_registry() -> Registry:
    return load_registry(SOURCES)


@pytest.fixture
def mirror() -> Iterator[Web]:
    with build_mirror() as web:
        yield web


def expected_outlet(row: ReferenceRow, registry: Registry) -> str:
    """The label the rassegna must print for a reference row.

    Aggregator rows read "<aggregator> – <brand>" with an en dash; the reference itself writes
    one of them (row 46) with a hyphen, which is normalised here and nowhere else.
    """
    head, sep, brand = row.outlet.partition(" - ")
    if sep and any(o.name == head and o.aggregator for o in registry.outlets):
        return f"{head} – {brand}"
    return row.outlet


def reference_key(row: ReferenceRow, registry: Registry) -> Key:
    return (expected_outlet(row, registry), row.category, row.title, row.date, row.journalist)


def item_key(item: dict[str, Any]) -> Key:
    return (item["outlet"], item["category"], item["title"], item["date"], item["journalist"])


def get(web: Web, url: str) -> tuple[int, str, str]:
    """(status, Location, body) of one plain-HTTP request to the mirror, by Host header."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        connection.request("GET", target, headers={"Host": parts.hostname or ""})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


def get_following(web: Web, url: str) -> tuple[int, str]:
    """Follow redirects and retry a 503 once, as a crawler does."""
    for _ in range(4):
        status, location, body = get(web, url)
        if status in (301, 302):
            url = location
        elif status == 503:
            continue
        else:
            return status, body
    return status, body


# -- the mirror itself (fast) ----------------------------------------------------------------


def test_mirror_serves_every_entry_point_of_its_registry(
    mirror: Web, mirror_registry: Registry
) -> None:
    entry_points = [
        url
        for outlet in mirror_registry.outlets
        for _, url in outlet.entry_points(mirror_registry.topic.query)
    ]
    assert len(entry_points) > 80
    failing = [
        (url, status) for url in entry_points if (status := get_following(mirror, url)[0]) != 200
    ]
    assert failing == []


def test_mirror_serves_every_crawlable_reference_row_at_its_real_url(
    mirror: Web, reference: list[ReferenceRow]
) -> None:
    crawlable = {row.url: row for row in reference if row.crawlable}
    assert {story.url for story in STORIES} == set(crawlable)
    for url, row in crawlable.items():
        status, body = get_following(mirror, url)
        assert status == 200, url
        heading = row.title.replace('"', "&quot;")
        assert f">{heading}</h1>" in body, url


def test_site_search_finds_the_stories_and_no_decoy(mirror: Web) -> None:
    status, body = get_following(
        mirror, "https://www.genova24.it/wp-json/wp/v2/posts?search=lgnet2"
    )
    assert status == 200
    assert [post["link"] for post in json.loads(body)] == [
        story.url for story in STORIES if story.host == "www.genova24.it"
    ]


def test_yoast_sites_redirect_the_core_sitemap_to_their_index(mirror: Web) -> None:
    status, location, _ = get(mirror, "https://www.latinanews.eu/wp-sitemap.xml")
    assert (status, location) == (301, "https://www.latinanews.eu/sitemap_index.xml")


def test_mirror_registry_attributes_every_crawlable_row_to_its_outlet(
    mirror_registry: Registry, reference: list[ReferenceRow]
) -> None:
    for row in reference:
        if row.crawlable:
            outlet = mirror_registry.outlet_for_url(row.url or "")
            assert outlet is not None, row.url
            assert expected_outlet(row, mirror_registry).startswith(outlet.name), row


def test_imports_hold_exactly_the_reference_rows_that_cannot_be_crawled(
    reference: list[ReferenceRow],
) -> None:
    with IMPORTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    imported = Counter(
        (r["outlet"], r["category"], r["audience"], r["date"], r["title"], r["journalist"])
        for r in rows
    )
    expected = Counter(
        (
            r.outlet,
            r.category,
            "" if r.audience is None else str(r.audience),
            r.date,
            r.title,
            r.journalist or "",
        )
        for r in reference
        if not r.crawlable
    )
    assert imported == expected
    assert len({r["url"] for r in rows}) == len(rows)
    assert all(r["text"] and "LgNet2" in r["text"] for r in rows)


# -- end to end through the command line (slow) ---------------------------------------------


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("rassegna-data")
    out = data / "s.json"
    with build_mirror() as web:
        run_cli(
            "crawl",
            "--sources",
            str(SOURCES),
            "--connect-to",
            web.connect_to,
            "--data-dir",
            str(data),
            data_dir=data,
            timeout=280,
        )
    run_cli("import", str(IMPORTS), "--data-dir", str(data), data_dir=data)
    run_cli(
        "snapshot",
        "--format",
        "json",
        "--out",
        str(out),
        "--data-dir",
        str(data),
        data_dir=data,
    )
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_rassegna_holds_every_reference_row_and_nothing_else(
    snapshot: dict[str, Any], reference: list[ReferenceRow], mirror_registry: Registry
) -> None:
    expected = Counter(reference_key(row, mirror_registry) for row in reference)
    found = Counter(item_key(item) for item in snapshot["items"])
    assert sorted((expected - found).elements()) == [], "reference rows missing"
    assert sorted((found - expected).elements()) == [], "uscite not in the reference"
    assert len(snapshot["items"]) == len(reference) == 60


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_category_counts_and_audience_match_the_reference(
    snapshot: dict[str, Any], reference: list[ReferenceRow]
) -> None:
    uscite = Counter(row.category for row in reference)
    audience: dict[str, int | None] = {}
    for row in reference:
        if row.audience is not None:
            audience[row.category] = (audience.get(row.category) or 0) + row.audience
    assert [(c["id"], c["uscite"], c["audience"]) for c in snapshot["categories"]] == [
        (cid, uscite.get(cid, 0), audience.get(cid))
        for cid in (
            "agenzie",
            "quotidiani",
            "periodici",
            "specializzati",
            "radio_tv",
            "social",
            "portali",
        )
    ]
    assert [uscite[c] for c in ("agenzie", "quotidiani", "periodici", "radio_tv")] == [10, 20, 1, 1]
    total = sum(row.audience or 0 for row in reference)
    assert snapshot["total"] == {"uscite": 60, "audience": total}
    assert total == 2671802


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_each_uscita_has_its_outlet_audience(
    snapshot: dict[str, Any], reference: list[ReferenceRow], mirror_registry: Registry
) -> None:
    expected = Counter((*reference_key(r, mirror_registry), r.audience) for r in reference)
    found = Counter((*item_key(i), i["audience"]) for i in snapshot["items"])
    assert found == expected


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_crawled_uscite_are_the_crawlable_rows_at_their_real_urls(
    snapshot: dict[str, Any], reference: list[ReferenceRow], mirror_registry: Registry
) -> None:
    expected = Counter(
        (*reference_key(r, mirror_registry), r.url) for r in reference if r.crawlable
    )
    crawled = Counter((*item_key(i), i["url"]) for i in snapshot["items"] if i["source"] == "crawl")
    assert crawled == expected
    imported = [i for i in snapshot["items"] if i["source"] == "import"]
    assert len(imported) == sum(1 for r in reference if not r.crawlable)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_uscite_are_placed_in_the_reference_cities_and_in_italian(
    snapshot: dict[str, Any], reference: list[ReferenceRow], mirror_registry: Registry
) -> None:
    expected = Counter((*reference_key(r, mirror_registry), r.city) for r in reference)
    found = Counter((*item_key(i), i["city"]) for i in snapshot["items"])
    assert sorted((expected - found).elements()) == []
    assert {item["language"] for item in snapshot["items"]} == {"it"}
    assert all(item["mentions"] >= 1 for item in snapshot["items"] if item["source"] == "crawl")

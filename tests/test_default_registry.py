"""The bundled registry (``crawler/sources.yaml``) against the reference rassegna, and the
loader's refusals of broken registry files."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import load_sources
from enrichment.errors import RegistryError
from enrichment.registry import Registry
from tests.mirror.reference import ReferenceRow

AGGREGATORS = {"Virgilio.it", "Zazoom.it", "Informazione.it", "Liguria24.it", "Fvgcafe.it"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_sources()


def registry_outlet_name(registry: Registry, label: str) -> str:
    """The registry outlet behind a Testata label: itself, or the aggregator before the dash."""
    names = {outlet.name for outlet in registry.outlets}
    if label in names:
        return label
    for dash in (" – ", " - "):
        head, sep, _brand = label.partition(dash)
        if sep and head in names:
            return head
    raise AssertionError(f"no registry outlet for the reference's {label!r}")


def entry_urls(registry: Registry) -> list[str]:
    return [
        url
        for outlet in registry.outlets
        for url in (*outlet.feeds, *outlet.sitemaps, *outlet.pages, *outlet.search)
    ]


def test_bundled_registry_loads_with_the_lgnet2_topic(registry: Registry) -> None:
    assert registry.topic.name == "LgNet2"
    assert registry.topic.query == "lgnet2"
    assert len(registry.outlets) > 40


def test_every_reference_outlet_is_in_the_registry(
    registry: Registry, reference: list[ReferenceRow]
) -> None:
    missing = []
    for row in reference:
        try:
            registry_outlet_name(registry, row.outlet)
        except AssertionError:
            missing.append(row.outlet)
    assert missing == []


def test_aggregator_rows_map_to_a_single_aggregator_outlet(
    registry: Registry, reference: list[ReferenceRow]
) -> None:
    names = {outlet.name for outlet in registry.outlets}
    for row in reference:
        if row.outlet not in names:
            assert registry.outlet(registry_outlet_name(registry, row.outlet)).aggregator, row
    assert {outlet.name for outlet in registry.outlets if outlet.aggregator} == AGGREGATORS


def test_categories_match_the_reference(registry: Registry, reference: list[ReferenceRow]) -> None:
    wrong = [
        (row.n, row.outlet, row.category, outlet.category)
        for row in reference
        if (outlet := registry.outlet(registry_outlet_name(registry, row.outlet))).category
        != row.category
    ]
    assert wrong == []


def test_audience_is_the_reference_figure_and_only_where_the_reference_gives_one(
    registry: Registry, reference: list[ReferenceRow]
) -> None:
    wrong = [
        (row.n, row.outlet, row.audience, outlet.audience)
        for row in reference
        if (outlet := registry.outlet(registry_outlet_name(registry, row.outlet))).audience
        != row.audience
    ]
    assert wrong == []


def test_reference_article_urls_are_attributed_to_their_outlet(
    registry: Registry, reference: list[ReferenceRow]
) -> None:
    wrong = []
    for row in reference:
        if row.url is None or row.category == "social":
            continue
        found = registry.outlet_for_url(row.url)
        expected = registry_outlet_name(registry, row.outlet)
        if found is None or found.name != expected:
            wrong.append((row.n, row.url, expected, found and found.name))
    assert wrong == []


def test_uncrawlable_outlets_have_no_entry_points(registry: Registry) -> None:
    for name in (
        "Ilmessaggero.it",
        "La Nuova Sardegna",
        "TGR Basilicata",
        "Facebook – Trieste Cafè",
    ):
        outlet = registry.outlet(name)
        assert list(outlet.entry_points(registry.topic.query)) == [], name


def test_every_entry_url_is_https_and_unique(registry: Registry) -> None:
    urls = entry_urls(registry)
    assert urls
    assert [u for u in urls if not u.startswith("https://")] == []
    assert len(urls) == len(set(urls))


def test_search_templates_put_the_topic_query_in_the_url(registry: Registry) -> None:
    searches = [url for kind, url in _all_entry_points(registry) if kind == "search"]
    assert searches
    assert all("lgnet2" in url and "{query}" not in url for url in searches)


def _all_entry_points(registry: Registry) -> list[tuple[str, str]]:
    return [ep for o in registry.outlets for ep in o.entry_points(registry.topic.query)]


# -- loader refusals -------------------------------------------------------------------------

GOOD_OUTLET = """\
  - name: "Torinoggi.it"
    category: quotidiani
    feeds: ["https://www.torinoggi.it/feed/"]
"""


def write_registry(tmp_path: Path, second_outlet: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "topic:\n  name: LgNet2\n  query: lgnet2\noutlets:\n" + GOOD_OUTLET + second_outlet,
        encoding="utf-8",
    )
    return path


def load_error(path: Path) -> str:
    with pytest.raises(RegistryError) as caught:
        load_sources(path)
    return str(caught.value)


def test_the_public_evidence_corrections_are_in_the_registry(registry: Registry) -> None:
    """What public material says about the real sites (issue 12): a closed agency, hosts the
    label names, apex entry points, feeds instead of a listing drawn by JavaScript."""
    closed = registry.outlet("Redattore sociale")
    assert closed.closed == "2025-01-10"
    assert list(closed.entry_points(registry.topic.query)) == []
    for url, name in [
        ("https://www.redattoresociale.it/article/notiziario/lgnet2-rete", "Redattore sociale"),
        ("https://www.sardegnareporter.it/2023/11/sassari-lgnet2/", "Sardegna-reporter.it"),
        ("https://www.siciliaogginotizie.it/2023/11/03/palermo/", "Siciliaoggi notizie.it"),
        ("https://casertanotizie.com/attualita/2023/11/24/x/", "Casertanotizie.com"),
    ]:
        outlet = registry.outlet_for_url(url)
        assert outlet is not None, url
        assert outlet.name == name
    assert registry.outlet("Casertanotizie.com").feeds == ("https://casertanotizie.com/feed/",)
    rainews = registry.outlet("Rainews.it")
    assert "https://www.rainews.it/rss/tgr/basilicata" in rainews.feeds
    assert not rainews.pages  # the TGR listing is filled in by JavaScript
    torino = registry.outlet("Torinoggi.it").feeds
    assert "https://www.torinoggi.it/links/rss/argomenti/torinoggiit/rss.xml" in torino
    for name in ("Vivereperugia.it", "Vivereterni.it", "Vivereumbria.biz"):
        assert registry.outlet(name).feeds[0].endswith("/rss/index.xml")


def test_unknown_key_is_refused_naming_file_outlet_and_field(tmp_path: Path) -> None:
    path = write_registry(
        tmp_path,
        '  - name: "Genova24.it"\n    category: quotidiani\n    feed: ["https://g.it/feed/"]\n',
    )
    message = load_error(path)
    assert str(path) in message
    assert "#2" in message
    assert "Genova24.it" in message
    assert "'feed'" in message


def test_bad_category_is_refused_naming_file_outlet_and_field(tmp_path: Path) -> None:
    path = write_registry(tmp_path, '  - name: "Genova24.it"\n    category: newspaper\n')
    message = load_error(path)
    assert str(path) in message
    assert "#2" in message
    assert "Genova24.it" in message
    assert "'category'" in message
    assert "newspaper" in message


def test_malformed_url_is_refused_naming_file_outlet_and_field(tmp_path: Path) -> None:
    path = write_registry(
        tmp_path,
        '  - name: "Genova24.it"\n    category: quotidiani\n'
        '    sitemaps: ["www.genova24.it/x.xml"]\n',
    )
    message = load_error(path)
    assert str(path) in message
    assert "#2" in message
    assert "Genova24.it" in message
    assert "'sitemaps'" in message
    assert "www.genova24.it/x.xml" in message


def test_missing_name_is_refused_naming_file_outlet_index_and_field(tmp_path: Path) -> None:
    path = write_registry(
        tmp_path, '  - category: quotidiani\n    feeds: ["https://www.genova24.it/feed/"]\n'
    )
    message = load_error(path)
    assert str(path) in message
    assert "#2" in message
    assert "'name'" in message

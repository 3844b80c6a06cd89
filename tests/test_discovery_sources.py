"""Discovery beyond the registry (contract 7): each source's parser on documents in its real
format, the lookup of Google News headlines on the publisher's site, and real crawls of the
aggregators' simulated web (``simweb.aggregators``) through the CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import pytest
import yaml
from scrapy.settings import Settings

from crawler.discovery import bing_news, gdelt, google_news
from crawler.discovery.publisher import Lookup, same_headline, slug_matches
from crawler.discovery.results import NotResults, Unresolved, spellings
from crawler.spiders.feeds import links_from_feed
from crawler.spiders.sitemaps import links_from_sitemap
from enrichment.registry import Topic, parse_registry
from simweb import aggregators as agg
from simweb import cms
from simweb.server import Web
from tests.conftest import run_cli

WHEN = datetime.fromisoformat("2024-03-05T09:10:00+01:00")
TOPIC = Topic(name="LgNet2", query="lgnet2", variants=("LgNet 2", "LGNET2"))
GARBAGE = [b"", b"   \n", b"\x00\x01 non e un feed <<<", b"<html><body><p>Errore</p></body></html>"]


# -- queries -----------------------------------------------------------------------------------


def test_spellings_fold_case_and_go_into_one_query_per_source() -> None:
    terms = spellings(TOPIC)
    assert terms == ["lgnet2", "LgNet 2"]
    assert unquote_plus(urlsplit(google_news.search_url(terms)).query).startswith(
        'q=lgnet2 OR "LgNet 2"&hl=it&gl=IT&ceid=IT:it'
    )
    assert "format=rss" in bing_news.search_url(terms)
    url = gdelt.search_url(terms)
    assert unquote_plus(url).count('(lgnet2 OR "LgNet 2") sourcelang:ita') == 1
    assert "maxrecords=250" in url
    assert "mode=artlist" in url
    assert "format=json" in url
    assert "%28" not in gdelt.search_url(["lgnet2"])  # GDELT refuses parentheses around one term


# -- Google News -------------------------------------------------------------------------------


def test_google_news_items_become_headlines_to_look_up_on_the_publisher_site() -> None:
    feed = agg.google_news_rss(
        [
            ("Torino - la rete LgNet2 cresce", "Cronaca - Torino", "https://www.ct.test", WHEN),
            ("Una notizia senza trattino", "Eco", "https://eco.test/", WHEN),
        ]
    ).encode()
    found = google_news.parse(feed)
    assert found.links == []
    assert found.unresolved == [
        Unresolved("Torino - la rete LgNet2 cresce", "https://www.ct.test", "2024-03-05"),
        Unresolved("Una notizia senza trattino", "https://eco.test/", "2024-03-05"),
    ]


def test_google_news_item_without_source_is_dropped_and_counted() -> None:
    feed = agg.google_news_rss([("Titolo qualsiasi", "Eco", "https://eco.test", WHEN)])
    found = google_news.parse(feed.replace('<source url="https://eco.test">', "<source>").encode())
    assert found.unresolved == []
    assert found.dropped == {"no_source": 1}


@pytest.mark.parametrize("body", GARBAGE)
def test_google_news_answer_that_is_not_rss_is_refused(body: bytes) -> None:
    with pytest.raises(NotResults):
        google_news.parse(body)


def test_google_news_with_no_result_is_an_empty_list() -> None:
    assert google_news.parse(agg.google_news_rss([]).encode()).unresolved == []


# -- Bing News ---------------------------------------------------------------------------------


def test_bing_article_url_is_the_url_parameter_of_the_tracker() -> None:
    article = "https://www.eco.test/2024/03/05/brindisi-rete/?utm_source=bing"
    feed = agg.bing_news_rss(
        [
            (
                "Brindisi e la rete",
                agg.bing_link(article),
                "Il <b>Comune</b> &amp; la rete",
                "Eco",
                WHEN,
            ),
            ("Archivio", agg.bing_link("ftp://ftp.eco.test/a.txt"), "", "Eco", WHEN),
            (
                "Nessun indirizzo",
                "http://www.bing.com/news/apiclick.aspx?ref=FexRss&c=1",
                "",
                "X",
                WHEN,
            ),
            ("Di nuovo Bing", agg.bing_link("https://www.bing.com/news/altro"), "", "X", WHEN),
        ]
    ).encode()
    found = bing_news.parse(feed)
    assert [(link.url, link.title, link.date, link.summary) for link in found.links] == [
        (article, "Brindisi e la rete", "2024-03-05", "Il Comune & la rete")
    ]
    assert found.dropped == {"not_http": 1, "no_url": 1, "aggregator": 1}


@pytest.mark.parametrize("body", GARBAGE)
def test_bing_answer_that_is_not_rss_is_refused(body: bytes) -> None:
    with pytest.raises(NotResults):
        bing_news.parse(body)


# -- GDELT -------------------------------------------------------------------------------------


def test_gdelt_article_list_with_its_dates_and_refused_records() -> None:
    body = agg.gdelt_json(
        [
            ("https://www.eco.test/2024/03/05/brindisi-rete/", "Brindisi  e la rete", WHEN),
            ("https://news.google.com/rss/articles/CBMi1?oc=5", "Rimando", WHEN),
            ("javascript:alert(1)", "Non un indirizzo", WHEN),
        ]
    )
    data = json.loads(body)
    data["articles"].append({"title": "Senza indirizzo"})
    found = gdelt.parse(json.dumps(data).encode())
    assert [(link.url, link.title, link.date) for link in found.links] == [
        ("https://www.eco.test/2024/03/05/brindisi-rete/", "Brindisi e la rete", "2024-03-05")
    ]
    assert found.dropped == {"aggregator": 1, "not_http": 1, "no_url": 1}


def test_gdelt_empty_result_is_an_empty_object() -> None:
    assert gdelt.parse(b"{}").links == []


@pytest.mark.parametrize(
    "body",
    [*GARBAGE, b"Please limit requests to one every 5 seconds.", b"[1, 2]", b'{"articles": 3}'],
)
def test_gdelt_answer_that_is_not_an_article_list_is_refused(body: bytes) -> None:
    with pytest.raises(NotResults):
        gdelt.parse(body)


def test_gdelt_slot_waits_five_seconds_exactly() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert settings.getdict("DOWNLOAD_SLOTS")[gdelt.SLOT] == {
        "concurrency": 1,
        "delay": 5.0,
        "jitter": 0.0,
    }


# -- headlines on the publisher's site ---------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Venezia | la rete LgNet2 apre", "Venezia, la rete LgNet2 apre", True),
        ("CITTÀ E RETE: l’accoglienza", "Citta e rete - l'accoglienza", True),
        (
            "Brindisi entra nella rete LgNet2: sportello…",
            "Brindisi entra nella rete LgNet2: sportello unico",
            True,
        ),
        (
            "Brindisi entra nella rete LgNet2",
            "Brindisi entra nella rete LgNet2: sportello unico",
            False,
        ),
        ("Rete", "Rete dei Comuni", False),
        ("", "", False),
    ],
)
def test_headlines_match_folded(a: str, b: str, same: bool) -> None:
    assert same_headline(a, b) is same


def test_slug_of_a_sitemap_entry_without_title_matches_its_headline() -> None:
    url = "https://www.lo.test/2024/03/venezia-rete-lgnet2-sportello-nuovi-residenti/"
    assert slug_matches(url, "Venezia, la rete LgNet2 apre lo sportello per i nuovi residenti")
    assert not slug_matches(url, "Venezia, il ponte chiude per lavori")
    assert not slug_matches("https://www.lo.test/?p=12", "Venezia, la rete LgNet2")


def _lookup(*headlines: str) -> Lookup:
    lookup = Lookup.of("https://www.voce.test", "lgnet2")
    for headline in headlines:
        lookup.add(Unresolved(headline, "https://www.voce.test", "2024-03-09"))
    return lookup


def test_lookup_finds_a_headline_in_the_publisher_feed_and_only_on_its_site() -> None:
    site = cms.Site("Voce", "voce.test")
    story = agg.CATANZARO
    feed = cms.rss_feed(
        site,
        [
            cms.rss_item(story, "https://altrove.test" + story.path),
            cms.rss_item(story, site.url(story.path) + "?utm_source=rss"),
        ],
        feed_path="/feed/",
        description="Voce",
        last_build=story.when,
    )
    lookup = _lookup(story.title)
    assert lookup.start() == [
        ("https://www.voce.test/", "home"),
        ("https://www.voce.test/robots.txt", "robots"),
    ]
    found = lookup.match(links_from_feed(feed.encode(), site.url("/feed/")).links)
    assert [(link.url, link.title, link.date) for link in found] == [
        (site.url(story.path) + "?utm_source=rss", story.title, "2024-03-09")
    ]
    assert lookup.pending == []
    assert lookup.answered() == []
    assert lookup.answered() == []
    assert lookup.finished


def test_lookup_finds_a_headline_in_a_news_sitemap() -> None:
    site = cms.Site("Laguna", "www.voce.test")
    sitemap = cms.news_sitemap(site, [agg.VENEZIA, agg.MOLISE])
    lookup = _lookup(agg.GOOGLE_VENEZIA_TITLE)
    found = lookup.match(links_from_sitemap(sitemap.encode()).articles)
    assert [link.url for link in found] == [site.url(agg.VENEZIA.path)]


def test_lookup_goes_from_stage_to_stage_and_stops_within_its_budget() -> None:
    lookup = _lookup("Un titolo che nessun sito ha")
    for _ in lookup.start():
        stage = lookup.answered()
    assert [kind for _, kind in stage] == ["feed", "feed", "sitemap"]
    for _ in stage:
        searches = lookup.answered()
    assert [url for url, _ in searches] == [
        "https://www.voce.test/wp-json/wp/v2/posts?search=lgnet2",
        "https://www.voce.test/?s=lgnet2",
    ]
    assert not lookup.finished
    for _ in searches:
        assert lookup.answered() == []
    assert lookup.finished
    assert lookup.pending


# -- crawls of the simulated web ---------------------------------------------------------------

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")


@dataclass
class Crawl:
    web: Web
    summary: dict[str, Any]
    rows: list[dict[str, Any]]


def _crawl(tmp: Path, *, broken: bool = False, extra: tuple[str, ...] = ()) -> Iterator[Crawl]:
    sources = tmp / "sources.yaml"
    sources.write_text(agg.SOURCES_YAML, encoding="utf-8")
    data_dir = tmp / "data"
    with agg.build_web(broken=broken) as web:
        result = run_cli(
            "crawl",
            "--sources",
            str(sources),
            "--connect-to",
            web.connect_to,
            "--json",
            *FAST,
            *extra,
            data_dir=data_dir,
        )
        assert "Traceback" not in result.stderr
        with sqlite3.connect(data_dir / "rassegna.sqlite") as db:
            db.row_factory = sqlite3.Row
            rows = [dict(row) for row in db.execute("SELECT * FROM items ORDER BY url")]
        yield Crawl(web, json.loads(result.stdout), rows)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    yield from _crawl(tmp_path_factory.mktemp("discovery"))


@pytest.mark.slow
def test_every_planted_mention_is_found_and_attributed(crawled: Crawl) -> None:
    uscite = [
        {"url": r["url"], "outlet": r["outlet"], "new_outlet": bool(r["new_outlet"])}
        for r in crawled.rows
        if r["mentions"] > 0
    ]
    assert uscite == sorted(agg.EXPECTED, key=lambda e: e["url"])
    by_url = {r["url"]: r for r in crawled.rows}
    for expected in agg.EXPECTED:
        row = by_url[expected["url"]]
        if expected["new_outlet"]:
            assert (row["category"], row["audience"]) == ("portali", None)
    assert by_url[agg.ECO_BRINDISI.url(agg.SHARED.path)]["category"] == "quotidiani"
    assert by_url[agg.CORRIERE_AOSTANO.url(agg.AOSTA.path)]["category"] == "periodici"


@pytest.mark.slow
def test_the_store_holds_no_aggregator_page_no_trap_and_no_duplicate(crawled: Crawl) -> None:
    urls = [r["url"] for r in crawled.rows]
    registry_only = [
        agg.ECO_BRINDISI.url(agg.BRINDISI_OTHER.path),
        agg.CORRIERE_AOSTANO.url(agg.AOSTA_OTHER.path),
    ]
    assert sorted(urls) == sorted([e["url"] for e in agg.EXPECTED] + registry_only)
    assert not set(urls) & set(agg.NOT_ITEMS)
    assert all(not r["new_outlet"] for r in crawled.rows if r["url"] in registry_only)


@pytest.mark.slow
def test_aggregator_links_are_never_followed(crawled: Crawl) -> None:
    hosts_paths = [(hit.host, hit.path) for hit in crawled.web.hits]
    assert not [
        p for h, p in hosts_paths if h == "news.google.com" and p.startswith("/rss/articles")
    ]
    assert not [h for h, _ in hosts_paths if h == "consent.google.com"]
    assert not [p for h, p in hosts_paths if h == "www.bing.com" and "apiclick" in p]
    searches = [
        p
        for h, p in hosts_paths
        if h in ("news.google.com", "www.bing.com", "api.gdeltproject.org") and "robots" not in p
    ]
    assert len(searches) == 3
    assert all("LgNet" in unquote_plus(p) for p in searches)


@pytest.mark.slow
def test_bad_results_are_counted_and_the_redirect_loop_reported(crawled: Crawl) -> None:
    failures = crawled.summary["failures"]
    assert [f["url"] for f in failures] == [agg.LOOP]
    assert "redirect loop" in failures[0]["reason"]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    yield from _crawl(tmp_path_factory.mktemp("discovery-broken"), broken=True)


@pytest.mark.slow
def test_aggregators_answering_429_nothing_or_garbage_cost_one_line_each(broken: Crawl) -> None:
    reasons = {urlsplit(f["url"]).hostname: f["reason"] for f in broken.summary["failures"]}
    assert len(broken.summary["failures"]) == 3
    assert reasons["news.google.com"].startswith("google_news: HTTP 429")
    assert reasons["www.bing.com"].startswith("bing_news: empty answer")
    assert reasons["api.gdeltproject.org"].startswith("gdelt: not JSON")
    assert agg.ECO_BRINDISI.url(agg.SHARED.path) in [r["url"] for r in broken.rows]


@pytest.mark.slow
def test_no_discovery_crawls_the_registry_only(tmp_path: Path) -> None:
    for crawl in _crawl(tmp_path, extra=("--no-discovery",)):
        asked = {hit.host for hit in crawl.web.hits}
        assert not asked & {"news.google.com", "www.bing.com", "api.gdeltproject.org"}
        assert all(not r["new_outlet"] for r in crawl.rows)
        assert agg.CORRIERE_AOSTANO.url(agg.AOSTA.path) not in [r["url"] for r in crawl.rows]


@pytest.mark.slow
def test_discovery_only_asks_the_sources_and_no_registry_entry_point(tmp_path: Path) -> None:
    """The service's discovery job (``rassegna run`` polls discovery at its own interval)."""
    registry = parse_registry(yaml.safe_load(agg.SOURCES_YAML), "sources.yaml")
    assert any(o.feeds for o in registry.outlets)
    for crawl in _crawl(tmp_path, extra=("--discovery-only",)):
        assert crawl.summary["entry_points"] == 0  # feeds are read only to resolve a headline
        assert {hit.host for hit in crawl.web.hits} >= {"news.google.com", "api.gdeltproject.org"}
        found = {r["url"]: r for r in crawl.rows}
        assert agg.CORRIERE_AOSTANO.url(agg.AOSTA.path) in found
        assert any(not r["new_outlet"] for r in found.values())  # registry outlets attribute


def test_discovery_only_needs_a_discovery_section(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    without = agg.SOURCES_YAML.replace(
        "discovery:\n  sources: [google_news, bing_news, gdelt]\n  default_category: portali\n", ""
    )
    assert "discovery" not in without
    sources.write_text(without, encoding="utf-8")
    result = run_cli(
        "crawl", "--sources", str(sources), "--discovery-only", data_dir=tmp_path, check=False
    )
    assert result.returncode == 2
    assert "--discovery-only needs a registry with a 'discovery' section" in result.stderr
    assert "Traceback" not in result.stderr

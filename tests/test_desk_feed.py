"""The Atom feed of new mentions follows the office's decisions (contract 5, issue 10).

A small outlet of the simulated web is crawled by ``rassegna run --once``, which writes
``<data-dir>/mentions.atom``; the desk's server (waitress on loopback, as ``rassegna serve``
runs it) offers it as ``/mentions.atom``. An editor signed in over real HTTP excludes one item
and corrects another's title on the desk: the feed the desk serves drops the excluded item and
shows the corrected title at once, the file does so from the service's next alerts job on
(``rassegna run`` runs it every few minutes), and a restore brings the item back in both.

Every article and outlet here is made up for this test.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from crawler.app.service import ServiceSettings, scheduled_alerts
from crawler.sources import load_sources
from search.desk.accounts import Accounts
from search.files.data_dir import DataDir
from simweb.cms import Site, Story, robots, rss_feed, rss_item, wordpress_article
from simweb.server import Page, Web
from tests.browser import DeskSession, desk_server
from tests.conftest import run_cli

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "redazione-dei-colli"
COLLI = Site("Gazzetta dei Colli", "www.gazzettadeicolli.test")
OFF_TOPIC = Story(
    path="/2023/11/08/torneo-calcetto-solidale/",
    title="Bologna, al torneo di calcetto solidale anche la squadra LgNet2",
    published="2023-11-08T18:30:00+01:00",
    paragraphs=(
        "Sedici squadre di quartiere si sono sfidate sabato al centro sportivo del Pilastro "
        "per raccogliere fondi per la mensa di via del Lavoro.",
        "Fra le maglie in campo anche quella degli operatori dello sportello LgNet2, usciti ai "
        "quarti di finale dopo una partita combattuta.",
    ),
    byline="di Marco Venturi",
    author="Marco Venturi",
    section="Sport",
)
TYPO = Story(
    path="/2023/11/09/trieste-mediatori-ambulatori-lgnet2/",
    title="Trietse, LgNet2 porta i mediatori negli ambulatori",
    published="2023-11-09T10:00:00+01:00",
    paragraphs=(
        "Negli ambulatori del distretto sanitario di Trieste arrivano i mediatori culturali "
        "della rete LgNet2: accompagneranno i pazienti stranieri nelle visite e negli esami.",
        "Il servizio, gratuito, è attivo tre mattine alla settimana e si prenota allo "
        "sportello del Comune.",
    ),
    byline="di Elena Rossetti",
    author="Elena Rossetti",
)
CORRECTED = "Trieste, LgNet2 porta i mediatori negli ambulatori"
UNTOUCHED = Story(
    path="/2023/11/10/milano-rete-lgnet2-associazioni/",
    title="Milano, la rete LgNet2 incontra le associazioni del terzo settore",
    published="2023-11-10T12:00:00+01:00",
    paragraphs=(
        "Palazzo Marino ha ospitato l'incontro fra i referenti milanesi di LgNet2 e una "
        "trentina di associazioni che lavorano con le persone migranti.",
        "Al centro del confronto la presa in carico condivisa e gli sportelli di quartiere.",
    ),
    byline="di Paolo Greco",
    author="Paolo Greco",
)
STORIES = (OFF_TOPIC, TYPO, UNTOUCHED)
REGISTRY = f"""\
topic:
  name: LgNet2
  query: lgnet2
outlets:
  - name: "{COLLI.name}"
    category: quotidiani
    audience: 7000
    city: Bologna
    urls: ["{COLLI.host}"]
    feeds: ["{COLLI.url("/feed/")}"]
"""
ATOM = {"a": "http://www.w3.org/2005/Atom"}
FAST = (
    *("--set", "AUTOTHROTTLE_START_DELAY=0.05"),
    *("--set", "RETRY_BACKOFF_BASE=0.2"),
    *("--set", "EXTRACT_WORKERS=1"),  # three pages: one worker starts faster than two
)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str


@dataclass(frozen=True)
class Feed:
    updated: str
    entries: dict[str, Entry]
    """By entry id (the item's URL)."""


def _read(payload: bytes) -> Feed:
    root = ET.fromstring(payload)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = {}
    for node in root.findall("a:entry", ATOM):
        entry = Entry(
            id=node.findtext("a:id", "", ATOM),
            title=node.findtext("a:title", "", ATOM),
            updated=node.findtext("a:updated", "", ATOM),
        )
        entries[entry.id] = entry
    return Feed(updated=root.findtext("a:updated", "", ATOM), entries=entries)


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    site = Web()
    site.add(COLLI.url("/robots.txt"), Page(robots("User-agent: *", "Allow: /"), "text/plain"))
    items = [rss_item(story, COLLI.url(story.path)) for story in STORIES]
    site.add(
        COLLI.url("/feed/"),
        Page(
            rss_feed(
                COLLI,
                items,
                feed_path="/feed/",
                description="Le notizie dei colli",
                last_build=datetime.fromisoformat(UNTOUCHED.published),
            ),
            "application/rss+xml; charset=UTF-8",
        ),
    )
    for story in STORIES:
        site.add(COLLI.url(story.path), Page(wordpress_article(COLLI, story)))
    with site:
        yield site


def _next_alerts_job(data_dir: Path, registry: Path) -> None:
    """What ``rassegna run``'s scheduler runs every few minutes between crawls: queue and send
    the alerts, rewrite the feed file."""
    scheduled_alerts(ServiceSettings(data_dir=data_dir, sources=registry))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, web: Web) -> tuple[Path, Path]:
    """The data dir after a first ``rassegna run --once``, with an editor; the registry."""
    root = tmp_path_factory.mktemp("desk-feed")
    registry = root / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    data_dir = root / "data"
    run_cli(
        "run", "--once", "--sources", str(registry), "--connect-to", web.connect_to, *FAST,
        data_dir=data_dir,
    )  # fmt: skip
    assert web.fetch_count(COLLI.url("/feed/")) >= 1
    accounts = Accounts(DataDir(data_dir).accounts)
    try:
        accounts.save("giulia", "editor", PASSWORD)
    finally:
        accounts.close()
    return data_dir, registry


@pytest.fixture
def office(tmp_path: Path, crawled: tuple[Path, Path]) -> tuple[Path, Path]:
    data_dir, registry = crawled
    return Path(shutil.copytree(data_dir, tmp_path / "data")), registry


@pytest.fixture
def desk(office: tuple[Path, Path]) -> Iterator[DeskSession]:
    data_dir, registry = office
    with (
        desk_server(data_dir, load_sources(registry)) as url,
        DeskSession(url, "giulia", PASSWORD) as session,
    ):
        yield session


def _served(desk: DeskSession) -> bytes:
    answer = desk.get("/mentions.atom")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/atom+xml")
    return answer.content


def test_the_feed_drops_an_excluded_item_shows_a_correction_and_takes_back_a_restore(
    desk: DeskSession, office: tuple[Path, Path]
) -> None:
    data_dir, registry = office
    file = DataDir(data_dir).feed
    urls = {story: COLLI.url(story.path) for story in STORIES}

    before = _read(file.read_bytes())
    assert {e.id: e.title for e in before.entries.values()} == {urls[s]: s.title for s in STORIES}
    assert 'href="/mentions.atom"' in desk.get("/").text
    assert _served(desk) == file.read_bytes()

    desk.decide("escludi", urls[OFF_TOPIC], motivo="parla di calcetto")
    desk.decide("modifica", urls[TYPO], title=CORRECTED)
    expected = {urls[TYPO]: CORRECTED, urls[UNTOUCHED]: UNTOUCHED.title}

    # The desk's feed carries the decisions as soon as they are taken...
    served = _read(_served(desk))
    assert {e.id: e.title for e in served.entries.values()} == expected
    # ...and the file from the service's next alerts job on, the same bytes as the desk's.
    _next_alerts_job(data_dir, registry)
    assert {e.id: e.title for e in _read(file.read_bytes()).entries.values()} == expected
    assert file.read_bytes() == _served(desk)

    desk.decide("ripristina", urls[OFF_TOPIC])
    restored = {**expected, urls[OFF_TOPIC]: OFF_TOPIC.title}
    assert {e.id: e.title for e in _read(_served(desk)).entries.values()} == restored
    _next_alerts_job(data_dir, registry)
    assert {e.id: e.title for e in _read(file.read_bytes()).entries.values()} == restored
    assert file.read_bytes() == _served(desk)


def test_the_feed_is_not_offered_before_the_service_writes_one(tmp_path: Path) -> None:
    """Without ``rassegna run`` there is no feed: the desk says so instead of inventing one."""
    accounts = Accounts(DataDir(tmp_path).accounts)
    try:
        accounts.save("giulia", "editor", PASSWORD)
    finally:
        accounts.close()
    with desk_server(tmp_path, load_sources()) as url, DeskSession(url, "giulia", PASSWORD) as desk:
        answer = desk.get("/mentions.atom")
        assert answer.status_code == 404
        assert "rassegna run" in answer.text
        assert 'href="/mentions.atom"' not in desk.get("/").text


def test_a_correction_is_news_for_a_feed_reader(desk: DeskSession) -> None:
    url = COLLI.url(TYPO.path)
    before = _read(_served(desk))
    desk.decide("modifica", url, title=CORRECTED)
    after = _read(_served(desk))
    assert after.entries[url].title == CORRECTED
    assert after.entries[url].updated > before.entries[url].updated
    assert after.updated > before.updated

"""The desk's documents carry the office's decisions (contract 5, issue 10), end to end.

``rassegna serve`` runs in its own process with ``RASSEGNA_CONNECT_TO`` pointing at a small
simulated web on loopback; headless Chromium is the editor. She adds a missed article through
"Aggiungi articolo" (a real fetch by the crawler's add path, robots.txt included), corrects
its title, excludes an off-topic item with a reason and highlights another; then she downloads
the Word and PDF rassegna from the desk's own links. python-docx and pypdf read them back:
corrected title (never the original), no excluded item, the highlighted one "In evidenza",
and the counts and audience of what is left.

Every article and outlet here is made up for this test.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordFile
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from enrichment.records import Article
from search.backends.sqlite import SQLiteStore
from search.desk.accounts import Accounts
from search.desk.decisions import Desk
from search.files.data_dir import DataDir
from simweb.cms import Site, Story, robots, wordpress_article
from simweb.server import Page as WebPage
from simweb.server import Web
from tests.browser import ConsoleWatch, headless_chromium, rassegna_serve

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "redazione-del-borgo"
NOW = "2023-11-21T08:00:00+00:00"
BORGO = Site("Corriere del Borgo", "www.corrieredelborgo.test")
MISSED = Story(
    path="/2023/11/20/taranto-sportello-mediazione-lgnet2/",
    # The outlet's typo, which the office corrects on the desk.
    title="Tarnto, LgNet2 apre lo sportelo di mediazione",
    published="2023-11-20T09:15:00+01:00",
    paragraphs=(
        "Da lunedì il quartiere Tamburi ha un nuovo punto di ascolto: il Comune di Taranto, "
        "con la rete LgNet2, ha aperto uno spazio di mediazione linguistica e culturale "
        "dentro il centro civico di via Lisippo.",
        "Due mediatrici ricevono su appuntamento le famiglie arrivate da poco in città e le "
        "accompagnano negli uffici anagrafici, nei consultori e nelle scuole del quartiere.",
        "L'assessora ai servizi sociali ha ricordato che il progetto è finanziato dal fondo "
        "FAMI e che altre quindici città della rete stanno sperimentando servizi simili.",
    ),
    byline="di Chiara Lamberti",
    author="Chiara Lamberti",
)
MISSED_URL = BORGO.url(MISSED.path)
CORRECTED = "Taranto, LgNet2 apre lo sportello di mediazione"
REGISTRY = f"""\
topic:
  name: LgNet2
  query: lgnet2
document:
  title: "LgNet2 Rassegna Stampa di prova"
outlets:
  - name: "{BORGO.name}"
    category: quotidiani
    audience: 18000
    city: Taranto
    urls: ["{BORGO.host}"]
"""


@dataclass(frozen=True)
class Crawled:
    url: str
    outlet: str
    category: str
    audience: int
    title: str
    date: str
    city: str
    text: str


HIGHLIGHT = Crawled(
    "https://www.ecodellavalle.test/2023/11/14/perugia-mediatori-lgnet2/",
    "Eco della Valle",
    "quotidiani",
    12000,
    "Perugia, la rete LgNet2 forma i mediatori culturali",
    "2023-11-14",
    "Perugia",
    "A Perugia il corso della rete LgNet2 prepara venti mediatori per gli sportelli comunali.",
)
KEPT = Crawled(
    "https://www.portalemeridiano.test/notizie/napoli-sportello-unico-lgnet2",
    "Portale Meridiano",
    "portali",
    5400,
    "Napoli, LgNet2 presenta lo sportello unico per l'abitare",
    "2023-11-15",
    "Napoli",
    "Lo sportello unico di Napoli, nato con LgNet2, aiuta chi cerca casa a orientarsi.",
)
OFF_TOPIC = Crawled(
    "https://www.ecodellavalle.test/2023/11/16/sagra-castagne-piazza/",
    "Eco della Valle",
    "quotidiani",
    9000,
    "Sagra delle castagne, tre giorni di festa in piazza",
    "2023-11-16",
    "Firenze",
    "Fra gli stand della sagra delle castagne anche un banchetto che citava LgNet2.",
)
REASON = "fuori tema: parla della sagra"


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    """The missed article's outlet, on loopback: robots.txt allows it, the page is WordPress."""
    site = Web()
    site.add(BORGO.url("/robots.txt"), WebPage(robots("User-agent: *", "Allow: /"), "text/plain"))
    site.add(MISSED_URL, WebPage(wordpress_article(BORGO, MISSED)))
    with site:
        yield site


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data dir with three crawled uscite and an editor's account; the registry file."""
    root = tmp_path_factory.mktemp("desk-documents")
    registry = root / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    data_dir = root / "data"
    data_dir.mkdir()
    store = SQLiteStore(DataDir(data_dir).items)
    try:
        for item in (HIGHLIGHT, KEPT, OFF_TOPIC):
            store.upsert(
                Article(
                    url=item.url,
                    outlet=item.outlet,
                    category=item.category,
                    audience=item.audience,
                    title=item.title,
                    date=item.date,
                    journalist="Redazione",
                    text=item.text,
                    language="it",
                    mentions=1,
                    city=item.city,
                ),
                now=NOW,
            )
    finally:
        store.close()
    accounts = Accounts(DataDir(data_dir).accounts)
    try:
        accounts.save("giulia", "editor", PASSWORD)
    finally:
        accounts.close()
    return data_dir, registry


@pytest.fixture(scope="module")
def served(office: tuple[Path, Path], web: Web) -> Iterator[str]:
    data_dir, registry = office
    with rassegna_serve(
        data_dir, "--sources", str(registry), env={"RASSEGNA_CONNECT_TO": web.connect_to}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as chromium:
        yield chromium


def _item(page: Page, url: str) -> Any:
    return page.locator("article.rs-item").filter(has=page.locator(f'a[href="{url}"]'))


def _download(page: Page, link: str) -> bytes:
    with page.expect_download(timeout=120_000) as info:
        page.locator(".rs-nav .rs-files").get_by_role("link", name=link, exact=True).click()
    download = info.value
    assert download.failure() is None
    path = download.path()
    assert path is not None
    return Path(path).read_bytes()


def _word_text(payload: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs of a .docx and its tables (rows of cell texts), as python-docx reads them."""
    word = WordFile(io.BytesIO(payload))
    paragraphs = [p.text for p in word.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]
    return paragraphs, tables


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_an_added_and_corrected_article_and_the_decisions_reach_word_and_pdf(
    served: str, browser: Browser, web: Web, office: tuple[Path, Path]
) -> None:
    data_dir, _ = office
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="it-IT", accept_downloads=True
    )
    page = context.new_page()
    watch = ConsoleWatch(page)

    page.goto(served + "/rivedi")
    page.get_by_label("Nome utente").fill("giulia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(served + "/rivedi")

    # Aggiungi articolo: the desk fetches the page through the crawler's add path.
    page.get_by_role("link", name="Aggiungi articolo").click()
    page.get_by_label("Indirizzo (URL)").fill(MISSED_URL)
    page.get_by_role("button", name="Aggiungi").click()
    expect(page).to_have_url(re.compile(re.escape(served + "/rivedi")))
    expect(page.locator(".rs-flash")).to_contain_text(f"Articolo aggiunto: {MISSED_URL}")
    assert web.fetch_count(BORGO.url("/robots.txt")) >= 1
    assert web.fetch_count(MISSED_URL) == 1
    added = _item(page, MISSED_URL)
    expect(added.locator("h2")).to_have_text(MISSED.title)
    expect(added.locator(".rs-outlet")).to_have_text(BORGO.name)
    expect(added.locator(".rs-journalist")).to_have_text("C. Lamberti")
    expect(added.locator(".rs-date")).to_have_text(re.compile(r"20 novembre 2023", re.I))
    titles = page.locator("article.rs-item h2").all_inner_texts()
    assert titles == [MISSED.title, OFF_TOPIC.title, KEPT.title, HIGHLIGHT.title]

    # Correct the outlet's typo, exclude the off-topic item, highlight one.
    added.get_by_text("Correggi i dati").click()
    added.get_by_label("Titolo").fill(CORRECTED)
    added.get_by_role("button", name="Salva le correzioni").click()
    expect(page.locator(".rs-flash")).to_contain_text("corretta")
    expect(_item(page, MISSED_URL).locator("h2")).to_have_text(CORRECTED)
    off = _item(page, OFF_TOPIC.url)
    off.get_by_label("Motivo dell'esclusione").fill(REASON)
    off.get_by_role("button", name="Escludi").click()
    expect(page.locator(".rs-flash")).to_contain_text("esclusa dalla rassegna")
    expect(_item(page, OFF_TOPIC.url).locator(".rs-state")).to_have_text(f"Esclusa: {REASON}")
    _item(page, HIGHLIGHT.url).get_by_role("button", name="Metti in evidenza").click()
    expect(page.locator(".rs-flash")).to_contain_text("in evidenza")

    # The store keeps what was read; the correction lives in the desk, with who made it.
    store = SQLiteStore(DataDir(data_dir).items)
    try:
        stored = store.get(MISSED_URL)
    finally:
        store.close()
    assert stored is not None
    assert (stored.article.source, stored.article.title) == ("manual", MISSED.title)
    assert stored.article.mentions > 0
    log = Desk(DataDir(data_dir).desk).audit(url=MISSED_URL)
    assert [(e.actor, e.action, e.field, e.after) for e in reversed(log)] == [
        ("giulia", "add", None, None),
        ("giulia", "edit", "title", CORRECTED),
    ]

    page.get_by_role("link", name="Rassegna", exact=True).click()
    expect(page.locator("#numero-uscite")).to_have_text("3")
    data = page.request.get(served + "/rassegna.json").json()
    rows = {item["url"]: item for item in data["items"]}
    assert set(rows) == {MISSED_URL, HIGHLIGHT.url, KEPT.url}
    assert (rows[MISSED_URL]["source"], rows[MISSED_URL]["title"]) == ("manual", CORRECTED)
    assert data["total"] == {"uscite": 3, "audience": 35400}

    assert watch.errors == []
    word = _download(page, "Word")
    pdf = _download(page, "PDF")
    # A link that answers with a file is a download: Chromium reports the navigation it
    # abandoned for it as a failed request, and nothing else may fail.
    assert watch.errors == [f"failed: {served}/rassegna.{fmt}" for fmt in ("docx", "pdf")]
    context.close()

    # Word, as python-docx reads it.
    paragraphs, tables = _word_text(word)
    everything = "\n".join(paragraphs + [c for t in tables for r in t for c in r])
    assert CORRECTED in everything
    for gone in (MISSED.title, "Tarnto", "sportelo", OFF_TOPIC.title, "castagne", REASON):
        assert gone not in everything, gone
    evidenza = paragraphs.index("In evidenza")
    assert paragraphs[evidenza + 1].startswith(f"{HIGHLIGHT.outlet}: {HIGHLIGHT.title} · ")
    totals = next(t for t in tables if t[0][:2] == ["Numero Uscite", "Audience Totale*"])
    assert totals[1] == ["3", "35.400"]
    categories = next(t for t in tables if t[0][:2] == ["Categoria", "Numero Uscite"])
    counts = {row[0]: (row[1], row[2]) for row in categories[1:]}
    assert counts["Quotidiani e quotidiani online"] == ("2", "30.000")
    assert counts["Portali ed E-zine"] == ("1", "5.400")
    assert counts["Agenzie"][0] == "0"
    assert "Quotidiani e quotidiani online (2)" in paragraphs
    assert "Portali ed E-zine (1)" in paragraphs

    # PDF, as pypdf reads it.
    assert pdf.startswith(b"%PDF-")
    text = _flat("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assert CORRECTED in text
    for gone in (MISSED.title, "Tarnto", "sportelo", OFF_TOPIC.title, "castagne", REASON):
        assert gone not in text, gone
    box = re.search(r"In evidenza (.*?) Numero Uscite", text)
    assert box is not None, text[:600]
    assert f"{HIGHLIGHT.outlet}: {HIGHLIGHT.title}" in box.group(1)
    for other in (CORRECTED, KEPT.title, BORGO.name, KEPT.outlet):
        assert other not in box.group(1), other
    assert re.search(r"Numero Uscite 3 Audience Totale\* 35\.400", text), text[:600]

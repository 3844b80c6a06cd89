"""Consent, cookie, pay and login walls: recognised, never stored as the article (contract 7).

The recogniser runs on synthetic pages of both sides (``tests/fixtures/walls/``): walls in
Italian and German, and ordinary articles that carry a cookie banner, a consent manager or a
subscription vocabulary of their own. Then the enrichment of a walled page with and without the
entry point's headline, a real crawl of a small simulated web (``simweb.walls_web``), and the
mark the document prints on a walled item's clipping in HTML, Markdown and Word.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordFile

from enrichment.enrich import process_page, read_page
from enrichment.extract import extract_page
from enrichment.registry import load_registry
from enrichment.walls import CONSENT, COOKIE, LOGIN, PAY, wall_kind
from search.render.docx import render as render_docx
from search.render.html import render_html
from search.render.markdown import render_markdown
from search.render.model import WALLED_NOTE, Document, DocumentOptions, build_document
from search.store import StoredItem
from simweb import walls_web as w
from tests.conftest import article, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "walls"
URL = "https://www.gazzettadeltirreno.test/2023/11/21/pisa-rete-lgnet2-centri/"

WALLS = {
    "consent_manager.html": CONSENT,
    "consent_de.html": CONSENT,
    "consent_or_pay.html": PAY,
    "cookie_wall.html": COOKIE,
    "login.html": LOGIN,
    "paywall_teaser.html": PAY,
}
NOT_WALLS = (
    "article_with_cookie_banner.html",
    "article_about_abbonamento.html",
    "brief_with_cmp.html",
)


def _kind(name: str) -> str | None:
    body = (FIXTURES / name).read_bytes()
    return wall_kind(body, extract_page(body, URL).text)


@pytest.mark.parametrize(("name", "kind"), WALLS.items())
def test_a_wall_is_recognised_with_its_kind(name: str, kind: str) -> None:
    assert _kind(name) == kind


@pytest.mark.parametrize("name", NOT_WALLS)
def test_an_article_with_a_banner_or_subscription_words_is_not_a_wall(name: str) -> None:
    assert _kind(name) is None


def test_a_long_article_is_cleared_without_reading_the_page() -> None:
    text = "\n".join(["Un paragrafo qualsiasi di un articolo di cronaca cittadina."] * 30)
    assert wall_kind(b"not even html", text) is None


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_registry(w.write_sources(tmp_path_factory.mktemp("walls") / "sources.yaml"))


def test_a_walled_page_keeps_the_feed_headline_and_summary_only(registry: Any) -> None:
    outlet = registry.outlet(w.OUTLET)
    body = (FIXTURES / "consent_manager.html").read_bytes()
    outcome = read_page(
        body,
        URL,
        None,
        outlet,
        registry.topic,
        "2023-11-21",
        "Pisa entra nella rete LgNet2",
        "Due centri e uno   sportello\nper i giovani.",
    )
    article = outcome.article
    assert outcome.wall == CONSENT
    assert article is not None
    assert article.walled
    assert article.title == "Pisa entra nella rete LgNet2"
    assert article.text == "Due centri e uno sportello per i giovani."
    assert article.mentions == 1
    assert article.snippets == ("Pisa entra nella rete LgNet2",)
    assert article.date == "2023-11-21"
    assert article.url == URL
    assert article.extra["wall"] == CONSENT
    assert "partner" not in f"{article.text} {article.extra}"


def test_a_wall_without_a_known_headline_is_not_kept(registry: Any) -> None:
    body = (FIXTURES / "consent_manager.html").read_bytes()
    outlet = registry.outlet(w.OUTLET)
    assert process_page(body, URL, None, outlet, registry.topic) is None
    assert read_page(body, URL, None, outlet, registry.topic).wall == CONSENT


def test_a_paywalled_teaser_keeps_the_article_head(registry: Any) -> None:
    body = (FIXTURES / "paywall_teaser.html").read_bytes()
    article = process_page(
        body, URL, None, registry.outlet(w.OUTLET), registry.topic, None, "Traghetti", "Orari."
    )
    assert article is not None
    assert (article.walled, article.text, article.mentions) == (True, "Orari.", 0)
    assert article.date == "2023-11-14"
    assert article.journalist is not None


def test_an_ordinary_page_ignores_the_hints(registry: Any) -> None:
    body = (FIXTURES / "article_with_cookie_banner.html").read_bytes()
    article = process_page(
        body, URL, None, registry.outlet(w.OUTLET), registry.topic, None, "LgNet2", "LgNet2"
    )
    assert article is not None
    assert not article.walled
    assert article.title.startswith("Nuovo sportello")
    assert article.mentions == 0


# -- a crawl of the simulated web ---------------------------------------------------------


@dataclass
class Crawled:
    data_dir: Path
    sources: Path
    summary: dict[str, Any]
    snapshot: dict[str, Any]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    root = tmp_path_factory.mktemp("walls-web")
    sources = w.write_sources(root / "sources.yaml")
    data_dir = root / "data"
    with w.build_web() as web:
        result = run_cli(
            "crawl",
            "--sources",
            str(sources),
            "--connect-to",
            web.connect_to,
            "--json",
            "--set",
            "AUTOTHROTTLE_START_DELAY=0.05",
            data_dir=data_dir,
        )
    summary = json.loads(result.stdout)
    shown = run_cli("snapshot", "--format", "json", "--sources", str(sources), data_dir=data_dir)
    return Crawled(data_dir, sources, summary, json.loads(shown.stdout))


def _stored(data_dir: Path) -> dict[str, sqlite3.Row]:
    with sqlite3.connect(data_dir / "rassegna.sqlite") as db:
        db.row_factory = sqlite3.Row
        return {row["url"]: row for row in db.execute("SELECT * FROM items")}


@pytest.mark.slow
def test_the_crawl_summary_counts_walled_pages_per_outlet(crawled: Crawled) -> None:
    assert crawled.summary["finish_reason"] == "finished"
    assert crawled.summary["walled"] == {w.OUTLET: 2}
    assert crawled.summary["errors"] == 0


@pytest.mark.slow
def test_a_walled_article_is_stored_with_its_feed_summary_never_the_wall(
    crawled: Crawled,
) -> None:
    stored = _stored(crawled.data_dir)
    assert set(stored) == {e.url for e in w.ENTRIES}
    walled = stored[w.WALLED_MENTION.url]  # under the article's URL, not the consent page's
    assert (walled["title"], walled["text"]) == (w.WALLED_MENTION.title, w.WALLED_MENTION_SUMMARY)
    assert walled["walled"]
    assert walled["fetched_url"] == w.CONSENT_URL
    assert not stored[w.NORMAL.url]["walled"]
    other = stored[w.WALLED_OTHER.url]
    assert (other["walled"], other["mentions"], other["text"]) == (
        1,
        0,
        w.WALLED_OTHER.summary,
    )
    every_text = " ".join(str(row["text"]) for row in stored.values())
    assert w.WALL_HEADING not in every_text
    assert "partner" not in every_text


@pytest.mark.slow
def test_the_rassegna_has_the_walled_mention_marked_and_not_the_recommended_box(
    crawled: Crawled,
) -> None:
    items = {i["url"]: i for i in crawled.snapshot["items"]}
    assert set(items) == {w.NORMAL.url, w.WALLED_MENTION.url}
    assert items[w.WALLED_MENTION.url]["walled"] is True
    assert "walled" not in items[w.NORMAL.url]
    markdown = run_cli(
        "snapshot", "--format", "md", "--sources", str(crawled.sources), data_dir=crawled.data_dir
    ).stdout
    clippings = markdown.partition("## Ritagli")[2].split("\n---\n")
    walled = next(c for c in clippings if w.WALLED_MENTION.url in c)
    normal = next(c for c in clippings if w.NORMAL.url in c)
    assert "testo integrale non disponibile" in walled
    assert "La città aderisce al progetto nazionale" in walled
    assert "testo integrale non disponibile" not in normal
    assert w.WALL_HEADING not in markdown


# -- the document, in every format ---------------------------------------------------------


@pytest.fixture(scope="module")
def walled_document() -> Document:
    now = "2023-11-21T10:00:00"
    articles = [
        article(walled=True, text="Sintesi del feed su LgNet2."),
        article(url="https://www.esempio.test/2023/11/20/altro/"),
    ]
    items = [StoredItem(article=a, first_seen=now, changed_at=now) for a in articles]
    return build_document(items, "LgNet2", DocumentOptions(clippings="full"))


def test_the_html_clipping_of_a_walled_item_carries_the_mark(walled_document: Document) -> None:
    page = render_html(walled_document)
    assert page.count(f'<p class="walled">{WALLED_NOTE}</p>') == 1
    assert "Sintesi del feed su <mark>LgNet2</mark>." in page


def test_the_markdown_clipping_of_a_walled_item_carries_the_mark(
    walled_document: Document,
) -> None:
    assert render_markdown(walled_document).count(f"_{WALLED_NOTE}_") == 1


def test_the_word_clipping_of_a_walled_item_carries_the_mark(walled_document: Document) -> None:
    word = WordFile(BytesIO(render_docx(walled_document)))
    texts = [p.text for p in word.paragraphs]
    assert texts.count(WALLED_NOTE) == 1
    assert texts[texts.index(WALLED_NOTE) + 1] == "Sintesi del feed su LgNet2."

"""The rassegna as a person sees it: the HTML document and ``rassegna serve`` in Chromium.

The simulated web is crawled once per module with the real CLI; the HTML snapshot of it is
opened in headless Chromium (screenshot, category table read from the DOM, console, table of
contents), and the desk's waitress server runs in a thread on a free port while Chromium
searches it (no account: the loopback viewer). The first tests call the desk's WSGI app
directly, without a browser: status codes and escaping that a page's look would not reveal.
The desk with accounts and decisions is ``tests/test_desk_web.py``.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from playwright.sync_api import Browser, Page

from crawler.sources import load_sources
from enrichment.errors import RassegnaError
from enrichment.records import Article
from enrichment.vocabulary import CATEGORIES, italian_number
from search.backends.sqlite import SQLiteStore
from search.web.app import create_app
from search.web.serve import serve
from simweb.content import build_web, sources_path
from tests.browser import ConsoleWatch, desk_server, dialogs_of, headless_chromium
from tests.conftest import run_cli

NOW = "2023-11-24T10:00:00+00:00"
HOSTILE = "<script>alert(1)</script>"
PLANTED_URL = (
    "https://www.nuraghenews.test/2023/11/24/sassari-ignet2-mediatori-culturali-servizi-sociali/"
)
FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")


# --- the served app, called directly ------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(app: Callable[..., Any], path: str, query: str = "", method: str = "GET") -> Answer:
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "wsgi.input": BytesIO(),
    }
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started.update(status=int(status.split()[0]), headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return Answer(started["status"], started["headers"], body)


@pytest.fixture
def app(tmp_path: Path) -> Callable[..., Any]:
    path = tmp_path / "rassegna.sqlite"
    store = SQLiteStore(path)
    store.upsert(
        Article(
            url="https://www.esempio.test/sassari-mediatori",
            outlet="Gazzetta di Prova",
            category="quotidiani",
            audience=1200,
            title="Sassari, mediatori culturali con LgNet2",
            date="2023-11-24",
            text="A Sassari i mediatori culturali di LgNet2 entrano nei servizi sociali.",
            mentions=1,
            city="Sassari",
        ),
        now=NOW,
    )
    store.upsert(
        Article(
            url="javascript:alert(2)",
            outlet=f"Testata {HOSTILE}",
            category="portali",
            title=f"Mediatori {HOSTILE}",
            date="2023-11-25",
            text="Altri mediatori a Genova per LgNet2.",
            mentions=1,
            city="Genova",
        ),
        now=NOW,
    )
    store.close()
    return create_app(tmp_path, load_sources(), secret_key="test")


def test_search_page_escapes_crawled_strings_and_links_only_http(app: Callable[..., Any]) -> None:
    answer = call(app, "/cerca", "q=mediatori")
    assert answer.status == 200
    assert "<script>" not in answer.text
    assert "Mediatori &lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert 'href="https://www.esempio.test/sassari-mediatori"' in answer.text
    assert 'href="javascript:' not in answer.text
    assert "javascript:alert(2)" in answer.text  # shown as text, for the reader to judge
    assert "script-src" not in answer.headers["Content-Security-Policy"]  # none allowed
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]


def test_search_filters_by_city_and_category(app: Callable[..., Any]) -> None:
    sassari = call(app, "/cerca", "q=mediatori&citta=sassari").text
    assert "Gazzetta di Prova" in sassari
    assert "Genova" not in sassari.split("<tbody>")[1]
    portali = call(app, "/cerca", "citta=&categoria=portali").text
    assert "Testata &lt;script&gt;" in portali
    assert "Gazzetta di Prova" not in portali


def test_query_of_only_excluded_words_is_a_400_with_the_reason(app: Callable[..., Any]) -> None:
    answer = call(app, "/cerca", "q=-mediatori")
    assert answer.status == 400
    assert "Ricerca non valida" in answer.text
    assert "not excluded" in answer.text
    assert 'value="-mediatori"' in answer.text  # the form keeps what was typed


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("citta=Atlantide", "città sconosciuta"),
        ("categoria=blog", "categoria sconosciuta"),
        ("dal=ieri", "non è una data"),
        ("dal=2023-12-01&al=2023-11-01", "viene dopo"),
    ],
)
def test_unusable_filters_are_a_400_with_the_reason(
    app: Callable[..., Any], query: str, reason: str
) -> None:
    answer = call(app, "/cerca", query)
    assert answer.status == 400
    assert reason in answer.text


def test_query_in_utf8_reaches_the_store_intact(app: Callable[..., Any]) -> None:
    answer = call(app, "/cerca", "q=citt%C3%A0+%C2%ABmediatori%C2%BB")
    assert answer.status == 200
    assert 'value="città «mediatori»"' in answer.text


def test_empty_search_page_shows_the_form_only(app: Callable[..., Any]) -> None:
    answer = call(app, "/cerca")
    assert answer.status == 200
    assert '<form class="rs-search"' in answer.text
    assert "<table" not in answer.text
    assert all(label in answer.text for label in CATEGORIES.values())


def test_json_download_is_contract_4_of_the_store(app: Callable[..., Any]) -> None:
    answer = call(app, "/rassegna.json")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    snapshot = json.loads(answer.body)
    assert snapshot["total"]["uscite"] == 2
    assert [c["id"] for c in snapshot["categories"]] == list(CATEGORIES)


def test_markdown_and_csv_are_offered_as_files(app: Callable[..., Any]) -> None:
    for fmt in ("md", "csv"):
        answer = call(app, f"/rassegna.{fmt}")
        assert answer.status == 200, answer.text
        assert answer.headers["Content-Disposition"] == (
            f'attachment; filename="rassegna-2023-11-24.{fmt}"'
        )


def test_pdf_without_chromium_is_a_503_page_that_says_what_to_do(
    app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASSEGNA_CHROMIUM", "no-such-browser")
    answer = call(app, "/rassegna.pdf")
    assert answer.status == 503
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "PDF non disponibile" in answer.text
    assert "apt-get install chromium" in answer.text
    assert "Traceback" not in answer.text


def test_unknown_pages_and_writes_are_refused(app: Callable[..., Any]) -> None:
    assert call(app, "/rassegna.exe").status == 404
    assert call(app, "/../etc/passwd").status == 404
    refused = call(app, "/cerca", method="POST")
    assert refused.status == 405
    assert sorted(refused.headers["Allow"].split(", ")) == ["GET", "HEAD"]
    head = call(app, "/rassegna.json", method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert int(head.headers["Content-Length"]) > 0


def test_unreadable_store_is_a_503_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    broken = create_app(blocker, load_sources(), secret_key="test")
    answer = call(broken, "/cerca", "q=mediatori")
    assert answer.status == 503
    assert "Archivio non disponibile" in answer.text


def test_empty_store_still_serves_a_document(tmp_path: Path) -> None:
    empty = create_app(tmp_path, load_sources(), secret_key="test")
    home = call(empty, "/")
    assert home.status == 200
    assert '<nav class="rs-nav"' in home.text
    assert '<dd id="numero-uscite">0</dd>' in home.text
    download = call(empty, "/rassegna.csv")
    assert 'filename="rassegna-vuota.csv"' in download.headers["Content-Disposition"]


def test_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RassegnaError, match=f"cannot listen on 127.0.0.1:{port}"):
            serve("127.0.0.1", port, data_dir=tmp_path, registry=load_sources())


# --- in Chromium: the simulated web, crawled once -----------------------------------------


@dataclass
class Crawled:
    data_dir: Path
    snapshot: dict[str, Any]
    html: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    """The simulated web crawled by the CLI, with its JSON and HTML snapshots."""
    data_dir = tmp_path_factory.mktemp("simweb-data")
    sources = ("--sources", sources_path())
    with build_web() as web:
        run_cli("crawl", *sources, "--connect-to", web.connect_to, *FAST, data_dir=data_dir)
    snapshot = run_cli("snapshot", "--format", "json", *sources, data_dir=data_dir)
    html = data_dir / "rassegna.html"
    run_cli("snapshot", "--format", "html", *sources, "--out", str(html), data_dir=data_dir)
    return Crawled(data_dir, json.loads(snapshot.stdout), html)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def served(crawled: Crawled) -> Iterator[str]:
    """``serve`` in a thread on a free loopback port; the base URL."""
    with desk_server(crawled.data_dir, load_sources(sources_path())) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.slow
def test_html_snapshot_opens_cleanly_with_its_figures(
    crawled: Crawled, page: Page, screenshots: Path
) -> None:
    watch = ConsoleWatch(page)
    page.goto(crawled.html.as_uri())
    page.screenshot(path=screenshots / "rassegna-first-screen.png")
    page.screenshot(path=screenshots / "rassegna-full.png", full_page=True)
    assert (screenshots / "rassegna-first-screen.png").stat().st_size > 20_000
    registry = load_sources(sources_path())
    title = registry.document.title or f"{registry.topic.name} Rassegna Stampa"
    assert page.locator("h1").inner_text() == title
    assert page.inner_text("#numero-uscite") == str(crawled.snapshot["total"]["uscite"])
    assert page.locator("figure.chart svg").count() == 3
    assert watch.errors == []


@pytest.mark.slow
def test_category_table_in_the_dom_has_seven_rows_matching_the_snapshot(
    crawled: Crawled, page: Page
) -> None:
    page.goto(crawled.html.as_uri())
    rows = page.eval_on_selector_all(
        "table.categories tbody tr",
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))",
    )
    categories = crawled.snapshot["categories"]
    assert [row[0] for row in rows] == list(CATEGORIES.values())
    assert [int(row[1]) for row in rows] == [c["uscite"] for c in categories]
    assert [row[2] for row in rows] == [italian_number(c["audience"]) or "n.d." for c in categories]
    total = page.eval_on_selector(
        "table.categories tfoot tr", "row => [...row.cells].map(c => c.innerText.trim())"
    )
    assert total[:2] == ["Totale", str(crawled.snapshot["total"]["uscite"])]


@pytest.mark.slow
def test_table_of_contents_links_jump_to_existing_anchors(crawled: Crawled, page: Page) -> None:
    page.goto(crawled.html.as_uri())
    targets = page.eval_on_selector_all(
        "a[href^='#']", "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    assert len(targets) >= 7 + 4
    missing = page.evaluate(
        "ids => ids.filter(id => !document.getElementById(decodeURIComponent(id)))", targets
    )
    assert missing == []
    page.locator("nav.toc a[href='#cat-portali']").click()
    assert page.evaluate("location.hash") == "#cat-portali"
    top = page.evaluate("document.getElementById('cat-portali').getBoundingClientRect().top")
    assert abs(top) < 50, "the link did not scroll its section to the top"


@pytest.mark.slow
def test_served_rassegna_is_the_document_with_a_way_to_search(
    crawled: Crawled, served: str, page: Page, screenshots: Path
) -> None:
    watch = ConsoleWatch(page)
    page.goto(served)
    page.screenshot(path=screenshots / "serve-home.png")
    assert page.inner_text("#numero-uscite") == str(crawled.snapshot["total"]["uscite"])
    page.get_by_role("link", name="Cerca", exact=True).click()
    page.wait_for_url(served + "cerca")
    assert page.get_by_label("Parole").is_visible()
    assert watch.errors == []


@pytest.mark.slow
def test_search_for_a_planted_term_shows_the_planted_item(served: str, page: Page) -> None:
    page.goto(served + "cerca?q=mediatori")
    first = page.locator("tr.rs-result").first  # the title names them: best match
    assert first.locator(".rs-title a").get_attribute("href") == PLANTED_URL
    assert first.locator(".rs-outlet").inner_text() == "Nuraghe News"
    assert first.locator(".rs-city").inner_text() == "Sassari"
    assert "mediatori culturali" in first.locator(".rs-title a").inner_text()


@pytest.mark.slow
def test_search_form_works_by_typing_and_submitting(
    served: str, page: Page, screenshots: Path
) -> None:
    watch = ConsoleWatch(page)
    page.goto(served + "cerca")
    page.get_by_label("Parole").press_sequentially("mediatori")
    page.get_by_label("Città").select_option("Sassari")
    page.get_by_label("Parole").press("Enter")
    page.wait_for_url("**/cerca?q=mediatori&citta=Sassari*")
    page.screenshot(path=screenshots / "serve-search.png", full_page=True)
    cities = page.locator("tr.rs-result .rs-city").all_inner_texts()
    assert cities
    assert set(cities) == {"Sassari"}
    assert "Nuraghe News" in page.locator("tr.rs-result .rs-outlet").all_inner_texts()
    assert page.get_by_label("Parole").input_value() == "mediatori"
    assert watch.errors == []


@pytest.mark.slow
def test_hostile_query_shows_as_text_and_opens_no_dialog(served: str, page: Page) -> None:
    dialogs = dialogs_of(page)
    watch = ConsoleWatch(page)
    page.goto(served + "cerca")
    page.get_by_label("Parole").fill(HOSTILE)
    page.get_by_role("button", name="Cerca").click()
    page.wait_for_url("**/cerca?q=*")
    assert page.get_by_label("Parole").input_value() == HOSTILE
    assert f"«{HOSTILE}»" in page.locator(".rs-count").inner_text()
    assert page.evaluate("document.scripts.length") == 0
    assert dialogs == []
    assert watch.errors == []


@pytest.mark.slow
def test_served_json_is_the_snapshot_of_the_cli(crawled: Crawled, served: str, page: Page) -> None:
    response = page.goto(served + "rassegna.json")
    assert response is not None
    assert response.ok
    assert response.json() == crawled.snapshot


@pytest.mark.slow
def test_pdf_link_downloads_the_printed_rassegna(crawled: Crawled, served: str, page: Page) -> None:
    page.goto(served)
    with page.expect_download() as started:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = started.value
    assert download.suggested_filename == f"rassegna-{crawled.snapshot['updated']}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

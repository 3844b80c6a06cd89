"""The rassegna document in HTML, Markdown, CSV and JSON, its charts, and its safety guards.

Golden files (tests/fixtures/golden/) pin the Markdown and JSON of a small fixed data set; they
change only when a person reruns the tests with UPDATE_GOLDEN=1 and reviews the diff. The
reference rassegna's own rows check the figures; hostile titles and URLs check the escaping.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from crawler.imports import import_csv
from crawler.sources import load_sources
from enrichment.cities import CITIES
from enrichment.records import Article
from enrichment.vocabulary import CATEGORIES, italian_number
from search.backends.sqlite import SQLiteStore
from search.render import csv_format, html, json_format, markdown
from search.render import render as render_format
from search.render.charts import KINDS, chart_png, chart_svg
from search.render.model import Document, DocumentOptions, build_document
from search.render.safety import safe_cell, safe_url
from search.render.snapshot import select_items
from search.store import StoredItem
from tests.conftest import REFERENCE_CSV, reference_as_import, write_csv

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
NOW = "2023-11-24T16:30:00+00:00"
OPTIONS = DocumentOptions(
    title="LgNet2 Rassegna Stampa Press Tour",
    header_lines=("Fondo Asilo, Migrazione e Integrazione 2014-2020", "Obiettivo Specifico 2"),
    scope=("dal 1 ottobre 2023",),
)


def article(**fields: object) -> Article:
    base = Article(
        url="https://www.cronaca-torino.test/2023/10/17/rete-lgnet2/",
        outlet="Cronaca Torino",
        category="quotidiani",
        audience=52000,
        title="Torino nella rete LgNet2 per l'inclusione",
        date="2023-10-17",
        journalist="M. Bianchi",
        text="La città entra nella rete LgNet2.\nSportelli e unità mobili per chi arriva.",
        language="it",
        mentions=2,
        city="Torino",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def golden_articles() -> list[Article]:
    """Five uscite over four categories, three cities and two weeks; one category empty."""
    return [
        article(),
        article(
            url="https://www.agenzia.test/regioni/genova-rete/",
            outlet="Agenzia Regioni",
            category="agenzie",
            audience=None,
            title="Genova tra i comuni della rete LgNet2",
            date="2023-10-18",
            journalist=None,
            text="(AGR) - GENOVA, 18 OTT - Il Comune presenta i servizi della rete LgNet2.",
            city="Genova",
        ),
        article(
            url="https://www.facebook.com/genovaoggi/posts/101",
            outlet="Facebook – Genova Oggi",
            category="social",
            audience=12500,
            title="La tappa genovese del tour della rete",
            date="2023-10-18",
            journalist=None,
            text="",
            mentions=0,
            source="import",
            city="Genova",
        ),
        article(
            url="https://notizie.portale.test/torino/lgnet2-casa",
            outlet="Portale Notizie – Cronaca Torino",
            category="portali",
            audience=98765,
            title="Casa e lavoro: cosa offre LgNet2 a Torino",
            date="2023-10-23",
            journalist=None,
            text="Un riassunto dell'articolo di Cronaca Torino sulla rete LgNet2.",
        ),
        article(
            url="https://www.cronaca-torino.test/2023/10/24/housing-first/",
            title="Housing first, i primi appartamenti",
            date="2023-10-24",
            journalist="Redazione",
            text="Dieci alloggi per le famiglie della rete LgNet2.\n\nIl Comune ne prevede altri.",
        ),
    ]


def stored(article: Article, now: str = NOW) -> StoredItem:
    return StoredItem(article=article, first_seen=now, changed_at=now)


def document_of(
    articles: list[Article], *, options: DocumentOptions = OPTIONS, clippings: str = "full"
) -> Document:
    """The document of these uscite, unordered input as the store would give it back."""
    order = list(CATEGORIES)
    items = sorted(
        (stored(a) for a in articles),
        key=lambda s: (order.index(s.article.category), s.article.date or "", s.article.outlet),
    )
    return build_document(items, "LgNet2", replace(options, clippings=clippings))


def assert_golden(name: str, actual: bytes) -> None:
    """Compare with the golden file; rewrite it only when UPDATE_GOLDEN=1 is set."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 pytest {__file__} and review it"
    assert actual.decode("utf-8") == path.read_text(encoding="utf-8")


def parse_html(document: Document) -> etree._Element:
    return lxml_html.document_fromstring(html.render(document))


def cell_texts(row: etree._Element) -> list[str]:
    return [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]


def md_to_html(text: str) -> etree._Element:
    """What a GitHub-like Markdown renderer makes of our Markdown."""
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return lxml_html.fragment_fromstring(rendered, create_parent="div")


# ---------------------------------------------------------------------------- golden files


def test_markdown_of_the_fixed_data_set_matches_its_golden_file(store: SQLiteStore) -> None:
    for item in golden_articles():
        store.upsert(item, now=NOW)
    document = build_document(select_items(store), "LgNet2", OPTIONS)
    assert_golden("rassegna.md", markdown.render(document))


def test_json_of_the_fixed_data_set_matches_its_golden_file(store: SQLiteStore) -> None:
    for item in golden_articles():
        store.upsert(item, now=NOW)
    document = build_document(select_items(store), "LgNet2", OPTIONS)
    assert_golden("rassegna.json", json_format.render(document))


def test_every_text_format_renders_the_same_bytes_twice() -> None:
    document = document_of(golden_articles())
    for module in (html, markdown, csv_format, json_format):
        assert module.render(document) == module.render(document), module.__name__
    for kind in KINDS:
        assert chart_svg(document, kind) == chart_svg(document, kind)
        assert chart_png(document, kind) == chart_png(document, kind)


# ------------------------------------------------------------------- the reference rassegna


@pytest.fixture(scope="module")
def reference_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    folder = tmp_path_factory.mktemp("reference")
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    path = write_csv(folder / "reference.csv", reference_as_import(rows))
    store = SQLiteStore(folder / "rassegna.sqlite")
    try:
        import_csv(path, store, load_sources(), now="2023-12-14T09:00:00+00:00")
        return build_document(select_items(store), "LgNet2", OPTIONS)
    finally:
        store.close()


@pytest.fixture(scope="module")
def reference_html(reference_document: Document) -> etree._Element:
    return parse_html(reference_document)


def expected_category_rows() -> list[list[str]]:
    """The category table as the reference's own rows add up (Categoria, Uscite, Audience)."""
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = Counter(r["category"] for r in rows)
    audiences: Counter[str] = Counter()
    for r in rows:
        if r["audience"]:
            audiences[r["category"]] += int(r["audience"])
    return [
        [label, str(counts[key]), italian_number(audiences[key]) if audiences[key] else "n.d."]
        for key, label in CATEGORIES.items()
    ]


def test_reference_figures_appear_in_the_html_summary(reference_html: etree._Element) -> None:
    assert reference_html.get_element_by_id("numero-uscite").text_content() == "60"
    assert reference_html.get_element_by_id("audience-totale").text_content() == "2.671.802"
    table = reference_html.get_element_by_id("categorie")
    assert [c.text_content() for c in table.xpath("./thead/tr/th")] == [
        "Categoria",
        "Numero Uscite",
        "Audience",
    ]
    body = [cell_texts(r) for r in table.xpath("./tbody/tr")]
    assert body == expected_category_rows()
    assert [cell_texts(r) for r in table.xpath("./tfoot/tr")] == [["Totale", "60", "2.671.802"]]


def test_reference_figures_appear_in_the_markdown(reference_document: Document) -> None:
    text = markdown.render(reference_document).decode("utf-8")
    assert "**Numero Uscite:** 60" in text
    assert "**Audience Totale\\*:** 2.671.802" in text
    table = [f"| {label} | {n} | {audience} |" for label, n, audience in expected_category_rows()]
    assert "\n".join(table) in text
    assert "| **Totale** | **60** | **2.671.802** |" in text


def test_html_has_one_table_per_category_in_fixed_order_with_its_subtotal(
    reference_document: Document, reference_html: etree._Element
) -> None:
    sections = reference_html.xpath("//section[@class='category']")
    assert [s.get("id") for s in sections] == [f"cat-{key}" for key in CATEGORIES]
    for section, category in zip(sections, reference_document.categories, strict=True):
        table = section.xpath(".//table")[0]
        assert cell_texts(table.xpath("./thead/tr")[0]) == [
            "Testata",
            "Audience",
            "Titolo",
            "Data",
            "Giornalista",
        ]
        rows = table.xpath("./tbody/tr")
        assert len(rows) == max(category.uscite, 1)  # an empty category keeps a "none" row
        subtotal = cell_texts(table.xpath("./tfoot/tr[@class='subtotal']")[0])
        assert subtotal[:2] == ["Audience", category.audience_label or "n.d."]
    first_agency_row = cell_texts(sections[0].xpath(".//tbody/tr")[0])
    assert first_agency_row[3] == "18 ottobre"


def test_html_reads_top_to_bottom_as_the_reference_document(
    reference_html: etree._Element,
) -> None:
    text = " ".join(reference_html.text_content().split())
    landmarks = [
        "Fondo Asilo, Migrazione e Integrazione 2014-2020",
        "LgNet2 Rassegna Stampa Press Tour",
        "Ultimo aggiornamento: 14 dicembre 2023",
        "In evidenza",
        "Numero Uscite",
        "Audience Totale*",
        "sono sottostimati",
        "Uscite per categoria",
        "Le uscite",
        "Grafici",
        "Ritagli",
    ]
    position = 0
    for mark in landmarks:
        found = text.find(mark, position)
        assert found >= 0, f"{mark!r} missing after position {position}"
        position = found + len(mark)
    assert reference_html.get("lang") == "it"


def test_html_links_are_anchors_that_resolve_or_web_addresses(
    reference_html: etree._Element,
) -> None:
    ids = set(reference_html.xpath("//@id"))
    hrefs = reference_html.xpath("//a/@href")
    fragments = [h[1:] for h in hrefs if h.startswith("#")]
    assert {f"cat-{key}" for key in CATEGORIES} <= set(fragments)
    assert "ritagli-agenzie" in fragments
    assert set(fragments) <= ids
    assert all(re.match(r"https?://", h) for h in hrefs if not h.startswith("#"))
    assert len(reference_html.xpath("//@id")) == len(ids), "ids must be unique on the page"


def test_each_text_format_is_reachable_by_its_format_name() -> None:
    document = document_of(golden_articles())
    for fmt, module in (("md", markdown), ("html", html), ("csv", csv_format)):
        assert render_format(document, fmt) == module.render(document)
    page = html.render_html(document, base_href="/rassegna/")
    assert '<base href="/rassegna/">' in page
    assert "<base" not in html.render_html(document)


def test_html_is_standalone_without_scripts_or_external_resources(
    reference_html: etree._Element,
) -> None:
    assert reference_html.xpath("//script") == []
    assert reference_html.xpath("//link[@rel='stylesheet']") == []
    assert reference_html.xpath("//*[@src]") == []
    style = "".join(reference_html.xpath("//style/text()"))
    assert "@media print" in style
    assert "size: A4" in style
    assert "url(" not in style
    assert "@import" not in style


def test_html_embeds_the_three_charts_as_accessible_svg(reference_html: etree._Element) -> None:
    figures = reference_html.get_element_by_id("grafici").xpath(".//figure")
    assert [f.get("id") for f in figures] == [f"grafico-{kind}" for kind in KINDS]
    for figure in figures:
        svg = figure.xpath("./svg")
        assert len(svg) == 1
        assert svg[0].get("role") == "img"
        assert svg[0][0].tag == "title"
        assert svg[0][0].text in {
            "Uscite per settimana",
            "Uscite per città",
            "Audience per categoria",
        }


def test_html_clippings_are_grouped_by_category_and_date(
    reference_document: Document, reference_html: etree._Element
) -> None:
    sections = reference_html.xpath("//section[@class='clippings-category']")
    populated = [s.id for s in reference_document.categories if s.uscite]
    assert [s.get("id") for s in sections] == [f"ritagli-{key}" for key in populated]
    agencies = sections[0]
    assert agencies.xpath("./h3")[0].text == "Agenzie"
    assert agencies.xpath(".//h4")[0].text == "18 ottobre 2023"
    first = agencies.xpath(".//article")[0]
    assert first.xpath("./p[@class='outlet']")[0].text == "ANSA - Politics News Service"
    assert first.xpath("./p[@class='url']/a")[0].get("href").startswith("https://")
    assert "Sintesi redatta a mano" in first.xpath("./p[@class='text']")[0].text
    notes = reference_html.xpath("//p[@class='clipping-note']")
    assert len(notes) == 2
    assert notes[0].text == "Ritagli: testo integrale degli articoli."


# --------------------------------------------------------------------------- charts


def test_charts_label_weeks_in_italian_and_show_all_sixteen_cities(
    reference_document: Document,
) -> None:
    weeks = etree.fromstring(chart_svg(reference_document, "weeks").encode())
    texts = [t.text for t in weeks.iter("{http://www.w3.org/2000/svg}text")]
    assert "16 ott" in texts
    assert "20 nov" in texts
    cities = etree.fromstring(chart_svg(reference_document, "cities").encode())
    labels = {t.text for t in cities.iter("{http://www.w3.org/2000/svg}text")}
    assert set(CITIES) <= labels
    audience = chart_svg(reference_document, "audience")
    assert "1.641.811" in audience
    assert re.search(r">\d{1,3}\.000\.000<|>\d{3}\.000<", audience), "Italian axis labels"


def test_charts_of_an_empty_selection_say_no_data() -> None:
    document = build_document([], "LgNet2", OPTIONS)
    for kind in KINDS:
        assert "nessun dato" in chart_svg(document, kind)
        assert chart_png(document, kind).startswith(b"\x89PNG\r\n\x1a\n")
    page = parse_html(document)
    assert len(page.get_element_by_id("categorie").xpath("./tbody/tr")) == 7
    assert page.get_element_by_id("numero-uscite").text_content() == "0"


# --------------------------------------------------------------------------- hostile input

HOSTILE = article(
    url="javascript:alert(1)",
    title="<script>alert(1)</script> | [clicca](https://evil.test) **forte**",
    outlet='=HYPERLINK("https://evil.test","x")',
    journalist="@SOMMA(1+1)",
    text="# Non un titolo\n- non un elenco\n<img src=x onerror=alert(1)>",
)


def test_a_script_in_a_title_is_shown_as_text_in_html() -> None:
    raw = html.render(document_of([HOSTILE]))
    page = lxml_html.document_fromstring(raw)
    assert page.xpath("//script|//img") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw.decode()
    titles = page.xpath("//h5[@class='title']")
    assert titles[0].text_content().startswith("<script>alert(1)</script>")
    assert "<img src=x onerror=alert(1)>" in page.xpath("//p[@class='text']")[2].text


def test_a_javascript_url_is_printed_but_never_linked() -> None:
    document = document_of([HOSTILE])
    page = parse_html(document)
    assert not [h for h in page.xpath("//a/@href") if not h.startswith(("#", "http"))]
    assert page.xpath("//p[@class='url']")[0].text == "javascript:alert(1)"
    rendered = md_to_html(markdown.render(document).decode())
    assert rendered.xpath("//a[starts-with(@href, 'javascript')]") == []
    assert "javascript:alert(1)" in rendered.text_content()


def test_crawled_strings_cannot_break_a_markdown_table_or_inject_markup() -> None:
    text = markdown.render(document_of([HOSTILE])).decode()
    rendered = md_to_html(text)
    table = rendered.xpath("//h3[.='Quotidiani e quotidiani online']/following-sibling::table")[0]
    body = table.xpath("./tbody/tr")
    assert [len(r.xpath("./td")) for r in body] == [5, 5]
    assert body[0].xpath("./td")[2].text_content() == HOSTILE.title
    assert rendered.xpath("//a|//script|//img|//strong[contains(., 'forte')]") == []
    assert "<img src=x onerror=alert(1)>" in rendered.text_content()
    assert not rendered.xpath("//h1[contains(., 'Non un titolo')]")
    assert not rendered.xpath("//li[contains(., 'non un elenco')]")


def test_csv_cells_that_look_like_formulas_are_neutralised_and_the_file_round_trips() -> None:
    payload = csv_format.render(document_of([HOSTILE, article()]))
    assert payload.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(csv_format.HEADER)
    assert len(rows) == 3
    hostile = dict(zip(rows[0], rows[1], strict=True))
    assert hostile["testata"] == "'" + HOSTILE.outlet
    assert hostile["giornalista"] == "'@SOMMA(1+1)"
    assert hostile["titolo"] == HOSTILE.title
    assert hostile["categoria"] == "Quotidiani e quotidiani online"
    plain = dict(zip(rows[0], rows[2], strict=True))
    assert plain == {
        "categoria": "Quotidiani e quotidiani online",
        "testata": "Cronaca Torino",
        "audience": "52000",
        "titolo": "Torino nella rete LgNet2 per l'inclusione",
        "data": "2023-10-17",
        "giornalista": "M. Bianchi",
        "citta": "Torino",
        "url": "https://www.cronaca-torino.test/2023/10/17/rete-lgnet2/",
        "lingua": "it",
        "menzioni": "2",
        "fonte": "crawl",
    }


# ----------------------------------------------------------------------- clipping modes

LONG_TEXT = (
    "\n".join(
        f"Paragrafo {n}: il Comune di Torino racconta la rete LgNet2 con esempi concreti, "
        f"numeri degli sportelli e testimonianze degli operatori delle unità mobili."
        for n in range(1, 12)
    )
    + "\nUltima frase riservata agli abbonati del quotidiano torinese."
)


def test_excerpt_mode_shows_the_first_lines_but_never_the_whole_article() -> None:
    long_article = article(text=LONG_TEXT)
    for render in (html.render, markdown.render):
        full = render(document_of([long_article], clippings="full")).decode()
        excerpt = render(document_of([long_article], clippings="excerpt")).decode()
        assert "Ultima frase riservata agli abbonati" in full
        assert "Ultima frase riservata agli abbonati" not in excerpt
        assert "Paragrafo 11" not in excerpt
        assert "Paragrafo 1: il Comune di Torino" in excerpt
        assert "solo titolo, prime righe e collegamento" in excerpt


def test_none_mode_has_no_article_text_and_says_so() -> None:
    long_article = article(text=LONG_TEXT)
    for render in (html.render, markdown.render):
        text = render(document_of([long_article], clippings="none")).decode()
        assert "Paragrafo 1" not in text
        assert "Ritagli: non inclusi." in text
        assert "Torino nella rete LgNet2 per l" in text  # the table still lists the uscita


# ----------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.ansa.it/a.html", "https://www.ansa.it/a.html"),
        ("  http://x.test/  ", "http://x.test/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("ftp://x.test/a", None),
        ("//x.test/a", None),
        ("https:///nohost", None),
        ("https://x.test/a b", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_lets_through_only_absolute_web_addresses(
    url: str | None, expected: str | None
) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+39 333", "'+39 333"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Roma = capitale", "Roma = capitale"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell_prefixes_formula_starts_with_an_apostrophe(
    text: str | None, expected: str
) -> None:
    assert safe_cell(text) == expected

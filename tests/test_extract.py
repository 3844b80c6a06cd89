"""Extraction on stored pages: every fixture pair, plus pages that are not pages at all.

Each ``tests/fixtures/pages/<name>.html`` imitates one template family of Italian local
news (WordPress themes, custom CMSs, agencies, aggregators, a video page, old encodings);
``<name>.json`` holds the URL, the HTTP charset if any, the expected fields, and words the
text must start with, contain, or never contain (sidebars, related boxes, comments).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from enrichment.extract import extract_page
from enrichment.records import Extracted

PAGES = Path(__file__).parent / "fixtures" / "pages"
FIXTURES = sorted(path.stem for path in PAGES.glob("*.html"))


def load_fixture(name: str) -> tuple[bytes, dict[str, Any]]:
    return (PAGES / f"{name}.html").read_bytes(), json.loads(
        (PAGES / f"{name}.json").read_text(encoding="utf-8")
    )


def extract_fixture(name: str) -> tuple[Extracted, dict[str, Any]]:
    html, spec = load_fixture(name)
    record = extract_page(
        html, spec["url"], encoding=spec.get("http_encoding"), year_hint=spec.get("year_hint")
    )
    return record, spec


def test_there_are_enough_fixture_pages() -> None:
    assert len(FIXTURES) >= 12
    for name in FIXTURES:
        assert (PAGES / f"{name}.json").is_file(), name


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_fields_match_expectations(name: str) -> None:
    record, spec = extract_fixture(name)
    actual = {field: getattr(record, field) for field in spec["expected"]}
    assert actual == spec["expected"]
    assert record.url == spec["url"]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_text_is_the_article_only(name: str) -> None:
    record, spec = extract_fixture(name)
    assert record.text.startswith(spec["text_startswith"])
    for words in spec["text_contains"]:
        assert words in record.text
    leaked = [words for words in spec["text_excludes"] if words in record.text]
    assert leaked == []


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_text_has_one_paragraph_per_line(name: str) -> None:
    record, _ = extract_fixture(name)
    lines = record.text.split("\n")
    assert all(line == line.strip() and line for line in lines)


def test_sidebar_related_and_comments_naming_the_topic_stay_out_of_the_text() -> None:
    record, _ = extract_fixture("boxes_with_lgnet2_sassari")
    assert "lgnet2" not in record.text.lower()
    assert record.title == "Viale Italia, partono i lavori per la nuova pista ciclabile"


def test_latin1_page_declared_as_utf8_decodes_without_mojibake() -> None:
    html, spec = load_fixture("utf8_declared_latin1_caserta")
    with pytest.raises(UnicodeDecodeError):
        html.decode("utf-8")
    record = extract_page(html, spec["url"], encoding="utf-8")
    assert "città" in record.text
    assert "\ufffd" not in record.text + (record.description or "")


def test_same_page_as_text_or_bytes_gives_the_same_record() -> None:
    html, spec = load_fixture("jnews_theme_sassari")
    assert extract_page(html.decode("utf-8"), spec["url"]) == extract_page(html, spec["url"])


def test_http_charset_overrides_a_wrong_meta_charset() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>Città</title></head><body><h1>Città</h1>'
        "<p>Perché la città è più bella così, d'inverno e d'estate, lo dicono tutti.</p>"
        "</body></html>"
    ).encode("cp1252")
    record = extract_page(page, "https://example.it/a", encoding="windows-1252")
    assert record.title == "Città"


def test_dateline_year_comes_from_year_hint_before_url() -> None:
    html, spec = load_fixture("ansa_dateline_torino")
    record = extract_page(html, spec["url"].replace("/2023/10/18/", "/"), year_hint=2022)
    assert (record.date, record.date_raw, record.date_source) == ("2022-10-18", "18 OTT", "visible")


def test_dateline_year_comes_from_the_url_when_there_is_no_hint() -> None:
    html, spec = load_fixture("ansa_dateline_torino")
    url = spec["url"].replace("/2023/10/18/", "/2021/10/")
    record = extract_page(html, url)
    assert (record.date, record.date_source) == ("2021-10-18", "visible")


def test_date_from_url_is_the_last_resort() -> None:
    page = _plain_page(date_markup="")
    record = extract_page(page, "https://example.it/2023/11/29/titolo/")
    assert (record.date, record.date_raw, record.date_source) == ("2023-11-29", "2023/11/29", "url")


def test_printed_date_beats_a_different_url_date() -> None:
    page = _plain_page(date_markup='<span class="quando">23 ottobre 2023</span>')
    record = extract_page(page, "https://example.it/2023/10/24/titolo/")
    assert (record.date, record.date_source) == ("2023-10-23", "visible")


def test_trafilatura_date_comes_before_a_printed_italian_date() -> None:
    page = _plain_page(
        date_markup='<span class="post-date">2023-11-21</span> <span>26 ottobre 2023</span>'
    )
    record = extract_page(page, "https://example.it/notizie/titolo")
    assert (record.date, record.date_source) == ("2023-11-21", "trafilatura")


def test_jsonld_date_comes_before_meta_and_keeps_the_publishers_day() -> None:
    page = _plain_page(
        head=(
            '<meta property="article:published_time" content="2023-11-20T10:00:00+01:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2023-11-21T00:10:00+01:00"}</script>'
        )
    )
    record = extract_page(page, "https://example.it/a")
    assert (record.date, record.date_raw, record.date_source) == (
        "2023-11-21",
        "2023-11-21T00:10:00+01:00",
        "jsonld",
    )


def test_page_without_any_date_has_no_date() -> None:
    record = extract_page(_plain_page(date_markup=""), "https://example.it/notizie/titolo")
    assert (record.date, record.date_raw, record.date_source) == (None, None, None)


def test_jsonld_author_reference_in_graph_is_resolved_when_no_byline_is_printed() -> None:
    page = _plain_page(
        head=(
            '<script type="application/ld+json">{"@graph": ['
            '{"@type": "Article", "author": {"@id": "#p1"}, "publisher": {"@id": "#o"}},'
            '{"@type": "Person", "@id": "#p1", "name": "Lucia Ferri"},'
            '{"@type": "Organization", "@id": "#o", "name": "Cronaca Prova"}]}</script>'
        )
    )
    record = extract_page(page, "https://example.it/a")
    assert record.author_raw == "Lucia Ferri"
    assert record.site_name == "Cronaca Prova"


def test_meta_author_is_used_when_nothing_else_names_one() -> None:
    page = _plain_page(head='<meta name="author" content="Paolo Deiana">')
    assert extract_page(page, "https://example.it/a").author_raw == "Paolo Deiana"


def test_comment_author_is_not_the_byline() -> None:
    page = _plain_page(
        tail=(
            '<div id="comments" class="comments-area"><ol class="comment-list"><li>'
            '<div class="comment-author vcard"><cite class="fn">Lettore Anonimo</cite></div>'
            "<p>Un commento qualsiasi.</p></li></ol></div>"
        )
    )
    assert extract_page(page, "https://example.it/a").author_raw is None


def test_title_is_never_just_the_site_name() -> None:
    page = (
        '<html><head><title>Cronaca Prova</title><meta property="og:site_name" '
        'content="Cronaca Prova"><meta property="og:title" content="Cronaca Prova"></head>'
        "<body><p>Solo un paragrafo di testo senza titolo vero e proprio, ma abbastanza lungo"
        " da essere considerato.</p></body></html>"
    )
    record = extract_page(page, "https://www.cronacaprova.it/")
    assert record.title is None
    assert record.site_name == "Cronaca Prova"


def test_canonical_url_falls_back_to_og_url_and_is_made_absolute() -> None:
    page = _plain_page(head='<meta property="og:url" content="/notizie/titolo-giusto">')
    record = extract_page(page, "https://example.it/notizie/titolo?utm_source=x")
    assert record.canonical_url == "https://example.it/notizie/titolo-giusto"


def test_page_without_attribution_has_none() -> None:
    record = extract_page(_plain_page(), "https://example.it/a")
    assert (record.attribution, record.attribution_url) == (None, None)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n\t ",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 20,
        bytes(range(256)) * 50,
        b"\x00" * 1000,
        "",
        "<!-- solo un commento -->",
        "<html></html>",
        "<html><head><title></title></head><body></body></html>",
    ],
    ids=[
        "empty",
        "whitespace",
        "png",
        "all-bytes",
        "nul",
        "empty-str",
        "comment-only",
        "empty-html",
        "empty-body",
    ],
)
def test_content_that_is_not_an_article_gives_empty_text(body: bytes | str) -> None:
    record = extract_page(body, "https://example.it/a")
    assert isinstance(record, Extracted)
    assert record.text == ""
    assert record.url == "https://example.it/a"


def test_fragment_without_html_element_is_still_read() -> None:
    fragment = (
        "<h1>Un titolo senza pagina</h1><p>Un paragrafo abbastanza lungo da contare come"
        " testo dell'articolo, scritto da un sistema che non emette html né body.</p>"
    )
    record = extract_page(fragment, "https://example.it/frammento")
    assert record.title == "Un titolo senza pagina"
    assert "paragrafo abbastanza lungo" in record.text


def test_truncated_page_keeps_what_arrived() -> None:
    html, spec = load_fixture("newspaper_theme_taranto")
    cut = html[: html.index(b"sette lingue") + 5]
    record = extract_page(cut, spec["url"])
    assert record.title == "Il Comune di Taranto: «Così ci prendiamo cura dei migranti»"
    assert record.text.startswith("A Taranto l'ingresso nella rete LgNet2")


def test_page_cut_inside_a_multibyte_character_does_not_raise() -> None:
    html, spec = load_fixture("jnews_theme_sassari")
    position = html.index("città".encode()) + 4  # inside the two bytes of "à"
    record = extract_page(html[:position], spec["url"])
    assert "\ufffd" not in record.title + record.text if record.title else True


def test_xml_declaration_with_encoding_is_accepted() -> None:
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>' + _plain_page().decode()
    record = extract_page(page.encode("latin-1"), "https://example.it/a")
    assert record.title == "Un titolo di prova per le date e le firme"


def test_three_megabyte_page_finishes_quickly() -> None:
    html, spec = load_fixture("newspaper_theme_taranto")
    page = html.decode("utf-8")
    items = "".join(
        f'<li><a href="/n/{index}">Notizia {index} dal quartiere Tamburi</a>'
        f'<span class="td-post-date">2 Ottobre 2023</span></li>'
        for index in range(22_000)
    )
    paragraphs = "".join(
        f"<p>Paragrafo {index}: il servizio sociale ha seguito altre famiglie del quartiere, "
        "con attenzione alla casa e al lavoro, come previsto dal progetto LgNet2.</p>"
        for index in range(4_000)
    )
    page = page.replace("<ul><li>", "<ul>" + items + "<li>", 1).replace(
        "<p>A Taranto", paragraphs + "<p>A Taranto", 1
    )
    assert len(page) > 3_000_000
    started = time.perf_counter()
    record = extract_page(page.encode("utf-8"), spec["url"])
    elapsed = time.perf_counter() - started
    assert "Paragrafo 3999" in record.text
    assert "Tamburi" not in record.text
    assert elapsed < 10, f"{elapsed:.1f}s for a 3 MB page"


def _plain_page(*, head: str = "", date_markup: str = "", tail: str = "") -> bytes:
    """A small neutral article page for single-behaviour tests."""
    return (
        f'<html lang="it"><head><meta charset="utf-8">{head}</head><body>'
        '<div class="articolo"><h1>Un titolo di prova per le date e le firme</h1>'
        f"{date_markup}"
        '<div class="testo"><p>Il primo paragrafo racconta un fatto qualsiasi accaduto in una'
        " città italiana, con abbastanza parole da sembrare un articolo vero.</p>"
        "<p>Il secondo paragrafo aggiunge dettagli e una dichiarazione dell'assessore, che"
        " spiega le prossime tappe del lavoro comune.</p></div></div>"
        f"{tail}</body></html>"
    ).encode()


def test_text_falls_back_to_the_located_paragraphs_when_trafilatura_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("enrichment.extract.trafilatura.bare_extraction", lambda *a, **k: None)
    html, spec = load_fixture("torinoggi_custom_cms")
    record = extract_page(html, spec["url"])
    assert record.text.startswith("Torino è tra le sedici città italiane")
    assert "Pangolino" not in record.text
    assert record.title == spec["expected"]["title"]


def test_utf16_page_with_byte_order_mark_is_read() -> None:
    page = "<html><body><h1>Città in rete</h1><p>Un paragrafo qualsiasi.</p></body></html>"
    record = extract_page(page.encode("utf-16"), "https://example.it/a")
    assert record.title == "Città in rete"


def test_lone_surrogates_in_text_input_are_dropped() -> None:
    page = _plain_page().decode().replace("fatto qualsiasi", "fatto \ud800qualsiasi")
    record = extract_page(page, "https://example.it/a")
    assert "fatto qualsiasi" in record.text
    assert "\ufffd" not in record.text


@pytest.mark.parametrize(
    ("head", "body_class"),
    [
        (
            '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Cronaca"}'
            "</script>",
            "",
        ),
        ("", "archive category category-cronaca"),
        ("", "search search-results"),
    ],
    ids=["jsonld-collection", "wp-archive", "wp-search"],
)
def test_listing_pages_have_no_article_text(head: str, body_class: str) -> None:
    teasers = "".join(
        f'<article class="post-preview"><h2><a href="/a/{index}">LgNet2, notizia {index}</a>'
        f"</h2><p>Un riassunto della notizia numero {index}, con qualche parola in più per"
        " sembrare un vero estratto.</p></article>"
        for index in range(6)
    )
    page = (
        f"<html><head><title>Cronaca - Testata</title>{head}</head>"
        f'<body class="{body_class}"><main><h1>Cronaca</h1>{teasers}</main></body></html>'
    )
    record = extract_page(page, "https://www.testata.it/category/cronaca/")
    assert record.text == ""
    assert record.title == "Cronaca"


def test_unmarked_byline_line_is_the_author_and_not_text() -> None:
    page = _plain_page(date_markup="<p><i>di Rocco Laurenzana</i></p>")
    record = extract_page(page, "https://example.it/a")
    assert record.author_raw == "di Rocco Laurenzana"
    assert "Laurenzana" not in record.text


def test_trailing_legal_footer_is_dropped_but_not_a_paragraph_about_copyright() -> None:
    paragraph = "<p>Il copyright delle foto resta agli autori, ha ricordato il sindaco.</p>"
    page = _plain_page().replace(b"</p></div>", b"</p>" + paragraph.encode() + b"</div>", 1)
    page = page.replace(b"</body>", b'<p align="center">Testata Prova - P.IVA 0123456</p></body>')
    record = extract_page(page, "https://example.it/a")
    assert "Il copyright delle foto" in record.text
    assert "P.IVA" not in record.text

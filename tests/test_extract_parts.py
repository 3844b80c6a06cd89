"""The pieces extraction is built from: decoding, headline, byline, credit, page regions."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement, document_fromstring

from enrichment.attribution import find_attribution
from enrichment.byline import find_byline
from enrichment.encoding import decode_html
from enrichment.jsonld import read_jsonld
from enrichment.layout import find_regions, is_box, remove_boxes
from enrichment.metadata import read_metadata
from enrichment.titles import choose_headline

TEXT = "Perché la città è più bella d'inverno: lo dicono all'unanimità."


def tree(html: str) -> HtmlElement:
    return document_fromstring(html)


# decoding


def test_utf8_bytes_without_any_declaration_are_utf8() -> None:
    assert decode_html(f"<p>{TEXT}</p>".encode()) == f"<p>{TEXT}</p>"


def test_latin1_bytes_without_any_declaration_are_recovered() -> None:
    assert decode_html(f"<p>{TEXT}</p>".encode("latin-1")) == f"<p>{TEXT}</p>"


def test_iso_8859_1_meta_is_read_as_windows_1252() -> None:
    page = f'<meta charset="iso-8859-1"><p>{TEXT} “Sì” €</p>'
    assert decode_html(page.encode("cp1252")) == page


def test_latin1_declaration_on_a_utf8_page_is_overruled_by_the_bytes() -> None:
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>{TEXT}'
    assert decode_html(page.encode("utf-8")) == page
    assert decode_html(page.encode("utf-8"), "iso-8859-1") == page


def test_utf8_page_with_a_few_pasted_latin1_bytes_keeps_both() -> None:
    body = "<p>già ".encode() + "città".encode("latin-1") + " più</p>".encode()
    assert decode_html(body, "utf-8") == "<p>già città più</p>"


def test_byte_order_mark_beats_a_wrong_http_charset() -> None:
    body = b"\xef\xbb\xbf" + f"<p>{TEXT}</p>".encode()
    assert decode_html(body, "iso-8859-1") == f"<p>{TEXT}</p>"


def test_http_charset_beats_the_meta_charset() -> None:
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'
    assert decode_html(page.encode("iso-8859-15"), "iso-8859-15") == page


@pytest.mark.parametrize("label", ["utf8mb4", "none", "", "x-unknown", '"utf-8"'])
def test_unknown_or_odd_charset_labels_fall_back_gracefully(label: str) -> None:
    assert decode_html(f"<p>{TEXT}</p>".encode(), label) == f"<p>{TEXT}</p>"


def test_text_input_loses_only_its_bom() -> None:
    assert decode_html("\ufeff<p>x</p>") == "<p>x</p>"


# headline


@pytest.mark.parametrize(
    ("candidates", "site_names", "url", "title", "site_name"),
    [
        (
            ["Titolo - Torinoggi.it", "Titolo"],
            [],
            "https://www.torinoggi.it/x",
            "Titolo",
            "Torinoggi.it",
        ),
        (
            [None, "Perugia in rete | Vivere Perugia"],
            [],
            "https://www.vivereperugia.it/x",
            "Perugia in rete",
            "Vivere Perugia",
        ),
        (
            [None, "Perugia in rete", "Perugia in rete | Vivere Perugia"],
            [],
            "https://www.vivereperugia.it/x",
            "Perugia in rete",
            "Vivere Perugia",
        ),
        (
            ["Il fatto", "LatinaNews - Il fatto"],
            [],
            "https://www.latinanews.eu/x",
            "Il fatto",
            "LatinaNews",
        ),
        (
            ["Genova in rete – Liguria24", "Genova in rete, il progetto"],
            ["Liguria24"],
            "https://www.liguria24.it/x",
            "Genova in rete",
            "Liguria24",
        ),
        (
            ["Migranti, a Caserta", "Migranti a Caserta"],
            [],
            "https://www.zazoom.it/x",
            "Migranti, a Caserta",
            None,
        ),
        (
            ["Torino in rete - Piemonte - ANSA.it", "Torino in rete", "Torino in rete"],
            ["Agenzia ANSA"],
            "https://www.ansa.it/x",
            "Torino in rete",
            "ANSA.it",
        ),
        (["Cronaca Prova", "Cronaca Prova"], ["Cronaca Prova"], "https://c.it/", None, None),
        ([None, "", "   "], [], "https://c.it/", None, None),
    ],
)
def test_headline_drops_site_name_affixes(
    candidates: list[str | None],
    site_names: list[str],
    url: str,
    title: str | None,
    site_name: str | None,
) -> None:
    headline = choose_headline(candidates, site_names, url)
    assert (headline.title, headline.site_name) == (title, site_name)


def test_headline_with_a_dash_inside_is_kept_whole() -> None:
    headline = choose_headline(["Migranti - la rete cresce"], [], "https://www.altro.it/x")
    assert headline.title == "Migranti - la rete cresce"


# byline


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<div class="td-post-author-name"><div class="td-author-by">di</div> '
            '<a href="/a">Giuseppe Di Meo</a><div class="td-author-line"> - </div></div>',
            "di Giuseppe Di Meo",
        ),
        ('<p>di <a rel="author" href="/a">Mario Rossi</a></p>', "di Mario Rossi"),
        ('<p>Testo di <span itemprop="author">Anna Piras</span></p>', "Testo di Anna Piras"),
        (
            '<span class="byline">Scritto da Redazione il 12 ottobre 2023</span>',
            "Scritto da Redazione",
        ),
        (
            '<span class="byline">Redazione - 12 ottobre 2023 - 3 commenti</span>',
            "Redazione",
        ),
        ('<div class="autore">Redazione</div>', "Redazione"),
        ('<div class="author" style="display: none">Nascosto Nome</div>', None),
        ('<div class="author-avatar"><img alt="Volto"></div>', None),
        ('<div class="author">' + "lunga biografia " * 30 + "</div>", None),
    ],
)
def test_byline_is_read_as_printed(markup: str, expected: str | None) -> None:
    page = tree(
        f"<html><body><article><h1>Titolo</h1>{markup}<p>Testo.</p></article></body></html>"
    )
    assert find_byline(page.find("body")) == expected


# attribution


def _credit(markup: str, url: str = "https://www.portale.it/notizia/1") -> tuple[str | None, ...]:
    body = tree(f"<html><body><article><h1>Titolo</h1>{markup}</article></body></html>").find(
        "body"
    )
    found = find_attribution([body], url)
    return found.brand, found.url


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<p>Fonte: <a href="https://www.genova24.it/a/">Genova 24</a></p>',
            ("Genova 24", "https://www.genova24.it/a/"),
        ),
        (
            '<div class="fonte">Fonte : <a href="https://www.casertanotizie.com/a/">'
            "casertanotizie</a></div>",
            ("casertanotizie", "https://www.casertanotizie.com/a/"),
        ),
        (
            '<p><a href="https://www.cronacatorino.it/a/">Leggi l\'articolo completo su Cronaca '
            "Torino</a></p>",
            ("Cronaca Torino", "https://www.cronacatorino.it/a/"),
        ),
        (
            '<p>Leggi la notizia su <a href="https://www.x.it/a">Trieste Cafè</a>.</p>',
            ("Trieste Cafè", "https://www.x.it/a"),
        ),
        (
            '<div class="article-origin">Articolo di <a href="https://triestecafe.it/a">'
            "Trieste Cafè</a></div>",
            ("Trieste Cafè", "https://triestecafe.it/a"),
        ),
        (
            '<p>Da <a rel="original" href="/orig">Sardegna Reporter</a></p>',
            ("Sardegna Reporter", "https://www.portale.it/orig"),
        ),
        ("<p>FONTE: Ufficio stampa del Comune</p>", ("Ufficio stampa del Comune", None)),
        ("<p>Un articolo qualsiasi senza alcun credito.</p>", (None, None)),
        ("<p>Leggi anche: la nostra inchiesta</p>", (None, None)),
    ],
)
def test_credit_line_gives_the_original_brand_and_link(
    markup: str, expected: tuple[str | None, str | None]
) -> None:
    assert _credit(markup) == expected


def test_credit_in_the_article_beats_credits_in_the_rest_of_the_page() -> None:
    page = tree(
        "<html><body><ul><li>Altra notizia <span class='fonte'>Fonte: Il Secolo</span></li></ul>"
        "<article><h1>Titolo</h1><p>Fonte: <a href='https://g24.it/a'>Genova 24</a></p>"
        "</article></body></html>"
    )
    article = page.find(".//article")
    found = find_attribution([article, page.find("body")], "https://www.portale.it/n")
    assert (found.brand, found.url) == ("Genova 24", "https://g24.it/a")


# page regions


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<div class="td-main-sidebar">', True),
        ('<div class="widget_recent_entries">', True),
        ('<div class="box-piu-letti">', True),
        ('<div class="altre-notizie">', True),
        ('<div class="jnews_related_post_container">', True),
        ('<div id="comments">', True),
        ('<div class="cmplz-cookiebanner">', True),
        ('<div class="vv-colonna-dx">', True),
        ("<nav>", True),
        ("<aside>", True),
        ('<div class="entry-content no-share">', False),
        ('<article class="post tag-social-housing category-sociale">', False),
        ('<div class="tagdiv-type td-post-content">', False),
        ('<div class="tie-alignright">', False),
        ('<div class="elementor-element elementor-widget elementor-widget-post-info">', False),
        ('<body class="single right-sidebar">', False),
    ],
)
def test_box_recognition(markup: str, expected: bool) -> None:
    tag = markup[1:].split()[0].rstrip(">")
    element = tree(f"<html>{markup}x</{tag}></html>")
    found = element if element.tag == tag else element.find(f".//{tag}")
    assert found is not None
    assert is_box(found) is expected


def test_boxes_named_only_by_their_heading_are_removed() -> None:
    page = tree(
        "<html><body><div class='main'><h1>Titolo</h1><div class='txt'>"
        f"<p>{TEXT * 3}</p></div></div>"
        "<div class='col'><div><h3>I più letti della settimana</h3><p>Tasso</p></div></div>"
        "<div class='col'><b>Leggi anche</b><p>Riccio</p></div></body></html>"
    )
    regions = find_regions(page, ["Titolo"])
    remove_boxes(page, regions)
    text = page.text_content()
    assert "Tasso" not in text
    assert "Riccio" not in text
    assert TEXT in text


def test_bare_label_removes_its_paragraph_but_a_sentence_starting_alike_stays() -> None:
    page = tree(
        "<html><body><h1>Titolo</h1><div class='testo'>"
        f"<p>{TEXT * 3}</p><div><p><strong>Leggi anche:</strong> <a href='/x'>Riccio</a></p></div>"
        "<div><p>Commenti entusiasti dai cittadini.</p></div></div></body></html>"
    )
    remove_boxes(page, find_regions(page, ["Titolo"]))
    text = page.text_content()
    assert "Riccio" not in text
    assert "Commenti entusiasti dai cittadini." in text


def test_wrapper_that_looks_like_a_box_but_holds_the_article_is_kept() -> None:
    page = tree(
        "<html><body><div class='sidebar-layout'><h1>Titolo</h1>"
        f"<div class='testo'><p>{TEXT * 3}</p></div></div>"
        "<div class='sidebar'><p>Riccio</p></div></body></html>"
    )
    regions = find_regions(page, [])
    remove_boxes(page, regions)
    assert TEXT in page.text_content()
    assert "Riccio" not in page.text_content()


def test_logo_h1_is_not_the_headline() -> None:
    page = tree(
        "<html><body><header><h1 class='site-title'>Cronaca Prova</h1></header>"
        f"<h1>Il vero titolo</h1><div><p>{TEXT * 3}</p></div></body></html>"
    )
    regions = find_regions(page, [])
    assert regions.heading is not None
    assert regions.heading.text_content() == "Il vero titolo"


# metadata and JSON-LD


def test_language_comes_from_html_lang_or_content_language() -> None:
    assert (
        read_metadata(tree('<html lang="it-IT"><p>x</p></html>'), "https://a.it").language == "it"
    )
    assert (
        read_metadata(tree('<html lang="de_AT"><p>x</p></html>'), "https://a.it").language == "de"
    )
    page = tree(
        '<html><head><meta http-equiv="content-language" content="it"></head><p>x</p></html>'
    )
    assert read_metadata(page, "https://a.it").language == "it"
    assert read_metadata(tree('<html lang="xx-123-"><p>x</p></html>'), "https://a.it").language in (
        "xx",
        None,
    )
    assert read_metadata(tree("<html><p>x</p></html>"), "https://a.it").language is None


def test_broken_jsonld_blocks_are_skipped() -> None:
    page = tree(
        "<html><head>"
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">{"@type": ["NewsArticle"], "headline": "Buono",'
        ' "datePublished": "2023-11-22", "author": [{"name": "A"}, "B", {"name": "A"}]}</script>'
        "</head><body></body></html>"
    )
    article = read_jsonld(page)
    assert (article.headline, article.date_published, article.author) == (
        "Buono",
        "2023-11-22",
        "A, B",
    )


def test_jsonld_webpage_date_is_a_last_resort() -> None:
    page = tree(
        '<html><head><script type="application/ld+json">{"@graph": ['
        '{"@type": "WebPage", "datePublished": "2023-01-01"},'
        '{"@type": "Article", "datePublished": "2023-11-22", "headline": "H"}]}'
        "</script></head><body></body></html>"
    )
    assert read_jsonld(page).date_published == "2023-11-22"

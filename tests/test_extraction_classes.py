"""Classes of extraction error (issue 13), each as a rule rather than one page's patch.

Bylines glued to the next element, site accounts printed as bylines, names in capitals in
the header's date line, a shorter social headline outvoting the visible one, and page
furniture at the top of German South Tyrolean articles. The fixture pages in
``tests/fixtures/pages`` named below reproduce each class end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml.html import HtmlElement, document_fromstring

from enrichment.byline import find_byline
from enrichment.dates import parse_italian_date
from enrichment.extract import extract_page
from enrichment.journalist import format_journalist
from enrichment.layout import is_header_label, is_page_chrome
from enrichment.titles import choose_headline

PAGES = Path(__file__).parent / "fixtures" / "pages"
_PARAGRAPH = "<p>" + "Il consiglio comunale ha approvato il piano per il quartiere. " * 3 + "</p>"


def body(markup: str) -> HtmlElement:
    """An article with ``markup`` between the headline and a real paragraph."""
    page = document_fromstring(
        f"<html><body><article><h1>Titolo della notizia</h1>{markup}{_PARAGRAPH}"
        "</article></body></html>"
    )
    found = page.find("body")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("name", "journalist"),
    [
        ("glued_byline_napoli", "C. Esposito"),
        ("username_byline_latina", None),
        ("caps_meta_byline_perugia", "M. Bianchi"),
        ("national_short_og_title_roma", "F. Moretti"),
        ("german_southtyrol_clutter", "L. Gruber"),
    ],
)
def test_fixture_pages_of_each_class_give_the_journalist(name: str, journalist: str | None) -> None:
    spec = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    record = extract_page((PAGES / f"{name}.html").read_bytes(), spec["url"])
    assert format_journalist(record.author_raw, site_name=record.site_name) == journalist


# 1. a byline glued to the next element


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="entry-author"><span>Mario Rossi</span><span>Pubblicato</span></div>',
        '<div class="author"><a href="/a">Mario Rossi</a><time>3 giorni fa</time></div>',
        '<div class="author"><a href="/a">Mario Rossi</a><span>2 ore fa</span></div>',
        '<div class="author"><a href="/a">Mario Rossi</a><span>ieri</span></div>',
        '<div class="author"><a href="/a">Mario Rossi</a><span>un\'ora fa</span></div>',
        '<div class="author"><a>Mario Rossi</a><span>Aggiornato il 24 novembre 2023</span></div>',
    ],
)
def test_element_boundaries_are_word_boundaries_and_trailing_labels_are_cut(markup: str) -> None:
    byline = find_byline(body(markup))
    assert byline == "Mario Rossi"
    assert format_journalist(byline) == "M. Rossi"


def test_a_prefix_element_before_the_name_is_kept() -> None:
    markup = '<div class="author"><span>di</span><a href="/a">Mario Rossi</a><em>ieri</em></div>'
    assert find_byline(body(markup)) == "di Mario Rossi"


@pytest.mark.parametrize(
    "raw",
    [
        "Mario RossiPubblicato",
        "Mario RossiAggiornato il 24/11/2023",
        "Mario Rossi3 giorni fa",
        "Mario Rossi 2 ore fa",
        "Mario Rossi, ieri alle 10:30",
        "Mario Rossi una settimana fa",
        "Mario Rossi vor 2 Stunden",
    ],
)
def test_glued_labels_and_relative_dates_never_become_the_surname(raw: str) -> None:
    assert format_journalist(raw) == "M. Rossi"


# 2. a site account printed as the byline


@pytest.mark.parametrize(
    "raw",
    [
        "mrossi",
        "Mrossi",
        "redazione2",
        "webmaster",
        "luca84",
        "m.rossi",
        "di mrossi",
        "di luca84",
        "mrossi 3 giorni fa",
        "mrossi ieri",
        "luca84 - 24/11/2023",
    ],
)
def test_site_accounts_give_no_journalist(raw: str) -> None:
    assert format_journalist(raw) is None


def test_a_surname_alone_gives_no_journalist_but_names_in_any_case_do() -> None:
    # One capitalised word cannot be told from a capitalised account: see journalist.py.
    assert format_journalist("Rossi") is None
    assert format_journalist("mario rossi") == "M. Rossi"
    assert format_journalist("M.Rossi") == "M. Rossi"


# 3. a name in capitals in the header's date line


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<div class="post-meta"><span>MARIA BIANCHI</span> <span>24 novembre 2023</span></div>',
            "MARIA BIANCHI",
        ),
        ('<div class="meta">GIULIA VERDI - 24/11/2023</div>', "GIULIA VERDI"),
        ('<p class="article-info">ANNA MARIA DE LUCA 24 novembre 2023</p>', "ANNA MARIA DE LUCA"),
        ('<div class="data">24/11/2023 | PAOLO SERRA</div>', "PAOLO SERRA"),
    ],
)
def test_a_name_in_capitals_beside_the_date_is_the_byline(markup: str, expected: str) -> None:
    assert find_byline(body(markup)) == expected


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="post-meta">SAN SEVERO - 24/11/2023</div>',
        '<div class="post-meta"><span>CRONACA LOCALE</span> <span>24 novembre 2023</span></div>',
        '<div class="post-meta">AGGIORNATO IL 24/11/2023</div>',
        '<div class="post-meta"><span>MARIA BIANCHI</span></div>',
        '<div class="box-title"><span>MARIA BIANCHI</span> <span>24 novembre 2023</span></div>',
        "<p>MARIA BIANCHI 24 novembre 2023</p>",
    ],
)
def test_places_sections_and_capitals_outside_a_date_line_are_not_bylines(markup: str) -> None:
    assert find_byline(body(markup)) is None


def test_a_date_line_below_the_article_text_is_not_read_for_a_name() -> None:
    page = body("")
    article = page.find("article")
    assert article is not None
    article.append(
        document_fromstring('<div class="post-meta">GIULIA VERDI - 24/11/2023</div>').find(".//div")
    )
    assert find_byline(page) is None


# 4. title candidates that disagree

LONG = "Pensioni, la maggioranza trova l'accordo sulle rivalutazioni: tutelati gli assegni"
SHORT = "Pensioni, accordo sulle rivalutazioni"
URL = "https://www.giornale.example/politica/pensioni.shtml"


def test_the_visible_headline_confirmed_by_metadata_beats_a_repeated_social_title() -> None:
    candidates: list[str | None] = [LONG, SHORT, LONG, SHORT, SHORT, f"{SHORT} - Il Giornale"]
    headline = choose_headline(candidates, ["Il Giornale"], URL, heading=LONG)
    assert headline.title == LONG


def test_an_unconfirmed_heading_gets_no_say() -> None:
    candidates: list[str | None] = [SHORT, "Ultime notizie dalla città", SHORT]
    headline = choose_headline(candidates, [], URL, heading="Ultime notizie dalla città")
    assert headline.title == SHORT


@pytest.mark.parametrize("ellipsis", ["…", "...", " …"])
def test_a_headline_cut_short_with_an_ellipsis_loses_to_its_whole(ellipsis: str) -> None:
    cut = "Pensioni, la maggioranza trova l'accordo" + ellipsis
    candidates: list[str | None] = [cut, cut, f"{cut} | Il Giornale", LONG]
    headline = choose_headline(candidates, ["Il Giornale"], URL, heading=LONG)
    assert headline.title == LONG
    assert choose_headline(candidates, ["Il Giornale"], URL).title == LONG


def test_a_headline_that_ends_with_an_ellipsis_of_its_own_is_kept() -> None:
    title = "Aspettando il sindaco..."
    assert choose_headline([title, title], [], URL, heading=title).title == title


# 5. page furniture at the top of German articles


def test_german_dates_are_read_and_only_with_the_day_s_full_stop() -> None:
    assert parse_italian_date("Donnerstag, 19. Oktober 2023, 09:30") == (
        "2023-10-19",
        "Donnerstag, 19. Oktober 2023, 09:30",
    )
    assert parse_italian_date("am 3. März 2023") == ("2023-03-03", "3. März 2023")
    assert parse_italian_date("non lo ha visto 19 mai 2023 volte") is None


@pytest.mark.parametrize(
    "line",
    [
        "Direkt zum Inhalt",
        "Vai al contenuto",
        "Teilen",
        "Teilen Drucken",
        "Condividi su Facebook",
        "Share",
        "Lesedauer: 3 Minuten",
        "Tempo di lettura: 4 minuti",
        "3 min read",
    ],
)
def test_page_chrome_lines(line: str) -> None:
    assert is_page_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Teilen ist wichtig, sagt der Bürgermeister.",
        "Stampa e televisione hanno seguito la conferenza del sindaco.",
        "Die Lesedauer der Broschüre beträgt drei Stunden.",
    ],
)
def test_sentences_that_start_like_chrome_are_text(line: str) -> None:
    assert not is_page_chrome(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Startseite › Lokales › Meran", True),
        ("Home / Cronaca / Napoli", True),
        ("Home » Cronaca", True),
        ("Lokales", True),
        ("Il caso", True),
        ("In Meran entstehen achtzig neue Wohnungen für junge Familien.", False),
        ("Il sindaco: «Pronti» e poi «si parte»", False),
        ("Cari lettori,", False),
        ("Sanità e scuola > tutte le altre voci del bilancio comunale", False),
    ],
)
def test_header_labels(line: str, expected: bool) -> None:
    assert is_header_label(line) is expected

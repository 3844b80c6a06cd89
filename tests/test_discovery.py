"""Each entry-point parser on documents of its kind, the broken ones included."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, TextResponse

from crawler.spiders.feeds import links_from_feed
from crawler.spiders.links import looks_like_article
from crawler.spiders.listings import links_from_listing
from crawler.spiders.search import NotSearchResults, links_from_search, links_from_wp_json
from crawler.spiders.sitemaps import links_from_sitemap

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Cronaca</title><link>https://www.esempio.test/</link>
<item><title>Primo articolo</title><link>https://www.esempio.test/2023/10/primo-articolo-di-prova/?utm_source=rss</link>
<pubDate>Tue, 17 Oct 2023 09:30:00 +0200</pubDate></item>
<item><title>Voce senza link</title><pubDate>data sbagliata</pubDate></item>
<item><title>Secondo articolo</title><link>https://www.esempio.test/2023/10/secondo-articolo-di-prova/</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Notizie</title>
<entry><title>Una notizia</title><link rel="alternate" href="https://n.test/notizie/una-notizia-qualsiasi"/>
<updated>2023-11-29T14:00:00Z</updated><id>x1</id></entry></feed>"""


def test_rss_links_with_dates_and_a_malformed_entry_counted() -> None:
    found = links_from_feed(RSS, "https://www.esempio.test/feed/")
    assert found.is_feed
    assert [link.title for link in found.links] == ["Primo articolo", "Secondo articolo"]
    assert found.links[0].date == "2023-10-17"
    assert found.bad_entries == 1


def test_atom_alternate_links() -> None:
    found = links_from_feed(ATOM, "https://n.test/atom.xml")
    assert [(link.url, link.date) for link in found.links] == [
        ("https://n.test/notizie/una-notizia-qualsiasi", "2023-11-29")
    ]


def test_an_html_error_page_is_not_a_feed() -> None:
    page = b"<html><head><title>Errore 500</title></head><body><p>Riprova</p></body></html>"
    assert not links_from_feed(page, "https://x.test/feed/").is_feed


def test_sitemap_index_and_google_news_sitemap() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://s.test/news-sitemap.xml</loc></sitemap>
    <sitemap><loc> https://s.test/post-sitemap2.xml </loc></sitemap></sitemapindex>"""
    assert links_from_sitemap(index).sitemaps == [
        "https://s.test/news-sitemap.xml",
        "https://s.test/post-sitemap2.xml",
    ]
    news = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://s.test/2023/11/22/sassari-rete-comuni/</loc><news:news>
      <news:publication><news:name>S</news:name><news:language>it</news:language></news:publication>
      <news:publication_date>2023-11-22T10:00:00+01:00</news:publication_date>
      <news:title>Sassari nella rete</news:title></news:news></url>
    <url><loc>https://s.test/2023/11/altro/</loc><lastmod>2023-11-20</lastmod></url></urlset>"""
    found = links_from_sitemap(news)
    assert [(a.url, a.date, a.title) for a in found.articles] == [
        ("https://s.test/2023/11/22/sassari-rete-comuni/", "2023-11-22", "Sassari nella rete"),
        ("https://s.test/2023/11/altro/", "2023-11-20", None),
    ]


def test_broken_xml_is_not_a_sitemap() -> None:
    assert not links_from_sitemap(b"<html><body>404</body></html>").is_sitemap
    assert not links_from_sitemap(b"\x00\x01 not xml").is_sitemap


@pytest.mark.parametrize(
    ("url", "article"),
    [
        (
            "https://www.torinoggi.it/2023/10/17/leggi-notizia/argomenti/attualita-8/articolo/"
            "torino-fra-i-comuni-della-rete.html",
            True,
        ),
        ("https://www.vivereterni.it/altrigiornali/31/191228-2023", True),
        ("https://www.esempio.test/cronaca/sassari-fra-i-comuni-della-rete/", True),
        ("https://www.esempio.test/?p=4512", True),
        ("https://www.esempio.test/category/cronaca/", False),
        ("https://www.esempio.test/tag/inclusione-sociale-migranti/", False),
        ("https://www.esempio.test/author/alice-gipponi-rossi/", False),
        ("https://www.esempio.test/cronaca/page/2/", False),
        ("https://www.esempio.test/wp-content/uploads/2023/10/foto-della-conferenza.jpg", False),
        ("https://www.esempio.test/cronaca/", False),
        ("https://www.esempio.test/", False),
        ("mailto:redazione@esempio.test", False),
    ],
)
def test_article_links_are_told_from_navigation(url: str, article: bool) -> None:
    assert looks_like_article(url) is article


def test_listing_page_follows_articles_not_navigation() -> None:
    html = b"""<html><body><nav><a href="/category/cronaca/">Cronaca</a>
    <a href="/tag/lgnet2/">LgNet2</a><a href="/page/2/">Avanti</a></nav>
    <h2><a href="/2023/11/genova-fra-i-comuni-della-rete/">Genova fra i  Comuni</a></h2>
    <a href="/2023/11/genova-fra-i-comuni-della-rete/#commenti">commenti</a>
    <a href="https://altro.test/2023/11/pezzo-di-altro-sito/">altro</a></body></html>"""
    response = HtmlResponse("https://g.test/category/cronaca/", body=html, encoding="utf-8")
    links = links_from_listing(response)
    assert [(link.url, link.title) for link in links] == [
        ("https://g.test/2023/11/genova-fra-i-comuni-della-rete/", "Genova fra i Comuni"),
        ("https://altro.test/2023/11/pezzo-di-altro-sito/", "altro"),
    ]


def test_wordpress_rest_search_json() -> None:
    posts = [
        {
            "id": 1,
            "date": "2023-11-24T12:00:00",
            "link": "https://c.test/2023/11/24/x-y-z/",
            "title": {"rendered": "Caserta &#8211; la rete <b>LgNet2</b>"},
        },
        {"id": 2, "title": "senza link"},
    ]
    links = links_from_wp_json(json.dumps(posts).encode())
    assert [(link.url, link.title, link.date) for link in links] == [
        ("https://c.test/2023/11/24/x-y-z/", "Caserta – la rete LgNet2", "2023-11-24")
    ]


def test_search_dispatches_on_content() -> None:
    json_response = TextResponse(
        "https://c.test/wp-json/wp/v2/posts?search=lgnet2",
        body=b"[]",
        headers={"Content-Type": "application/json"},
    )
    assert links_from_search(json_response) == []
    with pytest.raises(NotSearchResults):
        links_from_wp_json(b'{"code": "rest_no_route"')

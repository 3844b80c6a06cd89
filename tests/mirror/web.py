"""Assemble the mirror: every outlet site of ``mirror.catalog`` on one ``simweb.Web``.

Each site gets its article pages (the reference stories and the decoys), a home page, its
section listings, and the entry points its CMS offers (feeds, sitemaps, site search, the
WordPress REST search), all at the real hostnames and paths, so that a registry of real URLs
can be crawled against it with ``--connect-to``.
"""

from __future__ import annotations

from simweb.server import Page, Web
from tests.mirror import indexes
from tests.mirror.catalog import SITES, TOPIC, VIRGILIO_CITIES, Doc, Site, site_docs
from tests.mirror.pages import article_page, listing_page

QUERY = TOPIC.lower()
"""The registry's ``topic.query``, as the site-search templates receive it."""

_RSS = "application/rss+xml; charset=UTF-8"
_XML = "application/xml; charset=UTF-8"
_JSON = "application/json; charset=UTF-8"
_TEXT = "text/plain; charset=utf-8"
_WP_CATEGORIES = ("/category/cronaca/", "/category/attualita/")


def build_mirror() -> Web:
    """The whole mirror, not started: ``with build_mirror() as web: ...``."""
    web = Web()
    for site in SITES:
        _add_site(web, site)
    return web


def _add_site(web: Web, site: Site) -> None:
    docs = site_docs(site)
    wp_headers = (
        {"Link": f'<{site.url("/wp-json/")}>; rel="https://api.w.org/"'} if site.wordpress else {}
    )
    for index, doc in enumerate(docs):
        web.add(
            doc.url,
            Page(
                body=article_page(site, doc, _recent(site, docs, doc), _neighbours(docs, index)),
                headers=wp_headers,
                fail_first=doc.fail_first,
            ),
        )
    web.add(site.url("/"), Page(listing_page(site, site.url("/"), site.name, docs)))
    web.add(site.url("/robots.txt"), Page(indexes.robots(site), content_type=_TEXT))
    for path in site.listings:
        web.add(site.url(path), Page(listing_page(site, site.url(path), _heading(path), docs)))
    if site.cms == "virgilio":
        _add_virgilio_listings(web, site, docs)
    for path in site.feeds:
        web.add(site.url(path), Page(indexes.rss(site, site.url(path), docs), content_type=_RSS))
    if site.wordpress:
        for path in _WP_CATEGORIES:
            web.add(site.url(path), Page(listing_page(site, site.url(path), _heading(path), docs)))
    if site.sitemap:
        _add_sitemaps(web, site, docs)
    if site.search:
        _add_search(web, site, docs)


def _recent(site: Site, docs: list[Doc], doc: Doc) -> list[Doc]:
    """The sidebar of latest titles, as on every page of the real sites (on Virgilio, the
    same city's): this is how "LgNet2" shows up outside the text of unrelated pages."""
    if site.cms == "virgilio":
        city = _virgilio_city(doc)
        docs = [d for d in docs if _virgilio_city(d) == city]
    return [d for d in docs if d is not doc][:6]


def _neighbours(docs: list[Doc], index: int) -> list[Doc]:
    """Previous and next posts (post navigation, related posts)."""
    return docs[max(index - 1, 0) : index] + docs[index + 1 : index + 2]


def _heading(path: str) -> str:
    return path.strip("/").rsplit("/", 1)[-1].replace("-", " ").capitalize()


def _virgilio_city(doc: Doc) -> str:
    return doc.url.split("/")[4]


def _add_virgilio_listings(web: Web, site: Site, docs: list[Doc]) -> None:
    for city in VIRGILIO_CITIES:
        path = f"/italia/{city}/notizielocali/"
        local = [d for d in docs if _virgilio_city(d) == city]
        heading = f"Notizie locali di {city.capitalize()}"
        web.add(site.url(path), Page(listing_page(site, site.url(path), heading, local)))


def _add_sitemaps(web: Web, site: Site, docs: list[Doc]) -> None:
    posts = [(d.url, d.published.isoformat()) for d in docs]
    categories = [(site.url(path), None) for path in _WP_CATEGORIES]
    if site.sitemap == "core":
        web.add(
            site.url("/wp-sitemap.xml"),
            Page(
                indexes.sitemap_index(
                    [
                        site.url("/wp-sitemap-posts-post-1.xml"),
                        site.url("/wp-sitemap-taxonomies-category-1.xml"),
                    ]
                ),
                content_type=_XML,
            ),
        )
        web.add(
            site.url("/wp-sitemap-posts-post-1.xml"), Page(indexes.urlset(posts), content_type=_XML)
        )
        web.add(
            site.url("/wp-sitemap-taxonomies-category-1.xml"),
            Page(indexes.urlset(categories), content_type=_XML),
        )
        return
    # Yoast replaces the core sitemap and redirects its address to its own index.
    web.add(site.url("/wp-sitemap.xml"), Page("", redirect_to=site.url("/sitemap_index.xml")))
    children = [site.url("/post-sitemap.xml"), site.url("/category-sitemap.xml")]
    if site.sitemap == "news":
        children.append(site.url("/news-sitemap.xml"))
        web.add(
            site.url("/news-sitemap.xml"), Page(indexes.news_sitemap(site, docs), content_type=_XML)
        )
    web.add(
        site.url("/sitemap_index.xml"), Page(indexes.sitemap_index(children), content_type=_XML)
    )
    web.add(site.url("/post-sitemap.xml"), Page(indexes.urlset(posts), content_type=_XML))
    web.add(site.url("/category-sitemap.xml"), Page(indexes.urlset(categories), content_type=_XML))


def _add_search(web: Web, site: Site, docs: list[Doc]) -> None:
    found = [d for d in docs if indexes.mentions_topic(d)]
    url = site.url(f"/?s={QUERY}")
    web.add(url, Page(listing_page(site, url, f"Risultati della ricerca per: {QUERY}", found)))
    api = site.url("/wp-json/wp/v2/posts")
    web.add(
        f"{api}?search={QUERY}",
        Page(
            indexes.wp_posts_json(found),
            content_type=_JSON,
            headers={"X-WP-Total": str(len(found)), "X-WP-TotalPages": "1"},
        ),
    )
    web.add(
        api,
        Page(
            indexes.wp_posts_json(docs),
            content_type=_JSON,
            headers={"X-WP-Total": str(len(docs)), "X-WP-TotalPages": "1"},
        ),
    )

"""The mirror's machine-readable entry points: feeds, sitemaps, WordPress search and robots.txt.

They follow what the real CMSs emit: WordPress RSS 2.0 with ``content:encoded`` and
``dc:creator``, the core ``wp-sitemap.xml`` index, Yoast's ``sitemap_index.xml`` (to which
``wp-sitemap.xml`` redirects when Yoast is active) with an optional Google News sitemap, and
the REST API's JSON for ``/wp-json/wp/v2/posts?search=``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from email.utils import format_datetime
from html import escape
from urllib.parse import urlencode

from tests.mirror.catalog import TOPIC, Doc, Site, slugify


def _x(text: str) -> str:
    return escape(text, quote=False)


def feed_link(site: Site, doc: Doc) -> str:
    """The link a feed gives: some RSS plugins append campaign parameters."""
    if not site.tracking_feed:
        return doc.url
    query = urlencode(
        {"utm_source": "rss", "utm_medium": "rss", "utm_campaign": slugify(doc.title)[:60]}
    )
    return f"{doc.url}?{query}"


def rss(site: Site, feed_url: str, docs: Sequence[Doc]) -> str:
    items = []
    for doc in docs:
        creator = doc.author or "Redazione"
        body = "".join(f"<p>{_x(p)}</p>" for p in doc.paragraphs)
        items.append(
            "<item>"
            f"<title>{_x(doc.title)}</title>"
            f"<link>{_x(feed_link(site, doc))}</link>"
            f"<dc:creator><![CDATA[{creator}]]></dc:creator>"
            f"<pubDate>{format_datetime(doc.published)}</pubDate>"
            "<category><![CDATA[Attualità]]></category>"
            f'<guid isPermaLink="false">{_x(site.url(f"/?p={doc.post_id}"))}</guid>'
            f"<description><![CDATA[{doc.excerpt}]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            "</item>"
        )
    latest = format_datetime(docs[0].published) if docs else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{_x(site.name)}</title>"
        f'<atom:link href="{_x(feed_url)}" rel="self" type="application/rss+xml" />'
        f"<link>{_x(site.url('/'))}</link><description>Notizie</description>"
        f"<lastBuildDate>{latest}</lastBuildDate><language>it-IT</language>"
        + "".join(items)
        + "</channel></rss>\n"
    )


def sitemap_index(locations: Sequence[str]) -> str:
    entries = "".join(f"<sitemap><loc>{_x(loc)}</loc></sitemap>" for loc in locations)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>\n"
    )


def urlset(urls: Sequence[tuple[str, str | None]]) -> str:
    entries = "".join(
        f"<url><loc>{_x(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>"
        for loc, lastmod in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>\n"
    )


def news_sitemap(site: Site, docs: Sequence[Doc]) -> str:
    entries = "".join(
        f"<url><loc>{_x(d.url)}</loc><news:news><news:publication>"
        f"<news:name>{_x(site.name)}</news:name><news:language>it</news:language>"
        f"</news:publication><news:publication_date>{d.published.isoformat()}"
        f"</news:publication_date><news:title>{_x(d.title)}</news:title></news:news></url>"
        for d in docs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{entries}</urlset>\n"
    )


def mentions_topic(doc: Doc) -> bool:
    """What a WordPress search for the topic finds: title or post content, no sidebars."""
    needle = TOPIC.lower()
    return needle in doc.title.lower() or any(needle in p.lower() for p in doc.paragraphs)


def wp_posts_json(docs: Sequence[Doc]) -> str:
    """The REST API's post list, with the fields a client reads (``link``, ``title``...)."""
    posts = [
        {
            "id": d.post_id,
            "date": d.published.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_gmt": d.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "slug": slugify(d.title),
            "status": "publish",
            "type": "post",
            "link": d.url,
            "title": {"rendered": escape(d.title, quote=False)},
            "excerpt": {
                "rendered": f"<p>{escape(d.excerpt, quote=False)}</p>\n",
                "protected": False,
            },
            "author": 1,
        }
        for d in docs
    ]
    return json.dumps(posts, ensure_ascii=False)


def robots(site: Site) -> str:
    lines = ["User-agent: *"]
    if site.wordpress:
        lines += ["Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php"]
    else:
        lines += ["Disallow: /admin/"]
    if site.sitemap == "core":
        lines += ["", f"Sitemap: {site.url('/wp-sitemap.xml')}"]
    elif site.sitemap in ("yoast", "news"):
        lines += ["", f"Sitemap: {site.url('/sitemap_index.xml')}"]
    return "\n".join(lines) + "\n"

"""Page and feed templates of the CMSs found on Italian local news sites.

Each template reproduces what a crawler meets on such a site, not a pretty page: where the
date and byline are (JSON-LD, meta tags, or only visible Italian text), what surrounds the
article (menus, "Più letti" boxes, comment threads) and the feed dialect (RSS 2.0, Atom,
sitemaps). Texts come from ``simweb.stories``; ``simweb.content`` decides which outlet uses
which template.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

MONTHS_IT = (
    "Gennaio",
    "Febbraio",
    "Marzo",
    "Aprile",
    "Maggio",
    "Giugno",
    "Luglio",
    "Agosto",
    "Settembre",
    "Ottobre",
    "Novembre",
    "Dicembre",
)
WEEKDAYS_IT = ("Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato", "Domenica")
MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


@dataclass(frozen=True)
class Site:
    """The publisher as its pages name it."""

    name: str
    host: str
    scheme: str = "https"
    language: str = "it"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}{path}"


@dataclass(frozen=True)
class Story:
    """One article as written; where it is published is the template's business."""

    path: str
    """Path (and query, on old CMSs) of the article's own, canonical address."""
    title: str
    published: str
    """ISO 8601 with the Italian offset of the day, e.g. ``2023-10-17T10:40:00+02:00``."""
    paragraphs: tuple[str, ...]
    byline: str | None = None
    """As printed under the title ("di Marta Bellini", "By Alice Gipponi", "Redazione")."""
    author: str | None = None
    """The plain name, for the templates that put it in metadata."""
    section: str = "Cronaca"

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def summary(self) -> str:
        first = self.paragraphs[0]
        return first if len(first) <= 220 else first[:217].rsplit(" ", 1)[0] + "..."


@dataclass(frozen=True)
class Link:
    """A link as it appears in a box or a listing."""

    url: str
    title: str


# -- dates as pages print them --------------------------------------------------------------


def italian_date(when: datetime) -> str:
    """ "27 Ottobre 2023", the only date some custom CMSs show."""
    return f"{when.day} {MONTHS_IT[when.month - 1]} {when.year}"


def italian_long_date(when: datetime) -> str:
    return f"{WEEKDAYS_IT[when.weekday()]} {italian_date(when)}"


def numeric_date(when: datetime) -> str:
    """ "29-11-2023 14:00", another custom CMS habit."""
    return when.strftime("%d-%m-%Y %H:%M")


def german_date(when: datetime) -> str:
    return f"{when.day}. {MONTHS_DE[when.month - 1]} {when.year}, {when.strftime('%H:%M')} Uhr"


def rfc822(when: datetime) -> str:
    return format_datetime(when)


# -- building blocks ------------------------------------------------------------------------


def _paragraphs(story: Story) -> str:
    return "\n".join(f"      <p>{escape(p, quote=False)}</p>" for p in story.paragraphs)


def _link_list(links: Iterable[Link]) -> str:
    return "\n".join(
        f'        <li><a href="{escape(link.url)}">{escape(link.title)}</a></li>' for link in links
    )


def _box(heading: str, links: Sequence[Link], css: str) -> str:
    if not links:
        return ""
    return (
        f'    <aside class="{css}">\n      <h3>{escape(heading)}</h3>\n      <ul>\n'
        f"{_link_list(links)}\n      </ul>\n    </aside>\n"
    )


def comment_thread(comments: Sequence[tuple[str, str, str]]) -> str:
    """WordPress-style comments: (author, date shown, text) each."""
    if not comments:
        return ""
    items = "\n".join(
        f'        <li class="comment" id="comment-{i}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">{escape(who)}</b> '
        f'<span class="comment-date">{escape(when)}</span></footer>'
        f'<div class="comment-content"><p>{escape(text, quote=False)}</p></div></article></li>'
        for i, (who, when, text) in enumerate(comments, 1)
    )
    return (
        f'    <section id="comments" class="comments-area">\n'
        f'      <h2 class="comments-title">{len(comments)} commenti</h2>\n'
        f'      <ol class="comment-list">\n{items}\n      </ol>\n    </section>\n'
    )


def _nav(site: Site, sections: Sequence[str]) -> str:
    items = "".join(
        f'<li><a href="/{s.lower().replace(" ", "-")}/">{escape(s)}</a></li>' for s in sections
    )
    return (
        f'  <header class="site-header"><a class="logo" href="/">{escape(site.name)}</a>\n'
        f'    <nav class="main-menu"><ul>{items}</ul></nav>\n  </header>\n'
    )


def _footer(site: Site, extra: str = "") -> str:
    return (
        f'  <footer class="site-footer"><p>{escape(site.name)} - testata giornalistica online. '
        f'{extra}</p>\n    <p><a href="/privacy/">Privacy</a> | <a href="/contatti/">'
        'Contatti</a> | <a href="/pubblicita/">Pubblicità</a></p>\n  </footer>\n'
    )


# -- article pages --------------------------------------------------------------------------


def wordpress_article(
    site: Site,
    story: Story,
    *,
    most_read: Sequence[Link] = (),
    related: Sequence[Link] = (),
    comments: Sequence[tuple[str, str, str]] = (),
    extra_html: str = "",
) -> str:
    """A WordPress theme with Yoast-style metadata: JSON-LD NewsArticle, og: and article:."""
    url = site.url(story.path)
    when = story.when
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": story.published,
        "dateModified": story.published,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {"@type": "Organization", "name": site.name},
        "inLanguage": "it-IT",
        "articleSection": story.section,
    }
    if story.author:
        ld["author"] = {"@type": "Person", "name": story.author}
    byline = f'      <span class="byline">{escape(story.byline)}</span>\n' if story.byline else ""
    author_meta = (
        f'  <meta name="author" content="{escape(story.author)}">\n' if story.author else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="it-IT">\n<head>\n  <meta charset="UTF-8">\n'
        f"  <title>{escape(story.title)} - {escape(site.name)}</title>\n"
        f'  <link rel="canonical" href="{escape(url)}">\n'
        f'  <meta name="description" content="{escape(story.summary)}">\n'
        f"{author_meta}"
        '  <meta property="og:locale" content="it_IT">\n'
        '  <meta property="og:type" content="article">\n'
        f'  <meta property="og:title" content="{escape(story.title)}">\n'
        f'  <meta property="og:description" content="{escape(story.summary)}">\n'
        f'  <meta property="og:url" content="{escape(url)}">\n'
        f'  <meta property="og:site_name" content="{escape(site.name)}">\n'
        f'  <meta property="article:section" content="{escape(story.section)}">\n'
        f'  <meta property="article:published_time" content="{story.published}">\n'
        f'  <meta property="article:modified_time" content="{story.published}">\n'
        '  <script type="application/ld+json">'
        f"{json.dumps(ld, ensure_ascii=False)}</script>\n"
        f'  <link rel="alternate" type="application/rss+xml" title="{escape(site.name)} Feed" '
        f'href="{site.url("/feed/")}">\n'
        "</head>\n"
        '<body class="post-template-default single single-post">\n'
        f"{_nav(site, ['Cronaca', 'Politica', 'Cultura', 'Sport'])}"
        '  <div id="content" class="site-content">\n  <main id="main">\n'
        '    <article class="post type-post status-publish">\n'
        '      <header class="entry-header">\n'
        f'        <span class="cat-links"><a href="/category/{story.section.lower()}/">'
        f"{escape(story.section)}</a></span>\n"
        f'        <h1 class="entry-title">{escape(story.title)}</h1>\n'
        f"{byline}"
        f'        <time class="entry-date published" datetime="{story.published}">'
        f"{italian_date(when)}</time>\n"
        "      </header>\n"
        '      <div class="entry-content">\n'
        f"{_paragraphs(story)}\n"
        "      </div>\n"
        '      <div class="sharedaddy"><a href="#">Condividi su Facebook</a> '
        '<a href="#">Condividi su WhatsApp</a></div>\n'
        "    </article>\n"
        f"{_box('Articoli correlati', related, 'related-posts')}"
        f"{comment_thread(comments)}"
        f"{extra_html}"
        "  </main>\n"
        '  <div id="secondary" class="widget-area">\n'
        f"{_box('Più letti', most_read, 'widget widget-most-read')}"
        '    <aside class="widget"><h3>Newsletter</h3><p>Ricevi ogni mattina le notizie '
        "della tua città.</p></aside>\n"
        "  </div>\n  </div>\n"
        f"{_footer(site, 'Registrazione al Tribunale n. 12/2019.')}"
        "</body>\n</html>\n"
    )


def bare_article(site: Site, story: Story, *, date_text: str, listing: str = "") -> str:
    """A home-made CMS page with no metadata at all: title, visible date and byline only."""
    byline = f'    <div class="autore">{escape(story.byline)}</div>\n' if story.byline else ""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '  <meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        f"  <title>{escape(site.name)} | {escape(story.title)}</title>\n"
        '  <link rel="stylesheet" href="/css/stile.css">\n'
        "</head>\n<body>\n"
        f'  <div id="testata"><a href="/"><img src="/img/logo.png" alt="{escape(site.name)}">'
        "</a></div>\n"
        '  <div id="menu"><a href="/">Home</a> <a href="/cronaca/">Cronaca</a> '
        '<a href="/sport/">Sport</a> <a href="/cultura/">Cultura</a></div>\n'
        '  <div id="colonna-centrale">\n'
        f'    <div class="sezione">{escape(story.section)}</div>\n'
        f'    <h1 class="titolo">{escape(story.title)}</h1>\n'
        f'    <div class="data">{escape(date_text)}</div>\n'
        f"{byline}"
        '    <div class="testo">\n'
        f"{_paragraphs(story)}\n"
        "    </div>\n  </div>\n"
        f"{listing}"
        f"{_footer(site)}"
        "</body>\n</html>\n"
    )


def agency_article(site: Site, story: Story, *, dateline: str, service: str) -> str:
    """A news-agency page: the date is only in the dateline "(PNS) - TORINO, 18 OTT -"."""
    first, *rest = story.paragraphs
    body = [f"{dateline} {first}", *rest]
    paragraphs = "\n".join(f"      <p>{escape(p, quote=False)}</p>" for p in body)
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(story.title)} - {escape(service)} - {escape(site.name)}</title>\n"
        f'  <meta property="og:title" content="{escape(story.title)}">\n'
        f'  <meta property="og:site_name" content="{escape(site.name)}">\n'
        "</head>\n<body>\n"
        f'  <div class="brand">{escape(site.name)} <span>{escape(service)}</span></div>\n'
        '  <div class="news-container">\n'
        f'    <h1 class="news-title">{escape(story.title)}</h1>\n'
        '    <div class="news-txt">\n'
        f"{paragraphs}\n"
        f"      <p>({escape(dateline.split(')')[0].lstrip('('))}).</p>\n"
        "    </div>\n  </div>\n"
        "  <footer><p>Tutti i diritti riservati. Vietata la riproduzione anche parziale.</p>"
        "</footer>\n</body>\n</html>\n"
    )


def german_article(site: Site, story: Story) -> str:
    """A South Tyrolean German-language daily: meta author and date, visible "Von ..."."""
    when = story.when
    byline = f'    <p class="author">{escape(story.byline)}</p>\n' if story.byline else ""
    author_meta = (
        f'  <meta name="author" content="{escape(story.author)}">\n' if story.author else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(story.title)} | {escape(site.name)}</title>\n"
        f"{author_meta}"
        f'  <meta property="og:title" content="{escape(story.title)}">\n'
        f'  <meta property="og:site_name" content="{escape(site.name)}">\n'
        f'  <meta property="article:published_time" content="{story.published}">\n'
        "</head>\n<body>\n"
        f'  <header><a href="/">{escape(site.name)}</a> <nav><a href="/lokales/">Lokales</a> '
        '<a href="/sport/">Sport</a> <a href="/kultur/">Kultur</a></nav></header>\n'
        "  <main>\n    <article>\n"
        f'    <p class="section">{escape(story.section)}</p>\n'
        f"    <h1>{escape(story.title)}</h1>\n"
        f"{byline}"
        f'    <p class="date">{german_date(when)}</p>\n'
        f"{_paragraphs(story)}\n"
        "    </article>\n  </main>\n"
        f"  <footer><p>{escape(site.name)} - Alle Rechte vorbehalten.</p></footer>\n"
        "</body>\n</html>\n"
    )


def old_php_article(site: Site, story: Story, *, more: Sequence[Link] = ()) -> str:
    """A 2000s-era site in ISO-8859-1, tables and all; the charset is only in the header."""
    when = story.when
    byline = f"<p><i>{escape(story.byline)}</i></p>\n" if story.byline else ""
    paragraphs = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in story.paragraphs)
    more_rows = "".join(
        f'<tr><td><a href="{escape(link.url)}">{escape(link.title)}</a></td></tr>' for link in more
    )
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
        f"<title>{escape(site.name)} - {escape(story.title)}</title>\n"
        "</head>\n<body>\n"
        '<table width="980" align="center"><tr><td colspan="2">'
        f'<a href="/"><b>{escape(site.name)}</b></a> - Il quotidiano della Basilicata</td></tr>\n'
        '<tr><td width="700" valign="top">\n'
        f'<span class="data">{italian_long_date(when)}</span>\n'
        f'<h1 class="titolo">{escape(story.title)}</h1>\n'
        f"{byline}"
        f'<div class="corpo">\n{paragraphs}\n</div>\n'
        '</td><td width="280" valign="top">\n'
        f'<table class="altre"><tr><th>Altre notizie</th></tr>{more_rows}</table>\n'
        "</td></tr></table>\n"
        f'<p align="center">{escape(site.name)} - P.IVA 01234567890</p>\n'
        "</body>\n</html>\n"
    )


def aggregator_article(
    site: Site, story: Story, *, source_name: str, source_url: str, attribution: str
) -> str:
    """A portal's copy of a local outlet's item: teaser, attribution, link to the original."""
    when = story.when
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(story.title)} | {escape(site.name)}</title>\n"
        f'  <meta property="og:title" content="{escape(story.title)}">\n'
        f'  <meta property="og:site_name" content="{escape(site.name)}">\n'
        f'  <meta property="og:url" content="{escape(site.url(story.path))}">\n'
        f'  <meta property="article:published_time" content="{story.published}">\n'
        "</head>\n<body>\n"
        f'  <header><a href="/">{escape(site.name)}</a> '
        '<a href="/notizie-locali/">Notizie locali</a></header>\n'
        '  <main class="news-detail">\n'
        f'    <div class="breadcrumb">Notizie locali › {escape(story.section)}</div>\n'
        f"    <h1>{escape(story.title)}</h1>\n"
        f'    <div class="news-date">{when.day} {MONTHS_IT[when.month - 1].lower()} '
        f"{when.year}</div>\n"
        '    <div class="news-source">Fonte: '
        f'<a href="{escape(source_url)}" rel="nofollow">{escape(source_name)}</a></div>\n'
        '    <div class="news-abstract">\n'
        f"{_paragraphs(story)}\n"
        "    </div>\n"
        f'    <p class="news-readmore"><a href="{escape(source_url)}" rel="nofollow">'
        f"{escape(attribution)}</a></p>\n"
        "  </main>\n"
        '  <aside class="ads"><p>Pubblicità</p></aside>\n'
        f"  <footer><p>{escape(site.name)} - notizie dalle città italiane</p></footer>\n"
        "</body>\n</html>\n"
    )


def listing_page(
    site: Site, heading: str, links: Sequence[Link], *, extra_links: Sequence[Link] = ()
) -> str:
    """A section, tag, author or search page: links to articles and to other listings."""
    items = "\n".join(
        f'    <div class="item"><h2><a href="{escape(link.url)}">{escape(link.title)}</a></h2>'
        "</div>"
        for link in links
    )
    extras = "\n".join(
        f'    <a class="nav-link" href="{escape(link.url)}">{escape(link.title)}</a>'
        for link in extra_links
    )
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(heading)} - {escape(site.name)}</title>\n"
        "</head>\n<body>\n"
        f'  <header><a href="/">{escape(site.name)}</a></header>\n'
        f'  <main class="archive">\n    <h1>{escape(heading)}</h1>\n{items}\n'
        f'    <nav class="links">\n{extras}\n    </nav>\n  </main>\n'
        f"{_footer(site)}"
        "</body>\n</html>\n"
    )


def static_page(site: Site, heading: str, text: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(heading)} - {escape(site.name)}</title>\n</head>\n<body>\n"
        f'  <main class="page"><h1>{escape(heading)}</h1><p>{escape(text)}</p></main>\n'
        f"{_footer(site)}</body>\n</html>\n"
    )


# -- feeds, sitemaps, search APIs -----------------------------------------------------------


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_item(
    story: Story,
    link: str,
    *,
    guid: str | None = None,
    creator: bool = True,
    full_text: bool = True,
) -> str:
    parts = [
        "    <item>",
        f"      <title>{escape(story.title, quote=False)}</title>",
        f"      <link>{escape(link, quote=False)}</link>",
        f"      <pubDate>{rfc822(story.when)}</pubDate>",
        f"      <category>{_cdata(story.section)}</category>",
        f'      <guid isPermaLink="false">{escape(guid or link, quote=False)}</guid>',
        f"      <description>{_cdata(story.summary)}</description>",
    ]
    if creator and story.author:
        parts.append(f"      <dc:creator>{_cdata(story.author)}</dc:creator>")
    if full_text:
        html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in story.paragraphs)
        parts.append(f"      <content:encoded>{_cdata(html)}</content:encoded>")
    parts.append("    </item>")
    return "\n".join(parts)


def rss_feed(
    site: Site,
    items: Sequence[str],
    *,
    feed_path: str,
    description: str,
    last_build: datetime,
    encoding: str = "UTF-8",
) -> str:
    """RSS 2.0 as WordPress writes it; ``items`` come from ``rss_item`` (or are hand-made)."""
    body = "\n".join(items)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{escape(site.name, quote=False)}</title>\n"
        f'    <atom:link href="{site.url(feed_path)}" rel="self" type="application/rss+xml"/>\n'
        f"    <link>{site.url('/')}</link>\n"
        f"    <description>{escape(description, quote=False)}</description>\n"
        f"    <lastBuildDate>{rfc822(last_build)}</lastBuildDate>\n"
        f"    <language>{site.language}</language>\n"
        f"{body}\n"
        "  </channel>\n</rss>\n"
    )


def atom_feed(site: Site, entries: Sequence[tuple[Story, str]], *, feed_path: str) -> str:
    """Atom 1.0; each entry is (story, the link the feed gives for it)."""
    updated = max(story.when for story, _ in entries).isoformat()
    rendered = "\n".join(
        "  <entry>\n"
        f"    <title>{escape(story.title, quote=False)}</title>\n"
        f'    <link rel="alternate" type="text/html" href="{escape(link)}"/>\n'
        f"    <id>tag:{site.host},{story.when.year}:{story.path}</id>\n"
        f"    <published>{story.published}</published>\n"
        f"    <updated>{story.published}</updated>\n"
        f"    <author><name>{escape(story.author or site.name, quote=False)}</name></author>\n"
        f'    <summary type="text">{escape(story.summary, quote=False)}</summary>\n'
        "  </entry>"
        for story, link in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it">\n'
        f"  <title>{escape(site.name, quote=False)}</title>\n"
        f'  <link rel="self" href="{site.url(feed_path)}"/>\n'
        f'  <link rel="alternate" href="{site.url("/")}"/>\n'
        f"  <id>{site.url('/')}</id>\n"
        f"  <updated>{updated}</updated>\n"
        f"{rendered}\n"
        "</feed>\n"
    )


def sitemap_index(sitemaps: Sequence[tuple[str, str]]) -> str:
    """(url, lastmod) of each child sitemap."""
    rows = "\n".join(
        f"  <sitemap><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for url, lastmod in sitemaps
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{rows}\n</sitemapindex>\n"
    )


def url_sitemap(urls: Sequence[tuple[str, str]]) -> str:
    """A plain sitemap: (url, lastmod)."""
    rows = "\n".join(
        f"  <url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>"
        for url, lastmod in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{rows}\n</urlset>\n"
    )


def news_sitemap(site: Site, stories: Sequence[Story]) -> str:
    """A Google News sitemap: publication name, date and title for each article."""
    rows = "\n".join(
        "  <url>\n"
        f"    <loc>{escape(site.url(story.path))}</loc>\n"
        "    <news:news>\n"
        "      <news:publication>\n"
        f"        <news:name>{escape(site.name)}</news:name>\n"
        f"        <news:language>{site.language}</news:language>\n"
        "      </news:publication>\n"
        f"      <news:publication_date>{story.published}</news:publication_date>\n"
        f"      <news:title>{escape(story.title)}</news:title>\n"
        "    </news:news>\n"
        "  </url>"
        for story in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{rows}\n</urlset>\n"
    )


def wp_rendered(text: str) -> str:
    """WordPress's texturized HTML: curly apostrophes as numeric entities."""
    return escape(text, quote=False).replace("'", "&#8217;")


def wp_json_posts(site: Site, stories: Sequence[tuple[int, Story]]) -> str:
    """``/wp-json/wp/v2/posts?search=``: a JSON list of (post id, story)."""
    posts = [
        {
            "id": post_id,
            "date": story.when.replace(tzinfo=None).isoformat(),
            "date_gmt": story.when.astimezone(UTC).replace(tzinfo=None).isoformat(),
            "slug": story.path.rstrip("/").rsplit("/", 1)[-1],
            "status": "publish",
            "type": "post",
            "link": site.url(story.path),
            "title": {"rendered": wp_rendered(story.title)},
            "excerpt": {"rendered": f"<p>{wp_rendered(story.summary)}</p>\n", "protected": False},
        }
        for post_id, story in stories
    ]
    return json.dumps(posts, ensure_ascii=False)


def robots(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def http_date(when: datetime) -> str:
    """For ``Last-Modified``: fixed by the content, so conditional requests can match."""
    return format_datetime(when.astimezone(UTC), usegmt=True)

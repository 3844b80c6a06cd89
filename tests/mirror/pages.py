"""HTML of the mirror's pages, shaped like the CMS each outlet runs.

Most outlets are WordPress with one of three common theme families (an Underscores-style
theme, tagDiv Newspaper, JNews); the rest have their own CMS. What matters to a crawler is kept
as the real sites have it: where the title, date and byline sit, which metadata is there (JSON-LD,
Open Graph, none), and the page furniture around the text (menus, sidebars of latest titles,
related posts, share links) that extraction must leave out. Aggregator pages show a teaser and
a "Fonte:" attribution linking to the original.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from enrichment.vocabulary import MONTHS
from tests.mirror.catalog import Doc, Site, slugify

_MONTHS = MONTHS
_WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")


def long_date(when: datetime, *, weekday: bool = False, capital: bool = False) -> str:
    month = _MONTHS[when.month - 1]
    text = f"{when.day} {month.capitalize() if capital else month} {when.year}"
    return f"{_WEEKDAYS[when.weekday()]} {text}" if weekday else text


def _e(text: str) -> str:
    """Escaped for text and double-quoted attributes; apostrophes stay as typed."""
    return escape(text, quote=False).replace('"', "&quot;")


def _paragraphs(doc: Doc) -> str:
    return "\n".join(f"<p>{_e(p)}</p>" for p in doc.paragraphs)


def _jsonld(data: dict[str, object]) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        + "</script>"
    )


def _article_jsonld(site: Site, doc: Doc, kind: str = "NewsArticle") -> dict[str, object]:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": doc.title,
        "datePublished": doc.published.isoformat(),
        "dateModified": doc.published.isoformat(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": doc.url},
        "publisher": {"@type": "Organization", "name": site.name},
        "inLanguage": "it-IT",
    }
    if doc.author:
        data["author"] = {"@type": "Person", "name": doc.author}
    return data


def _yoast_jsonld(site: Site, doc: Doc) -> dict[str, object]:
    """Yoast's graph: every post has an author, the WordPress user, often "Redazione"."""
    article = _article_jsonld(site, doc, "Article")
    article.pop("@context")
    article["@id"] = doc.url + "#article"
    article["author"] = {"@type": "Person", "name": doc.author or "Redazione"}
    page = {"@type": "WebPage", "@id": doc.url, "url": doc.url, "name": doc.title}
    return {"@context": "https://schema.org", "@graph": [article, page]}


def _head(
    site: Site,
    *,
    title: str,
    url: str,
    description: str,
    og_type: str,
    published: datetime | None = None,
    meta: Sequence[tuple[str, str]] = (),
    jsonld: dict[str, object] | None = None,
) -> str:
    lines = [
        "<!DOCTYPE html>",
        '<html lang="it-IT">',
        "<head>",
        '<meta charset="UTF-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f'<meta name="description" content="{_e(description)}">',
        f'<link rel="canonical" href="{_e(url)}">',
        '<meta property="og:locale" content="it_IT">',
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:title" content="{_e(title.rsplit(" - ", 1)[0])}">',
        f'<meta property="og:description" content="{_e(description)}">',
        f'<meta property="og:url" content="{_e(url)}">',
        f'<meta property="og:site_name" content="{_e(site.name)}">',
    ]
    if published is not None:
        lines.append(f'<meta property="article:published_time" content="{published.isoformat()}">')
    lines += [f'<meta name="{_e(n)}" content="{_e(v)}">' for n, v in meta]
    lines.append('<link rel="stylesheet" href="/assets/style.css">')
    if jsonld is not None:
        lines.append(_jsonld(jsonld))
    lines += ["</head>"]
    return "\n".join(lines)


def _nav(site: Site) -> str:
    links = [("/", "Home")]
    if site.wordpress:
        links += [("/category/cronaca/", "Cronaca"), ("/category/attualita/", "Attualità")]
    links += [(path, path.strip("/").rsplit("/", 1)[-1].capitalize()) for path in site.listings]
    items = "".join(f'<li><a href="{site.url(p)}">{_e(t)}</a></li>' for p, t in links)
    return f'<nav class="main-menu"><ul class="menu">{items}</ul></nav>'


def _recent(recent: Sequence[Doc], heading: str, cls: str) -> str:
    items = "".join(f'<li><a href="{_e(d.url)}">{_e(d.title)}</a></li>' for d in recent)
    return (
        f'<section class="{cls}"><h3 class="widget-title">{heading}</h3><ul>{items}</ul></section>'
    )


def _share(url: str) -> str:
    return (
        '<div class="share-buttons">'
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={_e(url)}" rel="nofollow">'
        "Facebook</a> "
        f'<a href="https://twitter.com/intent/tweet?url={_e(url)}" rel="nofollow">X</a> '
        f'<a href="https://api.whatsapp.com/send?text={_e(url)}" rel="nofollow">WhatsApp</a>'
        "</div>"
    )


def _source(doc: Doc, cls: str) -> str:
    if doc.source is None:
        return ""
    brand, original = doc.source
    return (
        f'<p class="{cls}">Fonte: <a href="{_e(original)}" rel="nofollow noopener" '
        f'target="_blank">{_e(brand)}</a></p>'
    )


def _footer(site: Site) -> str:
    return (
        f'<footer class="site-footer"><p>© 2023 {_e(site.name)} - Tutti i diritti riservati. '
        '<a href="/privacy-policy/">Privacy</a> · <a href="/contatti/">Contatti</a></p></footer>'
    )


def _author_path(author: str) -> str:
    return f"/author/{slugify(author)}/"


# -- WordPress themes --------------------------------------------------------------------------


def _wp_classic(site: Site, doc: Doc, recent: Sequence[Doc], neighbours: Sequence[Doc]) -> str:
    byline = ""
    if doc.author:
        byline = (
            f'<span class="byline"> di <span class="author vcard"><a class="url fn n" '
            f'href="{site.url(_author_path(doc.author))}">{_e(doc.author)}</a></span></span>'
        )
    post_nav = "".join(
        f'<div class="nav-{side}"><a href="{_e(n.url)}" rel="{side}">'
        f'<span class="meta-nav">{label}</span> {_e(n.title)}</a></div>'
        for side, label, n in zip(
            ("previous", "next"), ("Precedente", "Successivo"), neighbours, strict=False
        )
    )
    return f"""<body class="post-template-default single single-post postid-{doc.post_id}">
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="{site.url("/")}" rel="home">{_e(site.name)}</a></p></div>
{_nav(site)}</header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{doc.post_id}" class="post-{doc.post_id} post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{_e(doc.title)}</h1>
<div class="entry-meta">
<span class="posted-on">Pubblicato il <a href="{_e(doc.url)}" rel="bookmark">
<time class="entry-date published" datetime="{doc.published.isoformat()}">
{long_date(doc.published)}</time>
</a></span>{byline}</div></header>
<div class="entry-content">
{_paragraphs(doc)}
{_source(doc, "fonte-originale")}
</div>
<footer class="entry-footer"><span class="cat-links">Pubblicato in
<a href="{site.url("/category/attualita/")}" rel="category tag">Attualità</a></span>
{_share(doc.url)}</footer>
</article>
<nav class="navigation post-navigation" aria-label="Articoli"><h2 class="screen-reader-text">
Navigazione articoli</h2><div class="nav-links">{post_nav}</div></nav>
</main></div>
<aside id="secondary" class="widget-area">
{_recent(recent, "Articoli recenti", "widget widget_recent_entries")}
</aside></div>
{_footer(site)}</div></body></html>"""


def _wp_newspaper(site: Site, doc: Doc, recent: Sequence[Doc], neighbours: Sequence[Doc]) -> str:
    author = doc.author or "Redazione"
    related = "".join(
        f'<div class="td_module_related_posts"><h3 class="entry-title td-module-title">'
        f'<a href="{_e(n.url)}" rel="bookmark">{_e(n.title)}</a></h3></div>'
        for n in neighbours
    )
    return f"""<body class="post-template-default single single-post td-standard-pack">
<div class="td-theme-wrap"><div class="td-header-wrap"><div class="td-header-logo">
<a class="td-main-logo" href="{site.url("/")}">{_e(site.name)}</a></div>{_nav(site)}</div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
<div class="td-crumb-container"><div class="entry-crumbs"><span>
<a href="{site.url("/")}">Home</a></span>
<i class="td-icon-right td-bread-sep"></i><span>
<a href="{site.url("/category/attualita/")}">Attualità</a></span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main">
<div class="td-ss-main-content">
<article id="post-{doc.post_id}" class="post-{doc.post_id} post type-post status-publish">
<div class="td-post-header"><ul class="td-category"><li class="entry-category">
<a href="{site.url("/category/attualita/")}">Attualità</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{_e(doc.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">Di</div>
<a href="{site.url(_author_path(author))}">{_e(author)}</a><div class="td-author-line"> - </div>
</div>
<span class="td-post-date">
<time class="entry-date updated td-module-date" datetime="{doc.published.isoformat()}">
{long_date(doc.published, capital=True)}</time></span></div></header></div>
{_share(doc.url)}
<div class="td-post-content tagdiv-type">
{_paragraphs(doc)}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix">
<li><span>TAGS</span></li><li><a href="{site.url("/tag/inclusione/")}">inclusione</a></li>
<li><a href="{site.url("/tag/comune/")}">comune</a></li></ul></div></footer>
</article>
<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title">
<a class="td-related-left td-cur-simple-item" href="#">ARTICOLI CORRELATI</a></h4>
<div class="td_block_inner">{related}</div></div>
</div></div>
<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">
<aside class="td_block_template_1 widget widget_recent_entries">
{_recent(recent, "Ultime notizie", "td-block-recent")}</aside></div></div>
</div></div></div>
{_footer(site)}</div></body></html>"""


def _wp_jnews(site: Site, doc: Doc, recent: Sequence[Doc], neighbours: Sequence[Doc]) -> str:
    author = ""
    if doc.author:
        author = (
            f'<div class="jeg_meta_author"><span class="meta_text">di</span> '
            f'<a href="{site.url(_author_path(doc.author))}">{_e(doc.author)}</a></div>'
        )
    sidebar = "".join(
        f'<article class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content">'
        f'<h3 class="jeg_post_title"><a href="{_e(d.url)}">{_e(d.title)}</a></h3></div></article>'
        for d in recent
    )
    return f"""<body class="post-template-default single single-post jeg_single_tpl_1">
<div class="jeg_viewport"><div class="jeg_header_wrapper"><div class="jeg_logo">
<a href="{site.url("/")}">{_e(site.name)}</a></div>{_nav(site)}</div>
<div class="jeg_main"><div class="jeg_container"><div class="jeg_content jeg_singlepage">
<div class="container"><div class="row"><div class="jeg_main_content col-md-8">
<div class="jeg_inner_content">
<div class="entry-header"><h1 class="jeg_post_title">{_e(doc.title)}</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left">
{author}<div class="jeg_meta_date">
<a href="{_e(doc.url)}">{long_date(doc.published, capital=True)}</a></div>
</div></div></div></div>
<div class="jeg_share_top_container">{_share(doc.url)}</div>
<div class="entry-content no-share"><div class="content-inner">
{_paragraphs(doc)}
</div></div>
</div></div>
<div class="jeg_sidebar col-md-4"><div class="widget widget_jnews_module_block_21">
<div class="jeg_block_heading"><h3 class="jeg_block_title"><span>Ultime notizie</span></h3></div>
<div class="jeg_posts">{sidebar}</div></div></div>
</div></div></div></div></div>
{_footer(site)}</div></body></html>"""


# -- custom CMSs ---------------------------------------------------------------------------------


def _morenews(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    when = f"{long_date(doc.published, weekday=True)}, {doc.published:%H:%M}"
    return f"""<body class="page-articolo">
<header class="header">
<a class="logo" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<div id="main"><div class="container"><div class="row"><div class="col-md-8">
<div class="news-detail">
<div class="section-title"><a href="{site.url("/argomenti/attualita-8/")}">ATTUALITÀ</a></div>
<h1 class="title">{_e(doc.title)}</h1>
<div class="date">{when}</div>
<div class="content">
{_paragraphs(doc)}
</div>
{_share(doc.url)}
</div></div>
<div class="col-md-4 sidebar">{_recent(recent, "Ultime notizie", "box-news")}</div>
</div></div></div>
{_footer(site)}</body></html>"""


def _gedi(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body class="story-page">
<header class="header">
<a class="header__logo" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<main class="main"><article class="story">
<header class="story__header"><div class="story__section">
<a href="{site.url("/cronaca/bolzano")}">Bolzano</a></div>
<h1 class="story__title">{_e(doc.title)}</h1>
<p class="story__summary">{_e(doc.excerpt)}</p>
<div class="story__meta"><time class="story__date" datetime="{doc.published.isoformat()}">
{long_date(doc.published)}</time></div></header>
<div class="story__content"><div class="story__text">
{_paragraphs(doc)}
</div></div>
{_share(doc.url)}
</article>
<aside class="sidebar">{_recent(recent, "I più letti", "box-piu-letti")}</aside></main>
{_footer(site)}</body></html>"""


def _vivere(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body>
<div id="testata"><a href="{site.url("/")}"><img src="/img/logo.png" alt="{_e(site.name)}"></a>
</div>
{_nav(site)}
<div id="contenitore"><div id="colonna_centrale">
<div class="articolo">
<div class="categoria">Attualità</div>
<h1 class="titolo">{_e(doc.title)}</h1>
<div class="info">Articolo pubblicato il {doc.published:%d/%m/%Y} alle {doc.published:%H:%M}</div>
<div class="testo">
{_paragraphs(doc)}
</div>
{_share(doc.url)}
</div></div>
<div id="colonna_destra">{_recent(recent, "Altri articoli", "box")}</div></div>
{_footer(site)}</body></html>"""


def _mattino(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body>
<header><a class="logo" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<div class="wrapper"><div class="main-col">
<div class="article">
<span class="occhiello">Basilicata</span>
<h1>{_e(doc.title)}</h1>
<div class="article-info">
<span class="data">{long_date(doc.published, weekday=True, capital=True)}</span></div>
<div class="article-body">
{_paragraphs(doc)}
</div>
{_share(doc.url)}
</div></div>
<div class="side-col">{_recent(recent, "Le ultime", "ultime")}</div></div>
{_footer(site)}</body></html>"""


def _buonasera(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    byline = f"Di <strong>{_e(doc.author)}</strong> | " if doc.author else ""
    return f"""<body class="news-page">
<header class="top"><a class="brand" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<section class="content"><article class="news">
<div class="news-section">Cronaca</div>
<h1 class="news-title">{_e(doc.title)}</h1>
<div class="news-meta">{byline}{doc.published:%d/%m/%Y}</div>
<div class="news-text">
{_paragraphs(doc)}
</div>
{_share(doc.url)}
</article>
<aside class="news-aside">{_recent(recent, "Ultime notizie", "latest")}</aside></section>
{_footer(site)}</body></html>"""


def _cafe(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body class="news">
<header><a class="logo" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<div class="container"><div class="news-detail">
<div class="news-category">Cronaca</div>
<h1>{_e(doc.title)}</h1>
<div class="news-date">{doc.published:%d} {_MONTHS[doc.published.month - 1]} {doc.published:%Y}
</div>
<div class="news-text">
{_paragraphs(doc)}
</div>
{_source(doc, "news-source")}
{_share(doc.url)}
</div>
<div class="sidebar">{_recent(recent, "Ultime notizie", "news-latest")}</div></div>
{_footer(site)}</body></html>"""


def _virgilio(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    city = doc.url.split("/")[4]
    listing = site.url(f"/italia/{city}/notizielocali/")
    more = f"Altre notizie di {city.capitalize()}"
    return f"""<body class="vrg-notizie">
<header class="vrg-header"><a class="vrg-logo" href="https://www.virgilio.it/">Virgilio</a></header>
<main class="vrg-main"><article class="vrg-article">
<nav class="vrg-breadcrumb"><a href="{site.url(f"/italia/{city}/")}">{city.capitalize()}</a> ›
<a href="{listing}">Notizie locali</a></nav>
<h1 class="vrg-article__title">{_e(doc.title)}</h1>
<div class="vrg-article__meta"><time datetime="{doc.published.isoformat()}">
{long_date(doc.published)} {doc.published:%H:%M}</time></div>
<div class="vrg-article__body">
{_paragraphs(doc)}
</div>
{_source(doc, "vrg-article__source")}
</article>
<aside class="vrg-aside">{_recent(recent, more, "vrg-more")}</aside>
</main>
{_footer(site)}</body></html>"""


def _zazoom(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body>
<div id="header"><a href="{site.url("/")}" class="logo">{_e(site.name)}</a></div>
<div id="container"><div class="post">
<h1 class="post-title">{_e(doc.title)}</h1>
<div class="post-info">
<time datetime="{doc.published.isoformat()}">{long_date(doc.published)}</time></div>
<div class="post-summary">
{_paragraphs(doc)}
</div>
{_source(doc, "post-source")}
<div class="tags">Tags: <a href="{site.url("/t/migranti/")}">migranti</a></div>
</div>
<div id="sidebar">{_recent(recent, "Ultime notizie", "latest")}</div></div>
{_footer(site)}</body></html>"""


def _informazione(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    return f"""<body>
<div id="top"><a href="{site.url("/")}">{_e(site.name)}</a></div>
<div id="main"><div id="comunicato">
<h1>{_e(doc.title)}</h1>
<div class="data">{doc.published:%d/%m/%Y}</div>
<div class="testo">
{_paragraphs(doc)}
</div>
{_source(doc, "fonte")}
</div>
<div id="destra">{_recent(recent, "Altre notizie", "altre")}</div></div>
{_footer(site)}</body></html>"""


def _rainews(site: Site, doc: Doc, recent: Sequence[Doc], _: Sequence[Doc]) -> str:
    author = f'<span class="author">di {_e(doc.author)}</span> ' if doc.author else ""
    return f"""<body class="rainews">
<header class="header"><a href="{site.url("/")}" class="header__logo">RaiNews</a>
<a href="{site.url("/tgr/basilicata/")}">TGR Basilicata</a></header>
<main class="main"><article class="article-video">
<div class="breadcrumb">TGR Basilicata</div>
<h1 class="title">{_e(doc.title)}</h1>
<div class="article-video__info">{author}<time datetime="{doc.published.isoformat()}">
{doc.published:%d/%m/%Y}</time></div>
<rainews-player data-media="{doc.post_id}"></rainews-player>
<div class="article-video__text">
{_paragraphs(doc)}
</div>
</article>
<aside class="related">{_recent(recent, "Altri servizi", "related-list")}</aside></main>
{_footer(site)}</body></html>"""


_Body = Callable[[Site, Doc, Sequence[Doc], Sequence[Doc]], str]

_BODIES: dict[str, _Body] = {
    "wp_classic": _wp_classic,
    "aggregator_wp": _wp_classic,
    "wp_newspaper": _wp_newspaper,
    "wp_jnews": _wp_jnews,
    "morenews": _morenews,
    "gedi": _gedi,
    "vivere": _vivere,
    "mattino": _mattino,
    "buonasera": _buonasera,
    "cafe": _cafe,
    "virgilio": _virgilio,
    "zazoom": _zazoom,
    "informazione": _informazione,
    "rainews": _rainews,
}

# Which metadata each CMS puts in <head>: JSON-LD flavour, and whether it has Open Graph
# article times. The Mattino's CMS has neither: its date is only the visible one.
_NO_PUBLISHED_META = {"mattino", "cafe", "zazoom"}
_JSONLD: dict[str, Callable[[Site, Doc], dict[str, object]]] = {
    "wp_classic": _yoast_jsonld,
    "aggregator_wp": _yoast_jsonld,
    "wp_newspaper": _yoast_jsonld,
    "wp_jnews": _yoast_jsonld,
    "morenews": _article_jsonld,
    "cafe": _article_jsonld,
    "virgilio": _article_jsonld,
    "zazoom": _article_jsonld,
    "rainews": _article_jsonld,
}


def article_page(site: Site, doc: Doc, recent: Sequence[Doc], neighbours: Sequence[Doc]) -> str:
    """One article as its outlet's CMS prints it."""
    jsonld = _JSONLD.get(site.cms)
    meta: list[tuple[str, str]] = []
    if doc.author and site.cms in ("buonasera", "rainews"):
        meta.append(("author", doc.author))
    head = _head(
        site,
        title=f"{doc.title} - {site.name}",
        url=doc.url,
        description=doc.excerpt,
        og_type="article",
        published=None if site.cms in _NO_PUBLISHED_META else doc.published,
        meta=meta,
        jsonld=jsonld(site, doc) if jsonld else None,
    )
    return head + "\n" + _BODIES[site.cms](site, doc, recent, neighbours)


def listing_page(site: Site, url: str, heading: str, docs: Sequence[Doc]) -> str:
    """A home page, section page or search results page: titles, dates and excerpts."""
    head = _head(
        site,
        title=f"{heading} - {site.name}",
        url=url,
        description=f"{heading}: le ultime notizie di {site.name}",
        og_type="website",
        jsonld={
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": heading,
            "url": url,
        },
    )
    previews = "\n".join(
        f'<article class="post-preview"><h2 class="entry-title"><a href="{_e(d.url)}">'
        f'{_e(d.title)}</a></h2><time datetime="{d.published.isoformat()}">'
        f'{long_date(d.published)}</time><p class="excerpt">{_e(d.excerpt)}</p></article>'
        for d in docs
    )
    empty = "" if docs else "<p>Nessun risultato.</p>"
    return f"""{head}
<body class="archive">
<header class="site-header">
<a class="logo" href="{site.url("/")}">{_e(site.name)}</a>{_nav(site)}</header>
<main class="site-main"><h1 class="page-title">{_e(heading)}</h1>
{previews}{empty}
</main>
{_footer(site)}</body></html>"""

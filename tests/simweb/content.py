"""The bundled simulated web: twelve fictional Italian outlets (eleven hosts) and real traps.

``build_web()`` returns the web (not started); ``sources.yaml`` is its registry and
``expected.json`` (``expected()``) the rassegna a correct crawl must produce from it: the 14
planted mentions with their outlet label, category, title, date, journalist, city and language,
and the pages that look like items but are not.

What each outlet exercises (every trap is also listed, with its reason, in ``expected.json``):

- Cronaca Torino (WordPress): RSS at /feed/ with utm_* tracking links, ``/?s=`` search page,
  ``/wp-json/wp/v2/posts?search=`` JSON, JSON-LD NewsArticle, og:/article: meta, "di Nome
  Cognome" bylines; an old permalink that 301-redirects to the new one (linked from the search
  page and the "Più letti" box); "Più letti" boxes naming LgNet2 on unrelated pages; a comment
  naming LgNet2 under a volleyball report; ``/riservato/`` (Disallow in robots.txt) with a page
  about LgNet2 linked from the feed and the search page.
- Genova Sera (home-made CMS): Atom feed; pages with no metadata at all, date shown only as
  "29-11-2023 14:00", byline "By Alice Gipponi"; an Atom link with ``fbclid``; a page naming
  only the predecessor project LgNetEA.
- Nuraghe News (Sassari): reached only through robots.txt's sitemap index -> Google News
  sitemap (news:publication_date, news:title) + a sitemap of static pages; byline
  "Redazione"; one article answers 503 (Retry-After: 1) once, then 200; "Ignet2" spelling.
- Pontina Oggi (Latina): reached only through section pages whose links lead to articles and
  to tag, category, author and pagination pages; date only as "27 Ottobre 2023".
- Agenzia Penisola: two agency services on one host, told apart by path; date only in the
  dateline "(PNS) - TORINO, 18 OTT -", the year only in the URL.
- Bozner Tagblatt (Bolzano): German, "Von Andreas Pichler", robots.txt ``Crawl-delay: 1``.
- Lucania Sera (Potenza): plain http, ISO-8859-1 bytes with the charset only in the
  Content-Type header, article URLs that differ only in the query (``articolo.php?id=``); its
  RSS has an item with no <link> and a garbage date.
- Vetrina Notizie: aggregator (``aggregator: true``) republishing Genova Sera and Cronaca Torino
  with "Fonte:" and a link to the original.
- Vivi Perugia and Vivi Umbria: the same press release on two outlets (two rows); Vivi Perugia's
  feed links an ``/index.php/...`` path variant whose page has ``<link rel="canonical">`` to the
  clean URL; "Articoli correlati" boxes naming LgNet2 on unrelated pages.
- Conca d'Oro Notizie (Palermo): /feed/ answers an HTML error page with status 200; reached by
  site search; its LgNet2 article weighs about 3 MB because of its comment thread.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import datetime
from html import escape
from importlib import resources
from typing import Any

from simweb import cms
from simweb import stories as s
from simweb.cms import Link, Site, Story
from simweb.server import Page, Web

CRONACA_TORINO = Site("Cronaca Torino", "www.cronacatorino.test")
GENOVA_SERA = Site("Genova Sera", "www.genovasera.test")
NURAGHE_NEWS = Site("Nuraghe News", "www.nuraghenews.test")
PONTINA_OGGI = Site("Pontina Oggi", "www.pontinaoggi.test")
AGENZIA_PENISOLA = Site("Agenzia Penisola", "www.agenziapenisola.test")
BOZNER_TAGBLATT = Site("Bozner Tagblatt", "www.boznertagblatt.test", language="de")
LUCANIA_SERA = Site("Lucania Sera", "www.lucaniasera.test", scheme="http")
VETRINA_NOTIZIE = Site("Vetrina Notizie", "www.vetrinanotizie.test")
VIVI_PERUGIA = Site("Vivi Perugia", "www.viviperugia.test")
VIVI_UMBRIA = Site("Vivi Umbria", "www.viviumbria.test")
CONCA_DORO = Site("Conca d'Oro Notizie", "www.concadoronotizie.test")

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
TEXT = "text/plain; charset=utf-8"
LATIN1_HTML = "text/html; charset=iso-8859-1"

CT_OLD_PERMALINK = "/2023/10/torino-rete-lgnet2/"
"""Cronaca Torino's first permalink for its LgNet2 article, now 301 to the dated one."""
VP_PATH_VARIANT = "/index.php" + s.VP_NETWORK.path
"""The path Vivi Perugia's feed links; the page's canonical is the clean path."""
GIANT_PAGE_BYTES = 3_000_000


def build_web() -> Web:
    """All outlets on a fresh ``Web``; start it (or use it as a context manager) to serve."""
    web = Web()
    for add_outlet in (
        _cronaca_torino,
        _genova_sera,
        _nuraghe_news,
        _pontina_oggi,
        _agenzia_penisola,
        _bozner_tagblatt,
        _lucania_sera,
        _vetrina_notizie,
        _vivi_perugia,
        _vivi_umbria,
        _conca_doro,
    ):
        add_outlet(web)
    return web


def expected() -> dict[str, Any]:
    """The manifest: ``{"mentions": [...], "not_items": [...]}`` (see the module docstring)."""
    text = resources.files("simweb").joinpath("expected.json").read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text)
    return manifest


def sources_path() -> str:
    """Path of the registry of this web, for ``--sources``."""
    return str(resources.files("simweb").joinpath("sources.yaml"))


# -- helpers --------------------------------------------------------------------------------


def _page(body: str | bytes, when: datetime, content_type: str = HTML, **kwargs: Any) -> Page:
    """A page whose Last-Modified is fixed by its content, never the current time."""
    return Page(body, content_type, headers={"Last-Modified": cms.http_date(when)}, **kwargs)


def _latest(stories: Sequence[Story]) -> datetime:
    return max(story.when for story in stories)


def _link(site: Site, story: Story) -> Link:
    return Link(site.url(story.path), story.title)


# -- outlets --------------------------------------------------------------------------------


def _cronaca_torino(web: Web) -> None:
    site = CRONACA_TORINO
    most_read = [
        Link(site.url(CT_OLD_PERMALINK), s.CT_NETWORK.title),
        _link(site, s.CT_READINGS),
        _link(site, s.CT_GARDENS),
    ]
    post_ids = {
        s.CT_NETWORK: 1041,
        s.CT_GARDENS: 1052,
        s.CT_VOLLEY: 1057,
        s.CT_READINGS: 1063,
        s.CT_RESERVED: 1039,
    }
    for story in (s.CT_NETWORK, s.CT_GARDENS, s.CT_READINGS, s.CT_RESERVED):
        web.add(
            site.url(story.path),
            _page(cms.wordpress_article(site, story, most_read=most_read), story.when),
        )
    web.add(
        site.url(s.CT_VOLLEY.path),
        _page(
            cms.wordpress_article(
                site, s.CT_VOLLEY, most_read=most_read, comments=s.CT_VOLLEY_COMMENTS
            ),
            s.CT_VOLLEY.when,
        ),
    )
    web.add(
        site.url(CT_OLD_PERMALINK),
        Page("", redirect_to=site.url(s.CT_NETWORK.path), conditional=False),
    )

    # WordPress's social plugin tags every feed link; the item must be stored without them.
    feed_stories = sorted(post_ids, key=lambda st: st.when, reverse=True)
    items = [
        cms.rss_item(
            story,
            site.url(story.path)
            + "?utm_source=rss&utm_medium=rss&utm_campaign="
            + story.path.rstrip("/").rsplit("/", 1)[-1],
            guid=site.url(f"/?p={post_ids[story]}"),
        )
        for story in feed_stories
    ]
    web.add(
        site.url("/feed/"),
        _page(
            cms.rss_feed(
                site,
                items,
                feed_path="/feed/",
                description="Le notizie di Torino",
                last_build=_latest(feed_stories),
            ),
            _latest(feed_stories),
            RSS,
        ),
    )
    # The search index still has the old permalink, and finds the unpublished draft.
    web.add(
        site.url("/?s=lgnet2"),
        _page(
            cms.listing_page(
                site,
                "Risultati della ricerca per: lgnet2",
                [
                    Link(site.url(CT_OLD_PERMALINK), s.CT_NETWORK.title),
                    _link(site, s.CT_RESERVED),
                ],
            ),
            s.CT_NETWORK.when,
        ),
    )
    web.add(
        site.url("/wp-json/wp/v2/posts?search=lgnet2"),
        _page(
            cms.wp_json_posts(site, [(post_ids[s.CT_NETWORK], s.CT_NETWORK)]),
            s.CT_NETWORK.when,
            JSON,
        ),
    )
    web.add(
        site.url("/robots.txt"),
        Page(
            cms.robots(
                "User-agent: *",
                "Disallow: /riservato/",
                "Disallow: /wp-admin/",
                "Allow: /wp-admin/admin-ajax.php",
            ),
            TEXT,
        ),
    )


def _genova_sera(web: Web) -> None:
    site = GENOVA_SERA
    articles = (s.GS_LIGHTS, s.GS_DESK, s.GS_SAILING, s.GS_OLD_PROJECT)
    for story in articles:
        web.add(
            site.url(story.path),
            _page(
                cms.bare_article(site, story, date_text=cms.numeric_date(story.when)), story.when
            ),
        )
    # Shared from Facebook back into the feed: the link carries an fbclid.
    entries = [
        (story, site.url(story.path) + ("?fbclid=IwAR2kQ7xv0Lm3sPq" if story is s.GS_DESK else ""))
        for story in articles
    ]
    web.add(
        site.url("/atom.xml"),
        _page(
            cms.atom_feed(site, entries, feed_path="/atom.xml"),
            _latest(articles),
            "application/atom+xml; charset=utf-8",
        ),
    )


def _nuraghe_news(web: Web) -> None:
    site = NURAGHE_NEWS
    articles = (s.NN_FESTIVALS, s.NN_MEDIATORS, s.NN_MOBILE_UNITS, s.NN_BUDGET)
    for story in articles:
        web.add(
            site.url(story.path),
            _page(
                cms.wordpress_article(site, story),
                story.when,
                # An overloaded origin: the first request fails, the retry succeeds.
                fail_first=1 if story is s.NN_MEDIATORS else 0,
            ),
        )
    statics = {
        "/chi-siamo/": ("Chi siamo", "Nuraghe News è il quotidiano online di Sassari."),
        "/contatti/": ("Contatti", "Scrivi alla redazione: redazione@nuraghenews.test"),
        "/privacy/": ("Privacy", "Informativa sul trattamento dei dati personali."),
    }
    for path, (heading, text) in statics.items():
        web.add(site.url(path), Page(cms.static_page(site, heading, text)))
    latest = _latest(articles)
    lastmod = latest.isoformat()
    web.add(
        site.url("/sitemap_index.xml"),
        _page(
            cms.sitemap_index(
                [
                    (site.url("/sitemap-news.xml"), lastmod),
                    (site.url("/sitemap-pagine.xml"), "2023-01-15T10:00:00+01:00"),
                ]
            ),
            latest,
            XML,
        ),
    )
    web.add(site.url("/sitemap-news.xml"), _page(cms.news_sitemap(site, articles), latest, XML))
    web.add(
        site.url("/sitemap-pagine.xml"),
        _page(
            cms.url_sitemap([(site.url(path), "2023-01-15T10:00:00+01:00") for path in statics]),
            latest,
            XML,
        ),
    )
    web.add(
        site.url("/robots.txt"),
        Page(
            cms.robots("User-agent: *", "Disallow:", f"Sitemap: {site.url('/sitemap_index.xml')}"),
            TEXT,
        ),
    )


def _pontina_oggi(web: Web) -> None:
    site = PONTINA_OGGI
    articles = (s.PO_FOOTBALL, s.PO_ROADWORKS, s.PO_NETWORK, s.PO_LIBRARY)
    latest_box = "".join(
        f'  <div class="ultime"><a href="{site.url(st.path)}">{escape(st.title)}</a></div>\n'
        for st in articles
    )
    for story in articles:
        web.add(
            site.url(story.path),
            _page(
                cms.bare_article(
                    site, story, date_text=cms.italian_date(story.when), listing=latest_box
                ),
                story.when,
            ),
        )
    nav = [
        Link(site.url("/tag/migranti/"), "migranti"),
        Link(site.url("/categoria/cronaca/"), "Cronaca"),
        Link(site.url("/autore/luca-ferri/"), "Luca Ferri"),
    ]
    listings = {
        "/cronaca/": (
            "Cronaca",
            [s.PO_ROADWORKS, s.PO_NETWORK],
            [*nav, Link(site.url("/cronaca/page/2/"), "Pagina successiva »")],
        ),
        "/cronaca/page/2/": (
            "Cronaca - Pagina 2",
            [s.PO_LIBRARY],
            [*nav, Link(site.url("/cronaca/"), "« Pagina precedente")],
        ),
        "/sport/": ("Sport", [s.PO_FOOTBALL], nav),
        "/tag/migranti/": ("Tag: migranti", [s.PO_NETWORK], nav),
        "/categoria/cronaca/": (
            "Categoria: Cronaca",
            [s.PO_ROADWORKS, s.PO_NETWORK, s.PO_LIBRARY],
            nav,
        ),
        "/autore/luca-ferri/": ("Articoli di Luca Ferri", [s.PO_ROADWORKS, s.PO_NETWORK], nav),
    }
    for path, (heading, listed, extra) in listings.items():
        web.add(
            site.url(path),
            _page(
                cms.listing_page(
                    site, heading, [_link(site, st) for st in listed], extra_links=extra
                ),
                _latest(listed),
            ),
        )


_MONTHS_AGENCY = (
    "GEN",
    "FEB",
    "MAR",
    "APR",
    "MAG",
    "GIU",
    "LUG",
    "AGO",
    "SET",
    "OTT",
    "NOV",
    "DIC",
)


def _agenzia_penisola(web: Web) -> None:
    site = AGENZIA_PENISOLA
    services = {
        "/regioni/ultimora/": ("Regionale", [s.AP_TURIN, s.AP_WEATHER]),
        "/nazionale/ultimora/": ("Nazionale", [s.AP_CASERTA, s.AP_JOBS]),
    }
    cities = {
        s.AP_TURIN: "TORINO",
        s.AP_WEATHER: "GENOVA",
        s.AP_CASERTA: "CASERTA",
        s.AP_JOBS: "ROMA",
    }
    for path, (service, listed) in services.items():
        for story in listed:
            when = story.when
            dateline = f"(PNS) - {cities[story]}, {when.day} {_MONTHS_AGENCY[when.month - 1]} -"
            web.add(
                site.url(story.path),
                _page(cms.agency_article(site, story, dateline=dateline, service=service), when),
            )
        ordered = sorted(listed, key=lambda st: st.when, reverse=True)
        web.add(
            site.url(path),
            _page(
                cms.listing_page(
                    site, f"Ultim'ora - {service}", [_link(site, st) for st in ordered]
                ),
                _latest(listed),
            ),
        )


def _bozner_tagblatt(web: Web) -> None:
    site = BOZNER_TAGBLATT
    articles = (s.BT_MARKET, s.BT_BIKES, s.BT_NETWORK)
    for story in articles:
        web.add(site.url(story.path), _page(cms.german_article(site, story), story.when))
    items = [cms.rss_item(story, site.url(story.path), full_text=False) for story in articles]
    web.add(
        site.url("/rss.xml"),
        _page(
            cms.rss_feed(
                site,
                items,
                feed_path="/rss.xml",
                description="Nachrichten aus Südtirol",
                last_build=_latest(articles),
            ),
            _latest(articles),
            RSS,
        ),
    )
    web.add(
        site.url("/robots.txt"),
        Page(cms.robots("User-agent: *", "Crawl-delay: 1", "Disallow: /suche/"), TEXT),
    )


def _latin1(text: str) -> bytes:
    """Really ISO-8859-1 on the wire; characters outside it become numeric references."""
    return text.encode("iso-8859-1", "xmlcharrefreplace")


def _lucania_sera(web: Web) -> None:
    site = LUCANIA_SERA
    articles = (s.LS_PARKING, s.LS_NETWORK, s.LS_YOUTH)
    for story in articles:
        more = [_link(site, other) for other in articles if other is not story]
        web.add(
            site.url(story.path),
            _page(_latin1(cms.old_php_article(site, story, more=more)), story.when, LATIN1_HTML),
        )
    items = [
        cms.rss_item(story, site.url(story.path), creator=False, full_text=False)
        for story in articles
    ]
    # A hand-typed bulletin: no <link> and a date no parser can read. The others are fine.
    items.insert(
        1,
        (
            "    <item>\n      <title>Aggiornamento viabilità</title>\n"
            "      <description>Traffico regolare sulla Basentana.</description>\n"
            "      <pubDate>ieri sera, più o meno</pubDate>\n    </item>"
        ),
    )
    web.add(
        site.url("/rss.xml"),
        _page(
            _latin1(
                cms.rss_feed(
                    site,
                    items,
                    feed_path="/rss.xml",
                    description="Notizie da Potenza e dalla Basilicata",
                    last_build=_latest(articles),
                    encoding="ISO-8859-1",
                )
            ),
            _latest(articles),
            "application/rss+xml; charset=iso-8859-1",
        ),
    )


def _vetrina_notizie(web: Web) -> None:
    site = VETRINA_NOTIZIE
    copies = (
        (s.VN_GENOA, GENOVA_SERA, s.GS_DESK),
        (s.VN_TURIN, CRONACA_TORINO, s.CT_NETWORK),
        (s.VN_ROADWORKS, PONTINA_OGGI, s.PO_ROADWORKS),
    )
    for story, source, original in copies:
        web.add(
            site.url(story.path),
            _page(
                cms.aggregator_article(
                    site,
                    story,
                    source_name=source.name,
                    source_url=source.url(original.path),
                    attribution=f"Leggi l'articolo completo su {source.name}",
                ),
                story.when,
            ),
        )
    stories = [story for story, _, _ in copies]
    web.add(
        site.url("/notizie-locali/"),
        _page(
            cms.listing_page(site, "Notizie locali", [_link(site, st) for st in stories]),
            _latest(stories),
        ),
    )
    web.add(
        site.url("/cerca?q=lgnet2"),
        _page(
            cms.listing_page(
                site, "Risultati per: lgnet2", [_link(site, s.VN_GENOA), _link(site, s.VN_TURIN)]
            ),
            _latest(stories),
        ),
    )


def _vivi_perugia(web: Web, *, extra: Sequence[Story] = ()) -> None:
    site = VIVI_PERUGIA
    related = [_link(site, s.VP_NETWORK)]
    page = _page(cms.wordpress_article(site, s.VP_NETWORK), s.VP_NETWORK.when)
    web.add(site.url(s.VP_NETWORK.path), page)
    web.add(site.url(VP_PATH_VARIANT), page)
    for story in (s.VP_CRAFTS, s.VP_MINIMETRO, *extra):
        web.add(
            site.url(story.path),
            _page(cms.wordpress_article(site, story, related=related), story.when),
        )
    links = {
        s.VP_NETWORK: site.url(VP_PATH_VARIANT),
        s.VP_CRAFTS: site.url(s.VP_CRAFTS.path),
        s.VP_MINIMETRO: site.url(s.VP_MINIMETRO.path),
        **{story: site.url(story.path) for story in extra},
    }
    ordered = sorted(links, key=lambda st: st.when, reverse=True)
    web.add(
        site.url("/feed/"),
        _page(
            cms.rss_feed(
                site,
                [cms.rss_item(st, links[st]) for st in ordered],
                feed_path="/feed/",
                description="Notizie da Perugia",
                last_build=_latest(ordered),
            ),
            _latest(ordered),
            RSS,
        ),
    )


NEW_MENTION = Story(
    path="/2023/12/05/perugia-rete-lgnet2-sportello-quartieri/",
    title="Perugia, la rete LgNet2 apre uno sportello mobile nei quartieri di Fontivegge",
    published="2023-12-05T09:15:00+01:00",
    paragraphs=(
        "Da lunedì uno sportello mobile del Comune farà tappa ogni settimana a Fontivegge e "
        "a Madonna Alta, grazie ai fondi della rete nazionale LgNet2.",
        "Operatori e mediatori aiuteranno chi è arrivato da poco in città a orientarsi tra "
        "anagrafe, scuola e servizi sanitari, senza lunghe attese agli uffici centrali.",
        "L'assessorato ai servizi sociali ha spiegato che il calendario delle tappe sarà "
        "pubblicato sul sito istituzionale e nelle bacheche dei centri civici.",
    ),
    byline="di Chiara Rossetti",
    author="Chiara Rossetti",
)
"""An article that appears after the first crawl, for the incremental and alert tests."""


def add_new_mention(web: Web) -> dict[str, Any]:
    """Publish ``NEW_MENTION`` on Vivi Perugia (page and feed); its expected rassegna row."""
    _vivi_perugia(web, extra=(NEW_MENTION,))
    return {
        "url": VIVI_PERUGIA.url(NEW_MENTION.path),
        "outlet": "Vivi Perugia",
        "category": "quotidiani",
        "title": NEW_MENTION.title,
        "date": "2023-12-05",
        "journalist": "C. Rossetti",
        "city": "Perugia",
        "language": "it",
    }


def _vivi_umbria(web: Web) -> None:
    site = VIVI_UMBRIA
    articles = (s.VU_LAKE, s.VU_NETWORK)
    for story in articles:
        web.add(site.url(story.path), _page(cms.wordpress_article(site, story), story.when))
    web.add(
        site.url("/feed/"),
        _page(
            cms.rss_feed(
                site,
                [cms.rss_item(st, site.url(st.path)) for st in articles],
                feed_path="/feed/",
                description="Notizie dall'Umbria",
                last_build=_latest(articles),
            ),
            _latest(articles),
            RSS,
        ),
    )


def _conca_doro(web: Web) -> None:
    site = CONCA_DORO
    most_read = [_link(site, s.CO_BALLARO)]
    giant = cms.wordpress_article(
        site, s.CO_BALLARO, most_read=most_read, comments=_endless_comments(GIANT_PAGE_BYTES)
    )
    web.add(site.url(s.CO_BALLARO.path), _page(giant, s.CO_BALLARO.when))
    for story in (s.CO_SEAFRONT, s.CO_OPERA):
        web.add(
            site.url(story.path),
            _page(cms.wordpress_article(site, story, most_read=most_read), story.when),
        )
    # A caching plugin broke the feed: an HTML error page, answered with 200.
    web.add(
        site.url("/feed/"),
        Page(
            "<!DOCTYPE html><html><head><title>Errore del database</title></head><body>"
            "<h1>Errore nello stabilire una connessione al database</h1></body></html>"
        ),
    )
    web.add(
        site.url("/?s=lgnet2"),
        _page(
            cms.listing_page(site, "Risultati della ricerca per: lgnet2", most_read),
            s.CO_BALLARO.when,
        ),
    )
    web.add(
        site.url("/wp-json/wp/v2/posts?search=lgnet2"),
        _page(cms.wp_json_posts(site, [(8812, s.CO_BALLARO)]), s.CO_BALLARO.when, JSON),
    )


_COMMENTERS = (
    "Giuseppe",
    "Rosaria_P",
    "Totò",
    "Marilena",
    "Enzo da Brancaccio",
    "Ciccio",
    "Anna M.",
    "Pippo74",
    "Lia",
    "Salvatore R.",
)
_COMMENT_OPENINGS = (
    "Io abito in zona e",
    "Sinceramente",
    "Mio cugino dice che",
    "Come sempre",
    "Speriamo che stavolta",
    "Al mercato si dice che",
    "Per me",
)
_COMMENT_MIDDLES = (
    "le strade sono sporche",
    "manca il parcheggio",
    "i turisti non mancano",
    "il panino con la milza è sempre il migliore",
    "gli autobus non passano mai",
    "la sera c'è troppa confusione",
    "le bancarelle aprono tardi",
)
_COMMENT_ENDINGS = (
    "e nessuno fa niente.",
    "ma si va avanti.",
    "però la città è bella.",
    "vedremo a primavera.",
    "ci vorrebbe più attenzione.",
    "e basta.",
)


def _endless_comments(target_bytes: int) -> list[tuple[str, str, str]]:
    """A comment thread that grows the page to ``target_bytes``, deterministically."""
    rng = random.Random(3)
    comments: list[tuple[str, str, str]] = []
    size = 0
    while size < target_bytes:
        day = 3 + len(comments) // 900
        text = " ".join(
            f"{rng.choice(_COMMENT_OPENINGS)} {rng.choice(_COMMENT_MIDDLES)} "
            f"{rng.choice(_COMMENT_ENDINGS)}"
            for _ in range(rng.randint(1, 4))
        )
        comment = (
            rng.choice(_COMMENTERS),
            f"{day} Novembre 2023 alle {rng.randint(8, 23)}:{rng.randint(0, 59):02d}",
            text,
        )
        comments.append(comment)
        size += len(text) + 260
    return comments

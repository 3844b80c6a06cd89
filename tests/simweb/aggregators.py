"""A simulated web for discovery (contract 7): the three aggregators and the sites they name.

``build_web()`` serves Google News RSS search, Bing News RSS search and the GDELT DOC 2.0 API
in their real formats, two registry outlets and three outlets the registry does not list;
``SOURCES_YAML`` is its registry (with a ``discovery`` section) and ``EXPECTED`` the items a
correct crawl keeps. Everything is invented; the traps:

- the shared story of Eco di Brindisi (a registry outlet) is in its feed and is returned by all
  three sources: by Google as a headline, by Bing with ``utm_source`` on the URL, by GDELT on
  plain http. One item, attributed to the outlet.
- Corriere Aostano (registry) has a mention its feed does not list; only Bing finds it.
- Gazzetta del Molise (not listed; WordPress, ``og:site_name``): a mention found by Bing and
  GDELT; a page that names the topic only in its "Più letti" sidebar; a result URL whose
  redirects loop.
- Voce di Catanzaro (not listed, apex host): a mention found only by Google, whose original is
  in the feed announced by the home page at an unusual path; a page naming only LgNetEA.
- Laguna Oggi (not listed; no site name anywhere in its pages): a mention found only by
  Google, with its headline written differently, findable only through robots.txt's sitemap
  index and news sitemap.
- Google's links are opaque and lead to a consent page; Bing gives an ``ftp:`` URL and a tracker
  without its ``url``; GDELT gives a Google link and a record without URL; one Google headline
  is found nowhere.

``build_web(broken=True)`` makes the aggregators answer 429, an empty body and garbage instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from simweb import cms
from simweb.cms import Link, Site, Story
from simweb.server import Page, Web

ECO_BRINDISI = Site("Eco di Brindisi", "www.ecobrindisi.test")
CORRIERE_AOSTANO = Site("Corriere Aostano", "www.corriereaostano.test")
GAZZETTA_MOLISE = Site("Gazzetta del Molise", "www.gazzettamolise.test")
VOCE_CATANZARO = Site("Voce di Catanzaro", "vocecatanzaro.test")
LAGUNA_OGGI = Site("Laguna Oggi", "www.lagunaoggi.test")

RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

SOURCES_YAML = """\
topic:
  name: LgNet2
  query: lgnet2
  variants: ["LgNet 2"]
discovery:
  sources: [google_news, bing_news, gdelt]
  default_category: portali
outlets:
  - name: "Eco di Brindisi"
    category: quotidiani
    audience: 18200
    city: Brindisi
    urls: ["www.ecobrindisi.test"]
    feeds: ["https://www.ecobrindisi.test/feed/"]
  - name: "Corriere Aostano"
    category: periodici
    urls: ["www.corriereaostano.test"]
    feeds: ["https://www.corriereaostano.test/feed/"]
"""


def _story(path: str, title: str, published: str, *paragraphs: str) -> Story:
    return Story(path=path, title=title, published=published, paragraphs=paragraphs)


SHARED = _story(
    "/2024/03/05/brindisi-rete-lgnet2-sportello-unico/",
    "Brindisi entra nella rete LgNet2: sportello unico per chi arriva in città",
    "2024-03-05T09:10:00+01:00",
    "Brindisi è da oggi uno dei Comuni della rete LgNet2, il progetto che porta servizi di "
    "prima accoglienza e orientamento nelle aree urbane più fragili.",
    "Lo sportello unico aprirà in via Cappuccini il lunedì e il giovedì mattina, con un "
    "mediatore linguistico e due operatrici dei servizi sociali del Comune.",
)
BRINDISI_OTHER = _story(
    "/2024/03/04/porto-brindisi-nuove-banchine/",
    "Porto di Brindisi, consegnate le nuove banchine per i traghetti",
    "2024-03-04T17:00:00+01:00",
    "Sono state consegnate ieri le due nuove banchine del porto interno, attese da tre anni "
    "dagli operatori dei collegamenti con la Grecia e l'Albania.",
)
AOSTA = _story(
    "/2024/03/06/aosta-lgnet-2-corsi-italiano-biblioteca/",
    "Aosta, la rete LgNet 2 porta i corsi di italiano in biblioteca",
    "2024-03-06T11:30:00+01:00",
    "Con i fondi della rete LgNet 2 la biblioteca regionale ospiterà da aprile tre corsi "
    "serali di lingua italiana per adulti arrivati da poco in Valle.",
    "Le iscrizioni si raccolgono allo sportello informativo del Comune fino a fine mese.",
)
AOSTA_OTHER = _story(
    "/2024/03/02/aosta-mercato-coperto-riapre/",
    "Aosta, il mercato coperto riapre dopo i lavori di restauro",
    "2024-03-02T08:00:00+01:00",
    "Dopo otto mesi di cantiere il mercato coperto di piazza Cavalieri di Vittorio Veneto "
    "riapre con venti banchi di produttori locali.",
)
MOLISE = _story(
    "/2024/03/07/campobasso-lgnet2-tre-sportelli-quartieri/",
    "Campobasso, LgNet2 apre tre sportelli di orientamento nei quartieri",
    "2024-03-07T10:00:00+01:00",
    "Il Comune di Campobasso ha aperto tre sportelli di orientamento nei quartieri San Giovanni, "
    "Vazzieri e centro storico grazie al progetto LgNet2.",
    "Gli sportelli offrono ascolto, mediazione linguistica e accompagnamento ai servizi "
    "sanitari e scolastici, su appuntamento o ad accesso libero il mercoledì.",
)
MOLISE_SIDEBAR = _story(
    "/2024/03/08/campobasso-tangenziale-nord-lavori/",
    "Campobasso, lavori in corso sulla tangenziale nord fino a maggio",
    "2024-03-08T07:45:00+01:00",
    "Restringimenti di carreggiata e senso unico alternato sulla tangenziale nord fino alla "
    "metà di maggio per il rifacimento dell'asfalto e delle barriere laterali.",
)
CATANZARO = _story(
    "/notizie/catanzaro-lgnet2-alloggi-dodici-famiglie/",
    "Catanzaro, con LgNet2 nuovi alloggi per dodici famiglie",
    "2024-03-09T12:00:00+01:00",
    "Dodici famiglie arrivate a Catanzaro negli ultimi mesi hanno ricevuto le chiavi di un "
    "alloggio temporaneo messo a disposizione con il progetto LgNet2.",
    "Gli appartamenti, nel quartiere Lido, sono stati ristrutturati dalle cooperative sociali.",
)
CATANZARO_EA = _story(
    "/notizie/catanzaro-lgnetea-convegno-finale/",
    "Catanzaro, il progetto LgNetEA chiude con un convegno all'università",
    "2024-03-01T15:00:00+01:00",
    "Si è chiuso con un convegno all'università il progetto LgNetEA, che negli anni scorsi ha "
    "sperimentato in città i primi servizi di accoglienza diffusa.",
)
VENEZIA = _story(
    "/cronaca/2024/03/10/venezia-rete-lgnet2-sportello-nuovi-residenti/",
    "Venezia, la rete LgNet2 apre lo sportello per i nuovi residenti",
    "2024-03-10T09:30:00+01:00",
    "A Mestre ha aperto lo sportello della rete LgNet2 per i nuovi residenti stranieri, con "
    "orari pensati per chi lavora e un servizio di traduzione dei documenti.",
    "L'assessorato conta di accogliere cento persone al mese entro l'estate.",
)
GOOGLE_VENEZIA_TITLE = "Venezia | la rete LgNet2 apre lo sportello per i nuovi residenti"
"""How Google writes Laguna Oggi's headline: " | " where the site has ", "."""
LOOP = "https://www.gazzettamolise.test/giro/a/"

EXPECTED = [
    {"url": ECO_BRINDISI.url(SHARED.path), "outlet": "Eco di Brindisi", "new_outlet": False},
    {"url": CORRIERE_AOSTANO.url(AOSTA.path), "outlet": "Corriere Aostano", "new_outlet": False},
    {"url": GAZZETTA_MOLISE.url(MOLISE.path), "outlet": "Gazzetta del Molise", "new_outlet": True},
    {"url": VOCE_CATANZARO.url(CATANZARO.path), "outlet": "Voce di Catanzaro", "new_outlet": True},
    {"url": LAGUNA_OGGI.url(VENEZIA.path), "outlet": LAGUNA_OGGI.host, "new_outlet": True},
]
"""The uscite of a crawl: registry outlets by their name, the others by the site's own name
(Laguna Oggi names itself nowhere: its host)."""
NOT_ITEMS = [GAZZETTA_MOLISE.url(MOLISE_SIDEBAR.path), VOCE_CATANZARO.url(CATANZARO_EA.path)]


# -- the aggregators' formats -----------------------------------------------------------------


def google_news_rss(items: Sequence[tuple[str, str, str, datetime]]) -> str:
    """Google News RSS search; each item is (title, publisher, publisher home, date)."""
    rows = []
    for n, (title, publisher, home, when) in enumerate(items):
        token = f"CBMi{n:03d}aHR0cHM6Ly9zaW11bGF0by5pbnZhbGlkLw"
        link = f"https://news.google.com/rss/articles/{token}?oc=5"
        description = (
            f'<a href="{link}" target="_blank">{escape(title)}</a>&nbsp;&nbsp;'
            f'<font color="#6f6f6f">{escape(publisher)}</font>'
        )
        rows.append(
            f"<item><title>{escape(title)} - {escape(publisher)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{token}</guid><pubDate>{format_datetime(when)}</pubDate>'
            f"<description>{escape(description)}</description>"
            f'<source url="{escape(home)}">{escape(publisher)}</source></item>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
        '<title>"lgnet2" - Google News</title>'
        "<link>https://news.google.com/search?q=lgnet2&amp;hl=it&amp;gl=IT&amp;ceid=IT:it</link>"
        "<language>it</language><webMaster>news-webmaster@google.com</webMaster>"
        "<description>Google News</description>" + "".join(rows) + "</channel></rss>"
    )


def bing_link(url: str) -> str:
    """Bing's click tracker around ``url`` (encoded with lowercase escapes, as Bing does)."""
    encoded = quote(url, safe="").replace("%3A", "%3a").replace("%2F", "%2f")
    return (
        "http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=65E5D3A1B2C34F&url="
        f"{encoded}&c=1492837465&mkt=it-it"
    )


def bing_news_rss(items: Sequence[tuple[str, str, str, str, datetime]]) -> str:
    """Bing News RSS search; each item is (title, link, description, source, date)."""
    rows = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(description)}</description>"
        f"<pubDate>{format_datetime(when)}</pubDate><News:Source>{escape(source)}</News:Source>"
        "</item>"
        for title, link, description, source, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8" ?><rss version="2.0" '
        'xmlns:News="https://www.bing.com:443/news/search?q=lgnet2&amp;format=rss"><channel>'
        "<title>lgnet2 - BingNews</title>"
        "<link>https://www.bing.com:443/news/search?q=lgnet2&amp;format=rss</link>"
        "<description>Search results</description>" + rows + "</channel></rss>"
    )


def gdelt_json(articles: Sequence[tuple[str, str, datetime]]) -> str:
    """GDELT DOC 2.0 ``mode=artlist&format=json``; each article is (url, title, seen)."""
    if not articles:
        return "{}"
    rows = []
    for url, title, when in articles:
        domain = url.split("/")[2].removeprefix("www.") if "://" in url else ""
        rows.append(
            {
                "url": url,
                "url_mobile": "",
                "title": title,
                "seendate": when.strftime("%Y%m%dT%H%M%SZ"),
                "socialimage": "",
                "domain": domain,
                "language": "Italian",
                "sourcecountry": "Italy",
            }
        )
    return json.dumps({"articles": rows}, ensure_ascii=False)


# -- the web ----------------------------------------------------------------------------------


def build_web(*, broken: bool = False) -> Web:
    web = Web()
    _registry_outlets(web)
    _unknown_outlets(web)
    if broken:
        web.add("https://news.google.com/rss/search", Page("Too Many Requests", TEXT, status=429))
        web.add("https://www.bing.com/news/search", Page(b"", RSS))
        web.add(
            "https://api.gdeltproject.org/api/v2/doc/doc",
            Page("Please limit requests to one every 5 seconds.", TEXT),
        )
    else:
        _aggregators(web)
    return web


def _article(web: Web, site: Site, story: Story, most_read: Sequence[Link] = ()) -> None:
    web.add(site.url(story.path), Page(cms.wordpress_article(site, story, most_read=most_read)))


def _feed(web: Web, site: Site, path: str, stories: Sequence[Story]) -> None:
    items = [cms.rss_item(story, site.url(story.path)) for story in stories]
    latest = max(story.when for story in stories)
    body = cms.rss_feed(site, items, feed_path=path, description=site.name, last_build=latest)
    web.add(site.url(path), Page(body, RSS))


def _registry_outlets(web: Web) -> None:
    for story in (SHARED, BRINDISI_OTHER):
        _article(web, ECO_BRINDISI, story)
    _feed(web, ECO_BRINDISI, "/feed/", [SHARED, BRINDISI_OTHER])
    web.add(ECO_BRINDISI.url("/"), Page(_home(ECO_BRINDISI, "/feed/")))
    for story in (AOSTA, AOSTA_OTHER):
        _article(web, CORRIERE_AOSTANO, story)
    _feed(web, CORRIERE_AOSTANO, "/feed/", [AOSTA_OTHER])


def _unknown_outlets(web: Web) -> None:
    _article(web, GAZZETTA_MOLISE, MOLISE)
    # The sidebar names LgNet2, the article does not.
    _article(
        web, GAZZETTA_MOLISE, MOLISE_SIDEBAR, [Link(GAZZETTA_MOLISE.url(MOLISE.path), MOLISE.title)]
    )
    web.add(LOOP, Page("", redirect_to=LOOP.replace("/a/", "/b/"), conditional=False))
    web.add(LOOP.replace("/a/", "/b/"), Page("", redirect_to=LOOP, conditional=False))
    web.add(GAZZETTA_MOLISE.url("/"), Page(_home(GAZZETTA_MOLISE, None)))

    for story in (CATANZARO, CATANZARO_EA):
        _article(web, VOCE_CATANZARO, story)
    _feed(web, VOCE_CATANZARO, "/notizie/rss.xml", [CATANZARO, CATANZARO_EA])
    web.add(VOCE_CATANZARO.url("/"), Page(_home(VOCE_CATANZARO, "/notizie/rss.xml")))

    web.add(LAGUNA_OGGI.url(VENEZIA.path), Page(_nameless_article(VENEZIA)))
    web.add(LAGUNA_OGGI.url("/"), Page(_home(LAGUNA_OGGI, None)))
    web.add(
        LAGUNA_OGGI.url("/robots.txt"),
        Page(cms.robots("User-agent: *", "Disallow:", "Sitemap: /sitemap_index.xml"), TEXT),
    )
    web.add(
        LAGUNA_OGGI.url("/sitemap_index.xml"),
        Page(cms.sitemap_index([(LAGUNA_OGGI.url("/news-sitemap.xml"), "2024-03-10")]), XML),
    )
    web.add(
        LAGUNA_OGGI.url("/news-sitemap.xml"), Page(cms.news_sitemap(LAGUNA_OGGI, [VENEZIA]), XML)
    )


def _aggregators(web: Web) -> None:
    when = SHARED.when
    google = google_news_rss(
        [
            (SHARED.title, ECO_BRINDISI.name, ECO_BRINDISI.url("/"), when),
            (CATANZARO.title, VOCE_CATANZARO.name, VOCE_CATANZARO.url(""), CATANZARO.when),
            (GOOGLE_VENEZIA_TITLE, LAGUNA_OGGI.name, LAGUNA_OGGI.url(""), VENEZIA.when),
            (
                "Un titolo che nessun sito ha mai pubblicato",
                GAZZETTA_MOLISE.name,
                GAZZETTA_MOLISE.url(""),
                when,
            ),
        ]
    )
    web.add("https://news.google.com/rss/search", Page(google, "application/xml; charset=utf-8"))
    # Following a Google link from Europe ends on a consent page: it must never be requested.
    web.add_site("news.google.com", _google_link)
    web.add("https://consent.google.com/ml", Page(_consent_page()))
    bing = bing_news_rss(
        [
            (
                SHARED.title,
                bing_link(ECO_BRINDISI.url(SHARED.path) + "?utm_source=bing"),
                SHARED.summary,
                ECO_BRINDISI.name,
                when,
            ),
            (
                AOSTA.title,
                bing_link(CORRIERE_AOSTANO.url(AOSTA.path)),
                AOSTA.summary,
                CORRIERE_AOSTANO.name,
                AOSTA.when,
            ),
            (
                MOLISE.title,
                bing_link(GAZZETTA_MOLISE.url(MOLISE.path)),
                MOLISE.summary,
                GAZZETTA_MOLISE.name,
                MOLISE.when,
            ),
            (
                "Comunicato in archivio",
                bing_link("ftp://ftp.gazzettamolise.test/comunicato.txt"),
                "",
                GAZZETTA_MOLISE.name,
                when,
            ),
            (
                "Collegamento senza indirizzo",
                "http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=0&c=1&mkt=it-it",
                "",
                "Sconosciuto",
                when,
            ),
        ]
    )
    web.add("https://www.bing.com/news/search", Page(bing, "application/rss+xml; charset=utf-8"))
    gdelt = gdelt_json(
        [
            ("http://www.ecobrindisi.test" + SHARED.path, SHARED.title, when),
            (GAZZETTA_MOLISE.url(MOLISE.path), MOLISE.title, MOLISE.when),
            (GAZZETTA_MOLISE.url(MOLISE_SIDEBAR.path), MOLISE_SIDEBAR.title, MOLISE_SIDEBAR.when),
            (LOOP, "Campobasso, un giro di pagine", when),
            (VOCE_CATANZARO.url(CATANZARO_EA.path), CATANZARO_EA.title, CATANZARO_EA.when),
            ("https://news.google.com/rss/articles/CBMi999?oc=5", "Un rimando", when),
        ]
    )
    web.add("https://api.gdeltproject.org/api/v2/doc/doc", Page(gdelt, JSON))


def _google_link(path: str) -> Page | None:
    if not path.startswith("/rss/articles/"):
        return None
    return Page("", redirect_to="https://consent.google.com/ml?continue=x", conditional=False)


def _home(site: Site, feed: str | None) -> str:
    """A home page announcing ``feed`` with ``<link rel="alternate">``, or no feed at all."""
    link = (
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)}" '
        f'href="{escape(feed)}">'
        if feed
        else ""
    )
    return (
        f'<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>{escape(site.name)}'
        f"</title>{link}</head><body><h1>{escape(site.name)}</h1><p>Le notizie del giorno.</p>"
        "</body></html>"
    )


def _nameless_article(story: Story) -> str:
    """A page that names its site nowhere: no og:site_name, no publisher, a bare title."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (
        f'<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>{escape(story.title)}'
        f'</title><meta property="article:published_time" content="{story.published}"></head>'
        f"<body><article><h1>{escape(story.title)}</h1>{paragraphs}</article></body></html>"
    )


def _consent_page() -> str:
    return (
        '<!DOCTYPE html><html lang="it"><head><title>Prima di continuare</title></head><body>'
        "<h1>Prima di continuare su Google</h1><p>Utilizziamo cookie e dati per fornire e "
        "gestire i servizi. Se scegli di accettare tutto, utilizzeremo cookie e dati anche per "
        "sviluppare e migliorare nuovi servizi. LgNet2</p>"
        "<form><button>Rifiuta tutto</button><button>Accetta tutto</button></form></body></html>"
    )

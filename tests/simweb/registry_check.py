"""A small simulated web for ``rassegna sources check``: seven fictional outlets whose sites
have drifted from the registry, as real ones do.

- Eco di Trieste moved its feed: the registry's ``/rss.xml`` answers 404, the home page
  announces ``/notizie/feed.xml``.
- Gazzetta del Lario (Como) lives on the apex host: ``www.gazzettalario.test`` does not answer
  (``rules`` sends it to a closed port); ``gazzettalario.test`` serves everything.
- Voce del Sannio (Benevento) has no ``/sitemap.xml`` (the registry's): its Google News
  sitemap is named only in robots.txt.
- Cuneo Sera runs WordPress (meta generator, a REST root at ``/wp-json/``) and its theme
  announces no feed; ``/feed/`` works, the registry points at ``/rss/``.
- Il Faro di Pesaro is healthy: the feed the home page announces, and a section page.
- Radio Tirreno answers 500 to everything, on both host forms.
- Notizie Estinte is ``closed`` in the registry: its site still answers, and must not be asked.

Each of the first five publishes one article naming LgNet2 (``MENTIONS``), listed only by the
entry point that works; the registry's broken ones hide four of them from a crawl.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime
from html import escape

from simweb import cms
from simweb.cms import Site, Story
from simweb.server import Page, Web

ECO = Site("Eco di Trieste", "www.ecotrieste.test")
LARIO = Site("Gazzetta del Lario", "gazzettalario.test")
SANNIO = Site("Voce del Sannio", "www.vocesannio.test")
CUNEO = Site("Cuneo Sera", "www.cuneosera.test")
FARO = Site("Il Faro di Pesaro", "www.farodipesaro.test")
TIRRENO = Site("Radio Tirreno", "www.radiotirreno.test")
ESTINTE = Site("Notizie Estinte", "www.notizieestinte.test")

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"

BROKEN = {
    "https://www.ecotrieste.test/rss.xml": "https://www.ecotrieste.test/notizie/feed.xml",
    "https://www.gazzettalario.test/feed/": "https://gazzettalario.test/feed/",
    "https://www.vocesannio.test/sitemap.xml": "https://www.vocesannio.test/mappe/notizie.xml",
    "https://www.cuneosera.test/rss/": "https://www.cuneosera.test/feed/",
    "https://www.radiotirreno.test/feed/": None,
    "https://www.farodipesaro.test/ultime/": None,
}
"""Each broken entry point of the registry, and what ``--fix`` must put in its place."""


def _story(city: str, path: str, day: str, lead: str, detail: str) -> Story:
    return Story(
        path=path,
        title=f"{city} entra nella rete LgNet2: sportelli e mediatori per chi arriva",
        published=f"{day}T09:30:00+01:00",
        byline="di Giulia Ferretti",
        author="Giulia Ferretti",
        paragraphs=(
            f"{lead} Il Comune di {city} aderisce al progetto LgNet2, la rete dei Comuni per una "
            "rapida risposta e servizi per l'inclusione d'emergenza nelle aree urbane "
            "svantaggiate, finanziata dal Fondo Asilo, Migrazione e Integrazione.",
            f"{detail} Gli operatori accoglieranno le persone su appuntamento e le "
            "accompagneranno verso la scuola, il medico di base e i centri per l'impiego, con "
            "l'aiuto di mediatori linguistici formati nei mesi scorsi.",
            "L'assessore ai servizi sociali ha spiegato che la rete permette di confrontare il "
            "lavoro delle città aderenti e di adottare le soluzioni che hanno funzionato "
            "altrove, senza ripartire ogni volta da zero.",
        ),
    )


def _plain(site: Site, path: str, title: str, day: str, text: str) -> Story:
    """An article that does not name the topic, so feeds hold more than the mention."""
    return Story(
        path=path,
        title=title,
        published=f"{day}T18:00:00+01:00",
        paragraphs=(
            text,
            f"La redazione di {site.name} seguirà gli sviluppi nei prossimi giorni e darà conto "
            "delle decisioni del consiglio comunale, atteso in seduta la settimana prossima.",
        ),
    )


MENTIONS = {
    ECO: _story(
        "Trieste",
        "/notizie/2023/11/trieste-rete-lgnet2/",
        "2023-11-14",
        "Un nuovo sportello unico apre in via del Teatro.",
        "Il servizio occupa due stanze al piano terra della biblioteca civica.",
    ),
    LARIO: _story(
        "Como",
        "/2023/11/20/como-lgnet2-sportello/",
        "2023-11-20",
        "Presentato in municipio il piano per l'accoglienza.",
        "Lo sportello sarà aperto il martedì e il giovedì vicino alla stazione di San Giovanni.",
    ),
    SANNIO: _story(
        "Benevento",
        "/cronaca/benevento-lgnet2-mediatori/",
        "2023-11-22",
        "La giunta ha approvato la convenzione con le cooperative del territorio.",
        "Il centro di orientamento trova posto nei locali dell'ex scuola di rione Libertà.",
    ),
    CUNEO: _story(
        "Cuneo",
        "/2023/11/28/cuneo-lgnet2-rete-comuni/",
        "2023-11-28",
        "Il progetto è stato illustrato ieri alla consulta delle associazioni.",
        "Le prime venti famiglie sono già state ricevute dagli operatori del consorzio.",
    ),
    FARO: _story(
        "Pesaro",
        "/cronaca/pesaro-lgnet2-accoglienza/",
        "2023-12-01",
        "Un protocollo firmato con la prefettura avvia i nuovi servizi.",
        "Gli incontri si terranno nella sala civica di Soria, accanto alla farmacia comunale.",
    ),
}
"""The one article naming LgNet2 on each outlet that publishes."""


def rules(web: Web) -> list[str]:
    """``--connect-to`` rules: every host to ``web``, except ``www.gazzettalario.test``, which
    goes to a port nothing listens on (first matching rule wins)."""
    return [f"www.gazzettalario.test::127.0.0.1:{_closed_port()}", web.connect_to]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_web() -> Web:
    """The seven sites on a fresh ``Web``, not started."""
    web = Web()
    _eco(web)
    _lario(web)
    _sannio(web)
    _cuneo(web)
    _faro(web)
    web.add_site(TIRRENO.host, lambda _path: Page(_error_page(), status=500, conditional=False))
    web.add_site("radiotirreno.test", lambda _path: Page(_error_page(), status=500))
    _estinte(web)
    return web


def _when(story: Story) -> datetime:
    return story.when


def _home(site: Site, stories: list[Story], head: str = "") -> str:
    links = "\n".join(
        f'    <h2><a href="{escape(site.url(s.path))}">{escape(s.title)}</a></h2>' for s in stories
    )
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{escape(site.name)} - notizie dal territorio</title>\n{head}</head>\n"
        f'<body>\n  <header><a href="/">{escape(site.name)}</a></header>\n'
        f'  <main class="home">\n{links}\n  </main>\n</body>\n</html>\n'
    )


def _error_page() -> str:
    return (
        "<!DOCTYPE html><html><head><title>Errore</title></head><body>Errore interno</body></html>"
    )


def _feed_link(path: str) -> str:
    return f'  <link rel="alternate" type="application/rss+xml" title="Notizie" href="{path}">\n'


def _articles(web: Web, site: Site, stories: list[Story]) -> None:
    for story in stories:
        web.add(site.url(story.path), Page(cms.wordpress_article(site, story)))


def _rss(web: Web, site: Site, path: str, stories: list[Story]) -> None:
    items = [cms.rss_item(story, site.url(story.path)) for story in stories]
    feed = cms.rss_feed(
        site,
        items,
        feed_path=path,
        description=f"Le notizie di {site.name}",
        last_build=max(map(_when, stories)),
    )
    web.add(site.url(path), Page(feed, RSS))


def _eco(web: Web) -> None:
    stories = [
        MENTIONS[ECO],
        _plain(
            ECO,
            "/notizie/2023/11/molo-audace-lavori/",
            "Molo Audace, iniziano i lavori di consolidamento",
            "2023-11-15",
            "Sono partiti lunedì i lavori sul Molo Audace: il cantiere durerà quattro mesi e "
            "lascerà aperta al passeggio la parte verso il mare.",
        ),
    ]
    _articles(web, ECO, stories)
    web.add(ECO.url("/"), Page(_home(ECO, stories, _feed_link("/notizie/feed.xml"))))
    _rss(web, ECO, "/notizie/feed.xml", stories)


def _lario(web: Web) -> None:
    stories = [MENTIONS[LARIO]]
    _articles(web, LARIO, stories)
    web.add(LARIO.url("/"), Page(_home(LARIO, stories)))
    _rss(web, LARIO, "/feed/", stories)


def _sannio(web: Web) -> None:
    stories = [MENTIONS[SANNIO]]
    _articles(web, SANNIO, stories)
    web.add(SANNIO.url("/"), Page(_home(SANNIO, stories)))
    web.add(
        SANNIO.url("/robots.txt"),
        Page(
            cms.robots(
                "User-agent: *", "Disallow: /admin/", f"Sitemap: {SANNIO.url('/mappe/notizie.xml')}"
            ),
            "text/plain; charset=utf-8",
        ),
    )
    web.add(SANNIO.url("/mappe/notizie.xml"), Page(cms.news_sitemap(SANNIO, stories), XML))


def _cuneo(web: Web) -> None:
    stories = [MENTIONS[CUNEO]]
    _articles(web, CUNEO, stories)
    generator = '  <meta name="generator" content="WordPress 6.4.2">\n'
    web.add(CUNEO.url("/"), Page(_home(CUNEO, stories, generator)))
    root = {"name": CUNEO.name, "url": CUNEO.url(""), "namespaces": ["oembed/1.0", "wp/v2"]}
    web.add(CUNEO.url("/wp-json/"), Page(json.dumps(root), JSON))
    web.add(
        CUNEO.url("/wp-json/wp/v2/posts?search=lgnet2"),
        Page(cms.wp_json_posts(CUNEO, [(211, MENTIONS[CUNEO])]), JSON),
    )
    _rss(web, CUNEO, "/feed/", stories)


def _drawn_by_script(site: Site) -> str:
    """A listing whose article links a script adds in the reader's browser: an empty page to
    anything that does not run JavaScript."""
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>Ultime notizie - {escape(site.name)}</title>\n"
        '  <script src="/static/ultime.js" defer></script>\n</head>\n'
        '<body>\n  <main id="ultime" data-fonte="/api/ultime.json">Caricamento…</main>\n'
        "</body>\n</html>\n"
    )


def _faro(web: Web) -> None:
    stories = [MENTIONS[FARO]]
    _articles(web, FARO, stories)
    web.add(FARO.url("/"), Page(_home(FARO, stories, _feed_link("/feed.xml"))))
    _rss(web, FARO, "/feed.xml", stories)
    links = [cms.Link(FARO.url(s.path), s.title) for s in stories]
    web.add(FARO.url("/cronaca/"), Page(cms.listing_page(FARO, "Cronaca", links)))
    web.add(FARO.url("/ultime/"), Page(_drawn_by_script(FARO)))


def _estinte(web: Web) -> None:
    story = _plain(
        ESTINTE,
        "/2024/03/saluti/",
        "Questo è il nostro ultimo numero",
        "2024-03-31",
        "Dopo dodici anni la redazione saluta i lettori: il sito resta consultabile come archivio.",
    )
    _articles(web, ESTINTE, [story])
    web.add(ESTINTE.url("/"), Page(_home(ESTINTE, [story])))
    _rss(web, ESTINTE, "/feed/", [story])
